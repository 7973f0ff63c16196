"""Candidate place mentions in a parsed article: datelines, "City, State" pairs, spaCy entities
(repaired where spaCy mislabels a place) and a scan of capitalised names; each with its
gazetteer readings (:class:`_Option`). :mod:`crosswire.extract.places.resolve` resolves them and tells
the event's place; its docstring says what each finder accepts and rejects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from crosswire.extract.parsed import Parsed
from crosswire.extract.places.gazetteer import Entry, Gazetteer, normalise


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
# Words that lead a police ORG without naming a town ("Metro Police", "Capitol Police").
_NOT_TOWNS = {"metro", "metropolitan", "capitol", "state", "university", "campus", "transit",
              "park", "city", "county", "tribal", "military", "border", "federal", "national",
              "school", "airport", "port", "village", "town", "township", "borough", "regional"}
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
    # GeoNames alternate names of small places are mostly noise ("East Side" for East Ridge, TN),
    # but not the town's own name without "Center" ("Killingly" for Killingly Center, CT): the
    # town is then named as the news names it
    opts = [_Option(e, via) if via == "name" or e.feature != "city" or e.population >= 100_000
            else _Option(_town_of_center(e), via) for e, via in g.names.get(key, [])
            if via == "name" or e.feature != "city" or e.population >= 100_000
            or normalise(e.name) in (f"{key} center", f"{key} centre")]
    code = g.demonyms.get(key)
    if code and code in g.countries:
        opts.append(_Option(g.countries[code], "demonym"))
    if key.endswith((" county", " parish", " borough")):
        opts += [_Option(e, "name") for e in g.counties.get(key, [])]
    if not opts and adjective and " " not in key:
        opts = _adjective_options(g, key)
    return opts


@lru_cache(maxsize=1024)
def _town_of_center(e: Entry) -> Entry:
    """GeoNames' "Killingly Center" as the town the news names, "Killingly" (one object per
    entry, so that the mentions of a name pool their readings)."""
    return e._replace(name=re.sub(r"(?i)\s+cent(?:er|re)$", "", e.name))


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


def _consistent(e: Entry, within: Entry) -> bool:
    if within.feature == "country":
        return e.country == within.country and e.feature != "country"
    if within.feature == "admin1":
        return e.country == "US" and e.admin1 == within.admin1 and e.feature in ("city", "admin2")
    return False


# ---------------------------------------------------------------- the parsed text, read once
class _View:
    """The place finders' view of an article's :class:`Parsed` (its lists and helpers, shared with
    the other extractors), with which tokens are capitalised words or blanks and which lines are
    headlines in title case."""

    def __init__(self, P: Parsed):
        self.P = P
        self.text, self.n, self.texts, self.idx, self.end = P.text, P.n, P.texts, P.idx, P.end
        self.sent_start, self.ents, self.pos = P.sent_start, P.ents, P.pos
        self.stext, self.lower, self.tok_at = P.stext, P.w, P.tok_at
        self.cap = [bool(t) and t[0].isupper() and any(c.isalpha() for c in t) for t in self.texts]
        self.space = [not t.strip() for t in self.texts]
        self._title: dict[int, bool] | None = None

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


# ---------------------------------------------------------------- candidate finders
_DATELINE = re.compile(
    r"[ \t]*(?P<city>[^\W\d_][^\W\d_ .'’\-]*(?:[ .'’\-]{1,2}[^\W\d_]+){0,4}\.?)[ \t]*"
    r"(?:,[ \t]*(?P<q>[^\n,(—–]{1,30}?))?[ \t]*(?:\((?P<by>[^)\n]{1,60})\)[ \t]*)?(?:—|–|--?)(?:[ \t]|(?=\r?\n)|$)")
# A broadcaster's tag after a dateline: call letters ("KTVI", "WATE", "WSB-TV") or a network's name
# ("CBSMiami", "CBS 8", "NBC"): the station's town, which may not be where it happened
_STATION = re.compile(r"^\s*(?:[KW][A-Z]{2,3}(?:-(?:TV|FM|AM))?|(?:CBS|NBC|ABC|FOX|CW|PBS|WBZ)\w*(?:\s*\d+)?)"
                      r"(?i:\.com)?\s*$")
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


def _datelines(D: _View, g: Gazetteer, head: int = 3) -> list[_Mention]:
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
                if o.entry.feature in ("city", "country", "admin1", "admin2")]
        if qual is not None:
            opts = [o for o in opts if _consistent(o.entry, qual)]
            if not opts:
                opts = [_Option(e, "name") for e in g.local(city) if _consistent(e, qual)]
        cs = m.start("city")
        mm = _Mention(cs, cs + len(city), city, "dateline", opts)
        mm.extra["dateline"] = True
        if m.group("by") and _STATION.match(m.group("by")):
            mm.extra["station"] = True
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


def _qualified(D: _View, g: Gazetteer, blocked: set[int]) -> list[_Mention]:
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
            # "in Charlo, Mont.": a town the gazetteer does not list, after a locative preposition
            for n in (3, 2, 1):
                s_i = ci - n
                if s_i < 1 or D.lower(s_i - 1) not in _LOC_PREPS:
                    continue
                idxs = range(s_i, ci)
                if all(D.cap[i] and D.pos[i] == "PROPN" and i not in blocked
                       and not D.space[i] for i in idxs):
                    found = (s_i, [])
                    break
        if found is None:
            continue
        s_i, opts = found
        cm = _Mention(D.idx[s_i], D.end[ci - 1], D.stext(s_i, ci), "qualified", opts, s_i, ci)
        qs = m.start("q")
        via = "name" if q == state.name else "abbreviation"
        qm = _Mention(qs, qs + len(q), q, "qualified", [_Option(state, via)])
        cm.qualifier, qm.qualifies, cm.restrict = qm, cm, state
        out += [cm, qm]
    return out


# A US civil town or township: "the Town of Wallkill", "Webster Township" (often unlisted)
_CIVIL_TOWN = re.compile(r"^(?:(?i:the)\s+)?(?i:town|township|village|borough)\s+of\s+"
                         r"(?P<of>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})$"
                         r"|^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}\s+(?i:township|twp\.?)$")


def _entity_mentions(D: _View, g: Gazetteer, gpe_keys: set[str],
                     surnames: set[str]) -> tuple[list[_Mention], list[dict]]:
    out: list[_Mention] = []
    rejected: list[dict] = []
    for ent in D.ents:
        label = ent.label
        if label in ("LOC", "FAC", "ORG") and "\n" not in D.stext(ent.start, ent.end) and \
                _CIVIL_TOWN.match(D.stext(ent.start, ent.end)):
            a = ent.start + (D.lower(ent.start) == "the")
            m = _Mention(D.idx[a], D.end[ent.end - 1], D.stext(a, ent.end), "entity", [], a, ent.end)
            m.extra["local_ok"] = True  # a town the gazetteer may lack: see resolve._townships
            out.append(m)
            continue
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


def _resolve_entity(D: _View, g: Gazetteer, a: int, b: int, label: str, gpe_keys: set[str],
                    surnames: set[str]):
    text = D.stext(a, b)
    start, end = D.idx[a], D.end[b - 1]
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
                    found.append(_Mention(D.idx[pa], D.end[pb - 1], pt, "entity", po, pa, pb,
                                          key=normalise(pt)))
            if found:
                return found, []
        if label in ("GPE", "LOC") and b - a > 1 and D.cap[a] and last not in _MEDIA_WORDS:
            # "the Williams County Sheriff's Office" tagged as a place: the county heading it
            led, _ = _leading_place(D, g, a, b, police_only=True)
            if led and led[0].options:
                return led, []
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
        nxt = b if b < D.n else None
        # "the Flagstaff school", "a Madison apartment complex": a town before a common noun
        modifier = label == "ORG" and b - a == 1 and prev in ("the", "a", "an") and \
            nxt is not None and D.pos[nxt] == "NOUN" and D.texts[nxt].islower() and \
            D.lower(nxt) not in ("address", "home", "house", "residence") and not re.search(
                r"\b" + re.escape(text) + r"\s+(?:St|Street|Ave|Avenue|Road|Rd|Blvd|Boulevard|"
                r"Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway)\b", D.text)  # "Addison Street"

        floor = 15_000 if prev in _LOC_PREPS or modifier else 100_000
        big = [o for o in opts if o.entry.feature in ("country", "admin1", "admin2")
               or (o.entry.feature == "city" and o.entry.population >= floor)
               or o.via == "adjective"]
        if modifier:
            big = [o for o in big if o.entry.feature == "city"]
        context = prev in _CONTEXT_PREPS or key in gpe_keys or modifier

        if any(o.via == "adjective" for o in big):
            nxt = b if b < D.n else None
            context = context or prev == "the" or (
                nxt is not None and D.texts[nxt].islower() and D.pos[nxt] in ("NOUN", "ADJ"))
        elif not context and label == "PERSON" and b - a == 1 and key not in surnames:
            # a lone "Kyiv" or "Stockton" tagged PERSON, no one's surname here, not saying things
            P = D.P
            speaker = P.dep[a] == "nsubj" and P.lemma[P.head[a]] in _SPEECH_VERBS
            context = not speaker and (b >= D.n or not D.cap[b])

        if big and context:
            return [_Mention(start, end, text, "repair", big, a, b, key=key)], []
    if label == "ORG" and b - a > 1:
        pieces = _split(D, a, b)
        if len(pieces) > 1 and all(_options(g, D.stext(pa, pb)) for pa, pb in pieces):
            return [_Mention(D.idx[pa], D.end[pb - 1], D.stext(pa, pb), "repair",
                             _options(g, D.stext(pa, pb)), pa, pb, key=normalise(D.stext(pa, pb)))
                    for pa, pb in pieces], []
        if last not in _MEDIA_WORDS and D.cap[a]:
            return _leading_place(D, g, a, b)
    return [], []


def _leading_place(D: _View, g: Gazetteer, a: int, b: int, *,
                   police_only: bool = False) -> tuple[list[_Mention], list[dict]]:
    """The place heading an organisation's name: a country ("the Belarusian Defense Ministry"), a
    town or county before its police ("Kokomo Police", "Wayne County Sheriff's Office"), a county
    leading any office ("Lucas County Juvenile Prosecutor"); a town too small for the main tier
    before "police" ("Aransas Pass police") is left to the local tier. ``police_only``: only a
    town or county before its police or sheriff (a name spaCy tagged as a place, where "Florida
    City" is a town, not Florida)."""
    unknown = None
    for n in (3, 2, 1):
        if n >= b - a:
            continue
        lt = D.stext(a, a + n)
        after = D.lower(a + n)
        local = after in _POLICE_NOUNS or after in ("sheriff's", "sheriff’s") + (
            () if police_only else ("county", "city", "fire"))
        county = D.lower(a + n - 1) in ("county", "parish") and not police_only
        if police_only and not local:
            continue
        lo = [o for o in _options(g, lt, adjective=False)
              if o.entry.feature == "country"
              or (local and o.entry.feature in ("city", "admin1", "admin2"))
              or (county and o.entry.feature == "admin2")]
        if lo:
            return [_Mention(D.idx[a], D.end[a + n - 1], lt, "org", lo, a, a + n,
                             key=normalise(lt))], []
        if unknown is None and after in _POLICE_NOUNS and D.lower(a + n - 1) not in \
                _POLICE_NOUNS and all(D.cap[k] for k in range(a, a + n)) and \
                normalise(lt) not in _NOT_TOWNS:
            unknown = (n, lt)
    if unknown is not None:
        n, lt = unknown
        m = _Mention(D.idx[a], D.end[a + n - 1], lt, "org", [], a, a + n, key=normalise(lt))
        m.extra["local_ok"] = True
        return [m], []
    return [], []


def _split(D: _View, a: int, b: int) -> list[tuple[int, int]]:
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


def _scan(D: _View, g: Gazetteer, blocked: set[int], covered: set[int],
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
        street = 0
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
                street = j  # "35th & Silver Spring": no "Spring" inside it either
                break
            if opts:
                opts = _scan_filter(D, i, j, opts, surnames)
            if opts:
                hit = _Mention(D.idx[i], D.end[j - 1], name, "scan", opts, i, j,
                               key=normalise(name))
                break
        if hit is not None:
            out.append(hit)
            i = hit.tok_end
        else:
            i = max(i + 1, street)
    return out


def _scan_filter(D: _View, i: int, j: int, opts: list[_Option], surnames: set[str]) -> list[_Option]:
    prev = D.lower(i - 1)
    locative = prev in _CONTEXT_PREPS or (prev == "the" and D.lower(i - 2) in _CONTEXT_PREPS)
    nxt = j if j < D.n else None
    # capitals say little at a sentence start or in a headline in title case ("Man Shot In...")
    weak_caps = D.sent_start[i] or D.titlecase(i)
    keep = []
    for o in opts:
        e = o.entry
        if o.via == "adjective":
            if prev == "the" or (nxt is not None and D.texts[nxt].islower()
                                 and D.pos[nxt] in ("NOUN", "ADJ")):
                keep.append(o)
        elif e.feature in ("country", "admin1", "continent", "region") and _inside_caps(D, i, j):
            continue  # a word of a business's name: "Pounds Turkey Farm", "the Smith Poland Spring plant"
        elif e.feature in ("country", "admin1", "admin2", "continent", "region") or o.via == "demonym":
            keep.append(o)
        elif e.feature == "city":
            if j - i == 1 and (len(D.texts[i]) <= 3 and D.texts[i].isupper()
                               or normalise(D.texts[i]) in surnames):
                continue  # an abbreviation ("SE") or someone's name ("Rodriguez said")
            if weak_caps and not locative:
                continue
            propn = all(D.pos[k] == "PROPN" or D.lower(k) in _CONNECTORS
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


def _inside_caps(D: _View, i: int, j: int) -> bool:
    """Tokens ``i:j`` sit inside a longer capitalised name, a capitalised word on each side in
    running text (not a sentence start, not a headline in title case, no comma between)."""
    if i == 0 or j >= D.n or D.sent_start[i] or D.sent_start[j] or D.titlecase(i):
        return False
    before, after = D.texts[i - 1], D.texts[j]
    return (D.cap[i - 1] and before.isalpha() and D.lower(i - 1) not in _CONNECTORS
            and D.cap[j] and after.isalpha() and D.lower(j) not in _ADMIN_WORDS)


_MOVING = {"off", "away", "drove", "driving", "drives", "sped", "speeding", "ran", "running", "runs", "walked",
           "walking", "fled", "fleeing", "flees", "headed", "heading", "raced", "racing", "rode", "riding",
           "traveling", "travelling", "chased", "chasing", "went", "going"}


def _street(D: _View, i: int, j: int) -> bool:
    """A street name: "85 Saint John St.", "the 1900 block of Dover", "Madison Avenue", "the 1700
    block of West Highland", "35th & Silver Spring", "Belmont and Junction avenues", "on West
    Highland near Avenue A"."""
    if j < D.n and D.lower(j).rstrip(".") in _STREET_WORDS:
        return True
    if D.lower(j) in ("and", "&") and D.lower(j + 2).rstrip(".").rstrip("s") in _STREET_WORDS:
        return True
    if i > 0 and D.lower(i - 1) in _DIRECTIONS and D.cap[i - 1]:
        i -= 1  # "West Highland"
    if i > 0 and D.lower(i) in _DIRECTIONS and D.lower(i - 1) == "on" and j + 1 < D.n and \
            D.lower(j) in ("near", "at", "and", "&") and (D.cap[j + 1] or D.texts[j + 1][:1].isdigit()):
        return True  # "on West Highland near Avenue A": a street where two streets meet
    prev = D.texts[i - 1] if i > 0 else ""
    if prev[:1].isdigit():
        return True
    if i > 1 and D.lower(i - 1) in ("down", "up", "along", "onto") and D.lower(i - 2) in _MOVING:
        return True  # "speeding off down Stanton", "drove along Bellaire"
    if prev in ("&", "and") and i > 1 and re.fullmatch(r"\d+(?:st|nd|rd|th)|[A-Z][a-z]+",
                                                        D.texts[i - 2]) and (
            D.texts[i - 2][:1].isdigit() or D.lower(i - 3) in ("of", "at", "near", "on")):
        return True  # "near 35th & Silver Spring", "at Belmont and Junction"
    return D.lower(i - 1) == "of" and D.lower(i - 2) in ("block", "blocks", "corner", "intersection")
