"""Worker processes end with the run that started them (kill -9 of the parent leaves no orphan)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from crosswire.workers import WATCH_SECONDS

BODY = ("The council met on Monday to discuss the new tram line through the harbour district, and the "
        "mayor said work would start in the spring after two years of planning and public hearings. ")


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_analyze_workers_end_when_the_parent_is_killed(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"title": f"Tram line {i}", "maintext": BODY * 8 + f"Item {i}.",
                                       "source_domain": "citypost.example",
                                       "date_publish": "2025-03-10 08:00:00"}) + "\n" for i in range(200)),
                   encoding="utf-8")
    db = str(tmp_path / "x.db")
    env = {**os.environ, "CROSSWIRE_ANALYZE_PARALLEL_MIN": "1", "CROSSWIRE_ANALYZE_BATCH": "4"}
    ingest = subprocess.run([sys.executable, "-m", "crosswire", "ingest", str(src), "--db", db, "-q"],
                            capture_output=True, env=env, timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    run = subprocess.Popen([sys.executable, "-m", "crosswire", "analyze", "--db", db, "-q", "--workers", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _children(run.pid)
            time.sleep(0.2)
        assert len(workers) >= 2, "the analysis never started its worker processes"
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
        deadline = time.monotonic() + 10 * WATCH_SECONDS + 5
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.2)
        assert not [w for w in workers if _alive(w)], "worker processes outlived their parent"
    finally:
        if run.poll() is None:
            run.kill()
