"""An article's grouping features: what the story stage compares, read from the facts stage.

Stage :data:`STAGE`. Input: a stored article, its analysis's main event record and its
facts (:mod:`crosswire.extract.article`). Output: one :class:`ArticleFeatures` holding the words
(title, body), the named entities, the people's surnames, the names it is about (the heads it
repeats most: "Reid" in a report of Tara Reid entering rehab) and the people it repeats, the
places (GeoNames ids; the event's own places apart), the days and years the text names (the
latest year apart), the event's day, its casualty counts and CAMEO root, and the publication day.
Everything is optional: an article without an event type, date or place is compared on what it has.

Names written in another script are compared by their Latin transliteration
(:func:`crosswire.crosscheck.names_xlang.latin`: "Лукашенко" -> "lukashenko"), so a person or
an organisation named in a Russian report counts as the same name in an English one; ASCII names
are unchanged. The article's language is kept: :mod:`.crosslingual` compares reports in two
languages on what needs no words (places, days, numbers, names) and a multilingual embedding.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crosswire.crosscheck.names_xlang import latin

STAGE = "stories.features.v4"  # v2: names in other scripts transliterated, the article's language kept;
# v3: an undated article's dates completed with a year of no day of its own left out; v4: a publication
# day the cross-check inferred is not the article's (:data:`GROUPING_DAY`)
# Entities that name the messenger, not the event: news media and platforms (detail kind), and
# labels that say little about which event it is.
_SKIP_KINDS = {"media", "platform"}
_ENTITY_LABELS = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
_COARSE_FEATURES = {"country", "continent", "region"}
FOCUS = 2  # names kept as what an article is about (each named at least twice)
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)")


@dataclass(frozen=True)
class PlaceRef:
    """A resolved place: its GeoNames id (None for places known by name only) and coordinates."""

    name: str
    geonameid: int | None
    country: str | None
    admin1: str | None
    feature: str
    lat: float | None
    lon: float | None

    @property
    def key(self) -> str:
        """A stable key: the GeoNames id, or the name within its country and state."""
        if self.geonameid is not None:
            return str(self.geonameid)
        return f"{self.country or ''}/{self.admin1 or ''}/{self.name.lower()}"

    @property
    def fine(self) -> bool:
        """Finer than a state: a city, district, county or site."""
        return self.feature not in _COARSE_FEATURES and self.feature != "admin1"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "geonameid": self.geonameid, "country": self.country,
                "admin1": self.admin1, "feature": self.feature, "lat": self.lat, "lon": self.lon}


@dataclass
class ArticleFeatures:
    """What the story stage knows of one article."""

    id: str
    title: str
    body: str
    day: int | None = None  # publication day (proleptic ordinal)
    outlet: str | None = None
    duplicate_of: str | None = None
    language: str | None = None  # ISO 639-1, as ingest detected or was given it
    entities: list[str] = field(default_factory=list)  # one normalised name per mention (people by surname)
    names: dict[str, str] = field(default_factory=dict)  # normalised -> as written (first)
    surnames: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()  # last word of every name ("reid", "aden", "fbi")
    focus: tuple[str, ...] = ()  # the names the article is about: its most repeated heads
    people: tuple[str, ...] = ()  # the people it is about: the surnames it repeats most
    places: dict[str, PlaceRef] = field(default_factory=dict)  # every fine place, by key
    event_places: list[PlaceRef] = field(default_factory=list)  # the event's, main first
    countries: frozenset[str] = frozenset()
    event_day: int | None = None
    event_precision: str | None = None
    days: frozenset[int] = frozenset()  # every day the text names
    years: frozenset[int] = frozenset()
    latest_year: int | None = None  # the latest year the text names (a report names its own year)
    killed: float | None = None
    injured: float | None = None
    cameo: str | None = None  # CAMEO root code (two digits) of the main event


def day_of(value: str | None) -> int | None:
    """The proleptic ordinal of an ISO day (or of a datetime's day), None when it is not one."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def iso_day(ordinal: int | None) -> str | None:
    return date.fromordinal(ordinal).isoformat() if ordinal else None


def norm_name(name: str, language: str | None = None) -> str:
    """A name compared across outlets: lower case, no possessive, single spaces; in Latin letters
    when written in another script or with diacritics (``language`` picks the transliteration)."""
    name = name.replace("\u2019", "'").lower()
    if not name.isascii():
        name = latin(name, language)
    name = re.sub(r"'s$|'$", "", name.strip())
    return " ".join(re.sub(r"[^\w' -]", " ", name).split())


def _place(v: Mapping[str, Any]) -> PlaceRef | None:
    name = v.get("name")
    if not name:
        return None
    gid = v.get("geonameid")
    return PlaceRef(str(name), int(gid) if gid is not None else None, v.get("country"), v.get("admin1"),
                    str(v.get("feature") or ""), v.get("lat"), v.get("lon"))


def build(article: Mapping[str, Any], event: Mapping[str, Any] | None, facts: Iterable[Mapping[str, Any]]) -> ArticleFeatures:
    """Features of one article from its stored fields (``id, title, text, published, outlet,
    duplicate_of``), its main event record and its facts (``kind, about, value, detail`` dicts)."""
    out = ArticleFeatures(id=article["id"], title=article.get("title") or "", body=article.get("text") or "",
                          day=day_of(article.get("published")), outlet=article.get("outlet"),
                          duplicate_of=article.get("duplicate_of"), language=article.get("language"))
    surnames: set[str] = set()
    people: Counter = Counter()
    days: set[int] = set()
    years: set[int] = set()
    countries: set[str] = set()
    for f in facts:
        kind, value = f["kind"], f["value"]
        if kind == "entity" and f["about"] in _ENTITY_LABELS:
            if (f.get("detail") or {}).get("kind") in _SKIP_KINDS:
                continue
            key = norm_name(str(value), out.language)
            if len(key) < 2:
                continue
            if f["about"] == "PERSON":  # "Tara Reid", "Reid" and "Ms. Reid" are one person
                key = key.split()[-1]
                if len(key) > 2:
                    surnames.add(key)
                    people[key] += 1
            out.entities.append(key)
            out.names.setdefault(key, str(value))
        elif kind == "place" and isinstance(value, dict):
            p = _place(value)
            if p is None:
                continue
            if p.country:
                countries.add(p.country)
            if p.fine:
                out.places.setdefault(p.key, p)
        elif kind == "date" and isinstance(value, dict) and isinstance(value.get("value"), str):
            if value.get("anchored") and out.day is None:
                continue  # "Oct." completed with a year from no publication day of its own: not the text's year
            v = value["value"]
            if (m := _YEAR.match(v)) is not None:
                years.add(int(m.group(1)))
            if value.get("precision") in ("day", "time") and (d := day_of(v)) is not None:
                days.add(d)
    event = event or {}
    for v in event.get("where") or []:
        p = _place(v)
        if p is not None:
            out.event_places.append(p)
            if p.country:
                countries.add(p.country)
    when = event.get("when") or {}
    out.event_precision = when.get("precision")
    if out.event_precision in ("day", "time"):
        out.event_day = day_of(when.get("start"))
    for name in ("killed", "injured"):
        value = event.get(name)
        setattr(out, name, float(value) if isinstance(value, (int, float)) else None)
    cameo = (event.get("type") or {}).get("cameo")
    out.cameo = str(cameo)[:2] if cameo else None
    heads = Counter(e.split()[-1] for e in out.entities)
    out.heads = frozenset(heads)
    out.focus = tuple(h for h, n in heads.most_common(FOCUS) if n >= 2)
    out.people = tuple(p for p, n in sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))[:FOCUS] if n >= 2)
    out.latest_year = max(years) if years else None
    out.surnames, out.days, out.years = frozenset(surnames), frozenset(days), frozenset(years)
    out.countries = frozenset(countries)
    return out


