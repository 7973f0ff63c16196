"""Time expressions as facts.

Stage ``dates.v1``: one fact per time expression (:mod:`crosswire.extract.time.timex`), its value
normalised against the article's publication day (the outlet's local day from metadata, else the
day the text states: :mod:`crosswire.extract.published`).
"""

from __future__ import annotations

from crosswire.models import Fact
from crosswire.extract.time.timex import Timex

STAGE = "dates.v1"


def timex_facts(timexes: list[Timex], article_id: str, event_span: tuple[int, int] | None) -> list[Fact]:
    """One fact per time expression; the one that dates the main event is ``about`` "event.when"."""
    facts = []
    for t in timexes:
        kind = {"DATE": "date", "TIME": "date", "DURATION": "duration", "SET": "set"}.get(t.type, "date")
        about = "event.when" if event_span == (t.start, t.end) else "time"
        facts.append(
            Fact(
                article_id, kind, about,
                {"value": t.value, "type": t.type, "precision": t.precision, "anchored": t.anchor_used},
                t.text, t.start, t.end, STAGE, 0.8 if t.value else 0.3,
                "event" if about == "event.when" else None,
            )
        )
    return facts
