"""The cross-check's statuses scored on the Gun Violence Corpus through the one path: the metrics'
definitions on story records written here (each can fail), and the gate on the real dev split
(skipped when ../shared/corpora/gvc is absent). The test split is not gated."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from crosswire.evaluate.ecbplus import GoldDoc, ProductRun
from crosswire.evaluate.gvc import GvcIncident
from crosswire.evaluate.gvc_crosscheck import (
    equals_record, evaluate_gvc_crosscheck, metric_lines, normalised, score_statuses,
)

# ../shared/corpora beside the checkout, or CROSSWIRE_CORPORA (a worktree elsewhere)
CORPUS = Path(os.environ.get("CROSSWIRE_CORPORA") or Path(__file__).resolve().parents[1].parent / "shared" / "corpora") / "gvc"
needs_corpus = pytest.mark.skipif(not (CORPUS / "documents.jsonl").is_file(), reason="GVC corpus not available")

GOLD = {"1": GvcIncident("1", "dev", date(2024, 5, 4), "Illinois", "Springfield", 2, 0),
        "2": GvcIncident("2", "dev", date(2024, 3, 1), "Ohio", "Dayton", 0, 3)}


def _count(n: int | None, low: int | None = None, high: int | None = None) -> dict:
    return {"value": n, "low": n if low is None else low, "high": n if high is None else high}


def _fact(slot: str, status: str, *values) -> dict:  # type: ignore[no-untyped-def]
    return {"slot": slot, "status": status, "value": values[0], "values": [{"value": v} for v in values]}


def _run(facts1: list[dict], facts2: list[dict]) -> tuple[ProductRun, list[GoldDoc]]:
    docs = [GoldDoc(f"d{i}", inc, "dev", {"url": f"http://x.example/{i}"}) for i, inc in enumerate("1122")]
    records = [{"id": "s1", "articles": [{"id": "A0"}, {"id": "A1"}], "facts": facts1},
               {"id": "s2", "articles": [{"id": "A2"}, {"id": "A3"}], "facts": facts2}]
    return ProductRun(records, {d.doc_id: f"A{i}" for i, d in enumerate(docs)}), docs


def test_values_are_compared_with_the_record_as_numbers_and_days() -> None:
    gold = GOLD["1"]
    assert equals_record("killed", _count(2), gold) and equals_record("killed", {"value": None, "low": 2, "high": 2}, gold)
    assert not equals_record("killed", _count(None, 1, 3), gold)  # a range is not the record's figure
    assert equals_record("date", "2024-05-04", gold) and not equals_record("date", "2024-05", gold)
    assert normalised("killed", _count(2.0)) == normalised("killed", {"value": None, "low": 2, "high": 2}) == 2
    assert normalised("date", "2024-05-04/2024-05-06") == "2024-05-04"


def test_each_status_is_right_or_wrong_against_the_record() -> None:
    run, docs = _run(
        [_fact("count:killed", "corroborated", _count(2)),                       # right
         _fact("count:injured", "corroborated", _count(1)),                      # wrong: the record says 0
         _fact("date:event.start", "conflict", "2024-05-04", "2024-05-05"),     # a real dispute
         _fact("count:sailor", "conflict", _count(1), _count(9))],              # not an incident fact
        [_fact("count:injured", "conflict", _count(1), _count(4)),             # two misreadings
         _fact("count:killed", "conflict", _count(0), {"value": 0.0, "low": 0, "high": 0}),  # the same after all
         _fact("date:event.start", "single_source", "2024-03-01")])
    m = score_statuses(run, docs, GOLD)
    assert (m["corroborated_precision"], m["overall"]["corroborated"]) == (0.5, 2)
    assert m["overall"]["conflicts"] == 3
    assert m["conflict_precision"] == round(2 / 3, 4)       # the 0 vs 0.0 conflict is wrong
    assert m["conflict_real_precision"] == round(1 / 3, 4)  # only the date dispute holds the record's value
    assert m["single_source_precision"] == 1.0
    assert m["injured"]["corroborated_precision"] == 0.0 and m["killed"]["conflict_precision"] == 0.0
    assert {(e["field"], e["status"]) for e in m["errors"]} == {("injured", "corroborated"), ("killed", "conflict")}
    lines = metric_lines(m)
    assert lines[-4:] == [f"{k} {m[k]}" for k in ("corroborated_precision", "conflict_precision",
                                                   "conflict_real_precision", "single_source_precision")]


@needs_corpus
def test_dev_split_status_gate() -> None:  # the gate of the normal suite; the product run is cached
    m = evaluate_gvc_crosscheck(CORPUS, "dev")
    # measured through `crosswire eval gvc ../shared/corpora --split dev`: corroborated precision
    # 1.0 (55/55; killed 19/19, date 21/21, injured 15/15 since a person reported dead is no longer
    # counted injured), conflict precision 1.0 (7/7), real-dispute precision 1.0 (7/7). The
    # conflicts fell from 13 to 7 (killed 4 -> 0, injured 3 -> 1): each report's figures are now
    # those its event record settled on, not its first casualty mention. Floors about two facts
    # below; the floor on the number of conflicts is lowered from 8 to 5 for that reason.
    # Then a conflict came to need two sources each stating the slot (weak readings, an outlet
    # against itself and the disagreements of a story flagged as several events are no sides):
    # corroborated 55/55 (killed 19, injured 15, date 21), conflicts 6 -> 1 (the five others were
    # judged false by reading the articles, benchmarks/gvc_conflicts_judged.md); the floor on
    # the number of conflicts is lowered from 5 to 1 for that reason.
    assert m["overall"]["corroborated"] >= 53 and m["overall"]["conflicts"] >= 1
    assert m["corroborated_precision"] >= 0.96
    assert m["conflict_precision"] >= 0.7
    assert m["conflict_real_precision"] >= 0.7
    assert m["injured"]["corroborated_precision"] >= 0.86
    assert m["killed"]["corroborated_precision"] >= 0.86 and m["date"]["corroborated_precision"] >= 0.9
