"""The grouping run: every analysed article not yet in a story joins the best story or starts one.

Articles are placed one at a time in publication order (undated ones by arrival), as a stream:
an article is compared with the candidate stories the index finds (:mod:`.index`), the model gives
each a probability (:mod:`.model`), and the article joins the best story at or above the model's
threshold, or starts a new story (linked as *related* to the best one when that one came close,
with the kind of link: a *follow-up*, a later event with the same places or names, or *close*;
see :func:`relation`). An undated article is looked up around the latest day its text names. A
copy found at ingest (``duplicate_of``) joins its original's story without being counted again.
Each placement stores why: the probability, the similarities, the shared places, names and days,
the publication gap and any clash of facts.

When the run has placed its articles, every story it changed is checked again as a whole
(:mod:`.consolidate`): a story whose two halves are unalike is split, two alike stories are
merged, each move written into the articles' ``why`` and counted in the summary (``split``,
``merged``, ``moved``). Nothing else moves placed articles: corrections (:mod:`.corrections`)
are recorded and re-applied by :func:`regroup`, and a story a correction touched is never
consolidated.

A run reads only the analyses written since the previous run (a watermark in ``story_meta``), so
its cost follows the number of new articles, not the size of the store; an article the facts
stage skipped is reported in the run's summary with the reason.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Any

from crosswire.config import Settings
from crosswire.progress import SILENT, Progress
from crosswire.store import Store
from crosswire.times import utcnow_iso
from crosswire.stories import consolidate as consolidation
from crosswire.stories import features
from crosswire.stories import index
from crosswire.stories import model as story_model
from crosswire.stories.consolidate import consolidate
from crosswire.stories.crosslingual import Bridge
from crosswire.stories.features import ArticleFeatures, iso_day, load_features
from crosswire.stories.model import StoryModel, compare, load_model
from crosswire.stories.state import StoryState
from crosswire.stories.vectors import ArticleVectors, DocFreq, count, dot, vectorise

CHUNK = 500  # articles placed per write transaction
COMPARED = 8  # candidate stories compared in full: the most alike in body and names
CACHE_STORIES = 20_000  # story states kept in memory during a run
CACHE_KIB = 65_536  # SQLite page cache while grouping (the connection's own is restored after)
MMAP_BYTES = 0  # no memory map while grouping: at 100,000 stored no faster (bench_stories), 150 MB more resident
KEEP_BATCHES = 8  # chunks of a run kept in memory between counting and placing
DF_KEY = "docfreq"
SEQ_KEY = "seq"  # the last placement's sequence number
SEEN_KEY = "analyses_seen"  # the last analyses row a run has looked at
VERSION_KEY = "version"  # the grouping version (model and rules) of the last run


@dataclass
class GroupSummary:
    """What one grouping run did."""

    placed: int = 0
    joined: int = 0
    new_stories: int = 0
    copies: int = 0
    related: int = 0
    split: int = 0  # stories split by the consolidation pass (:mod:`.consolidate`)
    merged: int = 0  # stories merged into another by it
    moved: int = 0  # articles it moved
    not_placed: list[dict[str, str]] = field(default_factory=list)
    stories_changed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    started_at: str = ""
    model: str = ""  # the grouping version: the model's and the rules' (:func:`grouping_version`)
    rules: dict[str, Any] = field(default_factory=dict)  # the rules' parameters (:func:`grouping_rules`)
    previous_model: str | None = None  # the version of the run before, when it was another one

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["stories_changed"] = len(self.stories_changed)
        return d


def grouping_rules() -> dict[str, Any]:
    """The parameters of the rules around the learned model that decide which articles share a
    story: the follow-up rule (an article whose event day is more than ``day_clash_days`` from the
    story's while another hard fact clashes joins at most as related; a related story
    ``follow_up_days`` after the other's last report with shared places or names is a follow-up),
    the candidate search, the consolidation pass's thresholds, and the features' stage."""
    c = consolidation
    return {"features": features.STAGE,
            "follow_up": {"follow_up_days": FOLLOW_UP_DAYS, "day_clash_days": story_model.DAY_CLASH_DAYS,
                          "another_event": "day_clash and clashes2", "main_share": story_model.MAIN_SHARE,
                          "near_km": story_model.NEAR_KM},
            "index": {"per_key": index.PER_KEY, "repost_days": index.REPOST_DAYS, "compared": COMPARED},
            "consolidate": {"stage": c.STAGE, "split_below": c.SPLIT_BELOW, "split_clash": c.SPLIT_CLASH,
                            "merge_at": c.MERGE_AT, "min_split": c.MIN_SPLIT, "spectral": c.SPECTRAL,
                            "spectral_clash": c.SPECTRAL_CLASH, "spectral_min": c.SPECTRAL_MIN, "max_parts": c.MAX_PARTS,
                            "max_members": c.MAX_MEMBERS, "merge_candidates": c.MERGE_CANDIDATES,
                            "day_slack": c.DAY_SLACK, "weights": list(c.WEIGHTS)}}


def grouping_version(model: StoryModel) -> str:
    """What grouped a story: the model's version and a digest of :func:`grouping_rules`
    (``stories-v2+rules.1a2b3c4d``), so stories grouped under other rules are told apart."""
    digest = hashlib.sha256(json.dumps(grouping_rules(), sort_keys=True).encode()).hexdigest()[:8]
    return f"{model.version}+rules.{digest}"


def story_id_for(article_id: str) -> str:
    """The id of a story an article starts: stable, so regrouping the same stream gives the same ids."""
    return hashlib.sha256(f"story|{article_id}".encode()).hexdigest()[:16]


class Grouper:
    """Places articles into the stories of one store (the state of one run)."""

    def __init__(self, store: Store, model: StoryModel, run_id: int | None = None):
        self.store, self.conn, self.model, self.run_id = store, store.conn, model, run_id
        self.version = grouping_version(model)  # written on every story and placement it makes
        row = self.conn.execute("SELECT value FROM story_meta WHERE name = ?", (DF_KEY,)).fetchone()
        self.df = DocFreq.from_bytes(row[0]) if row else DocFreq()
        self.seq = int(meta(self.conn, SEQ_KEY))
        self.cache: OrderedDict[str, StoryState] = OrderedDict()
        self.dirty: set[str] = set()
        self.changed: set[str] = set()
        self.bridge = Bridge(self.conn)  # reports in other languages (stories.crosslingual)

    # ------------------------------------------------------------ states
    def last_day(self, story_id: str) -> int | None:
        """The day of a story's latest dated report (None: unknown story, or none dated)."""
        s = self.state(story_id)
        return None if s is None else s.last_day

    def state(self, story_id: str) -> StoryState | None:
        s = self.cache.get(story_id)
        if s is None:
            row = self.conn.execute(
                "SELECT state, vectors FROM stories WHERE id = ? AND status = 'active'", (story_id,)).fetchone()
            if row is None:
                return None
            s = StoryState.load(story_id, row[0], row[1])
            self.cache[story_id] = s
            while len(self.cache) > CACHE_STORIES:
                old, old_state = self.cache.popitem(last=False)
                if old in self.dirty:
                    self.write(old_state)
        self.cache.move_to_end(story_id)
        return s

    def write(self, s: StoryState) -> None:
        """Store a story's state (inside a transaction)."""
        self.conn.execute(
            "UPDATE stories SET title = ?, n_reports = ?, first_day = ?, last_day = ?, state = ?, vectors = ?, "
            "model = ?, updated_at = ? WHERE id = ?",
            (s.title, s.n, iso_day(s.first_day), iso_day(s.last_day), s.to_json(), s.vectors_blob(),
             self.version, utcnow_iso(), s.id))
        self.dirty.discard(s.id)

    def flush(self) -> None:
        """Write the changed story states and the document frequencies (inside a transaction)."""
        for sid in list(self.dirty):
            self.write(self.cache[sid])
        self.conn.executemany("INSERT OR REPLACE INTO story_meta(name, value) VALUES (?, ?)",
                              [(DF_KEY, self.df.to_bytes()), (SEQ_KEY, self.seq)])

    # ------------------------------------------------------------ placing
    def _member(self, article_id: str, story_id: str, role: str, method: str, p: float | None,
                why: dict[str, Any]) -> None:
        self.seq += 1
        now = utcnow_iso()
        self.conn.execute(
            "INSERT INTO story_articles(article_id, story_id, role, method, probability, why, seq, run_id, placed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, story_id, role, method, p, json.dumps(why, ensure_ascii=False), self.seq, self.run_id, now))
        self.conn.execute("UPDATE stories SET n_articles = n_articles + 1, updated_at = ? WHERE id = ?", (now, story_id))
        self.changed.add(story_id)

    def _new_story(self, f: ArticleFeatures) -> StoryState:
        sid = story_id_for(f.id)
        now = utcnow_iso()
        self.conn.execute(
            "INSERT INTO stories(id, title, model, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (sid, f.title, self.version, now, now))
        s = StoryState(sid)
        self.cache[sid] = s
        return s

    def copy(self, article_id: str, original: str, story_id: str, similarity: float | None) -> None:
        """A copy of an article already placed joins its story, counted once."""
        why = {"decision": "copy", "copy_of": original, "similarity": similarity}
        self._member(article_id, story_id, "copy", "copy", None, why)

    def place(self, f: ArticleFeatures, v: ArticleVectors) -> tuple[str, str]:
        """Place one original article; returns (story id, "joined" | "new" | "related")."""
        m = self.model
        keys = index.article_keys(f, v, self.df)
        found = [(sid, s) for sid, _ in index.candidates_for(self.conn, keys, index.lookup_day(f), f.day is None,
                                                         m.window_days, m.candidates, self.last_day)
                 if (s := self.state(sid)) is not None]
        _, body, names, _ = v.tfidf(self.df)
        alike = sorted(((dot(body, s.tfidf(self.df)[1]) + dot(names, s.tfidf(self.df)[2]), sid, s) for sid, s in found),
                       key=lambda t: (-t[0], t[1]))
        scored = []
        # the full comparison for the most alike only, and for stories in other languages (crosslingual)
        for _, sid, s in alike[:COMPARED] + self.bridge.more(f, alike[:COMPARED], self.state, self.cache):
            x, why = compare(f, v, s, self.df, self.bridge)
            scored.append((m.score(x), sid, x, why))
        scored.sort(key=lambda t: (-t[0], t[1]))
        p = 0.0
        if scored:
            best, sid, x, why = scored[0]
            runner = scored[1][0] if len(scored) > 1 else None
            p = m.join_probability(best, runner, x)
            why = {"probability": round(p, 4), "score": round(m.probability(x), 4),
                   "runner_up": round(1 / (1 + math.exp(-runner)), 4) if runner is not None else None,
                   "candidates": len(found), "compared": len(scored), "model": self.version, **why}
        if p >= m.threshold and p > 0.0:
            decision = "joined"
            self._member(f.id, sid, "original", "joined", p, {"decision": decision, **why})
            s = self.state(sid)
            assert s is not None
        else:
            s = self._new_story(f)
            decision = "new"
            why_new: dict[str, Any] = {"decision": "new", "candidates": len(found), "model": self.version}
            if scored:
                why_new["closest"] = {"story": sid, **why}
            self._member(f.id, s.id, "original", "new", None, why_new)
            if scored and p >= m.related:
                decision = "related"
                self.conn.execute(
                    "INSERT OR REPLACE INTO story_links(story_id, related_id, probability, why, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (s.id, sid, round(p, 4), json.dumps(relation(why), ensure_ascii=False), utcnow_iso()))
        s.add(f, v, self.df)
        index.post(self.conn, s, keys, f.day, self.seq)
        self.dirty.add(s.id)
        return s.id, decision


FOLLOW_UP_DAYS = 3  # a related story this many days after the other's last report is a follow-up


def relation(why: dict[str, Any]) -> dict[str, Any]:
    """A related link's evidence with its kind and a sentence saying why: a *follow-up* (a later
    event with the same places or names, days or weeks after the story's last report) or a
    story that only came *close* to joining the other."""
    gap = why.get("time_gap_days")
    shared = [*why.get("places", [])[:3], *why.get("entities", [])[:3]]
    if gap is not None and gap >= FOLLOW_UP_DAYS and shared:
        kind, reason = "follow-up", f"a later event {gap} days after the story's last report, with {', '.join(shared)}"
    else:
        kind = "close"
        reason = f"came close to joining it (probability {why.get('probability', 0):.2f})"
        if why.get("clashes"):
            reason += f"; kept apart by {'; '.join(why['clashes'][:3])}"
    return {"kind": kind, "reason": reason, **why}


def meta(conn, name: str, default: int = 0) -> int:  # type: ignore[no-untyped-def]
    row = conn.execute("SELECT value FROM story_meta WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else default


def _pending(store: Store, since: int = 0) -> list[tuple[str, str | None, str, str | None, str | None, float | None]]:
    """Articles analysed (or re-analysed) after analyses row ``since`` and in no story, in placing
    order (publication, else fetch, else ingest time). Only the new analyses rows are read, so the
    cost follows the run, not the store."""
    return store.conn.execute(
        "SELECT a.id, a.duplicate_of, n.status, n.reason, n.detail, a.similarity FROM analyses n "
        "JOIN articles a ON a.id = n.article_id JOIN article_published p ON p.article_id = a.id "
        "LEFT JOIN story_articles s ON s.article_id = a.id WHERE n.rowid > ? AND s.article_id IS NULL "
        f"ORDER BY coalesce(p.published_utc, {features.GROUPING_DAY}, a.fetched, a.ingested_at), a.rowid",
        (since,)).fetchall()


def _roles(store: Store, rows) -> list[tuple[str, str, str | None, float | None]]:  # type: ignore[no-untyped-def]
    """(article, role, original, similarity) in placing order; role is "copy" (its original is or
    will be in a story by then), "original" (analysed) or "skip" (not analysed, no original)."""
    seen: set[str] = set()
    out = []
    for aid, dup, status, _, _, sim in rows:
        if dup and (dup in seen or store.conn.execute(
                "SELECT 1 FROM story_articles WHERE article_id = ?", (dup,)).fetchone()):
            role = "copy"
        else:
            role = "original" if status == "analyzed" else "skip"
        if role != "skip":
            seen.add(aid)
        out.append((aid, role, dup, sim))
    return out


def group_new(store: Store, settings: Settings | None = None, *, model: StoryModel | None = None,
              progress: Progress = SILENT) -> GroupSummary:
    """Place every analysed article not yet in a story (see the module docstring)."""
    started = time.perf_counter()
    model = model or load_model()
    with store.tuned(CACHE_KIB, MMAP_BYTES):
        return _group(store, model, progress, started)


def _group(store: Store, model: StoryModel, progress: Progress, started: float) -> GroupSummary:
    summary = GroupSummary(started_at=utcnow_iso(), model=grouping_version(model), rules=grouping_rules())
    before = store.conn.execute("SELECT value FROM story_meta WHERE name = ?", (VERSION_KEY,)).fetchone()
    if before is not None and before[0] != summary.model:
        summary.previous_model = str(before[0])
    elif before is None and meta(store.conn, SEQ_KEY):  # grouped before the version was recorded
        summary.previous_model = "unrecorded"
    seen = int(store.conn.execute("SELECT coalesce(max(rowid), 0) FROM analyses").fetchone()[0])
    rows = _pending(store, meta(store.conn, SEEN_KEY))
    why_not = {r[0]: (r[3] or r[2], r[4] or "") for r in rows}
    todo = _roles(store, rows)
    grouper = Grouper(store, model)
    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    batches = {}
    for n, chunk in enumerate(chunks):  # the run's articles count in the document frequencies first
        if not _has_originals(chunk):
            continue
        batch = _batch(store, chunk)
        grouper.df.add(batch[1])
        if n < KEEP_BATCHES:  # kept for placing; later chunks of a big run are read again
            batches[n] = batch
    progress.start("grouping into stories", total=len(todo))
    for n, chunk in enumerate(chunks):
        if n in batches:
            feats, counts, row_of = batches.pop(n)
        elif _has_originals(chunk):
            feats, counts, row_of = _batch(store, chunk)
        else:  # only copies and skipped articles (e.g. not English): nothing to vectorise
            feats, counts, row_of = {}, None, {}
        with store.transaction() as conn:
            for aid, role, dup, sim in chunk:
                if role == "skip":
                    reason, detail = why_not[aid]
                    summary.not_placed.append({"article": aid, "reason": reason, "detail": detail})
                    continue
                if role == "copy":
                    home = conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (dup,)).fetchone()
                    grouper.copy(aid, dup, home[0], sim)
                    summary.copies += 1
                else:
                    _, decision = grouper.place(feats[aid], vectorise(counts, row_of[aid]))
                    summary.joined += decision == "joined"
                    summary.new_stories += decision != "joined"
                    summary.related += decision == "related"
                summary.placed += 1
            grouper.flush()
        progress.advance(len(chunk))
    with store.transaction() as conn:
        if grouper.changed:  # each story the run changed, checked again as a whole
            done = consolidate(conn, grouper, sorted(grouper.changed))
            grouper.flush()
            summary.split, summary.merged, summary.moved = done.splits, done.merges, done.moved
            grouper.changed = (grouper.changed | done.changed) - done.gone
        conn.executemany("INSERT OR REPLACE INTO story_meta(name, value) VALUES (?, ?)",
                         [(SEEN_KEY, seen), (VERSION_KEY, summary.model)])
    summary.stories_changed = sorted(grouper.changed)
    summary.seconds = round(time.perf_counter() - started, 3)
    progress.stop()
    return summary


def _has_originals(chunk) -> bool:  # type: ignore[no-untyped-def]
    return any(role == "original" for _, role, _, _ in chunk)


def _batch(store: Store, chunk):  # type: ignore[no-untyped-def]
    """Features, term counts and row numbers of a chunk's originals."""
    ids = [aid for aid, role, _, _ in chunk if role == "original"]
    feats = load_features(store.conn, ids)
    fs = [feats[aid] for aid in ids]
    counts = count([f.title for f in fs], [f.body for f in fs], [f.entities for f in fs])
    return feats, counts, {aid: n for n, aid in enumerate(ids)}
