"""What the serve tests share: a real store (the demo corpus and hostile articles of our own, every
stage run on them), copies of it, and the real server (uvicorn) on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


def chromium() -> str | None:
    """Debian's Chromium (or another Chrome) on this machine, or None."""
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@contextmanager
def browser_site(app) -> Iterator[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    """The app served on loopback and a real Chromium driven by Playwright: yields (base URL, browser).
    Skips the test, saying why, when no Chromium or no Playwright is installed."""
    import pytest

    path = chromium()
    if path is None:
        pytest.skip("no Chromium installed on this machine (`apt-get install chromium`): no real-browser test")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the dev extra)")
    with running(app) as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        try:
            yield base, browser
        finally:
            browser.close()


@contextmanager
def browser_page(base: str, browser) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A fresh page of ``browser`` on ``base``; its script errors and CSP refusals collect in ``page.errors``."""
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # CSP refusals land here
    pg.errors = errors  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        context.close()
