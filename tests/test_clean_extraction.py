"""Gate: on real-looking HTML pages, crosswire's clean text scores at least plain trafilatura's.

Pages and gold texts are our own (tests/fixtures/extraction: a news page with captions printed
again, a recipe with repeated steps, an interview with a repeated question, spec lists and tables,
a liveblog, an FAQ, a page with comments ...). Scored by ``benchmarks/bench_extraction.py``
(token F1 against the gold main text). Cleaning may only take boilerplate, so crosswire's text must
hold every gold line that ``trafilatura.extract(html)`` with default options holds, as often, and its
F1 must be at least as high on every page.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "benchmarks" / "bench_extraction.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_extraction"] = bench  # its dataclasses look their module up
_spec.loader.exec_module(bench)

PAGES = {page.name: page for page in bench.load_pages(ROOT / "tests" / "fixtures" / "extraction")}


def test_there_are_enough_pages():
    assert len(PAGES) >= 10


@pytest.mark.parametrize("name", sorted(PAGES))
def test_crosswire_text_scores_at_least_plain_trafilatura(name: str):
    result = bench.score_page(PAGES[name])
    assert result.note == ""  # crosswire read the page
    assert result.lost == []  # no gold line that trafilatura keeps is missing from crosswire's text
    assert result.crosswire.f1 >= result.trafilatura.f1


def test_repeated_real_lines_and_table_rows_stay():
    text, _ = bench.crosswire_text(PAGES["recipe_repeated_steps"])
    assert text.count("- Stir.") == 2
    assert text.count("Stir well so that nothing catches on the bottom of the pan.") == 3
    text, _ = bench.crosswire_text(PAGES["interview_repeated_question"])
    assert text.count("What did you do when you saw the water rising?") == 2
    text, _ = bench.crosswire_text(PAGES["sports_results_table"])
    assert "| Harlow United | 2-1 | Brest Athletic |" in text and "| 1 | Kellberg | 24 | 51 |" in text


def test_a_caption_printed_again_goes_once_with_its_reason():
    from crosswire.config import Settings
    from crosswire.ingest.html import html_document
    from crosswire.ingest.prepare import prepare

    prepared = prepare(html_document(PAGES["news_captions_twice"].html, "news.html"), Settings())
    removed = [(r.reason, r.text) for r in prepared.article.removed]
    assert removed == [(
        "duplicate_line",
        "The water reached the first-floor windows of houses on Quay Street by midnight, but the main barrier held",
    )]
    assert prepared.article.text.count("Volunteers stack sandbags") == 1


def test_token_f1():
    assert bench.token_f1("the cat sat", "The cat sat.").f1 == 1.0
    score = bench.token_f1("the cat", "the cat sat on the mat")
    assert score.precision == 1.0 and score.recall == pytest.approx(2 / 6)
    assert bench.token_f1("", "gold").f1 == 0.0 and bench.token_f1("", "").f1 == 1.0
