"""One outlet, one name: archive URLs unwrapped, domain keys, one shown name per key, feeds by site,
and a re-ingest with metadata an article lacked updating it (same id, kept as a correction)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crosswire.config import Settings
from crosswire.crosscheck.status import independence_keys
from crosswire.ingest.pipeline import ingest
from crosswire.outlets import (domain_of, is_archive, looks_like_domain, name_in_title, name_matches_domain, outlet_key,
                               outlet_name, unwrap_archive)
from crosswire.store import Store
from crosswire.store.migrations import MIGRATIONS

FIXTURES = Path(__file__).parent / "fixtures" / "outlets"
SETTINGS = Settings(workers=1)
BODY = ("The river burst its banks on Sunday night and flooded forty houses in the lower town, the mayor said. "
        "Firefighters pumped water from cellars until the morning and the school stayed closed on Monday while "
        "engineers checked the old stone bridge for damage.")


@pytest.mark.parametrize("archived, original", [
    ("https://web.archive.org/web/20240131120000/https://www.reuters.com/world/x?a=1",
     "https://www.reuters.com/world/x?a=1"),
    ("http://web.archive.org/web/20240131120000id_/http://news.bbc.co.uk/2/hi/a.stm", "http://news.bbc.co.uk/2/hi/a.stm"),
    ("https://web.archive.org/web/2024*/example.com/page", "http://example.com/page"),
    ("https://web.archive.org/web/20240131120000/http:/example.org/p", "http://example.org/p"),
    ("https://archive.ph/20240101000000/https://www.nytimes.com/a.html", "https://www.nytimes.com/a.html"),
    ("https://archive.ph/2024.01.01-000000/https://x.example/a", "https://x.example/a"),
    ("https://archive.is/newest/https://www.lemonde.fr/a", "https://www.lemonde.fr/a"),
    ("https://archive.today/o/AbCd/https://www.spiegel.de/a", "https://www.spiegel.de/a"),
    ("https://archive.ph/https%3A%2F%2Fwww.ft.com%2Fcontent%2F1", "https://www.ft.com/content/1"),
    ("https://arquivo.pt/wayback/20200101000000/https://www.publico.pt/x", "https://www.publico.pt/x"),
    ("https://webcache.googleusercontent.com/search?q=cache:abc123:https://www.ft.com/a&cd=1", "https://www.ft.com/a"),
    ("https://web.archive.org/web/20240101000000/https://web.archive.org/web/2020/https://heise.de/x",
     "https://heise.de/x"),
    ("https://replay.example.org/news/20240101000000/https://site.example/a", "https://site.example/a"),
])
def test_archive_copies_lead_back_to_their_original(archived: str, original: str) -> None:
    assert unwrap_archive(archived) == original and is_archive(archived)


@pytest.mark.parametrize("url", [
    "https://archive.ph/AbCdE",  # a short id: the original is not in the URL
    "https://example.com/2024/01/https-is-great",
    "https://web.archive.org/",
    "not a url",
])
def test_other_urls_stay_as_given(url: str) -> None:
    assert unwrap_archive(url) == url and not is_archive(url)


def test_keys_are_registered_domains_and_names_fold() -> None:
    assert domain_of("https://news.bbc.co.uk/a") == "bbc.co.uk"
    assert domain_of("https://uk.reuters.com/x") == domain_of("https://www.reuters.com/y") == "reuters.com"
    assert domain_of("https://foo.blogspot.com/p") == "foo.blogspot.com"  # a private suffix: each blog its own
    assert domain_of("https://web.archive.org/web/2024/https://edition.cnn.com/a") == "cnn.com"
    assert domain_of("http://127.0.0.1:8080/x") == "127.0.0.1"
    assert domain_of("https://desk.harbourpost.example/a") == "harbourpost.example"  # not in the list: two labels
    assert outlet_key("Reuters") == "reuters" and outlet_key("  The  Guardian ") == "the guardian"
    assert outlet_key("www.reuters.com") == outlet_key("Reuters", "https://reuters.com/a") == "reuters.com"
    assert outlet_key(None, None) is None and outlet_key("  ") is None
    assert looks_like_domain("edition.cnn.com") and looks_like_domain("https://x.org/")
    assert not looks_like_domain("N.Y. Times") and not looks_like_domain("Reuters")
    assert outlet_name("reuters.com") is None and outlet_name(" Tidewater  Courier ") == "Tidewater Courier"
    assert name_matches_domain("The Harbour Post", "news.harbourpost.co.uk")
    assert name_matches_domain("Le Monde", "lemonde.fr") and not name_matches_domain("River Gazette", "one.example")
    assert name_in_title("Eurodesk Daily - Europe", "eurodeskdaily.example") == "Eurodesk Daily"
    assert name_in_title("heise developer neueste Meldungen", "heise.de") is None


def test_independent_sources_key_on_the_outlet_not_its_spelling() -> None:
    keys = independence_keys([{"id": "a", "outlet": "reuters.com"}, {"id": "b", "outlet": "www.Reuters.com"},
                              {"id": "c", "outlet": "uk.reuters.com"}, {"id": "d", "outlet": "Wire Agency"},
                              {"id": "e", "outlet": "wire  agency"}, {"id": "f", "outlet": "Harbour Post"}])
    assert keys["a"] == keys["b"] == keys["c"] and keys["d"] == keys["e"]
    assert len({keys["a"], keys["d"], keys["f"]}) == 3


def _articles(store: Store) -> dict[str, dict]:
    rows = store.conn.execute("SELECT id, title, outlet, outlet_key, outlet_given, url, published FROM articles")
    return {r["title"]: dict(r) for r in rows}


def test_one_outlet_one_name_across_pages_feeds_and_archives(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        summary = ingest([str(FIXTURES)], store, SETTINGS)
        assert (summary.stored, summary.rejected) == (4, [])
        got = _articles(store)
    ferry = got["Ferry service resumes after harbour wall repair"]
    crane = got["Carrow ferry timetable cut as harbour crane fails"]
    kayak = got["Lifeboat crew rescues two kayakers off Carrow Point"]
    slide = got["Landslide closes mountain road above Velden"]
    # a page with og:site_name, a page without one, and a feed item of the same site: one key, one name
    assert ferry["outlet_key"] == crane["outlet_key"] == kayak["outlet_key"] == "tidewater-courier.example"
    assert ferry["outlet"] == crane["outlet"] == kayak["outlet"] == "Tidewater Courier"
    assert crane["outlet_given"] == "tidewater-courier.example"  # its own record keeps what it gave
    assert kayak["outlet_given"] == "Tidewater Courier"  # the part of the feed's title that names its site
    # an archived copy is its original site's, its URL kept as read
    assert slide["outlet"] == slide["outlet_key"] == "alpine-ledger.example"
    assert slide["url"].startswith("https://web.archive.org/web/20250314093000/")


def test_an_html_page_has_one_outlet_whether_or_not_its_url_is_given(tmp_path: Path) -> None:
    page = FIXTURES / "tidewater-ferry.html"
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        ingest([str(page)], a, SETTINGS)
        ingest([str(page)], b, SETTINGS, url="https://www.tidewater-courier.example/coast/ferry-service-resumes")
        assert [r["outlet"] for r in _articles(a).values()] == [r["outlet"] for r in _articles(b).values()] == [
            "Tidewater Courier"]


def _write(path: Path, title: str = "Storm floods the lower town", body: str = BODY) -> Path:
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def test_reingest_with_the_outlet_it_lacked_updates_the_article_and_keeps_its_id(tmp_path: Path) -> None:
    text = _write(tmp_path / "flood.txt")
    with Store(tmp_path / "s.db") as store:
        first = ingest([str(text)], store, SETTINGS)
        [aid] = first.stored_ids
        again = ingest([str(text)], store, SETTINGS, outlet="River Gazette")
        assert (again.stored, again.unchanged, again.updated) == (0, 1, 1)
        assert again.updates == [{"article": aid, "source": str(text),
                                  "changes": {"outlet": {"old": None, "new": "River Gazette"}}}]
        assert store.count_articles() == 1 and store.get_article(aid).outlet == "River Gazette"
        # the record stays as ingested; the change is kept with where it came from
        assert store.conn.execute("SELECT outlet FROM article_records").fetchone()[0] is None
        [c] = store.article_corrections(aid)
        assert (c["field"], c["previous"], c["value"], c["origin"], c["source"]) == (
            "outlet", None, "River Gazette", "ingest", str(text))
        # the same input again changes nothing
        third = ingest([str(text)], store, SETTINGS, outlet="River Gazette")
        assert (third.unchanged, third.updated, len(store.article_corrections(aid))) == (1, 0, 1)
        # a published date and a URL it lacked, from another copy of the file
        other = _write(tmp_path / "saved-again.txt")
        fourth = ingest([str(other)], store, SETTINGS, url="https://rivergazette.example/flood")
        assert (fourth.stored, fourth.updated) == (0, 1)
        assert store.get_article(aid).url == "https://rivergazette.example/flood"
        assert store.outlet_of(aid) == {"key": "rivergazette.example", "name": "River Gazette", "articles": 1}


def test_a_syndicated_copy_from_another_outlet_stays_a_second_article(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest([str(_write(tmp_path / "a.txt"))], store, SETTINGS, outlet="River Gazette")
        second = ingest([str(_write(tmp_path / "b.txt"))], store, SETTINGS, outlet="Valley Post")
        assert (second.stored, second.duplicates, second.updated) == (1, 1, 0)
        pages = tmp_path / "p.jsonl"
        pages.write_text("\n".join(json.dumps({"title": "Storm floods the lower town", "maintext": BODY, "url": u})
                                   for u in ("https://one.example/a", "https://two.example/b")) + "\n")
        third = ingest([str(pages)], store, SETTINGS)
        assert (third.stored, third.updated) == (2, 0)  # two URLs: two articles (copies), not an update
        assert store.count_articles() == 4


def test_a_domain_never_replaces_a_name_and_a_hand_correction_is_kept(tmp_path: Path) -> None:
    text = _write(tmp_path / "flood.txt")
    with Store(tmp_path / "s.db") as store:
        [aid] = ingest([str(text)], store, SETTINGS, outlet="River Gazette").stored_ids
        again = ingest([str(text)], store, SETTINGS, outlet="rivergazette.example")
        assert again.updated == 0 and store.get_article(aid).outlet == "River Gazette"
        with store.transaction():
            store.correct_article(aid, {"outlet": "The River Gazette"}, origin="manual", who="editor")
        later = ingest([str(text)], store, SETTINGS, outlet="Gazette of the River")
        assert later.updated == 0 and [w.reason for w in later.warnings] == ["kept_correction"]
        assert store.get_article(aid).outlet == "The River Gazette"


def test_a_corrected_publication_date_is_what_every_reader_sees(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        [aid] = ingest([str(_write(tmp_path / "flood.txt"))], store, SETTINGS).stored_ids
        with store.transaction():
            done = store.correct_article(aid, {"published": "2025-03-09T22:30:00-05:00"}, origin="manual", who="ed")
        assert done == {"published": (None, "2025-03-09T22:30:00-05:00")}
        a = store.get_article(aid)
        assert (a.published, a.published_utc, a.published_day, a.published_source) == (
            "2025-03-09T22:30:00-05:00", "2025-03-10T03:30:00+00:00", "2025-03-09", "metadata")
        assert store.published_of([aid])[aid]["published"] == "2025-03-09"


def _old_store(path: Path, rows: list[tuple[str, str, str | None, str | None]]) -> None:
    """A store as crosswire made it before 0007: article ids hashed with the outlet it stored."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, sql in MIGRATIONS[:6]:
        conn.executescript(sql)
        conn.execute("INSERT INTO migrations VALUES (?, 'then')", (name,))
    cols = "id, title, text, outlet, url, authors, ingested_at, source, removed, text_hash"
    for aid, title, outlet, url in rows:
        conn.execute(f"INSERT INTO article_records({cols}) VALUES (?, ?, 'x', ?, ?, '[]', 'then', 's', '[]', 'h')",
                     (aid, title, outlet, url))
    conn.commit()
    conn.close()


