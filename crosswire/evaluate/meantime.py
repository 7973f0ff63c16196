"""Time expressions scored on MEANTIME English (Minard et al., LREC 2016; CC BY 4.0).

Reads the CAT XML under ``PATH/intra_cross-doc_annotation/corpus_*/*.xml``: tokens (``t_id``,
``sentence``) and ``TIMEX3`` markables (``token_anchor`` children, ``type``, ``value``). Each
document's text is rebuilt by joining its tokens with a space inside a sentence and a newline between
sentences (sentence 0 is the title, sentence 1 the dateline), keeping a token -> character map; the
extractor runs on that text with the document creation time (DCT) as anchor.

The DCT is the ``TIMEX3`` with ``functionInDocument="CREATION_TIME"``. Two Airbus documents have
none: there the full date (``YYYY-MM-DD`` value) annotated on the dateline (sentence 1) is taken as
the DCT. The DCT expression is left out of scoring, and so are predictions that overlap its tokens.
``TIMEX3`` elements without token anchors (empty timexes of the guidelines) are not scored.
MEANTIME annotates time expressions only in the title, the dateline and the first four sentences of
the body (sentences 0-5; no TIMEX3 lies further): the extractor reads the whole document, and only
its predictions inside those sentences are scored.

Splits (MEANTIME defines none): ``dev`` = ``corpus_airbus`` + ``corpus_apple`` (60 documents, the
only ones looked at while writing the rules), ``test`` = ``corpus_gm`` + ``corpus_stock`` (60
documents, reported), ``all`` = the four.

Scoring (one-to-one matching of gold timexes and predictions):

* ``timex_span_precision/recall/f1``: strict, a prediction must cover exactly the gold token set;
* ``timex_relaxed_f1``: a prediction overlapping a gold timex by at least one token counts
  (exact matches are paired first, so nested gold such as "from 2009 to 2011" / "2009" pairs well);
* ``timex_value_accuracy``: correct ``value`` strings / gold timexes matched (relaxed);
* ``timex_value_f1``: predictions with an overlapping span *and* the right value, over gold
  (recall) and over predictions (precision);
* ``timex_type_accuracy``: correct ``type`` / gold timexes matched (relaxed).

Values are compared as strings, exactly as annotated (``2009-12-15T18:00Z``, ``P2Y``, ``2006-Q4``), with
one conversion: MEANTIME numbers weeks from the one holding 1 January (weeks starting on Monday, week
1 the one with 1 January: Python's ``%W`` + 1), where the extractor writes ISO 8601 weeks as TIMEX3
asks (week 1 the one with the first Thursday). The two differ in years starting on a Friday, Saturday
or Sunday (2005, 2006, 2010, 2011 in this corpus); every dev week value (2004-W47, 2006-W14,
2010-W04-WE) follows the MEANTIME numbering, so a predicted ISO week is renamed before comparing
(:func:`meantime_week`).

Methods: ``rules`` is :func:`crosswire.extract.time.timex.find_timexes`; ``dateparser`` is the baseline,
spaCy DATE/TIME entities each parsed by plain dateparser (relative base: the DCT at noon), the value
written as a day.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import dateparser

from crosswire.extract.time.timex import Timex, find_timexes, load_nlp

SPLITS: dict[str, tuple[str, ...]] = {
    "dev": ("corpus_airbus", "corpus_apple"),
    "test": ("corpus_gm", "corpus_stock"),
    "all": ("corpus_airbus", "corpus_apple", "corpus_gm", "corpus_stock"),
}
METHODS = ("rules", "dateparser")
ANNOTATED_SENTENCES = 6  # sentences 0-5 carry the TIMEX3 annotation


@dataclass
class GoldTimex:
    """One annotated time expression: the token indexes it covers, its type and value."""

    tokens: frozenset[int]
    text: str
    type: str
    value: str


@dataclass
class MeantimeDoc:
    """One MEANTIME document rebuilt as text, with its DCT and gold timexes."""

    name: str
    corpus: str
    text: str
    token_spans: list[tuple[int, int]]
    dct: date | None
    dct_tokens: frozenset[int]
    gold: list[GoldTimex]
    annotated_tokens: int  # tokens [0, annotated_tokens) are in the annotated sentences


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
    """Metrics plus every gold/prediction pair, for error analysis."""

    metrics: dict[str, float]
    pairs: list[Pair] = field(default_factory=list)


def read_document(file: Path) -> MeantimeDoc:
    """One CAT XML file as a :class:`MeantimeDoc`."""
    root = ET.parse(file).getroot()
    tokens = list(root.iter("token"))
    index = {tok.get("t_id"): i for i, tok in enumerate(tokens)}
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    previous_sentence = None
    for tok in tokens:
        sentence = tok.get("sentence")
        if previous_sentence is not None:
            sep = " " if sentence == previous_sentence else "\n"
            parts.append(sep)
            offset += 1
        word = tok.text or ""
        parts.append(word)
        spans.append((offset, offset + len(word)))
        offset += len(word)
        previous_sentence = sentence
    text = "".join(parts)
    sentence_of = [tok.get("sentence") for tok in tokens]

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
        words = " ".join(text[spans[i][0] : spans[i][1]] for i in sorted(ids))
        gold.append(GoldTimex(ids, words, markable.get("type") or "", value))
    if dct is None:  # no CREATION_TIME: the full date on the dateline
        for g in gold:
            if all(sentence_of[i] == "1" for i in g.tokens) and _iso_day(g.value):
                dct, dct_tokens = _iso_day(g.value), g.tokens
                break
    gold = [g for g in gold if not (g.tokens & dct_tokens)]
    gold.sort(key=lambda g: min(g.tokens))
    annotated = sum(1 for s in sentence_of if s is not None and int(s) < ANNOTATED_SENTENCES)
    return MeantimeDoc(file.stem, file.parent.name, text, spans, dct, dct_tokens, gold, annotated)


def read_meantime(path: Path, split: str = "test") -> list[MeantimeDoc]:
    """The documents of one split (``dev``, ``test`` or ``all``), in file-name order."""
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


def dateparser_baseline(doc, dct: date | None) -> list[Timex]:
    """Baseline: spaCy DATE/TIME entities, each parsed by plain dateparser against the DCT."""
    settings = {"RELATIVE_BASE": datetime.combine(dct, time(12))} if dct else {}
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        parsed = dateparser.parse(ent.text, languages=["en"], settings=settings)
        value = parsed.date().isoformat() if parsed else None
        out.append(Timex(ent.start_char, ent.end_char, ent.text, ent.label_, value, "day" if parsed else None,
                         bool(dct)))
    return out


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


def _tokens_of(t: Timex, spans: list[tuple[int, int]]) -> frozenset[int]:
    return frozenset(i for i, (s, e) in enumerate(spans) if s < t.end and t.start < e)


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


def score(docs: Iterable[MeantimeDoc], predict: Callable[[MeantimeDoc], list[Timex]]) -> MeantimeResult:
    """Run ``predict`` on every document and score it against the gold timexes."""
    n_docs = n_gold = n_pred = strict = relaxed = correct = typed = 0
    pairs: list[Pair] = []
    for doc in docs:
        n_docs += 1
        preds = []
        for t in predict(doc):
            toks = _tokens_of(t, doc.token_spans)
            if toks and not (toks & doc.dct_tokens) and min(toks) < doc.annotated_tokens:
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
            first = doc.token_spans[min(g.tokens)][0]
            line_start = doc.text.rfind("\n", 0, first) + 1
            line_end = doc.text.find("\n", first)
            context = doc.text[line_start : line_end if line_end >= 0 else None]
            pairs.append(Pair(doc.name, doc.dct, g, pred, context))
        for pi in set(range(len(preds))) - set(matched.values()):
            t = preds[pi][0]
            line_start = doc.text.rfind("\n", 0, t.start) + 1
            line_end = doc.text.find("\n", t.start)
            pairs.append(Pair(doc.name, doc.dct, None, t, doc.text[line_start : line_end if line_end >= 0 else None]))
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
    }
    return MeantimeResult(metrics, pairs)


def run_meantime(path: Path, split: str = "test", method: str = "rules", nlp=None) -> MeantimeResult:
    """Score one extraction method (``rules``: :func:`find_timexes`; ``dateparser``: the baseline)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    nlp = nlp or load_nlp()
    docs = read_meantime(path, split)
    extract = find_timexes if method == "rules" else dateparser_baseline
    parsed = {id(d): parsed_doc for d, parsed_doc in zip(docs, nlp.pipe(d.text for d in docs))}
    return score(docs, lambda d: extract(parsed[id(d)], d.dct))


def evaluate_meantime(path: Path, split: str = "test", method: str = "rules", nlp=None) -> dict[str, float]:
    """MEANTIME time-expression metrics for one split (see the module docstring)."""
    return run_meantime(path, split, method, nlp).metrics
