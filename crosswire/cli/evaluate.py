"""The eval command: score crosswire on an annotated corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crosswire.cli.app import QuietOption, _fail, _progress, app, out
from crosswire.errors import CrosswireError


@app.command("eval")
def evaluate(
    corpus: Annotated[str, typer.Argument(help="ecbplus | gvc | meantime")],
    path: Annotated[Path, typer.Argument(help="The corpus folder, laid out as in ../shared/corpora.")],
    split: Annotated[str, typer.Option(help="train | dev | test | all")] = "test",
    quiet: QuietOption = False,
) -> None:
    """Score crosswire on an annotated corpus; the last lines are `metric value` pairs."""
    from crosswire.evaluate import run_evaluation

    try:
        metrics = run_evaluation(corpus, path, split, progress=_progress(quiet))
    except CrosswireError as exc:
        _fail(exc)
        return
    for name, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue  # error lists and other details are for the library caller, not the metric lines
        out.print(f"{name} {value:.3f}" if isinstance(value, float) else f"{name} {value}")
