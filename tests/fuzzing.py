"""Generated malformed inputs of every format, for ``tests/test_fuzz.py`` and ``benchmarks/fuzz.py``.

Every file starts as a well-formed news input written here (random sentences over a small word
list, a unique token each, so no two are copies) and is then broken in one or more ways: cut short,
bytes flipped, binary junk, wrong or undecodable encodings, surrogate character references,
a huge line, deep nesting, impossible dates, malformed or dangerous URLs, unknown fields, broken
WARC headers and gzip streams. ``make_batch(rng, folder, n)`` writes ``n`` such files.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from pathlib import Path

WORDS = (
    "the harbour council said storm river bridge police fire officials reported monday after "
    "city residents water power flood region minister closed reopened two hundred people were "
    "evacuated on tuesday night according to local emergency services and the mayor"
).split()
EXTENSIONS = ("txt", "md", "html", "json", "jsonl", "warc", "warc.gz", "rss", "atom", "xml")
BAD_DATES = ("0000-01-01", "-0001-05-05", "0", "year 0", "Mon, 01 Jan 0000 00:00:00 GMT", "99999-01-01",
             "2025-02-30", "2025-13-45T99:99:99Z", "\x00", "tomorrow", "1e308", "2025-06-03T10:00:00+99:00")
BAD_URLS = ("http://[::1", "http://[::1]:99999/", "javascript:alert(1)", "file:///etc/passwd", "",
            "http://127.0.0.1:8000\\@203.0.113.9/", "http://a b/", "http://%zz/", "ftp://x/y",
            "http://xn--/", "//no-scheme/path", "http://[v1.x]/", "http://example.com:-1/")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, token: str) -> str:
    paras = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(3, 6))]
    paras[0] = f"{token} {paras[0]}"
    return "\n\n".join(paras)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_page(rng: random.Random, token: str, url: str = "https://news.example/a", date: str = "2025-06-03") -> str:
    paras = "".join(f"<p>{_esc(p)}</p>" for p in body(rng, token).split("\n\n"))
    return (
        f"<!doctype html><html><head><title>Storm {token}</title>"
        f"<link rel='canonical' href='{url}'><meta property='og:url' content='{url}'>"
        f"<meta property='article:published_time' content='{date}'>"
        f"<meta property='og:site_name' content='Port News'></head>"
        f"<body><article><h1>Storm {token}</h1>{paras}</article></body></html>"
    )


def record(rng: random.Random, token: str) -> dict:
    return {"title": f"Storm {token}", "maintext": body(rng, token), "url": "https://news.example/r",
            "date_publish": "2025-06-03 10:00:00", "source_domain": "news.example", "authors": ["A. B."]}


def feed(rng: random.Random, token: str, kind: str, date: str = "Tue, 03 Jun 2025 10:00:00 GMT",
         link: str = "https://news.example/f") -> str:
    text = _esc(body(rng, token))
    if kind == "atom":
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Port News</title><entry><title>Storm {token}</title><link href='{link}'/>"
            f"<updated>{date}</updated><content type='text'>{text}</content></entry>"
            "<entry><title>Teaser</title><link href='http://127.0.0.1:9/never'/></entry></feed>"
        )
    root_open, root_close = (
        ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">',
         "</rdf:RDF>") if kind == "xml" and rng.random() < 0.5 else ('<rss version="2.0">', "</rss>")
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{root_open}<channel><title>Port News</title>'
        f"<link>https://news.example/</link><language>en</language></channel>"
        f"<item><title>Storm {token}</title><link>{link}</link><pubDate>{date}</pubDate>"
        f"<description>{text}</description></item>"
        f"<item><title>Teaser only</title><link>http://127.0.0.1:9/never</link></item>{root_close}"
    )


def warc(rng: random.Random, token: str, *, uri: str = "https://news.example/w", http: bytes | None = None,
         date: str = "2025-06-03T10:00:00Z") -> bytes:
    page = html_page(rng, token).encode()
    http = http if http is not None else b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    payload = http + page

    def rec(kind: str, target: str, data: bytes, ctype: str) -> bytes:
        head = (
            f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {target}\r\nWARC-Date: {date}\r\n"
            f"WARC-Record-ID: <urn:uuid:{rng.getrandbits(64):016x}>\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        ).encode("utf-8", "surrogatepass")
        return head + data + b"\r\n\r\n"

    info = rec("warcinfo", "", b"software: fuzz\r\n", "application/warc-fields")
    request = rec("request", uri, b"GET / HTTP/1.1\r\nHost: news.example\r\n\r\n", "application/http; msgtype=request")
    return info + request + rec("response", uri, payload, "application/http; msgtype=response")


# --- mutations: each takes (rng, bytes) and returns bytes ---------------------------------------

def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, max(0, len(data) - 1))]


def flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def junk(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 4096)) + data[at:]


def only_junk(rng: random.Random, data: bytes) -> bytes:
    return rng.choice([b"", b"   \n\t  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n  \n", b"\x00" * 100,
                       rng.randbytes(rng.randint(1, 2048)), b"\xff\xfe" + "hi".encode("utf-16-le")])


def bad_encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    choice = rng.randrange(4)
    if choice == 0:
        return text.encode("utf-16-le", "replace")  # UTF-16 without a BOM
    if choice == 1:
        return data.replace(b"e", b"\xe9\xff", rng.randint(1, 50))  # invalid UTF-8
    if choice == 2:
        return text.encode("latin-1", "replace").replace(b"utf-8", b"x-no-such-codec")
    return data.replace(b"utf-8", rng.choice([b"utf-16", b"\xff\xfe", b"ebcdic-cp-be", b"utf-32"]))


def surrogates(rng: random.Random, data: bytes) -> bytes:
    ref = rng.choice([b"&#55296;", b"&#xD800;", b"&#xDFFF;", b"\\ud800", b"\\udfff", b"&#1114112;", b"&#0;"])
    at = rng.randint(0, len(data))
    return data[:at] + ref * rng.randint(1, 5) + data[at:]


def huge_line(rng: random.Random, data: bytes, size: int) -> bytes:
    filler = rng.choice([b"x", b"word ", b"<b>", b"&amp;", b"\xe2\x80\x94"]) * (size // 5 + 1)
    at = rng.randint(0, len(data))
    return data[:at] + filler[:size] + data[at:]


def deep(rng: random.Random, data: bytes) -> bytes:
    depth = rng.randint(1000, 20000)
    opener, closer = rng.choice([(b"[", b"]"), (b"{\"a\":", b"}"), (b"<div>", b"</div>"), (b"<x>", b"</x>")])
    return opener * depth + data + closer * rng.randint(0, depth)


def gz(rng: random.Random, data: bytes) -> bytes:
    packed = gzip.compress(data)
    choice = rng.randrange(4)
    if choice == 0:
        return packed[: rng.randint(2, max(2, len(packed) - 1))]
    if choice == 1:
        return packed + rng.randbytes(rng.randint(1, 64))
    if choice == 2:
        return flip(rng, packed)
    return packed


Mutation = Callable[[random.Random, bytes], bytes]
MUTATIONS: list[Mutation] = [truncate, flip, junk, only_junk, bad_encoding, surrogates, deep]


def base_content(rng: random.Random, ext: str, token: str) -> bytes:
    """A well-formed input of the format (with a bad date or URL now and then)."""
    date = rng.choice(BAD_DATES) if rng.random() < 0.3 else "2025-06-03"
    url = rng.choice(BAD_URLS) if rng.random() < 0.3 else "https://news.example/x"
    if ext in ("txt", "md"):
        head = f"# Storm {token}\n\n" if ext == "md" else f"Storm {token}\n\n"
        return (head + body(rng, token)).encode()
    if ext == "html":
        return html_page(rng, token, url=url, date=date).encode()
    if ext == "json":
        rec = record(rng, token)
        rec["date_publish"], rec["url"] = date, url
        if rng.random() < 0.3:
            rec.update({"uri": url, "dct": date})  # field names crosswire does not read
        return json.dumps([rec, record(rng, token + "b")] if rng.random() < 0.3 else rec).encode()
    if ext == "jsonl":
        lines = []
        for n in range(rng.randint(1, 4)):
            rec = record(rng, f"{token}-{n}")
            if rng.random() < 0.3:
                rec["date_publish"] = rng.choice(BAD_DATES)
            lines.append(json.dumps(rec))
        if rng.random() < 0.3:
            lines.insert(rng.randint(0, len(lines)), rng.choice(["", "   ", "\ufeff", "\t\ufeff ", "null", "[]"]))
        return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    if ext in ("warc", "warc.gz"):
        http = None
        if rng.random() < 0.3:
            http = rng.choice([b"GARBAGE\r\n\r\n", b"HTTP/1.1 abc\r\nContent-Type: text/html\r\n\r\n",
                               b"HTTP/1.1 200 OK\r\n\r\n", b"HTTP/1.1 999 Nope\r\nContent-Type: text/html\r\n\r\n",
                               b"HTTP/1.1 500 Oops\r\nContent-Type: text/html\r\n\r\n"])
        data = warc(rng, token, uri=url, http=http, date=date if rng.random() < 0.5 else "2025-06-03T10:00:00Z")
        return gzip.compress(data) if ext == "warc.gz" else data
    return feed(rng, token, ext, date=date, link=url).encode()


def malformed(rng: random.Random, ext: str, token: str, *, huge: int = 300_000) -> bytes:
    """One input of the format, broken in one to three ways (one in ten is left intact)."""
    data = base_content(rng, ext, token)
    if rng.random() < 0.1:
        return data
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(len(MUTATIONS) + 2)
        if kind < len(MUTATIONS):
            data = MUTATIONS[kind](rng, data)
        elif kind == len(MUTATIONS):
            data = huge_line(rng, data, rng.randint(huge // 4, huge))
        else:
            data = gz(rng, data)
    return data


def make_batch(rng: random.Random, folder: Path, n: int, *, start: int = 0, huge: int = 300_000) -> list[Path]:
    """Write ``n`` malformed files of every format into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        ext = EXTENSIONS[i % len(EXTENSIONS)]
        token = f"t{i:07d}x{rng.getrandbits(32):08x}"
        path = folder / f"f{i:07d}.{ext}"
        if ext != "warc.gz" and rng.random() < 0.05:
            path = folder / f"f{i:07d}.{ext}.gz"  # a gzipped single document
            path.write_bytes(gz(rng, malformed(rng, ext, token, huge=huge)))
        else:
            path.write_bytes(malformed(rng, ext, token, huge=huge))
        paths.append(path)
    return paths


def unaccounted(paths: list[Path], sources: list[str]) -> list[Path]:
    """The paths no stored article, rejection or notice names (every item's source starts with its
    file's path, then ``:LINE``, ``#record-N`` or ``#item-N``)."""
    named = {_strip_line(source.split("#", 1)[0]) for source in sources}
    return [p for p in paths if str(p) not in named]


def _strip_line(source: str) -> str:
    head, sep, tail = source.rpartition(":")
    return head if sep and tail.isdigit() else source
