"""Time expressions on MEANTIME English, through the product: span F1, value accuracy and value F1
per split, for crosswire's stored time facts and the dateparser baseline.

    .venv/bin/python benchmarks/eval_meantime.py [--corpus ../shared/corpora/meantime] [--errors 15]
        [--method rules|dateparser|both] [--splits dev cv test] [--all-errors]

Each split's documents are ingested and analysed into a fresh temporary store (see
crosswire/evaluate/meantime.py). Prints the most frequent error patterns on dev (gold text/value vs
predicted; never on another split: the rules are tuned on dev only), the documents or sentences the
product could not be scored on, then per split and method the metric lines ``name value``, one per
line, last. The test split was tuned on up to issue 9, so its figures are fitted, not held out; so
are the cv folds (every topic has been looked at).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire.evaluate.meantime import Pair, meantime_week, run_meantime  # noqa: E402
from crosswire.extract.nlp import load_nlp  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "meantime"
FITTED = {"test": "fitted: tuned on up to issue 9", "cv": "fitted: every topic has been tuned on",
          "dev": "fitted: the rules are written on it"}


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
    parser.add_argument("--splits", nargs="+", choices=("dev", "cv", "test"), default=["dev", "cv", "test"])
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
            for note in result.notes:
                print(f"# {split} {method}: {note}")
            for doc, t in result.unaligned:
                print(f"# {split} {method}: unaligned fact {t.text!r} ({t.value}) in {doc}")
            prefix = "" if method == "rules" else "baseline_dateparser_"
            lines.append(f"# {split} {method} ({seconds:.1f} s; {FITTED[split]})")
            for name, value in result.metrics.items():  # cv names already start with "cv_"
                lines.append(f"{split}_{prefix}{name.removeprefix(split + '_')} {value}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
