"""Inputs as the user names them: files, folders, globs, stdin, gzip variants, --outlet/--url."""

from __future__ import annotations

import gzip
import io
import json

from conftest import write_warc

from crosswire.config import MB, Settings
from crosswire.ingest.base import Notice
from crosswire.ingest.prepare import outlet_of
from crosswire.ingest.sources import iter_inputs
from crosswire.models import RawDocument, Rejection

SETTINGS = Settings()
HTML = "<html><body><p>The harbour reopened after the storm.</p></body></html>"
RECORD = {"title": "Harbour", "text": "The harbour reopened.", "url": "https://www.port.example/h"}


def read(*paths: str, **kwargs) -> list[RawDocument | Rejection]:
    return list(iter_inputs(list(paths), SETTINGS, **kwargs))


def test_folder_is_read_recursively_sorted_and_hidden_files_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Two\n\nbody")
    (tmp_path / "a.txt").write_text("One\n\nbody")
    (tmp_path / ".secret.txt").write_text("hidden")
    (tmp_path / ".hidden" / "x.txt").write_text("hidden")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "LICENSE").write_text("MIT License\n\nPermission is hereby granted")
    (tmp_path / "README.md").write_text("# Project\n\nHow to use it")
    every = read(str(tmp_path))
    items = [i for i in every if not isinstance(i, Notice)]
    assert [i.source for i in items] == [str(tmp_path / n) for n in ("a.txt", "notes.pdf", "b/two.txt")]
    assert items[1].reason == "unsupported_format"
    skipped = {i.source for i in every if isinstance(i, Notice)}
    assert skipped == {str(tmp_path / n) for n in (".hidden", ".secret.txt", "LICENSE", "README.md")}
    assert all(i.reason == "skipped" and i.detail for i in every if isinstance(i, Notice))
    [readme] = read(str(tmp_path / "README.md"))  # named on its own, it is read
    assert isinstance(readme, RawDocument)


def test_glob_matches_and_a_glob_matching_nothing(tmp_path):
    for name in ("a.html", "b.HTML", "c.txt"):
        (tmp_path / name).write_text(HTML)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.html").write_text(HTML)
    items = read(str(tmp_path / "**" / "*.html"))
    assert [i.source for i in items] == [str(tmp_path / "a.html"), str(tmp_path / "sub" / "d.html")]
    assert all(i.kind == "html" for i in items)  # b.HTML is not matched by the case-sensitive glob
    [no_match] = read(str(tmp_path / "*.warc"))
    assert no_match.reason == "no_match"
    [upper] = read(str(tmp_path / "b.HTML"))
    assert isinstance(upper, RawDocument)  # extensions are case-insensitive


def test_missing_path_is_not_found(tmp_path):
    [missing] = read(str(tmp_path / "nope.html"))
    assert missing.reason == "not_found"


def test_outlet_and_url_options_override_every_document(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(RECORD) + "\n" + json.dumps({**RECORD, "sitename": "Port News"}) + "\n")
    plain = read(str(path))
    assert [d.outlet for d in plain] == ["port.example", "Port News"]  # URL domain, then metadata
    forced = read(str(path), outlet="Harbour Gazette", url="https://gazette.example/x")
    assert {(d.outlet, d.url) for d in forced} == {("Harbour Gazette", "https://gazette.example/x")}
    html = tmp_path / "page.html"
    html.write_text(HTML)
    [doc] = read(str(html), url="https://www.gazette.example/page")
    # a page's outlet is left to prepare: its site name when the markup gives one, else this domain
    assert doc.url == "https://www.gazette.example/page" and doc.outlet is None
    assert outlet_of(doc.outlet, doc.url) == "gazette.example"


def test_gzipped_single_documents_and_json_lines(tmp_path):
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(HTML.encode()))
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(b"Title\n\nBody text."))
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress((json.dumps(RECORD) + "\n").encode() * 3))
    (tmp_path / "d.json.gz").write_bytes(gzip.compress(json.dumps([RECORD, RECORD]).encode()))
    items = read(str(tmp_path))
    assert all(isinstance(i, RawDocument) for i in items), items
    assert [i.kind for i in items] == ["html", "text", "record", "record", "record", "record", "record"]
    assert items[2].source == f"{tmp_path / 'c.jsonl.gz'}:1"


def test_truncated_jsonl_gz_keeps_the_lines_before_the_cut(tmp_path):
    data = gzip.compress("".join(json.dumps({**RECORD, "n": n}) + "\n" for n in range(200)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = [i for i in read(str(path)) if not isinstance(i, Notice)]
    assert len(items) > 2 and all(isinstance(i, RawDocument) for i in items[:-1])
    assert items[-1].reason == "truncated" and items[-1].source == str(path)


def test_gzip_bomb_named_html_gz_is_stopped(tmp_path):
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<html>" + bytes(40 * MB)))
    [bomb] = read(str(path))
    assert bomb.reason == "gzip_bomb"


def test_gz_name_without_gzip_content(tmp_path):
    path = tmp_path / "fake.txt.gz"
    path.write_text("plain text")
    [rejection] = read(str(path))
    assert rejection.reason == "not_gzip"


def test_stdin_formats_are_sniffed(tmp_path):
    pages = [("http://port.example/h", HTML.encode(), "text/html")]
    warc = write_warc(tmp_path / "x.warc.gz", pages, gz=True)
    cases = {
        b"Harbour\n\nThe harbour reopened.": "text",
        HTML.encode(): "html",
        json.dumps(RECORD).encode() + b"\n" + json.dumps(RECORD).encode(): "record",
        json.dumps(RECORD, indent=2).encode(): "record",
        json.dumps([RECORD]).encode(): "record",
        warc.read_bytes(): "html",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>P</title><item><title>H</title>'
        b"<description>" + b"The harbour reopened after the storm. " * 20 + b"</description></item>"
        b"</channel></rss>": "record",
    }
    for data, kind in cases.items():
        items = read("-", stdin=io.BytesIO(data))
        assert items and all(isinstance(i, RawDocument) and i.kind == kind for i in items), (data[:40], items)
        assert items[0].source.startswith("<stdin>")


def test_stdin_empty_or_binary(tmp_path):
    [empty] = read("-", stdin=io.BytesIO(b""))
    assert empty.reason == "empty"
    [binary] = read("-", stdin=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)))
    assert binary.reason == "binary"
    [none] = read("-")
    assert none.reason == "not_found"


def test_stdin_json_lines_longer_than_the_sniffed_head_are_all_read():
    lines = [json.dumps({**RECORD, "text": f"Line {n}: " + "harbour " * 50}) for n in range(400)]
    data = ("\n".join(lines) + "\n").encode()
    assert len(data) > 2 * 64 * 1024
    items = read("-", stdin=io.BytesIO(data))
    assert len(items) == 400 and all(isinstance(i, RawDocument) for i in items)
    assert [i.content.split(":")[0] for i in items] == [f"Line {n}" for n in range(400)]
    assert items[-1].source == "<stdin>:400"


def test_stdin_truncated_warc_gz_keeps_the_records_before_the_cut(tmp_path):
    pages = [(f"http://port.example/{n}", (HTML * 40).encode(), "text/html") for n in range(4)]
    data = write_warc(tmp_path / "x.warc.gz", pages, gz=True).read_bytes()
    items = read("-", stdin=io.BytesIO(data[:-200]))
    assert [type(i).__name__ for i in items] == ["RawDocument"] * 3 + ["Rejection"]
    assert items[-1].reason == "truncated"
