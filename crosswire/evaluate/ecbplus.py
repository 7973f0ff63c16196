"""Story grouping scored on ECB+: documents of one real event together, look-alike events apart.

ECB+ (Cybulska & Vossen, LREC 2014; CC BY 3.0) holds 43 topics; each topic holds two *different
but similar* events (two celebrities entering rehab, two earthquakes), the sub-topics. The task
here: pool every document of a split (topics unknown), group them by event, score B-cubed and
pairwise precision, recall and F1 against the sub-topics. Standard split (Cybulska & Vossen
2015): test = topics 36-45, dev = 2, 5, 12, 18, 21, 23, 34, 35, train = the rest.

One path: :func:`run_product` writes the documents as news-please JSON Lines (the first line is
the title, as for plain text) and runs :func:`crosswire.run.run_stages` on a fresh store with the
default settings, exactly what ``crosswire run FILE`` does (ingest with cleaning and copies,
analyze, group, cross-check); then it reads every story's record with the call ``crosswire export
--what stories`` makes. Only those records are scored: a document belongs to the story whose
record lists its article (a document with the same title and text as an earlier one is that
article: ingest stores it once). A document that became no article (rejected at ingest, e.g.
shorter than ``min_text_chars``) is a story of its own, and the rejections are counted apart
(``grouping_rejected``); ``ingested_bcubed_*`` score the documents that became articles only. ECB+ has no publication dates: a date the text states is
used, as ingest does; otherwise the arrival order decides, a fixed pseudo-random order of the
document names (never by topic).

The run is cached under the temp folder (``crosswire-eval/``), keyed by the documents and by
every source file of the product (``crosswire/**/*.py`` and the story model ``crosswire/stories/*.json``):
a change anywhere in the product runs it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosswire.config import Settings
from crosswire.progress import SILENT, Progress

SPLITS = ("train", "dev", "test", "all")
DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
TEST_TOPICS = frozenset(range(36, 46))
CACHE = Path(tempfile.gettempdir()) / "crosswire-eval"
PACKAGE = Path(__file__).resolve().parents[1]


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
def product_key(*, grouping: bool = True) -> hashlib._Hash:  # type: ignore[name-defined]
    """A hash of every source file of the product: a change anywhere invalidates a cached run
    (``grouping=False``: every file but the story stage's, which ingest and analysis never use)."""
    h = hashlib.sha256()
    for source in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.glob("stories/*.json")]):
        if "__pycache__" in source.parts or not source.is_file():
            continue
        if not grouping and source.parent == PACKAGE / "stories":
            continue
        h.update(str(source.relative_to(PACKAGE)).encode() + b"\0" + source.read_bytes() + b"\0")
    return h


@dataclass
class ProductRun:
    """What ``crosswire run`` made of a corpus split: every story's record (as ``export --what
    stories``), each document's article (absent when it became none), the rejected inputs and
    what each stage did."""

    records: list[dict[str, Any]]
    article_of: dict[str, str]
    rejected: list[dict[str, str]] = field(default_factory=list)
    stages: dict[str, Any] = field(default_factory=dict)
    folder: Path | None = None

    def story_of(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """Each document's story id; a document with no article, or an article in no story, is a
        story of its own (``unplaced:DOC``)."""
        member = {a["id"]: r["id"] for r in self.records for a in r.get("articles") or []}
        return {d: member.get(self.article_of.get(d, ""), f"unplaced:{d}") for d in doc_ids}


def write_jsonl(docs: list[GoldDoc], path: Path) -> None:
    """The documents as news-please JSON Lines, one per line in arrival order."""
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d.record, ensure_ascii=False) + "\n")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # no advisory locks here: a second process runs it too, and one copy wins
        yield
        return
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_into(folder: Path, docs: list[GoldDoc], cache_dir: Path, name: str, progress: Progress) -> None:
    """``run_stages`` on the documents in a fresh folder, moved to ``folder`` when complete."""
    from crosswire.present.exports import _story_records
    from crosswire.run import run_stages
    from crosswire.store import Store

    work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=cache_dir))
    source = work / "documents.jsonl"
    write_jsonl(docs, source)
    db = work / "crosswire.db"
    with Store(db) as store:
        result = run_stages([str(source)], store, Settings(db=str(db)), progress=progress)
        records = list(_story_records(store))
        articles = [{"id": r["id"], "url": r["url"], "source": r["source"]}
                    for r in store.conn.execute("SELECT id, url, source FROM articles ORDER BY id")]
    with (work / "stories.jsonl").open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    (work / "articles.json").write_text(json.dumps(articles), encoding="utf-8")
    stages = {"ingest": result.summary.to_dict(), "analyze": result.analysis.to_dict(),
              "group": result.grouping.to_dict(), "crosscheck": result.crosscheck.to_dict()}
    (work / "stages.json").write_text(json.dumps(stages, default=str), encoding="utf-8")
    try:
        os.replace(work, folder)  # another process may have finished the same run first
    except OSError:
        shutil.rmtree(work, ignore_errors=True)


