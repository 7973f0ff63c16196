"""The SQLite store: migrations, WAL, idempotent writes, rejections not doubled."""

import hashlib
import multiprocessing
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


# ---------------------------------------------------------------- reading never writes
def _state(db) -> dict[str, str | None]:
    """The bytes of a store and of its -wal, and whether a -shm exists: what a read must leave as it was."""
    out: dict[str, str | None] = {}
    for suffix in ("", "-wal", "-shm"):
        p = db.parent / (db.name + suffix)
        out[suffix] = None if not p.exists() else "exists" if suffix == "-shm" else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _store_with_article(db):
    with Store(db) as s, s.transaction():
        s.insert_article(make_article(1), None)
    return db


def test_a_read_only_store_on_a_chmod_444_file_reads_and_leaves_every_byte(tmp_path):
    db = _store_with_article(tmp_path / "x.db")
    db.chmod(0o444)
    before = _state(db)
    assert before["-wal"] is None and before["-shm"] is None  # the writer's close tidied up
    with Store.open_read(db) as s:
        assert s.read_only and s.count_articles() == 1 and s.get_article(make_article(1).id) == make_article(1)
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with pytest.raises(StoreError, match="read-only"):
            with s.transaction():
                pass
        with pytest.raises(sqlite3.OperationalError):  # even a direct write is refused by SQLite
            s.conn.execute("DELETE FROM articles")
    assert _state(db) == before


def test_a_reader_beside_a_writer_sees_its_commits_and_leaves_its_wal_alone(tmp_path):
    db = _store_with_article(tmp_path / "x.db")
    with Store(db) as writer:
        with writer.transaction():
            writer.insert_article(make_article(2), None)
        before = _state(db)
        assert before["-wal"] is not None
        with Store.open_read(db) as reader:
            assert reader.count_articles() == 2
        assert _state(db) == before
        with writer.transaction():  # the writer goes on as before
            writer.insert_article(make_article(3), None)
    with Store.open_read(db) as reader:
        assert reader.count_articles() == 3


def test_reading_a_store_of_an_older_version_says_to_run_a_writing_command(tmp_path):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    name, sql = MIGRATIONS[0]
    conn.executescript(sql)
    conn.execute("INSERT INTO migrations VALUES (?, '2025-01-01')", (name,))
    conn.close()
    before = _state(db)
    with pytest.raises(StoreError, match=r"older crosswire.*crosswire analyze") as info:
        Store.open_read(db)
    assert "old.db" in str(info.value) and MIGRATIONS[-1][0] in str(info.value)
    assert _state(db) == before
    with Store(db) as s:  # a writing open brings it up to date
        assert s.applied_migrations == [n for n, _ in MIGRATIONS[1:]]
    with Store.open_read(db) as s:
        assert s.count_articles() == 0


def _foreign(db):
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
    conn.execute("INSERT INTO recipes VALUES ('bread', 240)")
    conn.commit()
    conn.close()
    return db


@pytest.mark.parametrize("read_only", [False, True])
def test_a_sqlite_file_that_is_not_a_store_is_refused_and_left_byte_identical(tmp_path, read_only):
    db = _foreign(tmp_path / "recipes.db")
    before = _state(db)
    with pytest.raises(StoreError, match="not a crosswire store") as info:
        Store(db, read_only=read_only)
    assert "recipes.db" in str(info.value)
    assert _state(db) == before
    assert [r[0] for r in sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(
        "SELECT name FROM sqlite_master")] == ["recipes"]


def test_reading_a_file_that_is_not_sqlite_or_is_missing_is_an_error(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database, just notes\n" * 100)
    with pytest.raises(StoreError, match="notes.db"):
        Store.open_read(bad)
    assert bad.read_text() == "this is not a database, just notes\n" * 100
    with pytest.raises(StoreError, match="no store here"):
        Store.open_read(tmp_path / "absent.db")
    assert not (tmp_path / "absent.db").exists()


def test_a_store_in_a_missing_folder_or_with_an_empty_path_is_an_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "no" / "such" / "x.db")
    assert not (tmp_path / "no").exists()
    for path in ("", "  "):
        with pytest.raises(StoreError, match="empty"):
            Store(path)


def test_an_empty_file_becomes_a_store(tmp_path):
    db = tmp_path / "fresh.db"
    db.write_bytes(b"")
    with Store(db) as s:
        assert s.applied_migrations == [n for n, _ in MIGRATIONS]


def _open_many(paths, barrier, out):  # type: ignore[no-untyped-def]
    from crosswire.store import Store as S

    for p in paths:
        barrier.wait()
        try:
            with S(p) as s:
                out.put((p, s.applied_migrations))
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            out.put((p, f"{type(exc).__name__}: {exc}"))


def test_two_processes_opening_a_new_store_at_once_both_succeed(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    paths = [str(tmp_path / f"race{i}.db") for i in range(20)]
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_open_many, args=(paths, barrier, out)) for _ in range(2)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in range(2 * len(paths))]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    names = [n for n, _ in MIGRATIONS]
    for path in paths:
        applied = [r for p, r in results if p == path]
        assert len(applied) == 2 and all(isinstance(a, list) for a in applied), applied
        assert sorted(applied[0] + applied[1]) == sorted(names)  # each migration applied once, by one of them
        rows = sqlite3.connect(path).execute("SELECT name FROM migrations ORDER BY name").fetchall()
        assert [r[0] for r in rows] == names


def test_an_old_store_keeps_its_copy_links_in_dedupes_own_table(tmp_path):
    import sqlite3

    from crosswire.store.migrations import MIGRATIONS

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, sql in MIGRATIONS[:5]:
        conn.executescript(sql)
        conn.execute("INSERT INTO migrations VALUES (?, 'then')", (name,))
    cols = "id, title, text, authors, ingested_at, source, removed, text_hash"
    conn.execute(f"INSERT INTO articles({cols}) VALUES ('a', 't', 'x', '[]', 'then', 's', '[]', 'h')")
    conn.execute(f"INSERT INTO articles({cols}, duplicate_of, similarity) "
                 "VALUES ('b', 't', 'x', '[]', 'then', 's', '[]', 'h', 'a', 0.9)")
    conn.commit()
    conn.close()
    with Store(db) as s:
        assert s.applied_migrations == [name for name, _ in MIGRATIONS[5:]]  # 0006_copies and what followed
        assert [tuple(r) for r in s.conn.execute("SELECT article_id, duplicate_of, similarity FROM copies")] == [
            ("b", "a", 0.9)]
        assert (s.get_article("b").duplicate_of, s.get_article("a").duplicate_of) == ("a", None)
        assert s.copies_of("a") == ["b"]
