"""Story-grouping evaluations: the scorer on a hand-computed case, the readers and the one path
(``crosswire run`` and the story records) on a small corpus written here, and the accuracy gates on
the ECB+ and GVC dev splits (skipped when ../shared/corpora is absent). Test splits are not gated:
they are scored once per release and reported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crosswire.evaluate.ecbplus import ecb_split, errors_of, evaluate_ecbplus, read_ecbplus, score_grouping
from crosswire.evaluate.gvc_stories import evaluate_gvc_stories, original_url, read_gvc_stories, run_gvc

# ../shared/corpora beside the checkout, or CROSSWIRE_CORPORA (a worktree elsewhere)
CORPORA = Path(os.environ.get("CROSSWIRE_CORPORA") or Path(__file__).resolve().parents[1].parent / "shared" / "corpora")


def test_bcubed_and_pairwise_scores_match_a_hand_computed_case() -> None:
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    pred = {"a": "x", "b": "x", "c": "x", "d": "y"}
    m = score_grouping(gold, pred)
    assert m["bcubed_precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["bcubed_recall"] == pytest.approx(0.75, abs=1e-4)
    assert m["bcubed_f1"] == pytest.approx(2 * (2 / 3) * 0.75 / (2 / 3 + 0.75), abs=1e-4)
    assert (m["pairwise_precision"], m["pairwise_recall"]) == (pytest.approx(1 / 3, abs=1e-4), 0.5)
    assert score_grouping(gold, {"a": "p", "b": "p", "c": "q", "d": "q"})["bcubed_f1"] == 1.0
    kinds = sorted(e["kind"] for e in errors_of(gold, pred))
    assert kinds == ["merged", "split"]


def test_ecbplus_splits_follow_the_standard_topics_and_order_hides_the_topic(tmp_path: Path) -> None:
    assert [ecb_split(t) for t in (1, 2, 35, 36, 45)] == ["train", "dev", "dev", "test", "test"]
    rows = [{"doc_name": f"{t}_{i}ecb.xml", "topic": t, "subtopic": f"{t}_ecb", "url": None, "n_sentences": 2,
             "text": f"Headline {t} {i}\nBody of document {i} of topic {t} .", "cross_doc_chains": []}
            for t in (1, 36, 37) for i in range(4)]
    (tmp_path / "documents.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs = read_ecbplus(tmp_path, "test")
    assert len(docs) == 8 and {d.split for d in docs} == {"test"}
    assert docs[0].record == {"title": docs[0].record["title"], "maintext": docs[0].record["maintext"]}
    assert docs[0].record["title"].startswith("Headline")
    topics = [d.gold.split("_")[0] for d in docs]
    assert topics != sorted(topics)  # arrival order is not grouped by topic
    assert [d.doc_id for d in read_ecbplus(tmp_path, "test")] == [d.doc_id for d in docs]
    with pytest.raises(ValueError, match="unknown ECB"):
        read_ecbplus(tmp_path, "validation")


SMALL_GVC = [  # two shootings in two cities, reported by three outlets each, and a third one alone
    ("1", "2021-03-04", "Man shot dead outside Tulsa gas station",
     "TULSA, Okla. - A 34-year-old man was shot and killed outside a gas station on East 21st Street in Tulsa "
     "late Wednesday, police said. Officers found Marcus Reed with several gunshot wounds. Tulsa police "
     "spokesman Jason Keller said detectives were looking for a gray pickup seen leaving the scene."),
    ("1", "2021-03-05", "Police name victim of Tulsa gas station shooting",
     "Tulsa police on Thursday named the man killed outside an East 21st Street gas station as Marcus Reed, 34. "
     "Spokesman Jason Keller said investigators had video of a gray pickup truck. No arrest has been made."),
    ("2", "2021-03-05", "Teen wounded in Dayton drive-by shooting",
     "DAYTON, Ohio - A 16-year-old boy was wounded in a drive-by shooting on Salem Avenue in Dayton on "
     "Thursday afternoon, Dayton police said. Lt. Carla Jennings said the boy, who was shot in the leg, was "
     "taken to Miami Valley Hospital and is expected to recover."),
    ("1", "2021-03-08", "Arrest made in killing of Marcus Reed in Tulsa",
     "Tulsa police arrested a 29-year-old man on Monday in the killing of Marcus Reed, who was shot outside a "
     "gas station on East 21st Street last week. Jason Keller said the gray pickup was found in a garage."),
    ("2", "2021-03-06", "Dayton police seek car in Salem Avenue shooting",
     "Dayton police are searching for a dark sedan after a 16-year-old was shot in the leg on Salem Avenue on "
     "Thursday. Lt. Carla Jennings asked witnesses to call. The boy is recovering at Miami Valley Hospital."),
    ("3", "2021-03-06", "Woman injured by stray bullet in Fresno home",
     "FRESNO, Calif. - A 52-year-old woman was hurt when a stray bullet came through the wall of her home on "
     "Olive Avenue in Fresno on Saturday, police said. Sgt. Omar Delgado said the bullet grazed her arm."),
]


def test_the_whole_product_groups_a_small_gvc_style_corpus(tmp_path: Path) -> None:
    folder = tmp_path / "gvc"
    folder.mkdir()
    rows = [{"doc_id": f"d{n}", "incident_id": inc, "split": "test", "title": title, "dct": day,
             "uri": f"http://web.archive.org/web/20210310000000/https://news{n}.example/story", "text": text}
            for n, (inc, day, title, text) in enumerate(SMALL_GVC)]
    rows.append({**rows[0], "doc_id": "d9"})  # the same page twice: one article
    rows.append({**rows[1], "doc_id": "short", "text": "Too short to be an article.",
                 "uri": "https://news9.example/short"})
    (folder / "documents.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs = read_gvc_stories(folder, "test")
    assert [d.record["date_publish"] for d in docs] == sorted(d.record["date_publish"] for d in docs)
    assert docs[0].record["url"].startswith("https://news")
    m = evaluate_gvc_stories(folder, "test", cache_dir=tmp_path / "cache")
    assert (m["grouping_documents"], m["grouping_events"], m["grouping_rejected"]) == (8, 3, 1)
    assert m["grouping_articles"] == 7  # the copy maps to its twin's article; the short one is rejected
    assert m["ingested_bcubed_f1"] == 1.0, m["grouping_errors"]
    assert m["bcubed_precision"] == 1.0 and m["bcubed_recall"] < 1.0  # the rejected one stands alone
    product, _ = run_gvc(folder, "test", cache_dir=tmp_path / "cache")  # the cached run, read again
    assert {r["id"] for r in product.records} == {s for s in product.story_of(d.doc_id for d in docs).values()
                                                  if not s.startswith("unplaced:")}
    assert len([p for p in (tmp_path / "cache").iterdir() if p.is_dir()]) == 1
    assert original_url("https://example.com/a") == "https://example.com/a"


def test_the_analysed_store_key_ignores_the_story_stage_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crosswire.evaluate import ecbplus

    pkg = tmp_path / "crosswire"
    (pkg / "stories").mkdir(parents=True)
    (pkg / "a.py").write_text("A = 1\n")
    (pkg / "stories" / "group.py").write_text("G = 1\n")
    monkeypatch.setattr(ecbplus, "PACKAGE", pkg)
    keys = lambda: (ecbplus.product_key().hexdigest(), ecbplus.product_key(grouping=False).hexdigest())  # noqa: E731
    first = keys()
    (pkg / "stories" / "group.py").write_text("G = 2\n")  # grouping changed: analysis is the same
    second = keys()
    assert second[0] != first[0] and second[1] == first[1]
    (pkg / "a.py").write_text("A = 2\n")  # anything else changed: both change
    third = keys()
    assert third[0] != second[0] and third[1] != second[1]


needs_corpora = pytest.mark.skipif(not (CORPORA / "ecbplus").is_dir(), reason="../shared/corpora is absent")


@needs_corpora
def test_ecbplus_dev_grouping_gate() -> None:  # accuracy gate, in the normal suite (cached product run)
    m = evaluate_ecbplus(CORPORA / "ecbplus", "dev")
    assert m["grouping_documents"] == 197 and m["grouping_events"] == 16
    assert m["bcubed_f1"] >= ECBPLUS_DEV_FLOOR, {k: v for k, v in m.items() if k != "grouping_errors"}
    assert m["ingested_bcubed_f1"] >= ECBPLUS_DEV_INGESTED_FLOOR


@needs_corpora
def test_gvc_dev_grouping_gate() -> None:  # accuracy gate, in the normal suite (cached product run)
    m = evaluate_gvc_stories(CORPORA / "gvc", "dev")
    assert m["grouping_documents"] == 78 and m["grouping_events"] == 37
    assert m["bcubed_f1"] >= GVC_DEV_FLOOR, {k: v for k, v in m.items() if k != "grouping_errors"}


# Accuracy gates on the dev splits (`crosswire eval ecbplus|gvc ../shared/corpora --split dev`):
# grouping stories-v2+rules (consolidation v2) with one-sentence reports kept (min_text_chars 60:
# every dev document is ingested) measured ECB+ dev 0.929, GVC dev 1.000 (before: 0.911 with 19 of
# 197 documents rejected as too short, 0.9715 over the other 178; model stories-v2 before the
# consolidation pass: 0.837, 0.878 and 0.991). One ECB+ article moved costs ~0.005, one GVC dev
# report ~0.01: the floors let two such moves pass and stop three (a real regression); a change
# that lowers one says so in its commit.
ECBPLUS_DEV_FLOOR = 0.915
ECBPLUS_DEV_INGESTED_FLOOR = 0.915
GVC_DEV_FLOOR = 0.985
