"""The demo: every stage run on the corpus shipped in the package, and one page with what it found."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from crosswire.config import Settings
from crosswire.present import ingest_report
from crosswire.present.briefing import CSS, html_page, html_section, story_view
from crosswire.progress import SILENT, Progress
from crosswire.run import RunResult, run_stages
from crosswire.stories import list_stories
from crosswire.store import Store


@dataclass
class DemoResult(RunResult):
    output: Path
    stories: int


def corpus_path() -> Path:
    """Folder of the demo corpus inside the installed package."""
    return Path(str(files("crosswire.demo") / "corpus"))


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
