"""What the serve tests share: a real store (the demo corpus and hostile articles of our own, every
stage run on them), copies of it, and the real server (uvicorn) on a free loopback port."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

FIXTURES = Path(__file__).parent / "fixtures" / "serve"
TOKEN = "serve-test-token-0123456789"


def build_store(folder: Path) -> Path:
    """Every stage on the demo corpus and the hostile fixtures, into ``folder/store.db``."""
    from crosswire.config import Settings
    from crosswire.demo import corpus_path
    from crosswire.run import run_stages
    from crosswire.store import Store

    db = folder / "store.db"
    settings = Settings(db=str(db), workers=1)
    with Store(db) as store:
        run_stages([str(corpus_path()), str(FIXTURES)], store, settings)
    return db


def copy_store(db: Path, to: Path) -> Path:
    """A copy of the store (SQLite's backup: the WAL's pages included)."""
    src, dst = sqlite3.connect(db), sqlite3.connect(to)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return to


@contextmanager
def running(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app served by uvicorn in a thread on a free 127.0.0.1 port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP: asyncio sets NODELAY
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, ws="none", http="h11", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
