"""Places in an article resolved offline to GeoNames, and the event's place told from places mentioned.

Stage ``places.v1``. Input: a parsed spaCy ``Doc`` (tagger, parser and NER). Output: one
:class:`Place` per place mention, in text order; :func:`event_place` picks the event's place.

Candidates, by priority when spans overlap:

1. a dateline opening one of the first lines ("GDAŃSK, Poland —", "KOKOMO, Ind. (AP) –");
2. "City, State" with the state written out, AP-abbreviated ("Ind.", "N.Y.") or as a postal code,
   cities spaCy missed included; the state narrows the city's readings;
3. spaCy GPE/LOC/NORP entities (split at line breaks, and at "-", "/", "&", "and" when the whole is
   not a name: "Belarusian-Chinese"; "Southwest Baltimore" -> Baltimore); PERSON/ORG entities that
   are a whole place name in a place context ("ambassador to Kyiv", "the Brestsky training
   ground") or a lone city name no PERSON in the text has as a name ("Kyiv", "Stockton"); a country
   or demonym leading an ORG ("the Belarusian Defense Ministry"), a city or county leading a police
   ORG ("Wayne County Sheriff's Office");
4. a scan of capitalised token sequences outside other entities for countries, US states and
   counties, demonyms and cities (>= 50k people, >= 15k for names of several words or after a
   locative preposition; at a sentence start or in a title-case headline only after one), and
   Russian-style adjectives of a city ("Brestsky", "Minskiy": -sky/-skiy/-skaya/-skoye stripped).

Not places: social networks and news agencies ("X", "Telegram", "Xinhua"...), newspaper names
("South China Morning Post"), names inside natural features ("Indian Ocean"), streets ("85 Saint
John St.", "the 1900 block of Dover"), a city name heading a longer name ("Shanghai Cooperation
Organization", "Hampton Inn"), someone's surname ("Dana Houston ... Houston said"). Dropped
candidates go to ``rejected`` with a reason when the caller passes a list.

Readings are scored: a prior by kind (country > state > city by log population; GeoNames alternate
names lower, and kept for cities only from 100k people; the >= 1k local tier lower still), + the
countries the article names elsewhere (names, demonyms, capitals, cities; less for their
neighbours), + a US state named in the article, + the outlet's country, + nearness to places
resolved without doubt, + the article's own qualified reading of the same name ("Springfield, Ill."
then "Springfield"). A state or country after a comma restricts the readings; a state named
anywhere brings in its smaller namesakes from the local tier. All unqualified mentions of one name
share one reading. ``confidence`` is the softmax share of the winning reading times a factor for
how the mention was found.

The event place: the mention scoring best on specificity (city > county > state > country), a
cue from the dependency parse (a locative phrase "in X", "near the city of X", "at the X training
ground", "the X region" as a verb's argument; "X police", "police in X"), a dateline, nearness to
the top of the article, the countries of the lead, and a penalty for a country the article says
nothing else about. Never chosen: quoted mentions, mentions under a role noun ("former ambassador to
Kyiv") or where a source sits ("officials in Minsk said"), qualifiers, and demonyms unless nothing
else is there. When the winner is a country, state or county, a city (or county) in it found with
a locative or police cue is preferred. The chosen mention and its qualifying state or country get
``role="event"``; every other mention is ``"mentioned"``.

``admin1`` is the GeoNames admin1 code (US: the state's postal code; elsewhere GeoNames' own code,
"01" for Brest Oblast). ``feature`` is "city", "country", "admin1", "admin2" (US county),
"continent" or "region". Cost: the gazetteer loads once (~0.8 s), the local tier on first need
(~2 s); then about 1 ms per 400-token article, 3 ms per 1,200 tokens, beyond the spaCy parse.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from crosswire.extract.gazetteer import Entry, Gazetteer, get_gazetteer, haversine_km, normalise

STAGE = "places.v1"

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
    via: str  # "name" | "alias" | "demonym" | "adjective" | "abbreviation"
    confidence: float
    role: str  # "event" | "mentioned"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "stage": STAGE}


# ---------------------------------------------------------------- word lists
_LOC_PREPS = {"in", "at", "near", "outside", "inside", "around", "across", "throughout", "within",
              "into", "nearby", "beside", "off", "along"}
_CONTEXT_PREPS = _LOC_PREPS | {"to", "from", "toward", "towards", "via", "of", "between", "for"}
_PLACE_NOUNS = {"city", "town", "village", "region", "province", "county", "oblast", "district",
                "outskirts", "suburb", "suburbs", "area", "capital", "port", "municipality",
                "neighborhood", "neighbourhood", "borough", "settlement", "community", "centre",
                "center", "heart", "streets", "downtown", "part", "parts", "township", "state"}
_POLICE_NOUNS = {"police", "authority", "officer", "sheriff", "deputy", "firefighter", "trooper",
                 "detective", "investigator", "coroner", "prosecutor", "department", "pd"}
_ROLE_NOUNS = {"ambassador", "envoy", "embassy", "consul", "consulate", "minister", "ministry",
               "president", "leader", "governor", "mayor", "native", "resident", "citizen",
               "representative", "delegation", "delegate", "correspondent", "reporter", "bureau",
               "university", "professor", "expert", "spokesman", "spokeswoman", "spokesperson",
               "king", "queen", "premier", "chancellor", "diplomat", "visit", "trip", "tour",
               "flight", "born", "emigrant", "immigrant", "refugee", "student", "team",
               "based", "counterpart", "relations", "ties", "policy"}
_NATURAL_WORDS = {"ocean", "sea", "gulf", "bay", "river", "strait", "straits", "lake", "lakes",
                  "mountains", "mountain", "peninsula", "canal", "desert", "islands", "basin"}
_MEDIA_WORDS = {"post", "times", "herald", "news", "journal", "tribune", "gazette", "daily", "agency",
                "telegraph", "guardian", "chronicle", "examiner", "observer", "press", "star", "mail",
                "express", "independent", "review", "radio", "tv", "television", "channel",
                "network", "broadcasting", "broadcaster", "magazine", "wire", "online", "today"}
# Social networks, messengers and news agencies: never places, whatever spaCy tags them.
_NOT_PLACES = {normalise(n) for n in (
    "X", "Twitter", "Telegram", "Xinhua", "Reuters", "Facebook", "Instagram", "TikTok", "YouTube",
    "WhatsApp", "Weibo", "WeChat", "VKontakte", "VK", "Threads", "Bluesky", "Truth Social",
    "LinkedIn", "Snapchat", "Reddit", "Signal", "Viber", "AP", "AFP", "TASS", "Interfax",
    "RIA Novosti", "BelTA", "Ukrinform", "Bloomberg", "Associated Press", "Agence France-Presse",
    "dpa", "ANSA", "EFE", "Kyodo", "Yonhap", "Anadolu", "Al Jazeera", "CNN", "BBC", "Newsweek",
    "Sputnik", "Google", "Apple", "Amazon", "Microsoft", "AI")}
_CONNECTORS = {"of", "de", "del", "da", "do", "dos", "das", "la", "le", "les", "el", "al", "and",
               "upon", "on", "sur", "am", "an", "der", "di", "du", "y"}
_BLOCKING_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE", "DATE", "TIME",
                    "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL"}
_ADMIN_WORDS = {"oblast", "region", "province", "governorate", "prefecture", "raion", "krai"}
_STREET_WORDS = {"st", "street", "ave", "avenue", "road", "rd", "blvd", "boulevard", "drive", "dr",
                 "lane", "ln", "way", "court", "ct", "place", "pl", "parkway", "pkwy", "highway",
                 "hwy", "circle", "terrace", "trail", "pike", "square", "plaza"}
_FACILITY_WORDS = {"inn", "hotel", "motel", "hospital", "high", "school", "university", "college",
                   "center", "centre", "mall", "park", "airport", "station", "church", "stadium",
                   "arena", "academy", "bank", "club", "restaurant", "bar", "apartments", "cemetery",
                   "library", "zoo", "memorial", "medical", "children's", "middle", "elementary"}
_SPEECH_VERBS = {"say", "tell", "add", "write", "state", "note", "explain", "claim", "argue", "ask"}
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
               "central", "downtown", "greater", "metro", "upstate", "downstate", "northern",
               "southern", "eastern", "western", "inner"}
_ADJ_SUFFIXES = ("skiy", "skii", "skyi", "sky", "skaya", "skoye", "skoe", "skoy")

_SPECIFICITY = {"city": 3.0, "admin2": 2.5, "admin1": 2.0, "country": 1.0, "continent": 0.2,
                "region": 0.2}
_VIA_FACTOR = {"name": 1.0, "alias": 0.9, "demonym": 0.95, "adjective": 0.75, "abbreviation": 1.0}
_SOURCE_FACTOR = {"dateline": 1.0, "qualified": 1.0, "entity": 1.0, "repair": 0.85, "org": 0.9,
                  "scan": 0.9}
_PRIORITY = {"dateline": 4, "qualified": 3, "entity": 2, "repair": 2, "org": 1, "scan": 1}


@dataclass
class _Option:
    entry: Entry
    via: str
    score: float = 0.0


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    source: str
    options: list[_Option]
    tok_start: int = -1
    tok_end: int = -1
    qualifier: _Mention | None = None
    qualifies: _Mention | None = None
    restrict: Entry | None = None  # state or country the mention must lie in
    chosen: _Option | None = None
    confidence: float = 0.0
    role: str = "mentioned"
    key: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def entry(self) -> Entry | None:
        return self.chosen.entry if self.chosen else None


# ---------------------------------------------------------------- options for a name
def _options(g: Gazetteer, text: str, *, adjective: bool = True) -> list[_Option]:
    key = normalise(text)
    if not key or key in _NOT_PLACES or key in _DIRECTIONS:
        return []
    if key.endswith(" co"):  # "Boyle Co." (AP)
        key = key[:-3] + " county"
    # GeoNames alternate names of small places are mostly noise ("East Side" for East Ridge, TN)
    opts = [_Option(e, via) for e, via in g.names.get(key, [])
            if via == "name" or e.feature != "city" or e.population >= 100_000]
    code = g.demonyms.get(key)
    if code and code in g.countries:
        opts.append(_Option(g.countries[code], "demonym"))
    if key.endswith((" county", " parish", " borough")):
        opts += [_Option(e, "name") for e in g.counties.get(key, [])]
    if not opts and adjective and " " not in key:
        opts = _adjective_options(g, key)
    return opts


def _adjective_options(g: Gazetteer, key: str) -> list[_Option]:
    """Russian-style adjectives of a city: "brestsky" -> Brest, "minskiy" -> Minsk."""
    for suf in _ADJ_SUFFIXES:
        if key.endswith(suf) and len(key) - len(suf) >= 3:
            stem = key[: -len(suf)]
            for cand in (stem, stem + "sk"):
                found = [_Option(e, "adjective") for e, v in g.names.get(cand, [])
                         if e.feature == "city" and v == "name"]
                if found:
                    return found
    return []


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


def _consistent(e: Entry, within: Entry) -> bool:
    if within.feature == "country":
        return e.country == within.country and e.feature != "country"
    if within.feature == "admin1":
        return e.country == "US" and e.admin1 == within.admin1 and e.feature in ("city", "admin2")
    return False


# ---------------------------------------------------------------- the parsed text, read once
class _Doc:
    """Token texts, offsets, sentence starts and entities of a spaCy Doc, read once (fast access)."""

    def __init__(self, doc):
        from spacy.attrs import IDX, SENT_START

        self.doc = doc
        self.text: str = doc.text
        self.toks = list(doc)
        self.texts = [t.text for t in self.toks]
        self.n = len(self.toks)
        if self.n:
            arr = doc.to_array([IDX, SENT_START])
            self.idx: list[int] = arr[:, 0].tolist()
            self.sent_start: list[bool] = (arr[:, 1] == 1).tolist()
        else:
            self.idx, self.sent_start = [], []
        self.ents = list(doc.ents)
        self.cap = [bool(t) and t[0].isupper() and any(c.isalpha() for c in t) for t in self.texts]
        self.space = [not t.strip() for t in self.texts]
        self._title: dict[int, bool] | None = None

    def end(self, i: int) -> int:
        return self.idx[i] + len(self.texts[i])

    def stext(self, i: int, j: int) -> str:
        """Text of tokens i..j-1."""
        return self.text[self.idx[i]: self.end(j - 1)]

    def lower(self, i: int) -> str:
        return self.texts[i].lower() if 0 <= i < self.n else ""

    def tok_at(self, char: int) -> int:
        return bisect_right(self.idx, char) - 1

    def titlecase(self, i: int) -> bool:
        """Is token i in a line written in title case (a headline), where capitals mean little?"""
        if self._title is None:
            self._title = {}
        text = self.text
        ls = text.rfind("\n", 0, self.idx[i]) + 1
        if ls not in self._title:
            le = text.find("\n", ls)
            words = [w for w in re.findall(r"[^\W\d_]+", text[ls: le if le >= 0 else len(text)])
                     if len(w) > 3]
            caps = sum(1 for w in words if w[0].isupper())
            self._title[ls] = len(words) >= 3 and caps >= 0.6 * len(words)
        return self._title[ls]

    def segments(self) -> list[int]:
        """Start offsets of sentences, spaCy's split again at line breaks (the headline is 0)."""
        starts = {0}
        starts.update(self.idx[i] for i in range(self.n) if self.sent_start[i])
        text = self.text
        for m in re.finditer(r"\n+", text):
            if m.end() < len(text):
                starts.add(m.end())
        return sorted(starts)


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


