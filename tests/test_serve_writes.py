"""crosswire serve's writes over HTTP: conflict reviews, article fixes, ingest jobs (uploads and URLs)
and the live "last change"; the real server (uvicorn on a free loopback port) on copies of a real
store (the demo corpus and hostile articles), httpx as the client, articles of our own to ingest."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
from conftest import send
from typer.testing import CliRunner

from serve_support import TOKEN, build_store, copy_store, running

from crosswire.cli import app as cli
from crosswire.config import Settings
from crosswire.serve import create_app
from crosswire.serve.jobs import http_urls, safe_name, uploads_folder

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE_TITLE = "Footbridge gives way in Linz <img src=x onerror=\"document.body.dataset.pwned='upload'\">"


def article(title: str, outlet: str, injured: str, day: str) -> bytes:
    """A news article of our own (news-please JSON): a footbridge collapse in Linz."""
    text = (f"A pedestrian footbridge over the Danube in Linz, Austria, collapsed on Saturday, May 10, 2025, and "
            f"{injured} people were injured, the city's fire service said.\n\nThe steel span gave way shortly after "
            "noon while a crowd was crossing to the weekend market on the north bank. Divers searched the river "
            "for two hours but found no one missing.\n\n\"The bridge had been inspected in March,\" deputy mayor "
            "Karin Hofer told reporters. Engineers from the city were examining the broken supports, and the "
            "river was closed to boats until Sunday evening.")
    return json.dumps({"title": title, "maintext": text, "source_domain": outlet, "language": "en",
                       "date_publish": f"{day} 15:00:00", "url": f"https://{outlet}/linz-bridge"}).encode()


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve-writes"))


@pytest.fixture
def server(store_db, tmp_path):  # type: ignore[no-untyped-def]
    """A writable server on a copy of the store; yields (client, db)."""
    db = copy_store(store_db, tmp_path / "w.db")
    app = create_app(db, token=TOKEN, cache=tmp_path / "catalog.sqlite", settings=Settings(db=str(db), workers=1))
    with running(app) as base, httpx.Client(base_url=base, timeout=300) as client:
        yield client, db


def _rows(db: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _story(client: httpx.Client, word: str) -> dict:  # type: ignore[type-arg]
    found = [s for s in client.get("/stories.json").json()["stories"] if word in s["title"]]
    assert len(found) == 1
    return client.get(f"/stories/{found[0]['id']}.json").json()


def _wait(client: httpx.Client, path: str, seconds: float = 240) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while True:
        job = client.get(path + ".json").json()
        if job["state"] in ("finished", "failed"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.3)


# ---------------------------------------------------------------- the token
def test_every_new_write_is_refused_without_the_token_and_on_a_read_only_server(store_db, tmp_path) -> None:
    db = copy_store(store_db, tmp_path / "t.db")
    app = create_app(db, token=TOKEN, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        record = _story(client, "Gdańsk")
        conflict = next(f["id"] for f in record["facts"] if f["status"] == "conflict")
        aid = record["articles"][0]["id"]
        writes = [(f"/stories/{record['id']}/reviews", {"json": {"fact": conflict, "note": "checked"}}),
                  (f"/articles/{aid}/corrections", {"json": {"outlet": "Someone Else"}}),
                  ("/ingest", {"files": [("files", ("a.json", article("Linz bridge", "a.example", "four",
                                                                      "2025-05-10")))]}),
                  ("/ingest", {"json": {"urls": ["https://example.org/a"]}})]
        for path, body in writes:
            none = client.post(path, **body)
            assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer", (path, none.text)
            assert client.post(path, headers={"Authorization": "Bearer wrong-token"}, **body).status_code == 403
            assert client.post(path, headers={"Authorization": TOKEN}, **body).status_code == 401  # no scheme
            # what another site's form could send: no Authorization header, a cookie does not count
            forged = client.post(path, headers={"Cookie": f"token={TOKEN}; authorization=Bearer%20{TOKEN}"}, **body)
            assert forged.status_code == 401
        assert client.get("/ingest.json").json()["jobs"] == []
    assert _rows(db, "SELECT count(*) FROM conflict_reviews") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM article_corrections") == [(0,)]
    assert not uploads_folder(str(db)).exists()
    ro = create_app(db, read_only=True, cache=tmp_path / "catalog2.sqlite")
    with running(ro) as base, httpx.Client(base_url=base, timeout=120) as client:
        for path, body in writes:
            r = client.post(path, headers=AUTH, **body)
            assert r.status_code == 403 and "read-only" in r.json()["error"]["message"]
        assert "read-only" in client.get("/ingest").text


# ---------------------------------------------------------------- conflict reviews
def test_a_conflict_review_is_recorded_shown_and_equal_to_crosswire_show(server) -> None:
    client, db = server
    record = _story(client, "Gdańsk")
    sid = record["id"]
    assert "reviews" not in record  # no review: the record is exactly what it was
    conflict = next(f for f in record["facts"] if f["status"] == "conflict")
    note = "Checked the two dates <script>document.title='pwned'</script>: the plant's statement says the 11th."
    r = client.post(f"/stories/{sid}/reviews", json={"fact": conflict["id"], "note": note, "by": "ana"}, headers=AUTH)
    assert r.status_code == 200, r.text
    review = r.json()["review"]
    assert review["action"] == "reviewed" and review["who"] == "ana" and review["slot"] == conflict["slot"]
    assert len(review["values"]) >= 2  # what the sides said when it was reviewed
    served = client.get(f"/stories/{sid}.json")
    shown = CliRunner().invoke(cli, ["show", sid, "--format", "json", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert served.text == shown.stdout  # the story JSON stays `crosswire show --format json`, reviews included
    reviews = served.json()["reviews"]
    assert [(x["fact"], x["action"], x["note"], x["who"], x["current"]) for x in reviews] == [
        (conflict["id"], "reviewed", note, "ana", True)]
    assert {k: v for k, v in served.json().items() if k != "reviews"} == record  # only the documented addition
    md = CliRunner().invoke(cli, ["show", sid, "--db", str(db)])
    assert "## Reviews of its conflicts" in md.stdout and "ana reviewed fact " + conflict["id"] in md.stdout
    page = client.get(f"/stories/{sid}").text
    assert f'id="review-{conflict["id"]}" data-state="reviewed"' in page
    assert "&lt;script&gt;document.title=" in page and "<script>document.title" not in page
    # withdrawn: the history stays, the state moves
    r = client.post(f"/stories/{sid}/reviews", json={"fact": conflict["id"], "action": "withdrawn"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["review"]["who"] == "crosswire serve"
    assert [x["action"] for x in client.get(f"/stories/{sid}.json").json()["reviews"]] == ["reviewed", "withdrawn"]
    assert f'id="review-{conflict["id"]}" data-state="withdrawn"' in client.get(f"/stories/{sid}").text
    assert _rows(db, "SELECT action, who FROM conflict_reviews ORDER BY id") == [("reviewed", "ana"),
                                                                                 ("withdrawn", "crosswire serve")]


def test_a_review_is_refused_with_a_reason_when_it_names_no_conflict(server) -> None:
    client, db = server
    record = _story(client, "Gdańsk")
    sid = record["id"]
    conflict = next(f["id"] for f in record["facts"] if f["status"] == "conflict")
    agreed = next(f["id"] for f in record["facts"] if f["status"] == "corroborated")
    cases = [({"fact": agreed, "note": "x"}, "not in conflict"),
             ({"fact": "0000000000000000", "note": "x"}, "has no fact"),
             ({"fact": conflict, "note": "   "}, "needs a note"),
             ({"fact": conflict, "action": "withdrawn"}, "no review to withdraw")]
    for body, message in cases:
        r = client.post(f"/stories/{sid}/reviews", json=body, headers=AUTH)
        assert r.status_code == 400 and message in r.json()["error"]["message"], (body, r.text)
    r = client.post(f"/stories/{sid}/reviews", json={"fact": conflict, "note": "x", "action": "deleted"}, headers=AUTH)
    assert r.status_code == 422
    assert client.post("/stories/nosuchstory/reviews", json={"fact": conflict, "note": "x"},
                       headers=AUTH).status_code == 404
    assert _rows(db, "SELECT count(*) FROM conflict_reviews") == [(0,)]


def test_a_review_follows_its_story_into_a_merge(server) -> None:
    client, db = server
    gdansk = _story(client, "Gdańsk")
    conflict = next(f["id"] for f in gdansk["facts"] if f["status"] == "conflict")
    r = client.post(f"/stories/{gdansk['id']}/reviews", json={"fact": conflict, "note": "seen"}, headers=AUTH)
    assert r.status_code == 200, r.text
    rotterdam = _story(client, "Rotterdam")["id"]
    assert client.post(f"/stories/{rotterdam}/merge", json={"other": gdansk["id"]}, headers=AUTH).status_code == 200
    merged = client.get(f"/stories/{rotterdam}.json").json()
    assert [(x["story"], x["fact"]) for x in merged["reviews"]] == [(gdansk["id"], conflict)]
    assert merged["reviews"][0]["current"] is False  # the merged record names its facts anew
    assert client.get(f"/stories/{gdansk['id']}.json").json()["reviews"] == merged["reviews"]  # the old id leads on


# ---------------------------------------------------------------- article fixes
def test_an_article_fix_is_recorded_like_the_cli_and_can_be_put_back(server, tmp_path, store_db) -> None:
    client, db = server
    record = _story(client, "Gdańsk")
    aid = next(a["id"] for a in record["articles"] if a["outlet"] == "Northwire")
    r = client.post(f"/articles/{aid}/corrections", json={"outlet": "North Wire Agency", "published": "2025-03-12",
                                                          "by": "ana"}, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["changed"]["outlet"] == {"old": "Northwire", "new": "North Wire Agency"}
    assert set(body["changed"]) == {"outlet", "published"} and body["stories"] == [record["id"]]
    assert body["crosscheck"]["computed"] >= 1
    after = client.get(f"/stories/{record['id']}.json").json()
    assert next(a for a in after["articles"] if a["id"] == aid)["outlet"] == "North Wire Agency"
    assert client.get(f"/articles/{aid}.json").json()["outlet"] == "North Wire Agency"
    # the same fix by the CLI records the same thing
    cli_db = copy_store(store_db, tmp_path / "cli.db")
    done = CliRunner().invoke(cli, ["article", aid, "--outlet", "North Wire Agency", "--published", "2025-03-12",
                                    "--by", "ana", "--db", str(cli_db)])
    assert done.exit_code == 0, done.output
    sql = "SELECT article_id, field, previous, value, origin, source, who FROM article_corrections ORDER BY id"
    assert _rows(db, sql) == _rows(cli_db, sql)
    page = client.get(f"/articles/{aid}").text
    assert 'class="revert" data-field="outlet" data-value="Northwire"' in page
    # put back: one more correction, the history keeps both
    r = client.post(f"/articles/{aid}/corrections", json={"outlet": "Northwire"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["changed"]["outlet"] == {"old": "North Wire Agency", "new": "Northwire"}
    assert [(f, v, w) for _, f, _, v, _, _, w in _rows(db, sql)] == [
        ("outlet", "North Wire Agency", "ana"), ("published", "2025-03-12", "ana"), ("outlet", "Northwire",
                                                                                     "crosswire serve")]
    shown = CliRunner().invoke(cli, ["article", aid, "--json", "--db", str(db)])
    assert json.loads(shown.stdout)["outlet"] == "Northwire"


def test_a_bad_article_fix_is_refused_with_a_reason(server) -> None:
    client, db = server
    aid = _story(client, "Gdańsk")["articles"][0]["id"]
    for body, status, message in [({"published": "the day after"}, 400, "not a date"),
                                  ({"outlet": "  "}, 400, "is empty"),
                                  ({}, 400, "nothing to change"),
                                  ({"url": "https://x.example/"}, 400, "nothing to change")]:
        r = client.post(f"/articles/{aid}/corrections", json=body, headers=AUTH)
        assert r.status_code == status and message in r.json()["error"]["message"], (body, r.text)
    assert client.post("/articles/ffffffffffffffff/corrections", json={"outlet": "x"}, headers=AUTH).status_code == 404
    assert _rows(db, "SELECT count(*) FROM article_corrections") == [(0,)]


# ---------------------------------------------------------------- ingest
def test_uploaded_files_are_ingested_in_the_background_with_their_rejections(server) -> None:
    client, db = server
    before = client.get("/changes.json").json()
    files = [("files", ("courier.json", article("Footbridge collapses in Linz, four hurt", "danube-courier.example",
                                                "four", "2025-05-10"), "application/json")),
             ("files", ("../../wire.json", article(HOSTILE_TITLE, "alpine-wire.example", "five", "2025-05-10"),
                        "application/json")),
             ("files", ("notes.txt", b"Too short to be an article.", "text/plain"))]
    r = client.post("/ingest", files=files, data={"by": "ana"}, headers=AUTH)
    assert r.status_code == 202, r.text
    assert r.headers["location"] == r.json()["url"] and r.json()["job"]["state"] in ("queued", "running")
    job = _wait(client, r.json()["url"])
    assert job["state"] == "finished", job
    assert job["counts"]["read"] == 3 and job["counts"]["stored"] == 2 and job["counts"]["rejected"] == 1
    assert job["counts"]["analyzed"] == 2 and job["by"] == "ana"
    [rejected] = job["rejected"]
    assert rejected["reason"] == "missing_text" and rejected["source"].endswith("notes.txt") and rejected["detail"]
    assert [i["saved"] for i in job["inputs"]] == ["0001-courier.json", "0002-wire.json", "0003-notes.txt"]
    kept = uploads_folder(str(db)) / job["id"]
    assert sorted(p.name for p in kept.iterdir()) == ["0001-courier.json", "0002-wire.json", "0003-notes.txt"]
    linz = [s for s in client.get("/stories.json").json()["stories"] if "Linz" in s["title"]]
    assert len(linz) == 1 and linz[0]["articles"] == 2 and job["stories"] == [linz[0]["id"]]
    members = client.get(f"/stories/{linz[0]['id']}.json").json()["articles"]
    sources = {client.get(f"/articles/{a['id']}.json").json()["source"] for a in members}
    assert sources == {str(kept / "0001-courier.json"), str(kept / "0002-wire.json")}  # provenance stays real
    assert client.get("/changes.json").json()["version"] != before["version"]
    page = client.get(r.json()["url"]).text
    assert "missing_text" in page and "<img src=x" not in page
    assert job["id"] in client.get("/ingest").text
    assert [j["id"] for j in client.get("/ingest.json").json()["jobs"]] == [job["id"]]
    runs = _rows(db, "SELECT id, command, status FROM runs ORDER BY id DESC LIMIT 3")
    assert [(c, s) for _, c, s in runs] == [("group", "finished"), ("analyze", "finished"), ("ingest", "finished")]
    assert job["runs"] == [runs[2][0], runs[1][0]]  # the job names its ingest and analyze runs


def test_urls_go_through_the_ssrf_guard(store_db, tmp_path, loopback) -> None:
    page = article("Footbridge collapses in Linz, four hurt", "danube-courier.example", "four", "2025-05-10")
    fields = json.loads(page)
    html = (f"<html><head><title>{fields['title']}</title><meta property='og:site_name' content='Danube Courier'>"
            f"<meta property='article:published_time' content='2025-05-10T15:00:00Z'></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in fields["maintext"].split("\n\n")) + "</article></body></html>")
    loopback.routes["/linz"] = lambda h: send(h, html.encode(), "text/html; charset=utf-8")
    url = f"{loopback.base}/linz"
    for allow, expect in ((False, "private_address"), (True, None)):
        db = copy_store(store_db, tmp_path / f"u{allow}.db")
        app = create_app(db, token=TOKEN, cache=tmp_path / f"c{allow}.sqlite",
                         settings=Settings(db=str(db), workers=1, allow_private=allow))
        with running(app) as base, httpx.Client(base_url=base, timeout=300) as client:
            r = client.post("/ingest", data={"urls": f"# the Linz report\n{url}\n"}, files=[], headers=AUTH)
            assert r.status_code == 202, r.text
            job = _wait(client, r.json()["url"])
            assert job["state"] == "finished" and job["inputs"] == [{"kind": "url", "url": url}], job
            if expect:
                assert [x["reason"] for x in job["rejected"]] == [expect] and job["counts"]["stored"] == 0
                assert "allow_private" in job["rejected"][0]["detail"]
            else:
                assert job["rejected"] == [] and job["counts"]["stored"] == 1, job
                assert any("Linz" in s["title"] for s in client.get("/stories.json").json()["stories"])
            for bad in ("/etc/passwd", "file:///etc/passwd", "-", "ftp://example.org/x", "*.json"):
                r = client.post("/ingest", json={"urls": [bad]}, headers=AUTH)
                assert r.status_code == 400 and "not an http(s) URL" in r.json()["error"]["message"], bad
            r = client.post("/ingest", json={"urls": []}, headers=AUTH)
            assert r.status_code == 400 and "nothing to ingest" in r.json()["error"]["message"]
            r = client.post("/ingest", content=b"urls=x", headers={**AUTH, "Content-Type": "text/plain"})
            assert r.status_code == 400 and "multipart/form-data" in r.json()["error"]["message"]


def test_an_unknown_job_is_404(server) -> None:
    client, _ = server
    r = client.get("/ingest/jobs/0123456789abcdef.json")
    assert r.status_code == 404 and "no ingest job" in r.json()["error"]["message"]


def test_upload_names_and_urls_are_checked() -> None:
    assert safe_name("../../etc/passwd", 1) == "0001-passwd"
    assert safe_name("C:\\Users\\x\\report <1>.html", 2) == "0002-report_1_.html"
    assert safe_name(".hidden", 3) == "0003-hidden" and safe_name("", 4) == "0004-upload"
    assert http_urls("https://a.example/x\n\n# note\nhttp://b.example/y  ") == ["https://a.example/x",
                                                                              "http://b.example/y"]
    for bad in ("javascript:alert(1)", "http://", "//a.example/x", "data:text/html,x"):
        with pytest.raises(Exception, match="not an http"):
            http_urls(bad)


# ---------------------------------------------------------------- live and the API
def test_the_last_change_moves_with_every_write_and_only_then(server) -> None:
    client, _ = server
    first = client.get("/changes.json").json()
    assert set(first) == {"version", "articles", "runs", "running", "jobs", "alerts"}
    assert client.get("/changes.json").json() == first  # reads change nothing
    client.get("/stories")
    assert client.get("/changes.json").json()["version"] == first["version"]
    record = _story(client, "Gdańsk")
    conflict = next(f["id"] for f in record["facts"] if f["status"] == "conflict")
    client.post(f"/stories/{record['id']}/reviews", json={"fact": conflict, "note": "seen"}, headers=AUTH)
    second = client.get("/changes.json").json()["version"]
    assert second != first["version"]
    client.post(f"/articles/{record['articles'][0]['id']}/corrections", json={"outlet": "Renamed"}, headers=AUTH)
    assert client.get("/changes.json").json()["version"] != second
    stories = client.get("/stories").text
    assert f'data-version="{client.get("/changes.json").json()["version"]}"' in stories


def test_openapi_describes_the_new_paths(server) -> None:
    client, _ = server
    spec = client.get("/api").json()
    for path, method in [("/stories/{ref}/reviews", "post"), ("/articles/{ref}/corrections", "post"),
                         ("/ingest", "post"), ("/ingest", "get"), ("/ingest/jobs/{ref}", "get"),
                         ("/changes.json", "get")]:
        assert method in spec["paths"][path], path
    assert "multipart/form-data" in spec["paths"]["/ingest"]["post"]["requestBody"]["content"]
