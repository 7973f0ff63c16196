"""Direct quotes of a non-English text, with their speakers.

Stage ``langquotes.v1``. A quote is the text between a pair of the language's quote marks
(„…“ „…” «…» “…” 「…」, from its word list) inside one paragraph, of at least three words (a
name in guillemets, «Белтелеком», is not a quote: discarded ``too_short``). Its speaker is looked
for around it, in the sentences it spans and the one after when a dash or comma follows it ("«…»,
— заявил Денисенко."): a speech verb of the language must be there ("заявил", "powiedział",
"sagte", "a déclaré", "dijo", "表示"), and the speaker is the person (else organisation) the names
stage found nearest to that verb outside the quote, else a run of capitalised words next to the
verb (languages without NER). No verb: the quote is kept with no speaker.
"""

from __future__ import annotations

import re

from crosswire.extract.languages.lexicon import Lexicon
from crosswire.extract.languages.names import Name
from crosswire.extract.languages.text import Segmented
from crosswire.extract.quotes.find import Quote
from crosswire.models import Discard

STAGE = "langquotes.v1"
MIN_WORDS = 3
_CAPS = re.compile(r"(?<![\w'’])[A-ZÀ-ÞĀ-ſА-ЯЁІЇЄЎҐ][\w'’\-]+(?:\s+[A-ZÀ-ÞĀ-ſА-ЯЁІЇЄЎҐ][\w'’\-]+){1,2}")
_AFTER = 40  # characters after a speech verb where its speaker's name may start


def find_quotes(seg: Segmented, lexicons: dict[str, Lexicon], names: list[Name],
                discards: list[Discard]) -> list[Quote]:
    out: list[Quote] = []
    text = seg.text
    for p in seg.paragraphs:
        lex = lexicons.get(p.lang)
        if lex is None:
            continue
        spans: list[tuple[int, int]] = []
        for open_, close in lex.quote_marks:
            pos = p.start
            while True:
                a = text.find(open_, pos, p.end)
                if a < 0:
                    break
                b = text.find(close, a + 1, p.end)
                if b < 0:
                    break
                pos = b + 1
                if any(x <= a < y or x < b <= y for x, y in spans):
                    continue
                inner = text[a + 1 : b]
                words = len(inner) if lex.cjk else len(inner.split())
                if words < (6 if lex.cjk else MIN_WORDS):
                    discards.append(Discard(STAGE, "too_short", inner, a + 1, b))
                    continue
                spans.append((a, b))
        for a, b in sorted(spans):
            out.append(_quote(seg, a, b, lex, names, spans))
    return out


def _context(seg: Segmented, a: int, b: int) -> tuple[int, int]:
    sents = [s for s in seg.sentences if s.end > a and s.start <= b]
    if not sents:
        return a, b + 1
    lo, hi = sents[0].start, sents[-1].end
    tail = seg.text[b + 1 : b + 4]
    if hi <= b + 2 and any(c in tail for c in ",—–-"):
        nxt = next((s for s in seg.sentences if s.start >= hi), None)
        if nxt is not None and nxt.start - hi < 3:
            hi = nxt.end
    return lo, hi


def _quote(seg: Segmented, a: int, b: int, lex: Lexicon, names: list[Name], spans: list[tuple[int, int]]) -> Quote:
    text = seg.text
    lo, hi = _context(seg, a, b)

    def outside(x: int, y: int) -> bool:
        return all(y <= qa or x > qb for qa, qb in spans)

    verbs = [m for m in lex.speech.finditer(text, lo, hi) if outside(m.start(), m.end())]
    speaker = title = kind = None
    s_start = s_end = None
    cue = None
    if verbs:
        verb = min(verbs, key=lambda m: min(abs(m.start() - b), abs(a - m.end())))
        cue = verb.group()
        cands = [n for n in names if lo <= n.start and n.end <= hi and outside(n.start, n.end)
                 and n.label in ("PER", "ORG", "NRT")]
        if cands:
            best = min(cands, key=lambda n: (n.label == "ORG", abs(n.start - verb.end()) if n.start >= verb.end()
                                             else abs(verb.start() - n.end)))
            speaker, s_start, s_end = " ".join((best.normal or best.text).split()), best.start, best.end
            kind = "organization" if best.label == "ORG" else "person"
        else:
            run = _capitalised_after(text, verb.end(), hi)
            if run is not None and outside(*run):
                s_start, s_end = run
                speaker, kind = text[s_start:s_end], "person"
    inner_a, inner_b = a + 1, b
    while inner_a < inner_b and text[inner_a].isspace():
        inner_a += 1
    while inner_b > inner_a and text[inner_b - 1].isspace():
        inner_b -= 1
    if lex.cjk and speaker and s_end is not None and verbs:
        # jieba splits a foreign name ("杰尼" + "先科"): the speaker runs up to the speech verb
        gap = text[s_end : verb.start()]
        if 0 < len(gap) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in gap):
            s_end = verb.start()
            speaker = text[s_start:s_end]
    return Quote(inner_a, inner_b, text[inner_a:inner_b], speaker, title, s_start, s_end, kind, cue, None,
                 "direct", 0.7 if speaker else 0.4)


def _capitalised_after(text: str, at: int, hi: int) -> tuple[int, int] | None:
    """The first run of two or three capitalised words after a speech verb, a title before it
    dropped ("sagte Feuerwehrsprecher Jan Ohlsen": "Jan Ohlsen"); the last two words of three."""
    m = _CAPS.search(text, at, min(hi, at + _AFTER + 30))
    if m is None or m.start() - at > _AFTER:
        return None
    words = list(re.finditer(r"\S+", m.group()))
    if len(words) == 3:
        return m.start() + words[1].start(), m.end()
    return m.start(), m.end()
