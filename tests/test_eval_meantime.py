"""MEANTIME time-expression evaluation: the reader and scorer on a small file written here, and
accuracy floors on the real corpus (skipped when ../shared/corpora/meantime is absent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crosswire.evaluate.meantime import evaluate_meantime, meantime_week, read_meantime, run_meantime

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "meantime"

# Sentence 0 title, 1 dateline, 2-5 annotated body, 6 beyond the annotated region.
SENTENCES = [
    "Harbour ferry back in service",
    "July 08 , 2024",
    "The ferry left the harbour on Saturday .",
    "Repairs had taken two weeks .",
    "It will sail again next Tuesday .",
    "The crew was praised .",
    "The ferry was built in 1990 .",
]


def _write_doc(folder: Path, name: str, *, creation_time: bool) -> None:
    tokens, t_id = [], 0
    ids: dict[tuple[int, str], int] = {}
    for s, sentence in enumerate(SENTENCES):
        for n, word in enumerate(sentence.split()):
            t_id += 1
            ids[(s, word)] = t_id
            tokens.append(f'<token number="{n}" sentence="{s}" t_id="{t_id}">{word}</token>')

    def timex(m_id: int, anchors: list[int], type_: str, value: str, function: str = "NONE") -> str:
        inner = "".join(f'<token_anchor t_id="{a}"/>' for a in anchors)
        return f'<TIMEX3 m_id="{m_id}" type="{type_}" value="{value}" functionInDocument="{function}">{inner}</TIMEX3>'

    dateline = [ids[(1, w)] for w in ("July", "08", ",", "2024")]
    markables = [
        timex(1, dateline, "DATE", "2024-07-08", "CREATION_TIME" if creation_time else "NONE"),
        timex(2, [ids[(2, "Saturday")]], "DATE", "2024-07-06"),
        timex(3, [ids[(3, "two")], ids[(3, "weeks")]], "DURATION", "P2W"),
        timex(4, [ids[(4, "next")], ids[(4, "Tuesday")]], "DATE", "2024-07-16"),  # the scorer must see a miss
        '<TIMEX3 m_id="5" type="DATE" value="2025" functionInDocument="NONE" TAG_DESCRIPTOR="empty"/>',
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.xml").write_text(
        f'<?xml version="1.0" ?><Document doc_id="1" doc_name="{name}" lang="en">'
        + "".join(tokens) + "<Markables>" + "".join(markables) + "</Markables></Document>",
        encoding="utf-8",
    )


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    base = tmp_path / "intra_cross-doc_annotation"
    _write_doc(base / "corpus_gm", "1_with_dct", creation_time=True)
    _write_doc(base / "corpus_stock", "2_dateline_only", creation_time=False)
    _write_doc(base / "corpus_apple", "3_dev", creation_time=True)
    return tmp_path


def test_reader_rebuilds_text_and_finds_the_dct(small_corpus):
    docs = read_meantime(small_corpus, "test")
    assert [d.name for d in docs] == ["1_with_dct", "2_dateline_only"]
    for doc in docs:
        assert doc.dct == date(2024, 7, 8)  # from CREATION_TIME, else from the dateline
        assert doc.text.split("\n")[2] == SENTENCES[2]
        assert [g.value for g in doc.gold] == ["2024-07-06", "P2W", "2024-07-16"]  # no DCT, no empty timex
        first = doc.token_spans[0]
        assert doc.text[first[0] : first[1]] == "Harbour"
    assert [d.name for d in read_meantime(small_corpus, "dev")] == ["3_dev"]


def test_scorer_counts_spans_and_values(small_corpus):
    result = run_meantime(small_corpus, "test")
    m = result.metrics
    assert m["documents"] == 2 and m["gold_timexes"] == 6
    # "1990" lies beyond the annotated sentences and the dateline is the DCT: neither is scored.
    assert m["predicted_timexes"] == 6
    assert m["timex_span_f1"] == 1.0
    assert m["timex_value_accuracy"] == pytest.approx(4 / 6, abs=1e-3)  # "next Tuesday" gold differs
    wrong = [p for p in result.pairs if p.gold and p.pred and p.gold.value != p.pred.value]
    assert {p.gold.text for p in wrong} == {"next Tuesday"}


def test_unknown_split_is_refused(small_corpus):
    with pytest.raises(ValueError, match="split"):
        read_meantime(small_corpus, "train")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="MEANTIME corpus not available")
def test_meantime_test_split_accuracy_floors():
    m = evaluate_meantime(CORPUS, "test")
    assert m["documents"] == 60 and m["gold_timexes"] == 225
    # measured 0.854 / 0.896 / 0.855 / 0.766 (benchmarks/eval_meantime.py)
    assert m["timex_span_f1"] >= 0.84
    assert m["timex_relaxed_f1"] >= 0.88
    assert m["timex_value_accuracy"] >= 0.84
    assert m["timex_value_f1"] >= 0.75
    baseline = evaluate_meantime(CORPUS, "test", method="dateparser")
    assert m["timex_value_accuracy"] > baseline["timex_value_accuracy"] + 0.3


def test_iso_weeks_are_renamed_as_meantime_numbers_them():
    assert meantime_week("2006-W13") == "2006-W14"  # 2006 starts on a Sunday: ISO week 1 starts on 2 January
    assert meantime_week("2010-W03-WE") == "2010-W04-WE"
    assert meantime_week("2004-W47") == "2004-W47"  # 2004 starts on a Thursday: both numberings agree
    assert meantime_week("2009-W53") == "2010-W01"  # the week holding 1 January
    assert meantime_week("2008-Q3") == "2008-Q3" and meantime_week(None) is None
