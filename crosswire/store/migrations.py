"""Named schema migrations, applied in order, each once, each in its own transaction."""

from __future__ import annotations

import sqlite3

from crosswire.times import utcnow_iso

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_articles",
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            summary TEXT
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            outlet TEXT,
            url TEXT,
            authors TEXT NOT NULL DEFAULT '[]',
            published TEXT,
            published_source TEXT CHECK (published_source IN ('metadata', 'text', 'inferred')),
            language TEXT,
            ingested_at TEXT NOT NULL,
            source TEXT NOT NULL,
            removed TEXT NOT NULL DEFAULT '[]',
            duplicate_of TEXT REFERENCES articles(id),
            similarity REAL,
            fetched TEXT,
            text_hash TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE INDEX articles_text_hash ON articles(text_hash);
        CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE rejections (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            first_run_id INTEGER REFERENCES runs(id),
            last_run_id INTEGER REFERENCES runs(id),
            seen INTEGER NOT NULL DEFAULT 1,
            UNIQUE (source, reason)
        );
        CREATE TABLE minhashes (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            signature BLOB NOT NULL
        );
        CREATE TABLE lsh_bands (
            band INTEGER NOT NULL,
            key INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id),
            PRIMARY KEY (band, key, article_id)
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0002_facts",
        """
        CREATE TABLE analyses (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            pipeline TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('analyzed', 'skipped')),
            reason TEXT,
            detail TEXT,
            event TEXT NOT NULL DEFAULT '{}',
            discards TEXT NOT NULL DEFAULT '[]',
            published_evidence TEXT,
            seconds REAL,
            run_id INTEGER REFERENCES runs(id),
            analyzed_at TEXT NOT NULL
        );
        CREATE TABLE facts (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            kind TEXT NOT NULL,
            about TEXT NOT NULL,
            value TEXT NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            stage TEXT NOT NULL,
            confidence REAL NOT NULL,
            role TEXT,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX facts_article ON facts(article_id);
        CREATE INDEX facts_kind_about ON facts(kind, about);
        """,
    ),
    (
        "0003_stories",
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            n_articles INTEGER NOT NULL DEFAULT 0,
            n_reports INTEGER NOT NULL DEFAULT 0,
            first_day TEXT,
            last_day TEXT,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged')),
            merged_into TEXT REFERENCES stories(id),
            model TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT '{}',
            vectors BLOB,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX stories_status_last ON stories(status, last_day);
        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            story_id TEXT NOT NULL REFERENCES stories(id),
            role TEXT NOT NULL CHECK (role IN ('original', 'copy')),
            method TEXT NOT NULL CHECK (method IN ('new', 'joined', 'copy', 'correction')),
            probability REAL,
            why TEXT NOT NULL DEFAULT '{}',
            seq INTEGER NOT NULL,
            run_id INTEGER REFERENCES runs(id),
            placed_at TEXT NOT NULL
        );
        CREATE INDEX story_articles_story ON story_articles(story_id, seq);
        CREATE TABLE story_keys (
            key INTEGER NOT NULL,
            day INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            story_id TEXT NOT NULL,
            PRIMARY KEY (key, day, seq)
        ) WITHOUT ROWID;
        CREATE INDEX story_keys_story ON story_keys(story_id);
        CREATE TABLE story_links (
            story_id TEXT NOT NULL REFERENCES stories(id),
            related_id TEXT NOT NULL REFERENCES stories(id),
            probability REAL NOT NULL,
            why TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            PRIMARY KEY (story_id, related_id)
        );
        CREATE TABLE story_corrections (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE story_meta (
            name TEXT PRIMARY KEY,
            value BLOB
        );
        """,
    ),
    (
        "0004_crosscheck",
        """
        CREATE TABLE briefings (
            story_id TEXT PRIMARY KEY,
            json TEXT NOT NULL,
            computed_at TEXT NOT NULL,
            articles_hash TEXT NOT NULL
        );
        CREATE TABLE published_inferences (
            article_id TEXT PRIMARY KEY,
            story_id TEXT NOT NULL,
            value TEXT,
            low TEXT NOT NULL,
            high TEXT NOT NULL,
            precision TEXT NOT NULL CHECK (precision IN ('day', 'range')),
            stored INTEGER NOT NULL DEFAULT 0,
            previous TEXT,
            previous_source TEXT,
            evidence TEXT NOT NULL DEFAULT '[]',
            computed_at TEXT NOT NULL
        );
        """,
    ),
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database lacks; returns their names.

    Each runs in its own ``BEGIN IMMEDIATE`` transaction and is looked up again inside it, so two
    processes opening a new store at once apply each migration once: the second waits for the
    first's write lock, then finds the migration done. A store that is up to date is not written.
    """
    if _done(conn) >= {name for name, _ in MIGRATIONS}:
        return []
    applied = []
    for name, sql in MIGRATIONS:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            if name in _done(conn):
                conn.execute("COMMIT")
                continue
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO migrations(name, applied_at) VALUES (?, ?)", (name, utcnow_iso()))
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(name)
    return applied


def _done(conn: sqlite3.Connection) -> set[str]:
    """The names of the migrations applied so far (none when there is no ``migrations`` table)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").fetchone() is None:
        return set()
    return {row[0] for row in conn.execute("SELECT name FROM migrations")}
