"""What the interruption tests share: generated news articles, crosswire run as a real subprocess,
its process tree read from /proc, and the checks a store must pass after any interruption."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

TOWNS = ["Lyon", "Porto", "Gdansk", "Tampere", "Graz", "Utrecht", "Bergen", "Leeds", "Bilbao", "Brno", "Aarhus",
         "Turin"]
WORKS = ["tram line", "bridge repair", "harbour dredging", "school roof", "flood barrier", "library wing",
         "bus depot", "cycle lane", "water main", "sports hall"]
WORDS = ("council budget residents contractor delay approved vote engineers spring autumn planning hearing "
         "mayor district tender report objections traffic noise funding").split()


def write_articles(path: Path, n: int, seed: int) -> list[dict]:
    """``n`` distinct English news articles as JSONL (news-please field names); returns the records."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        town, work = rng.choice(TOWNS), rng.choice(WORKS)
        words = " ".join(rng.choice(WORDS) for _ in range(30))
        body = (f"The {town} city council voted on Monday to pay for the {work}, officials said. The project, "
                f"number {i} on the list, will cost {rng.randint(2, 90)} million euros and take "
                f"{rng.randint(2, 30)} months, the mayor told reporters. Notes from the meeting: {words}. "
                f"Residents of {town} said the {work} was long overdue.")
        records.append({"title": f"{town} council approves the {work} (project {i})", "maintext": body,
                        "source_domain": f"outlet{i % 7}.example", "url": f"https://outlet{i % 7}.example/news/{i}",
                        "date_publish": f"2025-0{1 + i % 9}-1{i % 10} 08:00:00"})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return records


def crosswire(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:  # type: ignore[type-arg]
    """``python -m crosswire ARGS`` as a real process (output captured unless told otherwise)."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen([sys.executable, "-m", "crosswire", *args], env={**os.environ, **(env or {})}, **kwargs)


def _stat(pid: int) -> list[str] | None:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped does not)."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children...)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(stat[1])
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, parent in parents.items() if parent == p} - found
        found |= kids
        todo.extend(kids)
    return found


def wait_gone(pids: set[int], seconds: float = 15.0) -> set[int]:
    """The processes of ``pids`` still running after up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while (left := {p for p in pids if alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def running_runs(db: Path, command: str) -> int:
    """How many ``command`` runs the store records as running (0 while it cannot be read yet)."""
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM runs WHERE command = ? AND status = 'running'",
                                    (command,)).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def wait_for_run(db: Path, command: str, proc: subprocess.Popen, seconds: float = 120.0) -> bool:  # type: ignore[type-arg]
    """Wait until ``proc`` has started its ``command`` run; False when it ended first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        if running_runs(db, command):
            return True
        time.sleep(0.05)
    return False


def check_store(db: Path, records: list[dict]) -> sqlite3.Connection:
    """The store is intact and holds every record exactly once, with no doubled fact and every
    placed article in one story; returns a connection for further checks."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    rows = conn.execute("SELECT url, title, count(*) FROM article_records GROUP BY url, title").fetchall()
    assert sorted((u, t) for u, t, _ in rows) == sorted((r["url"], r["title"]) for r in records)
    assert all(n == 1 for _, _, n in rows)
    assert conn.execute("SELECT count(*) FROM (SELECT 1 FROM article_records GROUP BY text_hash HAVING count(*) > 1)"
                        ).fetchone()[0] == 0
    assert conn.execute(
        'SELECT count(*) FROM (SELECT 1 FROM facts GROUP BY article_id, kind, about, value, text, start, "end", '
        "stage, role, ordinal HAVING count(*) > 1)").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM facts WHERE article_id NOT IN (SELECT article_id FROM analyses)"
                        ).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM story_articles WHERE article_id NOT IN (SELECT id FROM article_records)"
                        ).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM story_articles WHERE story_id NOT IN (SELECT id FROM stories)"
                        ).fetchone()[0] == 0
    return conn
