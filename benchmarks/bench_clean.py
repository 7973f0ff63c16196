"""Cleaning cost in lines: 10,000 / 100,000 / 1,000,000-line bodies, and one 10 MB line.

    .venv/bin/python benchmarks/bench_clean.py [--sizes 10000,100000,1000000] [--line-mb 10]

The body mixes what cleaning meets: prose paragraphs, short labels, share and subscribe lines,
bullets, repeated captions. Prints seconds and microseconds per line for each size (flat = linear)
and the time and peak memory (ru_maxrss, this process) of cleaning one body that is a single line
of ``--line-mb`` MB.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire.clean import clean_text  # noqa: E402

LINES = [
    "The council said the bridge would reopen on Tuesday after engineers inspected the damage to it.",
    "What we know",
    "Share this article",
    "Subscribe to our newsletter for the latest updates",
    "• Unlimited access to every story",
    "Photo: Reuters",
    "Residents were told to stay inside while crews worked through the night, officials said.",
    "Related Topics",
    "Flood warnings",
]


def body(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "\n".join(f"{rng.choice(LINES)} {i}" if rng.random() < 0.7 else rng.choice(LINES) for i in range(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--line-mb", type=float, default=10)
    args = parser.parse_args()
    print(f"{'lines':>9} {'seconds':>8} {'us/line':>8}")
    for n in (int(s) for s in args.sizes.split(",")):
        text = body(n)
        started = time.perf_counter()
        result = clean_text(text)
        seconds = time.perf_counter() - started
        assert result.text or result.removed
        print(f"{n:>9} {seconds:8.2f} {seconds / n * 1e6:8.1f}", flush=True)
        del text, result
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = "x" * int(args.line_mb * 1024 * 1024)
    started = time.perf_counter()
    result = clean_text("A title line\n" + line)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kept = any(len(p) == len(line) for p in result.text.split("\n\n"))
    print(f"one {args.line_mb:g} MB line: {seconds:.2f}s, peak RSS {peak:.0f} MB (before it {before:.0f} MB), "
          f"kept as content: {kept}")


if __name__ == "__main__":
    main()
