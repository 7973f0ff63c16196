"""Where alerts go: a JSONL file, a callable (the CLI's stdout), webhooks (POST, retries, HMAC signature).

An alert is recorded in the store before it is delivered and marked sent after every sink had it
(:mod:`crosswire.watch.state`), so a stop or a kill -9 between the two delivers it at the next start.
The JSONL file is read at start for the digests it already holds, so such a redelivery never writes a
line twice; a webhook receiver that must not see one twice uses the ``digest`` field.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import urllib3

from crosswire import __version__
from crosswire.errors import CrosswireError
from crosswire.watch.config import Sink

SIGNATURE_HEADER = "X-Crosswire-Signature"  # "sha256=" + hex HMAC-SHA256 of the body with the sink's secret


def line_text(alert: dict[str, Any]) -> str:
    return json.dumps(alert, ensure_ascii=False, separators=(", ", ": "))


class JsonlSink:
    """Appends one JSON line per alert to a file (created with its folder), flushed and synced."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.digests: set[str] = set()
        if self.path.is_dir():
            raise CrosswireError("the alerts file is a folder; give a file name", source=str(self.path))
        if self.path.exists():
            with self.path.open(encoding="utf-8", errors="replace") as fh:
                for text in fh:
                    try:
                        self.digests.add(str(json.loads(text).get("digest")))
                    except (ValueError, AttributeError):
                        continue  # a line of something else: left as it is
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def deliver(self, alert: dict[str, Any]) -> str | None:
        if alert.get("digest") in self.digests:
            return None
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line_text(alert) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.digests.add(str(alert.get("digest")))
        return None


class CallSink:
    """Hands each alert's line to a function (the CLI prints it on stdout)."""

    def __init__(self, write: Callable[[str], None]):
        self.write = write

    def deliver(self, alert: dict[str, Any]) -> str | None:
        self.write(line_text(alert))
        return None


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookSink:
    """POSTs each alert as JSON; retries a failure (a network error, 5xx, 429) with a doubling pause."""

    def __init__(self, sink: Sink, *, pause: float = 0.5):
        self.sink = sink
        self.pause = pause
        self.http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=sink.timeout))

    def deliver(self, alert: dict[str, Any]) -> str | None:
        """None when the receiver took it (2xx), else why not after every retry."""
        body = json.dumps(alert, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": f"crosswire/{__version__}",
                   "X-Crosswire-Digest": str(alert.get("digest"))}
        if self.sink.secret:
            headers[SIGNATURE_HEADER] = signature(self.sink.secret, body)
        why = "not tried"
        for attempt in range(self.sink.retries + 1):
            if attempt:
                time.sleep(self.pause * 2 ** (attempt - 1))
            try:
                response = self.http.request("POST", self.sink.url, body=body, headers=headers, redirect=False)
            except urllib3.exceptions.HTTPError as exc:
                why = f"{type(exc).__name__}: {exc}"
                continue
            if 200 <= response.status < 300:
                return None
            why = f"HTTP {response.status}"
            if response.status < 500 and response.status != 429:
                break  # the receiver refuses it: trying again will not help
        return f"the webhook {self.sink.url} did not take the alert ({why}) after {attempt + 1} attempt(s)"
