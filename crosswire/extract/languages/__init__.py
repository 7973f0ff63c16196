"""Facts from reports in languages other than English (issue 15).

The facts stage sends an English article through spaCy (:mod:`crosswire.extract.article`) and any
other article whose language the ``analyze_languages`` setting lists here
(:func:`crosswire.extract.languages.analyse.analyse_other`). Languages with word lists in
``data/`` (:data:`WITH_LEXICONS`: ru, uk, be, pl, de, fr, es, zh, nl) get dates, places, names,
numbers, casualty figures, quotes and the main event; another language that the setting lists is
read "at a lower level": dates by dateparser, places by the gazetteer, no counts, quotes or event
kind. This module only names the languages (no heavy import): models load lazily, per language,
once per worker process.
"""

from __future__ import annotations

from crosswire.extract.languages.lexicon import languages_with_lexicons

WITH_LEXICONS: tuple[str, ...] = tuple(x for x in languages_with_lexicons() if x != "en")
DEFAULT_LANGUAGES = ",".join(("en", "ru", "uk", "be", "pl", "de", "fr", "es", "zh", "nl"))


def readable_languages(settings) -> set[str]:  # type: ignore[no-untyped-def]
    """The languages the facts stage reads under ``settings`` (``analyze_languages``)."""
    return {x.strip() for x in settings.analyze_languages.split(",") if x.strip()}


__all__ = ["WITH_LEXICONS", "DEFAULT_LANGUAGES", "readable_languages"]
