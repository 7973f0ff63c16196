"""The server's views: each builds one plain dict from the store, rendered as HTML or as JSON.

The story view is the record ``crosswire show ID --format json`` gives (the same function, the same
rendering); what the page adds (the outline, the facts' spans, related stories, the map's places) is
kept beside it, never mixed into the JSON.
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timezone
from collections import OrderedDict
from typing import Any

from crosswire.errors import UsageError
from crosswire.present.briefing import outline, render_json
from crosswire.present.exports import article_record
from crosswire.store import Store
from crosswire.stories.corrections import resolve_story
from crosswire.stories.views import related_stories

MEMO_SIZE = 256  # computed story records kept in memory, keyed by what they depend on


class NotFound(UsageError):
    """What a path names does not exist (answered 404)."""

    code = "not_found"


class StoryRecords:
    """Story records: the store's cached briefing when it is current, else one computed now without
    writing (``crosscheck_story(persist=False)``, as ``crosswire show`` on a read-only store), kept
    in memory under the story's ``articles_hash`` so the next request does not compute it again."""

    def __init__(self) -> None:
        self._memo: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: Store, story_id: str) -> tuple[str, dict[str, Any]]:
        """``(version, record)``: ``version`` changes whenever the record may (its ``articles_hash``)."""
        from crosswire.crosscheck.story import articles_hash, crosscheck_story

        sid = resolve_story(store, story_id)
        version = articles_hash(store, sid)
        row = store.conn.execute("SELECT json, articles_hash FROM briefings WHERE story_id = ?", (sid,)).fetchone()
        if row is not None and row["articles_hash"] == version:  # as crosscheck.story.cached_briefing reads it
            return version, json.loads(row["json"])
        key = (sid, version)
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return version, self._memo[key]
        record = crosscheck_story(store, sid, persist=False)
        with self._lock:
            self._memo[key] = record
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return version, record


def find_story_id(store: Store, ref: str) -> str:
    """The active story ``ref`` names (an id, a unique prefix, or a merged story's id)."""
    try:
        return resolve_story(store, ref)
    except UsageError as exc:
        raise NotFound(str(exc)) from None


def _span_anchor(source: dict[str, Any]) -> str | None:
    start, end = source.get("start"), source.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or end < start:
        return None
    return f"{'t' if source.get('in') == 'title' else 'b'}-{start}-{end}"


def _links(sources: list[Any]) -> list[dict[str, Any]]:
    """Each source span of a fact as a link to the article, landing on the span."""
    out = []
    for s in sources or []:
        if not isinstance(s, dict) or not s.get("article"):
            continue
        anchor = _span_anchor(s)
        out.append({"article": s["article"], "text": s.get("text"), "anchor": anchor,
                    "in": "title" if s.get("in") == "title" else "body"})
    return out


def story_page(store: Store, record: dict[str, Any]) -> dict[str, Any]:
    """What the story page shows besides the record: the outline, each fact's spans, related
    stories, each article's reasons to be in the story, and the places for the map."""
    sid = record["id"]
    o = outline(record)
    by_id = {f.get("id"): f for f in record.get("facts") or []}
    facts = []
    for stmt in o["facts"]:
        f = by_id.get(stmt.get("id"), {})
        facts.append({**stmt, "kind": f.get("kind"), "about": f.get("about"), "spans": _links(f.get("sources") or [])})
    numbers = {s["id"]: s["n"] for s in o["sources"]}
    related = related_stories(store, [sid], with_why=True).get(sid, [])
    why = []
    for a in record.get("articles") or []:
        w = a.get("why") or {}
        why.append({"n": numbers.get(a["id"]), "id": a["id"], "title": a.get("title"), "outlet": a.get("outlet"),
                    "role": a.get("role"), "decision": w.get("decision"), "probability": w.get("probability"),
                    "places": w.get("places") or [], "dates": w.get("dates") or [], "entities": w.get("entities") or [],
                    "clashes": w.get("clashes") or [], "corrections": w.get("corrections") or []})
    places = [{"name": p["name"], "lat": p["lat"], "lon": p["lon"], "role": p["role"], "country": p.get("country")}
              for p in o["places"] if isinstance(p.get("lat"), int | float) and isinstance(p.get("lon"), int | float)]
    return {"outline": o, "facts": facts, "related": related, "why": why, "places": places}


