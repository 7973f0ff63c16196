"""The Dask engine: the expensive per-article work (ingest's prepare, analyze's parse and facts) on a Dask cluster.

The engine is one small interface, :meth:`DaskEngine.map_ordered`: batches go out to the workers (a
bounded number in flight), results come back **in the order the batches were made**, so the one
writer of the store (this process) stores exactly what and in which order a single-machine run
stores: grouping, cross-checking and the store come out the same. A worker that dies mid-run (killed,
out of memory) loses nothing: the scheduler runs its tasks again elsewhere, and each batch's result
is taken once, so nothing is stored twice. Each worker loads the spaCy pipeline once, when it starts
(:class:`crosswire.scale.worker.LoadModels`; a worker the nanny restarts loads it again).

``settings.cluster`` names an existing scheduler (``tcp://HOST:PORT``); ``settings.engine == "dask"``
without it starts a local cluster of ``workers`` processes (one thread each) on loopback for the run
and closes it after. Dask is imported only here and only when asked for.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from crosswire.config import Settings
from crosswire.errors import CrosswireError
from crosswire.progress import SILENT, Progress

if TYPE_CHECKING:
    from distributed import Client

CONNECT_TIMEOUT = 10.0  # seconds to reach an existing scheduler before giving up
# the scheduler always serves HTTP (health, metrics; the dashboard when bokeh is installed): on a free
# loopback port, never the shared default 8787 another user's cluster may hold
LOOPBACK_ANY_PORT = "127.0.0.1:0"
NOTE_EVERY = 10.0  # seconds between progress notes (batches, articles/s, per worker)

T = TypeVar("T")
R = TypeVar("R")


class ClusterError(CrosswireError):
    """The Dask cluster cannot be used: not installed, unreachable, or its workers cannot run crosswire."""

    code = "cluster"


def wanted(settings: Settings) -> bool:
    """Whether the settings ask for the Dask engine (``engine = "dask"`` or a ``cluster`` address)."""
    return settings.engine == "dask" or bool(settings.cluster.strip())


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError(
            f"the dask engine needs Dask distributed, which cannot be imported here ({exc}); install it with "
            "`pip install 'distributed==2026.8.0'` (pinned in pyproject.toml) or run without --engine dask/--cluster"
        ) from None
    return distributed


# ---------------------------------------------------------------- the engine
@dataclass
class WorkerStats:
    """What one worker did in this run."""

    batches: int = 0
    items: int = 0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0


@dataclass
class EngineStats:
    """What the cluster did in this run, per worker and in all."""

    batches: int = 0
    items: int = 0
    workers: dict[str, WorkerStats] = field(default_factory=dict)
    workers_lost: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"batches": self.batches, "items": self.items, "workers_lost": self.workers_lost,
                "workers": {k: vars(v) for k, v in sorted(self.workers.items())}}


class DaskEngine:
    """Batches mapped over a Dask cluster, results back in batch order (see the module's docstring)."""

    def __init__(self, client: "Client", address: str, *, progress: Progress = SILENT) -> None:
        self.client = client
        self.address = address
        self.progress = progress
        self.stats = EngineStats()

    def slots(self) -> int:
        """Task slots on the cluster now (worker threads), at least 1."""
        workers = self.client.scheduler_info().get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def _workers(self) -> set[str]:
        return set(self.client.scheduler_info().get("workers", {}))

    def map_ordered(self, fn: Callable[..., list[R]], batches: Iterable[list[T]], *args: Any, label: str = "batches",
                    on_error: Callable[[list[T], BaseException], list[R]] | None = None,
                    progress: Progress | None = None) -> Iterator[list[R]]:
        """``fn(batch, *args)`` for every batch, run on the cluster, yielded in the batches' order.

        At most two batches per worker thread are in flight. A batch whose task fails (its code raised,
        or the workers running it died more often than the scheduler allows) becomes ``on_error(batch,
        exc)``, or a :class:`ClusterError` when there is no ``on_error``. Every ``NOTE_EVERY`` seconds and at
        the end, ``progress`` (else the engine's) gets a note: batches, items/s in all and per worker."""
        from crosswire.scale.worker import on_worker

        progress = progress or self.progress

        started = last_note = time.perf_counter()
        window = 2 * self.slots()
        known = self._workers()
        pending: deque[tuple[list[T], Any]] = deque()
        done_items = 0
        here: dict[str, int] = {}  # items each worker did in this call

        def collect(batch: list[T], future: Any) -> list[R]:
            nonlocal done_items
            try:
                out = future.result()
            except Exception as exc:  # noqa: BLE001 - the task's own error, or its workers died too often
                if on_error is None:
                    raise ClusterError(f"a batch of {len(batch)} {label} failed on the cluster: "
                                       f"{type(exc).__name__}: {exc}", source=self.address) from exc
                return on_error(batch, exc)
            finally:
                future.release()
            w = self.stats.workers.setdefault(out.worker, WorkerStats())
            w.batches += 1
            w.items += len(batch)
            w.cpu_seconds += out.cpu_seconds
            w.peak_rss_mb = max(w.peak_rss_mb, out.peak_rss_mb)
            here[out.worker] = here.get(out.worker, 0) + len(batch)
            self.stats.batches += 1
            self.stats.items += len(batch)
            done_items += len(batch)
            return out.result

        def note(final: bool = False) -> None:
            nonlocal last_note, known, window
            now = time.perf_counter()
            if not final and now - last_note < NOTE_EVERY:
                return
            last_note = now
            current = self._workers()
            lost = known - current
            if lost:
                self.stats.workers_lost += len(lost)
                progress.note(f"dask: {len(lost)} worker(s) left the cluster ({', '.join(sorted(lost))}); "
                                   "their batches run again on the others")
            known = current
            window = 2 * self.slots()
            secs = max(now - started, 1e-9)
            per_worker = ", ".join(f"{name} {n / secs:.1f}/s" for name, n in sorted(here.items()))
            progress.note(f"dask {label}: {self.stats.batches} batches, {done_items} {label}, "
                               f"{done_items / secs:.1f} {label}/s on {len(current)} workers ({per_worker})")

        for i, batch in enumerate(batches):
            while len(pending) >= window:
                yield collect(*pending.popleft())
                note()
            pending.append((batch, self.client.submit(on_worker, fn, batch, *args, pure=False,
                                                      key=f"crosswire_{label}-{i}-{os.urandom(6).hex()}")))
        while pending:
            yield collect(*pending.popleft())
            note()
        if done_items:
            note(final=True)


def _check_workers(client: "Client", address: str) -> None:
    """Every worker runs the same crosswire (version and extractors) as this process, or a clear error."""
    from crosswire.scale.worker import identity

    try:
        theirs = client.run(identity)
    except Exception as exc:  # noqa: BLE001 - e.g. crosswire not importable on the workers
        raise ClusterError(f"the workers of the Dask cluster cannot run crosswire ({type(exc).__name__}: {exc}); "
                           "install the same crosswire on every worker", source=address) from None
    if not theirs:
        raise ClusterError("the Dask cluster has no workers; start some (`dask worker ADDRESS`)", source=address)
    ours = identity()
    for worker, ident in sorted(theirs.items()):
        if ident != ours:
            raise ClusterError(f"worker {worker} runs crosswire {ident['crosswire']} with extractors "
                               f"{ident['pipeline']}, this process {ours['crosswire']} with {ours['pipeline']}; "
                               "install the same crosswire on every worker", source=address)


def _connect(address: str, timeout: float) -> "Client":
    distributed = _distributed()
    try:
        return distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); check the address "
                           "(tcp://HOST:PORT) and that the scheduler runs (`dask scheduler`)", source=address) from None


