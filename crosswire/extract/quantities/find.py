"""Counts, casualty figures, distances, money and percentages in an article, each with its span.

Stage ``quantities.v3``. Input: a parsed spaCy ``Doc`` (tagger, parser and NER). Output: one
:class:`Quantity` per phrase, in text order; :func:`event_casualties` picks the event's killed and
injured figures from the casualty mentions of the title and lead.

Numbers are read by :mod:`crosswire.extract.quantities.numbers` (digits, words, vague amounts, ranges; its
docstring says how ambiguous European formats such as "2.000" and "1,5" are read). A qualifier
before the number sets the interval: "more than 100" -> low 100, no high; "about 120" -> +-10%;
"nearly 50" -> 45..50; "up to 30" / "fewer than 30" -> 0..30; "at least 3" -> 3, no high; "10 to
20" -> 10..20 ("range", no value); vague amounts keep their own bounds ("dozens" 24..99, no value).

Kinds, by priority: ``casualties`` (people killed or injured, from the dependency parse: "three
people were killed", "killing two", "left 4 dead", "a man was shot and killed", "two people were
shot, one fatally", "no one was hurt"; people named without a number count 1 each: "a man and a
woman were wounded" -> 2, but a list with another fate inside is cut there: "two workers dead and
seven injured" is 2 killed, 7 injured; headline pieces "Teen killed, another wounded" count one
each; "passed away" and "succumbed" are deaths; "shot" with no fate said counts as injured, ``cue``
"shot", and so does a pronoun wounded, "he was wounded", who may be the one who died, and someone
taken to hospital; someone who "remains in the hospital" or "is recovering" is alive and injured), ``age``


("a 23-year-old man", "John Smith, 45,"), ``money`` (a currency sign or word: "$1.5 billion",
"£20m", "5 million euros"), ``percent`` ("15%", "15 per cent"), ``distance`` (miles, km, metres,
feet, yards, nautical miles, converted to km; "5 km (3 miles)" is one distance; ``places`` is what
it is measured from, as written: "three miles from NATO territory" -> ["NATO territory"]; "miles
from the border" is a vague distance of 2 miles or more), ``count`` (a number and the noun it
counts: "more than 100 Chinese troops" -> thing "troop", modifiers ["Chinese"]).

Not quantities (appended to ``rejected`` with a reason when a list is given): numbers in dates
and times, years, addresses ("the 500 block of", "210 Main St."), identifiers after a name
("Highway 61", "Channel 12"), phone numbers, calibres ("9mm", ".40-caliber"), heights, scores,
durations ("three days": left to timex), "one of ..." and numbers counting no noun. Ordinals
("10th", "first") are never read as numbers.

Measured on the Gun Violence Corpus train+dev (436 articles, title + first 1,500 characters):
the event's killed figure matches the incident record in 83% of articles, injured in 81% (always
answering 1 killed, 0 injured scores 71% and 78%). Cost: about 1-2 ms per article beyond the parse
(3 s for a 2 MB document of dense figures).
"""

from __future__ import annotations

import re
from dataclasses import replace

from crosswire.extract.parsed import Parsed
from crosswire.extract.quantities.casualties import _casualties, _headline_people, _linear_casualties
from crosswire.extract.quantities.numbers import NumberPhrase
from crosswire.extract.quantities.base import (
    _CURRENCY_SIGNS, _CURRENCY_WORDS, _DIRECTIONS, _DIST_UNITS, _MONEY_SCALES, _PLACE_PREPS, _TIME_NOUNS,
    STAGE, Quantity, _age_of, _View, _interval, _qual, _qualifier, _reject_reason,
)

__all__ = ["STAGE", "Quantity", "find_quantities", "event_casualties", "event_figures", "LEAD_CHARS"]

# ---------------------------------------------------------------- other kinds
def _money(D: _View, ph: NumberPhrase, qa: int) -> tuple | None:
    """(unit, value multiplier, span start, span end) when ``ph`` is an amount of money."""
    a, b = qa, ph.end
    cur = None
    prev = D.w(ph.start - 1)
    if prev in _CURRENCY_SIGNS:
        cur = _CURRENCY_SIGNS[prev]
        a = min(a, ph.start - 1)
        if D.w(ph.start - 2) == "us" and cur == "USD":
            a -= 1
    scale = 1.0
    if ph.suffix:  # "£20m" (glued) or "£20 m": a scale only where money is meant
        last = D.lower[ph.end - 1]
        after = b if last != ph.suffix and last.endswith(ph.suffix) else b + 1
        if cur is None and D.w(after) not in _CURRENCY_WORDS:
            return None
        scale, b = _MONEY_SCALES.get(ph.suffix, 1.0), after
    nxt = D.w(b)
    if nxt in _CURRENCY_WORDS and (cur is None or nxt in ("dollars", "euros", "pounds")):
        if nxt in ("pound", "pounds") and not (ph.value and ph.value >= 1e5 or
                                                D.w(b + 1) == "sterling" or cur):
            return None  # "20 pounds of cocaine"
        cur = cur or _CURRENCY_WORDS[nxt]
        b += 1
    elif nxt.upper() in ("USD", "EUR", "GBP"):
        cur = nxt.upper()
        b += 1
    if cur is None:
        return None
    return cur, scale, a, b