# ---------------------------------------------------------------- what changed since a time
def parse_since(value: str) -> str:
    """``since`` as the store writes its timestamps (ISO 8601 UTC to the second, ``+00:00``): a day is
    its midnight UTC, a time without an offset is UTC. A :class:`UsageError` when it is no time."""
    text = value.strip()
    try:
        if len(text) == 10:
            t = datetime.combine(date.fromisoformat(text), datetime.min.time(), timezone.utc)
        else:
            t = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text)
    except ValueError:
        raise UsageError(f"since={value!r} is not an ISO 8601 time; give YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def changes_since(store: Store, record: dict[str, Any], since: str) -> dict[str, Any]:
    """What changed in the story after ``since`` (as :func:`parse_since` gives it), from the store's
    own timestamps: the articles placed in it or ingested after then (``placed_at``, ``ingested_at``),
    the facts of its record that come from an article placed or analysed after then (``analyzed_at``;
    ``new`` when every source of the fact does), and the status changes recorded after then: story
    corrections (merge, split) naming it, corrections of its articles' metadata, and its record being
    cross-checked again (``computed_at``). The store keeps no history of fact statuses: a fact shows
    its status now."""
    sid = record["id"]
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.outlet, a.ingested_at, m.placed_at, m.method, m.role, n.analyzed_at "
        "FROM story_articles m JOIN articles a ON a.id = m.article_id LEFT JOIN analyses n ON n.article_id = a.id "
        "WHERE m.story_id = ? ORDER BY m.seq", (sid,)).fetchall()
    articles = [{"id": r["id"], "title": r["title"], "outlet": r["outlet"], "role": r["role"], "how": r["method"],
                 "ingested_at": r["ingested_at"], "placed_at": r["placed_at"]}
                for r in rows if (r["placed_at"] or "") > since or (r["ingested_at"] or "") > since]
    fresh = {r["id"] for r in rows if (r["placed_at"] or "") > since or (r["analyzed_at"] or "") > since}
    facts = []
    for f in record.get("facts") or []:
        sources = [s.get("article") for s in f.get("sources") or [] if isinstance(s, dict)]
        after = sum(1 for a in sources if a in fresh)
        if after:
            facts.append({"id": f.get("id"), "kind": f.get("kind"), "about": f.get("about"), "value": f.get("value"),
                          "text": f.get("text"), "status": f.get("status"),
                          "independent_sources": f.get("independent_sources"), "new": after == len(sources),
                          "sources": len(sources), "sources_since": after})
    status: list[dict[str, Any]] = []
    for r in store.conn.execute("SELECT kind, payload, created_at FROM story_corrections WHERE created_at > ? "
                                "ORDER BY id", (since,)):
        p = json.loads(r["payload"] or "{}")
        if sid in (p.get("into"), p.get("from"), p.get("story")):
            detail = (f"story {p.get('from')} merged into {p.get('into')}" if r["kind"] == "merge"
                      else f"{len(p.get('articles') or [])} article(s) split off story {p.get('story')}")
            status.append({"at": r["created_at"], "kind": r["kind"], "detail": detail})
    members = {r["id"]: r["title"] for r in rows}
    for r in store.conn.execute(
            "SELECT c.article_id, c.field, c.previous, c.value, c.origin, c.created_at FROM article_corrections c "
            "JOIN story_articles m ON m.article_id = c.article_id WHERE m.story_id = ? AND c.created_at > ? "
            "ORDER BY c.id", (sid, since)):
        status.append({"at": r["created_at"], "kind": f"article {r['field']}", "article": r["article_id"],
                       "detail": f"{r['field']} of {members.get(r['article_id']) or r['article_id']}: "
                                 f"{r['previous'] if r['previous'] is not None else '(none)'} -> {r['value']} "
                                 f"({r['origin']})"})
    row = store.conn.execute("SELECT computed_at FROM briefings WHERE story_id = ?", (sid,)).fetchone()
    if row is not None and row["computed_at"] > since:
        status.append({"at": row["computed_at"], "kind": "cross-checked",
                       "detail": "the story was cross-checked again: its facts' statuses are as of then"})
    status.sort(key=lambda x: x["at"])
    return {"since": since, "articles": articles, "facts": facts, "status": status}


def story_json_since(record: dict[str, Any], changes: dict[str, Any]) -> str:
    """The story JSON with ``since``: ``crosswire show``'s record plus one key, ``changed_since``."""
    return render_json({**record, "changed_since": changes})


