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