@contextmanager
def open_engine(settings: Settings, *, progress: Progress = SILENT,
                connect_timeout: float = CONNECT_TIMEOUT) -> Iterator[DaskEngine]:
    """A Dask engine for one run: the scheduler at ``settings.cluster``, or a local cluster of
    ``workers`` processes (one per core when 0), one thread each, on loopback, closed at the end."""
    from crosswire.workers import worker_count

    distributed = _distributed()
    address = settings.cluster.strip()
    cluster = None
    if address:
        client = _connect(address, connect_timeout)
    else:
        cluster = distributed.LocalCluster(
            n_workers=worker_count(settings), threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=LOOPBACK_ANY_PORT, silence_logs=logging.CRITICAL,
        )
        address = str(cluster.scheduler_address)
        client = distributed.Client(cluster, set_as_default=False)
    try:
        _check_workers(client, address)
        progress.note(f"dask: {len(client.scheduler_info().get('workers', {}))} workers at {address}"
                      f"{' (local cluster)' if cluster is not None else ''}")
        from crosswire.scale.worker import PLUGIN_NAME, LoadModels

        client.register_plugin(LoadModels(), name=PLUGIN_NAME)
        yield DaskEngine(client, address, progress=progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def engine_for(settings: Settings, engine: DaskEngine | None = None, *,
               progress: Progress = SILENT) -> Iterator[DaskEngine | None]:
    """``engine`` when given; else a Dask engine opened for this block when the settings ask for one
    (closed after); else None (the default process pool of :mod:`crosswire.workers`)."""
    if engine is not None or not wanted(settings):
        yield engine
        return
    with open_engine(settings, progress=progress) as opened:
        yield opened
