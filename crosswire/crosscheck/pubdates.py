"""Publication dates a story implies, for articles that lack one, and dates read against them.

Stage ``pubdates.v1``. Needs each story article's publication day and where it came from, its
facts and its event record (:class:`StoryArticle`); fills :class:`Dating` per article.

How each article words the day of the story's main event (its ``event.when`` fact, else a date in
the sentence of its main event) ties that day ``E`` to its publication day ``P``:

* "yesterday", "last night" (``P = E + 1``), "today", "this morning" (``P = E``), "three days ago";
* a weekday ("on Monday"): ``E`` is that weekday and ``P`` falls in the six days after it;
* a month and day ("July 19"): that day, in the year nearest ``P``; a full date fixes ``E``.

Articles whose day is firm (metadata, a byline or dateline) date ``E`` directly; a day read from
a dated photo caption (``published.v2``'s ``latest_weekday_date``) is only a lower bound, as that
stage says. :func:`infer` tries every day near the story's dates as ``E`` and keeps the one the
most articles allow (ties: the least stretch of the lower bounds, then a day some firm article
states, then the earliest); it needs two articles, or one firm one, to agree on it. Then an
article without a firm day gets ``P`` from its own wording: one day ("last night" of a July 8
event: July 9), or a range (a weekday: the six days after; no wording: from ``E`` to the story's
last publication). Every inference, day or range, is kept with its evidence in
``published_inferences`` (:func:`save`), the cross-check's own record: the article is never
written. A single day becomes the article's effective day in the view ``article_published``
unless metadata or a firm text day gives one (``published_source = 'inferred'``); a lower bound
the story agrees with is left as it is. Each article is read with its own day (metadata, else
the text's), never with an earlier inference, so inferring again gives the same answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from crosswire.times import utcnow_iso

STAGE = "pubdates.v1"
WINDOW_DAYS = 10  # how far around the story's known days E is looked for
WEEKDAY_SPAN = 6  # a weekday names a day at most this many days before publication

_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}
_OFFSETS = [
    (re.compile(r"\bthe\s+day\s+before\s+yesterday\b", re.I), -2),
    (re.compile(r"\b(?:yesterday|last\s+(?:night|evening)|overnight)\b", re.I), -1),
    (re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today)\b", re.I), 0),
]
_AGO = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|a)\s+days?\s+ago\b", re.I)
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_MONTHDAY = re.compile(r"\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                       r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+([0-3]?\d)(?:st|nd|rd|th)?\b"
                       r"|\b([0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|"
                       r"june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DAY_VALUE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_MONTH_VALUE = re.compile(r"^(\d{4})-(\d\d)$")
_WEEK_VALUE = re.compile(r"^(\d{4})-W(\d\d)$")
_YEAR_VALUE = re.compile(r"^(\d{4})$")

Interval = tuple[date, date, str]  # first day, last day, precision


@dataclass
class StoryArticle:
    """One article of a story as the cross-check reads it."""

    id: str
    title: str
    text: str
    outlet: str | None
    published: str | None  # its own day: the metadata's local day, else the day its text states
    published_source: str | None  # "metadata", "text" or None (never "inferred")
    role: str = "original"
    duplicate_of: str | None = None
    facts: list[dict[str, Any]] = field(default_factory=list)  # Fact.to_dict() of each fact
    event: dict[str, Any] = field(default_factory=dict)
    published_rule: str | None = None  # published.v2's rule when the day came from the text
    analyzed_at: str | None = None
    previous: dict[str, Any] | None = None  # the stored inference, if any (its row)

    @property
    def day(self) -> date | None:
        return _day(self.published)


@dataclass
class Dating:
    """How an article is dated: ``published`` (one day) or ``low``..``high``; ``anchor`` the day
    its stored facts were read against; ``inference`` when the story supplied it."""

    article: str
    published: date | None
    low: date | None
    high: date | None
    anchor: date | None
    firm: bool
    inference: dict[str, Any] | None = None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------- reading stored values and wording
def read_value(value: str | None) -> Interval | None:
    """A stored TIMEX value as days: ``2024-07-07TNI`` -> that day, ``2024-07`` -> the month,
    ``2024-W28`` -> the week, ``2024`` -> the year; None for what is not anchored (``XXXX-...``)."""
    if not value or "X" in value[:10]:
        return None
    if m := _DAY_VALUE.match(value):
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return d, d, "day"
    if m := _MONTH_VALUE.match(value):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            return None
        first = date(y, mo, 1)
        last = (date(y + (mo == 12), mo % 12 + 1, 1)) - timedelta(days=1)
        return first, last, "month"
    if m := _WEEK_VALUE.match(value):
        try:
            first = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
        return first, first + timedelta(days=6), "week"
    if m := _YEAR_VALUE.match(value):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31), "year"
    return None


def wording(text: str) -> tuple[str, int, int] | None:
    """How a date expression is tied to the publication day: ``("offset", days, 0)``,
    ``("weekday", 0..6, 0)``, ``("monthday", month, day)`` or ``("absolute", 0, 0)`` (a year is
    written); None when it is none of these."""
    if _YEAR.search(text) and _MONTHDAY.search(text):
        return "absolute", 0, 0
    if m := _MONTHDAY.search(text):
        name, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return "monthday", _MONTHS[name.lower()[:3]], int(day)
    for pattern, offset in _OFFSETS:
        if pattern.search(text):
            return "offset", offset, 0
    if m := _AGO.search(text):
        n = m.group(1).lower()
        return "offset", -(int(n) if n.isdigit() else _NUMBERS[n]), 0
    if m := _WEEKDAY.search(text):
        return "weekday", _WEEKDAYS[m.group(0).lower()], 0
    return None


def _monthday_near(month: int, day: int, p: date) -> date | None:
    best = None
    for y in (p.year - 1, p.year, p.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((d - p).days) < abs((best - p).days):
            best = d
    return best


def event_days(kind: tuple[str, int, int], p: date) -> list[date]:
    """The event days a wording allows when the article was published on ``p``."""
    how, a, b = kind
    if how == "offset":
        return [p + timedelta(days=a)]
    if how == "weekday":
        back = (p.weekday() - a) % 7
        return [p - timedelta(days=back)] if back <= WEEKDAY_SPAN else []
    if how == "monthday":
        d = _monthday_near(a, b, p)
        return [d] if d else []
    return []


def resolve(fact: dict[str, Any], dating: Dating, future: bool = False) -> Interval | None:
    """The days a date fact names, read against how its article is dated: the stored value when
    the article's day is the one the extractor used, else its wording read again (a range of
    publication days gives the day only when every day of the range gives the same one).
    ``future``: a weekday looks ahead ("set to run Monday through July 19")."""
    v = fact.get("value") or {}
    stored = read_value(v.get("value"))
    anchored = bool(v.get("anchored"))
    if stored is not None and (not anchored or (dating.anchor is not None and dating.anchor == dating.published)):
        return stored
    kind = wording(fact.get("text", ""))
    if kind is None or kind[0] == "absolute":
        return stored if not anchored else None
    days: set[date] = set()
    if dating.published is not None:
        pubs = [dating.published]
    elif dating.low is not None and dating.high is not None and (dating.high - dating.low).days <= 31:
        pubs = [dating.low + timedelta(days=i) for i in range((dating.high - dating.low).days + 1)]
    else:
        return None
    for p in pubs:
        if future and kind[0] == "weekday":
            ahead = (kind[1] - p.weekday()) % 7
            days.add(p + timedelta(days=ahead))
        else:
            days.update(event_days(kind, p))
    if len(days) != 1:
        return None
    d = days.pop()
    return d, d, "day"


# ---------------------------------------------------------------- the story's event day
def main_event_span(a: StoryArticle) -> tuple[int, int] | None:
    """Where the article's main event is told (its ``event``/``main`` fact's span)."""
    for f in a.facts:
        if f["kind"] == "event" and f["about"] == "main" and (f.get("detail") or {}).get("span_in") != "title":
            return f["start"], f["end"]
    return None


def event_statement(a: StoryArticle) -> dict[str, Any] | None:
    """The date fact that dates the article's main event: its ``event.when`` fact, else the first
    day-grained date in the main event's sentence."""
    for f in a.facts:
        if f["kind"] == "date" and f["about"] == "event.when":
            return f
    span = main_event_span(a)
    if span is None:
        return None
    for f in a.facts:
        if f["kind"] != "date" or (f.get("value") or {}).get("precision") not in ("day", "time"):
            continue
        if span[0] <= f["start"] and f["end"] <= span[1] and wording(f["text"]) is not None:
            return f
    return None


