"""Worker processes that never outlive the run that started them.

Ingest and analyze hand batches to a process pool. When the parent is killed (kill -9, an OOM kill,
a closed terminal), a pool worker blocked on its queue would live on: each worker watches the
process that started it and ends itself within a second of that process going away.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

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
    threading.Thread(target=_watch, args=(parent,), name="crosswire-parent-watch", daemon=True).start()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers end when this process dies."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),))
