"""The demo command: every stage on the shipped demo corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from crosswire.cli.app import ConfigOption, QuietOption, _fail, _progress, _settings, app, out
from crosswire.cli.printing import print_stages
from crosswire.errors import CrosswireError


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
    from crosswire.demo import run_demo

    try:
        settings = _settings(config, db=db or "crosswire-demo.db")
        result = run_demo(settings, output, progress=_progress(quiet))
    except CrosswireError as exc:
        _fail(exc)
        return
    print_stages(result)
    out.print(f"wrote {output}")
