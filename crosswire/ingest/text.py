"""Plain text and Markdown files: one document each, the first non-empty line is the title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from crosswire.config import Settings
from crosswire.errors import InputRejected
from crosswire.ingest.hygiene import decode_bytes
from crosswire.models import RawDocument
from crosswire.ingest.base import Item, read_document_bytes, rejection

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")


def text_document(data: bytes, source: str, *, markdown: bool = False) -> RawDocument:
    """A ``text`` document from bytes; a Markdown ``# Heading`` first line becomes the title."""
    text = decode_bytes(data, source)
    if not text.strip():
        raise InputRejected("the text is blank; nothing to read", source=source, code="empty")
    if markdown:
        lines = text.lstrip().split("\n", 1)
        heading = _MD_HEADING.match(lines[0])
        if heading:
            body = lines[1] if len(lines) > 1 else ""
            return RawDocument(source=source, kind="text", content=body, title=heading.group(1))
    return RawDocument(source=source, kind="text", content=text)


def text_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """One plain-text document from a stream."""
    try:
        yield text_document(read_document_bytes(stream, source, settings.max_file_bytes), source)
    except InputRejected as exc:
        yield rejection(source, exc)


def markdown_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """One Markdown document from a stream."""
    try:
        data = read_document_bytes(stream, source, settings.max_file_bytes)
        yield text_document(data, source, markdown=True)
    except InputRejected as exc:
        yield rejection(source, exc)


def read_text(path: Path, settings: Settings) -> Iterator[Item]:
    """A ``.txt`` or ``.md`` file as one ``text`` document."""
    reader = markdown_stream if path.suffix.lower() in {".md", ".markdown"} else text_stream
    with path.open("rb") as stream:
        yield from reader(stream, str(path), settings)
