"""TF-IDF vectors that need no fitted vocabulary: hashed words and names, document frequencies
counted as articles arrive (online IDF, as Miranda et al. 2018 do for streaming news).

Words are lower-cased word characters runs (numbers included: "23 pirates", "6.1", "2008" tell
look-alike events apart) without English stop words; names are
the article's normalised entity names, each one token. Both are hashed (scikit-learn's
``HashingVectorizer``, MurmurHash3) into fixed spaces, so memory and cost stay flat however many
articles the store holds. An article's vector is its sublinear TF, L2-normalised, held as sorted
index and value arrays; a story's centroid is the sum of its articles' vectors, truncated to its
heaviest terms. IDF weights are applied only when comparing, from the document frequencies of
that moment.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer

WORD_SPACE = 2**20
NAME_SPACE = 2**18
_TOKEN = re.compile(r"\w+")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "according", "reported", "news", "just"}


def words(text: str) -> list[str]:
    """The words (and numbers) of a text that carry content."""
    return [w for w in _TOKEN.findall(text.lower()) if w not in _STOP]


def _names(names: list[str]) -> list[str]:
    return names


WORD_HASHER = HashingVectorizer(analyzer=words, n_features=WORD_SPACE, alternate_sign=False, norm=None,
                                dtype=np.float32)
NAME_HASHER = HashingVectorizer(analyzer=_names, n_features=NAME_SPACE, alternate_sign=False, norm=None,
                                dtype=np.float32)


@dataclass
class Sparse:
    """A sparse vector: sorted unique indices and their values."""

    idx: np.ndarray  # int32
    val: np.ndarray  # float32

    @classmethod
    def empty(cls) -> "Sparse":
        return cls(np.zeros(0, np.int32), np.zeros(0, np.float32))

    def add(self, other: "Sparse", keep: int, rank=None) -> "Sparse":  # type: ignore[no-untyped-def]
        """The sum, truncated to its ``keep`` heaviest terms (weighted by ``rank(indices)`` if given)."""
        if not len(other.idx):
            return self
        idx = np.concatenate([self.idx, other.idx])
        uniq, inv = np.unique(idx, return_inverse=True)
        val = np.bincount(inv, weights=np.concatenate([self.val, other.val])).astype(np.float32)
        if len(uniq) > keep:
            heavy = val * rank(uniq) if rank is not None else val
            top = np.sort(np.argpartition(-heavy, keep)[:keep])
            uniq, val = uniq[top], val[top]
        return Sparse(uniq.astype(np.int32), val)

    def top(self, k: int) -> np.ndarray:
        """Indices of the ``k`` heaviest terms."""
        if len(self.idx) <= k:
            return self.idx
        return self.idx[np.argpartition(-self.val, k)[:k]]


class DocFreq:
    """Document frequencies of hashed words and names, counted as articles arrive."""

    def __init__(self, n: int = 0, words_df: np.ndarray | None = None, names_df: np.ndarray | None = None):
        self.n = n
        self.words = words_df if words_df is not None else np.zeros(WORD_SPACE, np.int32)
        self.names = names_df if names_df is not None else np.zeros(NAME_SPACE, np.int32)

    def add(self, counts) -> None:  # type: ignore[no-untyped-def]
        """Count a batch of articles (the matrices of :func:`count`): each word or name once per article."""
        words = (counts[0] + counts[1]).tocsr()
        self.n += words.shape[0]
        self.words += np.bincount(words.indices, minlength=WORD_SPACE).astype(np.int32)
        self.names += np.bincount(counts[2].tocsr().indices, minlength=NAME_SPACE).astype(np.int32)

    def idf_words(self, idx: np.ndarray) -> np.ndarray:
        return (np.log((self.n + 1.0) / (self.words[idx] + 1.0)) + 1.0).astype(np.float32)

    def idf_names(self, idx: np.ndarray) -> np.ndarray:
        return (np.log((self.n + 1.0) / (self.names[idx] + 1.0)) + 1.0).astype(np.float32)

    def to_bytes(self) -> bytes:
        head = np.array([self.n], np.int64).tobytes()
        return zlib.compress(head + self.words.tobytes() + self.names.tobytes(), 1)

    @classmethod
    def from_bytes(cls, blob: bytes) -> "DocFreq":
        raw = zlib.decompress(blob)
        n = int(np.frombuffer(raw[:8], np.int64)[0])
        w = np.frombuffer(raw[8 : 8 + 4 * WORD_SPACE], np.int32).copy()
        m = np.frombuffer(raw[8 + 4 * WORD_SPACE :], np.int32).copy()
        return cls(n, w, m)


def weighted(v: Sparse, idf: np.ndarray) -> Sparse:
    """TF x IDF, L2-normalised."""
    w = v.val * idf
    n = float(np.sqrt(np.dot(w, w)))
    return Sparse(v.idx, w / n if n else w)


@dataclass
class ArticleVectors:
    """An article's term vectors (title, body, names): sublinear TF, L2-normalised. IDF weights are
    applied when comparing (:meth:`tfidf`), with the document frequencies of that moment, so a
    story's centroid is never stuck with the weights of the day its first article came."""

    title: Sparse
    body: Sparse
    names: Sparse
    lead: Sparse
    _tfidf: tuple[Sparse, Sparse, Sparse, Sparse] | None = None

    def tfidf(self, df: DocFreq) -> tuple[Sparse, Sparse, Sparse, Sparse]:
        """(title, body, names, lead) as normalised TF-IDF vectors (computed once)."""
        if self._tfidf is None:
            self._tfidf = (weighted(self.title, df.idf_words(self.title.idx)),
                           weighted(self.body, df.idf_words(self.body.idx)),
                           weighted(self.names, df.idf_names(self.names.idx)),
                           weighted(self.lead, df.idf_words(self.lead.idx)))
        return self._tfidf


