"""One parsed document for every extractor: a spaCy ``Doc`` read once into plain per-token lists.

spaCy's ``Token`` objects are slow to make and read by the thousand (every ``tok.pos_`` is a string
look-up). :class:`Parsed` reads the columns the extractors need with ONE ``doc.to_array`` call and
turns each into a Python list the first time an extractor asks for it; :meth:`Parsed.of` keeps the
object of the last few Docs, so places, quantities and events share one per article instead of each
reading the Doc again. Extractor-specific readings (an event lexicon's lemmas, number phrases,
capitalised words) stay in their modules as small functions or views over this object.

Offsets are Python string offsets into ``doc.text``; token ``i`` spans ``text[idx[i]:end[i]]``.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from functools import cached_property
from typing import NamedTuple

import numpy as np
from spacy.attrs import (DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_TITLE, LEMMA, LENGTH, LOWER,
                         POS, SENT_START, TAG)

__all__ = ["Ent", "Parsed"]

_COLS = [LOWER, POS, TAG, DEP, LEMMA, ENT_TYPE, ENT_IOB, HEAD, IDX, LENGTH, SENT_START, IS_TITLE, IS_PUNCT]
(_LOWER, _POS, _TAG, _DEP, _LEMMA, _ENT_TYPE, _ENT_IOB, _HEAD, _IDX, _LENGTH, _SENT_START, _IS_TITLE,
 _IS_PUNCT) = range(len(_COLS))
_STR: dict[int, str] = {0: ""}  # string hash -> string, for the process (hashes do not depend on the vocab)
_KEEP = 4  # Docs whose Parsed is kept: an article's body and headline, with room to spare
_RECENT: OrderedDict[int, Parsed] = OrderedDict()
_LOCK = threading.Lock()


class Ent(NamedTuple):
    """A named entity as token range, label and character range (``doc.ents`` without Span objects)."""

    start: int
    end: int
    label: str
    start_char: int
    end_char: int


class Parsed:
    """A parsed text as per-token lists, read once from spaCy's arrays (see the module docstring).

    Read at once: ``text``, ``n``, ``idx`` and ``end`` (char offsets), ``head`` (absolute indices),
    ``iob`` (1 = I, 2 = O, 3 = B) and ``lowh`` (lower-form hashes, a numpy array for ``np.isin``).
    Read on first use: ``low``, ``pos``, ``tag``, ``dep``, ``lemma``, ``ent_type``, ``texts``,
    ``is_title``, ``punct``, ``sent_start``, ``kids``, ``sents``, ``ents`` and ``toks`` (spaCy Tokens,
    for code that walks the tree through them). Every extractor given the Doc gets these same lists:
    read them, never modify them.
    """

    def __init__(self, doc) -> None:  # type: ignore[no-untyped-def]
        self.doc, self.text, n = doc, doc.text, len(doc)
        self.n = n
        self._arr = arr = doc.to_array(_COLS)
        self.strings = doc.vocab.strings
        self.lowh = arr[:, _LOWER]
        self.idx: list[int] = arr[:, _IDX].tolist()
        self.end: list[int] = (arr[:, _IDX] + arr[:, _LENGTH]).tolist()
        self.head: list[int] = (arr[:, _HEAD].astype(np.int64) + np.arange(n)).tolist()
        self.iob: list[int] = arr[:, _ENT_IOB].tolist()

    @classmethod
    def of(cls, doc) -> Parsed:  # type: ignore[no-untyped-def]
        """The shared Parsed of ``doc``: made on the first call, the same object after.

        Kept in a small most-recently-used table that holds the Doc itself, not in
        ``doc.user_data`` (it would make the Doc unserialisable and tie the two in a reference
        cycle) nor in a weak map (the Tokens and the Doc it holds would keep its key alive).
        """
        key = id(doc)
        with _LOCK:
            p = _RECENT.get(key)
            if p is not None and p.doc is doc:
                _RECENT.move_to_end(key)
                return p
        p = cls(doc)
        with _LOCK:
            _RECENT[key] = p
            _RECENT.move_to_end(key)
            while len(_RECENT) > _KEEP:
                _RECENT.popitem(last=False)
        return p

    # ------------------------------------------------------------ strings
    def strs(self, hashes: list[int]) -> list[str]:
        """The strings of a list of hashes, through the process-wide cache."""
        try:
            return [_STR[h] for h in hashes]
        except KeyError:  # a string this process has not met yet
            _STR.update((h, self.strings[h]) for h in set(hashes).difference(_STR))
            return [_STR[h] for h in hashes]

    def _col(self, j: int) -> list[str]:
        return self.strs(self._arr[:, j].tolist())

    @cached_property
    def low(self) -> list[str]:
        """Lower-case forms (spaCy's ``lower_``)."""
        return self._col(_LOWER)

    @cached_property
    def pos(self) -> list[str]:
        """Coarse parts of speech (``pos_``)."""
        return self._col(_POS)

    @cached_property
    def tag(self) -> list[str]:
        """Fine-grained tags (``tag_``)."""
        return self._col(_TAG)

    @cached_property
    def dep(self) -> list[str]:
        """Dependency labels (``dep_``)."""
        return self._col(_DEP)

    @cached_property
    def lemma(self) -> list[str]:
        """Lemmas as spaCy gives them (``lemma_``, not lower-cased)."""
        return self._col(_LEMMA)

    @cached_property
    def ent_type(self) -> list[str]:
        """Entity types ("" outside entities)."""
        return self._col(_ENT_TYPE)

    @cached_property
    def texts(self) -> list[str]:
        """Token texts (``text``)."""
        text = self.text
        return [text[a:b] for a, b in zip(self.idx, self.end)]

    @cached_property
    def is_title(self) -> list[int]:
        """1 where a token is title-cased, else 0."""
        return self._arr[:, _IS_TITLE].tolist()

    @cached_property
    def punct(self) -> list[int]:
        """1 where a token is punctuation, else 0."""
        return self._arr[:, _IS_PUNCT].tolist()

    @cached_property
    def sent_start(self) -> list[bool]:
        """Whether each token starts a sentence (as the parse or the line-break rule set it)."""
        return (self._arr[:, _SENT_START] == 1).tolist()

    @cached_property
    def kids(self) -> list[list[int]]:
        """The children of each token, in text order."""
        kids: list[list[int]] = [[] for _ in range(self.n)]
        for i, h in enumerate(self.head):
            if h != i:
                kids[h].append(i)
        return kids

    @cached_property
    def sents(self) -> list[tuple[int, int]]:
        """Sentences as token ranges [start, end) (spaCy's ``doc.sents``)."""
        return [(s.start, s.end) for s in self.doc.sents]

    @cached_property
    def ents(self) -> list[Ent]:
        """Named entities (spaCy's ``doc.ents``)."""
        return [Ent(e.start, e.end, e.label_, e.start_char, e.end_char) for e in self.doc.ents]

    @cached_property
    def toks(self) -> list:
        """spaCy's Token objects, for code that walks the tree through them."""
        return list(self.doc)

    # ------------------------------------------------------------ generic helpers
    def word(self, i: int) -> str:
        """The text of a token."""
        return self.text[self.idx[i] : self.end[i]]

    def stext(self, i: int, j: int) -> str:
        """The text of tokens i..j-1."""
        return self.text[self.idx[i] : self.end[j - 1]]

    def w(self, i: int) -> str:
        """The lower form of token ``i``, "" outside the text (so ``w(i - 1)`` needs no check)."""
        return self.low[i] if 0 <= i < self.n else ""

    def lemma_lower(self, i: int) -> str:
        """The lower-case lemma of a token."""
        return self.lemma[i].lower()

    def tok_at(self, char: int) -> int:
        """The token a character offset falls in (or the last one starting before it)."""
        return bisect_right(self.idx, char) - 1

    def gap(self, a: int, b: int) -> str:
        """The whitespace between two adjacent tokens."""
        return self.text[self.end[a] : self.idx[b]]

    def child(self, i: int, *deps: str) -> int | None:
        """The first child of a token with one of ``deps``."""
        dep = self.dep
        return next((c for c in self.kids[i] if dep[c] in deps), None)

    def pobj(self, i: int, preps: tuple[str, ...]) -> int | None:
        """The object of the first of ``preps`` hanging off a token ("attack on X")."""
        dep, low = self.dep, self.low
        for c in self.kids[i]:
            if dep[c] in ("prep", "agent") and low[c] in preps:
                p = self.child(c, "pobj")
                if p is not None:
                    return p
        return None

    def subtree(self, i: int) -> list[int]:
        """A token and all its descendants, unordered."""
        out, stack = [], [i]
        while stack:
            out.append(stack.pop())
            stack.extend(self.kids[out[-1]])
        return out

    def root_of(self, a: int, b: int) -> int:
        """The token of a char span [a, b) whose head lies outside it."""
        i, j = max(bisect_right(self.idx, a) - 1, 0), bisect_left(self.idx, b)
        inside = range(i, max(j, i + 1))
        return next((t for t in inside if self.head[t] not in inside or self.head[t] == t), i)
