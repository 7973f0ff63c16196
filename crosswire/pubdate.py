"""Publication date from the text when metadata lacks one: bylines and datelines only.

Only a full date (day, month and year) near the top of the article, on a line that says it is the
publication ("Published", "Updated", "Posted", "First published") or in a dateline before the first
sentence, counts. Anything else stays unknown: never the ingest date, never a date from the story.
"""

from __future__ import annotations

import re
from datetime import date

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
HEAD_LINES = 6


def _parse(match: re.Match[str]) -> date | None:
    parts = match.groupdict()
    month = int(parts["mnum"]) if parts.get("mnum") else MONTHS[parts["month"].lower().rstrip(".")]
    try:
        return date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None


def _first_date(text: str, anchored: bool) -> date | None:
    for pattern in DATE_PATTERNS:
        m = pattern.match(text) if anchored else pattern.search(text[:120])
        if m:
            return _parse(m)
    return None


def date_from_text(body: str, title: str = "") -> str | None:
    """The publication day (ISO) stated by a byline or dateline near the top, else None."""
    lines = [line for line in body.split("\n") if line.strip()][:HEAD_LINES]
    for line in lines:
        byline = BYLINE.match(line)
        if byline:
            found = _first_date(line[byline.end() :], anchored=False)
            if found:
                return found.isoformat()
    if lines:
        dateline = DATELINE.match(lines[0])
        if dateline:
            found = _first_date(lines[0][dateline.end() :], anchored=True)
            if found:
                return found.isoformat()
    return None
