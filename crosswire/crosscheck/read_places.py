"""Each article's event place (the place the parse binds to the event, else its dateline) and the
distances it gives from a place; and why a place read is no statement of where the event was."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.quotes import _demonyms, fold
from crosswire.crosscheck.read_counts import narrow_first
from crosswire.crosscheck.reconcile import FEATURE_RANK, merge_interval, merge_place, place_name
from crosswire.crosscheck.slot import Slot, span
from crosswire.crosscheck.status import Observation

DISTANCE_REL, DISTANCE_ABS_KM = 0.10, 2.0


_DATELINE_END = re.compile(r"[^\n]{0,40}?(?:\s[-–—]+\s|\((?:AP|Reuters|AFP|CNN|WSB|KTLA)\)|\s?[-–—]{1,2}\s?[A-Z])")


_DATELINE_CITY = re.compile(r"^[A-Z][A-Z .'’-]+,\s*$")
STRONG_CUES = frozenset({"event", "locative", "police"})  # the parse binds the place to the event


def is_dateline(a: StoryArticle, p: dict[str, Any]) -> bool:
    """A place of a dateline ("GARY, Ind. —", the state too): by the cue the facts stage stored
    with the place (``detail.cue``), else (a store analysed before cues were stored) a place
    opening one of the first three lines before a dash or an agency; the state or country that
    follows a dateline's city in capitals ("SHELBY, N.Y. (WIVB)") is part of it."""
    start, end = p.get("start"), p.get("end")
    if start is None or end is None or p.get("in") == "title":
        return False
    line_start = a.text.rfind("\n", 0, start) + 1
    before = a.text[line_start:start]
    if a.text.count("\n", 0, line_start) < 3 and _DATELINE_CITY.match(before) and before.strip(" ,").isupper():
        return True
    detail = p.get("detail") or {}
    if isinstance(detail, dict) and "via" in detail:
        return detail.get("cue") == "dateline"
    if before.strip() or a.text.count("\n", 0, line_start) >= 3:
        return False
    return bool((p.get("text") or "").isupper() or _DATELINE_END.match(a.text, end))


def place_weakness(a: StoryArticle, f: dict[str, Any]) -> str | None:
    """Why a place fact is no statement of where the event happened, or None: a name the parse
    does not bind to the event (a street, a hometown, a person's name: no cue) or a gazetteer
    alias ("the Oklahoma Department of ..." read as Oklahoma City). A dateline is weighed
    against the story's other readings (:func:`place_slot`)."""
    detail = f.get("detail") or {}
    if not isinstance(detail, dict) or "via" not in detail or f.get("in") == "title":
        return None  # a store analysed before cues were stored: every reading counts
    if is_dateline(a, f):
        return None
    if detail.get("via") == "alias":
        return "gazetteer_alias"
    if detail.get("cue") not in STRONG_CUES:
        return "place_not_bound_to_event"
    return None


def place_slot(articles: list[StoryArticle], voted: list[dict[str, Any]] | None = None) -> Slot:
    """Each article's event place: the most specific place the parse binds to the event, else its
    dateline, else any other (those weak). A dateline (the outlet's or station's town) is weak
    when another source binds a place to the event in the text. ``voted``: the story's event
    place as :func:`crosswire.crosscheck.event.vote_where` gives it (voted here when not given)."""
    slot = Slot("place:event.where", "place", "event.where", merge_place,
                order=lambda o: FEATURE_RANK.get(o.value.get("feature") or "", 3), show=show_place)
    for a in articles:
        cands = [f for f in a.facts if f["kind"] == "place" and f["about"] == "event.where"]
        if not cands:
            continue

        def rank(f: dict[str, Any]) -> tuple:
            weak = place_weakness(a, f)
            return (2 if weak else 1 if is_dateline(a, f) else 0,
                    FEATURE_RANK.get((f["value"] or {}).get("feature") or "", 3), f["start"])
        f = min(cands, key=rank)
        value = dict(f["value"])
        value["as_written"] = f["text"]
        detail: dict[str, Any] = {"dateline": is_dateline(a, f)}
        weak = place_weakness(a, f)
        if weak:
            detail["weak"] = weak
        slot.observations.append(Observation(a.id, value, f["text"], [span(a.id, f)], [f["id"]], detail=detail))
    _read_as_the_story(slot.observations, articles, voted)
    bound = {o.article for o in slot.observations if not o.detail.get("dateline") and not o.detail.get("weak")}
    # the station's town agrees with the place the text gives, or is set aside
    for o in slot.observations:
        if o.detail.get("dateline") and bound - {o.article}:
            o.detail["soft"] = "dateline_against_a_place_in_the_text"
    return slot


