"""What each stage did, printed as one short block per stage."""

from __future__ import annotations

from crosswire.cli.app import out
from crosswire.models import IngestSummary


def print_summary(summary: IngestSummary) -> None:
    out.print(
        f"read {summary.read}, stored {summary.stored}, unchanged {summary.unchanged}, "
        f"duplicates {summary.duplicates}, rejected {len(summary.rejected)}, "
        + (f"metadata updated {summary.updated}, " if summary.updated else "")
        + f"time {summary.seconds:.2f}s"
    )
    for u in summary.updates:
        changed = "; ".join(f"{f} {c['old']!r} -> {c['new']!r}" for f, c in u["changes"].items())
        out.print(f"  updated {u['article']} from {u['source']}: {changed}", markup=False)
    for r in summary.rejected:
        out.print(f"  rejected {r.source}: {r.reason}: {r.detail}", markup=False)
    for w in summary.warnings:
        out.print(f"  notice {w.source}: {w.reason}: {w.detail}", markup=False)


def print_analyze_summary(summary) -> None:  # type: ignore[no-untyped-def]
    n = summary.analyzed + len(summary.skipped)
    rate = n / summary.seconds if summary.seconds else 0.0
    out.print(
        f"analyzed {summary.analyzed}, skipped {len(summary.skipped)}, facts {summary.facts}, "
        f"publication dates from text {summary.published_from_text}, time {summary.seconds:.2f}s "
        f"({rate:.1f} articles/s)"
    )
    for s in summary.skipped:
        out.print(f"  skipped {s['article']}: {s['reason']}: {s['detail']}", markup=False)


def consolidation_text(g) -> str:  # type: ignore[no-untyped-def]
    """What the grouping run's consolidation pass changed (:mod:`crosswire.stories.consolidate`)."""
    return (f"consolidation: split {g.split} stories, merged {g.merged} into another, "
            f"moved {g.moved} articles")


def print_grouping(g) -> None:  # type: ignore[no-untyped-def]
    out.print(f"grouped {g.placed} articles: {g.joined} joined a story, {g.new_stories} new stories "
              f"({g.related} linked as related), {g.copies} copies with their original; {consolidation_text(g)}",
              markup=False, highlight=False)


def crosscheck_line(summary) -> str:  # type: ignore[no-untyped-def]
    """What cross-checking did, in one line (failures one per line after it)."""
    line = (f"cross-checked {summary.computed} stories ({summary.unchanged} unchanged, {summary.removed} removed), "
            f"publication days inferred {summary.published_inferred}, failed {len(summary.failed)}, "
            f"time {summary.seconds:.2f}s")
    return "\n".join([line] + [f"  failed {f['story']}: {f['reason']}: {f['detail']}" for f in summary.failed])


def print_stages(result) -> None:  # type: ignore[no-untyped-def]
    """What every stage of a run (ingest, analyze, group, cross-check) did."""
    print_summary(result.summary)
    print_analyze_summary(result.analysis)
    print_grouping(result.grouping)
    out.print(crosscheck_line(result.crosscheck), markup=False, highlight=False)
