"""The stories page's query: search, filters, sort and paging over the server's catalog
(:mod:`crosswire.serve.catalog`). Every value reaches SQL as a parameter; the ORDER BY is chosen
from a fixed table, never built from the request."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query

from crosswire.errors import UsageError
from crosswire.serve import geo

SORTS = {
    "newest": "s.last IS NULL, s.last DESC, s.id",
    "sources": "s.independent DESC, s.last IS NULL, s.last DESC, s.id",
    "conflicts": "s.conflicts DESC, s.last IS NULL, s.last DESC, s.id",
    "relevance": "bm25(story_text, 10.0, 1.0, 3.0), s.last DESC, s.id",
}
MAX_LIMIT = 200
MAP_STORIES = 2000  # the map of a list draws its first stories (in the list's order) up to this many
_WORD = re.compile(r"\w+", re.UNICODE)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class StoryQuery:
    """What the stories page was asked: ``q`` (words, all must match), the filters, the sort, a page."""

    q: str = ""
    since: str | None = None
    until: str | None = None
    country: str | None = None
    cameo: str | None = None
    outlet: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    km: float | None = None
    language: str | None = None
    conflict: bool = False
    min_sources: int = 0
    sort: str | None = None
    offset: int = 0
    limit: int = 50

    def check(self) -> "StoryQuery":
        """The query with its values checked: a bad one is a :class:`UsageError` naming the parameter."""
        for name in ("since", "until"):
            v = getattr(self, name)
            if v:
                try:
                    date.fromisoformat(v)
                except ValueError:
                    raise UsageError(f"{name}={v!r} is not a date; give YYYY-MM-DD") from None
        if self.country and not re.fullmatch(r"[A-Za-z]{2}", self.country):
            raise UsageError(f"country={self.country!r} is not an ISO 3166 two-letter code (such as PL)")
        if self.cameo and not re.fullmatch(r"\d{1,4}", self.cameo):
            raise UsageError(f"cameo={self.cameo!r} is not a CAMEO code prefix (1 to 4 digits, such as 19)")
        if self.place is not None and not _WORD.search(self.place):
            raise UsageError(f"place={self.place!r} is neither a GeoNames id nor a place name")
        near = (self.lat, self.lon, self.km)
        if any(v is not None for v in near):
            if any(v is None for v in near):
                raise UsageError("lat, lon and km go together: the stories within km kilometres of (lat, lon)")
            if not -90 <= self.lat <= 90 or not -180 <= self.lon <= 180:  # type: ignore[operator]
                raise UsageError(f"lat={self.lat}, lon={self.lon} is not a point: lat from -90 to 90, lon from "
                                 "-180 to 180")
            if not 0 < self.km <= geo.EARTH_HALF_CIRCUMFERENCE_KM:  # type: ignore[operator]
                raise UsageError(f"km={self.km} must be more than 0 and at most "
                                 f"{geo.EARTH_HALF_CIRCUMFERENCE_KM:.0f} (half the earth around)")
        if self.language and not re.fullmatch(r"[A-Za-z]{2,3}", self.language):
            raise UsageError(f"language={self.language!r} is not an ISO 639 language code (such as en)")
        if self.sort is not None and self.sort not in SORTS:
            raise UsageError(f"sort={self.sort!r} is unknown; use one of {', '.join(SORTS)}")
        if self.sort == "relevance" and not self.words():
            raise UsageError("sort=relevance needs a search q")
        if self.min_sources < 0 or self.offset < 0:
            raise UsageError("min_sources and offset cannot be negative")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise UsageError(f"limit must be from 1 to {MAX_LIMIT}")
        return self

    def near(self) -> bool:
        return self.lat is not None and self.lon is not None and self.km is not None

    def words(self) -> list[str]:
        return _WORD.findall(self.q or "")

    def order(self) -> str:
        return SORTS[self.sort or ("relevance" if self.words() else "newest")]

    def params(self, **change: Any) -> dict[str, Any]:
        """The query as URL parameters (defaults left out), with ``change`` applied."""
        d = {**asdict(self), **change}
        default = asdict(StoryQuery())
        return {k: ("1" if v is True else v) for k, v in d.items() if v not in (None, "", False) and v != default[k]}


def _number(name: str, value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        x = float(value)
    except ValueError:
        raise UsageError(f"{name}={value!r} is not a number") from None
    if not math.isfinite(x):
        raise UsageError(f"{name}={value!r} is not a finite number")
    return x


def query_params(
        q: Annotated[str, Query(description="Words to search in story titles, article text and fact values (all "
                                            "must match).")] = "",
        since: Annotated[str | None, Query(description="Stories still reported on or after this day (YYYY-MM-DD).")] = None,
        until: Annotated[str | None, Query(description="Stories first reported on or before this day.")] = None,
        country: Annotated[str | None, Query(description="ISO-2 code of a country of the event's places.")] = None,
        place: Annotated[str | None, Query(description="An event place: its GeoNames id, or its name (case and "
                                                       "accents ignored: Gdansk finds Gdańsk).")] = None,
        lat: Annotated[str | None, Query(description="With lon and km: stories with an event place within km "
                                                     "kilometres (geodesic, WGS84) of this latitude.")] = None,
        lon: Annotated[str | None, Query(description="The point's longitude (see lat).")] = None,
        km: Annotated[str | None, Query(description="The distance from (lat, lon), in km (see lat).")] = None,
        cameo: Annotated[str | None, Query(description="CAMEO code prefix of the event type.")] = None,
        outlet: Annotated[str | None, Query(description="An outlet that reported the story.")] = None,
        language: Annotated[str | None, Query(description="ISO 639 code of the language of one of its articles.")] = None,
        conflict: Annotated[bool, Query(description="Only stories with a fact in conflict.")] = False,
        min_sources: Annotated[int, Query(description="At least this many independent sources.")] = 0,
        sort: Annotated[str | None, Query(description=f"One of {', '.join(SORTS)}.")] = None,
        offset: int = 0, limit: int = 50) -> StoryQuery:
    """The stories page's query from its URL parameters (a FastAPI dependency), checked; empty form
    fields count as not given."""
    return StoryQuery(q=q, since=since or None, until=until or None, country=country or None,
                      place=(place or "").strip() or None, lat=_number("lat", lat), lon=_number("lon", lon),
                      km=_number("km", km), cameo=cameo or None, outlet=outlet or None, language=language or None,
                      conflict=conflict, min_sources=min_sources, sort=sort or None, offset=offset, limit=limit).check()


def match_expression(words: list[str]) -> str:
    """An FTS5 query that matches every word (each a quoted string: no operator syntax reaches FTS5)."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def within(conn: sqlite3.Connection, lat: float, lon: float, km: float) -> dict[int, float]:
    """The catalog's stories with an event place within ``km`` of ``(lat, lon)`` (geodesic, WGS84),
    each with its nearest place's distance: the bounding box prefilters in SQL, the geodesic decides."""
    south, north, ranges = geo.bounding_box(lat, lon, km)
    rows = [r for west, east in ranges for r in conn.execute(
        "SELECT story, lat, lon FROM story_places WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
        (south, north, west, east))]
    found: dict[int, float] = {}
    for (story, _, _), d in zip(rows, geo.distances_km(lat, lon, [r[1] for r in rows], [r[2] for r in rows])):
        if d <= km and d < found.get(story, math.inf):
            found[story] = d
    return found


