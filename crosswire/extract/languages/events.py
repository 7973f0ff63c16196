"""The main event of a non-English report: its kind (CAMEO where the language's triggers map one),
day, place and casualty figures, in the English stage's ``event_record`` shape.

Stage ``langevents.v1``. Triggers are the event words of the language's word list ("учения",
"ćwiczenia", "Explosion", "incendie", "tiroteo", "演习") mapped to a CAMEO code or an own kind
(:func:`crosswire.extract.events.cameo.kind`). The main event is the first trigger of the headline,
else of the first two sentences, else the text's most frequent kind. Its day is the first dated
day of the trigger's sentence, else of the first two sentences, else the publication day
(``when_source`` says which). Its places are the text's event places (:mod:`.places`); its
casualty figures the first killed and injured figures of the text, only for kinds that can have
casualties (CAMEO roots 17-20, accidents, disasters).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from crosswire.extract.events.cameo import kind as event_kind
from crosswire.extract.languages.lexicon import Lexicon
from crosswire.extract.languages.text import Segmented
from crosswire.extract.places.resolve import Place
from crosswire.extract.quantities.base import Quantity
from crosswire.extract.time.timex import Timex
from crosswire.models import Fact

STAGE = "langevents.v1"
_VIOLENT = {"17", "18", "19", "20"}


@dataclass
class Trigger:
    start: int
    end: int
    text: str
    key: str
    in_title: bool
    sentence: tuple[int, int]


def find_triggers(seg: Segmented, title: str, title_lang: str, lexicons: dict[str, Lexicon]) -> list[Trigger]:
    out: list[Trigger] = []
    lex = lexicons.get(title_lang)
    if lex is not None and title:
        for m in lex.event_re.finditer(title):
            k = lex.event_kind(m.group())
            if k:
                out.append(Trigger(m.start(), m.end(), m.group(), k, True, (0, len(title))))
    for s in seg.sentences:
        lex = lexicons.get(s.lang)
        if lex is None:
            continue
        for m in lex.event_re.finditer(s.text):
            k = lex.event_kind(m.group())
            if k:
                out.append(Trigger(s.start + m.start(), s.start + m.end(), m.group(), k, False, (s.start, s.end)))
    return out


def main_trigger(seg: Segmented, triggers: list[Trigger]) -> Trigger | None:
    if not triggers:
        return None
    titled = [t for t in triggers if t.in_title]
    if titled:
        return max(titled, key=lambda t: (event_kind(t.key).rank, -t.start))
    lead_end = seg.sentences[min(1, len(seg.sentences) - 1)].end if seg.sentences else 0
    lead = [t for t in triggers if t.start < lead_end]
    if lead:
        return max(lead, key=lambda t: (event_kind(t.key).rank, -t.start))
    common = Counter(t.key for t in triggers).most_common(1)[0][0]
    return next(t for t in triggers if t.key == common)


def can_have_casualties(key: str | None) -> bool:
    if key is None:
        return True
    k = event_kind(key)
    return (k.cameo is not None and k.cameo[:2] in _VIOLENT) or (k.cameo is None and key.split(":")[0] in
                                                                 ("accident", "disaster", "health"))


def _when(seg: Segmented, main: Trigger | None, timexes: list[Timex], published: date | None
          ) -> tuple[Timex | None, str]:
    days = [t for t in timexes if t.value and t.precision == "day"
            and (published is None or t.value <= published.isoformat())]
    if main is not None and not main.in_title:
        a, b = main.sentence
        hit = next((t for t in days if a <= t.start < b), None)
        if hit is not None:
            return hit, "text"
    lead_end = seg.sentences[min(1, len(seg.sentences) - 1)].end if seg.sentences else 0
    hit = next((t for t in days if t.start < lead_end), None)
    if hit is not None:
        return hit, "text"
    return None, "publication" if published is not None else "none"


def _place_value(p: Place) -> dict[str, Any]:
    return {"name": p.name, "geonameid": p.geonameid, "country": p.country, "lat": p.lat, "lon": p.lon,
            "feature": p.feature, "admin1": p.admin1, "text": p.text, "start": p.start, "end": p.end}


def build_event(seg: Segmented, title: str, main: Trigger | None, triggers: list[Trigger], timexes: list[Timex],
                places: list[Place], quantities: list[Quantity], published: date | None, article_id: str
                ) -> tuple[dict[str, Any], list[Fact], Timex | None, set[int]]:
    """(the event record, the event facts, the time expression dating it, ids of its casualty
    quantities)."""
    k = event_kind(main.key) if main is not None else None
    when, source = _when(seg, main, timexes, published)
    day = when.value if when is not None else (published.isoformat() if published is not None else None)
    where = [p for p in places if p.role == "event"]
    towns: list[Place] = []
    for p in [p for p in where if p.feature == "city"] + [p for p in where if p.feature != "city"]:
        if all(t.geonameid != p.geonameid for t in towns):
            towns.append(p)  # each place once, at its first mention
    casualties = can_have_casualties(main.key if main else None)
    killed = next((q for q in quantities if q.casualty == "killed"), None) if casualties else None
    injured = next((q for q in quantities if q.casualty == "injured"), None) if casualties else None
    record: dict[str, Any] = {
        "type": ({"cameo": k.cameo, "label": k.label, "acled": k.acled, "acled_sub": k.acled_sub} if k else
                 {"cameo": None, "label": "unknown", "acled": None}),
        "when": {"start": day, "end": day, "precision": "day" if day else None, "source": source},
        "where": [_place_value(p) for p in towns],
        "killed": killed.value if killed is not None else None,
        "injured": injured.value if injured is not None else None,
        "language": seg.lang,
    }
    facts: list[Fact] = []
    if main is not None:
        record["actors"] = []
        record["sentence"] = {"text": title if main.in_title else seg.text[main.sentence[0] : main.sentence[1]],
                              "start": main.sentence[0], "end": main.sentence[1],
                              "in": "title" if main.in_title else "body"}
    # facts point into the body: a headline's trigger is told by its first body mention
    body_main = main if main is None or not main.in_title else next(
        (t for t in triggers if not t.in_title and t.key == main.key), None)
    seen: set[tuple[int, int]] = set()
    for t in triggers:
        if t.in_title or (t.start, t.end) in seen:
            continue
        seen.add((t.start, t.end))
        tk = event_kind(t.key)
        about = "main" if t is body_main else "secondary"
        value = {"cameo": tk.cameo, "label": tk.label, "acled": tk.acled, "acled_sub": tk.acled_sub,
                 "actor1": None, "actor2": None, "when": day if t is body_main else None,
                 "where": towns[0].name if (t is body_main and towns) else None, "lemma": t.text.lower(),
                 "negated": False, "hypothetical": False}
        facts.append(Fact(article_id, "event", about, value, t.text, t.start, t.end, STAGE,
                          0.6 if t is body_main else 0.4, "event" if t is body_main else None, {"trigger": t.text}))
    ids = {id(q) for q in (killed, injured) if q is not None}
    return record, facts, when, ids
