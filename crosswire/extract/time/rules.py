"""Normalisation rules for time expressions: span text + context -> TIMEX3 type, value, precision.

Each rule is a regular expression that must match the whole (cleaned) span and a handler that
computes the value from the match and a :class:`Context` (the reference date and the tense of the
governing verb). The same patterns, searched in running text, propose candidate spans
(``SEARCH_PATTERNS``). Values follow TIMEX3: ``2024-07-08``, ``2024-07``, ``2024``, ``2024-W28``,
``2024-W28-WE``, ``2024-Q3``, ``2024-H1``, ``2024-SU``, ``199`` (the 1990s), ``2024-07-08TNI``,
``2024-07-08T20:00``, ``P2W``, ``PT30M``, ``PXY``, ``PAST_REF``/``PRESENT_REF``/``FUTURE_REF``,
``XXXX-07-08`` and ``XXXX-WXX-1`` when there is no reference date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from crosswire.extract.time.lexicon import (
    AMPM, DAY, DAY_PARTS, MONTH, MONTH_FULL, MONTHS, NUM, NUMBERS, PART, QUAL, QUAL_BEFORE_THE,
    SET_ADVERBS, TZ, UNIT, UNITS, VAGUE_NUM, WEEKDAY, WEEKDAYS, YEAR, Context, Norm, duration, iso_week,
    month_value, norm_date, number, resolve_month, resolve_month_day, resolve_weekday, shift, unit_of, utc_offset,
)

# ---------------------------------------------------------------- rules
Handler = Callable[[re.Match[str], Context], Norm | None]
RULES: list[tuple[str, re.Pattern[str], Handler]] = []  # (name, whole-span pattern, handler)
SEARCH_PATTERNS: list[tuple[str, str]] = []  # (rule name, pattern proposing candidate spans in text)


def rule(name: str, pattern: str, search: bool | str = True) -> Callable[[Handler], Handler]:
    """Register a rule; ``search`` says whether its pattern (or the narrower one given) finds spans."""

    def deco(fn: Handler) -> Handler:
        RULES.append((name, re.compile(pattern, re.I), fn))
        if search:
            SEARCH_PATTERNS.append((name, pattern if search is True else search))
        return fn

    return deco


def full_year(text: str | None, ctx: Context) -> int | None:
    if text is None:
        return None
    text = text.strip("' ")
    y = int(text)
    if len(text) == 2:
        base = ctx.dct.year if ctx.dct else 2000
        y += (base // 100) * 100
        if y > base + 20:
            y -= 100
    return y


MONTH_AFTER_DAY = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?![a-z])"  # "10 Oct": no digit needed


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


EDGE = r"(?:(?:early|mid|late|the\s+(?:very\s+)?(?:end|beginning|start|middle|close|turn)\s+of)[\s-]+)?"


@rule("iso_date", r"(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<h>[0-2]\d):(?P<mi>[0-5]\d))?")
def _iso(m: re.Match[str], ctx: Context) -> Norm | None:
    try:
        d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["h"]:
        return Norm("TIME", f"{d.isoformat()}T{m['h']}:{m['mi']}", "time", False)
    return norm_date(d, "day", False)


@rule("numeric_date", r"(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<y>\d{4}|\d\d)")
def _numeric(m: re.Match[str], ctx: Context) -> Norm | None:
    a, b, y = int(m["a"]), int(m["b"]), full_year(m["y"], ctx)
    for month, day in ((a, b), (b, a)):  # US order first
        try:
            return norm_date(date(y, month, day), "day", len(m["y"]) == 2)  # type: ignore[arg-type]
        except ValueError:
            continue
    return None


@rule(
    "month_day_year",
    rf"{EDGE}(?:{WEEKDAY}\s*,?\s*)?"
    rf"(?:(?P<m1>{MONTH})\s*(?P<d1>{DAY})|(?:the\s+)?(?P<d2>{DAY})\s+(?:of\s+)?(?P<m2>{MONTH_FULL}|{MONTH_AFTER_DAY}))"
    rf"(?:\s*,?\s*(?P<y>{YEAR}|'\d\d)|\s+(?:of\s+)?(?P<ry>this|last|next)\s+year)?(?![\d:])",
)
def _mdy(m: re.Match[str], ctx: Context) -> Norm | None:
    """"July 8, 2024", "8 July", "Oct. 9 last year"; without a year the one nearest the DCT."""
    month = _month(m["m1"] or m["m2"])
    day = _day(m["d1"] or m["d2"])
    y = full_year(m["y"], ctx)
    if m["ry"] and ctx.dct is not None:
        y = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[m["ry"].lower()]
    if y is not None:
        try:
            return norm_date(date(y, month, day), "day", not m["y"])
        except ValueError:
            return None
    return resolve_month_day(month, day, ctx)


@rule(
    "month_year",
    rf"{EDGE}(?P<m>{MONTH_FULL}|{MONTH})"
    rf"(?:\s*,?\s*(?:of\s+)?(?P<y>{YEAR}|'\d\d)|\s+(?:of\s+)?(?P<ry>this|last|next)\s+year)?(?![\d:])",
)
def _month_year(m: re.Match[str], ctx: Context) -> Norm | None:
    month = _month(m["m"])
    if m["ry"]:
        if ctx.dct is None:
            return Norm("DATE", f"XXXX-{month:02d}", "month", False)
        y = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[m["ry"].lower()]
        return Norm("DATE", month_value(y, month), "month", True)
    if m["y"]:
        return Norm("DATE", month_value(full_year(m["y"], ctx), month), "month", False)  # type: ignore[arg-type]
    return resolve_month(month, ctx)


@rule("rel_month", rf"(?P<mod>last|this|next|early|late|mid|earlier\s+this|later\s+this)[\s-]+(?P<m>{MONTH_FULL})")
def _rel_month(m: re.Match[str], ctx: Context) -> Norm | None:
    month = _month(m["m"])
    mod = m["mod"].lower()
    if ctx.dct is None:
        return Norm("DATE", f"XXXX-{month:02d}", "month", False)
    if mod == "last":
        y = ctx.dct.year - (1 if month >= ctx.dct.month else 0)
    elif mod == "next":
        y = ctx.dct.year + (1 if month <= ctx.dct.month else 0)
    elif "this" in mod:
        y = ctx.dct.year
    else:
        return resolve_month(month, ctx)
    return Norm("DATE", month_value(y, month), "month", True)


_YEAR_FORM = r"{edge}(?:(?P<fy>fiscal(?:\s+year)?|fy)\s*)?(?:the\s+year\s+)?(?:(?P<y>{year})|(?<=fy)(?P<yy>\d\d))"


@rule(  # any year 1000-2199 when a whole span; only 1800-2099 are looked for in running text
    "year",
    _YEAR_FORM.format(edge=EDGE, year=r"1\d{3}|2[01]\d\d"),
    search=_YEAR_FORM.format(edge=EDGE, year=YEAR),
)
def _year_rule(m: re.Match[str], ctx: Context) -> Norm | None:
    if m["yy"]:  # "FY08"
        return Norm("DATE", f"FY{full_year(m['yy'], ctx)}", "year", False)
    if m["fy"]:
        return Norm("DATE", f"FY{m['y']}", "year", False)
    return Norm("DATE", m["y"], "year", False)


@rule(  # "the 1990s", "the early 2000s", "the '80s", "the eighties"; not "in his 50s" (an age)
    "decade",
    r"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<y>1[89]\d0|20\d0)'?s"
    r"|the\s+(?:(?:early|mid|late)[\s-]+)?"
    r"(?:'?(?P<y2>[2-9]0)'?s|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))"
    r"|'(?P<y3>\d0)s",
)
def _decade(m: re.Match[str], ctx: Context) -> Norm | None:
    if m["y"]:
        return Norm("DATE", m["y"][:3], None, False)
    if m["w"]:
        two = str(NUMBERS[m["w"].lower()[:-3] + "y"])
    else:
        two = m["y2"] or m["y3"]
    return Norm("DATE", ("20" if two in ("00", "10") else "19") + two[0], None, False)


@rule(
    "ref",
    r"(?:right\s+)?now|currently|at\s+present|presently|nowadays|these\s+days|at\s+the\s+moment"
    r"|the\s+present(?:\s+day)?",
)
def _present(m: re.Match[str], ctx: Context) -> Norm | None:
    return Norm("DATE", "PRESENT_REF", None, False)


@rule(
    "past_ref",
    r"(?:more\s+|most\s+|until\s+)?recently|lately|(?:the\s+)?(?:recent\s+)?past|formerly|previously|in\s+the\s+past"
    r"|the\s+other\s+day",
    search=r"(?:more\s+|most\s+)?recently|lately|the\s+(?:recent\s+)?past(?!\s+(?:\d|few|several|many|two|three))",
)
def _past(m: re.Match[str], ctx: Context) -> Norm | None:
    return Norm("DATE", "PAST_REF", None, False)


@rule(
    "future_ref",
    r"(?:the\s+)?(?:near\s+|distant\s+|foreseeable\s+)?future|soon|shortly|in\s+the\s+(?:near\s+)?future",
    search=r"the\s+(?:near\s+|distant\s+|foreseeable\s+)?future",
)
def _future(m: re.Match[str], ctx: Context) -> Norm | None:
    return Norm("DATE", "FUTURE_REF", None, False)


@rule("rel_day", rf"(?:(?:earlier|later|early|late)\s+)?(?P<w>today|tonight|yesterday|tomorrow)(?:\s*'s)?"
       rf"(?:\s+(?P<p>{PART}))?")
def _rel_day(m: re.Match[str], ctx: Context) -> Norm | None:
    w = m["w"].lower()
    if ctx.dct is None:
        return Norm("DATE", "PRESENT_REF", None, False) if w == "today" else Norm("DATE", None, "day", False)
    d = ctx.dct + timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w])
    part = DAY_PARTS.get((m["p"] or "").lower()) or (DAY_PARTS["night"] if w == "tonight" else None)
    if part:
        return Norm("TIME", f"{d.isoformat()}T{part}", "day", True)
    return norm_date(d, "day")


@rule(
    "part_of_day",
    rf"(?P<mod>this|last|tomorrow|yesterday|early\s+this|late\s+last|late\s+this|earlier\s+this)\s+(?P<p>{PART})",
)
def _part_of_day(m: re.Match[str], ctx: Context) -> Norm | None:
    if ctx.dct is None:
        return Norm("TIME", None, "day", False)
    mod, part = m["mod"].lower(), m["p"].lower()
    days = -1 if mod in ("yesterday", "late last") or (mod == "last" and part in ("night", "evening")) else 0
    if mod == "tomorrow":
        days = 1
    if mod == "last" and part in ("morning", "afternoon"):
        days = -1
    d = ctx.dct + timedelta(days=days)
    return Norm("TIME", f"{d.isoformat()}T{DAY_PARTS[part]}", "day", True)


@rule(
    "weekday",
    r"(?:(?:early|late|earlier|later)\s+)?(?:(?P<the>the\s+)?"
    r"(?P<mod>this\s+past|last|next|this|coming|past|previous|prior|following|on)\s+)?"
    rf"(?P<w>{WEEKDAY})(?:\s*'s)?(?:\s+(?P<p>{PART}))?",
)
def _weekday(m: re.Match[str], ctx: Context) -> Norm | None:
    """"Friday" by tense; "last/next Friday" from the DCT; "the previous/following Friday" from the day in focus."""
    wd = WEEKDAYS[m["w"].lower()]
    mod = re.sub(r"^this\s+past$", "past", (m["mod"] or "").lower())
    if m["the"] and mod in ("previous", "prior", "following", "next") and ctx.last_day:
        base = ctx.last_day
        if mod in ("previous", "prior"):
            d: date | None = base - timedelta(days=(base.weekday() - wd) % 7 or 7)
        else:
            d = base + timedelta(days=(wd - base.weekday()) % 7 or 7)
    else:
        d = resolve_weekday(wd, ctx, "past" if mod == "prior" else mod)
    part = DAY_PARTS.get((m["p"] or "").lower())
    if d is None:
        return Norm("TIME" if part else "DATE", f"XXXX-WXX-{wd + 1}" + (f"T{part}" if part else ""), "day", False)
    if part:
        return Norm("TIME", f"{d.isoformat()}T{part}", "day", True)
    return norm_date(d, "day")


@rule("weekend", r"(?P<mod>this\s+past|this|last|next|the\s+past|the\s+coming|the)\s+weekend")
def _weekend(m: re.Match[str], ctx: Context) -> Norm | None:
    if ctx.dct is None:
        return Norm("DATE", "XXXX-WXX-WE", "week", False)
    mod = m["mod"].lower()
    saturday = ctx.dct + timedelta(days=(5 - ctx.dct.weekday()) % 7)
    if ctx.dct.weekday() == 6:
        saturday = ctx.dct - timedelta(days=1)
    if mod.startswith("this") and "past" in mod and ctx.dct.weekday() >= 5:
        pass  # "this past weekend" on a Sunday: the one ending today
    elif "last" in mod or "past" in mod or (mod in ("the", "this") and ctx.tense == "past" and ctx.dct.weekday() < 5):
        # "became public this weekend" in a Monday's paper: the weekend just gone
        saturday -= timedelta(weeks=1)
    elif "next" in mod:
        saturday += timedelta(weeks=1)
    return Norm("DATE", iso_week(saturday) + "-WE", "week", True)


@rule("weekdays", r"(?P<w>mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|weekends)")
def _weekdays(m: re.Match[str], ctx: Context) -> Norm | None:
    """"closed on Sundays": every such day, a set."""
    w = m["w"].lower()
    return Norm("SET", "XXXX-WXX-WE" if w == "weekends" else f"XXXX-WXX-{WEEKDAYS[w[:-1]] + 1}", None, False)


_REL_UNIT = r"(?P<u>week|month|year|decade|century)"  # quarters: see timex_periods


@rule(
    "rel_unit",
    r"(?:(?P<edge>(?:earlier|later|early|late)(?:\s+in)?|mid|the\s+(?:end|beginning|start|middle|rest|remainder)\s+of)"
    r"[\s-]+"
    r"(?:the\s+)?)?"
    r"(?P<mod>this\s+past|this|last|next|past|previous|prior|preceding|coming|current|following|present|same"
    r"|the\s+past|the\s+previous|the\s+prior|the\s+preceding"
    rf"|the\s+next|the\s+coming|the\s+current|the\s+following|the\s+last|the\s+same|the|that)\s+{_REL_UNIT}"
    r"(?:\s+(?P<rel>before|after|earlier|later))?",
)
def _rel_unit(m: re.Match[str], ctx: Context) -> Norm | None:
    """"this week", "last month", "the past year" (P1Y), "the following year", "the month before"."""
    mod = re.sub(r"^(?:the|this)\s+", "", m["mod"].lower())
    mod = {"prior": "previous", "preceding": "previous"}.get(mod, mod)
    if m["rel"]:  # "the week before": the week before the one in focus
        if mod != "the":
            return None
        mod = "previous" if m["rel"].lower() in ("before", "earlier") else "following"
    unit = m["u"].lower()
    the = m["mod"].lower().startswith("the")
    focus = ctx.last_year if unit == "year" else ctx.last_day
    if the and not m["edge"] and mod == "next" and ctx.tense == "past" and focus:
        mod = "following"  # "founded in 1908; the next year it bought Buick": the year after the one in focus
    if the and not m["edge"] and mod in ("past", "last", "next", "coming", "previous", "following"):
        if unit in ("week", "month", "year", "decade", "century") and mod in ("past", "last", "next", "coming"):
            return Norm("DURATION", duration(1, unit), None, False)  # "the past year": a duration
    if mod == "the" and not m["edge"] and unit not in ("year", "month", "week"):
        return None
    base = ctx.dct
    if mod == "the" and unit == "year" and ctx.tense == "past" and ctx.dct and ctx.last_year == ctx.dct.year - 1:
        base = date(ctx.last_year, 7, 1)  # "a brewer lost $15 million in the fourth quarter of 2007; for the year, ..."
    if mod in ("following", "that", "same") or (mod == "previous" and the):  # anaphora: the date in focus
        period = _period_day(ctx.last_period, unit) if ctx.period_latest or not ctx.last_day else None
        if unit == "year" and ctx.last_year:
            base = date(ctx.last_year, 7, 1)
        elif period:
            base = period
        elif ctx.last_day:
            base = ctx.last_day
        elif mod in ("following", "that"):
            return None
    if base is None:
        return Norm("DATE", None, None, False)
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(mod, 0)
    d = shift(base, step, unit)
    if unit == "week":
        return norm_date(d, "week")
    if unit == "month":
        return norm_date(d, "month")
    if unit == "decade":
        return Norm("DATE", str(d.year)[:3], None, True)
    if unit == "century":
        return Norm("DATE", str(d.year)[:2], None, True)
    return norm_date(d, "year")


def _period_day(value: str | None, unit: str) -> date | None:
    """A day inside a week or month value ("2008-W41", "2008-09") when ``unit`` is its grain."""
    if value is None:
        return None
    w = re.fullmatch(r"(\d{4})-W(\d\d)", value)
    if unit == "week" and w:
        return date.fromisocalendar(int(w[1]), int(w[2]), 3)
    mo = re.fullmatch(r"(\d{4})-(\d\d)", value)
    if unit == "month" and mo:
        return date(int(mo[1]), int(mo[2]), 15)
    return None


@rule(
    "ago",
    rf"{QUAL}(?:(?P<n>{NUM}|{VAGUE_NUM})[\s-]+)?(?P<u>{UNIT}|long\s+time)\s+"
    r"(?P<dir>ago|earlier|later|hence|from\s+now)",
)
def _ago(m: re.Match[str], ctx: Context) -> Norm | None:
    """"two years ago" from the DCT; "three days later" / "a year earlier" from the date in focus;
    "years ago", "a long time ago" PAST_REF."""
    if m["n"] is None or "long" in m["u"].lower():  # no count: only a past of unknown distance
        countless = m["u"].lower().endswith("s") or "long" in m["u"].lower()
        return Norm("DATE", "PAST_REF", None, False) if countless and m["dir"].lower() == "ago" else None
    unit = unit_of(m["u"])
    n = number(m["n"]) if m["n"] else None
    direction = m["dir"].lower()
    base = ctx.dct if direction in ("ago", "hence") or direction.startswith("from") else (ctx.last_day or ctx.dct)
    if base is None or n is None:
        return Norm("DATE", "PAST_REF" if direction in ("ago", "earlier") else "FUTURE_REF", None, False)
    sign = -1 if direction in ("ago", "earlier") else 1
    period = ctx.sentence_period
    if unit == "year" and n == int(n) and period and re.fullmatch(r"(?:FY)?\d{4}-(?:Q\d|H\d|W\d\d|\d\d)", period):
        # "profit fell in the first quarter from a year earlier": that quarter, a year before
        return Norm("DATE", re.sub(r"\d{4}", lambda y: str(int(y.group()) + sign * int(n)), period, count=1), None,
                    True)
    precision = UNITS[unit][3]
    if precision == "time":
        return Norm("DATE", base.isoformat(), "day", True)
    if unit in ("day", "night", "week"):
        d = base + timedelta(days=round(sign * n * (7 if unit == "week" else 1)))
    else:
        d = shift(base, sign * int(round(n)), unit)
    return norm_date(d, precision if unit not in ("decade", "century", "quarter") else "year")


@rule(  # spaCy finds "the day"; the rule, a modifier before it
    "the_day",
    r"(?:(?:earlier|later|early|late)\s+in\s+)?the\s+day",
    search=r"(?:earlier|later|early|late)\s+in\s+the\s+day",
)
def _the_day(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the Dow finished the day down": the day the story is about."""
    day = clock_day(ctx)
    return norm_date(day, "day", day != ctx.anchor_day) if day else Norm("DATE", None, "day", False)


