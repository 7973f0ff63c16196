"""SIGINT (Ctrl-C) and SIGTERM end a writing command cleanly: sent to real ``crosswire`` processes,
they exit 130 / 143 with one line saying what was kept, the run is recorded 'interrupted', the worker
processes end, the terminal gets its cursor back, and a re-run continues where the stop left off."""

from __future__ import annotations

import os
import pty
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from interrupting import check_store, crosswire, descendants, wait_gone, write_articles

ENV = {"CROSSWIRE_ANALYZE_PARALLEL_MIN": "1", "CROSSWIRE_ANALYZE_BATCH": "4"}


def _count(db: Path, sql: str) -> int:
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _wait_until(proc, db: Path, sql: str, seconds: float = 180) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while _count(db, sql) == 0:
        assert proc.poll() is None, "the command ended before it could be interrupted"
        assert time.monotonic() < deadline, "the command never committed anything"
        time.sleep(0.02)


def _runs(db: Path) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT command, status, detail FROM runs ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_an_ingest_keeping_its_batches_and_a_rerun_continues(tmp_path, sig):
    src = tmp_path / "news.jsonl"
    records = write_articles(src, 2500, seed=sig)
    db = tmp_path / "s.db"
    proc = crosswire("ingest", str(src), "--db", str(db), "-q", "--workers", "2", env=ENV)
    _wait_until(proc, db, "SELECT count(*) FROM article_records")
    tree = descendants(proc.pid)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and b"Traceback" not in err, err.decode()
    assert lines[0].startswith(f"interrupted by {signal.Signals(sig).name}: kept ")
    assert "new articles" in lines[0] and "run the same command again to continue" in lines[0]
    kept = int(lines[0].split("kept ", 1)[1].split(" new articles")[0])
    assert 0 < kept < len(records)
    assert _count(db, "SELECT count(*) FROM article_records") == kept  # what it says it kept is what is there
    assert _runs(db) == [("ingest", "interrupted", f"stopped by {signal.Signals(sig).name}")]
    assert not wait_gone(tree, 5)
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)

    rerun = crosswire("ingest", str(src), "--db", str(db), "-q", env=ENV)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    assert f"read {len(records)}, stored {len(records) - kept}, unchanged {kept}," in out.decode()
    check_store(db, records).close()
    assert [status for _, status, _ in _runs(db)] == ["interrupted", "finished"]


def test_sigterm_ends_an_analysis_and_its_workers(tmp_path):
    src = tmp_path / "news.jsonl"
    records = write_articles(src, 60, seed=3)
    db = tmp_path / "a.db"
    ingest = crosswire("ingest", str(src), "--db", str(db), "-q", env=ENV)
    ingest.communicate(timeout=300)
    assert ingest.returncode == 0
    proc = crosswire("analyze", "--db", str(db), "-q", "--workers", "2", env=ENV)
    _wait_until(proc, db, "SELECT count(*) FROM analyses")
    tree = descendants(proc.pid)
    assert tree, "the analysis runs no worker processes"
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err.decode()
    assert err.decode().startswith("interrupted by SIGTERM: kept 0 new articles, ") and b"Traceback" not in err
    assert not wait_gone(tree, 5), "worker processes outlived the interrupted analysis"
    assert ("analyze", "interrupted", "stopped by SIGTERM") in _runs(db)
    done = _count(db, "SELECT count(*) FROM analyses")
    assert 0 < done < len(records)

    rerun = crosswire("analyze", "--db", str(db), "-q", env=ENV)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    assert f"analyzed {len(records) - done}," in out.decode()
    conn = check_store(db, records)
    assert conn.execute("SELECT count(*) FROM story_articles").fetchone()[0] == len(records)
    conn.close()


def test_ctrl_c_in_a_terminal_stops_the_progress_and_shows_the_cursor_again(tmp_path):
    src = tmp_path / "news.jsonl"
    write_articles(src, 2500, seed=5)
    db = tmp_path / "t.db"
    master, slave = pty.openpty()
    proc = crosswire("ingest", str(src), "--db", str(db), "--workers", "2", stderr=slave,
                     env={**ENV, "TERM": "xterm", "COLUMNS": "100"})
    os.close(slave)
    seen = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed with the process
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        _wait_until(proc, db, "SELECT count(*) FROM article_records")
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
        reader.join(timeout=10)
    finally:
        os.close(master)
    text = bytes(seen)
    assert proc.returncode == 130
    assert b"\x1b[?25l" in text, "no progress was shown: the test did not run in a terminal"
    assert text.rfind(b"\x1b[?25h") > text.rfind(b"\x1b[?25l")  # the cursor hidden by the progress is back
    assert b"interrupted by SIGINT: kept " in text and b"Traceback" not in text
