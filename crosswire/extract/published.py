"""The publication date an article's text states, when its metadata has none: one module.

Stage ``published.v2`` of the facts stage (ingest no longer reads dates from the text). Only a
full date (day, month and year) counts, found in this order:

1. ``byline``: a line that says it is the publication ("Published", "Updated", "Posted", "First
   published", "Last modified"), e.g. "Updated Wednesday, March 12, 2025 at 10:04";
2. ``dateline``: an upper-case place at the very start of the body, then a date, then a dash or
   an agency in brackets ("GDANSK, Poland, March 11, 2025 (CPA) -");
3. ``latest_weekday_date``: the latest full date written with a weekday that agrees with it ("in
   Beijing, Monday, July 8, 2024" in a caption). An article cannot be older than the newest day it
   reports in full, but it may be newer: this rule gives a lower bound only, which the story's
   cross-check may replace (:mod:`crosswire.crosscheck.pubdates`).

The result is a ``published`` fact with its evidence (rule, text, span); nothing found means
unknown, never the ingest date. It is made again on every analysis of the article.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crosswire.models import Fact

STAGE = "published.v2"
FIRM_RULES = ("byline", "dateline")  # latest_weekday_date is a lower bound only

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
DATE_PATTERNS = [
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR, re.I),  # July 8, 2024
    re.compile(_WEEKDAY + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR, re.I),  # 8 July 2024
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2024-07-08
]
BYLINE = re.compile(
    r"^\s*(?:first\s+)?(?:published|updated|posted|last\s+updated|last\s+modified)\b[\s:,-]*(?:on\s+)?",
    re.I,
)
# "CITY, Country, July 8, 2024 (Agency) —" or "CITY (Agency) July 8, 2024 -": a dateline is an
# upper-case place at the very start of the body, then a date, then a dash or an agency in brackets.
DATELINE = re.compile(r"^\s*[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'-]{1,40}(?:,\s*[A-Z][\w .'-]{1,30})?\s*(?:\([^)]{1,40}\)\s*)?,?\s*")

_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
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


def published_fact(article_id: str, day: str, evidence: dict[str, Any]) -> Fact:
    """The ``published`` fact of a day read from the text, with the rule that found it."""
    return Fact(article_id, "published", "article", day, evidence["text"], evidence["start"], evidence["end"],
                STAGE, 0.6, None, {"rule": evidence["rule"]})