# ---------------------------------------------------------------- candidate finders
_DATELINE = re.compile(
    r"[ \t]*(?P<city>[^\W\d_][^\W\d_ .'’\-]*(?:[ .'’\-]{1,2}[^\W\d_]+){0,4}\.?)[ \t]*"
    r"(?:,[ \t]*(?P<q>[^\n,(—–]{1,30}?))?[ \t]*(?:\([^)\n]{1,60}\)[ \t]*)?(?:—|–|--?)[ \t]")
_STATE_AFTER_COMMA: re.Pattern | None = None


def _state_regex(g: Gazetteer) -> re.Pattern:
    global _STATE_AFTER_COMMA
    if _STATE_AFTER_COMMA is None:
        abbrs = sorted((a for a in g.state_abbrev if "." in a), key=len, reverse=True)
        names = sorted((e.name for e in g.states.values()), key=len, reverse=True)
        alt = "|".join([re.escape(a) for a in abbrs] + [re.escape(n) for n in names]
                       + [r"[A-Z]{2}(?![\w.])"])
        _STATE_AFTER_COMMA = re.compile(r",[ \t]*(?P<q>" + alt + r")(?![A-Za-z])")
    return _STATE_AFTER_COMMA


def _datelines(D: _Doc, g: Gazetteer, head: int = 3) -> list[_Mention]:
    """A dateline opening one of the first lines: "GDAŃSK, Poland —", "KOKOMO, Ind. (AP) –"."""
    text = D.text
    firsts: list[int] = []
    st = 0
    while st < len(text) and len(firsts) <= head:
        nl = text.find("\n", st)
        line_end = nl if nl >= 0 else len(text)
        if text[st:line_end].strip():
            firsts.append(st)
        if nl < 0:
            break
        st = nl + 1
    for st in firsts:
        m = _DATELINE.match(text, st)
        if m is None:
            continue
        city = m.group("city").strip()
        letters = [c for c in city if c.isalpha()]
        q = (m.group("q") or "").strip()
        qual = None
        if q:
            qual = g.state(q) or next(
                (e for e, _ in g.lookup(q) if e.feature == "country"), None)
        if len(letters) < 3 or (city.upper() != city and qual is None):
            continue
        opts = [o for o in _options(g, city, adjective=False)
                if o.entry.feature in ("city", "country", "admin1")]
        if qual is not None:
            opts = [o for o in opts if _consistent(o.entry, qual)]
            if not opts:
                opts = [_Option(e, "name") for e in g.local(city) if _consistent(e, qual)]
        cs = m.start("city")
        mm = _Mention(cs, cs + len(city), city, "dateline", opts)
        mm.extra["dateline"] = True
        out = [mm]
        if qual is not None:
            qs = m.start("q")
            via = "name" if normalise(q) == normalise(qual.name) else "abbreviation"
            qm = _Mention(qs, qs + len(q), q, "dateline", [_Option(qual, via)])
            mm.qualifier, qm.qualifies, mm.restrict = qm, mm, qual
            out.append(qm)
        elif not opts:
            mm.extra["local_ok"] = True
        return out
    return []


