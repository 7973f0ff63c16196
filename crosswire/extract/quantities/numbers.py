"""Numbers written in digits or English words, read from a sequence of tokens.

Pure functions over strings (no spaCy): :func:`parse_numeral` reads one digit token, and
:func:`find_number_phrases` finds every number phrase in a list of token texts ("1,200", "1.5
million", "twenty-five", "a hundred", "two dozen", "half a dozen", "one hundred and twenty",
"dozens", "tens of thousands", "several", "a handful") and ranges ("10 to 20", "two or three").

Digit formats. English thousands separators are read as such: "1,200" is 1200 (not the European
1.2). Formats that only European writing uses are read the European way: "1.200.000" is 1200000,
"1.234,5" is 1234.5, "1,5" is 1.5 (a comma before one or two digits cannot be an English thousands
separator); the last is flagged ``ambiguous`` (it may also be a list "1,5"). "2.000" (one dot before
exactly three digits, no leading zero) is English 2.0 or European 2000: no value is chosen, the
phrase carries both readings as ``low`` 2 and ``high`` 2000 and ``ambiguous``. Ordinals ("10th"),
times ("2:05"), fractions ("1/2") and scores ("3-1", second smaller) are not numbers here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["NumberPhrase", "parse_numeral", "find_number_phrases", "UNITS", "TENS", "SCALES"]

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# glued or abbreviated scales after digits: "1.5bn", "20m" (the caller decides whether "m" is
# a scale or metres), "5k"
SUFFIX_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12,
                 "million": 1e6, "billion": 1e9, "trillion": 1e12}
_AMBIGUOUS_SUFFIX = {"k", "m", "b"}
# vague amounts: (words, low, high, value)
_VAGUE: list[tuple[tuple[str, ...], float, float | None, float | None]] = [
    (("tens", "of", "thousands"), 20_000, 99_999, None),
    (("hundreds", "of", "thousands"), 200_000, 999_999, None),
    (("tens", "of", "millions"), 20e6, 99_999_999, None),
    (("hundreds", "of", "millions"), 200e6, 999_999_999, None),
    (("a", "dozen", "or", "so"), 10, 14, 12),
    (("a", "couple", "of", "dozen"), 20, 30, 24),
    (("a", "couple", "dozen"), 20, 30, 24),
    (("a", "handful"), 2, 6, None),
    (("a", "few"), 2, 6, None),
    (("a", "couple"), 2, 3, 2),
    (("dozens",), 24, 99, None),
    (("hundreds",), 200, 999, None),
    (("thousands",), 2_000, 9_999, None),
    (("millions",), 2e6, 999e6, None),
    (("billions",), 2e9, 999e9, None),
    (("scores",), 40, 199, None),
    (("several",), 3, 9, None),
    (("numerous",), 3, None, None),
]
_VAGUE_FIRST = {v[0][0] for v in _VAGUE}

_EN_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_DOT_THREE = re.compile(r"[1-9]\d{0,2}\.\d{3}")
_EU_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|\d{1,3}(?:\.\d{3})+,\d+")
_EU_DECIMAL = re.compile(r"\d+,\d{1,2}")
_SUFFIXED = re.compile(r"(\d[\d,.]*?)(k|m|mn|mln|bn|b|tn|million|billion|trillion)", re.I)


@dataclass(frozen=True)
class Numeral:
    """One digit token read: its value (None when two readings are equally likely)."""

    value: float | None
    low: float | None
    high: float | None
    ambiguous: bool = False
    suffix: str | None = None  # a glued scale ("bn" in "1.5bn"), not yet applied


def parse_numeral(text: str) -> Numeral | None:
    """One token of digits ("1,200", "1.5", "2.000", "1,5", "1.5bn"), else None (ordinals too)."""
    t = text.strip()
    if not t or len(t) > 24 or not (t[0].isdigit() or t[0] == "."):
        return None
    m = _SUFFIXED.fullmatch(t)
    if m:
        inner = parse_numeral(m.group(1))
        if inner is None:
            return None
        return Numeral(inner.value, inner.low, inner.high, inner.ambiguous, m.group(2).lower())
    if _EN_THOUSANDS.fullmatch(t):
        v = float(t.replace(",", ""))
        return Numeral(v, v, v)
    if _DOT_THREE.fullmatch(t):
        en, eu = float(t), float(t.replace(".", ""))
        return Numeral(None, en, eu, ambiguous=True)
    if _PLAIN.fullmatch(t):
        v = float(t)
        return Numeral(v, v, v)
    if _EU_THOUSANDS.fullmatch(t):
        v = float(t.replace(".", "").replace(",", "."))
        return Numeral(v, v, v)
    if _EU_DECIMAL.fullmatch(t):
        v = float(t.replace(",", "."))
        return Numeral(v, v, v, ambiguous=True)
    return None


@dataclass(frozen=True)
class NumberPhrase:
    """A number phrase over tokens ``start:end``; ``vague`` ones ("dozens") have only bounds."""

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    vague: bool = False
    ambiguous: bool = False
    digits: bool = False        # written with digits (else words)
    suffix: str | None = None   # an unapplied glued or following scale abbreviation ("m", "bn")
    is_range: bool = False      # "10 to 20", "10-20", "between 10 and 20", "two or three"


def _word_value(w: str) -> float | None:
    if w in UNITS:
        return UNITS[w]
    if w in TENS:
        return TENS[w]
    return None


def _words_number(words: Sequence[str], i: int) -> tuple[int, float] | None:
    """Read a number written in words from ``words[i]``; return (end, value) or None."""
    n = len(words)
    total = 0.0
    current = 0.0
    j = i
    last = ""  # kind of the last consumed item: unit, teen, tens, hundred, scale, dozen
    seen = False
    if j + 2 < n and words[j] == "half" and words[j + 1] in ("a", "an") and (
            words[j + 2] in SCALES or words[j + 2] in ("dozen", "hundred")):
        scale = SCALES.get(words[j + 2], 12 if words[j + 2] == "dozen" else 100)
        return j + 3, scale / 2
    while j < n:
        w = words[j]
        v = _word_value(w)
        if w in ("a", "an") and not seen:
            if j + 1 < n and (words[j + 1] in SCALES or words[j + 1] in ("hundred", "dozen")):
                current = 1
                last = "a"
                seen = True
                j += 1
                continue
            break
        if v is not None:
            if last in ("unit", "teen", "a"):
                break
            if last == "tens" and (v >= 10):
                break
            if last in ("tens", "hundred", "scale", "and", "hyphen", ""):
                current += v
                last = "tens" if w in TENS else ("teen" if v >= 10 else "unit")
                seen = True
                j += 1
                continue
            break
        if w == "hundred" and last in ("unit", "teen", "tens", "a", "") and seen:
            current = (current or 1) * 100
            last = "hundred"
            j += 1
            continue
        if w in SCALES and seen and last not in ("and", "hyphen"):
            total += (current or 1) * SCALES[w]
            current = 0
            last = "scale"
            j += 1
            continue
        if w == "dozen" and seen and last in ("unit", "teen", "tens", "a"):
            current = (current or 1) * 12
            last = "dozen"
            j += 1
            continue
        if w == "-" and last == "tens" and j + 1 < n and words[j + 1] in UNITS and \
                UNITS[words[j + 1]] < 10:
            last = "hyphen"
            j += 1
            continue
        if w == "and" and seen and j + 1 < n:
            nxt = words[j + 1]
            if last in ("hundred", "scale") and _word_value(nxt) is not None:
                last = "and"
                j += 1
                continue
            if j + 2 < n and nxt == "a" and words[j + 2] == "half" and last in (
                    "unit", "teen", "tens", "hundred", "scale"):
                current += 0.5
                j += 3
                last = "half"
                break
        break
    if not seen or last == "a":  # "and" and "-" are only taken before a number word
        return None
    return j, total + current


def _merge_ranges(words: Sequence[str], phrases: list[NumberPhrase]) -> list[NumberPhrase]:
    """Join "10 to 20", "10-20", "two or three", "between 10 and 20" into one phrase with bounds
    and no value. Not when the second is smaller ("3-1" is a score) or of another scale."""
    out: list[NumberPhrase] = []
    i = 0
    while i < len(phrases):
        p = phrases[i]
        q = phrases[i + 1] if i + 1 < len(phrases) else None
        if q is not None and q.start == p.end + 1 and p.value and q.value and \
                not p.vague and not q.vague and p.value < q.value <= p.value * 100:
            joiner = words[p.end]
            between = p.start > 0 and words[p.start - 1] == "between" and joiner == "and"
            dash = joiner in ("-", "–") and p.digits and q.digits
            if joiner in ("to", "or") or between or dash:
                start = p.start - 1 if between else p.start
                out.append(NumberPhrase(start, q.end, None, p.value, q.value,
                                        ambiguous=p.ambiguous or q.ambiguous,
                                        digits=p.digits and q.digits, suffix=q.suffix,
                                        is_range=True))
                i += 2
                continue
        out.append(p)
        i += 1
    return out


def find_number_phrases(words: Sequence[str]) -> list[NumberPhrase]:
    """Every number phrase in ``words`` (lower-cased token texts), in order, not overlapping."""
    out: list[NumberPhrase] = []
    n = len(words)
    i = 0
    while i < n:
        w = words[i]
        c = w[:1]
        # digits, possibly followed by a scale word ("1.5 million", "20 thousand", "3 dozen")
        if c.isdigit() or (c == "." and w[1:2].isdigit()):
            num = parse_numeral(w)
            if num is None:
                i += 1
                continue
            end = i + 1
            low, high, value = num.low, num.high, num.value
            # "bn", "mn" are scales; "m", "k", "b" may be metres or a grade: the caller decides
            scale = SUFFIX_SCALES.get(num.suffix) if num.suffix not in _AMBIGUOUS_SUFFIX else None
            suffix = num.suffix if num.suffix in _AMBIGUOUS_SUFFIX else None
            if scale is None and end < n and words[end] in SCALES:
                scale = SCALES[words[end]]
                end += 1
            elif scale is None and suffix is None and end < n and words[end] in (
                    "hundred", "dozen"):
                scale = 100 if words[end] == "hundred" else 12
                end += 1
            elif scale is None and suffix is None and end < n and words[end] in SUFFIX_SCALES:
                suffix = words[end]  # "20 m", "£20 bn": the caller decides
            if scale:
                value = value * scale if value is not None else None
                low = low * scale if low is not None else None
                high = high * scale if high is not None else None
            out.append(NumberPhrase(i, end, value, low, high, ambiguous=num.ambiguous,
                                    digits=True, suffix=suffix))
            i = end
            continue
        if w in _VAGUE_FIRST:
            hit = None
            for seq, lo, hi, val in _VAGUE:
                if tuple(words[i:i + len(seq)]) == seq:
                    hit = (seq, lo, hi, val)
                    break
            if hit is not None:
                seq, lo, hi, val = hit
                # "a few hundred", "several thousand": a vague multiplier of a scale
                end = i + len(seq)
                if seq in (("a", "few"), ("several",), ("a", "couple")) and end < n and (
                        words[end] in SCALES or words[end] in ("hundred", "dozen")):
                    scale = SCALES.get(words[end]) or (100 if words[end] == "hundred" else 12)
                    lo, hi = lo * scale, hi * scale if hi is not None else None
                    val = val * scale if val is not None else None
                    end += 1
                out.append(NumberPhrase(i, end, val, lo, hi, vague=True))
                i = end
                continue
        if w in UNITS or w in TENS or w in ("a", "an", "half"):
            got = _words_number(words, i)
            if got is not None:
                end, value = got
                # "1.5 million" is handled above; "two million" here
                out.append(NumberPhrase(i, end, value, value, value))
                i = end
                continue
        i += 1
    return _merge_ranges(words, out)
