"""Claims checked against reference data: calendar, founding years, distances to places and borders."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import numpy as np
import pytest
import shapely
from pyproj import Geod

from crosswire.crosscheck import geography as geo
from crosswire.crosscheck.anniversaries import anniversary_check, founding_year, organisation_key
from crosswire.crosscheck.calendar import (
    cardinal_value, elapsed_bounds, elapsed_check, find_anniversaries, find_elapsed, find_weekday_dates,
    ordinal_value, parse_when, weekday_check,
)
from crosswire.crosscheck.reference import check_claims
from crosswire.crosscheck.geography import border_distance_km, distance_km, parse_reference

BREST = {"name": "Brest", "geonameid": 629634, "country": "BY", "lat": 52.0976, "lon": 23.7341, "feature": "city"}
PINSK = {"name": "Pinsk", "geonameid": 623549, "country": "BY", "lat": 52.1229, "lon": 26.0951, "feature": "city"}
POLAND = {"name": "Poland", "geonameid": 798544, "country": "PL", "lat": 52.0, "lon": 20.0, "feature": "country"}
KEYS = {"kind", "check", "verdict", "facts", "article", "span", "claimed", "computed", "tolerance", "detail"}


def fact(text: str, fid: str, kind: str, phrase: str, value, *, aid: str = "A", detail=None, about: str = "x",
         nth: int = 0) -> dict:
    """A fact as crosswire stores it, its span found in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return {"id": fid, "article_id": aid, "kind": kind, "about": about, "value": value, "text": phrase,
            "start": start, "end": start + len(phrase), "detail": detail or {}}


def day(value: str, anchored: bool = False) -> dict:
    precision = {10: "day", 7: "month", 4: "year"}[len(value)]
    return {"value": value, "type": "DATE", "precision": precision, "anchored": anchored}


def km(value: float, qualifier: str | None = None, low=None, high=None) -> dict:
    lo = value if low is None else low
    hi = value if high is None and qualifier is None else high
    return {"value": value, "low": lo, "high": hi, "qualifier": qualifier, "unit": "km"}


def only(checks: list[dict], kind: str) -> dict:
    found = [c for c in checks if c["check"] == kind]
    assert len(found) == 1, checks
    return found[0]


# ---------------------------------------------------------------- calendar: weekday
def test_weekday_check_agrees_with_the_calendar():
    r = weekday_check("2025-03-14", "Friday")
    assert r["verdict"] == "consistent" and r["computed"] == {"weekday": "Friday"} and r["tolerance"] == "exact"


def test_weekday_check_names_the_real_weekday_of_a_wrong_one():
    r = weekday_check(date(2025, 3, 14), "Thursday")
    assert r["verdict"] == "inconsistent"
    assert r["computed"]["weekday"] == "Friday"
    assert "Friday, not a Thursday" in r["detail"]


def test_weekday_check_takes_abbreviations_and_numbers():
    assert weekday_check("2024-03-12", "tue")["verdict"] == "consistent"
    assert weekday_check("2024-03-12", 1)["verdict"] == "consistent"
    with pytest.raises(ValueError):
        weekday_check("2024-03-12", "Someday")


def test_weekday_dates_are_found_in_both_orders_with_and_without_a_year():
    text = "Talks ended on Friday, 14 March 2025, after the vote on Tuesday, March 11, and a rally on Sunday (March 9)."
    found = find_weekday_dates(text)
    assert [(w.weekday, w.month, w.day, w.year) for w in found] == [
        ("Friday", 3, 14, 2025), ("Tuesday", 3, 11, None), ("Sunday", 3, 9, None)]
    assert find_weekday_dates("the fridays of March 2 were quiet") == []


def test_a_wrong_weekday_in_an_article_is_inconsistent():
    text = "The ministers met in Vilnius on Thursday, March 14, 2025, to sign the accord."
    facts = [fact(text, "d1", "date", "Thursday, March 14, 2025", day("2025-03-14"))]
    c = only(check_claims(facts, {"A": "2025-03-15"}, {"A": text}), "weekday")
    assert c["verdict"] == "inconsistent" and c["facts"] == ["d1"] and c["article"] == "A"
    assert c["claimed"] == {"weekday": "Thursday", "date": "2025-03-14"}
    assert c["computed"] == {"weekday": "Friday"}
    assert c["span"]["text"] == "Thursday, March 14, 2025"



