"""Entity repairs on news text: titles split from names, platforms and agencies not people or places."""

import pytest

from crosswire.extract.entities import find_entities
from crosswire.extract.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def people(nlp, text):
    facts, discards = find_entities(nlp(text), "a1")
    return {f.value: f for f in facts if f.about == "PERSON"}, facts, discards


def test_title_glued_to_a_name_is_split_off(nlp):
    ppl, _, _ = people(
        nlp,
        "\u201cWe will test new tactics,\u201d Chief of the Special Operations Command of the Lakonian "
        "Armed Forces Ostap Verenko said in a statement.",
    )
    assert "Ostap Verenko" in ppl
    fact = ppl["Ostap Verenko"]
    assert fact.text == "Ostap Verenko"
    assert fact.detail["title"].startswith("Chief of the Special Operations Command")


def test_name_after_a_rank_keeps_the_rank_as_title(nlp):
    ppl, _, _ = people(nlp, "Defense Minister Viktor Khrenin met Major General Ostap Verenko in Minsk on Friday.")
    assert "Viktor Khrenin" in ppl and "Ostap Verenko" in ppl


def test_social_networks_and_agencies_are_organisations(nlp):
    _, facts, _ = people(nlp, "Viktor Khrenin wrote on Twitter that the drills had ended, Reuters reported.")
    labels = {f.value: f.about for f in facts}
    assert labels.get("Twitter") in (None, "ORG")
    assert "Twitter" not in {f.value for f in facts if f.about in ("PERSON", "GPE")}
    assert labels.get("Reuters") in (None, "ORG")


def test_a_bank_named_after_a_city_stays_an_organisation(nlp):
    _, facts, _ = people(nlp, "The Bank of New York Mellon said on Tuesday that profits rose.")
    assert not any(f.about == "PERSON" and f.value == "New York Mellon" for f in facts)


def test_a_date_glued_to_a_facility_is_trimmed(nlp):
    _, facts, _ = people(
        nlp, "The leaders met outside the Great Hall of the People on September 29, 2016 in Beijing."
    )
    names = {f.value for f in facts}
    assert not any("2016" in n for n in names)


def test_spans_point_at_the_text(nlp):
    text = "Mayor Anna Kowalczyk of Gda\u0144sk told TVN24 that three people had died."
    doc = nlp(text)
    facts, _ = find_entities(doc, "a1")
    assert facts
    for f in facts:
        assert text[f.start : f.end] == f.text


def test_a_citation_marker_is_no_part_of_a_name(nlp):
    ppl, facts, discards = people(nlp, "Former Alaska Gov.[3][4] Sarah Palin spoke at the rally on Friday.")
    assert "Sarah Palin" in ppl
    assert not [f.text for f in facts if "[" in f.text or "]" in f.text]
    assert [(d.reason, d.text) for d in discards] == [("title_without_name", "Alaska Gov.[3][4")]
