"""Events an article reports (who did what to whom, where, when) with CAMEO codes, and its main event.

Stage ``events.v1``. Input: a spaCy ``Doc`` of the clean body (tagger, parser, NER), optionally the
parsed headline, the article's places (:mod:`crosswire.extract.places.resolve`) and time expressions
(:mod:`crosswire.extract.time.timex`). Output: one :class:`Event` per event a sentence reports, in text
order, each with the sentence that supports it; one has ``role="main"`` when any qualifies.

Triggers come from the lexicon of :mod:`crosswire.extract.events.cameo`: a verb ("shot", "arrested",
"opened fire", "took to the streets") or an event noun ("drills", "explosion", "air strike"). A noun
is an event that happened (``asserted``) when a light verb holds it ("held drills", "staged an
exercise", "went on strike") or an occurrence verb has it as subject ("drills are taking place",
"a blast rocked"); otherwise it is only mentioned (lower confidence). Actors come from the parse:
actor1 the subject (the agent of a passive), actor2 the object (the passive subject, or
"against"/"on"/"with" X), expanded to the noun phrase with its conjuncts ("China and Belarus"),
leading determiners trimmed; a noun event takes them from a possessive, "by", "between",
"involving", "with" and demonyms ("Russian missile strike", kept as written). Pronouns are resolved
to an earlier subject (``as_written`` keeps the pronoun). A verb whose subject is an event noun
("an explosion killed three") gives its object to that event instead of making another.

Not events that happened, kept and marked with ``reason``: negated ("no one was arrested", "did
not attack", "foiled an attack", "the protest was cancelled") and hypothetical ("could attack",
"will meet", "plans/threatens/agreed to", "a planned protest", "if"). Events of one sentence and
one CAMEO root (18-20 count as one) are merged; the others' triggers go to ``also``.

The main event: the headline's top event matched to the first body event of its family (actors
taken from the headline when they name more entities), else the lead's (first three sentences)
asserted event ranked highest by kind x confidence, earliest first. Negated, hypothetical and
quoted events are never main. When the main event's sentence names no place, the article's event
place is used (``"from": "article"``). The parse is read through the article's shared
:class:`~crosswire.extract.parsed.Parsed` (plain lists; spaCy's Token objects are slow to make by
the thousand): about 2-3 us a token, 1-2 ms a 400-800-token article, beyond the parse. Spans of ``source="title"`` events and actors point into the headline.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from spacy.strings import hash_string

import crosswire.extract.events.cameo as C
from crosswire.extract.parsed import Parsed

STAGE = "events.v1"

__all__ = ["STAGE", "Event", "find_events", "main_event"]


@dataclass
class Event:
    """One event: its supporting sentence, trigger, CAMEO/ACLED kind, actors, place, time and flags."""

    start: int
    end: int
    text: str
    trigger: str
    trigger_start: int
    trigger_end: int
    lemma: str
    cameo: str | None
    label: str
    root: str | None
    quad_class: int | None
    acled: str | None
    acled_sub: str | None
    actor1: dict[str, Any] | None = None
    actor2: dict[str, Any] | None = None
    where: list[Any] = field(default_factory=list)
    when: str | None = None
    when_text: str | None = None
    negated: bool = False
    hypothetical: bool = False
    reason: str | None = None
    role: str = "secondary"  # "main" | "secondary"
    confidence: float = 0.5
    asserted: bool = False
    quoted: bool = False
    source: str = "body"  # "body" | "title": the text the spans point into
    also: list[str] = field(default_factory=list)
    rank: int = field(default=0, repr=False)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        del d["rank"]
        return {**d, "stage": STAGE}


_LIGHT_IN = {"participate", "engage", "take", "join"}  # "took part in", "engaged in"
_DET_TRIM = {"the", "a", "an", "this", "these", "those", "that"}
_LOC_PREPS = {"in", "at", "near", "outside", "inside", "around", "across", "throughout", "within",
              "into", "off", "along", "from", "on", "over", "toward", "towards", "by", "to"}
_LEFT = {"det", "amod", "compound", "nummod", "poss", "nmod", "quantmod", "case", "punct", "advmod"}
_ARMED_ACTORS = C.ARMED - {"joint", "live-fire", "drills", "war", "combat", "tactical"}
_PRONOUNS = {"they", "it", "he", "she", "them", "their", "its", "his", "her"}
_RELATIVE = {"which", "who", "that", "whom"}
_NAME_ENTS = {"ORG", "WORK_OF_ART", "FAC", "PRODUCT", "LAW", "PERSON"}
_VERBAL = {v for v, entries in C.VERB_INDEX.items()  # verbs about an event: "condemn", "investigate"
           if any(not rest and C.quad_class(code) in (1, 3) for rest, code in entries)}
_STATE_FORCES = {"military", "army", "jets", "warplanes", "aircraft", "planes", "navy", "forces", "troops"}
_NOT_PHRASAL = {("wind", "up"), ("wound", "up"), ("shoot", "up"), ("fire", "up"), ("strike", "out"),
                ("beat", "out"), ("blow", "over"), ("take", "over"), ("take", "off")}
_PLACE_NOUNS = {"town", "city", "village", "territory", "base", "region", "area", "airport", "port",
                "district", "province", "hill", "bridge", "building", "capital", "border", "island"}
_DATEISH = re.compile(r"\d|day\b|night|morning|evening|afternoon|yesterday|today|tonight|"
                      r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


def _array(words) -> np.ndarray:
    """A sorted array of spaCy string hashes, for ``np.isin``."""
    return np.array(sorted({hash_string(w) if isinstance(w, str) else w for w in words}), dtype="uint64")


_QUOTES_H = _array('"\u201c\u201d\u00ab\u00bb\'\u2018\u2019')
_ARMED_A, _TRIGGER_H = _array(C.ARMED_H), _array(C.TRIGGER_FORMS)


# ---------------------------------------------------------------- the event lexicon over the parse
def _vlemma(D: Parsed, i: int) -> str:
    """A verb's lemma from the lexicon's own form table, else spaCy's."""
    return C.FORMS.get(D.low[i]) or D.lemma_lower(i)


