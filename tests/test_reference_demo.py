"""Reference checks the demo's answer key and the seeds need: the NATO table, membership anniversaries,
member counts, distances to a border between two named countries from the event place, articles
without a publication date, the arrival-date and drill-activity slots, and the checks' wording."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from crosswire.crosscheck import align, data
from crosswire.crosscheck import geography as geo
from crosswire.crosscheck.anniversaries import anniversary_check, membership_check
from crosswire.crosscheck.pubdates import Dating, StoryArticle
from crosswire.crosscheck.reference import check_claims
from crosswire.crosscheck.values import record_text
from crosswire.errors import CrosswireError

GDANSK = {"name": "Gdańsk", "geonameid": 3099434, "country": "PL", "lat": 54.35227, "lon": 18.64912, "feature": "city"}
KALININGRAD = {"name": "Kaliningrad", "geonameid": 554234, "country": "RU", "lat": 54.70639, "lon": 20.51102,
               "feature": "city"}
BREST = {"name": "Brest", "geonameid": 629634, "country": "BY", "lat": 52.0976, "lon": 23.7341, "feature": "city"}
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def fact(text: str, fid: str, kind: str, phrase: str, value, *, aid: str = "A", detail=None, about: str = "x") -> dict:
    start = text.index(phrase)
    return {"id": fid, "article_id": aid, "kind": kind, "about": about, "value": value, "text": phrase,
            "start": start, "end": start + len(phrase), "detail": detail or {}}


def km(value: float, qualifier: str | None = None) -> dict:
    return {"value": value, "low": value, "high": value, "qualifier": qualifier, "unit": "km"}


def only(checks: list[dict], kind: str) -> dict:
    found = [c for c in checks if c["check"] == kind]
    assert len(found) == 1, checks
    return found[0]


# ---------------------------------------------------------------- the table
def test_the_table_lists_nato_and_its_32_members_with_accession_dates_and_sources():
    members = data.members("NATO")
    assert len(members) == 32 and len(data.members("NATO", date(2024, 1, 1))) == 31
    assert data.founding("NATO").date == date(1949, 4, 4) and "Washington" in data.founding("NATO").note
    assert members["PL"].date == date(1999, 3, 12)
    assert members["FI"].date == date(2023, 4, 4) and members["SE"].date == date(2024, 3, 7)
    assert members["US"].date == date(1949, 8, 24) and members["MK"].date == date(2020, 3, 27)
    assert len(data.members("NATO", date(1999, 3, 11))) == 16 and len(data.members("NATO", date(1999, 3, 12))) == 19
    assert all(r.source.startswith("https://") for r in data.rows())
    assert all(any(u.startswith(("https://www.nato.int/", "https://en.wikipedia.org/")) for u in r.source.split())
               for r in data.rows())
    # every member code is a Natural Earth country, so "NATO territory" has a shape for each
    assert not [c for c in members if geo.territory_distance_km(50.0, 10.0, c) is None]


def test_a_malformed_row_is_rejected_naming_the_line(tmp_path, monkeypatch):
    bad = tmp_path / "organisations.csv"
    with bad.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["organisation", "member", "event", "date", "note", "source"])
        w.writerow(["NATO", "", "founded", "1949-04-04", "", "https://www.nato.int/"])
        w.writerow(["NATO", "PL", "joined", "12 March 1999", "", "https://www.nato.int/"])
    monkeypatch.setattr(data, "TABLE", bad)
    data.rows.cache_clear()
    try:
        with pytest.raises(CrosswireError, match="organisations.csv:3"):
            data.rows()
    finally:
        monkeypatch.undo()
        data.rows.cache_clear()
    assert len(data.rows()) == 33


def test_the_table_ships_with_the_package():
    text = (Path(__file__).parents[1] / "pyproject.toml").read_text()
    assert '"crosscheck/data/*.csv"' in text and data.TABLE.exists()


# ---------------------------------------------------------------- anniversaries
def test_nato_anniversaries_of_its_founding_right_and_wrong():
    assert anniversary_check(75, "NATO", "2024-07-09")["verdict"] == "consistent"
    wrong = anniversary_check(76, "NATO", "2024-07-09")
    assert wrong["verdict"] == "inconsistent" and wrong["computed"]["ordinal"] == 75
    assert anniversary_check(80, "NATO", "2025-03-11")["verdict"] == "inconsistent"
    assert anniversary_check(76, "NATO", "2025-04-04")["verdict"] == "consistent"


def test_the_anniversary_of_a_country_joining_nato_is_read_as_its_accession():
    text = "Banners went up on Thursday for the 25th anniversary of Hungary joining NATO, on March 12, 1999."
    c = only(check_claims([], {"A": "2024-03-12"}, {"A": text}), "anniversary")
    assert c["verdict"] == "consistent" and c["claimed"] == {"ordinal": 25, "of": "Hungary joining NATO"}
    assert c["computed"]["reference"] == "1999-03-12" and "Hungary joined NATO on 1999-03-12" in c["detail"]
    late = only(check_claims([], {"A": "2025-03-12"}, {"A": text}), "anniversary")
    assert late["verdict"] == "inconsistent" and late["computed"]["ordinal"] == 26
    # not NATO's founding: that would make 2024 the 75th
    assert "founded" not in c["detail"]


def test_other_ways_of_saying_a_membership_anniversary():
    first = "Helsinki celebrated the first anniversary of Finland's accession to NATO."
    assert only(check_claims([], {"A": "2024-04-04"}, {"A": first}), "anniversary")["verdict"] == "consistent"
    r = membership_check(2, "NATO", "UA", "Ukraine", "2025-01-01")
    assert r["verdict"] == "unverifiable" and "not one of them" in r["detail"]


def test_its_founding_is_the_founding_of_the_organisation_named_before():
    text = "The talks came weeks before NATO celebrates the 77th anniversary of its founding in Washington."
    c = only(check_claims([], {"A": "2026-03-01"}, {"A": text}), "anniversary")
    assert c["verdict"] == "consistent" and c["claimed"]["of"] == "NATO"
    wrong = only(check_claims([], {"A": "2025-03-01"}, {"A": text}), "anniversary")
    assert wrong["verdict"] == "inconsistent" and wrong["computed"]["ordinal"] == 76


# ---------------------------------------------------------------- member counts
def test_nato_member_counts_at_the_article_date():
    text = "Heads of government of NATO's 32 member states arrived in the capital."
    assert only(check_claims([], {"A": "2024-07-10"}, {"A": text}), "member_count")["verdict"] == "consistent"
    c = only(check_claims([], {"A": "2023-07-10"}, {"A": text}), "member_count")
    assert c["verdict"] == "inconsistent" and c["computed"]["members"] == 31 and "Finland" in c["detail"]
    other = "All 31 members of NATO signed the statement."
    assert only(check_claims([], {"A": "2023-07-10"}, {"A": other}), "member_count")["verdict"] == "consistent"
    # an article known only to lie across Sweden's accession: no verdict
    c = only(check_claims([], {"A": "2024-03-01/2024-03-20"}, {"A": text}), "member_count")
    assert c["verdict"] == "unverifiable" and "31 members on 2024-03-01 and 32 on 2024-03-20" in c["detail"]


# ---------------------------------------------------------------- distances
def test_nato_territory_is_membership_at_the_article_date():
    text = "Brest, a city in Belarus, lies three miles from NATO territory."
    facts = [fact(text, "p1", "place", "Brest", BREST),
             fact(text, "q1", "distance", "three miles", km(4.828032), detail={"places": ["NATO territory"]})]
    now = only(check_claims(facts, {"A": "2024-07-10"}, {"A": text}), "border_distance")
    assert now["verdict"] == "consistent" and "Poland" in now["detail"]
    before = only(check_claims(facts, {"A": "1998-07-10"}, {"A": text}), "border_distance")
    assert before["verdict"] == "inconsistent" and before["computed"]["km"] > 300  # Poland joined in 1999


GULF = ("Rescuers were called to the Gdańsk shipyard on Monday. Officials stressed that the site stands "
        "roughly 60 km from Poland's border with Russia's Kaliningrad oblast.")


def test_a_distance_to_the_border_between_two_named_countries_from_the_event_place():
    facts = [fact(GULF, "p1", "place", "Gdańsk", GDANSK, about="event.where"),
             fact(GULF, "d1", "distance", "roughly 60 km", km(60.0, "about"),
                  detail={"places": ["Poland's border with Russia's Kaliningrad oblast"]})]
    c = only(check_claims(facts, {"A": "2025-03-11"}, {"A": GULF}), "border_distance")
    assert c["verdict"] == "consistent" and c["computed"]["codes"] == ["PL", "RU"]
    assert c["computed"]["km"] == pytest.approx(63.4, abs=0.5)  # Natural Earth's line; the survey says 65.6
    assert "the article's event place, as the sentence names none" in c["detail"]
    assert "Gdańsk is 63.4 km from the Poland-Russia border" in c["detail"]


def test_the_border_with_a_region_of_another_country_is_the_border_between_the_two():
    text = "The depot at the port sits a mere 25 kilometres from the border with Russia's Kaliningrad exclave."
    facts = [fact(text, "d1", "distance", "25 kilometres", km(25.0),
                  detail={"places": ["border with Russia's Kaliningrad"]}),
             fact(text, "k1", "place", "Kaliningrad", KALININGRAD)]
    other = "Crews fought the fire in Gdańsk."
    story = facts + [fact(other, "p1", "place", "Gdańsk", GDANSK, aid="B", about="event.where")]
    c = only(check_claims(story, {"A": "2025-03-12", "B": "2025-03-11"}, {"A": text, "B": other}), "border_distance")
    assert c["verdict"] == "inconsistent" and c["computed"]["codes"] == ["PL", "RU"]
    assert "the story's event place" in c["detail"]  # the article names none; Kaliningrad is what it is measured to


def test_the_reference_phrases_of_borders_between_countries():
    assert geo.parse_reference("Poland's border with Russia's Kaliningrad region").codes == ("PL", "RU")
    ref = geo.parse_reference("the border with Russia's Kaliningrad")
    assert (ref.kind, ref.codes, ref.partner) == ("border", ("RU",), True)
    assert geo.parse_reference("Polish border").partner is False


# ---------------------------------------------------------------- dates of the article
def test_an_article_without_a_date_is_counted_to_its_story_s_other_reports():
    a = "The country was invaded on February 24, 2022, and the war goes on."
    b = "Moscow launched the invasion nearly two years ago; troops crossed the border two years ago."
    checks = check_claims([fact(a, "a1", "date", "February 24, 2022", {"value": "2022-02-24", "precision": "day"},
                                aid="A")], {"A": "2024-07-09", "B": None}, {"A": a, "B": b})
    got = {c["span"]["text"]: c for c in checks if c["check"] == "years_ago"}
    assert got["nearly two years ago"]["verdict"] == "inconsistent"  # 2.4 years is not "nearly two"
    assert got["two years ago"]["verdict"] == "consistent"
    assert "publication date is unknown; counted to 2024-07-09" in got["two years ago"]["detail"]
    alone = check_claims([], {"B": None}, {"B": b})
    assert {c["verdict"] for c in alone if c["check"] == "years_ago"} == {"unverifiable"}


def test_an_interval_of_publication_days_gives_a_verdict_only_when_both_ends_agree():
    text = "NATO held the 75th anniversary summit of its founding."
    wide = only(check_claims([], {"A": "2024-07-01/2024-07-20"}, {"A": text}), "anniversary")
    assert wide["verdict"] == "consistent" and "only known to lie between" in wide["detail"]
    edge = only(check_claims([], {"A": "2024-09-01/2024-12-01"}, {"A": text}), "anniversary")
    assert edge["verdict"] == "unverifiable"  # six months after 2024-04-04 falls inside the interval


# ---------------------------------------------------------------- wording
def test_check_records_read_in_a_reporter_s_words():
    assert record_text({"km": 63.44, "to": "Poland-Russia border", "codes": ["PL", "RU"]}) == \
        "63.4 km to Poland-Russia border"
    assert record_text({"low": 45.5, "high": 84.5, "km": 19.5, "rule": "r"}) == \
        "45.5 km to 84.5 km, 19.5 km either side of the claim (rule: r)"
    assert record_text({"low": 0.0, "high": 9.83, "km": 5.0, "rule": "r"}).startswith("up to 9.8 km")
    assert record_text({"ordinal": 76, "of": "NATO"}) == "the 76th anniversary of NATO"
    assert record_text({"amount": 2, "unit": "year", "qualifier": "nearly"}) == "nearly 2 years"
    assert record_text({"amount": 2.4, "low": 2.36, "high": 2.43, "since": "2022-02", "until": "2024-07-09"}) == \
        "2.4 to 2.4 years, from 2022-02 to 2024-07-09"
    assert record_text({"members": 32, "source": "organisations.csv"}) == "32 members (organisations.csv)"
    assert record_text("exact") == "exact"


# ---------------------------------------------------------------- slots the seeds need
MAIN = {"cameo": "150", "label": "Demonstrate military or police power"}


def _fact(aid: str, text: str, kind: str, about: str, value, needle: str, **kw) -> dict:
    start = text.index(needle)
    return {"id": f"{aid}:{kind}:{start}", "article_id": aid, "kind": kind, "about": about, "value": value,
            "text": needle, "start": start, "end": start + len(needle), "detail": kw.get("detail", {})}


def test_an_arrival_date_and_drill_activities_shared_by_two_outlets_become_slots():
    ta = ("Greek and Egyptian crews began naval drills near Chania on Monday. The Egyptian frigates arrived for the "
          "drills on Saturday. Sailors will practise boarding suspect ships, rescuing divers and night "
          "refuelling at sea.")
    tb = ("The naval drills near Chania will see sailors rehearse night refuelling with their Greek hosts and "
          "the boarding of suspect ships. The frigates for the drills docked on Saturday.")
    a = StoryArticle("a", "t", ta, "one.example", "2025-05-12", "metadata", facts=[
        _fact("a", ta, "event", "main", MAIN, ta[:ta.index(".") + 1], detail={"trigger": "drills"}),
        _fact("a", ta, "date", "event.when", {"value": "2025-05-12", "precision": "day", "anchored": True}, "Monday"),
        _fact("a", ta, "date", "time", {"value": "2025-05-10", "precision": "day", "anchored": True}, "Saturday")])
    b = StoryArticle("b", "t", tb, "two.example", "2025-05-13", "metadata", facts=[
        _fact("b", tb, "event", "main", MAIN, tb[:tb.index(".") + 1], detail={"trigger": "drills"}),
        _fact("b", tb, "date", "time", {"value": "2025-05-10", "precision": "day", "anchored": True}, "Saturday")])
    datings = {x.id: Dating(x.id, x.day, None, None, x.day, True) for x in (a, b)}
    slots = {s.key: s for s in align.build_slots([a, b], datings)}
    arrival = slots["date:arrival"]
    assert [(o.article, o.value[0]) for o in arrival.observations] == [("a", date(2025, 5, 10))]  # "docked": no
    acts = {k: [o.article for o in s.observations] for k, s in slots.items() if k.startswith("name:activity:")}
    assert acts["name:activity:night refue"] == ["a", "b"]
    assert acts["name:activity:board suspe"] == ["a", "b"]  # "boarding suspect ships", "the boarding of suspect ships"
    assert acts["name:activity:rescu diver"] == ["a"]


def test_an_arrival_on_a_weekday_over_inferred_publication_days_is_the_days_they_allow():
    t = "The drills near Chania began. The frigates arrived for the drills on Saturday."
    a = StoryArticle("a", "t", t, "one.example", None, None, facts=[
        _fact("a", t, "event", "main", MAIN, t[:t.index(".") + 1], detail={"trigger": "drills"}),
        _fact("a", t, "date", "time", {"value": "XXXX-WXX-6", "precision": "day", "anchored": False}, "Saturday")])
    dating = Dating("a", None, date(2025, 5, 12), date(2025, 5, 18), None, False, {"precision": "range"})
    (slot,) = [s for s in align.build_slots([a], {"a": dating}) if s.key == "date:arrival"]
    (o,) = slot.observations
    assert o.value == (date(2025, 5, 10), date(2025, 5, 17), "range") and o.detail["precision"] == "range"


# ---------------------------------------------------------------- the demo corpus and the seeds, end to end
def _reference_checks(store, sid: str) -> list[dict]:
    from crosswire.present.briefing import story_view

    view = story_view(store, sid)
    return [c for c in view["checks"] + view["unverified"] if c["kind"] == "reference"]


@pytest.fixture(scope="module")
def demo_checks(tmp_path_factory) -> list[dict]:
    from crosswire.config import Settings
    from crosswire.demo import corpus_path
    from crosswire.run import run_stages
    from crosswire.store import Store
    from crosswire.stories.views import list_stories

    settings = Settings(db=str(tmp_path_factory.mktemp("demo") / "demo.db"), workers=1)
    with Store(settings.db) as store:
        run_stages([str(corpus_path())], store, settings)
        return [c for s in list_stories(store) for c in _reference_checks(store, s["id"])]


def _find(checks: list[dict], check: str, text: str) -> dict:
    found = [c for c in checks if c["check"] == check and c["span"]["text"] == text]
    assert len(found) == 1, [(c["check"], c["span"]["text"], c["verdict"]) for c in checks]
    return found[0]


def test_the_demo_answer_key_anniversaries(demo_checks):
    wrong = _find(demo_checks, "anniversary", "80th anniversary")
    assert wrong["verdict"] == "inconsistent" and wrong["computed"]["ordinal"] == 76
    right = _find(demo_checks, "anniversary", "26th anniversary")
    assert right["verdict"] == "consistent" and right["claimed"]["of"] == "Poland joining NATO"


def test_the_demo_answer_key_weekdays(demo_checks):
    assert _find(demo_checks, "weekday", "Tuesday, March 12")["verdict"] == "inconsistent"
    assert _find(demo_checks, "weekday", "Tuesday, March 11")["verdict"] == "consistent"
    assert _find(demo_checks, "weekday", "Wednesday, March 12, 2025")["verdict"] == "consistent"
    fridays = [c for c in demo_checks if c["check"] == "weekday" and c["span"]["text"] == "Friday, March 14"]
    assert fridays and all(c["verdict"] == "consistent" for c in fridays)


def test_the_demo_answer_key_distances_to_the_russian_border(demo_checks):
    right = _find(demo_checks, "border_distance", "about 65 km (40 miles)")
    assert right["verdict"] == "consistent" and right["computed"]["codes"] == ["PL", "RU"]
    wrong = _find(demo_checks, "border_distance", "30 kilometres")
    assert wrong["verdict"] == "inconsistent" and wrong["computed"]["km"] == pytest.approx(63.4, abs=0.5)
    assert "No place is named" not in right["detail"] + wrong["detail"]
    json.dumps(demo_checks)


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are not on this machine")
def test_the_seeds_briefing_checks(tmp_path):
    from crosswire.config import Settings
    from crosswire.run import run_stages
    from crosswire.store import Store
    from crosswire.stories.views import list_stories

    settings = Settings(db=str(tmp_path / "seeds.db"), workers=1)
    with Store(settings.db) as store:
        run_stages([str(SEEDS)], store, settings)
        (story,) = list_stories(store)
        checks = _reference_checks(store, story["id"])
        from crosswire.present.briefing import story_view

        facts = story_view(store, story["id"])["facts"]
    nato = [c for c in checks if c["check"] == "border_distance" and "NATO" in c["detail"]]
    assert nato and all(c["verdict"] == "consistent" for c in nato)
    assert _find(checks, "border_distance", "30 miles")["verdict"] == "consistent"
    assert _find(checks, "anniversary", "76th anniversary")["verdict"] == "inconsistent"
    assert _find(checks, "member_count", "NATO's 32 member states")["verdict"] == "consistent"
    ago = _find(checks, "years_ago", "nearly two years ago")
    assert ago["verdict"] == "inconsistent" and "February 2022" in ago["detail"]
    assert _find(checks, "years_ago", "two years ago")["verdict"] == "consistent"
    abouts = {(f["about"], f["status"]) for f in facts}
    assert ("arrival", "single_source") in abouts
    water = [f for f in facts if f["about"] == "activity" and "water" in str(f["value"])]
    assert water and water[0]["status"] == "corroborated"
