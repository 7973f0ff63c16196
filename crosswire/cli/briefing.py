"""Briefing commands: show one story's briefing, and run the whole pipeline on some inputs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from crosswire.cli.app import (ClusterOption, ConfigOption, DbOption, EngineOption, LanguagesOption, QuietOption,
                               SinceOption, UntilOption, _fail, _reading_store, _settings, app, err, out, writing)
from crosswire.cli.printing import print_stages
from crosswire.cli.stories import story_line
from crosswire.present.safe import terminal_text
from crosswire.errors import CrosswireError, UsageError

FORMATS = ("md", "html", "json")


def find_story(store, ref: str) -> str:  # type: ignore[no-untyped-def]
    """The story ``ref`` names: its position in ``crosswire stories`` (1 = first line), its id, or a
    unique prefix of its id (6+ characters)."""
    from crosswire.stories import list_stories, resolve_story

    if not ref.isdigit():
        return resolve_story(store, ref)
    rows = list_stories(store)
    if 1 <= int(ref) <= len(rows):
        return rows[int(ref) - 1]["id"]
    try:
        return resolve_story(store, ref)
    except UsageError:
        raise UsageError(f"no story {ref!r}: `crosswire stories` lists {len(rows)}; give a position from 1 to "
                         f"{len(rows)}, an id or a unique id prefix") from None


def briefing(store, ref: str, fmt: str) -> str:  # type: ignore[no-untyped-def]
    """The briefing of the story ``ref`` names, rendered as ``md``, ``html`` or ``json`` (with the
    reviews of its conflicts, :mod:`crosswire.crosscheck.reviews`, when it has any)."""
    from crosswire.crosscheck.reviews import with_reviews
    from crosswire.present.briefing import render_html, render_json, render_markdown, story_view

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    render = {"md": render_markdown, "html": render_html, "json": render_json}[fmt]
    view = with_reviews(store, story_view(store, find_story(store, ref)))
    return render(view)


@app.command()
def show(
    story: Annotated[str, typer.Argument(metavar="STORY", help="Story id, unique id prefix, or position in "
                                                               "`crosswire stories` (1 = first).")],
    fmt: Annotated[str, typer.Option("--format", help="md | html | json")] = "md",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file, not stdout.")] = None,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """The briefing of one story: facts with their status and sources, the fact x outlet matrix,
    timeline, map, quotes and checks; every sentence cites its articles."""
    try:
        _, store = _reading_store(config, "run `crosswire run PATH...` first", db=db)
        with store:
            text = briefing(store, story, fmt)
    except CrosswireError as exc:
        _fail(exc)
        return
    if fmt == "md":  # read in terminals and pagers: no control characters from the articles
        text = terminal_text(text)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    if not quiet:
        err.print(f"wrote {output}", markup=False, highlight=False)


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, URLs, or - for stdin.")],
    outlet: Annotated[Optional[str], typer.Option(help="Outlet of every input (overrides metadata).")] = None,
    workers: Annotated[Optional[int], typer.Option(help="Worker processes (0 = one per core).")] = None,
    engine: EngineOption = None,
    cluster: ClusterOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    languages: LanguagesOption = None,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Ingest, analyze, group and cross-check; print what each stage did, then the stories (as
    `crosswire stories`)."""
    from crosswire.run import run_stages
    from crosswire.stories import list_stories

    try:
        settings = _settings(config, db=db, workers=workers, engine=engine, cluster=cluster, since=since, until=until,
                             languages=languages)
        with writing(quiet) as guard:
            store = guard.open(settings.db)
            result = run_stages(paths, store, settings, progress=guard.progress, outlet=outlet,
                                stdin=sys.stdin.buffer)
            stories = list_stories(store)
    except CrosswireError as exc:
        _fail(exc)
        return
    print_stages(result)
    for s in stories:
        out.print(story_line(s), markup=False, highlight=False)