def _nlemma(D: Parsed, i: int) -> str | None:
    """The lexicon's event noun a token is a form of, or None."""
    low = D.low[i]
    return next((w for w in (low, low[:-1], low[:-2], low[:-3] + "y") if w in C.NOUN_INDEX), None)


def _nominal(D: Parsed, i: int) -> bool:
    """Whether a token has a noun's dependents (a determiner, an adjective...)."""
    return any(D.dep[c] in ("det", "amod", "compound", "nummod", "poss") for c in D.kids[i])


def _is_verb(D: Parsed, i: int) -> bool:
    """Whether a token is a verb or auxiliary."""
    return D.pos[i] in ("VERB", "AUX")


def _near(D: Parsed, i: int) -> dict[str, int]:
    """Lower forms and lemmas of a token's children and grandchildren -> the token."""
    out: dict[str, int] = {}
    for c in D.kids[i]:
        for t in (c, *D.kids[c]):
            out.setdefault(D.low[t], t)
            out.setdefault(D.lemma_lower(t), t)
    return out


def _quotes(D: Parsed) -> list[int]:
    """The quote-mark tokens of a text, not the "'" of "Belarus' "."""
    quotes = np.flatnonzero(np.isin(D.lowh, _QUOTES_H)).tolist()
    return [i for i in quotes if D.dep[i] != "case"]


class _Sent:
    """One sentence with what its triggers need (word hashes, quotes, places, times), built once."""

    def __init__(self, D: Parsed, n: int, title: bool, places, timexes, ents, quotes: list[int],
                 armed: bool = False):
        self.title, self.index, self.places, self.timexes, self.ents = title, n, places, timexes, ents
        self.start, self.end = D.sents[n]
        self.prev = D.sents[n - 1] if n else None
        self.a, self.b = D.idx[self.start], D.end[self.end - 1]
        self.text = D.text[self.a : self.b]
        self.words = set(D.lowh[self.start : self.end].tolist())
        self.armed = armed or bool(self.words & C.ARMED_H)
        self.quotes = quotes[bisect_left(quotes, self.start) : bisect_left(quotes, self.end)]

    def quoted(self, i: int) -> bool:
        """Whether a token stands inside quote marks opened in this sentence."""
        return bisect_left(self.quotes, i) % 2 == 1


