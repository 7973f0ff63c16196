"""Story views rendered ahead (crosswire.serve.rendered) and the fast path for a story seen again: the
warmer process renders every story into the views file, a first view is then served from it as
rendered (no rendering on the spot), a write by another process is never hidden by it, and the warmer
ends with the server. The real server on loopback, the real store of the serve tests."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import httpx
import pytest
from serve_support import build_store, copy_store, running
from typer.testing import CliRunner

from crosswire.cli import app as cli
from crosswire.serve import create_app
from crosswire.serve.app import StoryKeys
from crosswire.serve.cache import Cached
from crosswire.serve.rendered import RenderedViews, key_text, views_path
from crosswire.store import Store


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve-rendered"))


def _made(views: Path) -> dict[tuple[str, str], tuple[str, float]]:
    conn = sqlite3.connect(views)
    try:
        return {(r[0], r[1]): (r[2], r[3]) for r in conn.execute("SELECT story, kind, key, made_at FROM views")}
    finally:
        conn.close()


def _ready(client: httpx.Client, limit: float = 180.0) -> dict:
    deadline = time.monotonic() + limit
    while True:
        status = client.get("/changes.json").json()["prerendered"]
        if status["ready"]:
            return status
        assert time.monotonic() < deadline, f"the warmer did not finish: {status}"
        time.sleep(0.2)


def test_every_story_is_rendered_ahead_served_as_rendered_and_rendered_again_after_a_write(store_db, tmp_path):
    db = copy_store(store_db, tmp_path / "ahead.db")
    catalog = tmp_path / "catalog.sqlite"
    app = create_app(db, read_only=True, cache=catalog, prerender=True)
    views = views_path(catalog)
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        status = _ready(client)
        with Store.open_read(db) as store:
            ids = [r[0] for r in store.conn.execute("SELECT id FROM stories WHERE status = 'active'")]
        assert status["stories"] == status["rendered"] == len(ids) >= 2
        made = _made(views)
        assert set(made) == {(sid, kind) for sid in ids for kind in ("json", "html")}
        gdansk = next(s["id"] for s in client.get("/stories.json").json()["stories"] if "Gdańsk" in s["title"])
        first = client.get(f"/stories/{gdansk}.json")
        page = client.get(f"/stories/{gdansk}")
        assert _made(views) == made  # served from the views file: nothing rendered on the spot
        assert app.state.responses.stats()["misses"] == 0
        shown = CliRunner().invoke(cli, ["show", gdansk, "--format", "json", "--db", str(db)]).stdout
        assert first.text == shown and 'id="story-title"' in page.text and 'id="merge-form"' not in page.text

        # another process splits the story: the very next request shows it, and the file follows
        leaving = [a["id"] for a in first.json()["articles"] if a["role"] == "original"][-1]
        assert CliRunner().invoke(cli, ["split", gdansk, leaving, "--db", str(db)]).exit_code == 0
        after = client.get(f"/stories/{gdansk}.json")
        assert leaving not in {a["id"] for a in after.json()["articles"]}
        assert after.text == CliRunner().invoke(cli, ["show", gdansk, "--format", "json", "--db", str(db)]).stdout
        assert _made(views)[(gdansk, "json")][0] != made[(gdansk, "json")][0]
        warmer = app.state.warmer
    assert not warmer._proc.is_alive()  # ended with the server

    # a second server on the same files: a page rendered with the forms of a writable server is not
    # reused by a read-only one and the other way round (the key holds the flags)
    again = create_app(db, token="serve-test-token-0123456789", cache=catalog)
    with running(again) as base, httpx.Client(base_url=base, timeout=120) as client:
        writable = client.get(f"/stories/{gdansk}").text
        assert 'id="merge-form"' in writable and "This server is read-only" not in writable
        assert _made(views)[(gdansk, "html")][0] != made[(gdansk, "html")][0]


def test_a_view_whose_key_moved_is_never_read_back(tmp_path) -> None:
    views = RenderedViews(tmp_path / "v.db")
    item = Cached.of("{}\n", "application/json")
    views.put("s1", "json", ("json", "s1", "hash-a"), item)
    got = views.get("s1", "json", ("json", "s1", "hash-a"))
    assert got is not None and got.body() == b"{}\n" and got.etag == item.etag
    assert views.get("s1", "json", ("json", "s1", "hash-b")) is None  # the story changed since
    assert views.get("s1", "html", ("json", "s1", "hash-a")) is None
    views.put("s1", "json", ("json", "s1", "hash-b"), Cached.of("{\"b\": 1}\n", "application/json"))
    assert views.count() == 1 and views.get("s1", "json", ("json", "s1", "hash-a")) is None  # replaced, not kept
    assert key_text(("json", "s1", "hash-a")) == key_text(("json", "s1", "hash-a")) != key_text(("json", "s1", "b"))
    views.close()


def test_the_keys_of_a_connection_are_forgotten_when_another_connection_writes(store_db, tmp_path) -> None:
    db = copy_store(store_db, tmp_path / "keys.db")
    keys = StoryKeys()
    with Store.open_read(db) as reader:
        v1 = keys.version(reader)
        keys.remember(reader, v1, "abc", "json", ("k",))
        assert keys.get(reader, keys.version(reader), "abc", "json") == ("k",)
        assert keys.get(reader, v1, "abc", "html") is None
        writer = sqlite3.connect(db)
        try:
            with writer:
                writer.execute("UPDATE stories SET title = title || ' (retitled)'")
        finally:
            writer.close()
        v2 = keys.version(reader)
        assert v2 != v1 and keys.get(reader, v2, "abc", "json") is None


def test_what_the_server_started_with_is_out_of_the_collectors_reach_while_it_serves(store_db, tmp_path) -> None:
    """A full garbage collection holds the GIL while it walks every tracked object, so it stops the
    event loop and every request in flight: at ~230,000 objects after a server's imports that was
    130-150 ms once every few thousand requests (the p99 of 146-149 ms at 50 clients). While the
    server runs, what it started with (here: the app itself) is frozen, out of those walks; when it
    stops, the collector has it back."""
    import gc

    def walked(obj: object) -> bool:
        return any(o is obj for o in gc.get_objects())

    assert gc.get_freeze_count() == 0
    app = create_app(store_db, read_only=True, cache=tmp_path / "catalog.sqlite")
    assert walked(app)
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        sid = client.get("/stories.json").json()["stories"][0]["id"]
        assert client.get(f"/stories/{sid}.json").status_code == 200
        assert gc.get_freeze_count() > 0 and not walked(app)
        gc.collect()  # a full collection now leaves it frozen, and the server answering
        assert not walked(app) and client.get(f"/stories/{sid}").status_code == 200
    assert gc.get_freeze_count() == 0 and walked(app)


def test_the_event_loop_reads_no_table_a_story_lookup_reads_the_store_in_a_thread(store_db, tmp_path) -> None:
    """Every SQL statement the server runs is traced with whether it ran on the event loop: a story's
    first views (from the views file) and its views seen again read the store and the views file in
    worker threads only; on the loop runs ``PRAGMA data_version`` (is what is in memory still
    current?) and nothing else, so a read that waits (the disk, a busy file) never stops the loop."""
    import asyncio

    def on_loop() -> bool:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False
        return True

    ran: list[tuple[bool, str]] = []

    def traced(conn: sqlite3.Connection) -> sqlite3.Connection:
        conn.set_trace_callback(lambda sql: ran.append((on_loop(), " ".join(sql.split()))))
        return conn

    db = copy_store(store_db, tmp_path / "loop.db")
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite", prerender=True)
    readers, views = app.state.readers, app.state.views
    open_read, open_view = readers.get, views.conn
    traced_stores: set[int] = set()

    def reader() -> Store:
        store = open_read()
        if id(store) not in traced_stores:
            traced_stores.add(id(store))
            traced(store.conn)
        return store

    readers.get = reader
    views.conn = lambda: traced(open_view())
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        _ready(client)
        ids = [s["id"] for s in client.get("/stories.json").json()["stories"]]
        ran.clear()
        for sid in ids:
            for path in (f"/stories/{sid}.json", f"/stories/{sid}"):
                first, again = client.get(path), client.get(path)
                assert first.status_code == again.status_code == 200 and first.content == again.content
        assert app.state.responses.stats()["misses"] == 0  # every first view came from the views file
    on, off = {sql for loop, sql in ran if loop}, {sql for loop, sql in ran if not loop}
    assert on == {"PRAGMA data_version"}
    assert any(sql.startswith("SELECT key, etag") for sql in off) and any("briefings" in sql for sql in off)
