"""Read a URL: a page is one document, a feed one document per item (fetched by :mod:`.fetch`)."""

from __future__ import annotations

from collections.abc import Iterator

from crosswire.config import Settings
from crosswire.errors import InputRejected
from crosswire.ingest.base import Item, check_text_bytes, rejection
from crosswire.ingest.feeds import feed_items, is_feed
from crosswire.ingest.fetch import document_of, fetch

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)


def read_url(url: str, settings: Settings) -> Iterator[Item]:
    """Documents from a URL: a page is one document, a feed one per item."""
    try:
        got = fetch(url, settings)
        if got.mimetype in FEED_TYPES or (not got.mimetype and is_feed(got.data[:4096])):
            check_text_bytes(got.data, url, "response")
            yield from feed_items(got.data, url, settings, base_url=got.url)
            return
        yield document_of(got, url)
    except InputRejected as exc:
        yield rejection(url, exc)