@rule(
    "anaphoric_day",
    r"(?:the\s+)?(?P<mod>previous|prior|following|next|same|day\s+before|day\s+after)"
    r"\s*(?P<d>day|morning|afternoon|evening|night|(?P<trading>(?:trading|business)\s+day|session))?",
    search=r"the\s+(?:previous|prior|following|next|same)\s+(?:day|morning|afternoon|evening|night"
    r"|(?:trading|business)\s+day|session)|the\s+day\s+(?:before|after)",
)
def _anaphoric_day(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the previous day", "the following morning": a day from the last full date mentioned;
    "the previous session" / "trading day" skips the weekend."""
    mod = m["mod"].lower()
    if not m["d"] and not mod.startswith("day"):
        return None
    base = ctx.last_day or ctx.dct
    if base is None:
        return Norm("DATE", None, "day", False)
    step = -1 if mod in ("previous", "prior", "day before") else 0 if mod == "same" else 1
    d = base + timedelta(days=step)
    while m["trading"] and step and d.weekday() >= 5:
        d += timedelta(days=step)
    part = DAY_PARTS.get((m["d"] or "").lower()) if (m["d"] or "day") != "day" and not m["trading"] else None
    if part:
        return Norm("TIME", f"{d.isoformat()}T{part}", "day", True)
    return norm_date(d, "day")


# "seven straight days", "two more years"
_COUNTED = r"(?:\s+(?:straight|consecutive|successive|full|whole|more|additional|further|extra))?"


@rule(
    "span_duration",
    rf"{QUAL_BEFORE_THE}(?:the\s+)?"
    r"(?P<mod>past|last|next|coming|previous|following|first|final|recent|latest|remaining|ensuing)\s+"
    rf"(?P<n>{NUM}|{VAGUE_NUM}){_COUNTED}\s+(?P<u>{UNIT})",
)
def _span_duration(m: re.Match[str], ctx: Context) -> Norm | None:
    n = None if re.fullmatch(VAGUE_NUM, m["n"], re.I) else number(m["n"])
    return Norm("DURATION", duration(n, unit_of(m["u"])), None, False)


@rule(
    "first_hour",
    r"(?:the\s+)?(?:first|last|final|opening|closing)\s+(?P<u>hour|half[\s-]hour|minutes?|seconds?)",
    search=False,  # spaCy finds "the final hour of trading"
)
def _first_hour(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the final hour of trading", "the first half hour": one such unit (minutes in the plural: some)."""
    u = re.sub(r"[\s-]+", " ", m["u"].lower())
    if u == "half hour":
        return Norm("DURATION", "PT30M", None, False)
    return Norm("DURATION", duration(None if u.endswith("s") else 1, unit_of(u)), None, False)


@rule(
    "vague_span",
    r"(?:the\s+)?(?:past|last|next|coming|recent|previous|following|ensuing)\s+"
    r"(?P<u>days|weeks|months|years|decades)|the\s+(?P<a>days|weeks|months|years|year|decade)\s+ahead",
)
def _vague_span(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the past weeks", "the coming months", "the months ahead" (a singular unit ahead: one of it)."""
    unit = m["u"] or m["a"]
    return Norm("DURATION", duration(1 if unit.lower() in ("year", "decade") else None, unit_of(unit)), None, False)


@rule("vague_duration", rf"(?:over\s+)?(?:the\s+)?(?:(?P<q>{VAGUE_NUM}|recent)\s+)?(?P<u>{UNIT})(?=$)", search=False)
def _vague_duration(m: re.Match[str], ctx: Context) -> Norm | None:
    if not m["u"].lower().endswith(("s", "ies")):
        return None
    return Norm("DURATION", duration(None, unit_of(m["u"])), None, False)


@rule("over_the_years", r"over\s+the\s+(?P<u>years|decades|months|weeks)")
def _over_years(m: re.Match[str], ctx: Context) -> Norm | None:
    return Norm("DURATION", duration(None, unit_of(m["u"])), None, False)


@rule("decades_long", r"(?P<u>decades?|years?|months?|weeks?|centur(?:y|ies))[\s-]*long")
def _decades_long(m: re.Match[str], ctx: Context) -> Norm | None:
    unit = unit_of(m["u"])
    plural = m["u"].lower().endswith(("s", "ies"))
    return Norm("DURATION", duration(None if plural else 1, unit), None, False)


@rule(
    "duration",
    rf"{QUAL}(?P<n>{NUM}|{VAGUE_NUM}){_COUNTED}(?:\s+|\s*-\s*)(?P<u>{UNIT})(?P<half>\s+and\s+a\s+half)?"
    r"(?:\s*-\s*long)?",
    search=rf"{QUAL}(?:{NUM}|{VAGUE_NUM}){_COUNTED}(?:\s+|\s*-\s*){UNIT}(?:\s+and\s+a\s+half)?(?:\s*-\s*long)?"
    r"(?!\s*-?\s*old\b)",  # not ages
)
def _duration(m: re.Match[str], ctx: Context) -> Norm | None:
    """"two weeks", "18-month", "seven straight days", "a year and a half", "several years" (PXY)."""
    n = None if re.fullmatch(VAGUE_NUM, m["n"], re.I) else number(m["n"])
    if n is not None and m["half"]:
        n += 0.5
    return Norm("DURATION", duration(n, unit_of(m["u"])), None, False)


_ABOUT = r"(?:(?:about|around|approximately|roughly|nearly|almost)\s+)?"  # kept in the span, as for durations
_CLOCK = (  # "1100 GMT": four digits only before a zone
    rf"{_ABOUT}(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>{AMPM})?(?P<tz>{TZ})?"
    rf"|(?P<h4>[01]\d|2[0-3])(?P<mi4>[0-5]\d)(?:(?P<tz4>{TZ})|\s+(?:local\s+time|hours|hrs)))"
    rf"(?:\s+(?P<rest>(?:today|tonight|yesterday|tomorrow|{WEEKDAY}))"
    rf"(?:\s*,?\s*(?P<date>{MONTH}\s*{DAY}(?:\s*,?\s*{YEAR})?))?)?"
)


@rule(  # found in text only with minutes or a.m./p.m.: "18:00 UTC", "7:25 p.m.", "9 a.m. Friday" (not "... on
    # Friday": a preposition ends a TIMEX3, the day then dates the time from outside)
    "clock",
    _CLOCK,
    search=rf"{_ABOUT}(?:(?:[01]?\d|2[0-3])(?::[0-5]\d\s*(?:{AMPM})?|\.[0-5]\d\s*{AMPM}|\.[0-5]\d(?={TZ})|\s*{AMPM})"
    rf"(?:{TZ})?"
    rf"|(?:[01]\d|2[0-3])[0-5]\d(?:{TZ}|\s+(?:local\s+time|hours|hrs)))"
    rf"(?:\s+(?:today|tonight|yesterday|tomorrow|{WEEKDAY})"
    rf"(?:\s*,?\s*{MONTH}\s*{DAY}(?:\s*,?\s*{YEAR})?(?![\d:]))?)?",
)
def _clock(m: re.Match[str], ctx: Context) -> Norm | None:
    if m["h4"]:
        h, mi, tz = int(m["h4"]), int(m["mi4"]), m["tz4"]
    elif not (m["mi"] or m["ap"]):
        return None
    else:
        h, mi, tz = int(m["h"]), int(m["mi"] or 0), m["tz"]
    ap = (m["ap"] or "").lower().replace(".", "").replace(" ", "")
    if ap == "pm" and h < 12:
        h += 12
    elif ap == "am" and h == 12:
        h = 0
    if not ap and not tz and m["mi"] and not m["rest"] and "." in m.group(0):
        return None  # "3.25" is a number, not a time
    day = clock_day(ctx)
    anchored = day is not None and day != ctx.anchor_day
    if m["rest"]:
        sub = _rel_day_or_weekday(m["rest"], ctx)
        day, anchored = (sub, True) if sub else (day, anchored)
    if m["date"]:  # "6:15 p.m. Tuesday, July 26, 2016"
        named = normalise(m["date"], ctx)
        if named and named[1].value and re.fullmatch(r"\d{4}-\d\d-\d\d", named[1].value):
            day, anchored = date.fromisoformat(named[1].value), named[1].anchor_used
    zone = tz or ctx.zone
    offset = utc_offset(zone, day or date(2000, 1, 1)) if zone else None
    if offset is not None and day is not None:  # a named zone: the time in UTC, as "18:00 UTC" is T18:00Z
        utc = datetime.combine(day, time(h, mi)) - timedelta(hours=offset)
        return Norm("TIME", utc.strftime("%Y-%m-%dT%H:%MZ"), "time", anchored)
    hhmm = f"T{h:02d}:{mi:02d}"
    if day is None:
        return Norm("TIME", "XXXX-XX-XX" + hhmm + ("Z" if offset == 0 else ""), "time", False)
    return Norm("TIME", day.isoformat() + hhmm, "time", anchored)


@rule(
    "noon",
    rf"(?P<w>noon|midday|midnight)(?P<tz>{TZ})?(?:\s+(?P<rest>today|tonight|yesterday|tomorrow|{WEEKDAY}))?",
)
def _noon(m: re.Match[str], ctx: Context) -> Norm | None:
    day = clock_day(ctx)
    if m["rest"]:
        day = _rel_day_or_weekday(m["rest"], ctx) or day
    h = 0 if m["w"].lower() == "midnight" else 12
    offset = utc_offset(m["tz"], day) if m["tz"] and day else None
    if offset is not None and day is not None:
        return Norm("TIME", (datetime.combine(day, time(h)) - timedelta(hours=offset)).strftime("%Y-%m-%dT%H:%MZ"),
                    "time", True)
    if day is None:
        return Norm("TIME", f"XXXX-XX-XXT{h:02d}:00", "time", False)
    return Norm("TIME", f"{day.isoformat()}T{h:02d}:00", "time", True)


def clock_day(ctx: Context) -> date | None:
    """The day a bare clock time is on: a date earlier in its sentence, else the last date mentioned
    if it is within a week of the DCT (the story's day), else the DCT."""
    if ctx.anchor_day:
        return ctx.anchor_day
    if ctx.last_day and ctx.dct and abs((ctx.last_day - ctx.dct).days) <= 7:
        return ctx.last_day
    return ctx.dct


def _rel_day_or_weekday(word: str, ctx: Context) -> date | None:
    w = word.lower()
    if ctx.dct is None:
        return None
    if w in ("today", "tonight", "yesterday", "tomorrow"):
        return ctx.dct + timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w])
    return resolve_weekday(WEEKDAYS[w], ctx)


