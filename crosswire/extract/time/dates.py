"""Publication dates read from the text, and time expressions as facts.

Stage ``dates.v1``. When metadata gave no publication date, the text may: a byline or "Updated"
line ("Updated Wednesday, March 12, 2025"), a dateline, or a full date with its weekday in a
caption ("... in Beijing, Monday, July 8, 2024"). The weekday must agree with the date, so a
typing slip or an old file photo without a weekday never counts. The latest such date is taken:
an article cannot be older than the newest day it reports in full. The evidence (rule, text and
span) is kept; nothing found means unknown, never the ingest date.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crosswire.models import Fact
from crosswire.pubdate import BYLINE, DATE_PATTERNS, DATELINE, MONTHS
from crosswire.extract.time.timex import Timex

STAGE = "dates.v1"
PUBLISHED_STAGE = "published.v1"
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WD = r"(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
_WEEKDAY_DATES = [
    re.compile(_WD + r",?\s+" + _MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(_WD + r",?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
]


def _weekday_dates(text: str) -> list[tuple[date, int, int]]:
    """Full dates written with a weekday that agrees with them: (day, start, end)."""
    found = []
    for pattern in _WEEKDAY_DATES:
        for m in pattern.finditer(text):
            try:
                d = date(int(m["year"]), MONTHS[m["month"].lower().rstrip(".")], int(m["day"]))
            except ValueError:
                continue
            if d.weekday() == _WEEKDAYS[m["wd"][:3].lower()]:
                found.append((d, m.start(), m.end()))
    return found


def _full_dates(line: str, pos: int, anchored: bool = False) -> list[tuple[date, int, int]]:
    """Full dates (day, month, year) in a line from ``pos``; ``anchored``: only one starting there."""
    out = []
    for pattern in DATE_PATTERNS:
        hits = [pattern.match(line, pos)] if anchored else list(pattern.finditer(line, pos))
        for hit in hits:
            if hit is None:
                continue
            g = hit.groupdict()
            try:
                month = int(g["mnum"]) if g.get("mnum") else MONTHS[g["month"].lower().rstrip(".")]
                out.append((date(int(g["year"]), month, int(g["day"])), hit.start(), hit.end()))
            except ValueError:
                continue
    return out


def publication_from_text(text: str, title: str = "") -> tuple[str, dict[str, Any]] | None:
    """The publication day (ISO) the text states, with its evidence (rule, text, span), or None."""
    pos = 0
    lines = text.split("\n")
    for n, line in enumerate(lines):
        by = BYLINE.match(line)
        found = _full_dates(line, by.end()) if by else []
        if not found and n == 0 and (dl := DATELINE.match(line)):
            found = _full_dates(line, dl.end(), anchored=True)
        if found:
            d, s, e = max(found)
            rule = "byline" if by else "dateline"
            return d.isoformat(), {"rule": rule, "text": line[s:e], "start": pos + s, "end": pos + e}
        pos += len(line) + 1
    weekday = _weekday_dates(text)
    if weekday:
        d, s, e = max(weekday)
        return d.isoformat(), {"rule": "latest_weekday_date", "text": text[s:e], "start": s, "end": e}
    return None


def timex_facts(timexes: list[Timex], article_id: str, event_span: tuple[int, int] | None) -> list[Fact]:
    """One fact per time expression; the one that dates the main event is ``about`` "event.when"."""
    facts = []
    for t in timexes:
        kind = {"DATE": "date", "TIME": "date", "DURATION": "duration", "SET": "set"}.get(t.type, "date")
        about = "event.when" if event_span == (t.start, t.end) else "time"
        facts.append(
            Fact(
                article_id, kind, about,
                {"value": t.value, "type": t.type, "precision": t.precision, "anchored": t.anchor_used},
                t.text, t.start, t.end, STAGE, 0.8 if t.value else 0.3,
                "event" if about == "event.when" else None,
            )
        )
    return facts
