"""The data objects that flow through the pipeline stages.

ingest readers yield :class:`RawDocument` (or :class:`Rejection`); ``prepare`` turns a raw document
into an :class:`Article` (main text, hygiene, cleaning, language); ``dedupe`` fills
``duplicate_of``/``similarity``; the store keeps it. Each run returns an :class:`IngestSummary`.
``analyze`` turns a stored article into an :class:`Analysis` (its :class:`Fact` objects, its main
event, the candidates it discarded) and returns an :class:`AnalyzeSummary`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PublishedSource = Literal["metadata", "text", "inferred"]
RawKind = Literal["text", "html", "record"]


@dataclass
class Removed:
    """A piece of text that cleaning took out, with the reason code that removed it."""

    reason: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"reason": self.reason, "text": self.text}


@dataclass
class RawDocument:
    """What a reader hands on: one document's content and whatever metadata came with it.

    ``kind`` says how to read ``content``: ``"html"`` (markup, sent through trafilatura),
    ``"text"`` (plain text whose first non-empty line is the title unless ``title`` is given) or
    ``"record"`` (already-split body text from a JSON record or feed item: ``title`` is separate).
    ``source`` locates it exactly: a path, ``path:LINE`` for JSON Lines, ``path#record-N`` for WARC,
    ``path#item-N`` for feeds, or the URL.
    """

    source: str
    kind: RawKind
    content: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO date or datetime string as given by the metadata
    language: str | None = None
    fetched: str | None = None  # ISO datetime the content was fetched (WARC-Date, HTTP date)
    description: str | None = None


@dataclass
class Article:
    """One stored article: clean text plus metadata, provenance and what cleaning removed."""

    id: str
    title: str
    text: str
    outlet: str | None
    url: str | None
    authors: list[str]
    published: str | None  # metadata's publication time as given: ISO day, or datetime with its offset
    published_source: PublishedSource | None  # "metadata" when ``published`` is set, else None
    language: str | None
    ingested_at: str  # ISO 8601 UTC datetime
    source: str
    removed: list[Removed] = field(default_factory=list)
    duplicate_of: str | None = None
    similarity: float | None = None
    fetched: str | None = None
    text_hash: str = ""
    published_utc: str | None = None  # the UTC instant of ``published`` (None for a day)
    published_day: str | None = None  # the outlet's local day of ``published``

    def __post_init__(self) -> None:
        if self.published and self.published_day is None:
            from crosswire.times import parse_published  # dateparser loads only when needed

            parsed = parse_published(self.published)
            if parsed is not None:
                self.published_utc, self.published_day = parsed.utc, parsed.day

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["removed"] = [r.to_dict() for r in self.removed]
        return d


@dataclass
class Rejection:
    """An input that did not become an article, with a stable reason code and a readable detail."""

    source: str
    reason: str
    detail: str

    def __post_init__(self) -> None:
        # a detail may quote the input (a lone surrogate "\ud800" from a JSON escape, a file name's
        # undecodable bytes): kept as \\x/\\u escapes so that it can be stored and printed
        self.source, self.reason, self.detail = (_encodable(str(v)) for v in (self.source, self.reason, self.detail))

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}: {self.detail}"


def _encodable(text: str) -> str:
    """``text`` unchanged when UTF-8 can encode it, else with its surrogates as backslash escapes."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class IngestSummary:
    """What one ingest run did: counts, rejections, timings (dlt's LoadInfo in spirit)."""

    read: int = 0  # documents read from the inputs (before rejection and dedupe)
    stored: int = 0  # new articles written
    unchanged: int = 0  # articles already in the store (same id): nothing written
    duplicates: int = 0  # new articles that are copies of an earlier one (also counted in stored)
    updated: int = 0  # stored articles whose metadata this input changed (also counted in unchanged)
    updates: list[dict[str, Any]] = field(default_factory=list)  # {article, source, changes: {field: {old, new}}}
    rejected: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0
    started_at: str = ""
    run_id: int | None = None
    stored_ids: list[str] = field(default_factory=list)
    # things read but worth a word (unknown JSON field names, files skipped in a folder): not inputs
    warnings: list[Rejection] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("stored_ids")
        d["rejected"] = [asdict(r) for r in self.rejected]
        d["warnings"] = [asdict(r) for r in self.warnings]
        return d



@dataclass
class Fact:
    """One thing an article says, normalised, tied to the characters it came from.

    ``kind`` is what sort of fact (``date``, ``place``, ``count``, ``casualties``, ``distance``,
    ``money``, ``percent``, ``age``, ``quote``, ``claim``, ``entity``, ``event``, ``published``);
    ``about`` what it is about (``event.when``, ``event.where``, ``killed``, a counted noun, a
    speaker, an entity label); ``value`` the normalised value (JSON-serialisable);
    ``text == article.text[start:end]``; ``stage`` the extractor and version that made it.
    """

    article_id: str
    kind: str
    about: str
    value: Any
    text: str
    start: int
    end: int
    stage: str
    confidence: float = 0.5
    role: str | None = None  # "event" (about the article's main event) | "mentioned" | None
    detail: dict[str, Any] = field(default_factory=dict)
    ordinal: int = 0  # tells apart facts of one article with the same stage, kind, about and span

    @property
    def key(self) -> str:
        """What the id hashes: the fact's article, stage, kind, about and span."""
        return f"{self.article_id}|{self.stage}|{self.kind}|{self.about}|{self.start}|{self.end}"

    @property
    def id(self) -> str:
        """Content-addressed: the same text analysed again gives the same ids (ordinal 0 keeps the
        id a fact had before ordinals existed)."""
        key = self.key if not self.ordinal else f"{self.key}|{self.ordinal}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, **asdict(self)}
        d.pop("ordinal")
        return d


def number_facts(facts: list[Fact]) -> list[Fact]:
    """Give facts that share a key (two events of one sentence) ordinals 0, 1, ... in the order
    the extractors made them, so no two facts of an article share an id; returns ``facts``."""
    seen: dict[str, int] = {}
    for f in facts:
        k = f.key
        f.ordinal = seen.get(k, 0)
        seen[k] = f.ordinal + 1
    return facts


@dataclass
class Discard:
    """A candidate a stage looked at and did not keep, with the reason (never dropped silently)."""

    stage: str
    reason: str
    text: str
    start: int | None = None
    end: int | None = None


@dataclass
class Analysis:
    """What the facts stage found in one article: its facts, its main event, what it skipped."""

    article_id: str
    status: str  # "analyzed" | "skipped"
    reason: str | None = None  # why skipped, or a note such as "truncated"
    detail: str | None = None
    facts: list[Fact] = field(default_factory=list)
    event: dict[str, Any] = field(default_factory=dict)
    discards: list[Discard] = field(default_factory=list)
    published: str | None = None  # a publication day read from the text when metadata had none (its fact)
    published_evidence: dict[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class AnalyzeSummary:
    """What one analyze run did: counts, skips with reasons, where the time went."""

    analyzed: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    facts: int = 0
    published_from_text: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    started_at: str = ""
    run_id: int | None = None
    article_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("article_ids")
        d["stage_seconds"] = {k: round(v, 3) for k, v in self.stage_seconds.items()}
        return d