def test_one_claim_said_twice_in_an_article_is_one_check_citing_both():
    # a standfirst repeating the lead: the same weekday claim twice is one item for the reader
    text = ("The ministers met in Vilnius on Thursday, March 14, 2025, to sign the accord.\n\n"
            "The ministers met in Vilnius on Thursday, March 14, 2025, to sign the accord.")
    facts = [fact(text, "d1", "date", "Thursday, March 14, 2025", day("2025-03-14")),
             fact(text, "d2", "date", "Thursday, March 14, 2025", day("2025-03-14"), nth=1)]
    c = only(check_claims(facts, {"A": "2025-03-15"}, {"A": text}), "weekday")
    assert c["facts"] == ["d1", "d2"] and c["span"]["start"] == facts[0]["start"]
    assert c["also_at"] == [{"start": facts[1]["start"], "end": facts[1]["end"], "text": "Thursday, March 14, 2025"}]
    other = text.replace("Thursday, March 14, 2025, to sign", "Friday, March 14, 2025, to sign", 1)
    assert len([c for c in check_claims(facts[:1], {"A": "2025-03-15"}, {"A": other}) if c["check"] == "weekday"]) == 2

def test_a_weekday_without_a_year_takes_the_year_nearest_publication():
    text = "Crews cleared the road on Tuesday, March 12, officials said."
    ok = only(check_claims([], {"A": "2024-03-14"}, {"A": text}), "weekday")
    assert ok["verdict"] == "consistent" and "year 2024" in ok["detail"]
    wrong = only(check_claims([], {"A": "2025-03-14"}, {"A": text}), "weekday")
    assert wrong["verdict"] == "inconsistent"  # March 12, 2025 was a Wednesday
    january = only(check_claims([], {"A": "2025-01-03"}, {"A": "The fire started on Tuesday, December 31."}),
                   "weekday")
    assert january["claimed"]["date"] == "2024-12-31" and january["verdict"] == "consistent"


def test_a_weekday_without_a_year_or_a_publication_date_is_unverifiable():
    c = only(check_claims([], {"A": None}, {"A": "Crews cleared the road on Tuesday, March 12."}), "weekday")
    assert c["verdict"] == "unverifiable" and "publication date is unknown" in c["detail"]


def test_a_date_that_does_not_exist_is_inconsistent():
    c = only(check_claims([], {"A": "2024-03-01"}, {"A": "It rained on Friday, February 30, 2024."}), "weekday")
    assert c["verdict"] == "inconsistent" and "no such date" in c["detail"]


def test_without_texts_weekdays_are_read_from_the_date_facts():
    text = "Voting closed on Sunday, June 9, 2024."
    facts = [fact(text, "d1", "date", "Sunday, June 9, 2024", day("2024-06-09"))]
    c = only(check_claims(facts, {"A": "2024-06-10"}), "weekday")
    assert c["verdict"] == "consistent" and c["span"]["start"] == text.index("Sunday")


# ---------------------------------------------------------------- calendar: elapsed time
def test_parse_when_reads_timex_values_as_intervals():
    assert parse_when("2022-02-24") == (date(2022, 2, 24), date(2022, 2, 24), "day")
    assert parse_when("2022-02") == (date(2022, 2, 1), date(2022, 2, 28), "month")
    assert parse_when("2022") == (date(2022, 1, 1), date(2022, 12, 31), "year")
    assert parse_when("2024-07-07TNI")[2] == "day"
    assert parse_when("P2Y") is None and parse_when("PAST_REF") is None


def test_numbers_and_ordinals_in_words():
    assert [cardinal_value(x) for x in ("two", "a", "twenty-five", "2.5", "two and a half")] == [2, 1, 25, 2.5, 2.5]
    assert [ordinal_value(x) for x in ("76th", "seventy-fifth", "second", "one hundredth", "21st")] == [76, 75, 2, 100, 21]
    assert ordinal_value("many") is None


def test_qualifiers_set_the_interval():
    assert elapsed_bounds(2, "nearly")[:2] == (1.5, 2)
    assert elapsed_bounds(2, "almost")[:2] == (1.5, 2)
    assert elapsed_bounds(2, "about")[:2] == (1.5, 2.5)
    assert elapsed_bounds(2, None)[:2] == (1.5, 2.5)
    assert elapsed_bounds(2, "more than")[:2] == (2, None)
    assert elapsed_bounds(2, "less than")[:2] == (0.0, 2)