def _qualified(D: _Doc, g: Gazetteer, blocked: set[int]) -> list[_Mention]:
    """"City, State" pairs (state written out, AP-abbreviated or postal), cities spaCy missed included."""
    out: list[_Mention] = []
    for m in _state_regex(g).finditer(D.text):
        q = m.group("q")
        state = g.state(q)
        if state is None:
            continue
        ci = D.tok_at(m.start())
        if ci <= 0 or D.texts[ci] != ",":
            continue
        found = None
        for n in (4, 3, 2, 1):
            s_i = ci - n
            if s_i < 0:
                continue
            idxs = range(s_i, ci)
            if any(D.space[i] or "\n" in D.texts[i] for i in idxs):
                continue
            if not (D.cap[s_i] and D.cap[ci - 1]):
                continue
            if n > 1 and any(i in blocked for i in idxs):
                continue
            name = D.stext(s_i, ci)
            opts = [o for o in _options(g, name, adjective=False) if _consistent(o.entry, state)]
            if not opts:
                opts = [_Option(e, "name") for e in g.local(name) if _consistent(e, state)]
            if opts:
                found = (s_i, opts)
                break
        if found is None:
            continue
        s_i, opts = found
        cm = _Mention(D.idx[s_i], D.end(ci - 1), D.stext(s_i, ci), "qualified", opts, s_i, ci)
        qs = m.start("q")
        via = "name" if q == state.name else "abbreviation"
        qm = _Mention(qs, qs + len(q), q, "qualified", [_Option(state, via)])
        cm.qualifier, qm.qualifies, cm.restrict = qm, cm, state
        out += [cm, qm]
    return out


