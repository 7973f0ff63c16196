"""The story's event place through the whole pipeline (``crosswire run`` on reports written for
these tests): a dateline with a US state abbreviation binds the town, and a town another report
names without its state is read in the state the reports agree on."""

from __future__ import annotations

import json

import pytest

from crosswire.config import Settings
from crosswire.crosscheck.event import vote_where
from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.story import crosscheck_story
from crosswire.store import Store

REPORTS = {
    "rowanwire.json": {
        "title": "Two men wounded in Salisbury gas station shooting",
        "maintext": (
            "SALISBURY, N.C. (WXYZ) \u2014 Two men were wounded outside a gas station on Innes Street "
            "late Friday, Salisbury police said.\n\n"
            "Officers found both men with gunshot wounds shortly after 11 p.m. and took them to a "
            "hospital in Charlotte. Police said the two were expected to survive.\n\n"
            "No arrests have been made, and police asked anyone who saw the shooting to call them."),
        "url": "https://rowanwire.example/gas-station-shooting", "source_domain": "rowanwire.example",
        "date_publish": "2024-03-16 09:00:00", "language": "en"},
    "piedmontdaily.json": {
        "title": "Police seek shooter after two men hurt at Salisbury gas station",
        "maintext": (
            "Police in Salisbury are looking for the person who shot two men outside a gas station "
            "on Friday night.\n\n"
            "The men, both in their twenties, were wounded in the parking lot on Innes Street just after "
            "11 p.m., Salisbury police said. Both were taken to a hospital and are expected to recover.\n\n"
            "Investigators have not named a suspect."),
        "url": "https://piedmontdaily.example/salisbury-shooting", "source_domain": "piedmontdaily.example",
        "date_publish": "2024-03-16 14:00:00", "language": "en"},
}


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from crosswire.run import run_stages

    folder = tmp_path_factory.mktemp("salisbury")
    for name, record in REPORTS.items():
        (folder / name).write_text(json.dumps(record), encoding="utf-8")
    settings = Settings(db=str(folder / "x.db"), workers=1)
    with Store(settings.db) as store:
        run_stages([str(folder)], store, settings)
        sids = [r[0] for r in store.conn.execute("SELECT id FROM stories WHERE status = 'active'")]
        assert len(sids) == 1, sids
        yield crosscheck_story(store, sids[0])


def test_a_dateline_with_a_state_abbreviation_places_the_story_in_that_state(story) -> None:  # type: ignore[no-untyped-def]
    (where,) = story["event"]["where"]
    assert (where["name"], where["country"], where["admin1"], where["feature"]) == ("Salisbury", "US", "NC", "city")
    assert len(where["sources"]) == 2  # both reports vote for it, the one without a state too


def test_no_place_fact_reads_the_town_abroad(story) -> None:  # type: ignore[no-untyped-def]
    places = [f for f in story["facts"] if f["kind"] == "place"]
    assert places
    for f in places:
        values = f["value"] if isinstance(f["value"], list) else [f["value"]]
        assert all((v or {}).get("country") in ("US", None) for v in values if isinstance(v, dict)), f
        assert "Harare" not in json.dumps(f)


# ---------------------------------------------------------------- the vote alone
def _report(aid: str, text: str, written: str, place: dict, cue: str) -> StoryArticle:
    start = text.index(written)
    where = {**place, "start": start, "end": start + len(written)}
    fact = {"kind": "place", "start": where["start"], "end": where["end"], "confidence": 0.9,
            "value": place, "detail": {"via": "name", "cue": cue}}
    return StoryArticle(aid, "A shooting", text, None, "2024-03-16", "metadata", facts=[fact],
                        event={"where": [where]})


