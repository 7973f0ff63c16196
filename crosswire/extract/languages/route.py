"""The facts stage's door for a non-English article: its analysis, or its failure recorded."""

from __future__ import annotations

import traceback

from crosswire.config import Settings
from crosswire.extract.article import skipped
from crosswire.models import Analysis, Article


def analyse_other_language(article: Article, text: str, settings: Settings, note: str | None = None) -> Analysis:
    """:func:`crosswire.extract.languages.analyse.analyse_other`, with a failure kept as the
    article's ``internal_error`` skip (one bad article must not stop the batch)."""
    from crosswire.extract.languages.analyse import analyse_other

    try:
        return analyse_other(article, text, settings, note)
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return skipped(article, "internal_error", f"{type(exc).__name__} in {frame.name} "
                       f"({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}) reading {article.language!r}: {exc}; "
                       "please report it", read_published=False)
