"""Each article's days and times of the event: its start and end day, the clock time it happened,
the day of an arrival; and why a day read is no statement of the event's day."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from crosswire.crosscheck.pubdates import (
    Dating, StoryArticle, event_days, event_statement, read_value, resolve, wording,
)
from crosswire.crosscheck.quotes import _demonyms
from crosswire.crosscheck.reconcile import PRECISION_RANK, merge_clock, merge_dates
from crosswire.crosscheck.relevance import about_event
from crosswire.crosscheck.sentences import sentence
from crosswire.crosscheck.slot import Slot, span
from crosswire.crosscheck.status import Observation

TIME_ABOUT_MIN, TIME_EXACT_MIN = 15, 5


def date_slots(articles: list[StoryArticle], datings: dict[str, Dating], words: set[str]) -> list[Slot]:
    start = Slot("date:event.start", "date", "event.start", merge_dates, order=by_precision, show=show_dates)
    end = Slot("date:event.end", "date", "event.end", merge_dates, order=by_precision, show=show_dates)
    dem = _demonyms()
    until = re.compile(r"\b(?:until|through|till|til|thru|to|ending(?:\s+on)?|ends?(?:\s+on)?|"
                       r"runs?\s+to)\s*(?:on\s+)?$", re.I)
    for a in articles:
        d = datings[a.id]
        st = event_statement(a)
        if st is not None:
            r = resolve(st, d)
            if r is not None:
                detail = date_detail(r, st, d)
                why = date_weakness(a.text, st)
                if why:
                    detail["soft" if why == "not_the_event_sentence" else "weak"] = why
                start.observations.append(Observation(a.id, r, st["text"], [span(a.id, st)], [st["id"]],
                                                      detail=detail))
        for f in a.facts:
            if f["kind"] != "date" or f is st:
                continue
            before = a.text[max(0, f["start"] - 16):f["start"]]
            if not until.search(before) or not about_event(a.text, f["start"], f["end"], words, dem):
                continue
            r = resolve(f, d, future=True)
            if r is None or r[2] not in ("day", "month"):
                continue
            end.observations.append(Observation(a.id, r, f["text"], [span(a.id, f)], [f["id"]],
                                                detail=date_detail(r, f, d)))
            break
    first = [o for o in start.observations]
    if first:
        earliest = min(o.value[0] for o in first)
        end.observations = [o for o in end.observations if o.value[1] >= earliest]
    return [start, end]


# a sentence that tells the event happening, and one that tells something after it: a date in the
# second kind ("died Sunday", "was arraigned Tuesday", "police said Monday") is no side of a conflict
_SHOT = re.compile(r"\b(?:shot|shoot|shooting|shootings|fired|gunfire|opened\s+fire|gunshots?|stabb|attack|"
                   r"crash|explo|struck|hit\s+by)", re.I)
_LATER = re.compile(r"\b(?:court|hearing|arraign|charged|indicted|sentenc|identified|died|death|funeral|vigil|"
                    r"email|announced|said|says|autops|arrest|custody|pronounced|released|updated|posted|"
                    r"investigation|underway|condition|trial|jail|succumb|life\s+support|truce)", re.I)
# the same words just before the date, in its clause: "died Saturday of a wound suffered on Friday",
# "an investigation was underway Wednesday", "was indicted Tuesday"
_LATER_BEFORE = re.compile(r"\b(?:died|dies|succumbed|pronounced\s+dead|indicted|arraigned|charged|sentenced|"
                           r"identified|announced|said|says|told|underway|released|updated|posted|published|"
                           r"arrested|booked|held|appeared|autops(?:y|ies)|hearing|trial|funeral|vigil|"
                           r"condition|support|remains?|remained)\b[^.;:,]{0,25}$", re.I)
# or just after it, as the verb of its clause: "On Monday, Lavardo became the county's eighth gunshot
# fatality", "On Sunday, all four victims were reported stable"
_LATER_AFTER = re.compile(r"[^.;:!?]{0,40}?\b(?:died|dies|succumbed|became|(?:was|were)\s+(?:pronounced|reported|"
                          r"identified|charged|arrested|arraigned|indicted|sentenced|released|listed|taken\s+off))\b",
                          re.I)
# a wire dateline's day ("NEW HAVEN, Conn., Oct. 27 (UPI) --") is when the wire filed, not the event's
_WIRE_AFTER = re.compile(r"\s*\((?:UPI|AP|Reuters|AFP|CNN|CNS|dpa|Xinhua|AAP|PA)\)\s*[-–—]", re.I)
_RELATIVE_TO = re.compile(r"\b(?:day|night|morning|weekend|week)[- ](?:after|before)[- ]$|\beve\s+of\s+$", re.I)


def date_weakness(text: str, f: dict[str, Any]) -> str | None:
    """Why a date statement is no statement of the event's day, or None: a day in a sentence
    telling what came after the event ("died Sunday", "a hearing Tuesday", "an investigation was
    underway Monday"), a wire dateline's day, or a day named only to place another ("the
    day-after-Thanksgiving shooting")."""
    s, e = sentence(text, f["start"], f["end"])
    if _WIRE_AFTER.match(text, f["end"]) and text.count("\n", 0, f["start"]) <= 3:
        return "wire_dateline"
    if _RELATIVE_TO.search(text[max(0, f["start"] - 20):f["start"]]):
        return "relative_to_another_day"
    if not _SHOT.search(text[s:e]) and _LATER.search(text[s:e]):
        return "not_the_event_sentence"
    if _LATER_BEFORE.search(text[max(s, f["start"] - 40):f["start"]]):
        return "not_the_event_sentence"
    after = _LATER_AFTER.match(text, f["end"], min(e, f["end"] + 60))
    if after and not _SHOT.search(after[0]):
        return "not_the_event_sentence"
    return None


def date_detail(r: tuple, f: dict, d: Dating) -> dict[str, Any]:
    """How a date was read: its precision, and whether it took the publication day the story
    implies (then it agrees with the story rather than confirming it on its own)."""
    out: dict[str, Any] = {"precision": r[2]}
    anchored = (f.get("value") or {}).get("anchored") or read_value((f.get("value") or {}).get("value")) is None
    if d.inference is not None and anchored:
        out["publication"] = "inferred"
    return out


def by_precision(o: Observation) -> Any:
    v = o.value
    return PRECISION_RANK.get(v[2], 9) if isinstance(v, tuple) and len(v) == 3 else 0


def show_dates(v: tuple) -> str:
    lo, hi, prec = v
    if lo == hi:
        return lo.isoformat()
    if prec == "month":
        return lo.isoformat()[:7]
    if prec == "year":
        return lo.isoformat()[:4]
    return f"{lo.isoformat()}/{hi.isoformat()}"


_HAPPEN = re.compile(r"\b(?:happen|occur|struck|strike|hit|erupt|explod|broke\s+out|began|begin|start|took\s+place|"
                     r"went\s+off|blast|explosion|shooting|attack|crash|fire\s+broke)", re.I)
_NOT_START = re.compile(r"\b(?:control|lifted|extinguish|put\s+out|declared|reopen|alert|press\s+conference|"
                        r"briefing|arriv|woken|until|by\s+(?:about\s+)?\d|updated|vigil|funeral|memorial|"
                        r"scheduled|planned|will\s+be)", re.I)
_MERIDIEM = re.compile(r"\b[ap]\.?\s?m\b\.?|\b(?:noon|midnight|morning|afternoon|evening|night)\b|\d{2}:?\d{2}\s*(?:h|hrs|hours)\b",
                       re.I)
_ZONE = re.compile(r"\s*(?:[ECMP][SD]T|GMT|UTC)\b")
_CLAUSE_BREAK = re.compile(r"[,;(]\s*(?:where|when|which|who|whose|while|as|after|before|until)\b|[;:]|\bwhen\b", re.I)
_ABOUT = re.compile(r"\b(?:about|around|approximately|roughly|some|shortly|just|nearly|almost|circa|c\.)\s*$", re.I)
_CLOCK = re.compile(r"T(\d\d):(\d\d)")


def time_slot(articles: list[StoryArticle], quotes_spans: dict[str, list[tuple[int, int]]]) -> Slot:
    slot = Slot("time:event.time", "time", "event.time", merge_clock, show=_show_time)
    for a in articles:
        for f in a.facts:
            v = f.get("value") or {}
            if f["kind"] != "date" or v.get("precision") != "time":
                continue
            m = _CLOCK.search(v.get("value") or "")
            if not m or any(s <= f["start"] < e for s, e in quotes_spans.get(a.id, [])):
                continue
            s, e = sentence(a.text, f["start"], f["end"])
            sent = a.text[s:e]
            if not _HAPPEN.search(sent) or _NOT_START.search(sent) or _ZONE.match(a.text, f["end"]):
                continue  # "5:29 PM EDT": a posting time
            if not any(_same_clause(a.text[s + m.end():f["start"]] if s + m.end() <= f["start"]
                                    else a.text[f["end"]:max(f["end"], s + m.start())], s + m.end() <= f["start"])
                       for m in _HAPPEN.finditer(sent)):
                continue  # "took place in the after-hours area, where ... after 2 a.m., when ...": another clause's time
            minutes = int(m[1]) * 60 + int(m[2])
            tol = TIME_ABOUT_MIN if _ABOUT.search(a.text[max(0, f["start"] - 20):f["start"]]) else TIME_EXACT_MIN
            detail: dict[str, Any] = {"tolerance_minutes": tol}
            if not _MERIDIEM.search(f["text"]) and 1 <= int(m[1]) % 12 <= 12 and ":" in f["text"]:
                detail["soft"] = "no_am_or_pm"  # "around 10:30" last night: the half of the day is a guess
            slot.observations.append(Observation(a.id, (minutes - tol, minutes + tol), f["text"],
                                                 [span(a.id, f)], [f["id"]], shown=f"{m[1]}:{m[2]}",
                                                 detail=detail))
            break
    return slot


def _same_clause(between: str, verb_first: bool) -> bool:
    """Whether a time belongs to the clause of the verb: nothing between them opens another clause
    ("took place in the after-hours area, where patrons drink after 2 a.m."), or the clause it
    opens is closed again by a comma before the time ("hit a hall, which sits near the port, at
    about 6:40 a.m.")."""
    breaks = list(_CLAUSE_BREAK.finditer(between))
    if not breaks:
        return True
    return verb_first and "," in between[breaks[-1].end():]


def _show_time(v: tuple) -> str:
    mid = int(round((v[0] + v[1]) / 2))
    return f"{mid // 60 % 24:02d}:{mid % 60:02d}"


_ARRIVAL = re.compile(r"\b(?:arriv(?:ed|es|ing|al)|landed|touched\s+down|reached)\b[^.;:!?]{0,60}?"
                      r"(?:\b(?:on|in|at|by)\s+)?$", re.I)


def arrival_slot(articles: list[StoryArticle], datings: dict[str, Dating], words: set[str]) -> Slot:
    """ "Beijing's troops arrived in the country on Saturday": the day of an arrival."""
    slot = Slot("date:arrival", "date", "arrival", merge_dates, order=by_precision, show=show_dates)
    dem = _demonyms()
    for a in articles:
        d = datings[a.id]
        for f in a.facts:
            if f["kind"] != "date" or not _ARRIVAL.search(a.text[max(0, f["start"] - 80):f["start"]]):
                continue
            s, _ = sentence(a.text, f["start"], f["end"])
            if not _ARRIVAL.search(a.text[max(s, f["start"] - 80):f["start"]]):
                continue  # the verb belongs to the sentence before
            if not about_event(a.text, f["start"], f["end"], words, dem):
                continue
            r = resolve(f, d)
            detail = date_detail(r, f, d) if r is not None else {}
            if r is None:
                r = _inferred_days(f, d)
                if r is None:
                    continue
                detail = {"precision": "range", "publication": "inferred"}
            slot.observations.append(Observation(a.id, r, f["text"], [span(a.id, f)], [f["id"]], detail=detail))
            break
    return slot


def _inferred_days(f: dict[str, Any], d: Dating) -> tuple | None:
    """The days relative wording ("on Saturday") allows over an inferred range of publication days
    (at most a month), when they differ: (first, last, "range")."""
    kind = wording(f.get("text", ""))
    if kind is None or kind[0] == "absolute" or d.low is None or d.high is None or (d.high - d.low).days > 31:
        return None
    days = {x for i in range((d.high - d.low).days + 1) for x in event_days(kind, d.low + timedelta(days=i))}
    return (min(days), max(days), "range") if days else None
