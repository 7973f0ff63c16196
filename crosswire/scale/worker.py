"""What runs on a Dask worker: the model-loading plugin and the wrapper that times each batch.

Imported by the workers (and by the engine when it registers the plugin); it imports Dask
distributed at the top, so nothing outside :mod:`crosswire.scale` imports it.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from distributed import get_worker
from distributed.diagnostics.plugin import WorkerPlugin

PLUGIN_NAME = "crosswire-models"


class LoadModels(WorkerPlugin):
    """Load the spaCy pipeline once when a worker starts (or the nanny restarts it), not in its first batch."""

    name = PLUGIN_NAME
    idempotent = True

    def setup(self, worker: Any) -> None:
        from crosswire.extract.nlp import load_nlp

        load_nlp()


def identity() -> dict[str, str]:
    """What this process runs: the crosswire version and the extractors' pipeline name."""
    from crosswire import __version__
    from crosswire.extract.article import PIPELINE

    return {"crosswire": __version__, "pipeline": PIPELINE}


@dataclass
class BatchResult:
    """One batch's result, the worker that made it, its CPU and wall time and the worker's peak memory."""

    result: Any
    worker: str
    cpu_seconds: float
    wall_seconds: float
    peak_rss_mb: float


def on_worker(fn: Callable[..., Any], batch: list[Any], *args: Any) -> BatchResult:
    """``fn(batch, *args)`` on a worker, with what it cost."""
    try:
        me = get_worker()
        worker = str(me.name if me.name is not None else me.address)
    except ValueError:  # called outside a worker (a direct call): named by its process
        worker = f"pid {os.getpid()}"
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = fn(batch, *args)
    return BatchResult(result, worker, time.process_time() - cpu0, time.perf_counter() - wall0,
                       resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
