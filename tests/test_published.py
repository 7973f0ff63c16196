"""Publication times: kept as given at ingest, read from the text by the facts stage on every
analysis, inferred by the cross-check into its own table, and one view giving the effective day."""

import json
import hashlib
import sqlite3

import pytest

from crosswire.config import load_settings
from crosswire.extract.analyze import analyze
from crosswire.extract.article import PIPELINE
from crosswire.ingest.pipeline import ingest
from crosswire.models import Analysis, Article, Fact, number_facts
from crosswire.store import Store
from crosswire.store.migrations import MIGRATIONS
from crosswire.times import normalize_published, parse_published

BODY = ("Fire crews fought a blaze at a timber yard on the edge of Kessmoor {when}, the county fire "
        "service said. Nobody was hurt, a spokesman said, and the cause is being investigated.\n\n"
        "Residents were asked to keep their windows closed while smoke drifted over the town.\n")


def _ingest(tmp_path, records, name="in.jsonl"):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    settings = load_settings(env={}, db=str(tmp_path / "x.db"), workers=1)
    store = Store(settings.db)
    ingest([str(folder)], store, settings)
    return store, settings


def _article_rows(store):
    return [tuple(r) for r in store.conn.execute("SELECT * FROM articles ORDER BY id")]


# ------------------------------------------------------------------ times.py
def test_a_time_with_an_offset_keeps_it_with_its_utc_instant_and_local_day():
    p = parse_published("2024-07-09T01:30:00+03:00")
    assert (p.given, p.utc, p.day) == ("2024-07-09T01:30:00+03:00", "2024-07-08T22:30:00+00:00", "2024-07-09")
    rfc = parse_published("Tue, 09 Jul 2024 01:30:00 +0300")
    assert (rfc.given, rfc.day) == ("2024-07-09T01:30:00+03:00", "2024-07-09")


@pytest.mark.parametrize("value, given", [
    ("Thu, 11 Jul 2024", "2024-07-11"),  # a day, though it has a capital T
    ("Tuesday, July 9, 2024", "2024-07-09"),
    ("2024-07-09", "2024-07-09"),
    ("Tue, 09 Jul 2024 00:00:00 GMT", "2024-07-09T00:00:00+00:00"),  # midnight, but a stated time
    ("2024-07-09T00:00:00", "2024-07-09T00:00:00"),  # no offset given: none kept, read as UTC
])
def test_a_day_is_told_from_an_instant_by_what_the_value_states(value, given):
    p = parse_published(value)
    assert p.given == given and normalize_published(value) == given
    assert (p.utc is None) == (len(given) == 10)


def test_what_is_no_plausible_publication_day_is_none():
    assert [parse_published(v) for v in ("GMT", "Tuesday", "July 2024", "1850-01-01", "")] == [None] * 5


# ------------------------------------------------------------------ ingest keeps metadata only
def test_ingest_keeps_the_time_as_given_and_reads_no_date_from_the_text(tmp_path):
    store, _ = _ingest(tmp_path, [
        {"title": "Timber yard fire", "maintext": BODY.format(when="yesterday"), "source_domain": "a.example",
         "date_publish": "2024-07-09T01:30:00+03:00"},
        {"title": "Timber yard blaze", "maintext": "Updated Tuesday, July 9, 2024\n" + BODY.format(when="on Monday"),
         "source_domain": "b.example"},
    ])
    with store:
        by_outlet = {a.outlet: a for a in store.iter_articles()}
        a, b = by_outlet["a.example"], by_outlet["b.example"]
        assert (a.published, a.published_utc, a.published_day, a.published_source) == (
            "2024-07-09T01:30:00+03:00", "2024-07-08T22:30:00+00:00", "2024-07-09", "metadata")
        assert (b.published, b.published_utc, b.published_day, b.published_source) == (None, None, None, None)
        view = store.published_of([a.id, b.id])
        assert (view[a.id]["published"], view[a.id]["published_source"]) == ("2024-07-09", "metadata")
        assert view[b.id]["published"] is None  # until the facts stage reads the byline


