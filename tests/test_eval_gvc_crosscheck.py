"""Fact statuses scored on the Gun Violence Corpus: outlets, copies counting once, the metric's
definitions on values written here, a small corpus written here through the facts stage, and the
test-split gate on the real corpus (skipped when ../shared/corpora/gvc is absent; it runs in the normal suite, as CI does)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crosswire.crosscheck.status import Observation, assess
from crosswire.evaluate.gvc_crosscheck import (
    Labelled, evaluate_gvc_crosscheck, outlet_of, score, source_keys,
)

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpora" / "gvc"
needs_corpus = pytest.mark.skipif(not (CORPUS / "documents.jsonl").is_file(), reason="GVC corpus not available")


def test_the_outlet_is_the_archived_pages_domain() -> None:
    assert outlet_of("http://web.archive.org/web/20160929223606/http://www.fox7austin.com:80/news/x") == "fox7austin.com"
    assert outlet_of("https://www.example.org/a/b") == "example.org"
    assert outlet_of("") is None


def _labelled(field: str, gold, values: list[tuple[str, object]], outlets: dict[str, str]) -> Labelled:
    keys = {a: f"outlet:{o}" for a, o in outlets.items()}
    obs = [Observation(a, v, str(v), []) for a, v in values]
    return Labelled("1", field, gold, assess(obs, lambda x, y: x if x == y else None, keys), obs)


def test_a_conflict_is_right_only_when_the_record_is_among_the_values() -> None:
    outlets = {"a": "one", "b": "two", "c": "three"}
    right = _labelled("killed", 2, [("a", 2), ("b", 3)], outlets)
    wrong = _labelled("injured", 0, [("a", 1), ("b", 4)], outlets)  # two misreadings, no real dispute
    agreed_right = _labelled("date", date(2024, 7, 6), [("a", date(2024, 7, 6)), ("c", date(2024, 7, 6))], outlets)
    agreed_wrong = _labelled("killed", 1, [("a", 2), ("c", 2)], outlets)
    m = score([right, wrong, agreed_right, agreed_wrong])
    assert (m["conflict_precision"], m["conflict_recall"]) == (0.5, 1.0)
    assert (m["corroborated_precision"], m["corroborated_recall"]) == (0.5, 1.0)
    assert m["killed"]["conflicts"] == 1 and m["killed"]["corroborated"] == 1
    assert {(e["field"], e["status"]) for e in m["errors"]} == {("injured", "conflict"), ("killed", "corroborated")}


def test_one_outlet_twice_is_one_source() -> None:
    outlets = {"a": "one", "b": "one"}
    item = _labelled("killed", 2, [("a", 2), ("b", 2)], outlets)
    assert item.assessment.status == "single_source"
    m = score([item])
    assert m["overall"]["corroborated"] == 0 and m["overall"]["real_corroborations"] == 0


DOCS = [
    ("k1", "1", "2024-05-06", "http://web.archive.org/web/2024/http://www.rivertonherald.example/k1",
     "Two men killed in Springfield shooting",
     "Two men were shot and killed Saturday night outside a bar in Springfield, Illinois, police said "
     "Sunday. No one else was hurt, and no arrests have been made."),
    ("k2", "1", "2024-05-06", "http://www.lakeshorenews.example/story/k2",
     "Police name Springfield shooting victims",
     "Police on Sunday identified the two men who were fatally shot Saturday night in Springfield, "
     "Illinois. Detectives asked witnesses to come forward."),
    ("w1", "2", "2024-03-02", "http://www.valleytimes.example/w1", "Three wounded in Dayton shooting",
     "Three people were wounded in a shooting on Friday in Dayton, Ohio, police said. All three were "
     "taken to a hospital with injuries that were not life-threatening."),
    ("w2", "2", "2024-03-03", "http://www.metroreport.example/w2", "Man hurt in Dayton shooting",
     "One man was wounded in a shooting on Friday in Dayton, Ohio, police said. He was taken to a "
     "hospital in stable condition."),
    ("w3", "2", "2024-03-03", "http://www.statewire.example/w3", "Three wounded in Dayton shooting",
     "Three people were wounded in a shooting on Friday in Dayton, Ohio, police said. All three were "
     "taken to a hospital with injuries that were not life-threatening."),
]
INCIDENTS = [
    {"incident_uri": "1", "date": "May 4, 2024", "state": "Illinois", "city_or_county": "Springfield",
     "num_killed": 2, "num_injured": 0, "split": "dev"},
    {"incident_uri": "2", "date": "March 1, 2024", "state": "Ohio", "city_or_county": "Dayton",
     "num_killed": 0, "num_injured": 3, "split": "dev"},
]


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    with (tmp_path / "documents.jsonl").open("w", encoding="utf-8") as f:
        for doc_id, incident, dct, uri, title, text in DOCS:
            f.write(json.dumps({"doc_id": doc_id, "incident_id": incident, "split": "dev", "title": title,
                                "dct": dct, "uri": uri, "text": text}) + "\n")
    with (tmp_path / "incidents.jsonl").open("w", encoding="utf-8") as f:
        for r in INCIDENTS:
            f.write(json.dumps(r) + "\n")
    return tmp_path


def test_a_small_corpus_is_labelled_and_scored(small_corpus: Path) -> None:
    m = evaluate_gvc_crosscheck(small_corpus, "dev")
    assert (m["incidents"], m["articles"]) == (2, 5)
    # two outlets agree on two killed; the copy at a third outlet adds no source to "three wounded"
    assert m["killed"]["corroborated"] == 1 and m["killed"]["corroborated_precision"] == 1.0
    assert m["injured"]["conflicts"] == 1 and m["injured"]["conflict_precision"] == 1.0
    assert m["date"]["corroborated"] == 2 and m["date"]["corroborated_precision"] == 1.0


def test_a_copy_counts_with_its_original() -> None:
    class A:  # the two fields source_keys reads
        def __init__(self, doc_id: str, published: date):
            self.doc_id, self.published = doc_id, published

    texts = {d[0]: d[5] for d in DOCS}
    outlets = {d[0]: outlet_of(d[3]) for d in DOCS}
    keys = source_keys([A("w1", date(2024, 3, 2)), A("w2", date(2024, 3, 3)), A("w3", date(2024, 3, 3))],  # type: ignore[list-item]
                       texts, outlets)
    assert keys["w3"] == keys["w1"] == "outlet:valleytimes.example" and keys["w2"] != keys["w1"]


@needs_corpus
def test_a_few_real_incidents_run_and_score_in_range() -> None:
    m = evaluate_gvc_crosscheck(CORPUS, "dev", limit=6)
    assert m["incidents"] == 6
    for f in ("killed", "injured", "date", "overall"):
        for k in ("conflict_precision", "conflict_recall", "corroborated_precision", "corroborated_recall"):
            assert 0.0 <= m[f][k] <= 1.0


@needs_corpus
def test_test_split_gate() -> None:  # the accuracy gate: runs in CI's normal suite (~25 s)
    m = evaluate_gvc_crosscheck(CORPUS, "test")
    assert (m["incidents"], m["articles"]) == (34, 74)
    # measured once after tuning on train and dev (python -m crosswire.evaluate.gvc_crosscheck --split test):
    # overall conflict precision 0.955 (21/22), recall 1.0; corroborated precision 0.967 (29/30),
    # recall 0.829 (29/35). Targets: conflict precision >= 0.90, corroborated precision >= 0.95.
    assert m["conflict_precision"] >= 0.90
    assert m["corroborated_precision"] >= 0.95
    assert m["conflict_recall"] >= 0.90
    assert m["corroborated_recall"] >= 0.79
    assert m["date"]["conflict_precision"] >= 0.83 and m["killed"]["corroborated_precision"] >= 0.85
