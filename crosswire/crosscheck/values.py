"""How a fact's value reads in a sentence: ``3``, ``100–121``, ``about 65 km``, ``2025-03-11``, ``Gdańsk``.

:func:`record_text` words the ``claimed``, ``computed`` and ``tolerance`` records of a reference check.

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


def _num(v: Any, digits: int = 1) -> str:
    """A measured number as a reporter writes it: ``63.4``, ``2.4``, ``5``."""
    if isinstance(v, float):
        v = round(v, digits)
    return number_text(v)


def _km(v: Any) -> str:
    return f"{_num(v)} km"


def record_text(record: Any) -> str:
    """A reference check's ``claimed``, ``computed`` or ``tolerance`` record in a reporter's words:
    ``about 65 km from Poland's border with Russia's Kaliningrad region``, ``63.4 km``, ``52 km to 78 km``,
    ``the 75th (NATO founded 1949-04-04)``. Records of other shapes read as ``value_text`` reads them."""
    if not isinstance(record, dict):
        return value_text(record)
    r = record
    if "ordinal" in r and "of" in r:  # claimed anniversary
        return f"the {_ordinal(r['ordinal'])} anniversary of {r['of']}"
    if "ordinal" in r:  # computed anniversary
        return (f"the {_ordinal(r['ordinal'])} (dated {r.get('reference')}; the claimed anniversary falls "
                f"{'in' if len(str(r.get('anniversary'))) == 4 else 'on'} {r.get('anniversary')})")
    if "members" in r:
        n = r["members"]
        count = " or ".join(str(x) for x in n) if isinstance(n, list) else str(n)
        return f"{count} members" + (f" of {r['of']}" if r.get("of") else "") + \
            (f" ({r['source']})" if r.get("source") else "")
    if "weekday" in r:
        return str(r["weekday"]) + (f" ({r['date']})" if r.get("date") else "")
    if "amount" in r and "unit" in r:  # claimed elapsed time
        q = r.get("qualifier")
        unit = r["unit"] + ("s" if r["amount"] != 1 else "")
        return " ".join(x for x in (q and q.replace("_", " "), _num(r["amount"]), unit) if x)
    if "amount" in r:  # computed elapsed time
        span = f"{_num(r['amount'])}" if r.get("low") == r.get("high") else f"{_num(r['low'])} to {_num(r['high'])}"
        return f"{span} years, from {r.get('since')} to {r.get('until')}"
    if "nearest_foreign" in r:
        n = r["nearest_foreign"]
        return f"the nearest foreign territory, {n.get('country')}, is {_km(n.get('km'))} away"
    if "rule" in r and "low" in r:  # a tolerance
        unit = " km" if "km" in r else ""
        lo, hi = r.get("low"), r.get("high")
        if lo is None and hi is None:
            allowed = "no bound"
        elif hi is None:
            allowed = f"at least {_num(lo)}{unit}"
        elif not lo:
            allowed = f"up to {_num(hi)}{unit}"
        else:
            allowed = f"{_num(lo)}{unit} to {_num(hi)}{unit}"
        margin = f", {_num(r['km'])} km either side of the claim" if r.get("km") else ""
        return f"{allowed}{margin} (rule: {r['rule']})"
    if "km" in r:
        if "text" in r:  # claimed distance
            to = r.get("from") or []
            return f"{r['text']}" + (f" from {', '.join(map(str, to))}" if to else "")
        frm = r.get("from")
        frm = ", ".join(map(str, frm)) if isinstance(frm, list) else frm
        how = r.get("source") or r.get("method")
        return (_km(r["km"]) + (f" from {frm}" if frm else "") + (f" to {r['to']}" if r.get("to") else "")
                + (f" ({how})" if how else ""))
    if r.get("near"):
        return str(r.get("text"))
    return value_text(r)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
    if value.get("qualifier") == "vague" and value.get("value") is None and km is None and hi is None:
        # "miles from the border": no figure, only that it is a few units at least
        return "no figure given" if lo is None else f"no figure given (at least {rounded_km(float(lo))})"
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
        return f"number of {plural(about)}"
    return about.replace("_", " ")


# nouns that count as they are ("number of police"): collective or already plural in the singular
_AS_THEY_ARE = frozenset({"police", "staff", "personnel", "crew", "cattle", "livestock", "clergy", "militia"})


def plural(noun: str) -> str:
    """A counted noun as a reporter counts it: "firefighter" -> "firefighters", "storage tank" ->
    "storage tanks"; plurals, "people" and collective nouns ("police") stay as they are."""
    import inflect

    words = noun.split()
    if not words or not words[-1].isalpha():
        return noun
    engine = _ENGINE.setdefault("en", inflect.engine())
    last = words[-1]
    if last.lower() in _AS_THEY_ARE or engine.singular_noun(last):
        return noun
    return " ".join([*words[:-1], engine.plural_noun(last)])


_ENGINE: dict[str, Any] = {}


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
