"""Progress reporting: library code reports through an object passed in, silent by default."""

from __future__ import annotations


class Progress:
    """Silent progress; the CLI passes a Rich-backed subclass."""

    def start(self, description: str, total: int | None = None) -> None:
        """A new phase begins (total may be unknown)."""

    def advance(self, n: int = 1) -> None:
        """n more items done in the current phase."""

    def note(self, message: str) -> None:
        """A one-line remark worth showing (a rejected file, say)."""

    def stop(self) -> None:
        """The run is over."""


SILENT = Progress()
