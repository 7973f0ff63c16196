"""One article through every extractor: the facts stage's unit of work.

:func:`analyse` takes a stored :class:`Article` and its parsed body (and headline) and returns an
:class:`Analysis`: every fact with its span, the main event's record, and every candidate an
extractor dropped with its reason. :func:`gate` decides first whether the article can be read
(language, length, any sentence at all).
"""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import date
from typing import Any

from crosswire.config import Settings
from crosswire.models import Analysis, Article, Discard, Fact, number_facts
from crosswire.extract.published import STAGE as PUBLISHED_STAGE, publication_from_text, published_fact
from crosswire.extract.time.dates import timex_facts
from crosswire.extract.entities import find_entities
from crosswire.extract.events.find import find_events, main_event
from crosswire.extract.places.resolve import STAGE as PLACES_STAGE, Place, event_place, resolve_places
from crosswire.extract.quantities.base import STAGE as QUANTITIES_STAGE
from crosswire.extract.quantities.find import Quantity, find_quantities
from crosswire.extract.quotes.find import find_quotes
from crosswire.extract.events.summary import STAGE as SUMMARY_STAGE, summarise
from crosswire.extract.time.timex import find_timexes
from crosswire.extract.languages import readable_languages
from crosswire.ingest.hygiene import has_letters

STAGES = ("entities.v1", PUBLISHED_STAGE, "dates.v1", "timex.v1", PLACES_STAGE, QUANTITIES_STAGE,
          "quotes.v1", "events.v1", SUMMARY_STAGE, "languages.v1")  # languages: crosswire.extract.languages
PIPELINE = "+".join(STAGES)
LANGUAGE_NOT_READ = "language_not_read"
_CC_TLD = {"uk": "GB"}


def outlet_country(article: Article) -> str | None:
    """The ISO country of a country-code domain (``.pl`` -> PL, ``.co.uk`` -> GB), else None."""
    host = (article.url or "").split("//", 1)[-1].split("/", 1)[0] or (article.outlet or "")
    tld = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    if len(tld) != 2 or not tld.isalpha():
        return None
    return _CC_TLD.get(tld, tld.upper())


def gate(article: Article, settings: Settings) -> tuple[str | None, str | None, str]:
    """(skip reason, detail, text to read): articles in a language the settings do not list and
    sentence-less articles are skipped; the caller routes a non-English one to
    :mod:`crosswire.extract.languages`."""
    languages = readable_languages(settings)
    if article.language and article.language not in languages:
        return LANGUAGE_NOT_READ, (f"language is {article.language!r}; the facts stage reads {sorted(languages)} "
                                   "(setting analyze_languages)"), ""
    text = article.text
    if not has_letters(text[:5000], 20):
        return "no_sentences", "the text has no sentence to read (fewer than 20 letters)", ""
    if len(text) > settings.analyze_max_chars:
        cut = text.rfind("\n", 0, settings.analyze_max_chars)
        cut = cut if cut > settings.analyze_max_chars // 2 else settings.analyze_max_chars
        return None, f"read the first {cut} of {len(text)} characters (analyze_max_chars)", text[:cut]
    return None, None, text


def load_models() -> None:
    """Load now what the English extractors load on first use: spaCy's pipeline and the gazetteer
    with its tier of small places (read by the first article that names one; ~4 CPU-seconds). A
    process that forks workers calls it first, so they start with the models loaded."""
    from crosswire.extract.nlp import load_nlp
    from crosswire.extract.places.resolve import get_gazetteer

    load_nlp()
    get_gazetteer().local("")


def _published_day(article: Article) -> date | None:
    """The outlet's local day of the metadata publication time (not the UTC day)."""
    try:
        return date.fromisoformat(article.published_day) if article.published_day else None
    except ValueError:
        return None


def _place_value(p: Place) -> dict[str, Any]:
    return {"name": p.name, "geonameid": p.geonameid, "country": p.country, "lat": p.lat, "lon": p.lon,
            "feature": p.feature, "admin1": p.admin1}


def _quantity_fact(q: Quantity, aid: str, role: str | None) -> Fact:
    about = q.casualty or q.thing or q.kind
    value = {"value": q.value, "low": q.low, "high": q.high, "qualifier": q.qualifier, "unit": q.unit}
    detail: dict[str, Any] = {k: v for k, v in (("modifiers", q.modifiers), ("places", q.places), ("cue", q.cue)) if v}
    return Fact(aid, q.kind, about, value, q.text, q.start, q.end, QUANTITIES_STAGE, q.confidence, role, detail)


def stage_timer(timings: dict[str, float]):  # type: ignore[no-untyped-def]
    """``timed(name, fn, *args)``: call ``fn`` and add its wall time to ``timings[name]``."""
    def timed(name: str, fn, *a, **kw):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
    return timed