# ---------------------------------------------------------------- actors
def _phrase_ids(D: Parsed, h: int, with_preps: bool = True) -> set[int]:
    """The tokens of the noun phrase headed by ``h``: modifiers, conjuncts, "of"/"from" phrases."""
    ids = {h}
    for c in D.kids[h]:
        dep = D.dep[c]
        if c < h and dep in _LEFT or with_preps and c > h and dep == "prep" and D.low[c] in ("of", "from"):
            ids.update(D.subtree(c))
        elif dep == "conj" and c > h:
            ids |= _phrase_ids(D, c, with_preps)
        elif dep in ("cc", "case"):
            ids.add(c)
    return ids


def _actor(D: Parsed, h: int, source: str, as_written: str | None = None) -> dict[str, Any]:
    """The noun phrase headed by token ``h``: its text and char span, determiners trimmed."""
    ids = _phrase_ids(D, h)
    a, b = min(ids), max(ids)
    if b - a > 15:
        ids = _phrase_ids(D, h, with_preps=False)
        a, b = min(ids), max(ids)
    breaks = [t for t in range(a, b) if "\n" in D.gap(t, t + 1) or "\n" in D.word(t)]
    a = max([a] + [t + 1 for t in breaks if t < h])  # the phrase stops at a line break
    b = min([b] + [t for t in breaks if t >= h])
    while a < b and (D.low[a] in _DET_TRIM or D.punct[a] or D.pos[a] == "SPACE"):
        a += 1
    while b > a and (D.punct[b] or D.dep[b] == "cc" or D.pos[b] == "SPACE"):
        b -= 1
    out = {"text": D.text[D.idx[a] : D.end[b]], "start": D.idx[a], "end": D.end[b], "source": source}
    return {**out, "as_written": as_written} if as_written else out


def _antecedent(D: Parsed, i: int, s: _Sent) -> int | None:
    """What a pronoun stands for: an earlier subject of its sentence, else the last sentence's."""
    if D.low[i] in _RELATIVE:
        h = n = D.head[D.head[i]] if D.dep[D.head[i]] == "relcl" else None
        for _ in range(2):  # "a strike on the hospital which killed": the strike
            if n is None or D.dep[n] != "pobj":
                break
            n = D.head[D.head[n]]
            if _nlemma(D, n):
                return n
        return h
    subjects = ("nsubj", "nsubjpass")
    for t in range(s.start, i):
        if D.dep[t] in subjects and D.pos[t] in ("NOUN", "PROPN"):
            return t
    for t in range(*s.prev) if s.prev else ():
        if D.dep[t] in subjects and D.dep[D.head[t]] == "ROOT" and D.pos[t] in ("NOUN", "PROPN"):
            return t
    return None


def _arg(D: Parsed, i: int | None, source: str, s: _Sent) -> dict[str, Any] | None:
    """An actor from a token: its noun phrase, a pronoun resolved; None for times and bare numbers."""
    if i is None or D.ent_type[i] in ("DATE", "TIME") or D.ent_type[i] in ("CARDINAL", "QUANTITY") and not D.kids[i]:
        return None  # "on Tuesday", a bare "three"
    if D.low[i] in _PRONOUNS or D.low[i] in _RELATIVE:
        ant = _antecedent(D, i, s)
        if ant is not None:
            return _actor(D, ant, source, as_written=D.word(i))
    return _actor(D, i, source)


def _subject(D: Parsed, v: int) -> int | None:
    """The subject of a verb, climbing through conjoined and controlled verbs."""
    for _ in range(3):
        s = D.child(v, "nsubj", "csubj")
        if s is not None or D.dep[v] not in ("conj", "xcomp", "advcl"):
            return s
        if D.pos[D.head[v]] not in ("VERB", "AUX", "ADJ"):
            return None
        v = D.head[v]
    return None


def _verb_args(D: Parsed, v: int) -> tuple[int | None, int | None]:
    """(actor1, actor2) tokens of a verb, passive-aware ("a video released by X")."""
    if any(D.dep[c] in ("nsubjpass", "auxpass") for c in D.kids[v]):
        return D.pobj(v, ("by",)), D.child(v, "nsubjpass")
    if D.dep[v] == "acl" and D.tag[v] == "VBN":
        return D.pobj(v, ("by",)), D.head[v]
    obj = D.child(v, "dobj")
    return _subject(D, v), obj if obj is not None else D.pobj(v, ("against", "on", "upon", "with", "at"))


