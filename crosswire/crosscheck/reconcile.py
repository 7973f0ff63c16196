"""When two statements of a slot agree, and the value they agree on: overlapping intervals,
dates at their precision, places one inside the other, clock times, names."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz

PLACE_KM = 30.0
NAME_MIN = 85


def merge_interval(a: tuple, b: tuple) -> tuple | None:
    """Two (low, high) intervals (None = open) that overlap -> their overlap, else None."""
    lo = max(x for x in (a[0], b[0]) if x is not None) if a[0] is not None or b[0] is not None else None
    his = [x for x in (a[1], b[1]) if x is not None]
    hi = min(his) if his else None
    if lo is not None and hi is not None and lo > hi + 1e-9:
        return None
    return lo, hi


PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def merge_dates(a: tuple, b: tuple) -> tuple | None:
    """Dates at their precision: (first, last, precision) that overlap -> the overlap."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    if lo > hi:
        return None
    prec = min(a[2], b[2], key=lambda p: PRECISION_RANK.get(p, 9))
    return lo, hi, prec


FEATURE_RANK = {"city": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4, "continent": 5}


def merge_place(a: dict, b: dict) -> dict | None:
    """Places agree when they are one GeoNames entry, carry one name (the sources say the same
    word; the gazetteer's reading of it is no disagreement between them), one lies in the other
    (a town in its county or state, a county in its state, anything in its country), or both are
    within ``PLACE_KM`` (a district and its city); the more specific one is kept.

    The gazetteer gives a town's state (admin1) but not its county, so a county and a town of the
    same state reconcile: the town may lie in it ("Milwaukee" and "Milwaukee County")."""
    if a.get("geonameid") is not None and a.get("geonameid") == b.get("geonameid"):
        return a
    ra, rb = FEATURE_RANK.get(a.get("feature") or "", 3), FEATURE_RANK.get(b.get("feature") or "", 3)
    if place_name(a) and place_name(a) == place_name(b) and (ra == rb or min(ra, rb) >= 1):
        return a if ra <= rb else b
    if a.get("as_written") and place_name({"name": a["as_written"]}) == place_name({"name": b.get("as_written")}):
        return a if ra <= rb else b  # "Salisbury" twice, read once as Harare: the sources agree
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return None
    if ra >= 4 or rb >= 4 or not a.get("country") or not b.get("country"):
        return a if ra <= rb else b
    if ra != rb and max(ra, rb) in (1, 2) and a.get("admin1") and a.get("admin1") == b.get("admin1"):
        return a if ra <= rb else b  # a town in its county or state, a county in its state
    if {ra, rb} == {0, 1} and a["country"] == "US":
        town, county = (a, b) if ra == 0 else (b, a)
        from crosswire.extract.places.gazetteer import get_gazetteer

        if any(e.admin1 == town.get("admin1") for e in get_gazetteer().county(str(county.get("name") or ""))):
            return town  # the county of that name in the town's state ("Knox County" read in another)
    if None not in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        from crosswire.extract.places.gazetteer import haversine_km

        if haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]) <= PLACE_KM:
            return a if ra <= rb else b
        return None
    if ra != rb and (ra >= 2 or rb >= 2) and a.get("admin1") in (None, b.get("admin1")):
        return a if ra <= rb else b
    return None


def place_name(p: dict) -> str:
    from crosswire.extract.places.gazetteer import normalise

    return normalise(str(p.get("name") or ""))


def merge_clock(a: tuple, b: tuple) -> tuple | None:
    """Clock times as minute intervals, the day wrapping at midnight ("23:57" and "about midnight")."""
    for shift in (0, 1440, -1440):
        joint = merge_interval(a, (b[0] + shift, b[1] + shift))
        if joint is not None:
            return joint
    return None


def merge_equal(a: Any, b: Any) -> Any:
    return a if a == b else None


def merge_present(a: Any, b: Any) -> Any:
    """Slots where being named is all (an actor, a unit): every mention agrees."""
    return a


def merge_names(a: str, b: str) -> str | None:
    """Names that rapidfuzz finds alike (or one inside the other): the longer is kept."""
    if a == b or fuzz.ratio(a, b) >= NAME_MIN or fuzz.token_set_ratio(a, b) >= 95:
        return a if len(a) >= len(b) else b
    return None