def _entity_mentions(D: _Doc, g: Gazetteer, gpe_keys: set[str],
                     surnames: set[str]) -> tuple[list[_Mention], list[dict]]:
    out: list[_Mention] = []
    rejected: list[dict] = []
    for ent in D.ents:
        label = ent.label_
        if label not in ("GPE", "LOC", "NORP", "PERSON", "ORG"):
            continue
        # split at line breaks: "Doorstep\n\nChina"
        parts: list[tuple[int, int]] = []
        s = None
        for i in range(ent.start, ent.end):
            if D.space[i] or "\n" in D.texts[i]:
                if s is not None:
                    parts.append((s, i))
                s = None
            elif s is None:
                s = i
        if s is not None:
            parts.append((s, ent.end))
        for a, b in parts:
            if D.lower(a) == "the" and b - a > 1:
                a += 1
            while b - a > 1 and D.texts[b - 1] in ("'s", "'", "’s", "’", ".", ","):
                b -= 1
            got, rej = _resolve_entity(D, g, a, b, label, gpe_keys, surnames)
            out += got
            rejected += rej
    return out, rejected


def _resolve_entity(D: _Doc, g: Gazetteer, a: int, b: int, label: str, gpe_keys: set[str],
                    surnames: set[str]):
    text = D.stext(a, b)
    start, end = D.idx[a], D.end(b - 1)
    key = normalise(text)
    last = D.lower(b - 1)
    if key in _NOT_PLACES:
        return [], [{"text": text, "start": start, "reason": "not_a_place"}]
    if last in _MEDIA_WORDS and b - a > 1:
        return [], [{"text": text, "start": start, "reason": "media_name"}]
    if label in ("GPE", "LOC", "NORP") and _street(D, a, b):
        return [], [{"text": text, "start": start, "reason": "street"}]
    if label in ("GPE", "LOC") and b < D.n and D.cap[b] and D.lower(b) in _FACILITY_WORDS:
        return [], [{"text": text, "start": start, "reason": "facility_name"}]
    if label in ("GPE", "LOC", "NORP"):
        opts = _options(g, text)
        if not opts and b - a > 1 and D.lower(a) in _DIRECTIONS and label != "NORP":
            # "Southwest Baltimore", "North Philadelphia": the city
            sub = _options(g, D.stext(a + 1, b))
            if any(o.entry.feature == "city" for o in sub):
                a, text, start = a + 1, D.stext(a + 1, b), D.idx[a + 1]
                opts, key = [o for o in sub if o.entry.feature == "city"], normalise(text)
        if opts:
            return [_Mention(start, end, text, "entity", opts, a, b, key=key)], []
        # parts: "Belarusian-Chinese", "Minsk & Moscow", "Washington, D.C."
        pieces = _split(D, a, b)
        if len(pieces) > 1:
            found = []
            for pa, pb in pieces:
                pt = D.stext(pa, pb)
                po = _options(g, pt)
                if po:
                    found.append(_Mention(D.idx[pa], D.end(pb - 1), pt, "entity", po, pa, pb,
                                          key=normalise(pt)))
            if found:
                return found, []
        if label == "GPE":
            # maybe a small place: the local tier decides later, with outside evidence
            m = _Mention(start, end, text, "entity", [], a, b, key=key)
            m.extra["local_ok"] = True
            return [m], []
        if last in _NATURAL_WORDS:
            return [], []
        return [], [{"text": text, "start": start, "reason": "unknown_name"}]
    # PERSON / ORG: a whole place name in a place context, or a country leading an ORG
    opts = _options(g, text)
    prev = D.lower(a - 1)
    if opts:
        floor = 15_000 if prev in _LOC_PREPS else 100_000
        big = [o for o in opts if o.entry.feature in ("country", "admin1", "admin2")
               or (o.entry.feature == "city" and o.entry.population >= floor)
               or o.via == "adjective"]
        context = prev in _CONTEXT_PREPS or key in gpe_keys
        if any(o.via == "adjective" for o in big):
            nxt = D.toks[b] if b < D.n else None
            context = context or prev == "the" or (
                nxt is not None and nxt.text.islower() and nxt.pos_ in ("NOUN", "ADJ"))
        elif not context and label == "PERSON" and b - a == 1 and key not in surnames:
            # a lone "Kyiv" or "Stockton" tagged PERSON, no one's surname here, not saying things
            tok = D.toks[a]
            speaker = tok.dep_ == "nsubj" and tok.head.lemma_ in _SPEECH_VERBS
            context = not speaker and (b >= D.n or not D.cap[b])

        if big and context:
            return [_Mention(start, end, text, "repair", big, a, b, key=key)], []
    if label == "ORG" and b - a > 1:
        pieces = _split(D, a, b)
        if len(pieces) > 1 and all(_options(g, D.stext(pa, pb)) for pa, pb in pieces):
            return [_Mention(D.idx[pa], D.end(pb - 1), D.stext(pa, pb), "repair",
                             _options(g, D.stext(pa, pb)), pa, pb, key=normalise(D.stext(pa, pb)))
                    for pa, pb in pieces], []
        if last not in _MEDIA_WORDS and D.cap[a]:
            for n in (3, 2, 1):
                if n >= b - a:
                    continue
                lt = D.stext(a, a + n)
                after = D.lower(a + n)
                # "the Belarusian Defense Ministry"; "Kokomo Police", "Wayne County Sheriff's Office"
                local = after in _POLICE_NOUNS or after in ("sheriff's", "county", "city", "fire")
                lo = [o for o in _options(g, lt, adjective=False)
                      if o.entry.feature == "country"
                      or (local and o.entry.feature in ("city", "admin1", "admin2"))]
                if lo:
                    return [_Mention(D.idx[a], D.end(a + n - 1), lt, "org", lo, a, a + n,
                                     key=normalise(lt))], []
    return [], []


