"""Cross-checking a story: values compared with tolerance and meaning, independent sources
counted, quotes matched across outlets, articles checked against themselves, publication days
inferred from the story, and the ``show --format json`` record. The first tests build facts by
hand; the last ones run the whole pipeline (ingest, analyze, group, cross-check) on reports
written here and on the demo corpus shipped in the package."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crosswire.config import Settings
from crosswire.crosscheck import align, internal, pubdates, quotes, status
from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.status import Observation
from crosswire.crosscheck.story import cached_briefing, crosscheck_changed, crosscheck_story
from crosswire.store import Store


def _obs(aid: str, value, text: str = "x") -> Observation:
    return Observation(aid, value, text, [{"article": aid, "start": 0, "end": len(text), "text": text}])


def _keys(*pairs: tuple[str, str]) -> dict[str, str]:
    return status.independence_keys([{"id": a, "outlet": o} for a, o in pairs])


# ---------------------------------------------------------------- values
def test_intervals_agree_when_they_overlap() -> None:
    more_than_100, about_120, fifty = (100, None), (108, 132), (50, 50)
    keys = _keys(("a", "one.example"), ("b", "two.example"), ("c", "three.example"))
    agree = status.assess([_obs("a", more_than_100), _obs("b", about_120)], align.merge_interval, keys)
    assert agree.status == "corroborated" and agree.independent_sources == 2
    assert agree.leading.value == (108, 132)
    clash = status.assess([_obs("a", more_than_100), _obs("b", about_120), _obs("c", fifty)],
                          align.merge_interval, keys, order=align.narrow_first)
    assert clash.status == "conflict"
    assert [g.articles for g in clash.groups] == [["b", "a"], ["c"]]


def test_dates_compare_at_their_precision() -> None:
    day = (date(2025, 5, 12), date(2025, 5, 12), "day")
    month = (date(2025, 5, 1), date(2025, 5, 31), "month")
    other = (date(2025, 5, 13), date(2025, 5, 13), "day")
    assert align.merge_dates(day, month) == day
    assert align.merge_dates(day, other) is None
    assert align.merge_dates(other, month)[2] == "day"


def test_places_agree_inside_one_another_and_nearby() -> None:
    city = {"name": "Chania", "geonameid": 260114, "country": "GR", "lat": 35.511, "lon": 24.029, "feature": "city"}
    suburb = {"name": "Souda", "geonameid": 1, "country": "GR", "lat": 35.48, "lon": 24.07, "feature": "city"}
    far = {"name": "Athens", "geonameid": 264371, "country": "GR", "lat": 37.98, "lon": 23.73, "feature": "city"}
    country = {"name": "Greece", "geonameid": 390903, "country": "GR", "lat": 39.0, "lon": 22.0, "feature": "country"}
    abroad = {"name": "Cairo", "geonameid": 360630, "country": "EG", "lat": 30.06, "lon": 31.25, "feature": "city"}
    assert align.merge_place(city, suburb) is not None
    assert align.merge_place(country, city) == city  # the more specific is kept
    assert align.merge_place(city, far) is None
    assert align.merge_place(city, abroad) is None


def test_titles_of_one_person_match_across_wordings() -> None:
    assert align.compare_titles("Rear Admiral; commander of the Hellenic fleet",
                                "Commander of the Fleet of the Hellenic Navy") == "same"
    assert align.compare_titles("commander of the Greek navy", "Commander of Greece's Navy") == "same"
    assert align.compare_titles("Rear Admiral", "commander of the Hellenic fleet") != "conflict"
    assert align.compare_titles("Egyptian Prime Minister", "Egypt's President") == "conflict"
    assert align.compare_titles("Defence Minister", "Foreign Minister") == "conflict"
    assert align.compare_titles("Colonel", "Major General") == "conflict"
    assert align.compare_titles("former ambassador to Cairo", "Defence Minister") == "compatible"


def test_copies_and_one_outlets_articles_count_once() -> None:
    keys = status.independence_keys([
        {"id": "a", "outlet": "Wire Agency"}, {"id": "b", "outlet": "Daily Paper", "duplicate_of": "a"},
        {"id": "c", "outlet": "wire agency"}, {"id": "d", "outlet": None}, {"id": "e", "outlet": None}])
    assert keys["a"] == keys["b"] == keys["c"]
    assert len({keys["a"], keys["d"], keys["e"]}) == 3
    one = status.assess([_obs("a", 3), _obs("b", 3), _obs("c", 3)], align.merge_equal, keys)
    assert one.status == "single_source" and one.independent_sources == 1
    two = status.assess([_obs("a", 3), _obs("d", 3)], align.merge_equal, keys)
    assert two.status == "corroborated"
    cols = status.outlet_columns([{"id": i, "outlet": o} for i, o in
                                  (("a", "Wire Agency"), ("d", None), ("e", None))], keys)
    row = status.matrix_row(status.assess([_obs("a", 3), _obs("d", 4)], align.merge_equal, keys), cols)
    assert sorted(row.values()) == ["agrees", "conflicts", "silent"]


def test_distances_agree_within_tolerance_and_places_fold() -> None:
    assert align.distance_key(["the Polish border"]) == align.distance_key(["border of Poland"])
    assert align.merge_interval((58.5 * 0.9, 71.5 * 1.1), (27.0, 33.0)) is None


# ---------------------------------------------------------------- quotes
def _u(aid: str, speaker: str | None, text: str, start: int = 0, kind: str = "quote") -> quotes.Utterance:
    return quotes.Utterance(aid, kind, speaker, None, "person" if speaker else None, text, start,
                            start + len(text), f"{aid}-{start}")


def test_quotes_match_across_rewording_split_punctuation_and_spelling() -> None:
    whole = _u("a", "Nikos Petrakis", "The weather at sea is rough, the tasks are hard, so we will practise "
               "new ways of boarding ships and searching their holds, and learn from each other")
    part1 = _u("b", "Nikos Petrakis", "rough weather at sea", 10)
    part2 = _u("b", "N. Petrakis", "The tasks are hard. So we will practice new ways of boarding ships and "
               "searching their holds.", 60)
    other = _u("b", "Nikos Petrakis", "We expect the crews to be home by the end of the month", 200)
    clusters = quotes.match([whole, part1, part2, other])
    sizes = sorted(len(c.members) for c in clusters)
    assert sizes == [1, 3]
    assert quotes.words("practise colour centre organize") == quotes.words("practice color center organise")


def test_a_quote_given_to_two_speakers_is_a_conflict() -> None:
    line = "Our crews will train together for two weeks and then return to their home ports"
    a, b = _u("a", "Nikos Petrakis", line), _u("b", "Ahmed Farouk", line.replace("Our", "The"))
    (cluster,) = quotes.match([a, b])
    assert len(quotes.speaker_groups(cluster)) == 2
    # an unnamed speaker is no conflict
    (cluster,) = quotes.match([a, _u("c", None, line)])
    assert len(quotes.speaker_groups(cluster)) == 1


# ---------------------------------------------------------------- articles of a story, by hand
def _fact(aid: str, text: str, kind: str, about: str, value, needle: str, n: int = 0, **kw) -> dict:
    start = -1
    for _ in range(n + 1):
        start = text.index(needle, start + 1)
    return {"id": f"{aid}:{kind}:{start}", "article_id": aid, "kind": kind, "about": about, "value": value,
            "text": needle, "start": start, "end": start + len(needle), "role": kw.get("role"),
            "detail": kw.get("detail", {})}


def _article(aid: str, outlet: str | None, published: str | None, text: str, facts: list[dict],
             source: str | None = "metadata", **kw) -> StoryArticle:
    return StoryArticle(aid, f"title {aid}", text, outlet, published, source if published else None,
                        facts=facts, **kw)


MAIN = {"cameo": "150", "label": "Demonstrate military or police power"}


def _drill_story() -> list[StoryArticle]:
    ta = "Greece and Egypt began naval drills near Chania on Monday. The drills run until May 23."
    a = _article("a", "harbourpost.example", "2025-05-12", ta, [
        _fact("a", ta, "event", "main", MAIN, ta[:ta.index(".") + 1], detail={"trigger": "drills"}),
        _fact("a", ta, "date", "event.when", {"value": "2025-05-12", "precision": "day", "anchored": True},
              "Monday", role="event"),
        _fact("a", ta, "date", "time", {"value": "2025-05-23", "precision": "day", "anchored": True}, "May 23")])
    tb = "Greek and Egyptian warships began naval drills near Chania last night, officials said."
    b = _article("b", "wiredesk.example", None, tb, [
        _fact("b", tb, "event", "main", MAIN, tb, detail={"trigger": "drills"}),
        _fact("b", tb, "date", "time", {"value": None, "precision": "day", "anchored": False}, "last night")])
    tc = "The navies started their drills off Chania on Monday and will stay until May 23."
    c = _article("c", "islandtimes.example", None, tc, [
        _fact("c", tc, "event", "main", MAIN, tc, detail={"trigger": "drills"}),
        _fact("c", tc, "date", "time", {"value": "XXXX-WXX-1", "precision": "day", "anchored": False}, "Monday"),
        _fact("c", tc, "date", "time", {"value": "XXXX-05-23", "precision": "day", "anchored": False}, "May 23")])
    return [a, b, c]


def test_a_publication_day_the_story_implies_is_inferred_with_its_evidence() -> None:
    datings = pubdates.infer(_drill_story())
    b, c = datings["b"], datings["c"]
    # "last night" of an event the other reports date to Monday May 12: published Tuesday May 13
    assert b.published == date(2025, 5, 13) and b.inference["precision"] == "day"
    kinds = [e["kind"] for e in b.inference["evidence"]]
    assert kinds[:2] == ["story_event", "wording"] and b.inference["evidence"][1]["text"] == "last night"
    # "on Monday" only says the week after it: a range, never one invented day
    assert c.published is None and c.inference["precision"] == "range"
    assert (c.low, c.high) == (date(2025, 5, 12), date(2025, 5, 18))
    assert datings["a"].inference is None


def test_a_caption_date_is_a_lower_bound_the_story_may_correct() -> None:
    story = _drill_story()
    story[1].published, story[1].published_source, story[1].published_rule = "2025-05-12", "text", "latest_weekday_date"
    d = pubdates.infer(story)["b"]
    assert d.published == date(2025, 5, 13) and d.inference["evidence"][-1]["kind"] == "previous"
    story[1].published = "2025-05-13"  # a lower bound that agrees with the story stays as it is
    kept = pubdates.infer(story)["b"]
    assert kept.inference is None and kept.published == date(2025, 5, 13)


def test_nothing_is_inferred_without_an_other_article_to_date_the_event() -> None:
    story = _drill_story()[1:2]
    assert pubdates.infer(story)["b"].inference is None
    # and without wording that ties it to the event, the other reports give a range only
    story = _drill_story()
    story[1].facts = [f for f in story[1].facts if f["kind"] != "date"]
    d = pubdates.infer(story)["b"]
    assert d.published is None and d.inference["precision"] == "range" and d.low == date(2025, 5, 12)


def test_slots_read_dates_against_the_inferred_day() -> None:
    story = _drill_story()
    slots = {s.key: s for s in align.build_slots(story, pubdates.infer(story))}
    keys = status.independence_keys([{"id": a.id, "outlet": a.outlet} for a in story])
    start = status.assess(slots["date:event.start"].observations, align.merge_dates, keys)
    assert start.status == "corroborated" and start.independent_sources == 3
    assert start.leading.value[0] == date(2025, 5, 12)
    end = status.assess(slots["date:event.end"].observations, align.merge_dates, keys)
    assert end.status == "corroborated" and end.leading.value[0] == date(2025, 5, 23)


def test_an_article_contradicting_itself_is_found() -> None:
    t = ("Defence Minister Giorgos Lambrou visited the base. Later, Foreign Minister Giorgos Lambrou spoke. "
         "Rear Admiral Nikos Petrakis, commander of the fleet, came too. Twelve sailors were hurt on Monday. "
         "The navy said 15 sailors were hurt in the collision.")
    facts = [
        _fact("a", t, "entity", "PERSON", "Giorgos Lambrou", "Giorgos Lambrou", detail={"title": "Defence Minister"}),
        _fact("a", t, "entity", "PERSON", "Giorgos Lambrou", "Giorgos Lambrou", 1, detail={"title": "Foreign Minister"}),
        _fact("a", t, "entity", "PERSON", "Nikos Petrakis", "Nikos Petrakis",
              detail={"title": "Rear Admiral; commander of the fleet"}),
        _fact("a", t, "casualties", "injured", {"value": 12, "low": 12, "high": 12}, "Twelve sailors were hurt",
              role="event"),
        _fact("a", t, "casualties", "injured", {"value": 15, "low": 15, "high": 15}, "15 sailors were hurt",
              role="event"),
    ]
    a = _article("a", "x.example", "2025-05-12", t, facts)
    checks = internal.internal_checks([a], {"a": pubdates.infer([a])["a"]})
    verdicts = {(c["check"], c["verdict"]) for c in checks}
    assert ("titles", "inconsistent") in verdicts and ("titles", "consistent") in verdicts
    assert ("counts", "inconsistent") in verdicts
    clash = next(c for c in checks if c["check"] == "titles" and c["verdict"] == "inconsistent")
    assert "Defence Minister" in clash["detail"] and "Foreign Minister" in clash["detail"]
    for c in checks:
        for s in c["spans"]:
            assert t[s["start"]:s["end"]] == s["text"]


def test_dates_one_article_gives_that_cannot_both_hold() -> None:
    t = "The drills began on Monday, May 12. The drills, which began on Tuesday, run for a week."
    facts = [_fact("a", t, "date", "event.when", {"value": "2025-05-12", "precision": "day", "anchored": True},
                   "Monday, May 12", role="event"),
             _fact("a", t, "date", "event.when", {"value": "2025-05-13", "precision": "day", "anchored": True},
                   "Tuesday", role="event")]
    a = _article("a", "x.example", "2025-05-14", t, facts)
    (check,) = internal.internal_checks([a], pubdates.infer([a]))
    assert check["check"] == "dates" and check["verdict"] == "inconsistent"


def test_a_first_ever_claim_conflicts_with_one_done_before() -> None:
    story = _drill_story()
    a, b = story[0], story[1]
    a.text += " It is the first time the two navies have held drills together."
    b.text += " The navies have held drills together before, in 2021."
    slots = {s.key: s for s in align.build_slots(story, pubdates.infer(story))}
    first = slots["claim:event.first"]
    assert {(o.article, o.value) for o in first.observations} == {("a", "first"), ("b", "not_first")}
    keys = status.independence_keys([{"id": x.id, "outlet": x.outlet} for x in story])
    assert status.assess(first.observations, first.merge, keys).status == "conflict"


def test_a_story_with_nothing_analysed_still_gives_a_record(tmp_path: Path) -> None:
    from crosswire.models import Article

    with Store(tmp_path / "bare.db") as store:
        art = Article(id="bare1", title="A bare report", text="Nothing was extracted from this text.", outlet=None,
                      url=None, authors=[], published=None, published_source=None, language="en",
                      ingested_at="2025-01-01T00:00:00+00:00", source="test", text_hash="bare1")
        with store.transaction() as c:
            store.insert_article(art, None)
            c.execute("INSERT INTO stories(id, title, model, created_at, updated_at) VALUES ('s1', 'A bare report', "
                      "'test', '2025-01-01', '2025-01-01')")
            c.execute("INSERT INTO story_articles(article_id, story_id, role, method, seq, placed_at) "
                      "VALUES ('bare1', 's1', 'original', 'new', 0, '2025-01-01')")
        record = crosscheck_story(store, "s1")
        assert (record["facts"], record["quotes"], record["published_inferred"]) == ([], [], [])
        assert record["event"] == {"type": {"cameo": None, "label": "unknown"},
                                   "when": {"start": None, "end": None, "sources": []}, "where": [],
                                   "killed": None, "injured": None}
        assert crosscheck_changed(store).computed == 1 and cached_briefing(store, "s1")["id"] == "s1"


# ---------------------------------------------------------------- the whole pipeline
REPORTS = {
    "harbourpost.json": {
        "title": "Greece and Egypt begin joint naval drills off Crete",
        "maintext": (
            "Greece and Egypt began joint naval drills near Chania on Monday, the Greek defence ministry said.\n\n"
            "The exercise, codenamed Operation Blue Horizon, is set to run until May 23. More than 300 sailors "
            "are taking part, along with four frigates.\n\n"
            "\"Our crews will practise boarding and search operations in difficult conditions, and they will "
            "learn from each other,\" Rear Admiral Nikos Petrakis, commander of the Hellenic fleet, said in a "
            "statement.\n\nIt is the first time the two navies have trained together in Cretan waters.\n\n"
            "Defence Minister Giorgos Lambrou said the drills were not aimed at any other country. Later in the "
            "day, Foreign Minister Giorgos Lambrou told reporters that Athens wanted closer ties with Cairo."),
        "url": "https://harbourpost.example/drills", "source_domain": "harbourpost.example",
        "date_publish": "2025-05-12 15:00:00", "language": "en"},
    "wiredesk.json": {
        "title": "Greek and Egyptian warships hold exercise near Chania",
        "maintext": (
            "Greek and Egyptian warships began a joint exercise near Chania yesterday, in a show of naval "
            "cooperation in the eastern Mediterranean.\n\nAbout 350 sailors and four frigates are involved in the "
            "drills, which will last until May 23.\n\nRear Admiral Nikos Petrakis, who commands the Greek fleet, "
            "said: \"Our crews will practice boarding and search operations in difficult conditions.\"\n\n"
            "The navies have trained together before, off Alexandria in 2021, but never at this scale."),
        "url": "https://wiredesk.example/greece-egypt", "source_domain": "wiredesk.example", "language": "en"},
}


@pytest.fixture(scope="module")
def drills(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from crosswire.run import run_stages

    folder = tmp_path_factory.mktemp("reports")
    for name, record in REPORTS.items():
        (folder / name).write_text(json.dumps(record), encoding="utf-8")
    copy = dict(REPORTS["harbourpost.json"], title="Naval drills off Crete: Greece and Egypt start exercise",
                url="https://islandnews.example/drills-crete", source_domain="islandnews.example",
                date_publish="2025-05-12 18:00:00")
    copy["maintext"] += "\n\nThis article first appeared on Harbour Post."
    (folder / "islandnews.json").write_text(json.dumps(copy), encoding="utf-8")
    settings = Settings(db=str(folder / "drills.db"), workers=1)
    with Store(settings.db) as store:
        run = run_stages([str(folder)], store, settings)
        (sid,) = [r[0] for r in store.conn.execute("SELECT id FROM stories WHERE status = 'active'")]
        yield store, sid, run


def _by_slot(record: dict) -> dict[str, dict]:
    return {f["slot"]: f for f in record["facts"]}


def _articles_by_outlet(record: dict) -> dict[str, str]:
    return {a["outlet"]: a["id"] for a in record["articles"]}


def test_the_record_keeps_to_the_contract(drills) -> None:  # type: ignore[no-untyped-def]
    store, sid, _ = drills
    record = crosscheck_story(store, sid)
    assert list(record)[:7] == ["id", "title", "articles", "event", "facts", "quotes", "checks"]
    assert set(record["event"]) == {"type", "when", "where", "killed", "injured"}  # contract + event.v1
    assert set(record["event"]["when"]) == {"start", "end", "sources"} and set(record["event"]["type"]) >= {"cameo", "label"}
    texts = {a["id"]: (store.get_article(a["id"]).text, store.get_article(a["id"]).title) for a in record["articles"]}
    for a in record["articles"]:
        assert {"id", "title", "outlet", "url", "authors", "published", "published_source", "removed"} <= set(a)
    for f in record["facts"]:
        assert {"id", "kind", "about", "value", "text", "status", "independent_sources", "sources"} <= set(f)
        assert f["status"] in ("corroborated", "single_source", "conflict") and f["sources"]
        for s in f["sources"]:
            text, title = texts[s["article"]]
            assert s.get("in") in (None, "title")  # README, Contract extensions
            assert (title if s.get("in") == "title" else text)[s["start"]:s["end"]] == s["text"]
    for q in record["quotes"]:
        assert {"speaker", "speaker_title", "text", "sources"} <= set(q) and q["sources"]
    ids = {f["id"] for f in record["facts"]}
    for c in record["checks"]:
        assert c["kind"] in ("cross_source", "internal", "reference")
        assert c["verdict"] in ("consistent", "inconsistent") and set(c["facts"]) <= ids
    assert all(u["verdict"] == "unverifiable" for u in record["unverified"])
    json.dumps(record)  # plain JSON all through


def test_the_reports_are_cross_checked(drills) -> None:  # type: ignore[no-untyped-def]
    store, sid, _ = drills
    record = crosscheck_story(store, sid)
    facts = _by_slot(record)
    outlets = _articles_by_outlet(record)
    start, end, place = facts["date:event.start"], facts["date:event.end"], facts["place:event.where"]
    assert (start["value"], start["status"], start["independent_sources"]) == ("2025-05-12", "corroborated", 2)
    assert (end["value"], end["status"]) == ("2025-05-23", "corroborated")
    assert place["value"]["geonameid"] == 260114 and place["status"] == "corroborated"
    when = record["event"]["when"]
    assert (when["start"], when["end"]) == ("2025-05-12", "2025-05-23") and len(when["sources"]) == 2
    # the syndicated copy counts with its original: three articles, two independent sources
    sailors = facts["count:sailor"]
    assert sailors["status"] == "corroborated" and sailors["independent_sources"] == 2
    assert len({s["article"] for s in sailors["sources"]}) == 3
    # the quote, split and respelled, matched across the two outlets
    (quote,) = [q for q in record["quotes"] if q["speaker"] == "Nikos Petrakis"]
    assert quote["independent_sources"] == 2 and {s["article"] for s in quote["sources"]} >= {
        outlets["harbourpost.example"], outlets["wiredesk.example"]}
    first = facts["claim:event.first"]
    assert first["status"] == "conflict" and {v["value"] for v in first["values"]} == {"first", "not_first"}
    # one article gives a minister two offices
    internal_checks = [c for c in record["checks"] if c["kind"] == "internal" and c["verdict"] == "inconsistent"]
    assert any("Lambrou" in c["detail"] for c in internal_checks)
    # the matrix: one column per outlet, the copy's outlet agreeing with its original
    row = next(r for r in record["matrix"]["rows"] if r["fact"] == start["id"])
    assert row["cells"] == {"harbourpost.example": "agrees", "wiredesk.example": "agrees",
                            "islandnews.example": "agrees"}


def test_the_inferred_publication_day_is_stored_with_its_evidence(drills) -> None:  # type: ignore[no-untyped-def]
    store, sid, _ = drills
    record = crosscheck_story(store, sid)
    wiredesk = _articles_by_outlet(record)["wiredesk.example"]
    article = store.get_article(wiredesk)  # the article itself is never written after ingest
    assert (article.published, article.published_source) == (None, None)
    published = store.published_of([wiredesk])[wiredesk]  # the view gives the inferred day
    assert (published["published"], published["published_source"]) == ("2025-05-13", "inferred")
    (inferred,) = record["published_inferred"]
    assert inferred["article"] == wiredesk and inferred["value"] == "2025-05-13"
    row = store.conn.execute("SELECT * FROM published_inferences WHERE article_id = ?", (wiredesk,)).fetchone()
    evidence = json.loads(row["evidence"])
    assert row["stored"] == 1 and row["previous"] is None and any(e.get("text") == "yesterday" for e in evidence)
    again = crosscheck_story(store, sid)  # idempotent: the same day, the same evidence
    assert again["published_inferred"] == record["published_inferred"]


def test_changed_stories_are_recomputed_and_cached(drills) -> None:  # type: ignore[no-untyped-def]
    store, sid, run = drills
    assert run.crosscheck is not None and run.crosscheck.computed == 1
    again = crosscheck_changed(store)  # nothing changed since the run cached it
    assert (again.stories, again.computed, again.unchanged, again.failed) == (1, 0, 1, [])
    cached = cached_briefing(store, sid)
    assert cached is not None and cached["id"] == sid and cached["facts"]
    with store.transaction() as c:
        c.execute("UPDATE analyses SET analyzed_at = '2099-01-01T00:00:00+00:00' WHERE article_id = "
                  "(SELECT article_id FROM story_articles WHERE story_id = ? LIMIT 1)", (sid,))
    assert cached_briefing(store, sid) is None
    assert crosscheck_changed(store).computed == 1


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from crosswire.demo import corpus_path
    from crosswire.run import run_stages

    folder = tmp_path_factory.mktemp("demo")
    settings = Settings(db=str(folder / "demo.db"), workers=1)
    with Store(settings.db) as store:
        run_stages([str(corpus_path())], store, settings)
        records = [crosscheck_story(store, r[0]) for r in store.conn.execute(
            "SELECT id FROM stories WHERE status = 'active' ORDER BY id").fetchall()]
        yield store, records


def _story(records: list[dict], word: str) -> dict:
    (r,) = [r for r in records if word in r["title"]]
    return r


def test_the_demo_conflicts_are_found_and_its_agreements_kept(demo) -> None:  # type: ignore[no-untyped-def]
    store, records = demo
    gdansk, rotterdam = _story(records, "Gda"), _story(records, "Rotterdam")
    g = _by_slot(gdansk)
    injured = g["count:injured"]
    assert injured["status"] == "conflict"
    assert [v["value"]["value"] for v in injured["values"]] == [12, 15]
    assert injured["values"][1]["outlets"] == ["Northwire"]
    time = g["time:event.time"]
    assert time["status"] == "conflict" and [v["value"] for v in time["values"]] == ["06:40", "07:40"]
    distance = next(f for k, f in g.items() if k.startswith("distance:") and "kaliningrad" in k)
    assert distance["status"] == "conflict"
    assert g["count:killed"]["status"] == "corroborated" and g["count:killed"]["value"]["value"] == 3
    assert g["place:event.where"]["value"]["geonameid"] == 3099434
    # the syndicated copy does not add a source: the wire agency and its copy count once
    killed_keys = {v["outlets"][0] for v in g["count:killed"]["values"]}
    assert g["count:killed"]["independent_sources"] < len({s["article"] for s in g["count:killed"]["sources"]})
    assert killed_keys
    # the worker's words, given to one outlet and cited by another, are one source
    (shook,) = [q for q in gdansk["quotes"] if "earthquake" in q["text"]]
    assert shook["independent_sources"] == 1 and len({s["article"] for s in shook["sources"]}) == 2
    r = _by_slot(rotterdam)
    for slot in ("count:killed", "count:injured", "date:event.start", "place:event.where", "time:event.time"):
        assert r[slot]["status"] == "corroborated", slot
    assert (r["count:killed"]["value"]["value"], r["count:injured"]["value"]["value"]) == (2, 7)
    assert not [f for f in rotterdam["facts"] if f["status"] == "conflict"]


def test_the_demo_article_without_a_date_stays_undated(demo) -> None:  # type: ignore[no-untyped-def]
    store, records = demo
    gdansk = _story(records, "Gda")
    undated = [a for a in gdansk["articles"] if a["published"] is None]
    assert len(undated) == 1  # its "Tuesday" only says the week after: a range, not stored
    (inferred,) = [p for p in gdansk["published_inferred"] if p["article"] == undated[0]["id"]]
    assert inferred["precision"] == "range" and inferred["low"] == "2025-03-11"


# ---------------------------------------------------------------- false conflicts a careful reader would not sign
def _place(name: str, feature: str, admin1: str | None, geonameid=None, lat=None, lon=None, country="US") -> dict:
    return {"name": name, "geonameid": geonameid, "country": country, "lat": lat, "lon": lon, "feature": feature,
            "admin1": admin1}


def test_a_town_and_its_county_or_state_are_no_conflict() -> None:
    milwaukee = _place("Milwaukee", "city", "WI", 5263045, 43.0389, -87.9065)
    county = _place("Milwaukee County", "admin2", "WI")
    knox = _place("Knox County", "admin2", "IL")  # read in another state: Tennessee has a Knox County too
    knoxville = _place("Knoxville", "city", "TN", 4634946, 35.96064, -83.92074)
    state = _place("Wisconsin", "admin1", "WI", 5279468, 44.5, -89.5)
    assert align.merge_place(milwaukee, county) == milwaukee
    assert align.merge_place(county, state) == county
    assert align.merge_place(knoxville, knox) == knoxville
    far = _place("Madison", "city", "WI", 5261457, 43.07305, -89.40123)
    assert align.merge_place(milwaukee, far) is None  # two towns 120 km apart stay a conflict
    assert align.merge_place(_place("Dane County", "admin2", "WI"), _place("Cook County", "admin2", "IL")) is None


def test_one_name_read_as_two_gazetteer_entries_is_no_conflict() -> None:
    uk = _place("Bristol", "city", "ENG", 2654675, 51.45523, -2.59665, country="GB")
    ct = _place("Bristol", "city", "CT", 5282835, 41.67176, -72.94927)
    assert align.merge_place(uk, ct) is not None
    floyd = _place("Floyd County", "admin2", "GA")
    keys = _keys(("a", "one.example"), ("b", "two.example"))
    same = status.assess([_obs("a", floyd), _obs("b", dict(floyd))], align.merge_place, keys)
    assert same.status == "corroborated"


def test_equal_values_after_folding_never_conflict() -> None:
    keys = _keys(("a", "one.example"), ("b", "two.example"))
    never = lambda x, y: None  # noqa: E731 - a merge that agrees with nothing: only equality can join
    got = status.assess([_obs("a", "I can't believe this happened"), _obs("b", "I can’t  believe this happened")],
                        never, keys)
    assert got.status == "corroborated"
    assert status.assess([_obs("a", "first"), _obs("b", "not_first")], never, keys).status == "conflict"


def test_quotes_fold_quote_marks_and_apostrophes() -> None:
    a = _u("a", "Dana Whitfield", "I can't believe this happened to our street")
    b = _u("b", "Dana Whitfield", "I canʼt believe this happened to our street")
    assert quotes.words(a.text) == quotes.words(b.text)
    (cluster,) = quotes.match([a, b])
    assert len(quotes.speaker_groups(cluster)) == 1


def test_an_officer_who_speaks_for_the_police_has_no_title_conflict() -> None:
    assert align.compare_titles("Officer with the LRPD", "spokesman for Little Rock police") != "conflict"
    assert align.compare_titles("Officer", "Chicago Police spokeswoman") != "conflict"
    assert align.compare_titles("Police Chief", "Mayor") == "conflict"  # two different offices still clash


def test_a_clock_time_wraps_at_midnight() -> None:
    assert align.merge_clock((23 * 60 + 52, 23 * 60 + 62), (-5, 5)) is not None
    assert align.merge_clock((10 * 60 + 25, 10 * 60 + 35), (22 * 60 - 5, 22 * 60 + 5)) is None


def test_a_person_reported_dead_is_not_also_counted_injured() -> None:
    ta = "A girl shot herself at a home on Elm Street and died at the hospital, police said."
    tb = "A 14-year-old girl died after shooting herself on Elm Street on Monday."
    facts_a = [_fact("a", ta, "casualties", "injured", {"value": 1, "low": 1, "high": 1}, "A girl shot herself",
                     role="event"),
               _fact("a", ta, "casualties", "killed", {"value": 1, "low": 1, "high": 1}, "died", role="event")]
    facts_b = [_fact("b", tb, "casualties", "killed", {"value": 1, "low": 1, "high": 1}, "died", role="event"),
               _fact("b", tb, "casualties", "injured", {"value": 1, "low": 1, "high": 1}, "shooting herself",
                     role="event")]
    ev = {"killed": 1.0, "injured": 0.0}
    story = [_article("a", "one.example", "2025-05-12", ta, facts_a, event=dict(ev)),
             _article("b", "two.example", "2025-05-12", tb, facts_b, event=dict(ev))]
    slots = {s.key: s for s in align.build_slots(story, pubdates.infer(story))}
    keys = _keys(("a", "one.example"), ("b", "two.example"))
    injured = status.assess(slots["count:injured"].observations, align.merge_interval, keys)
    assert injured.leading.value == (0, 0)  # not "corroborated injured: 1"
    assert all(o.detail.get("as_written") for o in injured.leading.observations)
    killed = status.assess(slots["count:killed"].observations, align.merge_interval, keys)
    assert killed.status == "corroborated" and killed.leading.value == (1, 1)


def test_parts_of_a_toll_are_no_second_count_in_one_article() -> None:
    t = ("Three bodies were found in the house. The two children found dead were 6 and 8. "
         "He killed his wife before turning the gun on himself.")
    facts = [_fact("a", t, "casualties", "killed", {"value": 3, "low": 3, "high": 3}, "Three bodies", role="event"),
             _fact("a", t, "casualties", "killed", {"value": 2, "low": 2, "high": 2}, "two children found dead",
                   role="event"),
             _fact("a", t, "casualties", "killed", {"value": 1, "low": 1, "high": 1}, "killed his wife", role="event")]
    a = _article("a", "x.example", "2025-05-12", t, facts)
    checks = internal.internal_checks([a], {"a": pubdates.infer([a])["a"]})
    assert not [c for c in checks if c["check"] == "counts"]


def test_a_longer_unit_name_is_not_corroborated_by_the_shorter() -> None:
    ta = "The People's Liberation Army Northern Command held drills near the border."
    tb = "The People's Liberation Army held drills near the border."
    org = "People's Liberation Army"
    story = [_article("a", "one.example", "2025-05-12", ta, [
                 _fact("a", ta, "entity", "ORG", org + " Northern Command", org + " Northern Command")]),
             _article("b", "two.example", "2025-05-12", tb, [_fact("b", tb, "entity", "ORG", org, org)])]
    slots = [s for s in align.build_slots(story, pubdates.infer(story)) if s.key.startswith("name:unit:")]
    keys = _keys(("a", "one.example"), ("b", "two.example"))
    got = {s.observations[0].shown: status.assess(s.observations, s.merge, keys).status for s in slots}
    assert got[org + " Northern Command"] == "single_source"
    assert got[org] == "corroborated"  # the command's outlet names the army too


def test_junk_actors_and_empty_values_are_dropped_with_a_reason() -> None:
    from crosswire.crosscheck.story import _drop_empty

    ta = "Someone fired shots at the house, police said."
    a = _article("a", "one.example", "2025-05-12", ta, [], event={"actors": [{"text": "Someone", "start": 0,
                                                                               "end": 7}]})
    slots = align.build_slots([a], pubdates.infer([a]))
    empty = align.Slot("quote:x", "quote", "x", align.merge_equal, observations=[_obs("a", ""), _obs("a", None)])
    dropped: list[dict] = []
    kept = _drop_empty(slots + [empty], dropped)
    assert not [s for s in kept if s.kind == "actor"] and empty not in kept
    assert {d["reason"] for d in dropped} == {"pronoun_actor", "empty_value"}
    assert align.not_actor("herself") == "pronoun_actor" and align.not_actor("blaze") == "common_noun_actor"
    assert align.not_actor("Chinese troops") is None


def test_a_story_of_several_events_warns_with_its_evidence() -> None:
    from crosswire.crosscheck.story import mixed_warnings

    day = lambda d: (d, d, "day")  # noqa: E731
    start = align.Slot("date:event.start", "date", "event.start", align.merge_dates, observations=[
        _obs("a", day(date(2016, 11, 2))), _obs("b", day(date(2016, 11, 22))), _obs("c", day(date(2016, 12, 17)))])
    arts = [{"id": "a", "title": "Shooting on Main", "why": {"decision": "new"}},
            {"id": "b", "title": "Second shooting", "why": {"decision": "joined", "probability": 0.41,
                                                            "clashes": ["event place A vs B"]}},
            {"id": "c", "title": "Third", "why": {"decision": "joined", "probability": 0.97}}]
    (w,) = mixed_warnings([], arts, [start], 0.5)
    assert w["kind"] == "several_events"
    signs = {e["sign"]: e for e in w["evidence"]}
    assert set(signs) == {"event_days_apart", "weak_join"}
    assert "45 days apart" in signs["event_days_apart"]["detail"] and signs["weak_join"]["articles"] == ["b"]
    one = align.Slot("date:event.start", "date", "event.start", align.merge_dates, observations=[
        _obs("a", day(date(2016, 11, 2))), _obs("b", day(date(2016, 11, 3)))])
    assert mixed_warnings([], arts[:1], [one], 0.5) == []


def test_a_count_is_named_as_a_reporter_counts_it() -> None:
    from crosswire.crosscheck.values import about_text

    assert about_text("count", "firefighter") == "number of firefighters"
    assert about_text("count", "storage tank") == "number of storage tanks"
    assert about_text("count", "people") == "number of people"  # already plural
    assert about_text("count", "police") == "number of police"  # collective
    assert about_text("killed", "killed") == "people killed"


def test_a_distance_without_a_figure_says_so() -> None:
    from crosswire.crosscheck.values import reader_text

    # "miles from the Polish border": at least a couple of miles, no number
    vague = {"km": None, "low": 3.218688, "high": None, "qualifier": "vague"}  # as a story fact holds it
    assert reader_text(vague, "distance") == "no figure given (at least 3.2 km)"
    assert reader_text({"km": 65.0, "low": 58.5, "high": 71.5, "qualifier": "about"}, "distance") == "about 65 km"
