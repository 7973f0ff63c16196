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
from crosswire.ingest.base import (
    Item, Notice, first_text, internal_error, looks_like_markup, read_document_bytes, rejection, split_authors,
)

BODY_KEYS = ("maintext", "text", "raw_text")
SKIP_CHUNK = 1024 * 1024
READ_KEYS = frozenset(
    {*BODY_KEYS, "title", "url", "source_url", "language", "authors", "author", "sitename",
     "source_domain", "hostname", "date_publish", "date", "published", "date_modify", "description",
     "excerpt"}
)
# Fields of news-please and trafilatura records that crosswire knowingly leaves out.
KNOWN_UNREAD = frozenset(
    {"date_download", "filename", "image_url", "localpath", "title_page", "title_rss", "id",
     "fingerprint", "license", "comments", "image", "pagetype", "source", "source-hostname",
     "categories", "tags", "filedate"}
)
_BLANK = b" \t\r\n\x0b\x0c"


def unknown_fields(obj: Any) -> list[str]:
    """The field names of a record that crosswire neither reads nor knowingly leaves out."""
    if not isinstance(obj, dict):
        return []
    return sorted(str(k) for k in obj if k not in READ_KEYS and k not in KNOWN_UNREAD)


class _Unknown:
    """Unknown field names seen in one file: each is reported once, in a :class:`Notice`."""

    def __init__(self, source: str):
        self.source = source
        self.seen: set[str] = set()

    def notice(self, obj: Any, where: str) -> Notice | None:
        new = [k for k in unknown_fields(obj) if k not in self.seen]
        if not new:
            return None
        self.seen.update(new)
        shown = ", ".join(repr(k[:40]) for k in new[:12]) + (" ..." if len(new) > 12 else "")
        return Notice(
            self.source,
            "unknown_fields",
            f"{where} has fields crosswire does not read: {shown}; their values are not stored "
            f"(read fields: {', '.join(sorted(READ_KEYS))})",
        )


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


def _parse_line(line: bytes, source: str, lineno: int, unknown: _Unknown | None = None) -> Iterator[Item]:
    """The record of one line (after a notice naming its unknown fields); never raises."""
    try:
        obj = _load_line(line, source, lineno)
        if isinstance(obj, Rejection):
            yield obj
            return
        note = unknown.notice(obj, f"line {lineno}") if unknown else None
        if note is not None:
            yield note
        yield record_document(obj, source, f"line {lineno}")
    except Exception as exc:  # noqa: BLE001 - one odd line must not lose the file's others
        yield internal_error(source, exc, f"reading line {lineno}")


def _load_line(line: bytes, source: str, lineno: int) -> Any:
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
    return obj


def jsonl_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """One document per line, streamed; a bad line is rejected with its number, the rest go on."""
    limit = settings.max_record_bytes
    lineno = 0
    records = 0  # lines that gave an item
    unknown = _Unknown(source)
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
            body = line.rstrip(b"\r\n")
            if not body:
                continue  # an empty line separates nothing from nothing: no input is lost
            records += 1
            if not body.replace(b"\xef\xbb\xbf", b"").strip(_BLANK):
                yield Rejection(
                    line_source, "empty", f"line {lineno} holds only whitespace or byte-order marks"
                )
                continue
            yield from _parse_line(line, line_source, lineno, unknown)
    except InputRejected as exc:  # the stream itself failed (a cut or bomb gzip)
        yield Rejection(source, exc.code, f"line {lineno}: {exc.message}")
        return
    if records == 0:
        yield Rejection(source, "empty", "the JSON Lines input holds no record, only blank lines")


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
            unknown = _Unknown(source)
            for lineno, line in enumerate(text.split("\n"), 1):
                if line.strip():
                    data_line = line.encode("utf-8", "surrogatepass")
                    yield from _parse_line(data_line, f"{source}:{lineno}", lineno, unknown)
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
    unknown = _Unknown(source)
    if isinstance(data, list):
        if not data:
            yield Rejection(source, "empty", "the JSON array is empty; nothing to read")
        for n, obj in enumerate(data, 1):
            note = unknown.notice(obj, f"array element {n}")
            if note is not None:
                yield note
            yield record_document(obj, f"{source}#record-{n}", f"array element {n}")
    else:
        note = unknown.notice(data, "the JSON document")
        if note is not None:
            yield note
        yield record_document(data, source, "the JSON document")


def read_jsonl(path: Path, settings: Settings) -> Iterator[Item]:
    """A ``.jsonl`` file, one document per line (``path:LINE``)."""
    with path.open("rb") as stream:
        yield from jsonl_stream(stream, str(path), settings)


def read_json(path: Path, settings: Settings) -> Iterator[Item]:
    """A ``.json`` file: one object, or an array of objects."""
    with path.open("rb") as stream:
        yield from json_stream(stream, str(path), settings)