def _split(D: _Doc, a: int, b: int) -> list[tuple[int, int]]:
    """Token ranges of a span cut at "-", "/", "&", "," and "and"."""
    pieces: list[tuple[int, int]] = []
    s = None
    for i in range(a, b):
        if D.texts[i] in ("-", "–", "/", "&", ",", "and"):
            if s is not None:
                pieces.append((s, i))
            s = None
        elif s is None:
            s = i
    if s is not None:
        pieces.append((s, b))
    return pieces


def _scan(D: _Doc, g: Gazetteer, blocked: set[int], covered: set[int],
          surnames: set[str]) -> list[_Mention]:
    """Capitalised token sequences outside other entities that name a place."""
    out: list[_Mention] = []
    n = D.n
    i = 0
    while i < n:
        if not D.cap[i] or i in covered or i in blocked:
            i += 1
            continue
        hit = None
        for L in (4, 3, 2, 1):
            j = i + L
            if j > n or not D.cap[j - 1]:
                continue
            if any(k in covered or k in blocked or D.space[k] for k in range(i, j)):
                continue
            if any(not D.cap[k] and D.lower(k) not in _CONNECTORS for k in range(i + 1, j - 1)):
                continue
            name = D.stext(i, j)
            opts = _options(g, name)
            if opts and _street(D, i, j):
                opts = []
            if opts:
                opts = _scan_filter(D, i, j, opts, surnames)
            if opts:
                hit = _Mention(D.idx[i], D.end(j - 1), name, "scan", opts, i, j,
                               key=normalise(name))
                break
        if hit is not None:
            out.append(hit)
            i = hit.tok_end
        else:
            i += 1
    return out


