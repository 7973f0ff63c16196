"""Story commands: list stories, group new articles, merge two stories, split articles off one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from crosswire.cli.app import (ConfigOption, DbOption, QuietOption, _existing_store, _fail, _reading_store, app, out,
                               writing)
from crosswire.cli.printing import consolidation_text, crosscheck_line
from crosswire.errors import CrosswireError


def _open(config: Path | None, db: str | None):  # type: ignore[no-untyped-def]
    """The settings and the store opened for writing (group, merge, split)."""
    from crosswire.store import Store

    settings = _existing_store(config, "ingest and analyze something first", db=db)
    return settings, Store(settings.db)


def story_line(s: dict) -> str:  # type: ignore[type-arg]
    """One story as a tab-separated line: id, title, articles, outlets, first and last day."""
    outlets = ", ".join(s["outlets"]) or "-"
    return "\t".join([s["id"], s["title"], f"{s['articles']} articles", outlets, s["first"] or "-", s["last"] or "-"])


def related_column(links: list[dict]) -> str:  # type: ignore[type-arg]
    """A story's related stories in one column after its line: each id, the link's kind and why."""
    return "related: " + "; ".join(f"{r['id']} {r['kind']} ({r['reason']})" for r in links)


@app.command()
def stories(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line (with each story's "
                                                          "related stories: id, kind, reason).")] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """List the stories: id, title, number of articles, outlets, first and last date; then, for a story
    with related stories, each one's id, kind (follow-up, split, close) and why."""
    from crosswire.stories import list_stories
    from crosswire.stories.views import related_stories

    try:
        _, store = _reading_store(config, "ingest and analyze something first", db=db)
        with store:
            rows = list_stories(store)
            links = related_stories(store)
    except CrosswireError as exc:
        _fail(exc)
        return
    for s in rows:
        if as_json:
            out.print(json.dumps({**s, "related": links.get(s["id"], [])}, ensure_ascii=False), markup=False,
                      highlight=False)
            continue
        line = story_line(s)
        if links.get(s["id"]):
            line += "\t" + related_column(links[s["id"]])
        out.print(line, markup=False, highlight=False)


@app.command()
def group(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Forget every story and group all articles again "
                                                           "(recorded merges and splits are re-applied).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Group analysed articles that are in no story yet into stories (analyze does this too), then
    cross-check the stories that changed."""
    from crosswire.run import group_and_check

    try:
        settings = _existing_store(config, "ingest and analyze something first", db=db)
        with writing(quiet) as guard:
            summary, checked = group_and_check(guard.open(settings.db), settings, progress=guard.progress,
                                               rebuild=rebuild)
    except CrosswireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps({**summary.to_dict(), "crosscheck": checked.to_dict()}))
        return
    out.print(f"placed {summary.placed}: joined {summary.joined}, new stories {summary.new_stories} "
              f"({summary.related} linked as related), copies {summary.copies}, not placed "
              f"{len(summary.not_placed)}, time {summary.seconds:.2f}s", markup=False, highlight=False)
    out.print(f"  {consolidation_text(summary)}; model {summary.model}", markup=False, highlight=False)
    if summary.previous_model and not rebuild:
        out.print(f"  the stories before this run were grouped under {summary.previous_model}: "
                  "`crosswire group --rebuild` groups every article again under this version", markup=False,
                  highlight=False)
    for n in summary.not_placed:
        out.print(f"  not placed {n['article']}: {n['reason']}: {n['detail']}", markup=False)
    out.print(crosscheck_line(checked), markup=False, highlight=False)


@app.command()
def merge(
    story_a: Annotated[str, typer.Argument(metavar="A", help="The story that stays.")],
    story_b: Annotated[str, typer.Argument(metavar="B", help="The story whose articles move into A.")],
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Merge story B into story A (recorded: later grouping runs keep it)."""
    from crosswire.stories import merge as run_merge

    try:
        _, store = _open(config, db)
        with store:
            kept = run_merge(store, story_a, story_b)
    except CrosswireError as exc:
        _fail(exc)
        return
    out.print(f"merged {story_b} into {kept}", markup=False)


@app.command()
def split(
    story: Annotated[str, typer.Argument(metavar="STORY", help="The story to split.")],
    articles: Annotated[list[str], typer.Argument(metavar="ARTICLE...", help="Articles that leave it.")],
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Move articles (and their copies) out of a story into a new one (recorded)."""
    from crosswire.stories import split as run_split

    try:
        _, store = _open(config, db)
        with store:
            new = run_split(store, story, articles)
    except CrosswireError as exc:
        _fail(exc)
        return
    out.print(f"split {len(articles)} article(s) off {story} into {new}", markup=False)
