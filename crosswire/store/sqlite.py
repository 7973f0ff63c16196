"""The SQLite store: one file, WAL mode, one writer connection in short transactions."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crosswire.errors import StoreError
from crosswire.models import Article, IngestSummary, Rejection, Removed
from crosswire.times import utcnow_iso
from crosswire.store.facts import FactsMixin, paged_rows
from crosswire.store.migrations import MIGRATIONS, migrate
from crosswire.store.outlets import OutletsMixin, place_outlets

# What ingest writes, once (table ``article_records``); ``articles`` (a view) adds dedupe's copy link.
RECORD_COLUMNS = (
    "id, title, text, outlet, url, authors, published, published_source, language, ingested_at, "
    "source, removed, fetched, text_hash, published_utc, published_day"
)
ARTICLE_COLUMNS = (
    "id, title, text, outlet, url, authors, published, published_source, language, ingested_at, "
    "source, removed, duplicate_of, similarity, fetched, text_hash, published_utc, published_day"
)
# The view every reader of publication days uses: metadata > a firm day the text states (byline,
# dateline) > a day the story implies (cross-check) > a lower bound the text states (a dated caption).
PUBLISHED_COLUMNS = (
    "published, published_source, published_given, published_utc, published_local_day, published_text, "
    "published_text_rule, published_inferred"
)


def _row_to_article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        outlet=row["outlet"],
        url=row["url"],
        authors=json.loads(row["authors"]),
        published=row["published"],
        published_source=row["published_source"],
        language=row["language"],
        ingested_at=row["ingested_at"],
        source=row["source"],
        removed=[Removed(**r) for r in json.loads(row["removed"])],
        duplicate_of=row["duplicate_of"],
        similarity=row["similarity"],
        fetched=row["fetched"],
        text_hash=row["text_hash"],
        published_utc=row["published_utc"],
        published_day=row["published_day"],
    )


def _batched(rows: Iterator[sqlite3.Row], size: int) -> Iterator[list[sqlite3.Row]]:
    chunk: list[sqlite3.Row] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


BUSY_MS = 10_000  # how long a connection waits for another one's lock


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. SQLite answers "database is locked" at once, without waiting, when another
    connection holds the file while it switches too (two first opens of a new store): retried."""
    deadline = time.monotonic() + BUSY_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _connect_uri(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def _migration_names(conn: sqlite3.Connection) -> list[str] | None:
    """The migrations a database records, or None when it has no ``migrations`` table."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").fetchone() is None:
        return None
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name")]


def _refuse_foreign(path: str) -> None:
    """Raise when ``path`` is an SQLite file with tables but no crosswire migrations; it is read
    through a ``mode=ro`` connection, so it is left exactly as it was."""
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        return
    with open(p, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise StoreError("this file is not an SQLite database, so not a crosswire store; give another path "
                             "with --db", source=path)
    made = not Path(path + "-wal").exists() and not Path(path + "-shm").exists()
    try:
        conn = _connect_uri(f"{p.resolve().as_uri()}?mode=ro")
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            names = _migration_names(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise store_error(exc, path, "checking that it is a crosswire store") from None
    finally:
        if made:
            _tidy_wal(path)
    known = {name for name, _ in MIGRATIONS}
    ours = names is not None and (bool(set(names) & known) or tables == ["migrations"])
    if tables and not ours:
        raise StoreError("this SQLite file is not a crosswire store (it has tables of its own and no crosswire "
                         "migrations); it was left untouched; give another path with --db", source=path)


def _tidy_wal(path: str) -> None:
    """Remove the empty -wal and the -shm a read-only open made, the way SQLite does it: a
    connection that closes last checkpoints and deletes them, and does nothing while another
    connection has the file open. The WAL it checkpoints held nothing when the read began, so
    the file is written only if a writer committed in the meantime (as that writer's own close
    would have done)."""
    if not os.access(path + "-wal", os.W_OK) or not os.access(Path(path).resolve().parent, os.W_OK):
        return
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA query_only=ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return  # a busy or locked file keeps its -wal and -shm until its last writer closes


def process_identity(pid: int) -> str | None:
    """What tells process ``pid`` from a later one given the same number: host, boot and start time
    (Linux ``/proc``); None where that cannot be read (then only whether ``pid`` lives is checked)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        start = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None
    return f"{socket.gethostname()}:{boot}:{start}"


def _process_lives(pid: int | None, identity: str | None) -> bool:
    """Whether the process that started a run still runs it. A run recorded on another host (a store
    on a shared disk) is never judged from here: it counts as alive."""
    if pid is None:
        return False
    if identity is not None and not identity.startswith(f"{socket.gethostname()}:"):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # a process of another user has the number: compared by identity below
    if identity is None:
        return True
    now = process_identity(pid)
    return now is None or now == identity


# SQLite's primary result codes that say what went wrong with the file (sqlite3.h)
SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 8, 10, 11, 13, 14, 26
SQLITE_BUSY, SQLITE_LOCKED = 5, 6


def store_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is a failure of the store itself (disk full, I/O error, corrupt file, lock held too
    long, read-only file), which no single article causes: the run stops instead of going on."""
    if not isinstance(exc, sqlite3.Error):
        return False
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (SQLITE_FULL, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_READONLY, SQLITE_BUSY,
                    SQLITE_LOCKED)


def store_error(exc: sqlite3.Error, path: str, doing: str) -> StoreError:
    """A clear :class:`StoreError` naming ``path`` for an SQLite failure while ``doing`` something: a
    full disk, a corrupt file, a failing disk, a lock held too long, a file that cannot be opened."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    text = str(exc)
    if code == SQLITE_FULL or "disk is full" in text:
        return StoreError(f"the disk is full (or the store reached its size limit) while {doing}; what was "
                          "committed before is kept, the batch in progress was rolled back; free some space and "
                          "run the same command again to continue", source=path, code="store_full")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text:
        return StoreError(f"the store is corrupt ({text}) while {doing}; nothing more was written to it; "
                          "restore it from a backup or give another --db (`sqlite3 FILE .recover` may save "
                          "what it holds)", source=path, code="store_corrupt")
    if code == SQLITE_IOERR:
        return StoreError(f"a disk read or write failed ({text}) while {doing}; what was committed before is "
                          "kept; check the disk and run the same command again", source=path, code="store_io")
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreError(f"another process held the store locked for over {BUSY_MS // 1000} s while {doing}; "
                          "run the command again when it is done", source=path, code="store_busy")
    if code == SQLITE_READONLY:
        return StoreError(f"the store cannot be written ({text}) while {doing}; check the permissions of the "
                          "file and its folder", source=path, code="store_readonly")
    if code == SQLITE_CANTOPEN:
        return StoreError(f"the store file cannot be opened ({text}); check the path and permissions or give "
                          "another --db", source=path, code="store_open")
    return StoreError(f"cannot use the store ({text}) while {doing}; is it a crosswire SQLite file? Give another "
                      "path with --db.", source=path)


class Store(FactsMixin, OutletsMixin):
    """Articles, rejections, runs and dedupe signatures in one SQLite file.

    Use as a context manager. Writes go through :meth:`transaction` (short, explicit); reads can
    happen from other connections at the same time thanks to WAL. :meth:`open_read` opens a store
    that is never written: what the reading commands (stories, show, export) use.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False):
        """Open (writing: create and migrate) the store at ``path``.

        Writing refuses an empty path, a folder that does not exist (it is never created) and an
        SQLite file that holds tables but is not a crosswire store; that file is left as it was.
        ``read_only`` opens an existing store for reading only (see :meth:`open_read`).
        """
        self.path = str(path)
        self.read_only = read_only
        self.applied_migrations: list[str] = []
        self._had_wal = True  # whether a -wal or -shm was there before a read-only open
        self._running: list[int] = []  # runs started through this store and not finished yet
        self.noticed_runs: list[int] = []  # runs of dead processes this open closed as 'interrupted'
        if not self.path.strip():
            raise StoreError("the store path is empty; give a file with --db", source=repr(self.path))
        if read_only:
            self._open_read()
        else:
            self._open_write()

    @classmethod
    def open_read(cls, path: str | Path) -> "Store":
        """An existing store opened for reading only: it is never written, not even migrated."""
        return cls(path, read_only=True)

    # opening -------------------------------------------------------------------------------
    def _error(self, what: str, exc: BaseException | None = None) -> StoreError:
        detail = f" ({exc})" if exc is not None else ""
        return StoreError(f"{what}{detail}", source=self.path)

    def _open_write(self) -> None:
        if self.path != ":memory:":
            folder = Path(self.path).parent
            if not folder.is_dir():
                above = next((p for p in (folder, *folder.parents) if p.exists()), None)
                if above is not None and not above.is_dir():
                    raise self._error(f"{above} is a file, not a folder, so it cannot hold a store; give another "
                                      "--db")
                raise self._error(f"the folder {folder} does not exist; create it first or give another --db")
            if Path(self.path).is_dir():
                raise self._error("this is a folder, not a store file; give a file with --db")
            _refuse_foreign(self.path)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            # the wait first: two processes opening a new store at once queue for its first write
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            _use_wal(self.conn)
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._check_intact()
            self.applied_migrations = migrate(self.conn)
            self._close_dead_runs()
        except (sqlite3.Error, StoreError) as exc:
            if getattr(self, "conn", None) is not None:
                self.conn.close()
            if isinstance(exc, StoreError):
                raise
            raise store_error(exc, self.path, "opening it") from None

    def _check_intact(self) -> None:
        """Refuse to write to a store that fails SQLite's ``quick_check`` (a corrupt page, a broken
        index): writing more into it would spread the damage. A new, empty file is not checked."""
        if self.path == ":memory:" or self.conn.execute("PRAGMA page_count").fetchone()[0] == 0:
            return
        problems = [r[0] for r in self.conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise StoreError("the store is corrupt (SQLite's quick_check: " + "; ".join(problems) + "); nothing "
                             "was written to it; restore it from a backup or give another --db (`sqlite3 FILE "
                             ".recover` may save what it holds)", source=self.path, code="store_corrupt")

    def _open_read(self) -> None:
        """``mode=ro``: SQLite never writes the file or its WAL. A WAL-mode reader needs the -shm
        index: when none exists SQLite makes an empty -wal and a -shm beside the file, and
        :meth:`close` has SQLite remove them again (see :func:`_tidy_wal`). Only when the folder is
        not writable, so that no process can make a -wal to write with, and there is no -wal holding
        data, is the file opened ``immutable=1``: then it cannot change while it is read."""
        if self.path == ":memory:" or not Path(self.path).is_file():
            raise self._error("no store here; run a writing command (`crosswire ingest` or `crosswire run`) "
                              "first, or give another --db")
        wal, shm = Path(self.path + "-wal"), Path(self.path + "-shm")
        self._had_wal = wal.exists() or shm.exists()
        uri = Path(self.path).resolve().as_uri()
        try:
            try:
                self.conn = _connect_uri(f"{uri}?mode=ro")
                self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                folder_writable = os.access(Path(self.path).resolve().parent, os.W_OK)
                if folder_writable or (wal.exists() and wal.stat().st_size > 0):
                    raise
                self.conn = _connect_uri(f"{uri}?immutable=1")
                self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self.conn.execute("PRAGMA query_only=ON")
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            names = _migration_names(self.conn)
        except sqlite3.DatabaseError as exc:
            self._close_read()
            raise store_error(exc, self.path, "reading it") from None
        known = [name for name, _ in MIGRATIONS]
        if names is None or not set(names) & set(known):
            self._close_read()
            raise self._error("this SQLite file is not a crosswire store (it has no crosswire migrations); "
                              "give another path with --db")
        missing = [name for name in known if name not in names]
        if missing:
            self._close_read()
            raise self._error(f"the store was made by an older crosswire and lacks {', '.join(missing)}; "
                              "run a writing command such as `crosswire analyze` on it once to upgrade it")

    def _close_read(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None  # type: ignore[assignment]
        if not self._had_wal and (Path(self.path + "-wal").exists() or Path(self.path + "-shm").exists()):
            _tidy_wal(self.path)
        self._had_wal = True

    def close(self) -> None:
        if self.read_only:
            self._close_read()
        else:
            self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def tuned(self, cache_kib: int, mmap_bytes: int) -> Iterator[sqlite3.Connection]:
        """The connection with a page cache of ``cache_kib`` KiB and the first ``mmap_bytes`` of the
        file memory-mapped (read without a copy through SQLite's cache), for a run that reads many
        pages at random (grouping); the connection's own settings are restored after it."""
        cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        mmap = self.conn.execute("PRAGMA mmap_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        self.conn.execute(f"PRAGMA mmap_size = {int(mmap_bytes)}")
        try:
            yield self.conn
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(cache)}")
            self.conn.execute(f"PRAGMA mmap_size = {int(mmap)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on error)."""
        if self.read_only:
            raise self._error("the store is open read-only; only ingest, analyze, group, run, merge and split "
                              "write")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # SQLite ends it itself on some errors (a full disk, an I/O error)
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # runs ---------------------------------------------------------------------------------
    def start_run(self, command: str) -> int:
        """Record a run as 'running', with the process that runs it (see :meth:`_close_dead_runs`)."""
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO runs(command, started_at, status, pid, process_start) VALUES (?, ?, 'running', ?, ?)",
                (command, utcnow_iso(), os.getpid(), process_identity(os.getpid())),
            )
            run_id = int(cur.lastrowid)
        self._running.append(run_id)
        return run_id

    def finish_run(self, run_id: int, summary: IngestSummary | Any) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE runs SET finished_at = ?, summary = ?, status = 'finished' WHERE id = ?",
                (utcnow_iso(), json.dumps(summary.to_dict()), run_id),
            )
        if run_id in self._running:
            self._running.remove(run_id)

    def close_runs(self, status: str, detail: str) -> list[int]:
        """End the runs this store started and did not finish as ``status`` ('interrupted' or 'failed')
        with ``detail``; returns their ids. The store may be full or failing: then the runs stay
        'running' and the next writer that opens the store closes them as 'interrupted'."""
        ended, self._running = self._running, []
        if not ended or self.read_only:
            return ended
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            marks = ",".join("?" * len(ended))
            now = utcnow_iso()
            with self.transaction() as c:
                c.execute(f"UPDATE runs SET status = ?, detail = ?, finished_at = ?, noticed_at = ? "
                          f"WHERE id IN ({marks}) AND status = 'running'", (status, detail, now, now, *ended))
        except sqlite3.Error:
            pass  # recorded at the next open instead (see the docstring)
        return ended

    def _close_dead_runs(self) -> None:
        """Close as 'interrupted' the runs whose process is gone (kill -9, a crash, a power cut): found
        at the next writing open, with ``noticed_at``. A run of a process still alive is left running."""
        rows = self.conn.execute("SELECT id, pid, process_start FROM runs WHERE status = 'running'").fetchall()
        dead = [r["id"] for r in rows if not _process_lives(r["pid"], r["process_start"])]
        if not dead:
            return
        marks = ",".join("?" * len(dead))
        with self.transaction() as c:
            c.execute(f"UPDATE runs SET status = 'interrupted', noticed_at = ?, detail = ? WHERE id IN ({marks}) "
                      "AND status = 'running'",
                      (utcnow_iso(), "its process ended without closing it (killed or crashed)", *dead))
        self.noticed_runs = dead

    def runs(self) -> list[dict[str, Any]]:
        """Every run: id, command, status, started_at, finished_at, noticed_at, detail."""
        return [dict(r) for r in self.conn.execute(
            "SELECT id, command, status, started_at, finished_at, noticed_at, detail FROM runs ORDER BY id")]

    # articles -----------------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0] for r in self.conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
            )
        return found

    def insert_article(self, article: Article, run_id: int | None) -> None:
        """Insert one article (its ingest record, and its copy link if dedupe found one); call inside
        :meth:`transaction`. The ingest record is never written again."""
        self.conn.execute(
            f"INSERT INTO article_records({RECORD_COLUMNS}, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.title,
                article.text,
                article.outlet,
                article.url,
                json.dumps(article.authors, ensure_ascii=False),
                article.published,
                article.published_source,
                article.language,
                article.ingested_at,
                article.source,
                json.dumps([r.to_dict() for r in article.removed], ensure_ascii=False),
                article.fetched,
                article.text_hash,
                article.published_utc,
                article.published_day,
                run_id,
            ),
        )
        if article.duplicate_of:
            self.set_duplicate(article.id, article.duplicate_of, article.similarity)

    def set_duplicate(self, article_id: str, duplicate_of: str | None, similarity: float | None) -> None:
        """Dedupe's record: point an article at its original, or make it an original (None); inside a
        transaction."""
        if duplicate_of is None:
            self.conn.execute("DELETE FROM copies WHERE article_id = ?", (article_id,))
            return
        self.conn.execute(
            "INSERT INTO copies(article_id, duplicate_of, similarity) VALUES (?, ?, ?) ON CONFLICT(article_id) "
            "DO UPDATE SET duplicate_of = excluded.duplicate_of, similarity = excluded.similarity",
            (article_id, duplicate_of, similarity),
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return _row_to_article(row) if row else None

    def iter_articles(self, batch: int = 1000) -> Iterator[Article]:
        """Every article, in ingest order, read in batches (memory stays flat)."""
        return (_row_to_article(r) for r in paged_rows(self.conn, "articles", ARTICLE_COLUMNS, batch))

    def published_of(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Each article's effective publication (view ``article_published``): ``published`` (the
        day), ``published_source`` (metadata, text or inferred), and what it was chosen from."""
        ids = list(article_ids)
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT article_id, {PUBLISHED_COLUMNS} FROM article_published WHERE article_id IN ({marks})", chunk
            ):
                out[r["article_id"]] = {k: r[k] for k in r.keys() if k != "article_id"}
        return out

    def iter_articles_published(self, batch: int = 1000) -> Iterator[tuple[Article, dict[str, Any]]]:
        """Every article in ingest order with its effective publication (see :meth:`published_of`)."""
        for rows in _batched(paged_rows(self.conn, "articles", ARTICLE_COLUMNS, batch), batch):
            published = self.published_of(r["id"] for r in rows)
            for r in rows:
                yield _row_to_article(r), published.get(r["id"], {})

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def copies_of(self, article_id: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM articles WHERE duplicate_of = ? ORDER BY rowid", (article_id,)
            )
        ]

    # rejections ---------------------------------------------------------------------------
    def record_rejections(self, rejections: Iterable[Rejection], run_id: int | None) -> None:
        """Store rejections; the same file rejected again for the same reason is updated, not doubled."""
        rows = [(r.source, r.reason, r.detail, run_id, run_id) for r in rejections]
        if not rows:
            return
        with self.transaction() as c:
            c.executemany(
                "INSERT INTO rejections(source, reason, detail, first_run_id, last_run_id) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(source, reason) DO UPDATE SET "
                "detail = excluded.detail, last_run_id = excluded.last_run_id, seen = seen + 1",
                rows,
            )

    def rejections(self) -> list[Rejection]:
        return [
            Rejection(r["source"], r["reason"], r["detail"])
            for r in self.conn.execute("SELECT source, reason, detail FROM rejections ORDER BY id")
        ]