def _scan_filter(D: _Doc, i: int, j: int, opts: list[_Option], surnames: set[str]) -> list[_Option]:
    prev = D.lower(i - 1)
    locative = prev in _CONTEXT_PREPS or (prev == "the" and D.lower(i - 2) in _CONTEXT_PREPS)
    nxt = D.toks[j] if j < D.n else None
    # capitals say little at a sentence start or in a headline in title case ("Man Shot In...")
    weak_caps = D.sent_start[i] or D.titlecase(i)
    keep = []
    for o in opts:
        e = o.entry
        if o.via == "adjective":
            if prev == "the" or (nxt is not None and nxt.text.islower()
                                 and nxt.pos_ in ("NOUN", "ADJ")):
                keep.append(o)
        elif e.feature in ("country", "admin1", "admin2", "continent", "region") or o.via == "demonym":
            keep.append(o)
        elif e.feature == "city":
            if j - i == 1 and (len(D.texts[i]) <= 3 and D.texts[i].isupper()
                               or normalise(D.texts[i]) in surnames):
                continue  # an abbreviation ("SE") or someone's name ("Rodriguez said")
            if weak_caps and not locative:
                continue
            propn = all(D.toks[k].pos_ == "PROPN" or D.lower(k) in _CONNECTORS
                        for k in range(i, j))
            # a city name heading a longer proper name ("Shanghai Cooperation Organization")
            name_part = (not weak_caps and j < D.n and D.cap[j] and D.texts[j].isalpha()
                         and D.lower(j) not in _ADMIN_WORDS and not D.sent_start[j])
            if (propn or locative) and not name_part:
                if locative or j - i > 1:
                    floor = 15_000
                else:
                    floor = 50_000 if o.via == "name" else 200_000
                if e.population >= floor:
                    keep.append(o)
    return keep