def test_nearly_two_years_is_wrong_for_two_years_and_five_months():
    r = elapsed_check(2, "nearly", "years", "2022-02-24", "2024-07-10")
    assert r["verdict"] == "inconsistent"
    assert r["computed"]["amount"] == pytest.approx(2.37, abs=0.01)
    assert r["tolerance"]["low"] == 1.5 and r["tolerance"]["high"] == 2
    assert elapsed_check(2, "more than", "years", "2022-02-24", "2024-07-10")["verdict"] == "consistent"
    assert elapsed_check(2, "about", "years", "2022-02-24", "2024-07-10")["verdict"] == "consistent"
    assert elapsed_check(2, "less than", "years", "2022-02-24", "2024-07-10")["verdict"] == "inconsistent"
    assert elapsed_check(18, None, "months", "2022-02-24", "2023-08-20")["verdict"] == "consistent"


def test_a_reference_known_to_the_year_decides_only_when_every_day_agrees():
    assert elapsed_check(2, "more than", "years", "2022", "2024-07-10")["verdict"] == "unverifiable"
    assert elapsed_check(5, None, "years", "2022", "2024-07-10")["verdict"] == "inconsistent"
    assert elapsed_check(2, "about", "years", "2022-02", "2024-03-01")["verdict"] == "consistent"


def test_elapsed_phrases_are_found_with_their_qualifier():
    text = ("The bridge fell nearly two years ago. In the more than two years since the collapse, and 18 months "
            "into the repairs, a year ago nothing moved.")
    found = [(e.form, e.amount, e.unit, e.qualifier) for e in find_elapsed(text)]
    assert found == [("ago", 2, "year", "nearly"), ("since", 2, "year", "more than"),
                     ("since", 18, "month", None), ("ago", 1, "year", None)]


def test_nearly_two_years_ago_checked_against_a_date_in_another_sentence():
    text = ("Kharkiv residents recalled the invasion nearly two years ago. "
            "Russia began its invasion on February 24, 2022, from three directions.")
    facts = [fact(text, "t1", "date", "nearly two years ago", day("2022", anchored=True)),
             fact(text, "t2", "date", "February 24, 2022", day("2022-02-24"))]
    c = only(check_claims(facts, {"A": "2024-07-10"}, {"A": text}), "years_ago")
    assert c["verdict"] == "inconsistent"
    assert c["facts"] == ["t1", "t2"]
    assert c["computed"]["since"] == "2022-02-24" and c["computed"]["amount"] == pytest.approx(2.37, abs=0.01)
    assert c["claimed"] == {"amount": 2.0, "unit": "year", "qualifier": "nearly"}
    assert "invasion" in c["detail"] and "February 24, 2022" in c["detail"]


def test_the_anchor_date_may_come_from_another_article_of_the_story():
    a = "Two years since the invasion, the city held a vigil."
    b = "Troops crossed the border at dawn. The invasion started on February 24, 2022."
    facts = [fact(b, "b1", "date", "February 24, 2022", day("2022-02-24"), aid="B")]
    c = only(check_claims(facts, {"A": "2024-02-25", "B": "2022-02-25"}, {"A": a, "B": b}), "years_ago")
    assert c["verdict"] == "consistent" and c["article"] == "A" and c["facts"] == ["b1"]
    assert "article B" in c["detail"]


def test_a_date_in_the_same_sentence_is_the_anchor():
    text = "The dam burst almost a year ago, on June 6, 2023, flooding dozens of villages."
    facts = [fact(text, "t1", "date", "June 6, 2023", day("2023-06-06"))]
    c = only(check_claims(facts, {"A": "2024-05-20"}, {"A": text}), "years_ago")
    assert c["verdict"] == "consistent" and "written beside it" in c["detail"]


def test_years_since_a_date_and_months_into_a_war():
    text = ("It has been more than two years since February 24, 2022. "
            "Eighteen months into the war, the front barely moved. The war began on February 24, 2022.")
    facts = [fact(text, "t1", "date", "February 24, 2022", day("2022-02-24")),
             fact(text, "t2", "date", "February 24, 2022", day("2022-02-24"), nth=1)]
    since, into = [c for c in check_claims(facts, {"A": "2023-09-01"}, {"A": text}) if c["check"] == "years_ago"]
    assert since["verdict"] == "inconsistent" and since["facts"] == ["t1"]  # 1.5 years, not more than two
    assert into["verdict"] == "consistent" and into["facts"] == ["t2"]
    assert into["claimed"] == {"amount": 18.0, "unit": "month", "qualifier": None}


