"""Fetching URLs from a real HTTP server on 127.0.0.1: address checks, redirects, caps, timeouts."""

from __future__ import annotations

import time

import pytest
from conftest import send

from crosswire.config import Settings
from crosswire.errors import InputRejected, NetworkError
from crosswire.ingest.sources import iter_inputs
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
    assert item.outlet == "Port News"


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
    assert missing.reason == "network" and "404" in missing.detail
    [ftp] = list(iter_inputs(["ftp://example.com/file.html"], PRIVATE_OK))
    assert ftp.reason == "invalid_url"


def test_client_errors_are_not_retryable_and_server_errors_are(loopback):
    loopback.routes["/busy"] = lambda h: send(h, b"busy", "text/plain", 503)
    with pytest.raises(InputRejected) as gone:
        fetch_url(f"{loopback.base}/nothing", PRIVATE_OK)
    with pytest.raises(NetworkError) as busy:
        fetch_url(f"{loopback.base}/busy", PRIVATE_OK)
    assert gone.value.code == busy.value.code == "network"
    assert not gone.value.retryable and busy.value.retryable
