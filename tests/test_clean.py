"""Boilerplate cleaning: fixtures of many outlets' styles, the real seed articles, and speed."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from crosswire.clean import REASONS, CleanResult, caption_keys, clean_text

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


def test_a_repeat_the_markup_calls_a_caption_goes_and_the_same_repeat_without_it_stays():
    caption = "Rescue boats wait at the harbour wall as the tide comes in"
    text = "\n".join([
        "The coastguard searched the bay for six hours on Sunday after a yacht failed to return.",
        caption,
        "Two sailors were found on a sandbank at dusk, cold but unhurt.",
        "The yacht's owner thanked the volunteers who had joined the search.",
        caption,
        "An inquiry into the yacht's radio failure will begin next week.",
    ])
    assert clean_text(text).removed == []  # no caption words, not adjacent: it may be content
    result = clean_text(text, frozenset({caption.casefold()}))
    assert [(r.reason, r.text) for r in result.removed] == [("duplicate_line", caption)]
    assert result.text.count(caption) == 1
    _accounts_for_everything(text, result)


def test_caption_keys_read_figcaptions_image_text_and_caption_classes():
    page = (
        '<?xml version="1.0" encoding="utf-8"?><html><body><article>'
        "<p>A long paragraph of the article body that no caption markup wraps at all.</p>"
        "<figure><img src='a.jpg' alt='Crowds  on the bridge'><figcaption>Crowds on the bridge "
        "at noon. <span>Photo: Ana Ruiz</span></figcaption></figure>"
        "<div class='article-image-Caption'>Flags outside the town hall</div>"
        "<img src='b.jpg' title='The mayor speaks'></article></body></html>"
    )
    keys = caption_keys(page)
    assert {"crowds on the bridge", "crowds on the bridge at noon. photo: ana ruiz", "photo: ana ruiz",
            "flags outside the town hall", "the mayor speaks"} <= keys
    assert not any("article body" in k for k in keys)
    assert caption_keys("") == frozenset() and caption_keys("<p>no images</p>") == frozenset()


@pytest.mark.parametrize("page", [
    # a whole page with a comment inside a caption and a processing instruction
    "<!doctype html><html><head><title>t</title></head><body><figure><img src='a.jpg' alt='The pier'>"
    "<figcaption>Boats at <!-- credit below -->the pier. <span>Photo: J. Lund</span></figcaption></figure>"
    "<?php echo 1; ?><p class='credit'>Reuters</p><p>Body text of the article, long enough.</p></body></html>",
    # a fragment whose one element holds everything (lxml.html.fromstring returns that element)
    "<div><img src='b.jpg' title='Night shift'><p>Text</p><span class='Caption'>Night shift</span></div>",
    # a fragment of several elements, with an XML declaration
    '<?xml version="1.0" encoding="utf-8"?><p>One</p><figure><figcaption>Two boats</figcaption></figure>',
])
def test_caption_keys_of_the_tree_trafilatura_parses_are_those_of_the_page(page: str):
    from trafilatura.utils import load_html

    from crosswire.clean.markup import caption_keys_of

    keys = caption_keys(page)
    assert keys and caption_keys_of(load_html(page)) == keys


def test_a_table_at_the_end_keeps_its_short_rows_before_page_furniture():
    text = "\n".join([
        "The Lumo 5 goes on sale on 12 May, and these are the prices in each market.",
        "| Market | Price |",
        "|---|---|",
        "| Germany | 499 euros |",
        "| UK | 449 pounds |",
        "Share this article",
    ])
    result = clean_text(text)
    assert [(r.reason, r.text) for r in result.removed] == [("share_buttons", "Share this article")]
    assert "| UK | 449 pounds |" in result.text