def analyse(article: Article, doc, title_doc, settings: Settings, note: str | None = None) -> Analysis:  # type: ignore[no-untyped-def]
    """Every fact of one article (its body parsed as ``doc``, its headline as ``title_doc``)."""
    aid, timings = article.id, {}
    out = Analysis(aid, "analyzed", "truncated" if note else None, note)

    timed = stage_timer(timings)

    # Relative dates are read against the outlet's local day: the metadata's, else the day the
    # text states (read on every analysis, so a re-analysis keeps where it came from).
    published = _published_day(article)
    if published is None:
        found = timed("published", publication_from_text, doc.text, article.title)
        if found is not None:
            out.published, out.published_evidence = found
            published = date.fromisoformat(found[0])
            out.facts.append(published_fact(aid, *found))
    rejected: list[dict] = []
    places = timed("places", resolve_places, doc, outlet_country=outlet_country(article), rejected=rejected)
    out.discards += [Discard(PLACES_STAGE, r.get("reason", "dropped"), r.get("text", ""), r.get("start"), r.get("end"))
                     for r in rejected]
    place_spans = {(p.start, p.end): "GPE" for p in places}
    ents, dropped = timed("entities", find_entities, doc, aid, place_spans)
    out.facts += ents
    out.discards += dropped
    timexes = timed("timex", find_timexes, doc, published)
    rejected = []
    quantities = timed("quantities", find_quantities, doc, rejected=rejected)
    out.discards += [Discard(QUANTITIES_STAGE, r.get("reason", "dropped"), r.get("text", ""), r.get("start"), r.get("end"))
                     for r in rejected]
    quotes = timed("quotes", find_quotes, doc)
    events = timed("events", find_events, doc, title_doc=title_doc, places=places, timexes=timexes)
    summary = timed("summary", summarise, doc, title=article.title, title_doc=title_doc, published=published,
                    timexes=timexes, places=places, quantities=quantities)
    out.timings = timings
    casualties = _has_casualties(main_event(events), doc, title_doc, summary)
    _facts_from(out, aid, places, timexes, quantities, quotes, events, summary, casualties)
    number_facts(out.facts)  # two facts of one span (two events of a sentence) get distinct ids
    out.event = event_record(events, summary, places, casualties)
    return out


def _facts_from(out: Analysis, aid: str, places, timexes, quantities, quotes, events, summary,  # type: ignore[no-untyped-def]
                casualties: bool | None = None) -> None:
    """The article's facts; ``casualties``: whether the summary's figures are the main event's
    (None: decided from the main event's class alone)."""
    when = summary.when_evidence
    when_span = (when.start, when.end) if when is not None and "when" not in summary.in_title else None
    out.facts += timex_facts(timexes, aid, when_span)
    for p in places:
        about = "event.where" if p.role == "event" else "place"
        detail: dict[str, Any] = {"via": p.via}
        if p.cue:
            detail["cue"] = p.cue  # what the parse says of the mention: dateline, event, locative...
        out.facts.append(Fact(aid, "place", about, _place_value(p), p.text, p.start, p.end, PLACES_STAGE,
                              p.confidence, p.role, detail))
    main = main_event(events)
    if casualties is None:
        casualties = _has_casualties(main)
    # The figures may be derived (a shooter's own death added): their mentions are the evidence.
    event_q = {id(q) for q in (*summary.killed_evidence, *summary.injured_evidence,
                               summary.killed, summary.injured) if q is not None} if casualties else set()
    for q in quantities:
        out.facts.append(_quantity_fact(q, aid, "event" if id(q) in event_q else None))
    for q in quotes:
        value = {"speaker": q.speaker, "speaker_title": q.speaker_title, "speaker_kind": q.speaker_kind,
                 "cue": q.cue, "channel": q.channel}
        detail: dict[str, Any] = {"segments": q.segments} if q.segments else {}
        if q.speaker_start is not None:
            detail["speaker_span"] = [q.speaker_start, q.speaker_end]
        out.facts.append(Fact(aid, "quote" if q.kind == "direct" else "claim", q.speaker or "unknown", value,
                              q.text, q.start, q.end, "quotes.v1", q.confidence, None, detail))
    for ev in events:
        d = ev.to_dict()
        about = "main" if ev is main else "secondary"
        value = {k: d.get(k) for k in ("cameo", "label", "acled", "acled_sub", "actor1", "actor2", "when", "where",
                                       "lemma", "negated", "hypothetical")}
        detail: dict[str, Any] = {"trigger": d.get("trigger")}
        if d.get("source") == "title":
            detail["span_in"] = "title"  # start/end point into the headline, not the body
        out.facts.append(Fact(aid, "event", about, value, ev.text, ev.start, ev.end, "events.v1", ev.confidence,
                              "event" if about == "main" else None, detail))


# Words of an attack on people: an article whose headline or first sentence has one and whose
# figures sit in sentences with one reports the attack, whatever its main event's class ("Police
# said two men were shot": a statement).
ATTACK_LEMMAS = {"shoot", "shooting", "shooter", "gunman", "gunfire", "gunshot", "stab", "stabbing",
                 "homicide", "murder", "slaying", "kill", "killing", "massacre", "ambush", "bombing"}


def _attack_sentence(span) -> bool:  # type: ignore[no-untyped-def]
    return any(t.lemma_.lower() in ATTACK_LEMMAS or t.lower_ in ATTACK_LEMMAS for t in span)


