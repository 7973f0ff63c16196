"""A reader's corrections: merge two stories, split articles off a story; recorded and re-applied.

Each correction is stored in ``story_corrections`` in terms of articles, not story ids (a merge
names the first article of each story, a split the articles it moves), so :func:`apply_corrections`
can replay them after the stories are rebuilt (:func:`regroup`) and they
survive later analysis and grouping runs. After a move, the states of the stories involved are
rebuilt from their articles and their index postings are redone; copies follow their original.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from crosswire.config import Settings
from crosswire.errors import UsageError
from crosswire.progress import SILENT, Progress
from crosswire.store import Store
from crosswire.times import utcnow_iso
from crosswire.stories import index
from crosswire.stories.consolidate import members, rebuild
from crosswire.stories.group import GroupSummary, Grouper, group_new
from crosswire.stories.model import StoryModel, load_model


def resolve_story(store: Store, ref: str) -> str:
    """The active story an id (or a unique id prefix of 6+ characters) names; merged stories lead to
    the story they were merged into."""
    rows = store.conn.execute("SELECT id FROM stories WHERE id = ?", (ref,)).fetchall()
    if not rows and len(ref) >= 6:
        rows = store.conn.execute("SELECT id FROM stories WHERE id LIKE ? LIMIT 2", (ref + "%",)).fetchall()
    if len(rows) != 1:
        raise UsageError(f"no story {ref!r}" if not rows else f"story prefix {ref!r} is ambiguous; give more of the id")
    sid = rows[0][0]
    for _ in range(1000):
        row = store.conn.execute("SELECT merged_into FROM stories WHERE id = ?", (sid,)).fetchone()
        if row is None or row[0] is None:
            return sid
        sid = row[0]
    return sid


def _members(store: Store, story_id: str) -> list[tuple[str, str, int]]:
    return members(store.conn, story_id)


def _rebuild(store: Store, grouper: Grouper, story_id: str) -> None:
    """Recompute a story's state, counts and index postings from its articles (inside a transaction)."""
    rebuild(store.conn, grouper, story_id)


def _move(store: Store, articles: list[str], to: str, note: dict[str, Any]) -> None:
    for aid in articles:
        row = store.conn.execute("SELECT why FROM story_articles WHERE article_id = ?", (aid,)).fetchone()
        why = json.loads(row[0]) if row else {}
        why.setdefault("corrections", []).append(note)
        store.conn.execute("UPDATE story_articles SET story_id = ?, why = ? WHERE article_id = ?",
                           (to, json.dumps(why, ensure_ascii=False), aid))


def _record(store: Store, kind: str, payload: dict[str, Any]) -> None:
    store.conn.execute("INSERT INTO story_corrections(kind, payload, created_at) VALUES (?, ?, ?)",
                       (kind, json.dumps(payload), utcnow_iso()))


def merge(store: Store, a: str, b: str, *, model: StoryModel | None = None, record: bool = True) -> str:
    """Move every article of story ``b`` into story ``a``; returns ``a``'s id."""
    a, b = resolve_story(store, a), resolve_story(store, b)
    if a == b:
        raise UsageError(f"{a} and {b} are already one story")
    grouper = Grouper(store, model or load_model())
    with store.transaction() as c:
        anchors = [_members(store, a)[0][0], _members(store, b)[0][0]]
        _move(store, [m[0] for m in _members(store, b)], a, {"kind": "merge", "from": b})
        c.execute("UPDATE story_links SET related_id = ? WHERE related_id = ?", (a, b))
        c.execute("UPDATE OR IGNORE story_links SET story_id = ? WHERE story_id = ?", (a, b))
        c.execute("DELETE FROM story_links WHERE story_id = related_id OR story_id = ?", (b,))
        index.repoint(c, b, a)
        c.execute("UPDATE stories SET status = 'merged', merged_into = ?, n_articles = 0, n_reports = 0, "
                  "updated_at = ? WHERE id = ?", (a, utcnow_iso(), b))
        _rebuild(store, grouper, a)
        if record:
            _record(store, "merge", {"into": a, "from": b, "anchors": anchors})
    return a


def split(store: Store, story: str, articles: list[str], *, model: StoryModel | None = None,
          record: bool = True) -> str:
    """Move ``articles`` (and their copies) out of ``story`` into a new story; returns its id."""
    story = resolve_story(store, story)
    members = {aid: role for aid, role, _ in _members(store, story)}
    missing = [a for a in articles if a not in members]
    if missing:
        raise UsageError(f"article(s) {', '.join(missing)} are not in story {story}; see `crosswire stories`")
    moved = list(dict.fromkeys(articles))
    moved += [aid for aid, in store.conn.execute(
        f"SELECT id FROM articles WHERE duplicate_of IN ({','.join('?' * len(moved))})", moved)
        if aid in members and aid not in moved]
    if len(moved) >= len(members):
        raise UsageError(f"those are all the articles of story {story}; nothing would be left to split from")
    new = hashlib.sha256(("split|" + "|".join(sorted(moved))).encode()).hexdigest()[:16]
    grouper = Grouper(store, model or load_model())
    with store.transaction() as c:
        now = utcnow_iso()
        title = c.execute("SELECT title FROM articles WHERE id = ?", (moved[0],)).fetchone()[0]
        c.execute("INSERT OR REPLACE INTO stories(id, title, model, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                  (new, title, grouper.version, now, now))
        _move(store, moved, new, {"kind": "split", "from": story})
        _rebuild(store, grouper, story)
        _rebuild(store, grouper, new)
        if record:
            kept = next(aid for aid in members if aid not in moved)
            _record(store, "split", {"story": story, "articles": sorted(moved), "kept": kept})
    return new


def _story_of(store: Store, article_id: str) -> str | None:
    row = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def apply_corrections(store: Store, *, model: StoryModel | None = None) -> int:
    """Re-apply every recorded correction the current stories do not reflect (a merge whose two
    anchor articles are in different stories, a split whose articles share a story with the article
    they were split from); returns how many changed something."""
    done = 0
    corrections = store.conn.execute("SELECT kind, payload FROM story_corrections ORDER BY id").fetchall()
    for kind, payload in corrections:
        p = json.loads(payload)
        if kind == "merge":
            a, b = (_story_of(store, x) for x in p["anchors"])
            if a and b and a != b:
                merge(store, a, b, model=model, record=False)
                done += 1
        else:
            home = _story_of(store, p["kept"])
            inside = [x for x in p["articles"] if home is not None and _story_of(store, x) == home]
            if inside:
                split(store, home, inside, model=model, record=False)
                done += 1
    return done


def list_corrections(store: Store) -> list[dict[str, Any]]:
    """Every recorded correction, oldest first."""
    return [{"id": r[0], "kind": r[1], **json.loads(r[2]), "created_at": r[3]}
            for r in store.conn.execute("SELECT id, kind, payload, created_at FROM story_corrections ORDER BY id")]


def regroup(store: Store, settings: Settings | None = None, *, model: StoryModel | None = None,
            progress: Progress = SILENT) -> GroupSummary:
    """Forget every story and group all articles again, then re-apply the recorded corrections."""
    with store.transaction() as c:
        for table in ("story_links", "story_keys", "story_articles", "story_meta"):
            c.execute(f"DELETE FROM {table}")
        c.execute("UPDATE stories SET merged_into = NULL")
        c.execute("DELETE FROM stories")
    summary = group_new(store, settings, model=model, progress=progress)
    apply_corrections(store, model=model)
    return summary