# ------------------------------------------------------------------ the facts stage
def test_relative_dates_resolve_against_the_outlets_local_day_and_the_text_day_is_a_fact(tmp_path):
    store, settings = _ingest(tmp_path, [
        {"title": "Timber yard fire", "maintext": BODY.format(when="yesterday"), "source_domain": "a.example",
         "date_publish": "2024-07-09T01:30:00+03:00"},
        {"title": "Timber yard blaze", "maintext": "Updated Tuesday, July 9, 2024\n" + BODY.format(when="yesterday"),
         "source_domain": "b.example"},
    ])
    with store:
        before = _article_rows(store)
        summary = analyze(store, settings)
        assert summary.analyzed == 2 and summary.published_from_text == 1
        by_outlet = {a.outlet: a.id for a in store.iter_articles()}
        for outlet in ("a.example", "b.example"):
            (yesterday,) = [f for f in store.facts_of(by_outlet[outlet]) if f.kind == "date" and f.text == "yesterday"]
            assert yesterday.value["value"] == "2024-07-08"  # not 2024-07-07, the day before the UTC day
        (fact,) = [f for f in store.facts_of(by_outlet["b.example"]) if f.kind == "published"]
        assert (fact.value, fact.detail["rule"], fact.stage) == ("2024-07-09", "byline", "published.v2")
        assert fact.text == "Tuesday, July 9, 2024"
        assert not [f for f in store.facts_of(by_outlet["a.example"]) if f.kind == "published"]
        view = store.published_of([by_outlet["b.example"]])[by_outlet["b.example"]]
        assert (view["published"], view["published_source"], view["published_text_rule"]) == (
            "2024-07-09", "text", "byline")
        # a re-analysis (a new pipeline version) makes the fact again; the articles never change
        store.conn.execute("UPDATE analyses SET pipeline = 'an older pipeline'")
        again = analyze(store, settings)
        assert again.analyzed == 2 and again.published_from_text == 1
        assert [f.id for f in store.facts_of(by_outlet["b.example"]) if f.kind == "published"] == [fact.id]
        assert _article_rows(store) == before


# ------------------------------------------------------------------ the view
def _article(i, published=None):
    return Article(id=f"a{i:015d}", title=f"Title {i}", text=f"Body {i} " * 40, outlet="harbour.example", url=None,
                   authors=[], published=published, published_source="metadata" if published else None,
                   language="en", ingested_at="2025-03-12T00:00:00+00:00", source=f"/in/{i}.txt", text_hash=f"h{i}")


def _fact(aid, day, rule):
    return Fact(aid, "published", "article", day, "x", 0, 1, "published.v2", 0.6, None, {"rule": rule})


def _save(store, aid, facts):
    with store.transaction():
        store.save_analysis(Analysis(aid, "analyzed", facts=facts), "test-pipeline", None)


def _infer(store, aid, value):
    with store.transaction() as c:
        c.execute("INSERT OR REPLACE INTO published_inferences(article_id, story_id, value, low, high, precision, "
                  "stored, computed_at) VALUES (?, 's', ?, ?, ?, 'day', 1, 'now')", (aid, value, value, value))


