"""Named schema migrations, applied in order, each once, each in its own transaction."""

from __future__ import annotations

import sqlite3

from ..times import utcnow_iso

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
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database lacks; returns their names."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        with conn:  # one transaction per migration
            conn.execute("BEGIN")
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO migrations(name, applied_at) VALUES (?, ?)", (name, utcnow_iso()))
        applied.append(name)
    return applied