def _firmness(a: StoryArticle) -> tuple[bool, date | None, date | None]:
    """(firm, day, lower bound) of an article's own publication date, before any inference."""
    day = a.day
    if day is None:
        return False, None, None
    if a.published_source == "text" and a.published_rule == "latest_weekday_date":
        return False, None, day
    return True, day, None


def _anchor(a: StoryArticle) -> date | None:
    """The day the extractors read this article's relative dates against: its own day (the
    facts stage never reads an inferred one)."""
    return a.day


def _span(f: dict[str, Any], aid: str) -> dict[str, Any]:
    return {"article": aid, "start": f["start"], "end": f["end"], "text": f["text"]}


def infer(articles: list[StoryArticle]) -> dict[str, Dating]:
    """A :class:`Dating` for every article of one story (see the module docstring)."""
    out: dict[str, Dating] = {}
    info = {}
    for a in articles:
        firm, day, low = _firmness(a)
        st = event_statement(a)
        kind = wording(st["text"]) if st is not None else None
        stored = read_value((st or {}).get("value", {}).get("value")) if st is not None else None
        if kind is not None and kind[0] == "absolute" and stored is None:
            kind = None
        info[a.id] = (firm, day, low, st, kind, stored)
        own = day or low  # a lower bound nobody contradicts stays the article's day
        out[a.id] = Dating(a.id, own, own, own, _anchor(a), firm)
    known = [d for firm, day, low, *_ in info.values() for d in (day, low) if d is not None]
    known += [s[0] for *_, kind, s in info.values() if kind and kind[0] == "absolute" and s and s[2] == "day"]
    if not known:
        return out
    lo, hi = min(known) - timedelta(days=WINDOW_DAYS), max(known) + timedelta(days=WINDOW_DAYS)
    best: tuple | None = None
    for i in range((hi - lo).days + 1):
        e = lo + timedelta(days=i)
        support, cost, firm_says = [], 0, False
        for aid, (firm, day, low, st, kind, stored) in info.items():
            if kind is None:
                continue
            if kind[0] == "absolute":
                if stored and stored[0] == stored[1] == e:
                    support.append(aid)
                    firm_says = True
                continue
            if firm:
                if e in event_days(kind, day):
                    support.append(aid)
                    firm_says = True
                continue
            p = _earliest_publication(kind, e, low)
            if p is not None:
                support.append(aid)
                cost += (p - low).days if low is not None else 0
        firm_support = any(info[s][0] or info[s][4][0] == "absolute" for s in support)
        if len(support) < 2 and not firm_support:
            continue
        key = (-len(support), cost, not firm_says, e)
        if best is None or key < best[0]:
            best = (key, e, support)
    if best is None:
        return out
    _, e, support = best
    story_pubs = sorted(d for firm, day, *_ in info.values() if firm and day is not None for d in [day])
    by_id = {a.id: a for a in articles}
    for aid, (firm, day, low, st, kind, stored) in info.items():
        if firm:
            continue
        a = by_id[aid]
        others = [s for s in support if s != aid]
        evidence = [{"kind": "story_event", "day": e.isoformat(),
                     "detail": f"{len(others)} other article(s) of the story date its event to {e.isoformat()}",
                     "articles": others}]
        if low is not None:
            if kind is None or (kind[0] != "absolute" and e in event_days(kind, low)):
                continue  # the lower bound agrees with the story: left as it is
            if kind[0] == "absolute":
                continue
        if kind is not None and kind[0] == "offset":
            p = e - timedelta(days=kind[1])
            if low is not None and p < low:
                continue
            first = last = p
            evidence.append({"kind": "wording", **_span(st, aid),
                             "detail": f"'{st['text']}' puts the event {-kind[1]} day(s) before publication"})
        elif kind is not None and kind[0] in ("weekday", "monthday"):
            p = _earliest_publication(kind, e, low)
            if p is None:
                continue
            first = p
            last = max(e + timedelta(days=WEEKDAY_SPAN), story_pubs[-1] if story_pubs else e) \
                if kind[0] == "monthday" else e + timedelta(days=WEEKDAY_SPAN)
            last = max(last, first)
            evidence.append({"kind": "wording", **_span(st, aid),
                             "detail": f"'{st['text']}' names the event's day, so the article is from "
                                       f"{first.isoformat()} to {last.isoformat()}"})
        else:
            if not story_pubs:
                continue
            # no wording ties it to the event: only a range, however close the other reports are
            first = max(e, low or e)
            last = max(story_pubs[-1], first) + timedelta(days=WEEKDAY_SPAN)
            evidence.append({"kind": "other_articles", "detail": "the story's other articles were published "
                             f"from {story_pubs[0].isoformat()} to {story_pubs[-1].isoformat()}"})
        written = _latest_written_day(a)
        if written is not None and written[0] > first:
            first = written[0]
            last = max(last, first)
            evidence.append({"kind": "text_date", **_span(written[1], aid),
                             "detail": f"the text gives {written[0].isoformat()} in full"})
        if low is not None:
            evidence.append({"kind": "previous", "detail": f"the text-derived day {low.isoformat()} "
                             f"('{a.published_rule}') is a lower "
                             f"bound only; read so, its wording would date the event to another day"})
        precision = "day" if first == last else "range"
        out[aid] = Dating(aid, first if precision == "day" else None, first, last, out[aid].anchor, False,
                          {"value": first.isoformat() if precision == "day" else None,
                           "low": first.isoformat(), "high": last.isoformat(), "precision": precision,
                           "event_day": e.isoformat(), "evidence": evidence, "stage": STAGE})
    return out


