"""Time expressions scored on MEANTIME English (Minard et al., LREC 2016; CC BY 4.0), through the product.

Reads the CAT XML under ``PATH/intra_cross-doc_annotation/corpus_*/*.xml``: tokens (``t_id``,
``sentence``) and ``TIMEX3`` markables (``token_anchor`` children, ``type``, ``value``). Each
document is rebuilt as a news report: sentence 0 is the headline, the other sentences the body, one
sentence a line (sentence 1 is the dateline), the tokens joined as written text ("2008 ." ->
"2008.", "`` Yes ''" -> '"Yes"', "do n't" -> "don't"), keeping a token -> character map.

One path: the documents go through the product as a user's would. They are written as news-please
JSON Lines (``title``, ``maintext``, ``url``, the document creation time as ``date_publish``) and
read by :func:`crosswire.ingest.pipeline.ingest` and :func:`crosswire.extract.analyze.analyze` into
a fresh temporary store; what is scored are the stored facts of kinds date/duration/set made by
``dates.v1`` (exactly what ``crosswire export --what facts`` gives), at their spans in the stored
clean text. That text is aligned character by character to the rebuilt one (difflib), so each fact
maps to MEANTIME tokens. Nothing is dropped without being counted: ``facts_unaligned`` (facts no
character of which aligns to a token), ``gold_in_title`` (the product extracts time facts from the
body only, so a headline timex is a miss), ``gold_not_in_text`` (timexes whose text ingest did not
store: a cleaned-away line, a rejected document), ``sentences_dropped`` (annotated body sentences
cleaning removed), ``documents_rejected`` and ``documents_skipped`` (by ingest or the facts stage).

The DCT is the ``TIMEX3`` with ``functionInDocument="CREATION_TIME"``. Two Airbus documents have
none: there the full date (``YYYY-MM-DD`` value) annotated on the dateline (sentence 1) is taken as
the DCT. The DCT expression is left out of scoring, and so are predictions that overlap its tokens.
``TIMEX3`` elements without token anchors (empty timexes of the guidelines) are not scored.
MEANTIME annotates time expressions only in the title, the dateline and the first four sentences of
the body (sentences 0-5; no TIMEX3 lies further): the product reads the whole document, and only
its facts inside those sentences are scored.

Splits (MEANTIME defines none), by topic: ``dev`` = ``corpus_airbus`` + ``corpus_apple`` (60
documents), ``test`` = ``corpus_gm`` + ``corpus_stock`` (60 documents), ``all`` = the four, one topic
alone (``airbus``, ``apple``, ``gm``, ``stock``), and ``cv``: each topic scored as a fold
(``<topic>_<metric>``) with the mean over folds (``cv_mean_<metric>``). The rules were written on
dev, and the test split was tuned on too (commits be74420, f528597, 1b9c465, 1275850, cbaeefb,
510957a reported test gains): every topic has been looked at, so every figure here is fitted. The
accuracy gates (tests/test_eval_meantime.py) run on dev and catch regressions; test figures are
reported, never gated.

Scoring (one-to-one matching of gold timexes and predictions):

* ``timex_span_precision/recall/f1``: strict, a prediction must cover exactly the gold token set;
* ``timex_relaxed_f1``: a prediction overlapping a gold timex by at least one token counts
  (exact matches are paired first, so nested gold such as "from 2009 to 2011" / "2009" pairs well);
* ``timex_value_accuracy``: correct ``value`` strings / gold timexes matched (relaxed);
* ``timex_value_f1``: predictions with an overlapping span *and* the right value, over gold
  (recall) and over predictions (precision);
* ``timex_type_accuracy``: correct ``type`` / gold timexes matched (relaxed).

Values are compared as strings, exactly as annotated (``2009-12-15T18:00Z``, ``P2Y``, ``2006-Q4``), with
one conversion, a scoring convention: MEANTIME numbers weeks from the one holding 1 January (weeks
starting on Monday, week 1 the one with 1 January: Python's ``%W`` + 1), where the product writes ISO
8601 weeks as TIMEX3 asks (week 1 the one with the first Thursday). The two differ in years starting
on a Friday, Saturday or Sunday (2005, 2006, 2010, 2011 in this corpus); the corpus's week values
follow the MEANTIME numbering, so a predicted ISO week is renamed before comparing
(:func:`meantime_week`).

Methods: ``rules`` is the product (facts stage ``dates.v1``); ``dateparser`` is the baseline, on the
same stored clean text: the product's spaCy pipeline's DATE/TIME entities, each parsed by dateparser's
``DateDataParser`` with ``RETURN_TIME_AS_PERIOD`` against the DCT (at noon), the value written at the
period dateparser reports (``year`` -> ``2008``, ``month`` -> ``2008-03``, ``week`` -> ISO week,
``day`` and ``part_of_day`` -> the day, ``time`` -> ``2008-03-01T18:15``); the type is the entity label.
"""

