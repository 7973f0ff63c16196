"""kill -9 of a real ``crosswire watch`` process mid-run, then a restart: no item lost or doubled, no alert
lost or repeated (in the store and in the alerts file)."""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from pathlib import Path

from conftest import send
from interrupting import crosswire

TOWNS = ["Lyon", "Porto", "Tampere", "Graz", "Utrecht", "Bergen", "Leeds", "Bilbao"]
WORKS = ["tram line", "bridge repair", "harbour dredging", "school roof", "flood barrier", "library wing",
         "bus depot", "cycle lane"]


def page(i: int) -> bytes:
    town, work = TOWNS[i], WORKS[i]
    return f"""<html><head><title>{town} council approves the {work}</title>
<meta property="og:site_name" content="Civic Wire"></head><body><article><h1>{town} council approves the {work}</h1>
<p>The {town} city council voted on Monday to pay for the {work}, officials said. The project will cost
{10 + i} million euros and take {6 + i} months, the mayor of {town} told reporters after the vote.</p>
<p>Residents of {town} said the {work} was long overdue. Engineers expect work to start in the spring, once the
tender has closed and the contractor has been chosen by the council's planning committee.</p></article></body>
</html>""".encode()


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=30)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # tables not made yet
        return 0
    finally:
        conn.close()


def _wait_for(db: Path, sql: str, at_least: int, proc, limit: float = 240.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit
    while _count(db, sql) < at_least:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "the watch made no progress"
        time.sleep(0.1)


def _killed(proc) -> None:  # type: ignore[no-untyped-def]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def test_kill_9_mid_watch_then_restart_loses_and_doubles_nothing(loopback, tmp_path):
    n = len(TOWNS)
    base = loopback.base
    items = "".join(f"<item><guid>item-{i}</guid><title>Item {i}</title><link>{base}/p{i}.html</link></item>"
                    for i in range(n))
    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Civic Wire</title><link>{base}/</link>'
            f"{items}</channel></rss>").encode()
    loopback.routes["/feed.xml"] = lambda h: send(h, body, "application/rss+xml", headers={"ETag": '"same"'})
    for i in range(n):
        loopback.routes[f"/p{i}.html"] = (lambda i: lambda h: (time.sleep(0.3), send(h, page(i), "text/html")))(i)
    sources = tmp_path / "sources.toml"
    sources.write_text(f"""
[watch]
host_interval = "0s"
batch = 2

[[source]]
url = "{base}/feed.xml"
every = "1h"

[[rule]]
name = "council decisions"
keywords = ["council"]
""", encoding="utf-8")
    db, alerts = tmp_path / "w.db", tmp_path / "alerts.jsonl"
    args = ["watch", str(sources), "--db", str(db), "--alerts", str(alerts), "--allow-private", "-q"]
    env = {"CROSSWIRE_WORKERS": "1"}

    # run 1: killed once its first batch is stored, analysed and marked seen
    proc = crosswire(*args, env=env)
    _wait_for(db, "SELECT count(*) FROM watch_items", 2, proc)
    _killed(proc)
    # run 2: killed at a moment of its own (during a later batch's fetch, ingest or analysis)
    seen = _count(db, "SELECT count(*) FROM watch_items")
    proc = crosswire(*args, env=env)
    _wait_for(db, "SELECT count(*) FROM watch_items", seen + 1, proc)
    time.sleep(0.7)
    _killed(proc)
    # run 3: --once goes on and finishes
    done = crosswire(*args[:2], "--once", *args[2:], env=env)
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err.decode()

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == n
        assert conn.execute("SELECT count(DISTINCT url) FROM articles").fetchone()[0] == n
        assert conn.execute("SELECT count(*) FROM watch_items WHERE status = 'stored'").fetchone()[0] == n
        assert conn.execute("SELECT items FROM watch_sources").fetchone()[0] == n
        stories = conn.execute("SELECT count(*) FROM stories WHERE status = 'active'").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM analyses").fetchone()[0] == n
        recorded = conn.execute("SELECT count(*) FROM watch_alerts").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM watch_alerts WHERE sent_at IS NULL").fetchone()[0] == 0
        statuses = [r[0] for r in conn.execute("SELECT status FROM runs WHERE command = 'watch' ORDER BY id")]
    finally:
        conn.close()
    assert statuses == ["interrupted", "interrupted", "finished"]
    lines = [json.loads(x) for x in alerts.read_text(encoding="utf-8").splitlines()]
    keys = [(a["rule"], a["story"], a["digest"]) for a in lines]
    assert len(keys) == len(set(keys)) == recorded
    assert {a["story"] for a in lines} == {a["story"] for a in lines if a["rule"] == "council decisions"}
    assert len({a["story"] for a in lines}) == stories  # every story alerted, each once
