"""Quotes (and indirect claims) matched across outlets, and speakers compared.

Stage ``quotes.v2``. Two outlets rarely print a quote the same way: punctuation and quote marks
differ, one splits a sentence the other prints whole ("He added: ..."), a sub-editor changes
British spelling to American ("practise" / "practice"), a fragment is reworded around the quoted
words ("'alarming events taking place in the world'" for "Events taking place in the world are
alarming"). Each quote is compared by its words after :func:`words` (case, accents, punctuation,
editorial insertions in brackets and British/American spellings folded); two quotes match when
the content words of the shorter are (nearly) all in the longer and the text agrees by rapidfuzz's
``partial_ratio`` or ``token_set_ratio`` (:func:`similarity`). Matches are taken only between
different articles (a claim is also joined to a quote it contains in its own article) and chained
(union-find): the parts of a split quote end up with the whole.

Speakers are compared by :func:`same_speaker`: names by surname and given name (initials,
accents, "Jr." folded; names in other scripts transliterated and spellings of one name in two
languages folded, :mod:`crosswire.crosscheck.names_xlang`: Вадим Денисенко = Vadim Denisenko =
Vadym Denysenko, Łukaszenka = Lukashenko), organisations by their words with demonyms read as countries ("Belarus'
Ministry of Defense" = "Belarusian Defense Ministry"). One quote attributed to two different named
people (or two different organisations) is a conflict (:func:`speaker_groups`).

Across languages (each quote's language identified from its own text) words cannot be compared:
two quotes in different languages are one statement only when their speakers are the same named
speaker and the quotes agree on what needs no translation: the same numbers written in digits, or
a name in common with no number differing (:func:`across_languages`). Such a cluster says so
(:attr:`QuoteCluster.note`: "same speaker, different language"); quotes of one speaker in two
languages that do not agree that way stay apart, shown side by side (:func:`side_by_side`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from crosswire.crosscheck import names_xlang

STAGE = "quotes.v3"  # v3: speakers across scripts; quotes across languages by speaker and numbers or names
CROSS_LANGUAGE_NOTE = "same speaker, different language"
SAME_SPEAKER_MIN = 0.72   # similarity for two quotes of one speaker to be the same quote
OTHER_SPEAKER_MIN = 0.90  # ... of speakers who are not known to be the same
MIN_CONTENT_WORDS = 3     # a shorter quote needs this many content words to match by containment
MISATTRIBUTION_WORDS = 6  # and this many to show a misattribution

# British -> one spelling (applied to both sides: only equality matters)
_SPELLING = {
    "practise": "practice", "practised": "practiced", "practising": "practicing", "practises": "practices",
    "licence": "license", "licences": "licenses", "defence": "defense", "offence": "offense",
    "offences": "offenses", "pretence": "pretense", "manoeuvre": "maneuver", "manoeuvres": "maneuvers",
    "programme": "program", "programmes": "programs", "grey": "gray", "tyre": "tire", "tyres": "tires",
    "aluminium": "aluminum", "kerb": "curb", "cheque": "check", "storey": "story", "whilst": "while",
    "amongst": "among", "towards": "toward", "mum": "mom", "jewellery": "jewelry", "plough": "plow",
    "enrol": "enroll", "fulfil": "fulfill", "skilful": "skillful", "judgement": "judgment",
    "ageing": "aging", "analogue": "analog", "catalogue": "catalog", "dialogue": "dialog",
}
_OUR_KEEP = {"four", "hour", "hours", "your", "yours", "tour", "tours", "pour", "flour", "sour", "our",
             "ours", "devour", "contour", "detour", "amour", "troubadour", "velour", "paramour"}
_IZE_KEEP = {"size", "sized", "prize", "prized", "seize", "seized", "capsize", "maize", "baize", "assize",
             "downsize", "upsize", "oversize", "bite-size", "citizen", "citizens"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_BRACKETS = re.compile(r"\[[^\]]{0,80}\]")
STOPWORDS = frozenset("""a an the of in on at to for from by with and or but as is was were are be been being
has have had do did does this that these those it its it's their his her they them he she we you i me my
our us your which who whom whose what when where while so than then there here not no will would can could
should may might must shall also just very all any some more most such into about over under out up
""".split())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents, curly quotes made straight."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_QUOTE_MARKS).lower()


_QUOTE_MARKS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'", "‚": "'", "‛": "'",
                              "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"'})


@lru_cache(maxsize=65536)
def _spelling(w: str) -> str:
    if w in _SPELLING:
        return _SPELLING[w]
    if len(w) > 5 and w not in _OUR_KEEP:
        w = re.sub(r"our(s|ed|ing|ite|ites|able)?$", r"or\1", w)  # colour, labour(ed), favourite
    if w not in _IZE_KEEP:
        w = re.sub(r"(?<=[a-z]{3})iz(e|ed|es|ing|ation|ations)$", r"is\1", w)  # organize -> organise
        w = re.sub(r"(?<=[a-z]{2})yz(e|ed|es|ing)$", r"ys\1", w)  # analyze -> analyse
    w = re.sub(r"(?<=[a-z]{3}[aeiou])ll(ed|ing|er|ers)$", r"l\1", w)  # travelled -> traveled
    w = re.sub(r"(?<=[a-z]{2}[^aeiou])re(s)?$", r"er\1", w) if w.endswith(("tre", "tres", "bre", "bres")) else w
    return w


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The words of a quote, folded for comparison (see the module docstring)."""
    text = _BRACKETS.sub(" ", fold(text))
    return tuple(_spelling(m.group(0).replace("'", "")) for m in _WORD.finditer(text))