from __future__ import annotations

import difflib
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from dateparser.date import DateDataParser

from crosswire.config import Settings
from crosswire.extract.analyze import analyze
from crosswire.extract.nlp import load_nlp
from crosswire.extract.time.dates import STAGE as DATES_STAGE
from crosswire.extract.time.timex import Timex
from crosswire.ingest.pipeline import ingest
from crosswire.models import Article, Fact
from crosswire.store import Store

TOPICS = ("corpus_airbus", "corpus_apple", "corpus_gm", "corpus_stock")
SPLITS: dict[str, tuple[str, ...]] = {
    "dev": ("corpus_airbus", "corpus_apple"),
    "test": ("corpus_gm", "corpus_stock"),
    "all": TOPICS,
    "cv": TOPICS,
    **{t.removeprefix("corpus_"): (t,) for t in TOPICS},
}
METHODS = ("rules", "dateparser")
ANNOTATED_SENTENCES = 6  # sentences 0-5 carry the TIMEX3 annotation
TIME_KINDS = ("date", "duration", "time", "set")  # fact kinds of the time stages
TIME_STAGES = (DATES_STAGE, "timex.v1")
CV_METRICS = ("timex_span_f1", "timex_relaxed_f1", "timex_value_accuracy", "timex_value_f1")


@dataclass
class GoldTimex:
    """One annotated time expression: the token indexes it covers, its type and value."""

    tokens: frozenset[int]
    text: str
    type: str
    value: str


@dataclass
class MeantimeDoc:
    """One MEANTIME document rebuilt as a headline and body text, with its DCT and gold timexes.

    ``text`` is the headline, a newline, then the body; ``token_spans`` index into it.
    """

    name: str
    corpus: str
    text: str
    token_spans: list[tuple[int, int]]
    dct: date | None
    dct_tokens: frozenset[int]
    gold: list[GoldTimex]
    annotated_tokens: int  # tokens [0, annotated_tokens) are in the annotated sentences
    url: str | None = None
    sentence_of: list[int] = field(default_factory=list)  # sentence number of each token

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0]

    @property
    def body(self) -> str:
        return self.text.split("\n", 1)[1] if "\n" in self.text else ""

    @property
    def body_offset(self) -> int:
        return len(self.title) + 1


@dataclass
class Pair:
    """A gold timex and the prediction matched to it (None when missed), or a spurious prediction."""

    doc: str
    dct: date | None
    gold: GoldTimex | None
    pred: Timex | None
    context: str = ""


@dataclass
class MeantimeResult:
    """Metrics plus every gold/prediction pair, and what could not be scored, for error analysis."""

    metrics: dict[str, float]
    pairs: list[Pair] = field(default_factory=list)
    unaligned: list[tuple[str, Timex]] = field(default_factory=list)  # (doc, fact) mapping to no token
    notes: list[str] = field(default_factory=list)  # rejected/skipped documents, dropped sentences


# ---------------------------------------------------------------- reading
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "''", "\u201d", "\u2019", "...", "'", "n't",
                    "'s", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "US$", "CA$", "A$", "\u00a3", "\u20ac", "#", "``", "\u201c", "\u2018", "`"}
_QUOTES = {"``": '"', "''": '"'}


def _join_tokens(words: list[str]) -> list[tuple[str, str]]:
    """(separator, word) per token of one sentence, as written text: no space before a comma, after
    an opening bracket or quote; PTB quotes as straight quotes; a straight quote opens, then closes."""
    out: list[tuple[str, str]] = []
    glue_next, quote_open = True, False
    for word in words:
        shown = _QUOTES.get(word, word)
        attach = word.lower() in _NO_SPACE_BEFORE or (word == '"' and quote_open)
        out.append(("" if glue_next or attach else " ", shown))
        glue_next = word in _NO_SPACE_AFTER or (word == '"' and not quote_open)
        if word == '"':
            quote_open = not quote_open
    return out


