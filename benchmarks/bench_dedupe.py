"""Dedupe cost on near-identical articles: 250 / 1,000 / 2,000 / 5,000 lightly edited copies.

    .venv/bin/python benchmarks/bench_dedupe.py [--sizes 250,1000,2000,5000] [--words 600]

Each article is one base text of ``--words`` words with a few words changed at random (a wire
story as many outlets run it), published one day after the other, placed by the real
:class:`~crosswire.dedupe.minhash.Deduplicator` into a fresh SQLite store in one transaction per
200 articles (as the ingest run does). Prints seconds, milliseconds per article and the ratio to
the smallest size per article (flat = linear), how many copies point to the first article, and
checks that every copy points to an original published before it. (A copy whose MinHash bands
match no stored article's is an LSH miss and stays an original: about 1 in 1,000 here, as before
the bounded look-up; the datasketch band shape for threshold 0.8 is 9 bands of 13 rows.)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire.config import Settings  # noqa: E402
from crosswire.dedupe.minhash import Deduplicator, signature, text_hash  # noqa: E402
from crosswire.models import Article  # noqa: E402
from crosswire.store import Store  # noqa: E402

VOCAB = ("the crews arrived at plant near harbour after midnight officials said residents were told "
         "to stay inside while investigators examined damage workers injured police fire river bridge "
         "council minister city storm flood water power region").split()


def articles(n: int, words: int, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    base = [rng.choice(VOCAB) + str(rng.randint(0, 99)) for _ in range(words)]
    out = []
    start = date(2025, 1, 1)
    for i in range(n):
        text = list(base)
        for _ in range(rng.randint(1, 4)):
            text[rng.randrange(words)] = f"edit{i}x{rng.randint(0, 9999)}"
        body = " ".join(text)
        out.append(Article(
            id=f"a{i:06d}", title=f"Story {i}", text=body, outlet=f"outlet{i % 50}.example", url=None,
            authors=[], published=(start + timedelta(days=i)).isoformat(), published_source="metadata",
            language="en", ingested_at="2025-01-01T00:00:00+00:00", source=f"bench{i}", text_hash=text_hash(body),
        ))
    return out


def run(n: int, words: int) -> tuple[float, int]:
    settings = Settings()
    items = articles(n, words)
    sigs = [signature(a.text, settings).tobytes() for a in items]  # prepare's work, not dedupe's
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        dedupe = Deduplicator(store, settings)
        started = time.perf_counter()
        for lo in range(0, n, 200):
            with store.transaction():
                for article, sig in zip(items[lo : lo + 200], sigs[lo : lo + 200]):
                    dedupe.place(article, sig)
        seconds = time.perf_counter() - started
        to_first = 0
        for a in items[1:]:
            stored = store.get_article(a.id)
            if stored.duplicate_of:
                root = store.get_article(stored.duplicate_of)
                assert root.duplicate_of is None and root.published <= stored.published, a.id
                to_first += stored.duplicate_of == items[0].id
    return seconds, to_first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="250,1000,2000,5000")
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()
    base = None
    print(f"{'articles':>8} {'seconds':>8} {'ms/article':>10} {'per-article ratio':>18} {'copies of the first':>20}")
    for n in (int(s) for s in args.sizes.split(",")):
        seconds, to_first = run(n, args.words)
        per = seconds / n * 1000
        base = base or per
        print(f"{n:>8} {seconds:8.2f} {per:10.2f} {per / base:18.2f} {to_first:>14}/{n - 1}", flush=True)


if __name__ == "__main__":
    main()