def test_an_old_store_migrates_its_archive_outlets_and_keeps_its_ids(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _old_store(db, [("a1", "one", "web.archive.org", "https://web.archive.org/web/2024/https://www.harbourpost.example/1"),
                    ("a2", "two", "web.archive.org", "https://web.archive.org/web/2024/https://cityline.example/2"),
                    ("a3", "three", "Harbour Post", "https://harbourpost.example/3"),
                    ("a4", "four", None, None)])
    with Store(db) as store:
        assert store.applied_migrations[0] == "0007_outlets"  # and any made since
        got = {r["id"]: (r["outlet"], r["outlet_key"]) for r in store.conn.execute("SELECT * FROM articles")}
    assert got == {"a1": ("Harbour Post", "harbourpost.example"), "a2": ("cityline.example", "cityline.example"),
                   "a3": ("Harbour Post", "harbourpost.example"), "a4": (None, None)}


def test_a_key_without_a_name_is_shown_by_the_host_most_of_its_articles_are_on(tmp_path: Path) -> None:
    pages = tmp_path / "p.jsonl"
    urls = ["https://abcnews.go.com/US/a", "https://abcnews.go.com/US/b", "https://web.archive.org/web/2024/"
            "https://abcnews.go.com/US/c", "https://www.cityline.example/d"]
    pages.write_text("\n".join(json.dumps({"title": f"Report {n}", "maintext": f"Report number {n}. {BODY}", "url": u})
                               for n, u in enumerate(urls)) + "\n")
    with Store(tmp_path / "s.db") as store:
        assert ingest([str(pages)], store, SETTINGS).stored == 4
        got = {r["url"]: (r["outlet"], r["outlet_key"]) for r in store.conn.execute("SELECT url, outlet, outlet_key "
                                                                                    "FROM articles")}
    assert set(got.values()) == {("abcnews.go.com", "go.com"), ("cityline.example", "cityline.example")}
    assert got[urls[2]] == ("abcnews.go.com", "go.com")