def read_document(file: Path) -> MeantimeDoc:
    """One CAT XML file as a :class:`MeantimeDoc`."""
    root = ET.parse(file).getroot()
    tokens = list(root.iter("token"))
    index = {tok.get("t_id"): i for i, tok in enumerate(tokens)}
    sentence_of = [int(tok.get("sentence") or 0) for tok in tokens]
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset, i = 0, 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and sentence_of[j] == sentence_of[i]:
            j += 1
        if i:
            parts.append("\n")
            offset += 1
        for sep, word in _join_tokens([tok.text or "" for tok in tokens[i:j]]):
            parts.append(sep + word)
            offset += len(sep)
            spans.append((offset, offset + len(word)))
            offset += len(word)
        i = j
    text = "".join(parts)

    gold: list[GoldTimex] = []
    dct: date | None = None
    dct_tokens: frozenset[int] = frozenset()
    for markable in root.iter("TIMEX3"):
        ids = frozenset(index[a.get("t_id")] for a in markable.findall("token_anchor") if a.get("t_id") in index)
        value = markable.get("value") or ""
        if markable.get("functionInDocument") == "CREATION_TIME":
            dct = _iso_day(value)
            dct_tokens = ids
            continue
        if not ids:
            continue
        words = text[spans[min(ids)][0] : spans[max(ids)][1]]
        gold.append(GoldTimex(ids, words, markable.get("type") or "", value))
    if dct is None:  # no CREATION_TIME: the full date on the dateline
        for g in gold:
            if all(sentence_of[i] == 1 for i in g.tokens) and _iso_day(g.value):
                dct, dct_tokens = _iso_day(g.value), g.tokens
                break
    gold = [g for g in gold if not (g.tokens & dct_tokens)]
    gold.sort(key=lambda g: min(g.tokens))
    annotated = sum(1 for s in sentence_of if s < ANNOTATED_SENTENCES)
    return MeantimeDoc(file.stem, file.parent.name, text, spans, dct, dct_tokens, gold, annotated,
                       root.get("url"), sentence_of)


def read_meantime(path: Path, split: str = "test") -> list[MeantimeDoc]:
    """The documents of one split (``dev``, ``test``, ``all``, ``cv`` or one topic), in file-name order."""
    if split not in SPLITS:
        raise ValueError(f"unknown MEANTIME split {split!r}: use one of {', '.join(SPLITS)}")
    base = Path(path) / "intra_cross-doc_annotation"
    files = [f for corpus in SPLITS[split] for f in sorted((base / corpus).glob("*.xml"))]
    if not files:
        raise FileNotFoundError(f"no MEANTIME XML under {base}: expected corpus_*/*.xml folders")
    return [read_document(f) for f in files]


def _iso_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


# ---------------------------------------------------------------- the product
@dataclass
class Stored:
    """What the product kept of one document: the stored article and its time facts, or why not."""

    article: Article | None
    facts: list[Fact] = field(default_factory=list)
    problem: str | None = None  # "rejected: <reason>", "skipped: <reason>", "not stored"


def news_record(doc: MeantimeDoc) -> dict[str, Any]:
    """The document as a news-please record: headline, body, URL and the DCT as publication date."""
    record: dict[str, Any] = {"title": doc.title, "maintext": doc.body}
    if doc.url:
        record["url"] = doc.url
    if doc.dct:
        record["date_publish"] = doc.dct.isoformat()
    return record


