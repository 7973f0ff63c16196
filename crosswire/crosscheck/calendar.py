"""Calendar claims: a weekday named with a date, and time elapsed ("nearly two years ago").

Pure functions over dates and strings. :func:`weekday_check` compares a named weekday with the
proleptic Gregorian calendar (Python's ``date.weekday``): the tolerance is exact. :func:`elapsed_check`
compares "N years ago" / "N years since X" with the time from a date the story gives to the
publication date, in years of 365.2425 days (months of a twelfth of that). A written qualifier
sets the interval the claim allows, in units of the number:

- none ("two years ago"), "about", "around", "roughly", "approximately", "some": N +- 0.5
- "nearly", "almost", "close to", "just under", "not quite", "approaching": [N - 0.5, N]
- "more than", "over", "just over", "well over", "upwards of": > N; "at least": >= N
- "less than", "under", "fewer than": < N
- "exactly", "precisely": N +- 1/12 (a month either way)

A reference date known only to the month or year is an interval: the verdict is "inconsistent"
only when no day of it fits the claim, "consistent" only when every day does, else "unverifiable".

The finders (:func:`find_weekday_dates`, :func:`find_elapsed`, :func:`find_anniversaries`) read the
phrases from text with regular expressions and return spans, so callers can tie them to facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from crosswire.extract.quantities.numbers import TENS, UNITS
from crosswire.extract.published import MONTHS

__all__ = ["weekday_check", "elapsed_check", "elapsed_bounds", "parse_when", "ordinal_value",
           "cardinal_value", "find_weekday_dates", "find_elapsed", "find_anniversaries",
           "WeekdayDate", "Elapsed", "Anniversary", "YEAR_DAYS"]

YEAR_DAYS = 365.2425
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# ---------------------------------------------------------------- values
def parse_when(value: Any) -> tuple[date, date, str] | None:
    """(first day, last day, precision) of a date, ISO string or TIMEX3 value ("2022", "2022-02",
    "2022-02-24", "2024-07-07TNI"); None for anything else (durations, PAST_REF, weeks...)."""
    if isinstance(value, date):
        return value, value, "day"
    if not isinstance(value, str):
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$", value.strip())
    if not m:
        return None
    y = int(m[1])
    try:
        if m[3]:
            d = date(y, int(m[2]), int(m[3]))
            return d, d, "day"
        if m[2]:
            first = date(y, int(m[2]), 1)
            nxt = date(y + (first.month == 12), first.month % 12 + 1, 1)
            return first, nxt - timedelta(days=1), "month"
        return date(y, 1, 1), date(y, 12, 31), "year"
    except ValueError:
        return None


_ORD_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
              "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
              "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
              "nineteenth": 19}
_ORD_TENS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
             "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100}
ORDINAL = (r"(?:\d{1,3}(?:st|nd|rd|th)|(?:(?:" + "|".join(TENS) + r")[\s-])?(?:" + "|".join(_ORD_UNITS)
           + r")|(?:one\s+)?(?:" + "|".join(_ORD_TENS) + r"))")


def ordinal_value(text: str) -> int | None:
    """"76th" -> 76, "seventy-fifth" -> 75, "second" -> 2, "hundredth" -> 100; else None."""
    t = text.strip().lower()
    m = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", t)
    if m:
        return int(m[1])
    parts = re.split(r"[\s-]+", t)
    if parts and parts[0] == "one":
        parts = parts[1:]
    if len(parts) == 1:
        return _ORD_UNITS.get(parts[0]) or _ORD_TENS.get(parts[0])
    if len(parts) == 2 and parts[0] in TENS and parts[1] in _ORD_UNITS and _ORD_UNITS[parts[1]] < 10:
        return TENS[parts[0]] + _ORD_UNITS[parts[1]]
    return None


_CARD_WORDS = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
CARDINAL = (rf"(?:\d+(?:\.\d+)?|(?:a|an|{_CARD_WORDS})(?:[\s-](?:{'|'.join(k for k in UNITS if UNITS[k] < 10)}))?)"
            r"(?:\s+and\s+a\s+half)?")


def cardinal_value(text: str) -> float | None:
    """"two" -> 2, "a" -> 1, "twenty-five" -> 25, "2.5" -> 2.5, "two and a half" -> 2.5; else None."""
    t = text.strip().lower()
    half = 0.0
    if t.endswith("and a half"):
        half, t = 0.5, t[: -len("and a half")].strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t) + half
    parts = re.split(r"[\s-]+", t)
    if parts[0] in ("a", "an") and len(parts) == 1:
        return 1.0 + half
    total = 0
    for p in parts:
        if p in TENS:
            total += TENS[p]
        elif p in UNITS:
            total += UNITS[p]
        else:
            return None
    return float(total) + half


# ---------------------------------------------------------------- weekday
def _weekday_index(weekday: str | int) -> int:
    if isinstance(weekday, int):
        return weekday
    w = weekday.strip().lower()[:3]
    for i, name in enumerate(WEEKDAYS):
        if name.lower().startswith(w):
            return i
    raise ValueError(f"not a weekday: {weekday!r}")


def weekday_check(day: date | str, weekday: str | int) -> dict[str, Any]:
    """Whether ``day`` (a date or ISO string) falls on ``weekday`` ("Friday", "fri" or 0..6 from Monday)."""
    d = day if isinstance(day, date) else date.fromisoformat(day[:10])
    claimed, actual = WEEKDAYS[_weekday_index(weekday)], WEEKDAYS[d.weekday()]
    ok = claimed == actual
    return {
        "verdict": "consistent" if ok else "inconsistent",
        "claimed": {"weekday": claimed, "date": d.isoformat()},
        "computed": {"weekday": actual},
        "tolerance": "exact",
        "detail": f"{d.strftime('%B')} {d.day}, {d.year} was a {actual}" +
                  ("." if ok else f", not a {claimed} (Gregorian calendar)."),
    }


# ---------------------------------------------------------------- elapsed time
QUALIFIERS = {
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
    "not quite": "nearly", "approaching": "nearly",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "more than": "more_than", "over": "more_than", "just over": "more_than", "well over": "more_than",
    "upwards of": "more_than", "at least": "at_least",
    "less than": "less_than", "under": "less_than", "fewer than": "less_than",
    "exactly": "exactly", "precisely": "exactly",
}
_RULES = {
    None: "'N' = N +- 0.5", "about": "'about N' = N +- 0.5", "nearly": "'nearly N' = [N - 0.5, N]",
    "more_than": "'more than N' > N", "at_least": "'at least N' >= N", "less_than": "'less than N' < N",
    "exactly": "'exactly N' = N +- 1/12",
}


def elapsed_bounds(n: float, qualifier: str | None) -> tuple[float, float | None, str]:
    """(low, high or None, rule) of the amount a qualified "N" allows (see the module docstring)."""
    q = QUALIFIERS.get(qualifier or "", qualifier)
    if q == "nearly":
        return n - 0.5, n, _RULES[q]
    if q in ("more_than", "at_least"):
        return n, None, _RULES[q]
    if q == "less_than":
        return 0.0, n, _RULES[q]
    if q == "exactly":
        return n - 1 / 12, n + 1 / 12, _RULES[q]
    return max(0.0, n - 0.5), n + 0.5, _RULES.get(q, _RULES[None])


def _amount(d0: date, d1: date, unit: str) -> float:
    years = (d1 - d0).days / YEAR_DAYS
    return years * 12 if unit == "month" else years / 10 if unit == "decade" else years


def elapsed_check(n: float, qualifier: str | None, unit: str, since: Any, until: date | str,
                  text: str | None = None) -> dict[str, Any]:
    """Whether "``qualifier`` ``n`` ``unit``s" (as written: ``text``) fits the time from ``since``
    (a date, ISO or TIMEX value; an interval when only the month or year is known) to ``until``."""
    unit = unit.rstrip("s")
    end = until if isinstance(until, date) else date.fromisoformat(until[:10])
    when = parse_when(since)
    if when is None:
        raise ValueError(f"not a date: {since!r}")
    first, last, precision = when
    lo_amount, hi_amount = _amount(last, end, unit), _amount(first, end, unit)
    low, high, rule = elapsed_bounds(n, qualifier)
    q = QUALIFIERS.get(qualifier or "", qualifier)
    strict_low, strict_high = q == "more_than", q == "less_than"

    def fits(x: float) -> bool:
        above = x > low if strict_low else x >= low
        below = True if high is None else (x < high if strict_high else x <= high)
        return above and below

    if fits(lo_amount) and fits(hi_amount):
        verdict = "consistent"
    elif (high is not None and lo_amount > high) or hi_amount < low or \
            (strict_low and hi_amount <= low) or (strict_high and high is not None and lo_amount >= high):
        verdict = "inconsistent"
    else:
        verdict = "unverifiable"
    amount = round((lo_amount + hi_amount) / 2, 2)
    words = text or f"{qualifier + ' ' if qualifier else ''}{n:g} {unit}{'s' if n != 1 else ''}"
    span = f"{amount:g} {unit}s" if precision == "day" else \
        f"{round(lo_amount, 2):g} to {round(hi_amount, 2):g} {unit}s"
    return {
        "verdict": verdict,
        "claimed": {"amount": n, "unit": unit, "qualifier": qualifier},
        "computed": {"amount": amount, "low": round(lo_amount, 2), "high": round(hi_amount, 2),
                     "since": first.isoformat() if precision == "day" else since, "until": end.isoformat()},
        "tolerance": {"low": round(low, 3), "high": None if high is None else round(high, 3), "rule": rule},
        "detail": f"From {_show(first, last, precision)} to {end.isoformat()} is {span}: '{words}' allows "
                  f"{_allowed(low, high, strict_low, strict_high, unit)}.",
    }


def _show(first: date, last: date, precision: str) -> str:
    return first.isoformat() if precision == "day" else f"{first.isoformat()[:7 if precision == 'month' else 4]}"


def _allowed(low: float, high: float | None, sl: bool, sh: bool, unit: str) -> str:
    if high is None:
        return f"{'more than' if sl else 'at least'} {low:g} {unit}s"
    if low <= 0 and sh:
        return f"less than {high:g} {unit}s"
    return f"{round(low, 2):g} to {round(high, 2):g} {unit}s"


# ---------------------------------------------------------------- finders
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d)(?!\d))?"
_WD = r"(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
_WEEKDAY_PATTERNS = [
    re.compile(_WD + r",?\s+\(?" + _MONTH + r"\s+" + _DAY + _YEAR, re.I),
    re.compile(_WD + r",?\s+\(?(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MONTH + _YEAR, re.I),
]


@dataclass
class WeekdayDate:
    """A weekday written with a date: "Friday, March 14, 2025" (year None when not written)."""

    start: int
    end: int
    text: str
    weekday: str
    month: int
    day: int
    year: int | None


def find_weekday_dates(text: str) -> list[WeekdayDate]:
    """Every weekday written with a day and month (and maybe a year), in text order."""
    out: dict[int, WeekdayDate] = {}
    for pattern in _WEEKDAY_PATTERNS:
        for m in pattern.finditer(text):
            if not m["wd"][0].isupper() or m.start() in out:
                continue
            out[m.start()] = WeekdayDate(m.start(), m.end(), m.group(0), m["wd"].capitalize(),
                                         MONTHS[m["month"].lower().rstrip(".")], int(m["day"]),
                                         int(m["year"]) if m["year"] else None)
    return [out[k] for k in sorted(out)]


_QUAL = "|".join(sorted((re.escape(q).replace(r"\ ", r"\s+") for q in QUALIFIERS), key=len, reverse=True))
_UNIT = r"(?P<u>years?|months?|decades?)"
_ELAPSED = [
    ("ago", re.compile(rf"(?<![\w-])(?:(?P<q>{_QUAL})\s+)?(?P<n>{CARDINAL})[\s-]+{_UNIT}\s+ago\b", re.I)),
    ("since", re.compile(rf"(?<![\w-])(?:(?P<q>{_QUAL})\s+)?(?P<n>{CARDINAL})[\s-]+{_UNIT}\s+"
                         rf"(?:since|into)\s+(?P<what>[^.;:!?\n,]{{3,80}})", re.I)),
]


@dataclass
class Elapsed:
    """ "nearly two years ago" / "more than two years since the invasion": time until publication."""

    start: int
    end: int
    text: str
    form: str  # "ago" | "since"
    amount: float
    unit: str  # "year" | "month" | "decade"
    qualifier: str | None
    what: str | None  # the words after "since"/"into", else None (the caller reads the clause)


def find_elapsed(text: str) -> list[Elapsed]:
    """Every "N years ago" and "N years since/into X" in the text."""
    out = []
    for form, pattern in _ELAPSED:
        for m in pattern.finditer(text):
            n = cardinal_value(m["n"])
            if n is None or (m["n"].lower() in ("a", "an") and m["q"] is None and form == "since"):
                continue
            q = re.sub(r"\s+", " ", m["q"].lower()) if m["q"] else None
            end = m.end() if form == "ago" else m.end("u")
            out.append(Elapsed(m.start(), end, text[m.start():end], form, n, m["u"].lower().rstrip("s"), q,
                               m.groupdict().get("what")))
    return sorted(out, key=lambda e: e.start)


_ANNIV = re.compile(rf"(?<![\w-])(?P<ord>{ORDINAL})[\s-]+anniversary\b", re.I)


@dataclass
class Anniversary:
    """ "the 76th anniversary": the ordinal and the span."""

    start: int
    end: int
    text: str
    n: int


def find_anniversaries(text: str) -> list[Anniversary]:
    """Every "Nth anniversary" in the text (ordinals in digits or words)."""
    out = []
    for m in _ANNIV.finditer(text):
        n = ordinal_value(m["ord"])
        if n:
            out.append(Anniversary(m.start(), m.end(), m.group(0), n))
    return out
