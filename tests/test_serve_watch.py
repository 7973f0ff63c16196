"""``crosswire serve --watch``: the watch loop inside the real server process, beside its ingest jobs, with
the real feed server on loopback (the helpers of test_watch), the whole pipeline (real spaCy), the rules
(ACLED types too), alerts on /alerts (live in a real browser) and a clean stop with the server."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import time
from pathlib import Path

import httpx
from conftest import send
from interrupting import crosswire
from serve_support import TOKEN, browser_page, browser_site
from test_watch import DRILLS_A, DRILLS_B, FeedState, feed
from typer.testing import CliRunner

from crosswire.cli import app as cli
from crosswire.config import Settings
from crosswire.serve import create_app
from crosswire.store import Store
from crosswire.watch.config import load_rules, load_sources
from crosswire.watch.loop import WatchPlan

BORDER = "military activity within 50 km of Poland's border"
RULES = f"""
[[rule]]
name = "{BORDER}"
cameo = ["15"]
near_border = {{ country = "PL", km = 50 }}

[[rule]]
name = "strategic developments (ACLED)"
acled = ["Strategic developments"]

[[rule]]
name = "battles (ACLED)"
acled = ["Battles", "Air/drone strike"]

[[rule]]
name = "a count changed"
count_changed = true
"""


def ferry_fire(outlet: str) -> bytes:
    """An article of our own, unrelated to the drills (news-please JSON), for an ingest job."""
    text = ("A fire broke out on a passenger ferry moored in the port of Split, Croatia, on Tuesday, and all 140 "
            "passengers were taken ashore, the harbour master said.\n\nFirefighters put out the blaze in the engine "
            "room within an hour. Departures to the islands of Brac and Hvar were delayed until the evening while "
            "inspectors examined the ship.\n\n\"Nobody was hurt, and the cause is being investigated,\" a spokeswoman "
            "for the ferry operator told reporters on the quay.")
    return json.dumps({"title": "Passengers evacuated as fire breaks out on ferry in Split", "maintext": text,
                       "source_domain": outlet, "language": "en", "date_publish": "2026-11-03 09:00:00",
                       "url": f"https://{outlet}/split-ferry-fire"}).encode()


def _files(folder: Path, base: str) -> tuple[Path, Path]:
    sources = folder / "sources.toml"
    sources.write_text(f'[watch]\nhost_interval = "0s"\n\n[[source]]\nurl = "{base}/feed.xml"\nevery = "1s"\n',
                       encoding="utf-8")
    rules = folder / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    return sources, rules


def _serve_feeds(loopback) -> FeedState:  # type: ignore[no-untyped-def]
    state = FeedState()
    loopback.routes["/feed.xml"] = state
    loopback.routes["/a.html"] = lambda h: send(h, DRILLS_A.encode(), "text/html; charset=utf-8")
    loopback.routes["/b.html"] = lambda h: send(h, DRILLS_B.encode(), "text/html; charset=utf-8")
    return state


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _until(what: str, check, proc=None, limit: float = 300.0):  # type: ignore[no-untyped-def]
    """``check()`` once it is truthy (polled), failing with ``what`` after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while True:
        try:
            got = check()
        except httpx.TransportError:
            got = None
        if got:
            return got
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the server ended while waiting for {what}: {proc.stderr.read().decode()[-3000:]}")
        assert time.monotonic() < deadline, f"no {what} after {limit:g} s"
        time.sleep(0.25)