def run_product(docs: list[MeantimeDoc], settings: Settings | None = None, *, facts: bool = True) -> list[Stored]:
    """Ingest the documents as JSON Lines into a fresh temporary store and (``facts``) analyse
    them; per document, its stored article and time facts (``export --what facts``), or why none."""
    with tempfile.TemporaryDirectory(prefix="crosswire-meantime-") as tmp:
        source = Path(tmp) / "meantime.jsonl"
        with source.open("w", encoding="utf-8") as f:
            for doc in docs:
                f.write(json.dumps(news_record(doc), ensure_ascii=False) + "\n")
        settings = replace(settings or Settings(), db=str(Path(tmp) / "meantime.db"))
        line = {f"{source}:{n}": n - 1 for n in range(1, len(docs) + 1)}
        out = [Stored(None, problem="not stored") for _ in docs]
        with Store(settings.db) as store:
            summary = ingest([str(source)], store, settings)
            for r in summary.rejected:
                if r.source in line:
                    out[line[r.source]].problem = f"rejected: {r.reason}"
            if facts:
                analyze(store, settings)
            for article in store.iter_articles():
                if article.source not in line:
                    continue
                stored = out[line[article.source]]
                stored.article, stored.problem = article, None
                if not facts:
                    continue
                analysis = store.analysis_of(article.id) or {}
                if analysis.get("status") == "skipped":
                    stored.problem = f"skipped: {analysis.get('reason')}"
                stored.facts = [x for x in store.facts_of(article.id)
                                if x.kind in TIME_KINDS and x.stage in TIME_STAGES]
    return out


# ---------------------------------------------------------------- the baseline
_PERIOD_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "part_of_day": "%Y-%m-%d",
                   "time": "%Y-%m-%dT%H:%M"}


def dateparser_value(text: str, dct: date | None) -> tuple[str | None, str | None]:
    """(value, period) of one expression by dateparser, written at the period it reports."""
    settings: dict[str, Any] = {"RETURN_TIME_AS_PERIOD": True}
    if dct:
        settings["RELATIVE_BASE"] = datetime.combine(dct, time(12))
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data.date_obj is None:
        return None, None
    period = data.period or "day"
    if period == "week":
        year, week, _ = data.date_obj.isocalendar()
        return f"{year}-W{week:02d}", period
    return data.date_obj.strftime(_PERIOD_FORMATS.get(period, "%Y-%m-%d")), period


def dateparser_baseline(doc, dct: date | None) -> list[Timex]:  # type: ignore[no-untyped-def]
    """Baseline: spaCy DATE/TIME entities of a parsed text, each valued by dateparser at its period."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        value, period = dateparser_value(ent.text, dct)
        out.append(Timex(ent.start_char, ent.end_char, ent.text, ent.label_, value, period, bool(dct)))
    return out


# ---------------------------------------------------------------- alignment
def align(source: str, stored: str) -> list[int | None]:
    """For each character of ``stored``, the index of the same character in ``source`` (None where
    ingest changed or added it)."""
    out: list[int | None] = [None] * len(stored)
    if stored and stored in source:  # the common case: only surrounding space stripped
        at = source.index(stored)
        return list(range(at, at + len(stored)))
    for a, b, n in difflib.SequenceMatcher(None, source, stored, autojunk=False).get_matching_blocks():
        out[b : b + n] = range(a, a + n)
    return out


@dataclass
class Aligned:
    """A stored article's body aligned to a MEANTIME document's text."""

    doc: MeantimeDoc
    to_source: list[int | None]  # stored body char -> doc.text char
    char_token: list[int]  # doc.text char -> token index, -1 between tokens

    @classmethod
    def of(cls, doc: MeantimeDoc, stored_text: str) -> Aligned:
        char_token = [-1] * len(doc.text)
        for i, (s, e) in enumerate(doc.token_spans):
            char_token[s:e] = [i] * (e - s)
        offset = doc.body_offset
        to_source = [None if j is None else j + offset for j in align(doc.body, stored_text)]
        return cls(doc, to_source, char_token)

    def tokens(self, start: int, end: int) -> frozenset[int]:
        """The MEANTIME tokens that the stored characters [start, end) come from."""
        found = {self.char_token[j] for j in self.to_source[start:end] if j is not None}
        return frozenset(found - {-1})

    def present_tokens(self) -> set[int]:
        """Tokens with at least one character kept in the stored text."""
        return {self.char_token[j] for j in self.to_source if j is not None} - {-1}

    def in_source(self, t: Timex) -> Timex:
        """The prediction with its span moved to ``doc.text`` (for the context shown in errors)."""
        mapped = [j for j in self.to_source[t.start : t.end] if j is not None]
        start, end = (min(mapped), max(mapped) + 1) if mapped else (0, 0)
        return replace(t, start=start, end=end)


def fact_timex(fact: Fact) -> Timex:
    """A stored time fact as the scorer's :class:`Timex` (stored-text span)."""
    value = fact.value if isinstance(fact.value, dict) else {"value": fact.value}
    return Timex(fact.start, fact.end, fact.text, value.get("type") or fact.kind.upper(), value.get("value"),
                 value.get("precision"), bool(value.get("anchored")))


