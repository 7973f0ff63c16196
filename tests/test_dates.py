"""Publication dates read from the text, with evidence, and never guessed."""

from crosswire.extract.published import publication_from_text


def test_an_updated_line_gives_the_date_with_its_span():
    text = "Blast at plant\nUpdated Wednesday, March 12, 2025 at 10:04\nThree workers died."
    day, ev = publication_from_text(text)
    assert day == "2025-03-12" and ev["rule"] == "byline"
    assert text[ev["start"] : ev["end"]] == ev["text"]


def test_a_dateline_gives_the_date():
    day, ev = publication_from_text("GDANSK, Poland, March 11, 2025 (CPA) - An explosion tore through a hall.")
    assert day == "2025-03-11" and ev["rule"] == "dateline"


def test_the_latest_caption_date_with_a_matching_weekday_counts():
    text = ("The drills began near the border.\nLeaders meet in the capital, Monday, July 8, 2024\n"
            "A file photo from Tuesday, March 3, 2020 shows the base.")
    day, ev = publication_from_text(text)
    assert day == "2024-07-08" and ev["rule"] == "latest_weekday_date"
    assert text[ev["start"] : ev["end"]] == "Monday, July 8, 2024"


def test_a_weekday_that_disagrees_with_the_date_does_not_count():
    assert publication_from_text("Leaders met on Friday, July 8, 2024 in the capital.") is None


def test_a_date_without_weekday_in_a_caption_is_not_a_publication_date():
    assert publication_from_text("The two presidents met on September 29, 2016 in Beijing.") is None
