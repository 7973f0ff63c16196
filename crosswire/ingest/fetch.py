"""Fetch one URL safely: http(s) only, public addresses only, capped size, time and redirects.

This is the one seam to the network. Every hop's host is resolved and refused when any address is
private, loopback, link-local, reserved, multicast or unspecified (unless ``allow_private``);
requests then connects to that host by name, which leaves a small DNS-rebinding window between the
check and the connection. We accept it: closing it needs pinning the address into the connection
pool, which is more machinery than an offline news reader warrants.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

from crosswire import __version__
from crosswire.config import Settings
from crosswire.errors import InputRejected, NetworkError
from crosswire.models import RawDocument
from crosswire.times import utcnow_iso
from crosswire.ingest.base import HTML_TYPES, check_text_bytes, parse_content_type
from crosswire.ingest.html import html_document
from crosswire.ingest.text import text_document

USER_AGENT = f"crosswire/{__version__} (+offline news cross-checking)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "text/plain;q=0.8, */*;q=0.5"
)
CHUNK = 64 * 1024
_REFUSED = ("loopback", "private", "link_local", "reserved", "multicast", "unspecified")


@dataclass
class Fetched:
    """A response body that passed every check, with where it finally came from."""

    url: str
    data: bytes
    mimetype: str
    charset: str | None


def _refused_reason(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in _REFUSED:
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None


def check_host(url: str, settings: Settings) -> None:
    """Refuse a URL that is not http(s) or whose host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InputRejected(
            "only http:// and https:// URLs with a host name can be fetched", source=url, code="invalid_url"
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except ValueError as exc:
        raise InputRejected(f"the URL is malformed ({exc})", source=url, code="invalid_url") from None
    except (socket.gaierror, UnicodeError) as exc:
        raise NetworkError(
            f"cannot resolve host {parts.hostname!r} ({exc}); check the URL and the network",
            source=url,
        ) from None
    if settings.allow_private:
        return
    for info in infos:
        address = str(info[4][0])
        reason = _refused_reason(address)
        if reason:
            raise InputRejected(
                f"host {parts.hostname!r} resolves to {address}, a {reason} address; refused to "
                "protect the local network (set allow_private / --allow-private to fetch it)",
                source=url,
                code="private_address",
            )


def _body(response: requests.Response, url: str, settings: Settings, deadline: float) -> bytes:
    limit = settings.fetch_max_bytes
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputRejected(
            f"the response is {declared} bytes, over fetch_max_bytes={limit}", source=url, code="too_large"
        )
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_content(CHUNK):
        size += len(chunk)
        if size > limit:
            raise InputRejected(
                f"the response is over fetch_max_bytes={limit} bytes; not read further",
                source=url,
                code="too_large",
            )
        if time.monotonic() > deadline:
            raise NetworkError(
                f"the response took longer than {2 * settings.fetch_timeout:g}s to arrive; try again later",
                source=url,
            )
        parts.append(chunk)
    return b"".join(parts)


def _http_error(status: int, reason: str, url: str) -> None:
    message = f"the server answered HTTP {status} {reason}"
    if status >= 500 or status == 429:  # the server's trouble: may pass
        raise NetworkError(f"{message}; try again later", source=url)
    raise InputRejected(f"{message}; check the URL", source=url, code="network")


def fetch(url: str, settings: Settings) -> Fetched:
    """GET ``url`` with every safety check, following redirects by hand. Raises InputRejected."""
    current = url
    with requests.Session() as session:
        session.trust_env = False  # no proxy: the address we check is the address we connect to
        for _hop in range(settings.fetch_max_redirects + 1):
            check_host(current, settings)
            # socket timeouts bound each wait; the deadline bounds a server that trickles bytes
            deadline = time.monotonic() + 2 * settings.fetch_timeout
            try:
                with session.get(
                    current,
                    stream=True,
                    allow_redirects=False,
                    timeout=(settings.fetch_timeout, settings.fetch_timeout),
                    headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
                ) as response:
                    location = response.headers.get("Location")
                    if response.status_code in REDIRECTS and location:
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        _http_error(response.status_code, response.reason, url)
                    data = _body(response, url, settings, deadline)
                    mimetype, charset = parse_content_type(response.headers.get("Content-Type", ""))
                    return Fetched(current, data, mimetype, charset)
            except requests.Timeout:
                raise NetworkError(
                    f"no answer within fetch_timeout={settings.fetch_timeout:g}s; try again later",
                    source=url,
                ) from None
            except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema) as exc:
                raise InputRejected(f"the URL is malformed ({exc})", source=url, code="invalid_url") from None
            except requests.RequestException as exc:
                raise NetworkError(f"the fetch failed ({type(exc).__name__}: {exc})", source=url) from None
    raise InputRejected(
        f"more than fetch_max_redirects={settings.fetch_max_redirects} redirects (last: {current}); "
        "the URL may loop",
        source=url,
        code="too_many_redirects",
    )


def document_of(got: Fetched, url: str) -> RawDocument:
    check_text_bytes(got.data, url, "response")
    if got.mimetype in HTML_TYPES or (not got.mimetype and got.data.lstrip()[:1] == b"<"):
        doc = html_document(got.data, url, declared=got.charset, url=got.url)
    elif got.mimetype == "text/plain":
        doc = text_document(got.data, url)
        doc.url = got.url
    else:
        raise InputRejected(
            f"the response is {got.mimetype or 'of no declared type'}, not HTML, plain text or a feed",
            source=url,
            code="unsupported_format",
        )
    doc.fetched = utcnow_iso()
    return doc


def fetch_url(url: str, settings: Settings) -> RawDocument:
    """One page (HTML or plain text) from a URL. Raises InputRejected / NetworkError."""
    return document_of(fetch(url, settings), url)
