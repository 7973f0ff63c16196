"""One typed config object. Precedence: defaults < file (crosswire.toml) < env (CROSSWIRE_*) < flags.

Every setting is a dataclass field with its documentation in ``metadata["doc"]``; a test checks that
each one is documented here and in the README.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from crosswire.errors import ConfigError

MB = 1024 * 1024
ENGINES = ("processes", "dask")  # where the per-article work runs (setting `engine`)


def _setting(default: Any, doc: str) -> Any:
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Settings:
    """Every tunable of crosswire, with its default and what it means."""

    db: str = _setting("crosswire.db", "Path of the SQLite store.")
    max_file_bytes: int = _setting(
        50 * MB, "Largest single-document file (txt, md, html, json) read; larger ones are rejected."
    )
    max_record_bytes: int = _setting(
        20 * MB, "Largest single record inside a stream (a JSON line, a WARC record, a feed item)."
    )
    max_decompressed_bytes: int = _setting(
        8 * 1024 * MB, "Most bytes one gzip input may inflate to before it is rejected as a bomb."
    )
    max_compression_ratio: float = _setting(
        200.0, "Inflated/compressed size ratio above which a gzip input (past 1 MB) is a bomb."
    )
    allow_private: bool = _setting(
        False, "Fetch URLs that resolve to private, loopback or link-local addresses."
    )
    fetch_timeout: float = _setting(
        15.0,
        "Seconds one URL fetch may take in all (connecting, redirects and reading the body); a "
        "server still sending at the deadline is cut off.",
    )
    fetch_max_bytes: int = _setting(10 * MB, "Largest HTTP response body read from a URL.")
    fetch_max_redirects: int = _setting(5, "Most redirects followed for one URL.")
    fetch_feed_links: str = _setting(
        "remote",
        "Fetch the linked page of a feed item that carries no content of its own: `remote` only for "
        "a feed that was itself read from a URL, `always` also for local feed files, `never`; "
        "true/false mean always/never.",
    )
    min_text_chars: int = _setting(
        60,
        "Clean text shorter than this (characters) is rejected as having no article body: a one-sentence "
        "brief (a wire flash, a feed item's summary) is a report; a shorter text is a stub.",
    )
    dedupe_threshold: float = _setting(
        0.8, "Jaccard similarity of word shingles at or above which two articles are copies."
    )
    dedupe_shingle_words: int = _setting(5, "Words per shingle for near-duplicate detection.")
    dedupe_num_perm: int = _setting(128, "MinHash permutations for near-duplicate detection.")
    workers: int = _setting(
        0, "Processes used to extract and clean documents; 0 means one per CPU core."
    )
    batch_size: int = _setting(64, "Documents handed to a worker process at a time.")
    analyze_max_chars: int = _setting(
        100_000,
        "Characters of an article the facts stage reads; a longer article is read to this point "
        "(at a paragraph break) and marked `truncated`.",
    )
    analyze_batch: int = _setting(24, "Articles handed to an analysis worker at a time.")
    analyze_parallel_min: int = _setting(
        40, "Fewest pending articles for which analysis starts worker processes (each loads spaCy)."
    )
    analyze_languages: str = _setting(
        "en,ru,uk,be,pl,de,fr,es,zh,nl",
        "Comma-separated ISO 639-1 languages the facts stage reads (English by spaCy, the others by "
        "crosswire.extract.languages; a language without word lists there is read at a lower level: "
        "dates and places only); others are skipped with the reason `language_not_read`.",
    )
    engine: str = _setting(
        "processes",
        "Where ingest's preparing and the facts stage run: `processes` (a process pool on this machine, "
        "`workers` of them) or `dask` (a Dask cluster: the scheduler at `cluster`, else a local cluster of "
        "`workers` processes started for the run).",
    )
    cluster: str = _setting(
        "", "Address of an existing Dask scheduler (`tcp://HOST:PORT`); when set, ingest and analysis run there."
    )
    since: str = _setting(
        "", "Earliest publication day (YYYY-MM-DD) ingest keeps; an article published before it is rejected "
        "(`outside_dates`); one without a day is kept. Empty: no limit."
    )
    until: str = _setting("", "Latest publication day (YYYY-MM-DD) ingest keeps, as `since`. Empty: no limit.")
    languages: str = _setting(
        "", "Comma-separated languages ingest keeps (others, and unknown ones, rejected as `language_filtered`). "
        "Empty: all."
    )

    def __post_init__(self) -> None:
        feed_link_policy(self)  # a bad value is named when the settings are made, not mid-ingest
        if self.engine not in ENGINES:
            raise ConfigError(f"setting 'engine' has value {self.engine!r}; use {' or '.join(ENGINES)}")
        for name in ("since", "until"):
            value = getattr(self, name).strip()
            try:
                if value:
                    date.fromisoformat(value)
            except ValueError:
                raise ConfigError(f"setting '{name}' has value {value!r}, which is not a day; use YYYY-MM-DD") from None

    @classmethod
    def documented(cls) -> dict[str, str]:
        """Each setting's name and its documentation."""
        return {f.name: f.metadata.get("doc", "") for f in fields(cls)}

    def with_overrides(self, **overrides: Any) -> "Settings":
        """A copy with the non-None overrides applied (the flags' layer)."""
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise ConfigError(f"unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


FEED_LINK_POLICIES = {
    "remote": "remote", "always": "always", "never": "never",
    "true": "always", "yes": "always", "on": "always", "1": "always",
    "false": "never", "no": "never", "off": "never", "0": "never",
}


def feed_link_policy(settings: Settings) -> str:
    """``remote``, ``always`` or ``never``: when feed items without content are fetched from their link."""
    raw = settings.fetch_feed_links
    policy = FEED_LINK_POLICIES.get(str(raw).strip().lower())
    if policy is None:
        raise ConfigError(
            f"setting 'fetch_feed_links' has value {raw!r}; use remote, always or never"
        )
    return policy


def _coerce(name: str, raw: Any, typ: type, origin: str) -> Any:
    try:
        if typ is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        return typ(raw)
    except (TypeError, ValueError):
        raise ConfigError(
            f"setting {name!r} from {origin} has value {raw!r}, which is not a {typ.__name__}; "
            "fix or remove it"
        ) from None


def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    **flags: Any,
) -> Settings:
    """Settings from defaults, then ``crosswire.toml`` (or ``config_file``), then env, then flags."""
    env = dict(os.environ) if env is None else env
    types = {f.name: type(f.default) for f in fields(Settings)}
    values: dict[str, Any] = {}
    path = Path(config_file) if config_file else Path(env.get("CROSSWIRE_CONFIG", "crosswire.toml"))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file: {exc}", source=str(path)) from None
        data = data.get("crosswire", data)
        for key, raw in data.items():
            if key not in types:
                raise ConfigError(f"unknown setting {key!r}; known: {sorted(types)}", source=str(path))
            values[key] = _coerce(key, raw, types[key], str(path))
    elif config_file:
        raise ConfigError("config file does not exist", source=str(path))
    for key, typ in types.items():
        env_key = f"CROSSWIRE_{key.upper()}"
        if env_key in env:
            values[key] = _coerce(key, env[env_key], typ, f"environment variable {env_key}")
    return Settings(**values).with_overrides(**flags)
