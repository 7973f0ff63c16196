"""Dates of a non-English text, normalised against the publication day (the outlet's local day).

Stage ``langdates.v1``. Rules over the language's word lists (:mod:`.lexicon`), in this order:

* a day and month ("8 июля", "11 marca 2025", "el 8 de julio de 2025", "14. März", "7月8日",
  "2025年7月8日", Chinese numerals "七月八日"), numeric days ("08.07.2025", "2025-07-08");
* a month and year ("в июле 2025 года"): month precision;
* a weekday ("у понеділок", "we wtorek", "am Montag", "el martes", "星期二"): the latest such day
  on or before the publication day (news tells of what happened), unless it stands beside a
  date of the first kind ("wtorek, 11 marca 2025": the date wins);
* a relative day ("вчера", "wczoraj", "gestern", "hier", "ayer", "昨天").

A day and month without a year takes the publication year, or the year before when that would put
it more than :data:`FUTURE_DAYS` after publication. Languages without word lists (read "at a
lower level") use dateparser's ``search_dates`` with ``languages=[lang]`` and ``RELATIVE_BASE``,
keeping only matches with a digit (its false hits are words: "mają", "Die"). Without a
publication day, weekdays and relative days get no value (they are kept, with a reason, as
discards).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache

from crosswire.extract.languages.lexicon import Lexicon
from crosswire.extract.languages.text import Segmented
from crosswire.extract.time.timex import Timex
from crosswire.models import Discard

STAGE = "langdates.v1"
FUTURE_DAYS = 60
_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def zh_numeral(text: str) -> int | None:
    """A Chinese numeral below 10,000 as an int ("十二" -> 12, "二十五" -> 25, "三千" -> 3000), else None."""
    if not text:
        return None
    total, current = 0, 0
    units = {"十": 10, "百": 100, "千": 1000}
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch in units:
            total += (current or 1) * units[ch]
            current = 0
        else:
            return None
    return total + current


def _alts(forms) -> str:  # type: ignore[no-untyped-def]
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) or "(?!)"


@cache
def _patterns(lex: Lexicon) -> dict[str, re.Pattern[str]]:
    months = _alts(lex.months)
    joiner = "".join(rf"(?:{re.escape(j)}\s+)?" for j in lex.date_joiners[:1])
    year_words = _alts(lex.year_words)
    b, e = ("", "") if lex.cjk else (r"(?<!\w)", r"(?!\w)")
    pats = {
        "numeric": re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"),
        "weekday": re.compile(rf"{b}(?:{_alts(lex.weekdays)}){e}", re.I),
        "relative": re.compile(rf"{b}(?:{_alts(lex.relative)}){e}", re.I),
    }
    if lex.months:
        if lex.month_first:
            pats["daymonth"] = re.compile(rf"(?<!\w)({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{{4}}))?", re.I)
        else:
            pats["daymonth"] = re.compile(
                rf"(?<![\w.])(\d{{1,2}})\.?\s+{joiner}({months})(?!\w)(?:,?\s+{joiner}(\d{{4}})(?!\d)(?:\s*(?:{year_words})(?!\w))?)?",
                re.I)
        pats["monthyear"] = re.compile(rf"(?<!\w)({months})\s+{joiner}(\d{{4}})(?!\d)(?:\s*(?:{year_words})(?!\w))?", re.I)
    if lex.cjk:
        zh = "[〇零一二两三四五六七八九十]"
        pats["daymonth"] = re.compile(rf"(?:(\d{{4}})\s*年\s*)?(\d{{1,2}}|{zh}{{1,3}})\s*月\s*(\d{{1,2}}|{zh}{{1,3}})\s*[日号]")
    return pats


def _year_for(month: int, day: int, published: date | None) -> int | None:
    if published is None:
        return None
    try:
        d = date(published.year, month, day)
    except ValueError:
        return published.year  # checked again by the caller with the right year
    return published.year - 1 if (d - published).days > FUTURE_DAYS else published.year


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else zh_numeral(text)


def find_dates(seg: Segmented, lexicons: dict[str, Lexicon], published: date | None,
               discards: list[Discard]) -> list[Timex]:
    """Every date of the text, each sentence read with its paragraph language's word lists."""
    out: list[Timex] = []
    for s in seg.sentences:
        lex = lexicons.get(s.lang)
        if lex is None:
            out += _dateparser_dates(s.text, s.start, s.lang, published, discards)
        else:
            out += _sentence_dates(s.text, s.start, lex, published, discards)
    return out


