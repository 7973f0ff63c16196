"""The one-machine ratios of issue 16, in one run: ``crosswire run`` against spaCy alone, ingest against trafilatura alone.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_end_to_end.py [--n 600] [--pages 180] [--repeats 1] \
        [--corpora ../shared/corpora] [--html corpora|FOLDER] [--profile 25 [--profile-out DIR]] [--only run|ingest] [--no-cold]

Inputs (made at run time, never stored in the project):

- ``--n`` real-like articles from the GVC and ECB+ train/dev documents of ``--corpora`` (as ``bench_scale.py``
  makes them: each mixes the paragraphs of two documents of one corpus, so none is a copy of another), as
  JSON Lines with news-please field names.
- ``--pages`` HTML pages. ``--html corpora`` (the default): the real texts of further such articles, each in
  ``bench_ingest.py``'s news page (head metadata, navigation, cookie banner, share buttons, related links,
  caption, footer; ~10 KB a page with these texts), so every page is a different real report.
  ``--html FOLDER``: the pages of FOLDER (e.g. ``tests/fixtures/extraction``, 2-3 KB each), copied with a
  numbered headline and paragraph each.

Each comparison is made twice, with the clock stated:

- **cold** (start-up counted on both sides): each side is a fresh Python process: ``python -m crosswire run FILE
  --workers 1`` against a process that imports spaCy, loads crosswire's English pipeline and parses the same
  stored bodies and headlines (``nlp.pipe``, batch sizes as the facts stage); ``python -m crosswire ingest
  PAGES --workers 1`` against a process that imports trafilatura and runs ``trafilatura.extract(html)`` on each
  page file. CPU seconds of each child (``RUSAGE_CHILDREN``), wall seconds beside them.
- **warm** (every model loaded on both sides): in this process, ``run_stages``/``ingest`` on one worker after a
  warm-up run on three other articles/pages in a throwaway store (spaCy, gazetteers, language models, the
  story model and the cross-check's tables all loaded), against ``nlp.pipe``/``trafilatura.extract`` after one
  warm-up call. CPU seconds of this process (``time.process_time``).

Caches the product keys by text (claim lemmas, article languages) are emptied before each warm round
and the profiled run, so a round never reuses an earlier round's work on the same articles.

Ratio = the product's items per CPU-second / the bound's (= bound CPU / product CPU); the issue asks >= 0.9.
The two sides of each pair alternate (``--repeats`` rounds), so a busy machine weighs on both; the best round
of each side is reported. Ingest also gets a second bound, ``trafilatura.bare_extraction`` with the options
crosswire uses (metadata on, tables on): the same call crosswire makes, so what is beyond it is crosswire's.

``--profile K``: a cProfile of the warm ``crosswire run`` (and of the warm ingest): the K entries with the most
cumulative and own time, own time by package, and the share of the run inside spaCy's ``nlp.pipe``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest import html_page  # noqa: E402
from bench_scale import write_articles  # noqa: E402

from crosswire.config import load_settings  # noqa: E402
from crosswire.store import Store  # noqa: E402

WARM_ITEMS = 3
BODY_BATCH, TITLE_BATCH = 16, 64  # as crosswire.extract.analyze parses

# The bound's own process: crosswire's English pipeline (spaCy's small model plus the line-break
# sentence component) parsing the stored bodies, then the headlines, of a JSON Lines file.
SPACY_BOUND = """
import json, sys
from crosswire.extract.nlp import load_nlp
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
nlp = load_nlp()
for _ in nlp.pipe([r["text"] for r in rows], batch_size={body}): pass
for _ in nlp.pipe([r["title"] for r in rows], batch_size={title}): pass
""".format(body=BODY_BATCH, title=TITLE_BATCH)

TRAFILATURA_BOUND = """
import sys
from pathlib import Path
import trafilatura
for p in sorted(Path(sys.argv[1]).iterdir()):
    trafilatura.extract(p.read_text(encoding="utf-8"))
