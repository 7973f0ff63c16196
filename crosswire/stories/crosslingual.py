"""Reports in two languages: what stands in for the word similarities when the words differ.

Stage ``stories.crosslingual.v1``. The story model (:mod:`.model`) weighs how alike two texts are
by TF-IDF cosines of their words and names; a Russian report of an event and an English one share
almost none. When an article is compared with a story that holds reports in another language
(languages as ingest detected them; an unknown language is no evidence either way), a
:class:`Bridge` measures two things that need no translation:

* a **fingerprint** similarity: what the two say in language-free values, kind by kind: places
  (GeoNames ids), days (ISO), numbers written in digits ("12", "6:40", "2025"), people
  (transliterated surnames, :mod:`crosswire.crosscheck.names_xlang`) and the death and injury
  tolls of the event; for each kind both sides state, the share of the article's values the story
  also states, averaged with weights :data:`FINGERPRINT_WEIGHTS`;
* a **multilingual embedding** cosine (:mod:`.embeddings`) between the article's title and lead
  and the centroid of the story's latest :data:`STORY_ARTICLES` reports.

The story index finds candidates by the places, people and words an article shares with a story;
a report in another language may share none (a Chinese place name the gazetteer lacks), so
:meth:`Bridge.more` adds the stories of the same run active within :data:`WINDOW_DAYS` of its publication that
hold reports in another language and whose embedding centroid is at least :data:`CANDIDATE_MIN`
alike (the :data:`EXTRA` most alike, among the :data:`SCAN` latest such stories).

They lift the model's text similarities to what a same-language report of the same event would
score: ``title``, ``lead`` and ``body`` to ``EMBED_SCALE * (cosine - EMBED_FLOOR) / (1 -
EMBED_FLOOR)`` and ``names`` to ``NAMES_SCALE * fingerprint``, where those are higher than the
words gave. The model's own agreements and clashes of facts (same event day or place, another
toll, another country) then decide as for any pair, so a look-alike in another language (the same
kind of event on another day or in another place) is kept apart by the facts that differ. The
constants were set by reasoning and checked on the dev half of ``tests/fixtures/crosslingual`` (its
README: B-cubed F1 1.000 there). Pairs in one language are not bridged: bridging English pairs too
lowered ECB+ dev B-cubed F1 from 0.837 to 0.822 (more joins of look-alikes), so an English store
never computes an embedding.
"""

from __future__ import annotations

import re
import sqlite3
from collections import OrderedDict
from itertools import islice
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from crosswire.stories import embeddings
from crosswire.stories.features import ArticleFeatures
from crosswire.stories.state import StoryState

STAGE = "stories.crosslingual.v1"
STORY_ARTICLES = 12  # the story's latest reports its embedding centroid and numbers come from
EMBED_FLOOR = 0.35  # cosines at or below this say nothing (reports of unrelated events)
EMBED_SCALE = 0.55  # a cosine of 1 counts as a same-language text cosine of this much
NAMES_SCALE = 0.6  # a full fingerprint agreement counts as a names cosine of this much
FINGERPRINT_WEIGHTS = {"places": 3.0, "days": 2.0, "numbers": 2.0, "people": 2.0, "tolls": 2.0}
TEXT_FEATURES = ("title", "lead", "body")
NUMBER_CHARS = 1500  # numbers are read from the title and the start of the body
_NUMBER = re.compile(r"(?<![\w.,:])\d{1,4}(?:[.,:]\d{1,3})?(?![\w])|(?<=\D)\d{1,4}(?=[^\W\d_])")
_CACHE = 2_000
WINDOW_DAYS = 3  # a report in another language may come a day or two after the event's first
SCAN = 100  # stories active in that window looked at, latest first
EXTRA = 3  # stories in other languages added to the comparison
CANDIDATE_MIN = 0.5  # the embedding cosine a story needs to be added


def numbers(title: str, body: str) -> frozenset[str]:
    """The numbers an article writes in digits near its start, as written ("12", "6:40", "2025";
    also a number glued to a word in scripts without spaces: "12人")."""
    text = f"{title}\n{body[:NUMBER_CHARS]}"
    return frozenset(m.group(0).replace(",", ".") for m in _NUMBER.finditer(text))


@dataclass
class StorySide:
    """What the bridge needs of a story: its reports' languages, embedding centroid and numbers."""

    languages: frozenset[str]
    numbers: frozenset[str]
    texts: dict[str, tuple[str, str]]  # article id -> (title, start of body), for the embeddings
    centroid: np.ndarray | None = None


def languages_differ(language: str | None, story_languages: frozenset[str]) -> bool:
    """True when the article's language is known and the story holds a report in another known one."""
    return bool(language) and any(lang != language for lang in story_languages)


def _share(mine: set[Any] | frozenset[Any], theirs: set[Any] | frozenset[Any]) -> float | None:
    if not mine or not theirs:
        return None
    return len(set(mine) & set(theirs)) / len(mine)