def test_a_reading_abroad_is_read_again_in_the_stories_state_by_the_name_written() -> None:
    harare = {"name": "Harare", "geonameid": 890299, "country": "ZW", "lat": -17.82772, "lon": 31.05337,
              "feature": "city", "admin1": "10"}
    salisbury = {"name": "Salisbury", "geonameid": 4489985, "country": "US", "lat": 35.67097,
                 "lon": -80.47423, "feature": "city", "admin1": "NC"}
    a = _report("a1", "SALISBURY, N.C. - Two men were shot on Friday.", "SALISBURY", salisbury, "dateline")
    b = _report("b1", "Two men were shot in Salisbury on Friday night.", "Salisbury", harare, "event")
    (where,) = vote_where([a, b], None)
    assert (where["name"], where["country"], where["admin1"]) == ("Salisbury", "US", "NC")
    assert where["sources"] == ["a1", "b1"]
    # a reading abroad with no namesake in the story's state keeps its vote as it was
    c = _report("c1", "Two men were shot in Harare on Friday night.", "Harare", harare, "event")
    assert vote_where([a, c], None)[0]["sources"] in (["a1"], ["c1"])


def test_the_story_place_is_voted_once_per_story_and_read_by_the_place_slot_and_the_event(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from crosswire.crosscheck import event, pubdates
    from crosswire.crosscheck.story import build_record

    harare = {"name": "Harare", "geonameid": 890299, "country": "ZW", "lat": -17.82772, "lon": 31.05337,
              "feature": "city", "admin1": "10"}
    salisbury = {"name": "Salisbury", "geonameid": 4489985, "country": "US", "lat": 35.67097,
                 "lon": -80.47423, "feature": "city", "admin1": "NC"}
    a = _report("a1", "SALISBURY, N.C. - Two men were shot on Friday.", "SALISBURY", salisbury, "dateline")
    b = _report("b1", "Two men were shot in Salisbury on Friday night.", "Salisbury", harare, "event")
    for r, f in ((a, a.facts[0]), (b, b.facts[0])):
        f.update(id=f"f-{r.id}", article_id=r.id, about="event.where", text=r.text[f["start"]:f["end"]],
                 stage="places.v2", role="event")
    calls = []
    real = event.vote_where

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(event, "vote_where", counted)
    record = build_record("s1", "A shooting", [{"id": "a1"}, {"id": "b1"}], [a, b], pubdates.infer([a, b]))
    assert len(calls) == 1
    (where,) = record["event"]["where"]
    assert (where["name"], where["admin1"]) == ("Salisbury", "NC")
    (fact,) = [f for f in record["facts"] if f["slot"] == "place:event.where"]
    assert all(v["value"]["admin1"] == "NC" for v in fact["values"])  # b1's Harare read as the story's town


def test_a_report_naming_other_places_of_one_state_backs_that_state_for_the_town() -> None:
    white_plains_ny = {"name": "White Plains", "geonameid": 5144336, "country": "US", "lat": 41.03399,
                       "lon": -73.76291, "feature": "city", "admin1": "NY"}
    white_plains_ky = {"name": "White Plains", "geonameid": 4311025, "country": "US", "lat": 37.18588,
                       "lon": -87.38835, "feature": "city", "admin1": "KY"}
    a = _report("a1", "Deputies were called to a home in White Plains on Monday.", "White Plains",
                white_plains_ky, "event")
    a.facts[0]["confidence"] = 0.85
    text = a.text + " The Hopkins County sheriff said the boy died."
    a.text = text
    a.facts.append({"kind": "place", "start": text.index("Hopkins"), "end": text.index(" sheriff"),
                    "confidence": 0.9, "detail": {"via": "name", "cue": "police"},
                    "value": {"name": "Hopkins County", "geonameid": None, "country": "US", "feature": "admin2",
                              "admin1": "KY"}})
    b = _report("b1", "A boy was shot in White Plains on Monday.", "White Plains", white_plains_ny, "event")
    (where,) = vote_where([a, b], None)
    assert (where["name"], where["admin1"]) == ("White Plains", "KY")
    assert where["sources"] == ["a1", "b1"]  # b1's reading abroad read again in Kentucky
    # without the county the surer reading stands (0.9 against 0.85)
    a.facts.pop()
    assert vote_where([a, b], None)[0]["admin1"] == "NY"
