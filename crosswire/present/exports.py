"""Bulk exports of stored articles and facts: JSON Lines, CSV, Parquet; streamed, so memory stays flat."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from crosswire.present.safe import spreadsheet_cell
from crosswire.errors import UsageError
from crosswire.models import Article
from crosswire.store import Store

# ``published``/``published_source``: the effective publication day and where it came from (view
# ``article_published``: metadata > a byline or dateline in the text > inferred from the story > a
# dated caption); ``published_given``: the metadata's time as given, with its offset; ``published_utc``.
ARTICLE_FIELDS = [
    "id", "title", "text", "outlet", "url", "authors", "published", "published_source", "language",
    "ingested_at", "source", "removed", "duplicate_of", "similarity", "fetched", "published_given",
    "published_utc",
]
ARTICLE_SCHEMA = pa.schema(
    [
        ("id", pa.string()), ("title", pa.string()), ("text", pa.string()), ("outlet", pa.string()),
        ("url", pa.string()), ("authors", pa.list_(pa.string())), ("published", pa.string()),
        ("published_source", pa.string()), ("language", pa.string()), ("ingested_at", pa.string()),
        ("source", pa.string()),
        ("removed", pa.list_(pa.struct([("reason", pa.string()), ("text", pa.string())]))),
        ("duplicate_of", pa.string()), ("similarity", pa.float64()), ("fetched", pa.string()),
        ("published_given", pa.string()), ("published_utc", pa.string()),
    ]
)
FACT_FIELDS = ["id", "article_id", "kind", "about", "value", "text", "start", "end", "stage", "confidence",
               "role", "detail"]
# Values differ in shape by kind (a date, a place, an interval): Parquet keeps them as JSON text.
FACT_SCHEMA = pa.schema(
    [
        ("id", pa.string()), ("article_id", pa.string()), ("kind", pa.string()), ("about", pa.string()),
        ("value", pa.string()), ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("stage", pa.string()), ("confidence", pa.float64()), ("role", pa.string()), ("detail", pa.string()),
    ]
)
STORY_FIELDS = ["id", "title", "articles", "event", "facts", "quotes", "checks"]
# One row per story; the nested parts of the briefing record stay JSON text in CSV and Parquet.
STORY_SCHEMA = pa.schema([(name, pa.string()) for name in STORY_FIELDS])
FORMATS = {"articles": ("jsonl", "csv", "parquet"), "facts": ("jsonl", "csv", "parquet"),
           "stories": ("jsonl", "csv", "parquet", "geojson")}
PARQUET_BATCH = 1000


def article_record(article: Article, published: dict[str, Any]) -> dict[str, Any]:
    """An article as exported, with its effective publication (``Store.published_of``)."""
    d = article.to_dict()
    d["published_given"], d["published_utc"] = article.published, article.published_utc
    d["published"], d["published_source"] = published.get("published"), published.get("published_source")
    return {k: d[k] for k in ARTICLE_FIELDS}


@contextmanager
def _text_out(out: str) -> Iterator[IO[str]]:
    if out == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            yield fh


def _write_jsonl(records: Iterator[dict[str, Any]], out: str) -> int:
    n = 0
    with _text_out(out) as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def _write_csv(records: Iterator[dict[str, Any]], out: str, fields: list[str]) -> int:
    n = 0
    with _text_out(out) as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for rec in records:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else spreadsheet_cell(v)
                             for k, v in rec.items()})
            n += 1
    return n


def _write_parquet(records: Iterator[dict[str, Any]], out: str, schema: pa.Schema) -> int:
    n = 0
    sink: Any = io.BytesIO() if out == "-" else out
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        for rec in records:
            batch.append(rec)
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    if out == "-":
        sys.stdout.buffer.write(sink.getvalue())
        sys.stdout.flush()
    return n


def export(store: Store, what: str, fmt: str, out: str) -> int:
    """Write every stored ``what`` in ``fmt`` to ``out`` (a path or ``-``); returns the row count."""
    if what not in FORMATS:
        raise UsageError(f"cannot export {what!r} yet; available: {sorted(FORMATS)}")
    if fmt not in FORMATS[what]:
        raise UsageError(f"format {fmt!r} is not available for {what}; use one of {FORMATS[what]}")
    if out != "-":
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    if what == "stories":
        return _export_stories(store, fmt, out)
    if what == "facts":
        facts = (f.to_dict() for f in store.iter_facts())
        if fmt == "jsonl":
            return _write_jsonl(facts, out)
        if fmt == "csv":
            return _write_csv(facts, out, FACT_FIELDS)
        return _write_parquet((_json_columns(f, ("value", "detail")) for f in facts), out, FACT_SCHEMA)
    records = (article_record(a, p) for a, p in store.iter_articles_published())
    if fmt == "jsonl":
        return _write_jsonl(records, out)
    if fmt == "csv":
        return _write_csv(records, out, ARTICLE_FIELDS)
    return _write_parquet(records, out, ARTICLE_SCHEMA)


def _json_columns(rec: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if k in keys else v for k, v in rec.items()}


def _story_records(store: Store) -> Iterator[dict[str, Any]]:
    """Each story's cross-checked record (the ``crosswire show --format json`` shape), newest first."""
    from crosswire.stories.views import list_stories
    from crosswire.present.briefing import story_view

    for row in list_stories(store):
        yield story_view(store, row["id"])


def _geojson_features(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """A point feature per place of each story's event, with the story's id, title, type and dates."""
    for rec in records:
        event = rec.get("event") or {}
        for place in event.get("where") or []:
            if place.get("lat") is None or place.get("lon") is None:
                continue
            yield {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                "properties": {
                    "story": rec["id"], "title": rec.get("title"), "place": place.get("name"),
                    "geonameid": place.get("geonameid"), "country": place.get("country"),
                    "cameo": (event.get("type") or {}).get("cameo"), "label": (event.get("type") or {}).get("label"),
                    "start": (event.get("when") or {}).get("start"), "end": (event.get("when") or {}).get("end"),
                    "articles": len(rec.get("articles") or []),
                },
            }


def _export_stories(store: Store, fmt: str, out: str) -> int:
    records = _story_records(store)
    if fmt == "jsonl":
        return _write_jsonl(records, out)
    if fmt == "geojson":
        features = list(_geojson_features(records))
        with _text_out(out) as fh:
            json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
            fh.write("\n")
        return len(features)
    rows = ({k: rec.get(k) for k in STORY_FIELDS} for rec in records)
    if fmt == "csv":
        return _write_csv(rows, out, STORY_FIELDS)
    return _write_parquet((_json_columns(r, tuple(STORY_FIELDS[2:])) for r in rows), out, STORY_SCHEMA)
