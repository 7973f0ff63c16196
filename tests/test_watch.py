"""crosswire watch end to end: a real HTTP server on loopback serving feeds and pages that change between
polls (new items, a changed count, a 304, a 500, a slow source, a redirect loop), the whole pipeline
(real spaCy), the rules and the alert sinks. The articles are our own text."""

from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import send

from crosswire.config import Settings
from crosswire.store import Store
from crosswire.watch.config import load_rules, load_sources
from crosswire.watch.loop import Watcher
from crosswire.watch.sinks import JsonlSink
from crosswire.watch.state import WatchState

PAGE = """<html><head><title>{title}</title><meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{when}"></head><body><article><h1>{title}</h1>{body}</article>
</body></html>"""

# Our own reports of one invented event: drills near Hrodna, about 20 km from the Polish border.
DRILLS_A = PAGE.format(
    title="Belarusian troops begin drills near Hrodna, close to the Polish border", site="Eastern Desk",
    when="2026-11-02T08:00:00Z", body="""
<p>HRODNA, Belarus - Belarusian armed forces began a week of military drills near Hrodna on Monday, the defence
ministry in Minsk said, with about 3,000 soldiers and 200 armoured vehicles taking part.</p>
<p>The exercises are being held on training grounds west of the city, which lies about 20 kilometres from the
border with Poland. The ministry said the troops would practise river crossings and air defence.</p>
<p>Polish officials said they were watching the drills closely. "We see no direct threat, but our border guard
units are on alert," a spokesman for the Polish interior ministry told reporters in Warsaw.</p>
<p>The drills are scheduled to end on Sunday, the ministry said.</p>""")
DRILLS_B = PAGE.format(
    title="Belarus holds military drills near Hrodna with 5,000 soldiers", site="Vistula Times",
    when="2026-11-02T11:30:00Z", body="""
<p>Belarus started military drills near Hrodna on Monday involving about 5,000 soldiers, according to a
Polish border guard estimate, well above the figure the defence ministry in Minsk gave.</p>
<p>Hrodna is a city in western Belarus close to the Polish and Lithuanian borders. Armoured units and air
defence crews are taking part in the drills, which will last until Sunday, the ministry said in a statement.</p>
<p>Warsaw said its border guard had raised its state of readiness. "We are following the situation hour by
hour," a Polish government spokesman said.</p>""")


def feed(base: str, items: list[tuple[str, str, str]], title: str = "Eastern Desk - Europe") -> bytes:
    """An RSS feed whose items (guid, title, path) carry only a teaser: the page has the text."""
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{t}</title><link>{base}{path}</link>"
        f"<description>Short teaser of the report.</description></item>" for guid, t, path in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>{base}/</link>'
            f"{entries}</channel></rss>").encode()


class FeedState:
    """A feed that changes between polls and answers conditional GETs with 304 when it has not."""

    def __init__(self) -> None:
        self.body = b""
        self.etag = '"v0"'
        self.requests: list[dict[str, str]] = []

    def set(self, body: bytes, etag: str) -> None:
        self.body, self.etag = body, etag

    def __call__(self, h) -> None:  # type: ignore[no-untyped-def]
        self.requests.append(dict(h.headers))
        if h.headers.get("If-None-Match") == self.etag:
            h.send_response(304)
            h.send_header("ETag", self.etag)
            h.end_headers()
            return
        send(h, self.body, "application/rss+xml", headers={"ETag": self.etag})


