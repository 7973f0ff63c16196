"""The article command: print one article's metadata and its correction history, or fix it by hand."""

from __future__ import annotations

import getpass
import json
from typing import Annotated, Any, Optional

import typer

from crosswire.cli.app import (ConfigOption, DbOption, QuietOption, _existing_store, _fail, _progress, _reading_store,
                               app, out)
from crosswire.cli.printing import crosscheck_line
from crosswire.errors import CrosswireError


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"


def _show(value: Any) -> str:
    if value is None or value == []:
        return "-"
    return ", ".join(value) if isinstance(value, list) else str(value)


def article_lines(record: dict[str, Any]) -> list[str]:
    """One article's metadata and history as printed lines."""
    outlet = record["outlet_record"]
    lines = [
        f"article {record['id']}: {record['title']}",
        f"  outlet     {_show(record['outlet'])}" + (f" (key {outlet['key']}, {outlet['articles']} article{'s' * (outlet['articles'] != 1)}; "
                                                      f"this article's own value {_show(record['outlet_given'])})"
                                                      if outlet else ""),
        f"  url        {_show(record['url'])}",
        f"  authors    {_show(record['authors'])}",
        f"  published  {_show(record['published'])}" + (f" ({record['published_source']})"
                                                         if record["published_source"] else ""),
        f"  language   {_show(record['language'])}",
        f"  source     {record['source']} (ingested {record['ingested_at']})",
        f"  copy of    {_show(record['duplicate_of'])}",
        f"  facts      {record['facts']}; stories {_show(record['stories'])}",
        "  as ingested: " + "; ".join(f"{k} {_show(v)}" for k, v in record["ingested"].items()),
    ]
    if not record["corrections"]:
        lines.append("  corrections: none")
    for c in record["corrections"]:
        by = f"by {c['who']}" if c["origin"] == "manual" else f"re-ingested from {c['source']}"
        lines.append(f"  correction {c['id']} {c['created_at']} {by}: {c['field']} {_show(c['previous'])!r} -> "
                     f"{c['value']!r}")
    return lines


@app.command()
def article(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id, or a unique id prefix (6+ characters).")],
    outlet: Annotated[Optional[str], typer.Option(help="Set the article's outlet (a name or a domain).")] = None,
    published: Annotated[Optional[str], typer.Option(help="Set its publication date (ISO 8601).")] = None,
    url: Annotated[Optional[str], typer.Option(help="Set its URL.")] = None,
    author: Annotated[Optional[list[str]], typer.Option(help="Set its authors (repeat for each).")] = None,
    by: Annotated[Optional[str], typer.Option(help="Who makes the correction (default: the login name).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Print one article's metadata and the history of its corrections; with --outlet, --published,
    --url or --author, fix them by hand (recorded, kept by later re-ingests; the article keeps its id
    and facts, and its stories are cross-checked again)."""
    from crosswire.ingest.metadata import article_record, fix_metadata

    fixing = outlet is not None or published is not None or url is not None or author is not None
    try:
        if not fixing:
            _, store = _reading_store(config, db=db)
            with store:
                record = article_record(store, article_id)
            if as_json:
                out.print_json(json.dumps(record, ensure_ascii=False))
            else:
                for line in article_lines(record):
                    out.print(line, markup=False, highlight=False)
            return
        from crosswire.crosscheck.story import crosscheck_changed
        from crosswire.store import Store

        settings = _existing_store(config, db=db)
        with Store(settings.db) as store:
            result = fix_metadata(store, article_id, outlet=outlet, published=published, url=url, authors=author,
                                  who=by or _who())
            checked = crosscheck_changed(store, progress=_progress(quiet)) if result["stories"] else None
    except CrosswireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps({**result, "crosscheck": checked.to_dict() if checked else None}, ensure_ascii=False))
        return
    if not result["changed"]:
        out.print(f"article {result['article']}: nothing changed (it already has those values)", markup=False)
        return
    for field, c in result["changed"].items():
        out.print(f"article {result['article']}: {field} {_show(c['old'])!r} -> {_show(c['new'])!r}", markup=False)
    if checked is not None:
        out.print(f"stories checked again: {', '.join(result['stories'])}", markup=False)
        out.print(crosscheck_line(checked), markup=False, highlight=False)
