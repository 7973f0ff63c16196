"""What a user sees of grouping: `crosswire group` counts the consolidation's splits and merges,
`crosswire stories` and the serve story page give each related story's kind and reason (escaped),
and the grouping version changes with the rules around the model, so a store grouped under other
rules is recognised. Articles and analyses are written into a real store (test_stories' reports);
the CLI runs in process, the server on loopback."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from serve_support import running
from test_stories import REPORTS, _add, _story_of

from crosswire.cli import app as cli
from crosswire.store import Store
from crosswire.stories import consolidate, group, group_new, load_model
from crosswire.stories.group import grouping_rules, grouping_version

SECOND_FIRE = ("a9", "leedspost.example", "2024-05-27", "Second fire at Leeds furniture warehouse",
               "Fire broke out again at the Aireside Furnishings warehouse in Leeds on Monday, three weeks after "
               "two workers died there. West Yorkshire Fire and Rescue Service station manager Karen Holloway "
               "said nobody was hurt this time and the cause was being investigated.",
               "Leeds", "2024-05-27", 0, ["Karen Holloway"], ["Aireside Furnishings", "West Yorkshire Fire and Rescue Service"])


def _waiting(path: Path) -> Path:
    """A store of three events grouped, then a later fire at the same warehouse waiting."""
    with Store(path) as store:
        for r in REPORTS:
            _add(store, r)
        group_new(store)
        _add(store, SECOND_FIRE)
    return path


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return _waiting(tmp_path / "group.db")


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The store after `crosswire group` placed the later fire (grouped and cross-checked once)."""
    db = _waiting(tmp_path_factory.mktemp("grouped") / "group.db")
    result = CliRunner().invoke(cli, ["group", "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db, result.output


def test_group_prints_the_consolidation_counts_and_the_version(grouped: tuple[Path, str]) -> None:
    db, output = grouped
    result = CliRunner().invoke(cli, ["group", "--db", str(db), "--quiet"])  # nothing new: the counts are 0 too
    assert result.exit_code == 0, result.output
    assert "placed 1: joined 0, new stories 1 (1 linked as related)" in output
    assert "consolidation: split 0 stories, merged 0 into another, moved 0 articles" in output
    assert f"model {grouping_version(load_model())}" in output and "placed 0:" in result.output
    as_json = CliRunner().invoke(cli, ["group", "--db", str(db), "--quiet", "--json"])
    summary = json.loads(as_json.output)
    assert (summary["split"], summary["merged"], summary["moved"]) == (0, 0, 0)
    assert summary["rules"]["follow_up"]["follow_up_days"] == group.FOLLOW_UP_DAYS


def test_the_story_list_gives_each_related_storys_kind_and_reason(grouped: tuple[Path, str]) -> None:
    db, _ = grouped
    with Store(db) as store:
        later, earlier = _story_of(store, "a9"), _story_of(store, "a1")
    lines = {line.split()[0]: line for line in CliRunner().invoke(cli, ["stories", "--db", str(db)]).output.splitlines()}
    assert len(lines) == 4  # one line per story, the related ones at its end
    assert f"2024-05-27 related: {earlier} follow-up (a later event 24 days after" in " ".join(lines[later].split())
    assert "Leeds" in lines[later] and f"related: {later} follow-up (a later event" in lines[earlier]
    assert all("related:" not in line for sid, line in lines.items() if sid not in (later, earlier))
    rows = {r["id"]: r for r in map(json.loads, CliRunner().invoke(cli, ["stories", "--db", str(db), "--json"])
                                    .output.splitlines())}
    (link,) = rows[later]["related"]
    assert (link["id"], link["kind"], link["this"]) == (earlier, "follow-up", "later")
    assert rows[earlier]["related"][0]["this"] == "earlier" and "Leeds" in link["reason"]
    assert all(r["related"] == [] for sid, r in rows.items() if sid not in (later, earlier))


def test_the_story_page_shows_a_related_storys_kind_and_reason_escaped(grouped: tuple[Path, str],
                                                                       tmp_path: Path) -> None:
    from crosswire.serve import create_app

    from serve_support import copy_store

    db = copy_store(grouped[0], tmp_path / "page.db")
    with Store(db) as store:
        later, earlier, other = _story_of(store, "a9"), _story_of(store, "a1"), _story_of(store, "c1")
    conn = sqlite3.connect(db)
    with conn:  # a link written before links had kinds, with a hostile reason
        conn.execute("INSERT INTO story_links(story_id, related_id, probability, why, created_at) VALUES (?, ?, ?, ?, ?)",
                     (other, earlier, 0.3, json.dumps({"kind": "split", "reason": "<script>x()</script> parts"}),
                      "2024-05-28T00:00:00+00:00"))
    conn.close()
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        html = client.get(f"/stories/{earlier}").text
    related = html.split('<section id="related">', 1)[1].split("</section>", 1)[0]
    assert f'data-id="{later}" data-kind="follow-up"' in related
    assert "a later event 24 days after the story&#39;s last report" in related
    assert f'data-id="{other}" data-kind="split"' in related
    assert "&lt;script&gt;x()&lt;/script&gt; parts" in related and "<script>x()" not in html


def test_the_grouping_version_carries_the_follow_up_and_consolidation_rules(monkeypatch, db: Path) -> None:
    model = load_model()
    now, follow_up_days = grouping_version(model), group.FOLLOW_UP_DAYS
    assert now.startswith(model.version + "+rules.")
    monkeypatch.setattr(group, "FOLLOW_UP_DAYS", group.FOLLOW_UP_DAYS + 4)
    later_follow_up = grouping_version(model)
    monkeypatch.setattr(consolidate, "MERGE_AT", consolidate.MERGE_AT + 0.05)
    assert len({now, later_follow_up, grouping_version(model)}) == 3
    assert grouping_version(replace(model, version="stories-v9")).startswith("stories-v9+rules.")
    assert grouping_rules()["consolidate"]["merge_at"] == consolidate.MERGE_AT
    # a store grouped under the other rules says so, and every story and placement it makes carries its version
    with Store(db) as store:
        first = [tuple(r) for r in store.conn.execute("SELECT DISTINCT model FROM stories")]
        assert first == [(now,)]
        summary = group_new(store)
        assert summary.previous_model == now and summary.model == grouping_version(model)
        why = json.loads(store.conn.execute("SELECT why FROM story_articles WHERE article_id = 'a9'").fetchone()[0])
        assert why["model"] == summary.model
        assert group_new(store).previous_model is None
    result = CliRunner().invoke(cli, ["group", "--db", str(db), "--quiet"])
    assert "grouped under" not in result.output
    monkeypatch.setattr(group, "FOLLOW_UP_DAYS", follow_up_days)  # other rules again
    result = CliRunner().invoke(cli, ["group", "--db", str(db), "--quiet"])
    assert f"grouped under {summary.model}: `crosswire group --rebuild`" in result.output
