"""Sentence spans in stored article text, without a parser: the cross-check's cheap splitter.

A sentence ends at ". ! ?" (closing quotes and brackets included) before a capital or a digit,
or at a line break; a full stop after an initial or a common abbreviation ("Gen.", "Mr.",
"Jan.", "a.m.") does not end one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

_BREAK = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")
_ABBREV = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|St|Gov|Sen|Rep|Prof|Capt|Maj|Adm|Rev|Jr|Sr|"
                     r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|vs|Inc|Co|Corp|Ltd|a\.m|p\.m))\.$")


@lru_cache(maxsize=256)
def _breaks(text: str) -> tuple[int, ...]:
    """Offsets where sentences start (0 included)."""
    out = [0]
    for m in _BREAK.finditer(text):
        if text[m.start()] == "." and _ABBREV.search(text[max(0, m.start() - 6):m.start() + 1]):
            continue
        out.append(m.end())
    return tuple(out)


def sentence(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """(start, end) of the sentence holding ``start`` (running on to ``end``)."""
    b = _breaks(text)
    s = b[bisect_right(b, start) - 1]
    k = bisect_right(b, max(start, (end or start) - 1))
    return s, (b[k] if k < len(b) else len(text))
