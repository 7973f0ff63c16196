"""Scale-out of the facts stage on a Dask cluster: articles/s on 1 and 2 workers, the ratio, CPU and memory.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_scale.py [--n 10000] [--workers 1,2] \
        [--corpora ../shared/corpora] [--cluster tcp://HOST:PORT]

Input: ``--n`` real-like articles made at run time from the GVC and ECB+ documents in ``--corpora``
(never stored in the project): article i takes the paragraphs (sentences for ECB+) of one document and
of a second one of the same corpus, shuffled, and drops some, so the copies are not near-duplicates of
each other and their length stays news-like. They are ingested once into a temporary store (on this
machine's process pool, timed apart), then, for each worker count, a copy of that store is analysed
by ``crosswire analyze --engine dask --workers N`` (a LocalCluster of N processes, one thread each;
``--cluster`` uses an existing scheduler instead, once). The cluster is started and every worker warmed
(spaCy and the gazetteers loaded) before the clock starts: the figure is the steady pace.

Prints one JSON line per worker count (wall seconds, articles/s, CPU seconds on the workers and in the
writer, per worker: articles, CPU seconds, peak RSS), then the ratio of the paces and, from the
measured CPU cost per article, the cores a cluster needs for 1,000,000 articles a day.
"""

from __future__ import annotations

import argparse
import json
import os
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

from crosswire.config import load_settings  # noqa: E402
from crosswire.extract.analyze import analyse_batch, analyze  # noqa: E402
from crosswire.extract.article import PIPELINE  # noqa: E402
from crosswire.ingest.pipeline import ingest  # noqa: E402
from crosswire.scale import open_engine  # noqa: E402
from crosswire.store import Store  # noqa: E402

DAY = 86_400
EFFICIENCY = 0.9  # planned share of linear scaling on a real cluster (this benchmark measures it on 2)


