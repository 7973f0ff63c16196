"""Turn what the user named (files, folders, globs, ``-`` for stdin, URLs) into documents.

Format details live in the readers (:mod:`.formats` says which reads what); this module expands
paths, refuses files that cannot be read before opening them, and applies the user's
``--outlet``/``--url``. It is also the last gate before the heavy stages: a document whose text is
longer than ``max_record_bytes`` is rejected (``too_large``), text fields are made encodable
(lone surrogates become U+FFFD), a metadata date the date parser fails on becomes unknown, and an
error that escapes a reader (a bug) is an ``internal_error`` of that input; the batch goes on.

In a folder, hidden files and folders and project files (``LICENSE``, ``README``, ``CHANGELOG``
...) are skipped with a notice; a file named on the command line is always read.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from crosswire.config import Settings
from crosswire.errors import InputRejected
from crosswire.ingest.hygiene import SNIFF_BYTES, binary_kind
from crosswire.models import RawDocument, Rejection
from crosswire.ingest.base import Item, Notice, internal_error, rejection, sanitized, site_of
from crosswire.ingest.formats import TEXT_FORMATS, WHOLE_FILE, format_of, read_file, read_stream, supported_extensions
from crosswire.ingest.urls import read_url

STDIN = "<stdin>"
_SURROGATES = re.compile("[\ud800-\udfff]")
_GLOB_CHARS = re.compile(r"[*?\[]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
PROJECT_FILES = frozenset(  # file-name stems that come with software, never with news
    {"license", "licence", "copying", "readme", "changelog", "contributing", "code_of_conduct",
     "makefile", "citation"}
)


def iter_inputs(
    paths: Iterable[str],
    settings: Settings,
    *,
    outlet: str | None = None,
    url: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDocument | Rejection]:
    """Every document (or rejection) from the inputs, in order; folders and globs sorted."""
    for given in paths:
        yield from checked_items(_expand(os.fspath(given), settings, stdin), settings, outlet=outlet, url=url)


def checked_items(
    items: Iterable[Item], settings: Settings, *, outlet: str | None = None, url: str | None = None
) -> Iterator[Item]:
    """Documents read elsewhere (``crosswire watch``'s fetches) through the same last gate as files:
    printable source names, size and encodable text, the user's outlet/URL, the site as outlet."""
    for item in items:
        item.source = printable_name(item.source)
        if isinstance(item, RawDocument):
            try:
                item = _gate(item, settings)
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch
                item = internal_error(item.source, exc, "checking this document")
        if isinstance(item, RawDocument):
            if url:
                item.url = url
            if outlet:
                item.outlet = outlet
            if item.kind != "html":  # a page's site name (read in prepare) comes before its domain
                item.outlet = item.outlet or site_of(item.url)
        yield item


def printable_name(source: str) -> str:
    """``source`` as UTF-8 text: the bytes of a file name that is not UTF-8 (which Python holds as lone
    surrogates) written as ``\\xff`` escapes, so it can be stored, printed and told apart."""
    if not _SURROGATES.search(source):
        return source
    try:
        return source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte (from a \ud800 escape in a URL)
        return _SURROGATES.sub("\ufffd", source)


def _gate(doc: RawDocument, settings: Settings) -> Item:
    """The last check before the heavy stages: size and encodable text (dates are read by
    :func:`crosswire.times.parse_published` in prepare, which never raises)."""
    limit = settings.max_record_bytes
    if len(doc.content) > limit:  # characters: at least as many bytes
        return Rejection(
            doc.source,
            "too_large",
            f"the document holds {len(doc.content)} characters, over max_record_bytes={limit}; "
            "not cleaned or stored (split it, or raise max_record_bytes)",
        )
    return sanitized(doc)


def _project_file(name: str) -> bool:
    """``LICENSE``, ``README.md``, ``CHANGELOG.txt`` ...: files that come with a project, not news."""
    return name.split(".", 1)[0].lower().replace("-", "_") in PROJECT_FILES


def _expand(given: str, settings: Settings, stdin: BinaryIO | None) -> Iterator[Item]:
    if given == "-":
        if stdin is None:
            yield Rejection(STDIN, "not_found", "'-' names standard input, but none was given")
        else:
            yield from _guarded(read_stream(stdin, STDIN, settings), STDIN)
        return
    if _URL.match(given):
        if given.lower().startswith(("http://", "https://")):
            yield from _guarded(read_url(given, settings), given)
        else:
            yield Rejection(given, "invalid_url", "only http:// and https:// URLs can be fetched")
        return
    path = Path(given)
    if path.exists():
        yield from _path(path, settings)
        return
    if _GLOB_CHARS.search(given):
        matches = sorted(glob.glob(given, recursive=True))
        if not matches:
            yield Rejection(
                given, "no_match", "no file matches this pattern; check it (and quote it in the shell)"
            )
        for match in matches:
            yield from _path(Path(match), settings)
        return
    yield Rejection(given, "not_found", "no such file or folder; check the path")


def _path(path: Path, settings: Settings) -> Iterator[Item]:
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            for d in sorted(d for d in dirs if d.startswith(".")):
                yield Notice(str(Path(root, d)), "skipped", "a hidden folder is not read in a folder ingest")
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                source = str(Path(root, name))
                if name.startswith("."):
                    yield Notice(source, "skipped", "a hidden file is not read in a folder ingest")
                elif _project_file(name):
                    yield Notice(
                        source,
                        "skipped",
                        "named like a project file (LICENSE, README, CHANGELOG ...), not a news "
                        "input; name it on its own to read it",
                    )
                else:
                    yield from _guarded(_file(Path(root, name), settings), source)
    else:
        yield from _guarded(_file(path, settings), str(path))


def _guarded(items: Iterator[Item], source: str) -> Iterator[Item]:
    """A reader's items; an unreadable file (permissions, I/O) or a bug becomes a rejection, not a crash."""
    try:
        yield from items
    except InputRejected as exc:
        yield rejection(source, exc)
    except OSError as exc:
        yield Rejection(source, "unreadable", f"cannot read it ({exc.strerror or exc}); check permissions")
    except (MemoryError, RecursionError, Exception) as exc:  # noqa: BLE001 - the batch goes on
        yield internal_error(source, exc, "reading this file")


def _file(path: Path, settings: Settings) -> Iterator[Item]:
    source = str(path)
    known = format_of(path)
    if known is None:
        yield Rejection(
            source,
            "unsupported_format",
            f"unknown file type {path.suffix or '(no extension)'!r}; supported: "
            f"{', '.join(supported_extensions())}",
        )
        return
    fmt, gzipped = known
    size = path.stat().st_size
    if size == 0:
        yield Rejection(source, "empty", "the file is empty; nothing to read")
        return
    if fmt in WHOLE_FILE and not gzipped and size > settings.max_file_bytes:
        yield Rejection(
            source,
            "too_large",
            f"the file has {size} bytes, over max_file_bytes={settings.max_file_bytes} for a single "
            "document; split it, or raise max_file_bytes if it really is one document",
        )
        return
    if fmt in TEXT_FORMATS and not gzipped:
        with path.open("rb") as f:
            kind = binary_kind(f.read(SNIFF_BYTES))
        if kind is not None:
            yield Rejection(
                source,
                "binary",
                f"the file is named {path.suffix} but holds binary data ({kind}); check that the "
                "right file was given and that its extension matches its content",
            )
            return
    yield from read_file(path, fmt, gzipped, settings)
