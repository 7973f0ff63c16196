"""Which reader reads what: by file extension, or by sniffing the first bytes (stdin, gzip)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from crosswire.config import Settings
from crosswire.errors import InputRejected
from crosswire.models import Rejection
from crosswire.ingest.base import Item, StreamReader, check_text_bytes, rejection
from crosswire.ingest.feeds import feed_stream, is_feed, read_feed
from crosswire.ingest.gzip_guard import GZIP_MAGIC, guarded
from crosswire.ingest.html import html_stream, read_html
from crosswire.ingest.jsonl import json_stream, jsonl_stream, read_json, read_jsonl
from crosswire.ingest.text import markdown_stream, read_text, text_stream
from crosswire.ingest.warc import read_warc, warc_stream

STREAM_READERS: dict[str, StreamReader] = {
    "text": text_stream,
    "markdown": markdown_stream,
    "html": html_stream,
    "json": json_stream,
    "jsonl": jsonl_stream,
    "warc": warc_stream,
    "feed": feed_stream,
}
FORMATS = {  # extension -> format
    ".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
    ".xhtml": "html", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".warc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
FILE_READERS = {
    "text": read_text, "markdown": read_text, "html": read_html, "json": read_json,
    "jsonl": read_jsonl, "warc": read_warc, "feed": read_feed,
}
WHOLE_FILE = frozenset({"text", "markdown", "html", "json", "feed"})  # read into memory at once
TEXT_FORMATS = frozenset(FORMATS.values()) - {"warc"}  # binary content under these is an error
SNIFF_BYTES = 64 * 1024


def format_of(path: Path) -> tuple[str, bool] | None:
    """``(format, gzipped)`` for a file name (``a.warc.gz`` -> ``("warc", True)``), None if unknown."""
    name = path.name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    fmt = FORMATS.get(Path(name).suffix)
    return (fmt, gzipped) if fmt else None


def supported_extensions() -> list[str]:
    """Every extension a file may have, for messages."""
    return sorted(FORMATS) + ["(any of these).gz"]


def read_file(path: Path, fmt: str, gzipped: bool, settings: Settings) -> Iterator[Item]:
    """Documents from a file whose format is known."""
    if fmt == "warc" or not gzipped:  # the WARC reader inflates gzip itself
        yield from FILE_READERS[fmt](path, settings)
        return
    source = str(path)
    with path.open("rb") as raw:
        if raw.read(2) != GZIP_MAGIC:
            yield Rejection(source, "not_gzip", "the name ends in .gz but the content is not gzip data")
            return
        raw.seek(0)
        with guarded(raw, source, settings) as stream:
            yield from _guarded_stream(STREAM_READERS[fmt], stream, source, settings)


def _guarded_stream(
    reader: StreamReader, stream: BinaryIO, source: str, settings: Settings
) -> Iterator[Item]:
    """A reader over an inflating stream: a bomb or a cut seen by a whole-file reader is rejected."""
    try:
        yield from reader(stream, source, settings)
    except InputRejected as exc:
        yield rejection(source, exc)


def sniff_format(head: bytes) -> str:
    """The format of a document from its first bytes: gzip, warc, json, jsonl, feed, html or text."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"WARC/"):
        return "warc"
    if re.match(rb"\[\s*[{\]]", start):  # an array of objects, not "[Update] Harbour reopens"
        return "json"
    if start.startswith(b"{"):
        first_line = start.split(b"\n", 1)[0]
        try:
            json.loads(first_line)
        except ValueError:
            return "json"  # an object spread over several lines
        return "jsonl"
    if start.startswith(b"<"):
        return "feed" if is_feed(start) else "html"
    return "text"


class _Prefixed(io.BufferedIOBase):
    """The bytes already read (``head``) followed by the rest of ``stream``; never closes it.

    Not an ``io.BufferedReader``: that one drops the bytes it holds when the stream under it raises,
    and a cut gzip raises right after its last good bytes.
    """

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if not self._head:
            return self._stream.read(size)
        if size is None or size < 0:
            head, self._head = self._head, b""
            return head + self._stream.read()
        head, self._head = self._head[:size], self._head[size:]
        return head  # may be short: readers loop until the end

    def readline(self, size: int | None = -1) -> bytes:
        if not self._head:
            return self._stream.readline(size)
        limit = len(self._head) if size is None or size < 0 else min(size, len(self._head))
        end = self._head.find(b"\n", 0, limit)
        cut = end + 1 if end >= 0 else limit
        line, self._head = self._head[:cut], self._head[cut:]
        if line.endswith(b"\n") or (size is not None and 0 <= size <= len(line)):
            return line
        return line + self._stream.readline(-1 if size is None or size < 0 else size - len(line))


def read_stream(
    stream: BinaryIO, source: str, settings: Settings, *, inflated: bool = False
) -> Iterator[Item]:
    """Documents from a stream of unknown format (stdin): sniff it, then hand it to its reader."""
    head = stream.read(SNIFF_BYTES)
    fmt = sniff_format(head)
    if not head.strip():
        yield Rejection(source, "empty", "the input is empty; nothing to read")
        return
    with _Prefixed(head, stream) as whole:
        if fmt == "gzip":
            if inflated:
                yield Rejection(source, "unsupported_format", "gzip inside gzip is not read")
                return
            with guarded(whole, source, settings) as inner:
                yield from _guarded_stream(_inflated_stream, inner, source, settings)
            return
        if fmt != "warc":
            try:
                check_text_bytes(head, source, "input")
            except InputRejected as exc:
                yield rejection(source, exc)
                return
        yield from STREAM_READERS[fmt](whole, source, settings)


def _inflated_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    return read_stream(stream, source, settings, inflated=True)
