"""Shared parts of the quantity readers: the :class:`Quantity` record, word lists, the per-document
view of the shared parse and the number-phrase helpers (qualifiers, intervals, ages, rejection reasons)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crosswire.extract.parsed import Parsed
from crosswire.extract.quantities.numbers import NumberPhrase, find_number_phrases

STAGE = "quantities.v3"


@dataclass
class Quantity:
    """One quantity phrase: its span, kind, normalised value and interval, and what it counts."""

    start: int
    end: int
    text: str
    kind: str                  # count | casualties | distance | money | percent | age
    value: float | None        # km for distances, currency units for money, years for ages
    low: float | None
    high: float | None
    qualifier: str | None      # more_than | at_least | about | nearly | up_to | fewer_than |
    #                            exactly | range | vague | None
    unit: str | None           # km | USD | EUR | GBP | ... | % | year | None
    thing: str | None          # the counted noun's lemma ("troop", "member state")
    modifiers: list[str] = field(default_factory=list)
    casualty: str | None = None   # killed | injured (kind "casualties")
    places: list[str] = field(default_factory=list)
    confidence: float = 0.5
    cue: str | None = None     # casualties: the trigger as written ("killed", "dead", "wounded");
    #   "shot" when the fate is not said; "survived"/"fatally" for "two shot, one fatally";
    #   "also shot", "murder-suicide", "fatal shooting", "shooting death", "own life", "hospital"


# ---------------------------------------------------------------- lexicons
_QUALIFIERS: list[tuple[tuple[str, ...], str]] = sorted([
    (("more", "than"), "more_than"), (("over",), "more_than"), (("upwards", "of"), "more_than"),
    (("in", "excess", "of"), "more_than"), (("well", "over"), "more_than"),
    (("just", "over"), "more_than"), (("above",), "more_than"),
    (("at", "least"), "at_least"), (("no", "fewer", "than"), "at_least"),
    (("no", "less", "than"), "at_least"), (("a", "minimum", "of"), "at_least"),
    (("about",), "about"), (("around",), "about"), (("approximately",), "about"),
    (("approx",), "about"), (("approx", "."), "about"), (("roughly",), "about"),
    (("some",), "about"), (("an", "estimated"), "about"), (("estimated",), "about"),
    (("nearly",), "nearly"), (("almost",), "nearly"),
    (("close", "to"), "nearly"), (("just", "under"), "nearly"), (("up", "to"), "up_to"),
    (("as", "many", "as"), "up_to"), (("no", "more", "than"), "up_to"), (("at", "most"), "up_to"),
    (("within",), "up_to"), (("fewer", "than"), "fewer_than"), (("less", "than"), "fewer_than"),
    (("under",), "fewer_than"), (("below",), "fewer_than"), (("exactly",), "exactly"),
    (("precisely",), "exactly"),
], key=lambda q: -len(q[0]))

_QUALIFIERS_BY_LAST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _q in _QUALIFIERS:
    _QUALIFIERS_BY_LAST.setdefault(_q[0][-1], []).append(_q)

_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR",
                   "₽": "RUB", "a$": "AUD", "c$": "CAD", "hk$": "HKD", "usd": "USD",
                   "eur": "EUR", "gbp": "GBP"}
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
                   "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "yuan": "CNY",
                   "renminbi": "CNY", "yen": "JPY", "rouble": "RUB", "roubles": "RUB",
                   "ruble": "RUB", "rubles": "RUB", "rupee": "INR", "rupees": "INR",
                   "hryvnia": "UAH", "hryvnias": "UAH", "zloty": "PLN", "zlotys": "PLN",
                   "usd": "USD", "eur": "EUR", "gbp": "GBP"}
_MONEY_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}

_DIST_UNITS = {"mile": 1.609344, "miles": 1.609344, "mi": 1.609344, "km": 1.0, "kms": 1.0,
               "kilometre": 1.0, "kilometres": 1.0, "kilometer": 1.0, "kilometers": 1.0,
               "metre": 0.001, "metres": 0.001, "meter": 0.001, "meters": 0.001, "m": 0.001,
               "foot": 0.0003048, "feet": 0.0003048, "ft": 0.0003048, "yard": 0.0009144,
               "yards": 0.0009144, "yd": 0.0009144, "yds": 0.0009144, "nm": 1.852}
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast",
               "southwest", "north-east", "north-west", "south-east", "south-west", "inland",
               "offshore", "away", "northward", "southward", "eastward", "westward", "due",
               "upstream", "downstream", "further", "farther"}
_PLACE_PREPS = {"from", "of", "off", "outside", "inside", "beyond", "within", "into", "to",
                "short", "behind", "past"}

_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_DATE_WORDS = {"ago", "today", "yesterday", "tomorrow", "tonight", "morning", "afternoon",
               "evening", "a.m.", "p.m.", "am", "pm", "spring", "summer", "autumn", "fall",
               "winter", "'s", "s", "noon", "midnight", "last", "next", "this", "earlier",
               "later", "old", "-old"}
_TIME_NOUNS = {"second", "minute", "hour", "day", "night", "week", "weekend", "month", "year",
               "decade", "century", "time", "moment", "season", "o'clock"}
_STREET_WORDS = {"st", "st.", "street", "ave", "ave.", "avenue", "rd", "rd.", "road", "blvd",
                 "blvd.", "boulevard", "dr", "dr.", "drive", "lane", "ln", "ln.", "way", "court",
                 "ct", "ct.", "place", "pl", "pl.", "parkway", "pkwy", "highway", "hwy", "terrace",
                 "circle", "trail", "pike", "plaza", "square", "crescent", "alley", "row"}
_CALIBRE_WORDS = {"mm", "caliber", "calibre", "gauge", "cal", "cal."}
_PERSON_NOUNS = {
    "man", "woman", "boy", "girl", "person", "teen", "teenager", "child", "kid", "baby", "infant",
    "toddler", "victim", "male", "female", "adult", "juvenile", "youth", "student", "officer",
    "deputy", "trooper", "policeman", "suspect", "gunman", "shooter", "bystander", "resident",
    "customer", "driver", "passenger", "father", "mother", "son", "daughter", "brother", "sister",
    "wife", "husband", "girlfriend", "boyfriend", "friend", "uncle", "aunt", "cousin",
    "grandmother", "grandfather", "grandson", "granddaughter", "nephew", "niece", "neighbor",
    "neighbour", "employee", "worker", "clerk", "guard", "owner", "individual", "soldier",
    "civilian", "pedestrian", "motorist", "homeowner", "patron", "relative", "parent", "tenant",
    "roommate", "acquaintance", "occupant", "teacher", "pastor", "player", "cop", "agent",
    "inmate", "someone", "somebody", "sibling", "stepfather", "stepson", "fiance", "fiancee",
    "mom", "dad", "grandma", "grandpa", "cashier", "attendant", "manager", "security", "robber",
    "intruder", "burglar", "assailant", "attacker", "partner", "spouse", "other", "another"}
_PERSON_SUFFIXES = ("daughter", "father", "mother", "brother", "sister", "parent", "husband",
                    "wife", "friend", "-in-law", "stepson", "grandson", "godson")
_PERSON_PLURALS = {"people", "persons", "men", "women", "children", "wives", "folks"}


def _person_word(w: str) -> bool:
    """A noun (singular or plural) that names people: "man", "stepdaughter", "victims"."""
    w = w.lower()
    if w in _PERSON_NOUNS or w in _PERSON_PLURALS:
        return True
    if w.endswith("s") and w[:-1] in _PERSON_NOUNS:
        return True
    return w.rstrip("s").endswith(_PERSON_SUFFIXES)


_PERSON_PRONOUNS = {"he", "she", "him", "her", "himself", "herself"}

_PHONE = re.compile(r"(?:\(\d{3}\)\s?|\b\d{3}[-.\s])\d{3}[-.]\d{4}\b|\b\d{3}-\d{4}\b|\b1-800-")


# ---------------------------------------------------------------- helpers
class _View:
    """The quantity readers' view of an article's :class:`Parsed` (its lists, shared with the other
    extractors, under the names these readers use), with its number phrases and phone-number tokens."""

    def __init__(self, P: Parsed):
        self.P = P
        self.doc, self.text, self.n = P.doc, P.text, P.n
        self.toks, self.lower, self.ent, self.tag, self.w = P.toks, P.low, P.ent_type, P.tag, P.w
        self.phrases = find_number_phrases(self.lower)
        self.ph_at: dict[int, NumberPhrase] = {}
        for p in self.phrases:
            for k in range(p.start, p.end):
                self.ph_at[k] = p
        self._datey: dict[int, bool] = {}
        self.phone: set[int] = set()
        for m in _PHONE.finditer(self.text):
            a = self.doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if a is not None:
                self.phone.update(range(a.start, a.end))

    def datey(self, k: int) -> bool:
        """Token ``k``'s DATE/TIME entity says a date or time ("March 3", "two days", "1990s"),
        not a bare number spaCy labelled DATE ("Between 10 and 20 soldiers", an age)."""
        if k not in self._datey:
            iob = self.P.iob
            a = b = k
            while a > 0 and iob[a] == 1:  # inside an entity
                a -= 1
            while b + 1 < self.n and iob[b + 1] == 1:
                b += 1
            words = self.lower[a:b + 1]
            yes = any(w.rstrip(".") in _MONTHS or w in _DATE_WORDS or w.endswith("day") or
                      (len(w) == 4 and w.isdigit()) or ":" in w or "/" in w or
                      w.rstrip("s") in _TIME_NOUNS for w in words) and self.ent[k] in (
                "DATE", "TIME")
            for m in range(a, b + 1):
                self._datey[m] = yes
        return self._datey[k]

    def char_span(self, a: int, b: int) -> tuple[int, int, str]:
        """Start, end and text of tokens a..b-1."""
        s, e = self.P.idx[a], self.P.end[b - 1]
        return s, e, self.text[s:e]


def _qualifier(D: _View, start: int) -> tuple[str | None, int]:
    """The qualifier right before token ``start`` and where it begins."""
    for words, q in _QUALIFIERS_BY_LAST.get(D.w(start - 1), ()):
        k = len(words)
        if start - k >= 0 and tuple(D.lower[start - k:start]) == words:
            if words == ("some",) and D.tag[start - 1] != "DT":
                continue
            return q, start - k
    return None, start


def _qual(ph: NumberPhrase, q: str | None) -> str | None:
    """The qualifier said before the phrase, else "vague" ("dozens") or "range" ("10 to 20")."""
    return q or ("vague" if ph.vague else "range" if ph.is_range else None)


def _interval(value: float | None, low: float | None, high: float | None,
              qualifier: str | None) -> tuple[float | None, float | None]:
    if value is None:
        if qualifier in ("more_than", "at_least"):
            return low, None
        if qualifier in ("up_to", "fewer_than"):
            return 0.0, high
        return low, high
    if qualifier in ("more_than", "at_least"):
        return value, None
    if qualifier == "about":
        return round(value * 0.9, 6), round(value * 1.1, 6)
    if qualifier == "nearly":
        return round(value * 0.9, 6), value
    if qualifier in ("up_to", "fewer_than"):
        return 0.0, value
    return value, value


def _is_person_singular(t) -> bool:
    if t.lower_ in _PERSON_PRONOUNS:
        return True
    if t.tag_ == "NN" and _person_word(t.lemma_):
        return True
    if t.tag_ == "NNP" and t.text[:1].isupper() and not t.text.isupper() and (
            t.ent_type_ in ("PERSON", "") or t.ent_type_ == "ORG" and t.ent_iob_ == "B" and (
                t.i + 1 >= len(t.doc) or t.doc[t.i + 1].ent_iob_ != "I")):
        return True  # a name ("Velazquez" is often read as an ORG)
    if t.tag_ == "NNP" and _person_word(t.lemma_):
        return True
    # "a 19-year-old was shot"
    return t.lower_ == "old" and any(c.lower_ in ("year", "month", "week", "day")
                                      for c in t.children)


def _age_of(D: _View, p: NumberPhrase) -> tuple[int, str] | None:
    """If phrase ``p`` is an age, return (end token of the age phrase, unit)."""
    w = D.w
    j = p.end
    if w(j) == "-":
        j += 1
    if w(j) in ("year", "years", "month", "months", "week", "weeks", "day", "days"):
        unit = w(j).rstrip("s")
        k = j + 1
        if w(k) == "-":
            k += 1
        if w(k) == "old" or w(k) == "-old":
            return k + 1, unit
        if w(j + 1) == "-old":
            return j + 2, unit
        return None
    if w(p.start - 1) in ("aged", "age", "ages"):
        return p.end, "year"
    if w(p.end) in ("y.o", "y.o.", "yo", "y/o", "yr", "yrs"):
        return p.end + 1, "year"
    if p.digits and w(p.start - 1) in (",", "(") and (
            w(p.end) in (",", ")", ".", "and", ";", "") or D.toks[p.end].is_space) and \
            p.value is not None and 0 < p.value < 120 and p.start >= 2:
        prev = D.toks[p.start - 2]
        if prev.ent_type_ == "PERSON" or prev.lemma_.lower() in _PERSON_NOUNS:
            return p.end, "year"
    if p.digits and w(p.start - 1) == "," and p.value is not None and 0 < p.value < 120 and \
            p.start >= 2 and D.toks[p.start - 2].tag_ == "NNP" and \
            D.toks[p.start - 2].text[:1].isupper() and (
            p.end >= D.n or D.toks[p.end].pos_ not in ("NOUN", "PROPN")):
        return p.end, "year"  # "Calvin Williams, 24 was shot"
    return None


def _reject_reason(D: _View, p: NumberPhrase) -> str | None:
    """Why number phrase ``p`` is not a quantity (date, address, phone...), else None."""
    w = D.w
    a, b = p.start, p.end
    if any(k in D.phone for k in range(a, b)):
        return "phone"
    if any(D.ent[k] in ("DATE", "TIME") and D.datey(k) for k in range(a, b)):
        return "date"
    if w(b) in ("a.m.", "p.m.", "am", "pm", "a.m", "p.m", "o'clock", "gmt", "utc", "hours"):
        return "time"
    if D.lower[a] == "911" or w(b) == "-" and b + 1 < D.n and D.toks[b + 1].text.isupper():
        return "phone"  # "called 911", "897-LINK"
    if w(b) == "-" and w(b + 1) in ("foot", "feet") and w(b + 2) == "-":
        return "height"  # "6-foot-3"
    if p.digits and p.value is not None and p.value == int(p.value) and 1000 <= p.value <= 2100 \
            and "," not in D.lower[a] and b - a == 1 and not D.tag[min(b, D.n - 1)] == "NNS":
        return "year"
    if w(b) == "block" or (w(b) in ("-", "–") and w(b + 1) == "block"):
        return "address"
    if p.digits:
        for k in range(b, min(b + 5, D.n)):
            if D.lower[k].rstrip(".") in _STREET_WORDS and D.toks[k].text[:1].isupper():
                if all(D.toks[m].text[:1].isupper() or D.toks[m].text[:1].isdigit() or
                       D.lower[m] in _DIRECTIONS for m in range(b, k)):
                    return "address"
                break
    if w(b) in _CALIBRE_WORDS or (w(b) == "-" and w(b + 1) in _CALIBRE_WORDS) or \
            D.lower[a].startswith("."):
        return "calibre"
    prev = D.toks[a - 1] if a > 0 else None
    if prev is not None and p.digits:
        if prev.text in ("-", "#", "No.", "no.") and a >= 2 and D.toks[a - 2].text[:1].isupper() \
                or prev.text in ("#", "No.", "No"):
            return "identifier"
        if prev.lower_.rstrip(".") in _MONTHS:
            return "date"
        if prev.tag_ == "NNP" and prev.text[:1].isupper() and not prev.is_sent_start and \
                w(a - 1) not in _CURRENCY_SIGNS:
            return "identifier"
    if p.digits and (w(b) in ("-", "–") and D.lower[b + 1:b + 2] and
                     D.lower[b + 1][:1].isdigit() and D.ph_at.get(b + 1) is None):
        return "score"
    return None
