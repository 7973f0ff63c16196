"""Evaluations on the annotated corpora laid out as in ../shared/corpora (see its README)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..progress import SILENT, Progress

CORPORA = ("gvc", "meantime")
_MARKERS = {"gvc": "documents.jsonl", "meantime": "intra_cross-doc_annotation"}


def corpus_folder(corpus: str, path: Path) -> Path:
    """The corpus's own folder: ``path`` itself, or ``path/<corpus>`` when given the corpora root."""
    for candidate in (path, path / corpus):
        if (candidate / _MARKERS[corpus]).exists():
            return candidate
    raise UsageError(
        f"{path} does not hold the {corpus} corpus (no {_MARKERS[corpus]} in it or in {path / corpus}); "
        "give the corpus folder laid out as in ../shared/corpora"
    )


def run_evaluation(corpus: str, path: Path, split: str = "test", *, progress: Progress = SILENT) -> dict[str, Any]:
    """Metrics of one corpus evaluation, in the order the CLI prints them."""
    if corpus not in CORPORA:
        raise UsageError(f"unknown corpus {corpus!r}; evaluations: {', '.join(CORPORA)}")
    folder = corpus_folder(corpus, path)
    try:
        if corpus == "meantime":
            from .meantime import evaluate_meantime

            return evaluate_meantime(folder, {"train": "dev"}.get(split, split))
        from .gvc import evaluate_gvc_facts

        return evaluate_gvc_facts(folder, split)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