def _slow(h) -> None:  # type: ignore[no-untyped-def]
    time.sleep(3.0)
    send(h, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")


def write_config(folder: Path, base: str) -> tuple[Path, Path]:
    sources = folder / "sources.toml"
    sources.write_text(f"""
[watch]
host_interval = "0s"
concurrency = 4

[[source]]
url = "{base}/feed.xml"
every = "1s"

[[source]]
url = "{base}/broken.xml"
every = "1s"

[[source]]
url = "{base}/slow.xml"
every = "1s"

[[source]]
url = "{base}/loop.xml"
every = "1s"
""", encoding="utf-8")
    rules = folder / "rules.toml"
    rules.write_text("""
[[rule]]
name = "military activity within 50 km of Poland's border"
cameo = ["15"]
near_border = { country = "PL", km = 50 }

[[rule]]
name = "far from Poland"
near_border = { country = "PL", km = 1 }
countries = ["PL"]

[[rule]]
name = "a count changed"
count_changed = true
""", encoding="utf-8")
    return sources, rules


def test_a_watch_follows_changing_feeds_raises_the_right_alerts_and_survives_failing_sources(loopback, tmp_path):
    base = loopback.base
    feed_state = FeedState()
    loopback.routes["/feed.xml"] = feed_state
    loopback.routes["/a.html"] = lambda h: send(h, DRILLS_A.encode(), "text/html; charset=utf-8")
    loopback.routes["/b.html"] = lambda h: send(h, DRILLS_B.encode(), "text/html; charset=utf-8")
    loopback.routes["/broken.xml"] = lambda h: send(h, b"oops", "text/plain", 500)
    loopback.routes["/slow.xml"] = _slow
    loopback.routes["/loop.xml"] = lambda h: send(h, b"", "text/html", 302, {"Location": "/loop.xml"})
    feed_state.set(feed(base, [("a-1", "Drills begin", "/a.html")]), '"v1"')
    sources_file, rules_file = write_config(tmp_path, base)
    sources, rules = load_sources(sources_file), load_rules(rules_file)
    settings = Settings(db=str(tmp_path / "w.db"), allow_private=True, fetch_timeout=1.5, workers=1)
    alerts_file = tmp_path / "alerts.jsonl"
    reports = []

    def watch_once() -> list[dict]:
        with Store(settings.db) as store:
            Watcher(store, settings, sources, rules, [JsonlSink(alerts_file)], on_poll=reports.append).run(once=True)
        return [json.loads(x) for x in alerts_file.read_text(encoding="utf-8").splitlines()] if alerts_file.exists() else []

    # poll 1: the feed's item is fetched from its page (not the teaser); the other three sources fail
    alerts = watch_once()
    by_source = {r.source: r for r in reports}
    assert by_source[f"{base}/feed.xml"].stored == 1 and by_source[f"{base}/feed.xml"].status == "ok"
    assert by_source[f"{base}/broken.xml"].status == "error" and "500" in by_source[f"{base}/broken.xml"].error
    assert by_source[f"{base}/slow.xml"].status == "error" and "fetch_timeout" in by_source[f"{base}/slow.xml"].error
    assert by_source[f"{base}/loop.xml"].status == "error" and "too_many_redirects" in by_source[f"{base}/loop.xml"].error
    assert [a["rule"] for a in alerts] == ["military activity within 50 km of Poland's border"]
    first = alerts[0]
    assert set(first) >= {"rule", "story", "reason", "articles", "facts", "at"}
    assert "Hrodna" in first["reason"] and "km from the border of PL" in first["reason"]
    with Store(settings.db) as store:
        [article] = store.conn.execute("SELECT id, text, outlet, url FROM articles").fetchall()
        assert "river crossings" in article["text"] and "teaser" not in article["text"]
        assert article["outlet"] == "Eastern Desk" and article["url"] == f"{base}/a.html"
        assert first["articles"] == [article["id"]] and first["facts"]
        state = WatchState(store)
        rows = {r["url"]: r for r in state.sources()}
        assert rows[f"{base}/feed.xml"]["items"] == 1 and rows[f"{base}/feed.xml"]["errors"] == 0
        for bad in ("broken", "slow", "loop"):
            assert rows[f"{base}/{bad}.xml"]["errors"] == 1 and rows[f"{base}/{bad}.xml"]["last_error"]
        assert rows[f"{base}/feed.xml"]["kind"] == "feed"

    # poll 2: a second outlet's report with another count joins the story: the count rule fires, the
    # border rule does not fire again for the same story and place
    feed_state.set(feed(base, [("b-1", "Five thousand", "/b.html"), ("a-1", "Drills begin", "/a.html")]), '"v2"')
    reports.clear()
    alerts = watch_once()
    assert [a["rule"] for a in alerts] == ["military activity within 50 km of Poland's border", "a count changed"]
    changed = alerts[1]
    assert changed["story"] == first["story"] and "count of soldier changed" in changed["reason"]
    with Store(settings.db) as store:
        assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        assert store.conn.execute("SELECT count(*) FROM watch_alerts WHERE sent_at IS NULL").fetchone()[0] == 0
    # the page of a-1 was not fetched again: it was seen
    assert by_source_of(reports, f"{base}/feed.xml").new_items == 1

    # poll 3: nothing changed: the feed answers 304 to the validators of poll 2; no alert repeats
    reports.clear()
    alerts_before = alerts_file.read_text(encoding="utf-8")
    watch_once()
    assert by_source_of(reports, f"{base}/feed.xml").status == "not_modified"
    assert feed_state.requests[-1].get("If-None-Match") == '"v2"'
    assert alerts_file.read_text(encoding="utf-8") == alerts_before


def by_source_of(reports: list, url: str):  # type: ignore[no-untyped-def]
    [report] = [r for r in reports if r.source == url]
    return report
