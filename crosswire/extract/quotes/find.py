"""Direct quotes and indirect claims in an article, each with its speaker, title, cue and channel.

Stage ``quotes.v1``. Input: a spaCy ``Doc`` of the clean article text (tagger, parser and NER used
for attribution; without a parse, quotes are still found, unattributed). Output: one :class:`Quote`
per quotation or reported claim, in text order, with ``doc.text[q.start:q.end] == q.text``.

Direct quotes come from one pass over the quote marks of each paragraph with a stack: straight and
curly double quotes, British single quotes (an apostrophe inside a word, an elision such as '90s,
and a possessive "Belarus' " where a later closing mark exists are not quote marks), guillemets,
German „…“, corner brackets and the ``…'' of tokenised corpora. An opening mark left open at a
paragraph's end continues into the next paragraph when that one opens with a mark of the same kind
(one quote: ``segments`` holds the per-paragraph pieces, ``text`` the whole run, paragraph break
and re-opening mark included), otherwise the quote ends with its paragraph. ``text`` is the words
between the marks, without a trailing comma.

Attribution looks, within the sentence (sentences split on the text with quotes masked), for a
reporting verb ("said", "told", "added", "wrote", "noted"...) or "according to" after the quote
("…," he said) or before it ("X said: '…'", "X said the drills 'will …'"), then for a colon-ended
attribution closing the previous paragraph, then falls back to the previous quote of the same
paragraph (a quote split by its attribution). The speaker is the verb's subject, read by
:mod:`crosswire.extract.quotes.speakers` (name and title split, pronouns and surnames resolved).

Indirect claims: a reporting verb with a clausal complement after it ("X said (that) …", "X noted
that …") or "according to X" beside a clause, whose clause is not mostly a direct quote.

``channel``: the social network or messenger ("X", "Telegram", kept as written), else the outlet
told or quoting ("told the South China Morning Post:", "Reuters quoted X as saying": the addressee
or agency is never the speaker), else the kind of statement ("statement", "interview", "briefing").
After "said on X", a pronoun with "wrote"/"posted" keeps that channel. ``speaker_title`` joins the
title parts in text order with "; " ("Major General; chief of ..."). A nested quote stays inside
its outer quote and is not a separate record.

``confidence`` = quote (0.9 closed, 0.8 left open; a claim 0.8, x0.8 when its verb is not finite)
x link to the verb (1.0 in the sentence, 0.9 over a sentence end or from the previous paragraph's
colon, 0.85 inherited from the quote before, 0.8 for "called it '...'") x speaker (name 1.0,
surname 0.95, description 0.9, pronoun 0.85, none 0.5).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass, field
from itertools import takewhile
from typing import Any

from crosswire.extract.parsed import Parsed
from crosswire.extract.quotes.speakers import Resolver, Speaker, channel_of, contiguous, subject_of

STAGE = "quotes.v1"

__all__ = ["STAGE", "Quote", "find_quotes", "scan_quotes"]


@dataclass
class Quote:
    """One direct quote or indirect claim: its span in the text and who said it, how and where."""

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_title: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_kind: str | None  # "person" | "organization" | None
    cue: str | None  # reporting verb lemma, or "according to"
    channel: str | None
    kind: str  # "direct" | "indirect"
    confidence: float
    segments: list[tuple[int, int]] = field(default_factory=list)  # per-paragraph pieces of a direct quote

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "stage": STAGE}


# ---------------------------------------------------------------- quote marks
_MARK = re.compile(
    "``|''|[\"'\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2018\u2019\u201a\u300c\u300d\u300e\u300f]"
)
_SINGLE = frozenset("'\u2018\u2019\u201a\u2039\u203a")
_OPEN_ONLY = frozenset("\u201e\u201a\u00ab\u2039\u300c\u300e\u201f")
_CLOSE_ONLY = frozenset("\u00bb\u203a\u300d\u300f")
_CLOSERS = {
    '"': '"\u201d', "\u201c": "\u201d\"", "\u201d": "\u201d\"", "\u201e": "\u201c\u201d", "\u201f": "\u201d",
    "\u00ab": "\u00bb", "\u2039": "\u203a", "'": "'\u2019", "\u2018": "\u2019'", "\u2019": "\u2019'",
    "\u201a": "\u2018\u2019", "\u300c": "\u300d", "\u300e": "\u300f",
    "``": ("''", "\u201d", '"'),  # Penn Treebank quotes of tokenised corpora: `` ... ''
}
_OPEN_BEFORE = set("([{\u2014\u2013-/:;") | set(_CLOSERS) | set(_CLOSE_ONLY)
_CLOSE_AFTER = set(".,;:!?)]}\u2026\u2014\u2013-/") | set(_CLOSERS) | set(_CLOSE_ONLY)
_ELISION = re.compile(r"(?:\d\d(?:s\b|\b)|(?:em|til|cause|n|tis|twas|round)\b)", re.I)
_PARA = re.compile(r"[^\n]+")
_SPACES = re.compile(r"\s*")


@dataclass
class _Open:
    mark: str
    pos: int
    segments: list[tuple[int, int]]  # finished pieces (multi-paragraph), inner spans
    seg_start: int


@dataclass
class QuoteSpan:
    open: int  # position of the first opening mark
    close: int | None  # position of the closing mark; None when left open
    segments: list[tuple[int, int]]
    outer_end: int  # end including the closing mark

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]


def _is_single(ch: str) -> bool:
    return ch in _SINGLE


def _trim(text: str, s: int, e: int, last: bool) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or (last and text[e - 1] == ",")):
        e -= 1
    return s, e


def _closer_ahead(text: str, i: int, pend: int) -> bool:
    """Another single closing mark later in the paragraph (so "Belarus' capital" is a possessive)."""
    for m in _MARK.finditer(text, i + 1, pend):
        j = m.start()
        ch = text[j]
        if ch in "'\u2019":
            a, b = text[j - 1], text[j + 1] if j + 1 < pend else ""
            if not a.isspace() and not (a.isalnum() and b.isalnum()) and (b == "" or b.isspace() or b in _CLOSE_AFTER):
                return True
    return False


def scan_quotes(text: str) -> list[QuoteSpan]:
    """Top-level quoted spans of a text, paragraph by paragraph (one pass over the quote marks)."""
    paras = [(m.start(), m.end()) for m in _PARA.finditer(text) if m.group().strip()]
    out: list[QuoteSpan] = []
    carry: _Open | None = None
    for k, (ps, pe) in enumerate(paras):
        stack: list[_Open] = []
        if carry is not None:
            m = _MARK.match(text, _SPACES.match(text, ps).end())  # the re-opening mark, checked below
            carry.seg_start = m.end() if m else ps
            stack.append(carry)
            carry = None
            scan_from = m.end() if m else ps
        else:
            scan_from = ps
        for m in _MARK.finditer(text, scan_from, pe):
            i, after = m.start(), m.end()
            ch = m.group()
            a = text[i - 1] if i > ps else ""
            b = text[after] if after < pe else ""
            if _is_single(ch) and a.isalnum() and b.isalnum():
                continue  # don't, it's, Lukashenko's
            open_ctx = (a == "" or a.isspace() or a in _OPEN_BEFORE) and b != "" and not b.isspace()
            close_ctx = (b == "" or b.isspace() or b in _CLOSE_AFTER) and a != "" and not a.isspace()
            if len(ch) == 2:  # `` and '' stand apart from the words in tokenised text
                open_ctx, close_ctx = ch == "``" and b != "", ch == "''"
            elif ch in _OPEN_ONLY:
                close_ctx = False
                open_ctx = b != "" and not b.isspace()
            elif ch in _CLOSE_ONLY:
                open_ctx = False
            if open_ctx and ch in "'\u2019\u2018" and _ELISION.match(text, i + 1, pe):
                open_ctx = False  # '90s, 'em, rock 'n' roll
            target = None
            if close_ctx:
                for j in range(len(stack) - 1, -1, -1):
                    if ch in _CLOSERS.get(stack[j].mark, ""):
                        target = j
                        break
                    if _is_single(ch):
                        break  # a single mark closes only the innermost quote
                if target is not None and ch in "'\u2019" and a in "sS" and b.isspace():
                    nxt = text[i + 1 : i + 3].strip()[:1]
                    if nxt.isalnum() and _closer_ahead(text, i, pe):
                        target = None  # "Belarus' capital" inside a single-quoted span
            if target is not None:
                o = stack[target]
                del stack[target:]
                if not stack:
                    segs = o.segments + [_trim(text, o.seg_start, i, True)]
                    out.append(QuoteSpan(o.pos, i, segs, after))
            elif open_ctx:
                stack.append(_Open(ch, i, [], after))
        if stack:
            o = stack[0]
            nxt = paras[k + 1] if k + 1 < len(paras) else None
            if nxt is not None:
                m2 = _MARK.match(text, _SPACES.match(text, nxt[0]).end(), nxt[1])
                c = m2.group() if m2 else ""
                same = c in _CLOSERS and _is_single(c) == _is_single(o.mark) and c != "''"
                if same and m2.end() < nxt[1] and (len(c) == 2 or not text[m2.end()].isspace()):
                    o.segments.append(_trim(text, o.seg_start, pe, False))
                    carry = o
                    continue
            before = text[ps : o.pos].rstrip()
            strong = not before or before[-1] in ":,\u2014" or not _is_single(o.mark) or bool(o.segments)
            if strong:
                segs = o.segments + [_trim(text, o.seg_start, pe, True)]
                out.append(QuoteSpan(o.pos, None, segs, pe))
    good = []
    for q in out:
        q.segments = [(s, e) for s, e in q.segments if e > s]
        if not q.segments:
            continue
        inner = text[q.start : q.end]
        if not any(c.isalnum() for c in inner) or (len(inner) < 2 and _is_single(text[q.open])):
            continue
        good.append(q)
    return good


# ---------------------------------------------------------------- sentences with quotes masked
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sgt|Capt|Maj|Rep|Sen|Gov|St|Jr|Sr|No|Adm|Cmdr|Rev|Hon|Brig|"
    r"Cpl|Pvt|Fr|vs|etc|Inc|Co|Corp|Ltd|Jan|Feb|Aug|Sept|Oct|Nov|Dec)|(?<![A-Za-z])[A-Z])$"
)
_SENT_END = re.compile("[.!?\u2026]+[\"'\u201d\u2019\u00bb)]*\\s+(?=[\"'\u201c\u2018\u00ab\u201e(\\[]?[A-Z0-9])")


def _sentence_starts(text: str, spans: list[QuoteSpan]) -> list[int]:
    masked = list(text)
    for q in spans:
        for s, e in q.segments:
            keep = e - 1 if text[e - 1] in ".!?\u2026" else e
            for j in range(s, keep):
                if masked[j] != "\n":
                    masked[j] = "x"
    mtext = "".join(masked)
    starts = {m.start() for m in _PARA.finditer(text)}
    for m in _SENT_END.finditer(mtext):
        after_mark = mtext[m.start() - 1] in "\"'\u201d\u2019\u00bb)"
        if after_mark or not _ABBREV.search(mtext, max(0, m.start() - 6), m.start()):
            starts.add(m.end())
    inside = [(q.open, q.outer_end) for q in spans]
    return sorted(s for s in starts if not any(o < s < e for o, e in inside))


# ---------------------------------------------------------------- reporting verbs
_IRREGULAR = {"said": "say", "says": "say", "saying": "say", "told": "tell", "tells": "tell", "telling": "tell",
              "wrote": "write", "writes": "write", "writing": "write", "written": "write"}
_REGULAR = """add note state claim insist explain warn argue announce report declare reply respond continue
    comment stress emphasise emphasize remark observe confirm deny acknowledge admit post tweet ask conclude
    recall reveal assert maintain caution predict urge vow pledge promise boast concede contend quip complain
    describe call dub allege estimate quote""".split()
_LINKED_ONLY = frozenset("describe call dub".split())  # cues only when the quote hangs on them
_NO_CLAIM = _LINKED_ONLY | {"ask", "continue", "quip", "quote"}
_INDIRECT = frozenset(["say", "tell", "write"] + [v for v in _REGULAR if v not in _NO_CLAIM])


def _forms(v: str) -> list[str]:
    stem = v[:-1] if v.endswith("e") else v
    ied = v[:-1] + "ied" if v.endswith("y") and v[-2] not in "aeiou" else None
    dbl = v + v[-1] if v in ("admit", "quip") else v
    third = (v[:-1] + "ies") if ied else v + ("es" if v.endswith(("s", "sh", "ch")) else "s")
    past = ied or (v + "d" if v.endswith("e") else dbl + "ed")
    return [v, third, past, (stem if v.endswith("e") else dbl) + "ing"]


_FORMS = dict(_IRREGULAR)
for _v in _REGULAR:
    for _f in _forms(_v):
        _FORMS.setdefault(_f, _v)


def cue_of(tok) -> str | None:
    """The reporting verb lemma of a token, or "according to", else None."""
    low = tok.lower_
    if low == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        return "according to"
    lemma = _FORMS.get(low)
    if lemma is None or not (tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")):
        return None
    return lemma


# ---------------------------------------------------------------- attribution
@dataclass
class _Attribution:
    cue_tok: Any  # the reporting verb (or "according") token
    cue: str
    factor: float  # how sure the link between quote and verb is
    after: bool = False  # the verb follows the quote ("…," said X: the subject may follow the verb)


class _Context:
    def __init__(self, doc, spans: list[QuoteSpan]):
        self.doc = doc
        self.text = Parsed.of(doc).text
        self.spans = spans
        self.tok_starts = Parsed.of(doc).idx  # shared with the other extractors: do not modify
        self.in_quote: set[int] = set()
        for q in spans:
            lo = bisect_left(self.tok_starts, q.open)
            hi = bisect_left(self.tok_starts, q.outer_end)
            self.in_quote.update(range(lo, hi))
        self.sent_starts = _sentence_starts(self.text, spans)
        self.para_starts = [m.start() for m in _PARA.finditer(self.text)]

    def tokens(self, s: int, e: int) -> list:
        lo, hi = bisect_left(self.tok_starts, s), bisect_left(self.tok_starts, e)
        return [self.doc[i] for i in range(lo, hi) if i not in self.in_quote]

    def sent_start(self, pos: int) -> int:
        k = bisect_right(self.sent_starts, pos) - 1
        return self.sent_starts[k] if k >= 0 else 0

    def bounds(self, pos: int) -> tuple[int, int]:
        return self.sent_start(pos), self.sent_end(pos)

    def sent_end(self, pos: int) -> int:
        k = bisect_right(self.sent_starts, pos)
        return self.sent_starts[k] if k < len(self.sent_starts) else len(self.text)

    def quote_tokens(self, q: QuoteSpan) -> list:
        lo, hi = bisect_left(self.tok_starts, q.start), bisect_left(self.tok_starts, q.end)
        return [self.doc[i] for i in range(lo, hi)]


def _bare(tok, ctx: _Context) -> bool:
    """A verb with no complement of its own outside quotes ("he said.", "said Anna Kowalczyk")."""
    return not any(c.dep_ in ("ccomp", "xcomp", "dobj") and c.i not in ctx.in_quote and c.i > tok.i
                   for c in tok.children)


def _attribute(q: QuoteSpan, ctx: _Context) -> _Attribution | None:
    text = ctx.text
    qtoks = ctx.quote_tokens(q)
    anc: set[int] = set()
    qset = {t.i for t in qtoks}
    for t in qtoks:
        if t.head.i not in qset or t.head == t:
            anc.update(a.i for a in t.ancestors)
    # before: from the sentence start to the opening mark
    bstart = ctx.sent_start(q.open)
    before = ctx.tokens(bstart, q.open)
    best_before = None
    for t in reversed(before):
        cue = cue_of(t)
        if cue is None:
            continue
        sub = {x.i for x in t.subtree}
        tail = [u for u in before if u.i > t.i and not u.is_punct and u.i not in sub]
        if t.i in anc or (not tail and cue not in _LINKED_ONLY):
            best_before = _Attribution(t, cue, 1.0 if cue not in _LINKED_ONLY else 0.8)
            break
    # after: from the closing mark to the end of the sentence (the next one if the quote ended it)
    p0 = q.outer_end
    while p0 < len(text) and text[p0] in " \t":
        p0 += 1
    soft = q.close is not None and text[q.close - 1] in ".!?\u2026" and p0 in ctx.sent_starts
    after = ctx.tokens(q.outer_end, ctx.sent_end(p0)) if p0 < len(text) and text[p0] != "\n" else []
    best_after = None
    for t in after[:30]:
        cue = cue_of(t)
        if cue is None or cue in _LINKED_ONLY:
            continue
        sub = {x.i for x in t.subtree}
        # words before the verb belong to its subject (a title the parse split off may be stray PROPNs)
        head = [u for u in after if u.i < t.i and not u.is_punct and u.i not in sub and u.pos_ != "PROPN"]
        if not head and (not soft or _bare(t, ctx)):
            best_after = _Attribution(t, cue, 0.9 if soft else 1.0, True)
        break
    # "…," / "…?" / "…—" leave the sentence open for its attribution
    ends_open = text[q.end - 1] in ",?!\u2014-" or text[q.end : q.end + 1] == ","
    if best_after and (ends_open or best_before is None):
        return best_after
    if best_before:
        return best_before
    if best_after:
        return best_after
    # a colon-ended attribution closing the previous paragraph ("He added:" then the quote)
    k = bisect_right(ctx.para_starts, q.open) - 1
    if k > 0 and not text[ctx.para_starts[k] : q.open].strip():
        prev_end = ctx.para_starts[k] - 1
        while prev_end > 0 and text[prev_end - 1].isspace():
            prev_end -= 1
        if prev_end > 0 and text[prev_end - 1] == ":":
            for t in reversed(ctx.tokens(ctx.sent_start(prev_end - 1), prev_end)):
                cue = cue_of(t)
                if cue and cue not in _LINKED_ONLY:
                    return _Attribution(t, cue, 0.9)
    return None


def _clause_span(toks: list, ctx: _Context) -> tuple[int, int] | None:
    """Char span of a reported clause: no leading "that" or commas, quote marks kept balanced."""
    while toks and (toks[0].is_punct and toks[0].i not in ctx.in_quote or toks[0].dep_ == "mark"):
        toks = toks[1:]
    while toks and toks[-1].is_punct and toks[-1].i not in ctx.in_quote:
        toks = toks[:-1]
    if not toks:
        return None
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1])
    for q in ctx.spans:
        if q.open < s < q.outer_end <= e or (s <= q.open < e < q.outer_end):
            s, e = min(s, q.open), max(e, q.outer_end)
    while e > s and ctx.text[e - 1] in " ,;:":
        e -= 1
    return s, e


def _that_clause(verb, lo: int, hi: int, ctx: _Context) -> tuple[int, int] | None:
    """A parse without the ccomp: "said on X, formerly Twitter, that <clause>" up to the sentence end."""
    sub = {x.i for x in verb.subtree}
    for x in ctx.doc[verb.i + 1 :]:
        if x.idx >= hi or x.is_space:
            return None
        if x.lower_ == "that" and x.dep_ == "mark":
            rest = [y for y in takewhile(lambda y: y.idx < hi, ctx.doc[x.i + 1 :]) if not y.is_space]
            return _clause_span(rest, ctx)
        if not (x.i in sub or x.is_punct):
            return None
    return None


def _mostly_quoted(s: int, e: int, ctx: _Context) -> bool:
    inside = sum(max(0, min(e, q.end) - max(s, q.start)) for q in ctx.spans)
    return inside >= 0.6 * (e - s)


def _claims(ctx: _Context) -> list[tuple[Any, str, tuple[int, int], float]]:
    """Indirect claims: (cue token, cue, clause span, factor)."""
    out = []
    for t in ctx.doc:
        if t.i in ctx.in_quote:
            continue
        cue = cue_of(t)
        if cue is None or (cue not in _INDIRECT and cue != "according to"):
            continue
        if cue == "according to":
            main = t.head
            if main == t or main.i in ctx.in_quote:
                continue
            lo, hi = ctx.bounds(t.idx)
            acc = {x.i for x in t.subtree}
            rest = [x for x in main.subtree if x.i not in acc and lo <= x.idx < hi and not x.is_space]
            if not rest:
                continue
            side = [x for x in rest if x.i > max(acc)] if min(acc) <= main.left_edge.i + 1 else \
                [x for x in rest if x.i < min(acc)]
            span = _clause_span(side, ctx)
            factor = 0.9
        else:
            lo, hi = ctx.bounds(t.idx)
            comps = [c for c in t.children if c.dep_ == "ccomp" and c.i > t.i and c.idx < hi]
            if comps:
                toks = [x for x in comps[0].subtree if lo <= x.idx < hi and not x.is_space and x.i > t.i]
                span = _clause_span(contiguous(ctx.doc, comps[0], toks), ctx)
            else:
                span = _that_clause(t, lo, hi, ctx)
                if span is None:
                    continue
            factor = 1.0 if t.tag_ in ("VBD", "VBZ", "VBP", "VBN") else 0.8
        if span is None or _mostly_quoted(*span, ctx) or len(ctx.text[span[0] : span[1]].split()) < 2:
            continue
        out.append((t, cue, span, factor))
    return out


_SPEAKER_FACTOR = {"name": 1.0, "surname": 0.95, "pronoun": 0.85, "description": 0.9, "none": 0.5}


def find_quotes(doc) -> list[Quote]:
    """Direct quotes and indirect claims of a parsed article, in text order."""
    text = Parsed.of(doc).text  # Doc.text joins every token: read it once for all extractors
    if not text.strip():
        return []
    spans = scan_quotes(text)
    if not doc.has_annotation("DEP"):
        return [Quote(q.start, q.end, text[q.start : q.end], None, None, None, None, None, None, None, "direct",
                      0.45 if q.close is not None else 0.35, list(q.segments)) for q in spans]
    ctx = _Context(doc, spans)
    attributions = [_attribute(q, ctx) for q in spans]
    claims = _claims(ctx)
    # speakers resolved in text order of their subject, so pronouns see the speakers before them
    heads: dict[int, Any] = {}
    for a in attributions:
        if a is not None:
            heads.setdefault(a.cue_tok.i, subject_of(a.cue_tok, a.cue, ctx, a.after))
    for t, cue, _, _ in claims:
        heads.setdefault(t.i, subject_of(t, cue, ctx, False))
    resolver = Resolver(doc, ctx.in_quote, ctx.bounds)
    speakers: dict[int, Speaker] = {}
    order = sorted(heads.items(), key=lambda kv: kv[1].i if kv[1] is not None else kv[0])
    for cue_i, head in order:
        if head is None:
            speakers[cue_i] = Speaker(None, None, None, None, None, False, "none")
        else:
            speakers[cue_i] = resolver.resolve(head)
    channels: dict[int, str | None] = {i: channel_of(ctx.doc[i], ctx) or speakers[i].channel for i in heads}
    last_channel: dict[str, str] = {}  # speaker name -> latest channel ("he wrote" after "said on X")

    def make(s: int, e: int, cue_i: int | None, cue: str | None, kind: str, base: float, segs) -> Quote:
        sp = speakers.get(cue_i) if cue_i is not None else None
        sp = sp or Speaker(None, None, None, None, None, False, "none")
        ch = channels.get(cue_i) if cue_i is not None else None
        if sp.name and ch:
            last_channel[sp.name] = ch
        elif sp.name and sp.via == "pronoun" and cue in ("write", "post", "tweet"):
            ch = last_channel.get(sp.name)
        conf = base * _SPEAKER_FACTOR[sp.via]
        return Quote(s, e, text[s:e], sp.name, sp.title, sp.start, sp.end, sp.kind, cue, ch, kind,
                     round(conf, 3), list(segs))

    items: list[tuple[int, int, Quote]] = []
    prev: tuple[int, _Attribution] | None = None  # the previous direct quote's paragraph and attribution
    events = [(q.open, 0, q, a) for q, a in zip(spans, attributions)] + \
        [(span[0], 1, (t, cue, span, f), None) for t, cue, span, f in claims]
    for pos, typ, obj, a in sorted(events, key=lambda e: (e[0], e[1])):
        if typ == 1:
            t, cue, (s, e), f = obj
            items.append((s, 1, make(s, e, t.i, cue, "indirect", 0.8 * f, [])))
            continue
        q = obj
        para = bisect_right(ctx.para_starts, q.open)
        base = 0.9 if q.close is not None else 0.8
        if a is None and prev is not None and prev[0] == para:
            a = _Attribution(prev[1].cue_tok, prev[1].cue, 0.85)
        if a is not None:
            prev = (para, a)
            quote = make(q.start, q.end, a.cue_tok.i, a.cue, "direct", base * a.factor, q.segments)
        else:
            quote = make(q.start, q.end, None, None, "direct", base, q.segments)
        items.append((q.start, 0, quote))
    return [it[2] for it in sorted(items, key=lambda it: (it[0], it[1]))]
