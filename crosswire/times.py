"""Time in one place: every datetime is timezone-aware UTC; day-only dates stay dates.

A publication time is kept three ways (:func:`parse_published`): as given (ISO 8601 with the
offset it was written in, or a day), as the UTC instant, and as the outlet's local day (the date
in the given offset). Relative dates in an article ("yesterday") are read against that local day.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from dateparser.date import DateDataParser

_PARSER = DateDataParser(languages=["en"], settings={"STRICT_PARSING": True, "RETURN_TIME_AS_PERIOD": True})


def utcnow() -> datetime:
    """Now, timezone-aware UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def utcnow_iso() -> str:
    """Now as an ISO 8601 UTC string."""
    return utcnow().isoformat()


@dataclass(frozen=True)
class Published:
    """A publication time three ways: ``given`` (ISO 8601, a day or a datetime in the offset it
    was given in; a datetime given without an offset stays without one), ``utc`` (the instant,
    a naive time read as UTC; None for a day) and ``day`` (the outlet's local day)."""

    given: str
    utc: str | None
    day: str


def _plausible(year: int) -> bool:
    return 1900 <= year <= 2100


def _from_day(d: date) -> Published | None:
    return Published(d.isoformat(), None, d.isoformat()) if _plausible(d.year) else None


def _from_datetime(dt: datetime) -> Published | None:
    if not _plausible(dt.year):
        return None
    dt = dt.replace(microsecond=0)
    offset = dt.utcoffset()
    if dt.tzinfo is not None and offset is not None:
        dt = dt.replace(tzinfo=timezone(offset))  # a named zone (GMT, EEST) as its fixed offset
        utc = dt.astimezone(timezone.utc)
    else:
        dt = dt.replace(tzinfo=None)
        utc = dt.replace(tzinfo=timezone.utc)
    return Published(dt.isoformat(), utc.isoformat(), dt.date().isoformat())


def _parse_text(text: str) -> Published | None:
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # an ISO day
        try:
            return _from_day(date.fromisoformat(text))
        except ValueError:
            return None
    try:
        return _from_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:  # RFC 2822 (feeds, HTTP headers) always carries a time
        rfc = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        rfc = None
    if rfc is not None:
        written = re.search(r"\b\d{4}\b", text)
        if written and int(written.group()) != rfc.year:  # "0000" read as a two-digit year (2000): no date
            return None
        return _from_datetime(rfc)
    data = _PARSER.get_date_data(text)
    if data.date_obj is None:
        return None
    if data.period == "time":  # the text gave a clock time
        return _from_datetime(data.date_obj)
    if data.period == "day":
        return _from_day(data.date_obj.date())
    return None  # a month or a year is no publication day


def parse_published(value: object) -> Published | None:
    """Publication metadata as :class:`Published`, or None when it is no plausible date.

    Never raises: whatever input it is given (year 0, an out-of-range ``struct_time``, an absurd
    string) that it cannot read is None. Accepts ISO strings, RFC 2822 strings (feeds, HTTP), other
    English date strings,
    ``date``/``datetime`` objects and ``time.struct_time`` (feedparser's times, always UTC instants). Whether a value is a day or an instant is decided
    by what it states (a clock time or none), never by the letters in it. Years 1900..2100 only;
    the caller decides what an unknown date means, never "today".
    """
    if value is None or value == "":
        return None
    try:
        return _parse_value(value)
    except Exception:  # noqa: BLE001 - a date nothing can read is an unknown date, never a failed batch
        return None


def _parse_value(value: object) -> Published | None:
    if isinstance(value, datetime):
        return _from_datetime(value)
    if isinstance(value, date):
        return _from_day(value)
    if hasattr(value, "tm_year"):  # time.struct_time from feedparser: UTC
        fields = tuple(value[:6])  # type: ignore[index]
        try:
            dt = datetime(*fields, tzinfo=timezone.utc)
        except ValueError:
            return None
        return _from_datetime(dt)
    text = str(value).strip()
    return _parse_text(text) if text else None


def normalize_published(value: object) -> str | None:
    """Publication metadata as ISO 8601 as given: ``YYYY-MM-DD`` for a day, else a datetime in the
    offset it was given in (see :func:`parse_published`); None when it does not parse."""
    parsed = parse_published(value)
    return parsed.given if parsed else None


def published_day(published: str | None) -> str | None:
    """The outlet's local ``YYYY-MM-DD`` day of a stored publication value (as given)."""
    parsed = parse_published(published) if published else None
    return parsed.day if parsed else None
