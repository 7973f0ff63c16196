"""The demo: every stage run on the corpus shipped in the package, and one page with what it found.

:func:`run_stages` is the whole pipeline (ingest -> analyze -> group -> cross-check), shared by
``crosswire run`` and the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any, BinaryIO

from ..analyze import analyze
from ..config import Settings
from ..crosscheck.story import CrosscheckSummary, crosscheck_changed
from ..models import AnalyzeSummary, IngestSummary
from ..pipeline import ingest
from ..present import ingest_report
from ..present.briefing import CSS, html_page, html_section, story_view
from ..progress import SILENT, Progress
from ..stories import GroupSummary, group_new, list_stories
from ..store import Store


@dataclass
class RunResult:
    """What each stage of :func:`run_stages` did."""

    summary: IngestSummary
    analysis: AnalyzeSummary
    grouping: GroupSummary
    crosscheck: CrosscheckSummary


@dataclass
class DemoResult(RunResult):
    output: Path
    stories: int


def corpus_path() -> Path:
    """Folder of the demo corpus inside the installed package."""
    return Path(str(files("crosswire.demo") / "corpus"))


def run_stages(paths: list[str], store: Store, settings: Settings, *, progress: Progress = SILENT,
               outlet: str | None = None, stdin: BinaryIO | None = None) -> RunResult:
    """Ingest ``paths``, extract the facts of the new articles, group them into stories and
    cross-check the stories that changed."""
    summary = ingest(paths, store, settings, progress=progress, outlet=outlet, stdin=stdin)
    analysis = analyze(store, settings, progress=progress)
    grouping = group_new(store, settings, progress=progress)
    return RunResult(summary, analysis, grouping, crosscheck_changed(store, progress=progress))


def demo_page(title: str, stories: list[dict[str, Any]], views: list[dict[str, Any]],
              ingest: dict[str, Any]) -> str:
    """One self-contained page: an index of the stories, each story's briefing, then what ingest
    found (articles, copies, removed boilerplate, rejections)."""
    index = "".join(
        f'<li><a href="#st{i}-story">{escape(s["title"] or s["id"])}</a> <span class="muted">· {s["articles"]} '
        f'articles · {escape(", ".join(s["outlets"]) or "no outlet")} · {escape(s["first"] or "?")} to '
        f'{escape(s["last"] or "?")}</span></li>' for i, s in enumerate(stories, 1))
    body = (f"<header><h1>{escape(title)}</h1><p>{len(stories)} stories; each briefing cites its sources, "
            "[n] being the n-th article of its source list. Then "
            '<a href="#ingest">what ingest found</a>.</p>'
            f'<nav><ol class="index">{index}</ol></nav></header>'
            + "".join(html_section(v, prefix=f"st{i}-") for i, v in enumerate(views, 1))
            + '<section class="story" id="ingest"><h1>What ingest found</h1>'
            + ingest_report.ingest_section(ingest) + "</section>")
    return html_page(title, body, css=ingest_report.CSS + CSS)


def run_demo(settings: Settings, output: Path, progress: Progress = SILENT) -> DemoResult:
    """Run every stage on the demo corpus into ``settings.db`` and write the page of what was found."""
    with as_file(files("crosswire.demo") / "corpus") as folder, Store(settings.db) as store:
        run = run_stages([str(folder)], store, settings, progress=progress)
        stories = list_stories(store)
        views = [story_view(store, s["id"]) for s in stories]
        html = demo_page("crosswire demo: the stories in the demo corpus", stories, views,
                         ingest_report.ingest_view(store))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return DemoResult(run.summary, run.analysis, run.grouping, run.crosscheck, output, len(stories))
