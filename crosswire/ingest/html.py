"""HTML files: the decoded markup (``prepare`` extracts the main text), plus cheap metadata."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crosswire.config import Settings
from crosswire.errors import InputRejected
from crosswire.ingest.hygiene import decode_bytes
from crosswire.models import RawDocument
from crosswire.ingest.base import Item, check_text_bytes, read_document_bytes, rejection

_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")  # lxml refuses str input that declares one
HEAD_CHARS = 256 * 1024  # metadata is looked for in the <head>, within this much markup


def _absolute(link: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL from a page's link, or None (a malformed one such as ``http://[::1``
    makes urllib.parse raise: it is not a usable link, so it is ignored)."""
    if not link:
        return None
    link = link.strip()
    try:
        if urlsplit(link).scheme in {"http", "https"}:
            urlsplit(link).port  # noqa: B018 - raises on a bad port, as later readers would
            return link
        if base and urlsplit(base).scheme in {"http", "https"}:
            joined = urljoin(base, link)
            urlsplit(joined).port  # noqa: B018
            return joined
    except ValueError:
        return None
    return None


def head_metadata(markup: str, base_url: str | None = None) -> tuple[str | None, str | None]:
    """``(url, outlet)`` from ``<link rel=canonical>`` / ``og:url`` and ``og:site_name``."""
    head = markup[:HEAD_CHARS]
    end = _HEAD_END.search(head)
    if end:
        head = head[: end.start()]
    head = _XML_DECLARATION.sub("", head)
    if not head.strip():
        return None, None
    try:
        root = etree.fromstring(head, etree.HTMLParser(recover=True, no_network=True))
    except (etree.LxmlError, ValueError):
        return None, None
    if root is None:
        return None, None
    canonical = root.xpath("string(//link[translate(@rel,'CANONIL','canonil')='canonical']/@href)")
    og_url = root.xpath("string(//meta[@property='og:url']/@content)")
    site = root.xpath("string(//meta[@property='og:site_name']/@content)").strip()
    url = _absolute(canonical, base_url) or _absolute(og_url, base_url)
    return url, site or None


def html_document(
    data: bytes, source: str, *, declared: str | None = None, url: str | None = None
) -> RawDocument:
    """An ``html`` document from bytes (``declared``: the HTTP charset; ``url``: where it came from)."""
    check_text_bytes(data, source, "HTML")
    markup = decode_bytes(data, source, declared)
    if not markup.strip():
        raise InputRejected("the HTML is blank; nothing to read", source=source, code="empty")
    meta_url, outlet = head_metadata(markup, url)
    return RawDocument(source=source, kind="html", content=markup, url=meta_url or url, outlet=outlet)


def html_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """One HTML document from a stream."""
    try:
        yield html_document(read_document_bytes(stream, source, settings.max_file_bytes, "HTML"), source)
    except InputRejected as exc:
        yield rejection(source, exc)


def read_html(path: Path, settings: Settings) -> Iterator[Item]:
    """An ``.html``/``.htm`` file as one ``html`` document."""
    with path.open("rb") as stream:
        yield from html_stream(stream, str(path), settings)
