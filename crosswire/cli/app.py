"""The thin command line: parse options, call the library, print what it returns."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import click
import typer
from typer.core import TyperGroup
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar

from crosswire import __version__
from crosswire.config import Settings, load_settings
from crosswire.errors import CrosswireError, UsageError
from crosswire.present.safe import terminal_text
from crosswire.progress import SILENT, Progress

if TYPE_CHECKING:
    from crosswire.store import Store


class Interrupted(KeyboardInterrupt):
    """SIGINT (Ctrl-C) or SIGTERM arrived while a command ran; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_current_db: str | None = None  # the store the running command uses: named in errors about it


class SafeGroup(TyperGroup):
    """The last net under every command: an SQLite failure, a file that cannot be written or an
    interruption becomes one clear line on stderr and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:  # a reading command (writing ones end in `writing`)
            signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
            err.print(f"interrupted by {signal.Signals(signum).name}; nothing was written", markup=False,
                      highlight=False)
            raise typer.Exit(128 + signum) from None
        except sqlite3.Error as exc:
            from crosswire.store.sqlite import store_error

            _fail(store_error(exc, _current_db or "the store", "reading it"))
        except OSError as exc:
            if exc.filename is None or isinstance(exc, BrokenPipeError):
                raise
            reason = "it is a folder; give a file name" if isinstance(exc, IsADirectoryError) else exc.strerror
            _fail(CrosswireError(f"cannot use this path: {reason}", source=str(exc.filename)))


app = typer.Typer(
    cls=SafeGroup,
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
EngineOption = Annotated[Optional[str], typer.Option(
    "--engine", help="processes (default: a process pool here) | dask (a local Dask cluster of --workers "
                     "processes started for the run, or the scheduler given by --cluster).")]
SinceOption = Annotated[Optional[str], typer.Option(
    "--since", metavar="YYYY-MM-DD", help="Keep only articles published on or after this day (undated ones are kept).")]
UntilOption = Annotated[Optional[str], typer.Option(
    "--until", metavar="YYYY-MM-DD", help="Keep only articles published on or before this day (undated ones are kept).")]
LanguagesOption = Annotated[Optional[str], typer.Option(
    "--languages", metavar="LANG,...", help="Keep only articles in these languages (e.g. en,fr); others are rejected.")]
ClusterOption = Annotated[Optional[str], typer.Option(
    "--cluster", metavar="ADDRESS", help="Run ingest and analysis on the existing Dask scheduler at "
                                         "ADDRESS (tcp://HOST:PORT).")]


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
        self.bar.start()  # again after a stage before stopped it (a no-op while it shows)
        self.task = self.bar.add_task(description, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)

    def note(self, message: str) -> None:
        self.bar.console.print(f"[yellow]{escape(terminal_text(message))}[/yellow]", markup=True, highlight=False)

    def stop(self) -> None:
        self.bar.stop()


def _settings(config: Path | None, **flags: object) -> Settings:
    global _current_db
    settings = load_settings(config, **flags)
    _current_db = str(settings.db)
    return settings


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


def _interrupt(signum: int, frame: object) -> None:
    from crosswire.workers import stop_workers

    stop_workers()
    for sig in (signal.SIGINT, signal.SIGTERM):  # the first signal is being handled; a second one forces
        signal.signal(sig, _force)
    raise Interrupted(signum)


def _force(signum: int, frame: object) -> None:
    """A second SIGINT or SIGTERM while the first is handled: end now, as kill -9 would (every commit is
    atomic; the next open closes the run as 'interrupted')."""
    os._exit(128 + signum)


# what a run keeps, counted before and after it: articles stored, analyses saved, story placements
KEPT = (("new articles", "SELECT count(*) FROM article_records"),
        ("article analyses", "SELECT count(*) FROM analyses"),
        ("story placements", "SELECT count(*) FROM story_articles"))


class Guard:
    """What :func:`writing` hands a command: its progress display and the store it opens."""

    def __init__(self, quiet: bool) -> None:
        self.progress = _progress(quiet)
        self.store: "Store | None" = None
        self.before: list[int] = []

    def open(self, path: str) -> "Store":
        """Open the store at ``path`` for writing; the guard closes it."""
        from crosswire.store import Store

        self.store = Store(path)
        self.before = self._counts()
        return self.store

    def _counts(self) -> list[int]:
        assert self.store is not None
        return [int(self.store.conn.execute(sql).fetchone()[0]) for _, sql in KEPT]

    def kept(self) -> str:
        """What was committed since the store was opened, in words."""
        if self.store is None or not self.before:
            return "nothing was written"
        try:
            if self.store.conn.in_transaction:
                self.store.conn.execute("ROLLBACK")
            after = self._counts()
        except sqlite3.Error:
            return "what was committed before the stop is kept"
        return "kept " + ", ".join(f"{a - b} {what}" for (what, _), a, b in zip(KEPT, after, self.before))

    def close_runs(self, status: str, detail: str) -> None:
        if self.store is not None:
            self.store.close_runs(status, detail)


@contextmanager
def writing(quiet: bool) -> Iterator[Guard]:
    """Around a writing command (ingest, analyze, run, group). SIGINT and SIGTERM end it cleanly: the
    write transaction in progress is rolled back (every batch before it stays committed), the worker
    processes end, the progress display stops and the terminal is restored, the run is recorded
    'interrupted', one line on stderr says what was kept and that a re-run continues, and the exit
    code is 130 (SIGINT) or 143 (SIGTERM). A store failure (disk full, corrupt) becomes a clear error
    and the run is recorded 'failed'."""
    from crosswire.store.sqlite import store_error

    handlers = {}
    if threading.current_thread() is threading.main_thread():
        handlers = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    guard = Guard(quiet)
    try:
        yield guard
    except Interrupted as exc:
        guard.progress.stop()
        name = signal.Signals(exc.signum).name
        guard.close_runs("interrupted", f"stopped by {name}")
        err.print(f"interrupted by {name}: {guard.kept()} (the batch in progress was rolled back); run the same "
                  "command again to continue", markup=False, highlight=False, soft_wrap=True)
        _end_now_if_abandoned(guard, 128 + exc.signum)
        raise typer.Exit(128 + exc.signum) from None
    except sqlite3.Error as exc:
        guard.progress.stop()
        error = store_error(exc, guard.store.path if guard.store else str(_current_db), "writing it")
        guard.close_runs("failed", str(error))
        raise error from None
    except click.exceptions.Exit:
        raise
    except Exception as exc:
        guard.progress.stop()
        guard.close_runs("failed", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        guard.progress.stop()
        try:
            if guard.store is not None:
                guard.store.close()
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)


def _end_now_if_abandoned(guard: Guard, code: int) -> None:
    """End the process at once when an interrupted worker pool was abandoned (see
    :func:`crosswire.workers.abandoned`): the store is closed and the output flushed first."""
    from crosswire.workers import abandoned, end_pools

    end_pools()
    if not abandoned():
        return
    if guard.store is not None:
        guard.store.close()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


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
