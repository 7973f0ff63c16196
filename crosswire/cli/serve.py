"""The serve command: the stories of a store in a browser and over HTTP (crosswire.serve)."""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from typing import Annotated, Optional

import typer

from crosswire.cli.app import ConfigOption, DbOption, QuietOption, _existing_store, _fail, app, err
from crosswire.errors import CrosswireError, UsageError


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback only by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8080,
    token: Annotated[Optional[str], typer.Option(
        "--token", envvar="CROSSWIRE_TOKEN", show_envvar=True,
        help="Token that writes (merge, split, reviews, article fixes, ingest) need as `Authorization: Bearer "
             "TOKEN`; without it and without --read-only a random one is made and printed.")] = None,
    read_only: Annotated[bool, typer.Option("--read-only", help="Refuse every write (403).")] = False,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Let ingest jobs (POST /ingest) fetch URLs on private, loopback or link-local "
                                "addresses.")] = False,
    cache: Annotated[Optional[Path], typer.Option(
        help="The server's search catalog file (default: NAME.serve-cache.db beside the store NAME.db, or in "
             "the temporary folder when that folder is not writable).")] = None,
    watch: Annotated[Optional[Path], typer.Option(
        "--watch", metavar="SOURCES.toml", help="Also follow these sources while serving, as `crosswire watch` "
                                                "does (in the server process; alerts at /alerts and on stdout).")] = None,
    rules: Annotated[Optional[Path], typer.Option(
        "--rules", metavar="RULES.toml", help="With --watch: the alert rules and webhook sinks (default: those in "
                                              "SOURCES.toml).")] = None,
    alerts: Annotated[Optional[Path], typer.Option(
        "--alerts", metavar="FILE.jsonl", help="With --watch: also append each alert as a JSON line to this file.")
    ] = None,
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Serve the stories: search and filter them, read a story's briefing, an article with its facts
    at their spans, an outlet's record; every page is also JSON (path + .json); OpenAPI at /api.
    With --watch, also follow feeds and raise alerts as `crosswire watch` does, in the same process."""
    import uvicorn

    from crosswire.cli.watch import watch_plan
    from crosswire.serve import create_app

    try:
        if token is not None and read_only:
            raise UsageError("give --token or --read-only, not both")
        if token is not None and len(token) < 16:
            raise UsageError("--token must be at least 16 characters (guessable tokens let anyone write)")
        settings = _existing_store(config, "run `crosswire demo` or `crosswire run PATH...` first", db=db,
                                   allow_private=allow_private or None)
        if watch is None and (rules is not None or alerts is not None):
            raise UsageError("--rules and --alerts go with --watch SOURCES.toml")
        plan = None if watch is None else watch_plan(watch, rules, alerts, quiet)
        if not read_only and token is None:
            token = secrets.token_urlsafe(24)
            err.print(f"write token (Authorization: Bearer ...): {token}", markup=False, highlight=False)
        application = create_app(settings.db, token=None if read_only else token, read_only=read_only, cache=cache,
                                 settings=settings, watch=plan, prerender=True)
    except CrosswireError as exc:
        _fail(exc)
        return
    if not _loopback(host):
        err.print(f"warning: listening on {host}, not only on this machine; anyone who can reach it can read "
                  "the stories", markup=False, highlight=False)
    err.print(f"serving {settings.db} on http://{host}:{port}/ (Ctrl+C stops)", markup=False, highlight=False)
    if plan is not None:
        err.print(f"watching {len(plan.sources.sources)} sources of {watch} with {len(plan.rules.rules)} rules; "
                  f"alerts at http://{host}:{port}/alerts", markup=False, highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)