# ---------------------------------------------------------------- scoring
_ISO_WEEK = re.compile(r"(\d{4})-W(\d\d)(-WE)?")


def meantime_week(value: str | None) -> str | None:
    """An ISO 8601 week value renamed as MEANTIME numbers weeks (``2006-W13`` -> ``2006-W14``); other
    values unchanged."""
    m = _ISO_WEEK.fullmatch(value or "")
    if m is None:
        return value
    try:
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        return value
    sunday = monday + timedelta(days=6)
    name = f"{sunday.year}-W01" if sunday.year > monday.year else f"{monday.year}-W{int(monday.strftime('%W')) + 1:02d}"
    return name + (m[3] or "")


def _match(gold: list[GoldTimex], preds: list[tuple[Timex, frozenset[int]]], strict: bool) -> dict[int, int]:
    """gold index -> prediction index, one-to-one: exact token sets first, then (relaxed) each
    remaining gold timex takes the free prediction it overlaps most."""
    used: set[int] = set()
    out: dict[int, int] = {}
    for gi, g in enumerate(gold):
        for pi, (_, toks) in enumerate(preds):
            if pi not in used and toks == g.tokens:
                used.add(pi)
                out[gi] = pi
                break
    if strict:
        return out
    for gi, g in enumerate(gold):
        if gi in out:
            continue
        best, best_overlap = None, 0
        for pi, (_, toks) in enumerate(preds):
            overlap = len(toks & g.tokens)
            if pi not in used and overlap > best_overlap:
                best, best_overlap = pi, overlap
        if best is not None:
            used.add(best)
            out[gi] = best
    return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _line(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start : end if end >= 0 else None]


def score(docs: Iterable[MeantimeDoc],
          predictions: Iterable[list[tuple[Timex, frozenset[int]]]]) -> MeantimeResult:
    """Score each document's predictions (a :class:`Timex` with its span in ``doc.text`` and the
    tokens it covers) against the gold timexes; predictions covering no token are counted apart."""
    n_docs = n_gold = n_pred = strict = relaxed = correct = typed = 0
    pairs: list[Pair] = []
    unaligned: list[tuple[str, Timex]] = []
    for doc, predicted in zip(docs, predictions, strict=True):
        n_docs += 1
        preds = []
        for t, toks in predicted:
            if not toks:
                unaligned.append((doc.name, t))
            elif not (toks & doc.dct_tokens) and min(toks) < doc.annotated_tokens:
                preds.append((t, toks))
        n_gold += len(doc.gold)
        n_pred += len(preds)
        strict += len(_match(doc.gold, preds, strict=True))
        matched = _match(doc.gold, preds, strict=False)
        relaxed += len(matched)
        for gi, g in enumerate(doc.gold):
            pred = preds[matched[gi]][0] if gi in matched else None
            if pred is not None:
                correct += meantime_week(pred.value) == g.value
                typed += pred.type == g.type
            pairs.append(Pair(doc.name, doc.dct, g, pred, _line(doc.text, doc.token_spans[min(g.tokens)][0])))
        for pi in sorted(set(range(len(preds))) - set(matched.values())):
            t = preds[pi][0]
            pairs.append(Pair(doc.name, doc.dct, None, t, _line(doc.text, t.start)))
    p = strict / n_pred if n_pred else 0.0
    r = strict / n_gold if n_gold else 0.0
    rp = relaxed / n_pred if n_pred else 0.0
    rr = relaxed / n_gold if n_gold else 0.0
    vp = correct / n_pred if n_pred else 0.0
    vr = correct / n_gold if n_gold else 0.0
    metrics = {
        "timex_span_precision": round(p, 4),
        "timex_span_recall": round(r, 4),
        "timex_span_f1": round(_f1(p, r), 4),
        "timex_relaxed_f1": round(_f1(rp, rr), 4),
        "timex_value_accuracy": round(correct / relaxed if relaxed else 0.0, 4),
        "timex_value_f1": round(_f1(vp, vr), 4),
        "timex_type_accuracy": round(typed / relaxed if relaxed else 0.0, 4),
        "documents": n_docs,
        "gold_timexes": n_gold,
        "predicted_timexes": n_pred,
        "facts_unaligned": len(unaligned),
    }
    return MeantimeResult(metrics, pairs, unaligned)


