"""What ``crosswire watch`` keeps in the store (migration ``0011_watch``): per source its polls,
validators, items and errors; every item seen; alerts (an outbox) and what each rule last saw.

Every write is one short transaction of the store's one writer connection. An item is marked seen
only after the ingest that stored (or rejected) it committed: a kill -9 in between makes the next run
fetch it again, and the ingest's content hash makes that second read change nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from crosswire.store import Store
from crosswire.times import utcnow_iso
from crosswire.watch.config import Source


def _iso_in(seconds: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def seconds_until(iso: str | None) -> float:
    """Seconds from now to ``iso`` (negative when it is past; 0 for None)."""
    if not iso:
        return 0.0
    return (datetime.fromisoformat(iso) - datetime.now(timezone.utc)).total_seconds()


class WatchState:
    """The watch tables of one store."""

    def __init__(self, store: Store):
        self.store = store
        self.conn = store.conn

    # sources ------------------------------------------------------------------------------
    def register(self, sources: tuple[Source, ...]) -> None:
        """Add the sources a watch names (a known one keeps its history; its interval is updated)."""
        with self.store.transaction() as c:
            for s in sources:
                c.execute("INSERT INTO watch_sources(url, kind, every) VALUES (?, ?, ?) "
                          "ON CONFLICT(url) DO UPDATE SET every = excluded.every, kind = excluded.kind",
                          (s.url, s.kind or "auto", s.every))

    def source(self, url: str) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM watch_sources WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else {}

    def validators(self, url: str) -> dict[str, str]:
        row = self.source(url)
        return {"etag": row.get("etag") or "", "last_modified": row.get("last_modified") or ""}

    def seen(self, url: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT key FROM watch_items WHERE source = ?", (url,))}

    def polled(self, url: str, *, kind: str | None, validators: dict[str, str], next_in: float) -> None:
        """A poll that worked: validators kept, failures reset, next poll scheduled."""
        now = utcnow_iso()
        with self.store.transaction() as c:
            c.execute("UPDATE watch_sources SET last_poll = ?, last_ok = ?, etag = ?, last_modified = ?, failures = 0, "
                      "next_poll = ?, kind = CASE WHEN kind = 'auto' AND ? IS NOT NULL THEN ? ELSE kind END "
                      "WHERE url = ?",
                      (now, now, validators.get("etag") or None, validators.get("last_modified") or None,
                       _iso_in(next_in), kind, kind, url))

    def failed(self, url: str, reason: str, detail: str, *, every: float, max_backoff: float) -> float:
        """A poll that failed: the error recorded, the next poll put off (doubling per failure in a row,
        at most ``max_backoff``); returns the wait."""
        row = self.source(url)
        failures = int(row.get("failures") or 0) + 1
        wait = min(max(every, every * 2 ** (failures - 1)), max(max_backoff, every))
        now = utcnow_iso()
        with self.store.transaction() as c:
            c.execute("UPDATE watch_sources SET last_poll = ?, failures = ?, errors = errors + 1, last_error = ?, "
                      "next_poll = ? WHERE url = ?", (now, failures, f"{reason}: {detail}", _iso_in(wait), url))
            c.execute("INSERT INTO watch_errors(source, url, at, reason, detail) VALUES (?, ?, ?, ?, ?)",
                      (url, url, now, reason, f"{detail} (next try in {wait:g}s)"))
        return wait

    def item_error(self, source: str, url: str | None, reason: str, detail: str) -> None:
        with self.store.transaction() as c:
            c.execute("UPDATE watch_sources SET errors = errors + 1, last_error = ? WHERE url = ?",
                      (f"{reason}: {detail}", source))
            c.execute("INSERT INTO watch_errors(source, url, at, reason, detail) VALUES (?, ?, ?, ?, ?)",
                      (source, url, utcnow_iso(), reason, detail))

    def mark_seen(self, source: str, items: list[tuple[str, str | None, str, str | None, str | None]]) -> None:
        """Items (key, url, status, reason, detail) done: stored or rejected by a committed ingest."""
        now = utcnow_iso()
        with self.store.transaction() as c:
            new = 0
            for key, url, status, reason, detail in items:
                cur = c.execute("INSERT OR IGNORE INTO watch_items(source, key, url, status, reason, detail, seen_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)", (source, key, url, status, reason, detail, now))
                new += cur.rowcount
            c.execute("UPDATE watch_sources SET items = items + ? WHERE url = ?", (new, source))

    def due(self, url: str) -> float:
        """Seconds until the source is due (<= 0: due now)."""
        return seconds_until(self.source(url).get("next_poll"))

    def sources(self) -> list[dict[str, Any]]:
        """Every source with its last poll, items, errors, the last error and when it is polled next."""
        rows = self.conn.execute(
            "SELECT s.url, s.kind, s.every, s.last_poll, s.last_ok, s.next_poll, s.items, s.errors, s.failures, "
            "s.last_error, (SELECT count(*) FROM watch_items i WHERE i.source = s.url AND i.status = 'rejected') "
            "AS rejected FROM watch_sources s ORDER BY s.url")
        return [dict(r) for r in rows]

    def errors(self, url: str, limit: int = 20) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT at, url, reason, detail FROM watch_errors WHERE source = ? ORDER BY id DESC LIMIT ?", (url, limit))]

    # rules and alerts ---------------------------------------------------------------------
    def rule_views(self, rule: str) -> dict[str, tuple[str, dict[str, Any]]]:
        """What the rule last saw of each story: version and snapshot."""
        return {r[0]: (r[1], json.loads(r[2])) for r in self.conn.execute(
            "SELECT story, version, snapshot FROM watch_seen_stories WHERE rule = ?", (rule,))}

    def record(self, seen: list[tuple[str, str, str, dict[str, Any]]],
               alerts: list[tuple[str, str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """In one transaction: what rules saw (rule, story, version, snapshot) and the alerts raised (rule,
        story, digest, line), each alert once (an alert already recorded is not again); returns the new ones."""
        new = []
        now = utcnow_iso()
        with self.store.transaction() as c:
            for rule, story, version, snapshot in seen:
                c.execute("INSERT OR REPLACE INTO watch_seen_stories(rule, story, version, snapshot) VALUES (?,?,?,?)",
                          (rule, story, version, json.dumps(snapshot, sort_keys=True)))
            for rule, story, digest, line in alerts:
                cur = c.execute("INSERT OR IGNORE INTO watch_alerts(rule, story, digest, line, created_at) "
                                "VALUES (?,?,?,?,?)", (rule, story, digest, json.dumps(line, ensure_ascii=False), now))
                if cur.rowcount:
                    new.append(line)
        return new

    def unsent(self) -> list[dict[str, Any]]:
        """Alerts recorded but not yet delivered to every sink (a stop or a kill came between)."""
        return [json.loads(r[0]) for r in self.conn.execute(
            "SELECT line FROM watch_alerts WHERE sent_at IS NULL ORDER BY created_at, rule, story")]

    def sent(self, lines: list[dict[str, Any]]) -> None:
        now = utcnow_iso()
        with self.store.transaction() as c:
            c.executemany("UPDATE watch_alerts SET sent_at = ? WHERE rule = ? AND story = ? AND digest = ?",
                          [(now, a["rule"], a["story"], a["digest"]) for a in lines])

    def alerts(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.conn.execute("SELECT line FROM watch_alerts ORDER BY created_at")]