def test_a_date_elsewhere_in_the_sentence_is_not_taken_for_the_anchor():
    text = "The mayor said on July 9, 2024, that the flood nearly two years ago still shapes the town."
    facts = [fact(text, "t1", "date", "July 9, 2024", day("2024-07-09"))]
    c = only(check_claims(facts, {"A": "2024-07-10"}, {"A": text}), "years_ago")
    assert c["verdict"] == "unverifiable"


def test_equally_good_dates_that_differ_leave_the_claim_unverifiable():
    text = ("The floods came nearly two years ago. The first floods hit on May 2, 2022. "
            "More floods hit on June 30, 2023.")
    facts = [fact(text, "t1", "date", "May 2, 2022", day("2022-05-02")),
             fact(text, "t2", "date", "June 30, 2023", day("2023-06-30"))]
    c = only(check_claims(facts, {"A": "2024-07-10"}, {"A": text}), "years_ago")
    assert c["verdict"] == "unverifiable"


def test_dates_computed_from_the_publication_date_are_not_anchors():
    text = "The strike came nearly two years ago. On Tuesday the strike was remembered."
    facts = [fact(text, "t1", "date", "Tuesday", day("2024-07-09", anchored=True))]
    c = only(check_claims(facts, {"A": "2024-07-10"}, {"A": text}), "years_ago")
    assert c["verdict"] == "unverifiable" and "no date" in c["detail"]


def test_generic_words_do_not_link_a_claim_to_a_date():
    text = "He was questioned by police two years ago. On May 3, 2024, police closed the road."
    facts = [fact(text, "t1", "date", "May 3, 2024", day("2024-05-03"))]
    assert only(check_claims(facts, {"A": "2024-07-10"}, {"A": text}), "years_ago")["verdict"] == "unverifiable"


def test_names_alone_do_not_link_a_claim_to_a_date():
    text = "Russia moved troops nearly two years ago. Russia said on May 3, 2024, that talks were over."
    facts = [fact(text, "t1", "date", "May 3, 2024", day("2024-05-03"))]
    c = only(check_claims(facts, {"A": "2024-07-10"}, {"A": text}), "years_ago")
    assert c["verdict"] == "unverifiable"


def test_elapsed_time_without_a_publication_date_is_unverifiable():
    c = only(check_claims([], {"A": None}, {"A": "The mine closed two years ago."}), "years_ago")
    assert c["verdict"] == "unverifiable" and "publication date" in c["detail"]


# ---------------------------------------------------------------- anniversaries
def test_founding_years_come_from_the_table_then_country_converter_accession_data():
    assert founding_year("UN") == 1945
    assert founding_year("OECD") == 1961
    assert founding_year("EURO") == 1999
    assert founding_year("NATO") == 1949  # the package's table, to the day
    assert founding_year("EU") is None
    assert organisation_key("the North Atlantic Treaty Organization") == "NATO"
    assert organisation_key("United Nations") == "UN"


def test_a_wrong_80th_anniversary_of_the_united_nations():
    wrong = anniversary_check(80, "the United Nations", 2024)
    assert wrong["verdict"] == "inconsistent" and wrong["computed"]["ordinal"] == 79
    assert "country_converter" in wrong["detail"]
    assert anniversary_check(80, "UN", "2025-10-24")["verdict"] == "consistent"
    assert anniversary_check(80, "UN", 2024, shift=1)["verdict"] == "consistent"


def test_an_anniversary_of_a_dated_event_allows_half_a_year_either_side():
    assert anniversary_check(2, "2022-02-24", "2024-02-23")["verdict"] == "consistent"
    assert anniversary_check(2, "2022-02-24", "2024-08-20")["verdict"] == "consistent"
    assert anniversary_check(2, "2022-02-24", "2024-09-20")["verdict"] == "inconsistent"
    r = anniversary_check(3, date(2022, 2, 24), "2024-02-23")
    assert r["verdict"] == "inconsistent" and r["computed"]["ordinal"] == 2


