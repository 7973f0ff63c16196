"""One outlet, one name: the key an outlet is known by, and archive copies led back to their site.

An article's outlet key is the registered domain of its URL (``news.bbc.co.uk`` -> ``bbc.co.uk``,
``uk.reuters.com`` -> ``reuters.com``; public suffixes from the Public Suffix List bundled with the
``tld`` package, private ones such as ``blogspot.com`` included, never fetched from the network),
after a web-archive URL is unwrapped to the original it copies (``web.archive.org/web/<ts>/<url>``,
``archive.today/<ts>/<url>`` and its mirrors, other Wayback-style archives). Without a URL the key
is the outlet's name, folded (``Reuters`` -> ``reuters``), or its registered domain when the name is
a domain. The name shown for a key is chosen in the store (``crosswire/store/outlets.py``): a name
the metadata gave (``og:site_name``, a JSON ``sitename``, ``--outlet``), else the domain.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import unquote, urlsplit

try:  # the Public Suffix List snapshot that ships inside the package; never updated over the network
    from tld import get_fld as _get_fld
except ImportError:  # pragma: no cover - tld comes with trafilatura (through courlan)
    _get_fld = None

STAGE = "outlets.v1"

# Hosts of web archives whose copies carry the original URL in their path.
WAYBACK_HOSTS = frozenset({"web.archive.org", "wayback.archive.org", "archive.org", "arquivo.pt",
                           "webarchive.nationalarchives.gov.uk", "webarchive.loc.gov", "wayback.archive-it.org",
                           "webarchive.org.uk", "www.webarchive.org.uk", "archive.bibalex.org"})
ARCHIVE_TODAY_HOSTS = frozenset({"archive.today", "archive.ph", "archive.is", "archive.li", "archive.vn",
                                 "archive.fo", "archive.md"})
# A Wayback-style timestamp segment (``20240131120000``, ``2024``, ``2*``, with a replay modifier such as
# ``id_``/``if_``/``mp_``), then the original URL; also the ``/web/``, ``/wayback/``, ``/all/`` prefixes.
_WAYBACK_PATH = re.compile(
    r"^/(?:(?:web|wayback|all|ukgwa|wayback/web|\d+)/)?(?:\d{1,14}\*?|\*)(?:[a-z]{2}_)?/(?P<url>.+)$", re.IGNORECASE
)
# archive.today: ``/<ts>/<url>``, ``/newest/<url>``, ``/oldest/<url>``, ``/o/<id>/<url>``, ``/<url>``.
_ARCHIVE_TODAY_PATH = re.compile(
    r"^/(?:(?:\d{8,14}|\d{4}\.\d{2}\.\d{2}-\d{6}|newest|oldest|timegate|timemap/link)/|o/[A-Za-z0-9]+/)?(?P<url>(?:https?:|https?%3A).+)$",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^(https?):/+", re.IGNORECASE)  # "http:/x" (a slash lost by an archive) -> "http://x"
_BARE_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?::\d+)?(?:[/?#]|$)",
                        re.IGNORECASE)
_DOMAIN_NAME = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _original(tail: str) -> str | None:
    """The original URL written in an archive URL's path (scheme repaired, percent-encoding undone)."""
    tail = tail.strip()
    if re.match(r"^https?%3A", tail, re.IGNORECASE):
        tail = unquote(tail)
    if _SCHEME.match(tail):
        return _SCHEME.sub(lambda m: m.group(1).lower() + "://", tail, count=1)
    if _BARE_HOST.match(tail):  # web.archive.org/web/2024/example.com/page
        return "http://" + tail
    return None


def unwrap_archive(url: str | None) -> str | None:
    """The URL an archive copy was made of (``https://web.archive.org/web/2024.../https://site/a`` ->
    ``https://site/a``), unwrapped again if that is an archive copy too; any other URL as given."""
    if not url:
        return url
    for _ in range(3):
        inner = _unwrap_once(url)
        if inner is None:
            return url
        url = inner
    return url


