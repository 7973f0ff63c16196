"""People's names across scripts and spellings: one Latin key per name, compared fuzzily.

Stage ``names_xlang.v1``. A name written in Cyrillic is transliterated with the BGN/PCGN system
of its language (PyICU: ``Russian-Latin/BGN`` for ru and for Cyrillic of an unknown language,
``Ukrainian-Latin/BGN`` for uk, ``Belarusian-Latin/BGN`` for be), any other script with ICU's
``Any-Latin``, then everything is folded to lower-case ASCII (``Latin-ASCII``: "Łukaszenka" ->
"lukaszenka"). So Вадим Денисенко (ru) -> "vadim denisenko", Вадим Денисенко (uk) -> "vadym
denysenko", Лукашенко -> "lukashenko". :func:`skeleton` folds the spellings that transliteration
systems and languages write differently (kh/h, y/i/j, sz/sh, cz/ch, w/v, doubled letters) so
that :func:`same_person` can compare surnames with rapidfuzz: Vadim Denisenko = Vadym Denysenko,
Lukashenko = Łukaszenka. Chinese names come out as pinyin syllables ("lu ka shen ke") and match
only other Chinese writings of the name.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from rapidfuzz import fuzz

STAGE = "names_xlang.v1"
SURNAME_MIN = 85  # rapidfuzz ratio of two surname skeletons for the same person
_BGN = {"ru": "Russian-Latin/BGN", "uk": "Ukrainian-Latin/BGN", "be": "Belarusian-Latin/BGN"}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LOCK = threading.Lock()
_TRANSFORMS: dict[str, object] = {}


def _transform(language: str | None, cyrillic: bool):  # type: ignore[no-untyped-def]
    import icu  # PyICU: loaded on the first non-ASCII name

    rules = (_BGN.get(language or "", _BGN["ru"]) + "; " if cyrillic else "") + "Any-Latin; Latin-ASCII"
    with _LOCK:
        tr = _TRANSFORMS.get(rules)
        if tr is None:
            tr = _TRANSFORMS[rules] = icu.Transliterator.createInstance(rules)
    return tr


@lru_cache(maxsize=65536)
def latin(text: str, language: str | None = None) -> str:
    """``text`` in lower-case ASCII letters (see the module docstring); ASCII text is only lower-cased."""
    if text.isascii():
        return text.lower()
    cyrillic = bool(_CYRILLIC.search(text))
    out = _transform(language if cyrillic else None, cyrillic).transliterate(text)  # type: ignore[attr-defined]
    return out.replace("\u00b7", "").replace("'", "").replace("\u02b9", "").lower()


_FOLDS = (("shch", "sh"), ("sch", "sh"), ("sz", "sh"), ("cz", "ch"), ("kh", "h"), ("zh", "z"), ("rz", "z"),
          ("ts", "c"), ("w", "v"), ("j", "i"), ("y", "i"), ("ie", "e"), ("ye", "e"), ("ck", "k"), ("ph", "f"))


@lru_cache(maxsize=65536)
def skeleton(text: str, language: str | None = None) -> str:
    """A name's key with the spellings that languages write differently folded (see the module docstring)."""
    s = re.sub(r"[^a-z ]+", " ", latin(text, language))
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)
    return " ".join(s.split())


def surname_key(name: str, language: str | None = None) -> str:
    """The skeleton of a name's last word ("" for none)."""
    parts = skeleton(name, language).split()
    return parts[-1] if parts else ""


def same_person(a: str, b: str, language_a: str | None = None, language_b: str | None = None) -> bool | None:
    """True when two names (any scripts) are one person's: surnames alike by rapidfuzz and given
    names, where both have one, agreeing on the initial; False when both are named and differ;
    None when either is empty."""
    ka, kb = skeleton(a, language_a).split(), skeleton(b, language_b).split()
    if not ka or not kb:
        return None
    if fuzz.ratio(_ending(ka[-1]), _ending(kb[-1])) < SURNAME_MIN:
        return False
    if len(ka) > 1 and len(kb) > 1:
        return ka[0][0] == kb[0][0]
    return True


def _ending(surname: str) -> str:
    """A surname without the vowel ending languages change ("lukashenka" / "lukashenko")."""
    return surname[:-1] if len(surname) > 5 and surname[-1] in "aeiou" else surname
