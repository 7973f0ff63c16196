"""WARC archives: HTML responses come out; cut files, bombs and non-WARC files are rejected."""

from __future__ import annotations

import gzip
import io
import time

from conftest import WARC_DATE, write_warc
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosswire.config import MB, Settings
from crosswire.ingest.prepare import outlet_of
from crosswire.ingest.sources import iter_inputs
from crosswire.ingest.warc import read_warc
from crosswire.models import RawDocument, Rejection

SETTINGS = Settings()


def page(n: int) -> bytes:
    body = " ".join(f"Sentence {i} of article {n} about the harbour." for i in range(60))
    return f"<html><head><title>Article {n}</title></head><body><p>{body}</p></body></html>".encode()


PAGES = [(f"http://news.example.com/{n}", page(n), "text/html; charset=utf-8") for n in range(3)]


def test_html_responses_become_documents_and_the_rest_is_skipped(tmp_path):
    pages = [
        *PAGES[:2],
        ("http://news.example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png"),
        ("http://news.example.com/cafe", "<p>Le café a rouvert.</p>".encode("cp1252"),
         "text/html; charset=windows-1252"),
    ]
    path = write_warc(tmp_path / "crawl.warc", pages)
    items = list(read_warc(path, SETTINGS))
    assert all(isinstance(i, RawDocument) for i in items), items
    assert [i.url for i in items] == [pages[0][0], pages[1][0], pages[3][0]]
    first = items[0]
    assert first.kind == "html" and "Article 0" in first.content
    assert first.fetched == "2025-06-03T10:00:00+00:00"
    assert first.source == f"{path}#record-3"  # warcinfo, request, response
    assert "Le café a rouvert." in items[2].content


def test_gzipped_warc_reads_the_same(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", PAGES, gz=True)
    items = list(iter_inputs([str(path)], SETTINGS))
    assert [i.url for i in items] == [p[0] for p in PAGES]
    assert all(outlet_of(i.outlet, i.url) == "news.example.com" for i in items)  # no site name: the domain


def test_truncated_warc_yields_the_records_before_the_cut(tmp_path):
    full = write_warc(tmp_path / "full.warc", PAGES).read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(full[: len(full) - 800])  # inside the last response
    items = list(read_warc(cut, SETTINGS))
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument", "Rejection"]
    assert items[-1].reason == "truncated" and "record 7" in items[-1].detail
    assert items[-1].source == str(cut)



def test_a_huge_junk_line_between_records_is_corrupt_not_read_line_by_block(tmp_path):
    # warcio joins a header line block by block (quadratic in its length): a fuzzed file with a
    # 50 MB junk line after a record took minutes; a header line has a bound, the records before stay
    full = write_warc(tmp_path / "full.warc", PAGES[:1]).read_bytes()
    junk = tmp_path / "junk.warc"
    junk.write_bytes(full + b"<b>" * (3 << 20) + b"\r\n\r\n" + write_warc(tmp_path / "b.warc", PAGES[1:2]).read_bytes())
    items = list(read_warc(junk, SETTINGS))
    assert isinstance(items[0], RawDocument) and items[0].url == PAGES[0][0]
    assert isinstance(items[-1], Rejection) and items[-1].reason == "corrupt"
    assert "header line of over 1,048,576 bytes" in items[-1].detail

def test_warc_cut_inside_record_headers_is_truncated(tmp_path):
    full = write_warc(tmp_path / "full.warc", PAGES).read_bytes()
    last = full.rindex(b"WARC/1.0")  # the start of the last record
    cut = tmp_path / "cut.warc"
    cut.write_bytes(full[: last + 40])
    items = list(read_warc(cut, SETTINGS))
    assert sum(isinstance(i, RawDocument) for i in items) == 2
    assert items[-1].reason == "truncated"


def test_truncated_warc_gz_yields_the_records_before_the_cut(tmp_path):
    full = write_warc(tmp_path / "full.warc.gz", PAGES, gz=True).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(full[: len(full) - 300])
    items = list(iter_inputs([str(cut)], SETTINGS))
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument", "Rejection"]
    assert items[-1].reason == "truncated" and "record 7" in items[-1].detail


def test_gzip_bomb_is_stopped_early(tmp_path):
    path = tmp_path / "bomb.warc.gz"
    total = 500 * MB
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://bomb.example/\r\n"
        f"WARC-Date: {WARC_DATE}\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {total + 45}\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    ).encode()
    member = gzip.compress(bytes(10 * MB), compresslevel=9)  # ~10 KB each
    with path.open("wb") as f:
        f.write(gzip.compress(header))
        for _ in range(total // (10 * MB)):
            f.write(member)
    assert path.stat().st_size < 600 * 1024
    started = time.perf_counter()
    items = list(iter_inputs([str(path)], SETTINGS))
    assert time.perf_counter() - started < 5
    assert items[-1].reason == "gzip_bomb" and "max_compression_ratio" in items[-1].detail
    assert not any(isinstance(i, RawDocument) for i in items)


def test_max_decompressed_bytes_also_stops_a_gzip(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", PAGES, gz=True)
    items = list(read_warc(path, Settings(max_decompressed_bytes=5000)))
    assert items[-1].reason == "gzip_bomb"


def test_file_that_is_not_warc_is_rejected(tmp_path):
    path = tmp_path / "page.warc"
    path.write_text("<html><body>not an archive</body></html>")
    [rejection] = list(read_warc(path, SETTINGS))
    assert isinstance(rejection, Rejection) and rejection.reason == "not_warc"


def test_resource_records_and_error_pages(tmp_path):
    path = tmp_path / "mixed.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        body = page(9)
        writer.write_record(writer.create_warc_record(
            "http://news.example.com/saved", "resource", payload=io.BytesIO(body), length=len(body),
            warc_content_type="text/html",
        ))
        missing = b"<html><body>Not found</body></html>"
        http = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "http://news.example.com/gone", "response", payload=io.BytesIO(missing), length=len(missing),
            http_headers=http,
        ))
        moved = StatusAndHeaders(
            "301 Moved", [("Content-Type", "text/html"), ("Location", "/x")], protocol="HTTP/1.1"
        )
        writer.write_record(writer.create_warc_record(
            "http://news.example.com/old", "response", payload=io.BytesIO(b"<p>moved</p>"), length=12,
            http_headers=moved,
        ))
    resource, error = list(read_warc(path, SETTINGS))
    assert isinstance(resource, RawDocument) and resource.url == "http://news.example.com/saved"
    assert isinstance(error, Rejection) and error.reason == "http_error" and "404" in error.detail


def test_oversized_record_is_rejected_and_the_next_one_read(tmp_path):
    path = write_warc(tmp_path / "crawl.warc", PAGES)
    items = list(read_warc(path, Settings(max_record_bytes=len(PAGES[0][1]) - 10)))
    assert [getattr(i, "reason", "doc") for i in items] == ["too_large"] * 3
