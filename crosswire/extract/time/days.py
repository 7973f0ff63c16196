"""Normalisation rules for named days and parts of a day: holidays (fixed, floating and Easter),
"9/11", and "the afternoon" / "late morning" on the day in focus.

The rules register themselves with :func:`crosswire.extract.time.rules.rule` when this module is
imported (:mod:`crosswire.extract.time.timex` does). A holiday without a year takes the occurrence
nearest the reference date, biased by the tense of its verb, as a day and month do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from crosswire.extract.time.lexicon import DAY_PARTS, YEAR, Context, Norm, norm_date
from crosswire.extract.time.rules import clock_day, rule


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th given weekday of a month (``n = -1``: the last one)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> date:
    """Easter Sunday (Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


_MON, _THU, _SUN = 0, 3, 6
_HOLIDAYS: dict[str, Callable[[int], date]] = {  # keys as _key writes them
    "christmas eve": lambda y: date(y, 12, 24), "christmas day": lambda y: date(y, 12, 25),
    "christmas": lambda y: date(y, 12, 25), "new years eve": lambda y: date(y, 12, 31),
    "new years day": lambda y: date(y, 1, 1), "new years": lambda y: date(y, 1, 1),
    "halloween": lambda y: date(y, 10, 31), "independence day": lambda y: date(y, 7, 4),
    "valentines day": lambda y: date(y, 2, 14), "boxing day": lambda y: date(y, 12, 26),
    "veterans day": lambda y: date(y, 11, 11),
    "martin luther king day": lambda y: _nth_weekday(y, 1, _MON, 3),
    "presidents day": lambda y: _nth_weekday(y, 2, _MON, 3),
    "memorial day": lambda y: _nth_weekday(y, 5, _MON, -1),
    "labor day": lambda y: _nth_weekday(y, 9, _MON, 1),
    "columbus day": lambda y: _nth_weekday(y, 10, _MON, 2),
    "thanksgiving": lambda y: _nth_weekday(y, 11, _THU, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, _THU, 4),
    "black friday": lambda y: _nth_weekday(y, 11, _THU, 4) + timedelta(days=1),
    "mothers day": lambda y: _nth_weekday(y, 5, _SUN, 2),
    "fathers day": lambda y: _nth_weekday(y, 6, _SUN, 3),
    "good friday": lambda y: _easter(y) - timedelta(days=2),
    "easter": _easter, "easter sunday": _easter,
    "easter monday": lambda y: _easter(y) + timedelta(days=1),
}


def _key(text: str) -> str:
    """"New Year's Day" -> "new years day", "Martin Luther King, Jr. Day" -> "martin luther king day"."""
    return re.sub(r"[\s,.]+", " ", text.lower().replace("'", "").replace("\u2019", "")).replace(" jr ", " ").strip()


def nearest(day_in: Callable[[int], date], ctx: Context) -> date | None:
    """The occurrence of a yearly day nearest the reference date, away from the tense's direction."""
    if ctx.dct is None:
        return None
    best: tuple[int, date] | None = None
    for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1):
        d = day_in(y)
        delta = (d - ctx.dct).days
        against = (ctx.tense == "past" and delta > 0) or (ctx.tense == "future" and delta < 0)
        cost = abs(delta) + (120 if against else 0)
        if best is None or cost < best[0]:
            best = (cost, d)
    return best[1] if best else None


@rule(
    "holiday",
    r"(?:(?:day|night)-(?P<side>after|before)-)?"
    r"(?P<h>christmas(?:\s+(?:eve|day))?|new\s+year\s*'?s(?:\s+(?:eve|day))?|halloween|independence\s+day"
    r"|valentine\s*'?s\s+day|boxing\s+day|veterans'?\s+day|martin\s+luther\s+king(?:,?\s+jr\.?,?)?\s+day"
    r"|presidents'?\s+day|memorial\s+day|labor\s+day|columbus\s+day|thanksgiving(?:\s+day)?|good\s+friday"
    r"|black\s+friday|mother\s*['\u2019]?s\s+day|father\s*['\u2019]?s\s+day"
    rf"|easter(?:\s+(?:sunday|monday))?)(?:\s*,?\s*(?P<y>{YEAR}))?",
)
def _holiday(m: re.Match[str], ctx: Context) -> Norm | None:
    """"Christmas", "Memorial Day", "Thanksgiving 2008", "Good Friday", "Father's Day"; the
    compound "day-after-Thanksgiving" ("a day-after-Thanksgiving hunt") is the day after."""
    holiday = _HOLIDAYS.get(_key(m["h"]))
    if holiday is None:
        return None
    shift = timedelta(days=(1 if m["side"].lower() == "after" else -1) if m["side"] else 0)

    def day_in(y: int) -> date:
        return holiday(y) + shift

    if m["y"]:
        return norm_date(day_in(int(m["y"])), "day", False)
    d = nearest(day_in, ctx)
    return norm_date(d, "day") if d else Norm("DATE", None, "day", False)


@rule("nine_eleven", r"9/11")
def _nine_eleven(m: re.Match[str], ctx: Context) -> Norm | None:
    """"since 9/11": the day of the 2001 attacks, as the news uses the name."""
    return norm_date(date(2001, 9, 11), "day", False)


@rule(
    "day_part",
    r"(?:the\s+)?(?P<edge>early|late|mid)[\s-]*(?P<p>morning|afternoon|evening)"
    r"|(?:(?:later|earlier|late|early)\s+)?(?:the|that)\s+(?P<p2>morning|afternoon|evening|night)"
    r"|(?P<p3>midmorning|midafternoon)|late\s+at\s+(?P<p4>night)",
    search=r"(?:the\s+)?(?:early|late|mid)[\s-]*(?:morning|afternoon|evening)"
    r"|(?:(?:later|earlier|late|early)\s+)?(?:the|that)\s+(?:morning|afternoon|evening|night)"
    r"(?!\s+(?:of|before|after)\b)"
    r"|midmorning|midafternoon|late\s+at\s+night",
)
def _day_part(m: re.Match[str], ctx: Context) -> Norm | None:
    """"in the afternoon", "late morning", "that night": that part of the day in focus."""
    part = (m["p"] or m["p2"] or m["p4"] or m["p3"][3:]).lower()
    day = clock_day(ctx)
    if day is None:
        return Norm("TIME", f"XXXX-XX-XXT{DAY_PARTS[part]}", "day", False)
    return Norm("TIME", f"{day.isoformat()}T{DAY_PARTS[part]}", "day", day != ctx.anchor_day)


@rule(
    "that_day",
    r"(?:(?:later|earlier)\s+)?(?:that|this)\s+(?:very\s+)?day|the\s+end\s+of\s+the\s+day",
    search=r"(?:(?:later|earlier)\s+)?that\s+(?:very\s+)?day|the\s+end\s+of\s+the\s+day",
)
def _that_day(m: re.Match[str], ctx: Context) -> Norm | None:
    """"that day", "later that day": the day in focus."""
    day = clock_day(ctx)
    return norm_date(day, "day", day != ctx.anchor_day) if day else Norm("DATE", None, "day", False)


_ALL = {"day": "P1D", "night": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y"}


@rule("all_unit", r"all\s+(?P<u>day|night|week|month|year)(?:\s+long)?", search=False)  # spaCy finds them
def _all_unit(m: re.Match[str], ctx: Context) -> Norm | None:
    """"all week": the whole unit, a duration."""
    return Norm("DURATION", _ALL[m["u"].lower()], None, False)
