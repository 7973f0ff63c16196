"""The server's own search catalog: one row per active story with what the stories page filters and
sorts on, and an SQLite FTS5 index over story titles, article titles and text, and fact values.

The store is never written by the server's reads, so the catalog lives in a separate SQLite file
the server owns (``--cache``; default: beside the store as ``NAME.serve-cache.db`` for ``NAME.db`` when that
folder is writable, else in the temporary folder, named by a hash of the store's path). It is a
cache: it can be deleted at any time and is rebuilt from the store.

Freshness: a cheap fingerprint of the store (last article, story memberships, story updates,
cached briefings, corrections, last fact) is read at most once a second; when it changed, the
catalog is rebuilt whole into a new file that replaces the old one atomically (``os.replace``), so
a reader never sees half a catalog. The rebuild is synchronous under a lock: a request that finds
the catalog stale waits for it (the first landing: incremental updates are a known gap).

What a story's filters read: its cross-checked record as ``analyze`` cached it (table
``briefings``; used even when a later change made it stale, until analyze refreshes it), else the
event records of its articles' analyses: countries and CAMEO codes of the event, whether any fact
is in conflict and how many, and the number of independent sources (the fact x outlet matrix's
distinct source groups; without a record, the distinct outlets of its original reports), the
event's places (name, GeoNames id, coordinates: the place and within-km filters, the map), its
first day (else its first report's: the timeline) and its articles' languages.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crosswire.serve.geo import place_rows
from crosswire.store import Store

SCHEMA = """
CREATE TABLE catalog_info (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE stories (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    first TEXT,
    last TEXT,
    articles INTEGER NOT NULL,
    reports INTEGER NOT NULL,
    outlets TEXT NOT NULL,
    countries TEXT NOT NULL,
    cameo TEXT NOT NULL,
    label TEXT,
    conflicts INTEGER NOT NULL,
    independent INTEGER NOT NULL,
    checked INTEGER NOT NULL
);
CREATE INDEX stories_last ON stories(last);
CREATE TABLE story_outlets (story INTEGER NOT NULL, outlet TEXT NOT NULL COLLATE NOCASE);
CREATE INDEX story_outlets_outlet ON story_outlets(outlet, story);
CREATE TABLE story_countries (story INTEGER NOT NULL, country TEXT NOT NULL COLLATE NOCASE);
CREATE INDEX story_countries_country ON story_countries(country, story);
CREATE TABLE story_cameo (story INTEGER NOT NULL, code TEXT NOT NULL);
CREATE INDEX story_cameo_code ON story_cameo(code, story);
CREATE TABLE story_places (story INTEGER NOT NULL, geonameid INTEGER, name TEXT NOT NULL, key TEXT NOT NULL,
    country TEXT, lat REAL, lon REAL);
CREATE INDEX story_places_key ON story_places(key, story);
CREATE INDEX story_places_geonameid ON story_places(geonameid, story);
CREATE INDEX story_places_lat ON story_places(lat, lon);
CREATE TABLE story_languages (story INTEGER NOT NULL, language TEXT NOT NULL COLLATE NOCASE);
CREATE INDEX story_languages_language ON story_languages(language, story);
CREATE TABLE story_event (story INTEGER PRIMARY KEY, day TEXT);
CREATE INDEX story_event_day ON story_event(day);
CREATE VIRTUAL TABLE story_text USING fts5(title, body, facts, tokenize = 'unicode61 remove_diacritics 2');
"""
CHECK_EVERY = 1.0  # seconds between two looks at the store's fingerprint
VERSION = "catalog.v2"


def default_cache_path(db: str | Path) -> Path:
    """Beside the store when its folder is writable, else in the temporary folder."""
    db = Path(db).resolve()
    if os.access(db.parent, os.W_OK):
        return db.with_name(db.stem + ".serve-cache.db")  # *.db: the ignore rules that keep stores out of git
    tag = hashlib.sha256(str(db).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"crosswire-serve-{tag}.sqlite"


def fingerprint(store: Store) -> str:
    """What the catalog depends on, read cheaply from the store: counts and last rowids (an INSERT OR
    REPLACE gives a row a new rowid), never a column stored after a large one (a briefing's
    ``computed_at`` sits behind its JSON: reading it walks every overflow page)."""
    row = store.conn.execute(
        "SELECT (SELECT max(rowid) FROM article_records), (SELECT count(*) FROM story_articles), "
        "(SELECT max(updated_at) FROM stories), (SELECT count(*) FROM stories WHERE status = 'active'), "
        "(SELECT max(rowid) FROM briefings), (SELECT count(*) FROM briefings), "
        "(SELECT max(id) FROM story_corrections), (SELECT max(rowid) FROM facts), "
        "(SELECT max(rowid) FROM copies)").fetchone()
    return json.dumps([VERSION, *row])


def _fact_words(value: str, text: str) -> str:
    """A fact's searchable words: its text, and its value when that is a plain string or number."""
    try:
        v = json.loads(value)
    except (TypeError, ValueError):
        v = value
    if isinstance(v, dict):
        v = v.get("name") or v.get("text") or ""
    return f"{text} {v}" if isinstance(v, str | int | float) and str(v) != text else text


def _record_meta(record: dict[str, Any]) -> dict[str, Any]:
    """Filters read from a story's cross-checked record."""
    event = record.get("event") or {}
    countries = {p.get("country") for p in event.get("where") or [] if p.get("country")}
    cameo = (event.get("type") or {}).get("cameo")
    facts = record.get("facts") or []
    groups = {s for o in (record.get("matrix") or {}).get("outlets") or [] for s in o.get("sources") or []}
    return {"countries": countries, "cameo": {cameo} if cameo else set(),
            "label": (event.get("type") or {}).get("label"),
            "conflicts": sum(1 for f in facts if f.get("status") == "conflict"),
            "independent": len(groups), "checked": 1,
            "places": [p for p in event.get("where") or [] if isinstance(p, dict)],
            "day": (event.get("when") or {}).get("start")}


def _analyses_meta(conn: sqlite3.Connection, story_id: str) -> dict[str, Any]:
    """Filters read from the event records of a story's analysed articles (no cross-checked record)."""
    countries: set[str] = set()
    cameo: set[str] = set()
    label = None
    places: list[dict[str, Any]] = []
    days: list[str] = []
    for (event,) in conn.execute(
            "SELECT n.event FROM story_articles m JOIN analyses n ON n.article_id = m.article_id "
            "WHERE m.story_id = ? AND n.status = 'analyzed'", (story_id,)):
        try:
            e = json.loads(event or "{}")
        except ValueError:
            continue
        countries.update(p.get("country") for p in e.get("where") or [] if isinstance(p, dict) and p.get("country"))
        kind = e.get("type") or {}
        if kind.get("cameo"):
            cameo.add(str(kind["cameo"]))
        label = label or kind.get("label")
        places += [p for p in e.get("where") or [] if isinstance(p, dict)]
        days += [str(d) for d in [(e.get("when") or {}).get("start")] if d]
    return {"countries": countries, "cameo": cameo, "label": label, "conflicts": 0, "independent": 0, "checked": 0,
            "places": places, "day": min(days) if days else None}


def build(store: Store, path: Path) -> int:
    """Write a new catalog of ``store`` to ``path`` (replacing it atomically); returns the stories."""
    fp = fingerprint(store)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    out = sqlite3.connect(tmp, isolation_level=None)
    try:
        out.executescript(SCHEMA)
        out.execute("BEGIN")
        conn = store.conn
        rows = conn.execute(
            "SELECT s.id, s.title, count(m.article_id) AS n, sum(m.role = 'original') AS reports, "
            "min(p.published) AS first, max(p.published) AS last, json_group_array(DISTINCT a.outlet) AS outlets, "
            "json_group_array(DISTINCT a.language) AS languages, "
            "count(DISTINCT CASE WHEN m.role = 'original' THEN a.outlet END) AS original_outlets "
            "FROM stories s JOIN story_articles m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id "
            "JOIN article_published p ON p.article_id = a.id "
            "WHERE s.status = 'active' GROUP BY s.id").fetchall()
        for n, r in enumerate(rows, 1):
            meta = None
            record = conn.execute("SELECT json FROM briefings WHERE story_id = ?", (r["id"],)).fetchone()
            if record is not None:  # one at a time: 10,000 records are about a gigabyte of JSON
                try:
                    meta = _record_meta(json.loads(record[0]))
                except ValueError:
                    meta = None
            if meta is None:
                meta = _analyses_meta(conn, r["id"])
                meta["independent"] = r["original_outlets"] or 0
            outlets = sorted(o for o in json.loads(r["outlets"]) if o)
            out.execute("INSERT INTO stories VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (n, r["id"], r["title"], r["first"], r["last"], r["n"], r["reports"] or 0,
                         json.dumps(outlets, ensure_ascii=False), json.dumps(sorted(meta["countries"])),
                         json.dumps(sorted(meta["cameo"])), meta["label"], meta["conflicts"], meta["independent"],
                         meta["checked"]))
            out.executemany("INSERT INTO story_outlets VALUES (?, ?)", [(n, o) for o in outlets])
            out.executemany("INSERT INTO story_countries VALUES (?, ?)", [(n, c) for c in sorted(meta["countries"])])
            out.executemany("INSERT INTO story_cameo VALUES (?, ?)", [(n, c) for c in sorted(meta["cameo"])])
            out.executemany("INSERT INTO story_places VALUES (?, ?, ?, ?, ?, ?, ?)", place_rows(n, meta["places"]))
            out.executemany("INSERT INTO story_languages VALUES (?, ?)",
                            [(n, x) for x in sorted({x.lower() for x in json.loads(r["languages"]) if x})])
            out.execute("INSERT INTO story_event VALUES (?, ?)", (n, meta["day"] or r["first"]))
            texts = conn.execute(
                "SELECT a.title, a.text FROM story_articles m JOIN articles a ON a.id = m.article_id "
                "WHERE m.story_id = ? ORDER BY m.seq", (r["id"],)).fetchall()
            facts = conn.execute(
                "SELECT f.value, f.text FROM story_articles m JOIN facts f ON f.article_id = m.article_id "
                "WHERE m.story_id = ? AND f.kind != 'entity'", (r["id"],)).fetchall()
            out.execute("INSERT INTO story_text(rowid, title, body, facts) VALUES (?, ?, ?, ?)",
                        (n, r["title"], "\n".join(f"{t}\n{x}" for t, x in texts),
                         "\n".join(_fact_words(v, t) for v, t in facts)))
        out.execute("INSERT INTO catalog_info VALUES ('fingerprint', ?), ('store', ?)", (fp, str(store.path)))
        out.execute("COMMIT")
    except BaseException:
        out.close()
        tmp.unlink(missing_ok=True)
        raise
    out.close()
    os.replace(tmp, path)
    return len(rows)


