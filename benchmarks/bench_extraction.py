"""Main-text extraction: crosswire's clean text against plain trafilatura, token F1 per page.

    .venv/bin/python benchmarks/bench_extraction.py [FOLDER] [--show-lost]

FOLDER (default ``tests/fixtures/extraction``) holds pages in either layout:

* ``NAME.html`` (or ``NAME.htm``, ``NAME.html.gz``) beside ``NAME.gold.txt``, the main text a
  person chose (any line layout: only the words count);
* the ScrapingHub article-extraction-benchmark layout: ``html/ID.html.gz`` and
  ``ground-truth.json`` (``{ID: {"articleBody": ...}}``).

For each page it scores two texts against the gold one: crosswire's (the article text that
``crosswire ingest`` stores: trafilatura with crosswire's options, then cleaning) and
``trafilatura.extract(html)`` with default options. The score is token F1: the page's words
(``\\w+``, case-folded) as a bag, precision = shared / predicted, recall = shared / gold. Prints one
line per page, the mean of each, the pages where crosswire scores lower, and the gold lines that
plain trafilatura keeps but crosswire's text lacks ("lost": a line is its words, so a table row
``| a | b |`` is the gold line ``a b``; cleaning may take none). A page crosswire rejects (no main
text) scores 0. ``--show-lost`` also prints the gold words each side missed and the lost lines.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from crosswire.config import Settings  # noqa: E402
from crosswire.ingest.html import html_document  # noqa: E402
from crosswire.ingest.prepare import Prepared, prepare  # noqa: E402

DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "extraction"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    name: str
    html: bytes
    gold: str


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class PageResult:
    name: str
    crosswire: Score
    trafilatura: Score
    crosswire_text: str
    trafilatura_text: str
    gold: str
    note: str = ""  # why crosswire has no text (its rejection), if so

    @property
    def lost(self) -> list[str]:
        """Gold lines plain trafilatura keeps that crosswire's text lacks (cleaning must take none)."""
        return lost_lines(self.crosswire_text, self.trafilatura_text, self.gold)


def tokens(text: str) -> Counter[str]:
    """The words of a text, case-folded, as a bag."""
    return Counter(_WORD.findall(text.casefold()))


def token_f1(predicted: str, gold: str) -> Score:
    """Bag-of-words precision, recall and F1 of a predicted text against the gold text."""
    pred, want = tokens(predicted), tokens(gold)
    shared = sum((pred & want).values())
    if not pred or not want:
        same = not pred and not want
        return Score(float(same), float(same), float(same))
    p, r = shared / sum(pred.values()), shared / sum(want.values())
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def _line_counts(text: str) -> Counter[tuple[str, ...]]:
    """How often each line occurs, a line being its words (bullets and table bars do not count)."""
    return Counter(t for t in (tuple(_WORD.findall(line.casefold())) for line in text.splitlines()) if t)


def lost_lines(text: str, reference: str, gold: str) -> list[str]:
    """Gold lines ``reference`` holds (up to their gold count) that ``text`` holds fewer times."""
    have, ref = _line_counts(text), _line_counts(reference)
    want = _line_counts(gold)
    lost = []
    for line in dict.fromkeys(gold.splitlines()):
        key = tuple(_WORD.findall(line.casefold()))
        if key and have[key] < min(ref[key], want[key]):
            lost.append(line)
    return lost


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def load_pages(folder: Path) -> list[Page]:
    """Every page with a gold text in ``folder`` (either layout, see the module doc)."""
    truth = folder / "ground-truth.json"
    if truth.is_file():
        gold = json.loads(truth.read_text(encoding="utf-8"))
        return [
            Page(key, _read(folder / "html" / f"{key}.html.gz"), value.get("articleBody") or "")
            for key, value in sorted(gold.items())
        ]
    pages = []
    for gold_path in sorted(folder.glob("*.gold.txt")):
        name = gold_path.name.removesuffix(".gold.txt")
        found = [folder / f"{name}{ext}" for ext in (".html", ".htm", ".html.gz")]
        html = next((p for p in found if p.is_file()), None)
        if html is None:
            raise FileNotFoundError(f"{gold_path}: no {name}.html, .htm or .html.gz beside it")
        pages.append(Page(name, _read(html), gold_path.read_text(encoding="utf-8")))
    return pages


def crosswire_text(page: Page, settings: Settings | None = None) -> tuple[str, str]:
    """crosswire's stored article text for a page, and the rejection reason when there is none."""
    raw = html_document(page.html, f"{page.name}.html")
    result = prepare(raw, settings or Settings())
    if isinstance(result, Prepared):
        return result.article.text, ""
    return "", f"{result.code}: {result.reason}"


def trafilatura_text(page: Page) -> str:
    """Plain ``trafilatura.extract`` with its default options, decoded the same way as crosswire."""
    markup = html_document(page.html, f"{page.name}.html").content
    return trafilatura.extract(markup) or ""


def score_page(page: Page, settings: Settings | None = None) -> PageResult:
    ours, note = crosswire_text(page, settings)
    theirs = trafilatura_text(page)
    return PageResult(page.name, token_f1(ours, page.gold), token_f1(theirs, page.gold), ours, theirs, page.gold,
                      note)


def _lost(text: str, gold: str) -> str:
    missing = tokens(gold) - tokens(text)
    return " ".join(sorted(missing.elements()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--show-lost", action="store_true", help="print the gold words each side missed")
    args = parser.parse_args()
    pages = load_pages(args.folder)
    if not pages:
        raise SystemExit(f"{args.folder}: no pages with a gold text (see the layouts in --help)")
    results = [score_page(page) for page in pages]
    width = max(len(r.name) for r in results)
    print(f"{'page':<{width}}  {'crosswire P/R/F1':>20}  {'trafilatura P/R/F1':>20}")
    for r in results:
        c, t = r.crosswire, r.trafilatura
        flag = ("  LOWER" if c.f1 < t.f1 else "") + (f"  LOST {len(r.lost)} lines" if r.lost else "")
        print(f"{r.name:<{width}}  {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}  "
              f"{t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}{flag}{'  ' + r.note if r.note else ''}")
        if args.show_lost:
            print(f"  crosswire missed: {_lost(r.crosswire_text, r.gold)}")
            print(f"  trafilatura missed: {_lost(r.trafilatura_text, r.gold)}")
            for line in r.lost:
                print(f"  lost line: {line}")
    n = len(results)
    lower = [r.name for r in results if r.crosswire.f1 < r.trafilatura.f1]
    print(f"pages {n}")
    print(f"crosswire_f1 {sum(r.crosswire.f1 for r in results) / n:.4f}")
    print(f"trafilatura_f1 {sum(r.trafilatura.f1 for r in results) / n:.4f}")
    print(f"crosswire_lower_pages {len(lower)}{' (' + ', '.join(lower) + ')' if lower else ''}")
    print(f"crosswire_lost_lines {sum(len(r.lost) for r in results)}")


if __name__ == "__main__":
    main()
