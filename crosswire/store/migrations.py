"""Named schema migrations, applied in order, each once, each in its own transaction."""

from __future__ import annotations

import sqlite3
from typing import Callable

from crosswire.store.outlets import migrate_outlets
from crosswire.times import utcnow_iso

# Each migration is SQL statements, or a function run on the connection (inside the transaction) when
# it needs Python: 0007 computes outlet keys with the Public Suffix List.
MIGRATIONS: list[tuple[str, str | Callable[[sqlite3.Connection], None]]] = [
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
    (
        # Records that stay whole (issue 9): articles are immutable after ingest. The metadata's
        # publication time is kept as given (``published``) with its UTC instant and the outlet's
        # local day; stores made before kept UTC only, so their local day is the UTC day. A day the
        # text gave (``published_source`` 'text') moves out of the article: into a facts-stage
        # record (``published_migrated``) until the article is analysed again, which makes it a
        # ``published`` fact with its evidence. An inferred day ('inferred') was already in
        # ``published_inferences``; the article gets back the value it had before the inference.
        # Facts get an ordinal so two facts of one span no longer share an id. The view
        # ``article_published`` gives every article's effective publication day and its source.
        "0005_published_records",
        """
        ALTER TABLE articles ADD COLUMN published_utc TEXT;
        ALTER TABLE articles ADD COLUMN published_day TEXT;
        ALTER TABLE facts ADD COLUMN ordinal INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE published_migrated (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            value TEXT NOT NULL,
            source TEXT NOT NULL,
            rule TEXT NOT NULL,
            migrated_at TEXT NOT NULL
        );
        INSERT INTO published_migrated(article_id, value, source, rule, migrated_at)
            SELECT a.id, a.published, 'text', 'ingest_byline_or_dateline', strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
            FROM articles a WHERE a.published_source = 'text' AND a.published IS NOT NULL
            UNION ALL
            SELECT a.id, i.previous, 'text', 'ingest_byline_or_dateline', strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
            FROM articles a JOIN published_inferences i ON i.article_id = a.id
            WHERE a.published_source = 'inferred' AND i.previous_source = 'text' AND i.previous IS NOT NULL;
        UPDATE articles SET
            published = CASE WHEN published_source = 'inferred' THEN
                (SELECT i.previous FROM published_inferences i WHERE i.article_id = articles.id
                 AND i.previous_source = 'metadata') END,
            published_source = CASE WHEN published_source = 'inferred' AND EXISTS (
                SELECT 1 FROM published_inferences i WHERE i.article_id = articles.id
                AND i.previous_source = 'metadata' AND i.previous IS NOT NULL) THEN 'metadata' END
            WHERE published_source IN ('text', 'inferred');
        UPDATE articles SET published_day = substr(published, 1, 10),
            published_utc = CASE WHEN length(published) > 10 THEN published END
            WHERE published IS NOT NULL;
        CREATE VIEW article_published AS
        SELECT article_id, published_given, published_utc, published_local_day, published_text,
            published_text_rule, published_inferred,
            CASE WHEN published_local_day IS NOT NULL THEN published_local_day
                 WHEN published_text IS NOT NULL AND published_text_rule != 'latest_weekday_date' THEN published_text
                 WHEN published_inferred IS NOT NULL THEN published_inferred
                 ELSE published_text END AS published,
            CASE WHEN published_local_day IS NOT NULL THEN 'metadata'
                 WHEN published_text IS NOT NULL AND published_text_rule != 'latest_weekday_date' THEN 'text'
                 WHEN published_inferred IS NOT NULL THEN 'inferred'
                 WHEN published_text IS NOT NULL THEN 'text' END AS published_source
        FROM (
            SELECT a.id AS article_id, a.published AS published_given, a.published_utc,
                a.published_day AS published_local_day,
                coalesce(json_extract(t.value, '$'), m.value) AS published_text,
                CASE WHEN t.id IS NOT NULL THEN coalesce(json_extract(t.detail, '$.rule'), '')
                     ELSE m.rule END AS published_text_rule,
                i.value AS published_inferred
            FROM articles a
            LEFT JOIN facts t ON t.article_id = a.id AND t.kind = 'published'
            LEFT JOIN published_migrated m ON m.article_id = a.id
            LEFT JOIN published_inferences i ON i.article_id = a.id AND i.precision = 'day'
        );
        CREATE UNIQUE INDEX facts_one_published ON facts(article_id) WHERE kind = 'published';
        """,
    ),
    (
        # The dedupe stage writes its own record: which article is a copy of which (it may re-point a
        # group when an earlier copy arrives later). The ingest record (article_records) is never
        # written after its insert; the view `articles` joins the two for every reader. The old
        # duplicate_of/similarity columns stay in article_records (SQLite cannot drop a column that
        # holds a foreign key) but are no longer read or written.
        "0006_copies",
        """
        ALTER TABLE articles RENAME TO article_records;
        CREATE TABLE copies (
            article_id TEXT PRIMARY KEY REFERENCES article_records(id),
            duplicate_of TEXT NOT NULL REFERENCES article_records(id),
            similarity REAL
        );
        INSERT INTO copies(article_id, duplicate_of, similarity)
            SELECT id, duplicate_of, similarity FROM article_records WHERE duplicate_of IS NOT NULL;
        UPDATE article_records SET duplicate_of = NULL, similarity = NULL WHERE duplicate_of IS NOT NULL;
        DROP INDEX articles_duplicate_of;
        CREATE INDEX copies_duplicate_of ON copies(duplicate_of);
        CREATE VIEW articles AS
            SELECT r.rowid AS rowid, r.id, r.title, r.text, r.outlet, r.url, r.authors, r.published,
                r.published_source, r.language, r.ingested_at, r.source, r.removed,
                c.duplicate_of, c.similarity, r.fetched, r.text_hash, r.run_id, r.published_utc,
                r.published_day
            FROM article_records r LEFT JOIN copies c ON c.article_id = r.id;
        """,
    ),
    # One outlet, one name; metadata that can be fixed (issue 10): every article gets an outlet key
    # (the registered domain of its URL, archive copies unwrapped to the original site) and every key
    # one name; corrections of outlet, url, authors and published (by a re-ingest or by hand) are kept
    # in their own tables and layered over the unchanged ingest record in the views `articles` and
    # `article_published`. See crosswire/store/outlets.py.
    ("0007_outlets", migrate_outlets),
    (
        # Every run says how it ended. ``pid`` and ``process_start`` name the process that runs it, so a
        # later open can tell a run still going (another process) from one whose process died (kill -9):
        # that one is closed as 'interrupted' with ``noticed_at``. Runs an older crosswire left unfinished
        # are closed the same way here.
        "0008_run_status",
        """
        ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'finished', 'interrupted', 'failed'));
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN process_start TEXT;
        ALTER TABLE runs ADD COLUMN noticed_at TEXT;
        ALTER TABLE runs ADD COLUMN detail TEXT;
        UPDATE runs SET status = 'finished' WHERE finished_at IS NOT NULL;
        UPDATE runs SET status = 'interrupted', detail = 'left unfinished before runs recorded how they ended',
            noticed_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now') WHERE finished_at IS NULL;
        CREATE INDEX runs_running ON runs(status) WHERE status = 'running';
        """,
    ),
    (
        # A reader's review of a conflict in a story's record (issue 13): one row per action, never
        # updated, so the history stays; the latest action on a fact ('reviewed' or 'withdrawn') is its
        # state. ``story_id`` and ``fact_id`` as the record named them when it was reviewed, with the
        # fact's slot and its values then (a later record may no longer hold the same conflict).
        "0009_conflict_reviews",
        """
        CREATE TABLE conflict_reviews (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL,
            fact_id TEXT NOT NULL,
            slot TEXT,
            action TEXT NOT NULL CHECK (action IN ('reviewed', 'withdrawn')),
            note TEXT NOT NULL,
            who TEXT NOT NULL,
            fact_values TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL
        );
        CREATE INDEX conflict_reviews_story ON conflict_reviews(story_id, id);
        """,
    ),
    (
        # Grouping cost flat to 1,000,000 articles (issue 12): the facts of a batch of articles of some
        # kinds (``article_id IN (...) AND kind IN (...)``, how the story stage reads its features)
        # were found through facts_kind_about once the batch passed a few dozen articles, reading
        # every entity, place and date fact in the store. One index on (article_id, kind, about)
        # answers both parts, and every lookup of one article's facts; facts_article is its prefix.
        "0010_facts_by_article_kind",
        """
        CREATE INDEX facts_article_kind ON facts(article_id, kind, about);
        DROP INDEX facts_article;
        """,
    ),
    (
        # crosswire watch: per source its last poll, HTTP validators, items, errors and backoff; every
        # item seen (key: its guid or URL) once it is stored or rejected, so a restart -- also after
        # kill -9 -- fetches only what it had not finished; alerts keyed by rule + story + digest of what
        # triggered them (an outbox: ``sent_at`` is set once every sink has it); what each rule last saw
        # of each story (to tell a new conflict or a changed count).
        "0011_watch",
        """
        CREATE TABLE watch_sources (
            url TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            every REAL NOT NULL,
            last_poll TEXT,
            last_ok TEXT,
            next_poll TEXT,
            etag TEXT,
            last_modified TEXT,
            items INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        );
        CREATE TABLE watch_items (
            source TEXT NOT NULL,
            key TEXT NOT NULL,
            url TEXT,
            status TEXT NOT NULL CHECK (status IN ('stored', 'rejected')),
            reason TEXT,
            detail TEXT,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (source, key)
        ) WITHOUT ROWID;
        CREATE TABLE watch_errors (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            url TEXT,
            at TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE INDEX watch_errors_source ON watch_errors(source);
        CREATE TABLE watch_alerts (
            rule TEXT NOT NULL,
            story TEXT NOT NULL,
            digest TEXT NOT NULL,
            line TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            PRIMARY KEY (rule, story, digest)
        );
        CREATE INDEX watch_alerts_unsent ON watch_alerts(created_at) WHERE sent_at IS NULL;
        CREATE TABLE watch_seen_stories (
            rule TEXT NOT NULL,
            story TEXT NOT NULL,
            version TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            PRIMARY KEY (rule, story)
        ) WITHOUT ROWID;
        """,
    ),
    (
        # an article's multilingual embedding (stories.embeddings), computed once per model
        "0012_article_embeddings",
        """
        CREATE TABLE article_embeddings (
            article_id TEXT PRIMARY KEY REFERENCES article_records(id),
            model TEXT NOT NULL,
            vector BLOB NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
    (
        # One story's related links are looked up from both ends (the story page, `crosswire stories ID`):
        # the primary key serves the newer end, this index the older one.
        "0013_story_links_related",
        "CREATE INDEX IF NOT EXISTS story_links_related ON story_links(related_id);",
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
            if callable(sql):
                sql(conn)
            else:
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