# ---------------------------------------------------------------- negated, hypothetical
def _flags(D: Parsed, trig: int, clause: int | None) -> tuple[bool, bool, str | None]:
    """(negated, hypothetical, reason) of an event from its trigger and clause verb."""
    for t in {trig, clause} - {None}:
        for c in D.kids[t]:
            if D.dep[c] == "neg" or D.low[c] == "never" or D.dep[c] == "det" and D.low[c] == "no":
                return True, False, f"negated: {D.word(c)}"
            if D.dep[c] in ("nsubj", "nsubjpass", "dobj"):
                det = D.child(c, "det")
                if D.low[c] in ("nobody", "none", "nothing") or (det is not None and D.low[det] == "no"):
                    return True, False, f"negated: {D.word(c if det is None else det)}"
    v, hops = (clause, int(clause != trig)) if clause is not None else (trig, 0)
    while hops < 4:
        lem = _vlemma(D, v)
        if hops and lem in C.NEGATING and (lem not in ("rule", "call") or D.child(v, "prt") is not None):
            return True, False, f"negated: {D.word(v)}"
        if hops and (lem in C.FUTURE or D.low[v] == "going"):
            return False, True, f"hypothetical: {D.word(v)}"
        for c in D.kids[v]:
            if D.dep[c] == "aux" and D.low[c] in C.MODALS or D.dep[c] == "mark" and D.low[c] == "if":
                return False, True, f"hypothetical: {D.word(c)}"
        if D.dep[v] not in ("xcomp", "ccomp", "dobj", "nsubjpass", "pobj", "pcomp", "acomp", "conj"):
            break
        v = D.head[D.head[v]] if D.dep[v] == "pobj" else D.head[v]
        hops += 1
    for c in D.kids[trig]:
        if D.dep[c] in ("amod", "compound") and D.low[c] in C.PLANNED:
            return False, True, f"hypothetical: {D.word(c)}"
    return False, False, None


# ---------------------------------------------------------------- triggers
@dataclass
class _Cand:
    """A trigger read off the parse, before it becomes an :class:`Event`."""

    tok: int
    code: str
    words: tuple[str, ...]
    clause: int | None
    a1: int | None
    a2: int | None
    asserted: bool = True
    weak: bool = False
    a1_dict: dict | None = None


def _verb_cand(D: Parsed, i: int, s: _Sent, used: set[int]) -> _Cand | None:
    """The event a verb token triggers, or None."""
    lem = _vlemma(D, i)
    entries = C.VERB_INDEX.get(lem)
    if not entries or D.dep[i] == "amod" or not (
            D.pos[i] == "VERB" and not (_nlemma(D, i) and _nominal(D, i))
            or s.title and D.pos[i] == "PROPN" and not _nlemma(D, i)):
        return None  # "detained activists" is a state; "joint drills" is a noun
    near: dict[str, int] = {}
    for rest, code in entries:
        near = near or (_near(D, i) if rest else {})
        if all(w in near for w in rest):
            break
    else:
        return None
    if any(D.dep[c] == "prt" and (lem, D.low[c]) in _NOT_PHRASAL for c in D.kids[i]):
        return None  # "wound up", "prices shot up"
    code = C.resolve(code, lem, s.words, armed=s.armed, mods=set(near), verb=True)
    if code is None or lem == "say" and (D.dep[i] != "ROOT" or not s.title and s.index >= 3):
        return None  # plain "said" is the quotes stage's, unless the lead has nothing else
    a1, a2 = _verb_args(D, i)
    subj = _antecedent(D, a1, s) if a1 is not None and D.low[a1] in _RELATIVE else a1
    if subj is not None and lem in C.OCCURRENCE_VERBS and _nlemma(D, subj) and _noun_cand(D, subj, s):
        return None  # "an explosion killed three": the noun's event
    if not rest and lem in C.LIGHT_VERBS and any(D.dep[c] == "dobj" and _nlemma(D, c) for c in D.kids[i]):
        return None  # "declared a curfew": the noun's event
    used.add(i)
    used.update(near[w] for w in rest)
    return _Cand(i, code, (lem, *rest), i, a1, None if a2 in used else a2,  # "opened fire"
                 asserted=D.dep[i] not in ("pcomp", "pobj"))  # "accused of killing": a mention