def _earliest_publication(kind: tuple[str, int, int], e: date, low: date | None) -> date | None:
    """The earliest publication day (not before ``low``) at which the wording names day ``e``."""
    if kind[0] == "offset":
        p = e - timedelta(days=kind[1])
        return p if low is None or p >= low else None
    if kind[0] == "weekday":
        if e.weekday() != kind[1]:
            return None
        p = max(e, low) if low is not None else e
        return p if (p - e).days <= WEEKDAY_SPAN else None
    if kind[0] == "monthday":
        if (e.month, e.day) != (kind[1], kind[2]):
            return None
        return max(e, low) if low is not None else e
    return None


def _latest_written_day(a: StoryArticle) -> tuple[date, dict] | None:
    """The latest day the text writes in full (with its year): the article is not older."""
    best = None
    for f in a.facts:
        if f["kind"] != "date":
            continue
        kind = wording(f["text"])
        r = read_value((f.get("value") or {}).get("value"))
        if kind and kind[0] == "absolute" and r and r[2] == "day" and (best is None or r[0] > best[0]):
            best = (r[0], f)
    return best


# ---------------------------------------------------------------- storing
def save(store, story_id: str, articles: list[StoryArticle], datings: dict[str, Dating]) -> dict[str, int]:
    """Store each inference in ``published_inferences`` (a one-day one, ``stored``, is what the
    view ``article_published`` may give as the article's day; articles are never written); drop
    an earlier inference the story no longer supports. Returns counts (stored, ranges, undone)."""
    counts = {"stored": 0, "ranges": 0, "undone": 0}
    now = utcnow_iso()
    with store.transaction() as c:
        for a in articles:
            d = datings.get(a.id)
            row = c.execute("SELECT * FROM published_inferences WHERE article_id = ?", (a.id,)).fetchone()
            inf = d.inference if d is not None else None
            if inf is None:
                if row is not None:
                    c.execute("DELETE FROM published_inferences WHERE article_id = ?", (a.id,))
                    counts["undone"] += 1
                continue
            # the article's own day, which the inference reads past (``previous``: kept for the record)
            previous, previous_source, previous_rule = a.published, a.published_source, a.published_rule
            stored = inf["precision"] == "day"
            same = (row is not None and row["value"] == inf["value"] and row["low"] == inf["low"]
                    and row["high"] == inf["high"] and bool(row["stored"]) == stored
                    and row["previous"] == previous and row["previous_source"] == previous_source)
            evidence = inf["evidence"] + [{"kind": "base", "rule": previous_rule, "detail": "publication day "
                                           "before inference", "value": previous, "source": previous_source}]
            if not same:
                c.execute(
                    "INSERT OR REPLACE INTO published_inferences(article_id, story_id, value, low, high, precision, "
                    "stored, previous, previous_source, evidence, computed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (a.id, story_id, inf["value"], inf["low"], inf["high"], inf["precision"], int(stored),
                     previous, previous_source, json.dumps(evidence, ensure_ascii=False), now))
            counts["stored" if stored else "ranges"] += 1
    return counts


def previous_rows(store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored inference of each article that has one, with ``previous_rule``."""
    out = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.conn.execute(f"SELECT * FROM published_inferences WHERE article_id IN ({marks})", chunk):
            d = dict(r)
            ev = json.loads(d["evidence"] or "[]")
            d["evidence"] = ev
            d["previous_rule"] = next((e.get("rule") for e in ev if e.get("kind") == "base"), None)
            out[d["article_id"]] = d
    return out
