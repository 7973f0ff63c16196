"""The story routes' response cache: a story's page and JSON twin are rendered once per version of
what they show and kept in memory as gzip bytes with a strong ETag, so a story viewed again costs a
few indexed reads (is the copy still current?) and no parsing or rendering.

Freshness: every request reads what the response depends on, inside one read transaction with the
rendering (:func:`snapshot`), and looks the copy up under it (:func:`story_key`): the story the
reference leads to, its ``articles_hash`` (members, copies, analyses, dates, the cross-check
versions; what ``analyze`` keys its cached record by), the cached record's row (``INSERT OR
REPLACE`` gives it a new rowid), and for the page the related stories exactly as the page lists
them. A write by ``ingest``/``analyze``/``merge``/``split`` changes the key, so the next request
renders anew; nothing waits for a timer. Copies of stories nobody asks for again fall out of the LRU
(:data:`CACHE_BYTES`, counted in compressed bytes).

The JSON twin is laid out by :func:`story_json_text`: the same characters as
``crosswire show ID --format json`` (``present.briefing.render_json``, whose ``indent=2`` runs
``json``'s pure-Python encoder: ~5 ms for a 180 KB record), in about a third of the time.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) quotes strings with
from typing import Any

from crosswire.present.briefing import CONTRACT_KEYS, render_json
from crosswire.store import Store

CACHE_BYTES = 96 * 1024 * 1024  # compressed responses kept in memory (~30 KB per story page or JSON twin)
GZIP_LEVEL = 1  # a miss pays ~1 ms per 180 KB at level 1 (2 ms at 6) for ~85 % fewer bytes


# ---------------------------------------------------------------- the JSON twin
_INF = float("inf")


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o in (_INF, -_INF):
        return "Infinity" if o > 0 else "-Infinity"
    return float.__repr__(o)


def _key(k: Any) -> str:
    """A dict key as json.dumps writes it (str, float, bool, None, int: in json's order)."""
    if isinstance(k, str):
        return k
    if isinstance(k, float):
        return _float(k)
    if k is True or k is False or k is None:
        return {True: "true", False: "false", None: "null"}[k]
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def _scalar(o: Any) -> str:
    if isinstance(o, str):
        return encode_basestring(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return int.__repr__(o)
    if isinstance(o, float):
        return _float(o)
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _encode(o: Any, nl: str, out: list[str]) -> None:
    """``o`` as ``json.dumps(o, ensure_ascii=False, indent=2)`` lays it out, at the indentation ``nl``;
    the common cases (str and int members of plain dicts and lists) inline."""
    if isinstance(o, dict):
        if not o:
            out.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for k, v in o.items():
            t = type(v)
            head = sep + encode_basestring(k if type(k) is str else _key(k)) + ": "
            if t is str:
                out.append(head + encode_basestring(v))
            elif t is int:
                out.append(head + int.__repr__(v))
            else:
                out.append(head)
                _encode(v, inner, out)
            sep = "," + inner
        out.append(nl + "}")
    elif isinstance(o, list | tuple):
        if not o:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for v in o:
            t = type(v)
            if t is str:
                out.append(sep + encode_basestring(v))
            elif t is int:
                out.append(sep + int.__repr__(v))
            else:
                out.append(sep)
                _encode(v, inner, out)
            sep = "," + inner
        out.append(nl + "]")
    else:
        out.append(_scalar(o))


def story_json_text(record: dict[str, Any]) -> str:
    """Exactly ``present.briefing.render_json(record)`` (the contract's keys first, then the others
    sorted; ``indent=2``), laid out without json's pure-Python encoder; anything that encoder would
    refuse (a value JSON has no form for, a cycle) is handed to it, so it fails the same way."""
    ordered = {k: record[k] for k in CONTRACT_KEYS if k in record}
    ordered.update({k: record[k] for k in sorted(record) if k not in ordered})
    out: list[str] = []
    try:
        _encode(ordered, "\n", out)
    except (TypeError, ValueError, RecursionError):
        return render_json(record)
    return "".join(out) + "\n"


# ---------------------------------------------------------------- what a response depends on
@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """One read transaction on a read-only connection: the key and what is rendered under it come
    from the same state of the store, even while another process writes."""
    conn = store.conn
    if conn.in_transaction:  # already inside one (a caller's): reuse it
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def story_key(store: Store, story_id: str, kind: str) -> tuple[str, ...]:
    """What the story's ``kind`` response (``json``: the twin; ``html``: the page) depends on in the
    store, for a resolved active ``story_id``; read from indexes, never the record's JSON itself."""
    from crosswire.crosscheck.reviews import version as reviews_version
    from crosswire.crosscheck.story import articles_hash

    row = store.conn.execute("SELECT rowid FROM briefings WHERE story_id = ?", (story_id,)).fetchone()
    key = (kind, story_id, articles_hash(store, story_id), "" if row is None else str(row[0]),
           reviews_version(store, story_id))  # both views show the story's conflict reviews
    if kind != "html":
        return key
    h = hashlib.sha256()
    for r in store.conn.execute(  # the related stories as views.story_page reads them
            "SELECT s.id, s.title, l.probability, l.why FROM story_links l JOIN stories s ON s.id = "
            "CASE WHEN l.story_id = ? THEN l.related_id ELSE l.story_id END "
            "WHERE (l.story_id = ? OR l.related_id = ?) AND s.status = 'active' ORDER BY l.probability DESC",
            (story_id, story_id, story_id)):
        h.update(json.dumps(list(r), ensure_ascii=False).encode())
        h.update(b"\0")
    return (*key, h.hexdigest())


# ---------------------------------------------------------------- the responses
@dataclass(frozen=True, slots=True)
class Cached:
    """One rendered response: its body gzip-compressed, and its strong ETag (of the uncompressed
    body; the gzip variant's is the same with ``-gz``)."""

    gz: bytes
    etag: str
    media_type: str
    size: int

    @classmethod
    def of(cls, text: str, media_type: str) -> Cached:
        body = text.encode("utf-8")
        tag = hashlib.blake2b(body, digest_size=16).hexdigest()
        return cls(gzip.compress(body, GZIP_LEVEL, mtime=0), f'"{tag}"', media_type, len(body))

    def body(self) -> bytes:
        return zlib.decompress(self.gz, wbits=31)


class ResponseCache:
    """An LRU of :class:`Cached` responses within ``max_bytes`` of compressed bodies; thread-safe."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, ...], Cached] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple[str, ...], *, count: bool = True) -> Cached | None:
        """The response cached under ``key``, or None; ``count``: in :meth:`stats` (a hit always is)."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += count
                return None
            self.hits += 1
            self._items.move_to_end(key)
            return item

    def missed(self) -> None:
        """Count a miss (in :meth:`stats`) for a response about to be rendered."""
        with self._lock:
            self.misses += 1

    def put(self, key: tuple[str, ...], item: Cached) -> Cached:
        with self._lock:
            if key in self._items or len(item.gz) > self.max_bytes:
                return self._items.get(key, item)
            self._items[key] = item
            self._bytes += len(item.gz)
            while self._bytes > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old.gz)
        return item

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"items": len(self._items), "bytes": self._bytes, "hits": self.hits, "misses": self.misses}