def content(ws: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in ws if w not in STOPWORDS and not w.isdigit())


def similarity(a: str, b: str) -> float:
    """0..1: how far the shorter of two quotes is found in the longer (words folded by
    :func:`words`; content words contained, then rapidfuzz on the texts)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    if len(wa) > len(wb):
        wa, wb = wb, wa
    ca, cb = content(wa), content(wb)
    if not ca:
        return 1.0 if " ".join(wa) in " ".join(wb) else 0.0
    bag = {}
    for w in cb:
        bag[w] = bag.get(w, 0) + 1
    hit = 0
    for w in ca:
        if bag.get(w, 0) > 0:
            bag[w] -= 1
            hit += 1
    contained = hit / len(ca)
    if len(ca) < MIN_CONTENT_WORDS:
        return 1.0 if " ".join(wa) in " ".join(wb) else min(contained, 0.5)
    if contained < 0.6:
        return contained
    sa, sb = " ".join(wa), " ".join(wb)
    text = max(fuzz.partial_ratio(sa, sb), fuzz.token_set_ratio(sa, sb)) / 100.0
    return min(contained, text) if contained < 1.0 else max(text, contained * 0.95)


# ---------------------------------------------------------------- speakers
_TITLE_WORDS = re.compile(r"^(?:mr|mrs|ms|dr|prof|sir|dame|gen|lt|col|maj|capt|sgt|president|minister|"
                          r"general|major|colonel|chief|spokesman|spokeswoman)\.?\s+", re.I)
_SUFFIX = re.compile(r",?\s+(?:jr|sr|ii|iii|iv)\.?$", re.I)
_GENERIC = {"he", "she", "they", "it", "we", "i", "police", "officials", "official", "authorities", "witness",
            "witnesses", "resident", "residents", "source", "sources", "spokesman", "spokeswoman",
            "spokesperson", "statement", "worker", "one resident", "a witness", "a resident", "company",
            "city", "the company", "the city", "government", "ministry", "unknown"}


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    from crosswire.extract.places.demonyms import demonym_table
    from crosswire.extract.places.gazetteer import get_gazetteer

    g = get_gazetteer()
    out = {}
    for form, code in demonym_table().items():
        e = g.country(code)
        out[fold(form)] = fold(e.name) if e is not None else code.lower()
    return out


@lru_cache(maxsize=16384)
def speaker_key(name: str | None, kind: str | None = None) -> str | None:
    """A comparable form of a speaker, or None for an unnamed or generic one ("police", "he")."""
    if not name:
        return None
    s = fold(names_xlang.latin(name) if not name.isascii() else name).strip()
    if s in _GENERIC or len(s) < 2:
        return None
    s = _SUFFIX.sub("", _TITLE_WORDS.sub("", s))
    tokens = []
    dem = _demonyms()
    for w in _WORD.findall(s):
        w = re.sub(r"'s?$", "", w.replace("’", "'"))
        w = dem.get(w, w)
        if w in STOPWORDS:
            continue
        tokens.append(_spelling(w))
    if not tokens:
        return None
    if kind == "person" or (kind is None and len(tokens) <= 3 and name[:1].isupper()
                            and not {"ministry", "office", "department", "agency", "service",
                                     "police", "army", "command", "government", "council"} & set(tokens)):
        return "p:" + " ".join(tokens)
    return "o:" + " ".join(sorted(tokens))


def same_speaker(a: str | None, b: str | None) -> bool | None:
    """True when two speaker keys name the same speaker, False when they name different ones,
    None when either is unnamed."""
    if a is None or b is None:
        return None
    if a == b:
        return True
    if a[0] != b[0]:
        return None  # a person and an organisation: the person may speak for it
    ta, tb = a[2:].split(), b[2:].split()
    if a[0] == "p":
        if ta[-1] != tb[-1]:
            if fuzz.ratio(ta[-1], tb[-1]) >= 88 and fuzz.token_sort_ratio(a[2:], b[2:]) >= 85:
                return True
            # one name spelled by two languages or transliterations ("lukashenko", "lukaszenka")
            return names_xlang.same_person(a[2:], b[2:]) is True
        if len(ta) == 1 or len(tb) == 1:
            return True  # "Denisenko" and "Vadim Denisenko"
        return ta[0][0] == tb[0][0]  # given names agree on the initial
    sa, sb = set(ta), set(tb)
    if sa <= sb or sb <= sa:
        return True
    return fuzz.token_set_ratio(a[2:], b[2:]) >= 90


# ---------------------------------------------------------------- matching
@dataclass
class Utterance:
    """One quote or claim of one article."""

    article: str
    kind: str  # "quote" | "claim"
    speaker: str | None
    speaker_title: str | None
    speaker_kind: str | None
    text: str
    start: int
    end: int
    fact: str  # the stored fact's id
    channel: str | None = None

    @property
    def key(self) -> str | None:
        return speaker_key(self.speaker, self.speaker_kind)

    @property
    def language(self) -> str | None:
        """The quote's language, identified from its text (None for too short a text)."""
        return quote_language(self.text)


