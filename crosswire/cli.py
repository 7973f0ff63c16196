"""The thin command line: parse options, call the library, print what it returns."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar

from . import __version__
from .config import Settings, load_settings
from .errors import CrosswireError, UsageError
from .models import IngestSummary
from .progress import SILENT, Progress

app = typer.Typer(
    name="crosswire",
    help="Cross-check the news: one sourced, cross-checked record per event from many outlets.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, highlight=False)

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
        self.bar.console.print(f"[yellow]{message}[/yellow]", markup=True, highlight=False)

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


def _progress(quiet: bool) -> Progress:
    return SILENT if quiet or not err.is_terminal else RichProgress()


def _fail(exc: CrosswireError) -> None:
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    raise typer.Exit(2 if isinstance(exc, UsageError) else 1)


def print_summary(summary: IngestSummary) -> None:
    out.print(
        f"read {summary.read}, stored {summary.stored}, unchanged {summary.unchanged}, "
        f"duplicates {summary.duplicates}, rejected {len(summary.rejected)}, "
        f"time {summary.seconds:.2f}s"
    )
    for r in summary.rejected:
        out.print(f"  rejected {r.source}: {r.reason}: {r.detail}", markup=False)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, URLs, or - for stdin.")],
    outlet: Annotated[Optional[str], typer.Option(help="Outlet of every input (overrides metadata).")] = None,
    url: Annotated[Optional[str], typer.Option(help="URL of the input (one document).")] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Fetch URLs on private/loopback addresses.")
    ] = False,
    workers: Annotated[Optional[int], typer.Option(help="Worker processes (0 = one per core).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Read news files, clean them, mark copies and store them; print a summary."""
    from .pipeline import ingest as run_ingest
    from .store import Store

    try:
        settings = _settings(config, db=db, allow_private=allow_private or None, workers=workers)
        with Store(settings.db) as store:
            summary = run_ingest(
                paths, store, settings, progress=_progress(quiet), outlet=outlet, url=url,
                stdin=sys.stdin.buffer,
            )
    except CrosswireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps(summary.to_dict()))
    else:
        print_summary(summary)


def print_analyze_summary(summary) -> None:  # type: ignore[no-untyped-def]
    n = summary.analyzed + len(summary.skipped)
    rate = n / summary.seconds if summary.seconds else 0.0
    out.print(
        f"analyzed {summary.analyzed}, skipped {len(summary.skipped)}, facts {summary.facts}, "
        f"publication dates from text {summary.published_from_text}, time {summary.seconds:.2f}s "
        f"({rate:.1f} articles/s)"
    )
    for s in summary.skipped:
        out.print(f"  skipped {s['article']}: {s['reason']}: {s['detail']}", markup=False)


def print_grouping(g) -> None:  # type: ignore[no-untyped-def]
    out.print(f"grouped {g.placed} articles: {g.joined} joined a story, {g.new_stories} new stories, "
              f"{g.copies} copies with their original")


def crosscheck_line(summary) -> str:  # type: ignore[no-untyped-def]
    """What cross-checking did, in one line (failures one per line after it)."""
    line = (f"cross-checked {summary.computed} stories ({summary.unchanged} unchanged, {summary.removed} removed), "
            f"publication days inferred {summary.published_inferred}, failed {len(summary.failed)}, "
            f"time {summary.seconds:.2f}s")
    return "\n".join([line] + [f"  failed {f['story']}: {f['reason']}: {f['detail']}" for f in summary.failed])


def print_stages(result) -> None:  # type: ignore[no-untyped-def]
    """What every stage of a run (ingest, analyze, group, cross-check) did."""
    print_summary(result.summary)
    print_analyze_summary(result.analysis)
    print_grouping(result.grouping)
    out.print(crosscheck_line(result.crosscheck), markup=False, highlight=False)


@app.command()
def analyze(
    workers: Annotated[Optional[int], typer.Option(help="Worker processes (0 = one per core).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Extract the facts of every article not analysed yet, then group them into stories."""
    from .analyze import analyze as run_analyze
    from .stories.group import group_new
    from .store import Store

    try:
        settings = _existing_store(config, db=db, workers=workers)
        with Store(settings.db) as store:
            progress = _progress(quiet)
            summary = run_analyze(store, settings, progress=progress)
            grouped = group_new(store, settings, progress=progress)
    except CrosswireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps({**summary.to_dict(), "grouping": grouped.to_dict()}))
    else:
        print_analyze_summary(summary)
        print_grouping(grouped)


@app.command("eval")
def evaluate(
    corpus: Annotated[str, typer.Argument(help="ecbplus | gvc | meantime")],
    path: Annotated[Path, typer.Argument(help="The corpus folder, laid out as in ../shared/corpora.")],
    split: Annotated[str, typer.Option(help="train | dev | test | all")] = "test",
    quiet: QuietOption = False,
) -> None:
    """Score crosswire on an annotated corpus; the last lines are `metric value` pairs."""
    from .evaluate import run_evaluation

    try:
        metrics = run_evaluation(corpus, path, split, progress=_progress(quiet))
    except CrosswireError as exc:
        _fail(exc)
        return
    for name, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue  # error lists and other details are for the library caller, not the metric lines
        out.print(f"{name} {value:.3f}" if isinstance(value, float) else f"{name} {value}")


@app.command()
def export(
    out_path: Annotated[str, typer.Argument(metavar="OUT", help="Output file, or - for stdout.")],
    what: Annotated[str, typer.Option("--what", help="articles | facts | stories")] = "articles",
    fmt: Annotated[str, typer.Option("--format", help="jsonl | csv | parquet | geojson (stories)")] = "jsonl",
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Export stored articles, facts or stories as JSON Lines, CSV, Parquet (or stories as GeoJSON)."""
    from .present.exports import export as run_export
    from .store import Store

    try:
        settings = _existing_store(config, db=db)
        with Store(settings.db) as store:
            n = run_export(store, what, fmt, out_path)
    except CrosswireError as exc:
        _fail(exc)
        return
    if not quiet:
        err.print(f"exported {n} {what} to {out_path}")


@app.command()
def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="Report file to write.")] = Path(
        "demo-briefing.html"
    ),
    db: Annotated[
        Optional[str], typer.Option("--db", help="SQLite store (default ./crosswire-demo.db).")
    ] = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Run every stage on the demo corpus shipped in the package and write what it found."""
    from .demo import run_demo

    try:
        settings = _settings(config, db=db or "crosswire-demo.db")
        result = run_demo(settings, output, progress=_progress(quiet))
    except CrosswireError as exc:
        _fail(exc)
        return
    print_stages(result)
    out.print(f"wrote {output}")


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


# Story commands (stories, group, merge, split) live in their own module and register on this app.
from . import cli_stories  # noqa: E402,F401
# Briefing commands (show, run) likewise.
from . import cli_briefing  # noqa: E402,F401
