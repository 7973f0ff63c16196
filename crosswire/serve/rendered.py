"""Story views rendered ahead: each story's page and JSON twin kept on disk, so that a story nobody has
opened since the server started is served as cheaply as one seen before.

A story's first view costs ~7 ms (JSON) to ~11 ms (page) of CPU to render; 50 clients opening stories
at random queue behind each other in one process, so most would wait for several renderings. Instead:

* :class:`StoryRenderer` renders one story's ``json`` or ``html`` view, and names its ``key``: what
  :func:`.cache.story_key` reads from the store (the story's articles, its cached record's row, its
  reviews; the page's related stories) plus what the rendering itself depends on (the templates and
  the code that lays the views out, and for the page whether the server takes writes).
* :class:`RenderedViews` keeps the latest rendering of each story and kind in an SQLite file the
  server owns (``--cache``'s file with ``.views`` before its suffix; by default
  ``NAME.serve-cache.views.db`` beside the store ``NAME.db``): one row per story and kind, replaced when
  the key moves, so it holds at most two rows per story (~20 KB each, gzip). A row is used only when
  its key is the key read from the store now: a write to the store is never hidden by it.
* :class:`Warmer` runs :func:`warm` in a separate, lower-priority process (its own interpreter: no
  lock shared with the server's threads): it renders every active story whose row is missing or
  stale, newest first, then follows the store and renders the stories whose cached record changed.
  The server renders on demand what the warmer has not reached yet, and stores it there too.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import sqlite3
import threading
import time
from importlib.resources import files
from pathlib import Path
from typing import Any

from crosswire import __version__
from crosswire.serve.cache import Cached, freeze_heap, story_json_text, story_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS views (
    story TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    etag TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    gz BLOB NOT NULL,
    made_at REAL NOT NULL,
    PRIMARY KEY (story, kind)
) WITHOUT ROWID;
"""
FOLLOW_EVERY = 2.0  # seconds between two looks at the store for changed stories, once warm
BUSY_MS = 10_000


def views_path(catalog_path: str | Path) -> Path:
    """The views file beside the server's search catalog file: ``X.views.db`` for ``X.db``."""
    p = Path(catalog_path)
    return p.with_name(f"{p.stem}.views{p.suffix or '.db'}")


def renderer_version() -> str:
    """What the views' layout depends on besides the store: crosswire's version, the templates and
    the modules that shape them (a changed template or layout code renders every view again)."""
    h = hashlib.sha256(__version__.encode())
    pkg = files("crosswire.serve")
    names = sorted(p.name for p in (pkg / "templates").iterdir() if p.name.endswith(".html"))
    for name in names:
        h.update(name.encode())
        h.update((pkg / "templates" / name).read_bytes())
    for module in ("cache.py", "views.py", "rendered.py"):
        h.update((pkg / module).read_bytes())
    return h.hexdigest()[:16]


class StoryRenderer:
    """Renders a story's views as the server shows them (``writable``/``read_only``: the page's forms)."""

    def __init__(self, env: Any, records: Any, *, writable: bool, read_only: bool) -> None:
        self.env, self.records, self.writable, self.read_only = env, records, writable, read_only
        self.version = renderer_version()

    def key(self, store: Any, story_id: str, kind: str) -> tuple[str, ...]:
        """The view's key for a resolved active story, read in the caller's snapshot."""
        flags = f"{self.version}|{'w' if self.writable else '-'}{'r' if self.read_only else '-'}" if kind == "html" \
            else self.version
        return (*story_key(store, story_id, kind), flags)

    def render(self, store: Any, story_id: str, kind: str) -> Cached:
        from crosswire.crosscheck.reviews import with_reviews
        from crosswire.serve.views import story_page

        _, record = self.records.get(store, story_id)
        record = with_reviews(store, record)  # as `crosswire show` gives them
        if kind == "json":
            return Cached.of(story_json_text(record), "application/json")
        html = self.env.get_template("story.html").render(data=record, extra=story_page(store, record),
                                                          writable=self.writable, read_only=self.read_only,
                                                          version=__version__)
        return Cached.of(html, "text/html; charset=utf-8")


def key_text(key: tuple[str, ...]) -> str:
    return hashlib.sha256("\x1f".join(key).encode()).hexdigest()


