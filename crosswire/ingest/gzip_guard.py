"""Gzip inputs inflated through a guard that counts bytes, so a gzip bomb is caught early."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from crosswire.config import MB, Settings
from crosswire.errors import InputRejected

GZIP_MAGIC = b"\x1f\x8b"
READ_CHUNK = 64 * 1024
RATIO_FLOOR = 1 * MB  # below this many inflated bytes the ratio test does not apply


class GuardedGzip(io.BufferedIOBase):
    """Inflates a (multi-member) gzip stream, raising :class:`InputRejected` instead of trusting it.

    ``gzip_bomb`` once the inflated size passes ``settings.max_decompressed_bytes``, or once it passes
    1 MB at a ratio above ``settings.max_compression_ratio``; ``truncated`` when the data ends inside
    a member; ``corrupt`` for damaged data. Every byte inflated before a problem is returned first and
    the error raised by the next call (zlib directly: ``gzip.GzipFile`` and ``io.BufferedReader``
    drop the last block of a cut file when they raise).
    """

    def __init__(self, raw: BinaryIO, source: str, settings: Settings):
        self.raw = raw
        self.source = source
        self.max_bytes = settings.max_decompressed_bytes
        self.max_ratio = settings.max_compression_ratio
        self.compressed = 0
        self.inflated = 0
        self._inflater = zlib.decompressobj(wbits=31)
        self._pending = b""  # compressed bytes read but not yet inflated
        self._in_member = False
        self._out = b""  # inflated bytes not yet returned
        self._deferred: InputRejected | None = None

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._collect(-1 if size is None else size, line=False)

    def read1(self, size: int = -1) -> bytes:
        return self._collect(size, line=False)

    def readline(self, size: int | None = -1) -> bytes:
        return self._collect(-1 if size is None else size, line=True)

    def _collect(self, size: int, line: bool) -> bytes:
        if self._deferred is not None:
            exc, self._deferred = self._deferred, None
            raise exc
        parts: list[bytes] = []
        total = 0
        while size < 0 or total < size:
            if not self._out:
                try:
                    self._out = self._inflate(READ_CHUNK)
                except InputRejected as exc:
                    if not parts or exc.code == "gzip_bomb":
                        raise
                    self._deferred = exc  # hand over what was inflated; raise on the next call
                    break
                if not self._out:
                    break
            want = len(self._out) if size < 0 else min(size - total, len(self._out))
            if line:
                newline = self._out.find(b"\n", 0, want)
                want = newline + 1 if newline >= 0 else want
            parts.append(self._out[:want])
            self._out = self._out[want:]
            total += want
            if line and parts[-1].endswith(b"\n"):
                break
        return b"".join(parts)

    def _inflate(self, size: int) -> bytes:
        """Up to ``size`` inflated bytes (b"" at the end of the input)."""
        while True:
            if not self._pending and not self._fill():
                return b""
            if not self._in_member:
                self._pending = self._pending.lstrip(b"\x00")  # zero padding between members is allowed
                if len(self._pending) < 2 and not self._fill():
                    if self._pending:
                        raise self._error("truncated", "the data ends inside a gzip header")
                    continue
                if not self._pending.startswith(GZIP_MAGIC):
                    raise self._error("corrupt", "data after the last gzip member is not gzip")
                self._in_member = True
            try:
                data = self._inflater.decompress(self._pending, size)
            except zlib.error as exc:
                raise self._error("corrupt", f"the gzip data is damaged ({exc})") from None
            if self._inflater.eof:
                self._pending = self._inflater.unused_data
                self._inflater = zlib.decompressobj(wbits=31)
                self._in_member = False
            else:
                self._pending = self._inflater.unconsumed_tail
            if data:
                self.inflated += len(data)
                self._check()
                return data

    def _fill(self) -> bool:
        """Read more compressed bytes; False at the end of the input (raising if inside a member)."""
        chunk = self.raw.read(READ_CHUNK)
        self.compressed += len(chunk)
        if chunk:
            self._pending += chunk
            return True
        if self._in_member:
            raise self._error("truncated", "the gzip data ends early")
        return False

    def _error(self, code: str, what: str) -> InputRejected:
        return InputRejected(
            f"{what} (after {self.compressed} compressed, {self.inflated} inflated bytes); what came "
            "before was read; re-download or re-compress the file",
            source=self.source,
            code=code,
        )

    def _check(self) -> None:
        ratio = self.inflated / max(self.compressed, 1)
        if self.inflated > self.max_bytes or (self.inflated > RATIO_FLOOR and ratio > self.max_ratio):
            raise InputRejected(
                f"gzip bomb: {self.compressed} compressed bytes inflate to more than "
                f"{self.inflated} bytes (ratio {ratio:.0f}; limits max_decompressed_bytes="
                f"{self.max_bytes}, max_compression_ratio={self.max_ratio:g}); not read further",
                source=self.source,
                code="gzip_bomb",
            )


def guarded(stream: BinaryIO, source: str, settings: Settings) -> BinaryIO:
    """``stream`` inflated through :class:`GuardedGzip`."""
    return GuardedGzip(stream, source, settings)  # type: ignore[return-value]


@contextmanager
def open_input(path: Path, settings: Settings) -> Iterator[BinaryIO]:
    """Open a file for reading, inflating it through the guard when it starts with gzip magic."""
    with path.open("rb") as raw:
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            with guarded(raw, str(path), settings) as stream:
                yield stream
        else:
            raw.seek(0)
            yield raw