"""


# ----------------------------------------------------------------------------------------- clocks
def _clock() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    cpu, wall = _clock()
    return cpu - start[0], wall - start[1]


def _child(args: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system, the child and any process it waited for) and wall seconds of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])}... failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def _pair(name: str, n: int, bound_rounds: list[tuple[float, float]], product_rounds: list[tuple[float, float]],
          digits: int = 1) -> dict:
    """The best round of each side (CPU and wall), their paces and ratio, and every round's CPU seconds."""
    bound, product = _best(bound_rounds), _best(product_rounds)
    return {f"{name}_cpu_seconds": round(product[0], 2), f"{name}_wall_seconds": round(product[1], 2),
            f"{name}_per_cpu_second": round(n / product[0], 2), "bound_cpu_seconds": round(bound[0], 2),
            "bound_wall_seconds": round(bound[1], 2), "bound_per_cpu_second": round(n / bound[0], 2),
            "ratio": round(bound[0] / product[0], 3),
            "rounds_cpu": {name: [round(c, digits) for c, _ in product_rounds],
                           "bound": [round(c, digits) for c, _ in bound_rounds]}}


def _best(rounds: list[tuple[float, float]]) -> tuple[float, float]:
    return min(rounds)


# ----------------------------------------------------------------------------------------- inputs
def split_articles(src: Path, n: int) -> tuple[Path, Path]:
    """The first ``n`` lines of ``src`` (measured) and the rest (warm-up), as two files."""
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    measured, warm = src.with_name("measured.jsonl"), src.with_name("warm.jsonl")
    measured.write_text("".join(lines[:n]), encoding="utf-8")
    warm.write_text("".join(lines[n:]), encoding="utf-8")
    return measured, warm


def pages_from_corpora(folder: Path, n: int, corpora: Path, offset: int) -> list[Path]:
    """``n`` news pages of ~25 KB, each the real text of a corpus-made article (lines ``offset``... of the
    articles file) in bench_ingest's page layout."""
    src = folder / "page-articles.jsonl"
    write_articles(src, offset + n, corpora)
    rng = random.Random(16)
    out = folder / "pages-all"
    out.mkdir()
    written = []
    for i, line in enumerate(src.read_text(encoding="utf-8").splitlines()[offset:]):
        a = json.loads(line)
        a["authors"] = [f"Staff reporter {i % 17}"]
        a["date_publish"] = f"{a['date_publish'][:10]} 10:00:00"
        path = out / f"{i:05d}.html"
        path.write_text(html_page(a, rng), encoding="utf-8")
        written.append(path)
    return written


def pages_from_folder(folder: Path, html: Path, n: int) -> list[Path]:
    """``n`` HTML pages made from the pages in ``html``, each with its own numbered headline and paragraph."""
    sources = sorted(p for p in html.iterdir() if p.suffix in (".html", ".htm"))
    out = folder / "pages-all"
    out.mkdir()
    written = []
    for i in range(n):
        page = sources[i % len(sources)].read_text(encoding="utf-8")
        extra = (f"<p>Update {i}: this copy number {i} of the page adds its own paragraph, written for the "
                 f"benchmark, so that copy {i} is not a near-duplicate of any other copy of the page.</p>")
        page = page.replace("<title>", f"<title>{i} ", 1)
        page = page.replace("</h1>", f" ({escape(str(i))})</h1>{extra}", 1) if "</h1>" in page else page.replace(
            "<body>", f"<body>{extra}", 1)
        path = out / f"{i:05d}-{sources[i % len(sources)].name}"
        path.write_text(page, encoding="utf-8")
        written.append(path)
    return written


def write_pages(folder: Path, html: Path, n: int) -> list[Path]:  # kept for callers of the old benchmark
    return pages_from_folder(folder, html, n)


def _page_folders(pages: list[Path], folder: Path) -> tuple[Path, Path]:
    measured, warm = folder / "pages", folder / "pages-warm"
    measured.mkdir()
    warm.mkdir()
    for p in pages[WARM_ITEMS:]:
        shutil.copy(p, measured / p.name)
    for p in pages[:WARM_ITEMS]:
        shutil.copy(p, warm / p.name)
    return measured, warm


