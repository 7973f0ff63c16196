"""How right crosswire's fact statuses are on the Gun Violence Corpus: ``conflict`` and
``corroborated`` for each incident's killed, injured and date, scored against the Gun Violence
Archive record.

The articles of each gold incident are one story. What each article states is
:func:`crosswire.evaluate.gvc.predict_articles` (the facts stage on the article); each field's
values are grouped and labelled by :func:`crosswire.crosscheck.status.assess`, the same function
that labels a story's facts, with the same independence rule: an article's outlet is the domain of
the page it was archived from (``web.archive.org`` addresses unwrapped), articles of one outlet
count once, and a near-copy of an earlier article of the incident (5-word shingles, Jaccard at
:data:`COPY_JACCARD` or more, as ``dedupe`` finds copies) counts with it.

What is said, not what is implied: an article that gives a killed figure and says nothing of
injuries is silent on injuries (``ArticleFacts.implied`` values are left out), as it is in a story's
fact matrix. A day counts only when the article names one (``ArticleFacts.date`` read from the text,
not the publication day the summary falls back on).

An article value is right when it equals the record's. Then, per field:

* a ``conflict`` is right when the articles really disagree and at least one is wrong: among the
  competing values one is the record's (so the disagreement is in what the articles say, not two
  misreadings) and another is not. Recall: over the incident fields where the articles' values
  include the record's and another one;
* ``corroborated`` is right when the agreed value is the record's. Recall: over the incident
  fields where two or more independent sources state the record's value.

``overall`` pools the three fields. Tune on train and dev; report test once.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crosswire.crosscheck.status import Assessment, Observation, assess
from crosswire.dedupe.minhash import jaccard, shingles
from crosswire.evaluate.gvc import ArticleFacts, GvcIncident, predict_articles, read_gvc, split_docs
from crosswire.progress import SILENT, Progress

FIELDS = ("killed", "injured", "date")
COPY_JACCARD = 0.8
SHINGLE_WORDS = 5
_ARCHIVE = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(.*)$")


def outlet_of(uri: str) -> str | None:
    """The outlet's domain of a GVC page address (``www.`` and ports dropped, archive unwrapped)."""
    m = _ARCHIVE.match(uri or "")
    url = m.group(1) if m else uri
    if url and "://" not in url:
        url = "http://" + url
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.lower().removeprefix("www.")
    return host or None


def _merge(a: Any, b: Any) -> Any:
    return a if a == b else None


@dataclass
class Labelled:
    """One incident field: its observations, assessment and gold value."""

    incident_id: str
    field: str
    gold: Any
    assessment: Assessment | None
    observations: list[Observation]


def source_keys(articles: list[ArticleFacts], texts: dict[str, str], outlets: dict[str, str | None]
                ) -> dict[str, str]:
    """doc id -> independent source key: the outlet, or the earliest article it copies."""
    keys: dict[str, str] = {}
    order = sorted(articles, key=lambda a: (a.published.toordinal() if a.published else 10**7, a.doc_id))
    sh = {a.doc_id: shingles(texts.get(a.doc_id, ""), SHINGLE_WORDS) for a in order}
    for i, a in enumerate(order):
        original = next((b for b in order[:i] if sh[a.doc_id] and jaccard(sh[a.doc_id], sh[b.doc_id]) >= COPY_JACCARD),
                        None)
        if original is not None:
            keys[a.doc_id] = keys[original.doc_id]
        else:
            o = outlets.get(a.doc_id)
            keys[a.doc_id] = f"outlet:{o}" if o else f"article:{a.doc_id}"
    return keys


def observations(articles: list[ArticleFacts], field: str) -> list[Observation]:
    """What each article states of a field (implied values left out), in publication order."""
    out = []
    for a in sorted(articles, key=lambda a: (a.published.toordinal() if a.published else 10**7, a.doc_id)):
        v = getattr(a, field)
        if v is None or field in a.implied:
            continue
        if field == "date" and a.summary.when_source != "text":
            continue  # the publication day taken for the event's: assumed, not said
        out.append(Observation(a.doc_id, v, str(v), [], shown=v.isoformat() if field == "date" else v))
    return out