def _street(D: _Doc, i: int, j: int) -> bool:
    """A street name: "85 Saint John St.", "the 1900 block of Dover", "Madison Avenue"."""
    if j < D.n and D.lower(j).rstrip(".") in _STREET_WORDS:
        return True
    prev = D.texts[i - 1] if i > 0 else ""
    if prev[:1].isdigit():
        return True
    return D.lower(i - 1) == "of" and D.lower(i - 2) in ("block", "blocks", "corner", "intersection")


# ---------------------------------------------------------------- parse cues
def _cue(D: _Doc, m: _Mention) -> str | None:
    """"locative" | "police" | "background" | None from the dependency parse around the mention."""
    if m.tok_start < 0:
        return None
    t = D.toks[m.tok_end - 1]  # the head of a name is its last token
    for _ in range(7):
        dep, h = t.dep_, t.head
        if h is t:
            return None
        hl = h.lemma_.lower()
        if dep in ("compound", "amod", "nmod", "poss", "appos", "conj", "nummod", "npadvmod"):
            if hl in _POLICE_NOUNS:
                return "police"
            if hl in _ROLE_NOUNS:
                return "background"
            if hl in _PLACE_NOUNS and h.dep_ in ("dobj", "nsubj", "nsubjpass"):
                return "locative"  # "the floods hit the Brest region"
            t = h
            continue
        if dep == "pobj":
            p = h.lower_
            g = h.head
            gl = g.lemma_.lower()
            if p == "of" and gl in _PLACE_NOUNS:
                t = g
                if g.dep_ in ("dobj", "nsubj", "nsubjpass"):
                    return "locative"  # "the floods hit the city of X"
                continue
            if p in _LOC_PREPS:
                if gl in _ROLE_NOUNS:
                    return "background"
                if gl in _POLICE_NOUNS or any(c.dep_ == "compound" and c.lemma_.lower()
                                              in _POLICE_NOUNS for c in g.children):
                    return "police"
                if g.dep_ == "nsubj" and g.head.lemma_ in _SPEECH_VERBS:
                    return "background"  # "officials in Minsk said": where the source sits
                return "locative"
            if gl in _ROLE_NOUNS or p == "to" and g.pos_ == "NOUN":
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
    text = doc.text
    if not text.strip():
        return []
    outlet = outlet_country.upper() if outlet_country else None
    D = _Doc(doc)

    blocked: set[int] = set()
    gpe_keys: set[str] = set()
    surnames: set[str] = set()
    for ent in D.ents:
        label = ent.label_
        if label in _BLOCKING_LABELS:
            blocked.update(range(ent.start, ent.end))
        if label == "GPE":
            gpe_keys.add(normalise(ent.text))
        elif label == "PERSON" and 1 < len(ent) <= 4 and D.texts[ent.start].istitle():
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
        if ent.label_ in ("LOC", "FAC", "GPE") and (
                D.lower(ent.end - 1) in _NATURAL_WORDS or D.lower(ent.end - 1) in _MEDIA_WORDS):
            covered.update(range(ent.start, ent.end))
    scanned = _scan(D, g, blocked, covered, surnames)
    accepted = _accept(accepted + scanned, len(text))
    for m in accepted:
        if not m.key:
            m.key = normalise(m.text)

    _link_qualifiers(text, accepted)
    _resolve(g, accepted, outlet)

    places_m = [m for m in accepted if m.chosen is not None]
    for m in accepted:
        if m.chosen is None and rejected is not None:
            rejected.append({"text": m.text, "start": m.start, "reason": "unknown_name"})
    if rejected is not None:
        rejected.extend(rej)
    _mark_event(D, places_m, outlet)

    out = []
    for m in sorted(places_m, key=lambda m: m.start):
        e = m.entry
        assert e is not None and m.chosen is not None
        out.append(Place(m.start, m.end, text[m.start:m.end], e.name, e.geonameid, e.country,
                         e.lat, e.lon, e.feature, e.admin1, m.chosen.via,
                         round(m.confidence, 3), m.role))
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
    # local tier for unknown GPEs: only in countries the article (or outlet) points to
    for m in ms:
        if not m.options and m.extra.get("local_ok"):
            allowed = {c for c, n in ctx.countries.items() if n > 0}
            if outlet:
                allowed.add(outlet)
            if not allowed:
                continue
            m.options = [_Option(e, "name") for e in g.local(m.text) if e.country in allowed]
    # a US state named elsewhere brings in its smaller namesakes ("White Plains" in a Kentucky story)
    if any(ctx.states.values()):
        for m in ms:
            if m.restrict is not None or not m.options or any(
                    o.entry.feature != "city" for o in m.options):
                continue
            states = {s for s in ctx.states if ctx.state_count(m.key, s) > 0}
            if states and not any(o.entry.country == "US" and o.entry.admin1 in states
                                  for o in m.options):
                m.options += [_Option(e, "name") for e in g.local(m.text)
                              if e.country == "US" and e.admin1 in states]

    for _pass in range(2):
        for m in ms:
            for o in m.options:
                o.score = _score(o, m, ctx, outlet)
        # one reading per unqualified name: pool the scores of the name's mentions
        pooled: dict[str, dict[int, float]] = {}
        for m in ms:
            if m.options and m.restrict is None:
                d = pooled.setdefault(m.key, {})
                for o in m.options:
                    d[id(o.entry)] = max(d.get(id(o.entry), -1e9), o.score)
        for m in ms:
            if not m.options:
                continue
            if m.restrict is None and m.key in pooled:
                d = pooled[m.key]
                m.chosen = max(m.options, key=lambda o: (d[id(o.entry)], o.score))
            else:
                m.chosen = max(m.options, key=lambda o: o.score)
            scores = [o.score for o in m.options]
            top = m.chosen.score
            z = sum(math.exp(s - top) for s in scores)
            m.confidence = (1.0 / z) * _VIA_FACTOR.get(m.chosen.via, 0.8) * _SOURCE_FACTOR[m.source]
        if _pass == 0:
            ctx2 = _Context()
            ctx2.qualified_pick = ctx.qualified_pick
            for m in ms:
                if m.chosen is not None:
                    ctx2.add(m.key, m.chosen.entry)
                    e = m.chosen.entry
                    if e.feature == "city" and e.lat is not None and m.confidence >= 0.6:
                        ctx2.anchors.append((m.key, e.lat, e.lon))
            ctx = ctx2