@dataclass
class QuoteCluster:
    """Utterances that are one statement as different articles print it."""

    members: list[Utterance] = field(default_factory=list)
    across_languages: bool = False  # two of its quotes were matched across languages

    @property
    def languages(self) -> list[str]:
        return sorted({lang for m in self.members if (lang := m.language)})

    @property
    def note(self) -> str | None:
        """"same speaker, different language" when the cluster joins quotes across languages."""
        return CROSS_LANGUAGE_NOTE if self.across_languages else None

    @property
    def kind(self) -> str:
        return "quote" if any(m.kind == "quote" for m in self.members) else "claim"

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(m.article for m in self.members))

    def representative(self) -> Utterance:
        """The longest quote (else claim) with a named speaker, else the longest."""
        pool = [m for m in self.members if m.kind == self.kind]
        named = [m for m in pool if m.key is not None] or pool
        return max(named, key=lambda m: (len(m.text), -m.start))


def _pairs_match(a: Utterance, b: Utterance) -> bool:
    same = same_speaker(a.key, b.key)
    if same is False:
        need, min_words = OTHER_SPEAKER_MIN, MISATTRIBUTION_WORDS
    elif same is True:
        need, min_words = SAME_SPEAKER_MIN, MIN_CONTENT_WORDS
    else:
        need, min_words = OTHER_SPEAKER_MIN, MIN_CONTENT_WORDS
    shorter = a.text if len(a.text) <= len(b.text) else b.text
    if len(content(words(shorter))) < min_words and not (same and words(shorter)
                                                          and " ".join(words(shorter)) in
                                                          " ".join(words(a.text if shorter is b.text else b.text))):
        return False
    return similarity(a.text, b.text) >= need


@lru_cache(maxsize=16384)
def quote_language(text: str) -> str | None:
    from crosswire.ingest.hygiene import detect_language

    return detect_language(text)


_DIGITS = re.compile(r"\d+(?:[.,:]\d+)?")


