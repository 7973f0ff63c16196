"""Casualty mentions: people killed, injured or shot, read from the dependency parse.

Stage ``quantities.v3`` (the casualty kind of :mod:`crosswire.extract.quantities.find`, whose docstring
says what is read, and whose :func:`~crosswire.extract.quantities.find.event_figures` picks the event's
killed and injured figures from these mentions in the title and lead).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from crosswire.extract.quantities.numbers import NumberPhrase
from crosswire.extract.quantities.base import (
    _PERSON_PRONOUNS, _age_of, _View, _interval, _is_person_singular, _person_word, _qual,
    _qualifier, _reject_reason,
)

_NON_PERSON_THINGS = {"shot", "round", "bullet", "time", "dog", "cat", "horse", "deer", "car",
                      "vehicle", "window", "house", "home"}

_KILL_VERBS = {"kill", "murder", "slay", "execute", "assassinate", "gun"}
_DIE_VERBS = {"die", "perish", "succumb"}

_WOUND_VERBS = {"wound", "injure", "hurt", "maim", "graze", "hospitalize", "hospitalise"}
_FATAL_ADVS = {"fatally", "mortally"}
_HYPOTHETICAL = {"could", "would", "might", "may", "should", "must"}
_INTENT_HEADS = {"threaten", "try", "attempt", "plan", "want", "intend", "vow", "seek", "mean"}
_CAS_WORDS = {"killed": "killed", "dead": "killed", "died": "killed", "slain": "killed",
              "injured": "injured", "wounded": "injured", "hurt": "injured", "shot": "shot",
              "hospitalized": "injured"}
_BE_WORDS = {"was", "were", "is", "are", "been", "have", "has", "had", "being", "be", "reported",
             "later", "also", "all", "both", "each", "critically", "seriously", "fatally"}

# ---------------------------------------------------------------- casualties
@dataclass
class _Cas:
    """A casualty mention before it becomes a Quantity (token span, patient token)."""

    a: int
    b: int
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    casualty: str
    cue: str | None
    thing: str | None
    modifiers: list[str]
    conf: float
    phrases: list[NumberPhrase]
    patient: int = -1


class _Count(NamedTuple):
    """How many people a patient phrase stands for, and where the phrase is."""

    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    a: int                      # first token
    b: int                      # end token
    thing: str | None
    modifiers: list[str]
    phrases: list[NumberPhrase]


def _members(t) -> list:
    """``t`` and the people listed with it: conjuncts, and an enumerating apposition ("a mother,
    father, and toddler")."""
    if any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in t.children):
        return [t]  # "the child or someone": one of them
    out = [t] + [c for c in t.conjuncts if c.i > t.i and not any(
        g.lower_ in ("unharmed", "uninjured", "unhurt") for g in c.children)]
    for c in t.children:
        if c.dep_ == "appos" and c.i > t.i and c.tag_ == "NN" and \
                _person_word(c.lemma_) and any(g.dep_ == "conj" for g in c.children):
            out += [c] + [g for g in c.conjuncts if g.i > c.i]
    return out


def _fate_word(t) -> bool:
    """Token ``t`` says what befell people: "dead", "injured", "killed", "wounding"..."""
    return t.lower_ in _CAS_WORDS or t.lower_ in _LEFT_STATES or t.pos_ in ("VERB", "ADJ") and (
        t.lemma_.lower() in _KILL_VERBS | _DIE_VERBS | _WOUND_VERBS)


def _same_fate(D: _View, members: list, trigger: int | None) -> list:
    """The listed people the trigger at ``trigger`` tells of: a list with another fate word
    inside it ("two workers dead and seven injured") is cut at the fate words, and the trigger
    keeps its own part (the people before it, or after it when it comes first: "killing two
    and injuring three")."""
    if trigger is None or len(members) < 2:
        return members
    lo, hi = min(m.i for m in members), max(m.i for m in members)
    cuts = [k for k in range(lo + 1, hi) if k == trigger or _fate_word(D.toks[k])]
    if not cuts:
        return members
    cuts.append(trigger)
    if trigger < lo:  # the trigger before its people: up to the next fate word
        end = min(k for k in cuts if k > trigger) if any(k > trigger for k in cuts) else D.n
        return [m for m in members if trigger < m.i < end] or members
    start = max((k for k in cuts if k < trigger), default=-1)  # the people before it
    return [m for m in members if start < m.i < trigger] or members


