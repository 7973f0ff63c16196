"""The SQLite store: migrations, WAL, idempotent writes, rejections not doubled."""

import sqlite3

import pytest

from crosswire.errors import StoreError
from crosswire.models import Article, Rejection, Removed
from crosswire.store import Store
from crosswire.store.migrations import MIGRATIONS


def make_article(i: int = 1, **kw) -> Article:
    base = dict(
        id=f"a{i:015d}", title=f"Title {i}", text=f"Body {i} " * 40, outlet="harbour.example",
        url=f"https://harbour.example/{i}", authors=["Ann Author"], published="2025-03-11",
        published_source="metadata", language="en", ingested_at="2025-03-12T00:00:00+00:00",
        source=f"/in/{i}.html", removed=[Removed("share_buttons", "Share this")], text_hash=f"h{i}",
    )
    base.update(kw)
    return Article(**base)


def test_migrations_are_named_and_applied_once(tmp_path):
    db = tmp_path / "x.db"
    with Store(db) as s:
        assert s.applied_migrations == [name for name, _ in MIGRATIONS]
        assert s.applied_migrations[:2] == ["0001_articles", "0002_facts"]
    with Store(db) as s:
        assert s.applied_migrations == []
        names = [r[0] for r in s.conn.execute("SELECT name FROM migrations ORDER BY name")]
        assert names == [name for name, _ in MIGRATIONS]


def test_store_uses_wal_mode(tmp_path):
    with Store(tmp_path / "x.db") as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_article_round_trip_keeps_every_field(tmp_path):
    a = make_article()
    with Store(tmp_path / "x.db") as s:
        with s.transaction():
            s.insert_article(a, None)
    with Store(tmp_path / "x.db") as s:
        assert s.get_article(a.id) == a
        assert [x.id for x in s.iter_articles(batch=1)] == [a.id]


def test_failed_transaction_rolls_back_and_keeps_what_was_stored(tmp_path):
    with Store(tmp_path / "x.db") as s:
        with s.transaction():
            s.insert_article(make_article(1), None)
        with pytest.raises(sqlite3.IntegrityError):
            with s.transaction():
                s.insert_article(make_article(2), None)
                s.insert_article(make_article(1), None)  # same id: the whole batch rolls back
        assert s.count_articles() == 1


def test_same_rejection_twice_is_updated_not_doubled(tmp_path):
    with Store(tmp_path / "x.db") as s:
        r = Rejection("/in/empty.txt", "empty", "the file is empty")
        s.record_rejections([r], s.start_run("ingest"))
        s.record_rejections([r], s.start_run("ingest"))
        assert s.rejections() == [r]
        assert s.conn.execute("SELECT seen FROM rejections").fetchone()[0] == 2


def test_a_file_that_is_not_sqlite_gives_a_store_error(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database, just notes\n" * 100)
    with pytest.raises(StoreError, match="notes.db"):
        Store(bad)
