"""GVC incident facts: the reader, gold mapping and scorer on a small corpus written here, a quick
run on 15 real dev incidents, and accuracy floors on the real corpus (skipped when
../shared/corpora/gvc is absent): the test-split gate runs in the normal suite, the dev floors are
marked slow."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crosswire.evaluate.gvc import (
    FIELDS, aggregate, evaluate_gvc_facts, gold_city_keys, predict_articles, read_gvc, score,
)

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpora" / "gvc"
needs_corpus = pytest.mark.skipif(not (CORPUS / "documents.jsonl").is_file(),
                                  reason="GVC corpus not available")

DOCS = [
    ("a1", "1", "2024-07-08", "Man killed, woman hurt in Springfield shooting",
     "A man was shot and killed Saturday night in Springfield, Illinois, police said Monday. "
     "A woman was wounded and taken to a hospital."),
    ("a2", "1", "2024-07-10", "Springfield shooting victim identified",
     "Police on Wednesday identified the man who was fatally shot Saturday in Springfield, "
     "Illinois. A woman was also shot and survived."),
    ("b1", "2", "2024-03-02", "Boy, 4, shot in Polk County",
     "A 4-year-old boy was shot and wounded Friday at a home in Polk County, Florida, "
     "the Polk County Sheriff's Office said. No one else was hurt."),
]
INCIDENTS = [
    {"incident_uri": "1", "date": "July 6, 2024", "state": "Illinois", "city_or_county": "Springfield",
     "num_killed": 1, "num_injured": 1, "split": "dev"},
    {"incident_uri": "2", "date": "March 1, 2024", "state": "Florida", "city_or_county": "Polk (county)",
     "num_killed": 0, "num_injured": 1, "split": "dev"},
]


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    with (tmp_path / "documents.jsonl").open("w", encoding="utf-8") as f:
        for doc_id, incident, dct, title, text in DOCS:
            f.write(json.dumps({"doc_id": doc_id, "incident_id": incident, "split": "dev", "title": title,
                                "dct": dct, "uri": f"http://example.org/{doc_id}", "text": text}) + "\n")
    with (tmp_path / "incidents.jsonl").open("w", encoding="utf-8") as f:
        for r in INCIDENTS:
            f.write(json.dumps(r) + "\n")
    return tmp_path


def test_reader_reads_articles_and_records(small_corpus):
    docs, incidents = read_gvc(small_corpus)
    assert [d.doc_id for d in docs] == ["a1", "a2", "b1"]
    assert docs[0].published == date(2024, 7, 8) and docs[0].title.startswith("Man killed")
    assert incidents["2"].date == date(2024, 3, 1) and incidents["2"].injured == 1


def test_gold_city_maps_alternatives_and_counties():
    assert gold_city_keys("Gary") == {"gary"}
    assert gold_city_keys("Cartersville (Euharlee)") == {"cartersville", "euharlee"}
    assert "polk county" in gold_city_keys("Polk (county)")
    assert gold_city_keys("Saint Louis") == gold_city_keys("St. Louis")


def test_small_corpus_scores_every_field(small_corpus):
    articles = predict_articles(small_corpus, "dev")
    assert [a.doc_id for a in articles] == ["a1", "a2", "b1"]
    first = articles[0]
    assert (first.date, first.city, first.state, first.killed) == (date(2024, 7, 6), "Springfield", "Illinois", 1)
    assert first.summary.when_evidence.text == "Saturday night"
    _, incidents = read_gvc(small_corpus)
    metrics = score(incidents, articles)
    for f in FIELDS:
        assert metrics[f"{f}_accuracy"] == 1.0, (f, metrics["errors"])
    assert metrics["incidents"] == 2 and metrics["articles"] == 3 and metrics["errors"] == []
    agg = aggregate(articles[:2])
    assert (agg.killed, agg.injured, agg.city) == (1, 1, "Springfield")


def test_unknown_split_is_refused(small_corpus):
    with pytest.raises(ValueError, match="split"):
        predict_articles(small_corpus, "validation")


@needs_corpus
def test_fifteen_dev_incidents_run_and_score_in_range():
    m = evaluate_gvc_facts(CORPUS, "dev", limit=15)
    assert m["incidents"] == 15 and m["articles"] >= 15
    for f in FIELDS:
        assert 0.0 <= m[f"{f}_accuracy"] <= 1.0
        assert 0.0 <= m[f"article_{f}_accuracy"] <= 1.0
    assert m["date_accuracy"] >= 0.6 and m["state_accuracy"] >= 0.6  # far below what is measured
    for e in m["errors"]:
        assert e["field"] in FIELDS and e["articles"]


@needs_corpus
@pytest.mark.slow
def test_dev_split_accuracy_floors():
    m = evaluate_gvc_facts(CORPUS, "dev")
    assert m["incidents"] == 37 and m["articles"] == 78
    # measured 0.946 / 0.784 / 0.973 / 1.000 / 0.919 (benchmarks/eval_gvc_facts.py --split dev);
    # floors one incident (0.027) below
    assert m["date_accuracy"] >= 0.91
    assert m["city_accuracy"] >= 0.75
    assert m["state_accuracy"] >= 0.94
    assert m["killed_accuracy"] >= 0.97
    assert m["injured_accuracy"] >= 0.89


@needs_corpus
def test_test_split_accuracy_gate():
    """The accuracy gate of the normal suite (CI runs ``-m "not slow"``): about 9 s."""
    m = evaluate_gvc_facts(CORPUS, "test")
    assert m["incidents"] == 34 and m["articles"] == 74
    # measured once, after tuning on train and dev (benchmarks/eval_gvc_facts.py --split test):
    # incidents 0.824 / 0.735 / 0.882 / 0.882 / 0.765, articles 0.743 / 0.703 / 0.892 / 0.770 /
    # 0.757; the targets (0.95 / 0.95 / - / 0.90 / 0.90) are not reached. Floors: one
    # incident (0.029) or three articles (0.041) below.
    assert m["date_accuracy"] >= 0.79
    assert m["city_accuracy"] >= 0.70
    assert m["state_accuracy"] >= 0.85
    assert m["killed_accuracy"] >= 0.85
    assert m["injured_accuracy"] >= 0.73
    assert m["article_date_accuracy"] >= 0.70
    assert m["article_city_accuracy"] >= 0.66
    assert m["article_state_accuracy"] >= 0.85
    assert m["article_killed_accuracy"] >= 0.72
    assert m["article_injured_accuracy"] >= 0.71