@rule(
    "set_every",
    rf"(?:every|each)\s+(?:(?P<other>other)\s+)?(?:(?P<n>{NUM}|few|several)\s+)?"
    rf"(?P<u>{UNIT}|{WEEKDAY}|morning|afternoon|evening|weekday)|(?:on\s+)?(?P<wd>weekdays)|per\s+(?P<annum>annum)",
)
def _set_every(m: re.Match[str], ctx: Context) -> Norm | None:
    """"every Monday", "each month", "every three months", "every few years" (PXY), "on weekdays"."""
    if m["annum"]:
        return Norm("SET", "P1Y", None, False)
    if m["wd"]:
        return Norm("SET", "XXXX-WXX-WD", None, False)
    word = m["u"].lower()
    if word == "weekday":
        return Norm("SET", "XXXX-WXX-WD", None, False)
    if word in DAY_PARTS:
        return Norm("SET", f"XXXX-XX-XXT{DAY_PARTS[word]}", None, False)
    if m["n"] and m["n"].lower() in ("few", "several"):
        return Norm("SET", duration(None, unit_of(word)), None, False)
    if word in WEEKDAYS:
        return Norm("SET", f"XXXX-WXX-{WEEKDAYS[word] + 1}", None, False)
    n = number(m["n"]) if m["n"] else 1
    if m["other"]:
        n = 2
    return Norm("SET", duration(n, unit_of(word)), None, False)


