"""People, organisations and places named in a non-English text, per language.

Stage ``langentities.v1``. What each language gets (measured in ``../shared/MULTILINGUAL.md`` and
in ``tests/test_languages.py``):

* ru: natasha (slovnet NER + morphology), forms normalised ("Бреста" -> "Брест");
* uk, be: natasha on the text as it is (it finds the spans of uk/be names but mistypes some:
  a span that the gazetteer resolves is a place whatever natasha says); apertium bel-rus is not
  installed here, so be gets no translation first;
* fr, es: spaCy ``fr_core_news_md``'s NER alone (``es`` text read by the French model: 8/9);
* zh: jieba posseg (``nr``/``nrfg`` person, ``nrt`` transliterated name, ``ns`` place, ``nt`` organisation);
* pl: morfeusz2's proper-name classes on capitalised words (``imię``/``nazwisko`` person,
  ``nazwa_geograficzna`` place, ``nazwa_organizacji`` organisation);
* de, nl and other languages: no trained NER here; places come from the gazetteer
  (:mod:`.places`) and speakers from the quote rules.

Each name carries a Latin key (PyICU BGN transliteration: "Вадим Денисенко" -> "Vadim
Denisenko"; Han -> pinyin) so that names can be matched across scripts.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from crosswire.extract.languages.text import Segmented
from crosswire.models import Discard, Fact

STAGE = "langentities.v1"
NER_BY_LANG = {"ru": "natasha", "uk": "natasha", "be": "natasha", "fr": "spacy-fr", "es": "spacy-fr",
               "zh": "jieba", "pl": "morfeusz2"}
_LABEL = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
_TRANSLIT = {"ru": "Russian-Latin/BGN", "uk": "Ukrainian-Latin/BGN", "be": "Belarusian-Latin/BGN", "zh": "Han-Latin"}
_LOCK = threading.Lock()
FR_MODEL = "fr_core_news_md"


@dataclass
class Name:
    start: int
    end: int
    text: str
    label: str  # PER | ORG | LOC | MISC
    normal: str | None  # the name's base form when the analyser gives one
    lang: str
    source: str
    weak: bool = False  # one word opening a sentence: kept only if the gazetteer knows it


@cache
def _natasha() -> dict[str, Any]:
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsNERTagger, Segmenter

    emb = NewsEmbedding()
    return {"Doc": Doc, "seg": Segmenter(), "vocab": MorphVocab(), "ner": NewsNERTagger(emb)}


def _ru_normal(text: str, label: str, vocab) -> str | None:  # type: ignore[no-untyped-def]
    """The base form of a Russian person or place name, word by word by pymorphy (natasha's
    MorphVocab): "Брестом" -> "Брест", "Вадима Денисенко" -> "Вадим Денисенко". Natasha's own
    span normalisation needs its morphology tagger, 70% of its time here: not run. An
    organisation keeps its words ("министерства обороны" would become two nominatives)."""
    if label not in ("PER", "LOC"):
        return None
    words = []
    for w in text.split():
        parses = vocab.parse(w)
        if label == "PER":
            named = [p for p in parses if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
            parses = named or parses
        else:
            parses = [p for p in parses if "Geox" in p.tag.grammemes] or parses
        lemma = w.lower()
        if parses:  # the nominative of the same gender ("Анны Петровой" -> "Анна Петрова")
            nominative = parses[0].inflect({"Nom"}) if label == "PER" else None
            lemma = nominative.word if nominative is not None else parses[0].normal_form
        words.append(lemma[:1].upper() + lemma[1:] if w[:1].isupper() else lemma)
    return " ".join(words)


@cache
def _spacy_fr():  # type: ignore[no-untyped-def]
    import spacy

    # only the entity recogniser and what it reads: sentences come from sentencex
    return spacy.load(FR_MODEL, exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return pseg


@cache
def latin_key(text: str, lang: str) -> str:
    """A Latin-letter, ASCII form of a name for matching across scripts ("Вадим Денисенко" ->
    "Vadim Denisenko")."""
    rule = _TRANSLIT.get(lang, "Any-Latin")
    with _LOCK:
        t = _translit(f"{rule}; Latin-ASCII")
        return " ".join(t.transliterate(text).split())


@cache
def _translit(rule: str):  # type: ignore[no-untyped-def]
    import icu

    return icu.Transliterator.createInstance(rule)


def _chunks(seg: Segmented, langs: set[str]) -> list[tuple[int, int, str]]:
    """Runs of consecutive paragraphs in one of ``langs``: (start, end, lang)."""
    out: list[tuple[int, int, str]] = []
    for p in seg.paragraphs:
        if p.lang not in langs:
            continue
        if out and out[-1][2] == p.lang and not seg.text[out[-1][1] : p.start].strip():
            out[-1] = (out[-1][0], p.end, p.lang)
        else:
            out.append((p.start, p.end, p.lang))
    return out


def find_names(seg: Segmented, discards: list[Discard]) -> list[Name]:
    """Names of every paragraph whose language has an analyser here."""
    out: list[Name] = []
    text = seg.text
    for a, b, lang in _chunks(seg, {"ru", "uk", "be"}):
        n = _natasha()
        doc = n["Doc"](text[a:b])
        doc.segment(n["seg"])
        doc.tag_ner(n["ner"])
        for span in doc.spans:
            normal = _ru_normal(span.text, span.type, n["vocab"]) if lang == "ru" else None
            out.append(Name(a + span.start, a + span.stop, span.text, span.type, normal, lang, "natasha"))
    chunks = _chunks(seg, {"fr", "es"})
    if chunks:
        nlp = _spacy_fr()
        for (a, b, lang), doc in zip(chunks, nlp.pipe([text[a:b] for a, b, _ in chunks]), strict=True):
            for e in doc.ents:
                out.append(Name(a + e.start_char, a + e.end_char, e.text, e.label_, None, lang, "spacy-fr"))
    for a, b, lang in _chunks(seg, {"zh"}):
        pos = a
        for w in _jieba().cut(text[a:b]):
            start = pos
            pos += len(w.word)
            label = {"nr": "PER", "nrfg": "PER", "nrt": "NRT", "ns": "LOC", "nt": "ORG"}.get(w.flag)
            if label and len(w.word) >= 2:
                out.append(Name(start, pos, w.word, label, None, lang, "jieba"))
        _join_zh(out, text)
    for a, b, lang in _chunks(seg, {"pl"}):
        out += _polish_names(text, a, b)
    out.sort(key=lambda n: n.start)
    return tidy(out, seg, discards)


def _join_zh(names: list[Name], text: str) -> None:
    """jieba splits foreign names ("赫" + "列宁"): adjacent person pieces become one name."""
    i = 0
    while i < len(names) - 1:
        x, y = names[i], names[i + 1]
        if x.source == y.source == "jieba" and x.end == y.start and x.label in ("PER", "NRT") and y.label in ("PER", "NRT"):
            names[i] = Name(x.start, y.end, text[x.start : y.end], "PER", None, x.lang, "jieba")
            del names[i + 1]
        else:
            i += 1


_PL_CAP = re.compile(r"(?<![\w'’])[A-ZĄĆĘŁŃÓŚŹŻ][\w\-]+(?:\s+[A-ZĄĆĘŁŃÓŚŹŻ][\w\-]+)*")


def _polish_names(text: str, a: int, b: int) -> list[Name]:
    from crosswire.extract.languages.places import _morfeusz

    out = []
    m2 = _morfeusz()
    for m in _PL_CAP.finditer(text, a, b):
        words = list(re.finditer(r"\S+", m.group()))
        classes = []
        for w in words:
            kinds = {n for *_, (_, lemma, _, names, _) in m2.analyse(w.group()) for n in names
                     if lemma[:1].isupper()}
            classes.append(kinds)
        # people: a run of given names and surnames; places and organisations: one word each
        i = 0
        while i < len(words):
            k = classes[i]
            if k & {"imię", "nazwisko"}:
                j = i + 1
                while j < len(words) and classes[j] & {"imię", "nazwisko"}:
                    j += 1
                if j - i >= 2:
                    s, e = m.start() + words[i].start(), m.start() + words[j - 1].end()
                    out.append(Name(s, e, text[s:e], "PER", None, "pl", "morfeusz2"))
                    i = j
                    continue
            if "nazwa_geograficzna" in k:
                s, e = m.start() + words[i].start(), m.start() + words[i].end()
                out.append(Name(s, e, text[s:e], "LOC", None, "pl", "morfeusz2"))
            elif "nazwa_organizacji" in k:
                s, e = m.start() + words[i].start(), m.start() + words[i].end()
                out.append(Name(s, e, text[s:e], "ORG", None, "pl", "morfeusz2"))
            i += 1
    return out


_PARTICLES = frozenset({"de", "da", "del", "di", "van", "von", "der", "den", "la", "le", "du", "dos", "y", "al", "bin", "ibn"})


def tidy(names: list[Name], seg: Segmented, discards: list[Discard]) -> list[Name]:
    """Repairs of what the statistical recognisers get wrong on these texts: lower-case words
    at a name's ends are cut ("dijo Manuel Ortega" -> "Manuel Ortega"); a one-word person or
    organisation opening a sentence is dropped ("Unos", "Сумесныя": ``sentence_initial_word``);
    a "person" with a lower-case word inside is an organisation ("Міністэрства абароны Беларусі")."""
    starts = {s.start for s in seg.sentences}
    out = []
    for n in names:
        if n.source in ("jieba",):
            out.append(n)
            continue
        words = list(re.finditer(r"\S+", n.text))
        while words and not words[0].group()[:1].isupper() and not words[0].group()[:1].isdigit():
            words.pop(0)
        while words and not words[-1].group()[:1].isupper() and not words[-1].group()[:1].isdigit():
            words.pop()
        if not words:
            discards.append(Discard(STAGE, "no_capitalised_word", n.text, n.start, n.end))
            continue
        a, b = n.start + words[0].start(), n.start + words[-1].end()
        if (a, b) != (n.start, n.end):
            n = Name(a, b, seg.text[a:b], n.label, n.normal if len(words) == len(n.text.split()) else None,
                     n.lang, n.source)
        opening = a in starts or seg.text[max(0, a - 2) : a].strip() in ("«", "„", "“", "\"", "(")
        if len(words) == 1 and opening:
            if n.label in ("PER", "ORG", "MISC"):
                discards.append(Discard(STAGE, "sentence_initial_word", n.text, n.start, n.end))
                continue
            n.weak = True
        if n.label == "PER" and any(not w.group()[:1].isupper() and w.group().lower() not in _PARTICLES
                                    for w in words):
            n.label = "ORG"
        out.append(n)
    return out


def entity_facts(names: list[Name], place_spans: dict[tuple[int, int], str], article_id: str,
                 discards: list[Discard], place_ids: dict[tuple[int, int], int | None] | None = None) -> list[Fact]:
    """``entity`` facts (about PERSON, ORG or GPE, as the English stage) with a Latin key."""
    facts = []
    for n in names:
        label = "GPE" if (n.start, n.end) in place_spans else _LABEL.get(n.label)
        if n.label == "NRT":
            label = "GPE" if (n.start, n.end) in place_spans else "PERSON"
        if label is None:
            discards.append(Discard(STAGE, f"label_{n.label.lower()}_not_kept", n.text, n.start, n.end))
            continue
        if len(n.text.strip()) < 2 or not any(ch.isalpha() for ch in n.text):
            discards.append(Discard(STAGE, "not_a_name", n.text, n.start, n.end))
            continue
        if label == "GPE" and (n.start, n.end) not in place_spans:
            if n.weak:
                discards.append(Discard(STAGE, "sentence_initial_word", n.text, n.start, n.end))
                continue
            label = "LOC"  # a place name the gazetteer does not know
        value = " ".join((n.normal or n.text).split())
        detail: dict[str, Any] = {"ner": n.source, "lang": n.lang, "latin": latin_key(value, n.lang)}
        if place_ids and place_ids.get((n.start, n.end)):
            detail["geonameid"] = place_ids[(n.start, n.end)]
        facts.append(Fact(article_id, "entity", label, value, n.text, n.start, n.end, STAGE, 0.7, None, detail))
    return facts
