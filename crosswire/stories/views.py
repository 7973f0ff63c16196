"""What the CLI and the briefing show of stories: plain dicts, built once, printed or rendered."""

from __future__ import annotations

import json
from typing import Any

from crosswire.store import Store
from crosswire.stories.corrections import resolve_story


def list_stories(store: Store) -> list[dict[str, Any]]:
    """Every active story: id, title, articles (copies included), reports (copies counted once),
    outlets, first and last publication day; newest first."""
    rows = store.conn.execute(
        "SELECT s.id, s.title, count(m.article_id) AS n, sum(m.role = 'original') AS reports, "
        "min(p.published) AS first, max(p.published) AS last, "
        "json_group_array(DISTINCT a.outlet) AS outlets "
        "FROM stories s JOIN story_articles m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id "
        "JOIN article_published p ON p.article_id = a.id "
        "WHERE s.status = 'active' GROUP BY s.id ORDER BY last IS NULL, last DESC, s.id").fetchall()
    return [{"id": r["id"], "title": r["title"], "articles": r["n"], "reports": r["reports"],
             "outlets": sorted(o for o in json.loads(r["outlets"]) if o), "first": r["first"], "last": r["last"]}
            for r in rows]


def link_kind(why: dict[str, Any], probability: float | None) -> tuple[str, str]:
    """A related link's kind and the sentence saying why (a link stored before links had kinds: a
    story that came close to joining the other)."""
    kind = str(why.get("kind") or "close")
    reason = why.get("reason")
    if not reason:
        reason = f"came close to joining it (probability {float(probability or 0.0):.2f})"
    return kind, str(reason)


def related_stories(store: Store, story_ids: list[str] | None = None,
                    with_why: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Each active story's related stories (both ends of every link between two active stories):
    ``id``, ``title``, ``kind`` (``follow-up``: a later event with the same places or names;
    ``split``: split off by consolidation; ``close``: it nearly joined), ``reason``, ``probability``
    and ``this`` (``later`` when this story is the one linked to the other, else ``earlier``); with
    ``with_why`` also the link's stored evidence (``why``: shared places, dates, names...).

    ``story_ids`` limits the answer to those stories' links, read through the indexes on both ends
    (the story page asks for one story on its first view)."""
    out: dict[str, list[dict[str, Any]]] = {}
    sql = ("SELECT l.story_id, a.title, l.related_id, b.title, l.probability, l.why FROM story_links l "
           "JOIN stories a ON a.id = l.story_id JOIN stories b ON b.id = l.related_id "
           "WHERE a.status = 'active' AND b.status = 'active'")
    params: list[str] = []
    wanted = None if story_ids is None else set(story_ids)
    if wanted is not None:
        if not wanted:
            return out
        marks = ", ".join("?" * len(wanted))
        sql += f" AND (l.story_id IN ({marks}) OR l.related_id IN ({marks}))"
        params = sorted(wanted) * 2
    rows = store.conn.execute(sql + " ORDER BY l.probability DESC, l.story_id, l.related_id", params)
    for newer, newer_title, older, older_title, p, why_json in rows:
        why = json.loads(why_json or "{}")
        kind, reason = link_kind(why, p)
        for this, other, title, side in ((newer, older, older_title, "later"), (older, newer, newer_title, "earlier")):
            if wanted is None or this in wanted:
                item = {"id": other, "title": title, "kind": kind, "reason": reason, "probability": p, "this": side}
                if with_why:
                    item["why"] = why
                out.setdefault(this, []).append(item)
    return out


def story_articles(store: Store, story_id: str) -> list[dict[str, Any]]:
    """The ``articles`` of a story as ``crosswire show --format json`` gives them, in the order they
    were placed, each with its ``role`` (original or copy) and ``why`` it belongs."""
    sid = resolve_story(store, story_id)
    out = []
    rows = store.conn.execute(
        "SELECT m.article_id, m.role, m.why FROM story_articles m WHERE m.story_id = ? ORDER BY m.seq", (sid,)
    ).fetchall()
    published = store.published_of(r["article_id"] for r in rows)
    for r in rows:
        a = store.get_article(r["article_id"])
        if a is None:
            continue
        p = published.get(a.id, {})
        out.append({"id": a.id, "title": a.title, "outlet": a.outlet, "url": a.url, "authors": a.authors,
                    "language": a.language,
                    "published": p.get("published"), "published_source": p.get("published_source"),
                    "removed": [x.to_dict() for x in a.removed],
                    "role": r["role"], "why": json.loads(r["why"])})
    return out