def test_an_organisation_without_reference_data_is_unverifiable_not_guessed():
    r = anniversary_check(31, "the European Union", "2024-07-10")
    assert r["verdict"] == "unverifiable" and r["computed"] is None
    assert "No reference data" in r["detail"]


def test_anniversary_phrases_are_found():
    found = find_anniversaries("the 76th-anniversary summit, its seventy-fifth anniversary and a second anniversary")
    assert [a.n for a in found] == [76, 75, 2]


def test_the_76th_anniversary_nato_summit_of_july_2024_is_the_75th():
    text = "Leaders gathered in Washington for the 76th anniversary NATO summit on July 10."
    c = only(check_claims([], {"A": "2024-07-10"}, {"A": text}), "anniversary")
    assert c["verdict"] == "inconsistent" and c["claimed"] == {"ordinal": 76, "of": "NATO"}
    assert c["computed"]["ordinal"] == 75 and c["computed"]["reference"] == "1949-04-04"
    assert "NATO was founded on 1949-04-04" in c["detail"] and "that is the 75th" in c["detail"]
    right = text.replace("76th", "75th")
    assert only(check_claims([], {"A": "2024-07-10"}, {"A": right}), "anniversary")["verdict"] == "consistent"


def test_a_founding_date_the_story_gives_is_used_when_no_dataset_has_it():
    a = "Leaders gathered in Jakarta for the 58th anniversary ASEAN summit."
    b = "ASEAN was founded in 1967 by five countries."
    facts = [fact(b, "b1", "date", "1967", day("1967"), aid="B")]
    c = only(check_claims(facts, {"A": "2024-07-10", "B": "2024-07-09"}, {"A": a, "B": b}), "anniversary")
    assert c["verdict"] == "inconsistent" and c["computed"]["ordinal"] == 57 and c["facts"] == ["b1"]


def test_a_wrong_80th_anniversary_in_an_article():
    text = "Diplomats marked the United Nations' 80th anniversary with a concert in Geneva."
    c = only(check_claims([], {"A": "2024-10-24"}, {"A": text}), "anniversary")
    assert c["verdict"] == "inconsistent" and c["computed"]["ordinal"] == 79
    ahead = "Diplomats planned next year's 80th anniversary of the United Nations."
    assert only(check_claims([], {"A": "2024-10-24"}, {"A": ahead}), "anniversary")["verdict"] == "consistent"


def test_an_old_date_in_the_anniversary_sentence_is_its_reference():
    text = "Veterans marked the 80th anniversary of the landings, which began on June 6, 1944, in Normandy."
    facts = [fact(text, "t1", "date", "June 6, 1944", day("1944-06-06"))]
    c = only(check_claims(facts, {"A": "2024-06-06"}, {"A": text}), "anniversary")
    assert c["verdict"] == "consistent" and c["facts"] == ["t1"]
    assert only(check_claims(facts, {"A": "2023-06-06"}, {"A": text}), "anniversary")["verdict"] == "inconsistent"


def test_the_anniversary_of_an_event_the_story_dates():
    text = ("Crowds gathered for the second anniversary of the earthquake. "
            "The earthquake struck on February 6, 2023, before dawn.")
    facts = [fact(text, "t1", "date", "February 6, 2023", day("2023-02-06"))]
    c = only(check_claims(facts, {"A": "2025-02-06"}, {"A": text}), "anniversary")
    assert c["verdict"] == "consistent" and c["facts"] == ["t1"] and c["claimed"]["of"] == "the earthquake"
    wrong = only(check_claims(facts, {"A": "2024-02-06"}, {"A": text}), "anniversary")
    assert wrong["verdict"] == "inconsistent" and wrong["computed"]["ordinal"] == 1


# ---------------------------------------------------------------- geography: functions
def test_distance_km_is_geodesic_and_takes_tuples_or_place_dicts():
    d = distance_km((BREST["lat"], BREST["lon"]), PINSK)
    assert d == pytest.approx(distance_km(PINSK, BREST))
    # a spherical estimate of the same pair differs from the ellipsoid by well under 1%
    from crosswire.extract.places.gazetteer import haversine_km

    assert d == pytest.approx(haversine_km(BREST["lat"], BREST["lon"], PINSK["lat"], PINSK["lon"]), rel=0.01)
    assert distance_km((0, 0), (0, 1)) == pytest.approx(111.32, abs=0.01)  # one degree of the equator


