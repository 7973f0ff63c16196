"""RSS and Atom feeds: items with content are documents; items without are fetched or rejected."""

from __future__ import annotations

import pytest
from conftest import send

from crosswire.config import Settings
from crosswire.errors import ConfigError
from crosswire.ingest.feeds import read_feed
from crosswire.ingest.sources import iter_inputs
from crosswire.models import RawDocument, Rejection

LONG = " ".join(f"Sentence {i} about the flood in the valley." for i in range(20))
TEASER = "The river rose overnight."


def rss(items: str) -> str:
    return rss_of("Valley Times", "https://www.valley-times.example/", items)


def rss_of(title: str, link: str, items: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>{title}</title><link>{link}</link>
<language>en-gb</language>{items}</channel></rss>"""


ITEM_WITH_CONTENT = f"""<item><title>Flood in the valley</title>
<link>https://www.valley-times.example/flood</link><dc:creator>Ana Lima</dc:creator>
<pubDate>Tue, 03 Jun 2025 10:00:00 +0200</pubDate><description>{TEASER}</description>
<content:encoded><![CDATA[<p>{LONG}</p><p>Second paragraph.</p>]]></content:encoded></item>"""
ITEM_WITH_LONG_SUMMARY = f"""<item><title>Long summary</title>
<link>https://www.valley-times.example/summary</link><description>{LONG}</description></item>"""


def item_linking(url: str) -> str:
    return f"""<item><title>Only a teaser</title><link>{url}</link>
<pubDate>Wed, 04 Jun 2025 08:00:00 GMT</pubDate><description>{TEASER}</description></item>"""


def test_rss_items_with_content(tmp_path):
    path = tmp_path / "valley.rss"
    path.write_text(rss(ITEM_WITH_CONTENT + ITEM_WITH_LONG_SUMMARY), encoding="utf-8")
    first, second = list(read_feed(path, Settings()))
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.source == f"{path}#item-1" and second.source == f"{path}#item-2"
    assert first.kind == "html" and "Second paragraph." in first.content
    assert first.title == "Flood in the valley" and first.url == "https://www.valley-times.example/flood"
    assert first.authors == ["Ana Lima"] and first.published == "2025-06-03T08:00:00+00:00"
    # the outlet is the site's: the title names it here ("Valley Times" on valley-times.example)
    assert first.outlet == "Valley Times" and first.language == "en"
    assert first.description == TEASER
    assert second.kind == "record" and second.content == LONG


def test_atom_feed(tmp_path):
    path = tmp_path / "news.atom"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Hill Post</title>
<link href="https://hillpost.example/"/><updated>2025-06-03T10:00:00Z</updated><id>urn:x</id>
<entry><title>Snow on the hills</title><link href="https://hillpost.example/snow"/><id>urn:1</id>
<updated>2025-06-02T07:30:00Z</updated><author><name>Kim Park</name></author>
<content type="html">&lt;p&gt;{LONG}&lt;/p&gt;</content></entry></feed>""", encoding="utf-8")
    [doc] = list(iter_inputs([str(path)], Settings()))
    assert isinstance(doc, RawDocument)
    assert doc.title == "Snow on the hills" and doc.authors == ["Kim Park"]
    assert doc.published == "2025-06-02T07:30:00+00:00" and doc.outlet == "Hill Post"


def test_xml_that_is_not_a_feed_is_rejected(tmp_path):
    path = tmp_path / "data.xml"
    path.write_text('<?xml version="1.0"?><note><to>Tove</to><body>Hello</body></note>')
    [rejection] = list(iter_inputs([str(path)], Settings()))
    assert isinstance(rejection, Rejection) and rejection.reason == "not_a_feed"


def test_item_without_content_is_rejected_when_links_are_not_fetched(tmp_path):
    path = tmp_path / "teasers.rss"
    path.write_text(rss(item_linking("https://www.valley-times.example/teaser")))
    [rejection] = list(read_feed(path, Settings(fetch_feed_links=False)))
    assert rejection.reason == "missing_text" and "fetch_feed_links" in rejection.detail


def test_item_without_content_is_fetched_from_its_link(tmp_path, loopback):
    article = f"<html><head><title>Teaser page</title></head><body><p>{LONG}</p></body></html>"
    loopback.routes["/teaser"] = lambda h: send(h, article.encode(), "text/html; charset=utf-8")
    path = tmp_path / "teasers.rss"
    path.write_text(rss(ITEM_WITH_CONTENT + item_linking(f"{loopback.base}/teaser")))
    first, fetched = list(read_feed(path, Settings(allow_private=True, fetch_feed_links="always")))
    assert isinstance(fetched, RawDocument)
    assert fetched.kind == "html" and LONG in fetched.content
    assert fetched.source == f"{path}#item-2" and fetched.url == f"{loopback.base}/teaser"
    assert fetched.title == "Only a teaser" and fetched.published == "2025-06-04T08:00:00+00:00"
    assert fetched.outlet == "127.0.0.1" and fetched.fetched  # the site of the page the item links to


def test_item_link_failures_are_rejections_for_that_item(tmp_path, loopback):
    path = tmp_path / "teasers.rss"
    path.write_text(rss(item_linking(f"{loopback.base}/teaser") + item_linking(f"{loopback.base}/gone")
                        + ITEM_WITH_CONTENT))
    refused, *_ = list(read_feed(path, Settings(fetch_feed_links="always")))
    assert refused.reason == "private_address" and refused.source == f"{path}#item-1"
    _, missing, good = list(read_feed(path, Settings(allow_private=True, fetch_feed_links="always")))
    assert missing.reason == "http_error" and "404" in missing.detail
    assert isinstance(good, RawDocument)


def test_a_local_feed_file_never_fetches_its_links_by_default(tmp_path, loopback):
    hits: list[str] = []

    def page(handler):
        hits.append(handler.path)
        send(handler, b"<html><body><p>page</p></body></html>", "text/html")

    loopback.routes["/teaser"] = page
    path = tmp_path / "teasers.rss"
    path.write_text(rss(item_linking(f"{loopback.base}/teaser")))
    [item] = list(read_feed(path, Settings(allow_private=True)))
    assert item.reason == "missing_text" and "always" in item.detail and hits == []
    for value, fetched in (("never", False), ("false", False), ("true", True), ("always", True)):
        [item] = list(read_feed(path, Settings(allow_private=True, fetch_feed_links=value)))
        assert isinstance(item, RawDocument) is fetched, value


def test_a_feed_read_from_a_url_fetches_its_links_unless_never(loopback):
    teaser = f"<html><head><title>T</title></head><body><p>{LONG}</p></body></html>"
    loopback.routes["/teaser"] = lambda h: send(h, teaser.encode(), "text/html")
    feed = rss(item_linking(f"{loopback.base}/teaser")).encode()
    loopback.routes["/feed"] = lambda h: send(h, feed, "application/x-rss+xml")
    [item] = list(iter_inputs([f"{loopback.base}/feed"], Settings(allow_private=True)))
    assert isinstance(item, RawDocument) and LONG in item.content
    [item] = list(iter_inputs([f"{loopback.base}/feed"], Settings(allow_private=True, fetch_feed_links="never")))
    assert item.reason == "missing_text"


def test_a_bad_feed_link_policy_is_named():
    with pytest.raises(ConfigError, match="fetch_feed_links"):
        Settings(fetch_feed_links="sometimes")


def test_a_feeds_outlet_is_its_site_and_its_title_only_when_it_names_the_site(tmp_path):
    """Two feeds of one site are one outlet; a feed title that is not the site's name is not an outlet."""
    def feed(title: str, link: str, item_link: str) -> str:
        return rss_of(title, link, f"""<item><title>Item</title><link>{item_link}</link>
<content:encoded><![CDATA[<p>{LONG}</p>]]></content:encoded></item>""")

    cases = [
        ("heise developer neueste Meldungen", "https://www.heise.de/developer/", "https://www.heise.de/news/1",
         "heise.de"),
        ("heise online News", "https://www.heise.de/", "https://www.heise.de/news/2", "heise.de"),
        ("Valley Times - Sport - latest", "https://valley-times.example/sport", "https://valley-times.example/s/1",
         "Valley Times"),
        # an aggregator: each item is its own site's
        ("Valley Times - picks from elsewhere", "https://valley-times.example/", "https://hillpost.example/snow",
         "hillpost.example"),
    ]
    for n, (title, link, item_link, outlet) in enumerate(cases):
        path = tmp_path / f"f{n}.rss"
        path.write_text(feed(title, link, item_link), encoding="utf-8")
        [doc] = list(read_feed(path, Settings()))
        assert doc.outlet == outlet, title


def test_an_item_with_a_malformed_link_is_stored_not_an_internal_error(tmp_path):
    # "http://[::1" is no URL (urlsplit raises on it): the item's text is still an article, kept
    # without that URL, and nothing escapes as an internal error (a fuzz run found it)
    from crosswire.ingest.pipeline import ingest
    from crosswire.store import Store

    item = ITEM_WITH_CONTENT.replace("https://www.valley-times.example/flood", "http://[::1")
    path = tmp_path / "bad-link.rss"
    path.write_text(rss_of("No site", "http://[::1", item), encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        summary = ingest([str(path)], store, Settings(db=str(tmp_path / "s.db"), workers=1))
        stored = list(store.iter_articles())
    assert [r.reason for r in summary.rejected] == [] and summary.stored == 1
    assert stored[0].url is None and "[::1" not in (stored[0].outlet or "")
    assert [(r.reason, r.text) for r in stored[0].removed if r.reason == "invalid_url"] == [("invalid_url", "http://[::1")]