class RenderedViews:
    """The views file: the latest rendering of each story and kind. One connection per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.conn()  # made now: a folder we cannot write is an error at start, not per request

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_MS / 1000)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last rows to a power cut is fine
            conn.executescript(SCHEMA)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def get(self, story_id: str, kind: str, key: tuple[str, ...]) -> Cached | None:
        """The view stored for this story and kind when it was rendered under ``key``, else None."""
        try:
            row = self.conn().execute("SELECT key, etag, media_type, size, gz FROM views WHERE story = ? AND kind = ?",
                                      (story_id, kind)).fetchone()
        except sqlite3.Error:
            return None  # the file is a cache: a read that fails renders the view again
        if row is None or row[0] != key_text(key):
            return None
        return Cached(gz=row[4], etag=row[1], media_type=row[2], size=row[3])

    def has(self, story_id: str, kind: str, key: tuple[str, ...]) -> bool:
        row = self.conn().execute("SELECT key FROM views WHERE story = ? AND kind = ?", (story_id, kind)).fetchone()
        return row is not None and row[0] == key_text(key)

    def put(self, story_id: str, kind: str, key: tuple[str, ...], item: Cached) -> None:
        try:
            self.conn().execute("INSERT OR REPLACE INTO views VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                (story_id, kind, key_text(key), item.etag, item.media_type, item.size, item.gz,
                                 time.time()))
        except sqlite3.Error:
            pass  # a full disk or a busy file: the view is served all the same, and rendered again next time

    def count(self) -> int:
        return int(self.conn().execute("SELECT count(*) FROM views").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


# ---------------------------------------------------------------- the warmer
def _stories(store: Any, after: int | None) -> list[str]:
    """Active stories, newest reports first (every one when ``after`` is None, else those whose cached
    record was written after that briefings rowid)."""
    if after is None:
        return [r[0] for r in store.conn.execute(
            "SELECT s.id FROM stories s LEFT JOIN briefings b ON b.story_id = s.id WHERE s.status = 'active' "
            "ORDER BY s.updated_at DESC, s.id")]
    return [r[0] for r in store.conn.execute(
        "SELECT b.story_id FROM briefings b JOIN stories s ON s.id = b.story_id WHERE s.status = 'active' "
        "AND b.rowid > ? ORDER BY b.rowid DESC", (after,))]


def warm(db: str, path: str, writable: bool, read_only: bool, done: Any, total: Any, stop: Any,
         follow: bool = True, parent: int | None = None) -> None:
    """Render every active story's views that ``path`` lacks or holds stale, then (``follow``) the
    stories whose cached record changes, until ``stop`` is set; ``done``/``total``: shared counters.
    ``parent``: the server's pid (the warmer ends itself when that process is gone, even after kill -9)."""
    from crosswire.errors import CrosswireError
    from crosswire.serve.app import templates
    from crosswire.serve.cache import snapshot
    from crosswire.serve.views import StoryRecords
    from crosswire.store import Store
    from crosswire.workers import _die_with_parent

    if parent is not None:
        _die_with_parent(parent)
    try:
        os.nice(10)  # behind the server's own requests
    except OSError:
        pass
    store = Store.open_read(db)
    views = RenderedViews(path)
    renderer = StoryRenderer(templates(), StoryRecords(), writable=writable, read_only=read_only)
    freeze_heap()  # its own process for its whole life: the full collections rendering makes skip the imports
    last: int | None = None
    version = None
    try:
        while not stop.is_set():
            now = store.conn.execute("PRAGMA data_version").fetchone()[0]
            if now == version and last is not None:
                if not follow:
                    return
                stop.wait(FOLLOW_EVERY)
                continue
            version = now
            with snapshot(store):
                mark = store.conn.execute("SELECT coalesce(max(rowid), 0) FROM briefings").fetchone()[0]
                ids = _stories(store, last)
            if last is None:
                total.value = len(ids)
            for sid in ids:
                if stop.is_set():
                    return
                for kind in ("json", "html"):
                    try:
                        with snapshot(store):
                            key = renderer.key(store, sid, kind)
                            if not views.has(sid, kind, key):
                                views.put(sid, kind, key, renderer.render(store, sid, kind))
                    except (CrosswireError, sqlite3.Error):
                        continue  # a story merged away meanwhile, a busy file: the server renders it on demand
                if last is None:
                    done.value += 1
            last = mark
            if not follow:
                return
    finally:
        views.close()
        store.close()


class Warmer:
    """The warmer process of one server (see the module's docstring); ``status()`` for /changes.json."""

    def __init__(self, db: str, path: Path, *, writable: bool, read_only: bool, follow: bool = True) -> None:
        ctx = mp.get_context("spawn")  # a fresh interpreter: the server's threads and locks stay behind
        self._done, self._total = ctx.Value("l", 0, lock=False), ctx.Value("l", -1, lock=False)
        self._stop = ctx.Event()
        self._proc = ctx.Process(target=warm, name="crosswire-serve-warmer", daemon=True,
                                 args=(db, str(path), writable, read_only, self._done, self._total, self._stop,
                                       follow, os.getpid()))

    def start(self) -> None:
        self._proc.start()

    def status(self) -> dict[str, Any]:
        """``{"stories", "rendered", "ready"}``: how far the first pass over the stories is."""
        total, done = int(self._total.value), int(self._done.value)
        return {"stories": max(total, 0), "rendered": done, "ready": total >= 0 and done >= total}

    def close(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._proc.pid is None:
            return
        self._proc.join(timeout=timeout)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=5)