def test_brest_is_a_few_km_from_poland_and_about_50_from_ukraine():
    assert border_distance_km(BREST["lat"], BREST["lon"], "PL") == pytest.approx(6.78, abs=0.05)
    assert border_distance_km(52.09755, 23.68775, "PL") == pytest.approx(3.74, abs=0.05)  # GeoNames' point
    assert border_distance_km(BREST["lat"], BREST["lon"], "BY", "UA") == pytest.approx(49.7, abs=0.1)


def test_border_distance_matches_a_brute_force_over_the_border_vertices():
    g = Geod(ellps="WGS84")
    for a, b in (("PL", "BY"), ("BY", "UA")):
        xy = shapely.get_coordinates(geo._shared_border(a, b))
        n = len(xy)
        brute = g.inv(np.full(n, BREST["lon"]), np.full(n, BREST["lat"]), xy[:, 0], xy[:, 1])[2].min() / 1000
        got = border_distance_km(BREST["lat"], BREST["lon"], a, b)
        assert got <= brute + 1e-6 and got == pytest.approx(brute, abs=0.1)


def test_a_town_5_km_south_of_a_straight_border_is_5_km_from_it():
    # West of the Great Lakes the US-Canada border follows a parallel: Natural Earth draws it at
    # 48.99267 N. A point 5 km due south of it is 5 km from Canada, whatever the longitude.
    g = Geod(ellps="WGS84")
    for lon in (-100.0, -104.3, -112.5):
        lon1, lat1, _ = g.fwd(lon, 48.99266958, 180, 5000)
        assert geo.country_at(lat1, lon1) == "US"
        assert border_distance_km(lat1, lon1, "CA") == pytest.approx(5.0, abs=0.01)
        assert border_distance_km(lat1, lon1, "US", "CA") == pytest.approx(5.0, abs=0.01)
        assert border_distance_km(lat1, lon1, "US") == pytest.approx(5.0, abs=0.01)  # its own land border


def test_inside_a_country_its_border_is_its_land_border():
    terespol = (52.0756, 23.6159)  # on the Polish bank of the Bug
    assert geo.territory_distance_km(*terespol, "PL") == 0.0
    assert 0 < border_distance_km(*terespol, "PL") < 3


def test_unknown_codes_and_countries_without_a_shared_border_give_none():
    assert border_distance_km(52.0, 23.0, "XX") is None
    assert border_distance_km(52.0, 23.0, "FR", "PL") is None
    assert geo.country_at(55.0, 19.0) is None  # the Baltic Sea
    assert geo.country_at(BREST["lat"], BREST["lon"]) == "BY"


def test_reference_phrases_are_read():
    assert parse_reference("NATO territory").kind == "group"
    r = parse_reference("the Belarus-Ukraine border")
    assert (r.kind, r.codes) == ("pair", ("BY", "UA"))
    assert parse_reference("the Ukrainian-Belarusian border").codes == ("UA", "BY")
    assert parse_reference("the border between Belarus and Ukraine").codes == ("BY", "UA")
    assert (parse_reference("the Polish border").kind, parse_reference("the Polish border").codes) == ("border", ("PL",))
    assert parse_reference("the border with Poland").codes == ("PL",)
    assert parse_reference("Polish territory").kind == "country"
    assert parse_reference("the border").kind == "unknown"
    assert parse_reference("Kyiv").kind == "place"


def test_distance_tolerance_uses_the_largest_of_its_three_rules():
    three_miles = geo.distance_tolerance(4.828, 4.828, 4.828, "three miles")
    assert three_miles["km"] == 5.0 and three_miles["high"] == pytest.approx(9.83, abs=0.01)
    thirty = geo.distance_tolerance(48.28, 48.28, 48.28, "30 miles")
    assert thirty["km"] == pytest.approx(9.66, abs=0.01)  # 20% beats half the step of 10 miles (8 km)
    hundred = geo.distance_tolerance(100.0, 100.0, 100.0, "100 km")
    assert hundred["km"] == 30.0  # half the step of 100 km, capped at 30%
    more = geo.distance_tolerance(100.0, 100.0, None, "more than 100 km", "more_than")
    assert more["high"] is None


# ---------------------------------------------------------------- geography: claims
BREST_TEXT = ("Brest, a Belarusian city three miles from NATO territory, lies about 30 miles from the "
              "Belarus-Ukraine border and 170 km from Pinsk.")


