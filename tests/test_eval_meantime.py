"""MEANTIME time-expression evaluation: the reader, the product path (ingest -> analyze -> stored
facts aligned back to tokens) and the scorer on small files written here, the dateparser baseline,
and accuracy floors on the real corpus's dev split (skipped when ../shared/corpora/meantime is absent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crosswire.config import Settings
from crosswire.evaluate.meantime import (
    Aligned,
    align,
    dateparser_value,
    evaluate_meantime,
    meantime_week,
    news_record,
    read_meantime,
    run_meantime,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "meantime"
ONE_WORKER = Settings(workers=1)

# Tokenized as MEANTIME is. Sentence 0 title, 1 dateline, 2-5 annotated body (5 is a newsletter
# call that cleaning removes), 6-8 beyond the annotated region.
SENTENCES = [
    "Harbour ferry back in service this week",
    "July 08 , 2024",
    "The ferry `` Gull '' left the harbour on Saturday .",
    "Repairs had taken two weeks and cost $ 5 million , officials said .",
    "It will sail again next Tuesday , but it does n't carry cars yet .",
    "Sign up for our daily newsletter .",
    "The ferry was built in 1990 .",
    "The crew was praised by passengers who had waited on the quay .",
    "Harbour officials thanked the shipyard for its careful work on the hull .",
]


def _write_doc(folder: Path, name: str, *, creation_time: bool) -> None:
    tokens, t_id = [], 0
    ids: dict[tuple[int, str], int] = {}
    for s, sentence in enumerate(SENTENCES):
        for n, word in enumerate(sentence.split()):
            t_id += 1
            ids[(s, word)] = t_id
            word = word.replace("&", "&amp;").replace("<", "&lt;")
            tokens.append(f'<token number="{n}" sentence="{s}" t_id="{t_id}">{word}</token>')

    def timex(m_id: int, anchors: list[int], type_: str, value: str, function: str = "NONE") -> str:
        inner = "".join(f'<token_anchor t_id="{a}"/>' for a in anchors)
        return f'<TIMEX3 m_id="{m_id}" type="{type_}" value="{value}" functionInDocument="{function}">{inner}</TIMEX3>'

    dateline = [ids[(1, w)] for w in ("July", "08", ",", "2024")]
    markables = [
        timex(1, dateline, "DATE", "2024-07-08", "CREATION_TIME" if creation_time else "NONE"),
        timex(2, [ids[(0, "this")], ids[(0, "week")]], "DATE", "2024-W28"),  # the headline: not read
        timex(3, [ids[(2, "Saturday")]], "DATE", "2024-07-06"),
        timex(4, [ids[(3, "two")], ids[(3, "weeks")]], "DURATION", "P2W"),
        timex(5, [ids[(4, "next")], ids[(4, "Tuesday")]], "DATE", "2024-07-16"),  # the scorer must see a miss
        timex(6, [ids[(5, "daily")]], "SET", "P1D"),  # in the line cleaning removes
        '<TIMEX3 m_id="7" type="DATE" value="2025" functionInDocument="NONE" TAG_DESCRIPTOR="empty"/>',
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.xml").write_text(
        f'<?xml version="1.0" ?><Document doc_id="1" doc_name="{name}" lang="en" '
        f'url="https://news.example.org/{name}">'
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


def test_reader_rebuilds_written_text_and_finds_the_dct(small_corpus):
    docs = read_meantime(small_corpus, "test")
    assert [d.name for d in docs] == ["1_with_dct", "2_dateline_only"]
    for doc in docs:
        assert doc.dct == date(2024, 7, 8)  # from CREATION_TIME, else from the dateline
        lines = doc.text.split("\n")
        assert lines[1] == "July 08, 2024"
        assert lines[2] == 'The ferry "Gull" left the harbour on Saturday.'
        assert lines[3] == "Repairs had taken two weeks and cost $5 million, officials said."
        assert lines[4] == "It will sail again next Tuesday, but it doesn't carry cars yet."
        assert [g.value for g in doc.gold] == ["2024-W28", "2024-07-06", "P2W", "2024-07-16", "P1D"]  # no DCT, no empty
        assert [doc.text[s:e] for s, e in doc.token_spans[:2]] == ["Harbour", "ferry"]
        assert [g.text for g in doc.gold][:3] == ["this week", "Saturday", "two weeks"]
    assert [d.name for d in read_meantime(small_corpus, "dev")] == ["3_dev"]
    assert [d.name for d in read_meantime(small_corpus, "apple")] == ["3_dev"]


def test_news_record_carries_headline_body_and_creation_time(small_corpus):
    doc = read_meantime(small_corpus, "dev")[0]
    record = news_record(doc)
    assert record["title"] == "Harbour ferry back in service this week"
    assert record["maintext"].startswith("July 08, 2024\nThe ferry")
    assert record["date_publish"] == "2024-07-08" and record["url"] == "https://news.example.org/3_dev"


def test_alignment_maps_stored_characters_back_to_tokens(small_corpus):
    doc = read_meantime(small_corpus, "dev")[0]
    stored = doc.body.replace("\n", "\n\n").replace("Sign up for our daily newsletter.\n\n", "")
    aligned = Aligned.of(doc, stored)
    start = stored.index("two weeks")
    toks = aligned.tokens(start, start + len("two weeks"))
    assert [doc.text[doc.token_spans[i][0] : doc.token_spans[i][1]] for i in sorted(toks)] == ["two", "weeks"]
    daily = next(g for g in doc.gold if g.value == "P1D")
    assert not (daily.tokens & aligned.present_tokens())
    assert align("abc\ndef", "abc\n\nXdef") == [0, 1, 2, 3, None, None, 4, 5, 6]


def test_product_path_scores_stored_facts_and_counts_what_it_cannot(small_corpus):
    result = run_meantime(small_corpus, "test", settings=ONE_WORKER)
    m = result.metrics
    assert m["documents"] == 2 and m["gold_timexes"] == 10
    assert m["documents_rejected"] == 0 and m["documents_skipped"] == 0 and m["facts_unaligned"] == 0
    # The headline is not read by the facts stage and cleaning removes the newsletter line: both
    # timexes stay in the gold as misses, counted apart.
    assert m["gold_in_title"] == 2 and m["gold_not_in_text"] == 2 and m["sentences_dropped"] == 2
    assert any("sentence 5 not in the stored text" in n and "subscription_promo" in n for n in result.notes)
    # "1990" lies beyond the annotated sentences and the dateline is the DCT: neither is scored.
    assert m["predicted_timexes"] == 6
    assert m["timex_span_precision"] == 1.0 and m["timex_span_recall"] == pytest.approx(0.6)
    assert m["timex_value_accuracy"] == pytest.approx(4 / 6, abs=1e-3)  # "next Tuesday" gold differs
    wrong = [p for p in result.pairs if p.gold and p.pred and p.gold.value != p.pred.value]
    assert {p.gold.text for p in wrong} == {"next Tuesday"}
    missed = {p.gold.text for p in result.pairs if p.gold and p.pred is None}
    assert missed == {"this week", "daily"}


def test_cross_validation_scores_each_topic_as_a_fold(small_corpus):
    m = evaluate_meantime(small_corpus, "cv", settings=ONE_WORKER)
    assert m["gm_documents"] == m["stock_documents"] == m["apple_documents"] == 1
    assert "airbus_documents" not in m  # no such folder in this corpus: no empty fold
    folds = [m[f"{t}_timex_value_accuracy"] for t in ("apple", "gm", "stock")]
    assert m["cv_mean_timex_value_accuracy"] == pytest.approx(sum(folds) / 3, abs=1e-4)
    assert m["cv_min_timex_value_accuracy"] == min(folds)


def test_unknown_split_and_method_are_refused(small_corpus):
    with pytest.raises(ValueError, match="split"):
        read_meantime(small_corpus, "train")
    with pytest.raises(ValueError, match="method"):
        run_meantime(small_corpus, "dev", method="guess")


def test_baseline_writes_a_value_at_the_period_dateparser_reports():
    dct = date(2008, 3, 11)
    assert dateparser_value("March 2008", dct) == ("2008-03", "month")
    assert dateparser_value("2007", dct) == ("2007", "year")
    assert dateparser_value("March 3, 2008", dct) == ("2008-03-03", "day")
    assert dateparser_value("yesterday", dct) == ("2008-03-10", "day")
    assert dateparser_value("last week", dct) == ("2008-W10", "week")
    assert dateparser_value("the third quarter", dct) == (None, None)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="MEANTIME corpus not available")
def test_meantime_dev_split_accuracy_floors():
    """Gates on dev, through the product. Measured 0.908 / 0.937 / 0.932 / 0.873 (dateparser
    baseline value accuracy 0.613); the floors sit where losing about five timexes of the 143
    would cross. The test split was tuned on (issue 9): it is reported by benchmarks/eval_meantime.py,
    never gated."""
    m = evaluate_meantime(CORPUS, "dev", settings=ONE_WORKER)
    assert m["documents"] == 60 and m["gold_timexes"] == 143
    assert m["documents_rejected"] == 0 and m["documents_skipped"] == 0
    assert m["facts_unaligned"] == 0 and m["sentences_dropped"] == 0 and m["gold_not_in_text"] == 0
    assert m["timex_span_f1"] >= 0.87
    assert m["timex_relaxed_f1"] >= 0.90
    assert m["timex_value_accuracy"] >= 0.90
    assert m["timex_value_f1"] >= 0.83
    baseline = evaluate_meantime(CORPUS, "dev", method="dateparser", settings=ONE_WORKER)
    assert m["timex_value_accuracy"] > baseline["timex_value_accuracy"] + 0.2


def test_iso_weeks_are_renamed_as_meantime_numbers_them():
    assert meantime_week("2006-W13") == "2006-W14"  # 2006 starts on a Sunday: ISO week 1 starts on 2 January
    assert meantime_week("2010-W03-WE") == "2010-W04-WE"
    assert meantime_week("2004-W47") == "2004-W47"  # 2004 starts on a Thursday: both numberings agree
    assert meantime_week("2009-W53") == "2010-W01"  # the week holding 1 January
    assert meantime_week("2008-Q3") == "2008-Q3" and meantime_week(None) is None