def _score(o: _Option, m: _Mention, ctx: _Context, outlet: str | None) -> float:
    e = o.entry
    s = _prior(o)
    if len(m.options) == 1:
        return s
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


def _state_of(e: Entry) -> Entry | None:
    """The US state an admin2 entry lies in."""
    return get_gazetteer().states.get(e.admin1 or "")


def _neighbours(code: str) -> frozenset[str]:
    return get_gazetteer().neighbours.get(code, frozenset())


def _mark_event(D: _Doc, ms: list[_Mention], outlet: str | None) -> None:
    if not ms:
        return
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
        if cue == "background":
            continue
        seg = seg_of(m.start)
        s = _SPECIFICITY.get(e.feature, 0.0)
        if cue == "dateline":
            s += 10.0
        elif cue == "locative":
            s += 3.0
        elif cue == "police":
            s += 2.0
        s += max(0.0, 2.0 - 0.25 * seg) - 0.1 * min(seg, 40)
        if e.country in top_lead:
            s += 1.0
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
                 and x[2] in ("locative", "police", "dateline") and x[3] <= 30
                 and (be.feature in ("region", "continent") or within is not None
                      and _consistent(x[1].entry, within))]
        if finer:
            best = max(finer, key=lambda x: (x[0], -x[1].start))[1]
    best.role = "event"
    if best.qualifier is not None:
        best.qualifier.role = "event"


def event_place(places: list[Place]) -> Place | None:
    """The most specific place with role "event" (a city before its state or country), or None."""
    ev = [p for p in places if p.role == "event"]
    if not ev:
        return None
    return max(ev, key=lambda p: (_SPECIFICITY.get(p.feature, 0.0), -p.start))