def _count_np(D: _View, heads: list, trigger: int | None = None) -> _Count | None:
    """How many people the patient tokens ``heads`` (and the people listed with them) stand for:
    None when one of them is unknown. A plural noun without a number takes the count of its
    apposition: "the victims, a man and a woman". People listed with another fate than the
    trigger's (at token ``trigger``) are not counted: see :func:`_same_fate`."""
    members = []
    for h in heads:
        members += [m for m in _members(h) if m not in members and not (
            m is not h and D.ph_at.get(m.i) is not None and _age_of(D, D.ph_at[m.i]))]
    members = _same_fate(D, sorted(members, key=lambda m: m.i), trigger)
    got = [_count_one(D, m) for m in members]
    if len(heads) == 1 and got[0] is None:
        for c in heads[0].children:
            if c.dep_ == "appos" and c.i > heads[0].i:
                return _count_np(D, [c], trigger)
    if any(g is None for g in got):
        return None
    if len(got) == 1:
        return got[0]
    value = sum(g.value if g.value is not None else (g.low or 0.0) for g in got)
    high = None if any(g.high is None for g in got) else sum(g.high for g in got)
    things = {g.thing for g in got if g.thing}
    return _Count(value, sum(g.low or 0.0 for g in got), high,
                  "at_least" if any(g.qualifier for g in got) else None,
                  min(g.a for g in got), max(g.b for g in got),
                  things.pop() if len(things) == 1 else ("people" if things else None),
                  [m for g in got for m in g.modifiers], [p for g in got for p in g.phrases])


def _count_one(D: _View, t) -> _Count | None:
    """How many people token ``t`` stands for: its number, 0 for "no one", 1 for a person."""
    lemma = t.lemma_.lower()
    lw = t.lower_
    ph = D.ph_at.get(t.i)
    if lw == "one" and D.w(t.i - 1) == "no":
        ph = None
    if ph is not None and D.w(ph.start - 1) == "of" and _person_word(D.w(ph.start - 2)):
        return None  # "father of 4"
    if ph is not None:  # the number itself heads the phrase: "five were wounded"
        q, qa = _qualifier(D, ph.start)
        lo, hi = _interval(ph.value, ph.low, ph.high, _qual(ph, q))
        thing = None
        end = ph.end
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN"):
                        thing = g.lemma_.lower()
                        end = max(end, g.i + 1)
        if _reject_reason(D, ph) or _age_of(D, ph):
            return None
        return _Count(ph.value, lo, hi, _qual(ph, q), qa, end, thing, [], [ph])
    if lw in ("nobody", "none", "noone") or (lw == "one" and D.w(t.i - 1) == "no") or any(
            c.dep_ == "det" and c.lower_ == "no" for c in t.children):
        a = t.i - 1 if lw == "one" else t.i
        for c in t.children:
            if c.dep_ == "det":
                a = min(a, c.i)
        return _Count(0.0, 0.0, 0.0, None, a, t.i + 1,
                      None if lw in ("nobody", "none", "one") else lemma, [], [])
    if lemma in _NON_PERSON_THINGS:
        return None
    nums = [c for c in t.children if c.dep_ in ("nummod", "quantmod") and D.ph_at.get(c.i)]
    if nums:
        ph = D.ph_at[nums[0].i]
        if _reject_reason(D, ph) or _age_of(D, ph):
            nums = []
        else:
            q, qa = _qualifier(D, ph.start)
            lo, hi = _interval(ph.value, ph.low, ph.high, _qual(ph, q))
            mods = [c.text for c in t.children if c.dep_ == "amod" and c.i > ph.end - 1
                    and c.i < t.i and c.lower_ not in ("old",)]
            return _Count(ph.value, lo, hi, _qual(ph, q), qa, t.i + 1, lemma, mods, [ph])
    if lemma in ("family", "couple"):
        n = 2.0 if lemma == "couple" else None
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if D.ph_at.get(g.i) and D.ph_at[g.i].value:
                        n = D.ph_at[g.i].value
                        return _Count(n, n, n, None, t.left_edge.i, g.i + 1, lemma, [],
                                      [D.ph_at[g.i]])
        if n is not None:
            return _Count(n, n, n, None, t.left_edge.i, t.i + 1, lemma, [], [])
        return None
    dets = {c.lower_ for c in t.children if c.dep_ in ("det", "predet")}
    if "both" in dets or lw == "both":
        return _Count(2.0, 2.0, 2.0, None, min([t.i] + [c.i for c in t.children if c.dep_ in (
            "det", "predet")]), t.i + 1, None if lw == "both" else lemma, [], [])
    if _is_person_singular(t) and not (dets & {"every", "each", "any", "all"}):
        a = t.left_edge.i if t.left_edge.i >= t.i - 6 else t.i
        person = lw in _PERSON_PRONOUNS or lw == "old" or t.ent_type_ == "PERSON"
        return _Count(1.0, 1.0, 1.0, None, a, t.i + 1, "person" if person else lemma, [], [])
    if t.tag_ in ("NNS", "NNPS") and _person_word(lemma):
        ages = _ages_listed(D, t.i)
        if ages is not None:
            n, end = ages
            a = t.left_edge.i if t.left_edge.i >= t.i - 3 else t.i
            return _Count(float(n), float(n), float(n), None, a, end, lemma, [], [])
    return None


