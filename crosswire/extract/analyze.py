"""The analyze run: every article not yet analysed -> facts (both cores) -> store, with a summary.

Work is cut into batches of stored articles; each batch goes to a worker process that keeps one
spaCy pipeline loaded, parses the bodies and headlines with ``nlp.pipe`` and runs every extractor
(:mod:`crosswire.extract.article`). The main process writes each batch's analyses in one short
transaction. Incremental: an article already analysed by the same pipeline version is not read
again; a new version re-reads everything.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Iterator
from itertools import chain
from concurrent.futures import Future
from typing import TYPE_CHECKING

from crosswire.config import Settings
from crosswire.extract.article import PIPELINE, analyse, gate, load_models, skipped
from crosswire.extract.nlp import load_nlp
from crosswire.extract.languages.route import analyse_other_language
from crosswire.models import Analysis, AnalyzeSummary, Article
from crosswire.workers import process_pool, worker_count
from crosswire.progress import SILENT, Progress
from crosswire.store import Store
from crosswire.times import utcnow_iso

if TYPE_CHECKING:
    from crosswire.scale import DaskEngine


def analyse_batch(articles: list[Article], settings: Settings) -> list[Analysis]:
    """Analyses of a batch of articles (run in a worker process or in this one)."""
    todo: list[tuple[Article, str, str | None]] = []
    out: dict[str, Analysis] = {}
    for a in articles:
        reason, detail, text = gate(a, settings)
        if reason is not None:
            out[a.id] = skipped(a, reason, detail or reason)
        elif a.language and a.language != "en":
            out[a.id] = analyse_other_language(a, text, settings, detail)
        else:
            todo.append((a, text, detail))
    nlp = load_nlp() if todo else None  # a batch of other languages only needs no English model
    t0 = time.perf_counter()
    docs = [] if nlp is None else list(nlp.pipe([t for _, t, _ in todo], batch_size=16))
    titles = [] if nlp is None else list(nlp.pipe([a.title for a, _, _ in todo], batch_size=64))
    parse = (time.perf_counter() - t0) / max(1, len(todo))
    for (a, _, note), doc, title_doc in zip(todo, docs, titles, strict=True):
        try:
            result = analyse(a, doc, title_doc, settings, note)
            result.timings["spacy"] = parse
        except Exception as exc:  # one bad article must not stop the batch: record it
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            result = skipped(a, "internal_error", f"{type(exc).__name__} in {frame.name} "
                             f"({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}): {exc}; please report it",
                             read_published=False)
        out[a.id] = result
    return [out[a.id] for a in articles]


def _pool_forks() -> bool:
    """Whether the process pool starts its workers by forking this process (Linux), so that what
    this process has loaded is theirs without loading it again."""
    return multiprocessing.get_context().get_start_method() == "fork"


def _batches(store: Store, ids: list[str], size: int) -> Iterator[list[Article]]:
    for i in range(0, len(ids), size):
        yield [a for a in (store.get_article(x) for x in ids[i : i + size]) if a is not None]


def _results(store: Store, ids: list[str], settings: Settings, engine: "DaskEngine | None" = None,
             progress: Progress = SILENT) -> Iterator[list[Analysis]]:
    batches = _batches(store, ids, settings.analyze_batch)
    if engine is not None:  # on a Dask cluster, results back in batch order
        yield from engine.map_ordered(analyse_batch, batches, settings, label="articles", progress=progress)
        return
    workers = worker_count(settings)
    if workers == 1 or len(ids) < settings.analyze_parallel_min:
        for batch in batches:
            yield analyse_batch(batch, settings)
        return
    first = next(batches, None)
    head: list[Analysis] | None = None
    if first and _pool_forks() and any(a.language in (None, "en") for a in first):
        # The pool's workers start as copies of this process: spaCy and the gazetteers loaded here, and
        # the first article analysed here (the tables extractors load on first use), are theirs too,
        # instead of each worker loading its own (measured ~7 CPU-seconds a worker, most of it the
        # gazetteers). Its result is handed on once the workers run, first, as the order asks.
        load_models()
        head = analyse_batch(first[:1], settings)
        first = first[1:]
    with process_pool(workers) as pool:
        pending: list[Future[list[Analysis]]] = []
        for batch in chain([first] if first else [], batches):
            while len(pending) >= workers * 2:
                yield pending.pop(0).result()
            pending.append(pool.submit(analyse_batch, batch, settings))  # a worker starts per submit
            if head is not None and len(pending) >= workers:
                yield head
                head = None
        if head is not None:
            yield head
        for future in pending:
            yield future.result()


def analyze(store: Store, settings: Settings, *, progress: Progress = SILENT,
            engine: "DaskEngine | None" = None) -> AnalyzeSummary:
    """Extract the facts of every article that needs it; return what was done and where time went.

    ``engine``: a Dask engine to run the batches on; without one, ``settings`` may ask for one
    (``engine = "dask"`` or ``cluster``), opened for this call."""
    from crosswire.scale import engine_for

    with engine_for(settings, engine, progress=progress) as engine:
        return _analyze(store, settings, progress, engine)


def _analyze(store: Store, settings: Settings, progress: Progress, engine: "DaskEngine | None") -> AnalyzeSummary:
    started = time.perf_counter()
    summary = AnalyzeSummary(started_at=utcnow_iso())
    summary.run_id = run_id = store.start_run("analyze")
    ids = store.pending_analysis(PIPELINE)
    progress.start("analysing", total=len(ids))
    for results in _results(store, ids, settings, engine, progress):
        with store.transaction():
            for result in results:
                store.save_analysis(result, PIPELINE, run_id)
        for result in results:
            summary.article_ids.append(result.article_id)
            if result.status == "skipped":
                summary.skipped.append({"article": result.article_id, "reason": result.reason or "",
                                        "detail": result.detail or ""})
                progress.note(f"skipped {result.article_id}: {result.reason}: {result.detail}")
            else:
                summary.analyzed += 1
            summary.facts += len(result.facts)  # every stored fact (a skipped article's publication day too)
            summary.published_from_text += result.published is not None
            for stage, secs in result.timings.items():
                summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + secs
        progress.advance(len(results))
    summary.seconds = round(time.perf_counter() - started, 3)
    store.finish_run(run_id, summary)
    progress.stop()
    return summary