def _distance(D: _View, ph: NumberPhrase) -> tuple | None:
    """(factor to km, end of the unit, places, end of span) when ``ph`` is a distance."""
    b = ph.end
    if ph.suffix == "m" and D.lower[ph.end - 1].endswith("m") and D.lower[ph.end - 1][:-1] \
            .replace(".", "").isdigit():
        unit_end, factor = b, 0.001
    else:
        j = b + 1 if D.w(b) == "-" else b
        w = D.w(j)
        if w == "nautical" and D.w(j + 1) in ("mile", "miles"):
            unit_end, factor = j + 2, 1.852
        elif w in _DIST_UNITS:
            if w in ("m", "nm", "mi", "ft", "yd") and D.toks[j].text[:1].isupper():
                return None
            unit_end, factor = j + 1, _DIST_UNITS[w]
        else:
            return None
    if D.w(ph.start - 1) in ("square", "sq", "cubic") or D.w(unit_end) in ("per", "an", "a") \
            and D.w(unit_end + 1) in ("hour", "second", "h"):
        return None
    end = unit_end
    # "5 km (3 miles)": one distance
    if D.w(end) == "(":
        k = end + 1
        while k < D.n and k < end + 7 and D.lower[k] != ")":
            k += 1
        if D.w(k) == ")" and any(D.ph_at.get(m) for m in range(end + 1, k)):
            end = k + 1
    places = []
    k = end
    while k < D.n and k < end + 4 and (D.lower[k] in _DIRECTIONS or D.lower[k] == ","
                                         and D.w(k + 1) in _DIRECTIONS):
        k += 1
    if k < D.n and D.lower[k] in _PLACE_PREPS:
        prep = D.toks[k]
        if prep.lower_ == "short" and D.w(k + 1) == "of":
            prep = D.toks[k + 1]
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if objs:
            places = [_place_text(D, o) for o in [objs[0]] + list(objs[0].conjuncts)]
        else:
            # the parse did not attach the object: read the noun phrase after the preposition
            m = prep.i + 1
            while m < D.n and (D.toks[m].pos_ in ("DET", "PROPN", "NOUN", "ADJ") or
                               D.lower[m] in ("-", "'s")) and m < prep.i + 8:
                m += 1
            if m > prep.i + 1:
                places = [_strip_det(D, prep.i + 1, m)]
    return factor, unit_end, [p for p in places if p], end


def _strip_det(D: _View, a: int, b: int) -> str:
    """The text of tokens ``a:b`` without leading determiners and trailing punctuation; empty
    when no noun or name is left."""
    while a < b and D.toks[a].pos_ == "DET":
        a += 1
    while b > a and D.toks[b - 1].pos_ in ("PUNCT", "SPACE"):
        b -= 1
    if not any(D.toks[k].pos_ in ("NOUN", "PROPN") for k in range(a, b)):
        return ""
    return D.char_span(a, b)[2]


def _place_text(D: _View, o) -> str:
    """The place phrase headed by ``o``: its noun phrase and "with"/"between" complements."""
    a = o.left_edge.i
    b = o.i + 1
    for c in o.children:
        if c.i > o.i and c.dep_ == "prep" and c.lower_ in ("with", "between", "of"):
            b = max(b, c.right_edge.i + 1)
    # stop at a comma, a clause or a line break
    for k in range(o.i + 1, b):
        if D.lower[k] in (",", ";", "(", "which", "who", "that", "where") or "\n" in D.lower[k]:
            b = k
            break
    return _strip_det(D, a, b)


