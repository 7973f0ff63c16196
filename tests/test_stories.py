"""Stories: reports of one event grouped, look-alike events apart, copies counted once, every
placement explained, corrections recorded and re-applied. Articles and their analyses (the facts
stage's output) are written here into a real SQLite store; one test runs the whole pipeline
(ingest, analyze, group) on the demo corpus shipped in the package."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from crosswire.config import Settings
from crosswire.errors import CrosswireError, UsageError
from crosswire.models import Analysis, Article, Fact
from crosswire.store import Store
from crosswire.stories import (apply_corrections, group_new, list_corrections, list_stories, load_model, merge,
                               regroup, split, story_articles)
from crosswire.stories import index
from crosswire.stories.features import build, load_features
from crosswire.stories.model import FEATURES, JOIN_FEATURES, StoryModel

CITIES = {
    "Leeds": (2644688, 53.79648, -1.54785, "ENG"),
    "Glasgow": (2648579, 55.86515, -4.25763, "SCT"),
    "Manchester": (2643123, 53.48095, -2.23743, "ENG"),
}

# Two look-alike events (a warehouse fire that kills workers, in two cities, three days apart) and
# an unrelated one. Each report is worded by its own outlet.
REPORTS = [
    ("a1", "leedspost.example", "2024-05-02", "Two workers killed in Leeds warehouse fire",
     "Two workers died when fire tore through a furniture warehouse in Leeds early on Thursday, "
     "West Yorkshire Fire and Rescue Service said. Station manager Karen Holloway said crews found "
     "the men on the first floor. The warehouse, owned by Aireside Furnishings, had been inspected "
     "in March. Police have not ruled out arson.",
     "Leeds", "2024-05-02", 2, ["Karen Holloway"], ["West Yorkshire Fire and Rescue Service", "Aireside Furnishings"]),
    ("b1", "northwire.example", "2024-05-05", "Four dead as blaze guts Glasgow depot",
     "Four people were killed when a blaze gutted a storage depot in Glasgow on Sunday, the Scottish "
     "Fire and Rescue Service said. Group commander Iain Mackie said the fire spread quickly through "
     "the roof. The depot belongs to Clydemoor Logistics. An investigation into the cause has begun.",
     "Glasgow", "2024-05-05", 4, ["Iain Mackie"], ["Scottish Fire and Rescue Service", "Clydemoor Logistics"]),
    ("a2", "morningledger.example", "2024-05-02", "Leeds furniture warehouse blaze leaves two dead",
     "A blaze at the Aireside Furnishings warehouse in Leeds killed two employees on Thursday morning. "
     "Karen Holloway of West Yorkshire Fire and Rescue Service said about 60 firefighters fought the "
     "flames. The two men were on the first floor when the fire began. Detectives are treating the "
     "fire as unexplained.",
     "Leeds", "2024-05-02", 2, ["Karen Holloway"], ["Aireside Furnishings", "West Yorkshire Fire and Rescue Service"]),
    ("c1", "sportsdesk.example", "2024-05-03", "Manchester club signs Brazilian striker",
     "Manchester Rovers have signed the Brazilian striker Tiago Moreira on a four-year contract, the "
     "club announced on Friday. Manager Paul Egan said Moreira would add pace to the attack. The fee "
     "was not disclosed but is thought to be a club record.",
     "Manchester", "2024-05-03", None, ["Tiago Moreira", "Paul Egan"], ["Manchester Rovers"]),
    ("b2", "harbourtimes.example", "2024-05-06", "Glasgow depot fire: four victims named",
     "Police have named the four people who died in Sunday's fire at the Clydemoor Logistics depot "
     "in Glasgow. Group commander Iain Mackie of the Scottish Fire and Rescue Service said the roof "
     "had collapsed within minutes. Investigators returned to the site on Monday.",
     "Glasgow", "2024-05-05", 4, ["Iain Mackie"], ["Clydemoor Logistics", "Scottish Fire and Rescue Service"]),
    ("a3", "eurodesk.example", "2024-05-03", "Leeds fire: warehouse had passed inspection",
     "The Leeds furniture warehouse where two workers died in a fire on Thursday had passed a safety "
     "inspection in March, Aireside Furnishings said. West Yorkshire Fire and Rescue Service station "
     "manager Karen Holloway said the cause was still being investigated.",
     "Leeds", "2024-05-02", 2, ["Karen Holloway"], ["Aireside Furnishings", "West Yorkshire Fire and Rescue Service"]),
    ("c2", "matchday.example", "2024-05-04", "Moreira joins Manchester Rovers in record deal",
     "Tiago Moreira has completed his move to Manchester Rovers, signing a four-year deal. Paul Egan "
     "called the Brazilian forward a player of rare pace. Rovers did not reveal the fee.",
     "Manchester", "2024-05-03", None, ["Tiago Moreira", "Paul Egan"], ["Manchester Rovers"]),
    ("b3", "lowlandspost.example", "2024-05-07", "Glasgow blaze: depot owner promises review",
     "Clydemoor Logistics said it would review fire safety at all its sites after four people died "
     "in the blaze at its Glasgow depot on Sunday. Iain Mackie of the Scottish Fire and Rescue "
     "Service said the investigation could take weeks.",
     "Glasgow", "2024-05-05", 4, ["Iain Mackie"], ["Clydemoor Logistics", "Scottish Fire and Rescue Service"]),
]
EVENTS = {"a": {"a1", "a2", "a3"}, "b": {"b1", "b2", "b3"}, "c": {"c1", "c2"}}


def _span(text: str, name: str) -> tuple[int, int]:
    start = text.find(name)
    assert start >= 0, name
    return start, start + len(name)


def _analysis(aid: str, text: str, city: str, day: str, killed: int | None, people: list[str],
              orgs: list[str]) -> Analysis:
    gid, lat, lon, admin1 = CITIES[city]
    place = {"name": city, "geonameid": gid, "country": "GB", "lat": lat, "lon": lon, "feature": "city",
             "admin1": admin1}
    facts = [Fact(aid, "entity", label, name, name, *_span(text, name), "entities.v1")
             for label, names in (("PERSON", people), ("ORG", orgs)) for name in names]
    facts.append(Fact(aid, "place", "event.where", place, city, *_span(text, city), "places.v2", 0.9, "event"))
    event = {"type": {"cameo": "190" if killed else "030", "label": "x", "acled": None},
             "when": {"start": day, "end": day, "precision": "day"},
             "where": [place], "killed": killed, "injured": None}
    return Analysis(aid, "analyzed", facts=facts, event=event)


def _add(store: Store, report: tuple, *, duplicate_of: str | None = None, article_id: str | None = None) -> None:  # type: ignore[type-arg]
    aid, outlet, published, title, text, city, day, killed, people, orgs = report
    aid = article_id or aid
    article = Article(id=aid, title=title, text=text, outlet=outlet, url=f"https://{outlet}/{aid}", authors=[],
                      published=published, published_source="metadata", language="en",
                      ingested_at="2024-05-08T00:00:00+00:00", source=f"test:{aid}", duplicate_of=duplicate_of,
                      similarity=0.95 if duplicate_of else None, text_hash=aid)
    with store.transaction():
        store.insert_article(article, None)
        store.save_analysis(_analysis(aid, text, city, day, killed, people, orgs), "test", None)


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Store(tmp_path / "stories.db") as s:
        for r in REPORTS:
            _add(s, r)
        yield s


def _groups(store: Store) -> list[set[str]]:
    rows = store.conn.execute("SELECT story_id, article_id FROM story_articles").fetchall()
    out: dict[str, set[str]] = {}
    for sid, aid in rows:
        out.setdefault(sid, set()).add(aid)
    return sorted(out.values(), key=min)


def test_reports_of_one_event_share_a_story_and_look_alike_events_stay_apart(store: Store) -> None:
    summary = group_new(store, Settings())
    assert _groups(store) == sorted(EVENTS.values(), key=min)
    assert (summary.placed, summary.joined, summary.new_stories) == (8, 5, 3)
    assert len(summary.stories_changed) == 3


def test_a_new_report_joins_later_and_grouping_is_incremental(store: Store) -> None:
    group_new(store)
    assert group_new(store).placed == 0
    late = ("a4", "westyorks.example", "2024-05-09", "Inquest opens into Leeds warehouse fire deaths",
            "An inquest has opened into the deaths of two workers in the fire at the Aireside Furnishings "
            "warehouse in Leeds. Karen Holloway of West Yorkshire Fire and Rescue Service gave evidence.",
            "Leeds", "2024-05-02", 2, ["Karen Holloway"], ["Aireside Furnishings", "West Yorkshire Fire and Rescue Service"])
    _add(store, late)
    summary = group_new(store)
    assert (summary.placed, summary.joined) == (1, 1)
    assert {"a1", "a2", "a3", "a4"} in _groups(store)


def test_a_copy_joins_its_originals_story_and_counts_once(store: Store) -> None:
    _add(store, REPORTS[0], duplicate_of="a1", article_id="a1-copy")
    summary = group_new(store)
    assert summary.copies == 1
    row = store.conn.execute("SELECT role, method, why FROM story_articles WHERE article_id = 'a1-copy'").fetchone()
    assert (row[0], row[1]) == ("copy", "copy")
    assert json.loads(row[2])["copy_of"] == "a1"
    leeds = next(s for s in list_stories(store) if "Leeds" in s["title"])
    assert (leeds["articles"], leeds["reports"]) == (4, 3)


def test_every_placement_says_why(store: Store) -> None:
    group_new(store)
    sid = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = 'a1'").fetchone()[0]
    arts = story_articles(store, sid)
    assert [a["id"] for a in arts] == ["a1", "a2", "a3"]
    assert arts[0]["why"]["decision"] == "new"
    joined = arts[1]["why"]
    assert joined["decision"] == "joined" and 0.0 <= joined["probability"] <= 1.0
    assert set(joined["similarity"]) == {"body", "title", "names"}
    assert "Leeds" in joined["places"] and "Karen Holloway" in joined["entities"]
    assert joined["dates"] == [] or "2024-05-02" in joined["dates"]
    assert joined["time_gap_days"] == 0 and joined["clashes"] == []
    assert set(arts[0]) >= {"id", "title", "outlet", "url", "authors", "published", "published_source", "removed"}
    # the Glasgow reports were compared with the Leeds story and told apart by their facts
    b1 = json.loads(store.conn.execute("SELECT why FROM story_articles WHERE article_id = 'b1'").fetchone()[0])
    assert b1["decision"] == "new" and b1["candidates"] >= 1
    clashes = " ".join(b1["closest"]["clashes"])
    assert "Glasgow" in clashes and "killed 4" in clashes


def test_a_clash_of_hard_facts_lowers_the_join_probability() -> None:
    from crosswire.stories.model import compare
    from crosswire.stories.state import StoryState
    from crosswire.stories.vectors import DocFreq, count, vectorise

    def feats(r: tuple) -> object:  # type: ignore[type-arg]
        a = _analysis(r[0], r[4], r[5], r[6], r[7], r[8], r[9])
        return build({"id": r[0], "title": r[3], "text": r[4], "published": r[2]}, a.event,
                     [{"kind": f.kind, "about": f.about, "value": f.value, "detail": f.detail} for f in a.facts])

    a1, a2 = feats(REPORTS[0]), feats(REPORTS[2])
    # the same report, but of a fire in Glasgow three days later with four dead
    text = REPORTS[2][4].replace("Leeds", "Glasgow").replace("two", "four").replace("Thursday", "Sunday")
    other = REPORTS[2][:3] + (REPORTS[2][3].replace("Leeds", "Glasgow"), text, "Glasgow", "2024-05-05", 4) + REPORTS[2][8:]
    a2_elsewhere = feats(other)
    fs = [a1, a2, a2_elsewhere]
    counts = count([f.title for f in fs], [f.body for f in fs], [f.entities for f in fs])  # type: ignore[attr-defined]
    df = DocFreq()
    df.add(counts)
    story = StoryState("s")
    story.add(a1, vectorise(counts, 0), df)  # type: ignore[arg-type]
    model = load_model()
    same, _ = compare(a2, vectorise(counts, 1), story, df)  # type: ignore[arg-type]
    clash, why = compare(a2_elsewhere, vectorise(counts, 2), story, df)  # type: ignore[arg-type]
    assert model.join_probability(model.score(same), None, same) >= model.threshold
    assert model.join_probability(model.score(clash), None, clash) < model.threshold
    assert model.score(clash) < model.score(same)
    assert len(why["clashes"]) >= 3  # place, day, killed


# Two look-alike arrests (two players of one club, months apart), reported in the same words; the
# club's name and the charge are shared, the person and the year are not.
ARREST = ("Leeds Harriers winger {who} was arrested on suspicion of drink-driving in Leeds on {day}, "
          "West Yorkshire Police said. {who} was stopped on the ring road and released on bail. The club said "
          "it was aware of the arrest of {short} and would make no further comment.")


def _arrest(aid: str, who: str, day: str, *years: str):  # type: ignore[no-untyped-def]
    short = who.split()[-1]
    text = ARREST.format(who=who, short=short, day=day)
    a = _analysis(aid, text, "Leeds", day, None, [who, short], ["Leeds Harriers", "West Yorkshire Police"])
    facts = [{"kind": f.kind, "about": f.about, "value": f.value, "detail": f.detail} for f in a.facts]
    facts += [{"kind": "date", "about": "date", "value": {"value": y, "precision": "day"}, "detail": {}} for y in years]
    return build({"id": aid, "title": f"Harriers winger {short} arrested", "text": text, "published": None},
                 {**a.event, "when": {}}, facts)


def test_a_report_about_another_person_or_of_another_year_is_told_apart() -> None:
    from crosswire.stories.model import compare
    from crosswire.stories.state import StoryState
    from crosswire.stories.vectors import DocFreq, count, vectorise

    first = _arrest("x1", "Dale Brennan", "2009-10-12", "2009-10-12")
    same = _arrest("x2", "Dale Brennan", "2009-10-12", "2009-10-12")
    other_person = _arrest("x3", "Marcus Tolliver", "2009-10-12", "2009-10-12")
    other_year = _arrest("x4", "Dale Brennan", "2011-03-02", "2009-10-12", "2011-03-02")
    assert first.people == ("brennan",) and first.latest_year == 2009 and first.day is None
    fs = [first, same, other_person, other_year]
    counts = count([f.title for f in fs], [f.body for f in fs], [f.entities for f in fs])
    df = DocFreq()
    df.add(counts)
    story = StoryState("s")
    story.add(first, vectorise(counts, 0), df)
    model = load_model()
    x = {}
    for n, f in enumerate(fs[1:], 1):
        vec, why = compare(f, vectorise(counts, n), story, df)
        x[f.id] = (dict(zip(FEATURES, vec)), " ".join(why["clashes"]), model.score(vec))
    assert x["x2"][0]["person_same"] > 0 and x["x2"][1] == ""
    assert x["x3"][0]["person_clash"] == 1.0 and "tolliver" in x["x3"][1] and "brennan" in x["x3"][1]
    assert x["x4"][0]["latest_year_clash"] == 1.0 and x["x4"][0]["year_clash"] == 0.0 and "2011" in x["x4"][1]
    assert x["x3"][2] < x["x2"][2] and x["x4"][2] < x["x2"][2]  # the model weighs both clashes against joining
    # an undated report's gap is measured from the latest day its own text names
    assert compare(other_year, vectorise(counts, 3), story, df)[1]["day_inferred"] == "2011-03-02"


def test_merge_and_split_are_recorded_and_survive_regrouping(store: Store) -> None:
    group_new(store)
    leeds = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = 'a1'").fetchone()[0]
    glasgow = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = 'b1'").fetchone()[0]
    assert merge(store, leeds, glasgow[:8]) == leeds
    assert {"a1", "a2", "a3", "b1", "b2", "b3"} in _groups(store)
    assert [s["id"] for s in list_stories(store)].count(glasgow) == 0
    new = split(store, leeds, ["b2", "b3"])
    assert {"b2", "b3"} in _groups(store) and {"a1", "a2", "a3", "b1"} in _groups(store)
    assert [c["kind"] for c in list_corrections(store)] == ["merge", "split"]
    before = _groups(store)
    # a later analysis run rewrites the facts of some articles: their places in stories stay
    with store.transaction():
        for r in (REPORTS[1], REPORTS[4]):
            store.save_analysis(_analysis(r[0], r[4], r[5], r[6], r[7], r[8], r[9]), "test.v2", None)
    assert group_new(store).placed == 0 and _groups(store) == before
    regroup(store)
    assert _groups(store) == before
    assert apply_corrections(store) == 0  # already reflected: nothing to do
    moved = json.loads(store.conn.execute("SELECT why FROM story_articles WHERE article_id = 'b2'").fetchone()[0])
    assert [c["kind"] for c in moved["corrections"]][-1] == "split"
    assert new in {s["id"] for s in list_stories(store)} and len(list_stories(store)) == 3


def test_corrections_refuse_what_makes_no_sense(store: Store) -> None:
    group_new(store)
    leeds = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = 'a1'").fetchone()[0]
    with pytest.raises(UsageError, match="already one story"):
        merge(store, leeds, leeds)
    with pytest.raises(UsageError, match="not in story"):
        split(store, leeds, ["b1"])
    with pytest.raises(UsageError, match="nothing would be left"):
        split(store, leeds, ["a1", "a2", "a3"])
    with pytest.raises(UsageError, match="no story"):
        merge(store, "nope", leeds)


def test_articles_the_facts_stage_skipped_are_reported_not_dropped(store: Store) -> None:
    group_new(store)
    article = Article(id="nl1", title="Brand in magazijn", text="Twee doden bij brand in een magazijn.", outlet=None,
                      url=None, authors=[], published="2024-05-02", published_source="metadata", language="nl",
                      ingested_at="2024-05-08T00:00:00+00:00", source="test:nl1", text_hash="nl1")
    with store.transaction():
        store.insert_article(article, None)
        store.save_analysis(Analysis("nl1", "skipped", "not_english", "language is 'nl'"), "test", None)
    # a run with nothing to vectorise (only a skipped article) reports it and does not crash
    summary = group_new(store)
    assert (summary.placed, summary.not_placed) == (0, [{"article": "nl1", "reason": "not_english",
                                                         "detail": "language is 'nl'"}])
    # a run reads only the analyses written since the previous one: nothing new, nothing to say
    assert group_new(store).not_placed == []
    # nor does a run with only a copy to place
    _add(store, REPORTS[1], duplicate_of="b1", article_id="b1-copy")
    again = group_new(store)
    assert (again.placed, again.copies, again.new_stories) == (1, 1, 0)


def test_candidate_search_looks_only_inside_the_time_window(store: Store) -> None:
    group_new(store)
    f = load_features(store.conn, ["a2"])["a2"]
    from crosswire.stories.vectors import DocFreq, count, vectorise

    counts = count([f.title], [f.body], [f.entities])
    df = DocFreq()
    df.add(counts)
    keys = index.article_keys(f, vectorise(counts, 0), df)
    leeds = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = 'a1'").fetchone()[0]
    near = [s for s, _ in index.candidates(store.conn, keys, f.day, 30, 10)]
    assert near[0] == leeds
    far = index.candidates(store.conn, keys, (f.day or 0) + 400, 30, 10)
    assert far == []
    undated = [s for s, _ in index.candidates(store.conn, keys, None, 30, 10)]
    assert leeds in undated
    plan = " ".join(r[-1] for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT story_id FROM story_keys WHERE key = ? AND day BETWEEN ? AND ? "
        "ORDER BY day DESC LIMIT 40", (1, 0, 10)))
    assert "USING PRIMARY KEY" in plan or "USING INDEX" in plan


def test_the_shipped_model_matches_the_features_and_a_stale_one_is_refused(tmp_path: Path) -> None:
    model = load_model()
    assert len(model.coef) == len(FEATURES) and len(model.join_coef) == len(JOIN_FEATURES)
    assert 0.0 < model.threshold < 1.0 and model.related <= model.threshold
    assert model.version.startswith("stories-v")
    d = model.to_dict()
    d["features"] = d["features"][:-1]
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(CrosswireError, match="other features"):
        load_model(stale)
    assert StoryModel.from_dict(model.to_dict()).threshold == model.threshold


def test_a_story_joins_nothing_when_the_model_says_no(store: Store) -> None:
    never = replace(load_model(), threshold=1.01, related=1.01)
    summary = group_new(store, model=never)
    assert summary.new_stories == 8 and summary.joined == 0


def test_the_demo_corpus_groups_into_its_two_events(tmp_path: Path) -> None:
    from crosswire.extract.analyze import analyze
    from crosswire.demo import corpus_path
    from crosswire.ingest.pipeline import ingest

    settings = Settings(db=str(tmp_path / "demo.db"), workers=1)
    with Store(settings.db) as s:
        ingest([str(corpus_path())], s, settings)
        analyze(s, settings)
        summary = group_new(s, settings)
        stories = list_stories(s)
        events = [{_demo_event(a["title"]) for a in story_articles(s, st["id"])} for st in stories]
    assert sorted(map(sorted, events)) == [["Gdansk"], ["Rotterdam"]]
    # the Dutch and Polish reports are read and join their events (issue 15): 6 and 8 articles
    assert summary.copies == 1 and sorted(st["articles"] for st in stories) == [6, 8]


def _demo_event(title: str) -> str:
    if any(w in title for w in ("Gdańsk", "Poland", "Polish")):
        return "Gdansk"
    if any(w in title for w in ("Rotterdam", "Botlek")):
        return "Rotterdam"
    return title


def test_a_story_state_stored_before_the_people_and_year_fields_still_loads(store: Store) -> None:
    from crosswire.stories.state import StoryState

    group_new(store)
    sid, state, blob = store.conn.execute(
        "SELECT s.id, s.state, s.vectors FROM stories s JOIN story_articles a ON a.story_id = s.id "
        "WHERE a.article_id = 'a1'").fetchone()
    old = {k: v for k, v in json.loads(state).items() if k not in ("people", "latest_years")}
    s = StoryState.load(sid, json.dumps(old), blob)
    assert s.n == 3 and not s.people and not s.latest_years and s.places


def _story_of(store: Store, article_id: str) -> str:
    return store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()[0]


def test_consolidation_splits_a_story_that_took_in_another_event(store: Store) -> None:
    # every article joins its best candidate (even one of another event: the cap is above 0)
    always = replace(load_model(), threshold=0.0, related=1e-9)
    summary = group_new(store, model=always)
    assert _groups(store) == sorted(EVENTS.values(), key=min)
    assert summary.split >= 1 and summary.moved >= 3
    split_off = next(aid for aid in ("a1", "b1") if json.loads(store.conn.execute(
        "SELECT why FROM story_articles WHERE article_id = ?", (aid,)).fetchone()[0]).get("consolidation"))
    note = json.loads(store.conn.execute("SELECT why FROM story_articles WHERE article_id = ?",
                                         (split_off,)).fetchone()[0])["consolidation"][0]
    assert note["kind"] == "split" and note["similarity_to_rest"] < note["threshold"]
    assert _story_of(store, "a1") != _story_of(store, "b1")
    assert store.conn.execute("SELECT status FROM stories WHERE id = ?", (note["from"],)).fetchone()[0] == "active"
    link = store.conn.execute("SELECT why FROM story_links WHERE story_id = ? AND related_id = ?",
                              (_story_of(store, split_off), note["from"])).fetchone()
    assert link is not None and json.loads(link[0])["reason"].startswith("split off by consolidation")
    assert set(summary.stories_changed) == {_story_of(store, a) for a in ("a1", "b1", "c1")}


def test_consolidation_merges_stories_of_one_event_and_the_id_stays_with_the_bigger(store: Store) -> None:
    never = replace(load_model(), threshold=1.01, related=1.01)  # every article starts a story
    summary = group_new(store, model=never)
    assert summary.merged >= 1
    merged = store.conn.execute("SELECT id, merged_into FROM stories WHERE status = 'merged'").fetchall()
    for gone, into in merged:
        assert store.conn.execute("SELECT count(*) FROM story_articles WHERE story_id = ?", (gone,)).fetchone()[0] == 0
        assert store.conn.execute("SELECT status FROM stories WHERE id = ?", (into,)).fetchone()[0] == "active"
    for group in _groups(store):  # a merge never mixes the events
        assert any(group <= ids for ids in EVENTS.values()), group
    assert len(_groups(store)) < 8
    assert not set(summary.stories_changed) & {gone for gone, _ in merged}


def test_consolidation_never_undoes_a_readers_correction(store: Store) -> None:
    group_new(store)
    leeds, glasgow = _story_of(store, "a1"), _story_of(store, "b1")
    merge(store, leeds, glasgow)  # by hand: two events a reader wants as one story
    late = ("a4", "westyorks.example", "2024-05-09", "Inquest opens into Leeds warehouse fire deaths",
            "An inquest has opened into the deaths of two workers in the fire at the Aireside Furnishings "
            "warehouse in Leeds. Karen Holloway of West Yorkshire Fire and Rescue Service gave evidence.",
            "Leeds", "2024-05-02", 2, ["Karen Holloway"], ["Aireside Furnishings", "West Yorkshire Fire and Rescue Service"])
    _add(store, late)
    always = replace(load_model(), threshold=0.0, related=1e-9)
    summary = group_new(store, model=always)
    assert summary.split == 0 and summary.merged == 0
    assert {_story_of(store, a) for a in ("a1", "a2", "a3", "b1", "b2", "b3")} == {leeds}


def test_a_related_story_says_whether_it_is_a_follow_up_and_why() -> None:
    from crosswire.stories.group import relation

    later = relation({"probability": 0.3, "time_gap_days": 21, "places": ["Leeds"], "entities": ["Karen Holloway"],
                      "clashes": ["event day 2024-05-23 is 21 days from the story's"]})
    assert later["kind"] == "follow-up" and later["reason"].startswith("a later event 21 days after")
    assert "Leeds" in later["reason"] and "Karen Holloway" in later["reason"] and later["probability"] == 0.3
    close = relation({"probability": 0.3, "time_gap_days": 0, "places": ["Leeds"], "entities": [],
                      "clashes": ["killed 4 vs 2"]})
    assert close["kind"] == "close" and "killed 4 vs 2" in close["reason"]
    assert relation({"probability": 0.2, "time_gap_days": None})["kind"] == "close"


def test_a_later_event_at_the_same_place_is_linked_as_a_follow_up_not_merged(store: Store) -> None:
    group_new(store)
    second = ("a9", "leedspost.example", "2024-05-27", "Second fire at Leeds furniture warehouse",
              "Fire broke out again at the Aireside Furnishings warehouse in Leeds on Monday, three weeks after "
              "two workers died there. West Yorkshire Fire and Rescue Service station manager Karen Holloway "
              "said nobody was hurt this time and the cause was being investigated.",
              "Leeds", "2024-05-27", 0, ["Karen Holloway"], ["Aireside Furnishings", "West Yorkshire Fire and Rescue Service"])
    _add(store, second)
    summary = group_new(store)
    assert summary.related == 1 and _story_of(store, "a9") != _story_of(store, "a1")
    why = json.loads(store.conn.execute("SELECT why FROM story_links WHERE story_id = ? AND related_id = ?",
                                        (_story_of(store, "a9"), _story_of(store, "a1"))).fetchone()[0])
    assert why["kind"] == "follow-up" and "Leeds" in why["reason"], why


def test_an_undated_article_is_looked_up_around_the_day_its_text_names(store: Store) -> None:
    group_new(store)
    text = ("An inquest into the Leeds warehouse fire that killed two workers at Aireside Furnishings opened on "
            "20 November 2024. Karen Holloway of West Yorkshire Fire and Rescue Service gave evidence.")
    article = Article(id="u1", title="Inquest opens into Leeds warehouse fire", text=text, outlet="undated.example",
                      url="https://undated.example/u1", authors=[], published=None, published_source=None,
                      language="en", ingested_at="2024-12-01T00:00:00+00:00", source="test:u1", text_hash="u1")
    analysis = _analysis("u1", text, "Leeds", "2024-11-20", 2, ["Karen Holloway"], ["Aireside Furnishings"])
    analysis.facts.append(Fact("u1", "date", "event.when", {"value": "2024-11-20", "precision": "day"},
                               "20 November 2024", *_span(text, "20 November 2024"), "dates.v1"))
    with store.transaction():
        store.insert_article(article, None)
        store.save_analysis(analysis, "test", None)
    group_new(store)
    why = json.loads(store.conn.execute("SELECT why FROM story_articles WHERE article_id = 'u1'").fetchone()[0])
    # the Leeds story's reports are from May: 200 days from the day the text names, out of the window
    assert why["decision"] == "new" and why["candidates"] == 0, why
    assert _story_of(store, "u1") != _story_of(store, "a1")


def test_an_undated_articles_dates_completed_from_no_day_of_its_own_are_not_its_years() -> None:
    facts = [{"kind": "date", "about": "time", "value": {"value": "2031-07-30", "precision": "day", "anchored": True},
              "detail": {}},
             {"kind": "date", "about": "time", "value": {"value": "2008-12-16", "precision": "day", "anchored": False},
              "detail": {}}]
    undated = build({"id": "u", "title": "t", "text": "x", "published": None}, None, facts)
    assert (undated.years, undated.latest_year, undated.days) == ({2008}, 2008, {date(2008, 12, 16).toordinal()})
    dated = build({"id": "d", "title": "t", "text": "x", "published": "2031-08-01"}, None, facts)
    assert dated.years == {2008, 2031} and dated.latest_year == 2031


def test_a_day_the_cross_check_inferred_from_the_story_is_not_what_regrouping_goes_by(store: Store) -> None:
    text = "Karen Holloway of West Yorkshire Fire and Rescue Service said the Leeds warehouse inquiry went on."
    article = Article(id="u2", title="Leeds warehouse inquiry goes on", text=text, outlet="undated.example",
                      url="https://undated.example/u2", authors=[], published=None, published_source=None,
                      language="en", ingested_at="2024-05-08T00:00:00+00:00", source="test:u2", text_hash="u2")
    with store.transaction():
        store.insert_article(article, None)
        store.save_analysis(_analysis("u2", text, "Leeds", "2024-05-02", None, ["Karen Holloway"], []), "test", None)
    group_new(store)
    first = _groups(store)
    with store.transaction() as c:  # as crosscheck.pubdates.save records a day read off the story
        c.execute("INSERT INTO published_inferences(article_id, story_id, value, low, high, precision, stored, "
                  "computed_at) VALUES ('u2', ?, '2024-09-30', '2024-09-30', '2024-09-30', 'day', 1, '2024-10-01')",
                  (_story_of(store, "u2"),))
    assert store.published_of(["u2"])["u2"]["published_source"] == "inferred"  # what readers see
    assert load_features(store.conn, ["u2"])["u2"].day is None  # what grouping goes by
    regroup(store)
    assert _groups(store) == first
