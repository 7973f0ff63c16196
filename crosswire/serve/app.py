"""The ASGI app of ``crosswire serve``: the stories, a story's briefing, an article, an outlet, each
as an HTML page and as JSON (the same path + ``.json``, or ``Accept: application/json``), OpenAPI at
``/api``, and the corrections (merge, split; reviews and article fixes in :mod:`.writes`) and ingest
(:mod:`.uploads`, :mod:`.jobs`) behind a bearer token; ``/changes.json`` for live pages (:mod:`.live`).

A story's page and JSON come from the response cache (:mod:`.cache`) or the views rendered ahead by
a warmer process (:mod:`.rendered`), through a fast path that skips routing (:class:`StoryFastPath`).
With ``watch``, the watch of :mod:`crosswire.watch` runs in a thread of the server (:mod:`.watching`).

Reads go through read-only connections to the store (one per server thread, :meth:`Store.open_read`),
so ``ingest``/``analyze``/``watch`` can write it at the same time (WAL). Writes open the store for
writing for the length of one correction, under one lock, and call the same functions as ``crosswire
merge``/``split``: they are recorded the same way. Security: every template autoescapes; the only
HTML not made by a template is the project's briefing renderer, which escapes article text itself;
links go out only to http(s) URLs; a Content-Security-Policy allows scripts from this server's
``/static`` only (no inline script); SQL takes values only as parameters.
"""

from __future__ import annotations

import asyncio
import hmac
import importlib
import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Body, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from crosswire import __version__
from crosswire.config import Settings
from crosswire.errors import CrosswireError, StoreError, UsageError
from crosswire.serve import alerts, geo, live, uploads, writes
from crosswire.serve.cache import Cached, ResponseCache, freeze_heap, respond, snapshot, thaw_heap
from crosswire.serve.catalog import Catalog, default_cache_path
from crosswire.serve.jobs import Jobs
from crosswire.serve.rendered import RenderedViews, StoryRenderer, Warmer, views_path
from crosswire.serve.watching import ServeWatch, WatchPlan
from crosswire.serve.queries import (SORTS, StoryQuery, facets, find_stories, query_params, stories_map,
                                     timeline)
from crosswire.serve.views import (NotFound, StoryRecords, article_page, article_view, changes_since, find_story_id,
                                   outlet_view, parse_since, story_json_since, story_page)
from crosswire.crosscheck.reviews import with_reviews
from crosswire.store import Store

STORY_PREFIX = "/stories/"
STORY_THREADS = 1  # threads looking stories up (the store's key, the views file) off the event loop: a lookup
# holds the GIL for most of its ~0.5 ms (Python around the SQLite calls), so more threads only add hand-offs of
# the GIL (measured at 50 clients: 1.05-1.4 ms of server CPU per first view with 4 threads, 0.73-0.9 with one,
# 0.65-0.75 on the loop itself) and connections (~4 MB of page cache a thread)

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY"}


class Forbidden(CrosswireError):
    """A write without the right token, or on a read-only server."""

    code = "forbidden"

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class SecurityHeaders:
    """Plain ASGI middleware: the security headers on every response (static files and errors too)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.raw = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.raw if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


class MergeBody(BaseModel):
    other: str = Field(description="The story whose articles move into this one (id or unique prefix).")


class SplitBody(BaseModel):
    articles: list[str] = Field(min_length=1, description="Articles that leave this story (with their copies).")


class Readers:
    """One read-only store connection per server thread, all closed when the server stops."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store.open_read(self.path)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in reversed(self._all):  # the first opened last: closing last, it tidies the -wal
                store.close()
            self._all.clear()


def http_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL (a link may go there), else None: never ``javascript:``."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