def _counted_noun(D: _View, ph: NumberPhrase):
    """The noun a number counts: the head of its nummod, or "of" + noun ("dozens of people")."""
    if D.lower[ph.start] == "one" and ph.end - ph.start == 1 and D.w(ph.end) == "of":
        return None  # "one of my friends": not a count worth comparing
    for k in range(ph.start, ph.end):
        t = D.toks[k]
        h = t.head
        if t.dep_ in ("nummod", "quantmod", "compound") and not (ph.start <= h.i < ph.end) \
                and h.i > k and (h.pos_ == "NOUN" or h.tag_ == "NNPS"):
            if any(D.toks[m].pos_ in ("DET", "PUNCT") and D.lower[m] != "-"
                   for m in range(ph.end, h.i)):
                return None  # "4 A child", "Channel 2, News"
            return h
    last = D.toks[ph.end - 1]
    for c in last.children:
        if c.dep_ == "prep" and c.lower_ == "of" and c.i == ph.end:
            for g in c.children:
                if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN"):
                    return g
    if ph.vague and D.w(ph.end) == "of" and ph.end + 1 < D.n:
        # "dozens of people" when "of" attaches elsewhere
        for m in range(ph.end + 1, min(ph.end + 4, D.n)):
            if D.toks[m].pos_ in ("NOUN",):
                return D.toks[m]
    # linear: NUMBER ADJ* NOUN
    m = ph.end
    while m < D.n and m < ph.end + 3 and D.toks[m].pos_ in ("ADJ", "PROPN") and \
            D.ent[m] in ("NORP", "") and D.toks[m].tag_ != "NNP":
        m += 1
    if m < D.n and D.toks[m].pos_ == "NOUN" and D.toks[m].tag_ in ("NNS", "NN"):
        return D.toks[m]
    return None


# ---------------------------------------------------------------- main
def find_quantities(doc, *, rejected: list[dict] | None = None) -> list[Quantity]:
    """Quantities in a parsed article, in text order (see the module docstring)."""
    if len(doc) == 0:
        return []
    D = _View(Parsed.of(doc))
    out: list[Quantity] = []
    used: set[int] = set()  # phrase starts already taken

    cas = _casualties(D)
    for c in cas:
        for ph in c.phrases:
            used.add(ph.start)
    cas += _linear_casualties(D, used)
    cas += _headline_people(D, cas)

    for c in cas:
        for ph in c.phrases:
            used.add(ph.start)
        s, e, text = D.char_span(c.a, c.b)
        out.append(Quantity(s, e, text, "casualties", c.value, c.low, c.high, c.qualifier, None,
                            c.thing, c.modifiers, c.casualty, [], round(max(0.1, c.conf), 2),
                            c.cue))

    skip_until = -1
    for ph in D.phrases:
        if ph.start in used or ph.start < skip_until:
            continue
        age = _age_of(D, ph)
        if age is not None:
            end, unit = age
            head = D.toks[end - 1]
            thing = head.head.lemma_.lower() if head.dep_ == "amod" and head.head.i == end \
                else None
            e2 = end + 1 if thing else end
            s, e, text = D.char_span(ph.start, e2)
            out.append(Quantity(s, e, text, "age", ph.value, ph.value, ph.value, None, unit,
                                thing, [], None, [], 0.8))
            continue
        why = _reject_reason(D, ph)
        q, qa = _qualifier(D, ph.start)
        money = _money(D, ph, qa) if why in (None, "identifier", "year") else None
        if money is not None:
            cur, scale, a, b = money
            v = ph.value * scale if ph.value is not None else None
            lo, hi = _interval(v, ph.low * scale if ph.low is not None else None,
                               ph.high * scale if ph.high is not None else None, q)
            s, e, text = D.char_span(a, b)
            out.append(Quantity(s, e, text, "money", v, lo, hi, q, cur, None, [], None, [],
                                0.6 if ph.ambiguous else 0.9))
            skip_until = b
            continue
        if why is not None:
            if rejected is not None:
                rejected.append({"text": D.char_span(ph.start, ph.end)[2],
                                 "start": D.toks[ph.start].idx, "reason": why})
            continue
        w1, w2 = D.w(ph.end), D.w(ph.end + 1)
        if w1 == "%" or w1 in ("percent", "pct", "pc") or (w1 == "per" and w2 == "cent") or (
                w1 == "percentage" and w2 in ("point", "points")):
            b = ph.end + (2 if w1 in ("per", "percentage") else 1)
            lo, hi = _interval(ph.value, ph.low, ph.high, q)
            s, e, text = D.char_span(qa, b)
            out.append(Quantity(s, e, text, "percent", ph.value, lo, hi, q, "%",
                                "percentage point" if w1 == "percentage" else None, [], None, [],
                                0.9))
            continue
        dist = _distance(D, ph)
        if dist is not None:
            factor, unit_end, places, end = dist
            v = round(ph.value * factor, 6) if ph.value is not None else None
            lo, hi = _interval(v, ph.low * factor if ph.low is not None else None,
                               ph.high * factor if ph.high is not None else None,
                               _qual(ph, q))
            s, e, text = D.char_span(qa, end)
            out.append(Quantity(s, e, text, "distance", v, lo, hi,
                                _qual(ph, q), "km", None, [], None,
                                places, 0.85 if places else 0.75))
            skip_until = end
            continue
        # a count: the noun it counts
        noun = _counted_noun(D, ph)
        if noun is not None and (not noun.text.isalpha() or len(noun.text) < 2):
            noun = None
        if noun is None or noun.lemma_.lower() in _TIME_NOUNS or noun.lower_ in ("times",):
            if rejected is not None:
                rejected.append({"text": D.char_span(ph.start, ph.end)[2],
                                 "start": D.toks[ph.start].idx,
                                 "reason": "duration" if noun is not None else "no_noun"})
            continue
        qual = _qual(ph, q)
        lo, hi = _interval(ph.value, ph.low, ph.high, qual)
        parts = [noun.lemma_.lower() if noun.lower_ not in ("old", "olds") else "person"]
        mods = []
        for c in noun.children:
            if c.i >= ph.end and c.i < noun.i:
                if c.dep_ == "compound" and c.pos_ == "NOUN":
                    parts.insert(-1, c.lower_)
                elif c.dep_ in ("amod", "compound", "nmod") and c.lower_ not in ("old",):
                    a0 = max(c.left_edge.i, ph.end)
                    mods.append(D.char_span(a0, c.i + 1)[2])  # "San Antonio"
        a = qa
        b = noun.i + 1 if noun.i >= ph.end else ph.end
        s, e, text = D.char_span(a, b)
        conf = 0.8 if not ph.ambiguous else 0.4
        out.append(Quantity(s, e, text, "count", ph.value, lo, hi, qual, None, " ".join(parts),
                            mods, None, [], conf))
    out += _vague_distances(D)
    out.sort(key=lambda q: (q.start, q.end))
    return out


