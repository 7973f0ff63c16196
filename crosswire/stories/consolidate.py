"""Consolidation: after a grouping run, each story that changed is checked again as a whole.

Articles are placed one at a time, so an early wrong join (two look-alike events in one story)
becomes a magnet for both events' later reports, and reports of one event that came in at an odd
angle may start stories of their own. Once a run has placed its articles, every story it changed
is checked with what is known now, by how alike its reports are to each other (average link over
their TF-IDF title, body, names and lead vectors, :data:`WEIGHTS`), as a bag-of-words clustering
would judge it, but only inside the stories the model built:

* **split**: the story's originals are cut in two by average-link clustering; when the two halves
  are less alike than :data:`SPLIT_BELOW` (or than :data:`SPLIT_CLASH` while what most of each
  half says clashes: whom they are about, the latest year, the death toll; :func:`clashes`) and
  each holds at least two reports (when average link's cut is one odd report and the rest, the
  spectral bisection of :func:`_bisect` is tried: its sides, three reports or more each, are two
  events when less alike than :data:`SPECTRAL_CLASH` while two kinds of their main facts clash,
  e.g. whom they are about and the latest year), the smaller half (with its copies) becomes a story of its own,
  linked to the first as *related* with why, and each half is checked again. The story id stays
  with the bigger half (the incremental contract: an id stays with most of its articles).
* **merge**: the candidate stories the index finds for it (:mod:`.index`, the same time window as
  placing) are compared by average link; when the most alike one reaches :data:`MERGE_AT`, the
  smaller story joins the bigger one (whose id stays), unless the model judges most of the
  smaller one's reports another event (:func:`crosswire.stories.model.another_event`: a
  follow-up stays a related story).

Each move is written into the moved articles' ``why`` (``consolidation``: kind, from, the
similarities) and counted in the run's summary. A story that holds an article a reader's
correction moved (:mod:`.corrections`) is never split, merged or merged into: a correction by
hand is never undone. Thresholds were chosen on the ECB+ and GVC train and dev splits (the mean
of the four B-cubed F1, ``benchmarks/baseline_tfidf.py``); a story larger than
:data:`MAX_MEMBERS` originals is not re-clustered (the cost is quadratic in its size).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from crosswire.stories import index
from crosswire.stories.features import ArticleFeatures, load_features
from crosswire.stories.model import another_event, compare, main_values
from crosswire.stories.state import StoryState
from crosswire.stories.vectors import ArticleVectors, DocFreq, count, dot, vectorise
from crosswire.times import utcnow_iso

if TYPE_CHECKING:  # the grouping run passes itself in; no import of group.py at run time
    from crosswire.stories.group import Grouper

STAGE = "stories.consolidate.v2"  # v2: the spectral bisection
WEIGHTS = (0.5, 1.0, 1.0, 0.5)  # title, body, names, lead cosines in one article-to-article similarity
SPLIT_BELOW = 0.18  # the two halves of a story less alike than this (average link) are two stories
SPLIT_CLASH = 0.235  # ... or less alike than this while their main facts clash (:func:`clashes`)
MERGE_AT = 0.25  # two stories at least this alike (average link) are one
MIN_SPLIT = 2  # reports in each half of a split
SPECTRAL = True  # when average link's halves are no split, try the spectral bisection (:func:`_bisect`)
SPECTRAL_CLASH = 0.235  # ... whose sides are less alike than this while two kinds of their main facts clash
SPECTRAL_MIN = 3  # ... and each side holds this many reports
MAX_PARTS = 8  # parts one story may be split into by one pass
MAX_MEMBERS = 200  # originals of a story re-clustered at most (average link costs n^2)
MERGE_CANDIDATES = 6  # candidate stories of the index compared in full for a merge
CENTROID_SLACK = 0.05  # a story's centroid keeps its heaviest terms only (state.KEEP): a margin
KEY_MEMBERS = 3  # a story's newest originals whose index keys look for merge candidates


@dataclass
class ConsolidationSummary:
    """What one consolidation pass changed."""

    checked: int = 0
    splits: int = 0
    merges: int = 0
    moved: int = 0  # articles (copies included) moved by splits and merges
    changed: set[str] = field(default_factory=set)  # stories whose articles changed
    gone: set[str] = field(default_factory=set)  # stories merged into another


def members(conn, story_id: str) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    """(article, role, seq) of a story's members in placing order."""
    return conn.execute(
        "SELECT article_id, role, seq FROM story_articles WHERE story_id = ? ORDER BY seq", (story_id,)).fetchall()


