"""Each article's actors of the event, as countries or names, and those it names that are no actor
(a pronoun, a common noun)."""

from __future__ import annotations

import re

from crosswire.crosscheck.pubdates import StoryArticle, main_event_span
from crosswire.crosscheck.quotes import fold
from crosswire.crosscheck.reconcile import merge_present
from crosswire.crosscheck.slot import Slot, span
from crosswire.crosscheck.status import Observation


_NUMBER_WORD = re.compile(r"^(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
                          r"hundreds?|thousands?|several|many|some|few)\b", re.I)
SPLIT_ACTORS = re.compile(r"\s*(?:,|&|\band\b|\bwith\b)\s*", re.I)


def actor_key(text: str) -> tuple[str, str] | None:
    """(key, name) of one actor as written: a country (from a name or demonym), else its words."""
    from crosswire.extract.places.gazetteer import get_gazetteer

    t = re.sub(r"^(?:the|a|an)\s+|['’]s$", "", text.strip(), flags=re.I).strip(" .")
    if not t or not t[:1].isalpha() or _NUMBER_WORD.match(t):
        return None  # "seven", "two workers": victims counted, not actors named
    g = get_gazetteer()
    e = g.country(t)
    if e is None:
        code = g.demonym(t.split()[0]) if t.split() else None
        e = g.country(code) if code else None  # "Chinese troops": China
    if e is not None:
        return f"country:{e.country}", e.name
    if any(x.feature != "country" for x, _ in g.lookup(t)):
        return None  # a place ("Crete"), not an actor
    if len(t) < 3 or t.lower() in {"he", "she", "they", "it", "we", "police", "officials"}:
        return None
    return f"actor:{fold(t)}", t


_PRONOUNS = frozenset("""i me my myself we us our ourselves you your yourself yourselves he him his himself she her
hers herself it its itself they them their themselves one oneself someone somebody something anyone anybody anything
everyone everybody everything no-one nobody nothing who whom whoever this that these those""".split()) | {"no one"}


def not_actor(text: str) -> str | None:
    """Why an event actor as written is no actor to list: a pronoun ("herself", "someone"), or a
    common noun in lower case ("blaze": a thing, not a named party). None when it is one."""
    t = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I).strip(" .,'’\"")
    if not t:
        return None
    if t.lower() in _PRONOUNS:
        return "pronoun_actor"
    if t == t.lower() and " " not in t and t.isalpha() and not _NUMBER_WORD.match(t):
        return "common_noun_actor"
    return None


def actor_slots(articles: list[StoryArticle]) -> list[Slot]:
    slots: dict[str, Slot] = {}
    for a in articles:
        for act in (a.event or {}).get("actors") or []:
            for part in SPLIT_ACTORS.split(act.get("text") or ""):
                junk = not_actor(part)
                if junk:
                    found = _actor_source(a, "actor:", part, act)
                    if found is not None:  # recorded, then dropped with its reason by the record
                        slot = slots.setdefault("actor:dropped", Slot("actor:dropped", "actor", "event.actor",
                                                                      merge_present, presence=True))
                        slot.observations.append(Observation(a.id, part.strip(), found[0]["text"], [found[0]],
                                                             found[1], detail={"drop": junk}))
                    continue
                k = actor_key(part)
                if k is None:
                    continue
                key, name = k
                found = _actor_source(a, key, part, act)
                if found is None:
                    continue
                src, fids = found
                slot = slots.setdefault(key, Slot(f"actor:{key}", "actor", "event.actor", merge_present,
                                                  presence=True, show=lambda v: v))
                if all(o.article != a.id for o in slot.observations):
                    slot.observations.append(Observation(a.id, name, src["text"], [src], fids,
                                                         detail={"as_written": part.strip()}))
    return list(slots.values())


def _actor_source(a: StoryArticle, key: str, part: str, act: dict) -> tuple[dict, list[str]] | None:
    """Where the article names an actor: a place or entity fact in the main event's sentence (or
    anywhere in the body), else the actor's own span (in the headline when it is there)."""
    ev = main_event_span(a)
    facts = [f for f in a.facts if f["kind"] in ("place", "entity")]
    if ev is not None:
        facts.sort(key=lambda f: (not (ev[0] <= f["start"] < ev[1]), f["start"]))
    for f in facts:
        if key.startswith("country:"):
            v = f.get("value")
            country = (v or {}).get("country") if isinstance(v, dict) else None
            if f["kind"] == "place" and (v or {}).get("feature") == "country" and country == key[8:]:
                return span(a.id, f), [f["id"]]
        elif fold(f["text"]) == fold(part.strip()):
            return span(a.id, f), [f["id"]]
    start, end = act.get("start"), act.get("end")
    if start is None or end is None:
        return None
    source_text = a.title if act.get("source") == "title" else a.text
    off = (act.get("text") or "").find(part.strip())
    if off < 0:
        return None
    s, e = start + off, start + off + len(part.strip())
    out = {"article": a.id, "start": s, "end": e, "text": source_text[s:e]}
    if act.get("source") == "title":
        out["in"] = "title"
    return out, []
