"""Worker processes that never outlive the run that started them.

Ingest and analyze hand batches to a process pool. When the parent is killed (kill -9, an OOM kill,
a closed terminal), a pool worker blocked on its queue would live on: each worker watches the
process that started it and ends itself within a second of that process going away. When the run is
interrupted (SIGINT, SIGTERM) the parent ends its workers itself, without waiting for their batches.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import weakref
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from crosswire.config import Settings

WATCH_SECONDS = 0.5


def worker_count(settings: Settings) -> int:
    """Processes to use: ``workers``, or one per CPU core when it is 0."""
    return settings.workers if settings.workers > 0 else max(1, os.cpu_count() or 1)


def _watch(parent: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent:  # re-parented: the run that started us is gone
            os._exit(1)


def _die_with_parent(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent alone decides what happens (see stop_workers);
    # a SIGTERM handler inherited from the parent (the CLI's) would make a worker raise instead of end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch, args=(parent,), name="crosswire-parent-watch", daemon=True).start()


_stopping = threading.Event()


def stop_workers() -> None:
    """The run is being interrupted (SIGINT, SIGTERM): pools shut down from now on end their workers at
    once instead of waiting for the batches they hold (those batches were never stored)."""
    _stopping.set()


def stopping() -> bool:
    """Whether :func:`stop_workers` was called in this process."""
    return _stopping.is_set()


_abandoned = threading.Event()


def abandoned() -> bool:
    """Whether an interrupted pool was left without joining its threads: the process must then end
    with ``os._exit`` (a normal exit joins the pool's threads, which may wait forever on a pipe to a
    worker that was ended)."""
    return _abandoned.is_set()


class Pool(ProcessPoolExecutor):
    """A process pool whose workers end when this process dies, or at once when it is interrupted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _pools.add(self)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if not _stopping.is_set():
            super().shutdown(wait=wait, cancel_futures=cancel_futures)
            return
        # as ProcessPoolExecutor.terminate_workers (Python 3.14) does: end the workers, do not wait
        processes = list((getattr(self, "_processes", None) or {}).values())
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
        _abandoned.set()
        super().shutdown(wait=False, cancel_futures=True)


_pools: "weakref.WeakSet[Pool]" = weakref.WeakSet()


def end_pools() -> None:
    """After :func:`stop_workers`: end the workers of every pool still open (a pool held by a generator
    the interruption left suspended is not shut down until that generator is collected)."""
    for pool in list(_pools):
        pool.shutdown()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers end when this process dies (see :class:`Pool`)."""
    return Pool(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),))
