"""Events with CAMEO codes and the article's main event, on news sentences written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import crosswire.extract.events.cameo as cameo
from crosswire.extract.events.find import STAGE, Event, find_events, main_event
from crosswire.extract.places.resolve import resolve_places
from crosswire.extract.time.timex import find_timexes, load_nlp

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def events(nlp, text: str, title: str | None = None, dct: date | None = None) -> list[Event]:
    """Events of a text, with places and time expressions when a publication date is given."""
    doc = nlp(text)
    kw = {}
    if dct is not None:
        kw = {"places": resolve_places(doc), "timexes": find_timexes(doc, dct)}
    found = find_events(doc, title_doc=nlp(title) if title else None, **kw)
    for e in found:
        src = title if e.source == "title" else text
        assert src[e.start : e.end] == e.text
        assert src[e.trigger_start : e.trigger_end] == e.trigger
        assert e.start <= e.trigger_start < e.end
        for a in (e.actor1, e.actor2):
            if a:
                assert (title if a["source"] == "title" else text)[a["start"] : a["end"]] == a["text"]
        assert e.role in ("main", "secondary") and 0.0 < e.confidence <= 1.0
    assert sum(e.role == "main" for e in found) <= 1
    return found


def main(nlp, text: str, title: str | None = None, dct: date | None = None) -> Event:
    m = main_event(events(nlp, text, title, dct))
    assert m is not None
    return m


# ---------------------------------------------------------------- the code table
def test_all_twenty_roots_have_their_codebook_labels():
    roots = {f"{n:02d}" for n in range(1, 21)}
    assert roots <= set(cameo.CODES)
    assert cameo.CODES["15"] == "Exhibit force posture"
    assert cameo.CODES["057"] == "Sign formal agreement"
    assert cameo.CODES["1823"] == "Kill by physical assault"
    assert cameo.CODES["173"] == "Arrest, detain, or charge with legal action"
    assert [cameo.quad_class(c) for c in ("010", "062", "112", "193")] == [1, 2, 3, 4]


def test_acled_types_map_where_acled_records_the_event():
    assert cameo.acled_for("150") == ("Strategic developments", "Change to group/activity")
    assert cameo.acled_for("141") == ("Protests", "Peaceful protest")
    assert cameo.acled_for("145") == ("Riots", "Violent demonstration")
    assert cameo.acled_for("193") == ("Violence against civilians", "Attack")
    assert cameo.acled_for("193", armed_target=True) == ("Battles", "Armed clash")
    assert cameo.acled_for("1831") == ("Explosions/Remote violence", "Suicide bomb")
    assert cameo.acled_for("040") is None and cameo.acled_for(None) is None


def test_every_lexicon_entry_names_a_known_kind():
    for code in [*cameo.VERBS.values(), *cameo.NOUNS.values()]:
        k = cameo.kind(code)
        assert k.label and (k.cameo is None) == (":" in code)
    assert cameo.kind("accident:explosion").label == "accident: explosion"
    assert {"held", "shot", "staged", "rallied"} <= set(cameo.FORMS)


# ---------------------------------------------------------------- kinds of events
def test_joint_drills_near_a_border_are_force_posture_by_both_countries(nlp):
    m = main(nlp, "Kazakhstan and Uzbekistan held joint military exercises near their common border "
                  "on Tuesday, the Kazakh defence ministry said.")
    assert m.cameo == "150" and m.root == "15"
    assert m.actor1["text"] == "Kazakhstan and Uzbekistan"
    assert m.acled == "Strategic developments"
    assert m.when_text == "Tuesday" and not (m.negated or m.hypothetical)


def test_a_shooting_with_victims_is_violence_against_civilians(nlp):
    m = main(nlp, "A gunman shot dead three people at a bus station in Durban on Sunday night, police said.")
    assert m.root in ("18", "19") and m.cameo == "193"
    assert m.acled == "Violence against civilians"
    assert m.actor1["text"] == "gunman" and m.actor2["text"] == "three people"


def test_an_armed_clash_between_forces_is_a_battle(nlp):
    m = main(nlp, "Government troops clashed with rebels in the north of the country on Sunday.")
    assert m.cameo == "190" and m.acled == "Battles"
    assert (m.actor1["text"], m.actor2["text"]) == ("Government troops", "rebels")


def test_a_protest_is_a_protest(nlp):
    m = main(nlp, "Thousands of farmers protested in Warsaw on Wednesday against cheap grain imports.")
    assert m.cameo == "141" and m.acled == "Protests"
    assert m.actor1["text"] == "Thousands of farmers"
    assert m.where == ["Warsaw"]


def test_taking_to_the_streets_is_a_demonstration(nlp):
    m = main(nlp, "Students took to the streets of Santiago on Thursday to demand free tuition.")
    assert m.cameo == "141" and m.lemma == "take street"
    assert m.actor1["text"] == "Students"


def test_an_arrest(nlp):
    m = main(nlp, "Police in Manila arrested a former mayor on Thursday on charges of corruption.")
    assert m.cameo == "173" and m.acled_sub == "Arrests"
    assert m.actor1["text"] == "Police" and m.actor2["text"] == "former mayor"


def test_a_meeting_of_ministers(nlp):
    m = main(nlp, "The foreign ministers of Peru and Chile met in Lima on Monday to discuss migration.")
    assert m.root == "04" and m.cameo == "040"
    assert m.actor1["text"] == "foreign ministers of Peru and Chile"
    assert m.acled is None


def test_a_signed_agreement(nlp):
    m = main(nlp, "Ghana and Togo signed a border security agreement in Accra on Friday.")
    assert m.cameo == "057" and m.acled_sub == "Agreement"
    assert m.actor1["text"] == "Ghana and Togo"


def test_an_accusation_and_a_plain_statement(nlp):
    m = main(nlp, "The interior minister accused opposition leaders of inciting violence.")
    assert m.cameo == "112" and m.actor1["text"] == "interior minister"
    m = main(nlp, "The central bank said on Tuesday that inflation had slowed for a third month.")
    assert m.cameo == "010" and m.actor1["text"] == "central bank"


def test_an_explosion_at_a_chemical_plant_is_an_accident_not_a_cameo_event(nlp):
    text = "An explosion at a fertiliser plant in Gujarat killed four workers on Monday, officials said."
    found = events(nlp, text)
    m = main_event(found)
    assert m.cameo is None and m.label == "accident: explosion" and m.acled is None
    assert m.actor2["text"] == "four workers"
    assert len(found) == 1  # the killing is the explosion's, not an assault


def test_a_car_bomb_is_a_bombing(nlp):
    m = main(nlp, "A car bomb exploded near a police station in Mogadishu on Saturday, killing five people.")
    assert m.cameo == "1832" and m.acled == "Explosions/Remote violence"
    assert m.actor2["text"] == "five people"


def test_a_missile_strike_keeps_its_demonym_actor_as_written(nlp):
    m = main(nlp, "A Russian missile strike hit a power plant in Kharkiv overnight.")
    assert m.cameo == "195" and m.acled_sub == "Shelling/artillery/missile attack"
    assert m.actor1["text"] == "Russian" and m.actor2["text"] == "power plant"


def test_a_landmine_blast_is_a_bombing_not_an_accident(nlp):
    m = main(nlp, "A landmine blast wounded two soldiers near the frontline on Friday.")
    assert m.cameo == "183" and m.acled_sub == "Remote explosive/landmine/IED"
    assert m.actor2["text"] == "two soldiers"


def test_the_victims_of_an_earthquake_are_the_earthquake_s(nlp):
    found = events(nlp, "A strong earthquake struck central Chile on Sunday, killing at least six people "
                        "and injuring dozens.")
    assert [(e.label, e.role) for e in found] == [("disaster: earthquake", "main")]
    assert found[0].actor2["text"] == "at least six people" and found[0].where == ["Chile"]


def test_a_shooting_under_investigation_happened_and_is_the_main_event(nlp):
    found = events(nlp, "Police are investigating a fatal shooting outside a bar in Leeds early on Saturday.")
    assert [(e.cameo, e.role) for e in found] == [("090", "secondary"), ("193", "main")]


def test_words_that_only_look_like_events_make_none(nlp):
    assert events(nlp, "Doctors recommend regular exercise and a balanced diet.") == []
    assert events(nlp, "He suffered a heart attack after the stock market crashed.") == []
    assert events(nlp, "The striker wound up with two goals after the match.") == []


# ---------------------------------------------------------------- what did not happen
def test_a_negated_arrest_is_marked_and_never_main(nlp):
    found = events(nlp, "No one has been arrested.")
    assert [(e.cameo, e.negated, e.reason) for e in found] == [("173", True, "negated: No")]
    assert main_event(found) is None
    e = events(nlp, "The army did not attack the town, a spokesman said.")[0]
    assert e.negated and e.reason == "negated: not"


def test_planned_and_possible_events_are_hypothetical(nlp):
    e = events(nlp, "Rebels could attack the city within days, officials warned.")[0]
    assert e.hypothetical and e.reason == "hypothetical: could" and e.role == "secondary"
    e = events(nlp, "Unions announced a planned protest outside the ministry.")[-1]
    assert e.cameo == "141" and e.hypothetical and e.reason == "hypothetical: planned"


def test_a_cancelled_march_is_negated(nlp):
    e = events(nlp, "The march planned for Saturday was cancelled by organisers.")[0]
    assert e.cameo == "141" and e.negated and e.reason == "negated: cancelled"


# ---------------------------------------------------------------- actors
def test_actors_of_a_passive_sentence(nlp):
    m = main(nlp, "Two journalists were detained by security forces in Minsk on Friday.")
    assert m.cameo == "173"
    assert (m.actor1["text"], m.actor2["text"]) == ("security forces", "Two journalists")


def test_a_pronoun_actor_is_resolved_and_kept_as_written(nlp):
    m = main(nlp, "Navy ships left port on Monday. They conducted live-fire drills off the coast on Tuesday.")
    assert m.cameo == "150"
    assert m.actor1["text"] == "Navy ships" and m.actor1["as_written"] == "They"


# ---------------------------------------------------------------- main and secondary events
_RIOT = ("Clashes broke out between fans and police outside the stadium in Lyon on Saturday night. "
         "Police arrested 14 people on Sunday after reviewing video footage, the prefecture said. "
         "The club condemned the violence.")


def test_other_events_are_secondary_and_the_lead_decides_the_main_one(nlp):
    found = events(nlp, _RIOT)
    m = main_event(found)
    assert m.root == "19" and m.trigger == "Clashes"
    assert {e.cameo for e in found if e.role == "secondary"} >= {"173"}


def test_the_headline_chooses_the_main_event(nlp):
    m = main(nlp, _RIOT, title="Police arrest 14 after stadium violence in Lyon")
    assert m.cameo == "173" and m.source == "body"
    assert m.actor2["text"] == "14 people"


def test_a_headline_event_the_body_lacks_is_main_with_title_spans(nlp):
    title = "Protesters block highway in Nairobi over fuel prices"
    found = events(nlp, "Traffic was at a standstill for hours on Monday.", title=title)
    m = main_event(found)
    assert m.source == "title" and m.cameo == "144" and m.text == title



def test_a_headline_actor_named_as_a_modifier_points_into_the_headline(nlp):
    # "Kestrel refinery blast": the company is the blast's modifier (a demonym-like actor); the
    # event is read from the headline, so the actor's span must be the headline's, not the body's
    title = "Town mourns two workers killed in Kestrel Refining plant blast"
    body = "Candles were left at the main gate at 5 a.m. on Wednesday by colleagues and neighbours."
    found = events(nlp, body, title=title)  # checks every actor span against its own text
    titled = [e for e in found if e.source == "title"]
    assert titled and all(a["source"] == "title" for e in titled for a in (e.actor1, e.actor2) if a)

# ---------------------------------------------------------------- where, when, provenance
def test_where_and_when_come_from_places_and_time_expressions(nlp):
    m = main(nlp, "Riot police fired tear gas at protesters in Nairobi on Tuesday.", dct=date(2024, 6, 27))
    assert m.cameo == "175" and m.acled == "Protests"
    assert m.when == "2024-06-25" and m.when_text == "Tuesday"
    assert m.where[0]["name"] == "Nairobi" and m.where[0]["country"] == "KE"


def test_to_dict_names_the_stage(nlp):
    d = main(nlp, "Ghana and Togo signed a border security agreement in Accra on Friday.").to_dict()
    assert d["stage"] == STAGE == "events.v1"
    assert {"cameo", "label", "acled", "actor1", "actor2", "where", "when", "negated", "hypothetical",
            "role", "confidence", "text", "start", "end"} <= set(d)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds absent")
def test_the_seed_reports_have_the_joint_exercise_as_main_event(nlp):
    for path in sorted(SEEDS.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        body = body.strip("\n")
        m = main(nlp, body, title=title.strip(), dct=date(2024, 7, 8))
        assert m.root == "15" and m.acled == "Strategic developments"
        assert "China" in m.actor1["text"] and "Belarus" in m.actor1["text"]
        assert m.where and m.where[0]["country"] == "BY"
