"""The same input gives the same stories and briefings, byte for byte, under any PYTHONHASHSEED and
worker count: the whole CLI run in subprocesses, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "crosswire" / "demo" / "corpus"
# the seeds sit beside the project: ../shared/seeds of the checkout, or of the main checkout
SEEDS = next((p for p in (ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")) if p.is_dir()), None)


def crosswire(*args: str, seed: int) -> bytes:
    # analysis starts worker processes from one pending article on, so --workers 2 really uses two
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "CROSSWIRE_ANALYZE_PARALLEL_MIN": "1"}
    done = subprocess.run([sys.executable, "-m", "crosswire", *args], capture_output=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def outputs(inputs: Path, db: Path, *, seed: int, workers: int) -> dict[str, bytes]:
    """What a run shows: the stories, their export, and each story's briefing."""
    crosswire("run", str(inputs), "--db", str(db), "--workers", str(workers), "-q", seed=seed)
    out = {"stories": crosswire("stories", "--json", "--db", str(db), seed=seed),
           "export": crosswire("export", "-", "--what", "stories", "--format", "jsonl", "--db", str(db), "-q",
                               seed=seed)}
    for n in range(1, out["stories"].count(b"\n") + 1):
        out[f"show {n}"] = crosswire("show", str(n), "--db", str(db), seed=seed)
    return out


def test_the_demo_corpus_gives_the_same_stories_under_any_hash_seed_and_worker_count(tmp_path: Path) -> None:
    first = outputs(DEMO, tmp_path / "a.db", seed=1, workers=1)
    assert first["export"].count(b"\n") >= 2 and len(first) >= 4
    assert first == outputs(DEMO, tmp_path / "b.db", seed=2, workers=1)
    assert first == outputs(DEMO, tmp_path / "c.db", seed=1, workers=2)


@pytest.mark.skipif(SEEDS is None, reason="../shared/seeds is absent")
def test_the_seed_reports_give_the_same_stories_under_any_hash_seed_and_worker_count(tmp_path: Path) -> None:
    assert SEEDS is not None
    first = outputs(SEEDS, tmp_path / "a.db", seed=1, workers=1)
    assert first["export"]
    assert first == outputs(SEEDS, tmp_path / "b.db", seed=2, workers=2)
