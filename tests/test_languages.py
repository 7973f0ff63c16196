"""Facts from reports in other languages (crosswire.extract.languages): per-language gates on
fixtures written for these tests, and the rules one by one."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from crosswire.config import Settings
from crosswire.extract.languages.analyse import analyse_other
from crosswire.extract.languages.dates import find_dates, zh_numeral
from crosswire.extract.languages.lexicon import lexicon
from crosswire.extract.languages.numbers import find_quantities
from crosswire.extract.languages.text import segment
from crosswire.models import Article

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
# Share of the expected facts each language's fixture must yield (measured: all found; a change
# that lowers one says so).
FLOORS = {"ru": 1.0, "pl": 1.0, "uk": 1.0, "be": 0.9, "de": 1.0, "fr": 1.0, "es": 1.0, "zh": 0.9, "nl": 1.0}


def _article(name: str, **over) -> Article:  # type: ignore[no-untyped-def]
    fx = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    fields = {"title": fx["title"], "text": fx["text"], "outlet": fx.get("outlet"), "published": fx.get("published"),
              "language": fx["language"]} | over
    return Article(Path(name).stem, fields["title"], fields["text"], fields["outlet"], None, [], fields["published"],
                   "metadata" if fields["published"] else None, fields["language"], "2025-01-01T00:00:00+00:00", name)


@cache
def _analysed(name: str):  # type: ignore[no-untyped-def]
    a = _article(name)
    return a, analyse_other(a, a.text, Settings())


def _checks(name: str) -> list[tuple[str, bool]]:
    """(what, found?) for every expected fact of a fixture."""
    expect = json.loads((FIXTURES / name).read_text(encoding="utf-8"))["expect"]
    _, an = _analysed(name)
    ev, facts = an.event, an.facts
    out = [("when", ev["when"]["start"] == expect["when"])]
    out.append(("where", [w["geonameid"] for w in ev["where"]][:len(expect["where"])] == expect["where"]))
    if expect.get("cameo"):
        out.append(("cameo", ev["type"]["cameo"] == expect["cameo"]))
    else:
        out.append(("label", ev["type"]["label"] == expect["label"]))
    dates = {f.value["value"] for f in facts if f.kind == "date"}
    out += [(f"date {d}", d in dates) for d in expect["dates"]]
    ids = {f.value["geonameid"] for f in facts if f.kind == "place"}
    out += [(f"place {g}", g in ids) for g in expect["places"]]
    countries = {f.value["country"] for f in facts if f.kind == "place"}
    out += [(f"country {c}", c in countries) for c in expect["countries"]]
    counts = {f.value["value"] for f in facts if f.kind == "count"}
    out += [(f"count {n}", n in counts) for n in expect["counts"]]
    out += [("killed", ev["killed"] == expect["killed"]), ("injured", ev["injured"] == expect["injured"])]
    speakers = {f.value["speaker"] for f in facts if f.kind == "quote"}
    out += [(f"speaker {q['speaker']}", q["speaker"] in speakers) for q in expect["quotes"]]
    people = {(f.value, f.detail.get("latin")) for f in facts if f.kind == "entity" and f.about == "PERSON"}
    out += [(f"person {p}", tuple(p) in people) for p in expect["people"]]
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_each_language_finds_the_facts_of_its_fixture(name):
    checks = _checks(name)
    found = sum(ok for _, ok in checks) / len(checks)
    assert found >= FLOORS[name[:2]], [what for what, ok in checks if not ok]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_every_fact_points_at_its_own_text_and_has_a_known_kind(name):
    a, an = _analysed(name)
    assert an.status == "analyzed" and an.facts
    for f in an.facts:
        assert a.text[f.start : f.end] == f.text, f
        assert f.kind in {"entity", "date", "place", "count", "casualties", "distance", "percent", "quote", "event",
                          "published"}
    for d in an.discards:
        assert d.reason and d.stage.startswith("lang")
    assert len({f.id for f in an.facts}) == len(an.facts)


def test_the_russian_and_polish_reports_of_the_drill_agree_with_each_other():
    _, ru = _analysed("ru-brest-drill.json")
    _, pl = _analysed("pl-brest-drill.json")
    for an in (ru, pl):
        assert an.event["when"]["start"] == "2025-07-08"
        assert an.event["where"][0]["geonameid"] == 629634  # Brest, Belarus: "под Брестом", "pod Brześciem"
        assert an.event["type"]["cameo"] == "150"
        assert {500, 40} <= {f.value["value"] for f in an.facts if f.kind == "count"}


def test_a_weekday_is_the_latest_such_day_on_or_before_publication():
    lex = {"uk": lexicon("uk"), "pl": lexicon("pl"), "de": lexicon("de"), "es": lexicon("es")}
    text = "Це сталося у понеділок.\nTo było we wtorek.\nEs war am Montag.\nFue el martes."
    seg = segment(text, "uk", frozenset(lex))
    for s, lang in zip(seg.sentences, ["uk", "pl", "de", "es"]):
        s.lang = lang
    got = [t.value for t in find_dates(seg, lex, date(2025, 7, 9), [])]  # a Wednesday
    assert got == ["2025-07-07", "2025-07-08", "2025-07-07", "2025-07-08"]


def test_a_day_and_month_without_a_year_takes_the_nearest_past_year():
    lex = {"ru": lexicon("ru")}
    seg = segment("Это случилось 28 декабря, а отчёт вышел 8 января 2025 года.", "ru", frozenset(lex))
    got = [(t.text, t.value) for t in find_dates(seg, lex, date(2025, 1, 10), [])]
    assert got == [("28 декабря", "2024-12-28"), ("8 января 2025 года", "2025-01-08")]


def test_chinese_dates_and_numerals():
    assert (zh_numeral("十二"), zh_numeral("二十五"), zh_numeral("三千"), zh_numeral("七")) == (12, 25, 3000, 7)
    lex = {"zh": lexicon("zh")}
    seg = segment("演习于七月八日开始，2024年7月9日结束。", "zh", frozenset(lex))
    assert [t.value for t in find_dates(seg, lex, date(2025, 7, 10), [])] == ["2025-07-08", "2024-07-09"]


@pytest.mark.parametrize("lang,text,value", [
    ("ru", "Ущерб оценили в 2,5 млн рублей.", 2_500_000),
    ("ru", "В акции участвовали 3 тыс. человек.", 3_000),
    ("de", "Die Stadt zahlt 12 Mio Euro.", 12_000_000),
    ("pl", "Na miejscu było 1.200 osób.", 1_200),
    ("zh", "约3万人参加了集会。", 30_000),
    ("ru", "Пострадали двенадцать человек.", 12),
])
def test_numbers_in_digits_words_and_with_multipliers(lang, text, value):
    lex = {lang: lexicon(lang)}
    seg = segment(text, lang, frozenset(lex))
    got = [q.value for q in find_quantities(seg, lex, [], [])]
    assert value in got, got


@pytest.mark.parametrize("lang,text,which,value", [
    ("ru", "В результате взрыва трое погибших.", "killed", 3),
    ("pl", "Jest 12 rannych.", "injured", 12),
    ("de", "Es gab zwei Tote.", "killed", 2),
    ("fr", "On compte deux morts.", "killed", 2),
    ("es", "Hay siete heridos.", "injured", 7),
    ("zh", "事故造成死亡3人。", "killed", 3),
])
def test_casualty_figures_by_each_languages_cues(lang, text, which, value):
    lex = {lang: lexicon(lang)}
    seg = segment(text, lang, frozenset(lex))
    got = [(q.casualty, q.value) for q in find_quantities(seg, lex, [], []) if q.kind == "casualties"]
    assert got == [(which, value)]


def test_a_clock_time_and_a_date_are_not_counts():
    lex = {"nl": lexicon("nl")}
    text = "De brand brak op 3 april rond 21.30 uur uit."
    seg = segment(text, "nl", frozenset(lex))
    discards: list = []
    dates = find_dates(seg, lex, date(2025, 4, 4), discards)
    got = find_quantities(seg, lex, [(t.start, t.end) for t in dates], discards)
    assert got == [] and {d.reason for d in discards} >= {"part_of_date", "time_of_day"}


def test_an_english_paragraph_in_a_polish_report_is_read_as_english():
    text = ("Ćwiczenia wojsk Białorusi i Chin rozpoczęły się we wtorek pod Brześciem, kilka kilometrów od granicy.\n"
            "The ministry said in a statement that about 500 soldiers were taking part in the exercise near Brest.")
    seg = segment(text, "pl", frozenset({"en", "pl"}))
    assert [p.lang for p in seg.paragraphs] == ["pl", "en"]
    assert seg.lang == "pl"


def test_a_language_the_settings_do_not_list_is_skipped_naming_it():
    from crosswire.extract.article import gate

    a = _article("pl-brest-drill.json", language="sw")
    reason, detail, _ = gate(a, Settings())
    assert reason == "language_not_read" and "'sw'" in detail
    assert gate(_article("pl-brest-drill.json"), Settings())[0] is None
    assert gate(_article("pl-brest-drill.json"), Settings(analyze_languages="en"))[0] == "language_not_read"


def test_without_a_publication_day_weekdays_stay_unresolved_and_say_why():
    a = _article("uk-kharkiv-strike.json", published=None)
    an = analyse_other(a, a.text, Settings())
    assert "понеділок" not in {f.text for f in an.facts if f.kind == "date"}
    assert any(d.reason == "no_publication_day" and d.text == "понеділок" for d in an.discards)


@pytest.mark.parametrize("lang,text,kept", [
    ("nl", "Het bedrijf werd in 1988 geopend en heeft 250 werknemers.", [250]),
    ("pl", "W 2019 r. zakład zmodernizowano.", []),
    ("ru", "В учениях участвуют 2000 военных.", [2000]),
])
def test_a_year_is_not_a_count_but_a_round_figure_is(lang, text, kept):
    lex = {lang: lexicon(lang)}
    discards: list = []
    got = [q.value for q in find_quantities(segment(text, lang, frozenset(lex)), lex, [], discards)]
    assert got == kept and all(d.reason == "year" for d in discards)


def test_a_capitalised_word_needs_a_sign_to_be_a_town():
    from crosswire.extract.languages.places import find_places

    lex = {"pl": lexicon("pl"), "de": lexicon("de")}
    text = ("Na miejscu pracowali strażacy Państwowej Straży Pożarnej z Gdańska.\n"
            "Die Halle brannte bei Hamburg, sagte Jan Ohlsen.")
    seg = segment(text, "pl", frozenset(lex))
    seg.paragraphs[1].lang = "de"
    for s in seg.sentences[1:]:
        s.lang = "de"
    discards: list = []
    places = find_places(seg, lex, [], discards)
    assert [(p.text, p.geonameid) for p in places] == [("Gdańska", 3099434), ("Hamburg", 2911298)]
    assert {(d.text, d.reason) for d in discards} >= {("Straży", "inside_a_longer_name"), ("Halle", "no_place_cue")}


def test_a_language_without_word_lists_gets_dates_and_places_when_the_settings_list_it():
    text = ("Un incendio è scoppiato martedì 8 luglio 2025 in un magazzino alla periferia di Torino.\n"
            "Il sindaco di Torino ha visitato la zona il 9 luglio 2025.")
    a = Article("it1", "Incendio a Torino", text, None, None, [], "2025-07-10", "metadata", "it",
                "2025-07-10T00:00:00+00:00", "it1")
    an = analyse_other(a, text, Settings(analyze_languages="en,it"))
    assert {f.value["value"] for f in an.facts if f.kind == "date"} == {"2025-07-08", "2025-07-09"}
    assert an.event["when"]["start"] == "2025-07-08" and an.event["where"][0]["geonameid"] == 3165524  # Turin
    assert all(text[f.start : f.end] == f.text for f in an.facts)


def test_the_demos_polish_and_dutch_reports_get_their_events_facts(tmp_path):
    """The answer key (crosswire/demo/README.md): 06 (pl) is event A, Gdańsk, Tuesday 11 March 2025,
    3 dead, 12 injured, Wierzbicki quoted; 12 (nl) is event B, Rotterdam, Friday 14 March 2025,
    2 dead, 7 injured, Verbeek quoted."""
    from crosswire.config import load_settings
    from crosswire.demo import corpus_path
    from crosswire.extract.analyze import analyze
    from crosswire.ingest.pipeline import ingest
    from crosswire.store import Store

    files = [str(p) for p in sorted(corpus_path().glob("*")) if p.name.startswith(("06-", "12-"))]
    settings = load_settings(env={}, db=str(tmp_path / "x.db"), workers=1)
    with Store(settings.db) as store:
        ingest(files, store, settings)
        summary = analyze(store, settings)
        assert (summary.analyzed, summary.skipped) == (2, [])
        got = {}
        for a in store.iter_articles():
            ev = store.analysis_of(a.id)["event"]
            speakers = {f.value["speaker"] for f in store.facts_of(a.id) if f.kind == "quote"}
            got[a.language] = (ev["when"]["start"], ev["where"][0]["geonameid"], ev["killed"], ev["injured"],
                               ev["type"]["label"], speakers)
    assert got["pl"][:5] == ("2025-03-11", 3099434, 3, 12, "accident: explosion")
    assert got["nl"][:5] == ("2025-03-14", 2747891, 2, 7, "accident: explosion")
    assert "Tomasz Wierzbicki" in got["pl"][5] and "Marloes Verbeek" in got["nl"][5]
