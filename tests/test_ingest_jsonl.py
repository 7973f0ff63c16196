"""JSON and JSON Lines records: news-please and trafilatura fields; bad lines rejected by number."""

from __future__ import annotations

import json

from crosswire.config import Settings
from crosswire.ingest.jsonl import read_json, read_jsonl
from crosswire.ingest.sources import iter_inputs
from crosswire.models import RawDocument, Rejection

SETTINGS = Settings()
NEWS_PLEASE = {
    "title": "Dam opens",
    "maintext": "The new dam opened on Monday after ten years of work.",
    "description": "A dam opens.",
    "url": "https://www.river-news.org/dam",
    "source_domain": "www.river-news.org",
    "authors": ["Ana Lima", "Ben Okafor"],
    "date_publish": "2025-06-02 09:30:00",
    "language": "en",
}
TRAFILATURA = {
    "title": "Storm warning",
    "text": "Forecasters warned of a storm on the coast.",
    "author": "Kim Park; Lee Chen",
    "hostname": "coast.example",
    "sitename": "Coast Daily",
    "date": "2025-06-03",
    "url": "https://coast.example/storm",
}


def test_jsonl_reads_good_lines_and_rejects_bad_ones_by_line_number(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        json.dumps(NEWS_PLEASE),
        '{"title": "broken", "text": ',
        "",
        json.dumps(TRAFILATURA),
        "[1, 2, 3]",
        json.dumps({"url": "https://x.example/a", "authors": []}),
        json.dumps({"title": "Body as HTML", "maintext": "<p>First paragraph.</p><p>Second.</p>"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_jsonl(path, SETTINGS))
    assert [i.source for i in items] == [f"{path}:{n}" for n in (1, 2, 4, 5, 6, 7)]
    first, bad, second, array, no_text, html = items
    assert isinstance(first, RawDocument) and first.kind == "record"
    assert (first.title, first.url, first.outlet) == ("Dam opens", NEWS_PLEASE["url"], "river-news.org")
    assert first.authors == ["Ana Lima", "Ben Okafor"]
    assert first.published == "2025-06-02 09:30:00" and first.language == "en"
    assert first.description == "A dam opens." and first.content.startswith("The new dam")
    assert isinstance(bad, Rejection) and bad.reason == "invalid_json" and "line 2" in bad.detail
    assert isinstance(second, RawDocument)
    assert second.outlet == "Coast Daily" and second.authors == ["Kim Park", "Lee Chen"]
    assert second.published == "2025-06-03"
    assert array.reason == "invalid_json" and "not an object" in array.detail
    assert no_text.reason == "missing_text" and "line 6" in no_text.detail
    assert isinstance(html, RawDocument) and html.kind == "html"


def test_jsonl_line_over_max_record_bytes_is_rejected_unparsed(tmp_path):
    path = tmp_path / "big.jsonl"
    huge = json.dumps({"title": "Huge", "text": "word " * 5000})
    path.write_text(json.dumps(TRAFILATURA) + "\n" + huge + "\n" + json.dumps(NEWS_PLEASE) + "\n")
    items = list(read_jsonl(path, Settings(max_record_bytes=1000)))
    assert [type(i).__name__ for i in items] == ["RawDocument", "Rejection", "RawDocument"]
    assert items[1].reason == "too_large" and items[1].source == f"{path}:2"


def test_jsonl_in_other_encodings_and_with_bom(tmp_path):
    path = tmp_path / "legacy.jsonl"
    record = {"title": "Café", "text": "“Quoted” café text"}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
                     + json.dumps(record, ensure_ascii=False).encode("cp1252") + b"\n")
    first, second = list(read_jsonl(path, SETTINGS))
    assert first.title == second.title == "Café"
    assert second.content == "“Quoted” café text"


def test_json_object_and_array(tmp_path):
    single = tmp_path / "one.json"
    single.write_text(json.dumps(NEWS_PLEASE))
    [doc] = list(read_json(single, SETTINGS))
    assert isinstance(doc, RawDocument) and doc.source == str(single)
    many = tmp_path / "many.json"
    many.write_text(json.dumps([NEWS_PLEASE, "oops", TRAFILATURA]))
    items = list(read_json(many, SETTINGS))
    assert [i.source for i in items] == [f"{many}#record-{n}" for n in (1, 2, 3)]
    assert isinstance(items[1], Rejection) and items[1].reason == "invalid_json"


def test_invalid_json_file_is_rejected(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"title": "x", ')
    [rejection] = list(iter_inputs([str(path)], SETTINGS))
    assert rejection.reason == "invalid_json" and "line 1" in rejection.detail


def test_json_file_holding_json_lines_is_read_line_by_line(tmp_path):
    path = tmp_path / "lines.json"
    path.write_text(json.dumps(NEWS_PLEASE) + "\n" + json.dumps(TRAFILATURA) + "\n")
    items = list(read_json(path, SETTINGS))
    assert [i.source for i in items] == [f"{path}:1", f"{path}:2"]
    assert all(isinstance(i, RawDocument) for i in items)


def test_a_rejection_quoting_lone_surrogates_is_stored_and_the_batch_goes_on(tmp_path):
    # a JSON record whose field names carry escaped lone surrogates ("ur\udfffl") is rejected with a
    # detail naming its fields; SQLite cannot store a surrogate, which crashed the batch (fuzz seed 104)
    from crosswire.ingest.pipeline import ingest
    from crosswire.store import Store

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "odd.json").write_text('{"titl\\ud800e": "x", "ur\\udfff\\udfffl": "y"}', encoding="utf-8")
    body = " ".join(f"Sentence {i} about the harbour strike." for i in range(30))
    (inputs / "good.json").write_text(json.dumps({"title": "Harbour strike", "maintext": body}), encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        summary = ingest([str(inputs)], store, Settings(db=str(tmp_path / "s.db"), workers=1))
        stored = store.rejections()
    assert summary.stored == 1 and [r.reason for r in summary.rejected] == ["missing_text"]
    assert [r.reason for r in stored] == ["missing_text"] and "\\udfff" in stored[0].detail