_AGES = {"ages", "aged"}


def _ages_listed(D: _View, i: int) -> tuple[int, int] | None:
    """News counts people by listing their ages after a plural noun: "his sons, ages 3 and 4"
    are two, "three children, aged 2, 5 and 7" three; (how many, the end token), or None."""
    k = i + 1
    if k < D.n and D.lower[k] == ",":
        k += 1
    if k >= D.n or D.lower[k] not in _AGES:
        return None
    k += 1
    n = 0
    while k < D.n:
        if D.toks[k].like_num:
            n += 1
        elif D.lower[k] not in (",", "and"):
            break
        k += 1
    while k > i and D.lower[k - 1] in (",", "and"):
        k -= 1
    return (n, k) if n >= 2 else None


# What kills without being a shooter: "a shooting that killed a child", "crash kills 2"
_CAUSE_NOUNS = {"shooting", "gunfire", "gunshot", "bullet", "crash", "blast", "explosion", "fire", "attack",
                "incident", "accident", "violence", "rampage", "round", "shot"}


def _cause_start(v, a: int) -> int:
    """Where a killing's span opens: at its subject when that is what killed and no shooter
    ("shooting kills 2", "a shooting that killed a child"), so that the span does not read as
    someone killing others; else ``a``."""
    if v.pos_ != "VERB":
        return a
    subjects = _subjects(v) + [c for c in v.children if c.dep_ == "csubj"]  # "Shooting kills 2"
    causes = [c for c in subjects if c is not None and c.i < a and a - c.i <= 6
              and (c.lower_ in _CAUSE_NOUNS or c.lemma_.lower() in _CAUSE_NOUNS)]
    return causes[0].i if causes else a


def _definite(t) -> bool:
    """A noun phrase that points back ("the injured girl", "the child injured"), not "a man"."""
    return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that") for c in t.children)


def _subjects(v) -> list:
    """The subjects of verb ``v``, or of the verb it is conjoined to ("was shot and killed")."""
    seen = 0
    while v is not None and seen < 4:
        subj = [c for c in v.children if c.dep_ in ("nsubjpass", "nsubj")]
        if subj:
            return [_antecedent(c) for c in subj]
        if v.dep_ == "conj" or v.dep_ == "xcomp":
            v = v.head
            seen += 1
            continue
        if v.dep_ in ("relcl", "acl") and v.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
            return [v.head]
        return []
    return []


def _antecedent(s):
    """A relative pronoun subject stands for the noun the clause attaches to."""
    if s is not None and s.lower_ in ("who", "that", "whom") and s.head.dep_ == "relcl":
        return s.head.head
    return s


def _hypothetical(v) -> bool:
    """"could have killed", "tried to kill", "threatened to shoot": no one was."""
    for c in v.children:
        if c.dep_ in ("aux", "auxpass") and (c.lower_ in _HYPOTHETICAL or c.lower_ == "to"):
            return True
    return v.dep_ in ("xcomp",) and v.head.lemma_ in _INTENT_HEADS


def _fatal(v) -> bool:
    """``v`` (shoot/wound) is marked fatal: "fatally", "shot dead", "shot to death"."""
    for c in v.children:
        if c.lower_ in _FATAL_ADVS or (c.lower_ == "dead" and c.dep_ in (
                "oprd", "acomp", "xcomp", "advmod", "dobj", "ccomp", "amod")):
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children):
            return True
    return False


