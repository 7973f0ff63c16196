"""The SQLite store: one file, WAL mode, one writer connection in short transactions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crosswire.errors import StoreError
from crosswire.models import Article, IngestSummary, Rejection, Removed
from crosswire.times import utcnow_iso
from crosswire.store.facts import FactsMixin, paged_rows
from crosswire.store.migrations import migrate

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


class Store(FactsMixin):
    """Articles, rejections, runs and dedupe signatures in one SQLite file.

    Use as a context manager. Writes go through :meth:`transaction` (short, explicit); reads can
    happen from other connections at the same time thanks to WAL.
    """

    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=10000")
            self.applied_migrations = migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open the store ({exc}); is it a crosswire SQLite file? "
                "Give another path with --db.",
                source=self.path,
            ) from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on error)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # runs ---------------------------------------------------------------------------------
    def start_run(self, command: str) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO runs(command, started_at) VALUES (?, ?)", (command, utcnow_iso())
            )
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, summary: IngestSummary | Any) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?",
                (utcnow_iso(), json.dumps(summary.to_dict()), run_id),
            )

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
        """Insert one article; call inside :meth:`transaction`."""
        self.conn.execute(
            f"INSERT INTO articles({ARTICLE_COLUMNS}, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                article.duplicate_of,
                article.similarity,
                article.fetched,
                article.text_hash,
                article.published_utc,
                article.published_day,
                run_id,
            ),
        )

    def set_duplicate(self, article_id: str, duplicate_of: str | None, similarity: float | None) -> None:
        """Point an article at its original (or make it an original); inside a transaction."""
        self.conn.execute(
            "UPDATE articles SET duplicate_of = ?, similarity = ? WHERE id = ?",
            (duplicate_of, similarity, article_id),
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
