"""Normalisation rules for calendar periods: quarters, halves, fiscal years, seasons, year ends,
centuries, and periods named against another one ("the same quarter last year", "the year-ago
period", "the January-March quarter").

The rules register themselves with :func:`crosswire.extract.time.rules.rule` when this module is
imported (:mod:`crosswire.extract.time.timex` does). A period named by anaphora ("the quarter", "the
previous quarter", "the same quarter a year earlier") starts from ``Context.last_period``, the last
month, quarter, half, week or year mentioned, when it is within a year of the reference date.
Values: ``2009-Q1``, ``2009-H2``, ``FY2009``, ``2009-SU``, ``19`` (the 20th century).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from crosswire.extract.time.lexicon import MONTHS, ORDINALS, SEASONS, YEAR, Context, Norm, month_value
from crosswire.extract.time.rules import EDGE, full_year, rule

_Q = re.compile(r"(?P<fy>FY)?(?P<y>\d{4})-(?P<letter>[QH])(?P<k>[1-4])")
_PERIOD = re.compile(r"(?P<fy>FY)?(?P<y>\d{4})(?P<rest>-(?:Q[1-4]|H[12]|W\d\d|[01]\d|SP|SU|FA|WI))?")
_SIZE = {"Q": 3, "H": 6}


def _focus(ctx: Context) -> str | None:
    """The period in focus: the last one mentioned, if within a year or so of the reference date."""
    v = ctx.last_period
    if v is None:
        return None
    m = _PERIOD.fullmatch(v)
    if m is None or (ctx.dct is not None and abs(int(m["y"]) - ctx.dct.year) > 1):
        return None
    return v


def _step(y: int, k: int, n: int, letter: str) -> tuple[int, int]:
    per_year = 12 // _SIZE[letter]
    i = y * per_year + (k - 1) + n
    return i // per_year, i % per_year + 1


def _current(ctx: Context, letter: str) -> tuple[int, int]:
    d = ctx.dct
    assert d is not None
    return d.year, (d.month - 1) // _SIZE[letter] + 1


def _reported(ctx: Context, letter: str) -> tuple[int, int]:
    """"the quarter" with nothing in focus: the one just ended early in a quarter, else the current one."""
    y, k = _current(ctx, letter)
    d = ctx.dct
    assert d is not None
    if letter == "Q" and (d.month - 1) % 3 == 0 and ctx.tense != "future":
        return _step(y, k, -1, letter)
    return y, k


def with_year(value: str, years: int = 0, year: int | None = None) -> str | None:
    """A period value moved by whole years, or put in ``year``: ``2009-Q1`` -> ``2008-Q1``."""
    m = _PERIOD.fullmatch(value)
    if m is None:
        return None
    y = year if year is not None else int(m["y"]) + years
    return f"{m['fy'] or ''}{y:04d}{m['rest'] or ''}"


# ---------------------------------------------------------------- fiscal years
@rule(
    "fiscal_year",
    rf"{EDGE}(?:the\s+)?(?:(?P<mod>this|last|next|current|previous|coming|past)|(?P<y>{YEAR}))?\s*"
    r"(?:fiscal|financial)\s+year",
)
def _fiscal_year(m: re.Match[str], ctx: Context) -> Norm | None:
    """"this fiscal year" (the reference date's year), "the 2007 fiscal year": ``FY2007``."""
    if m["y"]:
        return Norm("DATE", f"FY{m['y']}", None, False)
    if ctx.dct is None:
        return Norm("DATE", None, None, False)
    step = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get((m["mod"] or "").lower(), 0)
    return Norm("DATE", f"FY{ctx.dct.year + step}", None, True)


# ---------------------------------------------------------------- quarters and halves
_QUARTER = (
    rf"{EDGE}(?:(?P<pre>last|this|next)\s+year\s*'s\s+|(?P<prey>{YEAR})\s+|(?P<the>the|that)\s+)?"
    r"(?:(?:fiscal|financial)\s+)?(?P<mod>last|latest|most\s+recent|past|previous|prior|preceding|current|present"
    r"|next|coming|following|this|same|final)?\s*(?:(?:fiscal|financial)\s+)?"
    r"(?P<o>first|second|third|fourth|1st|2nd|3rd|4th)?[\s-]*(?:(?:fiscal|financial)[\s-]+)?(?P<u>quarter|half)"
    rf"(?:\s+of\s+(?:the\s+)?(?:(?:fiscal|financial)\s+)?(?:year\s+)?(?P<y>{YEAR})"
    r"|\s+of\s+(?:(?P<ry>this|last|next)|the(?:\s+(?P<ryt>current|previous|prior|following|next))?)"
    r"\s+(?:(?:fiscal|financial)\s+)?year)?"
)


@rule("quarter", _QUARTER, search=_QUARTER + r"(?![\s-]*(?:point|percent|mile|hour|centur))")
def _quarter(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the third quarter (of 2008)", "first-half", "last quarter", "the quarter" (the one in focus)."""
    letter = "Q" if m["u"].lower() == "quarter" else "H"
    mod = re.sub(r"most\s+recent", "latest", (m["mod"] or "").lower())
    if not (mod or m["o"] or (m["the"] and letter == "Q")):
        return None
    y: int | None = None
    if m["y"] or m["prey"]:
        y = int(m["y"] or m["prey"])
    elif ctx.dct is not None and (m["pre"] or m["ry"] or m["ryt"] or "of the" in m.group(0).lower()):
        rel = (m["pre"] or m["ry"] or m["ryt"] or "this").lower()
        y = ctx.dct.year + {"last": -1, "previous": -1, "prior": -1, "next": 1, "following": 1}.get(rel, 0)
    if m["o"]:
        k = ORDINALS[m["o"].lower()]
        if letter == "H" and k > 2:
            return None
        if y is None and ctx.dct is not None:
            y, cur = _current(ctx, letter)
            if mod in ("last", "previous", "past", "prior") or (k > cur and ctx.tense != "future"):
                y -= 1
    elif y is not None:  # "the last quarter of 2008"
        if mod not in ("last", "final"):
            return None
        k = 12 // _SIZE[letter]
    else:
        if ctx.dct is None:
            return Norm("DATE", None, None, False)
        focus = _focus(ctx)
        fm = _Q.fullmatch(focus) if focus else None
        anaphoric = mod in ("", "same", "previous", "prior", "preceding", "following") and m["the"]
        if fm and fm["letter"] == letter and anaphoric:  # "the previous quarter": before the one in focus
            y, k = int(fm["y"]), int(fm["k"])
        elif mod in ("", "same"):
            y, k = _reported(ctx, letter)
        else:
            y, k = _current(ctx, letter)
        step = {"last": -1, "latest": -1, "past": -1, "previous": -1, "prior": -1, "preceding": -1, "next": 1,
                "coming": 1, "following": 1}.get(mod, 0)
        y, k = _step(y, k, step, letter)
        return Norm("DATE", f"{y}-{letter}{k}", None, True)
    if y is None:
        return Norm("DATE", f"XXXX-{letter}{k}", None, False)
    return Norm("DATE", f"{y}-{letter}{k}", None, not (m["y"] or m["prey"]))


@rule("q_short", rf"(?P<q>Q[1-4]|H[12])(?:\s*(?P<y>{YEAR}|'\d\d))?", search=True)
def _q_short(m: re.Match[str], ctx: Context) -> Norm | None:
    q = m["q"].upper()
    if m["y"]:
        return Norm("DATE", f"{full_year(m['y'], ctx)}-{q}", None, False)
    if ctx.dct is None:
        return Norm("DATE", f"XXXX-{q}", None, False)
    size = 3 if q[0] == "Q" else 6
    cur = (ctx.dct.month - 1) // size + 1
    y = ctx.dct.year - (1 if int(q[1]) > cur and ctx.tense != "future" else 0)
    return Norm("DATE", f"{y}-{q}", None, True)


_MONTH_NAME = (
    r"(?:january|february|(?-i:March|MARCH)|april|(?-i:May|MAY)|june|july|august|september|october|november"
    r"|december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)"
)


@rule(
    "month_range_period",
    rf"(?:the\s+)?(?P<m1>{_MONTH_NAME})\s*(?:-|to|through)\s*(?P<m2>{_MONTH_NAME})\s+(?P<u>quarter|half|period)"
    rf"(?:\s+(?:of\s+)?(?P<y>{YEAR}))?",
)
def _month_range_period(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the January-March quarter" is the first quarter; "the July-December period" the second half."""
    a, b = MONTHS[m["m1"].lower().rstrip(".")], MONTHS[m["m2"].lower().rstrip(".")]
    if b - a == 2 and a % 3 == 1:
        label = f"Q{(a - 1) // 3 + 1}"
    elif b - a == 5 and a in (1, 7):
        label = f"H{(a - 1) // 6 + 1}"
    else:
        return None
    if m["y"]:
        return Norm("DATE", f"{m['y']}-{label}", None, False)
    if ctx.dct is None:
        return Norm("DATE", f"XXXX-{label}", None, False)
    y = ctx.dct.year
    if ctx.tense != "future" and a > ctx.dct.month:
        y -= 1
    return Norm("DATE", f"{y}-{label}", None, True)


@rule(
    "week_of_month",
    rf"(?:the\s+)?(?P<o>first|second|third|fourth|last|final)\s+week\s+of\s+(?P<m>{_MONTH_NAME})"
    rf"(?:\s*,?\s*(?P<y>{YEAR}))?",
)
def _week_of_month(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the first week of October": the ISO week whose Thursday is the month's first (last...) Thursday."""
    month = MONTHS[m["m"].lower().rstrip(".")]
    if m["y"]:
        y = int(m["y"])
    elif ctx.dct is None:
        return Norm("DATE", None, "week", False)
    else:
        y = ctx.dct.year
        if ctx.tense == "past" and month > ctx.dct.month:
            y -= 1
        elif ctx.tense == "future" and month < ctx.dct.month:
            y += 1
    o = m["o"].lower()
    first = date(y, month, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    if o in ("last", "final"):
        while (thursday + timedelta(weeks=1)).month == month:
            thursday += timedelta(weeks=1)
    else:
        thursday += timedelta(weeks=ORDINALS[o] - 1)
    iy, iw, _ = thursday.isocalendar()
    return Norm("DATE", f"{iy}-W{iw:02d}", "week", not m["y"])


# ---------------------------------------------------------------- a period against another one
_SAME_UNIT = r"(?P<u>period|quarter|half|month|week|time|season)"
_A_YEAR_BEFORE = (
    r"(?:(?:of|in)\s+)?(?:last|the\s+last|the\s+previous|the\s+prior|the\s+preceding)\s+year"
    r"|a\s+year\s+(?:ago|earlier|before)|the\s+year\s+(?:before|earlier)"
)


@rule(
    "same_period",
    rf"(?:the|that)\s+(?:same|comparable|corresponding|equivalent|like)\s+{_SAME_UNIT}"
    rf"\s+(?:(?P<back>{_A_YEAR_BEFORE})|(?:(?:of|in)\s+)?(?P<y>{YEAR}))"
    r"|the\s+(?:year[\s-]+(?:ago|earlier|before)|(?:prior|previous)[\s-]+year(?:'s)?|last\s+year's)\s+"
    r"(?P<u2>period|quarter|half|month|week|season)",
)
def _same_period(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the same period last year", "the year-ago quarter": the period in focus, a year before (or in
    the year named); without one in focus, the reference date's month, quarter... or year."""
    unit = (m["u"] or m["u2"]).lower()
    year = int(m["y"]) if m["y"] else None
    focus = _focus(ctx)
    fits = {
        "quarter": lambda v: "-Q" in v, "half": lambda v: "-H" in v, "week": lambda v: "-W" in v,
        "month": lambda v: re.fullmatch(r"\d{4}-\d\d", v) is not None,
        "season": lambda v: re.search(r"-(SP|SU|FA|WI)$", v) is not None,
    }.get(unit, lambda v: True)
    if focus is None or not fits(focus):
        if ctx.dct is None:
            return Norm("DATE", None, None, False)
        d = ctx.dct
        if unit == "quarter":
            y, k = _reported(ctx, "Q")
            focus = f"{y}-Q{k}"
        elif unit == "half":
            focus = f"{d.year}-H{(d.month - 1) // 6 + 1}"
        elif unit == "month":
            focus = month_value(d.year, d.month)
        elif unit == "week":
            y, w, _ = d.isocalendar()
            focus = f"{y}-W{w:02d}"
        else:
            focus = str(d.year)
    value = with_year(focus, -1, year)
    return Norm("DATE", value, None, year is None)


# ---------------------------------------------------------------- year ends, seasons, centuries
@rule(
    "period_end",
    rf"(?:the\s+)?(?:(?P<y>{YEAR})\s+)?(?P<u>year|month|quarter)[\s-]?end|mid-?year|the\s+middle\s+of\s+the\s+year",
)
def _period_end(m: re.Match[str], ctx: Context) -> Norm | None:
    """"by year-end": the current year (the last one, just after new year in the past tense)."""
    if m["y"]:
        return Norm("DATE", m["y"], "year", False)
    if ctx.dct is None:
        return Norm("DATE", None, None, False)
    d, unit = ctx.dct, (m["u"] or "year").lower()
    if unit == "quarter":
        y, k = _reported(ctx, "Q")
        return Norm("DATE", f"{y}-Q{k}", None, True)
    if unit == "month":
        back = ctx.tense == "past" and d.day <= 7
        y, mo = (d.year, d.month - 1) if back and d.month > 1 else (d.year - 1, 12) if back else (d.year, d.month)
        return Norm("DATE", month_value(y, mo), "month", True)
    y = d.year - (1 if ctx.tense == "past" and d.month <= 2 and m["u"] else 0)
    return Norm("DATE", str(y), "year", True)


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_SEASON = (
    r"(?:(?P<mod>this\s+past|this|last|next|coming|early|late|the)[\s-]+)?(?P<s>spring|summer|autumn|fall|winter)"
    rf"(?:\s+(?:of\s+)?(?P<y>{YEAR})|\s+of\s+(?P<ry>this|last|next)\s+year)?"
)


@rule(  # in running text only with a modifier or a year, and "the fall" not before "of" ("the fall of Lehman")
    "season",
    _SEASON,
    search=r"(?:(?:this\s+past|this|last|next|coming|early|late|the)[\s-]+(?:spring|summer|autumn|fall|winter)"
    rf"|(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{YEAR})"
    rf"(?:\s+(?:of\s+)?{YEAR}|\s+of\s+(?:this|last|next)\s+year)?(?!\s+of\b)",
)
def _season(m: re.Match[str], ctx: Context) -> Norm | None:
    """"this summer", "last fall", "the spring of 2009"; the nearest one in the tense's direction."""
    season = SEASONS[m["s"].lower()]
    if m["y"]:
        return Norm("DATE", f"{m['y']}-{season}", None, False)
    if m["ry"] and ctx.dct is not None:  # "the summer of last year"
        y = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[m["ry"].lower()]
        return Norm("DATE", f"{y}-{season}", None, True)
    mod = re.sub(r"^this\s+past$", "last", (m["mod"] or "").lower())
    if not mod and season in ("SP", "FA"):  # "spring" and "fall" alone are verbs as often as seasons
        return None
    if ctx.dct is None:
        return Norm("DATE", f"XXXX-{season}", None, False)
    d, start = ctx.dct, _SEASON_START[season]
    y = d.year
    in_or_after = d.month >= start or (season == "WI" and d.month <= 2)
    if season == "WI" and d.month <= 2:
        y -= 1  # January 2009 is in the winter of 2008
    ended = season != "WI" and d.month >= start + 3
    if mod == "last":
        y -= 0 if ended else 1
    elif mod in ("next", "coming"):
        y += 1 if in_or_after else 0
    elif ctx.tense == "past" and not in_or_after:
        y -= 1
    elif ctx.tense == "future" and ended:
        y += 1
    return Norm("DATE", f"{y}-{season}", None, True)


_CENTURY_WORDS = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty first": 21}


@rule(
    "century",
    rf"{EDGE}(?:the\s+)?(?:(?P<n>1\d|2[0-2])(?:st|nd|rd|th)|(?P<w>eighteenth|nineteenth|twentieth|twenty[\s-]first))"
    r"[\s-]+century",
)
def _century(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the 20th century" is ``19`` (the years 19xx)."""
    n = int(m["n"]) if m["n"] else _CENTURY_WORDS[re.sub(r"[\s-]+", " ", m["w"].lower())]
    return Norm("DATE", f"{n - 1:02d}", None, False)