def label_incidents(articles: list[ArticleFacts], incidents: dict[str, GvcIncident],
                    texts: dict[str, str], outlets: dict[str, str | None]) -> list[Labelled]:
    """Every incident field labelled by :func:`crosswire.crosscheck.status.assess`."""
    by_incident: dict[str, list[ArticleFacts]] = defaultdict(list)
    for a in articles:
        by_incident[a.incident_id].append(a)
    out = []
    for iid, arts in by_incident.items():
        keys = source_keys(arts, texts, outlets)
        gold = incidents[iid]
        for f in FIELDS:
            obs = observations(arts, f)
            out.append(Labelled(iid, f, getattr(gold, f), assess(obs, _merge, keys) if obs else None, obs))
    return out


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def score(labelled: list[Labelled]) -> dict[str, Any]:
    """Precision and recall of ``conflict`` and ``corroborated`` per field and overall."""
    counts: dict[str, dict[str, int]] = {f: defaultdict(int) for f in (*FIELDS, "overall")}
    errors = []
    for item in labelled:
        a = item.assessment
        values = {o.value for o in item.observations}
        right_keys = {a.keys.get(o.article, o.article) for o in item.observations if o.value == item.gold} if a else set()
        real_conflict = item.gold in values and len(values) > 1
        real_corroborated = len(right_keys) >= 2
        for bucket in (counts[item.field], counts["overall"]):
            bucket["conflict_gold"] += real_conflict
            bucket["corroborated_gold"] += real_corroborated
            if a is None:
                continue
            if a.status == "conflict":
                bucket["conflict_predicted"] += 1
                bucket["conflict_right"] += real_conflict
            elif a.status == "corroborated":
                bucket["corroborated_predicted"] += 1
                bucket["corroborated_right"] += a.leading.value == item.gold
            else:
                bucket["single_source"] += 1
        if a is not None and ((a.status == "conflict" and not real_conflict)
                              or (a.status == "corroborated" and a.leading.value != item.gold)):
            errors.append({"incident_id": item.incident_id, "field": item.field, "status": a.status,
                           "gold": str(item.gold),
                           "values": [{"value": str(g.value), "articles": g.articles} for g in a.groups]})
    metrics: dict[str, Any] = {}
    for name, c in counts.items():
        metrics[name] = {
            "conflict_precision": _ratio(c["conflict_right"], c["conflict_predicted"]),
            "conflict_recall": _ratio(c["conflict_right"], c["conflict_gold"]),
            "corroborated_precision": _ratio(c["corroborated_right"], c["corroborated_predicted"]),
            "corroborated_recall": _ratio(c["corroborated_right"], c["corroborated_gold"]),
            "conflicts": c["conflict_predicted"], "corroborated": c["corroborated_predicted"],
            "single_source": c["single_source"], "real_conflicts": c["conflict_gold"],
            "real_corroborations": c["corroborated_gold"]}
    for k in ("conflict_precision", "conflict_recall", "corroborated_precision", "corroborated_recall"):
        metrics[k] = metrics["overall"][k]
    metrics["errors"] = errors
    return metrics


def evaluate_gvc_crosscheck(path: Path, split: str = "test", nlp=None, *, cache_dir: Path | None = None,
                            limit: int | None = None, progress: Progress = SILENT,
                            articles: list[ArticleFacts] | None = None) -> dict[str, Any]:
    """Precision and recall of the ``conflict`` and ``corroborated`` labels on a GVC split (see
    the module docstring): ``conflict_precision``, ``conflict_recall``,
    ``corroborated_precision``, ``corroborated_recall`` overall and per field (``killed``,
    ``injured``, ``date``, ``overall``: each a dict with the counts behind it), ``errors``,
    ``incidents``, ``articles``, ``seconds``. ``articles``: per-article facts already predicted."""
    started = time.perf_counter()
    docs, incidents = read_gvc(path)
    docs = split_docs(docs, split)
    if articles is None:
        articles = predict_articles(path, split, nlp, cache_dir=cache_dir, limit=limit, progress=progress)
    texts = {d.doc_id: d.text for d in docs}
    outlets = {d.doc_id: outlet_of(d.uri) for d in docs}
    metrics = score(label_incidents(articles, incidents, texts, outlets))
    metrics["incidents"] = len({a.incident_id for a in articles})
    metrics["articles"] = len(articles)
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    return metrics


def metric_lines(metrics: dict[str, Any]) -> list[str]:
    """``name value`` lines (``killed_conflict_precision 1.0``...), the overall ones last."""
    lines = []
    for f in (*FIELDS, "overall"):
        for k, v in metrics[f].items():
            lines.append(f"{f}_{k} {v}")
    lines += [f"incidents {metrics['incidents']}", f"articles {metrics['articles']}", f"seconds {metrics['seconds']}"]
    for k in ("conflict_precision", "conflict_recall", "corroborated_precision", "corroborated_recall"):
        lines.append(f"{k} {metrics[k]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """``python -m crosswire.evaluate.gvc_crosscheck [--split test] [--corpus DIR] [--cache DIR]``"""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "corpora" / "gvc")
    parser.add_argument("--split", choices=("train", "dev", "test", "all"), default="dev")
    parser.add_argument("--cache", type=Path, default=None, help="folder keeping the spaCy parses")
    parser.add_argument("--errors", type=int, default=0, help="how many wrong labels to show")
    args = parser.parse_args(argv)
    if not (args.corpus / "documents.jsonl").is_file():
        sys.stderr.write(f"GVC not found at {args.corpus}\n")
        return 1
    m = evaluate_gvc_crosscheck(args.corpus, args.split, cache_dir=args.cache)
    for e in m["errors"][: args.errors]:
        sys.stdout.write(f"# {e['field']:8} {e['incident_id']:>7} {e['status']:13} gold {e['gold']:12} "
                         f"values {[v['value'] for v in e['values']]}\n")
    sys.stdout.write("\n".join(metric_lines(m)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