def _governor(D: Parsed, i: int) -> tuple[int | None, str | None]:
    """The verb an event noun hangs from, and how ("dobj", "nsubj", "pobj:in"...)."""
    n = i
    while D.dep[n] == "conj" and D.pos[D.head[n]] in ("NOUN", "PROPN"):
        n = D.head[n]
    if D.dep[n] == "pobj" and D.low[D.head[n]] == "of" and D.low[D.head[D.head[n]]] in C.PARTITIVE:
        n = D.head[D.head[n]]  # "began a week of exercises"
    h, dep = D.head[n], D.dep[n]
    if dep in ("dobj", "nsubj", "nsubjpass", "attr", "oprd", "ccomp", "xcomp") and _is_verb(D, h):
        return h, dep
    if dep == "pobj" and D.dep[h] in ("prep", "agent") and _is_verb(D, D.head[h]):
        return D.head[h], "pobj:" + D.low[h]
    return None, None


def _noun_cand(D: Parsed, i: int, s: _Sent) -> _Cand | None:
    """The event a noun token names, asserted when a light or occurrence verb holds it, or None."""
    if not (D.pos[i] in ("NOUN", "PROPN") or D.pos[i] == "VERB" and _nominal(D, i)) or (
            D.dep[i] == "compound" and D.pos[D.head[i]] in ("NOUN", "PROPN")):
        return None  # "training ground", "ceasefire proposal"
    named = D.is_title[i] and i > s.start and any(D.dep[c] == "compound" and D.pos[c] == "PROPN"
                                                  for c in D.kids[i])
    if D.ent_type[i] in ("DATE", "TIME") or not s.title and (D.ent_type[i] in _NAME_ENTS or named):
        return None  # "March"; a name ("Shanghai Cooperation Organization", "Exercise Falcon Assault")
    head = _nlemma(D, i)
    if head is None:
        return None
    entries = C.NOUN_INDEX[head]
    prev = [D.low[t] for t in range(max(s.start, i - len(entries[0][0]) - 1), i) if D.low[t] != "-"]
    hyphened = i > s.start + 1 and D.low[i - 2] == "-"
    if i > s.start and D.low[i - 1] in C.NOT_EVENT_MODIFIERS and not hyphened:
        return None  # "heart attack", "fire drill" (but "live-fire drills")
    for rest, code in entries:
        tail = prev[len(prev) - len(rest):] if rest else []
        if tail == list(rest) or [w.rstrip("s") for w in tail] == list(rest):
            break
    else:
        return None
    mods = {D.low[c] for c in D.kids[i] if D.dep[c] in ("amod", "compound")}
    code = C.resolve(code, head, s.words, armed=s.armed, mods=mods, verb=False)
    if code is None:
        return None
    g, rel = _governor(D, i)
    a1 = a2 = None
    asserted = weak = False
    glem = _vlemma(D, g) if g is not None else None
    if glem in C.LIGHT_VERBS and (rel in ("dobj", "ccomp", "xcomp", "oprd", "attr") or rel == "pobj:in"
                                  and glem in _LIGHT_IN or rel == "pobj:on" and glem == "go"):
        asserted, a1, a2 = True, _subject(D, g), D.pobj(g, ("with", "against"))
    elif rel == "nsubjpass" and glem in C.LIGHT_VERBS and D.child(g, "auxpass") is not None:
        asserted, a1 = True, D.pobj(g, ("by",))  # "drills were held by"
    elif rel in ("nsubj", "nsubjpass", "pobj:by") and glem in C.OCCURRENCE_VERBS:
        asserted = True
        if glem not in ("take", "begin", "start", "run", "come"):  # victims: "killing nine"
            hit = [*(c for c in D.kids[g] if D.dep[c] in ("advcl", "conj") and _vlemma(D, c) in C.HARM), g]
            a2 = next((o for o in (D.child(h, "dobj") for h in hit) if o is not None), None)
    elif rel == "pobj:on" and glem == "be":
        asserted, weak, a1 = True, True, _subject(D, g)  # "troops were on patrol"
    elif glem in _VERBAL and rel in ("dobj", "pobj:of", "pobj:for", "pobj:over", "pobj:into"):
        asserted = weak = True  # "police are investigating a shooting": the shooting happened
    rc = next((c for c in D.kids[i] if D.dep[c] == "relcl" and _vlemma(D, c) in C.OCCURRENCE_VERBS), None)
    victims = D.child(rc, "dobj") if rc is not None else None
    asserted = asserted or rc is not None  # "a strike that killed 40": it happened
    if C.kind(code).root == "01" and not asserted:
        return None  # "said in a statement": the quotes stage has it
    for find in (lambda: D.child(i, "poss"), lambda: D.pobj(i, ("by", "between")),
                 lambda: next((D.child(c, "dobj") for c in D.kids[i] if D.dep[c] == "acl"
                               and D.lemma_lower(c) == "involve"), None)):
        a1 = a1 if a1 is not None else find()
    a1_dict = None
    dem = None if a1 is not None else next((c for c in D.kids[i] if D.dep[c] in ("amod", "compound")
                                             and D.ent_type[c] in ("NORP", "GPE", "ORG")), None)
    if dem is not None:  # "Russian missile strike": the demonym as written
        sub = D.subtree(dem)
        a, b = D.idx[min(sub)], D.end[max(sub)]
        a1_dict = {"text": D.text[a:b], "start": a, "end": b}  # its source: _event's
    if a2 is None:
        a2 = D.pobj(i, ("with", "against", "on", "upon"))
        a2 = victims if a2 is None else a2
    if a2 is None and (code[:2] in ("16", "17", "18", "19", "20") or a1 is not None or a1_dict):
        a2 = D.pobj(i, ("of",))  # "the occupation of X"
    elif a2 is None and a1 is None and a1_dict is None:
        a1 = D.pobj(i, ("of",))  # "a meeting of X"
    a1 = None if a1 is not None and D.low[a1] in _RELATIVE else a1
    return _Cand(i, code, (*rest, head), g, a1, None if a2 == i else a2, asserted, weak, a1_dict)


