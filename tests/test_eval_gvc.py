"""GVC incident facts through the one path: the reader and gold mapping, how an incident's story is
picked and read from a story record, the cache key, a small corpus written here through
``crosswire run``, and the accuracy gate on the real dev split (skipped when ../shared/corpora/gvc
is absent). The test split is not gated: it is scored once per release and reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from crosswire.evaluate import ecbplus
from crosswire.evaluate.ecbplus import GoldDoc, ProductRun
from crosswire.evaluate.gvc import (
    FIELDS, evaluate_gvc_facts, gold_city_keys, incident_stories, read_gvc, record_values,
)

# ../shared/corpora beside the checkout, or CROSSWIRE_CORPORA (a worktree elsewhere)
CORPUS = Path(os.environ.get("CROSSWIRE_CORPORA") or Path(__file__).resolve().parents[1].parent / "shared" / "corpora") / "gvc"
needs_corpus = pytest.mark.skipif(not (CORPUS / "documents.jsonl").is_file(),
                                  reason="GVC corpus not available")

DOCS = [
    ("a1", "1", "2024-07-08", "http://www.prairieherald.example/news/a1",
     "Man killed, woman hurt in Springfield shooting",
     "A man was shot and killed Saturday night in Springfield, Illinois, police said Monday. "
     "A woman was wounded and taken to a hospital, where she was listed in stable condition. "
     "Officers found the two victims outside a home on the city's east side shortly before midnight. "
     "No arrests had been made by Monday afternoon, and detectives asked anyone with video to call."),
    ("a2", "1", "2024-07-10", "http://www.capitalnews.example/story/a2",
     "Springfield shooting victim identified",
     "Police on Wednesday identified the man who was fatally shot Saturday in Springfield, "
     "Illinois, as a 31-year-old father of two. A woman who was also shot survived and is recovering. "
     "Investigators said the shooting followed an argument at a party on the east side of the city, "
     "and they were still looking for the gunman on Wednesday."),
    ("b1", "2", "2024-03-02", "http://www.gulfcoastdaily.example/b1", "Boy, 4, shot in Polk County",
     "A 4-year-old boy was shot and wounded Friday at a home in Polk County, Florida, "
     "the Polk County Sheriff's Office said. No one else was hurt. Deputies said the boy found a "
     "handgun in a bedroom while adults were outside. He was flown to a hospital in Tampa and was "
     "expected to survive, the sheriff said at a news conference on Saturday morning."),
]
INCIDENTS = [
    {"incident_uri": "1", "date": "July 6, 2024", "state": "Illinois", "city_or_county": "Springfield",
     "num_killed": 1, "num_injured": 1, "split": "dev"},
    {"incident_uri": "2", "date": "March 1, 2024", "state": "Florida", "city_or_county": "Polk (county)",
     "num_killed": 0, "num_injured": 1, "split": "dev"},
]


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "gvc"
    folder.mkdir()
    with (folder / "documents.jsonl").open("w", encoding="utf-8") as f:
        for doc_id, incident, dct, url, title, text in DOCS:
            f.write(json.dumps({"doc_id": doc_id, "incident_id": incident, "split": "dev", "title": title,
                                "dct": dct, "uri": f"http://web.archive.org/web/20240801000000/{url}",
                                "text": text}) + "\n")
    with (folder / "incidents.jsonl").open("w", encoding="utf-8") as f:
        for r in INCIDENTS:
            f.write(json.dumps(r) + "\n")
    return folder


def test_reader_reads_articles_and_records(small_corpus: Path) -> None:
    docs, incidents = read_gvc(small_corpus)
    assert [d.doc_id for d in docs] == ["a1", "a2", "b1"]
    assert docs[0].published == date(2024, 7, 8) and docs[0].title.startswith("Man killed")
    assert incidents["2"].date == date(2024, 3, 1) and incidents["2"].injured == 1


def test_gold_city_maps_alternatives_and_counties() -> None:
    assert gold_city_keys("Gary") == {"gary"}
    assert gold_city_keys("Cartersville (Euharlee)") == {"cartersville", "euharlee"}
    assert "polk county" in gold_city_keys("Polk (county)")
    assert gold_city_keys("Saint Louis") == gold_city_keys("St. Louis")


def _doc(doc_id: str, incident: str) -> GoldDoc:
    return GoldDoc(doc_id, incident, "dev", {"title": doc_id, "maintext": doc_id, "url": f"http://x.example/{doc_id}"})


def test_an_incident_is_read_from_the_story_holding_most_of_its_articles_ties_to_the_earliest() -> None:
    docs = [_doc("d1", "1"), _doc("d2", "1"), _doc("d3", "1"), _doc("d4", "2"), _doc("d5", "2"), _doc("d6", "3")]
    records = [{"id": "s1", "articles": [{"id": "A1"}, {"id": "A4"}]},
               {"id": "s2", "articles": [{"id": "A2"}, {"id": "A3"}]},
               {"id": "s3", "articles": [{"id": "A5"}]}]
    run = ProductRun(records, {"d1": "A1", "d2": "A2", "d3": "A3", "d4": "A4", "d5": "A5"})
    picked = incident_stories(run, docs)
    assert picked["1"]["id"] == "s2"  # two of its three articles
    assert picked["2"]["id"] == "s1"  # one each in s1 and s3: the story of its earliest article
    assert picked["3"] is None  # its only document became no article
    assert run.story_of(["d6"]) == {"d6": "unplaced:d6"}


def test_the_five_fields_come_from_the_story_records_event() -> None:
    record = {"id": "s", "event": {"when": {"start": "2024-07-06", "end": "2024-07-06"},
                                   "where": [{"name": "Springfield", "feature": "city", "country": "US",
                                              "admin1": "IL"}],
                                   "killed": {"value": 1, "sources": ["a"]}, "injured": {"value": 0, "sources": []}}}
    assert record_values(record) == {"date": date(2024, 7, 6), "city": "Springfield", "state": "Illinois",
                                     "killed": 1, "injured": 0}
    state_only = {"id": "s", "event": {"when": {"start": "2024-07"}, "where": [
        {"name": "Illinois", "feature": "admin1", "country": "US", "admin1": "IL"}], "killed": None}}
    assert record_values(state_only) == {"date": None, "city": None, "state": "Illinois", "killed": None,
                                         "injured": None}
    assert record_values(None) == dict.fromkeys(FIELDS)


def test_the_cache_key_changes_with_any_product_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "crosswire"
    (pkg / "stories").mkdir(parents=True)
    (pkg / "a.py").write_text("A = 1\n")
    (pkg / "stories" / "model-v1.json").write_text("{}")
    monkeypatch.setattr(ecbplus, "PACKAGE", pkg)
    first = ecbplus.product_key().hexdigest()
    (pkg / "stories" / "model-v1.json").write_text('{"w": 1}')
    second = ecbplus.product_key().hexdigest()
    (pkg / "deep").mkdir()
    (pkg / "deep" / "b.py").write_text("B = 2\n")
    assert len({first, second, ecbplus.product_key().hexdigest()}) == 3


def test_a_small_corpus_goes_through_crosswire_run_and_is_scored(small_corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "crosswire-eval"  # where the CLI keeps runs when the temp folder is tmp_path
    m = evaluate_gvc_facts(small_corpus, "dev", cache_dir=cache)
    assert (m["incidents"], m["articles"]) == (2, 3)
    for f in FIELDS:
        assert m[f"{f}_accuracy"] == 1.0, (f, m["errors"])
    assert m["errors"] == []
    cached = sorted(p for p in cache.iterdir() if p.is_dir())
    assert len(cached) == 1 and (cached[0] / "stories.jsonl").is_file()
    done = subprocess.run([sys.executable, "-m", "crosswire", "eval", "gvc", str(small_corpus), "--split", "dev", "-q"],
                          capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp_path)}, check=True)
    lines = [line.split() for line in done.stdout.splitlines()]
    assert all(len(x) == 2 for x in lines) and dict(lines)["date_accuracy"] == "1.000"
    assert [x[0] for x in lines[-4:]] == ["corroborated_precision", "conflict_precision", "conflict_real_precision",
                                          "single_source_precision"]
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 1  # the CLI read the same cached run


def test_unknown_split_is_refused(small_corpus: Path) -> None:
    with pytest.raises(ValueError, match="split"):
        evaluate_gvc_facts(small_corpus, "validation")


@needs_corpus
def test_dev_split_accuracy_gate() -> None:
    """The accuracy gate of the normal suite, on the dev split (the product run is cached)."""
    m = evaluate_gvc_facts(CORPUS, "dev")
    assert m["incidents"] == 37 and m["articles"] == 78
    # measured through `crosswire eval gvc ../shared/corpora --split dev` (event.v1 voting the day
    # with the most weight, the tolls' shooter and past-event rules of issue 10): 0.946 / 0.838 /
    # 1.000 / 0.973 / 0.919. Floors two incidents (0.054) below: a real regression crosses them,
    # a one-incident wobble does not.
    assert m["date_accuracy"] >= 0.89
    assert m["city_accuracy"] >= 0.78
    assert m["state_accuracy"] >= 0.94
    assert m["killed_accuracy"] >= 0.91
    assert m["injured_accuracy"] >= 0.86


def test_a_civil_township_is_compared_by_its_bare_name_as_the_archive_writes_it() -> None:
    from crosswire.evaluate.gvc import GvcIncident, right

    gold = GvcIncident("1", "dev", date(2015, 6, 28), "Michigan", "Franklin", 1, 0)
    assert right("city", "Franklin Township", gold) and right("city", "Town of Franklin", gold)
    assert right("city", "Franklin", gold)
    assert not right("city", "Franklinville", gold) and not right("city", "Adrian", gold)
    county = GvcIncident("2", "dev", date(2015, 6, 28), "Indiana", "Henry (county)", 1, 0)
    assert right("city", "Henry County", county) and not right("city", "Henry Township", county)