def _vague_distances(D: _View) -> list[Quantity]:
    """"miles from the Polish border": a distance of some miles, no number."""
    out = []
    for k in range(D.n):
        w = D.lower[k]
        if w not in ("miles", "kilometres", "kilometers", "kms", "yards", "metres", "meters") or \
                D.ph_at.get(k - 1) or D.tag[k - 1] in ("CD", "JJ", "DT") or \
                D.w(k - 1) in ("few", "many", "several", "-"):
            continue
        ph = NumberPhrase(k, k, None, 2.0, None, vague=True)
        dist = _distance(D, ph)
        if dist is None or not dist[2] or D.w(k + 1) not in _PLACE_PREPS | _DIRECTIONS:
            continue
        factor, _, places, end = dist
        s, e, text = D.char_span(k, end)
        out.append(Quantity(s, e, text, "distance", None, round(2 * factor, 6), None, "vague",
                            "km", None, [], None, places, 0.5))
    return out


# ---------------------------------------------------------------- the event's figures

LEAD_CHARS = 1500  # GVC train+dev, killed/injured: 600 .83/.78, 1500 .83/.81, whole .82/.80
_SELF_RE = re.compile(r"\b(?:himself|herself|themselves|self|own li(?:fe|ves)|suicide)\b", re.I)


