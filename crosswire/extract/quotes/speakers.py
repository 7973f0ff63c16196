"""Who said it: the speaker of a reporting verb, split into a name and a title, and pronouns resolved.

Helpers of the ``quotes.v1`` stage (:mod:`crosswire.extract.quotes.find`). A subject noun phrase such as
"Major General Vadim Denisenko, chief of Belarusian special operations command" is read on the
dependency parse: the appositions and relative clauses are titles, the run of capitalised name
tokens ending at the head is the name ("Vadim Denisenko"), and what stands before the name is a
title too ("Major General"). Several title parts are joined with "; ". A phrase with no name is an
organisation ("Belarus' Ministry of Defense", "the defence ministry") or an unnamed person ("a
senior official"); a document ("the statement said") is a channel, not a speaker.

A pronoun (he/she, it, they) takes the most recent speaker or PERSON subject of a compatible kind
before it; a surname alone ("Pieklo said") takes the full name written elsewhere in the article
("Jan Pieklo"). Speaker spans always point at a mention whose text is the speaker's name.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

# Capitalised words that are titles, never part of a name ("Major General Vadim Denisenko").
TITLE_WORDS = frozenset(
    """president vice prime minister secretary general major colonel lieutenant lt gen col maj capt
    captain sergeant sgt admiral adm commander cmdr marshal brigadier chief head director chairman
    chairwoman chair ceo founder ambassador envoy senator sen representative rep congressman
    congresswoman governor gov mayor deputy spokesman spokeswoman spokesperson judge justice king queen
    prince princess emir sheikh sultan pope cardinal bishop archbishop rabbi imam father rev reverend
    dr doctor prof professor sir dame lord lady mr mrs ms miss mx chancellor premier foreign defence
    defense interior state speaker leader commissioner officer inspector superintendent sheriff
    detective constable agent attorney prosecutor former acting retired crown grand supreme first
    secretary-general director-general commander-in-chief private corporal field cfo coo cto sgt. lt.
    det det. capt. col. gen. maj. gov. sen. rep. dr. prof. insp. supt. cpl. pvt. adm. st. officer""".split()
)
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. miss mx".split())
# Head nouns of organisations ("the defence ministry", "Belarus' Armed Forces").
ORG_WORDS = frozenset(
    """ministry department office agency army forces force command council committee commission
    government administration parliament senate congress assembly court police military navy corps
    guard service services bureau institute university college school centre center foundation
    association union party bank fund company corporation corp inc ltd group organization
    organisation alliance federation authority authorities embassy consulate kremlin pentagon nato un
    eu cabinet duma rada board staff headquarters regiment brigade battalion division fleet republic
    watch international commune municipality city-hall hall house ministries agencies governments
    militaries companies firm firms""".split()
)
# News agencies, broadcasters and networks: a speaker only as the subject ("Xinhua reported").
MEDIA = frozenset(
    """reuters ap afp bbc cnn xinhua tass ria interfax bloomberg newsweek politico axios dpa efe ansa
    kyodo yonhap nhk cbs nbc abc fox sky msnbc pap belta ukrinform meduza rferl nexta""".split()
)
MEDIA_WORDS = frozenset(
    """post times news journal tribune gazette daily agency herald telegraph guardian independent mail
    express mirror observer economist magazine radio television tv broadcaster newspaper outlet
    network press wire""".split()
)
# Social networks and messengers, kept as written (the "X" of "said on X" included).
PLATFORMS = {
    p.lower(): p
    for p in """X Twitter Telegram Facebook Instagram TikTok YouTube Weibo WeChat VKontakte VK LinkedIn
    Threads Bluesky Mastodon Reddit Truth Social Substack""".split()
}
CHANNEL_NOUNS = frozenset(
    """statement interview briefing conference post tweet video message letter speech address broadcast
    television radio podcast op-ed column communique release memo""".split()
)
DOC_NOUNS = frozenset(
    """statement report letter document video post message memo communique release study page account
    feed channel website site profile""".split()
)
PERSON_NOUNS = frozenset(
    """official officials spokesman spokeswoman spokesperson source sources expert experts analyst
    analysts witness witnesses resident residents people man woman men women soldier soldiers diplomat
    diplomats minister ministers leader leaders officer officers commander commanders lawmaker lawmakers
    politician politicians activist activists researcher researchers scholar academic academics
    observer observers critic critics doctor doctors aide aides adviser advisers advisor advisors
    president governor mayor envoy ambassador general colonel chief head director manager worker
    workers survivor survivors victim victims father mother relative relatives friend neighbour
    neighbor journalist reporter correspondent author lawyer prosecutor judge lieutenant sergeant captain
    detective deputy sheriff trooper investigator investigators police-officer family families couple
    parent parents teacher teachers student students""".split()
)
_NOT_PEOPLE = frozenset("paper papers newspaper order orders water border number matter letter filter".split())
PARTICLES = frozenset("bin ibn al el van von de der den da di du la le ter ben abu".split())
PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "it": "organization",
            "they": None, "them": None}
_DETS = frozenset("the a an this that these those".split())
_MENTION_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass
class Speaker:
    """A resolved speaker: the name and the span of the mention that bears it, its title and kind."""

    name: str | None
    start: int | None
    end: int | None
    title: str | None
    kind: str | None  # "person" | "organization" | None
    named: bool  # a proper name (or a pronoun resolved to one), not a description
    via: str  # "name" | "description" | "pronoun" | "surname" | "none"
    channel: str | None = None  # a document subject ("the statement said") gives a channel only


def platform(tok) -> str | None:
    """The social network a token names ("X." at a sentence end included), else None."""
    text = tok.text.rstrip(".")
    if text == "X":
        return "X"
    return PLATFORMS.get(text.lower()) if text[:1].isupper() and text != "x" else None


def is_media(span_tokens) -> bool:
    """A news outlet or agency ("the South China Morning Post", "Reuters", "state television")."""
    words = [t.lower_.rstrip(".") for t in span_tokens if not t.is_punct]
    return bool(words) and (words[-1] in MEDIA_WORDS or any(w in MEDIA for w in words))


def _name_like(tok) -> bool:
    t = tok.text
    return (
        t[:1].isupper()
        and (tok.pos_ == "PROPN" or (tok.pos_ in ("NOUN", "X", "ADJ") and tok.ent_type_ in ("PERSON", "ORG")))
        and tok.lower_ not in TITLE_WORDS
        and tok.lower_ not in ORG_WORDS
        and tok.ent_type_ not in ("GPE", "NORP", "LOC", "DATE")
        and not tok.like_num
        and tok.tag_ != "POS"
        and platform(tok) is None
    )


def _strip(doc, toks: list) -> list:
    """Drop punctuation, quote marks and leading determiners at the edges of a token list."""
    while toks and (toks[0].is_punct or toks[0].lower_ in _DETS or toks[0].dep_ in ("mark", "cc")):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].tag_ == "POS"):
        if toks[-1].text == "." and len(toks) > 1 and not toks[-2].whitespace_ and len(toks[-2]) <= 4:
            break  # an abbreviation's period: "Lt."
        toks = toks[:-1]
    return toks


def contiguous(doc, head, toks: list) -> list:
    """The contiguous run of ``toks`` around ``head`` (or from the first token when head is absent)."""
    kept = {t.i for t in toks}
    if not kept:
        return []
    lo = hi = head.i if head.i in kept else min(kept)
    while lo - 1 in kept:
        lo -= 1
    while hi + 1 in kept:
        hi += 1
    return [doc[i] for i in range(lo, hi + 1)]


def _text(doc, toks: list) -> str:
    return doc[toks[0].i : toks[-1].i + 1].text if toks else ""


@dataclass
class _NP:
    core: list  # tokens of the noun phrase without appositions and relative clauses
    name: list  # the name run inside core (may be empty)
    titles: list[str]
    appos_name: list  # a name found in an apposition ("The mayor, Anna Kowalczyk, said")


def analyse(doc, head, excluded: set[int], lo: int = 0, hi: int | None = None, avoid: int = -1) -> _NP:
    """Split the noun phrase under ``head`` into its core, a name run and title parts.

    Only tokens between the characters ``lo`` and ``hi`` (the sentence) count, so a parse that runs
    across paragraphs cannot pull a caption into a speaker. A clause holding token ``avoid`` (the
    reporting verb of "the minister, who said ...") is not a title.
    """
    hi = (doc[-1].idx + len(doc[-1]) if len(doc) else 0) if hi is None else hi

    def ok(t) -> bool:
        return t.i not in excluded and lo <= t.idx < hi and not t.is_space

    drop: set[int] = set()
    titles_after: list[str] = []
    appos_name: list = []
    for c in head.children:
        if c.dep_ in ("appos", "relcl", "acl", "parataxis", "advcl") and c.i > head.i:
            drop.update(t.i for t in c.subtree)
            sub = _strip(doc, contiguous(doc, c, [t for t in c.subtree if ok(t)]))
            if not sub or c.left_edge.i <= avoid <= c.right_edge.i:
                continue
            if c.dep_ == "appos":
                np = analyse(doc, c, excluded, lo, hi)
                if np.name and len(np.name) == len(np.core) and not appos_name:
                    appos_name = np.name
                    continue
            titles_after.append(_text(doc, sub))
    kept = [t for t in head.subtree if ok(t) and t.i not in drop]
    if head.dep_ == "nsubj":  # a split subject: "Belarusian politician" + "Franak Viačorka"
        for sib in head.head.children:
            if sib.dep_ == "nsubj" and sib.i < head.i:
                kept.extend(t for t in sib.subtree if ok(t))
    core = _strip(doc, contiguous(doc, head, kept)) or [head]
    if head not in core:
        core = [head]
    name: list = []
    if _name_like(head):
        j = head.i
        first = core[0].i
        name = [head]
        while j - 1 >= first:
            t = doc[j - 1]
            if t.dep_ in ("pobj", "poss") and t.head not in name:
                break  # "Minister of Moldova Andrei Popescu", "Belarus' ..."
            if _name_like(t) and not (t.is_upper and len(t) > 1):  # "CFO", "JPD": not a first name
                name.insert(0, t)
            elif (t.lower_ in PARTICLES or t.text == "-") and j - 2 >= first and _name_like(doc[j - 2]):
                name.insert(0, t)
            else:
                break
            j -= 1
        if len(name) > 4:  # a long capitalised run: trust the PERSON entity inside it
            ent = [t for t in name if t.ent_type_ == "PERSON"]
            name = name[-len(ent) :] if 0 < len(ent) <= 4 else name[-2:]
    titles: list[str] = []
    if name and core[0] == name[0]:  # "Police Sgt." left out of the name's subtree by the parse
        j = name[0].i - 1
        j -= j >= 0 and doc[j].text == "." and ok(doc[j])
        if j >= 0 and ok(doc[j]) and doc[j].lower_.rstrip(".") in TITLE_WORDS:
            while j >= 1 and ok(doc[j - 1]) and doc[j - 1].pos_ in ("PROPN", "ADJ") and doc[j - 1].text[:1].isupper():
                j -= 1
            core = [doc[i] for i in range(j, name[0].i)] + core
    if name:
        before = _strip(doc, [t for t in core if t.i < name[0].i])
        if before and not all(t.lower_ in HONORIFICS for t in before):
            titles.append(_text(doc, before))
        after = _strip(doc, [t for t in core if t.i > head.i])
        if after and any(t.is_alpha for t in after):
            titles.append(_text(doc, after))
    titles.extend(titles_after)
    return _NP(core=core, name=name, titles=titles, appos_name=appos_name)


def np_kind(np: _NP, head) -> tuple[str | None, bool]:
    """(kind, is a document) of an analysed noun phrase."""
    if np.name:
        low = " ".join(t.lower_ for t in np.name)
        if any(t.ent_type_ == "PERSON" for t in np.name):
            return "person", False
        if low in MEDIA or any(t.lower_ in MEDIA for t in np.name) or head.ent_type_ in ("ORG", "GPE", "FAC", "NORP"):
            titled = any(w.lower() in TITLE_WORDS or w.lower() in PERSON_NOUNS for p in np.titles for w in p.split())
            return ("person" if titled and head.ent_type_ not in ("GPE",) else "organization"), False
        return "person", False
    low = head.lower_
    if low in DOC_NOUNS:
        return None, True
    if low in ORG_WORDS or head.ent_type_ in ("ORG", "GPE", "FAC") or is_media(np.core):
        return "organization", False
    if head.ent_type_ == "NORP" or low in PERSON_NOUNS or (
        low.endswith(("man", "woman", "men", "person", "ist", "ists", "ian", "ians", "er", "ers", "or", "ors"))
        and low not in _NOT_PEOPLE
    ):
        return "person", False
    if head.pos_ == "PROPN":
        return "organization", False
    return None, False


@dataclass
class _Mention:
    pos: int  # where the mention stands (recency)
    start: int  # span of the text that bears the name (the antecedent's, for a pronoun)
    end: int
    name: str
    kind: str | None
    title: str | None
    named: bool


class Resolver:
    """Speakers in text order: names, pronouns resolved to the latest compatible mention, surnames.

    ``bounds(pos)`` gives the (start, end) characters of the sentence around a position.
    """

    def __init__(self, doc, excluded: set[int], bounds: Callable[[int], tuple[int, int]]):
        self.doc = doc
        self.excluded = excluded
        self.bounds = bounds
        self.mentions: list[_Mention] = []  # kept sorted by pos
        self._pos: list[int] = []
        self.full_names: list[tuple[int, int, str, object]] = []  # PERSON names of 2+ words, in order
        people = []
        for ent in doc.ents:
            if ent.label_ != "PERSON" or ent[0].i in excluded or any(platform(t) for t in ent):
                continue
            toks = [t for t in ent if _name_like(t) or t.lower_ in PARTICLES]
            if toks:
                people.append((ent, toks))
                if len(toks) >= 2 and toks[-1] == ent.root:
                    self.full_names.append((toks[0].idx, toks[-1].idx + len(toks[-1]), _text(doc, toks), ent.root))
        for ent, toks in people:
            if ent.root.dep_ in _MENTION_DEPS:
                start, end, name = toks[0].idx, toks[-1].idx + len(toks[-1]), _text(doc, toks)
                root = ent.root
                if len(toks) == 1:
                    full = self._full_name(toks[0])
                    if full is not None:
                        start, end, name, root = full
                title = "; ".join(self._analyse(root).titles) or None
                self._add(_Mention(toks[0].idx, start, end, name, "person", title, True))

    def _analyse(self, head, avoid: int = -1) -> _NP:
        return analyse(self.doc, head, self.excluded, *self.bounds(head.idx), avoid=avoid)

    def _add(self, m: _Mention) -> None:
        k = bisect_right(self._pos, m.pos)
        self._pos.insert(k, m.pos)
        self.mentions.insert(k, m)

    def _latest(self, before: int, kind: str | None, named: bool = True) -> _Mention | None:
        for m in reversed(self.mentions[: bisect_right(self._pos, before - 1)]):
            if (m.named or not named) and (kind is None or m.kind == kind):
                return m
        return None

    def _full_name(self, tok) -> tuple[int, int, str, object] | None:
        """The latest earlier (else the first later) PERSON name of 2+ words ending in this surname."""
        cands = [f for f in self.full_names if f[2].split()[-1] == tok.text and not f[0] <= tok.idx < f[1]]
        before = [f for f in cands if f[1] <= tok.idx]
        return (before[-1] if before else cands[0]) if cands else None

    def _title_of(self, name: str) -> str | None:
        for m in reversed(self.mentions):
            if m.name == name and m.title:
                return m.title
        return None

    def resolve(self, head, avoid: int = -1) -> Speaker:
        """The speaker a subject token stands for; records it as a mention for later pronouns."""
        doc = self.doc
        low = head.lower_
        if low in ("who", "which", "that") and head.head.dep_ == "relcl" and head.head.head.i not in self.excluded:
            return self.resolve(head.head.head, head.head.i)  # "the minister, who said ...": the noun modified
        if head.pos_ == "PRON" or low in PRONOUNS:
            want = PRONOUNS.get(low, "?")
            if want == "?":  # I, we, you, who: no antecedent outside the quote
                return Speaker(None, None, None, None, None, False, "none")
            m = self._latest(head.idx, want) or (self._latest(head.idx, want, named=False) if want else None)
            if m is None:
                return Speaker(None, None, None, None, want, False, "none")
            self._add(_Mention(head.idx, m.start, m.end, m.name, m.kind, m.title, m.named))
            return Speaker(m.name, m.start, m.end, m.title, m.kind, m.named, "pronoun")
        np = self._analyse(head, avoid)
        if not np.name and np.appos_name:
            title = "; ".join([_text(doc, np.core)] + np.titles) or None
            np = _NP(core=np.appos_name, name=np.appos_name, titles=[title] if title else [], appos_name=[])
            head = np.name[-1]
        full = self._full_name(np.name[0]) if len(np.name) == 1 else None
        kind, is_doc = ("person", False) if full is not None else np_kind(np, head)
        if is_doc:  # "the ministry's statement said": the owner speaks, the document is the channel
            owner = [c for c in head.children if c.dep_ == "poss" and c.i not in self.excluded]
            owner += [g for c in head.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
                      for g in c.children if g.dep_ == "pobj" and g.i not in self.excluded]
            sp = self.resolve(owner[0]) if owner else Speaker(None, None, None, None, None, False, "none")
            sp.channel = next((p for p in map(platform, np.core) if p), None) or head.lemma_.lower()
            return sp
        title = "; ".join(np.titles) or None
        if np.name:
            start, end, name = np.name[0].idx, np.name[-1].idx + len(np.name[-1]), _text(doc, np.name)
            via = "name"
            if full is not None:
                start, end, name = full[0], full[1], full[2]
                via = "surname"
                title = title or self._title_of(name) or "; ".join(self._analyse(full[3]).titles) or None
            self._add(_Mention(head.idx, start, end, name, kind, title, True))
            return Speaker(name, start, end, title, kind, True, via)
        toks = np.core
        name = _text(doc, toks)
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
        org = kind == "organization"
        self._add(_Mention(head.idx, start, end, name, kind, title, org))
        return Speaker(name, start, end, title if org else None, kind, org, "name" if org else "description")


# ---------------------------------------------------------------- subject and channel of a verb
_NO_INVERSION = frozenset("tell ask call describe dub quote".split())


def _past_title(tok, inside: Callable):
    """The name after a title the parse took for the subject ("Sgt" of "Police Sgt. Mila Horvat")."""
    if tok.lower_.rstrip(".") not in TITLE_WORDS:
        return tok
    doc = tok.doc
    j = tok.i + 1
    j += j < len(doc) and doc[j].text == "." and inside(doc[j])
    k = j
    while k < len(doc) and inside(doc[k]) and _name_like(doc[k]):
        k += 1
    return doc[k - 1] if k > j else tok


def subject_of(cue_tok, cue: str, ctx, inverted_ok: bool):
    """The token heading the speaker phrase of a reporting verb (or of "according to").

    ``ctx`` gives ``doc``, ``text``, ``in_quote`` (token indices inside direct quotes) and
    ``bounds(pos)`` (the sentence around a character position).
    """
    doc = ctx.doc
    lo, hi = ctx.bounds(cue_tok.idx)

    def inside(t) -> bool:
        return lo <= t.idx < hi and t.i not in ctx.in_quote and not t.is_space

    if cue == "according to":
        to = doc[cue_tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj" and inside(c)]
        if objs:
            return objs[0]
        j = to.i + 1  # a parse gone astray: the last word of the noun phrase after "to"
        while j + 1 < len(doc) and inside(doc[j + 1]) and doc[j + 1].pos_ in ("PROPN", "NOUN", "ADJ", "DET", "PART"):
            j += 1
        return doc[j] if j < len(doc) and inside(doc[j]) and doc[j].pos_ in ("PROPN", "NOUN") else None
    if cue == "quote":  # "Reuters quoted the governor as saying", "the governor was quoted as saying"
        objs = [c for c in cue_tok.children if inside(c) and c.dep_ in ("dobj", "nsubjpass")]
        return objs[0] if objs else None
    t = cue_tok
    for depth in range(4):
        subs = [c for c in t.children if inside(c) and (
            c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and depth > 0 and t.lemma_ in ("quote", "cite")))]
        if subs:
            before = [c for c in subs if c.i < cue_tok.i]
            return _past_title(before[-1] if before else subs[-1], inside)  # "said Police Lt. Kevin Smith"
        if t.dep_ in ("conj", "xcomp", "advcl") and t.head != t and inside(t.head):
            t = t.head
        else:
            break
    if inverted_ok and cue not in _NO_INVERSION:
        for c in cue_tok.rights:
            if c.dep_ in ("dobj", "attr", "npadvmod", "appos", "oprd", "dative") and c.pos_ in ("PROPN", "NOUN") \
                    and inside(c) and platform(c) is None:
                return _past_title(c, inside)
    # no subject on the parse (it ran across paragraphs): the noun right before the verb,
    # skipping adverbs and auxiliaries ("has also said") and a comma-set apposition
    j = cue_tok.i - 1
    while j >= 0 and inside(doc[j]) and doc[j].pos_ in ("ADV", "AUX", "PART"):
        j -= 1
    if j < 0 or not inside(doc[j]):
        return None
    if doc[j].text == ",":
        k = j - 1
        while k > 0 and inside(doc[k]):
            opening = doc[k].text == "," and inside(doc[k - 1]) and doc[k - 1].pos_ == "PROPN"
            if opening and doc[k + 1].text[:1].islower():
                j = k - 1
                break
            k -= 1
        else:
            return None
    t = doc[j]
    return t if t.pos_ in ("PROPN", "NOUN", "PRON") and t.dep_ != "expl" else None


def channel_of(cue_tok, ctx) -> str | None:
    """Where it was said: a platform, else a news outlet told, else the kind of statement."""
    doc = ctx.doc
    lo, hi = ctx.bounds(cue_tok.idx)

    def inside(t) -> bool:
        return lo <= t.idx < hi and t.i not in ctx.in_quote and not t.is_space

    if cue_tok.lemma_ == "quote":  # "Reuters quoted X as saying": the agency is the channel
        src = [c for c in cue_tok.children if c.dep_ == "nsubj" and inside(c)]
        if src:
            np = [x for x in contiguous(doc, src[0], [x for x in src[0].subtree if inside(x)]) if x.dep_ != "det"]
            if np and is_media(np):
                return ctx.text[np[0].idx : np[-1].idx + len(np[-1])]
    tell = cue_tok.lemma_ == "tell" or cue_tok.lower_ in ("told", "tell", "tells", "telling")
    roots = [c for c in cue_tok.children if inside(c) and (
        c.dep_ in ("prep", "agent") or (tell and c.dep_ in ("dobj", "dative")))]
    seen = []
    stack = list(roots)
    while stack:
        c = stack.pop()
        seen.append(c)
        stack.extend(g for g in c.children if inside(g) and g.dep_ in ("pobj", "prep", "compound"))
    for c in roots:  # "said on X." may be one token, or the parse may lose the object
        if c.dep_ == "prep" and c.i + 1 < len(doc) and inside(doc[c.i + 1]):
            seen.append(doc[c.i + 1])
    media = noun = None
    for t in sorted(seen, key=lambda x: x.i):
        if t.dep_ in ("prep", "agent", "compound"):
            continue
        p = platform(t)
        if p is not None:
            return p
        np = [x for x in t.subtree if inside(x) and x.i <= t.i and x.dep_ not in ("det", "punct", "case")]
        np = [x for x in contiguous(doc, t, np) if x.lower_ not in ("the", "a", "an")]
        via_to = t.dep_ in ("dobj", "dative") or t.head.lower_ in ("with", "to")
        if media is None and via_to and np and is_media(np):
            media = ctx.text[np[0].idx : np[-1].idx + len(np[-1])]
        if noun is None and t.lemma_.lower() in CHANNEL_NOUNS:
            noun = t.lemma_.lower()
    return media or noun