def _unwrap_once(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not host or parts.scheme.lower() not in {"http", "https"}:
        return None
    rest = url.strip()[len(parts.scheme) + 3 + len(parts.netloc):]  # path, query and fragment as written
    if host == "webcache.googleusercontent.com":
        match = re.search(r"[?&]q=cache:(?:[\w-]+:)?([^&+ ]+)", rest)
        return _original(unquote(match.group(1))) if match else None
    bare = host.removeprefix("www.")
    if host in WAYBACK_HOSTS or bare in WAYBACK_HOSTS:
        match = _WAYBACK_PATH.match(rest)
        return _original(match.group("url")) if match else None
    if bare in ARCHIVE_TODAY_HOSTS:
        match = _ARCHIVE_TODAY_PATH.match(rest)
        return _original(match.group("url")) if match else None
    # any other Memento/pywb replay: /<timestamp>/<explicit http(s) URL>
    match = re.match(r"^(?:/[\w.-]+)*?/\d{14}(?:[a-z]{2}_)?/(?P<url>https?:/.+)$", rest, re.IGNORECASE)
    return _original(match.group("url")) if match else None


def is_archive(url: str | None) -> bool:
    """Whether ``url`` is a web-archive copy whose original URL could be read from it."""
    return bool(url) and unwrap_archive(url) != url


def host_of(url: str | None) -> str | None:
    """The host of the original (unwrapped) URL, lower case, without ``www.``; None when it has none."""
    if not url:
        return None
    try:
        host = (urlsplit(unwrap_archive(url.strip()) or "").hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def registered_domain(host: str) -> str:
    """The domain an outlet registered (``news.bbc.co.uk`` -> ``bbc.co.uk``): the Public Suffix List
    when the host's suffix is in it; else its last two labels; an IP address or a one-label host as is."""
    host = host.lower().rstrip(".").removeprefix("www.")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2:
        return host
    if _get_fld is not None:
        found = _get_fld(host, fix_protocol=True, fail_silently=True)
        if found:
            return str(found).lower()
    return ".".join(labels[-2:])


def domain_of(url: str | None) -> str | None:
    """The registered domain of the original of ``url`` (archives unwrapped); None without a host."""
    host = host_of(url)
    return registered_domain(host) if host else None


def looks_like_domain(name: str | None) -> bool:
    """Whether an outlet name is a domain or URL (``reuters.com``, ``www.bbc.co.uk``, ``https://x.org/``)
    rather than a name a person would write (``Reuters``)."""
    if not name:
        return False
    name = name.strip()
    if re.match(r"^https?://", name, re.IGNORECASE):
        return True
    return bool(_DOMAIN_NAME.match(name.rstrip("/").removeprefix("www.")))


def fold_name(name: str) -> str:
    """A name as compared: Unicode NFKC, case-folded, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip().casefold()


def outlet_key(outlet: str | None, url: str | None = None) -> str | None:
    """The key one outlet is known by: the registered domain of the (unwrapped) URL when there is
    one, else of the outlet when it is a domain or URL, else the outlet's folded name."""
    domain = domain_of(url)
    if domain:
        return domain
    if not outlet or not outlet.strip():
        return None
    if looks_like_domain(outlet):
        value = outlet.strip()
        domain = domain_of(value if "://" in value else "http://" + value)
        if domain:
            return domain
    return fold_name(outlet) or None


def outlet_name(outlet: str | None) -> str | None:
    """The outlet as a name worth showing: a name the metadata gave, not a domain (a domain is the
    key's own name)."""
    if not outlet or not outlet.strip() or looks_like_domain(outlet):
        return None
    return _SPACES.sub(" ", outlet).strip()


def name_matches_domain(name: str, domain: str) -> bool:
    """Whether a name is its domain spelled out (``River Gazette`` and ``rivergazette.example``,
    ``The Harbour Post`` and ``harbourpost.co.uk``): the letters and digits of the name, with or
    without a leading "the", are the domain's first label's."""
    label = re.sub(r"[^0-9a-z]", "", registered_domain(domain).split(".")[0])
    letters = re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKD", fold_name(name)).encode("ascii", "ignore").decode())
    plain = re.sub(r"[^0-9a-z]", "", re.sub(r"^the\s+", "", unicodedata.normalize("NFKD", fold_name(name))
                                             .encode("ascii", "ignore").decode()))
    return bool(label) and label in {letters, plain}


_TITLE_PARTS = re.compile(r"\s+[-|\u2013\u2014:\u00b7\u2022]\s+")


def name_in_title(title: str | None, domain: str | None) -> str | None:
    """The outlet's name in a feed's or page's title when one part of it spells the site's domain out
    (``Eurodesk Daily - Europe`` on ``eurodeskdaily.example`` -> ``Eurodesk Daily``); else None (a
    title such as ``heise developer neueste Meldungen`` is not a name)."""
    if not title or not domain:
        return None
    for part in [title, *_TITLE_PARTS.split(title)]:
        part = _SPACES.sub(" ", part).strip()
        if part and len(part) <= 80 and name_matches_domain(part, domain):
            return part
    return None
