"""The export command: articles, facts or stories in bulk."""

from __future__ import annotations

from typing import Annotated

import typer

from crosswire.cli.app import ConfigOption, DbOption, QuietOption, _fail, _reading_store, app, err
from crosswire.errors import CrosswireError


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
    from crosswire.present.exports import export as run_export
    try:
        _, store = _reading_store(config, db=db)
        with store:
            n = run_export(store, what, fmt, out_path)
    except CrosswireError as exc:
        _fail(exc)
        return
    if not quiet:
        err.print(f"exported {n} {what} to {out_path}")
