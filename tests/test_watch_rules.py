"""Alert rules on cross-checked story records (the shape of ``crosswire show --format json``), and the
SOURCES.toml / RULES.toml readers: each key, the digests that keep an alert from repeating, clear errors."""

from __future__ import annotations

import copy

import pytest

from crosswire.errors import ConfigError
from crosswire.watch.config import Rule, load_rules, load_sources, parse_duration
from crosswire.watch.rules import alert_line, evaluate, snapshot


def record(where: list[dict], cameo: str | None = "150", facts: list[dict] | None = None) -> dict:
    place_facts = [{"id": f"place-{p['name']}", "kind": "place", "about": "event.where", "value": dict(p),
                    "text": p["name"], "status": "corroborated", "independent_sources": 2,
                    "sources": [{"article": "art-1", "start": 0, "end": 5, "text": p["name"]}]} for p in where]
    return {
        "id": "story-1", "title": "Troops hold exercises in the west",
        "articles": [{"id": "art-1", "outlet": "Eastern Desk"}, {"id": "art-2", "outlet": "Vistula Times"}],
        "event": {"type": {"cameo": cameo, "label": "Demonstrate military or police power"}, "where": where},
        "facts": place_facts + (facts or []),
        "matrix": {"outlets": [{"outlet": "Eastern Desk", "sources": ["outlet:eastern desk"]},
                               {"outlet": "Vistula Times", "sources": ["outlet:vistula times"]},
                               {"outlet": "Copy Daily", "sources": ["outlet:eastern desk"]}]},
    }


HRODNA = {"name": "Hrodna", "geonameid": 627904, "country": "BY", "lat": 53.6758, "lon": 23.82887}
MINSK = {"name": "Minsk", "geonameid": 625144, "country": "BY", "lat": 53.9, "lon": 27.56667}
NO_LANGUAGES = lambda ids: set()  # noqa: E731


def count(about: str, value: float, status: str, fid: str) -> dict:
    return {"id": fid, "kind": "count", "about": about, "value": {"value": value, "low": value, "high": value},
            "text": f"{value:g} {about}s", "status": status, "independent_sources": 1,
            "sources": [{"article": "art-2", "start": 10, "end": 20, "text": f"{value:g} {about}s"}]}


def test_near_border_uses_the_natural_earth_shapes():
    rule = Rule("near PL", near_border=("PL", 50.0), cameo=("15",))
    match = evaluate(rule, record([HRODNA]), None, NO_LANGUAGES)
    assert match is not None and "Hrodna (BY) is 17 km from the border of PL" in "; ".join(match.reasons)
    assert match.facts == ["place-Hrodna"]
    assert evaluate(rule, record([MINSK]), None, NO_LANGUAGES) is None  # ~ 300 km away
    assert evaluate(Rule("near PL", near_border=("PL", 400.0)), record([MINSK]), None, NO_LANGUAGES) is not None
    assert evaluate(rule, record([HRODNA], cameo="190"), None, NO_LANGUAGES) is None  # not a show of force
    assert evaluate(rule, record([HRODNA], cameo=None), None, NO_LANGUAGES) is None
    unplaced = dict(HRODNA, lat=None, lon=None)
    assert evaluate(rule, record([unplaced]), None, NO_LANGUAGES) is None


def test_a_place_only_one_source_gives_the_event_counts_too():
    rec = record([MINSK])
    rec["facts"].append({"id": "place-Hrodna", "kind": "place", "about": "event.where", "value": dict(HRODNA),
                         "text": "Hrodna", "status": "single_source", "independent_sources": 1,
                         "sources": [{"article": "art-2", "start": 0, "end": 6, "text": "Hrodna"}]})
    match = evaluate(Rule("near PL", near_border=("PL", 50.0)), rec, None, NO_LANGUAGES)
    assert match is not None and match.facts == ["place-Hrodna"] and "Hrodna (BY)" in match.reasons[0]


def test_place_keys_countries_geonameid_and_within():
    rec = record([HRODNA, MINSK])
    assert evaluate(Rule("by", countries=("BY",)), rec, None, NO_LANGUAGES).facts == ["place-Hrodna", "place-Minsk"]
    assert evaluate(Rule("pl", countries=("PL",)), rec, None, NO_LANGUAGES) is None
    assert evaluate(Rule("g", geonameid=(625144,)), rec, None, NO_LANGUAGES).facts == ["place-Minsk"]
    near_minsk = evaluate(Rule("w", within=(53.93, 27.6, 10.0)), rec, None, NO_LANGUAGES)
    assert near_minsk is not None and near_minsk.facts == ["place-Minsk"]
    assert evaluate(Rule("w", within=(52.23, 21.01, 50.0)), rec, None, NO_LANGUAGES) is None  # Warsaw


