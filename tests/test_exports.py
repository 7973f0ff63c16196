"""Bulk exports of stories (the briefing record per line, flat CSV/Parquet rows and their facts and articles
as rows, GeoJSON points) on the demo."""

import csv
import json
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crosswire.config import load_settings
from crosswire.demo import run_demo
from crosswire.errors import UsageError
from crosswire.present.exports import STORY_ARTICLE_FIELDS, STORY_FACT_FIELDS, STORY_FLAT_FIELDS, export
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


def _jsonl(store, folder, what):  # type: ignore[no-untyped-def]
    export(store, what, "jsonl", str(folder / f"{what}.jsonl"))
    return (folder / f"{what}.jsonl").read_text(encoding="utf-8").splitlines()


def test_stories_as_json_lines_follow_the_show_contract(demo_store):
    store, folder = demo_store
    out = folder / "stories.jsonl"
    assert export(store, "stories", "jsonl", str(out)) == 2
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [list(r)[: len(CONTRACT_KEYS)] for r in records] == [CONTRACT_KEYS] * 2
    for r in records:
        assert r["facts"] and all(f["sources"] for f in r["facts"])


def test_stories_as_csv_and_parquet_are_flat_typed_columns_one_row_per_story(demo_store):
    store, folder = demo_store
    records = {r["id"]: r for r in map(json.loads, _jsonl(store, folder, "stories"))}
    assert export(store, "stories", "csv", str(folder / "s.csv")) == 2
    with (folder / "s.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 and list(rows[0]) == STORY_FLAT_FIELDS
    for row in rows:  # no JSON text in any cell
        for k, v in row.items():
            assert not v.startswith(("[", "{")), (k, v)
    assert export(store, "stories", "parquet", str(folder / "s.parquet")) == 2
    table = pq.read_table(folder / "s.parquet")
    assert table.num_rows == 2 and table.column_names == STORY_FLAT_FIELDS
    types = {f.name: f.type for f in table.schema}
    for name in ("event_start", "event_end", "first_published", "last_published"):
        assert types[name] == pa.date32(), name
    for name in ("article_count", "fact_count", "conflicts", "place_geonameid", "independent_sources"):
        assert types[name] == pa.int64(), name
    assert types["place_lat"] == types["place_lon"] == pa.float64()
    for row, parquet_row in zip(rows, table.to_pylist()):
        rec = records[row["id"]]
        assert row["title"] == parquet_row["title"] == rec["title"]
        assert parquet_row["event_start"] == date.fromisoformat(rec["event"]["when"]["start"])
        assert row["event_start"] == rec["event"]["when"]["start"]
        place = rec["event"]["where"][0]
        assert (parquet_row["place"], parquet_row["place_geonameid"], parquet_row["place_country"]) == (
            place["name"], place["geonameid"], place["country"])
        assert parquet_row["article_count"] == int(row["article_count"]) == len(rec["articles"])
        assert parquet_row["fact_count"] == len(rec["facts"])
        assert parquet_row["corroborated"] + parquet_row["single_source"] + parquet_row["conflicts"] == len(rec["facts"])
        assert row["article_ids"].split("; ") == [a["id"] for a in rec["articles"]]
        assert row["urls"].split(" ") == [a["url"] for a in rec["articles"] if a["url"]]
        days = sorted(a["published"] for a in rec["articles"] if a["published"])
        assert (row["first_published"], row["last_published"]) == (days[0], days[-1])


def test_story_facts_and_articles_are_the_lists_as_rows_joined_on_story_id(demo_store):
    store, folder = demo_store
    records = [json.loads(line) for line in _jsonl(store, folder, "stories")]
    n_facts = sum(len(r["facts"]) + len(r["quotes"]) for r in records)
    assert export(store, "story-facts", "parquet", str(folder / "f.parquet")) == n_facts
    facts = pq.read_table(folder / "f.parquet")
    assert facts.column_names == STORY_FACT_FIELDS
    types = {f.name: f.type for f in facts.schema}
    assert types["value_date"] == pa.date32() and types["value_number"] == pa.float64()
    assert types["is_quote"] == pa.bool_() and types["independent_sources"] == pa.int64()
    rows = facts.to_pylist()
    by_id = {(r["id"], f["id"]): f for r in records for f in r["facts"]}
    for row in rows:
        if row["is_quote"]:
            continue
        f = by_id[(row["story_id"], row["fact_id"])]
        assert row["status"] == f["status"] and row["source_count"] == len(f["sources"])
        if f["kind"] == "date":
            assert row["value_date"] == date.fromisoformat(f["value"]) and row["value"] == f["value"]
        if f["kind"] == "place":
            assert (row["value"], row["place_geonameid"]) == (f["value"]["name"], f["value"]["geonameid"])
        if f["kind"] == "count":
            assert row["value_number"] == f["value"]["value"]
    assert sum(r["is_quote"] for r in rows) == sum(len(r["quotes"]) for r in records)
    assert export(store, "story-facts", "csv", str(folder / "f.csv")) == n_facts
    with (folder / "f.csv").open(encoding="utf-8") as fh:
        assert [r["fact_id"] for r in csv.DictReader(fh)] == [r["fact_id"] for r in rows]

    n_articles = sum(len(r["articles"]) for r in records)
    assert export(store, "story-articles", "csv", str(folder / "a.csv")) == n_articles
    with (folder / "a.csv").open(encoding="utf-8") as fh:
        arts = list(csv.DictReader(fh))
    assert list(arts[0]) == STORY_ARTICLE_FIELDS
    assert [(a["story_id"], a["article_id"]) for a in arts] == [(r["id"], a["id"]) for r in records for a in r["articles"]]
    assert export(store, "story-articles", "parquet", str(folder / "a.parquet")) == n_articles
    assert pq.read_table(folder / "a.parquet").schema.field("published").type == pa.date32()
    assert export(store, "story-articles", "jsonl", str(folder / "a.jsonl")) == n_articles
    first = json.loads((folder / "a.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["published"] == records[0]["articles"][0]["published"]


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
