"""Places in an article resolved offline to GeoNames, and the event's place told from places mentioned.

Stage ``places.v2``. Input: a parsed spaCy ``Doc`` (tagger, parser and NER). Output: one
:class:`Place` per place mention, in text order; :func:`event_place` picks the event's place.

Candidates, by priority when spans overlap:

1. a dateline opening one of the first lines ("GDAŃSK, Poland —", "KOKOMO, Ind. (AP) –", or
   alone on its line: "FRANKLIN TOWNSHIP, Mich. -");
2. "City, State" with the state written out, AP-abbreviated ("Ind.", "N.Y.") or as a postal code,
   cities spaCy missed included; the state narrows the city's readings;
3. spaCy GPE/LOC/NORP entities (split at line breaks, and at "-", "/", "&", "and" when the whole is
   not a name: "Belarusian-Chinese"; "Southwest Baltimore" -> Baltimore); PERSON/ORG entities that
   are a whole place name in a place context ("ambassador to Kyiv", "the Brestsky training
   ground"), a town before a common noun ("the Flagstaff school", not "the Addison address" of an
   "Addison Street") or a lone city name no PERSON in the text has as a name ("Kyiv", "Stockton"); a country

   or demonym leading an ORG ("the Belarusian Defense Ministry"), a city or county leading a police
   ORG ("Wayne County Sheriff's Office"), also when spaCy tags the whole a place;
4. a scan of capitalised token sequences outside other entities for countries, US states and
   counties, demonyms and cities (>= 50k people, >= 15k for names of several words or after a
   locative preposition; at a sentence start or in a title-case headline only after one), and
   Russian-style adjectives of a city ("Brestsky", "Minskiy": -sky/-skiy/-skaya/-skoye stripped);
5. a dateline unknown to the main tier, in an article that points to no country, that the local
   tier holds one town of ("NEW STANTON (KDKA) -");
6. after resolution, a town of fewer than 15,000 people after "in", "near" or "outside" ("a home
   in Campbellsburg", often tagged ORG or PRODUCT by spaCy), before "police" ("Aransas Pass
   police", tagged PERSON) or before a dwelling ("a rural Williston address"), and a town of the
   main tier spaCy tagged as someone's name ("a home in Rock Falls"), when exactly one town of
   that name lies in a US state the article places something in without doubt; a name no tier
   lists after "a home in", in an article whose places lie in one state, is an unlisted town
   of that state.



After resolution, a place told inside another ("the West End neighborhood in St. Louis",
"Katy, a suburb of Houston") is read in its container's country and state, or dropped as a part
the gazetteer does not list (``part_of_place``); a country the article names once, amid places
that all lie in one other country, is that country's town of the name ("a home in Denmark" in a
South Carolina story: in the US, a town of the article's main state). The city a suburb is named
after ("the Dallas suburb of Garland") is background. A US township or civil town the gazetteer
lacks ("Webster Township", "the Town of Wallkill"), in an article whose places lie in one state
without doubt, is a town of that state: "the Town of X" the listed town X there, else a town
without a GeoNames id (``via="unlisted"``).

Not places: a country or state inside a capitalised name ("Pounds Turkey Farm"), social networks and news agencies ("X", "Telegram", "Xinhua"...), newspaper names
("South China Morning Post"), names inside natural features ("Indian Ocean"), streets ("85 Saint
John St.", "the 1900 block of Dover", "sped off down Stanton"), a city name heading a longer name
("Shanghai Cooperation Organization", "Hampton Inn"), someone's surname ("Dana Houston ... Houston said"). Dropped
candidates go to ``rejected`` with a reason when the caller passes a list.

Readings are scored: a prior by kind (country > state > city by log population; GeoNames alternate
names lower, and kept for cities only from 100k people or when the alias is the town's name
without "Center" ("Killingly" for Killingly Center, CT), lower still beside towns that bear the name
as their own: "Salisbury" is not Harare; the >= 500 local tier lower still), + the
countries the article names elsewhere (names, demonyms, capitals, cities; less for their
neighbours), + a US state named in the article, + the outlet's country, + nearness to places
resolved without doubt, + the article's own qualified reading of the same name ("Springfield, Ill."
then "Springfield"). A state or country after a comma restricts the readings; a state named
anywhere brings in its smaller namesakes from the local tier. All unqualified mentions of one name
share one reading; a state read without doubt only in the second pass brings in the small
namesakes near its towns for a third ("WORCESTER (CBS)" ... "home in Orange": Orange, Mass.).
``confidence`` is the softmax share of the winning reading times a factor for how the mention was
found.

The event place: the mention scoring best on specificity (city > county > state > country), a
cue from the dependency parse (a locative phrase "in X", "near the city of X", "at the X training
ground", "the X region" as a verb's argument; "X police", "police in X"), a dateline (less when a
broadcaster's tag follows it, "NEWPORT (WATE) -": often the station's town), nearness to
the top of the article, the countries of the lead, and a penalty for a country the article says
nothing else about. Never chosen: quoted mentions, mentions under a role noun ("former ambassador to
Kyiv") or where a source sits ("officials in Minsk said"), qualifiers, and demonyms unless nothing
else is there. When the winner is a country, state or county, a city (or county) in it found with
a locative or police cue is preferred. The chosen mention and its qualifying state or country get
``role="event"``; every other mention is ``"mentioned"``.

``admin1`` is the GeoNames admin1 code (US: the state's postal code; elsewhere GeoNames' own code,
"01" for Brest Oblast). ``feature`` is "city", "country", "admin1", "admin2" (US county),
"continent" or "region". Cost: the gazetteer loads once (~0.8 s), the local tier on first need
(~3 s); then about 1 ms per 400-token article, 3 ms per 1,200 tokens, beyond the spaCy parse.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from crosswire.extract.parsed import Parsed
from crosswire.extract.places.gazetteer import Entry, Gazetteer, get_gazetteer, haversine_km, normalise
from crosswire.extract.places.candidates import (
    _BLOCKING_LABELS, _LOC_PREPS, _MEDIA_WORDS, _NATURAL_WORDS, _PLACE_NOUNS, _POLICE_NOUNS,
    _ROLE_NOUNS, _SPEECH_VERBS, _CIVIL_TOWN, _consistent, _datelines, _View, _entity_mentions, _Mention, _Option,
    _qualified, _scan,
)

STAGE = "places.v2"

__all__ = ["STAGE", "Place", "Gazetteer", "get_gazetteer", "resolve_places", "event_place"]


@dataclass
class Place:
    """One place mention: its span in the text, the GeoNames reading chosen, and its role."""

    start: int
    end: int
    text: str
    name: str
    geonameid: int | None
    country: str | None
    lat: float | None
    lon: float | None
    feature: str
    admin1: str | None
    via: str  # "name" | "alias" | "demonym" | "adjective" | "abbreviation" | "unlisted" (a
    #   town the gazetteer lacks, placed by the text: "SHELBY, N.Y."; no geonameid)
    confidence: float
    role: str  # "event" | "mentioned"
    cue: str | None = None  # what the parse says of it: "dateline" | "event" ("shot in X") |
    #   "locative" ("in X") | "police" ("X police") | "residence" ("a Woodville man", "Doe, 20, of
    #   Tennille") | "background" (a role, a hospital) | None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "stage": STAGE}


_SPECIFICITY = {"city": 3.0, "admin2": 2.5, "admin1": 2.0, "country": 1.0, "continent": 0.2,
                "region": 0.2}
_VIA_FACTOR = {"name": 1.0, "alias": 0.9, "demonym": 0.95, "adjective": 0.75, "abbreviation": 1.0,
               "unlisted": 0.7}
_SOURCE_FACTOR = {"dateline": 1.0, "qualified": 1.0, "entity": 1.0, "repair": 0.85, "org": 0.9,
                  "scan": 0.9}
DATELINE_BONUS = 4.0  # a dateline may be the outlet's town: a place of the event told in the lead wins
STATION_DATELINE_DISCOUNT = 2.0  # a broadcaster's dateline ("NEWPORT (WATE) -"): the station's town more often
EVENT_BONUS = 5.0
OTHER_STATE_PENALTY = 3.0
ALIAS_BESIDE_NAME_PENALTY = 2.0  # a former or other name, where towns bear it as their own
RESIDENCE_PENALTY = 1.0  # someone's home town: the event place only when nothing better is told
AREA_PENALTY = 1.5  # "the Houston area" is coarser than a town in it
AREA_KM = 80.0  # how far from the city "the X area" reaches
_PRIORITY = {"dateline": 4, "qualified": 3, "entity": 2, "repair": 2, "org": 1, "scan": 1}


def _prior(o: _Option) -> float:
    e = o.entry
    if e.feature == "country":
        p = 6.0
    elif e.feature == "admin1":
        p = 5.0
    elif e.feature in ("continent", "region"):
        p = 5.0
    elif e.feature == "admin2":
        p = 3.5
    elif e.local:
        p = math.log10(max(e.population, 100)) - 1.5
    else:
        p = math.log10(max(e.population, 1000)) - 1.0
    if e.capital:
        p += 0.5
    if o.via == "alias":
        p -= 1.5
    return p


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks, paragraph by paragraph."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        if not any(c in para for c in "\"“'‘"):
            pos += len(para) + 1
            continue
        open_dq = open_sq = None
        n = len(para)
        for i, ch in enumerate(para):
            if ch not in "\"“”‘'’":
                continue
            if ch == "“" or (ch == '"' and open_dq is None):
                open_dq = i if open_dq is None else open_dq
                continue
            if ch in "”\"":
                if open_dq is not None:
                    spans.append((pos + open_dq, pos + i + 1))
                    open_dq = None
                continue
            prev = para[i - 1] if i else " "
            nxt = para[i + 1] if i + 1 < n else " "
            if prev.isalnum() and nxt.isalnum():
                continue  # apostrophe inside a word
            if ch in "‘'" and open_sq is None and not prev.isalnum() and nxt.isalnum():
                open_sq = i
            elif ch in "’'" and open_sq is not None and not nxt.isalnum():
                spans.append((pos + open_sq, pos + i + 1))
                open_sq = None
        pos += len(para) + 1
    return sorted(spans)


def _inside(spans: list[tuple[int, int]], starts: list[int], i: int) -> bool:
    k = bisect_right(starts, i) - 1
    return k >= 0 and spans[k][0] <= i < spans[k][1]


# ---------------------------------------------------------------- parse cues
# What happened, as the head of a place's phrase: "shot in X", "the X shooting", "it happened in X".
_EVENT_HEADS = {"shoot", "shooting", "kill", "killing", "murder", "die", "death", "happen", "occur",
                "wound", "injure", "stab", "stabbing", "attack", "explode", "explosion", "blast",
                "crash", "collide", "collision", "erupt", "incident", "homicide", "slaying",
                "suicide", "accident", "rampage", "massacre", "bombing", "raid", "clash", "gunfire",
                "strike", "flood", "fire", "riot", "standoff", "robbery", "hijack", "ambush"}
_SUBURB_NOUNS = {"suburb", "suburbs", "outskirts", "exurb"}
# Who lives somewhere: "a Woodville man", "Blake Doe, 20, of Tennille" name a home town, which
# is often not where the event happened.
_RESIDENT_NOUNS = {"man", "woman", "boy", "girl", "teen", "teenager", "child", "toddler", "youth",
                   "father", "mother", "son", "daughter", "couple", "family", "person", "people"}
# Where people are taken or held after the event: "a hospital in X", "the X County Jail".
_AFTERMATH_NOUNS = {"hospital", "jail", "prison", "court", "courthouse", "morgue", "clinic",
                    "funeral", "cemetery", "detention", "penitentiary", "autopsy"}
# Words of a hospital's name: "Magnolia Regional Medical Center", "Forensic Medical Center".
_MEDICAL_WORDS = {"medical", "hospital", "health", "healthcare", "clinic", "infirmary", "trauma"}


def _aftermath(P, g: int) -> bool:
    """Is token ``g`` a place of the aftermath: a hospital, jail or court ("taken to a hospital
    in X"), a named hospital ("Magnolia Regional Medical Center in Magnolia"), or a verb whose
    subject is one of these ("an autopsy is being conducted in Beaumont")?"""
    if P.lemma_lower(g) in _AFTERMATH_NOUNS:
        return True
    if P.pos[g] == "PROPN" and any(P.dep[c] == "compound" and P.lemma_lower(c) in _MEDICAL_WORDS
                                   for c in P.kids[g]):
        return True
    return P.pos[g] in ("VERB", "AUX") and any(
        P.dep[c] in ("nsubj", "nsubjpass") and P.lemma_lower(c) in _AFTERMATH_NOUNS for c in P.kids[g])


def _cue(D: _View, m: _Mention) -> str | None:
    """"event" | "locative" | "police" | "background" | None from the dependency parse around
    the mention: "event" when its phrase attaches to what happened ("shot in X", "the X
    shooting"), "background" when to a role or to where people were taken afterwards (a
    hospital, also by its name: "Magnolia Regional Medical Center in Magnolia"; an autopsy)."""
    if m.tok_start < 0:
        return None
    P = D.P
    dep, head, low = P.dep, P.head, P.low
    t = m.tok_end - 1  # the head of a name is its last token
    for _ in range(7):
        h = head[t]
        if h == t:
            return None
        hl = P.lemma_lower(h)
        if dep[t] in ("compound", "amod", "nmod", "poss", "appos", "conj", "nummod", "npadvmod"):
            if hl in _POLICE_NOUNS:
                return "police"
            if hl in _ROLE_NOUNS or hl in _AFTERMATH_NOUNS:
                return "background"
            if hl in _RESIDENT_NOUNS and dep[t] in ("compound", "amod", "nmod"):
                return "residence"  # "a Woodville man"
            if hl in _SUBURB_NOUNS and any(low[c] == "of" for c in P.kids[h]):
                return "background"  # "the Dallas suburb of Garland": the event is in Garland
            if hl in _EVENT_HEADS and dep[t] in ("compound", "amod", "nmod", "poss"):
                return "event"  # "the Bastrop shooting", "Saturday's Kokomo shooting"
            if hl in _DWELLING_NOUNS and dep[t] in ("compound", "amod", "nmod"):
                return "locative"  # "a rural Williston address", "at a Rock Falls home"
            if hl in _PLACE_NOUNS and dep[h] in ("dobj", "nsubj", "nsubjpass"):
                return "locative"  # "the floods hit the Brest region"
            t = h
            continue
        if dep[t] == "pobj":
            p = low[h]
            g = head[h]
            gl = P.lemma_lower(g)
            if p == "of" and (gl in _RESIDENT_NOUNS or P.ent_type[g] == "PERSON"):
                return "residence"  # "a man of Tennille", "Blake Doe, 20, of Tennille"
            if p == "of" and gl in _PLACE_NOUNS:
                t = g
                if dep[g] in ("dobj", "nsubj", "nsubjpass"):
                    return "locative"  # "the floods hit the city of X"
                continue
            if p in _LOC_PREPS:
                if gl in _ROLE_NOUNS or _aftermath(P, g):
                    return "background"
                if gl in _EVENT_HEADS or low[g] in _EVENT_HEADS:
                    return "event"
                if dep[g] == "pobj" and P.lemma_lower(head[head[g]]) in _EVENT_HEADS and \
                        gl not in _AFTERMATH_NOUNS:
                    return "event"  # "it happened at a home in Rock Falls"
                if gl in _POLICE_NOUNS or any(dep[c] == "compound" and P.lemma_lower(c)
                                              in _POLICE_NOUNS for c in P.kids[g]):
                    return "police"
                if dep[g] == "nsubj" and P.lemma[head[g]] in _SPEECH_VERBS:
                    return "background"  # "officials in Minsk said": where the source sits
                return "locative"
            if gl in _ROLE_NOUNS or p == "to" and P.pos[g] == "NOUN":
                return "background"
            return None
        return None
    return None


# ---------------------------------------------------------------- main
def resolve_places(doc, *, outlet_country: str | None = None,
                   rejected: list[dict] | None = None) -> list[Place]:
    """Places mentioned in a parsed article, resolved to GeoNames, with the event's place marked.

    ``outlet_country`` (ISO alpha-2) favours readings in the outlet's country. Candidates that are
    dropped (social networks, unknown names) are appended to ``rejected`` when a list is given.
    """
    g = get_gazetteer()
    P = Parsed.of(doc)
    text = P.text
    if not text.strip():
        return []
    outlet = outlet_country.upper() if outlet_country else None
    D = _View(P)

    blocked: set[int] = set()
    gpe_keys: set[str] = set()
    surnames: set[str] = set()
    for ent in D.ents:
        label = ent.label
        if label in _BLOCKING_LABELS:
            blocked.update(range(ent.start, ent.end))
        if label == "GPE":
            gpe_keys.add(normalise(text[ent.start_char:ent.end_char]))
        elif label == "PERSON" and 1 < ent.end - ent.start <= 4 and D.texts[ent.start].istitle():
            surnames.add(normalise(D.texts[ent.end - 1]))
            surnames.add(normalise(D.texts[ent.start]))

    cands: list[_Mention] = []
    cands += _datelines(D, g)
    cands += _qualified(D, g, blocked)
    ents, rej = _entity_mentions(D, g, gpe_keys, surnames)
    cands += ents

    # accept non-overlapping candidates by priority, then length, then position
    accepted = _accept(cands, len(text))
    covered: set[int] = set()
    for m in accepted:
        if m.tok_start < 0:
            a = D.tok_at(m.start)
            b = D.tok_at(m.end - 1) + 1
            m.tok_start, m.tok_end = a, b
        covered.update(range(m.tok_start, m.tok_end))
    # natural features ("Indian Ocean") and media names are not scanned inside
    for ent in D.ents:
        if ent.label in ("LOC", "FAC", "GPE") and (
                D.lower(ent.end - 1) in _NATURAL_WORDS or D.lower(ent.end - 1) in _MEDIA_WORDS):
            covered.update(range(ent.start, ent.end))
    scanned = _scan(D, g, blocked, covered, surnames)
    accepted = _accept(accepted + scanned, len(text))
    for m in accepted:
        if not m.key:
            m.key = normalise(m.text)

    _link_qualifiers(text, accepted)
    _resolve(g, accepted, outlet)
    _contained(g, text, accepted, rejected)
    _country_as_town(g, accepted)
    _townships(g, accepted)

    places_m = [m for m in accepted if m.chosen is not None]
    places_m = sorted(places_m + _local_towns(D, g, places_m, surnames), key=lambda m: m.start)
    for m in accepted:
        if m.chosen is None and rejected is not None:
            rejected.append({"text": m.text, "start": m.start, "reason": "unknown_name"})
    if rejected is not None:
        rejected.extend(rej)
    _mark_event(D, places_m, outlet, surnames)

    out = []
    for m in sorted(places_m, key=lambda m: m.start):
        e = m.entry
        assert e is not None and m.chosen is not None
        out.append(Place(m.start, m.end, text[m.start:m.end], e.name, e.geonameid, e.country,
                         e.lat, e.lon, e.feature, e.admin1, m.chosen.via,
                         round(m.confidence, 3), m.role, m.extra.get("cue")))
    return out


_TOWN_PREPS = {"in", "near", "outside"}
_NOT_TOWN_ENTS = {"PERSON", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL",
                  "LANGUAGE", "LAW", "WORK_OF_ART", "NORP"}


_DWELLING_NOUNS = {"address", "home", "house", "residence", "apartment", "trailer", "farm"}


def _local_towns(D: _View, g: Gazetteer, ms: list[_Mention], surnames: set[str]) -> list[_Mention]:
    """Towns after "in", "near", "outside" ("a home in Campbellsburg"), before "police" ("Aransas
    Pass police") or before a dwelling ("a rural Williston address"), which spaCy often tags ORG,
    PRODUCT or PERSON, taken when exactly one town of the name lies in a US state the article
    places something in without doubt: one of the local tier (fewer than 15,000 people), or of the
    main tier that the text tagged as someone's name ("a home in Rock Falls", "a rural Williston
    address", each a PERSON to spaCy) when no one in the text bears it. A name the gazetteer
    lacks after "a home in" ("outside a home in Ivanhoe"), in an article whose places lie in one
    state, is a town of that state without a GeoNames id (``via="unlisted"``)."""
    states = {m.entry.admin1 for m in ms if m.entry is not None and m.entry.country == "US"
              and m.entry.feature in ("city", "admin1", "admin2") and m.confidence >= 0.6}
    if not states:
        return []
    covered: set[int] = set()
    for m in ms:
        if m.tok_start >= 0:
            covered.update(range(m.tok_start, m.tok_end))
    person_at = {}
    for ent in D.ents:
        if ent.label == "PERSON":
            for k in range(ent.start, ent.end):
                person_at[k] = (ent.start, ent.end)
    out: list[_Mention] = []
    for i in range(D.n):
        if not D.cap[i] or i in covered:
            continue
        after_prep = i > 0 and D.lower(i - 1) in _TOWN_PREPS and not D.sent_start[i]
        if not after_prep and i > 0 and D.cap[i - 1] and not D.sent_start[i]:
            continue
        whole = person_at.get(i)  # a PERSON entity that is the name and nothing more
        j = i
        while j < D.n and j < i + 3 and D.cap[j] and D.pos[j] == "PROPN" and j not in covered \
                and (D.P.ent_type[j] not in _NOT_TOWN_ENTS or not after_prep
                     or whole is not None and whole[0] == i and j < whole[1]) and not D.space[j]:
            j += 1
        if whole is not None and (whole[0] != i or whole[1] != j):
            whole = None
        police = j < D.n and D.P.lemma_lower(j) in _POLICE_NOUNS and D.texts[j].islower()
        dwelling = j < D.n and D.lower(j) in _DWELLING_NOUNS and i > 0 and D.lower(i - 1) not in (
            "'s", "’s") and not D.cap[i - 1]
        if j == i or not (after_prep or police or dwelling) or not (police or dwelling) and \
                j < D.n and (D.cap[j] or D.lower(j) in ("'s", "’s", "-")):
            continue  # "in Oakland Cemetery", "in Smith's home"; "Aransas Pass police" is a town

        name = D.stext(i, j)
        key = normalise(name)
        if key in surnames and whole is None or any(normalise(D.texts[k]) in surnames for k in range(i, j)
                                                    if whole is not None and person_at.get(k) != whole):
            continue  # someone's name
        main = g.lookup(name)
        if main and whole is None and not dwelling:
            continue  # a name the main tier knows (and did not take)
        found = [e for e, _ in main if e.feature == "city" and e.country == "US" and e.admin1 in states]
        found += [e for e in g.local(name) if e.country == "US" and e.admin1 in states]
        found = list({e.geonameid: e for e in found}.values())
        if not found and not main and len(states) == 1 and after_prep and D.lower(i - 1) == "in" \
                and i > 1 and D.lower(i - 2) in _DWELLING_NOUNS and whole is None \
                and (state := g.states.get(next(iter(states)) or "")) is not None:
            found = [_unlisted(name, state)]  # "outside a home in Ivanhoe": a place too small to list
        if len(found) != 1:
            continue
        via = "unlisted" if found[0].geonameid is None else "name"
        m = _Mention(D.idx[i], D.end[j - 1], name, "scan", [_Option(found[0], via)], i, j,
                     key=key)
        m.chosen, m.confidence = m.options[0], 0.8 * _VIA_FACTOR[via] * _SOURCE_FACTOR["scan"]
        out.append(m)
    return out


def _accept(cands: list[_Mention], size: int) -> list[_Mention]:

    """Non-overlapping candidates, by source priority, then length, then position."""
    order = sorted(cands, key=lambda m: (-_PRIORITY[m.source], -(m.end - m.start), m.start))
    taken = bytearray(size + 1)
    out: list[_Mention] = []
    for m in order:
        if any(taken[m.start:m.end]):
            continue
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        out.append(m)
    keep = set(map(id, out))
    for m in out:
        if m.qualifier is not None and id(m.qualifier) not in keep:
            m.qualifier = None
            m.restrict = None
        if m.qualifies is not None and id(m.qualifies) not in keep:
            m.qualifies = None
    return sorted(out, key=lambda m: m.start)


_COMMA = re.compile(r"[ \t]*,[ \t]*$")


def _link_qualifiers(text: str, ms: list[_Mention]) -> None:
    """"Gdańsk, Poland", "Springfield, Illinois": the second narrows the first."""
    for a, b in zip(ms, ms[1:]):
        if a.qualifier is not None or b.qualifies is not None or a.qualifies is not None:
            continue
        if not _COMMA.match(text[a.end:b.start]):
            continue
        within = [o.entry for o in b.options if o.entry.feature in ("country", "admin1")
                  and o.via != "demonym"]
        if not within:
            continue
        for w in within:
            if any(_consistent(o.entry, w) for o in a.options) or (not a.options
                                                                   and a.extra.get("local_ok")):
                a.qualifier, b.qualifies, a.restrict = b, a, w
                b.options = [o for o in b.options if o.entry is w]
                break


class _Context:
    def __init__(self):
        self.countries: Counter[str] = Counter()
        self.states: Counter[str] = Counter()
        self.by_key_countries: dict[str, Counter[str]] = {}
        self.by_key_states: dict[str, Counter[str]] = {}
        self.anchors: list[tuple[str, float, float]] = []  # (key, lat, lon) of sure cities
        self.qualified_pick: dict[str, Entry] = {}

    def add(self, key: str, e: Entry, *, state: bool = True) -> None:
        if e.country:
            self.countries[e.country] += 1
            self.by_key_countries.setdefault(key, Counter())[e.country] += 1
        if state and e.country == "US" and e.admin1 and e.feature != "country":
            self.states[e.admin1] += 1
            self.by_key_states.setdefault(key, Counter())[e.admin1] += 1

    def country_count(self, key: str, c: str) -> int:
        return self.countries[c] - self.by_key_countries.get(key, Counter())[c]

    def state_count(self, key: str, s: str) -> int:
        return self.states[s] - self.by_key_states.get(key, Counter())[s]


def _resolve(g: Gazetteer, ms: list[_Mention], outlet: str | None) -> None:
    # qualifiers restrict readings first
    for m in ms:
        if m.restrict is not None:
            cons = [o for o in m.options if _consistent(o.entry, m.restrict)]
            if not cons:
                cons = [_Option(e, "name") for e in g.local(m.text) if _consistent(e, m.restrict)]
            if not cons and m.restrict.feature == "admin1" and m.restrict.country == "US" and \
                    m.qualifier is not None and not re.search(
                        r"(?i)\b(?:county|parish|borough|co)\.?$", m.text.strip()):
                cons = [_Option(_unlisted(m.text, m.restrict), "unlisted")]
            m.options = cons
    ctx = _Context()
    for m in ms:
        countries = {o.entry.country for o in m.options}
        if len(m.options) == 1 or (len(countries) == 1 and None not in countries):
            e = m.options[0].entry
            ctx.add(m.key, e, state=len(m.options) == 1)
            if len(m.options) == 1 and e.feature == "city" and e.lat is not None:
                ctx.anchors.append((m.key, e.lat, e.lon))
        if m.restrict is not None and len(m.options) == 1:
            ctx.qualified_pick.setdefault(m.key, m.options[0].entry)
    # local tier for unknown GPEs: only in countries the article (or outlet) points to; a
    # dateline (a place by construction) also where nothing points anywhere, when the tier holds
    # one town of its name ("NEW STANTON (KDKA) -": New Stanton, Pa.)
    allowed = {c for c, n in ctx.countries.items() if n > 0}
    if outlet:
        allowed.add(outlet)
    for m in ms:
        if not allowed and not m.options and m.extra.get("local_ok") and m.extra.get("dateline"):
            only = g.local(m.text)
            if len(only) == 1:
                m.options = [_Option(only[0], "name")]
                allowed.add(only[0].country)
    for m in ms:
        if not m.options and m.extra.get("local_ok"):
            if not allowed:
                continue
            m.options = [_Option(e, "name") for e in g.local(m.text) if e.country in allowed]
    _add_namesakes(g, ms, ctx)

    todo = ms
    fresh: dict[int, list[_Option]] = {}
    for _pass in range(3):
        for m in todo:
            for o in m.options:
                o.score = _score(o, m, ctx, outlet)
        # one reading per unqualified name: pool the scores of the name's mentions
        pooled: dict[str, dict[int, float]] = {}
        for m in todo:
            if m.options and m.restrict is None:
                d = pooled.setdefault(m.key, {})
                for o in m.options:
                    d[id(o.entry)] = max(d.get(id(o.entry), -1e9), o.score)
        for m in todo:
            if not m.options:
                continue
            # the third pass weighs a mention's new namesakes against its reading, nothing else
            pick = m.options if _pass < 2 or m.chosen is None else [m.chosen, *fresh.get(id(m), [])]
            if m.restrict is None and m.key in pooled:
                d = pooled[m.key]
                m.chosen = max(pick, key=lambda o: (d[id(o.entry)], o.score))
            else:
                m.chosen = max(pick, key=lambda o: o.score)
            scores = [o.score for o in m.options]
            top = m.chosen.score
            z = sum(math.exp(s - top) for s in scores)
            m.confidence = (1.0 / z) * _VIA_FACTOR.get(m.chosen.via, 0.8) * _SOURCE_FACTOR[m.source]
        if _pass == 2:
            break
        ctx2 = _Context()
        ctx2.qualified_pick = ctx.qualified_pick
        for m in ms:
            if m.chosen is not None:
                # a reading in doubt (a county of several states) says nothing of the state; nor,
                # for the third pass, a county read only in the second ("Polk County")
                ctx2.add(m.key, m.chosen.entry, state=m.confidence >= 0.6 and (
                    _pass == 0 or m.chosen.entry.feature != "admin2" or len(m.options) == 1))
                e = m.chosen.entry
                if e.feature == "city" and e.lat is not None and m.confidence >= 0.6:
                    ctx2.anchors.append((m.key, e.lat, e.lon))
        ctx = ctx2
        # the states read in this pass bring in namesakes too ("Dallas" near Rockmart, Ga.); a
        # state only the second pass reads without doubt ("WORCESTER (CBS)" among Worcesters,
        # sure once a Massachusetts town is named) brings in the namesakes of the third
        # ("back home in Orange": Orange, Mass.), which alone are read again
        before = {id(m): len(m.options) for m in ms}
        extended = _add_namesakes(g, ms, ctx)
        if _pass == 1:
            # only a namesake near a town read without doubt ("Orange" 90 km from Worcester),
            # not one a state named in passing brings ("Lakeland" with "Georgia" in a Florida story)
            fresh = {id(m): near for m in extended if (near := [
                o for o in m.options[before[id(m)]:] if o.entry.lat is not None and any(
                    k != m.key and haversine_km(o.entry.lat, o.entry.lon, lat, lon) < 150
                    for k, lat, lon in ctx.anchors)])}
            todo = [m for m in ms if m.key in {x.key for x in extended if id(x) in fresh}]
            if not todo:
                break


def _add_namesakes(g: Gazetteer, ms: list[_Mention], ctx: _Context) -> list[_Mention]:
    """A US state the article names elsewhere brings in the smaller namesakes of its towns
    ("White Plains" in a Kentucky story); returns the mentions given new readings."""
    out: list[_Mention] = []
    if not any(ctx.states.values()):
        return out
    for m in ms:
        if m.restrict is not None or not m.options or any(
                o.entry.feature != "city" for o in m.options):
            continue
        states = {s for s in ctx.states if ctx.state_count(m.key, s) > 0}
        if states and not any(o.entry.country == "US" and o.entry.admin1 in states
                              for o in m.options):
            more = [_Option(e, "name") for e in g.local(m.text)
                    if e.country == "US" and e.admin1 in states]
            if more:
                m.options += more
                out.append(m)
    return out


def _unlisted(text: str, state: Entry) -> Entry:
    """A town the gazetteer does not list but the text places in a state ("SHELBY, N.Y.",
    "in Charlo, Mont."): no GeoNames id, no coordinates."""
    name = text.strip().rstrip(".")
    if name.isupper():
        name = name.title()
    return Entry(None, name, state.country, None, None, "city", state.admin1, 0, local=True)


def _score(o: _Option, m: _Mention, ctx: _Context, outlet: str | None) -> float:
    e = o.entry
    s = _prior(o)
    if len(m.options) == 1:
        return s
    if o.via == "alias" and any(x.via == "name" and x.entry.feature == "city" for x in m.options):
        s -= ALIAS_BESIDE_NAME_PENALTY  # "Salisbury": towns of that name before Harare's old name
    if e.country:
        n = ctx.country_count(m.key, e.country)
        if n > 0:
            s += 2.0 + 0.3 * min(n - 1, 5)
        elif any(ctx.country_count(m.key, nb) > 0 for nb in _neighbours(e.country)):
            s += 0.75
    if e.country == "US" and e.admin1 and e.feature in ("city", "admin2", "admin1"):
        if e.feature != "admin1" and ctx.state_count(m.key, e.admin1) > 0:
            s += 3.5
    if outlet and e.country == outlet:
        s += 1.0
    if e.lat is not None and e.feature == "city":
        best = None
        for key, lat, lon in ctx.anchors:
            if key == m.key:
                continue
            d = haversine_km(e.lat, e.lon, lat, lon)
            best = d if best is None or d < best else best
        if best is not None:
            s += 2.0 if best < 150 else 1.0 if best < 500 else 0.3 if best < 1500 else 0.0
    q = ctx.qualified_pick.get(m.key)
    if q is not None and q is e:
        s += 3.0
    return s


# "the West End neighborhood in St. Louis", "Oak Hill, a section of Springfield": a part inside a place
_CONTAINED_BY = re.compile(r"(?i)^[ \t]*(?:(?:neighbo(?:u)?rhood|area|section|district|community|"
                           r"subdivision|part|side|suburb)[ \t]+)?,?[ \t]*(?:(?:a|the)[ \t]+"
                           r"(?:\w+[ \t]+){0,2}?(?:neighbo(?:u)?rhood|area|section|district|"
                           r"community|suburb|part)[ \t]+)?(?:in|of|near)[ \t]+(?:the[ \t]+"
                           r"(?:city|town|village)[ \t]+of[ \t]+)?$")


def _inside_of(e: Entry, c: Entry) -> bool:
    """Could ``e`` lie inside (or beside) ``c``: the same country, and for the US the same state."""
    if e.country != c.country:
        return False
    if c.country == "US" and c.feature in ("city", "admin1", "admin2") and e.feature != "country":
        return e.admin1 == c.admin1
    return True


def _contained(g: Gazetteer, text: str, ms: list[_Mention], rejected: list[dict] | None) -> None:
    """A place told inside another ("the West End neighborhood in St. Louis", "Katy, a suburb of
    Houston") is read in the container's country and state: a namesake there, else it is only a
    part of the container the gazetteer does not list, and not a place of its own."""
    for a, b in zip(ms, ms[1:]):
        if a.chosen is None or b.chosen is None or a.restrict is not None or a.qualifier is not None:
            continue
        c = b.chosen.entry
        if c.feature not in ("city", "admin2", "admin1") or not _CONTAINED_BY.match(text[a.end:b.start]):
            continue
        if _inside_of(a.chosen.entry, c) or b.confidence < 0.5:
            continue
        cons = [o for o in a.options if _inside_of(o.entry, c) and o.entry.feature != "country"]
        cons += [_Option(e, "name") for e in g.local(a.text) if _inside_of(e, c)]
        if cons:
            a.chosen = max(cons, key=lambda o: (o.entry.population, o.score))
            continue
        a.chosen = None
        if rejected is not None:
            rejected.append({"text": a.text, "start": a.start, "end": a.end, "reason": "part_of_place"})


def _country_as_town(g: Gazetteer, ms: list[_Mention]) -> None:
    """A country the article names once, amid places that all lie in one other country, is a
    town of that country when it has one ("a home in Denmark" in a South Carolina story); in
    the US, a town of the state most of the article's places lie in."""
    sure: Counter[str] = Counter()
    keys: dict[str, set[str]] = {}
    for m in ms:
        e = m.entry
        if e is not None and e.country and m.confidence >= 0.6 and e.feature != "country":
            sure[e.country] += 1
            keys.setdefault(e.country, set()).add(m.key)
    if len(sure) != 1:
        return
    home = next(iter(sure))
    if len(keys[home]) < 2:
        return
    state = _main_state(ms) if home == "US" else None
    for m in ms:
        e = m.entry
        if e is None or e.feature != "country" or e.country == home or m.chosen.via != "name":
            continue
        if any(x.entry is not None and x.entry.country == e.country and x.key != m.key for x in ms):
            continue
        towns = [x for x, _ in g.lookup(m.text) if x.country == home and x.feature == "city"]
        towns += [x for x in g.local(m.text) if x.country == home and x.feature == "city"]
        if state is not None:
            towns = [x for x in towns if x.admin1 == state]
        if len(towns) >= 1:
            m.chosen = _Option(max(towns, key=lambda x: x.population), "name")
            m.confidence = min(m.confidence, 0.8) * _SOURCE_FACTOR[m.source]


def _townships(g: Gazetteer, ms: list[_Mention]) -> None:
    """A US township or town the gazetteer does not list ("Webster Township", "the Town of
    Wallkill"), in an article whose places lie in one state without doubt, is a town of that
    state: "the Town of X" the town X when the gazetteer has it there, else a town without a
    GeoNames id (``via="unlisted"``)."""
    states = {m.entry.admin1 for m in ms if m.entry is not None and m.entry.country == "US"
              and m.entry.feature in ("city", "admin1", "admin2") and m.confidence >= 0.6}
    if len(states) != 1:
        return
    state = g.states.get(next(iter(states)) or "")
    if state is None:
        return
    for m in ms:
        found = _CIVIL_TOWN.match(m.text.strip()) if m.chosen is None and not m.options else None
        if found is None:
            continue
        name = found["of"] or m.text
        there = [e for e, _ in g.lookup(name) if e.feature == "city" and _consistent(e, state)]
        there += [e for e in g.local(name) if e.feature == "city" and _consistent(e, state)] \
            if found["of"] else []
        m.chosen = (_Option(max(there, key=lambda e: e.population), "name") if there and found["of"]
                    else _Option(_unlisted(name, state), "unlisted"))
        m.options = [m.chosen]
        m.confidence = 0.8 * _VIA_FACTOR[m.chosen.via] * _SOURCE_FACTOR[m.source]


def _state_of(e: Entry) -> Entry | None:
    """The US state an admin2 entry lies in."""
    return get_gazetteer().states.get(e.admin1 or "")


def _neighbours(code: str) -> frozenset[str]:
    return get_gazetteer().neighbours.get(code, frozenset())


def _main_state(ms: list[_Mention]) -> str | None:
    """The US state most of the article's places lie in (a state after a town counts twice), if
    one state has more than half of them."""
    votes: Counter[str] = Counter()
    for m in ms:
        e = m.entry
        if e is not None and e.country == "US" and e.feature != "country" and e.admin1:
            votes[e.admin1] += 2 if m.qualifies is not None else 1
    if not votes:
        return None
    top, n = votes.most_common(1)[0]
    return top if n * 2 > sum(votes.values()) else None


def _mark_event(D: _View, ms: list[_Mention], outlet: str | None,
                surnames: frozenset[str] | set[str] = frozenset()) -> None:
    if not ms:
        return
    state = _main_state(ms)
    keys_by_country: dict[str, set[str]] = {}
    for m in ms:
        if m.entry is not None and m.entry.country:
            keys_by_country.setdefault(m.entry.country, set()).add(m.key)
    quotes = _quote_spans(D.text)
    qstarts = [s for s, _ in quotes]
    segs = D.segments()

    def seg_of(i: int) -> int:
        return bisect_right(segs, i) - 1

    lead: Counter[str] = Counter()
    for m in ms:
        if seg_of(m.start) <= 3 and m.entry is not None and m.entry.country:
            lead[m.entry.country] += 1
    top_lead = {c for c, n in lead.items() if n == max(lead.values())} if lead else set()

    eligible = []
    for m in ms:
        e = m.entry
        if e is None or m.qualifies is not None:
            continue
        if _inside(quotes, qstarts, m.start):
            continue
        cue = "dateline" if m.extra.get("dateline") else _cue(D, m)
        m.extra["cue"] = cue
        if cue == "background":
            continue
        if m.restrict is None and m.key in surnames and cue != "dateline":
            continue  # "the Senquez Jackson shooting": someone's name
        seg = seg_of(m.start)
        s = _SPECIFICITY.get(e.feature, 0.0)
        if cue == "dateline":
            # a broadcaster's dateline ("WORCESTER (CBS) -") is often the station's town
            s += DATELINE_BONUS - (STATION_DATELINE_DISCOUNT if m.extra.get("station") else 0.0)
        elif cue == "event":
            s += EVENT_BONUS
        elif cue == "locative":
            s += 3.0
        elif cue == "police":
            s += 2.0
        elif cue == "residence":
            s -= RESIDENCE_PENALTY
        s += max(0.0, 2.0 - 0.25 * seg) - 0.1 * min(seg, 40)
        if state and e.country == "US" and e.feature in ("city", "admin2") and e.admin1 != state:
            s -= OTHER_STATE_PENALTY  # "Madison" read in Wisconsin in a story from Tennessee
        if e.country in top_lead:
            s += 1.0
        if e.feature == "city" and _area_after(D, m):
            s -= AREA_PENALTY  # "the Houston area": a region around the city, not the city
            m.extra["area"] = True
        others = keys_by_country.get(e.country or "", set()) - {m.key}
        if e.country and e.country != outlet and not others:
            s -= 1.5  # a place in a country the article says nothing else about
        eligible.append((s, m, cue, seg))
    if not eligible:
        return
    named = [x for x in eligible if x[1].chosen is not None and x[1].chosen.via != "demonym"]
    pool = named or eligible
    best = max(pool, key=lambda x: (x[0], -x[1].start))[1]
    be = best.entry
    assert be is not None
    if be.feature in ("country", "admin1", "admin2", "region", "continent"):
        # a county only knows its state: a city of that state stands in for "inside it"
        within = _state_of(be) if be.feature == "admin2" else be
        finer = [x for x in pool if x[1].entry is not None
                 and x[1].entry.feature in ("city", "admin2") and x[1].entry.feature != be.feature
                 and x[2] in ("event", "locative", "police", "dateline") and x[3] <= 30
                 and (be.feature in ("region", "continent") or within is not None
                      and _consistent(x[1].entry, within))]
        if finer:
            best = max(finer, key=lambda x: (x[0], -x[1].start))[1]
    if best.extra.get("area") and be.lat is not None:
        # "shot in the Houston area ... in Pasadena": the town inside the area, told with a cue
        finer = [x for x in pool if x[1] is not best and x[1].entry is not None
                 and x[1].entry.feature == "city" and not x[1].extra.get("area")
                 and x[1].entry.lat is not None and x[2] in ("event", "locative", "police", "dateline")
                 and x[3] <= 30 and haversine_km(be.lat, be.lon, x[1].entry.lat, x[1].entry.lon) <= AREA_KM]
        if finer:
            best = max(finer, key=lambda x: (x[0], -x[1].start))[1]
    best.role = "event"
    if best.qualifier is not None:
        best.qualifier.role = "event"


def _area_after(D: _View, m: _Mention) -> bool:
    """"the Houston area", "the Dallas metro area": the mention names the region around a city."""
    j = m.tok_end
    if j < 0 or j >= D.n:
        return False
    if D.lower(j) in ("metro", "metropolitan") and j + 1 < D.n:
        j += 1
    return D.lower(j) in ("area", "region") and not D.cap[j]


def event_place(places: list[Place]) -> Place | None:
    """The most specific place with role "event" (a city before its state or country), or None."""
    ev = [p for p in places if p.role == "event"]
    if not ev:
        return None
    return max(ev, key=lambda p: (_SPECIFICITY.get(p.feature, 0.0), -p.start))