def event_figures(quantities: list[Quantity], *, lead_end: int | None = LEAD_CHARS,
                  title: list[Quantity] | None = None) -> dict:
    """The event's killed and injured figures, each a :class:`Quantity` (None when the article
    says nothing of that kind), with the casualty mentions that gave them.

    Reads the casualty mentions of the title (the quantities of the parsed title, when it is
    apart from the text) and of the text before ``lead_end``. Rule: the largest figure of each
    kind (the title and the first paragraphs carry the event; later text tells of other events).
    People shot whose fate is not said ("a man was shot") count as injured only beyond those
    killed: "a man was shot ... he died" is 1 killed, 0 injured (beyond the victims killed: a
    shooter's own death is not one of those shot). A shooter who killed himself
    counts among the killed, as the Gun Violence Archive counts him: "killed two people before
    killing himself" (or "killed two" in a "murder-suicide") is 3; totals ("three people were
    found dead") are taken to include him; "murder-suicide" alone is at least 2.

    Returns ``{"killed": Quantity | None, "injured": Quantity | None, "killed_evidence": [...],
    "injured_evidence": [...], "killed_from": mention, "injured_from": mention}``; a figure's Quantity is a copy of its main mention with the
    figure as value and ``cue`` saying how it was read when it is derived ("suicide", "survived").
    """
    totals: list[tuple[float, Quantity]] = []   # every killed figure but the shooter's own death
    active: list[tuple[float, Quantity]] = []   # "X killed two people": the shooter is not among them
    injured: list[tuple[float, Quantity]] = []  # said to be injured, wounded, hurt
    shot: list[tuple[float, Quantity]] = []     # shot, fate not said
    selves: list[Quantity] = []
    suicide: Quantity | None = None
    self_shot: Quantity | None = None
    mentions = [q for q in (title or []) if q.kind == "casualties"] + [
        q for q in quantities if q.kind == "casualties" and (lead_end is None or
                                                             q.start < lead_end)]
    for q in mentions:
        v = q.value if q.value is not None else q.low
        if v is None:
            continue
        agent = bool(q.cue) and q.text.lower().startswith(q.cue) and not _SELF_RE.search(q.text)
        if q.casualty == "killed":
            if q.cue == "murder-suicide":
                suicide = q  # at least one victim and the shooter
            if q.thing == "self":
                selves.append(q)
                continue
            totals.append((v, q))
            if agent and q.cue.startswith(("kill", "murder", "slay", "shoot", "shot", "gun")):
                active.append((v, q))
        elif q.cue == "shot":
            if q.thing == "self":
                self_shot = q
                continue
            shot.append((v, q))
        else:
            injured.append((v, q))
    if self_shot is not None:
        if suicide is not None:
            selves.append(self_shot)  # "shoots a boy, then himself, in a murder-suicide"
        else:
            shot.append((1.0, self_shot))  # a child who shot himself, fate not said
    killed_q = injured_q = k_main = i_main = None
    k_ev: list[Quantity] = []
    i_ev: list[Quantity] = []
    k = None
    if totals or selves:
        if totals:
            k, main = max(totals, key=lambda x: x[0])
            k_ev = [q for _, q in totals]
            cue = main.cue
        else:
            k, main, cue = 1.0, selves[0], selves[0].cue
        k_ev += selves
        if (suicide is not None or selves) and active:
            a, aq = max(active, key=lambda x: x[0])
            if a + 1 > k:
                k, main, cue = a + 1, aq, "with shooter"
        killed_q, k_main = _figure(main, k, cue), main
    if injured or shot:
        i_ev = [q for _, q in injured + shot]
        if injured:
            i, main = max(injured, key=lambda x: x[0])
            cue = main.cue
        else:
            i, main, cue = 0.0, None, None
        if shot:
            s, sq = max(shot, key=lambda x: x[0])
            # those a shooter shot ("he shot her and her mother") are his victims: his own death,
            # counted among the killed in a murder-suicide, is not one of them ("... before killing
            # himself": 2 killed, 1 survived); "three victims" may count him
            shooter = bool(k) and (suicide is not None or bool(selves) and bool(active)) and \
                sq.text.lower().startswith(sq.cue or "\0") and not _SELF_RE.search(sq.text)
            victims_dead = (k or 0.0) - (1.0 if shooter else 0.0)
            if s - victims_dead > i or main is None:
                i, main, cue = max(0.0, s - victims_dead), sq, "survived" if k else sq.cue
        injured_q, i_main = _figure(main, i, cue), main
    return {"killed": killed_q, "injured": injured_q, "killed_evidence": k_ev,
            "injured_evidence": i_ev, "killed_from": k_main, "injured_from": i_main}


def _figure(q: Quantity, value: float, cue: str | None) -> Quantity:
    """A copy of mention ``q`` carrying the figure read from it."""
    if value == q.value and cue == q.cue:
        return q
    return replace(q, value=value, low=value, high=value, qualifier=None, cue=cue)


def event_casualties(quantities: list[Quantity], *, lead_end: int | None = LEAD_CHARS,
                     title: list[Quantity] | None = None) -> dict[str, float | None]:
    """The event's killed and injured counts (see :func:`event_figures`); when one kind has a
    mention and the other none, the other is 0; both None when there is no mention."""
    figs = event_figures(quantities, lead_end=lead_end, title=title)
    k, i = figs["killed"], figs["injured"]
    if k is None and i is None:
        return {"killed": None, "injured": None}
    return {"killed": k.value if k is not None else 0.0, "injured": i.value if i is not None else 0.0}
