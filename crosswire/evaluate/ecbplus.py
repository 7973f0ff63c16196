"""Story grouping scored on ECB+: documents of one real event together, look-alike events apart.

ECB+ (Cybulska & Vossen, LREC 2014; CC BY 3.0) holds 43 topics; each topic holds two *different
but similar* events (two celebrities entering rehab, two earthquakes), the sub-topics. The task
here: pool every document of a split (topics unknown), group them by event, score B-cubed and
pairwise precision, recall and F1 against the sub-topics. Standard split (Cybulska & Vossen
2015): test = topics 36-45, dev = 2, 5, 12, 18, 21, 23, 34, 35, train = the rest.

The documents go through the product itself: written as news-please JSON Lines (the first line is
the title, as for plain text), ingested (:func:`crosswire.ingest.pipeline.ingest`: cleaning, copies),
analysed (:func:`crosswire.extract.analyze.analyze`) and grouped (:func:`crosswire.stories.group_new`).
ECB+ has no publication dates: a date the text states is used, as ingest does; otherwise the
arrival order decides, a fixed pseudo-random order of the document names (never by topic).
The ingested and analysed store is cached under the temp folder, keyed by the corpus text and
the facts pipeline's version and the extractors' source code, so a second run of the same code
only groups.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswire.config import Settings
from crosswire.progress import SILENT, Progress

SPLITS = ("train", "dev", "test", "all")
DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
TEST_TOPICS = frozenset(range(36, 46))
CACHE = Path(tempfile.gettempdir()) / "crosswire-eval"


@dataclass
class GoldDoc:
    """One corpus document as a news-please record, with its gold event."""

    doc_id: str
    gold: str
    split: str
    record: dict[str, Any]


def ecb_split(topic: int) -> str:
    """The standard split of an ECB+ topic."""
    return "test" if topic in TEST_TOPICS else "dev" if topic in DEV_TOPICS else "train"


def _order_key(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def read_ecbplus(path: Path, split: str = "test") -> list[GoldDoc]:
    """The documents of one split in their fixed arrival order, each gold-labelled by sub-topic."""
    if split not in SPLITS:
        raise ValueError(f"unknown ECB+ split {split!r}: use one of {', '.join(SPLITS)}")
    docs = []
    with (Path(path) / "documents.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            s = ecb_split(int(r["topic"]))
            if split not in ("all", s):
                continue
            lines = [x.strip() for x in r["text"].split("\n") if x.strip()]
            record = {"title": lines[0] if lines else "", "maintext": "\n".join(lines[1:]) or r["text"]}
            if r.get("url"):
                record["url"] = r["url"]
            docs.append(GoldDoc(r["doc_name"], str(r["subtopic"]), s, record))
    return sorted(docs, key=lambda d: _order_key(d.doc_id))


# ---------------------------------------------------------------- the product on a corpus
def eval_settings(db: str | Path) -> Settings:
    """Default settings (no user config) for a corpus store; short corpus documents are kept."""
    return Settings(db=str(db), min_text_chars=20)


def analysed_store(name: str, docs: list[GoldDoc], *, cache_dir: Path | None = None,
                   progress: Progress = SILENT) -> tuple[Path, dict[str, str]]:
    """A store with ``docs`` ingested and analysed, built once and cached; returns its path and
    the article id of each document (a document that became no article is absent)."""
    from crosswire.extract.analyze import analyze
    from crosswire.extract.article import PIPELINE
    from crosswire.ingest.pipeline import ingest
    from crosswire.store import Store

    cache_dir = Path(cache_dir or CACHE)
    h = hashlib.sha256(PIPELINE.encode())
    # The extractors' code too: a rule changed without a new stage version must not read a stale cache.
    for source in sorted((Path(__file__).resolve().parents[1] / "extract").rglob("*.py")):
        h.update(source.read_bytes())
    for d in docs:
        h.update(json.dumps(d.record, sort_keys=True).encode() + b"\0")
    db = cache_dir / f"{name}-{h.hexdigest()[:16]}.db"
    source = cache_dir / f"{name}-{h.hexdigest()[:16]}.jsonl"
    if not db.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        with source.open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d.record, ensure_ascii=False) + "\n")
        partial = db.with_suffix(".partial")
        for p in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            p.unlink(missing_ok=True)
        settings = eval_settings(partial)
        with Store(partial) as store:
            ingest([str(source)], store, settings, progress=progress)
            analyze(store, settings, progress=progress)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        partial.rename(db)
    ids: dict[str, str] = {}
    with Store(db) as store:
        for row in store.conn.execute("SELECT id, source FROM articles"):
            line = int(row["source"].rsplit(":", 1)[1])
            ids[docs[line - 1].doc_id] = row["id"]
    return db, ids


def group_docs(name: str, docs: list[GoldDoc], *, cache_dir: Path | None = None, model=None,  # type: ignore[no-untyped-def]
               progress: Progress = SILENT) -> tuple[dict[str, str], dict[str, Any]]:
    """Each document's story (a document that became no article is a story of its own) and the
    grouping summary, from a fresh copy of the analysed store."""
    from crosswire.store import Store
    from crosswire.stories import group_new

    db, ids = analysed_store(name, docs, cache_dir=cache_dir, progress=progress)
    with tempfile.TemporaryDirectory(prefix="crosswire-group-") as tmp:
        work = Path(tmp) / "group.db"
        shutil.copyfile(db, work)
        with Store(work) as store:
            summary = group_new(store, eval_settings(work), model=model, progress=progress)
            story_of = {r[0]: r[1] for r in store.conn.execute("SELECT article_id, story_id FROM story_articles")}
    pred = {d.doc_id: story_of.get(ids.get(d.doc_id, ""), f"unplaced:{d.doc_id}") for d in docs}
    return pred, summary.to_dict()


# ---------------------------------------------------------------- scores
def _clusters(labels: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for item, label in labels.items():
        out[label].add(item)
    return out


def score_grouping(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """B-cubed and pairwise precision, recall and F1 of ``pred`` against ``gold`` (item -> label)."""
    items = list(gold)
    g, p = _clusters(gold), _clusters({i: pred[i] for i in items})
    bp = br = 0.0
    for i in items:
        gi, pi = g[gold[i]], p[pred[i]]
        both = len(gi & pi)
        bp += both / len(pi)
        br += both / len(gi)
    n = max(1, len(items))
    bp, br = bp / n, br / n
    pairs_pred = sum(len(c) * (len(c) - 1) // 2 for c in p.values())
    pairs_gold = sum(len(c) * (len(c) - 1) // 2 for c in g.values())
    pairs_both = sum(len(a & b) * (len(a & b) - 1) // 2 for a in g.values() for b in p.values())
    pp = pairs_both / pairs_pred if pairs_pred else 1.0
    pr = pairs_both / pairs_gold if pairs_gold else 1.0

    def f1(a: float, b: float) -> float:
        return 2 * a * b / (a + b) if a + b else 0.0

    return {"bcubed_precision": round(bp, 4), "bcubed_recall": round(br, 4), "bcubed_f1": round(f1(bp, br), 4),
            "pairwise_precision": round(pp, 4), "pairwise_recall": round(pr, 4), "pairwise_f1": round(f1(pp, pr), 4)}


def errors_of(gold: dict[str, str], pred: dict[str, str]) -> list[dict[str, Any]]:
    """Each predicted story that mixes gold events, and each gold event split over stories."""
    out = []
    for story, members in sorted(_clusters(pred).items()):
        events = sorted({gold[m] for m in members})
        if len(events) > 1:
            out.append({"kind": "merged", "story": story, "events": events, "documents": sorted(members)})
    for event, members in sorted(_clusters(gold).items()):
        stories = sorted({pred[m] for m in members})
        if len(stories) > 1:
            out.append({"kind": "split", "event": event, "stories": len(stories), "documents": sorted(members)})
    return out


def evaluate_grouping(name: str, docs: Iterable[GoldDoc], *, cache_dir: Path | None = None, model=None,  # type: ignore[no-untyped-def]
                      progress: Progress = SILENT) -> dict[str, Any]:
    """Metrics of the product's grouping of ``docs``, plus the counts, timing and the errors (keys
    prefixed ``grouping_`` so they sit beside other evaluations' figures of the same corpus)."""
    docs = list(docs)
    pred, summary = group_docs(name, docs, cache_dir=cache_dir, model=model, progress=progress)
    gold = {d.doc_id: d.gold for d in docs}
    metrics: dict[str, Any] = score_grouping(gold, pred)
    metrics["grouping_documents"] = len(docs)
    metrics["grouping_events"] = len(set(gold.values()))
    metrics["grouping_stories"] = len(set(pred.values()))
    metrics["grouping_seconds"] = summary.get("seconds", 0.0)
    metrics["grouping_errors"] = errors_of(gold, pred)
    return metrics


def evaluate_ecbplus(path: Path, split: str = "test", *, cache_dir: Path | None = None, model=None,  # type: ignore[no-untyped-def]
                     progress: Progress = SILENT) -> dict[str, Any]:
    """B-cubed and pairwise P/R/F1 of story grouping on one ECB+ split, every topic pooled."""
    return evaluate_grouping(f"ecbplus-{split}", read_ecbplus(path, split), cache_dir=cache_dir,
                             model=model, progress=progress)
