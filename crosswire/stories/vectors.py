"""TF-IDF vectors that need no fitted vocabulary: hashed words and names, document frequencies
counted as articles arrive (online IDF, as Miranda et al. 2018 do for streaming news).

Words are lower-cased letter runs without English stop words, a plural ``s`` folded; names are
the article's normalised entity names, each one token. Both are hashed (scikit-learn's
``HashingVectorizer``, MurmurHash3) into fixed spaces, so memory and cost stay flat however many
articles the store holds. A vector is sublinear TF x IDF, L2-normalised, held as sorted index
and value arrays; a story's centroid is the sum of its articles' vectors, truncated to its
heaviest terms.
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
_TOKEN = re.compile(r"[^\W\d_]{2,}")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "according", "reported", "news", "just"}


def words(text: str) -> list[str]:
    """The words of a text that carry content, plural ``s`` folded (shootings -> shooting)."""
    out = []
    for w in _TOKEN.findall(text.lower()):
        if w in _STOP:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        out.append(w)
    return out


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

    def norm(self) -> float:
        return float(np.sqrt(np.dot(self.val, self.val)))

    def dot(self, other: "Sparse") -> float:
        if not len(self.idx) or not len(other.idx):
            return 0.0
        _, i, j = np.intersect1d(self.idx, other.idx, assume_unique=True, return_indices=True)
        return float(np.dot(self.val[i], other.val[j]))

    def cosine(self, other: "Sparse") -> float:
        n = self.norm() * other.norm()
        return self.dot(other) / n if n else 0.0

    def add(self, other: "Sparse", keep: int) -> "Sparse":
        """The sum, truncated to its ``keep`` heaviest terms."""
        if not len(other.idx):
            return self
        idx = np.concatenate([self.idx, other.idx])
        uniq, inv = np.unique(idx, return_inverse=True)
        val = np.bincount(inv, weights=np.concatenate([self.val, other.val])).astype(np.float32)
        if len(uniq) > keep:
            top = np.sort(np.argpartition(-val, keep)[:keep])
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

    def add(self, word_idx: np.ndarray, name_idx: np.ndarray) -> None:
        """Count one article holding these (unique) word and name indices."""
        self.n += 1
        self.words[word_idx] += 1
        self.names[name_idx] += 1

    def idf(self, table: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return (np.log((self.n + 1.0) / (table[idx] + 1.0)) + 1.0).astype(np.float32)

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


@dataclass
class ArticleVectors:
    """An article's three TF-IDF vectors (title, body, names)."""

    title: Sparse
    body: Sparse
    names: Sparse


def _row(matrix, i: int) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    a, b = matrix.indptr[i], matrix.indptr[i + 1]
    idx = matrix.indices[a:b].astype(np.int32)
    order = np.argsort(idx)
    return idx[order], matrix.data[a:b][order]


def _weigh(idx: np.ndarray, tf: np.ndarray, idf: np.ndarray) -> Sparse:
    if not len(idx):
        return Sparse.empty()
    w = (1.0 + np.log(tf)) * idf
    n = float(np.sqrt(np.dot(w, w)))
    return Sparse(idx, (w / n).astype(np.float32) if n else w.astype(np.float32))


def count(titles: list[str], bodies: list[str], names: list[list[str]]):  # type: ignore[no-untyped-def]
    """Hashed term counts of a batch of articles (three CSR matrices)."""
    return WORD_HASHER.transform(titles), WORD_HASHER.transform(bodies), NAME_HASHER.transform(names)


def vectorise(counts, i: int, df: DocFreq, *, learn: bool = True) -> ArticleVectors:  # type: ignore[no-untyped-def]
    """Row ``i`` of a batch as TF-IDF vectors; a new article (``learn``) is counted in ``df`` first."""
    t_idx, t_tf = _row(counts[0], i)
    b_idx, b_tf = _row(counts[1], i)
    n_idx, n_tf = _row(counts[2], i)
    if learn:
        df.add(np.union1d(t_idx, b_idx), n_idx)
    return ArticleVectors(_weigh(t_idx, t_tf, df.idf(df.words, t_idx)),
                          _weigh(b_idx, b_tf, df.idf(df.words, b_idx)),
                          _weigh(n_idx, n_tf, df.idf(df.names, n_idx)))


def log_scaled(x: float, top: float) -> float:
    """``log1p(x) / log1p(top)``, capped at 1."""
    return min(1.0, math.log1p(max(0.0, x)) / math.log1p(top))
