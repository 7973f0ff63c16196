"""Polling each kind of source on a real loopback server (no pipeline): feeds, news sitemaps, URL lists,
folders; robots.txt, conditional GET, the feed's text when a page fails, private addresses; the webhook
sink with retries and its signature; ``crosswire sources``."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import send

from crosswire.config import Settings
from crosswire.models import RawDocument, Rejection
from crosswire.watch.config import Sink, Source
from crosswire.watch.poll import poll
from crosswire.watch.polite import Polite
from crosswire.watch.sinks import SIGNATURE_HEADER, JsonlSink, WebhookSink

OK = Settings(allow_private=True, fetch_timeout=5.0)
ARTICLE = ("<html><head><title>Harbour reopens</title></head><body><article><h1>Harbour reopens</h1><p>"
           + "The harbour reopened on Tuesday after the storm, the port authority said. " * 6
           + "</p></article></body></html>").encode()
TEASER = "The harbour reopened after the storm, officials said, and ferries sailed again. " * 3


def rss(base: str, *items: tuple[str, str]) -> bytes:
    body = "".join(f"<item><guid>{g}</guid><title>T {g}</title><link>{base}{p}</link><description>{TEASER}"
                   f"</description></item>" for g, p in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Port News</title><link>{base}/</link>{body}'
            "</channel></rss>").encode()


def polite(**kw) -> Polite:  # type: ignore[no-untyped-def]
    return Polite(kw.pop("settings", OK), host_interval=0.0, **kw)


def test_feed_items_are_fetched_from_their_pages_and_fall_back_to_the_feed_text(loopback):
    base = loopback.base
    loopback.routes["/feed"] = lambda h: send(h, rss(base, ("1", "/ok"), ("2", "/gone"), ("3", "/down")),
                                              "application/rss+xml")
    loopback.routes["/ok"] = lambda h: send(h, ARTICLE, "text/html")
    loopback.routes["/down"] = lambda h: send(h, b"busy", "text/plain", 503)
    result = poll(Source(f"{base}/feed", 60), polite(), OK, set(), {})
    assert result.error is None and result.kind == "feed" and result.listed == 3
    ok, gone, down = result.entries
    [doc] = ok.docs
    assert isinstance(doc, RawDocument) and doc.kind == "html" and doc.url == f"{base}/ok" and ok.note is None
    for entry, code in ((gone, "http_error: the server answered HTTP 404"), (down, "HTTP 503")):
        [teaser] = entry.docs
        assert isinstance(teaser, RawDocument) and teaser.content.startswith("The harbour reopened")
        assert code in entry.note and "the feed's own text" in entry.note
        assert teaser.outlet == "127.0.0.1"  # the site, not the feed's title
    again = poll(Source(f"{base}/feed", 60), polite(), OK, {ok.key, gone.key}, {})
    assert [e.key for e in again.entries] == [down.key]


def test_an_item_without_feed_text_is_retried_when_its_page_may_come_back(loopback):
    base = loopback.base
    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>P</title><link>{base}/</link>'
            f"<item><guid>9</guid><link>{base}/down</link></item><item><guid>10</guid><link>{base}/gone</link>"
            "</item></channel></rss>").encode()
    loopback.routes["/feed"] = lambda h: send(h, body, "application/rss+xml")
    loopback.routes["/down"] = lambda h: send(h, b"busy", "text/plain", 500)
    down, gone = poll(Source(f"{base}/feed", 60), polite(), OK, set(), {}).entries
    assert down.retry and "500" in down.retry and not down.docs
    [rejection] = gone.docs
    assert isinstance(rejection, Rejection) and rejection.reason == "http_error" and not gone.retry


def test_conditional_get_sends_the_validators_and_reads_a_304(loopback):
    seen = []

    def feed(h):  # type: ignore[no-untyped-def]
        seen.append((h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")))
        if h.headers.get("If-None-Match") == '"abc"':
            h.send_response(304)
            h.end_headers()
            return
        send(h, rss(loopback.base), "application/rss+xml",
             headers={"ETag": '"abc"', "Last-Modified": "Tue, 03 Jun 2025 10:00:00 GMT"})

    loopback.routes["/feed"] = feed
    first = poll(Source(f"{loopback.base}/feed", 60), polite(), OK, set(), {})
    assert first.validators == {"etag": '"abc"', "last_modified": "Tue, 03 Jun 2025 10:00:00 GMT"}
    second = poll(Source(f"{loopback.base}/feed", 60), polite(), OK, set(), first.validators)
    assert second.not_modified and second.error is None and not second.entries
    assert seen == [(None, None), ('"abc"', "Tue, 03 Jun 2025 10:00:00 GMT")]


def test_robots_txt_is_respected_for_feeds_and_pages(loopback):
    base = loopback.base
    loopback.routes["/robots.txt"] = lambda h: send(h, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    loopback.routes["/feed"] = lambda h: send(h, rss(base, ("1", "/private/a"), ("2", "/ok")), "application/rss+xml")
    loopback.routes["/private/feed"] = lambda h: send(h, rss(base), "application/rss+xml")
    loopback.routes["/ok"] = lambda h: send(h, ARTICLE, "text/html")
    private, ok = poll(Source(f"{base}/feed", 60), polite(), OK, set(), {}).entries
    assert "robots_disallowed" in private.note and isinstance(ok.docs[0], RawDocument) and ok.note is None
    refused = poll(Source(f"{base}/private/feed", 60), polite(), OK, set(), {})
    assert refused.error is not None and refused.error.code == "robots_disallowed"
    assert poll(Source(f"{base}/private/feed", 60), polite(robots=False), OK, set(), {}).error is None


def test_the_crawl_delay_of_robots_txt_spaces_the_requests_to_its_host(loopback):
    import time

    base = loopback.base
    arrived: list[float] = []

    def page(h) -> None:  # type: ignore[no-untyped-def]
        arrived.append(time.monotonic())
        send(h, ARTICLE, "text/html")

    loopback.routes["/robots.txt"] = lambda h: send(h, b"User-agent: crosswire\nCrawl-delay: 1\n\nUser-agent: *\n"
                                                     b"Crawl-delay: 30\n", "text/plain")
    loopback.routes["/a"] = loopback.routes["/b"] = page
    gate = polite()
    assert gate.interval(base) == 0.0  # robots.txt not read yet: host_interval (0 here)
    gate.get(f"{base}/a")
    gate.get(f"{base}/b")
    assert gate.interval(base) == 1.0  # crosswire's group, not the 30 s of every other crawler
    assert arrived[1] - arrived[0] >= 1.0  # the second page waited for the delay
    assert Polite(OK, host_interval=2.0).interval(base) == 2.0
    loopback.routes["/robots.txt"] = lambda h: send(h, b"User-agent: *\nCrawl-delay: 1\n", "text/plain")
    other = polite(robots=False)
    other.get(f"{base}/a")
    assert other.interval(base) == 0.0  # robots.txt not honoured: no delay read either


def test_a_robots_txt_that_fails_with_5xx_holds_the_site_back(loopback):
    loopback.routes["/robots.txt"] = lambda h: send(h, b"down", "text/plain", 503)
    loopback.routes["/feed"] = lambda h: send(h, rss(loopback.base), "application/rss+xml")
    result = poll(Source(f"{loopback.base}/feed", 60), polite(), OK, set(), {})
    assert result.error is not None and result.error.retryable and "robots.txt" in result.error.message


def test_private_addresses_are_refused_unless_allowed(loopback):
    loopback.routes["/feed"] = lambda h: send(h, rss(loopback.base), "application/rss+xml")
    result = poll(Source(f"{loopback.base}/feed", 60), polite(settings=Settings()), Settings(), set(), {})
    assert result.error is not None and result.error.code == "private_address"


def test_news_sitemaps_and_sitemap_indexes(loopback):
    base = loopback.base
    urlset = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/a</loc><news:news><news:publication><news:name>Port News</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2025-06-03T10:00:00Z</news:publication_date><news:title>Harbour reopens</news:title>
</news:news></url><url><loc>{base}/b</loc></url></urlset>""".encode()
    index = f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/news.xml</loc></sitemap></sitemapindex>""".encode()
    loopback.routes["/news.xml"] = lambda h: send(h, urlset, "application/xml")
    loopback.routes["/index.xml"] = lambda h: send(h, index, "application/xml")
    loopback.routes["/a"] = lambda h: send(h, ARTICLE, "text/html")
    loopback.routes["/b"] = lambda h: send(h, ARTICLE.replace(b"Tuesday", b"Friday"), "text/html")
    for path in ("/news.xml", "/index.xml"):
        result = poll(Source(f"{base}{path}", 60), polite(), OK, set(), {})
        assert result.error is None and result.kind == "sitemap" and result.listed == 2
        a, b = result.entries
        assert a.key == f"{base}/a" and a.docs[0].published and a.docs[0].language == "en"
        assert b.key == f"{base}/b" and isinstance(b.docs[0], RawDocument)
    bad = b"<urlset><url><loc>x</loc>"
    loopback.routes["/bad.xml"] = lambda h: send(h, bad, "application/xml")
    result = poll(Source(f"{base}/bad.xml", 60, "sitemap"), polite(), OK, set(), {})
    assert result.error is not None and result.error.code == "corrupt"


def test_url_lists_remote_and_local(loopback, tmp_path):
    base = loopback.base
    loopback.routes["/a"] = lambda h: send(h, ARTICLE, "text/html")
    listing = f"# today's pages\n{base}/a\n\n{base}/a\nftp://example.org/x\n".encode()
    loopback.routes["/list.txt"] = lambda h: send(h, listing, "text/plain")
    remote = poll(Source(f"{base}/list.txt", 60), polite(), OK, set(), {})
    assert remote.kind == "urls" and remote.listed == 2
    page, ftp = remote.entries
    assert isinstance(page.docs[0], RawDocument) and ftp.docs[0].reason == "invalid_url"
    local = tmp_path / "urls.txt"
    local.write_bytes(listing)
    assert [e.key for e in poll(Source(str(local), 60), polite(), OK, {f"{base}/a"}, {}).entries] == [
        "ftp://example.org/x"]


def test_a_folder_gives_its_new_and_changed_files(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / ".hidden").mkdir(parents=True)
    (inbox / "one.txt").write_text("Harbour reopens\n\n" + TEASER, encoding="utf-8")
    (inbox / ".hidden" / "x.txt").write_text("not read", encoding="utf-8")
    first = poll(Source(str(inbox), 60), polite(), OK, set(), {})
    assert first.kind == "folder" and first.listed == 1 and isinstance(first.entries[0].docs[0], RawDocument)
    seen = {e.key for e in first.entries}
    assert poll(Source(str(inbox), 60), polite(), OK, seen, {}).entries == []
    (inbox / "one.txt").write_text("Harbour reopens again\n\n" + TEASER + " More.", encoding="utf-8")
    (inbox / "two.txt").write_text("Ferries sail\n\n" + TEASER, encoding="utf-8")
    assert sorted(e.key.split("|")[0] for e in poll(Source(str(inbox), 60), polite(), OK, seen, {}).entries) == [
        "one.txt", "two.txt"]
    missing = poll(Source(str(tmp_path / "nowhere"), 60), polite(), OK, set(), {})
    assert missing.error is not None and missing.error.code == "not_found"


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.got.append((dict(self.headers), body))  # type: ignore[attr-defined]
        status = self.server.answers.pop(0) if self.server.answers else 200  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_the_webhook_retries_and_signs_each_alert(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.got, server.answers = [], [500, 503]  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        alert = {"rule": "r", "story": "s", "reason": "why", "articles": ["a"], "facts": ["f"], "at": "2025-06-03T10:00:00+00:00",
                 "digest": "d1"}
        assert WebhookSink(Sink(url, "k3y", retries=3), pause=0.01).deliver(alert) is None
        assert len(server.got) == 3  # two failures, then taken
        headers, body = server.got[-1]
        assert json.loads(body) == alert
        assert headers[SIGNATURE_HEADER] == "sha256=" + hmac.new(b"k3y", body, hashlib.sha256).hexdigest()
        server.answers[:] = [400]  # type: ignore[attr-defined]
        why = WebhookSink(Sink(url, None, retries=3), pause=0.01).deliver(alert)
        assert why and "HTTP 400" in why and "1 attempt" in why  # a refusal is not retried
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_jsonl_sink_never_writes_an_alert_twice(tmp_path):
    path = tmp_path / "out" / "alerts.jsonl"
    alert = {"rule": "r", "story": "s", "reason": "why", "articles": [], "facts": [], "at": "x", "digest": "d1"}
    JsonlSink(path).deliver(alert)
    JsonlSink(path).deliver(alert)  # a restart delivering what it had not marked sent
    JsonlSink(path).deliver(dict(alert, digest="d2"))
    assert [json.loads(x)["digest"] for x in path.read_text(encoding="utf-8").splitlines()] == ["d1", "d2"]


def test_sources_command_lists_each_source_with_its_polls_items_and_errors(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nurl = "{inbox}"\nevery = "5m"\n\n[[source]]\nurl = "{tmp_path / "gone"}"\n'
                       'every = "1m"\n', encoding="utf-8")
    db = str(tmp_path / "w.db")

    def cli(*args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
        return subprocess.run([sys.executable, "-m", "crosswire", *args], capture_output=True, text=True, timeout=300)

    watched = cli("watch", str(sources), "--once", "--db", db)
    assert watched.returncode == 0, watched.stderr
    assert f"{tmp_path / 'gone'}: error not_found" in watched.stderr
    assert f"{inbox}: 1 new items (0 stored, 1 rejected)" in watched.stderr
    listed = cli("sources", "--db", db)
    assert listed.returncode == 0, listed.stderr
    lines = [" ".join(line.split()) for line in listed.stdout.splitlines()]
    assert lines[0].startswith(f"{tmp_path / 'gone'} auto every 60s last poll 20") and "errors 1" in lines[0]
    assert "last error: not_found" in lines[0]
    assert lines[1].startswith(f"{inbox} folder every 300s") and "items 1 (1 rejected)" in lines[1]
    rows = [json.loads(x) for x in cli("sources", "--json", "--db", db).stdout.splitlines()]
    assert rows[0]["recent_errors"][0]["reason"] == "not_found" and rows[1]["items"] == 1


def test_sigterm_ends_a_running_watch_cleanly_and_a_rerun_goes_on(tmp_path):
    import signal
    import sqlite3
    import time

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nurl = "{inbox}"\nevery = "1s"\n', encoding="utf-8")
    db = tmp_path / "w.db"
    proc = subprocess.Popen([sys.executable, "-m", "crosswire", "watch", str(sources), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        started = 0
        while not started:  # the watch run is recorded once the store is open and the loop begins
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.2)
            if db.exists():
                conn = sqlite3.connect(db, timeout=30)
                try:
                    started = conn.execute("SELECT count(*) FROM runs WHERE command = 'watch'").fetchone()[0]
                except sqlite3.OperationalError:
                    started = 0
                finally:
                    conn.close()
        time.sleep(1.5)  # between polls (every second): waiting for the next one
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "interrupted by SIGTERM" in err and "Traceback" not in err
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT status FROM runs WHERE command = 'watch'").fetchone()[0] == "interrupted"
    finally:
        conn.close()
    again = subprocess.run([sys.executable, "-m", "crosswire", "watch", str(sources), "--once", "--db", str(db)],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
