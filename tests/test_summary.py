"""One article's event (when, where, killed, injured) read from sentences written for these tests."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crosswire.extract.places.resolve import resolve_places
from crosswire.extract.quantities.find import find_quantities
from crosswire.extract.events.summary import STAGE, EventSummary, summarise
from crosswire.extract.time.timex import find_timexes, load_nlp

MONDAY = date(2024, 7, 8)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def summary(nlp, title: str, text: str, published: date | None = MONDAY) -> EventSummary:
    doc, title_doc = nlp(text), nlp(title)
    return summarise(doc, title=title, title_doc=title_doc, published=published,
                     timexes=find_timexes(doc, published),
                     places=resolve_places(doc, outlet_country="US"),
                     quantities=find_quantities(doc))


def test_a_weekday_is_the_one_before_publication(nlp):
    s = summary(nlp, "Man killed in Springfield shooting",
                "A man was shot and killed Saturday night in Springfield, Illinois, police said Monday.")
    assert (s.when_start, s.when_end, s.when_precision) == ("2024-07-06", "2024-07-06", "day")
    assert s.when_source == "text" and s.when_evidence.text == "Saturday night"  # not "Monday"


def test_last_night_is_the_day_before(nlp):
    s = summary(nlp, "Two wounded in Dayton",
                "Two people were wounded in a shooting last night in Dayton, Ohio. "
                "Police said Monday that no arrests had been made.")
    assert s.when_start == "2024-07-07" and s.when_evidence.text == "last night"
    assert s.where.name == "Dayton" and s.state == "OH"


def test_the_aftermath_does_not_date_the_event(nlp):
    s = summary(nlp, "Teen charged in shooting death",
                "A 14-year-old was charged Tuesday in the shooting death of a boy on March 18 "
                "in Cedar Rapids, Iowa.", date(2024, 4, 12))
    assert s.when_start == "2024-03-18"  # "charged Tuesday" is what came after
    assert s.killed.value == 1


def test_today_and_no_date_fall_back_to_publication_and_say_so(nlp):
    today = summary(nlp, "Woman shot", "A woman was shot this morning in Tulsa, Oklahoma, police said.")
    assert (today.when_start, today.when_source) == ("2024-07-08", "today")
    undated = summary(nlp, "Woman shot", "A woman was shot in Tulsa, Oklahoma, police said.")
    assert (undated.when_start, undated.when_source, undated.when_evidence) == ("2024-07-08", "publication", None)
    unknown = summary(nlp, "Woman shot", "A woman was shot in Tulsa, Oklahoma, police said.", None)
    assert (unknown.when_start, unknown.when_source) == (None, "none")


def test_headline_counts_when_the_text_gives_none(nlp):
    s = summary(nlp, "3 killed, 2 wounded in Ohio shooting",
                "Police are investigating the shooting on Elm Street in Akron.")
    assert (s.killed.value, s.injured.value) == (3, 2)
    assert {"killed", "injured"} <= set(s.in_title)
    assert s.where.name == "Akron"


def test_no_one_injured_is_zero_and_silence_is_none(nlp):
    s = summary(nlp, "Man dies after shooting",
                "A man was shot and killed early Sunday in Tulsa, Oklahoma. No one else was injured.")
    assert s.killed.value == 1 and s.injured.value == 0
    silent = summary(nlp, "Man dies after shooting", "A man was shot and killed early Sunday in Tulsa.")
    assert silent.killed.value == 1 and silent.injured is None


def test_the_death_toll_update_is_the_figure(nlp):
    s = summary(nlp, "Death toll rises after bar shooting",
                "Three people were killed in a shooting at a bar in Dayton, Ohio, on Saturday. "
                "The death toll rose to 4 on Monday when a woman died in hospital.")
    assert s.killed.value == 4
    assert {q.value for q in s.killed_evidence} >= {3, 4}


def test_a_death_dated_long_before_is_another_events(nlp):
    s = summary(nlp, "Boy hit by stray bullet in Paterson",
                "A 7-year-old boy was struck and wounded by a bullet Saturday evening inside a home in "
                "Paterson, New Jersey. The shooting happened just down the street from a March 2022 "
                "shooting that left a 12-year-old girl dead.")
    assert s.when_start == "2024-07-06"
    assert s.killed is None and s.injured.value == 1
    # the same death on the event's own day counts
    s = summary(nlp, "Boy hit by stray bullet in Paterson",
                "A 7-year-old boy was struck and wounded by a bullet Saturday evening inside a home in "
                "Paterson, New Jersey. A 12-year-old girl was shot dead there on Saturday too.")
    assert s.killed.value == 1


def test_a_tally_of_other_shootings_is_not_this_event(nlp):
    s = summary(nlp, "Girl shot in Toledo",
                "A 10-year-old girl was shot Saturday in Toledo, Ohio. "
                "So far this year 104 people have been shot in Toledo, police said.")
    assert s.injured.value == 1


def test_the_town_of_the_event_beats_a_station_dateline(nlp):
    s = summary(nlp, "2-year-old boy shot in head at Franklin apartment",
                "NASHVILLE, Tenn. (WKRN) - A two-year-old boy was shot in the head Tuesday afternoon "
                "at an apartment complex in Franklin. Police are questioning the people inside.")
    assert (s.where.name, s.state, s.where.cue) == ("Franklin", "TN", "event")
    assert s.injured.value == 1
    # the headline's town when the text names it only in passing
    s = summary(nlp, "2-year-old boy shot in head at Franklin apartment",
                "NASHVILLE, Tenn. (WKRN) - A two-year-old boy was shot in the head Tuesday afternoon. "
                "Police in Franklin are questioning the people inside.")
    assert (s.where.name, s.state) == ("Franklin", "TN")
    # a town the gazetteer knows only in another state is not taken for the story's
    s = summary(nlp, "2-year-old boy shot in head at Madison apartment",
                "NASHVILLE, Tenn. (WKRN) - A two-year-old boy was shot in the head Tuesday afternoon "
                "at an apartment complex in Madison. Police are questioning the people inside.")
    assert s.state == "TN"


def test_a_neighbourhood_stands_for_its_city(nlp):
    s = summary(nlp, "Boy shot in Bridgeport",
                "A boy was shot Friday morning in Bridgeport, on the South Side, Chicago police said.")
    assert s.where.name == "Chicago"


def test_summary_serialises_with_its_stage(nlp):
    s = summary(nlp, "Man killed in Springfield shooting",
                "A man was shot and killed Saturday night in Springfield, Illinois.")
    d = s.to_dict()
    assert d["stage"] == STAGE and d["state"] == "IL"
    assert json.loads(json.dumps(d))["when_evidence"]["text"] == "Saturday night"


def test_another_event_elsewhere_neither_dates_nor_counts_this_one(nlp):
    s = summary(nlp, "Two killed in Dayton bar shooting",
                "Two people were killed and three others injured when a gunman opened fire at a bar "
                "in Dayton, Ohio, late on Saturday, police said. The gunman fled in a car. It was the "
                "second deadly shooting in the region this week. On Tuesday, three people were killed "
                "in a shooting at a park in Louisville, Kentucky.")
    assert s.when_start == "2024-07-06" and s.when_evidence.text == "late on Saturday"
    assert (s.killed.value, s.injured.value, s.where.name) == (2, 3, "Dayton")


def test_an_explosion_when_clause_dates_the_deaths(nlp):
    s = summary(nlp, "Two workers killed in Rotterdam plant blast",
                "Two workers were killed and seven other people injured when an explosion set off a "
                "fire at a chemical plant in Rotterdam late on Friday, July 5, the emergency services "
                "said. The explosion is the second at a chemical plant this week. On Tuesday, three "
                "people were killed in a blast at a plant in Antwerp, Belgium.", date(2024, 7, 6))
    assert s.when_start == "2024-07-05"
    assert (s.killed.value, s.injured.value) == (2, 7)


def test_without_a_publication_day_only_the_leads_own_date_dates_the_event(nlp):
    # the lead states the day on the event's clause: taken
    s = summary(nlp, "Man killed in Cedar Rapids",
                "A man was shot and killed on March 18, 2016, at a home in Cedar Rapids, Iowa, police "
                "said. Officers found him inside the house.", None)
    assert (s.when_start, s.when_source, s.when_evidence.text) == ("2016-03-18", "text", "March 18, 2016")
    # a caption's date and a background date are not the event's; "Saturday" has nothing to
    # be resolved against: the day is unknown
    s = summary(nlp, "Two wounded in Dayton shooting",
                "Mourners gather at a vigil on September 29, 2016 in Dayton, Ohio. (Photo by Jane Roe/"
                "Getty Images)\n\nTwo men were wounded in a shooting Saturday night in Dayton, Ohio, "
                "police said. The city's last fatal shooting was on September 2, 2016, at a bar in "
                "Dayton.", None)
    assert (s.when_start, s.when_end, s.when_precision, s.when_source, s.when_evidence) == (
        None, None, None, "none", None)
    # a date in the lead that dates the aftermath, not the event
    s = summary(nlp, "Victim identified",
                "Police on March 21, 2016, identified the man who was shot in Dayton, Ohio. "
                "He was 24.", None)
    assert (s.when_start, s.when_source) == (None, "none")


def test_a_death_in_hospital_days_later_does_not_date_the_shooting(nlp):
    s = summary(nlp, "Girl dies after shooting in Dallas home",
                "An 8-year-old girl was shot at her home in Dallas, Georgia. Police responded to the home "
                "at about 5 p.m. Saturday evening. The child was taken to WellStar Paulding Hospital where "
                "she died Sunday.")
    assert s.when_start == "2024-07-06" and s.killed.value == 1


def test_a_day_inside_the_week_refines_it(nlp):
    s = summary(nlp, "Fatal shooting appears accidental",
                "The fatal shooting of a Buckner man earlier this week appears to have been an accident, "
                "authorities say. It happened about 11:20 p.m.\nJuly 2 at a residence on County Road 41 in "
                "Buckner, Arkansas.", date(2024, 7, 5))
    assert (s.when_start, s.when_precision, s.when_evidence.text) == ("2024-07-02", "day", "July 2")


def test_a_violent_weekend_is_a_tally_and_a_part_of_town_is_not_elsewhere(nlp):
    s = summary(nlp, "Six injured in violent weekend in Toledo",
                "A violent weekend in Toledo sent six people to area hospitals with gunshot wounds. "
                "Four people were wounded in a single incident in the city's Old West End neighborhood "
                "on Saturday night.")
    assert s.injured.value == 4 and s.where.name == "Toledo"


def test_links_to_other_stories_and_unrelated_shootings_are_not_this_event(nlp):
    s = summary(nlp, "Toledo police investigate shooting at after-hours club",
                "A shooting at an after-hours club early Sunday sent four men to the hospital, Toledo "
                "police said.\n\nRELATED ARTICLES: Toledo mother grieves 3-year-old's "
                "shooting death | Judge sets bond for Toledo man\n\nAlso this weekend, in an unrelated "
                "incident a man was shot and killed at 3:18 a.m. Saturday in North Toledo.")
    assert s.killed is None and s.injured.value == 4
    assert s.when_start == "2024-07-07"


def test_the_headline_town_places_a_county_named_in_several_states(nlp):
    s = summary(nlp, "Three People Dead East of Bozeman",
                "On Friday, at 5 pm, a caller phoned Gallatin County 911 and hung up. Deputies found "
                "three people dead at a home in Gallatin County, the sheriff said.")
    assert (s.where.name, s.state) == ("Bozeman", "MT")


def test_a_town_read_in_another_state_than_the_citys_police_is_part_of_that_city(nlp):
    s = summary(nlp, "Girl, 7, wounded in weekend shooting",
                "A 7-year-old girl was shot in Madisonville on Saturday evening. Cincinnati police "
                "said the girl was playing in a back yard when the shots were fired.")
    assert (s.where.name, s.where.admin1) == ("Cincinnati", "OH")
    assert s.where_part is not None and s.where_part.text == "Madisonville"


def test_a_town_its_state_names_stays_despite_another_citys_police(nlp):
    s = summary(nlp, "Girl, 7, wounded in weekend shooting",
                "A 7-year-old girl was shot in Madisonville, Ky., on Saturday evening. Cincinnati "
                "police said they were helping the Hopkins County sheriff.")
    assert (s.where.name, s.where.admin1) == ("Madisonville", "KY")


def test_a_funeral_a_hearing_or_a_jail_day_does_not_date_the_shooting(nlp):
    s = summary(nlp, "Girl, 4, killed in robbery; three held",
                "The three teenagers remained jailed Friday. Probable cause was read in court Friday "
                "evening. The girl and her mother had returned home on June 14 when robbers ambushed "
                "them in the driveway.", date(2024, 7, 5))
    assert s.when_start == "2024-06-14"  # the ambush, not the jail or the court day
    funeral = summary(nlp, "Funeral held for teen",
                      "Funeral services are tonight for a teen who police say was shot Thursday by a friend.")
    assert funeral.when_start == "2024-07-04" and funeral.when_evidence.text == "Thursday"


def test_a_town_across_a_state_line_is_not_a_neighbourhood_of_the_big_city(nlp):
    s = summary(nlp, "Gunman kills two in shopping mall",
                "A gunman killed two people at a shopping mall in Bethesda, Maryland, on Friday, "
                "police said. He had terrorised the suburbs of Washington, D.C., for two days.")
    assert (s.where.name, s.state, s.where_part) == ("Bethesda", "MD", None)
