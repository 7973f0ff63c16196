"""Stage ``prepare``: one RawDocument -> one Article (main text, hygiene, cleaning, language, id).

Needs: RawDocument. Fills: every Article field but ``duplicate_of``/``similarity`` (dedupe's).
Runs in worker processes, so it takes and returns plain picklable objects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import trafilatura
from trafilatura.utils import load_html

from crosswire.clean import clean_text
from crosswire.clean.markup import caption_keys_of
from crosswire.config import Settings
from crosswire.dedupe.minhash import signature, text_hash
from crosswire.errors import InputRejected
from crosswire.ingest.base import site_of, url_problem
from crosswire.ingest.hygiene import detect_language, normalize_text
from crosswire.models import Article, RawDocument, Rejection, Removed
from crosswire.outlets import domain_of, is_archive, looks_like_domain, outlet_key
from crosswire.times import normalize_published, parse_published, utcnow_iso

STAGE = "prepare.v1"


@dataclass
class Prepared:
    """An article ready for dedupe, with its MinHash signature (bytes of uint64s)."""

    article: Article
    signature: bytes


def outlet_of(outlet: str | None, url: str | None) -> str | None:
    """The outlet metadata named, else the URL's site; an archive named as the outlet (a site name
    read from an archive copy's URL) is the original site."""
    if outlet and looks_like_domain(outlet) and is_archive(url) and outlet_key(outlet) != domain_of(url):
        return site_of(url)
    return outlet or site_of(url)


def _split_title(text: str) -> tuple[str, str]:
    """Plain text: the first non-empty line is the title, the rest the body."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            return line.strip(), "\n".join(lines[i + 1 :])
    return "", ""


def _extract_html(raw: RawDocument) -> tuple[RawDocument, frozenset[str]]:
    """Main text and metadata from markup with trafilatura, and the page's caption keys
    (:func:`crosswire.clean.caption_keys_of`); metadata the reader found wins. The page is parsed
    once, as trafilatura parses it, and that tree serves both."""
    tree = load_html(raw.content)  # what bare_extraction would do with the markup itself
    captions = caption_keys_of(tree, normalize_text) if tree is not None else frozenset()
    doc = trafilatura.bare_extraction(
        tree if tree is not None else raw.content,  # a tree it copies before cutting it
        url=raw.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,  # tables are content: rows come out as '| cell | cell |' lines
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        raise InputRejected(
            "no main text found in the HTML (an index page, a page of links, or broken markup); "
            "save the article page itself",
            source=raw.source,
            code="no_main_text",
        )
    authors = raw.authors or [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return RawDocument(
        source=raw.source,
        kind="record",
        content=doc.text,
        title=raw.title or doc.title,
        url=raw.url or doc.url,
        outlet=raw.outlet or doc.sitename,
        authors=authors,
        published=raw.published or doc.date,
        language=raw.language,
        fetched=raw.fetched,
        description=raw.description or doc.description,
    ), captions


def article_id(title: str, text: str, url: str | None, outlet: str | None) -> str:
    """Content address of an article: the same stored content always gets the same id."""
    h = hashlib.sha256("\x1f".join([title, text, url or "", outlet or ""]).encode("utf-8"))
    return h.hexdigest()[:16]


def prepare(raw: RawDocument, settings: Settings) -> Prepared | Rejection:
    """Turn one raw document into an article, or a rejection saying why it cannot be one."""
    try:
        return _prepare(raw, settings)
    except InputRejected as exc:
        return Rejection(raw.source, exc.code, exc.message)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        return Rejection(
            raw.source,
            "internal_error",
            f"{type(exc).__name__} while preparing this document: {exc}; please report it with the file",
        )


def _prepare(raw: RawDocument, settings: Settings) -> Prepared:
    captions: frozenset[str] = frozenset()
    bad_url = raw.url if raw.url is not None and url_problem(raw.url) else None
    if bad_url:  # not even for the page's site name ("http://[::1" made the outlet "[::1")
        raw = replace(raw, url=None)
    if raw.kind == "html":
        raw, captions = _extract_html(raw)
    content = normalize_text(raw.content)
    if raw.kind == "text" and not raw.title:
        title, body = _split_title(content)
    else:
        title, body = normalize_text(raw.title or "").strip(), content
    cleaned = clean_text(body, captions)
    body = cleaned.text.strip()
    removed: list[Removed] = list(cleaned.removed)
    if not title:
        title = body.split("\n", 1)[0][:200]
    if len(body) < settings.min_text_chars:
        raise InputRejected(
            f"the article body has {len(body)} characters after cleaning, fewer than "
            f"min_text_chars={settings.min_text_chars}; nothing to cross-check",
            source=raw.source,
            code="missing_text",
        )
    # Metadata only: a date the text states is the facts stage's (crosswire/extract/published.py).
    published = parse_published(raw.published)
    url = raw.url
    if bad_url:
        removed.append(Removed("invalid_url", bad_url))  # metadata no reader can follow: not kept
    outlet = outlet_of(raw.outlet, url)
    language = raw.language or detect_language(body)
    article = Article(
        id=article_id(title, body, url, outlet),
        title=title,
        text=body,
        outlet=outlet,
        url=url,
        authors=list(raw.authors),
        published=published.given if published else None,
        published_source="metadata" if published else None,
        language=language,
        ingested_at=utcnow_iso(),
        source=raw.source,
        removed=removed,
        fetched=normalize_published(raw.fetched),
        text_hash=text_hash(body),
        published_utc=published.utc if published else None,
        published_day=published.day if published else None,
    )
    return Prepared(article, signature(body, settings).tobytes())