def _read_as_the_story(observations: list[Observation], articles: list[StoryArticle],
                       voted: list[dict[str, Any]] | None = None) -> None:
    """A town name one report leaves bare ("Police in Salisbury") is read as the story's event
    place reads it (:func:`crosswire.crosscheck.event.vote_where`: "SALISBURY, N.C." in another
    report), not as the gazetteer's biggest town of that name abroad: one vote serves the event and
    its place fact."""
    if voted is None:
        from crosswire.crosscheck.event import vote_where

        voted = vote_where(articles, None)
    if not voted or voted[0].get("geonameid") is None:
        return
    story = voted[0]
    for o in observations:
        v = o.value
        same = {place_name({"name": v.get("as_written")}), place_name(v)} & {place_name(story)}
        if same and v.get("geonameid") != story["geonameid"] and v.get("feature") == story.get("feature"):
            o.value = {**v, **{k: story.get(k) for k in ("name", "geonameid", "country", "lat", "lon", "admin1")},
                       "read_as": "story_place"}


def show_place(v: dict) -> dict:
    return {k: v.get(k) for k in ("name", "geonameid", "country", "lat", "lon", "feature", "admin1")}


_DIST_STOP = frozenset("the a an of with from to near and s".split())


def distance_key(places: list[str]) -> str:
    """What a distance is measured from, folded: demonyms as countries, words sorted."""
    dem = _demonyms()
    words = []
    for p in places:
        for w in re.findall(r"[a-z]+", fold(p).replace("'s", "")):
            w = dem.get(w, w)
            if w not in _DIST_STOP:
                words.append(w)
    return " ".join(sorted(set(words)))


def distance_slots(articles: list[StoryArticle]) -> list[Slot]:
    slots: dict[str, Slot] = {}
    for a in articles:
        for f in a.facts:
            if f["kind"] != "distance":
                continue
            places = (f.get("detail") or {}).get("places") or []
            v = f["value"] or {}
            if not places or (v.get("low") is None and v.get("value") is None):
                continue
            key = distance_key(places)
            if not key:
                continue
            for k in slots:
                if fuzz.token_set_ratio(k, key) >= 90:
                    key = k
                    break
            lo = v.get("low") if v.get("low") is not None else v.get("value")
            hi = v.get("high") if v.get("qualifier") != "vague" else None
            lo2 = None if lo is None else max(0.0, min(lo * (1 - DISTANCE_REL), lo - DISTANCE_ABS_KM))
            hi2 = None if hi is None else max(hi * (1 + DISTANCE_REL), hi + DISTANCE_ABS_KM)
            slot = slots.setdefault(key, Slot(f"distance:{key}", "distance", f"from {', '.join(places)}",
                                              merge_interval, order=narrow_first, show=_show_km))
            if any(o.article == a.id for o in slot.observations):
                continue
            slot.observations.append(Observation(a.id, (lo2, hi2), f["text"], [span(a.id, f)], [f["id"]],
                                                 shown={"km": v.get("value"), "low": v.get("low"),
                                                        "high": v.get("high"), "qualifier": v.get("qualifier")},
                                                 detail={"places": places}))
    return list(slots.values())


def _show_km(v: tuple) -> dict:
    lo, hi = v
    return {"low_km": round(lo, 1) if lo is not None else None, "high_km": round(hi, 1) if hi is not None else None}
