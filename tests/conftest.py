"""Shared test helpers: WARC files written with warcio, and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_DATE = "2025-06-03T10:00:00Z"


def write_warc(path: Path, pages: list[tuple[str, bytes, str]], *, gz: bool = False) -> Path:
    """A real WARC file: warcinfo, then a request and a response record per ``(url, body, type)``."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "crosswire-tests"}))
        for url, body, content_type in pages:
            request = StatusAndHeaders(
                f"GET {url} HTTP/1.1", [("Host", "example.com")], protocol="", is_http_request=True
            )
            empty = io.BytesIO(b"")
            writer.write_record(
                writer.create_warc_record(url, "request", payload=empty, length=0, http_headers=request)
            )
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": WARC_DATE},
                )
            )
    return path


Route = Callable[[BaseHTTPRequestHandler], None]


class _Handler(BaseHTTPRequestHandler):
    server: "LoopbackServer"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        route = self.server.routes.get(self.path)
        try:
            if route is None:
                self.send_error(404)
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a size cap or a timeout under test)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class LoopbackServer(ThreadingHTTPServer):
    """A real HTTP server on 127.0.0.1; ``routes`` maps a path to a handler function."""

    daemon_threads = False
    block_on_close = True  # server_close() waits for every handler thread

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.stopping = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def send(handler: BaseHTTPRequestHandler, body: bytes, content_type: str, status: int = 200,
         headers: dict[str, str] | None = None, length: bool = True) -> None:
    """Answer a request with ``body``; ``length=False`` leaves Content-Length out."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()
