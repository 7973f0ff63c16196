"""The alerts page of ``crosswire serve`` (``/alerts``, ``/alerts.json``): the alerts ``crosswire watch``
recorded in the store, through the real rules, the real watch state and the real server on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from serve_support import TOKEN, build_store, copy_store, running

from crosswire.crosscheck.story import crosscheck_story
from crosswire.serve import create_app
from crosswire.store import Store
from crosswire.watch.config import Rule
from crosswire.watch.rules import alert_line, evaluate
from crosswire.watch.state import WatchState


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve-alerts"))


def _raise_alerts(db: Path, rule: Rule) -> list[dict]:  # type: ignore[type-arg]
    """What ``crosswire watch`` does after a batch: the rule on every story record, the matches recorded."""
    store = Store(db)
    try:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM stories WHERE status = 'active' ORDER BY id")]
        found = []
        for sid in ids:
            record = crosscheck_story(store, sid, persist=False)
            match = evaluate(rule, record, None, languages=lambda ids: {"en"})
            if match is not None:
                digest, line = alert_line(rule, record, match)
                found.append((rule.name, sid, digest, line))
        return WatchState(store).record([], found)
    finally:
        store.close()


def test_the_alerts_page_lists_what_watch_recorded_newest_first_and_escapes_it(store_db, tmp_path) -> None:
    db = copy_store(store_db, tmp_path / "a.db")
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        empty = client.get("/alerts.json").json()
        assert empty["alerts"] == [] and empty["total"] == 0  # no watch yet: an empty list, not an error
        assert "has not run on this store" in client.get("/alerts").text
    raised = _raise_alerts(db, Rule(name='explosions <script>document.body.dataset.pwned="1"</script>',
                                    keywords=("explosion",)))
    assert len(raised) >= 2  # the demo's two chemical-plant explosions
    with running(create_app(db, token=TOKEN, cache=tmp_path / "catalog2.sqlite")) as base, \
            httpx.Client(base_url=base, timeout=120) as client:
        data = client.get("/alerts.json").json()
        assert data["total"] == len(raised)
        assert {a["story"] for a in data["alerts"]} == {a["story"] for a in raised}
        assert all(a["reason"] and a["articles"] and a["created_at"] for a in data["alerts"])
        one = client.get("/alerts.json", params={"story": raised[0]["story"], "limit": 1}).json()
        assert one["total"] == 1 and one["alerts"][0]["story"] == raised[0]["story"]
        assert client.get("/alerts.json", params={"rule": "no such rule"}).json()["total"] == 0
        page = client.get("/alerts")
        assert page.status_code == 200
        assert "<script>document.body" not in page.text and "&lt;script&gt;" in page.text
        for a in raised:
            assert f'href="/stories/{a["story"]}"' in page.text
        assert client.get("/alerts.json", params={"limit": 0}).status_code in (400, 422)