def _conj_verbs(v) -> list:
    """Verbs conjoined with ``v`` either way ("shot and killed", "was shot and later died")."""
    out = [c for c in v.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
        out.append(v.head)
    return out


def _group(cands: list) -> list[list]:
    """Patient candidates grouped: siblings with one dependency label are a list ("a man, two
    women and a child were killed" parsed as two subjects); each alone after the group."""
    if len(cands) <= 1:
        return [cands] if cands else []
    # "shooting her older brother" parsed with "her" as a second object: a possessive
    cands = [c for c in cands if not (c.lower_ in ("her", "his", "their") and any(
        o.i > c.i and o.dep_ == c.dep_ and o.i - c.i <= 3 for o in cands))]
    if len(cands) == 1:
        return [cands]
    by: dict[str, list] = {}
    for c in cands:
        by.setdefault(c.dep_, []).append(c)
    out = [g for g in by.values() if len(g) > 1]
    return out + [[c] for c in cands]


def _headline_patient(D: _View, t) -> list:
    """A headline's subject left of a bare participle: "Boy, 3, killed by father"."""
    k = t.i - 1
    sent_start = t.sent.start
    while k >= sent_start and (D.lower[k] in (",", "-", "—", "–") or D.ph_at.get(k)):
        k -= 1
    if k >= sent_start and k >= t.i - 5 and _person_word(D.lower[k]):
        return [D.toks[k]]
    return []


def _title_patient(D: _View, t) -> list:
    """A headline in title case parsed wrongly: "Victim In Boyle Co. Accidental Shooting Dies"
    (the nearest person noun to the left, in a first line without final punctuation)."""
    sent = t.sent
    if sent.start != 0 or sent[-1].text in (".", "!", "?"):
        return []
    for k in range(t.i - 1, max(sent.start, t.i - 9) - 1, -1):
        if _person_word(D.lower[k]) and D.toks[k].pos_ in ("NOUN", "PROPN"):
            return [D.toks[k]]
    return []


_MULTIPLES = {"double": 2, "triple": 3, "quadruple": 4, "quintuple": 5}
_LEFT_STATES = {"dead": "killed", "deceased": "killed", "injured": "injured",
                "wounded": "injured", "hurt": "injured", "paralyzed": "injured",
                "paralysed": "injured"}
_HOSPITAL_VERBS = {"send", "put", "take", "rush", "transport", "airlift", "fly", "hospitalize",
                   "hospitalise", "transfer"}
_SELF = {"himself", "herself", "themselves", "self"}
_ALIVE_VERBS = {"remain", "recover", "stay"}  # in the present: still alive



def _trigger(D: _View, t) -> tuple[str, str, list] | None:
    """(kind, cue, patient candidates) when token ``t`` tells of people killed, injured or shot;
    kind is "killed", "injured", "shot" (fate not said) or "zero-killed"/"zero-injured"."""
    i, P = t.i, D.P  # read from the shared lists: this runs for every token
    lemma, lw, pos = P.lemma_lower(i), P.low[i], P.pos[i]
    if pos == "VERB" and lemma == "pass" and any(c.lower_ == "away" and c.dep_ in ("prt", "advmod")
                                                 for c in t.children):
        lemma = "die"  # "the man later passed away"
    if pos in ("VERB", "AUX") and (lemma in _KILL_VERBS or lemma in _WOUND_VERBS or
                                   lemma == "shoot" or lemma in _DIE_VERBS):
        if lemma == "gun" and not any(c.lower_ == "down" for c in t.children):
            return None
        if _hypothetical(t):
            return None
        if lemma == "shoot" and any(c.dep_ == "prep" and c.lower_ == "at" and c.i == t.i + 1
                                    for c in t.children) and not any(
                c.dep_ in ("nsubjpass", "dobj") for c in t.children):
            return None  # "shot at a car": no one hit ("was shot ... at a home" is a hit)
        conj = _conj_verbs(t)
        if lemma in _KILL_VERBS or lemma in _DIE_VERBS:
            kind = "killed"
        elif lemma in _WOUND_VERBS:
            kind = "killed" if _fatal(t) else "injured"
        else:
            if any(c.lemma_ in _KILL_VERBS | _DIE_VERBS | _WOUND_VERBS or _fatal(c)
                   for c in conj):
                return None  # "shot and killed": the other verb carries it
            kind = "killed" if _fatal(t) else "shot"
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children) or (
            t.tag_ == "VBN" and t.dep_ in ("acl", "amod", "xcomp", "conj", "relcl", "oprd",
                                           "ccomp", "advcl"))
        if lemma in _DIE_VERBS:
            pats = _subjects(t) or _title_patient(D, t)
        elif passive:
            if t.dep_ in ("acl", "amod") and t.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON", "ADJ"):
                pats = [t.head]
            elif t.dep_ in ("oprd", "ccomp", "xcomp") and t.head.lemma_ == "leave":
                pats = [c for c in t.head.children if c.dep_ == "dobj"]  # "left a man injured"
            else:
                pats = _subjects(t)
                if pats and all(c.dep_ == "nsubj" for c in pats) and t.tag_ == "VBN" and \
                        t.dep_ in ("conj", "advcl"):
                    pats = [c for c in t.children if c.dep_ == "dobj"] or pats
        else:
            pats = [c for c in t.children if c.dep_ == "dobj"]
            if not pats and t.tag_ in ("VBN", "VBD"):
                # headlines: "4 wounded when ...": a number as subject, nothing as object
                pats = [c for c in t.children if c.dep_ == "nsubj" and (
                    D.ph_at.get(c.i) or any(g.dep_ == "nummod" for g in c.children))]
        if not pats and t.tag_ == "VBN":
            pats = _headline_patient(D, t)
        if any(c.dep_ == "neg" for c in t.children):
            return ("zero-killed" if kind == "killed" else "zero-injured"), lw, pats
        return kind, lw, pats
    if lw in _LEFT_STATES and (pos == "ADJ" or lw in ("dead", "deceased") and t.dep_ in (
            "oprd", "acomp", "xcomp", "ROOT", "amod", "dobj", "conj", "advmod")):
        kind = _LEFT_STATES[lw]
        v = t.head
        if t.dep_ == "amod" and v.pos_ in ("NOUN", "PROPN"):
            return kind, lw, [v]
        if v.lemma_ in ("shoot",) or v.lemma_ in _WOUND_VERBS or v.lemma_ in _KILL_VERBS:
            return None  # "shot dead": the verb carries it
        if t.dep_ == "dobj" and v.lemma_ == "leave":
            # "left a six-year-old dead" parsed with "dead" as the object
            for k in range(t.i - 1, v.i, -1):
                if _count_one(D, D.toks[k]) is not None:
                    return kind, lw, [D.toks[k]]
            return None
        if t.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "advmod", "conj", "dobj"):
            objs = [c for c in v.children if c.dep_ == "dobj" and c is not t]
            return kind, lw, objs or _subjects(v)
        if t.dep_ == "ROOT":
            return kind, lw, [c for c in t.children if c.dep_ in ("nsubj", "meta", "npadvmod")
                              and c.i < t.i]
        return None
    if pos == "NOUN" and lemma in ("death", "fatality", "injury", "wound", "casualty"):
        dets = [c for c in t.children if c.dep_ == "det" and c.lower_ == "no"]
        if dets:
            return ("zero-killed" if lemma in ("death", "fatality") else "zero-injured"), lw, []
        if lemma == "casualty":
            return None
        if lemma in ("death", "fatality"):
            nums = [c for c in t.children if c.dep_ == "nummod" and D.ph_at.get(c.i)]
            if nums:
                return "killed", lw, nums
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    return "killed", lw, [g for g in c.children if g.dep_ == "pobj"]
            poss = [c for c in t.children if c.dep_ == "poss" and (
                c.lower_ in ("his", "her") or c.tag_ == "NNP")]
            if not poss and lemma == "death" and any(
                    c.lower_ in ("shooting", "accidental", "gunshot") for c in t.children):
                return "killed", "shooting death", [("atleast", 1, t)]  # "the shooting death"
            return "killed", lw, poss
        # injuries and wounds: who suffered them
        fatal = any(c.lower_ in ("fatal", "mortal") for c in t.children)
        shot = any(c.lower_ in ("gunshot", "bullet", "gun") for c in t.children)
        kind = "killed" if fatal else ("shot" if shot else "injured")
        h = t.head
        if t.dep_ == "pobj" and h.lower_ == "with" and h.head.pos_ in ("NOUN", "PROPN"):
            return kind, "wound", [h.head]  # "two men with gunshot wounds"
        if t.dep_ == "pobj" and h.dep_ == "prep":
            h = h.head
        if t.dep_ in ("dobj", "pobj") and h.lemma_ in ("suffer", "sustain", "receive"):
            return kind, "wound", _subjects(h)
        return None
    if pos == "NOUN" and lemma in ("killing", "slaying", "murder", "homicide") and not any(
            c.lower_ in _MULTIPLES for c in t.children):
        for c in t.children:  # "the killing of a 15-year-old boy", "the slaying of Josue Guzman"
            if c.dep_ == "prep" and c.lower_ == "of":
                pats = [g for g in c.children if g.dep_ == "pobj"]
                if pats:
                    return "killed", lw, pats
    if pos == "NOUN" and lemma in ("shooting", "homicide", "murder", "victim", "body"):
        mult = [_MULTIPLES[c.lower_] for c in t.children if c.lower_ in _MULTIPLES]
        if lemma in ("homicide", "murder") and mult:
            return "killed", lw, [("n", mult[0], t)]
        if lemma == "shooting":
            if mult:
                return "shot", lw, [("n", mult[0], t)]
            fatal = any(c.lower_ in ("fatal", "deadly") for c in t.children)
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    pats = [g for g in c.children if g.dep_ == "pobj"]
                    return ("killed" if fatal else "shot"), lw, pats
            if fatal:
                return "killed", "fatal shooting", [("atleast", 1, t)]  # someone died
            return None
        if lemma in ("victim", "body") and any(c.dep_ in ("nummod", "det", "predet") and (
                D.ph_at.get(c.i) or c.lower_ == "both") for c in t.children):
            return ("killed" if lemma == "body" else "shot"), lw, [t]
        return None
    if lemma == "toll" and any(c.lower_ == "death" for c in t.children):
        for k in range(t.i + 1, min(t.i + 7, D.n)):
            if D.ph_at.get(k) and not D.ph_at[k].vague:
                return "killed", "toll", [D.toks[k]]
        return None
    if lemma in ("claim", "take") and pos == "VERB":
        for c in t.children:
            if c.dep_ == "dobj" and c.lemma_ in ("life", "lives"):
                own = any(g.lower_ == "own" for g in c.children)
                if lemma == "take" and not own:
                    return None
                if own:
                    return "killed", "own life", [("self", 1, c)]
                nums = [g for g in c.children if g.dep_ == "nummod" and D.ph_at.get(g.i)]
                if nums:
                    return "killed", "lives", nums
                for g in c.children:
                    if g.dep_ == "prep" and g.lower_ == "of":
                        return "killed", "lives", [x for x in g.children if x.dep_ == "pobj"]
                return "killed", "life", [("n", 1, c)]
        return None
    if lemma == "commit" and any(c.dep_ == "dobj" and c.lower_ == "suicide" for c in t.children):
        return "killed", "suicide", [("self", 1, t)]
    if lemma == "suicide" and pos == "NOUN" and "murder" in (D.w(t.i - 2), D.w(t.i - 1)):
        mult = [_MULTIPLES[c.lower_] for c in t.subtree if c.lower_ in _MULTIPLES]
        return "killed", "murder-suicide", [("atleast", (mult[0] if mult else 1) + 1, t)]
    if lemma in _HOSPITAL_VERBS and pos == "VERB":
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "in", "into") and any(
                    g.lemma_.lower() == "hospital" for g in c.children):
                passive = any(x.dep_ in ("auxpass", "nsubjpass") for x in t.children)
                pats = _subjects(t) if passive else [x for x in t.children if x.dep_ == "dobj"]
                return "shot", "hospital", pats
        return None
    if lemma in _ALIVE_VERBS and pos in ("VERB", "AUX") and t.tag_ in ("VBZ", "VBP", "VBG") and any(
            c.dep_ == "prep" and c.lower_ in ("in", "at") and any(
                g.lemma_.lower() in ("hospital", "condition") for g in c.children)
            for c in t.children):
        # "her mother remains in the hospital", "is recovering at a hospital": alive, and hurt
        return "injured", "in hospital", _subjects(t)
    return None