def _sentence_dates(text: str, base: int, lex: Lexicon, published: date | None,
                    discards: list[Discard]) -> list[Timex]:
    pats = _patterns(lex)
    found: list[Timex] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int, pad: int = 0) -> bool:
        return all(b + pad <= x or a - pad >= y for x, y in taken)

    def add(m: re.Match[str], value: str | None, precision: str | None, anchored: bool, reason: str | None = None) -> None:
        a, b = m.start(), m.end()
        while b > a and text[b - 1] in " ,":
            b -= 1
        if reason is not None:
            discards.append(Discard(STAGE, reason, text[a:b], base + a, base + b))
            taken.append((a, b))
            return
        found.append(Timex(base + a, base + b, text[a:b], "DATE", value, precision, anchored))
        taken.append((a, b))

    for m in pats["numeric"].finditer(text):
        d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
        try:
            add(m, date(int(y), int(mo), int(d)).isoformat(), "day", False)
        except ValueError:
            add(m, None, None, False, "invalid_date")
    if "daymonth" in pats:
        for m in pats["daymonth"].finditer(text):
            if not free(m.start(), m.end()):
                continue
            if lex.cjk:
                y, mo, d = _int(m.group(1)), _int(m.group(2)), _int(m.group(3))
            elif lex.month_first:
                mo, d, y = lex.months[m.group(1).lower()], int(m.group(2)), _int(m.group(3))
            else:
                d, mo, y = int(m.group(1)), lex.months[m.group(2).lower()], _int(m.group(3))
            if mo is None or d is None:
                add(m, None, None, False, "invalid_date")
                continue
            year = y if y is not None else _year_for(mo, d, published)
            if year is None:
                add(m, None, None, False, "no_publication_day")
                continue
            try:
                add(m, date(year, mo, d).isoformat(), "day", y is None)
            except ValueError:
                add(m, None, None, False, "invalid_date")
    if "monthyear" in pats:
        for m in pats["monthyear"].finditer(text):
            if free(m.start(), m.end()):
                add(m, f"{int(m.group(2)):04d}-{lex.months[m.group(1).lower()]:02d}", "month", False)
    for m in pats["weekday"].finditer(text):
        if not free(m.start(), m.end(), pad=3):
            discards.append(Discard(STAGE, "weekday_of_a_date", m.group(), base + m.start(), base + m.end()))
            continue
        if published is None:
            add(m, None, None, False, "no_publication_day")
            continue
        wd = lex.weekdays[m.group().lower()]
        back = (published.weekday() - wd) % 7
        add(m, (published - timedelta(days=back)).isoformat(), "day", True)
    for m in pats["relative"].finditer(text):
        if not free(m.start(), m.end()):
            continue
        if published is None:
            add(m, None, None, False, "no_publication_day")
            continue
        add(m, (published + timedelta(days=lex.relative[m.group().lower()])).isoformat(), "day", True)
    found.sort(key=lambda t: t.start)
    return found


def _dateparser_dates(text: str, base: int, lang: str, published: date | None,
                      discards: list[Discard]) -> list[Timex]:
    """Dates of a language without word lists: dateparser's search, matches with a digit only."""
    if not any(ch.isdigit() for ch in text):
        return []
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "REQUIRE_PARTS": ["day", "month"]}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    try:
        hits = search_dates(text, languages=[lang], settings=settings) or []
    except (ValueError, KeyError) as exc:  # a language dateparser does not know
        discards.append(Discard(STAGE, "dateparser_failed", f"{type(exc).__name__}: {exc}"[:200], base, base))
        return []
    out, pos = [], 0
    for phrase, when in hits:
        at = text.find(phrase, pos)
        if at < 0:
            continue
        pos = at + len(phrase)
        while " " in phrase.strip() and len(phrase.rstrip().rsplit(" ", 1)[1]) <= 3 and \
                phrase.rstrip().rsplit(" ", 1)[1].isalpha() and phrase.rstrip().rsplit(" ", 1)[1].islower():
            phrase = phrase.rstrip().rsplit(" ", 1)[0]  # "8 luglio 2025 in": a preposition after it
        if not any(ch.isdigit() for ch in phrase) or not any(ch.isalpha() for ch in phrase):
            discards.append(Discard(STAGE, "no_digit_and_word", phrase, base + at, base + pos))
            continue
        out.append(Timex(base + at, base + at + len(phrase), phrase, "DATE", when.date().isoformat(), "day",
                         not any(len(w) == 4 and w.isdigit() for w in phrase.split())))
    return out
