"""A reader's reviews of a story's conflicts: "I looked at this disagreement", with a note.

A review names a fact of the story's record whose status is ``conflict`` (its id, as ``crosswire show
--format json`` gives it). Each action is one row of ``conflict_reviews`` (migration 0009), never
changed: ``reviewed`` marks the conflict, ``withdrawn`` takes the mark back (the review is reversible
and its history stays). The story's record shows its reviews under ``reviews`` (only when it has
any): every action, oldest first, ``{id, fact, slot, action, note, who, values, created_at,
current}``; ``current`` says whether the record still holds that fact in conflict. Reviews made on a
story later merged into another show on the merged story.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from crosswire.errors import UsageError
from crosswire.store import Store
from crosswire.times import utcnow_iso

ACTIONS = ("reviewed", "withdrawn")
MAX_NOTE = 2000
MAX_WHO = 100


def _has_table(store: Store) -> bool:
    """Stores made before migration 0009 and opened read-only have no reviews."""
    return store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'conflict_reviews'"
                              ).fetchone() is not None


def review_conflict(store: Store, record: dict[str, Any], fact_id: str, *, note: str, who: str,
                    action: str = "reviewed") -> dict[str, Any]:
    """Record ``action`` on the conflict ``fact_id`` of the story whose current ``record`` is given
    (``crosswire show --format json``); returns the new review."""
    if action not in ACTIONS:
        raise UsageError(f"unknown review action {action!r}; use one of {', '.join(ACTIONS)}")
    note, who = (note or "").strip(), (who or "").strip()
    if action == "reviewed" and not note:
        raise UsageError("a review needs a note: say what you checked and what you found")
    if len(note) > MAX_NOTE:
        raise UsageError(f"the note is {len(note)} characters; at most {MAX_NOTE}")
    if not who or len(who) > MAX_WHO:
        raise UsageError(f"say who reviews (1 to {MAX_WHO} characters)")
    fact = next((f for f in record.get("facts") or [] if f.get("id") == fact_id), None)
    if fact is None:
        raise UsageError(f"story {record.get('id')} has no fact {fact_id!r}; the fact ids are in its JSON")
    if action == "reviewed" and fact.get("status") != "conflict":
        raise UsageError(f"fact {fact_id} of story {record.get('id')} is {fact.get('status')!r}, not in conflict: "
                         "only a conflict is reviewed")
    if action == "withdrawn" and _state(store, record["id"]).get(fact_id) != "reviewed":
        raise UsageError(f"fact {fact_id} of story {record.get('id')} has no review to withdraw")
    values = [{"value": v.get("value"), "text": v.get("text"), "outlets": v.get("outlets") or []}
              for v in fact.get("values") or []]
    now = utcnow_iso()
    with store.transaction() as c:
        cur = c.execute(
            "INSERT INTO conflict_reviews(story_id, fact_id, slot, action, note, who, fact_values, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (record["id"], fact_id, fact.get("slot"), action, note, who, json.dumps(values, ensure_ascii=False), now))
        rid = int(cur.lastrowid)
    return {"id": rid, "story": record["id"], "fact": fact_id, "slot": fact.get("slot"), "action": action,
            "note": note, "who": who, "values": values, "created_at": now}


def _rows(store: Store, story_id: str) -> list[sqlite3.Row]:
    """The review rows of the story and of the stories merged into it, oldest first."""
    if not _has_table(store):
        return []
    rows = store.conn.execute(
        "SELECT id, story_id, fact_id, slot, action, note, who, fact_values, created_at FROM conflict_reviews "
        "WHERE story_id = ? OR story_id IN (SELECT id FROM stories WHERE status = 'merged' AND id IN "
        "(SELECT story_id FROM conflict_reviews)) ORDER BY id", (story_id,)).fetchall()
    if all(r[1] == story_id for r in rows):
        return rows
    from crosswire.stories.corrections import resolve_story

    home = {sid: resolve_story(store, sid) for sid in {r[1] for r in rows}}
    return [r for r in rows if home[r[1]] == story_id]


def _state(store: Store, story_id: str) -> dict[str, str]:
    return {r[2]: r[4] for r in _rows(store, story_id)}


def _as_dicts(rows: list[sqlite3.Row], record: dict[str, Any]) -> list[dict[str, Any]]:
    in_conflict = {f.get("id") for f in record.get("facts") or [] if f.get("status") == "conflict"}
    return [{"id": r[0], "story": r[1], "fact": r[2], "slot": r[3], "action": r[4], "note": r[5], "who": r[6],
             "values": json.loads(r[7]), "created_at": r[8], "current": r[2] in in_conflict} for r in rows]


def version(store: Store, story_id: str) -> str:
    """What a story's reviews depend on (changes with every new action on it): for cache keys."""
    rows = _rows(store, story_id)
    return f"{len(rows)}:{rows[-1][0]}" if rows else "0"


def with_reviews(store: Store, record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with its ``reviews`` added when it has any (a new dict: ``record`` is not changed)."""
    rows = _rows(store, record["id"])
    return {**record, "reviews": _as_dicts(rows, record)} if rows else record
