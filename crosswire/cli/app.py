"""The thin command line: parse options, call the library, print what it returns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar

from crosswire import __version__
from crosswire.config import Settings, load_settings
from crosswire.errors import CrosswireError, UsageError
from crosswire.present.safe import terminal_text
from crosswire.progress import SILENT, Progress

app = typer.Typer(
    name="crosswire",
    help="Cross-check the news: one sourced, cross-checked record per event from many outlets.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
class SafeConsole(Console):
    """A Rich console that never prints control characters from the data (see present/safe.py)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().print(*(terminal_text(o) if isinstance(o, str) else o for o in objects), **kwargs)


out = SafeConsole(soft_wrap=True, highlight=False)
err = SafeConsole(stderr=True, highlight=False)

DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLite store (default ./crosswire.db).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]
ConfigOption = Annotated[
    Optional[Path], typer.Option("--config", help="TOML settings file (default ./crosswire.toml).")
]


class RichProgress(Progress):
    """Progress on stderr with Rich: a bar per phase, rejections as notes."""

    def __init__(self) -> None:
        self.bar = RichBar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self.task: int | None = None
        self.bar.start()

    def start(self, description: str, total: int | None = None) -> None:
        self.task = self.bar.add_task(description, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)

    def note(self, message: str) -> None:
        self.bar.console.print(f"[yellow]{escape(terminal_text(message))}[/yellow]", markup=True, highlight=False)

    def stop(self) -> None:
        self.bar.stop()


def _settings(config: Path | None, **flags: object) -> Settings:
    return load_settings(config, **flags)


def _existing_store(config: Path | None, first: str = "ingest something first", **flags: object) -> Settings:
    """The settings, once the store they name is known to exist (reading commands never create one)."""
    settings = _settings(config, **flags)
    if not Path(settings.db).exists():
        raise UsageError(f"no store at {settings.db}; {first} or pass --db")
    return settings


def _reading_store(config: Path | None, first: str = "ingest something first", **flags: object):  # type: ignore[no-untyped-def]
    """The settings and the store they name opened read-only: a reading command never writes it."""
    from crosswire.store import Store

    settings = _existing_store(config, first, **flags)
    return settings, Store.open_read(settings.db)


def _progress(quiet: bool) -> Progress:
    return SILENT if quiet or not err.is_terminal else RichProgress()


def _fail(exc: CrosswireError) -> None:
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False, soft_wrap=True)  # a path stays whole
    raise typer.Exit(2 if isinstance(exc, UsageError) else 1)


def _version(value: bool) -> None:
    if value:
        out.print(f"crosswire {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """crosswire reads many outlets' reports and gives one sourced, cross-checked record per event."""


def main() -> None:
    app()
