"""Time in one place: every datetime is timezone-aware UTC; day-only dates stay dates."""

from __future__ import annotations

from datetime import date, datetime, timezone

import dateparser


def utcnow() -> datetime:
    """Now, timezone-aware UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def utcnow_iso() -> str:
    """Now as an ISO 8601 UTC string."""
    return utcnow().isoformat()


def normalize_published(value: object) -> str | None:
    """Publication metadata as ISO 8601: ``YYYY-MM-DD`` when only a day is known, else UTC datetime.

    Accepts ISO strings, RFC 2822 strings (feeds, HTTP), ``date``/``datetime`` objects and
    ``time.struct_time``. Returns None for anything that does not parse to a plausible date
    (years 1900..2100); the caller decides what an unknown date means, never "today".
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        return value.isoformat() if 1900 <= value.year <= 2100 else None
    elif hasattr(value, "tm_year"):  # time.struct_time from feedparser
        dt = datetime(*value[:6], tzinfo=timezone.utc)  # type: ignore[index]
    else:
        text = str(value).strip()
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                d = date.fromisoformat(text)
            except ValueError:
                return None
            return d.isoformat() if 1900 <= d.year <= 2100 else None
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = dateparser.parse(
                text,
                languages=["en"],
                settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC", "STRICT_PARSING": True},
            )
            if parsed is None:
                return None
            dt = parsed
    if not 1900 <= dt.year <= 2100:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    dt = dt.astimezone(timezone.utc)
    if dt.hour == dt.minute == dt.second == 0 and dt.microsecond == 0 and "T" not in str(value):
        return dt.date().isoformat()
    return dt.replace(microsecond=0).isoformat()


def published_day(published: str | None) -> str | None:
    """The ``YYYY-MM-DD`` day of a stored publication value."""
    return published[:10] if published else None
