"""The story routes' response cache (crosswire.serve.cache): the fast JSON twin is the contract's
characters, a story seen again comes from memory with an ETag (304, gzip), and the next request
after another process writes the store shows the write, with no wait."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from serve_support import build_store, copy_store, running

from crosswire.cli import app as cli
from crosswire.present.briefing import render_json
from crosswire.serve import create_app
from crosswire.serve.cache import Cached, ResponseCache, respond, story_json_text
from crosswire.store import Store


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve-cache"))


def _ids(client: httpx.Client) -> dict[str, str]:
    """Story title -> id."""
    return {s["title"]: s["id"] for s in client.get("/stories.json", params={"limit": 200}).json()["stories"]}


def _titled(client: httpx.Client, word: str) -> str:
    found = [sid for title, sid in _ids(client).items() if word in title]
    assert len(found) == 1, _ids(client)
    return found[0]


# ---------------------------------------------------------------- the JSON twin
def test_the_fast_json_twin_is_render_json_character_for_character(store_db) -> None:
    from crosswire.crosscheck.story import crosscheck_story

    with Store.open_read(store_db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM stories WHERE status = 'active'")]
        records = [crosscheck_story(store, sid, persist=False) for sid in ids]
    assert len(records) >= 2
    odd = {
        "zeta": [1, -0, 2**70, 0.1, -0.0, 1e-7, 1e22, float("nan"), float("inf"), float("-inf"), True, False, None],
        "facts": [{}, [], [[]], {"a": {}}, ("tu", "ple")],
        "title": 'quotes " and \\ and \n\t\x00\x1f, “typographic”, Gdańsk, 東京, 🙂',
        "id": "x",
        "keys": {7: "an int key", 2.5: "a float key", True: "a bool key", None: "a null key", False: 0},
        "alpha": {"nested": {"deeper": [{"k": 1.5}, "s", 3, None]}},
    }
    for record in [*records, odd]:
        assert story_json_text(record) == render_json(record)


def test_what_json_refuses_the_twin_refuses_the_same_way() -> None:
    for bad in ({"id": "x", "facts": {1, 2}}, {"id": "x", ("a", "b"): 1}):
        with pytest.raises(TypeError) as fast:
            story_json_text(bad)
        with pytest.raises(TypeError) as slow:
            render_json(bad)
        assert str(fast.value) == str(slow.value)


# ---------------------------------------------------------------- the cache itself
def test_the_cache_keeps_within_its_byte_budget_dropping_the_least_recently_used() -> None:
    items = {k: Cached.of(f"body {k} " + "x" * 50_000 + k * 3000, "text/plain") for k in "abcd"}
    size = len(items["a"].gz)
    cache = ResponseCache(max_bytes=3 * size + size // 2)
    for k in "abc":
        cache.put((k,), items[k])
    assert cache.get(("a",)) is items["a"]  # a is now the most recent
    cache.put(("d",), items["d"])
    assert cache.get(("b",)) is None and cache.get(("a",)) is items["a"] and cache.get(("d",)) is items["d"]
    assert cache.stats()["bytes"] <= cache.max_bytes


def test_a_response_is_gzip_only_for_a_client_that_takes_it_and_304_for_its_etag() -> None:
    item = Cached.of("{\"id\": \"x\"}\n", "application/json")
    status, body, headers = respond(item, {"accept-encoding": "gzip, deflate"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == b'{"id": "x"}\n'
    for plain in ({}, {"accept-encoding": "identity"}, {"accept-encoding": "gzip;q=0, br"}):
        status, body, headers = respond(item, plain)
        assert status == 200 and body == b'{"id": "x"}\n' and "Content-Encoding" not in headers
    gz_tag = respond(item, {"accept-encoding": "gzip"})[2]["ETag"]
    assert gz_tag != item.etag and gz_tag.endswith('-gz"')
    for tag, enc in ((item.etag, ""), (gz_tag, "gzip"), (f'"other", W/{item.etag}', ""), ("*", "")):
        status, body, _ = respond(item, {"if-none-match": tag, "accept-encoding": enc})
        assert status == 304 and body == b""
    assert respond(item, {"if-none-match": '"other"'})[0] == 200


# ---------------------------------------------------------------- over HTTP
def test_a_story_seen_again_comes_from_memory_with_its_etag(store_db, tmp_path) -> None:
    app = create_app(store_db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        sid = _titled(client, "Gdańsk")
        for path in (f"/stories/{sid}.json", f"/stories/{sid}"):
            first = client.get(path)
            before = app.state.responses.stats()
            again = client.get(path)
            after = app.state.responses.stats()
            assert after["hits"] == before["hits"] + 1 and after["misses"] == before["misses"]
            assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
            assert first.headers["content-encoding"] == "gzip" and first.headers["cache-control"] == "no-cache"
            assert "content-security-policy" in first.headers
            same = client.get(path, headers={"If-None-Match": first.headers["etag"]})
            assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == first.headers["etag"]
            plain = client.get(path, headers={"Accept-Encoding": "identity"})
            assert "content-encoding" not in plain.headers and plain.content == first.content
        assert client.get(f"/stories/{sid}", headers={"Accept": "application/json"}).content == \
            client.get(f"/stories/{sid}.json").content
        assert client.get("/stories/0000000000000000.json").status_code == 404


def test_the_next_request_after_another_process_writes_shows_the_write(store_db, tmp_path) -> None:
    db = copy_store(store_db, tmp_path / "live.db")
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    runner = CliRunner()
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        gdansk, rotterdam = _titled(client, "Gdańsk"), _titled(client, "Rotterdam")
        record = client.get(f"/stories/{gdansk}.json").json()
        page = client.get(f"/stories/{gdansk}")
        leaving = [a["id"] for a in record["articles"] if a["role"] == "original"][-1]
        assert leaving in page.text

        assert runner.invoke(cli, ["split", gdansk, leaving, "--db", str(db)]).exit_code == 0
        after = client.get(f"/stories/{gdansk}.json").json()  # no wait: the very next request
        assert leaving not in {a["id"] for a in after["articles"]}
        again = client.get(f"/stories/{gdansk}", headers={"If-None-Match": page.headers["etag"]})
        assert again.status_code == 200 and f'value="{leaving}"' not in again.text
        assert again.headers["etag"] != page.headers["etag"]

        assert runner.invoke(cli, ["merge", gdansk, rotterdam, "--db", str(db)]).exit_code == 0
        merged = client.get(f"/stories/{gdansk}.json").text
        assert merged == runner.invoke(cli, ["show", gdansk, "--format", "json", "--db", str(db)]).stdout
        assert client.get(f"/stories/{rotterdam}.json").text == merged  # a merged id leads on
        assert "Rotterdam" in client.get(f"/stories/{gdansk}").text


def test_the_list_after_changes_json_moved_shows_the_write_with_no_wait(store_db, tmp_path) -> None:
    """A live page reloads the list when /changes.json moves: that very reload shows the write, even
    within the second the catalog otherwise waits between two looks at the store."""
    db = copy_store(store_db, tmp_path / "list.db")
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        gdansk = _titled(client, "Gdańsk")
        before = {s["id"]: s["articles"] for s in client.get("/stories.json", params={"limit": 200}).json()["stories"]}
        version = client.get("/changes.json").json()["version"]
        leaving = [a["id"] for a in client.get(f"/stories/{gdansk}.json").json()["articles"]
                   if a["role"] == "original"][-1]
        assert CliRunner().invoke(cli, ["split", gdansk, leaving, "--db", str(db)]).exit_code == 0
        assert client.get("/changes.json").json()["version"] != version
        after = {s["id"]: s["articles"] for s in client.get("/stories.json", params={"limit": 200}).json()["stories"]}
        assert after[gdansk] == before[gdansk] - 1 and len(after) == len(before) + 1


def test_the_page_follows_its_related_stories(store_db, tmp_path) -> None:
    db = copy_store(store_db, tmp_path / "links.db")
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        gdansk, rotterdam = _titled(client, "Gdańsk"), _titled(client, "Rotterdam")
        twin = client.get(f"/stories/{gdansk}.json")
        assert 'id="related"' not in client.get(f"/stories/{gdansk}").text
        writer = sqlite3.connect(db)  # another writer: the links analyze records, then a retitled story
        try:
            with writer:
                writer.execute("INSERT INTO story_links(story_id, related_id, probability, why, created_at) "
                               "VALUES (?, ?, 0.42, '{}', '2026-01-01T00:00:00+00:00')", (gdansk, rotterdam))
            page = client.get(f"/stories/{gdansk}").text
            assert 'id="related"' in page and f'href="/stories/{rotterdam}"' in page and "42%" in page
            with writer:
                writer.execute("UPDATE stories SET title = 'A harbour blast, retitled' WHERE id = ?", (rotterdam,))
            assert "A harbour blast, retitled" in client.get(f"/stories/{gdansk}").text
            assert client.get(f"/stories/{gdansk}.json").content == twin.content  # the twin does not list them
            with writer:
                writer.execute("DELETE FROM story_links")
            assert 'id="related"' not in client.get(f"/stories/{gdansk}").text
        finally:
            writer.close()


def test_concurrent_readers_during_writes_never_see_a_page_older_than_the_write(store_db, tmp_path) -> None:
    """Many clients at once while another process splits the story: every answer that starts after
    the split finished shows it (the cache is keyed by what each request reads, in one snapshot)."""
    import concurrent.futures

    db = copy_store(store_db, tmp_path / "busy.db")
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as probe:
        gdansk = _titled(probe, "Gdańsk")
        leaving = [a["id"] for a in probe.get(f"/stories/{gdansk}.json").json()["articles"]
                   if a["role"] == "original"][-1]

        def fetch(_: int) -> list[str]:
            with httpx.Client(base_url=base, timeout=120) as c:
                return [a["id"] for a in c.get(f"/stories/{gdansk}.json").json()["articles"]]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            assert all(leaving in ids for ids in pool.map(fetch, range(16)))
            assert CliRunner().invoke(cli, ["split", gdansk, leaving, "--db", str(db)]).exit_code == 0
            assert all(leaving not in ids for ids in pool.map(fetch, range(16)))
        assert json.loads(probe.get(f"/stories/{gdansk}.json").text)["id"] == gdansk


def test_the_story_page_badges_only_the_articles_that_are_copies(store_db, tmp_path) -> None:
    """``s.copy`` in a template reads the source's key, not the dict's ``copy`` method (always true)."""
    from crosswire.present.briefing import outline

    app = create_app(store_db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        for sid in _ids(client).values():
            sources = outline(client.get(f"/stories/{sid}.json").json())["sources"]
            badges = client.get(f"/stories/{sid}").text.count('<span class="badge single_source">copy</span>')
            assert badges == sum(1 for s in sources if s.get("copy"))
