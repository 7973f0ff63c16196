"""Fetch one URL safely: http(s) only, globally routable addresses only, capped size, time and redirects.

This is the one seam to the network. Each hop's URL is parsed once (:func:`parse_target`), with one
parser, and a URL whose authority holds user info (``@``) or a backslash is refused: different
parsers read such a host differently (``http://127.0.0.1:8000\\@203.0.113.9/`` is 203.0.113.9 to
``urlsplit`` and 127.0.0.1 to urllib3). The host is resolved ONCE through :func:`resolve` (the seam
tests replace); every address must be globally routable (:func:`refused_reason`) unless
``allow_private``; the connection then goes to that very address (urllib3 pool on the IP, the URL's
host in the ``Host`` header, TLS SNI and certificate check), so a resolver that answers differently
the second time cannot move the connection. Every redirect target is parsed, resolved and checked
the same way. One deadline (``fetch_timeout``) bounds the whole fetch: each socket wait is given at
most the time left, and the body is read a socket read at a time with the clock checked after each,
so a server that trickles bytes is cut off at the deadline.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

import certifi
import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from crosswire import __version__
from crosswire.config import Settings
from crosswire.errors import HttpError, InputRejected, NetworkError
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
READ_CHUNK = 16 * 1024  # at most one socket read each: the clock is checked between them
SHARED_NAT = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64 prefix: the last 32 bits are IPv4
_PATH_SAFE = "/%:@!$&'()*+,;=-._~?#[]"


@dataclass(frozen=True)
class Target:
    """One URL, parsed once: what we resolve, where we connect, what we ask for."""

    url: str
    scheme: str
    host: str  # lower-case, IDNA-encoded, IPv6 without brackets
    port: int
    path: str  # the request target: path and query, percent-encoded
    host_header: str


@dataclass
class Fetched:
    """A response body that passed every check, with where it finally came from."""

    url: str
    data: bytes
    mimetype: str
    charset: str | None
    status: int = 200  # 304 only when the caller sent validators (``headers``) and nothing changed
    headers: dict[str, str] = field(default_factory=dict)  # the final response's headers, lower-case names


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the one call to DNS; tests replace this function)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _invalid(url: str, why: str) -> InputRejected:
    return InputRejected(f"the URL cannot be fetched: {why}", source=url, code="invalid_url")


def parse_target(url: str) -> Target:
    """Parse an http(s) URL once; refuse user info, backslashes, control characters, bad ports."""
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise _invalid(url, "it contains spaces or control characters")
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        netloc = parts.netloc
        if scheme not in {"http", "https"}:
            raise _invalid(url, "only http:// and https:// URLs with a host name can be fetched")
        if "@" in netloc or "\\" in netloc:
            raise _invalid(
                url,
                "its host part holds user info ('@') or a backslash, which HTTP libraries read in "
                "different ways; write the URL without them",
            )
        hostname = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise _invalid(url, f"it is malformed ({exc})") from None
    if not hostname:
        raise _invalid(url, "it has no host name")
    try:
        host = hostname.encode("idna").decode("ascii") if not hostname.isascii() else hostname
    except UnicodeError:
        raise _invalid(url, f"the host name {hostname!r} is not a valid domain name") from None
    if any(c in host for c in "%/?#") and ":" not in host:
        raise _invalid(url, f"the host name {host!r} holds characters a host cannot have")
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_PATH_SAFE)
    shown = f"[{host}]" if ":" in host else host
    default = port == (443 if scheme == "https" else 80)
    return Target(url, scheme, host, port, path, shown if default else f"{shown}:{port}")


def _wrapped_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries: IPv4-mapped, 6to4, Teredo client/server, NAT64."""
    inner = [ip.ipv4_mapped, ip.sixtofour]
    if ip.teredo:
        inner.extend(ip.teredo)
    if ip in NAT64:
        inner.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [a for a in inner if a is not None]


def refused_reason(address: str) -> str | None:
    """Why an address is not fetched (None when it is globally routable)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparsable"
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in _wrapped_ipv4(ip):
            reason = refused_reason(str(inner))
            if reason:
                return f"{reason} (wrapped in {ip})"
    for kind in ("loopback", "private", "link_local", "multicast", "unspecified", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if ip.version == 4 and ip in SHARED_NAT:
        return "shared (carrier-grade NAT)"
    return None if ip.is_global else "non-global"


def pin_address(target: Target, settings: Settings) -> str:
    """Resolve the target's host once and return the address to connect to, refusing non-global ones."""
    try:
        addresses = resolve(target.host, target.port)
    except (OSError, UnicodeError, ValueError) as exc:
        raise NetworkError(
            f"cannot resolve host {target.host!r} ({exc}); check the URL and the network", source=target.url
        ) from None
    if not addresses:
        raise NetworkError(f"host {target.host!r} has no address; check the URL", source=target.url)
    if not settings.allow_private:
        for address in addresses:
            reason = refused_reason(address)
            if reason:
                raise InputRejected(
                    f"host {target.host!r} resolves to {address}, a {reason} address; refused to "
                    "protect the local network (set allow_private / --allow-private to fetch it)",
                    source=target.url,
                    code="private_address",
                )
    return addresses[0].split("%", 1)[0]