# ---------------------------------------------------------------- where and when
def _hangs_off(D: Parsed, t: int, c: _Cand, locative: bool) -> bool:
    """Whether a token depends on the event's trigger or clause (through "in/near/at..." if asked)."""
    prep = not locative or D.dep[t] == "dobj"  # "struck eastern Turkey"
    for _ in range(6):
        if t == c.tok or t == c.clause:
            return prep
        prep = prep or D.dep[t] in ("prep", "agent") and D.low[t] in _LOC_PREPS
        if D.head[t] == t or _is_verb(D, t) and t != c.tok:
            return False
        t = D.head[t]
    return False


def _place(p, **extra) -> dict[str, Any]:
    """A place as the plain dict an event carries."""
    keys = ("name", "text", "start", "end", "geonameid", "country", "lat", "lon", "feature")
    return {**{k: getattr(p, k) for k in keys}, **extra}


def _where(D: Parsed, c: _Cand, s: _Sent, skip: list[tuple[int, int]]) -> list[Any]:
    """Places of the event's sentence that hang off it through a locative, the event place first."""
    out: dict[Any, tuple] = {}
    for a, b, label, root in s.ents if s.places is None else ():
        if label in ("GPE", "LOC", "FAC") and not any(x <= a < y for x, y in skip):
            if _hangs_off(D, root, c, True):
                out.setdefault(D.text[a:b], (0, 0, D.text[a:b]))
    for p in s.places or ():
        if p.via != "demonym" and not any(x <= p.start < y for x, y in skip) and (
                _hangs_off(D, D.root_of(p.start, p.end), c, True)):
            rank = (-(p.role == "event"), abs(p.start - D.idx[c.tok]))
            out.setdefault((p.name, p.geonameid), (*rank, _place(p)))
    return [d for _, _, d in sorted(out.values(), key=lambda x: x[:2])]


def _when(D: Parsed, c: _Cand, s: _Sent) -> tuple[str | None, str | None]:
    """(value, text) of the time expression of the event's clause, else the sentence's nearest."""
    if s.timexes is None:
        cands = [(a, None, D.text[a:b], root) for a, b, label, root in s.ents
                 if label in ("DATE", "TIME") and _DATEISH.search(D.text[a:b])]
    else:
        cands = [(t.start, t.value, t.text, D.root_of(t.start, t.end)) for t in s.timexes
                 if t.type in ("DATE", "TIME") and t.value]
    best = min(cands, default=None,
               key=lambda x: (not _hangs_off(D, x[3], c, False), abs(x[0] - D.idx[c.tok])))
    return (best[1], best[2]) if best else (None, None)


