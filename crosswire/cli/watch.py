"""The watch and sources commands: follow feeds, sitemaps, URL lists and folders; raise alerts (issue 14)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from crosswire.cli.app import ConfigOption, DbOption, QuietOption, _fail, _reading_store, _settings, app, err, out, writing
from crosswire.errors import CrosswireError


@app.command()
def watch(
    sources: Annotated[Path, typer.Argument(metavar="SOURCES.toml", help="The sources to follow: source tables "
                                                                          "(url, every, kind) and watch options.")],
    once: Annotated[bool, typer.Option("--once", help="Poll every source one time, then exit (for cron).")] = False,
    rules: Annotated[Optional[Path], typer.Option("--rules", help="RULES.toml: alert rules and webhook sinks "
                                                                  "(default: those in SOURCES.toml).")] = None,
    alerts: Annotated[Optional[Path], typer.Option("--alerts", help="Append each alert as a JSON line to this "
                                                                    "file (alerts are also printed on stdout).")] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Fetch URLs on private/loopback addresses.")
    ] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Follow RSS/Atom feeds, news sitemaps, URL lists and folders, each at its own interval: every new
    item goes through the whole pipeline in small batches, the rules are evaluated on the stories that
    changed, and each alert is printed as one JSON line (once per story and change). A line per poll on
    stderr; Ctrl+C or SIGTERM stops it (a re-run goes on where it stopped)."""
    from crosswire.watch.loop import Watcher

    try:
        plan = watch_plan(sources, rules, alerts, quiet)
        settings = _settings(config, db=db, allow_private=allow_private or None)
        with writing(True) as guard:
            store = guard.open(settings.db)
            summary = Watcher(store, settings, plan.sources, plan.rules, plan.sinks, on_poll=plan.on_poll).run(once=once)
    except CrosswireError as exc:
        _fail(exc)
        return
    if not quiet:
        err.print(f"polls {summary.polls} ({summary.not_modified} not modified, {summary.errors} failed), new items "
                  f"{summary.new_items} (stored {summary.stored}, rejected {summary.rejected}), stories changed "
                  f"{summary.stories_changed}, alerts {summary.alerts}, time {summary.seconds:.1f}s",
                  markup=False, highlight=False, soft_wrap=True)


def watch_plan(sources: Path, rules: Path | None, alerts: Path | None, quiet: bool):  # type: ignore[no-untyped-def]
    """What a watch follows (``watch`` and ``serve --watch``): the files read and checked, the alerts
    printed on stdout (and appended to ``alerts``, and sent to the rules' webhooks), a line per poll on
    stderr unless ``quiet``."""
    from crosswire.watch.loop import WatchPlan
    from crosswire.watch.config import load_rules, load_sources
    from crosswire.watch.sinks import CallSink, JsonlSink, WebhookSink

    def printed(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def report(poll) -> None:  # type: ignore[no-untyped-def]
        if not quiet:
            err.print(poll.line(), markup=False, highlight=False, soft_wrap=True)

    watched = load_sources(sources)
    ruleset = load_rules(rules) if rules else load_rules(sources, also=frozenset({"source", "watch"}))
    sinks: list = [CallSink(printed)]
    if alerts is not None:
        sinks.append(JsonlSink(alerts))
    sinks.extend(WebhookSink(s) for s in ruleset.sinks)
    return WatchPlan(watched, ruleset, sinks, report)


@app.command("sources")
def sources_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per source, with its recent errors.")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Each watched source: kind, interval, last poll, items, rejected items, errors, the last error and
    the next poll."""
    from crosswire.watch.state import WatchState

    try:
        _, store = _reading_store(config, "run `crosswire watch SOURCES.toml` first", db=db)
        with store:
            if not _has_watch(store):
                rows = []
            else:
                state = WatchState(store)
                rows = state.sources()
                if as_json:
                    for row in rows:
                        row["recent_errors"] = state.errors(row["url"], 10)
    except CrosswireError as exc:
        _fail(exc)
        return
    if as_json:
        for row in rows:
            out.print(json.dumps(row, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
        return
    if not rows:
        err.print("no sources yet; run `crosswire watch SOURCES.toml`", markup=False, highlight=False)
    for r in rows:
        state_text = f"last error: {r['last_error']}" if r["failures"] else "ok"
        out.print(f"{r['url']}\t{r['kind']}\tevery {r['every']:g}s\tlast poll {r['last_poll'] or 'never'}\t"
                  f"items {r['items']} ({r['rejected']} rejected)\terrors {r['errors']}\tnext {r['next_poll'] or '-'}\t"
                  f"{state_text}", markup=False, highlight=False, soft_wrap=True)


def _has_watch(store) -> bool:  # type: ignore[no-untyped-def]
    return store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'watch_sources'").fetchone() is not None