_CHAIN_WORDS = _BE_WORDS | {"found", "now", "reportedly", "allegedly", "apparently", "were",
                            "accidentally", "killed", "shot", "and"}


def _list_before(D: _View, k: int) -> tuple[float, int] | None:
    """People listed before token ``k`` ("3 adults, 1 child [found shot]", "Wallkill man, two
    children [dead]"): (how many, first token) when two or more items are listed."""
    lo = D.toks[k].sent.start
    j = k - 1
    while j >= lo and D.lower[j] in _CHAIN_WORDS - {"and"}:
        j -= 1
    items: list[float] = []
    start = j + 1
    while j >= lo and _person_word(D.lower[j]):
        plural = D.tag[j] in ("NNS", "NNPS")
        j -= 1
        n = None
        while j >= lo:
            ph = D.ph_at.get(j)
            if ph is not None:
                if _age_of(D, ph) is None and ph.value:
                    n = ph.value
                    j = ph.start - 1
                    break
                j = ph.start - 1
                continue
            if D.toks[j].pos_ in ("ADJ", "PROPN", "DET") or D.lower[j] in ("-", "'s", "year",
                                                                          "old") or (
                    D.toks[j].pos_ == "NOUN" and not _person_word(D.lower[j])) or \
                    D.toks[j].tag_ == "PRP$":
                j -= 1
                continue
            break
        if n is None:
            if plural:
                return None
            n = 1.0
        items.append(n)
        start = j + 1
        if j >= lo and D.lower[j] in (",", "and", "&"):
            j -= 1
            if j >= lo and D.lower[j] == ",":
                j -= 1
            continue
        break
    if len(items) < 2:
        return None
    return sum(items), start