def rebuild(conn, grouper: "Grouper", story_id: str) -> None:  # type: ignore[no-untyped-def]
    """Recompute a story's state, counts and index postings from its articles (inside a transaction)."""
    ms = members(conn, story_id)
    originals = [(aid, seq) for aid, role, seq in ms if role == "original"]
    feats = load_features(conn, [aid for aid, _ in originals])
    kept = [(feats[aid], seq) for aid, seq in originals if aid in feats]
    fs = [f for f, _ in kept]
    counts = count([f.title for f in fs], [f.body for f in fs], [f.entities for f in fs])
    state = StoryState(story_id)
    index.drop(conn, story_id)
    for n, (f, seq) in enumerate(kept):
        v = vectorise(counts, n)
        state.add(f, v, grouper.df)
        index.post(conn, state, index.article_keys(f, v, grouper.df), f.day, seq)
    grouper.cache[story_id] = state
    grouper.write(state)
    conn.execute("UPDATE stories SET n_articles = ? WHERE id = ?", (len(ms), story_id))


class _Articles:
    """Features and vectors of stored originals, read once per pass."""

    def __init__(self, conn, df: DocFreq):  # type: ignore[no-untyped-def]
        self.conn, self.df = conn, df
        self.feats: dict[str, ArticleFeatures] = {}
        self.vecs: dict[str, ArticleVectors] = {}

    def load(self, ids: list[str]) -> None:
        todo = [a for a in ids if a not in self.vecs]
        if not todo:
            return
        feats = load_features(self.conn, todo)
        got = [a for a in todo if a in feats]
        fs = [feats[a] for a in got]
        counts = count([f.title for f in fs], [f.body for f in fs], [f.entities for f in fs])
        for n, a in enumerate(got):
            self.feats[a] = feats[a]
            self.vecs[a] = vectorise(counts, n)

    def matrix(self, rows: list[str], cols: list[str]) -> np.ndarray:
        """How alike every row article is to every column article: the :data:`WEIGHTS`-weighted mean
        of their title, body, names and lead TF-IDF cosines."""
        total = np.zeros((len(rows), len(cols)))
        for k, w in enumerate(WEIGHTS):
            a = [self.vecs[x].tfidf(self.df)[k] for x in rows]
            b = [self.vecs[x].tfidf(self.df)[k] for x in cols]
            terms = np.unique(np.concatenate([v.idx for v in a + b]))  # the terms in use, as columns
            total += w * (_dense(a, terms) @ _dense(b, terms).T)
        return total / sum(WEIGHTS)


