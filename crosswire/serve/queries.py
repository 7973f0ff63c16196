"""The stories page's query: search, filters, sort and paging over the server's catalog
(:mod:`crosswire.serve.catalog`). Every value reaches SQL as a parameter; the ORDER BY is chosen
from a fixed table, never built from the request."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from crosswire.errors import UsageError

SORTS = {
    "newest": "s.last IS NULL, s.last DESC, s.id",
    "sources": "s.independent DESC, s.last IS NULL, s.last DESC, s.id",
    "conflicts": "s.conflicts DESC, s.last IS NULL, s.last DESC, s.id",
    "relevance": "bm25(story_text, 10.0, 1.0, 3.0), s.last DESC, s.id",
}
MAX_LIMIT = 200
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class StoryQuery:
    """What the stories page was asked: ``q`` (words, all must match), the filters, the sort, a page."""

    q: str = ""
    since: str | None = None
    until: str | None = None
    country: str | None = None
    cameo: str | None = None
    outlet: str | None = None
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
        if self.sort is not None and self.sort not in SORTS:
            raise UsageError(f"sort={self.sort!r} is unknown; use one of {', '.join(SORTS)}")
        if self.sort == "relevance" and not self.words():
            raise UsageError("sort=relevance needs a search q")
        if self.min_sources < 0 or self.offset < 0:
            raise UsageError("min_sources and offset cannot be negative")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise UsageError(f"limit must be from 1 to {MAX_LIMIT}")
        return self

    def words(self) -> list[str]:
        return _WORD.findall(self.q or "")

    def order(self) -> str:
        return SORTS[self.sort or ("relevance" if self.words() else "newest")]

    def params(self, **change: Any) -> dict[str, Any]:
        """The query as URL parameters (defaults left out), with ``change`` applied."""
        d = {**asdict(self), **change}
        default = asdict(StoryQuery())
        return {k: ("1" if v is True else v) for k, v in d.items() if v not in (None, "", False) and v != default[k]}


def match_expression(words: list[str]) -> str:
    """An FTS5 query that matches every word (each a quoted string: no operator syntax reaches FTS5)."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def find_stories(conn: sqlite3.Connection, query: StoryQuery, base: str = "/stories") -> dict[str, Any]:
    """The page of stories ``query`` asks for: ``{"stories": [...], "next": URL or None, "total": N}``."""
    where, args, joins = ["1"], [], ""
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
    if query.conflict:
        where.append("s.conflicts > 0")
    if query.min_sources:
        where.append("s.independent >= ?")
        args.append(query.min_sources)
    sql_where = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM stories s{joins} WHERE {sql_where}", args).fetchone()[0]
    rows = conn.execute(
        f"SELECT s.* FROM stories s{joins} WHERE {sql_where} ORDER BY {query.order()} LIMIT ? OFFSET ?",
        [*args, query.limit + 1, query.offset]).fetchall()
    more = len(rows) > query.limit
    stories = [story_row(r) for r in rows[: query.limit]]
    nxt = f"{base}?{urlencode(query.params(offset=query.offset + query.limit))}" if more else None
    return {"stories": stories, "next": nxt, "total": total, "query": query.params()}


def story_row(r: sqlite3.Row) -> dict[str, Any]:
    """One story of the list: the fields of ``crosswire stories --json`` and what the filters read."""
    return {"id": r["id"], "title": r["title"], "articles": r["articles"], "reports": r["reports"],
            "outlets": json.loads(r["outlets"]), "first": r["first"], "last": r["last"],
            "countries": json.loads(r["countries"]), "cameo": json.loads(r["cameo"]), "label": r["label"],
            "conflicts": r["conflicts"], "independent_sources": r["independent"], "checked": bool(r["checked"])}


def facets(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The values the filters can take (for the form): outlets and countries seen."""
    return {"outlets": [r[0] for r in conn.execute("SELECT DISTINCT outlet FROM story_outlets ORDER BY outlet")],
            "countries": [r[0] for r in conn.execute("SELECT DISTINCT country FROM story_countries ORDER BY country")]}
