"""WARC archives (plain or gzip): every HTML response or resource record is one document.

Requests, metadata, warcinfo and non-HTML responses are not articles and are skipped; redirects
too. A response whose HTTP header cannot be parsed is rejected (``corrupt``), an HTML one whose
``WARC-Target-URI`` is empty or not http(s) (``javascript:``, ``file:``) too (``invalid_url``).
A file cut short yields the records before the cut, then a ``truncated`` rejection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from crosswire.config import Settings
from crosswire.errors import InputRejected
from crosswire.models import Rejection
from crosswire.times import normalize_published
from crosswire.ingest.base import (
    HTML_TYPES, Item, internal_error, looks_like_markup, parse_content_type, rejection, url_problem,
)
from crosswire.ingest.gzip_guard import open_input
from crosswire.ingest.html import html_document

DRAIN_CHUNK = 64 * 1024
MAX_HEADER_LINE = 1 << 20  # bytes: one header line of a WARC/ARC record or of its HTTP response
LINE_STEP = 16 * 1024  # bytes asked of warcio's readline at a time
# warcio logs a warning per odd record; without a handler Python prints it on stderr. Keep it in
# the logging tree (an application that configures logging still sees it), never on the terminal.
logging.getLogger("warcio").addHandler(logging.NullHandler())


class _QuietArchive(ArchiveIterator):
    """warcio's iterator without its stderr warning on a record not followed by a blank line (it
    prints the rest of the line, megabytes on a broken file); library code never prints. Its header
    lines are bounded: warcio joins a line block by block, which is quadratic in the line's length
    (a 50 MB line of junk between two records took minutes); no WARC, ARC or HTTP header line comes
    near :data:`MAX_HEADER_LINE`, and record bodies are read by length, not by line."""

    INC_RECORD = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        read_line = self.reader.readline

        def bounded(length: int | None = None) -> bytes:
            asked = length if length and length > 0 else None
            cap = MAX_HEADER_LINE if asked is None else min(asked, MAX_HEADER_LINE)
            parts: list[bytes] = []
            total = 0
            while True:  # short reads joined once: linear in the line
                part = read_line(min(LINE_STEP, cap - total))
                parts.append(part)
                total += len(part)
                if not part or part.endswith(b"\n") or total >= cap:
                    break
            if total >= MAX_HEADER_LINE and not parts[-1].endswith(b"\n"):
                raise ValueError(f"a header line of over {MAX_HEADER_LINE:,} bytes (not a WARC header)")
            return b"".join(parts)

        self.reader.readline = bounded  # type: ignore[method-assign]


def _is_cut(record: ArcWarcRecord) -> bool:
    """Read what is left of the record; True when the file ended before its Content-Length."""
    while record.raw_stream.read(DRAIN_CHUNK):
        pass
    return getattr(record.raw_stream, "limit", 0) > 0


def _html_part(record: ArcWarcRecord) -> tuple[str | None, int | None] | str:
    """``(charset, HTTP status)`` of an HTML response/resource record; status None if not one.

    A response whose HTTP header cannot be parsed gives the reason as a string. A response that
    declares no Content-Type is HTML when its body starts with markup.
    """
    if record.rec_type == "response":
        headers = record.http_headers
        if headers is None or not headers.statusline:
            return "the archived HTTP response has no status line"
        try:
            status = int(headers.get_statuscode())
        except (TypeError, ValueError):
            return f"the archived HTTP status line {headers.statusline[:60]!r} cannot be parsed"
        if not 100 <= status <= 599:
            return f"the archived HTTP status {status} is not an HTTP status"
        declared = headers.get_header("Content-Type")
        mimetype, charset = parse_content_type(declared)
        if not declared and status < 300 and looks_like_markup(_peek(record)):
            mimetype = "text/html"
    elif record.rec_type == "resource":
        mimetype, charset = parse_content_type(record.rec_headers.get_header("Content-Type"))
        status = 200
    else:
        return None, None
    return (charset, status) if mimetype in HTML_TYPES else (None, None)


def _peek(record: ArcWarcRecord) -> str:
    """The first bytes of a record's body, without consuming them (as text, for a markup test)."""
    stream = record.raw_stream
    peek = getattr(stream, "peek", None)
    try:
        head = peek(512) if peek else b""
    except Exception:  # noqa: BLE001 - a stream that cannot peek is not sniffed
        head = b""
    return head[:512].decode("utf-8", "replace")


def _target_problem(uri: str | None) -> str | None:
    """Why a record's WARC-Target-URI cannot be an article's URL (None when it can)."""
    if not uri or not uri.strip():
        return "the record has no WARC-Target-URI"
    problem = url_problem(uri)
    return f"its WARC-Target-URI {problem}" if problem else None


def _truncated(source: str, number: int, detail: str) -> Rejection:
    return Rejection(
        source,
        "truncated",
        f"the archive is cut inside record {number} ({detail}); the {number - 1} records before "
        "it were read; re-download or re-create the WARC file",
    )


