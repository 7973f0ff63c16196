"""JSON and JSON Lines records (news-please and trafilatura field names), one document each.

news-please: ``title, maintext|text, description, url, source_domain, authors, date_publish,
language``; trafilatura: ``title, text, excerpt, url, hostname, sitename, author`` (``;``-separated),
``date``. A body that starts with markup becomes an ``html`` document, otherwise a ``record``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from crosswire.config import Settings
from crosswire.errors import InputRejected
from crosswire.ingest.hygiene import decode_bytes
from crosswire.models import RawDocument, Rejection
from crosswire.ingest.base import Item, first_text, looks_like_markup, read_document_bytes, rejection, site_of, split_authors

BODY_KEYS = ("maintext", "text", "raw_text")
SKIP_CHUNK = 1024 * 1024


def record_document(obj: Any, source: str, where: str = "the record") -> Item:
    """One JSON object as a document, or a rejection when it is not an object or has no text."""
    if not isinstance(obj, dict):
        return Rejection(
            source,
            "invalid_json",
            f"{where} is a JSON {type(obj).__name__}, not an object with title and text fields",
        )
    title = first_text(obj, "title")
    body = first_text(obj, *BODY_KEYS)
    if title is None and body is None:
        return Rejection(
            source,
            "missing_text",
            f"{where} has neither a title nor a text field ({', '.join(BODY_KEYS)}); "
            f"its fields are: {', '.join(sorted(map(str, obj))[:12]) or 'none'}",
        )
    url = first_text(obj, "url", "source_url")
    language = first_text(obj, "language")
    authors = split_authors(obj.get("authors")) or split_authors(obj.get("author"))
    return RawDocument(
        source=source,
        kind="html" if body and looks_like_markup(body) else "record",
        content=body or "",
        title=title,
        url=url,
        outlet=first_text(obj, "sitename") or _domain(first_text(obj, "source_domain", "hostname")),
        authors=authors,
        published=first_text(obj, "date_publish", "date", "published", "date_modify"),
        language=language.lower()[:2] if language and language[:2].isalpha() else None,
        description=first_text(obj, "description", "excerpt"),
    )


def _domain(host: str | None) -> str | None:
    return host.lower().removeprefix("www.") if host else None


def _reason(exc: json.JSONDecodeError) -> str:
    """The decoder's message without its dangling "at" ("Invalid control character at")."""
    return exc.msg.removesuffix(" at")


def _parse_line(line: bytes, source: str, lineno: int) -> Item:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = decode_bytes(line, source)
        except InputRejected as exc:
            return Rejection(source, exc.code, f"line {lineno}: {exc.message}")
    try:
        obj = json.loads(text.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return Rejection(
            source,
            "invalid_json",
            f"line {lineno} is not valid JSON ({_reason(exc)} at column {exc.colno}); fix or remove it",
        )
    except (ValueError, RecursionError) as exc:
        return Rejection(source, "invalid_json", f"line {lineno} cannot be parsed as JSON ({exc})")
    return record_document(obj, source, f"line {lineno}")


def jsonl_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """One document per line, streamed; a bad line is rejected with its number, the rest go on."""
    limit = settings.max_record_bytes
    lineno = 0
    try:
        while line := stream.readline(limit + 1):
            lineno += 1
            line_source = f"{source}:{lineno}"
            if len(line.rstrip(b"\r\n")) > limit:
                while not line.endswith(b"\n") and (line := stream.readline(SKIP_CHUNK)):
                    pass  # skip the rest of the line without keeping it
                yield Rejection(
                    line_source,
                    "too_large",
                    f"line {lineno} is longer than max_record_bytes={limit} bytes; not parsed",
                )
                continue
            if not line.endswith(b"\n"):
                stream.readline(1)  # the last line, or a cut one: a cut gzip raises here
            if lineno == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if line.strip():
                yield _parse_line(line, line_source, lineno)
    except InputRejected as exc:  # the stream itself failed (a cut or bomb gzip)
        yield Rejection(source, exc.code, f"line {lineno}: {exc.message}")


def json_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """A JSON document: one object, or an array of objects (``path#record-N``)."""
    try:
        text = decode_bytes(read_document_bytes(stream, source, settings.max_file_bytes, "JSON file"), source)
    except InputRejected as exc:
        yield rejection(source, exc)
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # one object per line in a .json file: read it as JSON Lines
            for lineno, line in enumerate(text.split("\n"), 1):
                if line.strip():
                    yield _parse_line(line.encode("utf-8"), f"{source}:{lineno}", lineno)
            return
        yield Rejection(
            source,
            "invalid_json",
            f"not valid JSON ({_reason(exc)} at line {exc.lineno}, column {exc.colno}); fix the file",
        )
        return
    except (ValueError, RecursionError) as exc:
        yield Rejection(source, "invalid_json", f"cannot be parsed as JSON ({exc})")
        return
    if isinstance(data, list):
        if not data:
            yield Rejection(source, "empty", "the JSON array is empty; nothing to read")
        for n, obj in enumerate(data, 1):
            yield record_document(obj, f"{source}#record-{n}", f"array element {n}")
    else:
        yield record_document(data, source, "the JSON document")


def read_jsonl(path: Path, settings: Settings) -> Iterator[Item]:
    """A ``.jsonl`` file, one document per line (``path:LINE``)."""
    with path.open("rb") as stream:
        yield from jsonl_stream(stream, str(path), settings)


def read_json(path: Path, settings: Settings) -> Iterator[Item]:
    """A ``.json`` file: one object, or an array of objects."""
    with path.open("rb") as stream:
        yield from json_stream(stream, str(path), settings)
