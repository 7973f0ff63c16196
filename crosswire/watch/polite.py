"""Polite fetching for ``crosswire watch``: robots.txt, one request at a time per host with a least
interval between two, and conditional GET; every request goes through the SSRF-safe
:func:`crosswire.ingest.fetch.fetch` (address checks, size cap, deadline, redirect cap).

robots.txt (RFC 9309, read with :mod:`urllib.robotparser`): fetched once an hour per origin; a 4xx
answer allows everything, a 5xx or network failure disallows the origin until it is read again
(5 minutes later), with the reason. Its ``Crawl-delay`` for crosswire (or ``*``; whole seconds, as
:mod:`urllib.robotparser` reads it) lengthens the least interval between two requests to that host
when it is longer than ``host_interval``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from crosswire.config import Settings
from crosswire.errors import HttpError, InputRejected, NetworkError
from crosswire.ingest.fetch import Fetched, fetch

ROBOTS_TTL = 3600.0
ROBOTS_RETRY = 300.0
ROBOTS_AGENT = "crosswire"


class Stopped(Exception):
    """The watch is ending: a wait for a host was cut short."""


@dataclass
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed
    unreachable: str | None  # why the origin is disallowed for now
    expires: float

    @property
    def crawl_delay(self) -> float:
        """The site's Crawl-delay for crosswire in seconds (0 when it gives none)."""
        if self.parser is None:
            return 0.0
        try:
            delay = self.parser.crawl_delay(ROBOTS_AGENT)
        except (TypeError, ValueError):
            return 0.0
        return max(0.0, float(delay)) if delay is not None else 0.0


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class Polite:
    """Fetches with robots.txt, a per-host gate and validators; safe to use from several threads."""

    def __init__(self, settings: Settings, *, host_interval: float = 1.0, robots: bool = True,
                 stop: threading.Event | None = None):
        self.settings = settings
        self.host_interval = host_interval
        self.robots = robots
        self.stop = stop or threading.Event()
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._robots: dict[str, _Robots] = {}
        self.requests = 0

    def _host_lock(self, origin: str) -> threading.Lock:
        with self._lock:
            return self._hosts.setdefault(origin, threading.Lock())

    def _gated(self, url: str, headers: dict[str, str] | None) -> Fetched:
        origin = origin_of(url)
        with self._host_lock(origin):
            wait = self._last.get(origin, -1e9) + self.interval(origin) - time.monotonic()
            if wait > 0 and self.stop.wait(wait):
                raise Stopped()
            if self.stop.is_set():
                raise Stopped()
            try:
                return fetch(url, self.settings, headers)
            finally:
                self._last[origin] = time.monotonic()
                self.requests += 1

    def interval(self, origin: str) -> float:
        """The least time between two requests to ``origin``: ``host_interval``, or its robots.txt
        Crawl-delay when that is longer (once robots.txt has been read)."""
        with self._lock:
            known = self._robots.get(origin)
        return max(self.host_interval, known.crawl_delay if known is not None else 0.0)

    def _robots_for(self, origin: str) -> _Robots:
        with self._lock:
            known = self._robots.get(origin)
        if known is not None and known.expires > time.monotonic():
            return known
        try:
            got = self._gated(f"{origin}/robots.txt", None)
            parser = RobotFileParser()
            parser.parse(got.data.decode("utf-8", "replace").splitlines())
            entry = _Robots(parser, None, time.monotonic() + ROBOTS_TTL)
        except HttpError as exc:
            if exc.status >= 500 or exc.status == 429:
                entry = _Robots(None, f"its robots.txt answered HTTP {exc.status}", time.monotonic() + ROBOTS_RETRY)
            else:  # no robots.txt: everything is allowed
                entry = _Robots(None, None, time.monotonic() + ROBOTS_TTL)
        except NetworkError as exc:
            entry = _Robots(None, f"its robots.txt could not be read ({exc.message})", time.monotonic() + ROBOTS_RETRY)
        except InputRejected as exc:
            if exc.code in {"private_address", "invalid_url"}:
                raise
            entry = _Robots(None, None, time.monotonic() + ROBOTS_TTL)  # too large, a redirect loop: no rules
        with self._lock:
            self._robots[origin] = entry
        return entry

    def get(self, url: str, validators: dict[str, str] | None = None) -> Fetched:
        """GET ``url`` if robots.txt allows it; ``validators`` (``etag``, ``last_modified``) make it
        conditional (a 304 comes back as ``status`` 304). Raises InputRejected / NetworkError / Stopped."""
        if self.robots:
            rules = self._robots_for(origin_of(url))
            if rules.unreachable:
                raise NetworkError(f"robots.txt cannot be read: {rules.unreachable}; not fetched until it can",
                                   source=url)
            if rules.parser is not None and not rules.parser.can_fetch(ROBOTS_AGENT, url):
                raise InputRejected("robots.txt of the site disallows this URL for crawlers; not fetched",
                                    source=url, code="robots_disallowed")
        headers = {}
        if validators:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
        return self._gated(url, headers or None)