# ---------------------------------------------------------------- events
def _event(D: Parsed, c: _Cand, s: _Sent, source: str) -> Event:
    """The :class:`Event` of a trigger: kind refined by its actors, ACLED type, flags, confidence."""
    i = c.tok
    # the candidate's demonym actor was cut from the same text: it points where the event does
    a1 = ({**c.a1_dict, "source": source} if c.a1_dict else None) or _arg(D, c.a1, source, s)
    a2 = _arg(D, c.a2, source, s)
    if a1 and a2 and a1["start"] == a2["start"]:
        a2 = None
    armed1, armed2 = (t is not None and (D.low[t] in _ARMED_ACTORS or D.ent_type[t] == "GPE")
                      for t in (c.a1, c.a2))
    code = "190" if c.code == "180" and (armed1 or armed2) else c.code  # an army's attack
    state = c.a1_dict is not None or c.a1 is not None and (D.ent_type[c.a1] == "GPE"
                                                           or D.low[c.a1] in _STATE_FORCES)
    code = "195" if code == "183" and state else code  # "Sudan bombed a camp": from the air
    if code == "192" and c.a2 is not None and not (D.ent_type[c.a2] in ("GPE", "LOC", "FAC")
                                                    or D.low[c.a2] in _PLACE_NOUNS):
        code = "173"  # "police captured the man"
    k = C.kind(code)
    acled = C.acled_for(k.cameo, armed_target=armed2) or (None, None)
    for w in c.words:
        if w in C.ACLED_BY_TRIGGER and acled[0] not in (None, "Strategic developments"):
            acled = C.ACLED_BY_TRIGGER[w]
    where: list[Any] = []
    if k.cameo is None and a2 and D.ent_type[c.a2] in ("GPE", "LOC"):
        where, a2 = [a2["text"]], None  # "a quake struck eastern Turkey": a place, not a victim
    quoted = s.quoted(i)
    conf = ((0.75 if c.weak else 0.85) if c.asserted else 0.55) * (0.7 if quoted else 1.0)
    conf *= 0.9 if c.words[-1] in C.AMBIGUOUS or k.key == "accident:explosion" else 1.0
    negated, hypo, reason = _flags(D, i, c.clause)
    return Event(
        start=s.a, end=s.b, text=s.text, trigger=D.word(i), trigger_start=D.idx[i],
        trigger_end=D.end[i], lemma=" ".join(c.words), cameo=k.cameo, label=k.label, root=k.root,
        quad_class=C.quad_class(k.cameo), acled=acled[0], acled_sub=acled[1], actor1=a1, actor2=a2,
        where=where, negated=negated, hypothetical=hypo, reason=reason,
        confidence=round(min(0.95, conf + (0.05 if a1 else 0.0)), 3), asserted=c.asserted,
        quoted=quoted, source=source,
        rank=5 if c.words[0] in C.HARM and not a1 else k.rank)  # "five were killed": of what?


def _family(e: Event) -> str:
    """What events merge under: the CAMEO root (18-20 as one), else the own label."""
    return "violence" if e.root in ("18", "19", "20") else e.root or e.label


def _merge(D: Parsed, found: list[tuple[Event, _Cand, _Sent]], source: str) -> list[Event]:
    """One event per sentence and family; the best keeps the others' triggers and fills gaps."""
    groups: dict[tuple[int, str, bool], list[tuple[Event, _Cand, _Sent]]] = {}
    for item in found:
        e = item[0]
        groups.setdefault((e.start, _family(e), e.negated or e.hypothetical), []).append(item)
    out = []
    for group in groups.values():
        asserted = any(e.asserted for e, _, _ in group)  # "five injured in a shooting": it happened
        group.sort(reverse=True, key=lambda x: (
            x[0].asserted or asserted and _family(x[0]) == "violence", x[0].rank,
            x[1].words[0] not in C.HARM, x[0].confidence, -x[0].trigger_start))
        best = group[0][0]
        best.asserted = best.asserted or asserted
        for e, c, s in group:  # where and when: from the best event's clause, else the others'
            skip = [(a["start"], a["end"]) for a in (best.actor1, best.actor2) if a and a["source"] == source]
            best.where = best.where or _where(D, c, s, skip)
            if best.when_text is None:
                best.when, best.when_text = _when(D, c, s)
            if e is not best:
                best.also.append(e.trigger)
                best.actor1, best.actor2 = best.actor1 or e.actor1, best.actor2 or e.actor2
        out.append(best)
    accidents = {e.start: e for e in out if e.cameo is None}
    for e in [e for e in out if e.start in accidents and e.lemma.split()[0] in C.HARM and not e.actor1]:
        acc = accidents[e.start]  # "a quake hit the town, killing five": the quake's victims
        acc.also.append(e.trigger)
        acc.actor2 = acc.actor2 or e.actor2
        out.remove(e)
    return sorted(out, key=lambda e: e.trigger_start)


