"""How a fact's value reads in a sentence: ``3``, ``100–121``, ``about 65 km``, ``2025-03-11``, ``Gdańsk``.

Shared by the cross-check's own check details and the briefing, so both say a value the same way.
"""

from __future__ import annotations

from typing import Any

QUALIFIERS = ("about", "more_than", "at_least", "nearly", "up_to", "fewer_than", "less_than")  # said before a number


def number_text(v: Any) -> str:
    """A number without a needless ``.0``."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def value_text(value: Any) -> str:
    """A fact's value as a reader says it."""
    if isinstance(value, dict):
        if "name" in value:
            return str(value["name"])
        key = "value" if "value" in value else "km" if "km" in value else None
        if key is None:
            return ", ".join(f"{k} {value_text(v)}" for k, v in value.items() if v is not None)
        v = value[key]
        if v is None and value.get("low") is not None:
            high = value.get("high")
            v = f"{number_text(value['low'])}–{number_text(high)}" if high is not None else f"{number_text(value['low'])}+"
        unit = value.get("unit") or ("km" if key == "km" else None)
        qual = value.get("qualifier") if value.get("qualifier") in QUALIFIERS else None
        return " ".join(x for x in (qual and qual.replace("_", " "), number_text(v), unit) if x)
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    return "" if value is None else number_text(value)


# ---------------------------------------------------------------- as a reporter writes it
NOVELTY = {"first": "the first time ever", "first_since": "the first time in a while (\u201cfirst since\u2026\u201d)",
           "not_first": "done before"}


def rounded_km(km: float) -> str:
    """A distance as a reporter rounds it: ``about 4.8 km``, ``65 km``, ``about 70 m``."""
    if km < 1:
        return f"{int(round(km * 1000, -1))} m"
    if km < 10:
        return f"{km:.1f} km".replace(".0 km", " km")
    return f"{int(round(km))} km"


def _reads_exact(v: Any) -> bool:
    return isinstance(v, float) and abs(v * 10 - round(v * 10)) > 1e-6


def distance_text(value: dict[str, Any]) -> str:
    """A distance value (``km`` / ``low`` / ``high`` or ``low_km`` / ``high_km``), rounded."""
    lo = value.get("low_km", value.get("low"))
    hi = value.get("high_km", value.get("high"))
    km = value.get("km")
    about = value.get("qualifier") in ("about", None) and any(_reads_exact(x) for x in (km, lo, hi) if x is not None)
    if km is not None:
        text = rounded_km(float(km))
    elif lo is not None and hi is not None and lo != hi:
        a, b = rounded_km(float(lo)), rounded_km(float(hi))
        unit = b.split()[-1]
        text = f"{a.split()[0]}–{b}" if a.split()[-1] == unit else f"{a} to {b}"
    elif lo is not None or hi is not None:
        text = ("more than " if hi is None else "up to ") + rounded_km(float(lo if lo is not None else hi))
    else:
        return ""
    qual = value.get("qualifier")
    if qual in QUALIFIERS and qual != "about":
        return f"{qual.replace('_', ' ')} {text}"
    return f"about {text}" if about or qual == "about" else text


def about_text(kind: str | None, about: str | None) -> str:
    """What a fact is about, in words: ``Viktor Orban's title``, ``the event's place``, ``people killed``."""
    about = str(about or kind or "fact")
    if about.startswith("person:"):
        return f"{about[7:]}'s title"
    words = {"event.start": "the event's date", "event.end": "the event's end", "event.time": "the event's time",
             "event.where": "the event's place", "event.when": "the event's date", "event.actor": "who took part",
             "event.first": "whether it is the first time", "killed": "people killed", "injured": "people injured",
             "unit": "unit", "operation": "operation"}
    if about in words:
        return words[about]
    if kind == "count":
        return f"number of {about}"
    return about.replace("_", " ")


def reader_text(value: Any, kind: str | None = None) -> str:
    """A fact's value as a reporter writes it: codes in words, distances rounded, the rest as
    :func:`value_text` says it."""
    if kind == "claim" and isinstance(value, str) and value in NOVELTY:
        return NOVELTY[value]
    if isinstance(value, dict) and (kind == "distance" or "km" in value or "low_km" in value):
        return distance_text(value) or value_text(value)
    if isinstance(value, dict) and "speaker" in value and "name" not in value:
        return str(value.get("speaker") or "an unnamed speaker")
    return value_text(value)
