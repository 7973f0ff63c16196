"""Candidate search: which stories might an article belong to, at a cost that does not grow with
the store.

Each story posts keys in the SQLite table ``story_keys`` (``key, day, seq, story_id``, primary key
``(key, day, seq)``): the places of its articles (GeoNames ids), the surnames of the people they
name, their heaviest names and words (hashed TF-IDF terms), each with the publication day of the
article that posted it (-1 when unknown). An article looks up each of its own keys within a
sliding window of days around its publication (``day BETWEEN d-w AND d+w``, newest first, at most
:data:`PER_KEY` rows) and among the undated postings (newest first, same limit); an undated
article takes each key's newest postings. Every lookup is a bounded range scan of the primary
key, so placing an article costs the same at 10,000 or 1,000,000 stored articles. Stories are
ranked by the weight of the keys they share (places and people count most) and the best
``model.candidates`` are compared in full.

A story re-posts a key only when its last posting of that key is more than :data:`REPOST_DAYS`
old, so a long story does not flood the index with one key.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict
from collections.abc import Callable

from crosswire.stories.features import ArticleFeatures
from crosswire.stories.state import StoryState
from crosswire.stories.vectors import ArticleVectors, DocFreq

PER_KEY = 40
REPOST_DAYS = 7
POSTED_KEPT = 300  # keys a story remembers having posted (older ones may be posted again)
UNDATED = -1
_WORD, _NAME = 1 << 40, 2 << 40
WEIGHTS = {"place": 3.0, "surname": 3.0, "name": 2.0, "word": 1.0}


def _text_key(kind: str, text: str) -> int:
    h = int.from_bytes(hashlib.blake2b(f"{kind}:{text}".encode("utf-8"), digest_size=7).digest(), "big")
    return (3 << 52) | h


def article_keys(f: ArticleFeatures, v: ArticleVectors, df: DocFreq) -> dict[int, float]:
    """The index keys of an article with their ranking weights."""
    title, body, names, _ = v.tfidf(df)
    keys: dict[int, float] = {}
    places = [p.key for p in f.event_places if p.fine] + list(f.places)
    for k in list(dict.fromkeys(places))[:6]:
        keys[_text_key("place", k)] = WEIGHTS["place"]
    for s in sorted(f.surnames)[:8]:
        keys[_text_key("surname", s)] = WEIGHTS["surname"]
    for i in names.top(6):
        keys.setdefault(_NAME + int(i), WEIGHTS["name"])
    for i in list(body.top(8)) + list(title.top(4)):
        keys.setdefault(_WORD + int(i), WEIGHTS["word"])
    return keys


def lookup_day(f: ArticleFeatures) -> int | None:
    """The day an article is looked up around: its publication day, else the latest day its own
    text names (an undated report then finds no story months away), else none (the newest postings)."""
    return f.day if f.day is not None else (max(f.days) if f.days else None)


def candidates_for(conn: sqlite3.Connection, keys: dict[int, float], day: int | None, undated: bool,
                   window: int, limit: int, last_day: Callable[[str], int | None]) -> list[tuple[str, float]]:
    """The candidate stories of one or more reports looked up around ``day`` (:func:`lookup_day`).
    Undated reports (``day`` then the latest day their texts name) are also looked up among the
    newest postings (that day may be a background date years back, "since 2016", while the report is
    today's news), and a story whose last report (``last_day``) is more than ``window`` days before
    that day is none of theirs (an inquest in November is no report of a fire in May)."""
    found = candidates(conn, keys, day, window, limit)
    if not undated or day is None:
        return found
    seen = dict(found)
    for story, weight in candidates(conn, keys, None, window, limit):
        seen[story] = max(seen.get(story, 0.0), weight)
    ranked = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [(story, weight) for story, weight in ranked
            if (last := last_day(story)) is None or last >= day - window]


def candidates(conn: sqlite3.Connection, keys: dict[int, float], day: int | None, window: int,
               limit: int) -> list[tuple[str, float]]:
    """The ``limit`` stories sharing the most key weight with an article published on ``day``."""
    score: dict[str, float] = defaultdict(float)
    for key, weight in keys.items():
        if day is None:
            rows = conn.execute(
                "SELECT DISTINCT story_id FROM (SELECT story_id FROM story_keys WHERE key = ? "
                "ORDER BY day DESC, seq DESC LIMIT ?)", (key, PER_KEY)).fetchall()
        else:
            rows = conn.execute(
                "SELECT DISTINCT story_id FROM (SELECT story_id FROM (SELECT story_id FROM story_keys "
                "WHERE key = ? AND day BETWEEN ? AND ? ORDER BY day DESC LIMIT ?) UNION ALL "
                "SELECT story_id FROM (SELECT story_id FROM story_keys WHERE key = ? AND day = ? "
                "ORDER BY seq DESC LIMIT ?))",
                (key, day - window, day + window, PER_KEY, key, UNDATED, PER_KEY)).fetchall()
        for (story,) in rows:
            score[story] += weight
    ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:limit]


def post(conn: sqlite3.Connection, state: StoryState, keys: dict[int, float], day: int | None, seq: int) -> int:
    """Post an article's keys for its story (skipping keys the story posted lately); returns how
    many rows were written."""
    d = UNDATED if day is None else day
    rows = []
    for key in keys:
        last = state.posted.get(key)
        if last is not None and (last == d or (UNDATED not in (d, last) and abs(d - last) <= REPOST_DAYS)):
            continue
        state.posted[key] = d
        rows.append((key, d, seq, state.id))
    if len(state.posted) > 2 * POSTED_KEPT:
        state.posted = dict(sorted(state.posted.items(), key=lambda kv: -kv[1])[:POSTED_KEPT])
    conn.executemany("INSERT OR IGNORE INTO story_keys(key, day, seq, story_id) VALUES (?, ?, ?, ?)", rows)
    return len(rows)


def repoint(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Every posting of story ``old`` now points at ``new`` (a merge)."""
    conn.execute("UPDATE story_keys SET story_id = ? WHERE story_id = ?", (new, old))


def drop(conn: sqlite3.Connection, story_id: str) -> None:
    """Remove a story's postings (before re-posting them after a split)."""
    conn.execute("DELETE FROM story_keys WHERE story_id = ?", (story_id,))
