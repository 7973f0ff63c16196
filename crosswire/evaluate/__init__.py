"""Evaluations on the annotated corpora laid out as in ../shared/corpora (see its README).

``gvc`` and ``ecbplus`` run the split through ``crosswire run`` (the same stages, default settings,
a fresh store; cached under the temp folder, keyed by the documents and every product source file)
and score only the story records ``crosswire export --what stories`` gives. ``crosswire eval gvc``
prints the incident facts of each incident's story (date, city, state, killed, injured accuracy),
the grouping of articles into incidents (B-cubed and pairwise P/R/F1) and the precision of the
record's ``corroborated`` and ``conflict`` statuses; ``ecbplus`` the grouping of documents into
events; ``meantime`` time expressions (span F1, value accuracy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crosswire.errors import UsageError
from crosswire.progress import SILENT, Progress

CORPORA = ("ecbplus", "gvc", "meantime")
_MARKERS = {"gvc": "documents.jsonl", "ecbplus": "documents.jsonl", "meantime": "intra_cross-doc_annotation"}


def corpus_folder(corpus: str, path: Path) -> Path:
    """The corpus's own folder: ``path`` itself, or ``path/<corpus>`` when given the corpora root."""
    for candidate in (path / corpus, path):
        if (candidate / _MARKERS[corpus]).exists() and (candidate.name == corpus or candidate == path):
            return candidate
    raise UsageError(
        f"{path} does not hold the {corpus} corpus (no {_MARKERS[corpus]} in it or in {path / corpus}); "
        "give the corpus folder laid out as in ../shared/corpora"
    )


def _prefixed(prefix: str, metrics: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}{k}" if not k.startswith(prefix) else k: v for k, v in metrics.items()}


def run_evaluation(corpus: str, path: Path, split: str = "test", *, progress: Progress = SILENT) -> dict[str, Any]:
    """Metrics of one corpus evaluation, in the order the CLI prints them."""
    if corpus not in CORPORA:
        raise UsageError(f"unknown corpus {corpus!r}; evaluations: {', '.join(CORPORA)}")
    folder = corpus_folder(corpus, path)
    try:
        if corpus == "meantime":
            from crosswire.evaluate.meantime import evaluate_meantime

            return evaluate_meantime(folder, {"train": "dev"}.get(split, split))
        if corpus == "ecbplus":
            from crosswire.evaluate.ecbplus import evaluate_ecbplus

            return evaluate_ecbplus(folder, split, progress=progress)
        from crosswire.evaluate.gvc import evaluate_gvc_facts
        from crosswire.evaluate.gvc_crosscheck import evaluate_gvc_crosscheck
        from crosswire.evaluate.gvc_stories import evaluate_gvc_stories, run_gvc

        run = run_gvc(folder, split, progress=progress)  # one run of the product, scored three ways
        metrics = evaluate_gvc_facts(folder, split, run=run)
        metrics.update(evaluate_gvc_stories(folder, split, run=run))
        metrics.update(evaluate_gvc_crosscheck(folder, split, run=run))
        return metrics
    except ValueError as exc:
        raise UsageError(str(exc)) from None