_ALONG = {"along", "together"}


def _companions(D: _View, t) -> list:
    """The people an "along with" / "together with" phrase on verb or adjective ``t`` (or the
    verb it completes: "are dead along with") joins to its patients: "Two boys are dead along
    with their father" -> [father]."""
    heads = [t] + ([t.head] if t.dep_ in ("acomp", "oprd", "xcomp", "advcl", "conj") else [])
    out = []
    for v in heads:
        for c in v.children:
            withs = []
            if c.lower_ in _ALONG:
                withs = [w for w in c.children if w.lower_ == "with"]
            elif c.lower_ == "with" and c.i > 0 and D.lower[c.i - 1] in _ALONG:
                withs = [c]
            for w in withs:
                out += [g for g in w.children if g.dep_ == "pobj"]
    return out


def _along_with(D: _View, t, got: _Count) -> _Count:
    """News adds people to a fate with "along with": the people of the phrase share the
    patients' fate and count with them ("Two boys are dead along with their father": 3)."""
    if got.value is None:
        return got
    more = _companions(D, t)
    if not more:
        return got
    extra = _count_np(D, more)
    if extra is None or extra.value is None or not extra.value:
        return got
    high = got.high + (extra.high if extra.high is not None else extra.value) if got.high is not None else None
    return got._replace(value=got.value + extra.value, low=(got.low or 0.0) + (extra.low or extra.value),
                        high=high, b=max(got.b, extra.b), phrases=got.phrases + extra.phrases)