def test_keywords_actors_language_and_independent_sources():
    actor = {"id": "actor-1", "kind": "actor", "about": "event.actor", "value": "Belarus", "text": "Belarus",
             "status": "single_source", "independent_sources": 1, "sources": []}
    rec = record([HRODNA], facts=[actor])
    texts = lambda ids: [("art-2", "Tanks crossed the river during the manoeuvres.")]  # noqa: E731
    kw = evaluate(Rule("kw", keywords=("exercise",)), rec, None, NO_LANGUAGES)
    assert kw is not None and "'exercise'" in kw.reasons[0]  # "exercises" in the title: a word start
    assert evaluate(Rule("kw", keywords=("cise",)), rec, None, NO_LANGUAGES) is None  # not inside a word
    in_text = evaluate(Rule("kw", keywords=("manoeuvre",)), rec, None, NO_LANGUAGES, texts)
    assert in_text is not None and in_text.articles == ["art-2"]
    assert alert_line(Rule("kw", keywords=("manoeuvre",)), rec, in_text)[1]["articles"] == ["art-2"]
    assert evaluate(Rule("a", actors=("belarus",)), rec, None, NO_LANGUAGES).facts == ["actor-1"]
    assert evaluate(Rule("a", actors=("russia",)), rec, None, NO_LANGUAGES) is None
    assert evaluate(Rule("l", language=("en",)), rec, None, lambda ids: {"en"}) is not None
    assert evaluate(Rule("l", language=("de",)), rec, None, lambda ids: {"en"}) is None
    # three outlets, but Copy Daily carries Eastern Desk's report: two independent sources
    assert evaluate(Rule("s", min_independent_sources=2), rec, None, NO_LANGUAGES) is not None
    assert evaluate(Rule("s", min_independent_sources=3), rec, None, NO_LANGUAGES) is None


def test_a_changed_count_and_a_new_conflict_are_told_from_the_last_snapshot():
    before_rec = record([HRODNA], facts=[count("soldier", 3000, "single_source", "c1")])
    after_rec = record([HRODNA], facts=[count("soldier", 3000, "conflict", "c1"),
                                        count("soldier", 5000, "conflict", "c2")])
    changed, conflict = Rule("c", count_changed=True), Rule("n", new_conflict=True)
    assert evaluate(changed, before_rec, None, NO_LANGUAGES) is None  # first sight: nothing changed yet
    assert evaluate(conflict, before_rec, None, NO_LANGUAGES) is None
    before = snapshot(before_rec)
    match = evaluate(changed, after_rec, before, NO_LANGUAGES)
    assert match is not None and match.facts == ["c1", "c2"]
    assert "count of soldier changed from 3000 (single_source) to" in match.reasons[0]
    assert evaluate(changed, after_rec, snapshot(after_rec), NO_LANGUAGES) is None
    new = evaluate(conflict, after_rec, before, NO_LANGUAGES)
    assert new is not None and "count:soldier" in new.reasons[0]
    assert evaluate(conflict, after_rec, snapshot(after_rec), NO_LANGUAGES) is None


def test_acled_types_and_sub_types_come_from_the_story_event_through_the_export_mapping():
    from crosswire.extract.events.cameo import acled_for

    strike = record([HRODNA], cameo="195")  # CAMEO 195: employ aerial weapons
    assert acled_for("195") == ("Explosions/Remote violence", "Air/drone strike")
    by_type = evaluate(Rule("x", acled=("explosions/remote violence",)), strike, None, NO_LANGUAGES)
    assert by_type is not None and by_type.reasons == ["ACLED Explosions/Remote violence / Air/drone strike"]
    assert evaluate(Rule("x", acled=("air/drone strike",)), strike, None, NO_LANGUAGES) is not None
    assert evaluate(Rule("x", acled=("battles", "shelling/artillery/missile attack")), strike, None,
                    NO_LANGUAGES) is None
    assert evaluate(Rule("x", acled=("battles",)), record([HRODNA], cameo="190"), None, NO_LANGUAGES) is not None
    assert evaluate(Rule("x", acled=("battles",)), record([HRODNA], cameo=None), None, NO_LANGUAGES) is None
    assert evaluate(Rule("x", acled=("protests",)), record([HRODNA], cameo="040"), None, NO_LANGUAGES) is None
    # the story's own type (what `export --format acled` writes: its reports' triggers refine the sub-type)
    shelled = evaluate(Rule("x", acled=("shelling/artillery/missile attack",)), strike, None, NO_LANGUAGES,
                       acled=lambda rec: ("Explosions/Remote violence", "Shelling/artillery/missile attack"))
    assert shelled is not None and shelled.changes == [["acled", ["Explosions/Remote violence",
                                                                   "Shelling/artillery/missile attack"]]]
    assert evaluate(Rule("x", acled=("air/drone strike",)), strike, None, NO_LANGUAGES,
                    acled=lambda rec: None) is None


