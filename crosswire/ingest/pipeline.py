"""The ingest run: read -> prepare (both cores) -> dedupe -> store, with a summary at the end."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import TYPE_CHECKING, BinaryIO

from crosswire.config import Settings
from crosswire.dedupe.minhash import Deduplicator
from crosswire.ingest.base import Notice, internal_error
from crosswire.ingest.sources import checked_items, iter_inputs
from crosswire.models import Article, IngestSummary, RawDocument, Rejection
from crosswire.ingest.prepare import Prepared, prepare
from crosswire.progress import SILENT, Progress
from crosswire.scale.filters import InputFilter
from crosswire.store import Store
from crosswire.store.outlets import place_outlets
from crosswire.store.sqlite import store_failure
from crosswire.times import utcnow_iso
from crosswire.workers import process_pool, worker_count

if TYPE_CHECKING:
    from crosswire.scale import DaskEngine

COMMIT_EVERY = 200  # articles per write transaction: short, so readers never wait long


def _prepare_one(item: RawDocument | Rejection, settings: Settings) -> Prepared | Rejection:
    """The last-resort guard around one input: whatever escapes is that input's ``internal_error``."""
    if isinstance(item, Rejection):
        return item
    try:
        return prepare(item, settings)
    except Exception as exc:  # noqa: BLE001 - one input never stops the batch
        return internal_error(item.source, exc, "preparing this document")


def _prepare_batch(batch: list[RawDocument | Rejection], settings: Settings) -> list[Prepared | Rejection]:
    return [_prepare_one(item, settings) for item in batch]


def _lost_batch(batch: list[RawDocument | Rejection], exc: BaseException) -> list[Prepared | Rejection]:
    """A batch whose worker process died (a crash in a library, out of memory): each input named."""
    return [
        item if isinstance(item, Rejection) else internal_error(item.source, exc, "a worker prepared it")
        for item in batch
    ]


