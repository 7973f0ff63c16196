"""The export command: articles, facts or stories in bulk."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from crosswire.cli.app import ConfigOption, DbOption, QuietOption, _fail, _reading_store, app, err
from crosswire.errors import CrosswireError


@app.command()
def export(
    out_path: Annotated[str, typer.Argument(metavar="OUT", help="Output file, or - for stdout.")],
    what: Annotated[str | None, typer.Option(
        "--what", help="articles | facts | stories | story-facts | story-articles (the flat tables of stories' facts and "
                            "articles, joined on story_id; default: articles; stories for gdelt and acled)")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="jsonl | csv | parquet | geojson (stories) | gdelt (stories: GDELT 2.0 event table, "
                         "61 tab-separated columns, no header line, FIPS 10-4 country codes) | acled (stories: "
                         "CSV with ACLED's column names)")] = "jsonl",
    header: Annotated[bool, typer.Option(
        "--header", help="gdelt: write the column names as a first line (GDELT's own files have none)")] = False,
    country_codes: Annotated[str, typer.Option(
        "--country-codes", help="gdelt: fips (FIPS 10-4, as GDELT writes them) | iso (ISO 3166-1 alpha-2)")] = "fips",
    coded_only: Annotated[bool, typer.Option(
        "--coded-only", help="gdelt, acled: leave out stories whose event the scheme has no code for "
                             "(accidents, disasters), each named on stderr")] = False,
    partition: Annotated[str | None, typer.Option(
        "--partition", help="parquet: write OUT as a folder of Parquet files partitioned by publication day "
                            "(day: hive layout OUT/day=YYYY-MM-DD/part-0.parquet; OUT must be new or empty)")] = None,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Export stored articles, facts or stories as JSON Lines, CSV, Parquet (also partitioned by publication
    day), or stories as GeoJSON, GDELT 2.0 event rows or ACLED rows."""
    from crosswire.present.exports import EVENT_TABLES, export as run_export, export_event_table, export_partitioned
    what = what or ("stories" if fmt in EVENT_TABLES else "articles")
    skipped: list[dict[str, Any]] = []
    try:
        _, store = _reading_store(config, db=db)
        with store:
            if partition is not None:
                if fmt != "parquet":
                    raise typer.BadParameter(f"--partition writes Parquet; use --format parquet, not {fmt}")
                n, parts = export_partitioned(store, what, out_path, partition)
                if not quiet:
                    err.print(f"exported {n} {what} to {out_path} in {parts} {partition} partitions",
                              markup=False, highlight=False, soft_wrap=True)
                return
            if fmt in EVENT_TABLES and what == "stories":
                if country_codes not in ("fips", "iso"):
                    raise typer.BadParameter("--country-codes takes fips or iso")
                n = export_event_table(store, fmt, out_path, header=header, codes=country_codes,
                                       uncoded=not coded_only, skipped=skipped)
            else:
                n = run_export(store, what, fmt, out_path)
    except CrosswireError as exc:
        _fail(exc)
        return
    if not quiet:
        err.print(f"exported {n} {what} to {out_path}")
        for s in skipped:
            err.print(f"left out story {s['story']}: {s['reason']}")
