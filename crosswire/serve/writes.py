"""The server's corrections beside merge and split: review a conflict of a story (with a note, or
withdraw the review), and fix an article's outlet or publication date.

Each is recorded as its command line twin records it (who, when, what): a review in
``conflict_reviews`` (:mod:`crosswire.crosscheck.reviews`, shown by ``crosswire show`` too), a fix in
``article_corrections`` through the same function as ``crosswire article ID --outlet/--published``
(the stories holding the article are cross-checked again). Every write needs the token as
``Authorization: Bearer TOKEN``: pages send it from script, never as a cookie, so another site's form
cannot make a write (a cross-origin request cannot set that header without a CORS grant, which this
server never gives).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request
from jinja2 import Environment
from pydantic import BaseModel, Field

from crosswire.config import Settings
from crosswire.errors import UsageError
from crosswire.store import Store

DEFAULT_WHO = "crosswire serve"


@dataclass
class Context:
    """What the write, ingest and live routes share with the app (made once in ``create_app``)."""

    db: str
    settings: Settings
    readers: Any  # app.Readers: one read-only store per thread
    catalog: Any  # catalog.Catalog: the stories' search catalog
    records: Any  # views.StoryRecords
    env: Environment
    write_lock: threading.Lock
    authorize: Callable[[Request], None]
    page: Callable[..., Any]  # page(request, template, data, status=200, **extra) -> HTMLResponse
    writable: bool


class ReviewBody(BaseModel):
    fact: str = Field(min_length=1, max_length=64, description="The id of a fact in conflict (`facts[].id` of the "
                                                                "story's JSON).")
    note: str = Field("", max_length=2000, description="What was checked and found (needed to mark reviewed).")
    action: Literal["reviewed", "withdrawn"] = Field("reviewed", description="`reviewed` marks the conflict; "
                                                      "`withdrawn` takes the fact's review back.")
    by: str = Field("", max_length=100, description=f"Who reviews (default: {DEFAULT_WHO!r}).")


class ArticleFixBody(BaseModel):
    outlet: str | None = Field(None, max_length=300, description="The article's outlet (a name or a domain).")
    published: str | None = Field(None, max_length=100, description="Its publication date or time (ISO 8601).")
    by: str = Field("", max_length=100, description=f"Who fixes it (default: {DEFAULT_WHO!r}).")


def router(ctx: Context) -> APIRouter:
    """The correction routes (reviews, article fixes) of the app."""
    from crosswire.crosscheck.reviews import review_conflict

    api = APIRouter()

    @api.post("/stories/{ref}/reviews", tags=["corrections"],
              summary="Mark a conflict of the story reviewed (with a note), or withdraw the review")
    def review(request: Request, ref: str, body: Annotated[ReviewBody, Body()]) -> dict[str, Any]:
        from crosswire.serve.views import find_story_id

        ctx.authorize(request)
        store = ctx.readers.get()
        sid = find_story_id(store, ref)
        _, record = ctx.records.get(store, sid)
        with ctx.write_lock, Store(ctx.db) as writer:
            done = review_conflict(writer, record, body.fact, note=body.note, who=body.by.strip() or DEFAULT_WHO,
                                   action=body.action)
        return {"story": sid, "review": done}

    @api.post("/articles/{ref}/corrections", tags=["corrections"],
              summary="Fix an article's outlet or publication date (recorded like `crosswire article ID --outlet "
                      "/--published`); its stories are cross-checked again")
    def fix_article(request: Request, ref: str, body: Annotated[ArticleFixBody, Body()]) -> dict[str, Any]:
        from crosswire.crosscheck.story import crosscheck_changed
        from crosswire.ingest.metadata import fix_metadata
        from crosswire.serve.views import NotFound

        ctx.authorize(request)
        store = ctx.readers.get()
        try:
            aid = store.resolve_article(ref)
        except UsageError as exc:  # a path that names no article
            raise NotFound(str(exc)) from None
        with ctx.write_lock, Store(ctx.db) as writer:
            result = fix_metadata(writer, aid, outlet=body.outlet, published=body.published,
                                  who=body.by.strip() or DEFAULT_WHO)
            checked = crosscheck_changed(writer) if result["stories"] else None
        ctx.catalog.refresh(store, force=True)
        return {**result, "crosscheck": checked.to_dict() if checked else None}

    def article_history(article_id: str) -> list[dict[str, Any]]:
        """The article's metadata corrections, oldest first (for its page)."""
        return ctx.readers.get().article_corrections(article_id)

    ctx.env.globals["article_history"] = article_history
    return api
