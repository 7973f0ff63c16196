"""Read a URL: a page is one document, a feed one document per item (fetched by :mod:`.fetch`).

A response is a feed when its type says so (``application/rss+xml``, ``application/x-rss+xml``,
``application/atom+xml``, ``application/rdf+xml``, ``text/xml`` ...) or when its content does (the
root element is ``<rss>``, ``<feed>`` or ``<rdf:RDF>``, whatever the declared type).
"""

from __future__ import annotations

from collections.abc import Iterator

from crosswire.config import Settings
from crosswire.errors import InputRejected
from crosswire.ingest.base import Item, check_text_bytes, internal_error, rejection
from crosswire.ingest.feeds import feed_items, is_feed
from crosswire.ingest.fetch import document_of, fetch

FEED_TYPES = frozenset(
    {
        "application/rss+xml", "application/x-rss+xml", "application/atom+xml", "application/x-atom+xml",
        "application/rdf+xml", "application/rss", "application/xml", "text/xml", "text/rss+xml",
        "text/atom+xml", "application/feed+xml",
    }
)
SNIFF_BYTES = 4096


def is_feed_response(mimetype: str, data: bytes) -> bool:
    """Whether a response is a feed, by its declared type or by its root element."""
    return mimetype in FEED_TYPES or is_feed(data[:SNIFF_BYTES])


def read_url(url: str, settings: Settings) -> Iterator[Item]:
    """Documents from a URL: a page is one document, a feed one per item."""
    try:
        got = fetch(url, settings)
        if is_feed_response(got.mimetype, got.data):
            check_text_bytes(got.data, url, "response")
            yield from feed_items(got.data, url, settings, base_url=got.url, remote=True)
            return
        yield document_of(got, url)
    except InputRejected as exc:
        yield rejection(url, exc)
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch
        yield internal_error(url, exc, "fetching or reading this URL")
