"""Speed of the facts stage (``crosswire analyze``): articles/s on both cores and where the time goes.

    .venv/bin/python benchmarks/bench_facts.py [--n 1000] [--workers 0] [--gvc ../shared/corpora/gvc]

Articles are the news-length ones ``bench_ingest.py`` generates (8-12 paragraphs, ~4,500
characters) or, with ``--gvc``, the first N real articles of the Gun Violence Corpus. They are
ingested into a temporary store first (not timed), then analysed; prints articles/s, the seconds
each stage took summed over articles (spaCy parse included, measured in the workers), and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest import article  # noqa: E402

from crosswire.extract.analyze import analyze  # noqa: E402
from crosswire.config import load_settings  # noqa: E402
from crosswire.ingest.pipeline import ingest  # noqa: E402
from crosswire.store import Store  # noqa: E402


def write_input(folder: Path, n: int, gvc: Path | None) -> Path:
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        if gvc is not None:
            with (gvc / "documents.jsonl").open(encoding="utf-8") as src:
                for i, line in enumerate(src):
                    if i >= n:
                        break
                    d = json.loads(line)
                    rec = {"title": d["title"], "maintext": d["text"], "url": d.get("uri"),
                           "date_publish": d.get("dct"), "language": "en"}
                    fh.write(json.dumps(rec) + "\n")
        else:
            rng = random.Random(11)
            for i in range(n):
                fh.write(json.dumps(article(rng, i)) + "\n")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--gvc", type=Path, default=None, help="use real GVC articles from this folder")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="crosswire-bench-facts-"))
    try:
        src = write_input(folder, args.n, args.gvc)
        settings = load_settings(env={}, db=str(folder / "x.db"), workers=args.workers)
        with Store(settings.db) as store:
            ing = ingest([str(src)], store, settings)
            t0 = time.perf_counter()
            summary = analyze(store, settings)
            seconds = time.perf_counter() - t0
        n = summary.analyzed + len(summary.skipped)
        print(f"machine: {platform.platform()}, python {platform.python_version()}, "
              f"input: {'gvc' if args.gvc else 'generated'}, stored {ing.stored}")
        stages = dict(sorted(summary.stage_seconds.items(), key=lambda kv: -kv[1]))
        total = sum(stages.values()) or 1.0
        print(json.dumps({
            "articles": n, "analyzed": summary.analyzed, "skipped": len(summary.skipped), "facts": summary.facts,
            "seconds": round(seconds, 2), "per_second": round(n / seconds, 1),
            "stage_seconds": {k: round(v, 2) for k, v in stages.items()},
            "stage_share": {k: round(v / total, 3) for k, v in stages.items()},
            "peak_rss_mb_main_children": [round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                                          round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)],
        }))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
