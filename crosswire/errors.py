"""One error hierarchy: every message says what happened, why, and what to do."""

from __future__ import annotations


class CrosswireError(Exception):
    """Base of every error crosswire raises on purpose.

    ``code`` is a short stable reason code (stored with rejections), ``source`` names the file,
    URL or record (``path:line`` for JSONL), ``retryable`` marks transient failures (network).
    """

    code = "error"
    retryable = False

    def __init__(self, message: str, *, source: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class UsageError(CrosswireError):
    """The command was called wrongly (bad option, missing path): exit code 2."""

    code = "usage"


class ConfigError(CrosswireError):
    """A setting in a config file or environment variable is unknown or has a bad value."""

    code = "config"


class InputRejected(CrosswireError):
    """One input (file, record, line, URL) cannot become an article; the batch goes on."""

    code = "rejected"


class NetworkError(InputRejected):
    """Fetching a URL failed for a reason that may pass (timeout, connection refused)."""

    code = "network"
    retryable = True


class StoreError(CrosswireError):
    """The SQLite store cannot be opened, migrated or written."""

    code = "store"


class HttpError(InputRejected):
    """A server answered a fetch with an HTTP error status (``status``); 5xx and 429 may pass."""

    code = "http_error"

    def __init__(self, message: str, *, source: str | None = None, status: int):
        super().__init__(message, source=source)
        self.status = status
        self.retryable = status >= 500 or status == 429
