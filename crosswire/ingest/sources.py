"""Turn what the user named (files, folders, globs, ``-`` for stdin, URLs) into documents.

Format details live in the readers (:mod:`.formats` says which reads what); this module expands
paths, refuses files that cannot be read before opening them, and applies the user's
``--outlet``/``--url``.
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
from crosswire.ingest.base import Item, rejection, site_of
from crosswire.ingest.formats import TEXT_FORMATS, WHOLE_FILE, format_of, read_file, read_stream, supported_extensions
from crosswire.ingest.urls import read_url

STDIN = "<stdin>"
_GLOB_CHARS = re.compile(r"[*?\[]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


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
        for item in _expand(os.fspath(given), settings, stdin):
            if isinstance(item, RawDocument):
                if url:
                    item.url = url
                if outlet:
                    item.outlet = outlet
                item.outlet = item.outlet or site_of(item.url)
            yield item


def _expand(given: str, settings: Settings, stdin: BinaryIO | None) -> Iterator[Item]:
    if given == "-":
        if stdin is None:
            yield Rejection(STDIN, "not_found", "'-' names standard input, but none was given")
        else:
            yield from _guarded(read_stream(stdin, STDIN, settings), STDIN)
        return
    if _URL.match(given):
        if given.lower().startswith(("http://", "https://")):
            yield from read_url(given, settings)
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
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield from _guarded(_file(Path(root, name), settings), str(Path(root, name)))
    else:
        yield from _guarded(_file(path, settings), str(path))


def _guarded(items: Iterator[Item], source: str) -> Iterator[Item]:
    """A reader's items; an unreadable file (permissions, I/O) becomes a rejection, not a crash."""
    try:
        yield from items
    except InputRejected as exc:
        yield rejection(source, exc)
    except OSError as exc:
        yield Rejection(source, "unreadable", f"cannot read it ({exc.strerror or exc}); check permissions")


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
