"""The alerts of ``crosswire watch`` in the browser: ``GET /alerts`` (and ``/alerts.json``).

``crosswire watch`` keeps every alert it raised in the store (``watch_alerts``: the JSON line of the
contract, when it was raised and when every sink had it) and each source's polls (``watch_sources``).
This page reads them, newest first, through the server's read-only connections; a store that never
ran ``watch`` has none (an empty list, not an error). Filters: ``rule`` (exact name), ``story``
(an id), ``limit``/``offset``. On a server started with ``--watch`` the page also says how its watch
is doing (``watch``: running, or why it stopped; its last poll; counts), and it follows the store
(serve.js polls ``/changes.json``, whose version moves with every new alert).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from crosswire.serve.writes import Context

MAX_LIMIT = 500


def _tables(store: Any) -> set[str]:
    return {r[0] for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('watch_alerts', 'watch_sources')")}


def alerts(store: Any, rule: str | None = None, story: str | None = None, limit: int = 100,
           offset: int = 0) -> dict[str, Any]:
    """``{"alerts": [alert line + created_at, sent_at], "rules": [names], "total", "next", "sources"}``."""
    present = _tables(store)
    if "watch_alerts" not in present:
        return {"alerts": [], "rules": [], "total": 0, "next": None, "sources": []}
    where, args = [], []
    if rule:
        where.append("rule = ?")
        args.append(rule)
    if story:
        where.append("story = ?")
        args.append(story)
    sql_where = f" WHERE {' AND '.join(where)}" if where else ""
    total = store.conn.execute(f"SELECT count(*) FROM watch_alerts{sql_where}", args).fetchone()[0]  # noqa: S608
    rows = store.conn.execute(
        f"SELECT line, created_at, sent_at FROM watch_alerts{sql_where} "  # noqa: S608
        "ORDER BY created_at DESC, rule, story, digest LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
    items = []
    for line, created_at, sent_at in rows:
        try:
            item = json.loads(line)
        except ValueError:  # a line the watcher wrote is JSON; a hand-edited store may not be
            item = {"line": line}
        items.append({**item, "created_at": created_at, "sent_at": sent_at})
    rules = [r[0] for r in store.conn.execute("SELECT DISTINCT rule FROM watch_alerts ORDER BY rule")]
    sources = []
    if "watch_sources" in present:
        sources = [dict(zip(("url", "kind", "last_poll", "items", "errors", "last_error"), r)) for r in store.conn.execute(
            "SELECT url, kind, last_poll, items, errors, last_error FROM watch_sources ORDER BY url")]
    more = offset + len(items) < total
    return {"alerts": items, "rules": rules, "total": total, "next": offset + len(items) if more else None,
            "sources": sources}


def router(ctx: Context, watch: Any = None) -> APIRouter:
    """The alerts route of the app; ``watch``: the server's own watch (:class:`.watching.ServeWatch`)."""
    from crosswire.serve.app import wants_json

    api = APIRouter()

    @api.get("/alerts", tags=["watch"], summary="The alerts `crosswire watch` raised in this store, newest first, "
             "and its sources", response_model=None)
    @api.get("/alerts.json", tags=["watch"], summary="The alerts as JSON", response_model=None)
    def list_alerts(request: Request,
                    rule: Annotated[str | None, Query(max_length=200, description="Only this rule's alerts")] = None,
                    story: Annotated[str | None, Query(max_length=64, description="Only this story's alerts")] = None,
                    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
                    offset: Annotated[int, Query(ge=0)] = 0) -> Response:
        data = alerts(ctx.readers.get(), rule or None, story or None, limit, offset)
        data["query"] = {"rule": rule or "", "story": story or "", "limit": limit, "offset": offset}
        data["watch"] = None if watch is None else watch.status()
        if wants_json(request):
            return JSONResponse(data)
        return ctx.page(request, "alerts.html", data)

    return api