def _row(matrix, i: int) -> Sparse:  # type: ignore[no-untyped-def]
    a, b = matrix.indptr[i], matrix.indptr[i + 1]
    idx = matrix.indices[a:b].astype(np.int32)
    order = np.argsort(idx)
    if not len(idx):
        return Sparse.empty()
    w = 1.0 + np.log(matrix.data[a:b][order])
    return Sparse(idx[order], (w / np.sqrt(np.dot(w, w))).astype(np.float32))


LEAD_WORDS = 60


def lead(body: str) -> str:
    """The first words of a body: where a report says what happened."""
    return " ".join(body.split()[:LEAD_WORDS])


def count(titles: list[str], bodies: list[str], names: list[list[str]]):  # type: ignore[no-untyped-def]
    """Hashed term counts of a batch of articles (CSR matrices: title, body, names, lead)."""
    return (WORD_HASHER.transform(titles), WORD_HASHER.transform(bodies), NAME_HASHER.transform(names),
            WORD_HASHER.transform([lead(b) for b in bodies]))


def vectorise(counts, i: int) -> ArticleVectors:  # type: ignore[no-untyped-def]
    """Row ``i`` of a batch of counts as an article's term vectors."""
    return ArticleVectors(_row(counts[0], i), _row(counts[1], i), _row(counts[2], i), _row(counts[3], i))


def dot(a: Sparse, b: Sparse) -> float:
    """The dot product of two sparse vectors (their cosine when both are normalised)."""
    if not len(a.idx) or not len(b.idx):
        return 0.0
    if len(a.idx) > len(b.idx):
        a, b = b, a
    pos = np.searchsorted(b.idx, a.idx)
    pos[pos == len(b.idx)] = 0
    hit = b.idx[pos] == a.idx
    return float(np.dot(a.val[hit], b.val[pos[hit]]))


def log_scaled(x: float, top: float) -> float:
    """``log1p(x) / log1p(top)``, capped at 1."""
    return min(1.0, math.log1p(max(0.0, x)) / math.log1p(top))
