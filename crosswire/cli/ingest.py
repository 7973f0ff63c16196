"""Ingest and analyze commands."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from crosswire.cli.app import (ClusterOption, ConfigOption, DbOption, EngineOption, LanguagesOption, QuietOption,
                               SinceOption, UntilOption, _existing_store, _fail, _settings, app, out, writing)
from crosswire.cli.printing import crosscheck_line, print_analyze_summary, print_grouping, print_summary
from crosswire.errors import CrosswireError


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, URLs, or - for stdin.")],
    outlet: Annotated[Optional[str], typer.Option(help="Outlet of every input (overrides metadata).")] = None,
    url: Annotated[Optional[str], typer.Option(help="URL of the input (one document).")] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Fetch URLs on private/loopback addresses.")
    ] = False,
    workers: Annotated[Optional[int], typer.Option(help="Worker processes (0 = one per core).")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    languages: LanguagesOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Read news files, clean them, mark copies and store them; print a summary."""
    from crosswire.ingest.pipeline import ingest as run_ingest

    try:
        settings = _settings(config, db=db, allow_private=allow_private or None, workers=workers, since=since,
                             until=until, languages=languages)
        with writing(quiet) as guard:
            summary = run_ingest(
                paths, guard.open(settings.db), settings, progress=guard.progress, outlet=outlet, url=url,
                stdin=sys.stdin.buffer,
            )
    except CrosswireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps(summary.to_dict()))
    else:
        print_summary(summary)


@app.command()
def analyze(
    workers: Annotated[Optional[int], typer.Option(help="Worker processes (0 = one per core).")] = None,
    engine: EngineOption = None,
    cluster: ClusterOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Extract the facts of every article not analysed yet, group them into stories and cross-check
    the stories that changed."""
    from crosswire.extract.analyze import analyze as run_analyze
    from crosswire.run import group_and_check

    try:
        settings = _existing_store(config, db=db, workers=workers, engine=engine, cluster=cluster)
        with writing(quiet) as guard:
            store = guard.open(settings.db)
            summary = run_analyze(store, settings, progress=guard.progress)
            grouped, checked = group_and_check(store, settings, progress=guard.progress)
    except CrosswireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps({**summary.to_dict(), "grouping": grouped.to_dict(), "crosscheck": checked.to_dict()}))
    else:
        print_analyze_summary(summary)
        print_grouping(grouped)
        out.print(crosscheck_line(checked), markup=False, highlight=False)
