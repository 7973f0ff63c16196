"""The whole pipeline in one call: ingest -> analyze -> group -> cross-check.

Shared by ``crosswire run`` and the demo; each stage's own summary is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from crosswire.extract.analyze import analyze
from crosswire.config import Settings
from crosswire.crosscheck.story import CrosscheckSummary, crosscheck_changed
from crosswire.models import AnalyzeSummary, IngestSummary
from crosswire.ingest.pipeline import ingest
from crosswire.progress import SILENT, Progress
from crosswire.scale import engine_for
from crosswire.stories import GroupSummary, group_new, regroup
from crosswire.store import Store


@dataclass
class RunResult:
    """What each stage of :func:`run_stages` did."""

    summary: IngestSummary
    analysis: AnalyzeSummary
    grouping: GroupSummary
    crosscheck: CrosscheckSummary


@dataclass
class _GroupRecord:
    grouping: GroupSummary
    crosscheck: CrosscheckSummary

    def to_dict(self) -> dict[str, Any]:
        return {**self.grouping.to_dict(), "crosscheck": self.crosscheck.to_dict()}


def group_and_check(store: Store, settings: Settings, *, progress: Progress = SILENT,
                    rebuild: bool = False) -> tuple[GroupSummary, CrosscheckSummary]:
    """Group the analysed articles into stories (all again when ``rebuild``) and cross-check the
    stories that changed, recorded as one run ``group`` (finished, or interrupted/failed by its caller)."""
    run_id = store.start_run("group")
    grouping = (regroup if rebuild else group_new)(store, settings, progress=progress)
    checked = crosscheck_changed(store, progress=progress)
    store.finish_run(run_id, _GroupRecord(grouping, checked))
    return grouping, checked


def run_stages(paths: list[str], store: Store, settings: Settings, *, progress: Progress = SILENT,
               outlet: str | None = None, stdin: BinaryIO | None = None) -> RunResult:
    """Ingest ``paths``, extract the facts of the new articles, group them into stories and
    cross-check the stories that changed. When ``settings`` ask for the Dask engine, one cluster
    (connected or started here) serves both ingest and analysis and is closed before grouping."""
    with engine_for(settings, progress=progress) as engine:
        summary = ingest(paths, store, settings, progress=progress, outlet=outlet, stdin=stdin, engine=engine)
        analysis = analyze(store, settings, progress=progress, engine=engine)
    grouping, checked = group_and_check(store, settings, progress=progress)
    return RunResult(summary, analysis, grouping, checked)