def fingerprint(f: ArticleFeatures, s: StoryState, story_numbers: frozenset[str],
                article_numbers: frozenset[str]) -> tuple[float | None, dict[str, float]]:
    """The language-free agreement of an article and a story (0..1, None when they state no kind
    of value in common) and its parts."""
    places = set(f.places) | {p.key for p in f.event_places if p.fine}
    story_places = set(s.places) | set(s.event_places)
    days = set(f.days) | ({f.event_day} if f.event_day is not None else set())
    story_days = set(s.days) | set(s.event_days)
    tolls = {(k, v) for k in ("killed", "injured") if (v := getattr(f, k)) is not None}
    story_tolls = {(k, v) for k in ("killed", "injured") for v in getattr(s, k)}
    parts = {"places": _share(places, story_places), "days": _share(days, story_days),
             "numbers": _share(article_numbers, story_numbers), "people": _share(set(f.surnames), set(s.surnames)),
             "tolls": _share(tolls, story_tolls)}
    known = {k: v for k, v in parts.items() if v is not None}
    if not known:
        return None, {}
    total = sum(FINGERPRINT_WEIGHTS[k] for k in known)
    return sum(FINGERPRINT_WEIGHTS[k] * v for k, v in known.items()) / total, {k: round(v, 3) for k, v in known.items()}


def lifted(cosine: float) -> float:
    """An embedding cosine as the text cosine a same-language report would have."""
    return EMBED_SCALE * max(0.0, cosine - EMBED_FLOOR) / (1.0 - EMBED_FLOOR)


class Bridge:
    """Compares articles with stories across languages for one grouping run (one connection)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.sides: OrderedDict[tuple[str, int], StorySide] = OrderedDict()
        self.article_vectors: dict[str, np.ndarray] = {}

    def side(self, s: StoryState) -> StorySide:
        """The story's languages, embedding centroid and numbers (read again when it has grown)."""
        key = (s.id, s.n)
        got = self.sides.get(key)
        if got is None:
            rows = self.conn.execute(
                "SELECT a.id, a.language, a.title, substr(a.text, 1, ?) FROM story_articles sa "
                "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? AND sa.role = 'original' "
                "ORDER BY sa.seq DESC LIMIT ?", (NUMBER_CHARS, s.id, STORY_ARTICLES)).fetchall()
            got = StorySide(frozenset(r[1] for r in rows if r[1]),
                            frozenset().union(*(numbers(r[2] or "", r[3] or "") for r in rows)),
                            {r[0]: (r[2] or "", r[3] or "") for r in rows})
            self.sides[key] = got
            while len(self.sides) > _CACHE:
                self.sides.popitem(last=False)
        return got

    def _centroid(self, side: StorySide) -> np.ndarray:
        if side.centroid is None:
            vecs = embeddings.vectors(self.conn, side.texts)
            side.centroid = np.mean(np.vstack(list(vecs.values())), axis=0) if vecs else np.zeros(embeddings.DIM)
        return side.centroid

    def _vector(self, f: ArticleFeatures) -> np.ndarray:
        v = self.article_vectors.get(f.id)
        if v is None:
            v = embeddings.vectors(self.conn, {f.id: (f.title, f.body)})[f.id]
            self.article_vectors[f.id] = v
            if len(self.article_vectors) > _CACHE:
                self.article_vectors.pop(next(iter(self.article_vectors)))
        return v

    def more(self, f: ArticleFeatures, compared: list[tuple[float, str, StoryState]],
             state: Callable[[str], StoryState | None],
             recent: Mapping[str, StoryState]) -> list[tuple[float, str, StoryState]]:
        """Stories in other languages to compare ``f`` with, beyond the ``compared`` ones the index
        found (see the module docstring), among the run's ``recent`` story states (in the order last
        used; ``state`` gives the current state). Only the run's stories: a look-up of stored ones by
        day would read a share of the stories table that grows with the store."""
        day = f.day if f.day is not None else max(f.days) if f.days else None
        if not f.language or day is None:
            return []
        low, high = day - WINDOW_DAYS, day + WINDOW_DAYS
        have = {sid for _, sid, _ in compared}
        ids = []
        for sid in islice(reversed(recent), SCAN):  # not a list of every cached story: that grew with the run
            s = recent[sid]
            if s.first_day is not None and s.last_day is not None and s.last_day >= low and s.first_day <= high:
                ids.append(sid)
        found = []
        for sid in dict.fromkeys(ids):
            if sid in have or (s := state(sid)) is None:
                continue
            side = self.side(s)
            if not languages_differ(f.language, side.languages):
                continue
            cos = embeddings.cosine(self._vector(f), self._centroid(side))
            if cos >= CANDIDATE_MIN:
                found.append((cos, sid, s))
        found.sort(key=lambda t: (-t[0], t[1]))
        return found[:EXTRA]

    def __call__(self, f: ArticleFeatures, s: StoryState, x: dict[str, float], why: dict[str, Any]) -> None:
        """Lift ``x``'s text similarities (see the module docstring) when ``f`` and the story's
        reports are written in different languages; say so in ``why``."""
        side = self.side(s)
        if not languages_differ(f.language, side.languages):
            return
        cos = embeddings.cosine(self._vector(f), self._centroid(side))
        fp, parts = fingerprint(f, s, side.numbers, numbers(f.title, f.body))
        text = lifted(cos)
        for k in TEXT_FEATURES:
            x[k] = max(x[k], text)
        if fp is not None:
            x["names"] = max(x["names"], NAMES_SCALE * fp)
        why["crosslingual"] = {"languages": sorted(side.languages | {f.language or ""} - {""}),
                               "embedding": round(cos, 3), "fingerprint": None if fp is None else round(fp, 3),
                               "agree": parts}