# The publication day grouping goes by (over the view ``article_published``, aliased ``p``): the
# effective day, except one the cross-check inferred from the story the article was put in
# (``published_inferences``): that day came from the grouping itself, and regrouping with it gave
# other stories than the first run (ECB+ dev B-cubed F1 0.929 grouped fresh, 0.896 by `group --rebuild`).
GROUPING_DAY = "CASE WHEN p.published_source = 'inferred' THEN p.published_text ELSE p.published END"


def load_features(conn, ids: list[str]) -> dict[str, ArticleFeatures]:  # type: ignore[no-untyped-def]
    """Features of stored, analysed articles (three queries per 500 ids)."""
    out: dict[str, ArticleFeatures] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        facts: dict[str, list[dict[str, Any]]] = {x: [] for x in chunk}
        for r in conn.execute(
            f"SELECT article_id, kind, about, value, detail FROM facts WHERE article_id IN ({marks}) "
            "AND kind IN ('entity', 'place', 'date') ORDER BY article_id, start, \"end\", kind, id", chunk,
        ):
            facts[r[0]].append({"kind": r[1], "about": r[2], "value": json.loads(r[3]), "detail": json.loads(r[4])})
        for r in conn.execute(
            f"SELECT a.id, a.title, a.text, {GROUPING_DAY}, a.outlet, a.duplicate_of, n.event, a.language FROM articles a "
            f"JOIN article_published p ON p.article_id = a.id "
            f"LEFT JOIN analyses n ON n.article_id = a.id WHERE a.id IN ({marks})", chunk,
        ):
            article = {"id": r[0], "title": r[1], "text": r[2], "published": r[3], "outlet": r[4], "duplicate_of": r[5],
                       "language": r[7]}
            out[r[0]] = build(article, json.loads(r[6]) if r[6] else None, facts[r[0]])
    return out
