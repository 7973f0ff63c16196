"""``crosswire serve --watch SOURCES.toml``: the watch of :mod:`crosswire.watch` in a thread of the server.

The thread opens its own writing connection to the store and runs :class:`crosswire.watch.Watcher`
until the server stops. It shares the store with the server's other writers in the same process:
it holds the server's ``pipeline_lock`` while it writes (so an ingest job and a watch batch never
analyse or group at the same time) and ``write_lock`` around grouping (as merges, splits and jobs
do); the server's readers keep their read-only connections (WAL: never blocked by it). Alerts are
recorded in the store as ``crosswire watch`` records them, so ``/alerts`` shows each one as soon as
its batch is committed, and go to the sinks given (the JSONL file, the rules' webhooks, the CLI's
stdout). A failure of the watch (a store error, a bug) ends the thread, not the server: the run is
recorded as failed and ``/alerts`` says why.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from crosswire.config import Settings
from crosswire.errors import CrosswireError
from crosswire.watch.loop import PollReport, WatchPlan, Watcher

STOP_WAIT = 120.0  # seconds the server waits, when it stops, for the watch's batch in progress


class ServeWatch:
    """The watch thread of one server."""

    def __init__(self, db: str, settings: Settings, plan: WatchPlan, *, pipeline_lock: threading.Lock,
                 write_lock: threading.Lock) -> None:
        self.db, self.settings, self.plan = db, settings, plan
        self.pipeline_lock, self.write_lock = pipeline_lock, write_lock
        self.stop = threading.Event()
        self.error: str | None = None
        self.last: str | None = None  # the last poll's line
        self._watcher: Watcher | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="crosswire-watch-loop", daemon=True)
        self._thread.start()

    def _polled(self, report: PollReport) -> None:
        with self._lock:
            self.last = report.line()
        if self.plan.on_poll is not None:
            self.plan.on_poll(report)

    def _run(self) -> None:
        from crosswire.store import Store
        from crosswire.store.sqlite import store_error

        store = None
        try:
            store = Store(self.db)
            self._watcher = Watcher(store, self.settings, self.plan.sources, self.plan.rules, self.plan.sinks,
                                    on_poll=self._polled, stop=self.stop, pipeline_lock=self.pipeline_lock,
                                    write_lock=self.write_lock)
            self._watcher.run()
        except CrosswireError as exc:
            self._failed(store, str(exc))
        except sqlite3.Error as exc:
            self._failed(store, str(store_error(exc, self.db, "watching")))
        except Exception as exc:  # noqa: BLE001 - the server goes on; /alerts says why the watch stopped
            self._failed(store, f"internal error: {type(exc).__name__}: {exc}")
        finally:
            if store is not None:
                store.close()

    def _failed(self, store: Any, message: str) -> None:
        with self._lock:
            self.error = message
        if store is not None:
            try:
                store.close_runs("failed", message)
            except Exception:  # noqa: BLE001 - the store itself may be what failed; the next writer closes the run
                pass

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def status(self) -> dict[str, Any]:
        """What ``/alerts`` says about the watch: running or why it stopped, its sources and counts."""
        summary = self._watcher.summary if self._watcher is not None else None
        with self._lock:
            return {"running": self.running, "error": self.error, "sources": len(self.plan.sources.sources),
                    "rules": [r.name for r in self.plan.rules.rules], "last_poll": self.last,
                    "polls": summary.polls if summary else 0, "new_items": summary.new_items if summary else 0,
                    "alerts": summary.alerts if summary else 0}

    def close(self, timeout: float = STOP_WAIT) -> None:
        """Stop the watch: the polls in flight end at their next request, the batch in progress is
        finished (or, past ``timeout``, left to the next start: its run is then found interrupted)."""
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
