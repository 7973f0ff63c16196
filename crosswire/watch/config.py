"""SOURCES.toml and RULES.toml read into typed objects; every mistake named with its file and key.

SOURCES.toml::

    [watch]                     # optional; these are the defaults
    concurrency = 4             # sources polled at the same time
    host_interval = "1s"        # least time between two requests to one host
    batch = 20                  # new items per pipeline batch (ingest -> analyze -> group -> cross-check)
    max_backoff = "1h"          # longest wait after repeated errors of a source
    robots = true               # honour robots.txt (false only for your own servers)

    [[source]]                  # one per feed, news sitemap, URL list or folder
    url = "https://example.org/feed.xml"   # or a local path (a folder, or a text file of URLs)
    every = "10m"               # "30s", "10m", "1h", "1d" or seconds
    kind = "feed"               # optional: feed | sitemap | urls | folder (guessed when absent)

RULES.toml: ``[[rule]]`` tables (keys in :class:`Rule`) and ``[[sink]]`` webhooks (:class:`Sink`).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosswire.errors import ConfigError

KINDS = ("feed", "sitemap", "urls", "folder")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
MIN_EVERY = 1.0


@dataclass(frozen=True)
class Source:
    """One thing to poll: ``url`` (http(s) URL or absolute local path), how often, what it is."""

    url: str
    every: float
    kind: str | None = None  # None: guessed from the response (feed, sitemap or URL list)

    @property
    def remote(self) -> bool:
        return self.url.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Options:
    """The ``[watch]`` table of SOURCES.toml."""

    concurrency: int = 4
    host_interval: float = 1.0
    batch: int = 20
    max_backoff: float = 3600.0
    robots: bool = True


@dataclass(frozen=True)
class Sources:
    options: Options
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Rule:
    """One alert rule: every key given must match a story (an empty rule matches every story)."""

    name: str
    cameo: tuple[str, ...] = ()  # CAMEO code prefixes of the story's event
    acled: tuple[str, ...] = ()  # ACLED event types or sub-event types of the story's event (lower case)
    countries: tuple[str, ...] = ()  # ISO-2 of a place of the event
    near_border: tuple[str, float] | None = None  # (ISO-2, km): a place of the event within km of its border
    within: tuple[float, float, float] | None = None  # (lat, lon, km)
    geonameid: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()  # any of them (a word start) in the story's title, its articles or its facts
    actors: tuple[str, ...] = ()  # any of them among the story's actors and named people
    language: tuple[str, ...] = ()  # ISO 639-1 of an article of the story
    min_independent_sources: int | None = None
    new_conflict: bool = False  # a fact is in conflict that was not when the rule last saw the story
    count_changed: bool = False  # a count differs from what the rule last saw of the story


@dataclass(frozen=True)
class Sink:
    """A webhook: each alert is POSTed as JSON, signed with HMAC-SHA256 of the body when a secret is set."""

    url: str
    secret: str | None = None
    retries: int = 3
    timeout: float = 10.0


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    sinks: tuple[Sink, ...] = field(default_factory=tuple)


def parse_duration(value: Any, where: str) -> float:
    """Seconds from ``"30s"``, ``"10m"``, ``"1h"``, ``"1d"`` or a number of seconds."""
    if isinstance(value, bool):
        raise ConfigError(f"{where} is {value!r}; give a duration such as \"30s\", \"10m\" or \"1h\"")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ConfigError(f"{where} is {value!r}; give a duration such as \"30s\", \"10m\" or \"1h\"")
        seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    if seconds < 0:
        raise ConfigError(f"{where} is negative ({value!r})")
    return seconds


def _read(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"the {what} file does not exist", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the {what} file ({exc})", source=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the {what} file is not valid TOML ({exc})", source=str(path)) from None


def _check_keys(table: dict[str, Any], known: set[str], where: str, path: Path) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where} has unknown key(s) {unknown}; known: {sorted(known)}", source=str(path))


def _tables(data: dict[str, Any], name: str, path: Path) -> list[dict[str, Any]]:
    tables = data.get(name, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"'{name}' must be an array of tables ([[{name}]])", source=str(path))
    return tables


def load_sources(path: str | os.PathLike[str]) -> Sources:
    """The sources and options of a SOURCES.toml; local paths are made absolute (relative to the file)."""
    path = Path(path)
    data = _read(path, "sources")
    _check_keys(data, {"watch", "source", "rule", "sink"}, "the file", path)
    raw = data.get("watch", {})
    if not isinstance(raw, dict):
        raise ConfigError("[watch] must be a table", source=str(path))
    _check_keys(raw, {"concurrency", "host_interval", "batch", "max_backoff", "robots"}, "[watch]", path)
    try:
        options = Options(
            concurrency=_positive_int(raw.get("concurrency", 4), "[watch] concurrency"),
            host_interval=parse_duration(raw.get("host_interval", 1.0), "[watch] host_interval"),
            batch=_positive_int(raw.get("batch", 20), "[watch] batch"),
            max_backoff=parse_duration(raw.get("max_backoff", 3600), "[watch] max_backoff"),
            robots=_bool(raw.get("robots", True), "[watch] robots"),
        )
    except ConfigError as exc:
        raise ConfigError(exc.message, source=str(path)) from None
    sources: list[Source] = []
    seen: set[str] = set()
    for n, table in enumerate(_tables(data, "source", path), 1):
        where = f"[[source]] number {n}"
        _check_keys(table, {"url", "every", "kind"}, where, path)
        url = table.get("url")
        if not isinstance(url, str) or not url.strip():
            raise ConfigError(f"{where} has no 'url' (a feed, sitemap or URL-list URL, or a local path)",
                              source=str(path))
        url = url.strip()
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url) and not url.lower().startswith(("http://", "https://")):
            raise ConfigError(f"{where}: {url!r} is neither an http(s) URL nor a local path", source=str(path))
        if not url.lower().startswith(("http://", "https://")):
            url = str((path.parent / os.path.expanduser(url)).resolve())
        kind = table.get("kind")
        if kind is not None and kind not in KINDS:
            raise ConfigError(f"{where} has kind {kind!r}; use one of {', '.join(KINDS)}", source=str(path))
        try:
            every = parse_duration(table.get("every", "10m"), f"{where} every")
        except ConfigError as exc:
            raise ConfigError(exc.message, source=str(path)) from None
        if every < MIN_EVERY:
            raise ConfigError(f"{where} every is {every:g}s; poll at most once a second", source=str(path))
        if url in seen:
            raise ConfigError(f"{where} repeats {url}; give each source once", source=str(path))
        seen.add(url)
        sources.append(Source(url, every, kind))
    if not sources:
        raise ConfigError("no [[source]] given; add one per feed, sitemap, URL list or folder", source=str(path))
    return Sources(options, tuple(sources))


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where} is {value!r}; give a whole number of at least 1")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} is {value!r}; give true or false")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where} is {value!r}; give a number")
    return float(value)


# The ACLED Codebook (2023): event type -> its sub-event types. A rule's ``acled`` names any of them.
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
ACLED_NAMES = {n.lower(): n for t, subs in ACLED_TYPES.items() for n in (t, *subs)}

RULE_KEYS = {"name", "cameo", "acled", "countries", "near_border", "within", "geonameid", "keywords", "actors",
             "language", "min_independent_sources", "new_conflict", "count_changed"}


def _rule(table: dict[str, Any], where: str) -> Rule:
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where} has no 'name'; every rule is named (alerts carry the name)")
    where = f"rule {name!r}"
    fields: dict[str, Any] = {"name": name.strip()}
    if "cameo" in table:
        codes = _strings(table["cameo"], f"{where} cameo")
        if not all(c.isdigit() for c in codes):
            raise ConfigError(f"{where} cameo {list(codes)} must be CAMEO code prefixes such as \"15\" or \"190\"")
        fields["cameo"] = codes
    if "acled" in table:
        names = _strings(table["acled"], f"{where} acled")
        unknown = [n for n in names if n.lower() not in ACLED_NAMES]
        if unknown:
            raise ConfigError(f"{where} acled {unknown} are not ACLED event types or sub-event types; the types "
                              f"are {', '.join(ACLED_TYPES)} (sub-event types as in the ACLED Codebook, e.g. "
                              "\"Air/drone strike\", \"Armed clash\")")
        fields["acled"] = tuple(n.lower() for n in names)
    for key in ("countries",):
        if key in table:
            codes = tuple(c.upper() for c in _strings(table[key], f"{where} {key}"))
            if not all(len(c) == 2 and c.isalpha() for c in codes):
                raise ConfigError(f"{where} {key} {list(codes)} must be ISO 3166-1 alpha-2 codes such as \"PL\"")
            fields[key] = codes
    if "near_border" in table:
        nb = table["near_border"]
        if not isinstance(nb, dict) or set(nb) != {"country", "km"} or not isinstance(nb["country"], str):
            raise ConfigError(f"{where} near_border must be {{ country = \"PL\", km = 50 }}")
        km = _number(nb["km"], f"{where} near_border km")
        fields["near_border"] = (nb["country"].strip().upper(), km)
    if "within" in table:
        w = table["within"]
        if not isinstance(w, dict) or set(w) != {"lat", "lon", "km"}:
            raise ConfigError(f"{where} within must be {{ lat = 52.2, lon = 21.0, km = 50 }}")
        lat, lon = _number(w["lat"], f"{where} within lat"), _number(w["lon"], f"{where} within lon")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ConfigError(f"{where} within has lat {lat}, lon {lon}: out of range")
        fields["within"] = (lat, lon, _number(w["km"], f"{where} within km"))
    if "geonameid" in table:
        ids = table["geonameid"] if isinstance(table["geonameid"], list) else [table["geonameid"]]
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise ConfigError(f"{where} geonameid must be GeoNames ids (whole numbers)")
        fields["geonameid"] = tuple(ids)
    for key in ("keywords", "actors"):
        if key in table:
            fields[key] = tuple(k.lower() for k in _strings(table[key], f"{where} {key}"))
    if "language" in table:
        fields["language"] = tuple(v.lower() for v in _strings(table["language"], f"{where} language"))
    if "min_independent_sources" in table:
        fields["min_independent_sources"] = _positive_int(table["min_independent_sources"],
                                                          f"{where} min_independent_sources")
    for key in ("new_conflict", "count_changed"):
        if key in table:
            fields[key] = _bool(table[key], f"{where} {key}")
    if fields.get("near_border"):
        from crosswire.crosscheck.geography import country_name

        if country_name(fields["near_border"][0]) is None:
            raise ConfigError(f"{where} near_border country {fields['near_border'][0]!r} is not a country of the "
                              "Natural Earth shapes")
    return Rule(**fields)


def load_rules(path: str | os.PathLike[str], *, also: frozenset[str] = frozenset()) -> Rules:
    """The rules and webhook sinks of a RULES.toml (``also``: other tables the file may hold, as when
    the rules are in SOURCES.toml)."""
    path = Path(path)
    data = _read(path, "rules")
    _check_keys(data, {"rule", "sink", *also}, "the file", path)
    rules: list[Rule] = []
    names: set[str] = set()
    for n, table in enumerate(_tables(data, "rule", path), 1):
        where = f"[[rule]] number {n}"
        try:
            _check_keys(table, RULE_KEYS, where, path)
            rule = _rule(table, where)
        except ConfigError as exc:
            raise ConfigError(exc.message, source=str(path)) from None
        if rule.name in names:
            raise ConfigError(f"two rules are named {rule.name!r}; alerts are told apart by name", source=str(path))
        names.add(rule.name)
        rules.append(rule)
    sinks: list[Sink] = []
    for n, table in enumerate(_tables(data, "sink", path), 1):
        where = f"[[sink]] number {n}"
        _check_keys(table, {"url", "secret", "secret_env", "retries", "timeout"}, where, path)
        url = table.get("url")
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise ConfigError(f"{where} needs an http(s) 'url'", source=str(path))
        secret = table.get("secret")
        if "secret_env" in table:
            secret = os.environ.get(str(table["secret_env"]))
            if not secret:
                raise ConfigError(f"{where}: environment variable {table['secret_env']!r} is not set",
                                  source=str(path))
        try:
            retries = _positive_int(table.get("retries", 3), f"{where} retries")
            timeout = parse_duration(table.get("timeout", 10), f"{where} timeout")
        except ConfigError as exc:
            raise ConfigError(exc.message, source=str(path)) from None
        sinks.append(Sink(url, secret if isinstance(secret, str) else None, retries, timeout))
    return Rules(tuple(rules), tuple(sinks))
