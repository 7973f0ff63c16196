"""Parquet partitioned by publication day (hive layout ``day=YYYY-MM-DD/``), read back with pyarrow.dataset, on the demo."""

import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from crosswire.config import load_settings
from crosswire.demo import run_demo
from crosswire.errors import UsageError
from crosswire.present.exports import export, export_partitioned
from crosswire.store import Store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    settings = load_settings(env={}, db=str(folder / "demo.db"), workers=1)
    assert run_demo(settings, folder / "demo-briefing.html").stories == 2
    with Store(settings.db) as store:
        yield store, folder


def read(folder: Path) -> list[dict]:
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()


def flat(store: Store, folder: Path, what: str) -> list[dict]:
    out = folder / f"{what}.parquet"
    export(store, what, "parquet", str(out))
    return pq.read_table(out).to_pylist()


def by(rows: list[dict], *keys: str) -> dict:
    return {tuple(r[k] for k in keys): r for r in rows}


def test_articles_are_partitioned_by_their_effective_publication_day(demo_store, tmp_path):
    store, _ = demo_store
    out = tmp_path / "articles"
    n, parts = export_partitioned(store, "articles", str(out))
    rows, expected = read(out), flat(store, tmp_path, "articles")
    assert n == len(rows) == len(expected) == store.count_articles()
    days = {r["published"] for r in expected}
    assert parts == len(days) >= 2
    assert sorted(p.name for p in out.iterdir()) == sorted(
        "day=__HIVE_DEFAULT_PARTITION__" if d is None else f"day={d}" for d in days)
    got = by(rows, "id")
    for row in expected:  # every column as the flat export gives it, plus its day
        assert got[(row["id"],)] == {**row, "day": row["published"]}
    for part in out.iterdir():  # each folder holds only its day's rows
        day = part.name.split("=", 1)[1]
        assert {r["published"] or "__HIVE_DEFAULT_PARTITION__" for r in pq.read_table(part).to_pylist()} == {day}


def test_facts_take_their_articles_day_and_stories_their_first_report_day(demo_store, tmp_path):
    store, _ = demo_store
    article_day = {r["id"]: r["published"] for r in flat(store, tmp_path, "articles")}
    n, _ = export_partitioned(store, "facts", str(tmp_path / "facts"))
    facts, expected = read(tmp_path / "facts"), flat(store, tmp_path, "facts")
    assert n == len(facts) == len(expected) > 100
    assert by(facts, "id") == {(f["id"],): {**f, "day": article_day[f["article_id"]]} for f in expected}

    export_partitioned(store, "stories", str(tmp_path / "stories"))
    stories = read(tmp_path / "stories")
    assert len(stories) == 2 and all(s["day"] == s["first_published"].isoformat() for s in stories)
    first = {s["id"]: s["day"] for s in stories}
    for what, n_min in (("story-facts", 10), ("story-articles", 10)):
        export_partitioned(store, what, str(tmp_path / what))
        rows = read(tmp_path / what)
        assert len(rows) == len(flat(store, tmp_path, what)) >= n_min
        assert all(r["day"] == first[r["story_id"]] for r in rows)


def test_a_folder_with_files_is_never_written_into(demo_store, tmp_path):
    store, _ = demo_store
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="is not empty; give a new or empty folder"):
        export_partitioned(store, "articles", str(tmp_path / "full"))
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    with pytest.raises(UsageError, match="cannot partition by 'month'"):
        export_partitioned(store, "articles", str(tmp_path / "new"), by="month")
    with pytest.raises(UsageError, match="give a folder, not -"):
        export_partitioned(store, "articles", "-")


def test_the_export_command_writes_the_partitions(demo_store, tmp_path):
    _, folder = demo_store
    db = str(folder / "demo.db")

    def crosswire(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "crosswire", "export", *args, "--db", db], capture_output=True,
                              timeout=300)

    done = crosswire("--what", "facts", "--format", "parquet", "--partition", "day", str(tmp_path / "f"))
    assert done.returncode == 0, done.stderr.decode()
    assert "day partitions" in done.stderr.decode()
    assert len(read(tmp_path / "f")) > 100
    refused = crosswire("--what", "facts", "--format", "csv", "--partition", "day", str(tmp_path / "g"))
    assert refused.returncode == 2 and b"--format parquet" in refused.stderr