def _batches(items: Iterable[RawDocument | Rejection], size: int) -> Iterator[list[RawDocument | Rejection]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def prepared_stream(
    items: Iterable[RawDocument | Rejection], settings: Settings, engine: "DaskEngine | None" = None,
    progress: Progress = SILENT,
) -> Iterator[Prepared | Rejection]:
    """Prepare documents in input order, on every core (or on ``engine``'s Dask cluster), with a bounded
    number of batches in flight."""
    workers = worker_count(settings)
    batches = _batches(items, settings.batch_size)
    if engine is not None:  # results back in input order; a batch lost for good names each of its inputs
        for prepared in engine.map_ordered(_prepare_batch, batches, settings, label="documents", on_error=_lost_batch,
                                           progress=progress):
            yield from prepared
        return
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
    pool = process_pool(workers)
    try:
        pending: list[tuple[list[RawDocument | Rejection], Future[list[Prepared | Rejection]]]] = [
            (first, pool.submit(_prepare_batch, first, settings)),
            (second, pool.submit(_prepare_batch, second, settings)),
        ]
        broken = False

        def collect(batch: list[RawDocument | Rejection], future: Future) -> list[Prepared | Rejection]:
            nonlocal broken
            try:
                return future.result()
            except BrokenProcessPool as exc:
                broken = True
                return _lost_batch(batch, exc)
            except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
                return _lost_batch(batch, exc)

        for batch in batches:
            while len(pending) >= workers * 2:
                yield from collect(*pending.pop(0))
            if broken:  # the pool is gone: the rest is prepared here, one input at a time
                pending.append((batch, _done(_prepare_batch(batch, settings))))
            else:
                try:
                    pending.append((batch, pool.submit(_prepare_batch, batch, settings)))
                except BrokenProcessPool:
                    broken = True
                    pending.append((batch, _done(_prepare_batch(batch, settings))))
        for batch, future in pending:
            yield from collect(batch, future)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _done(result: list[Prepared | Rejection]) -> Future[list[Prepared | Rejection]]:
    future: Future[list[Prepared | Rejection]] = Future()
    future.set_result(result)
    return future


def _update_metadata(store: Store, summary: IngestSummary, article_id: str, article: Article,
                     run_id: int | None) -> None:
    """A stored article read again: metadata it lacked (or that differs) updates it, kept as a
    correction by this input; it keeps its id and its facts. Fields a person corrected stay."""
    changes, kept = store.metadata_changes(article_id, outlet=article.outlet, url=article.url,
                                           authors=article.authors, published=article.published)
    if changes:
        done = store.correct_article(article_id, {f: new for f, (_, new) in changes.items()}, origin="ingest",
                                     source=article.source, run_id=run_id)
        if done:
            summary.updated += 1
            summary.updates.append({"article": article_id, "source": article.source,
                                    "changes": {f: {"old": old, "new": new} for f, (old, new) in done.items()}})
    for name in kept:
        summary.warnings.append(Notice(
            article.source, "kept_correction",
            f"article {article_id}'s {name} was corrected by hand; this input's {name} is not applied "
            f"(`crosswire article {article_id} --{name} ...` changes it)"))


def ingest(
    paths: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    progress: Progress = SILENT,
    outlet: str | None = None,
    url: str | None = None,
    stdin: BinaryIO | None = None,
    documents: Iterable[RawDocument | Rejection] | None = None,
    engine: "DaskEngine | None" = None,
) -> IngestSummary:
    """Read every input, store the new articles with their copies marked, record every rejection.

    ``documents``: documents already read (``crosswire watch``'s fetches), ingested after ``paths``.
    ``engine``: a Dask engine the documents are prepared on (see :mod:`crosswire.scale`)."""
    started = time.perf_counter()
    keep = InputFilter.from_settings(settings)  # a bad day is named before the run starts
    summary = IngestSummary(started_at=utcnow_iso())
    summary.run_id = run_id = store.start_run("ingest")
    dedupe = Deduplicator(store, settings)
    progress.start("ingesting")
    buffer: list[Prepared] = []

    def flush() -> None:
        with store.transaction() as conn:
            placed: list[str] = []
            for prepared in buffer:
                article = prepared.article
                same = store.same_article(article.id, article.title, article.text, article.text_hash,
                                          article.source, article.outlet, article.url)
                if same is not None:
                    summary.unchanged += 1
                    _update_metadata(store, summary, same, article, run_id)
                    continue
                conn.execute("SAVEPOINT one_article")  # a failure undoes this article only
                # stamped as it is stored, in input order: the workers prepare in parallel, and their
                # clocks made an undated article's place in grouping order change from run to run
                article.ingested_at = utcnow_iso()
                try:
                    copy = dedupe.place(article, prepared.signature, run_id)
                except Exception as exc:  # noqa: BLE001 - the batch goes on without this input
                    if store_failure(exc):  # a full disk or a corrupt file: no article is to blame
                        raise
                    conn.execute("ROLLBACK TO one_article")
                    conn.execute("RELEASE one_article")
                    summary.rejected.append(internal_error(article.source, exc, "storing this article"))
                    continue
                conn.execute("RELEASE one_article")
                placed.append(article.id)
                summary.stored += 1
                summary.stored_ids.append(article.id)
                summary.duplicates += copy
            place_outlets(conn, placed)
        buffer.clear()

    items: Iterable[RawDocument | Rejection] = iter_inputs(paths, settings, outlet=outlet, url=url, stdin=stdin)
    if documents is not None:
        items = chain(items, checked_items(documents, settings, outlet=outlet, url=url))
    for result in prepared_stream(items, settings, engine, progress):
        if isinstance(result, Notice):
            summary.warnings.append(result)
            progress.note(f"note {result}")
            continue
        summary.read += 1
        if keep and not isinstance(result, Rejection):
            result = keep.rejects(result.article) or result
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
