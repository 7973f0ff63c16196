"""Bulk exports of stories (the briefing record per line, CSV/Parquet rows, GeoJSON points) on the demo."""

import csv
import json

import pyarrow.parquet as pq
import pytest

from crosswire.config import load_settings
from crosswire.demo import run_demo
from crosswire.errors import UsageError
from crosswire.present.exports import export
from crosswire.store import Store

CONTRACT_KEYS = ["id", "title", "articles", "event", "facts", "quotes", "checks"]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    settings = load_settings(env={}, db=str(folder / "demo.db"), workers=1)
    result = run_demo(settings, folder / "demo-briefing.html")
    assert result.stories == 2
    with Store(settings.db) as store:
        yield store, folder


def test_stories_as_json_lines_follow_the_show_contract(demo_store):
    store, folder = demo_store
    out = folder / "stories.jsonl"
    assert export(store, "stories", "jsonl", str(out)) == 2
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [list(r)[: len(CONTRACT_KEYS)] for r in records] == [CONTRACT_KEYS] * 2
    for r in records:
        assert r["facts"] and all(f["sources"] for f in r["facts"])


def test_stories_as_csv_and_parquet_keep_one_row_per_story(demo_store):
    store, folder = demo_store
    assert export(store, "stories", "csv", str(folder / "s.csv")) == 2
    with (folder / "s.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 and all(json.loads(r["facts"]) for r in rows)
    assert export(store, "stories", "parquet", str(folder / "s.parquet")) == 2
    table = pq.read_table(folder / "s.parquet")
    assert table.num_rows == 2 and table.column_names == CONTRACT_KEYS


def test_stories_as_geojson_put_each_event_where_it_happened(demo_store):
    store, folder = demo_store
    n = export(store, "stories", "geojson", str(folder / "s.geojson"))
    doc = json.loads((folder / "s.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == n >= 2
    countries = {f["properties"]["country"] for f in doc["features"]}
    assert {"PL", "NL"} <= countries
    for f in doc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert 3 < lon < 20 and 50 < lat < 56  # Gdańsk and Rotterdam, not a look-alike elsewhere


def test_a_format_a_kind_lacks_is_refused(demo_store):
    store, folder = demo_store
    with pytest.raises(UsageError):
        export(store, "facts", "geojson", str(folder / "x.geojson"))