def _documents(corpora: Path) -> dict[str, list[dict[str, str]]]:
    """Each corpus' documents as title, paragraphs, date (train and dev splits, and ECB+ outside its test topics)."""
    docs: dict[str, list[dict[str, str]]] = {"gvc": [], "ecbplus": []}
    with (corpora / "gvc" / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["split"] != "test":
                parts = [p for p in d["text"].split("\n") if p.strip()]
                docs["gvc"].append({"title": d["title"], "parts": parts, "date": d.get("dct") or ""})
    with (corpora / "ecbplus" / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if not 36 <= int(d["topic"]) <= 45:
                sentences = [s for s in d["text"].split("\n") if s.strip()]
                if len(sentences) >= 3:
                    docs["ecbplus"].append({"title": sentences[0][:120], "parts": sentences[1:], "date": ""})
    return docs


def write_articles(path: Path, n: int, corpora: Path, seed: int = 16) -> None:
    """``n`` real-like articles as JSON Lines with news-please field names (see the module docstring)."""
    rng = random.Random(seed)
    docs = _documents(corpora)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            pool = docs["gvc"] if i % 3 else docs["ecbplus"]
            a, b = pool[i % len(pool)], rng.choice(pool)
            parts = a["parts"] + rng.sample(b["parts"], k=max(1, len(b["parts"]) // 2))
            rng.shuffle(parts)
            keep = parts[: max(3, int(len(parts) * rng.uniform(0.6, 0.9)))]
            day = a["date"] or f"2015-{1 + i % 12:02d}-{1 + i % 28:02d}"
            out.write(json.dumps({"title": f"{a['title']} ({i})", "maintext": "\n\n".join(keep),
                                  "url": f"https://bench.example/{i}", "source_domain": f"outlet{i % 40}.example",
                                  "date_publish": day, "language": "en"}) + "\n")


def _warm(articles: list, settings) -> int:  # type: ignore[no-untyped-def]
    """Run on every worker before timing: loads spaCy and every extractor's data."""
    return len(analyse_batch(articles, settings))


def measure(base: Path, folder: Path, workers: int, cluster: str) -> dict:
    """Analyse a copy of the ingested store on a Dask cluster of ``workers`` processes (or ``cluster``)."""
    db = folder / f"w{workers}.db"
    shutil.copy(base, db)
    settings = load_settings(env={}, db=str(db), engine="dask", workers=workers, cluster=cluster)
    with Store(str(db)) as store, open_engine(settings) as engine:
        sample = [store.get_article(x) for x in store.pending_analysis(PIPELINE)[:2]]
        engine.client.run(_warm, sample, settings)
        n_workers = len(engine.client.scheduler_info()["workers"])
        cpu0, t0 = time.process_time(), time.perf_counter()
        summary = analyze(store, settings, engine=engine)
        wall, writer_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    n = summary.analyzed + len(summary.skipped)
    per_worker = {k: {"articles": w.items, "cpu_seconds": round(w.cpu_seconds, 1),
                      "peak_rss_mb": round(w.peak_rss_mb)} for k, w in sorted(engine.stats.workers.items())}
    worker_cpu = sum(w.cpu_seconds for w in engine.stats.workers.values())
    return {"workers": n_workers, "articles": n, "analyzed": summary.analyzed, "facts": summary.facts,
            "seconds": round(wall, 1), "per_second": round(n / wall, 2),
            "worker_cpu_seconds": round(worker_cpu, 1), "writer_cpu_seconds": round(writer_cpu, 1),
            "cpu_seconds_per_article": round(worker_cpu / max(n, 1), 4),
            "writer_cpu_seconds_per_article": round(writer_cpu / max(n, 1), 4),
            "per_worker": per_worker}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--workers", default="1,2", help="worker counts of the local clusters, comma-separated")
    ap.add_argument("--corpora", type=Path, default=Path(os.environ.get("CROSSWIRE_CORPORA") or
                                                          ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--cluster", default="", help="an existing scheduler instead of local clusters (measured once)")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="crosswire-bench-scale-"))
    try:
        src = folder / "articles.jsonl"
        write_articles(src, args.n, args.corpora)
        base = folder / "base.db"
        settings = load_settings(env={}, db=str(base))
        t0 = time.perf_counter()
        with Store(str(base)) as store:
            ing = ingest([str(src)], store, settings)
        print(f"machine: {platform.platform()}, python {platform.python_version()}, cores {os.cpu_count()}, "
              f"load average at start {os.getloadavg()[0]:.1f}")
        print(json.dumps({"ingest": {"stored": ing.stored, "duplicates": ing.duplicates,
                                     "rejected": len(ing.rejected), "seconds": round(time.perf_counter() - t0, 1)}}))
        counts = [0] if args.cluster else [int(w) for w in args.workers.split(",")]
        results = []
        for workers in counts:
            result = measure(base, folder, workers, args.cluster)
            result["load_average_after"] = round(os.getloadavg()[0], 1)
            results.append(result)
            print(json.dumps(result), flush=True)
        if len(results) >= 2:
            one, many = results[0], results[-1]
            print(json.dumps({"ratio": round(many["per_second"] / one["per_second"], 3),
                              "of_linear": round(many["per_second"] / one["per_second"] / (many["workers"] / one["workers"]), 3),
                              "cpu_ratio": round(one["cpu_seconds_per_article"] / many["cpu_seconds_per_article"], 3)}))
        cost = max(r["cpu_seconds_per_article"] for r in results)
        writer = max(r["writer_cpu_seconds_per_article"] for r in results)
        per_day = 1_000_000
        cores = per_day * cost / DAY / EFFICIENCY
        print(json.dumps({"for_1M_articles_a_day": {
            "articles_per_second": round(per_day / DAY, 2), "cpu_seconds_per_article": cost,
            "worker_cores": round(cores, 1), "worker_cores_rounded_up": int(cores) + 1,
            "writer_cpu_seconds_per_article": writer, "writer_share_of_one_core": round(per_day * writer / DAY, 3),
            "peak_rss_mb_per_worker": max(w["peak_rss_mb"] for r in results for w in r["per_worker"].values()),
            "main_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
