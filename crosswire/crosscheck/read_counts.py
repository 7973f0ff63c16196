"""Each article's figures: the event's killed and injured, every other counted noun; why a figure
read is no statement of the event's; and count values told apart by their sentences."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.reconcile import merge_interval
from crosswire.crosscheck.sentences import sentence
from crosswire.crosscheck.slot import CONTENT_WORD, STOP_WORDS, Slot, keywords, span, stem
from crosswire.crosscheck.status import Observation

COUNT_CONTEXT_MIN = 0.15  # Jaccard of sentence words for two different values to be one thing


def casualty_slots(articles: list[StoryArticle]) -> list[Slot]:
    """Each article's killed and injured figures as its event record gives them: a person reported
    dead is not also counted injured (the injured are the people hit less the killed, as
    :mod:`crosswire.crosscheck.event` counts them; a report that gives no toll or a lower one
    while most reports of the story give one, and was not published after all of them, counts
    the people hit before some died, so the difference is taken off its injured figure and its
    toll is ``toll_before_a_death``); the spans are the mentions that state them."""
    slots = {k: Slot(f"count:{k}", "count", k, merge_interval, order=narrow_first, show=show_interval)
             for k in ("killed", "injured")}
    tolls = Counter(int(k) for a in articles if not a.duplicate_of
                    and isinstance(k := (a.event or {}).get("killed"), int | float) and not isinstance(k, bool))
    dead = max(tolls, key=lambda k: (tolls[k], k)) if tolls else 0  # the toll most reports give
    toll_days = [a.day for a in articles if (a.event or {}).get("killed") == dead and a.day is not None]
    for a in articles:
        quoted = [(f["start"], f["end"]) for f in a.facts if f["kind"] == "quote"]
        ev = dict(a.event or {})
        i, kd = ev.get("injured"), ev.get("killed")
        before_death = False
        if dead and _number(i) and (kd is None or _number(kd) and kd < dead) and i >= dead - (kd or 0) \
                and not (a.day is not None and toll_days and a.day > max(toll_days)):
            # a report written before a death counts the dying among the hurt: those the story's
            # toll counts dead are not injured, and its lower toll is the toll as it stood then
            ev["injured"] = i - (dead - (kd or 0))
            before_death = True
        stated = {k: [f for f in a.facts if f["kind"] == "casualties" and f["about"] == k and f.get("role") == "event"]
                  for k in slots}
        for k, slot in slots.items():
            fs = stated[k]
            if not fs:
                continue
            figure = ev.get(k)
            if not isinstance(figure, int | float) or isinstance(figure, bool):
                obs = interval_obs(a.id, fs[0])
                why = count_weakness(a.text, fs[0], quoted)
                if why:
                    obs.detail["soft" if why == "vague_count" else "weak"] = why
                slot.observations.append(obs)
                continue
            f = next((x for x in fs if (x.get("value") or {}).get("value") == figure), fs[0])
            obs = interval_obs(a.id, f)
            why = count_weakness(a.text, f, quoted)
            if why:
                obs.detail["soft" if why == "vague_count" else "weak"] = why
            elif k == "killed" and before_death:
                obs.detail["weak"] = "toll_before_a_death"
            elif figure == 0 and (f.get("value") or {}).get("value") != 0:
                # "a boy was shot and killed" implies no one was hurt; it never outweighs a figure
                obs.detail["soft"] = "zero_not_stated"
            elif all((x.get("value") or {}).get("value") != figure for x in fs):
                # a figure the event record summed or subtracted ("four shot, one died": three
                # injured), stated by no mention: it counts with a figure it fits, never against one
                obs.detail["soft"] = "figure_not_stated"
            if k == "injured" and ev.get("injured") != (a.event or {}).get("injured"):
                obs.detail["reported_dead_elsewhere"] = dead
            if (f.get("value") or {}).get("value") != figure:
                # the figure the article's event record settled on: e.g. "two shot" and "one died"
                # make one injured; the killed mention is a source of it too
                obs.value = (figure, figure)
                obs.shown = {"value": figure, "low": figure, "high": figure, "qualifier": None}
                obs.detail["as_written"] = f["text"]
                other = "killed" if k == "injured" else "injured"
                for x in stated[other][:1]:
                    obs.sources.append(span(a.id, x))
                    obs.facts.append(x["id"])
            slot.observations.append(obs)
    return list(slots.values())


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


_TALLY = re.compile(r"\b(?:first|second|third|fourth|fifth|sixth|latest|last|\d+(?:st|nd|rd|th))\s+of\s+(?:the\s+)?$", re.I)
_COUNT_WORD = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
                         r"hundreds?|thousands?|both|all|no|none|nobody|couple|pair|several|many)\b", re.I)


_INCIDENT_NOUNS = frozenset(stem(w) for w in "case shooting homicide death killing murder incident attack crime "
                                                "victim fatality accident".split())
_PERIOD = re.compile(r"\bsince\s+(?:\d{4}\b|(?:January|February|March|April|May|June|July|August|September|October|"
                     r"November|December)\b)|\b(?:in|over|during|for)\s+the\s+(?:past|last|previous)\s+(?:[\w/.-]+\s+)?"
                     r"(?:years?|months?|decades?)\b|\b(?:this|last)\s+year\b|\bso\s+far\s+(?:this|in)\b", re.I)


def count_weakness(text: str, f: dict[str, Any], quoted: list[tuple[int, int]] | None = None) -> str | None:
    """Why a count mention is no statement of the event's figure, or None: a tally of several
    events ("the second of two teens killed this weekend") or over a period ("14 cases since
    2005"), words inside a quotation ("somebody's child got shot"), or a figure with no number
    or count word that only bounds it ("a murder-suicide": at least two)."""
    if _TALLY.search(text[max(0, f["start"] - 30):f["start"]]):
        return "tally_of_several_events"
    s, e = sentence(text, f["start"], f["end"])
    if _PERIOD.search(text[s:e]):
        return "tally_over_a_period"
    if any(qs <= f["start"] and f["end"] <= qe for qs, qe in quoted or []):
        return "inside_a_quote"
    v = f.get("value") or {}
    if v.get("high") is None and v.get("low") is not None and not _COUNT_WORD.search(f.get("text") or ""):
        return "vague_count"
    return None


def interval_obs(aid: str, f: dict, context: str = "") -> Observation:
    v = f["value"] or {}
    lo, hi = v.get("low"), v.get("high")
    if lo is None and hi is None and v.get("value") is not None:
        lo = hi = v["value"]
    shown = {"value": v.get("value"), "low": v.get("low"), "high": v.get("high"), "qualifier": v.get("qualifier")}
    return Observation(aid, (lo, hi), f["text"], [span(aid, f)], [f["id"]], shown=shown, context=context)


def narrow_first(o: Observation) -> Any:
    lo, hi = o.value
    return (lo is None or hi is None, (hi - lo) if lo is not None and hi is not None else 0)


def show_interval(v: tuple) -> dict:
    lo, hi = v
    return {"value": lo if lo == hi else None, "low": lo, "high": hi}


def count_slots(articles: list[StoryArticle]) -> list[Slot]:
    slots: dict[str, Slot] = {}
    for a in articles:
        seen = set()
        for f in a.facts:
            if f["kind"] != "count":
                continue
            v = f["value"] or {}
            if v.get("low") is None and v.get("value") is None:
                continue
            key = (f["about"], v.get("low"), v.get("high"))
            if key in seen:
                continue
            seen.add(key)
            s, e = sentence(a.text, f["start"], f["end"])
            ctx = a.text[s:f["start"]] + " " + a.text[f["end"]:e]
            about = str(f["about"])
            charge = _CHARGE.match(a.text, f["end"]) if about.lower() in _CHARGE_NOUNS else None
            if charge:  # "two counts of murder" and "one count of tampering": two different charges
                about = f"{about} of {' '.join(stem(w) for w in CONTENT_WORD.findall(charge[1]) if w.lower() not in STOP_WORDS)}"
            slot = slots.setdefault(about, Slot(f"count:{about}", "count", about, merge_interval,
                                                order=narrow_first, show=show_interval))
            obs = interval_obs(a.id, f, ctx)
            if _BACKGROUND.search(a.text[s:e]) and str(f["about"]).lower() in _BACKGROUND_ABOUT:
                obs.detail["drop"] = "background_figure"  # "a city of 20,000 people": not the event's
            elif _TALLY.search(a.text[max(0, f["start"] - 30):f["start"]]) or (
                    stem(about) in _INCIDENT_NOUNS and _PERIOD.search(a.text[s:e])):
                obs.detail["weak"] = "tally_over_a_period"  # "14 cases since 2005": not this event's
            slot.observations.append(obs)
    return list(slots.values())


_CHARGE_NOUNS = frozenset({"count", "counts", "charge", "charges"})
_CHARGE = re.compile(r"\s+(?:each\s+)?of\s+((?:(?!and\b|or\b|with\b|in\b)[\w'’-]+\s*){1,4})", re.I)
_BACKGROUND = re.compile(r"\b(?:population|inhabitants|home\s+to|a\s+(?:city|town|village|county)\s+of)\b", re.I)
_BACKGROUND_ABOUT = frozenset({"people", "population", "residents", "inhabitants", "person", "citizens"})


def split_by_context(slot: Slot, groups: list[list[Observation]]) -> list[list[Observation]]:
    """Groups of a count slot whose values differ are one thing only when their sentences share
    words; a group that shares none with the leading group is a thing of its own."""
    if len(groups) < 2:
        return [sum(groups, [])]
    lead, rest = groups[0], groups[1:]
    lead_words = [keywords(o.context) - keywords(slot.about) for o in lead]
    same, apart = list(lead), []
    for g in rest:
        best = 0.0
        for o in g:
            ko = keywords(o.context) - keywords(slot.about)
            for kl in lead_words:
                if ko and kl:
                    best = max(best, len(ko & kl) / len(ko | kl))
        (same.extend(g) if best >= COUNT_CONTEXT_MIN else apart.append(g))
    return [same] + apart
