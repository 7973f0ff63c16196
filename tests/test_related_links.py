"""Related stories read from both ends of a link, by one function (`crosswire stories`, the story page)."""

from __future__ import annotations

import json

from crosswire.stories.views import related_stories
from crosswire.store import Store

NOW = "2026-01-01T00:00:00+00:00"


def _store(tmp_path) -> Store:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "links.db")
    with store.conn:
        for sid, title, status in (("s1", "Shooting on Main Street", "active"), ("s2", "Suspect charged", "active"),
                                   ("s3", "Funeral held", "active"), ("s4", "Merged away", "merged"),
                                   ("s5", "Unrelated fire", "active")):
            store.conn.execute("INSERT INTO stories(id, title, status, model, created_at, updated_at) "
                               "VALUES (?, ?, ?, 'test', ?, ?)", (sid, title, status, NOW, NOW))
        for newer, older, p, why in (("s2", "s1", 0.4, {"kind": "follow-up", "reason": "a later event", "places": ["Main Street"]}),
                                     ("s3", "s1", 0.2, {}),
                                     ("s4", "s1", 0.9, {"kind": "close"})):
            store.conn.execute("INSERT INTO story_links(story_id, related_id, probability, why, created_at) "
                               "VALUES (?, ?, ?, ?, ?)", (newer, older, p, json.dumps(why), NOW))
    return store


def test_one_story_gets_the_links_of_both_ends_and_none_to_an_inactive_story(tmp_path) -> None:
    store = _store(tmp_path)
    try:
        one = related_stories(store, ["s1"], with_why=True)
        assert list(one) == ["s1"]
        assert [(r["id"], r["kind"], r["this"]) for r in one["s1"]] == [("s2", "follow-up", "earlier"),
                                                                        ("s3", "close", "earlier")]
        assert one["s1"][0]["why"]["places"] == ["Main Street"]
        assert one["s1"][1]["reason"] == "came close to joining it (probability 0.20)"
        later = related_stories(store, ["s2"])
        assert [(r["id"], r["this"]) for r in later["s2"]] == [("s1", "later")] and "why" not in later["s2"][0]
        assert related_stories(store, ["s5"]) == {} and related_stories(store, []) == {}
        # every story's links at once, as `crosswire stories` lists them, agree with the one-story answers
        everything = related_stories(store)
        assert everything["s1"] == [{k: v for k, v in r.items() if k != "why"} for r in one["s1"]]
        assert everything["s2"] == later["s2"]
    finally:
        store.close()


def test_one_storys_links_are_read_through_the_indexes_not_a_scan(tmp_path) -> None:
    store = _store(tmp_path)
    try:
        traced: list[str] = []
        store.conn.set_trace_callback(traced.append)
        related_stories(store, ["s1"])
        store.conn.set_trace_callback(None)
        query = next(q for q in traced if "story_links" in q)
        plan = " | ".join(str(r[3]) for r in store.conn.execute("EXPLAIN QUERY PLAN " + query))
        assert "SCAN l" not in plan, plan
        assert "story_links_related" in plan and "sqlite_autoindex_story_links_1" in plan, plan
    finally:
        store.close()