def brest_facts(text: str = BREST_TEXT) -> list[dict]:
    return [fact(text, "p1", "place", "Brest", BREST),
            fact(text, "p2", "place", "Pinsk", PINSK),
            fact(text, "q1", "distance", "three miles", km(4.828032), detail={"places": ["NATO territory"]}),
            fact(text, "q2", "distance", "about 30 miles", km(48.28032, "about", 43.452288, 53.108352),
                 detail={"places": ["Belarus-Ukraine border"]}),
            fact(text, "q3", "distance", "170 km", km(170.0), detail={"places": ["Pinsk"]})]


def test_three_miles_from_nato_territory_is_measured_to_the_nearest_member_poland():
    checks = check_claims(brest_facts(), {"A": "2024-07-10"}, {"A": BREST_TEXT})
    c = next(c for c in checks if c["facts"][0] == "q1")
    assert c["check"] == "border_distance" and c["verdict"] == "consistent"
    assert c["computed"]["km"] == pytest.approx(6.78, abs=0.05)
    assert "Poland, the nearest of NATO's 32 members on 2024-07-10" in c["detail"]


def test_a_distance_to_nato_territory_far_off_the_claim_is_inconsistent():
    text = "Brest, a Belarusian city 40 miles from NATO territory, is near the border."
    facts = [fact(text, "p1", "place", "Brest", BREST),
             fact(text, "q1", "distance", "40 miles", km(64.37), detail={"places": ["NATO territory"]})]
    c = only(check_claims(facts, {"A": "2024-07-10"}, {"A": text}), "border_distance")
    assert c["verdict"] == "inconsistent" and c["computed"]["km"] == pytest.approx(6.78, abs=0.05)


def test_30_miles_from_the_belarus_ukraine_border_is_consistent_for_brest():
    checks = check_claims(brest_facts(), {"A": "2024-07-10"}, {"A": BREST_TEXT})
    c = next(c for c in checks if c["facts"][0] == "q2")
    assert c["verdict"] == "consistent" and c["facts"] == ["q2", "p1"]
    assert c["computed"]["km"] == pytest.approx(49.7, abs=0.1)
    assert c["tolerance"]["low"] <= 49.7 <= c["tolerance"]["high"]
    assert "Brest is 49.7 km from the Belarus-Ukraine border" in c["detail"]


def test_a_distance_between_two_towns():
    checks = check_claims(brest_facts(), {"A": "2024-07-10"}, {"A": BREST_TEXT})
    c = next(c for c in checks if c["facts"][0] == "q3")
    assert c["check"] == "distance" and c["verdict"] == "consistent"
    assert c["computed"]["km"] == pytest.approx(161.8, abs=0.2)
    text = "Brest, only 60 km from Pinsk, was calm."
    facts = [fact(text, "p1", "place", "Brest", BREST), fact(text, "p2", "place", "Pinsk", PINSK),
             fact(text, "q1", "distance", "60 km", km(60.0), detail={"places": ["Pinsk"]})]
    assert only(check_claims(facts, {"A": None}, {"A": text}), "distance")["verdict"] == "inconsistent"


def test_a_town_5_km_from_the_border_said_to_be_three_miles_or_thirty_from_it():
    g = Geod(ellps="WGS84")
    lon, lat, _ = g.fwd(-103.0, 48.99266958, 180, 5000)
    town = {"name": "Prairie Hill", "geonameid": None, "country": "US", "lat": lat, "lon": lon, "feature": "city"}
    text = "Prairie Hill, three miles from the Canadian border, and later Prairie Hill, 30 miles from Canada."
    facts = [fact(text, "p1", "place", "Prairie Hill", town),
             fact(text, "p2", "place", "Prairie Hill", town, nth=1),
             fact(text, "q1", "distance", "three miles", km(4.828032), detail={"places": ["Canadian border"]}),
             fact(text, "q2", "distance", "30 miles", km(48.28032), detail={"places": ["Canada"]})]
    checks = check_claims(facts, {"A": None}, {"A": text})
    assert [(c["facts"], c["verdict"]) for c in checks] == [(["q1", "p1"], "consistent"),
                                                             (["q2", "p2"], "inconsistent")]
    assert checks[1]["computed"]["km"] == pytest.approx(5.0, abs=0.01)


