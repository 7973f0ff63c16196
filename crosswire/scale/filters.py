"""Filters on ingest, before anything is stored or analysed: a publication-day window and a set of languages.

For big inputs (a month of CC-NEWS WARC files) where only some days or languages are wanted. An
article outside the window (by its metadata's publication day, the outlet's local day) is rejected
with reason ``outside_dates``; one in another language with ``language_filtered``; both are recorded
like every rejection. An article whose input gives no publication day is kept (its day may come from
its text later), as is one whose language is unknown only when no language filter is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crosswire.config import Settings
from crosswire.errors import ConfigError
from crosswire.models import Article, Rejection


def _day(name: str, value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"setting '{name}' has value {value!r}, which is not a day; use YYYY-MM-DD") from None


@dataclass(frozen=True)
class InputFilter:
    """The days and languages ingest keeps (None: no limit)."""

    since: date | None = None
    until: date | None = None
    languages: frozenset[str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "InputFilter":
        """The filter the settings ``since``, ``until`` and ``languages`` ask for; a bad value is a ConfigError."""
        since, until = _day("since", settings.since), _day("until", settings.until)
        if since and until and since > until:
            raise ConfigError(f"setting 'since' ({since}) is after 'until' ({until}); nothing could be kept")
        langs = frozenset(x.strip().lower() for x in settings.languages.split(",") if x.strip())
        return cls(since, until, langs or None)

    def __bool__(self) -> bool:
        return bool(self.since or self.until or self.languages)

    def rejects(self, article: Article) -> Rejection | None:
        """Why ``article`` is left out, or None when it is kept."""
        if self.languages is not None and (article.language or "").lower() not in self.languages:
            return Rejection(article.source, "language_filtered",
                             f"language is {article.language or 'unknown'!r}; ingest keeps {sorted(self.languages)} "
                             "(setting languages / --languages)")
        if (self.since or self.until) and article.published_day:
            day = date.fromisoformat(article.published_day)
            if self.since and day < self.since:
                return Rejection(article.source, "outside_dates",
                                 f"published {day}, before {self.since} (setting since / --since)")
            if self.until and day > self.until:
                return Rejection(article.source, "outside_dates",
                                 f"published {day}, after {self.until} (setting until / --until)")
        return None