class Templates(Environment):
    """Jinja2 with ``x.name`` on a plain dict reading the key ``name`` first (Jinja2 tries the
    attribute first: ``source.copy`` was the bound method ``dict.copy``, always true, so every source
    was badged a copy; and every other key was looked up after an AttributeError: ~4% of a story
    page's rendering). ``items``, ``keys``, ``values`` and ``get`` stay the dict's methods, as templates
    call them; any other object, and a key the dict lacks, behave as in Jinja2."""

    _METHODS = frozenset(("items", "keys", "values", "get"))

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in self._METHODS:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def templates() -> Environment:
    env = Templates(loader=PackageLoader("crosswire.serve", "templates"), autoescape=select_autoescape(default=True,
                      default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["http_url"] = http_url
    env.filters["pct"] = lambda v: "" if v is None else f"{float(v) * 100:.0f}%"
    return env


def wants_json(request: Request, ref: str = "") -> bool:
    """The JSON twin is asked for: a ``.json`` path, or an Accept header preferring JSON to HTML."""
    if ref.endswith(".json") or request.url.path.endswith(".json"):
        return True
    return _accepts_json(request.headers.get("accept", ""))


def _accepts_json(accept: str) -> bool:
    return "application/json" in accept and "text/html" not in accept


class StoryKeys:
    """Which cached response answers a story reference, for as long as nothing was written to the
    store: per read-only connection, keyed by its ``PRAGMA data_version`` (which moves whenever another
    connection, in any process, commits), so a story seen again costs one pragma and a dict lookup."""

    LIMIT = 50_000  # references remembered per connection between two writes

    def __init__(self) -> None:
        self._memo: dict[int, tuple[int, dict[tuple[str, str], tuple[str, ...]]]] = {}

    @staticmethod
    def version(store: Store) -> int:
        return int(store.conn.execute("PRAGMA data_version").fetchone()[0])

    def get(self, store: Store, version: int, ref: str, kind: str) -> tuple[str, ...] | None:
        seen = self._memo.get(id(store))
        if seen is None or seen[0] != version:
            return None
        return seen[1].get((ref, kind))

    def remember(self, store: Store, version: int, ref: str, kind: str, key: tuple[str, ...]) -> None:
        """``key`` answered ``ref`` in a snapshot taken at or after ``version`` was read."""
        seen = self._memo.get(id(store))
        if seen is None or seen[0] != version or len(seen[1]) >= self.LIMIT:
            seen = (version, {})
            self._memo[id(store)] = seen
        seen[1][(ref, kind)] = key


class StoryFastPath:
    """Plain ASGI middleware: ``GET /stories/ID`` (or ``.json``), without a query, answered with no
    routing, validation or request object: from memory on the event loop when :class:`StoryKeys`
    knows the story's current key (``memory``: one pragma, two dict lookups), else from the views
    rendered ahead (:mod:`.rendered`) by ``stored``, which reads the key and the view from SQLite in a
    worker thread, so the event loop never waits on a read; anything else (a view to render now, an
    unknown id, ``?since=``, another path) goes to the app."""

    def __init__(self, app: Any, memory: Any, stored: Any) -> None:
        self.app, self.memory, self.stored = app, memory, stored

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (scope["type"] == "http" and scope["method"] == "GET" and not scope.get("query_string")
                and path.startswith(STORY_PREFIX) and "/" not in path[len(STORY_PREFIX):]):
            ref = path[len(STORY_PREFIX):]
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            kind = "json" if ref.endswith(".json") or _accepts_json(headers.get("accept", "")) else "html"
            item = self.memory(_strip(ref), kind)
            if item is None:
                item = await self.stored(_strip(ref), kind)
            if item is not None:
                status, body, extra = respond(item, headers)
                raw = [] if status == 304 else [(b"content-length", str(len(body)).encode()),
                                                (b"content-type", item.media_type.encode())]
                raw += [(k.lower().encode(), v.encode("latin-1")) for k, v in extra.items()]
                await send({"type": "http.response.start", "status": status, "headers": raw})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _strip(ref: str) -> str:
    return ref[: -len(".json")] if ref.endswith(".json") else ref


def leaflet_dir() -> Path | None:
    try:
        import xstatic.pkg.leaflet as leaflet
    except ImportError:
        return None
    return Path(leaflet.BASE_DIR)


def create_app(db: str | Path, *, token: str | None = None, read_only: bool = False,
               cache: str | Path | None = None, settings: Settings | None = None,
               watch: WatchPlan | None = None, prerender: bool = False) -> FastAPI:
    """The app serving the store at ``db``; writes need ``token`` and are refused when ``read_only``
    (or when no token is given). ``cache``: the search catalog's file (see :mod:`.catalog`).
    ``settings``: what ingest jobs (and the watch) run with (``allow_private`` lets them fetch loopback
    URLs). ``watch``: also follow these sources while the server runs (:mod:`.watching`).
    ``prerender``: render every story's views ahead in a warmer process (:mod:`.rendered`; the
    command line's default)."""
    db = str(db)
    if not Path(db).is_file():
        raise StoreError("no store here; run `crosswire demo`, `crosswire run` or `crosswire ingest` first, or "
                         "give another --db", source=db)
    Store.open_read(db).close()  # a store we can read, or a clear error now rather than per request
    importlib.import_module("crosswire.crosscheck.story")  # now, not in the first story request, on the loop
    readers = Readers(db)
    catalog = Catalog(Path(cache) if cache else default_cache_path(db))
    records = StoryRecords()
    responses = ResponseCache()
    env = templates()
    write_lock = threading.Lock()
    writable = token is not None and not read_only
    renderer = StoryRenderer(env, records, writable=writable, read_only=read_only)
    views = RenderedViews(views_path(catalog.path))
    keys = StoryKeys()
    lookups: dict[str, ThreadPoolExecutor] = {}  # the story-lookup thread of the current serving (lifespan)
    warmer = Warmer(db, views.path, writable=writable, read_only=read_only) if prerender else None
    jobs = Jobs(db, settings or Settings(db=db), write_lock)
    watcher = None if watch is None else ServeWatch(db, jobs.settings, watch, pipeline_lock=jobs.pipeline_lock,
                                                    write_lock=write_lock)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        if watcher is not None:
            watcher.start()
        if warmer is not None:
            warmer.start()
        freeze_heap()  # what the server started with: no full collection walks it again (see freeze_heap)
        try:
            yield
        finally:
            thaw_heap()
            pool = lookups.pop("pool", None)
            if pool is not None:  # its lookup in progress ends before the connections close
                await run_in_threadpool(pool.shutdown)
            if warmer is not None:
                await run_in_threadpool(warmer.close)
            if watcher is not None:
                await run_in_threadpool(watcher.close)
            jobs.close()
            readers.close()
            views.close()

    app = FastAPI(title="crosswire", version=__version__, openapi_url="/api", docs_url=None, redoc_url=None,
                  lifespan=lifespan, description="The stories of a crosswire store: every page is HTML, and JSON "
                  "at the same path + `.json` (or with `Accept: application/json`). Writes need "
                  "`Authorization: Bearer TOKEN`.")
    app.state.catalog, app.state.readers, app.state.db, app.state.responses = catalog, readers, db, responses
    app.state.watch, app.state.warmer, app.state.views = watcher, warmer, views

    static = Path(str(files("crosswire.serve") / "static"))
    leaflet = leaflet_dir()
    if leaflet is not None:
        app.mount("/static/leaflet", StaticFiles(directory=leaflet), name="leaflet")
    app.mount("/static", StaticFiles(directory=static), name="static")

    def render(request: Request, template: str, data: dict[str, Any], **extra: Any) -> str:
        return env.get_template(template).render(data=data, writable=writable, read_only=read_only,
                                                 version=__version__, **extra)

    def page(request: Request, template: str, data: dict[str, Any], status: int = 200, **extra: Any) -> Response:
        return HTMLResponse(render(request, template, data, **extra), status_code=status)

    def error(request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
        body = {"error": {"status": status, "code": code, "message": message}}
        if wants_json(request) or request.method != "GET":
            return JSONResponse(body, status_code=status, headers=headers)
        resp = page(request, "error.html", body["error"], status=status)
        resp.headers.update(headers or {})
        return resp

    def story_in_memory(ref: str, kind: str) -> Cached | None:
        """On the event loop: the story's current response when it is in memory under the key the
        loop's connection remembers for ``ref`` since the store last changed, else None. Reads no
        table (``PRAGMA data_version`` only), so it never waits on the disk or on a writer."""
        try:
            store = readers.get()
            key = keys.get(store, keys.version(store), ref, kind)
        except sqlite3.Error:
            return None
        return None if key is None else responses.get(key)

    async def story_stored(ref: str, kind: str, render_missing: bool) -> Cached | None:
        """The story's current response looked up off the event loop (:func:`story_response`: the key
        read from the store, the response cache, the views file) in the server's story-lookup thread,
        or, when it may have to render (``render_missing``), in the thread pool; its key is then
        remembered for the loop's connection, so the next request for it is answered by
        :func:`story_in_memory`."""
        store = readers.get()  # the event loop's own connection (one per thread)
        version = keys.version(store)  # before the thread's snapshot: a write in between only forgets sooner
        if render_missing:
            item, key = await run_in_threadpool(story_response, ref, kind, True)
        else:
            pool = lookups.get("pool")
            if pool is None:
                pool = lookups["pool"] = ThreadPoolExecutor(STORY_THREADS, thread_name_prefix="crosswire-story")
            item, key = await asyncio.get_running_loop().run_in_executor(pool, story_response, ref, kind, False)
        if item is not None and key is not None and keys.version(store) == version:
            keys.remember(store, version, _strip(ref), kind, key)
        return item

    async def fast_story(ref: str, kind: str) -> Cached | None:
        """The story's current response when it is rendered ahead (or in memory), else None (the app
        then renders it, or answers the 404 or the other route the path names)."""
        try:
            return await story_stored(ref, kind, False)
        except (CrosswireError, sqlite3.Error):
            return None

    app.add_middleware(StoryFastPath, memory=story_in_memory, stored=fast_story)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(CrosswireError)
    async def crosswire_error(request: Request, exc: CrosswireError) -> Response:
        if isinstance(exc, Forbidden):
            headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
            return error(request, exc.status, "unauthorized" if exc.status == 401 else "forbidden", str(exc), headers)
        if isinstance(exc, NotFound):
            return error(request, 404, "not_found", str(exc))
        if isinstance(exc, UsageError):
            return error(request, 400, "bad_request", str(exc))
        if isinstance(exc, StoreError):
            return error(request, 503, "store", str(exc))
        return error(request, 500, exc.code, str(exc))

    @app.exception_handler(sqlite3.Error)
    async def database_error(request: Request, exc: sqlite3.Error) -> Response:
        return error(request, 503, "store", f"the store could not be read ({exc}); try again")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error(request, exc.status_code, "not_found" if exc.status_code == 404 else "http_error", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        where = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return error(request, 422, "invalid_request", where or "the request is not valid")

    def authorize(request: Request) -> None:
        if read_only or token is None:
            raise Forbidden("this server is read-only (started with --read-only or without a token): no writes", 403)
        header = request.headers.get("authorization")
        if not header:
            raise Forbidden("this write needs the header Authorization: Bearer TOKEN", 401)
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise Forbidden("the Authorization header must be: Bearer TOKEN", 401)
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise Forbidden("wrong token", 403)

    ctx = writes.Context(db=db, settings=jobs.settings, readers=readers, catalog=catalog, records=records, env=env,
                         write_lock=write_lock, authorize=authorize, page=page, writable=writable)
    app.include_router(writes.router(ctx))
    app.include_router(uploads.router(ctx, jobs))
    app.include_router(live.router(ctx, jobs, warmer))
    app.include_router(alerts.router(ctx, watcher))

    # ------------------------------------------------------------ stories
    def stories(request: Request, query: StoryQuery) -> Response:
        store = readers.get()
        catalog.refresh(store)
        base = "/stories.json" if request.url.path.endswith(".json") else "/stories"
        with catalog.connect() as conn:
            data = find_stories(conn, query, base=base)
            options = facets(conn)
        if wants_json(request):
            return JSONResponse(data)
        return page(request, "stories.html", data, query=query, options=options, sorts=list(SORTS))

    @app.get("/", summary="The stories (as /stories)", response_model=None)
    @app.get("/stories", summary="The stories: search, filters, sort, paging", response_model=None)
    @app.get("/stories.json", summary="The stories as JSON", response_model=None)
    def list_stories(request: Request, query: Annotated[StoryQuery, Depends(query_params)]) -> Response:
        return stories(request, query)

    @app.get("/stories/map.json", summary="The map of the filtered stories (every page): their event places as "
             "GeoJSON points, and the country outlines around them", response_model=None)
    def filtered_map(query: Annotated[StoryQuery, Depends(query_params)]) -> Response:
        catalog.refresh(readers.get())
        with catalog.connect() as conn:
            return JSONResponse(stories_map(conn, query))

    @app.get("/stories/timeline.json", summary="The timeline of the filtered stories: how many happened each day",
             response_model=None)
    def filtered_timeline(query: Annotated[StoryQuery, Depends(query_params)]) -> Response:
        catalog.refresh(readers.get())
        with catalog.connect() as conn:
            return JSONResponse(timeline(conn, query))

    # ------------------------------------------------------------ one story
    def story_response(ref: str, kind: str, render_missing: bool) -> tuple[Cached | None, tuple[str, ...]]:
        """``(response, key)``: the cached response for what the store holds now (in memory, else
        rendered ahead on disk), rendered and kept in both when it is missing and ``render_missing``,
        else None; and its key. Reads SQLite: called in a worker thread, never on the event loop."""
        store = readers.get()
        with snapshot(store):  # the key and what is rendered under it: one state of the store
            sid = find_story_id(store, _strip(ref))
            key = renderer.key(store, sid, kind)
            item = responses.get(key, count=False)
            if item is None:
                item = views.get(sid, kind, key)
                if item is not None:
                    item = responses.put(key, item)
            if item is None and render_missing:
                responses.missed()  # a miss is a rendering here (a view read from the file is not one)
                item = responses.put(key, renderer.render(store, sid, kind))
                views.put(sid, kind, key, item)
        return item, key

    @app.get("/stories/{ref}", summary="A story's briefing; its JSON is exactly `crosswire show ID --format json`",
             response_model=None)
    async def show_story(request: Request, ref: str,
                         since: Annotated[str | None, Query(description="An ISO 8601 time: also what changed after it "
                                                            "(the JSON gains one key, `changed_since`)")] = None
                         ) -> Response:
        if since:  # what changed since a time: computed each time, never cached
            return await run_in_threadpool(story_since, request, ref, since)
        # from memory on the event loop when the story's key is known; else the store is read (and the
        # view rendered when it is missing) in the thread pool
        kind = "json" if wants_json(request, ref) else "html"
        item = story_in_memory(_strip(ref), kind)
        if item is None:
            item = await story_stored(ref, kind, True)
        assert item is not None
        status, body, headers = respond(item, request.headers)
        return Response(body, status_code=status, headers=headers,
                        media_type=None if status == 304 else item.media_type)

    def story_since(request: Request, ref: str, since: str) -> Response:
        when = parse_since(since)
        store = readers.get()
        with snapshot(store):
            sid = find_story_id(store, _strip(ref))
            _, record = records.get(store, sid)
            record = with_reviews(store, record)
            changes = changes_since(store, record, when)
            if wants_json(request, ref):
                return Response(story_json_since(record, changes), media_type="application/json")
            return HTMLResponse(render(request, "story.html", record, extra=story_page(store, record), changes=changes))

    @app.get("/stories/{ref}/map.json", summary="The story's places and the country outlines around them (GeoJSON)")
    def story_map(ref: str) -> dict[str, Any]:
        store = readers.get()
        _, record = records.get(store, find_story_id(store, ref))
        return geo.map_data(story_page(store, record)["places"])

    @app.post("/stories/{ref}/merge", summary="Merge another story into this one (recorded like `crosswire merge`)")
    def merge_story(request: Request, ref: str, body: Annotated[MergeBody, Body()]) -> dict[str, Any]:
        from crosswire.stories import merge

        authorize(request)
        store = readers.get()
        a, b = find_story_id(store, ref), find_story_id(store, body.other)
        with write_lock, Store(db) as writer:
            kept = merge(writer, a, b)
        catalog.refresh(store, force=True)
        return {"story": kept, "merged": b}

    @app.post("/stories/{ref}/split", summary="Move articles out of this story into a new one (recorded like "
              "`crosswire split`)")
    def split_story(request: Request, ref: str, body: Annotated[SplitBody, Body()]) -> dict[str, Any]:
        from crosswire.stories import split

        authorize(request)
        store = readers.get()
        sid = find_story_id(store, ref)
        with write_lock, Store(db) as writer:
            new = split(writer, sid, body.articles)
        catalog.refresh(store, force=True)
        return {"story": sid, "new": new, "articles": body.articles}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    # ------------------------------------------------------------ articles and outlets
    @app.get("/articles/{ref}", summary="An article: its export record, facts, copies and story", response_model=None)
    def show_article(request: Request, ref: str,
                     mark: Annotated[str | None, Query(description="A span to highlight: b-START-END in the text, "
                                                        "t-START-END in the headline.")] = None) -> Response:
        record = article_view(readers.get(), _strip(ref))
        if wants_json(request, ref):
            return JSONResponse(record)
        return page(request, "article.html", record, pieces=article_page(record, mark))

    @app.get("/outlets/{name:path}", summary="An outlet's articles and how its facts fared", response_model=None)
    def show_outlet(request: Request, name: str) -> Response:
        data = outlet_view(readers.get(), _strip(name))
        if wants_json(request, name):
            return JSONResponse(data)
        return page(request, "outlet.html", data)

    return app


def openapi_json(app: FastAPI) -> str:
    """The OpenAPI description the app serves at ``/api``."""
    return json.dumps(app.openapi(), indent=2)