def _accepts_gzip(accept_encoding: str) -> bool:
    """``gzip`` is among the encodings the client accepts (and not with ``q=0``)."""
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip()
            if q.startswith("q="):
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def _matches(if_none_match: str, etag: str) -> bool:
    """``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 asks for GET), or is ``*``."""
    if if_none_match.strip() == "*":
        return True
    return any(t.strip().removeprefix("W/") == etag for t in if_none_match.split(","))


def respond(item: Cached, headers: Any) -> tuple[int, bytes, dict[str, str]]:
    """``(status, body, headers)`` for a request with ``headers``: 304 without a body when its
    ``If-None-Match`` holds the ETag; the gzip bytes as they are when the client accepts gzip."""
    gz = _accepts_gzip(headers.get("accept-encoding", ""))
    etag = item.etag[:-1] + '-gz"' if gz else item.etag
    out = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept, Accept-Encoding"}
    inm = headers.get("if-none-match")
    if inm and (_matches(inm, etag) or _matches(inm, item.etag)):
        return 304, b"", out
    if gz:
        out["Content-Encoding"] = "gzip"
        return 200, item.gz, out
    return 200, item.body(), out


# ---------------------------------------------------------------- the heap
_frozen = 0
_frozen_lock = threading.Lock()


def freeze_heap() -> None:
    """Take every object alive now (the modules, templates, routes and settings a server starts with)
    out of the garbage collector's reach until :func:`thaw_heap`. A full collection walks every
    tracked object while holding the GIL, so it stops the event loop for as long as it runs: with the
    ~230,000 objects a server holds after its imports that was 130-150 ms of CPU, once every few
    thousand requests, and every client in flight waited for it (the p99 of 146-149 ms at 50 clients).
    Frozen, a full collection walks only what was made since (the response cache's entries, the
    requests in flight). The young generations are collected first, so fresh garbage is not kept."""
    global _frozen
    with _frozen_lock:
        gc.collect(1)
        gc.freeze()
        _frozen += 1


def thaw_heap() -> None:
    """Undo :func:`freeze_heap` when the last server that froze the heap stops (tests run several
    servers in one process): the objects frozen then are collected as usual again."""
    global _frozen
    with _frozen_lock:
        _frozen = max(_frozen - 1, 0)
        if _frozen == 0:
            gc.unfreeze()
