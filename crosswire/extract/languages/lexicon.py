"""Per-language word lists (``data/<lang>.json``), loaded once and compiled into matchers.

A language file holds what the rules read: month and weekday forms, relative day words, casualty
cues (killed, injured), speech verbs, event triggers mapped to a CAMEO code or an own kind
(``crosswire.extract.events.cameo.kind``), number words and multipliers (тыс., mln, Mio, 万), the
prepositions that put a place ("под Брестом", "pod Brześciem", "bei Brest") and quote marks.
Cue lists are *stems*: a word matches when it starts with one ("погибл" for погибли, погибло...).
Chinese (``"cjk": true``) has no spaces, so its cues match anywhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from crosswire.errors import ConfigError

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, eq=False)
class Lexicon:
    """One language's compiled word lists."""

    lang: str
    name: str
    cjk: bool
    raw: dict[str, Any]
    months: dict[str, int]  # form -> 1..12
    weekdays: dict[str, int]  # form -> 0 (Monday)..6
    relative: dict[str, int]  # "вчера" -> -1
    killed: re.Pattern[str]
    injured: re.Pattern[str]
    speech: re.Pattern[str]
    events: dict[str, str]  # trigger stem -> kind key
    event_re: re.Pattern[str]
    multipliers: dict[str, float]
    numbers: dict[str, float | None]
    number_stems: tuple[str, ...]
    locative: frozenset[str]
    distance_units: tuple[str, ...]
    approx: dict[str, str]
    casualty_units: tuple[str, ...]
    quote_marks: tuple[tuple[str, str], ...]
    year_words: tuple[str, ...]
    date_joiners: tuple[str, ...]
    month_first: bool

    def event_kind(self, word: str) -> str | None:
        """The kind key of a trigger as written (longest stem first), or None."""
        w = word.lower()
        for stem in sorted(self.events, key=len, reverse=True):
            if w.startswith(stem) or (self.cjk and stem in w):
                return self.events[stem]
        return None


def _stems(stems: list[str], cjk: bool) -> re.Pattern[str]:
    alts = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True)) or "(?!)"
    if cjk:
        return re.compile(f"(?:{alts})")
    return re.compile(rf"(?<!\w)(?:{alts})[\w'’ʼ]*", re.IGNORECASE)


def _forms(groups: list[list[str]]) -> dict[str, int]:
    return {f.lower(): i for i, forms in enumerate(groups) for f in forms}


@cache
def lexicon(lang: str) -> Lexicon | None:
    """The compiled lexicon of ``lang`` (ISO 639-1), None when the package has no file for it."""
    path = DATA / f"{lang}.json"
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the {lang!r} word lists {path}: {exc}; the package is damaged, reinstall it",
                          source=str(path)) from exc
    cjk = bool(raw.get("cjk"))
    return Lexicon(
        lang=lang, name=raw.get("name", lang), cjk=cjk, raw=raw,
        months={f.lower(): i + 1 for i, forms in enumerate(raw.get("months", [])) for f in forms},
        weekdays=_forms(raw.get("weekdays", [])),
        relative={k.lower(): v for k, v in raw.get("relative", {}).items()},
        killed=_stems(raw.get("killed", []), cjk), injured=_stems(raw.get("injured", []), cjk),
        speech=_stems(raw.get("speech", []), cjk),
        events={k.lower(): v for k, v in raw.get("events", {}).items()},
        event_re=_stems(list(raw.get("events", {})), cjk),
        multipliers={k.lower(): float(v) for k, v in raw.get("multipliers", {}).items()},
        numbers={k.lower(): v for k, v in raw.get("numbers", {}).items()},
        number_stems=tuple(raw.get("number_stems", [])),
        locative=frozenset(w.lower() for w in raw.get("locative", [])),
        distance_units=tuple(raw.get("distance_units", [])),
        approx={k.lower(): v for k, v in raw.get("approx", {}).items()},
        casualty_units=tuple(raw.get("casualty_units", [])),
        quote_marks=tuple((a, b) for a, b in raw.get("quote_marks", [])),
        year_words=tuple(raw.get("year_words", [])),
        date_joiners=tuple(raw.get("date_joiners", [])),
        month_first=bool(raw.get("month_first")),
    )


def languages_with_lexicons() -> tuple[str, ...]:
    """Every language the package has word lists for."""
    return tuple(sorted(p.stem for p in DATA.glob("*.json")))
