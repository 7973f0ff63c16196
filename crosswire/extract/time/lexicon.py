"""Words, regular-expression atoms and date arithmetic shared by the time-expression rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# ---------------------------------------------------------------- lexicon
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "couple": 2, "half": 0.5,
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
# unit -> (TIMEX3 duration letter, in the time part?, multiplier, point precision)
UNITS = {
    "second": ("S", True, 1, "time"), "minute": ("M", True, 1, "time"), "hour": ("H", True, 1, "time"),
    "day": ("D", False, 1, "day"), "night": ("D", False, 1, "day"), "week": ("W", False, 1, "week"),
    "fortnight": ("W", False, 2, "week"), "month": ("M", False, 1, "month"),
    "quarter": ("M", False, 3, "month"), "year": ("Y", False, 1, "year"),
    "decade": ("Y", False, 10, "year"), "century": ("Y", False, 100, "year"),
    "quarter-century": ("Y", False, 25, "year"), "half-hour": ("M", True, 30, "time"),
}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
SET_ADVERBS = {"annual": "P1Y", "annually": "P1Y", "yearly": "P1Y", "weekly": "P1W", "daily": "P1D",
               "monthly": "P1M", "quarterly": "P3M", "hourly": "PT1H", "nightly": "P1D"}

MONTH_FULL = (  # "may" and "march" only capitalised: they are also a verb
    r"(?:january|february|(?-i:March|MARCH)|april|(?-i:May|MAY)|june|july|august|september|october|november|december)"
)
MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?(?=\s*\d)"
MONTH = rf"(?:{MONTH_FULL}|{MONTH_ABBR})"
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]\d\d|20\d\d)"
_NUMWORD = "|".join(sorted((k for k in NUMBERS if k not in ("a", "an", "half")), key=len, reverse=True))
NUM = (
    rf"(?:(?!0\d)\d+(?:[.,]\d+|\s*\u00bd|\s+1/2)?|(?:{_NUMWORD})(?:[\s-]+(?:one|two|three|four|five|six|seven|eight"
    r"|nine))?(?:[\s-]+and[\s-]+a[\s-]+half)?|an?(?:[\s-]+and[\s-]+a[\s-]+half)?|a\s+couple\s+of|half\s+an?)"
)
VAGUE_NUM = r"(?:several|few|a\s+few|many|some|a\s+couple\s+of|numerous|multiple)"
UNIT = (  # "trading days" count as days; "a quarter-century" is 25 years
    r"(?:seconds?|minutes?|half[\s-]hours?|hours?|(?:(?:trading|business|working|calendar)\s+)?days?|nights?|weeks?"
    r"|fortnights?"
    r"|months?|quarter(?:[\s-]+|\s+of\s+an?\s+)centur(?:y|ies)|quarters?|years?|decades?|centur(?:y|ies))"
)
QUAL = (  # kept in the span, as MEANTIME does ("almost three and a half years"); not focus adverbs ("just one year")
    r"(?:(?:about|around|almost|nearly|roughly|approximately|some|over|more\s+than|less\s+than|at\s+least"
    r"|barely)\s+)?"
)
QUAL_BEFORE_THE = QUAL.replace("|over|", "|")  # "over the past year": "over" is the preposition there
PART = r"(?:morning|afternoon|evening|night)"
TZ = (
    r"(?:\s*\(?\s*(?:UTC|GMT|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|JST|HKT|SGT|AEST|AEDT|IST|MSK"
    r"|ET|PT|greenwich\s+mean\s+time|coordinated\s+universal\s+time|british\s+summer\s+time"
    r"|central\s+european(?:\s+summer)?\s+time|japan(?:ese)?\s+standard\s+time|hong\s+kong\s+time"
    r"|(?:eastern|pacific|central|mountain)(?:\s+(?:standard|daylight))?(?:\s+time)?(?!\s+europe))"
    r"(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?\s*\)?)"
)
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8,
          "pdt": -7, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3, "jst": 9, "hkt": 8, "sgt": 8, "aest": 10,
          "aedt": 11, "ist": 5.5, "msk": 3, "greenwich mean": 0, "coordinated universal": 0, "british summer": 1,
          "central european": 1, "central european summer": 2, "japan standard": 9, "japanese standard": 9,
          "hong kong": 8}
_US_STANDARD = {"eastern": -5, "et": -5, "central": -6, "mountain": -7, "pacific": -8, "pt": -8}
AMPM = r"(?:a\.?\s?m\.?|p\.?\s?m\.?)"


@dataclass
class Context:
    """What normalising one span may use: the reference date and the tense around the span."""

    dct: date | None
    tense: str = "past"  # "past" | "present" | "future" | "scheduled" (simple present of an event verb)
    anchor_day: date | None = None  # the day a bare clock time refers to (a date earlier in the sentence)
    last_day: date | None = None  # the last day-precise date mentioned before the span (anaphora)
    last_year: int | None = None  # the year of the last date mentioned before the span (anaphora)
    last_period: str | None = None  # the last month, quarter, half, week or year value mentioned ("2009-Q1")
    sentence_period: str | None = None  # the same, mentioned earlier in the span's sentence
    zone: str | None = None  # the time zone named earlier in the sentence ("2:42 p.m. EDT ... 3:07 p.m.")
    period_latest: bool = False  # last_period was named after last_day ("last week ... the previous week")


@dataclass
class Norm:
    """What a rule makes of a span: TIMEX3 type and value, precision, whether the DCT was used."""

    type: str
    value: str | None
    precision: str | None
    anchor_used: bool


# ---------------------------------------------------------------- helpers
def number(text: str) -> float | None:
    """A count written in digits or words ("27", "1.5", "twenty-five", "two and a half"), else None."""
    t = re.sub(r"\s+", " ", text.strip().lower()).replace("-", " ").replace("\u00bd", " and a half")
    t = re.sub(r"\s*\b1/2$", " and a half", t)
    half = t.endswith(" and a half")
    if half:
        t = t[: -len(" and a half")].strip()
    if t in ("half a", "half an"):
        return 0.5
    if t == "a couple of":
        return 2
    try:
        if re.fullmatch(r"\d{1,3}(,\d{3})+", t):
            value = float(t.replace(",", ""))
        else:
            value = float(t.replace(",", "."))
    except ValueError:
        parts = t.split()
        if not parts or any(p not in NUMBERS for p in parts):
            return None
        value = float(sum(NUMBERS[p] for p in parts))
    return value + 0.5 if half else value


def fmt_num(n: float | None) -> str:
    if n is None:
        return "X"
    return str(int(n)) if n == int(n) else f"{n:g}"


def unit_of(word: str) -> str:
    """The UNITS key of a unit word: "weeks" -> "week", "trading days" -> "day", "quarter century"."""
    w = re.sub(r"[\s-]+", " ", word.lower()).strip()
    if w.startswith("quarter") and "cent" in w:
        return "quarter-century"
    if w.startswith("half hour"):
        return "half-hour"
    w = w.split()[-1].rstrip("s")
    return "century" if w.startswith("centur") else w


def duration(n: float | None, unit: str) -> str:
    """A TIMEX3 duration: ``P2W``, ``P1.5Y``, ``PT30M``, ``PXY`` (unknown count)."""
    letter, in_time, mult, _ = UNITS[unit]
    return ("PT" if in_time else "P") + fmt_num(None if n is None else n * mult) + letter


def _us_summer_time(d: date) -> bool:
    """US daylight saving time: second Sunday of March to first Sunday of November (April-October before 2007)."""
    def sunday(month: int, n: int) -> date:  # n-th Sunday, n = -1 the last
        if n > 0:
            first = date(d.year, month, 1)
            return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
        last = date(d.year, month + 1, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - 6) % 7)

    start, end = (sunday(3, 2), sunday(11, 1)) if d.year >= 2007 else (sunday(4, 1), sunday(10, -1))
    return start <= d < end


def utc_offset(zone: str, day: date) -> float | None:
    """Hours a named time zone is ahead of UTC on a day ("EDT" -4, "Eastern time" -4 or -5, "GMT +8" 8)."""
    z = re.sub(r"[\s()]+", " ", zone.lower()).strip()
    m = re.fullmatch(r"(?P<name>[a-z ]+?)(?:\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<mi>\d\d))?)?", z)
    if m is None:
        return None
    name = re.sub(r"\s+time$", "", m["name"].strip())
    extra = 0.0
    if m["sign"]:
        extra = (int(m["h"]) + int(m["mi"] or 0) / 60) * (1 if m["sign"] == "+" else -1)
    if name in _ZONES:
        return _ZONES[name] + extra
    parts = name.split()
    if parts and parts[0] in _US_STANDARD:
        base = _US_STANDARD[parts[0]]
        if "daylight" in parts or ("standard" not in parts and _us_summer_time(day)):
            base += 1
        return base + extra
    return None


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def norm_date(d: date, precision: str, anchored: bool = True) -> Norm:
    if precision == "week":
        return Norm("DATE", iso_week(d), "week", anchored)
    if precision == "month":
        return Norm("DATE", month_value(d.year, d.month), "month", anchored)
    if precision == "year":
        return Norm("DATE", f"{d.year:04d}", "year", anchored)
    return Norm("DATE", d.isoformat(), "day", anchored)


def shift(d: date, n: int, unit: str) -> date:
    """``d`` moved by ``n`` units (negative: back); months and years clip the day to the month's end."""
    if unit in ("day", "night"):
        return d + timedelta(days=n)
    if unit in ("week", "fortnight"):
        return d + timedelta(weeks=n * (2 if unit == "fortnight" else 1))
    months = n * {"month": 1, "quarter": 3, "year": 12, "decade": 120, "quarter-century": 300, "century": 1200}[unit]
    y, m = add_months(d.year, d.month, months)
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    return date(y, m, 28)


