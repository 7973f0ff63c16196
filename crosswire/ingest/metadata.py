"""An article's metadata, read and fixed by hand (``crosswire article ID [--outlet] [--published] ...``).

A fix is recorded like a story merge: who, when, the field, the old and the new value, kept in
``article_corrections``; the ingest record stays as it was read, and every reader (export, show,
stories, the cross-check) sees the fixed values through the view ``articles``. The article keeps its
id and its facts; the stories holding it or its copies are cross-checked again.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from crosswire.errors import UsageError
from crosswire.store import Store
from crosswire.times import parse_published


def article_record(store: Store, ref: str) -> dict[str, Any]:
    """The article an id (or unique prefix) names: its metadata now in force, the record as ingested,
    its outlet (key, the one name it is shown by, how many articles it has), its stories and every
    correction of its metadata, oldest first."""
    aid = store.resolve_article(ref)
    now = store.conn.execute(
        "SELECT id, title, outlet, outlet_given, outlet_key, url, authors, published, published_source, language, "
        "source, ingested_at, duplicate_of FROM articles WHERE id = ?", (aid,)).fetchone()
    ingested = store.conn.execute(
        "SELECT outlet, url, authors, published FROM article_records WHERE id = ?", (aid,)).fetchone()
    stories = [r[0] for r in store.conn.execute(
        "SELECT story_id FROM story_articles WHERE article_id = ? ORDER BY story_id", (aid,))]
    record = {k: now[k] for k in now.keys()}
    record["authors"] = json.loads(record["authors"] or "[]")
    return {
        **record,
        "ingested": {"outlet": ingested["outlet"], "url": ingested["url"],
                     "authors": json.loads(ingested["authors"] or "[]"), "published": ingested["published"]},
        "outlet_record": store.outlet_of(aid),
        "facts": store.conn.execute("SELECT count(*) FROM facts WHERE article_id = ?", (aid,)).fetchone()[0],
        "stories": stories,
        "corrections": store.article_corrections(aid),
    }


def _checked(outlet: str | None, published: str | None, url: str | None, authors: list[str] | None) -> dict[str, Any]:
    """The requested changes, each checked: a clear error names the value and the reason."""
    changes: dict[str, Any] = {}
    if outlet is not None:
        if not outlet.strip():
            raise UsageError("--outlet is empty; give the outlet's name or domain")
        changes["outlet"] = outlet.strip()
    if published is not None:
        parsed = parse_published(published)
        if parsed is None:
            raise UsageError(f"--published {published!r} is not a date crosswire can read; give an ISO 8601 date "
                             "such as 2025-03-10 or 2025-03-10T08:00:00+01:00")
        changes["published"] = parsed.given
    if url is not None:
        try:
            parts = urlsplit(url.strip())
            ok = parts.scheme in {"http", "https"} and bool(parts.hostname)
        except ValueError:
            ok = False
        if not ok:
            raise UsageError(f"--url {url!r} is not an http(s) URL with a host")
        changes["url"] = url.strip()
    if authors is not None:
        names = [a.strip() for a in authors if a.strip()]
        if not names:
            raise UsageError("--author is empty; give each author's name")
        changes["authors"] = names
    return changes


def fix_metadata(store: Store, ref: str, *, outlet: str | None = None, published: str | None = None,
                 url: str | None = None, authors: list[str] | None = None, who: str | None = None) -> dict[str, Any]:
    """Set an article's metadata by hand (recorded with ``who``); returns ``{"article", "changed":
    {field: {old, new}}, "stories"}`` (the stories marked to be cross-checked again)."""
    changes = _checked(outlet, published, url, authors)
    if not changes:
        raise UsageError("nothing to change; give --outlet, --published, --url or --author")
    aid = store.resolve_article(ref)
    with store.transaction():
        done = store.correct_article(aid, changes, origin="manual", source="crosswire article", who=who)
        stories = store.mark_for_crosscheck([aid]) if done else []
    return {"article": aid, "changed": {f: {"old": old, "new": new} for f, (old, new) in done.items()},
            "stories": stories}