# ----------------------------------------------------------------------------------------- profile
def _profile_summary(prof: cProfile.Profile, k: int) -> dict:
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values()) or 1.0
    root = max(v[3] for v in stats.stats.values()) or 1.0

    def name(key: tuple) -> str:
        path = key[0]
        short = path.split("site-packages/", 1)[-1] if "site-packages/" in path else (
            "crosswire/" + path.split("/crosswire/", 1)[1] if "/crosswire/" in path else Path(path).name)
        return f"{short}:{key[1]}:{key[2]}"

    cumulative = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])[:k]
    own = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:k]
    by_package: dict[str, float] = {}
    for key, v in stats.stats.items():
        path = key[0]
        pkg = ("crosswire/" + path.split("/crosswire/", 1)[1].split("/")[0] if "/crosswire/" in path and
               "site-packages" not in path else path.split("site-packages/", 1)[1].split("/")[0]
               if "site-packages/" in path else "python/builtins")
        by_package[pkg] = by_package.get(pkg, 0.0) + v[2]
    pipe = sum(v[3] for key, v in stats.stats.items() if key[0].endswith("spacy/language.py") and key[2] == "pipe")
    call = sum(v[3] for key, v in stats.stats.items() if key[0].endswith("spacy/language.py")
               and key[2] == "__call__")
    return {"profiled_seconds": round(root, 1),
            "share_in_nlp_pipe": round(pipe / root, 3), "share_in_nlp_call": round(call / root, 3),
            "top_cumulative": [(name(key), v[1], round(v[3], 2), round(v[3] / root, 3)) for key, v in cumulative],
            "top_own": [(name(key), v[1], round(v[2], 2), round(v[2] / total, 3)) for key, v in own],
            "own_by_package": {p: round(t / total, 3) for p, t in sorted(by_package.items(), key=lambda kv: -kv[1])[:15]}}


# ----------------------------------------------------------------------------------------- run vs spaCy
PROFILE_OUT: Path | None = None  # --profile-out: where the raw profiles are written (pstats files)


def _profiled(db: Path, k: int, work) -> dict:  # type: ignore[no-untyped-def]
    """``work(store, settings)`` on a fresh store at ``db`` (one worker) under cProfile: its summary
    (and the raw profile as ``PROFILE_OUT/<db stem>.prof`` when ``--profile-out`` is given)."""
    settings = load_settings(env={}, db=str(db), workers=1)
    prof = cProfile.Profile()
    with Store(settings.db) as store:
        prof.enable()
        work(store, settings)
        prof.disable()
    if PROFILE_OUT is not None:
        PROFILE_OUT.mkdir(parents=True, exist_ok=True)
        prof.dump_stats(str(PROFILE_OUT / f"{db.stem}.prof"))
    return _profile_summary(prof, k)


def _stored_texts(db: Path, out: Path) -> int:
    with Store.open_read(str(db)) as store, out.open("w", encoding="utf-8") as fh:
        n = 0
        for a in store.iter_articles():
            fh.write(json.dumps({"text": a.text, "title": a.title}) + "\n")
            n += 1
    return n


def _forget_texts() -> None:
    """Empty the product's caches keyed by article or claim text (claim lemmas, article languages), so
    that a second round, or the profiled run, does not reuse the work of the first on the same texts;
    models and tables stay loaded (the warm state both sides have)."""
    from crosswire.crosscheck import align, paraphrase

    for cache in (getattr(paraphrase, "_LEMMAS", None), getattr(paraphrase._lemmas, "cache_clear", None),
                  getattr(getattr(align, "_language_of", None), "cache_clear", None)):  # older sources: some absent
        if isinstance(cache, dict):
            cache.clear()
        elif cache is not None:
            cache()