def test_the_digest_is_the_same_for_the_same_trigger_and_differs_for_a_new_one():
    rule = Rule("near PL", near_border=("PL", 50.0))
    rec = record([HRODNA])
    d1, line = alert_line(rule, rec, evaluate(rule, rec, None, NO_LANGUAGES))
    assert set(line) >= {"rule", "story", "reason", "articles", "facts", "at"} and line["digest"] == d1
    assert line["articles"] == ["art-1"] and line["facts"] == ["place-Hrodna"]
    more = copy.deepcopy(rec)  # another article repeats the place: the same trigger
    more["articles"].append({"id": "art-3", "outlet": "Third"})
    more["facts"][0]["sources"].append({"article": "art-3", "start": 0, "end": 5, "text": "Hrodna"})
    assert alert_line(rule, more, evaluate(rule, more, None, NO_LANGUAGES))[0] == d1
    wider = record([HRODNA, {"name": "Brest", "geonameid": 629634, "country": "BY", "lat": 52.09755, "lon": 23.68775}])
    assert alert_line(rule, wider, evaluate(rule, wider, None, NO_LANGUAGES))[0] != d1


def test_rules_file_is_read_with_every_key(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("""
[[rule]]
name = "military activity near Poland"
cameo = ["15", "19"]
acled = ["Battles", "air/drone strike"]
countries = ["by", "PL"]
near_border = { country = "PL", km = 50 }
keywords = ["drill", "exercise"]
min_independent_sources = 2
within = { lat = 53.9, lon = 27.6, km = 400 }
geonameid = [627904]
actors = ["Belarus"]
language = ["en"]
new_conflict = false
count_changed = true

[[sink]]
url = "http://127.0.0.1:9/hook"
secret = "s3cret"
retries = 2
""", encoding="utf-8")
    rules = load_rules(path)
    [rule] = rules.rules
    assert rule.countries == ("BY", "PL") and rule.near_border == ("PL", 50.0) and rule.cameo == ("15", "19")
    assert rule.within == (53.9, 27.6, 400.0) and rule.actors == ("belarus",) and rule.count_changed
    assert rules.sinks[0].secret == "s3cret" and rules.sinks[0].retries == 2
    assert rule.acled == ("battles", "air/drone strike")


@pytest.mark.parametrize("text, says", [
    ('[[rule]]\ncameo = ["15"]', "has no 'name'"),
    ('[[rule]]\nname = "x"\ncountries = ["Poland"]', "ISO 3166-1 alpha-2"),
    ('[[rule]]\nname = "x"\nnear_border = { country = "PL" }', "near_border must be"),
    ('[[rule]]\nname = "x"\nnear_border = { country = "QQ", km = 5 }', "not a country"),
    ('[[rule]]\nname = "x"\nwithin = { lat = 95, lon = 0, km = 5 }', "out of range"),
    ('[[rule]]\nname = "x"\ncolour = "red"', "unknown key(s) ['colour']"),
    ('[[rule]]\nname = "x"\n[[rule]]\nname = "x"', "two rules are named"),
    ('[[rule]]\nname = "x"\ncameo = ["military"]', "CAMEO code prefixes"),
    ('[[rule]]\nname = "x"\nacled = ["Battle", "Riots"]', "['Battle'] are not ACLED event types"),
    ('[[sink]]\nurl = "ftp://x"', "http(s) 'url'"),
    ("[[rule]\n", "not valid TOML"),
])
def test_a_bad_rules_file_is_named_with_the_reason(tmp_path, text, says):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert says in str(err.value) and str(path) in str(err.value)


def test_sources_file_and_durations(tmp_path):
    path = tmp_path / "sources.toml"
    (tmp_path / "inbox").mkdir()
    path.write_text("""
[watch]
host_interval = "2s"
batch = 5

[[source]]
url = "https://example.org/feed.xml"
every = "10m"

[[source]]
url = "inbox"
every = 30
kind = "folder"
""", encoding="utf-8")
    s = load_sources(path)
    assert s.options.host_interval == 2.0 and s.options.batch == 5 and s.options.concurrency == 4
    assert [(x.url, x.every, x.kind) for x in s.sources] == [
        ("https://example.org/feed.xml", 600.0, None), (str(tmp_path / "inbox"), 30.0, "folder")]
    assert parse_duration("1h", "x") == 3600 and parse_duration("1.5m", "x") == 90 and parse_duration("2d", "x") == 172800
    for bad, says in (('[[source]]\nurl = "ftp://x/feed"', "neither an http(s) URL"),
                      ('[[source]]\nurl = "https://x/f"\nevery = "soon"', "give a duration"),
                      ('[[source]]\nurl = "https://x/f"\nevery = "0.5s"', "at most once a second"),
                      ('[[source]]\nurl = "https://x/f"\nkind = "podcast"', "use one of"),
                      ('[watch]\nbatch = 0\n[[source]]\nurl = "https://x/f"', "at least 1"),
                      ("[watch]\n", "no [[source]] given")):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            load_sources(path)
        assert says in str(err.value) and str(path) in str(err.value), bad
    with pytest.raises(ConfigError, match="does not exist"):
        load_sources(tmp_path / "missing.toml")
