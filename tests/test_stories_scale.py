"""Grouping at scale: what placing an article reads and writes does not grow with the store.

Every statement a grouping run sends to SQLite is caught (the connection's trace) and its query
plan checked: each one finds its rows through an index led by an article, story or index key (a
SEARCH), never by reading a whole table (a SCAN) or every fact of a kind, so its cost follows the
run, not the number of stored articles. The page cache and memory
map of a run are set for its duration and the connection's own are restored after it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crosswire.store import Store
from crosswire.stories import group_new

from test_stories import REPORTS, _add


def _plan(conn, sql: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql)]


# Columns that pick out one article's, one story's or one index key's rows (or the rows after a
# watermark): an index search led by one of them reads what a run asks for, not a share of the store.
NARROW = {"id", "article_id", "story_id", "key", "rowid", "name"}


def _table_scans(plan: list[str]) -> list[str]:
    """Steps that read a whole stored table or a share of it that grows with the store: a SCAN (a
    subquery's own rows are not one), or an index SEARCH led by a column such as ``kind``."""
    out = []
    for p in plan:
        if p.startswith("SCAN") and "subquery" not in p and "CONSTANT ROW" not in p:
            out.append(p)
        elif p.startswith("SEARCH") and (m := re.search(r"\((\w+)[=<>]", p)) and m.group(1) not in NARROW:
            out.append(p)
    return out


WAITING = 60  # a batch of dozens of articles: SQLite chose another index for a long IN list


@pytest.fixture()
def grown(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A store whose stories exist, with a batch of new reports and a copy waiting to be placed."""
    with Store(tmp_path / "scale.db") as store:
        for r in REPORTS[:5]:
            _add(store, r)
        group_new(store)
        for i in range(WAITING):
            r = REPORTS[5 + i % 3]
            _add(store, r, article_id=f"{r[0]}-{i}")
        _add(store, REPORTS[0], duplicate_of="a1", article_id="a1-copy")
        yield store


def test_every_statement_of_a_grouping_run_finds_its_rows_through_an_index(grown: Store) -> None:
    sent: list[str] = []
    grown.conn.set_trace_callback(sent.append)
    try:
        summary = group_new(grown)
    finally:
        grown.conn.set_trace_callback(None)
    assert (summary.placed, summary.copies) == (WAITING + 1, 1)
    statements = {s for s in sent if re.match(r"\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\b", s, re.I)}
    kinds = " ".join(statements)
    for table in ("story_keys", "stories", "story_articles", "facts", "analyses", "article_published"):
        assert table in kinds  # the run did read and write what it places with
    scans = {s: _table_scans(_plan(grown.conn, s)) for s in statements}
    assert {s: p for s, p in scans.items() if p} == {}


def test_the_plan_check_sees_a_statement_that_reads_a_whole_table(grown: Store) -> None:
    assert _table_scans(_plan(grown.conn, "SELECT story_id FROM story_keys WHERE seq > 3"))
    assert _table_scans(_plan(grown.conn, "SELECT id FROM facts WHERE kind = 'entity' AND about = 'PERSON'"))
    assert not _table_scans(_plan(grown.conn, "SELECT story_id FROM story_keys WHERE key = 5 AND day = 1"))


def test_consolidation_searches_stories_for_a_readers_correction_only_when_the_store_records_one(grown: Store) -> None:
    from crosswire.stories import merge

    def searches() -> int:
        sent: list[str] = []
        grown.conn.set_trace_callback(sent.append)
        try:
            group_new(grown)
        finally:
            grown.conn.set_trace_callback(None)
        return sum("corrections" in s and "LIKE" in s for s in sent)

    assert searches() == 0  # nothing corrected: no story's articles are read for it
    stories = [r[0] for r in grown.conn.execute("SELECT id FROM stories WHERE status = 'active' ORDER BY id")]
    merge(grown, stories[0], stories[1])
    _add(grown, REPORTS[1], article_id="b1-late")
    assert searches() > 0
