"""RSS and Atom feeds: each item with content is one document (``path#item-N``).

An item without content is fetched from its link only when ``settings.fetch_feed_links`` allows it:
``remote`` (the default) for a feed that was itself read from a URL, never for a local feed file
unless it is ``always``: a file on disk never makes crosswire go to the network by itself.
feedparser raises on some bad input (a character reference to a surrogate, an undecodable declared
encoding): every call into it is guarded and such a feed is a named rejection.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import feedparser

from crosswire.config import Settings, feed_link_policy
from crosswire.errors import InputRejected
from crosswire.models import RawDocument, Rejection
from crosswire.outlets import domain_of, name_in_title, outlet_key
from crosswire.ingest.fetch import fetch_url
from crosswire.times import normalize_published
from crosswire.ingest.base import (
    Item, internal_error, looks_like_markup, read_document_bytes, rejection, site_of,
    split_authors,
)

TEASER_CHARS = 400  # a summary no longer than this is a teaser, not the article
FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})
_ROOT_TAG = re.compile(
    rb"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z][\w:.-]*)", re.DOTALL | re.IGNORECASE
)


def root_tag(head: bytes) -> str | None:
    """The first element name of an XML/HTML document (after declarations and comments)."""
    match = _ROOT_TAG.match(head.removeprefix(b"\xef\xbb\xbf"))
    return match.group(1).decode("ascii", "replace").lower() if match else None


def is_feed(head: bytes) -> bool:
    """True when the document's root element is ``<rss>``, ``<feed>`` or ``<rdf:RDF>``."""
    return root_tag(head) in FEED_ROOTS


def _item_body(entry: Any) -> str | None:
    for content in entry.get("content") or []:
        value = (content.get("value") or "").strip()
        if value:
            return value
    summary = (entry.get("summary") or "").strip()
    return summary if len(summary) > TEASER_CHARS else None


def _language(feed: Any) -> str | None:
    code = (feed.get("language") or "").strip().lower()[:2]
    return code if len(code) == 2 and code.isalpha() else None


def _parse(data: bytes, source: str, base_url: str | None) -> Any:
    """feedparser's result, or a rejection when it raises (it does on some malformed feeds)."""
    headers = {"content-location": base_url} if base_url else None
    try:
        # no sanitising or URI rewriting of item HTML: trafilatura reads its text afterwards, and those
        # passes re-parse every tag in Python (a 1 MB item of a million tags took 20 s of CPU)
        return feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False,
                                resolve_relative_uris=False)
    except UnicodeError as exc:
        return Rejection(
            source,
            "undecodable",
            f"the feed cannot be decoded ({type(exc).__name__}: {str(exc)[:160]}); it may name a wrong "
            "encoding or refer to characters that do not exist; fix or re-save it as UTF-8",
        )
    except Exception as exc:  # noqa: BLE001 - a library that raises on bad input is the input's risk
        return Rejection(
            source, "corrupt", f"the feed cannot be parsed ({type(exc).__name__}: {str(exc)[:160]})"
        )


