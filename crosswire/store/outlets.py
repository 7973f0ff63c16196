"""Store methods for outlets and metadata corrections (migration ``0007_outlets``).

The ingest record (``article_records``) stays as it was ingested. Two records are layered over it:

* ``article_corrections``: every change of an article's metadata (``outlet``, ``url``, ``authors``,
  ``published``), kept: the old and new value, whether a re-ingest (``ingest``, naming the input)
  or a person (``manual``, with who) made it, and when. ``article_overrides`` holds the values now in
  force, one row per corrected article.
* ``outlet_keys`` (the outlet key of each article, see :mod:`crosswire.outlets`, and the name its
  metadata gave) and ``outlets`` (one row per key with the one name it is shown by: a name set by
  hand, else the name most of its articles' metadata gave, else the domain).

The view ``articles`` that every reader uses gives the corrected values and the outlet's one name
(``outlet``), with ``outlet_key`` and ``outlet_given`` (the article's own outlet value) beside them;
``article_published`` reads the corrected publication time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from crosswire.errors import UsageError
from crosswire.outlets import fold_name, host_of, looks_like_domain, name_matches_domain, outlet_key, outlet_name
from crosswire.times import parse_published, utcnow_iso

FIELDS = ("outlet", "url", "authors", "published")

MIGRATION_SQL = """
CREATE TABLE article_corrections (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES article_records(id),
    field TEXT NOT NULL CHECK (field IN ('outlet', 'url', 'authors', 'published')),
    previous TEXT,
    value TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('ingest', 'manual')),
    source TEXT,
    who TEXT,
    run_id INTEGER REFERENCES runs(id),
    created_at TEXT NOT NULL
);
CREATE INDEX article_corrections_article ON article_corrections(article_id, field, id);
CREATE TABLE article_overrides (
    article_id TEXT PRIMARY KEY REFERENCES article_records(id),
    outlet TEXT,
    url TEXT,
    authors TEXT,
    published TEXT,
    published_utc TEXT,
    published_day TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE outlet_keys (
    article_id TEXT PRIMARY KEY REFERENCES article_records(id),
    key TEXT NOT NULL,
    name TEXT,
    manual INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outlet_keys_key ON outlet_keys(key);
CREATE TABLE outlets (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    articles INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
DELETE FROM briefings;
DROP VIEW article_published;
DROP VIEW articles;
CREATE VIEW articles AS
    SELECT r.rowid AS rowid, r.id, r.title, r.text,
        coalesce(o.name, v.outlet, r.outlet) AS outlet,
        coalesce(v.url, r.url) AS url,
        coalesce(v.authors, r.authors) AS authors,
        coalesce(v.published, r.published) AS published,
        CASE WHEN v.published IS NOT NULL THEN 'metadata' ELSE r.published_source END AS published_source,
        r.language, r.ingested_at, r.source, r.removed,
        c.duplicate_of, c.similarity, r.fetched, r.text_hash, r.run_id,
        CASE WHEN v.published IS NOT NULL THEN v.published_utc ELSE r.published_utc END AS published_utc,
        coalesce(v.published_day, r.published_day) AS published_day,
        k.key AS outlet_key, coalesce(v.outlet, r.outlet) AS outlet_given
    FROM article_records r LEFT JOIN copies c ON c.article_id = r.id
        LEFT JOIN article_overrides v ON v.article_id = r.id
        LEFT JOIN outlet_keys k ON k.article_id = r.id
        LEFT JOIN outlets o ON o.key = k.key;
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
)
"""


def migrate_outlets(conn: sqlite3.Connection) -> None:
    """Migration ``0007_outlets``: the tables and views above, then every stored article's outlet
    key (an old store's ``web.archive.org`` articles get their original site's key; ids stay). The
    cached cross-checks are dropped: their outlets' names changed (the next ``analyze`` redoes them)."""
    for statement in MIGRATION_SQL.split(";"):
        if statement.strip():
            conn.execute(statement)
    ids = [r[0] for r in conn.execute("SELECT id FROM article_records ORDER BY rowid")]
    for i in range(0, len(ids), 1000):
        place_outlets(conn, ids[i : i + 1000])


def _manual_outlet(conn: sqlite3.Connection, article_id: str) -> bool:
    return conn.execute("SELECT 1 FROM article_corrections WHERE article_id = ? AND field = 'outlet' AND "
                        "origin = 'manual' LIMIT 1", (article_id,)).fetchone() is not None


def key_of_name(conn: sqlite3.Connection, name: str, url: str | None = None) -> str | None:
    """The key an outlet named by hand belongs to: its domain when it is one, else the outlet that
    is shown by that name already, else the article's own site when the name spells its domain out
    (``Alpine Ledger`` on ``alpine-ledger.example``), else the folded name."""
    if looks_like_domain(name):
        return outlet_key(name)
    folded = fold_name(name)
    for key, shown in conn.execute("SELECT key, name FROM outlets ORDER BY articles DESC, key"):
        if fold_name(shown) == folded:
            return str(key)
    site = outlet_key(None, url)
    if site and name_matches_domain(name, site):
        return site
    return folded or None


def place_outlets(conn: sqlite3.Connection, article_ids: Iterable[str]) -> None:
    """Give each article its outlet key and name (from its current metadata; an outlet set by hand
    decides the key, else the URL's domain, else the outlet's name), then choose the one name of
    every key that gained or lost an article. Inside a transaction."""
    touched: set[str] = set()
    for aid in article_ids:
        row = conn.execute("SELECT outlet_given, url FROM articles WHERE id = ?", (aid,)).fetchone()
        if row is None:
            continue
        given, url = row[0], row[1]
        old = conn.execute("SELECT key FROM outlet_keys WHERE article_id = ?", (aid,)).fetchone()
        if old:
            touched.add(old[0])
        manual = bool(given) and _manual_outlet(conn, aid)
        key = key_of_name(conn, given, url) if manual else outlet_key(given, url)
        if key is None:
            conn.execute("DELETE FROM outlet_keys WHERE article_id = ?", (aid,))
            continue
        conn.execute("INSERT OR REPLACE INTO outlet_keys(article_id, key, name, manual) VALUES (?, ?, ?, ?)",
                     (aid, key, outlet_name(given), int(manual)))
        touched.add(key)
    refresh_outlets(conn, touched)


def refresh_outlets(conn: sqlite3.Connection, keys: Iterable[str]) -> None:
    """The one name of each key: a name given by hand, else the name most of its articles gave
    (the earliest on a tie; names that differ only in case are one), else the host most of its
    articles are on (``abcnews.go.com``, whose key is ``go.com``), else the key."""
    now = utcnow_iso()
    for key in sorted(set(keys)):
        n = conn.execute("SELECT count(*) FROM outlet_keys WHERE key = ?", (key,)).fetchone()[0]
        if not n:
            conn.execute("DELETE FROM outlets WHERE key = ?", (key,))
            continue
        votes: dict[str, list[Any]] = {}
        hosts: dict[str, list[Any]] = {}
        for name, manual, rowid, given, url in conn.execute(
                "SELECT k.name, k.manual, a.rowid, a.outlet_given, a.url FROM outlet_keys k "
                "JOIN articles a ON a.id = k.article_id WHERE k.key = ? ORDER BY a.rowid", (key,)):
            if name is None:  # no name: the host it gave (abcnews.go.com), when it is this key's
                host = host_of(given if given and "://" in given else f"http://{given}") if given else None
                host = host if host and outlet_key(host) == key else host_of(url)
                if host:
                    hosts.setdefault(host, [0, 0, rowid, host])[1] += 1
                continue
            vote = votes.setdefault(fold_name(name), [0, 0, rowid, name])
            vote[0] = max(vote[0], manual)
            vote[1] += 1
        pick = votes or hosts
        best = min(pick.values(), key=lambda v: (-v[0], -v[1], v[2]))[3] if pick else key
        conn.execute("INSERT INTO outlets(key, name, articles, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) "
                     "DO UPDATE SET name = excluded.name, articles = excluded.articles, updated_at = excluded.updated_at",
                     (key, best, n, now))


def _domain_side(outlet: str | None, url: str | None) -> str | None:
    """The domain an article's metadata puts it on (its URL's, or its outlet's when that is a domain)."""
    if url:
        return outlet_key(None, url)
    return outlet_key(outlet) if outlet and looks_like_domain(outlet) else None


def _compatible(old: sqlite3.Row, outlet: str | None, url: str | None) -> bool:
    """Whether a stored article and new metadata for the same title and text, read from another input,
    are one article: nothing tells them apart (two URLs, two outlet names, two domains, or a name and a
    domain that is not that name's). Otherwise the new one is a second article (a syndicated copy)."""
    if url and old["url"]:
        return url.strip() == old["url"].strip()
    a, b = outlet_name(old["outlet_given"]), outlet_name(outlet)
    if a and b:
        return fold_name(a) == fold_name(b)
    da, db = _domain_side(old["outlet_given"], old["url"]), _domain_side(outlet, url)
    if da and db:
        return da == db
    if a and db:
        return name_matches_domain(a, db)
    if b and da:
        return name_matches_domain(b, da)
    return True  # one of them names no outlet at all


class OutletsMixin:
    """Outlet keys and names, and corrections of an article's metadata, on the one store connection."""

    conn: sqlite3.Connection

    def same_article(self, article_id: str, title: str, text: str, text_hash: str, source: str,
                     outlet: str | None, url: str | None) -> str | None:
        """The stored article a newly read one is, or None for a new article: the same id, else the
        same title and text read from the same input, or with metadata that does not contradict it
        (a URL, outlet or date it lacked is new metadata for it, not a second article)."""
        if self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
            return article_id
        rows = self.conn.execute(
            "SELECT id, text, source, url, outlet_given FROM articles WHERE text_hash = ? AND title = ? ORDER BY rowid",
            (text_hash, title)).fetchall()
        rows = [r for r in rows if r["text"] == text]
        for r in rows:
            if r["source"] == source:
                return str(r["id"])
        for r in rows:
            if _compatible(r, outlet, url):
                return str(r["id"])
        return None

    def metadata_changes(self, article_id: str, *, outlet: str | None, url: str | None, authors: list[str],
                         published: str | None) -> tuple[dict[str, tuple[Any, Any]], list[str]]:
        """What new metadata for a stored article changes: ``{field: (old, new)}``, and the fields left
        alone because a person corrected them (a re-ingest never undoes a correction made by hand).
        Missing metadata never erases a value; a domain never replaces an outlet's name."""
        row = self.conn.execute("SELECT outlet_given, url, authors, published FROM articles WHERE id = ?",
                                (article_id,)).fetchone()
        manual = {r[0] for r in self.conn.execute(
            "SELECT DISTINCT field FROM article_corrections WHERE article_id = ? AND origin = 'manual'", (article_id,))}
        changes: dict[str, tuple[Any, Any]] = {}
        old_outlet = row["outlet_given"]
        if outlet and outlet != old_outlet and (
                not old_outlet or outlet_name(outlet)  # a name, or an outlet where there was none
                or (not outlet_name(old_outlet) and outlet_key(outlet) != outlet_key(old_outlet))):  # another site
            changes["outlet"] = (old_outlet, outlet)
        if url and url != row["url"]:
            changes["url"] = (row["url"], url)
        old_authors = json.loads(row["authors"] or "[]")
        if authors and authors != old_authors:
            changes["authors"] = (old_authors, list(authors))
        if published and published != row["published"]:
            changes["published"] = (row["published"], published)
        kept = sorted(f for f in changes if f in manual)
        return {f: v for f, v in changes.items() if f not in manual}, kept

    def correct_article(self, article_id: str, changes: dict[str, Any], *, origin: str, source: str | None = None,
                        who: str | None = None, run_id: int | None = None) -> dict[str, tuple[Any, Any]]:
        """Set new metadata values (``{field: value}``) over an article's record, each change kept in
        ``article_corrections``; its outlet key and name follow, and the stories that hold it or its
        copies are marked for cross-checking again (their cached records dropped). Returns
        ``{field: (old, new)}`` of what changed. Inside a transaction."""
        unknown = sorted(set(changes) - set(FIELDS))
        if unknown:
            raise UsageError(f"cannot correct {', '.join(unknown)}; the fields are {', '.join(FIELDS)}")
        row = self.conn.execute("SELECT outlet_given, url, authors, published FROM articles WHERE id = ?",
                                (article_id,)).fetchone()
        if row is None:
            raise UsageError(f"no article {article_id!r}")
        now = utcnow_iso()
        done: dict[str, tuple[Any, Any]] = {}
        self.conn.execute("INSERT OR IGNORE INTO article_overrides(article_id, updated_at) VALUES (?, ?)",
                          (article_id, now))
        for field in FIELDS:
            if field not in changes:
                continue
            value = changes[field]
            old: Any = row["outlet_given"] if field == "outlet" else row[field]
            parsed = None
            if field == "authors":
                old, value = json.loads(old or "[]"), list(value)
                stored = json.dumps(value, ensure_ascii=False)
            elif field == "published":
                parsed = parse_published(value)
                if parsed is None:
                    raise UsageError(f"{value!r} is not a publication date crosswire can read; give an ISO 8601 "
                                     "date such as 2025-03-10 or 2025-03-10T08:00:00+01:00")
                value = stored = parsed.given
            else:
                value = stored = str(value).strip()
            if old == value:
                continue
            if parsed is not None:
                self.conn.execute("UPDATE article_overrides SET published = ?, published_utc = ?, published_day = ?, "
                                  "updated_at = ? WHERE article_id = ?",
                                  (parsed.given, parsed.utc, parsed.day, now, article_id))
            else:
                self.conn.execute(f"UPDATE article_overrides SET {field} = ?, updated_at = ? WHERE article_id = ?",
                                  (stored, now, article_id))
            previous = json.dumps(old, ensure_ascii=False) if field == "authors" else old
            self.conn.execute(
                "INSERT INTO article_corrections(article_id, field, previous, value, origin, source, who, run_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, field, previous, stored, origin, source, who, run_id, now))
            done[field] = (old, value)
        if not done:
            if self.conn.execute("SELECT 1 FROM article_corrections WHERE article_id = ?", (article_id,)).fetchone() is None:
                self.conn.execute("DELETE FROM article_overrides WHERE article_id = ?", (article_id,))
            return done
        if "outlet" in done or "url" in done:
            place_outlets(self.conn, [article_id])
        self.mark_for_crosscheck([article_id])
        return done

    def mark_for_crosscheck(self, article_ids: Iterable[str]) -> list[str]:
        """Drop the cached cross-check of every story holding these articles or their copies, so the
        next ``analyze`` (or ``group``) checks them again; returns those stories' ids."""
        ids = list(article_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        stories = [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT m.story_id FROM story_articles m JOIN articles a ON a.id = m.article_id "
            f"WHERE a.id IN ({marks}) OR a.duplicate_of IN ({marks}) ORDER BY m.story_id", ids + ids)]
        self.conn.executemany("DELETE FROM briefings WHERE story_id = ?", [(s,) for s in stories])
        return stories

    def resolve_article(self, ref: str) -> str:
        """The article an id (or a unique id prefix of 6+ characters) names."""
        ref = ref.strip()
        rows = self.conn.execute("SELECT id FROM article_records WHERE id = ?", (ref,)).fetchall()
        if not rows and len(ref) >= 6:
            rows = self.conn.execute("SELECT id FROM article_records WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                                     (ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",)
                                     ).fetchall()
        if len(rows) != 1:
            raise UsageError(f"no article {ref!r}; `crosswire export --what articles` lists the ids" if not rows
                             else f"article prefix {ref!r} is ambiguous; give more of the id")
        return str(rows[0][0])

    def article_corrections(self, article_id: str) -> list[dict[str, Any]]:
        """Every metadata correction of an article, oldest first."""
        return [dict(r) for r in self.conn.execute(
            "SELECT id, field, previous, value, origin, source, who, run_id, created_at FROM article_corrections "
            "WHERE article_id = ? ORDER BY id", (article_id,))]

    def outlet_of(self, article_id: str) -> dict[str, Any] | None:
        """An article's outlet: its key, the one name it is shown by, and how many articles it has."""
        row = self.conn.execute(
            "SELECT k.key, o.name, o.articles FROM outlet_keys k JOIN outlets o ON o.key = k.key WHERE k.article_id = ?",
            (article_id,)).fetchone()
        return {"key": row[0], "name": row[1], "articles": row[2]} if row else None
