"""The bag-of-words baseline for story grouping, on the product's own stored text, beside crosswire.

    .venv/bin/python benchmarks/baseline_tfidf.py [--corpora ../shared/corpora] [--corpus ecbplus gvc]
        [--splits train dev] [--choose-on dev] [--errors]

Each corpus split is ingested and analysed as ``crosswire run`` does it, with the default settings
(:func:`crosswire.evaluate.ecbplus.analysed_store`, cached). The baseline reads the clean title and
text stored for each article (the text the product groups), weighs the words by TF-IDF
(scikit-learn, sublinear TF, English stop words, fitted on the split's own articles) and clusters
the articles by average-link agglomerative clustering on cosine distance, stopping at a similarity
threshold. crosswire groups a copy of the same store (:func:`crosswire.evaluate.ecbplus.group_docs`,
the grouping run ``crosswire run`` makes, with the shipped model and the consolidation pass). A document maps to an article
as in the product (a copy of an earlier text is that article; a document ingest rejected, e.g.
shorter than ``min_text_chars``, is a story of its own in both), and both are scored on the same
items by the same B-cubed scorer.

The threshold is chosen per corpus on ``--choose-on`` (a dev or train split; the best B-cubed F1
over a grid) and then applied to every split asked for. Test splits are never read unless named
in ``--splits``; the lead scores them once per release. ``--errors`` lists, per ECB+ topic (or GVC
incident), the events each method merged or split.

Output: one JSON object (per corpus: the chosen threshold, and per split the baseline's and
crosswire's B-cubed and pairwise P/R/F1 and, with ``--errors``, their errors).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.cluster import AgglomerativeClustering  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from crosswire.evaluate.ecbplus import (GoldDoc, analysed_store, errors_of, group_docs, read_ecbplus,  # noqa: E402
                                        score_grouping)
from crosswire.evaluate.gvc_stories import read_gvc_stories  # noqa: E402

THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.05, 0.91, 0.025))


def read(corpora: Path, corpus: str, split: str) -> list[GoldDoc]:
    if corpus == "ecbplus":
        return read_ecbplus(corpora / "ecbplus", split)
    return read_gvc_stories(corpora / "gvc", split)


def stored_texts(db: Path) -> dict[str, str]:
    """Each article's clean title and text as the store holds them."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {aid: f"{title or ''}\n{text or ''}" for aid, title, text in conn.execute(
            "SELECT id, title, text FROM articles")}


class Split:
    """One split's documents, their articles in an analysed store and the TF-IDF similarities."""

    def __init__(self, corpora: Path, corpus: str, split: str):
        self.name = f"{corpus}-{split}"
        self.docs = read(corpora, corpus, split)
        db, self.article_of = analysed_store(self.name, self.docs)
        texts = stored_texts(db)
        self.articles = sorted({a for a in self.article_of.values() if a in texts})
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            [texts[a] for a in self.articles])
        self.distance = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, 2.0)
        self.gold = {d.doc_id: d.gold for d in self.docs}

    def baseline(self, threshold: float) -> dict[str, str]:
        """Each document's cluster at a similarity threshold (a document with no article alone)."""
        if len(self.articles) > 1:
            labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                             distance_threshold=1.0 - threshold).fit_predict(self.distance)
        else:
            labels = np.zeros(len(self.articles), int)
        cluster = {a: f"c{int(label)}" for a, label in zip(self.articles, labels)}
        return {d.doc_id: cluster.get(self.article_of.get(d.doc_id, ""), f"alone:{d.doc_id}") for d in self.docs}

    def score(self, threshold: float) -> dict[str, float]:
        return score_grouping(self.gold, self.baseline(threshold))


def per_topic(corpus: str, errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Errors by ECB+ topic (the number before the sub-topic's underscore) or by GVC incident."""
    out: dict[str, list[str]] = defaultdict(list)
    for e in errors:
        if e["kind"] == "merged":
            topics = sorted({ev.split("_")[0] if corpus == "ecbplus" else ev for ev in e["events"]})
            out[" + ".join(topics)].append(f"merged {', '.join(e['events'])} ({len(e['documents'])} docs)")
        else:
            topic = e["event"].split("_")[0] if corpus == "ecbplus" else e["event"]
            out[topic].append(f"split {e['event']} over {e['stories']} stories ({len(e['documents'])} docs)")
    return dict(sorted(out.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--corpus", nargs="+", default=["ecbplus", "gvc"], choices=["ecbplus", "gvc"])
    ap.add_argument("--splits", nargs="+", default=["train", "dev"], choices=["train", "dev", "test"])
    ap.add_argument("--choose-on", default="dev", choices=["train", "dev"])
    ap.add_argument("--errors", action="store_true", help="list each method's errors per topic")
    args = ap.parse_args()
    report: dict[str, Any] = {}
    for corpus in args.corpus:
        chooser = Split(args.corpora, corpus, args.choose_on)
        grid = {t: chooser.score(t)["bcubed_f1"] for t in THRESHOLDS}
        threshold = max(grid, key=lambda t: (grid[t], -t))
        out: dict[str, Any] = {"threshold": threshold, "chosen_on": chooser.name}
        for split in args.splits:
            s = chooser if split == args.choose_on else Split(args.corpora, corpus, split)
            pred = s.baseline(threshold)
            ours = group_docs(s.name, s.docs)[0]
            row: dict[str, Any] = {"documents": len(s.docs), "articles": len(s.articles),
                                   "baseline": score_grouping(s.gold, pred), "crosswire": score_grouping(s.gold, ours)}
            if args.errors:
                row["baseline_errors"] = per_topic(corpus, errors_of(s.gold, pred))
                row["crosswire_errors"] = per_topic(corpus, errors_of(s.gold, ours))
            out[split] = row
        report[corpus] = out
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