def test_serve_watch_raises_alerts_beside_an_ingest_job_and_stops_cleanly_with_the_server(loopback, tmp_path):
    base = loopback.base
    feed_state = _serve_feeds(loopback)
    feed_state.set(feed(base, [("a-1", "Drills begin", "/a.html")]), '"v1"')
    sources, rules = _files(tmp_path, base)
    db, alerts_file = tmp_path / "w.db", tmp_path / "alerts.jsonl"
    Store(db).close()  # an empty store: the watch fills it
    port = _free_port()
    server = crosswire("serve", "--db", str(db), "--port", str(port), "--token", TOKEN, "--allow-private",
                       "--watch", str(sources), "--rules", str(rules), "--alerts", str(alerts_file),
                       env={"CROSSWIRE_WORKERS": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            # the first poll's story and its alerts, raised by the watch inside the server
            first = _until("first alerts", lambda: (d := client.get("/alerts.json").json())["total"] >= 2 and d, server)
            assert first["watch"]["running"] and first["watch"]["error"] is None and first["watch"]["sources"] == 1
            assert first["watch"]["rules"] == [BORDER, "strategic developments (ACLED)", "battles (ACLED)",
                                               "a count changed"]
            by_rule = {a["rule"]: a for a in first["alerts"]}
            assert set(by_rule) == {BORDER, "strategic developments (ACLED)"}  # no battle, no count yet
            assert "Hrodna" in by_rule[BORDER]["reason"]
            acled = by_rule["strategic developments (ACLED)"]
            assert acled["reason"].startswith("ACLED Strategic developments / ")
            [story] = client.get("/stories.json").json()["stories"]
            assert acled["story"] == by_rule[BORDER]["story"] == story["id"]
            version = client.get("/changes.json").json()["version"]

            # an ingest job and the watch's next batch at the same time: one pipeline at a time
            feed_state.set(feed(base, [("b-1", "Five thousand", "/b.html"), ("a-1", "Drills begin", "/a.html")]),
                           '"v2"')
            job = client.post("/ingest", headers={"Authorization": f"Bearer {TOKEN}"},
                              files=[("files", ("ferry.json", ferry_fire("adriatic-post.example"), "application/json"))])
            assert job.status_code == 202, job.text
            done = _until("the ingest job", lambda: (j := client.get(job.json()["url"] + ".json").json())["state"]
                          in ("finished", "failed") and j, server)
            assert done["state"] == "finished" and done["counts"]["stored"] == 1, done
            changed = _until("the count alert", lambda: [a for a in client.get("/alerts.json").json()["alerts"]
                                                         if a["rule"] == "a count changed"], server)
            assert changed[0]["story"] == story["id"] and "count of soldier changed" in changed[0]["reason"]
            assert client.get("/changes.json").json()["version"] != version  # the live pages see it
            titles = {s["title"] for s in client.get("/stories.json").json()["stories"]}
            assert any("ferry" in t for t in titles) and len(titles) == 2, (titles, client.get("/stories.json").json())
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C: the server stops, and its watch with it
        out, err = server.communicate(timeout=180)
    assert server.returncode == 0, err.decode()[-3000:]

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM analyses").fetchone()[0] == 3
        assert conn.execute("SELECT count(*), count(DISTINCT article_id) FROM story_articles sa JOIN stories s "
                            "ON s.id = sa.story_id WHERE s.status = 'active'").fetchone() == (3, 3)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        runs = conn.execute("SELECT command, status FROM runs WHERE command = 'watch'").fetchall()
        assert runs == [("watch", "finished")]  # ended with the server, not left running
        assert conn.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] == 0
        stored = {(r[0], r[1], r[2]) for r in conn.execute("SELECT rule, story, digest FROM watch_alerts")}
        assert conn.execute("SELECT count(*) FROM watch_alerts WHERE sent_at IS NULL").fetchone()[0] == 0
    finally:
        conn.close()
    printed = [json.loads(x) for x in out.decode().splitlines() if x.startswith("{")]
    in_file = [json.loads(x) for x in alerts_file.read_text(encoding="utf-8").splitlines()]
    assert {(a["rule"], a["story"], a["digest"]) for a in printed} == stored
    assert [a["digest"] for a in in_file] == [a["digest"] for a in printed] and len(printed) == len(stored)
    assert not any(a["rule"] == "battles (ACLED)" for a in printed)


def test_the_alerts_page_shows_a_new_alert_while_it_is_open(loopback, tmp_path) -> None:
    base = loopback.base
    feed_state = _serve_feeds(loopback)
    feed_state.set(feed(base, []), '"v0"')
    sources, rules = _files(tmp_path, base)
    db = tmp_path / "w.db"
    Store(db).close()
    plan = WatchPlan(load_sources(sources), load_rules(rules))
    app = create_app(db, token=TOKEN, cache=tmp_path / "catalog.sqlite", watch=plan,
                     settings=Settings(db=str(db), allow_private=True, workers=1))
    with browser_site(app) as (url, browser), browser_page(url, browser) as page:
        page.goto("/alerts")
        page.wait_for_selector("#live[data-version]")
        assert page.locator("li.alert-item").count() == 0 and "This server watches 1 source" in page.inner_text(
            "#watch-status")
        page.evaluate("window.stayed = true")  # gone if the page were loaded again
        feed_state.set(feed(base, [("a-1", "Drills begin", "/a.html")]), '"v1"')
        page.locator("li.alert-item", has_text=BORDER).first.wait_for(timeout=300_000)
        assert page.evaluate("window.stayed") is True  # updated in place
        assert "updated" in page.inner_text("#live")
        assert not page.errors  # type: ignore[attr-defined]
    assert not app.state.watch.running  # stopped with the server
    with Store(db) as store:
        assert store.conn.execute("SELECT status FROM runs WHERE command = 'watch'").fetchall()[0][0] == "finished"


def test_watch_flags_go_with_watch_and_a_bad_sources_file_is_named(tmp_path) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    alone = CliRunner().invoke(cli, ["serve", "--db", str(db), "--read-only", "--rules", str(rules)])
    assert alone.exit_code == 2 and "--rules and --alerts go with --watch" in alone.output
    missing = CliRunner().invoke(cli, ["serve", "--db", str(db), "--read-only", "--watch", str(tmp_path / "no.toml")])
    assert missing.exit_code != 0 and "no.toml" in missing.output and "does not exist" in missing.output