# ---------------------------------------------------------------- articles
def _segments(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``text`` cut at every span boundary: each piece with the facts covering it and the anchors
    that start there (a span's anchor is ``b-START-END``), so overlapping spans all show."""
    n = len(text)
    clipped = [{**s, "start": max(0, min(n, s["start"])), "end": max(0, min(n, s["end"]))} for s in spans]
    bounds = sorted({0, n} | {s["start"] for s in clipped} | {s["end"] for s in clipped})
    anchors: dict[int, list[str]] = {}
    opening: dict[int, list[int]] = {}
    for i, s in enumerate(clipped):
        if s["anchor"] not in anchors.setdefault(s["start"], []):
            anchors[s["start"]].append(s["anchor"])
        if s["start"] < s["end"]:
            opening.setdefault(s["start"], []).append(i)
    out = []
    active: set[int] = set()  # a sweep: the spans open over the current piece
    for a, b in zip(bounds, bounds[1:]):
        active = {i for i in active if clipped[i]["end"] > a} | set(opening.get(a, ()))
        covering = [clipped[i] for i in sorted(active)]
        out.append({"text": text[a:b], "start": a, "end": b, "anchors": anchors.pop(a, []),
                    "facts": [s["label"] for s in covering if s["label"]],
                    "marked": bool(covering)})
    if anchors:  # spans that start at the very end (empty): still a place to land
        out.append({"text": "", "start": n, "end": n, "anchors": [x for v in anchors.values() for x in v],
                    "facts": [], "marked": False})
    return out


def _fact_label(f: dict[str, Any]) -> str:
    value = f.get("value")
    shown = value.get("name") if isinstance(value, dict) and value.get("name") else value
    return f"{f['kind']} · {f['about']}: {shown if isinstance(shown, str | int | float) else json.dumps(shown)}"


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """An article as ``export --what articles`` records it, plus its facts, copies and story."""
    article = store.get_article(article_id)
    if article is None:
        raise NotFound(f"no article {article_id!r}")
    record = article_record(article, store.published_of([article.id]).get(article.id, {}))
    record["facts"] = [f.to_dict() for f in store.facts_of(article.id)]
    record["copies"] = store.copies_of(article.id)
    row = store.conn.execute("SELECT story_id, role, probability FROM story_articles WHERE article_id = ?",
                             (article.id,)).fetchone()
    record["story"] = None if row is None else {"id": row["story_id"], "role": row["role"],
                                                  "probability": row["probability"]}
    return record


def article_page(record: dict[str, Any], mark: str | None) -> dict[str, Any]:
    """The article's title and text cut into highlighted pieces: every stored fact at its span, and
    the span ``mark`` (``b-START-END`` in the text or ``t-START-END`` in the headline) a story's
    fact links to, even when it is not a stored fact (an event record's span)."""
    body = [{"start": f["start"], "end": f["end"], "anchor": f"b-{f['start']}-{f['end']}", "label": _fact_label(f)}
            for f in record["facts"] if isinstance(f.get("start"), int) and isinstance(f.get("end"), int)]
    title: list[dict[str, Any]] = []
    if mark:
        where, _, rest = mark.partition("-")
        start, _, end = rest.partition("-")
        if where in ("b", "t") and start.isdigit() and end.isdigit() and int(start) <= int(end):
            span = {"start": int(start), "end": int(end), "anchor": mark, "label": "the span the story cites"}
            (title if where == "t" else body).append(span)
    return {"title": _segments(record["title"] or "", title), "text": _segments(record["text"] or "", body)}


# ---------------------------------------------------------------- outlets
def outlet_view(store: Store, name: str, limit: int = 500) -> dict[str, Any]:
    """An outlet's articles and a first record of its facts: in each story's fact x outlet matrix
    (as analyze cached it), how often the outlet agreed with the independent majority, conflicted
    with it, or was silent."""
    rows = store.conn.execute(
        "SELECT a.id, a.title, p.published, m.story_id, m.role FROM articles a "
        "JOIN article_published p ON p.article_id = a.id LEFT JOIN story_articles m ON m.article_id = a.id "
        "WHERE a.outlet = ? ORDER BY p.published DESC, a.id LIMIT ?", (name, limit + 1)).fetchall()
    if not rows:
        raise NotFound(f"no articles from an outlet named {name!r}")
    count = store.conn.execute("SELECT count(*) FROM articles WHERE outlet = ?", (name,)).fetchone()[0]
    stories = sorted({r["story_id"] for r in rows if r["story_id"]})
    tally = {"agrees": 0, "conflicts": 0, "silent": 0}
    checked = 0
    conflicts = []
    for sid in stories:
        row = store.conn.execute("SELECT json FROM briefings WHERE story_id = ?", (sid,)).fetchone()
        if row is None:
            continue
        record = json.loads(row["json"])
        matrix = record.get("matrix") or {}
        if name not in {o.get("outlet") for o in matrix.get("outlets") or []}:
            continue
        checked += 1
        labels = {f.get("id"): f"{f.get('kind')} · {f.get('about')}" for f in record.get("facts") or []}
        for r in matrix.get("rows") or []:
            cell = (r.get("cells") or {}).get(name, "silent")
            tally[cell if cell in tally else "silent"] += 1
            if cell == "conflicts":
                conflicts.append({"story": sid, "fact": r.get("fact"), "label": labels.get(r.get("fact"))})
    return {"outlet": name, "articles": count,
            "listed": [{"id": r["id"], "title": r["title"], "published": r["published"], "story": r["story_id"],
                        "role": r["role"]} for r in rows[:limit]],
            "record": {"stories": len(stories), "stories_checked": checked, **tally, "conflicting_facts": conflicts}}
