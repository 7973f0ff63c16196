"""Speed and memory of the non-English facts stage (crosswire.extract.languages), per language.

    .venv/bin/python benchmarks/bench_languages.py [--repeat 20] [--langs ru pl de ...]

For each language with a fixture in ``tests/fixtures/languages`` (short news reports written for
the tests), the first analysis loads what the language needs (the names index of every script,
natasha, fr_core_news_md, jieba, morfeusz2: timed as ``load_s``); the fixture is then analysed
``--repeat`` times (as one article after another, in this process, one core) and the rate is
articles per second of the steady state, with the characters per article stated. At the end the
process's peak resident memory (``ru_maxrss``) with every language loaded.

Output: one JSON object: per language ``load_s``, ``articles_per_s``, ``chars``; ``maxrss_mb``;
``load_average`` (the machine's 1-minute load when the run ended: read the rates against it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosswire.config import Settings  # noqa: E402
from crosswire.extract.languages.analyse import analyse_other  # noqa: E402
from crosswire.models import Article  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "languages"


def _article(path: Path) -> Article:
    fx = json.loads(path.read_text(encoding="utf-8"))
    return Article(path.stem, fx["title"], fx["text"], fx.get("outlet"), None, [], fx.get("published"), "metadata",
                   fx["language"], "2025-01-01T00:00:00+00:00", str(path))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--langs", nargs="*", default=None)
    args = ap.parse_args()
    settings = Settings()
    out: dict[str, object] = {"languages": {}}
    t0 = time.perf_counter()
    from crosswire.extract.languages.places import world_names

    world_names()
    out["names_index_load_s"] = round(time.perf_counter() - t0, 2)
    for path in sorted(FIXTURES.glob("*.json")):
        lang = path.name[:2]
        if args.langs and lang not in args.langs:
            continue
        a = _article(path)
        t0 = time.perf_counter()
        analyse_other(a, a.text, settings)
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            analyse_other(a, a.text, settings)
        secs = (time.perf_counter() - t0) / args.repeat
        out["languages"][lang] = {"load_s": round(load, 2), "articles_per_s": round(1 / secs, 1),  # type: ignore[index]
                                  "chars": len(a.text)}
    out["maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["load_average"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
