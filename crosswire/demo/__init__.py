"""The demo: every stage that exists, run on the corpus shipped in the package."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from ..analyze import analyze
from ..config import Settings
from ..models import AnalyzeSummary, IngestSummary
from ..pipeline import ingest
from ..present.ingest_report import render_ingest_report
from ..progress import SILENT, Progress
from ..store import Store


@dataclass
class DemoResult:
    summary: IngestSummary
    output: Path
    analysis: AnalyzeSummary


def corpus_path() -> Path:
    """Folder of the demo corpus inside the installed package."""
    return Path(str(files("crosswire.demo") / "corpus"))


def run_demo(settings: Settings, output: Path, progress: Progress = SILENT) -> DemoResult:
    """Ingest and analyse the demo corpus into ``settings.db`` and write the report of what was found."""
    with as_file(files("crosswire.demo") / "corpus") as folder, Store(settings.db) as store:
        summary = ingest([str(folder)], store, settings, progress=progress)
        analysis = analyze(store, settings, progress=progress)
        html = render_ingest_report(store, title="crosswire demo: what ingest and analysis found")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return DemoResult(summary, output, analysis)
