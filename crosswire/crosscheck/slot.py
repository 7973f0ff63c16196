"""A slot: one thing a story's articles state, and each article's statement of it; the word and
span helpers every slot reader shares (:mod:`crosswire.crosscheck.align` builds the slots)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crosswire.crosscheck.status import Merge, Observation


@dataclass
class Slot:
    """One thing the story's articles state, and every article's statement of it."""

    key: str
    kind: str
    about: str
    merge: Merge
    observations: list[Observation] = field(default_factory=list)
    order: Callable[[Observation], Any] | None = None
    show: Callable[[Any], Any] | None = None  # a group's joint value as JSON
    presence: bool = False  # only being mentioned counts (actors, units): never a conflict


CONTENT_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
STOP_WORDS = frozenset("""the and that this with from have has had were was are been being their they them its his her
said says say told also into about over after before when where which while would could should will than then
there these those some more most other others such only just very what who whom whose how all any both each
people person year years day days week weeks month months time times according""".split())


def stem(w: str) -> str:
    """A word's first five letters after a plural ending is taken off ("navies" = "navy")."""
    w = w.lower().replace("’", "'")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    return w[:5]


def keywords(text: str) -> set[str]:
    """Lowercase content words of a text, by :func:`stem`."""
    return {stem(w) for w in CONTENT_WORD.findall(text) if w.lower() not in STOP_WORDS}


def span(aid: str, f: dict[str, Any]) -> dict[str, Any]:
    out = {"article": aid, "start": f["start"], "end": f["end"], "text": f["text"]}
    if (f.get("detail") or {}).get("span_in") == "title":
        out["in"] = "title"
    return out
