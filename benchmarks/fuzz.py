"""Fuzz the ingest run: N generated malformed files of every format, in batches, each into a fresh store.

    .venv/bin/python benchmarks/fuzz.py N [--batch 500] [--seed 0] [--huge 2000000]
                                          [--file-seconds 60] [--workers 1]

The files come from ``tests/fuzzing.py`` (txt, md, html, json, jsonl, warc, warc.gz, rss, atom,
xml; cut short, bytes flipped, binary junk, bad encodings, surrogates, huge lines, deep nesting,
impossible dates, bad URLs, broken WARC headers and gzip streams). For every batch it checks:

* the batch ends without an exception (a *crash*);
* no input takes longer than ``--file-seconds`` of CPU time (a *hang*: the CPU time of this
  process between two inputs coming out of the run, measured through the progress object; with
  ``--workers 1`` all the work is in this process, and CPU time does not count the waits of a
  machine shared with other work); a batch is also stopped by a wall-clock alarm after
  ``--file-seconds`` x its size;
* every file is accounted for: an article stored from it, or a rejection or notice naming it;
  ``read == stored + unchanged + rejected``.

It prints the totals, the slowest input, the peak resident memory (this process and its worker
processes) and the rejection reasons, and exits 1 if anything failed. Nothing leaves loopback:
local feed files never fetch their links (``fetch_feed_links = "remote"``).
"""

from __future__ import annotations

import argparse
import collections
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing import make_batch, unaccounted  # noqa: E402

from crosswire.config import Settings  # noqa: E402
from crosswire.ingest.pipeline import ingest  # noqa: E402
from crosswire.progress import Progress  # noqa: E402
from crosswire.store import Store  # noqa: E402


class Hang(Exception):
    """A batch ran past its alarm."""


class Gaps(Progress):
    """Records the longest CPU time and wall time between two inputs coming out of the ingest run."""

    def __init__(self) -> None:
        self.last = (time.process_time(), time.perf_counter())
        self.longest = 0.0
        self.longest_wall = 0.0

    def advance(self, n: int = 1) -> None:
        now = (time.process_time(), time.perf_counter())
        self.longest = max(self.longest, now[0] - self.last[0])
        self.longest_wall = max(self.longest_wall, now[1] - self.last[1])
        self.last = now


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def run(n: int, batch: int, seed: int, huge: int, file_seconds: float, workers: int) -> int:
    rng = random.Random(seed)
    totals = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    slowest = (0.0, "")
    slowest_wall = 0.0
    failures: list[str] = []
    signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    done = 0
    while done < n:
        size = min(batch, n - done)
        work = Path(tempfile.mkdtemp(prefix="crosswire-fuzz-"))
        try:
            paths = make_batch(rng, work / "in", size, start=done, huge=huge)
            settings = Settings(db=str(work / "fuzz.db"), workers=workers)
            gaps = Gaps()
            signal.alarm(int(file_seconds * size) + 30)
            try:
                with Store(work / "fuzz.db") as store:
                    summary = ingest([str(work / "in")], store, settings, progress=gaps)
                    sources = [a.source for a in store.iter_articles()]
            except Hang:
                totals["hangs"] += 1
                failures.append(f"batch at file {done}: no end within the alarm")
                continue
            except Exception as exc:  # noqa: BLE001 - what the benchmark counts
                totals["crashes"] += 1
                failures.append(f"batch at file {done}: {type(exc).__name__}: {exc}")
                where = traceback.extract_tb(exc.__traceback__)[-3:]
                print(f"  crash at file {done}: " + " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                                                           for f in reversed(where)), flush=True)
                continue
            finally:
                signal.alarm(0)
            totals["files"] += size
            totals["items"] += summary.read
            totals["stored"] += summary.stored
            totals["unchanged"] += summary.unchanged
            totals["rejected"] += len(summary.rejected)
            totals["warnings"] += len(summary.warnings)
            reasons.update(r.reason for r in summary.rejected)
            for r in summary.rejected:  # a bug met an input: name it, to reproduce (same --seed)
                if r.reason == "internal_error":
                    print(f"  internal_error {Path(r.source).name}: {r.detail[:200]}", flush=True)
            if summary.read != summary.stored + summary.unchanged + len(summary.rejected):
                failures.append(f"batch at file {done}: read != stored + unchanged + rejected")
            named = sources + [r.source for r in summary.rejected] + [w.source for w in summary.warnings]
            missing = unaccounted(paths, named)
            if len(missing) > summary.unchanged:
                totals["unaccounted"] += len(missing) - summary.unchanged
                failures.append(f"batch at file {done}: not accounted for: {[str(p) for p in missing[:3]]}")
            if gaps.longest > file_seconds:
                totals["hangs"] += 1
                failures.append(f"batch at file {done}: one input took {gaps.longest:.1f}s of CPU")
            if gaps.longest > slowest[0]:
                slowest = (gaps.longest, f"batch at file {done}")
            slowest_wall = max(slowest_wall, gaps.longest_wall)
        finally:
            shutil.rmtree(work, ignore_errors=True)
            done += size
        own, children = peak_mb()
        print(
            f"{done:>8} files  {time.perf_counter() - started:8.0f}s  crashes {totals['crashes']}  "
            f"hangs {totals['hangs']}  unaccounted {totals['unaccounted']}  "
            f"internal_error {reasons['internal_error']}  slowest {slowest[0]:.1f}s CPU  "
            f"peak RSS {own:.0f}/{children:.0f} MB",
            flush=True,
        )
    own, children = peak_mb()
    print(f"files {totals['files']} in {n // batch + (n % batch > 0)} batches, {time.perf_counter() - started:.0f}s")
    print(f"items read {totals['items']}: stored {totals['stored']}, unchanged {totals['unchanged']}, "
          f"rejected {totals['rejected']}; notices {totals['warnings']}")
    print(f"crashes {totals['crashes']}, hangs {totals['hangs']} (bound {file_seconds:g}s per input), "
          f"unaccounted files {totals['unaccounted']}")
    print(f"slowest input {slowest[0]:.2f}s CPU ({slowest[1]}), {slowest_wall:.2f}s wall at most; "
          f"peak RSS main {own:.0f} MB, workers {children:.0f} MB")
    print("rejections: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    for failure in failures[:20]:
        print("FAILED", failure)
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of files to generate and ingest")
    parser.add_argument("--batch", type=int, default=500, help="files per ingest run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--huge", type=int, default=2_000_000, help="longest generated line, bytes")
    parser.add_argument("--file-seconds", type=float, default=60.0, help="time bound per input")
    parser.add_argument("--workers", type=int, default=1, help="prepare processes (as the setting)")
    args = parser.parse_args()
    return run(args.n, args.batch, args.seed, args.huge, args.file_seconds, args.workers)


if __name__ == "__main__":
    sys.exit(main())