class Catalog:
    """The catalog file of one store: kept fresh, read with short-lived read-only connections."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._checked = 0.0
        self._seen: str | None = None  # the store's live version (serve.live.changes) at the last look
        self._fingerprint: str | None = None
        if self.path.exists():
            try:
                with self.connect() as c:
                    row = c.execute("SELECT value FROM catalog_info WHERE name = 'fingerprint'").fetchone()
                self._fingerprint = row[0] if row else None
            except sqlite3.DatabaseError:
                self._fingerprint = None  # not a catalog we can read: rebuilt on first use

    def refresh(self, store: Store, *, force: bool = False) -> bool:
        """Rebuild the catalog when the store changed since it was built; True when it was rebuilt.

        The fingerprint (counts over large tables) is read at most once per ``CHECK_EVERY`` while the
        store's live version (``/changes.json``, well under a millisecond) stays the same; when that
        version moves it is read at once, so a page reloaded because ``/changes.json`` moved never gets
        the list from before the change."""
        from crosswire.serve.live import changes

        now = time.monotonic()
        seen = changes(store)["version"]
        if not force and self._fingerprint is not None and seen == self._seen and now - self._checked < CHECK_EVERY:
            return False
        with self._lock:
            fp = fingerprint(store)
            self._checked, self._seen = time.monotonic(), seen
            if fp == self._fingerprint and self.path.exists():
                return False
            build(store, self.path)
            self._fingerprint = fp
            return True

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection to the catalog, closed on exit."""
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            yield conn
        finally:
            conn.close()
