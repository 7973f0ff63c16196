"""Each article's names: the operation or exercise, the military units, each person's titles, and
what a drill practises."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.quotes import fold, same_speaker, speaker_key
from crosswire.crosscheck.reconcile import NAME_MIN, merge_names, merge_present
from crosswire.crosscheck.slot import CONTENT_WORD, STOP_WORDS, Slot, span, stem
from crosswire.crosscheck.status import Observation
from crosswire.crosscheck.titles import merge_titles


_OPERATION = re.compile(r"\b(?:code-?named|dubbed)\s+['\"“‘]?((?:Operation|Exercise)\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})"
                        r"|\b(Operation|Exercise)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})")
_UNIT_WORDS = frozenset("army command brigade division regiment battalion corps forces fleet unit squadron guard "
                        "navy marines battalions brigades".split())


def name_slots(articles: list[StoryArticle]) -> list[Slot]:
    op = Slot("name:operation", "name", "operation", merge_names, show=lambda v: v)
    units: list[Slot] = []
    for a in articles:
        for m in _OPERATION.finditer(a.text):
            name = m.group(2) or m.group(4)
            s, e = (m.start(2), m.end(2)) if m.group(2) else (m.start(4), m.end(4))
            if any(o.article == a.id for o in op.observations):
                continue
            op.observations.append(Observation(a.id, fold(name), name, [{"article": a.id, "start": s, "end": e,
                                                                        "text": a.text[s:e]}], shown=name))
        for f in a.facts:
            if f["kind"] != "entity" or f["about"] != "ORG":
                continue
            name = f["value"] if isinstance(f["value"], str) else f["text"]
            toks = set(re.findall(r"[a-z]+", fold(name)))
            if not toks & _UNIT_WORDS or "ministry" in toks:
                continue
            key = fold(name)
            for slot in units:
                if any(fuzz.ratio(o.value, key) >= NAME_MIN for o in slot.observations):
                    break
            else:
                slot = Slot(f"name:unit:{key}", "name", "unit", merge_present, presence=True, show=lambda v: v)
                units.append(slot)
            if any(o.article == a.id for o in slot.observations):
                continue
            slot.observations.append(Observation(a.id, key, name, [span(a.id, f)], [f["id"]], shown=name))
    return [op] + _partly(units)


def _partly(units: list[Slot]) -> list[Slot]:
    """A unit named in full ("People's Liberation Army Northern Command") says the larger one it
    belongs to ("People's Liberation Army") too, so it counts for that one; the reverse does not
    hold: an outlet naming only the army never corroborates the command (that stays single-source
    unless another outlet names it in full)."""
    for slot in units:
        words = set(slot.observations[0].value.split())
        for other in units:
            if other is slot:
                continue
            if words < set(other.observations[0].value.split()):
                seen = {o.article for o in slot.observations}
                extra = [Observation(o.article, slot.observations[0].value, o.text, o.sources, o.facts, shown=o.shown,
                                     detail={"named_within": o.shown})
                         for o in other.observations if o.article not in seen]
                slot.observations += extra
    return units


_NOT_TITLE = re.compile(r"^(?:which|who|that|whose|where)\b", re.I)  # a relative clause, not a title


def person_titles(a: StoryArticle) -> list[tuple[str, str, dict[str, Any], list[str], str]]:
    """(person key, name, source span, fact ids, title) for each title the article gives a person
    (titles joined with ";" count one by one)."""
    out = []
    seen = set()
    orgs = {fold(f["text"]) for f in a.facts if f["kind"] == "entity" and f["about"] == "ORG"}
    for f in a.facts:
        if f["kind"] == "entity" and f["about"] == "PERSON":
            name = f["value"] if isinstance(f["value"], str) else f["text"]
            title = (f.get("detail") or {}).get("title")
            s, e = f["start"], f["end"]
        elif f["kind"] in ("quote", "claim") and (f.get("value") or {}).get("speaker_kind") == "person":
            v = f["value"]
            name, title = v.get("speaker"), v.get("speaker_title")
            sp = (f.get("detail") or {}).get("speaker_span")
            if not sp:
                continue
            s, e = sp
        else:
            continue
        key = speaker_key(name, "person")
        if not title or key is None or fold(name) in orgs:
            continue
        for part in re.split(r";\s*", title):
            part = part.strip()
            if not part or (key, fold(part)) in seen or _NOT_TITLE.match(part):
                continue
            seen.add((key, fold(part)))
            src = _title_span(a.text, part, s, e)
            out.append((key, name, {"article": a.id, **src}, [f["id"]], part))
    return out


def _title_span(text: str, title: str, s: int, e: int) -> dict[str, Any]:
    """The span covering a name and its title when the title is written within 200 characters."""
    window_start = max(0, s - 200)
    i = text[window_start:e + 200].lower().find(title.lower())
    if i >= 0:
        ts = window_start + i
        lo, hi = min(s, ts), max(e, ts + len(title))
        if hi - lo <= len(title) + (e - s) + 40:
            return {"start": lo, "end": hi, "text": text[lo:hi]}
    return {"start": s, "end": e, "text": text[s:e]}


def people_slots(articles: list[StoryArticle]) -> list[Slot]:
    slots: list[tuple[str, Slot]] = []
    for a in articles:
        for key, name, src, fids, title in person_titles(a):
            for k, slot in slots:
                if same_speaker(k, key):
                    break
            else:
                slot = Slot(f"name:person:{key[2:]}", "name", f"person:{name}", merge_titles, show=lambda v: v)
                slots.append((key, slot))
            if len(name) > len(slot.about) - 7:
                slot.about = f"person:{name}"
            slot.observations.append(Observation(a.id, title, src["text"], [src], fids, shown=title,
                                                 detail={"person": name}))
    return [s for _, s in slots]


_PRACTISE = re.compile(r"\b(?:practi[cs](?:e|es|ed|ing)|rehears(?:e|es|ed|ing|al\s+of)|work(?:ed|ing)?\s+on"
                       r"(?:\s+(?:issues|elements|tasks)\s+of)?|train(?:ed|ing)?\s+(?:in|for))\s+"
                       r"(?P<list>[^.;:!?\"“”]{4,200})", re.I)
_ITEM_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|as\s+well\s+as)\s+", re.I)
_ITEM_TAIL = re.compile(r"\s+(?:with|alongside|together|at|during|near|from|under)\b.*$", re.I)


def activity_slots(articles: list[StoryArticle]) -> list[Slot]:
    """What a drill practises, item by item: "night landing", "overcoming water obstacles"."""
    slots: dict[str, Slot] = {}
    for a in articles:
        for m in _PRACTISE.finditer(a.text):
            pos = m.start("list")
            for raw in _ITEM_SPLIT.split(m["list"]):
                start = a.text.index(raw, pos) if raw else pos
                pos = start + len(raw)
                item = _ITEM_TAIL.sub("", raw).strip()
                words = [w for w in CONTENT_WORD.findall(item) if w.lower() not in STOP_WORDS]
                if not 2 <= len(item.split()) <= 6 or len(words) < 2 or not item[:1].islower():
                    continue
                key = " ".join(stem(w) for w in words[:2])
                slot = slots.setdefault(key, Slot(f"name:activity:{key}", "name", "activity", merge_present,
                                                  presence=True, show=lambda v: v))
                if any(o.article == a.id for o in slot.observations):
                    continue
                src = {"article": a.id, "start": start, "end": start + len(item), "text": item}
                slot.observations.append(Observation(a.id, item, item, [src], shown=item))
    return list(slots.values())