def _casualties(D: _View) -> list[_Cas]:
    out: list[_Cas] = []
    for t in D.toks:
        trig = _trigger(D, t)
        if trig is None:
            continue
        kind, cue, pats = trig
        if kind.startswith("zero-"):
            a = min([t.i] + [p.i for p in pats if isinstance(p, type(t))])
            a = min([a] + [c.i for c in t.children if c.dep_ == "det"])
            out.append(_Cas(a, t.i + 1, 0.0, 0.0, 0.0, None, kind[5:], cue, None, [], 0.6, []))
            continue
        if not pats:
            continue
        if isinstance(pats[0], tuple):  # a count the trigger carries itself
            how, n, tok = pats[0]
            a, b = min(tok.left_edge.i, t.i), max(tok.i, t.i) + 1
            if b - a > 10:
                a, b = min(tok.i, t.i), max(tok.i, t.i) + 1
            if kind == "killed":
                a = _cause_start(t, a)
            out.append(_Cas(a, b, float(n), float(n), None if how == "atleast" else float(n),
                            "at_least" if how == "atleast" else None,
                            "injured" if kind == "shot" else kind,
                            "shot" if kind == "shot" else cue,
                            "self" if how == "self" else None, [], 0.55, []))
            continue
        got = None
        for grp in _group(pats):
            got = _count_np(D, grp, t.i)
            if got is not None:
                p = grp[0]
                break
        if kind in ("killed", "injured", "shot") and t.pos_ in ("VERB", "ADJ"):
            listed = _list_before(D, t.i)
            if listed is not None and (got is None or got.value is not None and
                                       listed[0] > got.value):
                got = _Count(listed[0], listed[0], listed[0], None, listed[1], t.i + 1, "people",
                             [], [D.ph_at[k] for k in range(listed[1], t.i) if k in D.ph_at])
                p = D.toks[t.i - 1]
        if got is None:
            continue
        got = _along_with(D, t, got)
        value, low, high, qual, a, b, thing, mods, phrases = got
        lo_i, hi_i = min(a, t.i), max(b, t.i + 1)
        if any(D.toks[k].is_space and "\n" in D.toks[k].text for k in range(lo_i, hi_i)):
            continue  # a title line's number and the next paragraph's verb
        if p.lower_ in _SELF:
            thing = "self"
        conf = 0.85 if phrases else 0.65
        if p.lower_ in _PERSON_PRONOUNS:
            conf = 0.5
        if kind == "shot":
            conf -= 0.15
        a, b = min(a, t.i), max(b, t.i + 1)
        if b - a > 25:  # far apart: the span is the patient only
            a, b = got.a, got.b
        if kind == "shot":
            # "two people were shot, one fatally": split into killed and survived
            fat = None
            for c in t.children:
                ph = D.ph_at.get(c.i)
                if ph is not None and c is not p and any(
                        g.lower_ in _FATAL_ADVS for g in c.subtree):
                    fat = (c, ph)
            if fat is not None and value is not None and fat[1].value is not None and \
                    fat[1].value < value:
                c, ph = fat
                e = max(g.i for g in c.subtree if g.lower_ in _FATAL_ADVS) + 1
                out.append(_Cas(ph.start, e, ph.value, ph.value, ph.value, None, "killed",
                                "fatally", thing, [], conf, [ph]))
                rest = value - ph.value
                out.append(_Cas(a, b, rest, rest, rest, None, "injured", "survived", thing,
                                mods, conf, phrases))
                continue
        if kind == "shot" and any(c.lower_ == "also" and c.i < t.i for c in t.children):
            kind, cue = "injured", "also shot"  # "her father was also shot": someone else
        if kind == "killed":
            a = _cause_start(t, a)
        out.append(_Cas(a, b, value, low, high, qual, "injured" if kind == "shot" else kind,
                        "shot" if kind == "shot" else cue, thing, mods, conf, phrases, p.i))
    # "a boy who was critically wounded ... died": wounded then dead is not an injury
    dead = {c.patient for c in out if c.casualty == "killed" and c.patient >= 0}
    for c in out:
        if c.casualty == "injured" and c.cue != "survived" and (
                c.patient in dead or c.patient >= 0 and D.lower[c.patient] in _PERSON_PRONOUNS):
            c.cue = "shot"  # "he was wounded" may be the one who died: the fate is not said
        elif c.casualty == "injured" and c.cue not in ("survived", "also shot") and c.value == 1 and \
                c.patient >= 0 and _definite(D.toks[c.patient]) and \
                D.toks[c.patient].lemma_.lower() in {D.toks[k].lemma_.lower() for k in dead}:
            # "a girl was shot to death ... they found the injured girl": "the" points back to the
            # victim already told of, who died
            c.cue = "shot"

    return out


