"""Numbers, counts and casualty figures of a non-English text.

Stage ``langquantities.v1``. A number is written in digits ("12", "2,5 млн", "1.200", "3万") or in
words (words2num2 for the language: "двенадцать", "dwunastu", "zwei"; the word lists add what it
misses: collectives "трое", "czworo", Belarusian oblique forms, "полтора"; Chinese numerals by a
small rule: "三人", "十二名"). Multipliers after it scale it (тыс., млн, mln, Mio, mille, 万, 亿). A
number in a date is not a count (discarded: ``part_of_date``), nor a year (``year``).

What it counts: a distance when a unit follows ("30 км"); a casualty figure when a killed or
injured cue of the language stands within :data:`CUE_WINDOW` words ("трое погибших", "12
rannych", "zwei Tote", "deux morts", "siete heridos", "死亡3人", "3人受伤"), the nearer cue
winning; else a count of the word after it ("500 военнослужащих"). A qualifier before it
("около", "ponad", "mehr als") is kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crosswire.extract.languages.dates import zh_numeral
from crosswire.extract.languages.lexicon import Lexicon
from crosswire.extract.languages.text import Segmented
from crosswire.extract.quantities.base import Quantity
from crosswire.models import Discard

STAGE = "langquantities.v1"
CUE_WINDOW = 3  # words between a figure and its casualty cue
_DECIMAL_POINT = {"en", "zh"}
_TOKEN = re.compile(r"[\w'’ʼ]+|[^\w\s]")
_ZH_NUM = re.compile(r"[〇零一二两三四五六七八九十百千万亿]+(?=[人名架辆个枚艘座户])")


@lru_cache(maxsize=1 << 14)
def word_number(word: str, lang: str) -> float | None:
    """The number a word (or words) stands for in ``lang`` by words2num2, None when it is none."""
    import words2num2

    try:
        value = words2num2.words2num(word, lang=lang)
    except Exception:  # words2num2 raises its own and ValueError/IndexError on odd input
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _digits(lang: str) -> re.Pattern[str]:
    if lang == "zh":  # no spaces: a Han character may stand right before the figure ("约500名")
        return re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])")
    if lang in _DECIMAL_POINT:
        return re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])")
    return re.compile(r"(?<![\w.,])(\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?![,.]?\d)|\d+)(?:,(\d+))?(?![\d])")


# a clock time is no count: "6:40", "22.20 uur", "gegen 22 Uhr", "в 14 часов", "23.00 horas", "8点"
_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}(?!\d)")
TIME_WORDS = ("uhr", "uur", "h", "heures", "heure", "horas", "hora", "godz", "godzinie", "godziny", "часов",
              "часа", "час", "ч", "годин", "години", "годині", "гадзін", "гадзіне", "o'clock", "点", "时", "時")
_CONJUNCTIONS = frozenset({"y", "e", "и", "і", "й", "та", "а", "i", "oraz", "und", "et", "en", "and", "ou", "o",
                           "или", "lub", "albo", "або", "ці", "ili", "，", "、", "和", "及"})


def _digit_value(m: re.Match[str]) -> float:
    whole = re.sub(r"[^\d]", "", m.group(1))
    return float(f"{whole}.{m.group(2)}") if m.group(2) else float(whole)


class _Num:
    __slots__ = ("start", "end", "value", "words")

    def __init__(self, start: int, end: int, value: float, words: bool):
        self.start, self.end, self.value, self.words = start, end, value, words


def _numbers(text: str, lex: Lexicon) -> list[_Num]:
    """Numbers of one sentence (offsets within it), multipliers applied."""
    out: list[_Num] = []
    for m in _digits(lex.lang).finditer(text):
        out.append(_Num(m.start(), m.end(), _digit_value(m), False))
    if lex.cjk:
        for m in _ZH_NUM.finditer(text):
            if not any(n.start <= m.start() <= n.end for n in out):  # "3万": the digits' multiplier
                v = _zh_value(m.group())
                if v is not None:
                    out.append(_Num(m.start(), m.end(), float(v), True))
    else:
        run: list[re.Match[str]] = []
        for m in list(_TOKEN.finditer(text)) + [None]:  # type: ignore[list-item]
            if m is not None and _is_number_word(m.group(), lex):
                run.append(m)
                continue
            if run:
                out += _word_run(text, run, lex)
                run = []
    out.sort(key=lambda n: n.start)
    # a multiplier after the number: "2,5 млн", "3 тыс.", "12 Mio", "3万"
    for n in out:
        rest = text[n.end:]
        if lex.cjk:
            unit = next((u for u in sorted(lex.multipliers, key=len, reverse=True) if rest.startswith(u)), None)
            if unit is not None and not (n.words and any(u in text[n.start : n.end] for u in lex.multipliers)):
                n.value *= lex.multipliers[unit]
                n.end += len(unit)
            continue
        m = re.match(r"\s*([^\W\d_]+)(\.?)", rest)
        if m:
            word = m.group(1).lower()
            mult = lex.multipliers.get(word) or lex.multipliers.get(word + ".")
            if mult and not (n.words and word == "mil"):
                n.value *= mult
                n.end += m.end() if m.group(2) and word not in ("г",) else m.end(1)
    return out


def _zh_value(text: str) -> int | None:
    for unit, scale in (("亿", 100_000_000), ("万", 10_000)):
        if unit in text:
            head, _, tail = text.partition(unit)
            h = zh_numeral(head) if head else 1
            t = zh_numeral(tail) if tail else 0
            return None if h is None or t is None else h * scale + t
    return zh_numeral(text)


def _is_number_word(word: str, lex: Lexicon) -> bool:
    w = word.lower()
    if w in lex.numbers:
        return True
    return bool(lex.number_stems) and w.startswith(lex.number_stems) and word_number(w, lex.lang) is not None


def _word_run(text: str, run: list[re.Match[str]], lex: Lexicon) -> list[_Num]:
    """A run of number words: one number if words2num2 reads it whole, else each word alone."""
    words = [m.group().lower() for m in run]
    if len(run) > 1:
        whole = word_number(" ".join(words), lex.lang)
        if whole is not None:
            return [_Num(run[0].start(), run[-1].end(), whole, True)]
    out = []
    for m, w in zip(run, words):
        v = lex.numbers.get(w) if w in lex.numbers else word_number(w, lex.lang)
        if v is not None:
            out.append(_Num(m.start(), m.end(), float(v), True))
    return out


def _qualifier(before: str, lex: Lexicon) -> str | None:
    low = before.lower().rstrip()
    for phrase, q in sorted(lex.approx.items(), key=lambda kv: -len(kv[0])):
        if low.endswith(phrase) and (len(low) == len(phrase) or not low[-len(phrase) - 1].isalnum()):
            return q
    return None


def find_quantities(seg: Segmented, lexicons: dict[str, Lexicon], date_spans: list[tuple[int, int]],
                    discards: list[Discard]) -> list[Quantity]:
    """Counts, casualty figures and distances of the text (sentences with word lists only)."""
    out: list[Quantity] = []
    for s in seg.sentences:
        lex = lexicons.get(s.lang)
        if lex is None:
            continue
        for n in _numbers(s.text, lex):
            a, b = s.start + n.start, s.start + n.end
            if any(x < b and a < y for x, y in date_spans):
                discards.append(Discard(STAGE, "part_of_date", seg.text[a:b], a, b))
                continue
            if _clock(s.text, n):
                discards.append(Discard(STAGE, "time_of_day", seg.text[a:b], a, b))
                continue
            q = _quantity(s.text, n, lex, s.start)
            if q is None:
                discards.append(Discard(STAGE, "year", seg.text[a:b], a, b))
                continue
            out.append(q)
    return out


def _clock(text: str, n: _Num) -> bool:
    """Is the figure an hour or minute of a clock time?"""
    if n.words:
        return False
    around = text[max(0, n.start - 3) : n.end + 3]
    if _CLOCK.search(text, max(0, n.start - 3), n.end + 3) and any(c in around for c in ":."):
        m = _CLOCK.search(text, max(0, n.start - 3), n.end + 3)
        if m and m.start() <= n.start < m.end():
            return True
    nxt = re.match(r"[\s.:\d]*([^\W\d_]+)", text[n.end :])
    return bool(nxt) and nxt.group(1).lower() in TIME_WORDS and n.value <= 24


_YEAR_BEFORE = frozenset({"in", "w", "we", "в", "во", "у", "ў", "im", "en", "à", "au", "de", "z", "since", "von",
                          "seit", "sinds", "desde", "depuis", "из", "від", "od", "from", "of", "del", "van", "до",
                          "do", "bis", "until", "hasta", "jusqu'en", "tot", "after", "nach", "po", "после", "після"})


def _year(text: str, n: _Num, lex: Lexicon, next_word: str) -> bool:
    """Is a four-digit figure from 1900 to 2100 a year ("in 1988", "2025 года", "2025年", "(2019)")?"""
    if n.words or not (1900 <= n.value <= 2100) or not float(n.value).is_integer() or n.end - n.start != 4:
        return False
    if _casualty(text, n, lex):
        return False
    if lex.cjk:
        return text[n.end : n.end + 1] == "年" or not text[n.end : n.end + 1].strip("，。、）)")
    before = re.findall(r"[\w'’]+", text[max(0, n.start - 20) : n.start])
    return (not next_word or any(next_word.startswith(w.rstrip(".")) for w in lex.year_words)
            or (bool(before) and before[-1].lower() in _YEAR_BEFORE)
            or not re.match(r"\s*[\w]", text[n.end :]))


def _quantity(text: str, n: _Num, lex: Lexicon, base: int) -> Quantity | None:
    raw = text[n.start : n.end]
    after = text[n.end :]
    after_word = (re.match(r"\s*([\w'’]+)", after) if not lex.cjk
                  else re.match(r"\s*[名人个架辆枚艘座户位]?([\u4e00-\u9fff]{1,2})", after))
    next_word = after_word.group(1).lower() if after_word else ""
    if _year(text, n, lex, next_word):
        return None
    qualifier = _qualifier(text[: n.start], lex)
    if lex.cjk:
        unit_hit = any(after.lstrip().startswith(u) for u in lex.distance_units)
    else:
        unit_hit = any(next_word.startswith(u.lower()) for u in lex.distance_units)
    if unit_hit:
        return Quantity(base + n.start, base + n.end, raw, "distance", n.value, n.value, n.value, qualifier,
                        "km", None, confidence=0.7)
    if after.lstrip().startswith("%"):
        return Quantity(base + n.start, base + n.end, raw, "percent", n.value, n.value, n.value, qualifier,
                        "%", None, confidence=0.7)
    casualty = _casualty(text, n, lex)
    if casualty is not None:
        which, cue = casualty
        return Quantity(base + n.start, base + n.end, raw, "casualties", n.value, n.value, n.value, qualifier,
                        None, "person", casualty=which, confidence=0.7, cue=cue)
    thing = next_word if next_word and not next_word.isdigit() else None
    return Quantity(base + n.start, base + n.end, raw, "count", n.value, n.value, n.value, qualifier, None,
                    thing, confidence=0.5)


def _casualty(text: str, n: _Num, lex: Lexicon) -> tuple[str, str] | None:
    """("killed" | "injured", the cue as written) when a cue stands near the figure."""
    best: tuple[int, str, str] | None = None
    for which, pat in (("killed", lex.killed), ("injured", lex.injured)):
        for m in pat.finditer(text):
            if m.end() <= n.start:
                gap = text[m.end() : n.start]
            elif m.start() >= n.end:
                gap = text[n.end : m.start()]
            else:
                continue
            if any(ch.isdigit() for ch in gap) or any(p in gap for p in ".;:!?"):
                continue
            toks = _TOKEN.findall(gap)
            dist = len(gap.strip()) if lex.cjk else len(toks)
            if any(t.lower() in _CONJUNCTIONS for t in (list(gap) if lex.cjk else toks)):
                dist += 2  # "Dos personas murieron y siete resultaron heridas": siete's cue is after it
            limit = 4 if lex.cjk else CUE_WINDOW
            if dist <= limit and (best is None or dist < best[0]):
                best = (dist, which, m.group())
    return (best[1], best[2]) if best else None
