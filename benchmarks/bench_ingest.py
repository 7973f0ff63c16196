"""Ingest speed and memory: 10,000 generated HTML pages and 10,000 JSONL articles.

    .venv/bin/python benchmarks/bench_ingest.py [--n 10000] [--workers 0] [--keep DIR]

Pages are generated with realistic sizes (body ~3,500 characters in 8-12 paragraphs; an HTML page
~25 KB with head metadata, navigation, cookie banner, share buttons, related links and footer), from
templated news sentences over a real vocabulary with random names and numbers, so no two bodies are
copies. Prints articles/s for each input kind and the peak resident memory of the main process and
of the worker processes (ru_maxrss), and the same at a tenth of the size to show memory is flat.
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
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire.config import load_settings  # noqa: E402
from crosswire.ingest.pipeline import ingest  # noqa: E402
from crosswire.store import Store  # noqa: E402

CITIES = ["Gdansk", "Rotterdam", "Lyon", "Porto", "Tampere", "Brno", "Graz", "Leipzig", "Cork", "Turin",
          "Malmo", "Split", "Varna", "Riga", "Kaunas", "Bergen", "Aarhus", "Ghent", "Seville", "Bilbao"]
FIRST = ["Anna", "Piotr", "Maria", "Jan", "Eva", "Tomas", "Sofia", "Lukas", "Elena", "Marek", "Ines",
         "Karl", "Olga", "Pavel", "Lena", "Viktor", "Nora", "Jonas", "Irena", "David"]
LAST = ["Kowalski", "de Vries", "Novak", "Berg", "Moreau", "Silva", "Lindqvist", "Horvat", "Petrov",
        "Keller", "Brennan", "Rossi", "Jansen", "Dvorak", "Ozols", "Hansen", "Peeters", "Garcia"]
ROLES = ["the mayor", "a fire brigade spokesperson", "the regional governor", "a police spokesman",
         "the company's chief executive", "an opposition lawmaker", "a union representative"]
NOUNS = ["plant", "factory", "warehouse", "port terminal", "rail depot", "power station", "refinery"]
EVENTS = ["fire", "explosion", "strike", "protest", "flood", "collapse", "chemical leak"]
VERBS = ["said", "told reporters", "added", "wrote in a statement", "said on Tuesday"]
TEMPLATES = [
    "The {event} at the {noun} in {city} began shortly after {hour} a.m. on {weekday}, according to {role}.",
    "{n} people were taken to hospital and {k} remained in serious condition late on {weekday}, {role} {verb}.",
    "\u201cWe are doing everything we can to understand what happened here,\u201d {first} {last}, {role}, {verb}.",
    "Residents within {km} kilometres of the {noun} were told to keep their windows closed overnight.",
    "The {noun}, which employs about {staff} people, had been inspected by regulators in {month} last year.",
    "Investigators from the national safety board arrived in {city} on {weekday} and sealed off the site.",
    "{first} {last}, who lives nearby, said the sound of the {event} shook windows across the district.",
    "Local officials said it was too early to say whether the {event} would affect supplies in the region.",
    "The operator said in a statement that it was cooperating fully with the authorities in {city}.",
    "Shares in the parent company fell {pct} percent in early trading before recovering slightly.",
    "Emergency crews from {n2} neighbouring towns joined the response, {role} {verb}.",
    "It was the {ordinal} serious incident at an industrial site in the province since {year}.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September"]
ORDINALS = ["second", "third", "fourth", "fifth"]


def sentence(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        event=rng.choice(EVENTS), noun=rng.choice(NOUNS), city=rng.choice(CITIES), hour=rng.randint(1, 11),
        weekday=rng.choice(WEEKDAYS), role=rng.choice(ROLES), n=rng.randint(2, 60), k=rng.randint(1, 9),
        first=rng.choice(FIRST), last=rng.choice(LAST), verb=rng.choice(VERBS), km=rng.randint(1, 12),
        staff=rng.randint(80, 4000), month=rng.choice(MONTHS), pct=rng.randint(1, 9),
        n2=rng.randint(2, 9), ordinal=rng.choice(ORDINALS), year=rng.randint(1995, 2022),
    )


def article(rng: random.Random, i: int) -> dict[str, object]:
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(8, 12))]
    paragraphs[0] = f"Report {i}: " + paragraphs[0]  # every body distinct even if the dice repeat
    city = rng.choice(CITIES)
    return {
        "title": f"{rng.choice(EVENTS).capitalize()} at {city} {rng.choice(NOUNS)} ({i})",
        "maintext": "\n\n".join(paragraphs),
        "url": f"https://news{i % 40}.example/{2025}/{rng.randint(1, 12):02d}/story-{i}",
        "source_domain": f"news{i % 40}.example",
        "authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}"],
        "date_publish": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 10:00:00",
        "language": "en",
    }


def html_page(a: dict[str, object], rng: random.Random) -> str:
    nav = "".join(f"<li><a href='/section/{s}'>{s.title()}</a></li>" for s in
                  ["world", "politics", "business", "science", "sport", "culture", "opinion", "video"] * 3)
    related = "".join(f"<li><a href='/story/{rng.randint(1, 10**6)}'>{escape(sentence(rng))}</a></li>"
                      for _ in range(12))
    body = "".join(f"<p>{escape(p)}</p>" for p in str(a["maintext"]).split("\n\n"))
    footer = " ".join(sentence(rng) for _ in range(6))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(str(a['title']))}</title>"
        f"<meta property='og:site_name' content='{a['source_domain']}'>"
        f"<meta name='author' content='{escape(str(a['authors'][0]))}'>"  # type: ignore[index]
        f"<meta property='article:published_time' content='{str(a['date_publish']).replace(' ', 'T')}Z'>"
        f"<link rel='canonical' href='{a['url']}'>"
        "<style>" + "body{margin:0}.nav li{display:inline} " * 40 + "</style>"
        "<script>" + "window.dataLayer=window.dataLayer||[];" * 60 + "</script></head><body>"
        f"<div class='cookie'>We use cookies to improve your experience. Accept all</div>"
        f"<header><ul class='nav'>{nav}</ul></header><main><article>"
        f"<h1>{escape(str(a['title']))}</h1><div class='byline'>By {escape(str(a['authors'][0]))}</div>"  # type: ignore[index]
        f"<div class='share'>Share on Facebook Share on X Email</div>{body}"
        f"<figure><img src='/img/{rng.randint(1, 999)}.jpg'><figcaption>{escape(sentence(rng))}</figcaption></figure>"
        f"</article><aside><h2>Related stories</h2><ul>{related}</ul></aside></main>"
        f"<footer><p>{escape(footer)}</p><p>&copy; 2025 News Group. All rights reserved.</p></footer>"
        "</body></html>"
    )


def generate(folder: Path, n: int, seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    html_dir = folder / "html"
    html_dir.mkdir(parents=True)
    jsonl = folder / "articles.jsonl"
    with jsonl.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(article(rng, i), ensure_ascii=False) + "\n")
    for i in range(n):
        a = article(rng, n + i)
        (html_dir / f"page-{i:05d}.html").write_text(html_page(a, rng), encoding="utf-8")
    return html_dir, jsonl


def run(label: str, path: Path, n: int, db: Path, workers: int) -> dict[str, object]:
    settings = load_settings(env={}, db=str(db), workers=workers)
    with Store(db) as store:
        t0 = time.perf_counter()
        summary = ingest([str(path)], store, settings)
        seconds = time.perf_counter() - t0
    assert summary.stored == n, (label, summary.stored, summary.rejected[:3])
    return {"input": label, "articles": n, "seconds": round(seconds, 2), "per_second": round(n / seconds, 1),
            "rejected": len(summary.rejected), "duplicates": summary.duplicates}


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(children, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--only", choices=["html", "jsonl"], default=None)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated inputs and stores here")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="crosswire-bench-")) if args.keep is None else args.keep
    try:
        t0 = time.perf_counter()
        html_dir, jsonl = generate(folder / "input", args.n)
        print(f"generated {args.n} HTML pages and {args.n} JSONL articles in {time.perf_counter() - t0:.1f}s",
              file=sys.stderr)
        print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
              f"python {platform.python_version()}")
        results = []
        if args.only in (None, "jsonl"):
            results.append(run("jsonl", jsonl, args.n, folder / "jsonl.db", args.workers))
            results[-1]["peak_rss_mb_main_children"] = peak_mb()
        if args.only in (None, "html"):
            results.append(run("html", html_dir, args.n, folder / "html.db", args.workers))
            results[-1]["peak_rss_mb_main_children"] = peak_mb()
        for r in results:
            print(json.dumps(r))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
