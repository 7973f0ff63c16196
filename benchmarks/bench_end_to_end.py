"""The one-machine ratios of issue 16, in one run: ``crosswire run`` against spaCy alone, ingest against trafilatura alone.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_end_to_end.py [--n 600] [--pages 180] \
        [--corpora ../shared/corpora] [--html tests/fixtures/extraction] [--profile 25]

1. ``crosswire run`` (ingest, analyze, group, cross-check; one process, so its CPU time is all counted)
   on ``--n`` real-like articles made at run time from GVC and ECB+ train/dev documents (as
   ``bench_scale.py``), against the bound: crosswire's spaCy pipeline alone parsing the same bodies and
   titles (``nlp.pipe``, as the facts stage calls it). Ratio = run's articles per CPU-second / spaCy's.
2. ingest of ``--pages`` HTML pages (the pages of ``--html``, each copy with its own numbered headline and
   paragraph so none is a copy of another) against ``trafilatura.extract(html)`` alone on the same pages.
3. ``--profile K``: a cProfile of the ``crosswire run`` above, the K functions with the most own time
   and the stage totals (where the time beyond spaCy goes).

Figures are CPU seconds of this process (``time.process_time``), so that other work on a shared
machine changes them little; wall seconds are printed beside them.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import write_articles  # noqa: E402

from crosswire.config import load_settings  # noqa: E402
from crosswire.run import run_stages  # noqa: E402
from crosswire.store import Store  # noqa: E402


def _clock() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    cpu, wall = _clock()
    return cpu - start[0], wall - start[1]


def bench_run(src: Path, folder: Path, profile: int) -> dict:
    settings = load_settings(env={}, db=str(folder / "run.db"), workers=1)
    from crosswire.extract.nlp import load_nlp

    load_nlp()  # both sides start with the model loaded
    start = _clock()
    with Store(settings.db) as store:
        result = run_stages([str(src)], store, settings)
    cpu, wall = _since(start)
    n = result.analysis.analyzed + len(result.analysis.skipped)
    texts, titles = [], []
    with Store.open_read(settings.db) as store:
        for a in store.iter_articles():
            texts.append(a.text)
            titles.append(a.title)
    nlp = load_nlp()
    start = _clock()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    for _ in nlp.pipe(titles, batch_size=64):
        pass
    spacy_cpu, spacy_wall = _since(start)
    out = {"articles": n, "run_cpu_seconds": round(cpu, 1), "run_wall_seconds": round(wall, 1),
           "run_per_cpu_second": round(n / cpu, 2), "spacy_cpu_seconds": round(spacy_cpu, 1),
           "spacy_wall_seconds": round(spacy_wall, 1), "spacy_per_cpu_second": round(len(texts) / spacy_cpu, 2),
           "ratio": round((n / cpu) / (len(texts) / spacy_cpu), 3),
           "stages_seconds": {"ingest": result.summary.seconds, "analyze": result.analysis.seconds,
                              **{f"analyze.{k}": round(v, 1) for k, v in sorted(
                                  result.analysis.stage_seconds.items(), key=lambda kv: -kv[1])[:8]}}}
    if profile:
        db = folder / "profiled.db"
        settings = load_settings(env={}, db=str(db), workers=1)
        prof = cProfile.Profile()
        with Store(settings.db) as store:
            prof.enable()
            run_stages([str(src)], store, settings)
            prof.disable()
        stats = pstats.Stats(prof)
        own = sorted(((v[2], f"{Path(k[0]).name}:{k[1]}:{k[2]}") for k, v in stats.stats.items()), reverse=True)
        total = sum(v[2] for v in stats.stats.values()) or 1.0
        out["profile_top_own_time"] = [(name, round(t, 2), round(t / total, 3)) for t, name in own[:profile]]
        by_package: dict[str, float] = {}
        for k, v in stats.stats.items():
            path = k[0]
            pkg = ("crosswire/" + path.split("crosswire/", 1)[1].split("/")[0] if "/crosswire/" in path and
                   "site-packages" not in path else path.split("site-packages/", 1)[1].split("/")[0]
                   if "site-packages/" in path else "python/builtins")
            by_package[pkg] = by_package.get(pkg, 0.0) + v[2]
        out["profile_own_time_by_package"] = {k: round(v / total, 3) for k, v in
                                              sorted(by_package.items(), key=lambda kv: -kv[1])[:15]}
    return out


def write_pages(folder: Path, html: Path, n: int) -> list[Path]:
    """``n`` HTML pages made from the pages in ``html``, each with its own numbered headline and paragraph."""
    sources = sorted(p for p in html.iterdir() if p.suffix in (".html", ".htm"))
    out = folder / "pages"
    out.mkdir()
    written = []
    for i in range(n):
        page = sources[i % len(sources)].read_text(encoding="utf-8")
        extra = (f"<p>Update {i}: this copy number {i} of the page adds its own paragraph, written for the "
                 f"benchmark, so that copy {i} is not a near-duplicate of any other copy of the page.</p>")
        page = page.replace("<title>", f"<title>{i} ", 1)
        page = page.replace("</h1>", f" ({i})</h1>{extra}", 1) if "</h1>" in page else page.replace(
            "<body>", f"<body>{extra}", 1)
        path = out / f"{i:05d}-{sources[i % len(sources)].name}"
        path.write_text(page, encoding="utf-8")
        written.append(path)
    return written


def bench_ingest(folder: Path, html: Path, n: int) -> dict:
    import trafilatura

    from crosswire.ingest.pipeline import ingest

    pages = write_pages(folder, html, n)
    settings = load_settings(env={}, db=str(folder / "ingest.db"), workers=1)
    trafilatura.extract(pages[0].read_text(encoding="utf-8"))  # both sides warmed
    start = _clock()
    with Store(settings.db) as store:
        summary = ingest([str(p.parent) for p in pages[:1]], store, settings)
    cpu, wall = _since(start)
    start = _clock()
    for p in pages:
        trafilatura.extract(p.read_text(encoding="utf-8"))
    t_cpu, t_wall = _since(start)
    return {"pages": n, "stored": summary.stored, "rejected": len(summary.rejected), "duplicates": summary.duplicates,
            "ingest_cpu_seconds": round(cpu, 1), "ingest_wall_seconds": round(wall, 1),
            "ingest_per_cpu_second": round(n / cpu, 1), "trafilatura_cpu_seconds": round(t_cpu, 1),
            "trafilatura_wall_seconds": round(t_wall, 1), "trafilatura_per_cpu_second": round(n / t_cpu, 1),
            "ratio": round((n / cpu) / (n / t_cpu), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--pages", type=int, default=180)
    ap.add_argument("--corpora", type=Path, default=Path(os.environ.get("CROSSWIRE_CORPORA") or
                                                          ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--html", type=Path, default=ROOT / "tests" / "fixtures" / "extraction")
    ap.add_argument("--profile", type=int, default=0, help="profile the run and print the top K functions")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="crosswire-bench-e2e-"))
    try:
        print(json.dumps({"load_average_at_start": round(os.getloadavg()[0], 1)}))
        src = folder / "articles.jsonl"
        write_articles(src, args.n, args.corpora)
        print(json.dumps({"ingest_vs_trafilatura": bench_ingest(folder, args.html, args.pages)}), flush=True)
        print(json.dumps({"run_vs_spacy": bench_run(src, folder, args.profile)}), flush=True)
        print(json.dumps({"load_average_at_end": round(os.getloadavg()[0], 1)}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