def test_the_view_prefers_metadata_then_a_firm_text_day_then_an_inference_then_a_caption(tmp_path):
    with Store(tmp_path / "x.db") as s:
        with s.transaction():
            s.insert_article(_article(1, "2025-03-11T23:30:00-05:00"), None)
            for i in (2, 3, 4):
                s.insert_article(_article(i), None)
        a1, a2, a3, a4 = (f"a{i:015d}" for i in (1, 2, 3, 4))
        _save(s, a1, [_fact(a1, "2025-03-10", "byline")])
        _save(s, a2, [_fact(a2, "2025-03-10", "byline")])
        _save(s, a3, [_fact(a3, "2025-03-10", "latest_weekday_date")])
        for aid in (a1, a2, a3, a4):
            _infer(s, aid, "2025-03-14")
        got = {k: (v["published"], v["published_source"]) for k, v in s.published_of([a1, a2, a3, a4]).items()}
        assert got == {a1: ("2025-03-11", "metadata"), a2: ("2025-03-10", "text"),
                       a3: ("2025-03-14", "inferred"), a4: ("2025-03-14", "inferred")}
        assert s.published_of([a1])[a1]["published_utc"] == "2025-03-12T04:30:00+00:00"
        with s.transaction() as c:
            c.execute("DELETE FROM published_inferences")
        got = {k: (v["published"], v["published_source"]) for k, v in s.published_of([a3, a4]).items()}
        assert got == {a3: ("2025-03-10", "text"), a4: (None, None)}