def resolve_month_day(month: int, day: int, ctx: Context) -> Norm | None:
    """A day and month without a year: the year that puts it nearest the DCT, biased by tense."""
    if ctx.dct is None:
        return Norm("DATE", f"XXXX-{month:02d}-{day:02d}", "day", False)
    best: tuple[int, date] | None = None
    for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        delta = (d - ctx.dct).days
        against_tense = (ctx.tense == "past" and delta > 0) or (ctx.tense == "future" and delta < 0)
        cost = abs(delta) + (120 if against_tense else 0)
        if best is None or cost < best[0]:
            best = (cost, d)
    return norm_date(best[1], "day") if best else None


def resolve_month(month: int, ctx: Context) -> Norm:
    """A month without a year: the most recent one in the past tense, the next in the future."""
    if ctx.dct is None:
        return Norm("DATE", f"XXXX-{month:02d}", "month", False)
    y, diff = ctx.dct.year, month - ctx.dct.month
    if ctx.tense == "past" and diff > 0:
        y -= 1
    elif ctx.tense == "future" and diff < 0:
        y += 1
    elif ctx.tense in ("present", "scheduled"):
        y += -1 if diff > 6 else 1 if diff < -6 else 0
    return Norm("DATE", month_value(y, month), "month", True)


def resolve_weekday(wd: int, ctx: Context, modifier: str = "") -> date | None:
    """The date of a weekday name: ``last``/``next`` as said, else by tense; the DCT's own weekday is the DCT."""
    if ctx.dct is None:
        return None
    back = (ctx.dct.weekday() - wd) % 7
    fwd = (wd - ctx.dct.weekday()) % 7
    if modifier in ("last", "past", "previous"):
        return ctx.dct - timedelta(days=back or 7)
    if modifier in ("next", "coming"):
        return ctx.dct + timedelta(days=fwd or 7)
    if modifier == "this" or ctx.tense in ("future", "scheduled"):
        return ctx.dct + timedelta(days=fwd)
    if ctx.tense == "present" and fwd < back:
        return ctx.dct + timedelta(days=fwd)
    return ctx.dct - timedelta(days=back)
