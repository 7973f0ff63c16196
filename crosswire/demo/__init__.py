"""The demo: every stage that exists, run on the corpus shipped in the package."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from ..config import Settings
from ..models import IngestSummary
from ..pipeline import ingest
from ..present.ingest_report import render_ingest_report
from ..progress import SILENT, Progress
from ..store import Store


@dataclass
class DemoResult:
    summary: IngestSummary
    output: Path


def corpus_path() -> Path:
    """Folder of the demo corpus inside the installed package."""
    return Path(str(files("crosswire.demo") / "corpus"))


def run_demo(settings: Settings, output: Path, progress: Progress = SILENT) -> DemoResult:
    """Ingest the demo corpus into ``settings.db`` and write the report of what was found."""
    with as_file(files("crosswire.demo") / "corpus") as folder, Store(settings.db) as store:
        summary = ingest([str(folder)], store, settings, progress=progress)
        html = render_ingest_report(store, title="crosswire demo: what ingest found")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return DemoResult(summary, output)