def run_product(name: str, docs: list[GoldDoc], *, cache_dir: Path | None = None,
                progress: Progress = SILENT) -> ProductRun:
    """``crosswire run`` on the documents (a fresh store, default settings) and every story's record,
    cached (see the module docstring). Documents map to articles by URL when every document has
    its own, else by their line in the JSON Lines file."""
    cache_dir = Path(cache_dir or CACHE)
    h = product_key()
    for d in docs:
        h.update(json.dumps(d.record, sort_keys=True).encode() + b"\0")
    folder = cache_dir / f"{name}-{h.hexdigest()[:16]}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _locked(cache_dir / f"{folder.name}.lock"):  # two processes asking at once: one runs it
        if not (folder / "stories.jsonl").is_file():
            _run_into(folder, docs, cache_dir, name, progress)
    records = [json.loads(x) for x in (folder / "stories.jsonl").read_text(encoding="utf-8").splitlines() if x]
    articles = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
    stages = json.loads((folder / "stages.json").read_text(encoding="utf-8"))
    urls = [d.record.get("url") for d in docs]
    article_of: dict[str, str] = {}
    if all(urls) and len(set(urls)) == len(urls):
        by_url = {a["url"]: a["id"] for a in articles}
        article_of = {d.doc_id: by_url[d.record["url"]] for d in docs if d.record["url"] in by_url}
    else:
        for a in articles:
            line = int(str(a["source"]).rsplit(":", 1)[1])
            article_of[docs[line - 1].doc_id] = a["id"]
    article_of = _same_text(docs, article_of)  # the same text again is the same article
    rejected = stages["ingest"].get("rejected") or []
    return ProductRun(records, article_of, rejected, stages, folder)


def eval_settings(db: str | Path) -> Settings:
    """Settings of :func:`analysed_store` (the story model's trainer): the defaults, as
    :func:`run_product` (short documents are rejected at ingest and stand alone, as in the product)."""
    return Settings(db=str(db))


def analysed_store(name: str, docs: list[GoldDoc], *, cache_dir: Path | None = None,
                   progress: Progress = SILENT) -> tuple[Path, dict[str, str]]:
    """A store with ``docs`` ingested and analysed as :func:`run_product` does, built once and
    cached; returns its path and the article id of each document (a document that became no
    article is absent, a copy of an earlier text maps to that article). For
    ``benchmarks/train_story_model.py`` and ``benchmarks/baseline_tfidf.py``, which group it with
    candidate models: the cache is keyed by every source but the story stage's, so a change of the
    grouping does not analyse the corpus again; the evaluation runs :func:`run_product`."""
    from crosswire.extract.analyze import analyze
    from crosswire.extract.article import PIPELINE
    from crosswire.ingest.pipeline import ingest
    from crosswire.store import Store

    cache_dir = Path(cache_dir or CACHE)
    h = product_key(grouping=False)
    h.update(PIPELINE.encode())
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
    return db, _same_text(docs, ids)


def _same_text(docs: list[GoldDoc], article_of: dict[str, str]) -> dict[str, str]:
    """``article_of`` with each document that repeats an earlier one's title and text mapped to
    that one's article (ingest stores the same text once, as "unchanged")."""
    first: dict[tuple, str] = {}
    out = dict(article_of)
    for d in docs:
        same = (d.record.get("title"), d.record.get("maintext"))
        if d.doc_id in out:
            first.setdefault(same, out[d.doc_id])
        elif same in first:
            out[d.doc_id] = first[same]
    return out


def group_docs(name: str, docs: list[GoldDoc], *, cache_dir: Path | None = None, model=None,  # type: ignore[no-untyped-def]
               progress: Progress = SILENT) -> tuple[dict[str, str], dict[str, Any]]:
    """Each document's story (a document that became no article is a story of its own) and the
    grouping summary, from a fresh copy of the analysed store grouped with ``model`` (the trainer's
    candidates)."""
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


def grouping_metrics(run: ProductRun, docs: list[GoldDoc]) -> dict[str, Any]:
    """B-cubed and pairwise P/R/F1 of the stories of a product run, plus the counts and the errors
    (keys prefixed ``grouping_`` so they sit beside other evaluations' figures of the corpus)."""
    pred = run.story_of(d.doc_id for d in docs)
    gold = {d.doc_id: d.gold for d in docs}
    metrics: dict[str, Any] = score_grouping(gold, pred)
    kept = [d for d in gold if d in run.article_of]  # the same scores over the documents that became articles
    for k, v in score_grouping({d: gold[d] for d in kept}, pred).items():
        if k.startswith("bcubed_"):
            metrics[f"ingested_{k}"] = v
    metrics["grouping_documents"] = len(docs)
    metrics["grouping_articles"] = len(run.article_of)
    metrics["grouping_rejected"] = len(run.rejected)
    metrics["grouping_events"] = len(set(gold.values()))
    metrics["grouping_stories"] = len(set(pred.values()))
    metrics["grouping_seconds"] = (run.stages.get("group") or {}).get("seconds", 0.0)
    metrics["grouping_errors"] = errors_of(gold, pred)
    return metrics


def evaluate_grouping(name: str, docs: Iterable[GoldDoc], *, cache_dir: Path | None = None, model=None,  # type: ignore[no-untyped-def]
                      progress: Progress = SILENT) -> dict[str, Any]:
    """Grouping metrics of ``docs`` grouped with a candidate ``model`` (the story model's trainer,
    :func:`group_docs`); the evaluation itself scores :func:`run_product`'s stories."""
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


def evaluate_ecbplus(path: Path, split: str = "test", *, cache_dir: Path | None = None,
                     progress: Progress = SILENT) -> dict[str, Any]:
    """B-cubed and pairwise P/R/F1 of the stories ``crosswire run`` makes of one ECB+ split, every
    topic pooled (see the module docstring)."""
    docs = read_ecbplus(path, split)
    return grouping_metrics(run_product(f"ecbplus-{split}", docs, cache_dir=cache_dir, progress=progress), docs)