def _linear_casualties(D: _View, used: set[int]) -> list[_Cas]:
    """Numbers next to a casualty word the parse did not link: "1 dead, 2 hurt", "killing two"."""
    out: list[_Cas] = []
    for ph in D.phrases:
        if ph.start in used or ph.value is None and not ph.vague or D.w(ph.start - 1) == "no" \
                or D.w(ph.start - 1) == "of" and D.w(ph.start - 2) not in ("family", "total"):
            continue
        if _reject_reason(D, ph) or _age_of(D, ph):
            continue
        # NUMBER [people-noun] [was/were...] WORD
        j = ph.end
        thing = None
        if j < D.n and D.toks[j].pos_ == "NOUN" and _person_word(D.lower[j]):
            thing = D.toks[j].lemma_.lower()
            j += 1
        k = j
        while k < D.n and k < j + 3 and (D.lower[k] in _BE_WORDS or D.lower[k] == "found"):
            k += 1
        kind = _CAS_WORDS.get(D.w(k))
        a, b = ph.start, k + 1
        if kind is None or (kind == "shot" and k == j and thing is None and not (
                ph.value and ph.value > 1 and D.toks[k].text.lower() == "shot")):
            # TRIGGER [ADV] NUMBER: "killing two", "wounding three others"
            i = ph.start - 1
            if D.w(i) in ("critically", "seriously", "fatally"):
                i -= 1
            word = D.w(i)
            kind = {"killing": "killed", "killed": "killed", "wounding": "injured",
                    "wounded": "injured", "injuring": "injured", "injured": "injured"}.get(word)
            if kind is None:
                continue
            a, b = i, ph.end
            if b < D.n and D.toks[b].pos_ == "NOUN" and _person_word(D.lower[b]):
                thing = D.toks[b].lemma_.lower()
                b += 1
        if kind == "shot":
            kind, cue = "injured", "shot"
        else:
            cue = D.w(k) if a == ph.start else D.w(a)
        q, qa = _qualifier(D, ph.start)
        lo, hi = _interval(ph.value, ph.low, ph.high, _qual(ph, q))
        out.append(_Cas(min(a, qa), b, ph.value, lo, hi, _qual(ph, q),
                        kind, cue, thing, [], 0.7, [ph]))
    return out


_HEAD_STATES = {"killed": "killed", "dead": "killed", "slain": "killed", "dies": "killed",
                "wounded": "injured", "injured": "injured", "hurt": "injured"}


def _headline_people(D: _View, cas: list[_Cas]) -> list[_Cas]:
    """Headline pieces the parse did not link: "Teen killed, another wounded", "Man dead,
    woman hurt" (a person word or "another" right before the fate word, in a line without final
    punctuation): one person each."""
    covered = set()
    for c in cas:
        covered.update(range(c.a, c.b))
    out: list[_Cas] = []
    for k in range(1, D.n):
        kind = _HEAD_STATES.get(D.lower[k])
        if kind is None or k in covered or k - 1 in covered:
            continue
        sent = D.toks[k].sent
        if sent[-1].text in (".", "!", "?", '"', "”") or len(sent) > 20:
            continue  # a headline, not a sentence
        t = D.toks[k]
        if any(c.dep_ == "dobj" for c in t.children):
            continue  # "man killed his wife": the man is not the one killed
        p = D.toks[k - 1]
        single = p.lower_ == "another" or p.tag_ in ("NN", "NNP") and _person_word(p.lower_) and (
            k - 2 < sent.start or D.lower[k - 2] in (",", "-", ":", ";", "a", "an", "the") or
            D.toks[k - 2].pos_ == "ADJ")
        if not single:
            continue
        out.append(_Cas(k - 1, k + 1, 1.0, 1.0, 1.0, None, kind, D.lower[k],
                        "person" if p.lower_ == "another" else p.lemma_.lower(), [], 0.6, [],
                        k - 1))
    return out