def _dense(vs: list, terms: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    out = np.zeros((len(vs), len(terms)))
    for i, v in enumerate(vs):
        out[i, np.searchsorted(terms, v.idx)] = v.val
    return out


def _pinned(conn, story_id: str, corrected: bool = True) -> bool:  # type: ignore[no-untyped-def]
    """Whether a reader's correction moved an article of the story (it is then left as it is);
    ``corrected`` False: the store records no correction at all (:func:`_any_correction`), nothing is read."""
    if not corrected:
        return False
    return conn.execute("SELECT 1 FROM story_articles WHERE story_id = ? AND why LIKE '%\"corrections\"%' LIMIT 1",
                        (story_id,)).fetchone() is not None


def _any_correction(conn) -> bool:  # type: ignore[no-untyped-def]
    """Whether the store records any correction by a reader (most stores none: then no story's
    articles are searched for one; an index search of the last id, not a scan)."""
    return conn.execute("SELECT max(id) FROM story_corrections").fetchone()[0] is not None


def _originals(conn, story_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [aid for aid, role, _ in members(conn, story_id) if role == "original"]


def _active(conn, story_id: str) -> bool:  # type: ignore[no-untyped-def]
    row = conn.execute("SELECT status FROM stories WHERE id = ?", (story_id,)).fetchone()
    return row is not None and row[0] == "active"


def _note(conn, articles: list[str], note: dict[str, Any], to: str) -> None:  # type: ignore[no-untyped-def]
    for aid in articles:
        row = conn.execute("SELECT why FROM story_articles WHERE article_id = ?", (aid,)).fetchone()
        why = json.loads(row[0]) if row else {}
        why.setdefault("consolidation", []).append(note)
        conn.execute("UPDATE story_articles SET story_id = ?, why = ? WHERE article_id = ?",
                     (to, json.dumps(why, ensure_ascii=False), aid))


def _with_copies(conn, story_id: str, originals: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """The originals and the copies of them in the story."""
    marks = ",".join("?" * len(originals))
    copies = [aid for aid, in conn.execute(
        f"SELECT article_id FROM story_articles WHERE story_id = ? AND role = 'copy' AND "
        f"json_extract(why, '$.copy_of') IN ({marks})", (story_id, *originals))]
    return originals + copies


_KIND = {"the names they are about": "the people they are about"}  # one kind of fact: whom it is about
_CLASHING = {"people": "the people they are about", "focus": "the names they are about",
             "latest_year": "the latest year they name", "killed": "the death toll", "event_day": "the event's day"}
DAY_SLACK = 2  # event days this close may be one day told two ways (time zones, "overnight")


def clashes(a: list[ArticleFeatures], b: list[ArticleFeatures]) -> list[str]:
    """The facts on which two groups of reports disagree: what most of each says (each group's
    :func:`~crosswire.stories.model.main_values`) has nothing in common."""
    out = []
    for name, label in _CLASHING.items():
        sides = []
        for group in (a, b):
            c: Counter = Counter()
            for f in group:
                value = getattr(f, name)
                if isinstance(value, tuple):
                    c.update(value)
                elif value is not None:
                    c[value] += 1
            sides.append(set(main_values(c, len(group))) if c else set())
        if not (sides[0] and sides[1]):
            continue
        if name == "event_day":
            if min(abs(x - y) for x in sides[0] for y in sides[1]) > DAY_SLACK:
                out.append(label)
        elif not sides[0] & sides[1]:
            out.append(label)
    return out


def _other_event(grouper: "Grouper", arts: _Articles, mine: list[str], story_id: str, theirs: list[str],
                 other: str) -> bool:
    """Whether the smaller of two stories reports another event than the bigger, as the model
    judges each of its articles (:func:`crosswire.stories.model.another_event`: the event day days
    away and another hard fact clashing): then it stays a story of its own, however alike the words
    (a follow-up at the same place). A clash of the two stories' main facts alone blocked true
    merges of GVC incidents (-0.005 to -0.009 B-cubed F1 on GVC train)."""
    (small, _), (_, big) = sorted([(mine, story_id), (theirs, other)], key=lambda t: len(t[0]))
    state = grouper.state(big)
    if state is None:
        return False
    votes = [another_event(compare(arts.feats[a], arts.vecs[a], state, grouper.df)[0]) for a in small]
    return sum(votes) * 2 > len(votes)


def _halves(sim: np.ndarray) -> tuple[list[int], list[int]]:
    """The two clusters of average-link clustering on a similarity matrix."""
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(linkage(dist[np.triu_indices(len(sim), 1)], "average"), 2, "maxclust")
    a = [i for i, label in enumerate(labels) if label == labels[0]]
    return a, [i for i in range(len(sim)) if i not in set(a)]


def _cut(arts: _Articles, ids: list[str], sim: np.ndarray, first: list[int], second: list[int], clash_below: float,
         below: float, kinds: int, least: int) -> tuple[float, list[str]] | None:
    """(similarity between, clashes) when the two sides are two events: each holds ``least``
    reports, and they are less alike than ``below``, or than ``clash_below`` while what most of
    each side says clashes on ``kinds`` kinds of fact or more (whom they are about, the latest
    year, the death toll); None otherwise."""
    if min(len(first), len(second)) < least:  # one odd report is not another event (measured)
        return None
    between = float(sim[np.ix_(first, second)].mean())
    clash = [c for c in clashes([arts.feats[ids[i]] for i in first], [arts.feats[ids[i]] for i in second])
             if c != _CLASHING["event_day"]]  # (a day apart alone is too often a slip: -0.009 GVC train)
    n_kinds = len({_KIND.get(c, c) for c in clash})
    if between < below or (n_kinds >= kinds and between < clash_below):
        return between, clash
    return None


def _bisect(sim: np.ndarray) -> tuple[list[int], list[int]]:
    """The normalised cut of a story's similarity graph (spectral bisection: the second eigenvector
    of the normalised Laplacian, cut where the normalised cut is least, at least :data:`MIN_SPLIT` on
    each side): average link's two clusters are often one odd report and the rest, while two
    look-alike events of similar size are two big groups."""
    w = np.clip(sim, 0.0, None)
    np.fill_diagonal(w, 0.0)
    d = np.maximum(w.sum(axis=1), 1e-9)
    root = 1.0 / np.sqrt(d)
    _, vecs = np.linalg.eigh(np.eye(len(w)) - root[:, None] * w * root[None, :])
    order = np.argsort(vecs[:, 1] * root, kind="stable")
    best: tuple[float, int] | None = None
    for k in range(MIN_SPLIT, len(w) - MIN_SPLIT + 1):
        a, b = order[:k], order[k:]
        between = w[np.ix_(a, b)].sum()
        ncut = between / d[a].sum() + between / d[b].sum()
        if best is None or ncut < best[0] - 1e-12:
            best = (ncut, k)
    assert best is not None
    a, b = sorted(order[: best[1]].tolist()), sorted(order[best[1]:].tolist())
    return (a, b) if 0 in a else (b, a)


def _split(conn, grouper: "Grouper", arts: _Articles, story_id: str, out: ConsolidationSummary) -> str | None:  # type: ignore[no-untyped-def]
    """Split a story whose two halves are unalike; returns the new story's id."""
    ids = _originals(conn, story_id)
    if not 2 * MIN_SPLIT <= len(ids) <= MAX_MEMBERS:
        return None
    arts.load(ids)
    ids = [a for a in ids if a in arts.vecs]
    if len(ids) < 2 * MIN_SPLIT:
        return None
    sim = arts.matrix(ids, ids)
    first, second = _halves(sim)  # ``first`` holds the story's first article
    cut = _cut(arts, ids, sim, first, second, SPLIT_CLASH, SPLIT_BELOW, 1, MIN_SPLIT)
    if cut is None and SPECTRAL:  # the bisection that keeps both sides big, on stronger evidence only
        first, second = _bisect(sim)
        cut = _cut(arts, ids, sim, first, second, SPECTRAL_CLASH, -1.0, 2, SPECTRAL_MIN)
    if cut is None:
        return None
    between, clash = cut
    keep, move = (first, second) if len(first) >= len(second) else (second, first)
    within = float(sim[np.ix_(move, move)][np.triu_indices(len(move), 1)].mean())
    moved = [ids[i] for i in move]
    new = hashlib.sha256(("consolidate|" + "|".join(sorted(moved))).encode()).hexdigest()[:16]
    now = utcnow_iso()
    title = conn.execute("SELECT title FROM articles WHERE id = ?", (moved[0],)).fetchone()[0]
    conn.execute("INSERT OR REPLACE INTO stories(id, title, model, created_at, updated_at, status, merged_into) "
                 "VALUES (?, ?, ?, ?, ?, 'active', NULL)", (new, title, grouper.version, now, now))
    articles = _with_copies(conn, story_id, moved)
    why = {"kind": "split", "from": story_id, "stage": STAGE, "similarity_to_rest": round(between, 4),
           "similarity_within": round(within, 4), "clashes": clash,
           "threshold": SPLIT_CLASH if clash else SPLIT_BELOW}
    _note(conn, articles, why, new)
    rebuild(conn, grouper, story_id)
    rebuild(conn, grouper, new)
    reason = {"reason": f"split off by consolidation: its {len(moved)} reports are alike to each other "
                        f"({within:.2f}) but not to the story's other {len(keep)} ({between:.2f})"
                        + (f"; they differ in {', '.join(clash)}" if clash else ""), **why}
    conn.execute("INSERT OR REPLACE INTO story_links(story_id, related_id, probability, why, created_at) "
                 "VALUES (?, ?, ?, ?, ?)", (new, story_id, round(between, 4), json.dumps(reason), now))
    out.splits += 1
    out.moved += len(articles)
    out.changed |= {story_id, new}
    return new


def _candidates(conn, grouper: "Grouper", arts: _Articles, story_id: str,  # type: ignore[no-untyped-def]
                corrected: bool = True) -> list[str]:
    """Stories the index finds for a story's newest originals (itself and pinned stories left out)."""
    ids = _originals(conn, story_id)[-KEY_MEMBERS:]
    arts.load(ids)
    keys: dict[int, float] = {}
    days = []
    for aid in ids:
        if aid in arts.vecs:
            f = arts.feats[aid]
            for k, w in index.article_keys(f, arts.vecs[aid], grouper.df).items():
                keys[k] = max(keys.get(k, 0.0), w)
            if (day := index.lookup_day(f)) is not None:
                days.append(day)
    day = max(days) if days else None
    undated = all(arts.feats[a].day is None for a in ids if a in arts.vecs)
    found = index.candidates_for(conn, keys, day, undated, grouper.model.window_days, grouper.model.candidates,
                                 grouper.last_day)
    return [sid for sid, _ in found if sid != story_id and _active(conn, sid) and not _pinned(conn, sid, corrected)]


def _may_merge(grouper: "Grouper", state: StoryState, other: str) -> bool:
    """Whether two stories may be :data:`MERGE_AT` alike by average link, from their centroids alone
    (no article read). The cosine of two mean vectors is at least the mean of their articles'
    cosines (a mean of unit vectors is no longer than one); the stored centroids are sums of TF
    vectors weighted by IDF after summing and trimmed to their heaviest terms, so the bound holds
    only roughly: :data:`CENTROID_SLACK` below :data:`MERGE_AT` is the margin (on ECB+ and GVC
    train and dev it turned no merge away)."""
    theirs = grouper.state(other)
    if theirs is None:
        return False
    cos = sum(w * dot(x, y) for w, x, y in zip(WEIGHTS, state.tfidf(grouper.df), theirs.tfidf(grouper.df)))
    return cos / sum(WEIGHTS) >= MERGE_AT - CENTROID_SLACK


def _merge(conn, grouper: "Grouper", arts: _Articles, story_id: str, out: ConsolidationSummary,  # type: ignore[no-untyped-def]
           corrected: bool = True) -> str | None:
    """Merge a story with the most alike candidate story at or above :data:`MERGE_AT`; returns the
    id of the story that stays."""
    mine = _originals(conn, story_id)[:MAX_MEMBERS]
    arts.load(mine)
    mine = [a for a in mine if a in arts.vecs]
    if not mine:
        return None
    best: tuple[float, str, list[str]] | None = None
    state = grouper.state(story_id)
    for other in _candidates(conn, grouper, arts, story_id, corrected)[:MERGE_CANDIDATES]:
        if state is not None and not _may_merge(grouper, state, other):
            continue
        theirs = _originals(conn, other)[:MAX_MEMBERS]
        arts.load(theirs)
        theirs = [a for a in theirs if a in arts.vecs]
        if not theirs:
            continue
        s = float(arts.matrix(mine, theirs).mean())
        if s >= MERGE_AT and (best is None or s > best[0]) and not _other_event(grouper, arts, mine, story_id, theirs, other):
            best = (s, other, theirs)
    if best is None:
        return None
    s, other, theirs = best
    big, small = (story_id, other) if len(mine) >= len(theirs) else (other, story_id)
    articles = [aid for aid, _, _ in members(conn, small)]
    why = {"kind": "merge", "from": small, "stage": STAGE, "similarity": round(s, 4), "threshold": MERGE_AT}
    _note(conn, articles, why, big)
    conn.execute("UPDATE story_links SET related_id = ? WHERE related_id = ?", (big, small))
    conn.execute("UPDATE OR IGNORE story_links SET story_id = ? WHERE story_id = ?", (big, small))
    conn.execute("DELETE FROM story_links WHERE story_id = related_id OR story_id = ? OR related_id = ?", (small, small))
    index.repoint(conn, small, big)
    conn.execute("UPDATE stories SET status = 'merged', merged_into = ?, n_articles = 0, n_reports = 0, "
                 "updated_at = ? WHERE id = ?", (big, utcnow_iso(), small))
    grouper.cache.pop(small, None)
    grouper.dirty.discard(small)
    rebuild(conn, grouper, big)
    out.merges += 1
    out.moved += len(articles)
    out.changed.add(big)
    out.gone.add(small)
    return big


def consolidate(conn, grouper: "Grouper", story_ids: list[str]) -> ConsolidationSummary:  # type: ignore[no-untyped-def]
    """Check each of the stories (inside a transaction): split, then merge (see the module docstring)."""
    out = ConsolidationSummary()
    corrected = _any_correction(conn)
    for sid in sorted(story_ids):
        if not _active(conn, sid) or _pinned(conn, sid, corrected):
            continue
        out.checked += 1
        arts = _Articles(conn, grouper.df)  # read per story: memory stays flat however many changed
        parts = [sid]
        for part in parts:  # each half is checked again, as long as the story keeps splitting
            new = _split(conn, grouper, arts, part, out) if len(parts) < MAX_PARTS else None
            if new is not None:
                parts += [part, new]
        for part in dict.fromkeys(parts):
            if _active(conn, part):
                _merge(conn, grouper, arts, part, out, corrected)
    out.changed -= out.gone
    return out
