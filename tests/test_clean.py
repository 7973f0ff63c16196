"""Boilerplate cleaning: fixtures of many outlets' styles, the real seed articles, and speed."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from crosswire.clean import REASONS, CleanResult, clean_text

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
# ../shared/seeds beside the checkout, or CROSSWIRE_SEEDS (a worktree elsewhere)
SEEDS = Path(os.environ.get("CROSSWIRE_SEEDS") or Path(__file__).resolve().parents[2] / "shared" / "seeds")
CASES = sorted(p.name.removesuffix(".txt") for p in FIXTURES.glob("*.txt"))


def _chars(text: str) -> Counter[str]:
    return Counter(c for c in text if not c.isspace())


def _accounts_for_everything(source: str, result: CleanResult) -> None:
    """Clean text plus removed pieces hold every non-whitespace character of the input, no more."""
    out = _chars(result.text)
    for r in result.removed:
        out += _chars(r.text)
    assert out == _chars(source)
    lines = {line.strip() for line in source.splitlines()}
    assert all(r.text in lines for r in result.removed)  # whole paragraphs, exactly as given


def _seed_body(name_contains: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("the shared seed articles are not present")
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if name_contains in text:
            return text.split("\n", 1)[1]  # first line is the title
    pytest.skip(f"no seed article mentions {name_contains!r}")


def test_there_are_enough_fixtures():
    assert len(CASES) >= 24


@pytest.mark.parametrize("name", CASES)
def test_fixture(name: str):
    source = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    result = clean_text(source)
    assert [r.to_dict() for r in result.removed] == expected["removed"]
    for piece in expected["kept_contains"]:
        assert piece in result.text
    if "text" in expected:
        assert result.text == expected["text"]
    assert all(r.reason in REASONS for r in result.removed)
    _accounts_for_everything(source, result)


def test_text_is_paragraphs_joined_by_blank_lines_either_input_layout():
    blank_separated = "First paragraph here.\n\n\n  Second paragraph here.  \n\nThird one.\n"
    one_per_line = "First paragraph here.\nSecond paragraph here.\nThird one."
    want = "First paragraph here.\n\nSecond paragraph here.\n\nThird one."
    assert clean_text(blank_separated) == CleanResult(want, [])
    assert clean_text(one_per_line) == CleanResult(want, [])


def test_long_prose_in_the_middle_is_never_removed_by_a_phrase_rule():
    middle = (
        "Readers who sign up for our newsletter at the library this week will get a free tote bag, "
        "the council's events team wrote in a flyer handed out at the market on Saturday."
    )
    text = "\n".join([
        "The council opened the new library on Monday after three years of building work.",
        middle,
        "About 500 people came to the opening, which included a reading by a local poet.",
        "The library will open seven days a week from next month, the council said.",
        "Parking near the building is limited, so visitors are asked to come by bus.",
    ])
    assert middle in clean_text(text).text


def test_seed_newsweek_style_page():
    body = _seed_body("Newsweek cover")
    result = clean_text(body)
    _accounts_for_everything(body, result)
    reasons = [r.reason for r in result.removed]
    removed = {r.text: r.reason for r in result.removed}
    text = result.text
    assert any(t.startswith("Do you have a tip") for t in removed) and "tip_line" in reasons
    assert "author_bio" in reasons and any(t.startswith("About the writer") for t in removed)
    assert any(r.reason == "author_bio" and "Read more" in r.text for r in result.removed)
    assert any(r.reason == "ai_disclosure" and "uses AI" in r.text for r in result.removed)
    assert "outlet_slogan" in reasons and "is committed to" not in text
    promo = [r.text for r in result.removed if r.reason == "subscription_promo"]
    assert sum(t.startswith("•") for t in promo) >= 8 and "•" not in text
    assert "Newsweek cover" not in text and "Uncommon Knowledge" not in text
    assert "Events taking place in the world are alarming" in text
    for subhead in ("The Context", "What We Know", "Views"):
        assert f"\n\n{subhead}\n\n" in text
    assert "Getty Images" in text  # the caption and its credit stay
    assert "duplicate_line" not in reasons


def test_seed_daily_mail_style_page():
    body = _seed_body("(pictured above)")
    result = clean_text(body)
    _accounts_for_everything(body, result)
    assert {r.reason for r in result.removed} == {"duplicate_line"}
    text = result.text
    for r in result.removed:
        assert text.count(r.text.rstrip(" .\u00a0")) == 1  # every caption kept exactly once
    assert "(pictured above)" in text and "(pictured: " in text
    assert "He added: 'The situation is uneasy." in text
    assert "Former Belarusian diplomat Pavel Slunkin said: '" in text
    assert "'Putin cannot lose'" in text