def check_host(url: str, settings: Settings) -> None:
    """Refuse a URL that is not http(s), is ambiguous, or whose host resolves to a non-global address."""
    pin_address(parse_target(url), settings)


def _timeout_error(url: str, settings: Settings) -> NetworkError:
    return NetworkError(
        f"the fetch did not finish within fetch_timeout={settings.fetch_timeout:g}s; try again later",
        source=url,
    )


def _left(deadline: float, url: str, settings: Settings) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timeout_error(url, settings)
    return left


def _pool(target: Target, address: str, timeout: float) -> urllib3.HTTPConnectionPool:
    """A one-connection pool to the pinned address; TLS checks the certificate for the URL's host."""
    common = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False, "maxsize": 1}
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address, target.port, server_hostname=target.host, assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(), **common,
        )
    return urllib3.HTTPConnectionPool(address, target.port, **common)


def _body(response: urllib3.BaseHTTPResponse, url: str, settings: Settings, deadline: float) -> bytes:
    limit = settings.fetch_max_bytes
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputRejected(
            f"the response is {declared} bytes, over fetch_max_bytes={limit}", source=url, code="too_large"
        )
    parts: list[bytes] = []
    size = 0
    while True:
        left = _left(deadline, url, settings)
        sock = getattr(getattr(response, "connection", None), "sock", None)
        if sock is not None:
            sock.settimeout(left)  # one wait never outlasts the deadline
        chunk = response.read1(READ_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise InputRejected(
                f"the response is over fetch_max_bytes={limit} bytes; not read further",
                source=url,
                code="too_large",
            )
        parts.append(chunk)
    _left(deadline, url, settings)
    return b"".join(parts)


def _http_error(status: int, reason: str, url: str) -> HttpError:
    retry = status >= 500 or status == 429  # the server's trouble: may pass
    advice = "try again later" if retry else "check the URL"
    return HttpError(f"the server answered HTTP {status} {reason}; {advice}", source=url, status=status)


def fetch(url: str, settings: Settings, headers: dict[str, str] | None = None) -> Fetched:
    """GET ``url`` with every safety check, following redirects by hand. Raises InputRejected.

    ``headers``: extra request headers (``If-None-Match``, ``If-Modified-Since``: a 304 answer is
    returned as a :class:`Fetched` with ``status`` 304 and no body)."""
    deadline = time.monotonic() + settings.fetch_timeout
    current = url
    for _hop in range(settings.fetch_max_redirects + 1):
        target = parse_target(current)
        address = pin_address(target, settings)
        left = _left(deadline, url, settings)
        sent = {
            **(headers or {}), "Host": target.host_header, "User-Agent": USER_AGENT, "Accept": ACCEPT,
            "Accept-Encoding": "identity",
        }
        try:
            with _pool(target, address, left) as pool:
                response = pool.urlopen(
                    "GET", target.path, headers=sent, redirect=False, retries=False,
                    preload_content=False, assert_same_host=False,
                )
                try:
                    location = response.headers.get("Location")
                    if response.status in REDIRECTS and location:
                        try:
                            current = urljoin(current, location.strip())
                        except ValueError as exc:
                            raise _invalid(url, f"it redirects to a malformed URL ({exc})") from None
                        continue
                    if response.status >= 400:
                        raise _http_error(response.status, response.reason or "", url)
                    got = {k.lower(): v for k, v in response.headers.items()}
                    if response.status == 304 and headers:
                        return Fetched(current, b"", "", None, 304, got)
                    data = _body(response, url, settings, deadline)
                    mimetype, charset = parse_content_type(response.headers.get("Content-Type", ""))
                    return Fetched(current, data, mimetype, charset, response.status, got)
                finally:
                    response.close()  # never reused: the socket is closed now, not collected later
                    response.release_conn()
        except InputRejected:
            raise
        except (Urllib3Error, OSError, http.client.HTTPException, ValueError) as exc:
            if time.monotonic() >= deadline or isinstance(exc, (TimeoutError, urllib3.exceptions.TimeoutError)):
                raise _timeout_error(url, settings) from None
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