def _where(conn: sqlite3.Connection, query: StoryQuery) -> tuple[str, str, list[Any], dict[int, float]]:
    """``(joins, where, args, distances)`` of the stories ``query`` filters to; ``distances``: each
    story's km to the point when the query asks for stories near one."""
    where: list[str] = ["1"]
    args: list[Any] = []
    joins = ""
    words = query.words()
    if words:
        joins = " JOIN story_text ON story_text.rowid = s.n"
        where.append("story_text MATCH ?")
        args.append(match_expression(words))
    if query.since:
        where.append("coalesce(s.last, s.first) >= ?")
        args.append(query.since)
    if query.until:
        where.append("coalesce(s.first, s.last) <= ?")
        args.append(query.until)
    if query.country:
        where.append("EXISTS (SELECT 1 FROM story_countries c WHERE c.story = s.n AND c.country = ?)")
        args.append(query.country.upper())
    if query.cameo:
        where.append("EXISTS (SELECT 1 FROM story_cameo k WHERE k.story = s.n AND substr(k.code, 1, ?) = ?)")
        args += [len(query.cameo), query.cameo]
    if query.outlet:
        where.append("EXISTS (SELECT 1 FROM story_outlets o WHERE o.story = s.n AND o.outlet = ?)")
        args.append(query.outlet)
    if query.place:
        if query.place.strip().isdigit():
            where.append("EXISTS (SELECT 1 FROM story_places p WHERE p.story = s.n AND p.geonameid = ?)")
            args.append(int(query.place.strip()))
        else:
            where.append("EXISTS (SELECT 1 FROM story_places p WHERE p.story = s.n AND p.key = ?)")
            args.append(geo.place_key(query.place))
    distances: dict[int, float] = {}
    if query.near():
        distances = within(conn, query.lat, query.lon, query.km)  # type: ignore[arg-type]
        where.append("s.n IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(sorted(distances)))
    if query.language:
        where.append("EXISTS (SELECT 1 FROM story_languages g WHERE g.story = s.n AND g.language = ?)")
        args.append(query.language.lower())
    if query.conflict:
        where.append("s.conflicts > 0")
    if query.min_sources:
        where.append("s.independent >= ?")
        args.append(query.min_sources)
    return joins, " AND ".join(where), args, distances


def find_stories(conn: sqlite3.Connection, query: StoryQuery, base: str = "/stories") -> dict[str, Any]:
    """The page of stories ``query`` asks for: ``{"stories": [...], "next": URL or None, "total": N}``."""
    joins, sql_where, args, distances = _where(conn, query)
    total = conn.execute(f"SELECT count(*) FROM stories s{joins} WHERE {sql_where}", args).fetchone()[0]
    rows = conn.execute(
        f"SELECT s.* FROM stories s{joins} WHERE {sql_where} ORDER BY {query.order()} LIMIT ? OFFSET ?",
        [*args, query.limit + 1, query.offset]).fetchall()
    more = len(rows) > query.limit
    stories = [story_row(r) for r in rows[: query.limit]]
    extra = _story_extras(conn, [r["n"] for r in rows[: query.limit]])
    for r, s in zip(rows, stories):
        s.update(extra.get(r["n"], {"places": [], "languages": [], "event_day": None}))
        if query.near():
            s["distance_km"] = round(distances[r["n"]], 1)
    nxt = f"{base}?{urlencode(query.params(offset=query.offset + query.limit))}" if more else None
    return {"stories": stories, "next": nxt, "total": total, "query": query.params()}


def story_row(r: sqlite3.Row) -> dict[str, Any]:
    """One story of the list: the fields of ``crosswire stories --json`` and what the filters read."""
    return {"id": r["id"], "title": r["title"], "articles": r["articles"], "reports": r["reports"],
            "outlets": json.loads(r["outlets"]), "first": r["first"], "last": r["last"],
            "countries": json.loads(r["countries"]), "cameo": json.loads(r["cameo"]), "label": r["label"],
            "conflicts": r["conflicts"], "independent_sources": r["independent"], "checked": bool(r["checked"])}


def _story_extras(conn: sqlite3.Connection, ns: list[int]) -> dict[int, dict[str, Any]]:
    """What a listed story adds to ``crosswire stories --json``: its event places, its articles'
    languages and its event day (the event's first day, else its first report's)."""
    out: dict[int, dict[str, Any]] = {n: {"places": [], "languages": [], "event_day": None} for n in ns}
    ids = json.dumps(ns)
    for r in conn.execute("SELECT story, geonameid, name, country, lat, lon FROM story_places "
                          "WHERE story IN (SELECT value FROM json_each(?)) ORDER BY story, rowid", (ids,)):
        out[r[0]]["places"].append({"name": r[2], "geonameid": r[1], "country": r[3], "lat": r[4], "lon": r[5]})
    for story, language in conn.execute("SELECT story, language FROM story_languages WHERE story IN "
                                        "(SELECT value FROM json_each(?)) ORDER BY story, language", (ids,)):
        out[story]["languages"].append(language)
    for story, day in conn.execute("SELECT story, day FROM story_event WHERE story IN (SELECT value FROM json_each(?))",
                                   (ids,)):
        out[story]["event_day"] = day
    return out


def stories_map(conn: sqlite3.Connection, query: StoryQuery) -> dict[str, Any]:
    """The map of every story ``query`` filters to (not only one page; the first :data:`MAP_STORIES`
    in the list's order): each story's event places as points, with the country outlines around them."""
    joins, sql_where, args, _ = _where(conn, query)
    total = conn.execute(f"SELECT count(*) FROM stories s{joins} WHERE {sql_where}", args).fetchone()[0]
    picked = conn.execute(f"SELECT s.n, s.id, s.title FROM stories s{joins} WHERE {sql_where} ORDER BY {query.order()} "
                          "LIMIT ?", [*args, MAP_STORIES]).fetchall()
    rank = {r["n"]: i for i, r in enumerate(picked)}
    by_n = {r["n"]: r for r in picked}
    places = conn.execute("SELECT story, name, lat, lon FROM story_places WHERE story IN (SELECT value FROM "
                          "json_each(?)) AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY rowid",
                          (json.dumps(list(rank)),)).fetchall()
    points = [{"story": by_n[r[0]]["id"], "title": by_n[r[0]]["title"], "name": r[1], "lat": r[2], "lon": r[3]}
              for r in sorted(places, key=lambda r: rank[r[0]])]
    return {**geo.stories_map(points, total, min(total, MAP_STORIES)), "query": query.params()}


def timeline(conn: sqlite3.Connection, query: StoryQuery) -> dict[str, Any]:
    """How many of the stories ``query`` filters to happened on each day (the event's first day,
    else the first report's): ``{"days": [{"day", "stories"}], "undated": N, "total": N}``."""
    joins, sql_where, args, _ = _where(conn, query)
    rows = conn.execute(
        f"SELECT substr(e.day, 1, 10) AS day, count(*) FROM stories s{joins} LEFT JOIN story_event e ON e.story = s.n "
        f"WHERE {sql_where} GROUP BY 1 ORDER BY 1", args).fetchall()
    days = [{"day": d, "stories": n} for d, n in rows if d and _DAY.fullmatch(d)]
    undated = sum(n for d, n in rows if not (d and _DAY.fullmatch(d)))
    return {"days": days, "undated": undated, "total": undated + sum(d["stories"] for d in days),
            "first": days[0]["day"] if days else None, "last": days[-1]["day"] if days else None,
            "query": query.params()}


def facets(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The values the filters can take (for the form): outlets, countries and languages seen."""
    return {"outlets": [r[0] for r in conn.execute("SELECT DISTINCT outlet FROM story_outlets ORDER BY outlet")],
            "countries": [r[0] for r in conn.execute("SELECT DISTINCT country FROM story_countries ORDER BY country")],
            "languages": [r[0] for r in conn.execute("SELECT DISTINCT language FROM story_languages ORDER BY language")]}