def test_wrong_distances_to_a_border_are_inconsistent():
    text = "Brest lies 10 miles from the Belarus-Ukraine border and 40 miles from the Polish border."
    facts = [fact(text, "p1", "place", "Brest", BREST),
             fact(text, "q1", "distance", "10 miles", km(16.09344), detail={"places": ["Belarus-Ukraine border"]}),
             fact(text, "q2", "distance", "40 miles", km(64.37376), detail={"places": ["Polish border"]})]
    checks = check_claims(facts, {"A": "2024-07-10"}, {"A": text})
    assert [c["verdict"] for c in checks] == ["inconsistent", "inconsistent"]


def test_a_country_named_as_a_place_is_measured_to_its_shape_not_its_centre():
    text = "Brest, just 4 km from Poland, reopened its crossing."
    facts = [fact(text, "p1", "place", "Brest", BREST), fact(text, "p2", "place", "Poland", POLAND),
             fact(text, "q1", "distance", "4 km", km(4.0), detail={"places": ["Poland"]})]
    c = only(check_claims(facts, {"A": None}, {"A": text}), "border_distance")
    assert c["verdict"] == "consistent" and c["computed"]["km"] == pytest.approx(6.78, abs=0.05)


def test_eu_territory_is_the_nearest_member_of_country_converters_eu_list():
    text = "Brest sits five miles from EU territory."
    facts = [fact(text, "p1", "place", "Brest", BREST),
             fact(text, "q1", "distance", "five miles", km(8.04672), detail={"places": ["EU territory"]})]
    c = only(check_claims(facts, {"A": None}, {"A": text}), "border_distance")
    assert c["verdict"] == "consistent" and "Poland" in c["detail"]


def test_near_the_polish_border_means_within_50_km():
    text = "Brest, near the Polish border, was quiet. Pinsk, near the Polish border too, was not."
    facts = [fact(text, "p1", "place", "Brest", BREST), fact(text, "p2", "place", "Pinsk", PINSK)]
    checks = check_claims(facts, {"A": None}, {"A": text})
    assert [(c["facts"], c["verdict"]) for c in checks] == [(["p1"], "consistent"), (["p2"], "inconsistent")]
    assert checks[1]["tolerance"]["high"] == 50.0
    assert check_claims([], {"A": None}, {"A": "Troops massed near the Polish border."}) == []


def test_a_distance_with_no_place_to_measure_from_is_unverifiable():
    text = "The convoy stopped 20 km from the Polish border."
    facts = [fact(text, "q1", "distance", "20 km", km(20.0), detail={"places": ["Polish border"]})]
    c = only(check_claims(facts, {"A": None}, {"A": text}), "border_distance")
    assert c["verdict"] == "unverifiable" and "No place" in c["detail"]


def test_without_texts_a_distance_is_measured_from_the_place_before_it():
    facts = brest_facts()
    checks = check_claims(facts, {"A": "2024-07-10"})
    assert {c["check"] for c in checks} == {"border_distance", "distance"}
    assert next(c for c in checks if c["facts"][0] == "q2")["verdict"] == "consistent"


# ---------------------------------------------------------------- the whole
def test_every_check_has_the_documented_shape_and_is_json():
    text = BREST_TEXT + " Leaders met on Wednesday, July 10, 2024, for the 76th anniversary NATO summit."
    checks = check_claims(brest_facts(text), {"A": "2024-07-10"}, {"A": text})
    assert {c["check"] for c in checks} == {"border_distance", "distance", "weekday", "anniversary"}
    for c in checks:
        assert set(c) == KEYS and c["kind"] == "reference"
        assert c["verdict"] in ("consistent", "inconsistent", "unverifiable")
        assert c["detail"].endswith(".")
    json.dumps(checks)


def test_shapes_load_lazily_and_a_warm_check_takes_milliseconds():
    code = ("import crosswire.crosscheck.reference, crosswire.crosscheck.geography as g; "
            "print(g._SHAPES is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    import crosswire.crosscheck.geography as geography

    check_claims(brest_facts(), {"A": "2024-07-10"}, {"A": BREST_TEXT})  # warm: the shapes are loaded once
    loaded = geography._SHAPES
    assert loaded is not None
    border_distance_km(52.2, 23.9, "UA")
    border_distance_km(52.2, 23.9, "BY", "UA")
    assert geography._SHAPES is loaded  # later checks reuse them (their speed: benchmarks/bench_crosscheck.py)