def feed_items(
    data: bytes, source: str, settings: Settings, *, base_url: str | None = None, remote: bool = False
) -> Iterator[Item]:
    """Documents from the bytes of a feed.

    ``base_url``: where it was fetched, for relative links; ``remote``: the feed came from a URL,
    so under ``fetch_feed_links = "remote"`` its link-only items are fetched.
    """
    parsed = _parse(data, source, base_url)
    if isinstance(parsed, Rejection):
        yield parsed
        return
    policy = feed_link_policy(settings)
    fetch_links = policy == "always" or (policy == "remote" and remote)
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception") or f"root element <{root_tag(data[:4096]) or '?'}>"
        yield Rejection(
            source,
            "not_a_feed",
            f"this XML is not an RSS or Atom feed ({why}); pass articles as .html, .txt or .json",
        )
        return
    feed = parsed.feed
    # A feed's outlet is its site, not its title ("heise developer neueste Meldungen"): two feeds of
    # one site are one outlet. An item's own link names its site first (an aggregator's feed).
    outlet = site_of(feed.get("link"))
    name = name_in_title(feed.get("title"), outlet)  # "Eurodesk Daily - Europe" on eurodeskdaily.example
    language = _language(feed)
    if not parsed.entries:
        yield Rejection(source, "empty", "the feed has no items")
    for n, entry in enumerate(parsed.entries, 1):
        item_source = f"{source}#item-{n}"
        try:
            doc_or_rejection = _entry_item(entry, item_source, settings, fetch_links)
        except Exception as exc:  # noqa: BLE001 - one odd item must not lose the feed's others
            doc_or_rejection = internal_error(item_source, exc, "reading this feed item")
        if isinstance(doc_or_rejection, RawDocument):
            doc = doc_or_rejection
            site = site_of(doc.url)
            same_site = name and (site is None or domain_of(doc.url) == outlet_key(outlet))
            doc.outlet = doc.outlet or (name if same_site else None) or site or outlet
            doc.language = doc.language or language
        yield doc_or_rejection


def _entry_item(entry: Any, source: str, settings: Settings, fetch_links: bool) -> Item:
    title = (entry.get("title") or "").strip() or None
    link = (entry.get("link") or "").strip() or None
    authors = split_authors(entry.get("authors")) or split_authors(entry.get("author"))
    # dict.get: feedparser's own get() maps a missing key to another with a DeprecationWarning
    published = normalize_published(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"))
    published = published or normalize_published(dict.get(entry, "published") or dict.get(entry, "updated"))
    body = _item_body(entry)
    if body is None:
        return _linked_page(entry, source, settings, title, link, authors, published, fetch_links)
    if len(body.encode("utf-8", "replace")) > settings.max_record_bytes:
        limit = settings.max_record_bytes
        return Rejection(source, "too_large", f"the item's content is over max_record_bytes={limit}")
    summary = (entry.get("summary") or "").strip()
    return RawDocument(
        source=source,
        kind="html" if looks_like_markup(body) else "record",
        content=body,
        title=title,
        url=link,
        authors=authors,
        published=published,
        description=summary if summary and summary != body else None,
    )


def _linked_page(
    entry: Any, source: str, settings: Settings, title: str | None, link: str | None,
    authors: list[str], published: str | None, fetch_links: bool,
) -> Item:
    """An item without content: its linked page, fetched, or a rejection saying why not."""
    teaser = len((entry.get("summary") or "").strip())
    missing = f"the item has no content (only a {teaser}-character summary)"
    if not link:
        return Rejection(source, "missing_text", f"{missing} and no link to fetch")
    if not fetch_links:
        return Rejection(
            source,
            "missing_text",
            f"{missing}; its link {link} is not fetched (fetch_feed_links="
            f"{settings.fetch_feed_links!r}: a local feed file's links are fetched only with "
            "'always'); set it to fetch them, or ingest the article page itself",
        )
    try:
        doc = fetch_url(link, settings)
    except InputRejected as exc:
        return Rejection(
            source, exc.code, f"the item has no content and fetching its link {link} failed: {exc.message}"
        )
    doc.source = source
    doc.title = doc.title or title
    doc.authors = doc.authors or authors
    doc.published = doc.published or published
    return doc


def feed_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """Documents from a local feed stream (read whole: feeds are small); links fetched only if asked."""
    try:
        data = read_document_bytes(stream, source, settings.max_file_bytes, "feed")
    except InputRejected as exc:
        yield rejection(source, exc)
        return
    yield from feed_items(data, source, settings, remote=False)


def read_feed(path: Path, settings: Settings) -> Iterator[Item]:
    """An ``.rss``/``.atom``/``.xml`` file, one document per item."""
    with path.open("rb") as stream:
        yield from feed_stream(stream, str(path), settings)
