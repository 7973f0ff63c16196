"""The watch: poll each source at its interval, run every new item through the whole pipeline in small
batches, evaluate the rules on the stories that changed, deliver the alerts.

Polls (network and files) run in ``concurrency`` worker threads, one request at a time per host; all
store writes happen in the calling thread, the store's one writer. Per poll result, in order:

1. its new items, ``batch`` at a time: ingest (the product's own :func:`crosswire.ingest.pipeline.ingest`,
   content-hash idempotent) -> the items marked seen -> analyze -> group -> cross-check (as ``crosswire
   analyze``) -> rules -> alerts recorded, then delivered and marked sent;
2. then the source's validators (ETag / Last-Modified) and next poll time are saved -- after its items,
   so a kill -9 before that polls it in full again, and only what was not marked seen is fetched again.

Beside other writers in one process (``crosswire serve --watch``: the server's ingest jobs, its merges
and splits), the watch holds ``pipeline_lock`` while it writes (its start-up catch-up and each poll's
result: no two pipelines analyse or group the same articles at once) and ``write_lock`` around
grouping, as the server's jobs do; the polls themselves run outside both.

A source whose poll fails is polled again after its interval doubled per failure in a row (at most
``max_backoff``), the reason recorded; an item whose page fails with an error that may pass is
fetched again at the next poll (and the source's validators are not kept, so that poll is not a 304).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from typing import Any

from crosswire.config import Settings
from crosswire.extract.analyze import analyze
from crosswire.ingest.pipeline import ingest
from crosswire.models import RawDocument, Rejection
from crosswire.run import group_and_check
from crosswire.store import Store
from crosswire.watch.config import Rules, Source, Sources
from crosswire.watch.poll import Entry, PollResult, poll
from crosswire.watch.polite import Polite
from crosswire.watch.rules import alert_line, evaluate, snapshot
from crosswire.watch.state import WatchState

IDLE_WAIT = 1.0  # longest sleep between two looks at the clock (a stop is seen at once regardless)


@dataclass
class PollReport:
    """One poll of one source, as the live line shows it."""

    source: str
    kind: str | None
    status: str  # "ok" | "not_modified" | "error"
    listed: int = 0
    new_items: int = 0
    stored: int = 0
    rejected: int = 0
    retry: int = 0
    stories_changed: int = 0
    alerts: int = 0
    seconds: float = 0.0
    error: str | None = None
    next_in: float = 0.0

    def line(self) -> str:
        if self.status == "error":
            return f"{self.source}: error {self.error}; next try in {self.next_in:g}s"
        if self.status == "not_modified":
            return f"{self.source}: not modified (304)"
        extra = f", {self.rejected} rejected" if self.rejected else ""
        extra += f", {self.retry} to retry" if self.retry else ""
        return (f"{self.source}: {self.new_items} new items ({self.stored} stored{extra}), {self.stories_changed} "
                f"stories changed, {self.alerts} alerts, {self.seconds:.1f}s")


@dataclass
class WatchSummary:
    """What a watch did while it ran."""

    polls: int = 0
    errors: int = 0
    not_modified: int = 0
    new_items: int = 0
    stored: int = 0
    rejected: int = 0
    stories_changed: int = 0
    alerts: int = 0
    batches: int = 0
    seconds: float = 0.0
    delivery_failures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class WatchPlan:
    """What a watch follows (``crosswire watch``, ``serve --watch``): the sources and rules read, the
    sinks besides the store, and who hears of each poll (the CLI's stderr line)."""

    sources: Sources
    rules: Rules
    sinks: list[Any] = field(default_factory=list)
    on_poll: Callable[[PollReport], None] | None = None


class Watcher:
    """One watch over one store. ``sinks`` take each new alert (``deliver(alert) -> None | why not``);
    ``on_poll`` gets each :class:`PollReport`; ``stop`` ends :meth:`run` (it is set on the way out);
    ``pipeline_lock`` and ``write_lock``: held as the module says when other writers share the process."""

    def __init__(self, store: Store, settings: Settings, sources: Sources, rules: Rules, sinks: list[Any], *,
                 on_poll: Callable[[PollReport], None] | None = None, stop: threading.Event | None = None,
                 pipeline_lock: AbstractContextManager[Any] | None = None,
                 write_lock: AbstractContextManager[Any] | None = None):
        self.store, self.settings, self.sources, self.rules, self.sinks = store, settings, sources, rules, sinks
        self.pipeline_lock = pipeline_lock if pipeline_lock is not None else nullcontext()
        self.write_lock = write_lock if write_lock is not None else nullcontext()
        self.state = WatchState(store)
        self.on_poll = on_poll or (lambda report: None)
        self.stop = stop or threading.Event()
        self.polite = Polite(settings, host_interval=sources.options.host_interval, robots=sources.options.robots,
                             stop=self.stop)
        self.summary = WatchSummary()
        self._seen: dict[str, set[str]] = {}

    # the loop -----------------------------------------------------------------------------
    def run(self, *, once: bool = False) -> WatchSummary:
        """Poll until stopped (``once``: every source one time, then return)."""
        started = time.perf_counter()
        with self.pipeline_lock:
            run_id = self.store.start_run("watch")
            self.state.register(self.sources.sources)
            self._seen = {s.url: self.state.seen(s.url) for s in self.sources.sources}
            self._deliver(self.state.unsent())  # alerts a stop or kill left undelivered
            self._pipeline()  # articles a kill left stored but not analysed, grouped or checked
        pool = ThreadPoolExecutor(max_workers=self.sources.options.concurrency, thread_name_prefix="crosswire-watch")
        flying: dict[Future[PollResult], Source] = {}
        todo = list(self.sources.sources) if once else []
        try:
            while not self.stop.is_set():
                busy = set(flying.values())
                if once:
                    due, todo = todo, []
                else:
                    due = [s for s in self.sources.sources if s not in busy and self.state.due(s.url) <= 0]
                for source in due:
                    flying[pool.submit(poll, source, self.polite, self.settings, set(self._seen[source.url]),
                                       self.state.validators(source.url))] = source
                if not flying:
                    if once:
                        break
                    nearest = min(self.state.due(s.url) for s in self.sources.sources)
                    self.stop.wait(min(max(nearest, 0.05), IDLE_WAIT))
                    continue
                done, _ = wait(list(flying), timeout=IDLE_WAIT, return_when=FIRST_COMPLETED)
                for future in done:
                    source = flying.pop(future)
                    with self.pipeline_lock:
                        self._handle(source, future.result())
        finally:
            self.stop.set()  # the polls in flight end at their next request
            pool.shutdown(wait=False, cancel_futures=True)
        self.summary.seconds = round(time.perf_counter() - started, 3)
        with self.pipeline_lock:
            self.store.finish_run(run_id, self.summary)
        return self.summary

    # one poll's result ---------------------------------------------------------------------
    def _handle(self, source: Source, result: PollResult) -> None:
        self.summary.polls += 1
        report = PollReport(source.url, result.kind, "ok", listed=result.listed, seconds=result.seconds)
        if result.error is not None:
            if result.error.code == "stopped":
                return
            self.summary.errors += 1
            report.status, report.error = "error", f"{result.error.code}: {result.error.message}"
            report.next_in = self.state.failed(source.url, result.error.code, result.error.message, every=source.every,
                                               max_backoff=self.sources.options.max_backoff)
            self.on_poll(report)
            return
        if result.not_modified:
            self.summary.not_modified += 1
            report.status = "not_modified"
            self.state.polled(source.url, kind=result.kind, validators=result.validators, next_in=source.every)
            self.on_poll(report)
            return
        retry = [e for e in result.entries if e.retry]
        for entry in retry:
            self.state.item_error(source.url, entry.url, "retry", f"{entry.retry}; fetched again at the next poll")
        report.retry = len(retry)
        ready = [e for e in result.entries if not e.retry]
        report.new_items = len(ready)
        size = self.sources.options.batch
        for start in range(0, len(ready), size):
            if self.stop.is_set():
                return  # validators not saved: the next run polls this source in full again
            self._batch(source, ready[start:start + size], report)
        validators = {} if retry else result.validators
        self.state.polled(source.url, kind=result.kind, validators=validators, next_in=source.every)
        report.seconds = round(time.time() - result.started, 3)
        self.on_poll(report)

    def _batch(self, source: Source, entries: list[Entry], report: PollReport) -> None:
        docs: list[RawDocument | Rejection] = [d for e in entries for d in e.docs]
        summary = ingest([], self.store, self.settings, documents=docs)
        rejected = {r.source: r for r in summary.rejected}
        done = []
        for e in entries:
            mine = [d for d in e.docs if not _is_notice(d)]
            failed = [rejected.get(d.source) or (d if isinstance(d, Rejection) else None) for d in mine]
            if mine and all(failed):
                first = failed[0]
                done.append((e.key, e.url, "rejected", first.reason, first.detail))
                report.rejected += 1
            else:
                done.append((e.key, e.url, "stored", "feed_text" if e.note else None, e.note))
                report.stored += 1
        self.state.mark_seen(source.url, done)
        self._seen[source.url].update(e.key for e in entries)
        self.summary.batches += 1
        self.summary.new_items += len(entries)
        self.summary.stored += sum(1 for d in done if d[2] == "stored")
        self.summary.rejected += sum(1 for d in done if d[2] == "rejected")
        changed, alerts = self._pipeline() if summary.stored else (0, 0)
        report.stories_changed += changed
        report.alerts += alerts

    # analyse, group, check, alert ------------------------------------------------------------
    def _pipeline(self) -> tuple[int, int]:
        """Analyse what is pending, group, cross-check what changed; then rules and alerts."""
        analyze(self.store, self.settings)
        with self.write_lock:
            _grouping, checked = group_and_check(self.store, self.settings)
        self.summary.stories_changed += checked.computed
        alerts = self._rules()
        return checked.computed, alerts

    def _languages(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        return {r[0] for r in self.store.conn.execute(
            f"SELECT DISTINCT language FROM articles WHERE id IN ({marks}) AND language IS NOT NULL", ids)}

    def _texts(self, ids: list[str]) -> list[tuple[str, str]]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [(r[0], f"{r[1]}\n{r[2]}") for r in self.store.conn.execute(
            f"SELECT id, title, text FROM articles WHERE id IN ({marks})", ids)]

    def _acled(self, record: dict[str, Any]) -> tuple[str, str] | None:
        from crosswire.present.exports import story_acled

        return story_acled(self.store, record)

    def _rules(self) -> int:
        if not self.rules.rules:
            return 0
        import json

        current = {r[0]: f"{r[1]}|{r[2]}" for r in self.store.conn.execute(
            "SELECT b.story_id, b.articles_hash, b.computed_at FROM briefings b JOIN stories s ON s.id = b.story_id "
            "WHERE s.status = 'active'")}
        records: dict[str, dict[str, Any]] = {}
        seen, raised = [], []
        for rule in self.rules.rules:
            views = self.state.rule_views(rule.name)
            for sid, version in current.items():
                if views.get(sid, ("",))[0] == version:
                    continue
                if sid not in records:
                    row = self.store.conn.execute("SELECT json FROM briefings WHERE story_id = ?", (sid,)).fetchone()
                    records[sid] = json.loads(row[0])
                record = records[sid]
                before = views[sid][1] if sid in views else None
                match = evaluate(rule, record, before, self._languages, self._texts, self._acled)
                if match is not None:
                    digest, line = alert_line(rule, record, match)
                    raised.append((rule.name, sid, digest, line))
                seen.append((rule.name, sid, version, snapshot(record)))
        new = self.state.record(seen, raised)
        self._deliver(new)
        self.summary.alerts += len(new)
        return len(new)

    def _deliver(self, alerts: list[dict[str, Any]]) -> None:
        if not alerts:
            return
        for alert in alerts:
            for sink in self.sinks:
                why = sink.deliver(alert)
                if why:
                    self.summary.delivery_failures.append(why)
                    self.state.item_error("(alerts)", None, "alert_not_delivered", why)
        self.state.sent(alerts)


def _is_notice(item: object) -> bool:
    from crosswire.ingest.base import Notice

    return isinstance(item, Notice)