@rule(
    "set_times",
    rf"(?:(?:once|twice|thrice|{NUM}\s+times)\s+)?(?:a|an|per)\s+(?P<u>{UNIT})",
    search=rf"(?:once|twice|thrice|(?:{NUM})\s+times)\s+(?:a|an|per)\s+{UNIT}|per\s+{UNIT}",
)
def _set_times(m: re.Match[str], ctx: Context) -> Norm | None:
    return Norm("SET", duration(1, unit_of(m["u"])), None, False)


@rule(
    "set_adverb",
    r"(?P<w>annual|annually|yearly|weekly|daily|monthly|quarterly|hourly|nightly|bi-?annual|semi-?annual"
    r"|bi-?weekly|bi-?monthly)",
    search=r"annually|yearly|weekly|daily|monthly|quarterly|hourly|nightly|bi-?weekly|bi-?monthly",  # adverbs;
)  # spaCy finds "annual"
def _set_adverb(m: re.Match[str], ctx: Context) -> Norm | None:
    w = m["w"].lower().replace("-", "")
    if w in ("biannual", "semiannual"):
        return Norm("SET", "P6M", None, False)
    if w in ("biweekly", "bimonthly"):
        return Norm("SET", "P2W" if w == "biweekly" else "P2M", None, False)
    return Norm("SET", SET_ADVERBS[w], None, False)


def normalise(text: str, ctx: Context) -> tuple[str, Norm] | None:
    """The first rule matching the whole span text, as (rule name, result); None when no rule does."""
    t = re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2013", "-")).strip(" ,.;:")
    for name, pattern, handler in RULES:
        m = pattern.fullmatch(t)
        if m:
            result = handler(m, ctx)
            if result is not None:
                return name, result
    return None
