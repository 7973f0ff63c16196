"""One poll of one source: what it lists now, and for each item not seen before its documents.

Network and files only (no store): run in worker threads. A feed item's page is fetched for the full
text; the feed's own content or teaser is kept only when the page cannot be had, with the reason. A
news sitemap lists pages (``<url><loc>`` with ``news:`` title, date, publication and language); a
sitemap index lists sitemaps (read each time, up to :data:`MAX_CHILD_SITEMAPS`). A URL list is a text
file or URL with one URL a line (``#`` comments). A folder gives its new files (a file changed in
size or time is new again; the store's content hash makes a re-read of the same text change nothing).
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
from lxml import etree

from crosswire.config import Settings
from crosswire.errors import CrosswireError, InputRejected
from crosswire.ingest.base import Item, check_text_bytes, looks_like_markup, site_of, split_authors
from crosswire.ingest.feeds import root_tag
from crosswire.ingest.fetch import Fetched, document_of
from crosswire.ingest.sources import iter_inputs
from crosswire.ingest.urls import is_feed_response
from crosswire.models import RawDocument, Rejection
from crosswire.times import normalize_published
from crosswire.watch.config import Source
from crosswire.watch.polite import Polite, Stopped

MAX_CHILD_SITEMAPS = 20
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass
class Entry:
    """One item a source lists that was not seen before."""

    key: str  # the guid, the page URL or the file (path|size|mtime)
    url: str | None
    docs: list[Item] = field(default_factory=list)
    note: str | None = None  # how it was read when not as asked (the feed's teaser instead of the page)
    retry: str | None = None  # a failure that may pass: not marked seen, tried again at the next poll


@dataclass
class PollResult:
    """What one poll of a source gave."""

    source: Source
    kind: str | None = None
    listed: int = 0
    entries: list[Entry] = field(default_factory=list)
    not_modified: bool = False
    validators: dict[str, str] = field(default_factory=dict)
    error: CrosswireError | None = None
    started: float = 0.0
    seconds: float = 0.0


class _Meta:
    """What a feed or sitemap says of one item (used when its page lacks it, or fails)."""

    def __init__(self, title: str | None = None, published: str | None = None, authors: list[str] | None = None,
                 language: str | None = None, outlet: str | None = None, body: str | None = None):
        self.title, self.published, self.authors = title, published, authors or []
        self.language, self.outlet, self.body = language, outlet, body


def _page(polite: Polite, url: str, key: str, source: Source, meta: _Meta) -> Entry:
    """The item's page, fetched; the feed's text when the page fails (with the reason), else a
    rejection, or a retry when the failure may pass."""
    entry = Entry(key, url)
    try:
        got = polite.get(url)
        doc = document_of(got, url)
        doc.source = url  # the page's own headline is the title (the feed's may be shortened)
        doc.authors = doc.authors or meta.authors
        doc.published = doc.published or meta.published
        doc.language = doc.language or meta.language
        entry.docs.append(doc)
        return entry
    except InputRejected as exc:
        failure = exc
    if meta.body:
        entry.note = (f"the page could not be fetched ({failure.code}: {failure.message}); the feed's own text "
                      f"({len(meta.body)} characters) is stored instead")
        entry.docs.append(RawDocument(
            source=f"{source.url}#{key}", kind="html" if looks_like_markup(meta.body) else "record",
            content=meta.body, title=meta.title, url=url, authors=meta.authors, published=meta.published,
            language=meta.language, outlet=site_of(url) or meta.outlet,
        ))
    elif failure.retryable:
        entry.retry = f"{failure.code}: {failure.message}"
    else:
        entry.docs.append(Rejection(url, failure.code, f"the page of this item could not be fetched: {failure.message}"))
    return entry


def _feed_entries(data: bytes, base: str, source: Source, polite: Polite, seen: set[str],
                  stopped: Callable[[], bool]) -> tuple[int, list[Entry]]:
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": base}, sanitize_html=False,
                              resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise InputRejected("the response is not an RSS or Atom feed", source=source.url, code="not_a_feed")
    feed = parsed.feed
    outlet = site_of(feed.get("link")) or site_of(base)
    code = (feed.get("language") or "").strip().lower()[:2]
    language = code if len(code) == 2 and code.isalpha() else None
    entries: list[Entry] = []
    for item in parsed.entries:
        if stopped():
            break
        link = (item.get("link") or "").strip() or None
        key = (item.get("id") or "").strip() or link
        title = (item.get("title") or "").strip() or None
        if not key:
            key = "title:" + hashlib.sha256((title or "").encode()).hexdigest()[:16]
        if key in seen:
            continue
        body = next((c.get("value", "").strip() for c in item.get("content") or [] if c.get("value", "").strip()),
                    None) or (item.get("summary") or "").strip() or None
        published = normalize_published(dict.get(item, "published_parsed") or dict.get(item, "updated_parsed"))
        published = published or normalize_published(dict.get(item, "published") or dict.get(item, "updated"))
        authors = split_authors(item.get("authors")) or split_authors(item.get("author"))
        meta = _Meta(title, published, authors, language, outlet, body)
        if link is None:
            entry = Entry(key, None, note="the item has no link; the feed's own text is stored")
            entry.docs.append(RawDocument(source=f"{source.url}#{key}", kind="html" if body and looks_like_markup(body)
                                          else "record", content=body or "", title=title, published=published,
                                          authors=authors, language=language, outlet=outlet) if body else
                              Rejection(f"{source.url}#{key}", "missing_text", "the item has no link and no text"))
            entries.append(entry)
            continue
        entries.append(_page(polite, link, key, source, meta))
    return len(parsed.entries), entries


def _xml(data: bytes, source: str) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputRejected(f"the sitemap is not well-formed XML ({exc})", source=source, code="corrupt") from None


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _sitemap_urls(root: Any) -> list[tuple[str, _Meta]]:
    found: list[tuple[str, _Meta]] = []
    for url in root:
        if _local(url.tag) != "url":
            continue
        loc = next((c.text or "" for c in url if _local(c.tag) == "loc"), "").strip()
        if not loc:
            continue
        meta = _Meta()
        for news in (c for c in url if _local(c.tag) == "news"):
            for part in news:
                name = _local(part.tag)
                if name == "title":
                    meta.title = (part.text or "").strip() or None
                elif name == "publication_date":
                    meta.published = normalize_published((part.text or "").strip())
                elif name == "publication":
                    for p in part:
                        if _local(p.tag) == "name":
                            meta.outlet = (p.text or "").strip() or None
                        elif _local(p.tag) == "language":
                            code = (p.text or "").strip().lower()[:2]
                            meta.language = code if len(code) == 2 and code.isalpha() else None
        found.append((loc, meta))
    return found


def _sitemap_entries(data: bytes, base: str, source: Source, polite: Polite, seen: set[str],
                     stopped: Callable[[], bool], settings: Settings) -> tuple[int, list[Entry]]:
    root = _xml(data, source.url)
    if _local(root.tag) == "sitemapindex":
        urls: list[tuple[str, _Meta]] = []
        children = [(c.text or "").strip() for s in root if _local(s.tag) == "sitemap" for c in s
                    if _local(c.tag) == "loc"]
        for child in [c for c in children if c][:MAX_CHILD_SITEMAPS]:
            got = polite.get(child)
            check_text_bytes(got.data, child, "sitemap")
            urls.extend(_sitemap_urls(_xml(got.data, child)))
    elif _local(root.tag) == "urlset":
        urls = _sitemap_urls(root)
    else:
        raise InputRejected(f"the XML root is <{_local(root.tag)}>, not <urlset> or <sitemapindex>", source=source.url,
                            code="not_a_sitemap")
    entries = []
    for loc, meta in urls:
        if stopped():
            break
        if loc not in seen:
            entries.append(_page(polite, loc, loc, source, meta))
    return len(urls), entries


def _url_lines(text: str) -> list[str]:
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _list_entries(urls: Iterable[str], source: Source, polite: Polite, seen: set[str],
                  stopped: Callable[[], bool]) -> tuple[int, list[Entry]]:
    urls = list(dict.fromkeys(urls))
    entries = []
    for url in urls:
        if stopped():
            break
        if url in seen:
            continue
        if not url.lower().startswith(("http://", "https://")):
            entries.append(Entry(url, None, [Rejection(url, "invalid_url", "a URL list line that is not an http(s) URL")]))
            continue
        entries.append(_page(polite, url, url, source, _Meta()))
    return len(urls), entries


def _folder_entries(folder: Path, settings: Settings, seen: set[str],
                    stopped: Callable[[], bool]) -> tuple[int, list[Entry]]:
    listed = 0
    entries = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(f for f in files if not f.startswith(".")):
            if stopped():
                return listed, entries
            path = Path(root, name)
            try:
                st = path.stat()
            except OSError:
                continue  # gone since it was listed
            listed += 1
            key = f"{path.relative_to(folder)}|{st.st_size}|{st.st_mtime_ns}"
            if key in seen:
                continue
            entries.append(Entry(key, None, list(iter_inputs([str(path)], settings))))
    return listed, entries


def _guess(got: Fetched) -> str:
    if is_feed_response(got.mimetype, got.data) and root_tag(got.data[:4096]) not in SITEMAP_ROOTS:
        return "feed"
    if root_tag(got.data[:4096]) in SITEMAP_ROOTS:
        return "sitemap"
    if got.mimetype == "text/plain":
        return "urls"
    raise InputRejected(f"the response ({got.mimetype or 'no type'}) is not a feed, a sitemap or a list of URLs; "
                        "give the feed's own URL, or set kind", source=got.url, code="unsupported_format")


def poll(source: Source, polite: Polite, settings: Settings, seen: set[str], validators: dict[str, str]) -> PollResult:
    """Poll ``source`` once: its new items (not in ``seen``) with their documents. Never raises for the
    source's own trouble: that is ``error`` of the result."""
    result = PollResult(source, source.kind, started=time.time())
    clock = time.perf_counter()
    stopped = polite.stop.is_set
    try:
        if source.remote:
            got = polite.get(source.url, validators)
            result.validators = {"etag": got.headers.get("etag", ""), "last_modified": got.headers.get("last-modified", "")}
            if got.status == 304:
                result.not_modified = True
                result.validators = dict(validators)
                return result
            check_text_bytes(got.data, source.url, "response")
            result.kind = kind = source.kind or _guess(got)
            if kind == "feed":
                result.listed, result.entries = _feed_entries(got.data, got.url, source, polite, seen, stopped)
            elif kind == "sitemap":
                result.listed, result.entries = _sitemap_entries(got.data, got.url, source, polite, seen, stopped,
                                                                 settings)
            elif kind == "urls":
                result.listed, result.entries = _list_entries(_url_lines(got.data.decode("utf-8", "replace")),
                                                              source, polite, seen, stopped)
            else:
                raise InputRejected("a folder source must be a local path", source=source.url, code="invalid_source")
        else:
            path = Path(source.url)
            if not path.exists():
                raise InputRejected("no such file or folder; check the path in the sources file", source=source.url,
                                    code="not_found")
            kind = source.kind or ("folder" if path.is_dir() else
                                   "feed" if path.suffix.lower() in {".rss", ".atom", ".xml"} else "urls")
            result.kind = kind
            if kind == "folder":
                result.listed, result.entries = _folder_entries(path, settings, seen, stopped)
            elif kind == "urls":
                text = path.read_bytes()[: settings.max_file_bytes].decode("utf-8", "replace")
                result.listed, result.entries = _list_entries(_url_lines(text), source, polite, seen, stopped)
            elif kind == "feed":
                result.listed, result.entries = _feed_entries(path.read_bytes(), path.as_uri(), source, polite, seen,
                                                              stopped)
            else:
                result.listed, result.entries = _sitemap_entries(path.read_bytes(), path.as_uri(), source, polite,
                                                                 seen, stopped, settings)
    except CrosswireError as exc:
        result.error = exc
    except Stopped:
        result.error = InputRejected("the watch was stopped during this poll", source=source.url, code="stopped")
    except OSError as exc:
        result.error = InputRejected(f"cannot read it ({exc.strerror or exc})", source=source.url, code="unreadable")
    except Exception as exc:  # noqa: BLE001 - a bug with one source must not stop the others; recorded
        result.error = InputRejected(f"{type(exc).__name__} while polling it: {exc}; this is a bug in crosswire, "
                                     "please report it", source=source.url, code="internal_error")
    finally:
        result.seconds = round(time.perf_counter() - clock, 3)
    return result