def bench_run(measured: Path, warm: Path, folder: Path, repeats: int, cold: bool, profile: int) -> dict:
    from crosswire.extract.nlp import load_nlp
    from crosswire.run import run_stages

    py = sys.executable
    out: dict = {}
    # the first product run (the cold one, else an untimed one here): its store gives the texts the bound
    # parses, i.e. what the facts stage parses
    bound_script = folder / "spacy_bound.py"
    bound_script.write_text(SPACY_BOUND, encoding="utf-8")
    texts = folder / "texts.jsonl"
    product_rounds, bound_rounds = [], []
    for r in range(repeats if cold else 0):
        db = folder / f"cold-{r}.db"
        product_rounds.append(_child([py, "-m", "crosswire", "run", str(measured), "--db", str(db),
                                      "--workers", "1", "--quiet"]))
        if r == 0:
            _stored_texts(db, texts)
        bound_rounds.append(_child([py, str(bound_script), str(texts)]))
    if not cold:
        settings = load_settings(env={}, db=str(folder / "cold-0.db"), workers=1)
        with Store(settings.db) as store:
            run_stages([str(measured)], store, settings)
        _stored_texts(folder / "cold-0.db", texts)
    with Store.open_read(str(folder / "cold-0.db")) as store:
        row = store.conn.execute("SELECT count(*), sum(status = 'skipped') FROM analyses").fetchone()
    n = row[0]
    out["articles"], out["skipped"] = n, row[1] or 0
    if cold:
        out["cold"] = _pair("run", n, bound_rounds, product_rounds)
    # warm: every model loaded on both sides
    settings = load_settings(env={}, db=str(folder / "warm.db"), workers=1)
    with Store(settings.db) as store:
        run_stages([str(warm)], store, settings)
    nlp = load_nlp()
    rows = [json.loads(line) for line in texts.read_text(encoding="utf-8").splitlines()]
    list(nlp.pipe([r["text"] for r in rows[:2]], batch_size=BODY_BATCH))
    product_rounds, bound_rounds, stages = [], [], {}
    for r in range(repeats):
        settings = load_settings(env={}, db=str(folder / f"warm-{r}.db"), workers=1)
        _forget_texts()
        start = _clock()
        with Store(settings.db) as store:
            result = run_stages([str(measured)], store, settings)
        product_rounds.append(_since(start))
        stages = {"ingest": result.summary.seconds, "analyze": result.analysis.seconds,
                  **{f"analyze.{k}": round(v, 1) for k, v in sorted(result.analysis.stage_seconds.items(),
                                                                   key=lambda kv: -kv[1])}}
        start = _clock()
        for _ in nlp.pipe([r["text"] for r in rows], batch_size=BODY_BATCH):
            pass
        for _ in nlp.pipe([r["title"] for r in rows], batch_size=TITLE_BATCH):
            pass
        bound_rounds.append(_since(start))
    out["warm"] = _pair("run", n, bound_rounds, product_rounds) | {"stage_wall_seconds": stages}
    if profile:
        _forget_texts()
        out["profile"] = _profiled(folder / "profiled.db", profile,
                                   lambda store, settings: run_stages([str(measured)], store, settings))
    return out


