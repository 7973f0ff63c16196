"""One non-English article through the language analysers: the same :class:`Analysis` as English.

:func:`analyse_other` cuts the text into paragraphs (each with its language) and sentences
(:mod:`.text`), finds names (:mod:`.names`), dates (:mod:`.dates`), numbers and casualty figures
(:mod:`.numbers`), places (:mod:`.places`), quotes (:mod:`.quotes`) and the main event
(:mod:`.events`), and returns facts of the English stage's kinds and value shapes, each with its
span in the article's clean text, every dropped candidate as a :class:`Discard`, and the event
record (``event_record``'s shape, plus ``language``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crosswire.config import Settings
from crosswire.extract.article import _place_value, _published_day, _quantity_fact, outlet_country, stage_timer
from crosswire.extract.languages import readable_languages
from crosswire.extract.languages.dates import STAGE as DATES_STAGE, find_dates
from crosswire.extract.languages.events import build_event, find_triggers, main_trigger
from crosswire.extract.languages.lexicon import Lexicon, lexicon
from crosswire.extract.languages.names import entity_facts, find_names
from crosswire.extract.languages.numbers import STAGE as QUANTITIES_STAGE, find_quantities
from crosswire.extract.languages.places import STAGE as PLACES_STAGE, find_places
from crosswire.extract.languages.quotes import STAGE as QUOTES_STAGE, find_quotes
from crosswire.extract.languages.text import Segmented, identify, segment
from crosswire.extract.published import publication_from_text, published_fact
from crosswire.models import Analysis, Article, Discard, Fact, number_facts

PUBLISHED_RULE = "dated_line"
_TOP_LINES = 6
_SHORT_LINE = 80


def _published_from_lines(seg: Segmented, lexicons: dict[str, Lexicon]) -> tuple[str, dict[str, Any]] | None:
    """A full date (with its year) on a short line at the top ("wtorek, 11 marca 2025, 13:20"):
    the publication day, as the English byline rule reads "Updated March 12, 2025"."""
    discards: list[Discard] = []
    top = seg.paragraphs[:_TOP_LINES]
    for p in top:
        if p.end - p.start > _SHORT_LINE:
            continue
        line = Segmented(seg.text, seg.lang, [p], [s for s in seg.sentences if p.start <= s.start < p.end])
        for t in find_dates(line, lexicons, None, discards):
            if t.value and t.precision == "day" and not t.anchor_used:
                return t.value, {"rule": PUBLISHED_RULE, "text": t.text, "start": t.start, "end": t.end}
    return None


def analyse_other(article: Article, text: str, settings: Settings, note: str | None = None) -> Analysis:
    """Every fact of one article in a language other than English (``text``: what the gate let
    through, the article's clean text or its first part)."""
    aid, timings = article.id, {}
    out = Analysis(aid, "analyzed", "truncated" if note else None, note)

    timed = stage_timer(timings)

    readable = frozenset(readable_languages(settings))
    seg = timed("segment", segment, text, article.language, readable)
    lexicons = {lang: lex for lang in {seg.lang, *(p.lang for p in seg.paragraphs)} if (lex := lexicon(lang))}
    published: date | None = _published_day(article)
    if published is None:
        found = timed("published", publication_from_text, text, article.title) or _published_from_lines(seg, lexicons)
        if found is not None:
            out.published, out.published_evidence = found
            published = date.fromisoformat(found[0])
            out.facts.append(published_fact(aid, *found))
    discards: list[Discard] = []
    names = timed("entities", find_names, seg, discards)
    timexes = timed("timex", find_dates, seg, lexicons, published, discards)
    date_spans = [(t.start, t.end) for t in timexes]
    quantities = timed("quantities", find_quantities, seg, lexicons, date_spans, discards)
    places = timed("places", find_places, seg, lexicons, names, discards, outlet_country(article))
    quotes = timed("quotes", find_quotes, seg, lexicons, names, discards)
    title_lang = seg.lang
    if article.title and sum(ch.isalpha() for ch in article.title) >= 20:
        got, score = identify(article.title)
        if got in lexicons and score >= 0.8:
            title_lang = got
    triggers = timed("events", find_triggers, seg, article.title or "", title_lang, lexicons)
    main = main_trigger(seg, triggers)
    record, event_facts, when, casualty_ids = build_event(seg, article.title or "", main, triggers, timexes,
                                                          places, quantities, published, aid)
    place_spans = {(p.start, p.end): "GPE" for p in places}
    out.facts += entity_facts(names, place_spans, aid, discards, {(p.start, p.end): p.geonameid for p in places})
    for t in timexes:
        about = "event.when" if when is t else "time"
        out.facts.append(Fact(aid, "date", about, {"value": t.value, "type": t.type, "precision": t.precision,
                                                   "anchored": t.anchor_used},
                              t.text, t.start, t.end, DATES_STAGE, 0.8 if t.value else 0.3,
                              "event" if about == "event.when" else None, {"lang": seg.sentence_at(t.start).lang
                                                                           if seg.sentence_at(t.start) else seg.lang}))
    for p in places:
        about = "event.where" if p.role == "event" else "place"
        detail: dict[str, Any] = {"via": p.via}
        if p.cue:
            detail["cue"] = p.cue
        out.facts.append(Fact(aid, "place", about, _place_value(p), p.text, p.start, p.end, PLACES_STAGE,
                              p.confidence, p.role, detail))
    for q in quantities:
        f = _quantity_fact(q, aid, "event" if id(q) in casualty_ids else None)
        f.stage = QUANTITIES_STAGE
        out.facts.append(f)
    for q in quotes:
        value = {"speaker": q.speaker, "speaker_title": q.speaker_title, "speaker_kind": q.speaker_kind,
                 "cue": q.cue, "channel": q.channel}
        detail = {"speaker_span": [q.speaker_start, q.speaker_end]} if q.speaker_start is not None else {}
        out.facts.append(Fact(aid, "quote", q.speaker or "unknown", value, q.text, q.start, q.end, QUOTES_STAGE,
                              q.confidence, None, detail))
    out.facts += event_facts
    number_facts(out.facts)
    out.discards = discards
    record["languages"] = seg.languages()
    out.event = record
    out.timings = timings
    return out


__all__ = ["analyse_other"]
