"""Time expressions on MEANTIME English: span F1, value accuracy and value F1 per split.

    .venv/bin/python benchmarks/eval_meantime.py [--corpus ../shared/corpora/meantime] [--errors 15]
        [--method rules|dateparser|both] [--splits dev test] [--all-errors]

Prints the most frequent error patterns on dev (gold text/value vs predicted; never test, which is
only reported), then per split and method the metric lines ``name value``, one per line, last.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire.evaluate.meantime import Pair, meantime_week, run_meantime  # noqa: E402
from crosswire.extract.time.timex import load_nlp  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "meantime"


def error_pattern(p: Pair) -> str | None:
    """A short description of what went wrong with one gold/prediction pair, or None if right."""
    g, t = p.gold, p.pred
    if g is not None and t is not None and g.value == meantime_week(t.value):
        return None
    gold = f"{g.text!r} {g.type} {g.value}" if g else "-"
    pred = f"{t.text!r} {t.type} {t.value}" if t else "-"
    kind = "missed" if t is None else "spurious" if g is None else "value"
    return f"{kind:8} gold {gold:45} pred {pred}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--errors", type=int, default=15, help="how many dev error patterns to print")
    parser.add_argument("--method", choices=("rules", "dateparser", "both"), default="both")
    parser.add_argument("--splits", nargs="+", choices=("dev", "test"), default=["dev", "test"])
    parser.add_argument("--all-errors", action="store_true", help="print every dev error with its sentence")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"MEANTIME not found at {args.corpus}", file=sys.stderr)
        return 1
    nlp = load_nlp()
    methods = ("rules", "dateparser") if args.method == "both" else (args.method,)
    lines: list[str] = []
    for method in methods:
        for split in args.splits:
            started = time.perf_counter()
            result = run_meantime(args.corpus, split, method, nlp)
            seconds = time.perf_counter() - started
            if split == "dev" and method == "rules":
                errors = [(error_pattern(p), p) for p in result.pairs]
                errors = [(e, p) for e, p in errors if e]
                counts = Counter(e for e, _ in errors)
                print(f"# {len(errors)} dev errors; the {args.errors} most frequent patterns:")
                for pattern, n in counts.most_common(args.errors):
                    print(f"{n:3}  {pattern}")
                if args.all_errors:
                    for e, p in errors:
                        print(f"{p.dct}  {e}\n        {p.context[:220]}")
            prefix = "" if method == "rules" else "baseline_dateparser_"
            lines.append(f"# {split} {method} ({seconds:.1f} s)")
            lines += [f"{split}_{prefix}{name} {value}" for name, value in result.metrics.items()]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
