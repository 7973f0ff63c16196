"""The whole pipeline in one call: ingest -> analyze -> group -> cross-check.

Shared by ``crosswire run`` and the demo; each stage's own summary is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from crosswire.extract.analyze import analyze
from crosswire.config import Settings
from crosswire.crosscheck.story import CrosscheckSummary, crosscheck_changed
from crosswire.models import AnalyzeSummary, IngestSummary
from crosswire.ingest.pipeline import ingest
from crosswire.progress import SILENT, Progress
from crosswire.stories import GroupSummary, group_new
from crosswire.store import Store


@dataclass
class RunResult:
    """What each stage of :func:`run_stages` did."""

    summary: IngestSummary
    analysis: AnalyzeSummary
    grouping: GroupSummary
    crosscheck: CrosscheckSummary


def run_stages(paths: list[str], store: Store, settings: Settings, *, progress: Progress = SILENT,
               outlet: str | None = None, stdin: BinaryIO | None = None) -> RunResult:
    """Ingest ``paths``, extract the facts of the new articles, group them into stories and
    cross-check the stories that changed."""
    summary = ingest(paths, store, settings, progress=progress, outlet=outlet, stdin=stdin)
    analysis = analyze(store, settings, progress=progress)
    grouping = group_new(store, settings, progress=progress)
    return RunResult(summary, analysis, grouping, crosscheck_changed(store, progress=progress))