class _Tracked:
    """The input as warcio reads it: counts bytes, notes the end of data and the first bytes."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.count = 0
        self.at_end = False
        self.head = b""

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        if not data and size != 0:
            self.at_end = True
        if len(self.head) < 64:
            self.head += data[: 64 - len(self.head)]
        self.count += len(data)
        return data

    def tell(self) -> int:
        return self.count


def warc_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """Documents from a WARC stream (plain, or gzip members that warcio inflates itself).

    An archive that gives no item at all (only requests, metadata, images ...) is rejected as
    ``no_main_text``, so every file is accounted for.
    """
    given = 0
    records = 0
    for item in _warc_items(stream, source, settings):
        if isinstance(item, int):
            records = item
            continue
        given += 1
        yield item
    if given == 0:
        yield Rejection(
            source,
            "no_main_text",
            f"none of the archive's {records} records is an HTML page (response or resource); "
            "nothing to read",
        )


def _warc_items(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item | int]:
    tracked = _Tracked(stream)
    archive = _QuietArchive(tracked)
    records = iter(archive)
    number = 0  # records started, of any type
    try:
        while True:
            number += 1
            try:
                record = next(records, None)
            except InputRejected:
                raise
            except Exception as exc:  # noqa: BLE001 - warcio fails in many ways on a cut or bad header
                yield _unreadable(source, number, tracked, exc)
                return
            if record is None:
                if tracked.count > archive.offset:  # data left that did not parse as a record
                    yield _truncated(source, number, "the file ends inside its headers")
                yield number - 1
                return
            if record.length is None:  # no Content-Length: the headers were cut or are broken
                yield _unreadable(source, number, tracked, ValueError("the record has no Content-Length"))
                return
            item_source = f"{source}#record-{number}"
            problem = None
            if record.rec_type == "response":  # warcio reads no HTTP header under a non-http URI
                problem = _target_problem(record.rec_headers.get_header("WARC-Target-URI"))
            part = (None, None) if problem else _html_part(record)
            item: Item | None = None
            if problem:
                item = Rejection(item_source, "invalid_url", f"{problem}; an archived page needs its address")
            elif isinstance(part, str):
                item = Rejection(item_source, "corrupt", f"{part}; the record is not read")
            elif part[1] is not None and not 300 <= part[1] < 400:
                try:
                    item = _document(record, item_source, part[0], part[1], settings)
                except InputRejected:
                    raise  # the gzip guard under the record: handled for the whole file below
                except Exception as exc:  # noqa: BLE001 - one odd record must not lose the others
                    item = internal_error(item_source, exc, "reading this WARC record")
            if _is_cut(record):
                yield _truncated(source, number, "the file ends before the record does")
                return
            if item is not None:
                yield item
    except InputRejected as exc:  # from the gzip guard: truncated, corrupt or a bomb
        if exc.code == "gzip_bomb":
            yield rejection(source, exc)
        else:
            yield _truncated(source, number, exc.message)


def _unreadable(source: str, number: int, tracked: _Tracked, exc: Exception) -> Rejection:
    if number == 1 and not tracked.head.lstrip().startswith((b"WARC/", b"filedesc:")):
        return Rejection(
            source,
            "not_warc",
            f"this is not a WARC archive (it starts with {tracked.head[:20]!r}); pass WARC files as "
            ".warc or .warc.gz, and other formats with their own extension",
        )
    if tracked.at_end:
        return _truncated(source, number, "the file ends inside its headers")
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return Rejection(
        source,
        "corrupt",
        f"record {number} cannot be read ({detail}); the {number - 1} records before it were read",
    )


def _document(
    record: ArcWarcRecord, source: str, charset: str | None, status: int, settings: Settings
) -> Item:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    problem = _target_problem(uri)
    if problem is not None:
        return Rejection(source, "invalid_url", f"{problem}; an archived page needs the address it came from")
    if status >= 400:
        return Rejection(
            source, "http_error", f"the archived response for {uri} is an HTTP {status} error page"
        )
    limit = settings.max_record_bytes
    if record.length is not None and record.length > limit:
        return Rejection(
            source,
            "too_large",
            f"the record for {uri} has {record.length} bytes, over max_record_bytes={limit}",
        )
    data = record.content_stream().read(limit + 1)
    if len(data) > limit:
        return Rejection(
            source, "too_large", f"the decoded body of {uri} is over max_record_bytes={limit} bytes"
        )
    try:
        doc = html_document(data, source, declared=charset, url=uri)
    except InputRejected as exc:
        return rejection(source, exc)
    doc.url = uri.strip()
    doc.fetched = normalize_published(record.rec_headers.get_header("WARC-Date"))
    return doc


def read_warc(path: Path, settings: Settings) -> Iterator[Item]:
    """A ``.warc`` or ``.warc.gz`` file (``path#record-N``)."""
    with open_input(path, settings) as stream:
        yield from warc_stream(stream, str(path), settings)
