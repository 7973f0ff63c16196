"""Live pages: ``GET /changes.json``, a cheap "last change" of the store that pages poll.

Its ``version`` changes whenever something a page shows may have changed: a run started or ended
(``ingest``, ``analyze``, ``group``, by the server's ingest jobs or by the command line beside it), a
new article, a merge or split, an article fix, a review, an alert of ``watch``. Each part is a lookup
by primary key or a count of the small ``runs`` table, so a poll costs well under a millisecond. The
stories and alerts pages embed the version they were made at and poll; when the version moves they
fetch themselves again and swap in the new list (serve.js, ``livePage``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter

from crosswire.serve.jobs import Jobs
from crosswire.serve.writes import Context

POLL_MS = 3000  # how often the stories page asks
_TABLES = ("story_corrections", "article_corrections", "conflict_reviews", "watch_alerts")


def changes(store: Any) -> dict[str, Any]:
    """The store's last change: ``{"version", "articles", "runs", "running", "alerts"}``."""
    conn = store.conn
    runs = conn.execute("SELECT count(*), coalesce(max(id), 0), coalesce(sum(status = 'running'), 0), "
                        "coalesce(max(finished_at), '') FROM runs").fetchone()
    articles = conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
    present = {r[0] for r in conn.execute(
        f"SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ({','.join('?' * len(_TABLES))})", _TABLES)}
    marks = [conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0] if t in present else 0  # noqa: S608
             for t in _TABLES]
    parts = [runs[0], runs[1], runs[2], runs[3], articles, *marks]
    version = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:16]
    return {"version": version, "articles": articles, "runs": runs[0], "running": runs[2], "alerts": marks[-1]}


def router(ctx: Context, jobs: Jobs, warmer: Any = None) -> APIRouter:
    """The live routes of the app; also gives the templates ``live_version()`` and ``live_poll``.
    ``warmer``: the server's :class:`.rendered.Warmer`, when it renders the stories ahead."""
    api = APIRouter()

    @api.get("/changes.json", tags=["live"], summary="The store's last change: poll it, and reload what you show "
             "when its `version` moves; `prerendered` says how far rendering the stories ahead is (`serve "
             "--prerender`)")
    def last_change() -> dict[str, Any]:
        out = {**changes(ctx.readers.get()), "jobs": jobs.running()}
        if warmer is not None:
            out["prerendered"] = warmer.status()
        return out

    ctx.env.globals["live_version"] = lambda: changes(ctx.readers.get())["version"]
    ctx.env.globals["live_poll"] = POLL_MS
    return api