# ----------------------------------------------------------------------------------------- ingest vs trafilatura
def bench_ingest(pages: Path, warm: Path, folder: Path, repeats: int, cold: bool, profile: int) -> dict:
    import trafilatura

    from crosswire.ingest.pipeline import ingest

    py = sys.executable
    files = sorted(pages.iterdir())
    n = len(files)
    out: dict = {"pages": n, "kilobytes_per_page": round(sum(p.stat().st_size for p in files) / n / 1024, 1)}
    bound_script = folder / "trafilatura_bound.py"
    bound_script.write_text(TRAFILATURA_BOUND, encoding="utf-8")
    if cold:
        product_rounds, bound_rounds = [], []
        for r in range(repeats):
            product_rounds.append(_child([py, "-m", "crosswire", "ingest", str(pages), "--db",
                                          str(folder / f"ingest-cold-{r}.db"), "--workers", "1", "--quiet"]))
            bound_rounds.append(_child([py, str(bound_script), str(pages)]))
        out["cold"] = _pair("ingest", n, bound_rounds, product_rounds, digits=2)
    settings = load_settings(env={}, db=str(folder / "ingest-warm.db"), workers=1)
    with Store(settings.db) as store:
        ingest([str(warm)], store, settings)
    trafilatura.extract(files[0].read_text(encoding="utf-8"))
    product_rounds, bound_rounds, same_call_rounds, summary = [], [], [], None
    for r in range(repeats):
        settings = load_settings(env={}, db=str(folder / f"ingest-{r}.db"), workers=1)
        start = _clock()
        with Store(settings.db) as store:
            summary = ingest([str(pages)], store, settings)
        product_rounds.append(_since(start))
        start = _clock()
        for p in files:
            trafilatura.extract(p.read_text(encoding="utf-8"))
        bound_rounds.append(_since(start))
        start = _clock()
        for p in files:  # the call crosswire makes (crosswire/ingest/prepare.py)
            trafilatura.bare_extraction(p.read_text(encoding="utf-8"), with_metadata=True, include_comments=False,
                                        include_tables=True,
                                        date_extraction_params={"extensive_search": False, "original_date": True})
        same_call_rounds.append(_since(start))
    assert summary is not None
    out["stored"], out["duplicates"], out["rejected"] = summary.stored, summary.duplicates, len(summary.rejected)
    out["warm"] = _pair("ingest", n, bound_rounds, product_rounds, digits=2)
    same = _best(same_call_rounds)
    out["warm"]["bound_same_call_cpu_seconds"] = round(same[0], 2)
    out["warm"]["ratio_to_same_call"] = round(same[0] / _best(product_rounds)[0], 3)
    if profile:
        out["profile"] = _profiled(folder / "ingest-profiled.db", profile,
                                   lambda store, settings: ingest([str(pages)], store, settings))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--pages", type=int, default=180)
    ap.add_argument("--repeats", type=int, default=1, help="alternating rounds of each pair (best kept)")
    ap.add_argument("--corpora", type=Path, default=Path(os.environ.get("CROSSWIRE_CORPORA") or
                                                          ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--html", default="corpora", help="'corpora' (pages built from corpus texts) or a folder of pages")
    ap.add_argument("--profile", type=int, default=0, help="profile the warm runs and print the top K entries")
    ap.add_argument("--only", choices=["run", "ingest"], default=None)
    ap.add_argument("--no-cold", action="store_true", help="skip the fresh-process (start-up counted) pairs")
    ap.add_argument("--profile-out", type=Path, default=None,
                    help="with --profile: also write the raw profiles (pstats) into this folder")
    args = ap.parse_args()
    global PROFILE_OUT
    PROFILE_OUT = args.profile_out
    folder = Path(tempfile.mkdtemp(prefix="crosswire-bench-e2e-"))
    try:
        print(json.dumps({"load_average_at_start": [round(x, 1) for x in os.getloadavg()], "cores": os.cpu_count(),
                          "python": sys.version.split()[0]}), flush=True)
        if args.only in (None, "ingest"):
            if args.html == "corpora":
                pages = pages_from_corpora(folder, args.pages + WARM_ITEMS, args.corpora, offset=args.n + WARM_ITEMS)
            else:
                pages = pages_from_folder(folder, Path(args.html), args.pages + WARM_ITEMS)
            measured_pages, warm_pages = _page_folders(pages, folder)
            result = bench_ingest(measured_pages, warm_pages, folder, args.repeats, not args.no_cold, args.profile)
            print(json.dumps({"ingest_vs_trafilatura": {"html": args.html, **result}}), flush=True)
        if args.only in (None, "run"):
            src = folder / "articles.jsonl"
            write_articles(src, args.n + WARM_ITEMS, args.corpora)
            measured, warm = split_articles(src, args.n)
            result = bench_run(measured, warm, folder, args.repeats, not args.no_cold, args.profile)
            print(json.dumps({"run_vs_spacy": result}), flush=True)
        print(json.dumps({"load_average_at_end": [round(x, 1) for x in os.getloadavg()]}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
