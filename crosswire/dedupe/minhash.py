"""Stage ``dedupe``: exact and near-duplicate copies (syndicated wire stories) across outlets.

Needs: Article (text, text_hash, published) and its MinHash signature. Fills: ``duplicate_of`` (the
earliest copy) and ``similarity`` (Jaccard of word shingles with that copy).

Signatures are datasketch MinHashes of word shingles; their LSH band keys live in the store
(``lsh_bands``), so looking up candidates is an indexed query whose cost does not grow with the
store and memory stays flat. Candidates are confirmed with the exact Jaccard of their shingles.

The work per article is bounded, whatever the input: each look-up reads at most :data:`PER_KEY`
ids (per band key and per text hash; a bucket of 5,000 copies is sampled, not read whole), a
candidate that is a copy brings its original, and at most :data:`MAX_COMPARED` candidates
(originals first) are compared exactly. Every copy keeps its band keys, so a new copy that misses
the original's bands still finds the group through another copy's. 5,000 near-identical articles
cost 5,000 times one article.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from crosswire.config import Settings
from crosswire.models import Article
from crosswire.store import Store

STAGE = "dedupe.v1"
PER_KEY = 8  # ids read per band key and per text hash
MAX_COMPARED = 24  # candidates compared exactly per article
SHINGLE_CACHE = 64  # originals whose shingles are kept in memory
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int) -> set[str]:
    """Lower-cased word k-grams of a text (the whole text as one shingle when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def text_hash(text: str) -> str:
    """Hash of the whitespace-normalised, lower-cased body, shared by exact copies across outlets."""
    return hashlib.sha256(" ".join(text.split()).lower().encode("utf-8")).hexdigest()[:16]


_MASK32 = np.uint64(0xFFFFFFFF)
_MULT = np.uint64(0x01000193)  # FNV prime: mixes the word hashes of a shingle in order


def shingle_hashes(text: str, k: int) -> np.ndarray:
    """32-bit hashes of the same word k-grams as :func:`shingles`, computed from per-word CRC32s.

    Stable across processes and runs; numpy combines the k word hashes of each shingle, so a text
    costs one C-level hash per word instead of building and hashing every k-gram string.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    wh = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    n = max(1, len(words) - k + 1)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, len(words))):
        h = (h * _MULT + wh[j : j + n]) & _MASK32
    return np.unique(h)


def _identity(value: int) -> int:
    return value


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's random permutations for seed 1, built once per process instead of per text."""
    return MinHash(num_perm=num_perm, seed=1, scheme="affine32").permutations


def signature(text: str, settings: Settings) -> np.ndarray:
    """MinHash signature (uint64 array of ``dedupe_num_perm`` values) of a text's shingles."""
    num_perm = settings.dedupe_num_perm
    mh = MinHash(
        num_perm=num_perm, seed=1, hashfunc=_identity, permutations=_permutations(num_perm), scheme="affine32"
    )
    hashes = shingle_hashes(text, settings.dedupe_shingle_words)
    if len(hashes):
        mh.update_batch(hashes)
    return mh.hashvalues.astype(np.uint64)


@lru_cache(maxsize=8)
def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows per band, as datasketch's LSH chooses them for this threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def band_keys(sig: np.ndarray, settings: Settings) -> list[tuple[int, int]]:
    """(band, key) pairs: a 64-bit hash of each band of the signature."""
    bands, rows = band_shape(settings.dedupe_threshold, settings.dedupe_num_perm)
    out = []
    for b in range(bands):
        digest = hashlib.blake2b(sig[b * rows : (b + 1) * rows].tobytes(), digest_size=8).digest()
        out.append((b, int.from_bytes(digest, "little", signed=True)))
    return out


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _earlier(a: Article, b: Article) -> bool:
    """Whether a was published before b: by UTC instant when both have one, else by day.

    A dated copy counts as earlier than an undated one: an undated copy cannot show that it came
    first, so the group is anchored on the copy whose date is known.
    """
    if a.published and not b.published:
        return True
    if not (a.published and b.published):
        return False
    if a.published_utc and b.published_utc:  # two instants: compare them, whatever the outlets' offsets
        return a.published_utc < b.published_utc
    return bool(a.published_day and b.published_day and a.published_day < b.published_day)


class Deduplicator:
    """Places each new article: an original, or a copy of the earliest copy it matches."""

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self._cache: dict[str, tuple[str, set[str]]] = {}  # insertion-ordered: oldest first out

    def _shingles(self, article: Article) -> set[str]:
        """Shingles of an article; those of the last few originals looked at are kept (an original
        of a large group is compared with every new copy)."""
        cached = self._cache.get(article.id)
        if cached is not None and cached[0] == article.text_hash:
            return cached[1]
        found = shingles(article.text, self.settings.dedupe_shingle_words)
        if article.duplicate_of is None:
            if len(self._cache) >= SHINGLE_CACHE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[article.id] = (article.text_hash, found)
        return found

    def _candidates(self, article: Article, keys: list[tuple[int, int]]) -> list[Article]:
        """At most :data:`MAX_COMPARED` articles to compare with: originals first, each copy found
        replaced by its original, earliest stored first."""
        conn = self.store.conn
        found: dict[str, None] = {}  # ordered set
        for (cid,) in conn.execute(
            "SELECT id FROM articles WHERE text_hash = ? AND id != ? ORDER BY rowid LIMIT ?",
            (article.text_hash, article.id, PER_KEY),
        ):
            found[cid] = None
        for band, key in keys:
            for (cid,) in conn.execute(
                "SELECT article_id FROM lsh_bands WHERE band = ? AND key = ? LIMIT ?", (band, key, PER_KEY)
            ):
                found[cid] = None
        found.pop(article.id, None)
        # one query for what each candidate points to; whole articles are read only to compare
        marks = ",".join("?" * len(found))
        links = dict(
            self.store.conn.execute(
                f"SELECT id, duplicate_of FROM articles WHERE id IN ({marks})", list(found)
            ).fetchall()
        ) if found else {}
        originals: dict[str, None] = {}
        copies: dict[str, None] = {}
        for cid in found:
            if cid not in links:
                continue
            root_id = links[cid]
            if root_id and root_id != article.id:
                originals[root_id] = None
                copies[cid] = None
            elif not root_id:
                originals[cid] = None
        order = list(originals) + [c for c in copies if c not in originals]
        out = []
        for cid in order[:MAX_COMPARED]:
            cand = self.store.get_article(cid)
            if cand is not None:
                out.append(cand)
        return out

    def place(self, article: Article, sig: bytes, run_id: int | None = None) -> bool:
        """Set the article's ``duplicate_of``/``similarity``, store it and its signature.

        Call inside the store's transaction. When the new article was published before the
        original it matches, it becomes the original and the earlier group points to it.
        Returns whether the article is one of a group of copies.
        """
        keys = band_keys(np.frombuffer(sig, dtype=np.uint64), self.settings)
        mine: set[str] = set()
        candidates = self._candidates(article, keys)
        if candidates:
            mine = self._shingles(article)
        best: tuple[float, Article] | None = None
        for cand in candidates:
            if best is not None and best[1].duplicate_of is None and cand.duplicate_of:
                break  # an original matched: its copies lead back to an original, not further
            sim = 1.0 if cand.text_hash == article.text_hash else jaccard(mine, self._shingles(cand))
            if sim >= self.settings.dedupe_threshold and (best is None or sim > best[0]):
                best = (sim, cand)
        root: Article | None = None
        if best is not None:
            root = best[1]
            if root.duplicate_of:
                root = self.store.get_article(root.duplicate_of) or root
        if root is not None and not _earlier(article, root):
            article.duplicate_of = root.id
            article.similarity = round(
                1.0 if root.text_hash == article.text_hash else jaccard(mine, self._shingles(root)), 4
            )
        self.store.insert_article(article, run_id)
        if root is not None and article.duplicate_of is None:
            # The new article is the earliest copy: the whole group now points to it.
            for member_id in [root.id, *self.store.copies_of(root.id)]:
                member = self.store.get_article(member_id)
                if member is None:
                    continue
                sim = 1.0 if member.text_hash == article.text_hash else jaccard(mine, self._shingles(member))
                self.store.set_duplicate(member_id, article.id, round(sim, 4))
        self.store.conn.execute(
            "INSERT OR IGNORE INTO minhashes(article_id, signature) VALUES (?, ?)", (article.id, sig)
        )
        self.store.conn.executemany(
            "INSERT OR IGNORE INTO lsh_bands(band, key, article_id) VALUES (?, ?, ?)",
            [(b, k, article.id) for b, k in keys],
        )
        return root is not None