def _coverage(docs: list[MeantimeDoc], stored: list[Stored],
              aligned: list[Aligned | None]) -> tuple[dict[str, int], list[str]]:
    """Counts of what the product could not be scored on, and a note per document concerned."""
    counts = {"gold_in_title": 0, "gold_not_in_text": 0, "sentences_dropped": 0, "documents_rejected": 0,
              "documents_skipped": 0}
    notes: list[str] = []
    for doc, kept, al in zip(docs, stored, aligned, strict=True):
        if kept.problem:
            counts["documents_rejected" if kept.article is None else "documents_skipped"] += 1
            notes.append(f"{doc.name}: {kept.problem}")
        present = al.present_tokens() if al is not None else set()
        for g in doc.gold:
            if all(doc.sentence_of[i] == 0 for i in g.tokens):
                counts["gold_in_title"] += 1
            elif not (g.tokens & present):
                counts["gold_not_in_text"] += 1
        if al is None:
            continue
        for s in range(1, ANNOTATED_SENTENCES):
            toks = [i for i, n in enumerate(doc.sentence_of) if n == s]
            if toks and not (set(toks) & present):
                counts["sentences_dropped"] += 1
                removed = [r.reason for r in kept.article.removed] if kept.article else []
                notes.append(f"{doc.name}: sentence {s} not in the stored text "
                             f"(cleaning removed: {', '.join(removed) or '-'})")
    return counts, notes


def run_meantime(path: Path, split: str = "test", method: str = "rules", nlp=None,  # type: ignore[no-untyped-def]
                 settings: Settings | None = None) -> MeantimeResult:
    """Put one split through the product and score its time facts (``rules``) or the dateparser
    baseline on the same stored text (``dateparser``)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    docs = read_meantime(path, split)
    stored = run_product(docs, settings, facts=method == "rules")
    aligned = [Aligned.of(d, s.article.text) if s.article is not None else None for d, s in zip(docs, stored)]
    if method == "rules":
        found = [[fact_timex(f) for f in s.facts] for s in stored]
    else:
        nlp = nlp or load_nlp()
        texts = [s.article.text for s in stored if s.article is not None]
        parsed = iter(nlp.pipe(texts))
        found = [dateparser_baseline(next(parsed), d.dct) if s.article is not None else []
                 for d, s in zip(docs, stored)]
    predictions = [[(al.in_source(t), al.tokens(t.start, t.end)) for t in ts] if al is not None else []
                   for ts, al in zip(found, aligned)]
    counts, notes = _coverage(docs, stored, aligned)
    if split != "cv":
        result = score(docs, predictions)
    else:
        result = MeantimeResult({})
        topics = [t for t in TOPICS if any(d.corpus == t for d in docs)]
        for topic in topics:
            keep = [i for i, d in enumerate(docs) if d.corpus == topic]
            fold = score([docs[i] for i in keep], [predictions[i] for i in keep])
            name = topic.removeprefix("corpus_")
            result.metrics.update({f"{name}_{k}": v for k, v in fold.metrics.items()})
            result.pairs += fold.pairs
            result.unaligned += fold.unaligned
        for k in CV_METRICS:
            folds = [result.metrics[f"{t.removeprefix('corpus_')}_{k}"] for t in topics]
            result.metrics[f"cv_mean_{k}"] = round(sum(folds) / len(folds), 4)
            result.metrics[f"cv_min_{k}"] = min(folds)
    result.metrics.update(counts)
    result.notes = notes
    return result


def evaluate_meantime(path: Path, split: str = "test", method: str = "rules", nlp=None,  # type: ignore[no-untyped-def]
                      settings: Settings | None = None) -> dict[str, float]:
    """MEANTIME time-expression metrics for one split (see the module docstring)."""
    return run_meantime(path, split, method, nlp, settings).metrics
