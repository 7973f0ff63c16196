"""Incident facts on the Gun Violence Corpus: date, city, state, killed, injured accuracy per split.

    .venv/bin/python benchmarks/eval_gvc_facts.py [--split train|dev|test|all]
        [--corpus ../shared/corpora/gvc] [--cache DIR] [--limit N] [--errors N] [--articles FILE]

Prints the first ``--errors`` wrong incident fields (gold, predicted, and each article's value
with its evidence), then the metric lines ``name value``, one per line, and the time taken.
``--cache`` keeps the spaCy parses in DIR (outside the repository) between runs; ``--articles``
writes every article's facts as JSON Lines (what each article stated, for the cross-check).
Tune on train and dev; report test once.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire.evaluate.gvc import predict_articles, read_gvc, score  # noqa: E402
from crosswire.extract.time.timex import load_nlp  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "gvc"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--split", choices=("train", "dev", "test", "all"), default="dev")
    parser.add_argument("--cache", type=Path, default=None, help="folder keeping the parses")
    parser.add_argument("--limit", type=int, default=None, help="first N incidents only")
    parser.add_argument("--errors", type=int, default=0, help="how many wrong fields to print")
    parser.add_argument("--articles", type=Path, default=None, help="write per-article facts (JSONL)")
    args = parser.parse_args(argv)
    if not (args.corpus / "documents.jsonl").is_file():
        print(f"GVC not found at {args.corpus}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    nlp = load_nlp()
    loaded = time.perf_counter()
    _, incidents = read_gvc(args.corpus)
    timings: dict[str, float] = {}
    articles = predict_articles(args.corpus, args.split, nlp, cache_dir=args.cache, limit=args.limit,
                                timings=timings)
    metrics = score(incidents, articles)
    seconds = time.perf_counter() - started
    errors = metrics.pop("errors")
    for e in errors[: args.errors]:
        arts = "; ".join(f"{a['value']} ({a['evidence']})" for a in e["articles"])
        print(f"# {e['field']:8} {e['incident_id']:>7} gold {e['gold']!s:24} pred {e['predicted']!s:20} | {arts}")
    if args.articles is not None:
        with args.articles.open("w", encoding="utf-8") as f:
            for a in articles:
                f.write(json.dumps(a.to_dict(), default=str) + "\n")
    n = max(1, len(articles))
    print(f"# {args.split}: {metrics['incidents']} incidents, {metrics['articles']} articles")
    for name, value in metrics.items():
        if name not in ("incidents", "articles"):
            print(f"{args.split}_{name} {value}")
    print(f"{args.split}_parse_seconds {timings.get('parse', 0.0):.2f}")
    print(f"{args.split}_extract_ms_per_article {1000 * timings.get('extract', 0.0) / n:.2f}")
    print(f"{args.split}_summarise_ms_per_article {1000 * timings.get('summarise', 0.0) / n:.2f}")
    print(f"{args.split}_model_load_seconds {loaded - started:.2f}")
    print(f"{args.split}_seconds {seconds:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
