"""Small helpers every reader shares: capped reads, markup test, site names, rejections."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, Callable
from urllib.parse import urlsplit

from crosswire.config import Settings
from crosswire.errors import InputRejected
from crosswire.ingest.hygiene import binary_kind
from crosswire.models import RawDocument, Rejection
from crosswire.outlets import host_of

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class Notice(Rejection):
    """Not an input and not a rejection: a warning about one (fields not read, a file skipped).

    Readers yield it among their items; the ingest run keeps it in ``IngestSummary.warnings``.
    """


Item = RawDocument | Rejection
StreamReader = Callable[[BinaryIO, str, Settings], Iterator[Item]]

_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_FIELDS = ("content", "title", "url", "outlet", "published", "language", "fetched", "description")

_MARKUP = re.compile(
    r"\s*<(?:!doctype|html|head|body|p|div|article|section|main|header|span|h[1-6]|br|ul|ol|"
    r"li|table|figure|blockquote|pre|em|strong|b|i|a|img)[\s>/]",
    re.IGNORECASE,
)


def looks_like_markup(text: str) -> bool:
    """True when a body field starts with HTML markup (``<p>``, ``<div``, ``<html`` ...)."""
    return bool(_MARKUP.match(text[:200]))


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``(mimetype, charset)`` from a Content-Type header."""
    if not value:
        return "", None
    mimetype, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mimetype.strip().lower(), charset


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be an article's address (None when it can): it does not parse
    ("http://[::1", a bad port) or is not an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return f"{url[:100]!r} is malformed ({exc})"
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return f"{url[:100]!r} is not an http(s) URL with a host"
    return None


def site_of(url: str | None) -> str | None:
    """The host of a URL, lower-case, without ``www.`` (of the original site when the URL is a web
    archive's copy): the outlet when no metadata names one."""
    return host_of(url)


def rejection(source: str, exc: InputRejected) -> Rejection:
    """The rejection an :class:`InputRejected` raised while reading ``source`` stands for."""
    return Rejection(source, exc.code, exc.message)


def internal_error(source: str, exc: BaseException, doing: str) -> Rejection:
    """The last-resort rejection: a bug in crosswire met this input; the batch goes on."""
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return Rejection(
        source,
        "internal_error",
        f"{type(exc).__name__} while {doing}{': ' + detail if detail else ''}; this is a bug in "
        "crosswire, please report it with the file",
    )


def no_surrogates(text: str) -> str:
    """``text`` with lone UTF-16 surrogates (from ``\\ud800`` escapes or ``&#55296;``) as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def sanitized(doc: RawDocument) -> RawDocument:
    """The document with every text field encodable as UTF-8 (the store and the cleaners need it)."""
    for name in _TEXT_FIELDS:
        value = getattr(doc, name)
        if isinstance(value, str):
            setattr(doc, name, no_surrogates(value))
    doc.authors = [no_surrogates(a) for a in doc.authors if isinstance(a, str)]
    return doc


def read_document_bytes(stream: BinaryIO, source: str, limit: int, what: str = "file") -> bytes:
    """All of a single-document stream, refusing more than ``limit`` bytes, empty or binary data."""
    parts: list[bytes] = []
    size = 0
    while size <= limit and (chunk := stream.read(limit + 1 - size)):  # a stream may return less
        parts.append(chunk)
        size += len(chunk)
    data = b"".join(parts)
    if len(data) > limit:
        raise InputRejected(
            f"the {what} is larger than max_file_bytes={limit} bytes; split it, or raise "
            "max_file_bytes if it really is one document",
            source=source,
            code="too_large",
        )
    check_text_bytes(data, source, what)
    return data


def check_text_bytes(data: bytes, source: str, what: str = "file") -> None:
    """Refuse empty (or blank) and binary content with ``empty`` / ``binary``."""
    if not data.strip():
        raise InputRejected(f"the {what} is empty; nothing to read", source=source, code="empty")
    kind = binary_kind(data)
    if kind is not None:
        raise InputRejected(
            f"the {what} holds binary data ({kind}), not text or markup; check that the right file "
            "was given and that its extension matches its content",
            source=source,
            code="binary",
        )


def first_text(obj: dict, *keys: str) -> str | None:
    """The first non-blank string among ``obj[key]`` for ``keys``."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def split_authors(value: object) -> list[str]:
    """Authors from a list of names (or of ``{"name": ...}``) or a ``;``-separated string."""
    if isinstance(value, str):
        parts = value.split(";")
    elif isinstance(value, list):
        parts = [v.get("name", "") if isinstance(v, dict) else v for v in value]
    else:
        return []
    return [p.strip() for p in parts if isinstance(p, str) and p.strip()]
