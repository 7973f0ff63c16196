"""The ingest run: read -> prepare (both cores) -> dedupe -> store, with a summary at the end."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import BinaryIO

from crosswire.config import Settings
from crosswire.dedupe.minhash import Deduplicator
from crosswire.ingest.sources import iter_inputs
from crosswire.models import IngestSummary, RawDocument, Rejection
from crosswire.ingest.prepare import Prepared, prepare
from crosswire.progress import SILENT, Progress
from crosswire.store import Store
from crosswire.times import utcnow_iso

COMMIT_EVERY = 200  # articles per write transaction: short, so readers never wait long


def _prepare_batch(batch: list[RawDocument | Rejection], settings: Settings) -> list[Prepared | Rejection]:
    return [item if isinstance(item, Rejection) else prepare(item, settings) for item in batch]


def _batches(items: Iterable[RawDocument | Rejection], size: int) -> Iterator[list[RawDocument | Rejection]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def worker_count(settings: Settings) -> int:
    return settings.workers if settings.workers > 0 else max(1, os.cpu_count() or 1)


def prepared_stream(
    items: Iterable[RawDocument | Rejection], settings: Settings
) -> Iterator[Prepared | Rejection]:
    """Prepare documents in input order, on every core, with a bounded number of batches in flight."""
    workers = worker_count(settings)
    batches = _batches(items, settings.batch_size)
    if workers == 1:
        for batch in batches:
            yield from _prepare_batch(batch, settings)
        return
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if second is None:  # one small batch: a process pool costs more than it saves
        yield from _prepare_batch(first, settings)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: list[Future[list[Prepared | Rejection]]] = [
            pool.submit(_prepare_batch, first, settings),
            pool.submit(_prepare_batch, second, settings),
        ]
        for batch in batches:
            while len(pending) >= workers * 2:
                yield from pending.pop(0).result()
            pending.append(pool.submit(_prepare_batch, batch, settings))
        for future in pending:
            yield from future.result()


def ingest(
    paths: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    progress: Progress = SILENT,
    outlet: str | None = None,
    url: str | None = None,
    stdin: BinaryIO | None = None,
) -> IngestSummary:
    """Read every input, store the new articles with their copies marked, record every rejection."""
    started = time.perf_counter()
    summary = IngestSummary(started_at=utcnow_iso())
    summary.run_id = run_id = store.start_run("ingest")
    dedupe = Deduplicator(store, settings)
    progress.start("ingesting")
    buffer: list[Prepared] = []

    def flush() -> None:
        with store.transaction() as conn:
            for prepared in buffer:
                article = prepared.article
                if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                    summary.unchanged += 1
                    continue
                copy = dedupe.place(article, prepared.signature, run_id)
                summary.stored += 1
                summary.stored_ids.append(article.id)
                summary.duplicates += copy
        buffer.clear()

    items = iter_inputs(paths, settings, outlet=outlet, url=url, stdin=stdin)
    for result in prepared_stream(items, settings):
        summary.read += 1
        if isinstance(result, Rejection):
            summary.rejected.append(result)
            progress.note(f"rejected {result}")
        else:
            buffer.append(result)
            if len(buffer) >= COMMIT_EVERY:
                flush()
        progress.advance()
    if buffer:
        flush()
    store.record_rejections(summary.rejected, run_id)
    summary.seconds = round(time.perf_counter() - started, 3)
    store.finish_run(run_id, summary)
    progress.stop()
    return summary