def _lead(doc):  # type: ignore[no-untyped-def]
    """The first sentence of prose (a caption or a one-word line skipped): at most three tried."""
    for n, sent in enumerate(doc.sents):
        if n >= 3:
            break
        if sum(t.is_alpha for t in sent) >= 6:
            return sent
    return None


def _about_attack(doc, title_doc, summary) -> bool:  # type: ignore[no-untyped-def]
    """Does the article report an attack on people (an attack word in its headline or first
    sentence), each of its nonzero figures told in a sentence with an attack word?"""
    if doc is None:
        return False
    lead = _lead(doc)
    if not ((title_doc is not None and _attack_sentence(title_doc)) or (lead is not None and _attack_sentence(lead))):
        return False
    text = None  # doc.text joins every token: built once, when a figure needs it
    for q in (*summary.killed_evidence, *summary.injured_evidence):
        if not q.value:
            continue  # "no one else was hurt" needs no attack word of its own
        if text is None:
            text = doc.text
        # a figure of the headline has its offsets in the headline
        d = doc if text[q.start:q.end] == q.text else title_doc
        span = d.char_span(q.start, q.end, alignment_mode="expand") if d is not None else None
        if span is None or len(span) == 0 or not _attack_sentence(span.sent):
            return False
    return True


# CAMEO roots of events that can leave people dead or hurt: coerce (17: arrests turn violent),
# assault (18), fight (19), mass violence (20); and our own accidents, disasters and outbreaks.
_VIOLENT_ROOTS = {"17", "18", "19", "20"}


def _has_casualties(main, doc=None, title_doc=None, summary=None) -> bool:  # type: ignore[no-untyped-def]
    """Whether casualty figures can belong to this main event (a drill's "killed" is another
    event's), or, given the parsed text and its summary, to the attack the article reports
    (:func:`_about_attack`) when the main event is a statement or an accusation about it."""
    if main is None:
        return True
    if main.cameo:
        if main.cameo[:2] in _VIOLENT_ROOTS:
            return True
    elif main.label.split(":", 1)[0] in ("accident", "disaster", "health"):
        return True
    return summary is not None and _about_attack(doc, title_doc, summary)


def event_record(events, summary, places, casualties: bool | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The article's main event: type, when, where, casualties and actors, each with its evidence.

    Casualty figures are the event's only when its kind can have casualties: in a report of
    military drills, "a missile strike which killed two" tells of another event. ``where`` opens
    with the summary's place (the headline's town, or the city of a neighbourhood: "Chicago" for
    "North Lawndale"), then the places the text marks as the event's.
    """
    main = main_event(events)
    if casualties is None:
        casualties = _has_casualties(main)
    where = [p for p in places if p.role == "event"]
    top = event_place(places)
    told = getattr(summary, "where", None)  # the headline's town, or the city of a neighbourhood
    if told is not None and told is not top:
        in_title = "where" in getattr(summary, "in_title", ())
        first = _place_value(told) | {"text": told.text, "start": told.start, "end": told.end}
        if in_title:
            first["in"] = "title"  # start/end point into the headline
        rest = [_place_value(p) | {"text": p.text, "start": p.start, "end": p.end}
                for p in sorted(where, key=lambda p: p is not top) if p is not told]
        where_out = [first, *rest]
    else:
        where_out = [_place_value(p) | {"text": p.text, "start": p.start, "end": p.end}
                     for p in sorted(where, key=lambda p: p is not top)]
    record: dict[str, Any] = {
        "type": {"cameo": main.cameo, "label": main.label, "acled": main.acled,
                 "acled_sub": main.acled_sub} if main else
        {"cameo": None, "label": "unknown", "acled": None},
        "when": {"start": summary.when_start, "end": summary.when_end,
                 "precision": getattr(summary, "when_precision", None)},
        "where": where_out,
        "killed": summary.killed.value if casualties and summary.killed is not None else None,
        "injured": summary.injured.value if casualties and summary.injured is not None else None,
    }
    if main is not None:
        d = main.to_dict()
        record["actors"] = [a for a in (d.get("actor1"), d.get("actor2")) if a]
        record["sentence"] = {"text": main.text, "start": main.start, "end": main.end,
                              "in": d.get("source") or "body"}
    return record


def skipped(article: Article, reason: str, detail: str, read_published: bool = True) -> Analysis:
    """The analysis of an article the stage could not read, with the reason. A publication day
    its text states (a byline, a dateline: patterns, no parse needed) is still read, as ingest
    once did for every language, unless ``read_published`` is false (an extractor failed)."""
    out = Analysis(article.id, "skipped", reason, detail)
    if read_published and _published_day(article) is None:
        found = publication_from_text(article.text, article.title)
        if found is not None:
            out.published, out.published_evidence = found
            out.facts.append(published_fact(article.id, *found))
    return out


__all__ = ["PIPELINE", "STAGES", "analyse", "gate", "load_models", "skipped", "outlet_country", "asdict"]