def _scan(D: Parsed, source: str, places, timexes, armed: bool = False) -> list[Event]:
    """The events of one text: triggers found by their surface form, then read off the parse."""
    starts = [a for a, _ in D.sents]
    chars = [D.idx[a] for a in starts]
    hits: dict[int, list[int]] = {}
    for i in np.flatnonzero(np.isin(D.lowh, _TRIGGER_H)).tolist():
        hits.setdefault(bisect_right(starts, i) - 1, []).append(i)
    by_sent: list[dict[int, list]] = [{}, {}, {}]
    for k, items in enumerate((places, timexes)):
        for x in items or ():
            by_sent[k].setdefault(bisect_right(chars, x.start) - 1, []).append(x)
    for e in D.ents if places is None or timexes is None else ():
        by_sent[2].setdefault(bisect_right(starts, e.start) - 1, []).append(
            (e.start_char, e.end_char, e.label, D.root_of(e.start_char, e.end_char)))
    quotes = _quotes(D)
    found: list[tuple[Event, _Cand, _Sent]] = []
    for n, toks in hits.items():
        s = _Sent(D, n, source == "title", None if places is None else by_sent[0].get(n, []),
                  None if timexes is None else by_sent[1].get(n, []), by_sent[2].get(n, []), quotes, armed)
        used: set[int] = set()
        cands = [c for c in (_verb_cand(D, i, s, used) for i in toks) if c is not None]
        cands += [c for c in (_noun_cand(D, i, s) for i in toks if i not in used) if c is not None]
        if len(cands) > 1:
            cands = [c for c in cands if c.words[0] != "say"]
        found += [(_event(D, c, s, source), c, s) for c in cands]
    return _merge(D, found, source)


def _names(a: dict | None, D: Parsed | None) -> int:
    """How many named entities an actor phrase holds."""
    if not a or D is None:
        return 0
    return sum(D.iob[t] == 3 for t in range(bisect_left(D.idx, a["start"]), bisect_left(D.idx, a["end"])))


def find_events(doc, *, title_doc=None, places=None, timexes=None) -> list[Event]:
    """Every event the article reports, in text order, the main one marked ``role="main"``."""
    D, T = Parsed.of(doc), Parsed.of(title_doc) if title_doc is not None else None
    body = _scan(D, "body", places, timexes)
    armed = int(np.isin(D.lowh, _ARMED_A).sum()) >= 3  # a headline's "drills" are military
    heads = _scan(T, "title", None, None, armed) if T is not None else []
    ok = [e for e in body if not (e.negated or e.hypothetical or e.quoted)]
    lead = [(a, b) for a, b in D.sents[:8] if sum(not D.punct[t] for t in range(a, b)) >= 4][:3]
    lead_end = D.end[lead[-1][1] - 1] if lead else 0
    main = None
    tops = [e for e in heads if not (e.negated or e.hypothetical)]
    if tops:
        top = max(tops, key=lambda e: (e.asserted, e.rank * e.confidence, -e.trigger_start))
        fam = [e for e in ok if _family(e) == _family(top)]
        main = next((e for e in fam if e.start < lead_end), fam[0] if fam else None)
        if main is None:
            main = top
            body.append(top)
        for f in ("actor1", "actor2"):
            if main is not top and _names(getattr(top, f), T) > _names(getattr(main, f), D):
                setattr(main, f, getattr(top, f))
    if main is None:
        first = [e for e in ok if e.start < lead_end] or ok
        main = max(first, default=None, key=lambda e: (e.asserted, e.rank * e.confidence, -e.trigger_start))
    if main is not None:
        main.role = "main"
        if not main.where and places:
            main.where = [_place(p, **{"from": "article"}) for p in places
                          if p.role == "event" and p.via != "demonym"]
    return sorted(body, key=lambda e: (e.source != "title", e.trigger_start))


def main_event(events: list[Event]) -> Event | None:
    """The event :func:`find_events` marked main, or None."""
    return next((e for e in events if e.role == "main"), None)