# ------------------------------------------------------------------ the migration
def _old_store(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, sql in MIGRATIONS[:4]:
        conn.executescript(sql)
        conn.execute("INSERT INTO migrations VALUES (?, 'then')", (name,))
    cols = ("id, title, text, outlet, authors, published, published_source, ingested_at, source, removed, "
            "text_hash")
    rows = [("m", "2025-03-11T22:30:00+00:00", "metadata"), ("t", "2025-03-10", "text"),
            ("im", "2025-03-14", "inferred"), ("it", "2025-03-15", "inferred"), ("n", None, None)]
    for aid, pub, src in rows:
        conn.execute(f"INSERT INTO articles({cols}) VALUES (?, 't', 'body', 'o', '[]', ?, ?, 'then', 's', '[]', ?)",
                     (aid, pub, src, aid))
    for aid, value, previous, source in (("im", "2025-03-14", "2025-03-11", "metadata"),
                                         ("it", "2025-03-15", "2025-03-12", "text")):
        conn.execute("INSERT INTO published_inferences(article_id, story_id, value, low, high, precision, stored, "
                     "previous, previous_source, computed_at) VALUES (?, 's', ?, ?, ?, 'day', 1, ?, ?, 'then')",
                     (aid, value, value, value, previous, source))
    conn.commit()
    conn.close()


def test_an_old_store_upgrades_and_moves_derived_days_out_of_the_articles(tmp_path):
    db = tmp_path / "old.db"
    _old_store(db)
    with Store(db) as s:
        assert s.applied_migrations[:2] == ["0005_published_records", "0006_copies"]  # and any made since
        arts = {r[0]: tuple(r[1:]) for r in s.conn.execute(
            "SELECT id, published, published_source, published_utc, published_day FROM articles")}
        assert arts == {"m": ("2025-03-11T22:30:00+00:00", "metadata", "2025-03-11T22:30:00+00:00", "2025-03-11"),
                        "t": (None, None, None, None), "im": ("2025-03-11", "metadata", None, "2025-03-11"),
                        "it": (None, None, None, None), "n": (None, None, None, None)}
        got = {k: (v["published"], v["published_source"]) for k, v in s.published_of(list(arts)).items()}
        assert got == {"m": ("2025-03-11", "metadata"), "t": ("2025-03-10", "text"), "im": ("2025-03-11", "metadata"),
                       "it": ("2025-03-12", "text"), "n": (None, None)}
        # the next analysis of the article supersedes the migrated text day with its own reading
        _save(s, "t", [])
        assert s.published_of(["t"])["t"]["published"] is None
        assert s.pending_analysis(PIPELINE) == ["im", "m", "it", "t", "n"]  # by instant or day, else ingest


# ------------------------------------------------------------------ fact ids
def test_facts_of_one_span_get_distinct_ids_and_the_first_keeps_the_old_id():
    a = Fact("art", "event", "secondary", {"cameo": "190"}, "s", 0, 9, "events.v1")
    b = Fact("art", "event", "secondary", {"cameo": "112"}, "s", 0, 9, "events.v1")
    number_facts([a, b])
    assert (a.ordinal, b.ordinal) == (0, 1) and a.id != b.id
    assert a.id == hashlib.sha256(b"art|events.v1|event|secondary|0|9").hexdigest()[:16]
    assert "ordinal" not in a.to_dict()


def test_two_facts_with_one_id_raise_instead_of_one_replacing_the_other(tmp_path):
    with Store(tmp_path / "x.db") as s:
        with s.transaction():
            s.insert_article(_article(1), None)
        aid = _article(1).id
        twin = Fact(aid, "event", "secondary", {}, "s", 0, 9, "events.v1")
        with pytest.raises(sqlite3.IntegrityError):
            _save(s, aid, [twin, Fact(aid, "event", "secondary", {"x": 1}, "s", 0, 9, "events.v1")])
        assert s.count_facts() == 0
        s.conn.execute("DELETE FROM analyses")
        _save(s, aid, [twin, Fact(aid, "event", "secondary", {"x": 1}, "s", 0, 9, "events.v1", ordinal=1)])
        assert s.count_facts() == 2 and {f.id for f in s.facts_of(aid)} == {
            twin.id, Fact(aid, "event", "secondary", {}, "s", 0, 9, "events.v1", ordinal=1).id}


def test_an_article_the_facts_stage_skips_still_gets_the_day_its_byline_states(tmp_path):
    polish = ("Updated 11 March 2025\nTrzy osoby zgin\u0119\u0142y, a dwana\u015bcie zosta\u0142o rannych w wybuchu "
              "w zak\u0142adach chemicznych w Gda\u0144sku we wtorek rano. " * 3)
    store, settings = _ingest(tmp_path, [{"title": "Wybuch w zak\u0142adach", "maintext": polish, "language": "pl",
                                          "source_domain": "gazeta.example.pl"}])
    settings = settings.with_overrides(analyze_languages="en")  # Polish not read: the article is skipped
    with store:
        summary = analyze(store, settings)
        assert (summary.analyzed, [s["reason"] for s in summary.skipped]) == (0, ["language_not_read"])
        assert summary.facts == store.count_facts() == 1 and summary.published_from_text == 1
        (aid,) = [a.id for a in store.iter_articles()]
        view = store.published_of([aid])[aid]
        assert (view["published"], view["published_source"], view["published_text_rule"]) == (
            "2025-03-11", "text", "byline")


def test_the_articles_export_gives_the_effective_day_and_the_time_as_given(tmp_path):
    from crosswire.present.exports import export

    with Store(tmp_path / "x.db") as s:
        with s.transaction():
            s.insert_article(_article(1, "2024-07-09T01:30:00+03:00"), None)
            s.insert_article(_article(2), None)
        a2 = _article(2).id
        _save(s, a2, [_fact(a2, "2024-07-08", "dateline")])
        out = tmp_path / "articles.jsonl"
        assert export(s, "articles", "jsonl", str(out)) == 2
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    got = {k: (r["published"], r["published_source"], r["published_given"], r["published_utc"]) for k, r in rows.items()}
    assert got == {_article(1).id: ("2024-07-09", "metadata", "2024-07-09T01:30:00+03:00", "2024-07-08T22:30:00+00:00"),
                   a2: ("2024-07-08", "text", None, None)}


def test_the_one_date_parser_never_raises_on_a_date_it_cannot_read():
    import time as _time

    from crosswire.times import parse_published

    class Hostile:
        def __str__(self) -> str:
            raise RuntimeError("no text")

    year_zero = _time.struct_time((0, 1, 1, 0, 0, 0, 0, 1, 0))
    for value in (year_zero, Hostile(), "Mon, 01 Jan 0000 00:00:00 GMT", "99999-99-99T99:99", "\ud800"):
        assert parse_published(value) is None