def anchors(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """What a quote says that needs no translation: its numbers in digits, and the names it writes
    with a capital not at the start of a sentence (transliterated, spellings folded)."""
    nums = frozenset(m.group(0).replace(",", ".") for m in _DIGITS.finditer(text))
    names = set()
    for m in re.finditer(r"[^\W\d_]+", text):
        w = m.group(0)
        before = text[:m.start()].rstrip()
        if not w[:1].isupper() or len(w) < 3 or not before or before[-1] in ".!?:\"«“„'":
            continue
        key = names_xlang.surname_key(w)
        if len(key) >= 3:
            names.add(names_xlang._ending(key))
    return nums, frozenset(names)


def across_languages(a: Utterance, b: Utterance) -> bool:
    """Two quotes in different languages are one statement: the same named speaker, and the same
    numbers, or a name in common and no number that differs."""
    if same_speaker(a.key, b.key) is not True:
        return False
    na, ma = anchors(a.text)
    nb, mb = anchors(b.text)
    if na or nb:
        return na == nb
    return bool(ma & mb)


def side_by_side(clusters: list[QuoteCluster]) -> list[QuoteCluster]:
    """Clusters ordered so that one speaker's quotes in other languages that did not match follow
    the speaker's first one (a reader compares them side by side); otherwise in their order."""
    out: list[QuoteCluster] = []
    placed: set[int] = set()
    for i, c in enumerate(clusters):
        if i in placed:
            continue
        out.append(c)
        placed.add(i)
        key = c.representative().key
        if key is None:
            continue
        langs = set(c.languages)
        for j in range(i + 1, len(clusters)):
            other = clusters[j]
            if j in placed or not langs or not set(other.languages) or set(other.languages) & langs:
                continue
            if same_speaker(key, other.representative().key) is True:
                out.append(other)
                placed.add(j)
    return out


def match(utterances: list[Utterance]) -> list[QuoteCluster]:
    """Clusters of utterances that are the same statement (see the module docstring), in the
    order of their first member; every utterance is in exactly one cluster."""
    n = len(utterances)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    sets = [set(content(words(u.text))) for u in utterances]
    crossed: list[int] = []
    for i in range(n):
        ui = utterances[i]
        for j in range(i + 1, n):
            uj = utterances[j]
            if ui.article == uj.article:
                inside = (ui.start <= uj.start and uj.end <= ui.end) or (uj.start <= ui.start and ui.end <= uj.end)
                if inside and ui.kind != uj.kind and same_speaker(ui.key, uj.key) is not False:
                    union(i, j)  # a claim and the quote it contains
                continue
            if len(sets[i] & sets[j]) >= min(2, len(sets[i]), len(sets[j])) and _pairs_match(ui, uj):
                union(i, j)
            elif (ui.kind == uj.kind == "quote" and len(sets[i] & sets[j]) < 2 and ui.language and uj.language
                  and ui.language != uj.language and across_languages(ui, uj)):
                union(i, j)  # no words in common to compare: the speaker and the numbers or names
                crossed.append(i)
    clusters: dict[int, QuoteCluster] = {}
    for i, u in enumerate(utterances):
        clusters.setdefault(find(i), QuoteCluster()).members.append(u)
    for i in crossed:
        clusters[find(i)].across_languages = True
    return side_by_side(list(clusters.values()))


def _title(m: Utterance) -> str | None:
    """The speaker's title, unless it is a relative clause ("which employs 250 people")."""
    t = m.speaker_title
    return None if not t or re.match(r"(?:which|who|that|whose|where)\b", t, re.I) else t


def speaker_groups(cluster: QuoteCluster) -> list[dict[str, Any]]:
    """The speakers a cluster is attributed to, grouped when they are the same speaker: each
    ``{"speaker", "speaker_title", "key", "members"}``; unnamed speakers join the first group."""
    groups: list[dict[str, Any]] = []
    unnamed = []
    for m in cluster.members:
        k = m.key
        if k is None:
            unnamed.append(m)
            continue
        for g in groups:
            if same_speaker(g["key"], k) is not False:
                g["members"].append(m)
                if len(m.speaker or "") > len(g["speaker"] or ""):
                    g["speaker"] = m.speaker
                if _title(m) and not g["speaker_title"]:
                    g["speaker_title"] = _title(m)
                break
        else:
            groups.append({"speaker": m.speaker, "speaker_title": _title(m), "key": k, "members": [m]})
    if not groups:
        groups.append({"speaker": None, "speaker_title": None, "key": None, "members": []})
    groups[0]["members"].extend(unnamed)
    groups.sort(key=lambda g: -len({m.article for m in g["members"]}))
    return groups


def utterance_from_fact(fact: dict[str, Any]) -> Utterance:
    """An :class:`Utterance` from a stored ``quote`` or ``claim`` fact (as a dict)."""
    v = fact.get("value") or {}
    return Utterance(fact["article_id"], fact["kind"], v.get("speaker"), v.get("speaker_title"),
                     v.get("speaker_kind"), fact["text"], fact["start"], fact["end"], fact["id"],
                     v.get("channel"))
