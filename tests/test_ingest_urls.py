"""Fetching URLs from a real HTTP server on 127.0.0.1: address checks, redirects, caps, timeouts."""

from __future__ import annotations

import time

import pytest
from conftest import send

from crosswire.config import Settings
from crosswire.errors import HttpError, InputRejected, NetworkError
from crosswire.ingest.sources import iter_inputs
from crosswire.ingest import fetch
from crosswire.ingest.fetch import fetch_url
from crosswire.ingest.urls import read_url
from crosswire.models import RawDocument

PRIVATE_OK = Settings(allow_private=True, fetch_timeout=5.0)
PAGE = (
    "<html><head><title>Harbour</title><meta property='og:site_name' content='Port News'></head>"
    "<body><p>The harbour reopened after the storm. “We are back,” said the mayor.</p></body></html>"
)
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Port News</title>
<link>https://port.example/</link><item><title>Harbour</title><link>https://port.example/h</link>
<description>""" + "The harbour reopened after the storm. " * 20 + "</description></item></channel></rss>"


def test_loopback_is_refused_without_allow_private(loopback):
    loopback.routes["/page"] = lambda h: send(h, PAGE.encode(), "text/html")
    for url in (f"{loopback.base}/page", f"http://localhost:{loopback.server_address[1]}/page"):
        with pytest.raises(InputRejected) as err:
            fetch_url(url, Settings())
        assert err.value.code == "private_address" and "allow_private" in err.value.message


def test_page_is_fetched_with_allow_private(loopback):
    loopback.routes["/page"] = lambda h: send(h, PAGE.encode("cp1252"), "text/html; charset=windows-1252")
    doc = fetch_url(f"{loopback.base}/page", PRIVATE_OK)
    assert doc.kind == "html" and "“We are back,”" in doc.content
    assert doc.url == f"{loopback.base}/page" and doc.outlet == "Port News" and doc.fetched


def test_plain_text_and_feeds_are_read(loopback):
    loopback.routes["/story.txt"] = lambda h: send(h, b"Harbour reopens\n\nIt reopened.", "text/plain")
    loopback.routes["/feed"] = lambda h: send(h, FEED.encode(), "application/rss+xml")
    [text] = list(read_url(f"{loopback.base}/story.txt", PRIVATE_OK))
    assert isinstance(text, RawDocument) and text.kind == "text"
    [item] = list(iter_inputs([f"{loopback.base}/feed"], PRIVATE_OK))
    assert isinstance(item, RawDocument) and item.source == f"{loopback.base}/feed#item-1"
    assert item.outlet == "port.example"  # a feed's outlet is its site; "Port News" does not spell port.example


def test_unsupported_content_type_is_rejected(loopback):
    loopback.routes["/data"] = lambda h: send(h, b"a,b\n1,2\n", "text/csv")
    [rejection] = list(read_url(f"{loopback.base}/data", PRIVATE_OK))
    assert rejection.reason == "unsupported_format"


def test_redirects_are_followed_and_loops_capped(loopback):
    loopback.routes["/page"] = lambda h: send(h, PAGE.encode(), "text/html")
    loopback.routes["/old"] = lambda h: send(h, b"", "text/html", 301, {"Location": "/page"})
    loopback.routes["/loop"] = lambda h: send(h, b"", "text/html", 302, {"Location": "/loop"})
    assert fetch_url(f"{loopback.base}/old", PRIVATE_OK).url == f"{loopback.base}/page"
    with pytest.raises(InputRejected) as err:
        fetch_url(f"{loopback.base}/loop", PRIVATE_OK.with_overrides(fetch_max_redirects=3))
    assert err.value.code == "too_many_redirects"


def test_oversized_body_is_rejected(loopback):
    big = b"<html><body>" + b"<p>word</p>" * 50_000 + b"</body></html>"
    loopback.routes["/big"] = lambda h: send(h, big, "text/html")
    loopback.routes["/big-unsized"] = lambda h: send(h, big, "text/html", length=False)
    settings = PRIVATE_OK.with_overrides(fetch_max_bytes=100_000)
    for path in ("/big", "/big-unsized"):
        with pytest.raises(InputRejected) as err:
            fetch_url(f"{loopback.base}{path}", settings)
        assert err.value.code == "too_large", path


def test_slow_server_times_out(loopback):
    def slow(handler):
        loopback.stopping.wait(3)
        send(handler, PAGE.encode(), "text/html")

    loopback.routes["/slow"] = slow
    started = time.perf_counter()
    with pytest.raises(NetworkError) as err:
        fetch_url(f"{loopback.base}/slow", PRIVATE_OK.with_overrides(fetch_timeout=0.3))
    assert time.perf_counter() - started < 2
    assert err.value.code == "network" and err.value.retryable


def test_http_errors_and_bad_schemes(loopback):
    [missing] = list(read_url(f"{loopback.base}/nothing", PRIVATE_OK))
    assert missing.reason == "http_error" and "404" in missing.detail
    [ftp] = list(iter_inputs(["ftp://example.com/file.html"], PRIVATE_OK))
    assert ftp.reason == "invalid_url"


def test_client_errors_are_not_retryable_and_server_errors_are(loopback):
    loopback.routes["/busy"] = lambda h: send(h, b"busy", "text/plain", 503)
    with pytest.raises(InputRejected) as gone:
        fetch_url(f"{loopback.base}/nothing", PRIVATE_OK)
    with pytest.raises(HttpError) as busy:
        fetch_url(f"{loopback.base}/busy", PRIVATE_OK)
    assert gone.value.code == busy.value.code == "http_error"
    assert (gone.value.status, busy.value.status) == (404, 503)
    assert not gone.value.retryable and busy.value.retryable


# --- SSRF: one parse, one resolution, the checked address is the connected address -------------
# Nothing here leaves loopback: non-loopback addresses only ever reach the check or a fake resolver.


def test_backslash_userinfo_url_is_refused_before_any_connection(loopback, monkeypatch):
    hits: list[str] = []
    loopback.routes["/"] = lambda h: (hits.append(h.path), send(h, PAGE.encode(), "text/html"))
    monkeypatch.setattr(fetch, "resolve", lambda host, port: pytest.fail(f"resolved {host}"))
    port = loopback.server_address[1]
    for url in (
        f"http://127.0.0.1:{port}\\@203.0.113.9/",  # the exact form
        f"http://127.0.0.1:{port}\\@8.8.8.8/",
        f"http://user:pw@127.0.0.1:{port}/",
        f"http://8.8.8.8@127.0.0.1:{port}/",
        f"http://127.0.0.1:{port}\\.example.com/",
    ):
        with pytest.raises(InputRejected) as err:
            fetch_url(url, Settings())
        assert err.value.code == "invalid_url", url
    assert hits == []


def test_backslash_userinfo_as_a_feed_link_and_as_a_redirect_target(loopback, tmp_path):
    port = loopback.server_address[1]
    sneaky = f"http://127.0.0.1:{port}\\@203.0.113.9/"
    loopback.routes["/hop"] = lambda h: send(h, b"", "text/html", 302, {"Location": sneaky})
    with pytest.raises(InputRejected) as err:
        fetch_url(f"{loopback.base}/hop", PRIVATE_OK)
    assert err.value.code == "invalid_url"
    feed = tmp_path / "f.rss"
    feed.write_text(
        f'<rss version="2.0"><channel><title>T</title><item><title>A</title><link>{sneaky}</link>'
        "</item></channel></rss>"
    )
    [item] = list(iter_inputs([str(feed)], Settings(fetch_feed_links="always")))
    assert item.reason == "invalid_url"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.0.1", "169.254.169.254", "0.0.0.0",
        "100.64.0.1", "100.127.255.254",  # carrier-grade NAT
        "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "2002:7f00:1::", "2002:a00:1::",  # 6to4 wrapping 127.0.0.1 and 10.0.0.1
        "64:ff9b::7f00:1", "64:ff9b::a00:1",  # NAT64 wrapping 127.0.0.1 and 10.0.0.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo
        "224.0.0.1", "240.0.0.1", "198.18.0.1",
    ],
)
def test_every_address_that_is_not_globally_routable_is_refused(address):
    assert fetch.refused_reason(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "203.0.114.1", "2606:4700::1111", "2002:808:808::"])
def test_globally_routable_addresses_pass_the_check(address):
    assert fetch.refused_reason(address) is None


def test_cgnat_and_6to4_hosts_are_refused_through_the_resolver(monkeypatch):
    for answer in (["100.64.0.1"], ["2002:7f00:1::"], ["8.8.8.8", "10.0.0.1"]):
        monkeypatch.setattr(fetch, "resolve", lambda host, port, a=answer: list(a))
        with pytest.raises(InputRejected) as err:
            fetch_url("http://news.example/page", Settings())
        assert err.value.code == "private_address", answer


def test_a_rebinding_resolver_cannot_move_the_connection(loopback, monkeypatch):
    """The resolver answers a public address first, loopback after: we resolve once and connect to
    the address we checked. The public address is made unreachable here: the connection attempt
    goes to a closed loopback port via a patched pool, so nothing leaves the machine."""
    loopback.routes["/page"] = lambda h: send(h, PAGE.encode(), "text/html")
    answers = iter([["93.184.215.14"], ["127.0.0.1"], ["127.0.0.1"]])
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    connected: list[str] = []

    def pool(target, address, timeout):
        connected.append(address)
        raise fetch.urllib3.exceptions.NewConnectionError(None, "refused in the test")  # type: ignore[arg-type]

    monkeypatch.setattr(fetch, "resolve", rebinding)
    monkeypatch.setattr(fetch, "_pool", pool)
    with pytest.raises(NetworkError):
        fetch_url(f"http://rebind.example:{loopback.server_address[1]}/page", Settings())
    assert calls == ["rebind.example"] and connected == ["93.184.215.14"]


def test_the_pinned_address_is_used_with_the_original_host_header(loopback, monkeypatch):
    seen: list[str] = []

    def page(handler):
        seen.append(handler.headers["Host"])
        send(handler, PAGE.encode(), "text/html")

    loopback.routes["/page"] = page
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    port = loopback.server_address[1]
    doc = fetch_url(f"http://news.example:{port}/page", PRIVATE_OK)
    assert doc.url == f"http://news.example:{port}/page" and seen == [f"news.example:{port}"]


def test_a_redirect_is_checked_again_at_every_hop(loopback, monkeypatch):
    port = loopback.server_address[1]
    loopback.routes["/hop"] = lambda h: send(h, b"", "text/html", 302, {"Location": f"http://inside.example:{port}/x"})
    answers = {"outside.example": ["127.0.0.1"], "inside.example": ["10.0.0.5"]}
    monkeypatch.setattr(fetch, "resolve", lambda host, port: answers[host])
    settings = Settings(fetch_timeout=5.0)
    # outside.example is let through by pretending loopback is fine for the first hop only
    real = fetch.refused_reason
    monkeypatch.setattr(fetch, "refused_reason", lambda a: None if a == "127.0.0.1" else real(a))
    with pytest.raises(InputRejected) as err:
        fetch_url(f"http://outside.example:{port}/hop", settings)
    assert err.value.code == "private_address" and "10.0.0.5" in err.value.message


def test_a_trickling_server_is_cut_off_at_the_total_deadline(loopback):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(200):
            if loopback.stopping.wait(0.05):
                return
            handler.wfile.write(b"x")
            handler.wfile.flush()

    loopback.routes["/trickle"] = trickle
    started = time.perf_counter()
    with pytest.raises(NetworkError) as err:
        fetch_url(f"{loopback.base}/trickle", PRIVATE_OK.with_overrides(fetch_timeout=1.0))
    assert 0.9 < time.perf_counter() - started < 2.0
    assert "fetch_timeout" in err.value.message


@pytest.mark.parametrize("mimetype", ["application/x-rss+xml", "application/rdf+xml", "text/xml", "text/html", ""])
def test_feeds_are_recognised_by_type_and_by_content(loopback, mimetype):
    loopback.routes["/feed"] = lambda h: send(h, FEED.encode(), mimetype)
    [item] = list(read_url(f"{loopback.base}/feed", PRIVATE_OK))
    assert isinstance(item, RawDocument) and item.source == f"{loopback.base}/feed#item-1"
