"""One story cross-checked: the ``crosswire show STORY --format json`` record, and its cache.

Stage ``crosscheck.v2``: load the story's articles with their facts and event records ->
:func:`crosswire.crosscheck.pubdates.infer` (publication days the story implies; stored) ->
:func:`crosswire.crosscheck.align.build_slots` -> :func:`crosswire.crosscheck.status.assess` per
slot -> quotes matched (:mod:`crosswire.crosscheck.quotes`) -> internal checks
(:mod:`crosswire.crosscheck.internal`) -> reference checks
(:func:`crosswire.crosscheck.reference.check_claims`) -> the record.

The record keeps to INTERFACE.md (``id, title, articles, event, facts, quotes, checks``) and adds
``matrix`` (fact x outlet: agrees / conflicts / silent), ``timeline`` (the event's dates and the
publication days, with sources), ``published_inferred`` (each inferred publication day or range
with its evidence), ``unverified`` (reference checks that could not be made, with what was
missing), ``summary`` (counts), ``warnings`` and ``dropped``. Every fact has at least one source
span; a span in a headline says ``"in": "title"`` (its offsets are then into the title).

``warnings``: a list, empty for most stories; ``{"kind": "several_events", "detail": str,
"evidence": [{"sign": "event_days_apart"|"places_clash"|"weak_join", "detail": str, "articles":
[ids]}]}`` when the story shows signs of holding several events (:func:`mixed_warnings`).
``dropped``: every statement left out of the facts, ``{"slot", "article", "text", "reason",
"sources"}``, reasons ``empty_value`` (a value that says nothing is never a side of a conflict),
``pronoun_actor`` / ``common_noun_actor`` (an actor "someone", "herself", "blaze") and
``background_figure`` (a town's population).

Each fact also has ``other_readings``: the statements that are no side of it, ``{"value", "text",
"reason", "agrees", "articles", "outlets", "sources"}`` (see :mod:`crosswire.crosscheck.status`
for weak and soft readings; the reasons are named in :data:`crosswire.present.briefing.NOT_COUNTED`:
a dateline against a place the text gives, a day from a sentence about what came after the event,
a 0 nobody stated, a tally, a quotation, an outlet stating two values, ``several_events``...).
In a story flagged as several events a disagreement on a slot of the event is no conflict: the
fact keeps its leading value, is ``single_source`` and ``mixed: true``, the other sides are its
other readings (:func:`mixed_not_conflicts`).

:func:`crosscheck_changed` recomputes and caches (table ``briefings``) the record of every story
whose articles changed since it was last computed; it is the only writer (run by ``analyze``,
``group`` and ``run``). Reading commands take :func:`cached_briefing`, else
``crosscheck_story(..., persist=False)``, which computes the record in memory and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from crosswire.progress import SILENT, Progress
from crosswire.stories.corrections import resolve_story
from crosswire.stories.views import story_articles
from crosswire.times import utcnow_iso
from crosswire.crosscheck import align, event, internal, paraphrase, pubdates, quotes, status
from crosswire.crosscheck.align import Slot
from crosswire.crosscheck.pubdates import Dating, StoryArticle
from crosswire.crosscheck.reference import STAGE as REFERENCE_STAGE
from crosswire.crosscheck.reference import check_claims
from crosswire.crosscheck.status import Assessment, Observation
from crosswire.crosscheck.values import about_text, reader_text, value_text

STAGE = "crosscheck.v2"  # v2: containment, equal and empty values, deaths not injuries, warnings, dropped
SEVERAL_EVENTS_DAYS = 3  # strong event days this far apart: two events (the outlets' real disputes of a
# day on GVC train and dev are one day apart; three or more apart were always two events or a misreading)
VERSION = "|".join([STAGE, align.STAGE, status.STAGE, quotes.STAGE, internal.STAGE, pubdates.STAGE,
                    REFERENCE_STAGE, event.STAGE])


# ---------------------------------------------------------------- loading
def load_articles(store, story_id: str) -> list[StoryArticle]:
    """The story's articles in placement order, with facts, event records and prior inferences.
    Each is dated by its own day (metadata's local day, else its text's; never an inference)."""
    rows = store.conn.execute(
        "SELECT m.article_id, m.role, a.title, a.text, a.outlet, "
        "coalesce(p.published_local_day, p.published_text) AS published, "
        "CASE WHEN p.published_local_day IS NOT NULL THEN 'metadata' "
        "WHEN p.published_text IS NOT NULL THEN 'text' END AS published_source, p.published_text_rule, a.duplicate_of, "
        "n.event, n.published_evidence, n.analyzed_at FROM story_articles m JOIN articles a ON a.id = m.article_id "
        "JOIN article_published p ON p.article_id = a.id "
        "LEFT JOIN analyses n ON n.article_id = a.id WHERE m.story_id = ? ORDER BY m.seq", (story_id,)).fetchall()
    ids = [r["article_id"] for r in rows]
    facts: dict[str, list[dict]] = {i: [] for i in ids}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for f in store.conn.execute(
                f'SELECT id, article_id, kind, about, value, text, start, "end", stage, confidence, role, detail '
                f"FROM facts WHERE article_id IN ({marks}) ORDER BY article_id, start, \"end\", kind, id", chunk):
            facts[f["article_id"]].append({"id": f["id"], "article_id": f["article_id"], "kind": f["kind"],
                                           "about": f["about"], "value": json.loads(f["value"]), "text": f["text"],
                                           "start": f["start"], "end": f["end"], "stage": f["stage"],
                                           "confidence": f["confidence"], "role": f["role"],
                                           "detail": json.loads(f["detail"])})
    prev = pubdates.previous_rows(store, ids)
    out = []
    for r in rows:
        ev = json.loads(r["published_evidence"]) if r["published_evidence"] else None
        rule = r["published_text_rule"] or (ev or {}).get("rule") or next((f["detail"].get("rule") for f in facts[r["article_id"]]
                                              if f["kind"] == "published"), None)
        out.append(StoryArticle(r["article_id"], r["title"], r["text"], r["outlet"], r["published"],
                                r["published_source"], r["role"], r["duplicate_of"], facts[r["article_id"]],
                                json.loads(r["event"]) if r["event"] else {}, rule, r["analyzed_at"],
                                prev.get(r["article_id"])))
    return out


# ---------------------------------------------------------------- building the record
def _fact_id(story_id: str, key: str) -> str:
    return hashlib.sha256(f"{story_id}|{key}".encode()).hexdigest()[:16]


def _jsonable(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _group_value(slot: Slot, g: status.ValueGroup) -> Any:
    shown = {json.dumps(_jsonable(o.display), sort_keys=True) for o in g.observations}
    if len(shown) == 1:
        return _jsonable(g.observations[0].display)
    return _jsonable(slot.show(g.value) if slot.show else g.observations[0].display)


def _slot_value(slot: Slot, g: status.ValueGroup) -> Any:
    """The value a fact shows: the joint value when the slot has a ``show``, else as written."""
    if slot.show is not None and slot.kind in ("date", "time"):
        return slot.show(g.value)
    if slot.kind == "count":
        lo, hi = g.value
        vals = {o.display.get("value") for o in g.observations if isinstance(o.display, dict)}
        if lo is not None and lo == hi:
            return {"value": lo, "low": lo, "high": hi}
        single = next(iter(vals)) if len(vals) == 1 else None
        return {"value": single, "low": lo, "high": hi}
    if slot.kind == "place":
        return align._show_place(g.value)
    return _group_value(slot, g)


def _outlet_of(articles: dict[str, StoryArticle], aid: str) -> str:
    a = articles.get(aid)
    return (a.outlet if a and a.outlet else f"unknown outlet ({aid[:8]})")


def _fact_record(story_id: str, key: str, slot: Slot, assessment: Assessment,
                 by_id: dict[str, StoryArticle]) -> dict[str, Any]:
    groups = assessment.groups
    lead = groups[0]
    values = []
    for g in groups:
        values.append({"value": _slot_value(slot, g), "text": g.observations[0].text,
                       "independent_sources": len(g.sources_keys(assessment.keys)),
                       "articles": g.articles,
                       "outlets": list(dict.fromkeys(_outlet_of(by_id, a) for a in g.articles)),
                       "sources": [s for o in g.observations for s in o.sources]})
    sources = [s for g in groups for o in g.observations for s in o.sources]
    others = [{"value": _slot_value(slot, x.group), "text": x.group.observations[0].text, "reason": x.reason,
               "agrees": x.agrees, "articles": x.group.articles,
               "outlets": list(dict.fromkeys(_outlet_of(by_id, a) for a in x.group.articles)),
               "sources": [s for o in x.group.observations for s in o.sources]} for x in assessment.others]
    record = {"id": _fact_id(story_id, key), "kind": slot.kind, "about": slot.about,
              "value": values[0]["value"], "text": lead.observations[0].text, "status": assessment.status,
              "independent_sources": assessment.independent_sources, "sources": sources,
              "slot": slot.key, "values": values, "other_readings": others,
              "stored_facts": list(dict.fromkeys(fid for g in groups + [x.group for x in assessment.others]
                                                 for o in g.observations for fid in o.facts))}
    if slot.kind == "date":
        record["precision"] = lead.value[2] if isinstance(lead.value, tuple) else None
        derived = [o.article for g in groups for o in g.observations if o.detail.get("publication") == "inferred"]
        if derived:
            # these articles' days were read against a publication day the story implies: they agree
            # with the story's dating rather than confirm it on their own
            record["read_against_inferred_publication"] = list(dict.fromkeys(derived))
    return record


def _drop_empty(slots: list[Slot], dropped: list[dict[str, Any]]) -> list[Slot]:
    """Observations with an empty value are never a side: each is dropped with its reason, and a
    slot left with none is dropped."""
    out = []
    for slot in slots:
        keep = []
        for o in slot.observations:
            reason = o.detail.get("drop") or ("empty_value" if status.is_empty(o.value) or status.is_empty(o.display)
                                              else None)
            if reason:
                dropped.append({"slot": slot.key, "article": o.article, "text": o.text, "reason": reason,
                                "sources": o.sources})
            else:
                keep.append(o)
        slot.observations = keep
        if keep:
            out.append(slot)
    return out


def _slot_facts(story_id: str, slots: list[Slot], keys: dict[str, str], by_id: dict[str, StoryArticle],
                dropped: list[dict[str, Any]] | None = None) -> list[tuple[dict[str, Any], Slot, Assessment]]:
    """A fact per slot (see :func:`crosswire.crosscheck.status.assess`); a slot whose strong values
    all come from one source and disagree gives a fact per value ("five of the 10 counts": a
    source giving two values is no disagreement between sources; the internal checks judge it),
    and a count slot's values whose sentences share no words are facts of their own."""
    out = []
    for slot in slots:
        strong = [o for o in slot.observations if not status.weak_reason(o) and not status.soft_reason(o)]
        groups = status.group_values(sorted(strong, key=slot.order) if slot.order else strong, slot.merge)
        if len(groups) > 1 and len({status.source_key(o, keys) for o in strong}) < 2:
            weak = [o for o in slot.observations if status.weak_reason(o) or status.soft_reason(o)]
            for i, g in enumerate(groups):
                sub = status.assess(g.observations + (weak if i == 0 else []), slot.merge, keys, order=slot.order)
                out.append((_fact_record(story_id, slot.key + (f"#{i}" if i else ""), slot, sub, by_id), slot, sub))
            continue
        if slot.kind == "count" and slot.about not in ("killed", "injured") and len(groups) > 1:
            a = status.assess(strong, slot.merge, keys, order=slot.order)
            ordered = a.groups + [x.group for x in a.others]
            parts = align.split_by_context(slot, [g.observations for g in ordered])
            parts[0] = parts[0] + [o for o in slot.observations if status.weak_reason(o) or status.soft_reason(o)]
            for i, obs in enumerate(parts):
                sub = status.assess(obs, slot.merge, keys, order=slot.order)
                out.append((_fact_record(story_id, slot.key + (f"#{i}" if i else ""), slot, sub, by_id), slot, sub))
            continue
        a = status.assess(slot.observations, slot.merge, keys, order=slot.order)
        out.append((_fact_record(story_id, slot.key, slot, a, by_id), slot, a))
    return out


_UNNAMED = ""  # an unnamed or generic speaker ("police"): agrees with anyone, never a side


def _speaker_merge(a: Any, b: Any) -> Any:
    if not a:
        return b
    if not b:
        return a
    return a if quotes.same_speaker(a, b) is not False else None


def _media_channels(articles: list[StoryArticle], keys: dict[str, str]) -> dict[tuple[str, str], str]:
    """(article, channel) -> source key, for quotes an article says were given to a news outlet
    ("told the Baltic Herald"): that outlet is their source, whoever prints them."""
    outlets = {quotes.fold(a.outlet).removeprefix("the ").strip(): keys.get(a.id, a.id) for a in articles if a.outlet}
    out = {}
    for a in articles:
        media = {quotes.fold(f["value"] if isinstance(f["value"], str) else f["text"]).removeprefix("the ").strip()
                 for f in a.facts if f["kind"] == "entity" and (f.get("detail") or {}).get("kind") == "media"}
        for f in a.facts:
            ch = (f.get("value") or {}).get("channel") if f["kind"] in ("quote", "claim") else None
            if not ch:
                continue
            name = quotes.fold(ch).removeprefix("the ").strip()
            if name in media or name in outlets:
                out[(a.id, ch)] = outlets.get(name, f"outlet:{name}")
    return out


def _quote_records(story_id: str, clusters: list[quotes.QuoteCluster], keys: dict[str, str],
                   by_id: dict[str, StoryArticle]) -> tuple[list[dict], list[dict]]:
    quote_list, facts = [], []
    media = _media_channels(list(by_id.values()), keys)
    for c in clusters:
        rep = c.representative()
        groups = quotes.speaker_groups(c)
        sources = [{"article": m.article, "start": m.start, "end": m.end, "text": m.text} for m in c.members]
        obs = [Observation(m.article, m.key or _UNNAMED, m.text,
                           [{"article": m.article, "start": m.start, "end": m.end, "text": m.text}], [m.fact],
                           shown=m.speaker, source=media.get((m.article, m.channel)))
               for m in c.members]
        # unnamed speakers agree with anyone; named ones that differ are a conflict
        named = [o for o in obs if o.value]
        unnamed = [o for o in obs if not o.value]
        a = status.assess(named + unnamed, _speaker_merge, keys)
        key = f"{c.kind}:{rep.fact}"
        fid = _fact_id(story_id, key)
        speaker = groups[0]["speaker"]
        values = []
        for g in a.groups:
            who = next((o.display for o in g.observations if o.display), None)
            values.append({"value": {"speaker": who}, "text": g.observations[0].text,
                           "independent_sources": len(g.sources_keys(keys)), "articles": g.articles,
                           "outlets": list(dict.fromkeys(_outlet_of(by_id, x) for x in g.articles)),
                           "sources": [s for o in g.observations for s in o.sources]})
        facts.append({"id": fid, "kind": c.kind, "about": speaker or "unknown",
                      "value": {"speaker": speaker, "speaker_title": groups[0]["speaker_title"], "text": rep.text},
                      "text": rep.text, "status": a.status, "independent_sources": a.independent_sources,
                      "sources": sources, "slot": key, "values": values,
                      "other_readings": [{"value": {"speaker": next((o.display for o in x.group.observations
                                                                     if o.display), None)},
                                          "text": x.group.observations[0].text, "reason": x.reason,
                                          "agrees": x.agrees, "articles": x.group.articles,
                                          "outlets": list(dict.fromkeys(_outlet_of(by_id, y)
                                                                        for y in x.group.articles)),
                                          "sources": [s for o in x.group.observations for s in o.sources]}
                                         for x in a.others],
                      "stored_facts": [m.fact for m in c.members]})
        if c.kind == "quote":
            quote_list.append({"id": fid, "speaker": speaker, "speaker_title": groups[0]["speaker_title"],
                               "text": rep.text, "sources": sources, "status": a.status,
                               "independent_sources": a.independent_sources,
                               "speakers": [{"speaker": g["speaker"], "speaker_title": g["speaker_title"],
                                             "articles": list(dict.fromkeys(m.article for m in g["members"]))}
                                            for g in groups]})
            if c.note:  # matched across languages (quotes.across_languages)
                quote_list[-1]["note"] = facts[-1]["note"] = c.note
    return quote_list, facts


def _said(f: dict, value: Any) -> str:
    text = reader_text(value, f["kind"])
    return f"“{text}”" if f["kind"] in ("name", "quote", "claim") and text else text


def _about(f: dict) -> str:
    if f["kind"] in ("quote", "claim"):
        who = f["about"] if f["about"] != "unknown" else "an unnamed speaker"
        return f"who said “{' '.join(str(f.get('text') or '').split()[:8])}…” ({who})"
    return about_text(f["kind"], f["about"])


def _cross_checks(facts: list[dict]) -> list[dict]:
    """A check per fact stated by two or more sources: consistent, or inconsistent with each side
    (a value and its outlets) named as a reader would say it."""
    out = []
    for f in facts:
        if len(f["values"]) > 1:
            competing = "; ".join(f"{_said(f, v['value'])} ({', '.join(v['outlets'])})" for v in f["values"])
            out.append({"kind": "cross_source", "verdict": "inconsistent", "facts": [f["id"]],
                        "detail": f"{_about(f)}: the sources disagree: {competing}"})
        elif f["independent_sources"] >= 2 and f["kind"] not in ("actor",):
            out.append({"kind": "cross_source", "verdict": "consistent", "facts": [f["id"]],
                        "detail": f"{_about(f)}: {f['independent_sources']} independent sources agree "
                                  f"on {_said(f, f['value'])}"})
    return out


def _event(articles: list[StoryArticle], built: list[tuple[dict[str, Any], Slot, Assessment]],
           voted_place: list[dict[str, Any]]) -> dict[str, Any]:
    """The record's ``event``, voted across the reports (:mod:`crosswire.crosscheck.event`)."""
    return event.story_event(articles, {slot.key: slot for _, slot, _ in built}, [f for f, _, _ in built],
                             voted_place)


def _timeline(facts: list[dict], articles: list[StoryArticle], datings: dict[str, Dating]) -> list[dict]:
    out = []
    for f in facts:
        if f["slot"] in ("date:event.start", "date:event.end", "time:event.time"):
            for v in f["values"]:
                out.append({"date": v["value"], "what": f["about"], "fact": f["id"], "status": f["status"],
                            "outlets": v["outlets"], "sources": v["sources"]})
    for a in articles:
        d = datings.get(a.id)
        if d is None:
            continue
        if d.published is not None or d.low is not None:
            out.append({"date": (d.published or d.low).isoformat() if d.published or d.low else None,
                        "until": d.high.isoformat() if d.published is None and d.high else None,
                        "what": "published", "article": a.id, "outlet": a.outlet,
                        "source": "inferred" if d.inference else a.published_source})
    return sorted(out, key=lambda x: (str(x["date"]), x["what"]))


def _day_or_range(d: Dating) -> str | None:
    """An article's publication day, else the ISO interval of days the story allows, else None."""
    if d.published:
        return d.published.isoformat()
    if d.low and d.high:
        return f"{d.low.isoformat()}/{d.high.isoformat()}"
    return None


def _reference(articles: list[StoryArticle], datings: dict[str, Dating], slot_of: dict[str, str]
               ) -> tuple[list[dict], list[dict]]:
    facts = [f for a in articles if not a.duplicate_of for f in a.facts]
    published = {a.id: _day_or_range(datings[a.id]) for a in articles if not a.duplicate_of}
    texts = {a.id: a.text for a in articles if not a.duplicate_of}
    checks, unverified = [], []
    for c in check_claims(facts, published, texts):
        c = dict(c)
        c["stored_facts"] = c.get("facts", [])
        c["facts"] = list(dict.fromkeys(slot_of[x] for x in c["stored_facts"] if x in slot_of))
        (unverified if c["verdict"] == "unverifiable" else checks).append(c)
    return checks, unverified


def _join_threshold() -> float | None:
    from crosswire.stories.model import load_model

    try:
        return load_model().threshold
    except Exception:  # noqa: BLE001 - no model shipped: the join sign is left out, the others stand
        return None


def mixed_warnings(facts: list[dict[str, Any]], articles_json: list[dict], slots: list[Slot],
                   threshold: float | None) -> list[dict[str, Any]]:
    """Signs that a story holds several events: the days its reports give the event lie
    ``SEVERAL_EVENTS_DAYS`` or more apart, its event place is in conflict (after containment has
    reconciled towns, counties and states), or an article joined it below the story model's
    threshold. One warning ``{"kind": "several_events", "detail", "evidence": [...]}`` with every
    sign found, each ``{"sign", "detail", "articles"}``; none when there is no sign."""
    evidence: list[dict[str, Any]] = []
    start = next((s for s in slots if s.key == "date:event.start"), None)
    days: dict[Any, list[str]] = {}
    for o in start.observations if start else []:
        if status.weak_reason(o) or status.soft_reason(o):
            continue  # a death day or a hearing day is no sign of another event
        d = align.day_of(o.value)
        if d is not None:
            days.setdefault(d, []).append(o.article)
    if days and (max(days) - min(days)).days >= SEVERAL_EVENTS_DAYS:
        listed = sorted(days)
        evidence.append({"sign": "event_days_apart",
                         "detail": f"the reports date the event {_and([d.isoformat() for d in listed])}, "
                                   f"{(listed[-1] - listed[0]).days} days apart",
                         "articles": list(dict.fromkeys(a for d in listed for a in days[d]))})
    place = next((f for f in facts if f.get("slot") == "place:event.where" and f["status"] == "conflict"), None)
    if place is not None:
        names = [f"{value_text(v['value'])} ({', '.join(v['outlets'])})" for v in place["values"]]
        evidence.append({"sign": "places_clash", "detail": f"the reports place the event in {_and(names)}",
                         "articles": [a for v in place["values"] for a in v["articles"]]})
    for a in articles_json:
        why = a.get("why") or {}
        p = why.get("probability")
        if why.get("decision") == "joined" and threshold is not None and isinstance(p, int | float) and p < threshold:
            clashes = why.get("clashes") or []
            evidence.append({"sign": "weak_join",
                             "detail": f"“{a.get('title') or a['id']}” joined with probability {p:.2f}, below the "
                                       f"story model's threshold {threshold:.2f}"
                                       + (f" (clashes: {'; '.join(clashes)})" if clashes else ""),
                             "articles": [a["id"]]})
    if not evidence:
        return []
    return [{"kind": "several_events",
             "detail": "this story may mix several events: " + "; ".join(e["detail"] for e in evidence),
             "evidence": evidence}]


EVENT_SLOTS = ("date:event.start", "date:event.end", "time:event.time", "place:event.where",
               "count:killed", "count:injured")


def mixed_not_conflicts(facts: list[dict[str, Any]], warnings: list[dict[str, Any]]) -> None:
    """In a story flagged as several events, a disagreement on a slot of the event (its day, time,
    place, toll) is evidence of the mix, not two sources disputing one event: the fact keeps its
    leading value, the other sides become other readings with the reason ``several_events`` (the
    warning at the top cites them), and it is ``single_source``: the value is not confirmed for
    the event, whose reports disagree (so is a fact with any other reading that disagrees, and
    each fact of a slot one outlet gave two values). ``mixed: true`` marks such a fact."""
    if not any(w.get("kind") == "several_events" for w in warnings):
        return
    per_slot = Counter(f.get("slot") for f in facts)
    for f in facts:
        if f.get("slot") not in EVENT_SLOTS:
            continue
        if per_slot[f.get("slot")] > 1:
            pass  # one outlet's articles gave two values: a fact each, neither confirmed for the event
        elif f["status"] == "conflict":
            lead, rest = f["values"][0], f["values"][1:]
            f["other_readings"] = [{**{k: v[k] for k in ("value", "text", "articles", "outlets", "sources")},
                                    "reason": "several_events", "agrees": False} for v in rest] + f.get("other_readings", [])
            f["values"] = [lead]
            f["independent_sources"] = lead["independent_sources"]
            f["sources"] = list(lead["sources"])
        elif not any(not o["agrees"] for o in f.get("other_readings", [])):
            continue
        f["status"] = "single_source"
        f["mixed"] = True


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def build_record(story_id: str, title: str, articles_json: list[dict], articles: list[StoryArticle],
                 datings: dict[str, Dating]) -> dict[str, Any]:
    """The show-JSON record of a story from its loaded articles (no store access)."""
    by_id = {a.id: a for a in articles}
    meta = [{"id": a.id, "outlet": a.outlet, "duplicate_of": a.duplicate_of if a.duplicate_of in by_id or
             a.duplicate_of else None, "role": a.role} for a in articles]
    keys = status.independence_keys(meta)
    dropped: list[dict[str, Any]] = []
    voted_place = event.vote_where(articles, None)  # once: the place slot and the event read it
    slots = _drop_empty(align.build_slots(articles, datings, voted_place), dropped)
    built = _slot_facts(story_id, slots, keys, by_id, dropped)
    facts = [f for f, _, _ in built]
    utterances = [quotes.utterance_from_fact(f) for a in articles for f in a.facts if f["kind"] in ("quote", "claim")]
    clusters = paraphrase.join(quotes.match(utterances), articles)  # one claim in other words: one item
    quote_list, quote_facts = _quote_records(story_id, clusters, keys, by_id)
    facts += quote_facts
    status.mark_languages(facts, {a["id"]: a.get("language") for a in articles_json}, keys)
    slot_of = {sf: f["id"] for f in facts for sf in f["stored_facts"]}
    end_facts: dict[str, list] = {}
    for f, slot, _ in built:
        if slot.key == "date:event.end":
            for o in slot.observations:
                for fid in o.facts:
                    sf = next((x for x in by_id[o.article].facts if x["id"] == fid), None)
                    if sf is not None:
                        end_facts.setdefault(o.article, []).append((sf, o.value))
    warnings = mixed_warnings(facts, articles_json, slots, _join_threshold())
    mixed_not_conflicts(facts, warnings)
    checks = _cross_checks(facts)
    for c in internal.internal_checks(articles, datings, end_facts):
        c["stored_facts"] = c["facts"]
        c["facts"] = list(dict.fromkeys(slot_of[x] for x in c["stored_facts"] if x in slot_of))
        checks.append(c)
    ref, unverified = _reference(articles, datings, slot_of)
    checks += ref
    columns = status.outlet_columns(meta, keys)
    rows = []
    for f in facts:
        lead = set(f["values"][0]["articles"])
        other = {x for v in f["values"][1:] for x in v["articles"]}
        cells = {}
        for col in columns:
            arts = set(col["articles"])
            cells[col["outlet"]] = "conflicts" if arts & other else "agrees" if arts & lead else "silent"
        rows.append({"fact": f["id"], "kind": f["kind"], "about": f["about"], "status": f["status"], "cells": cells})
    inferred = [{"article": aid, **d.inference} for aid, d in datings.items() if d.inference]
    counts = Counter(f["status"] for f in facts)
    return {
        "id": story_id, "title": title, "articles": articles_json,
        "event": _event(articles, built, voted_place), "facts": facts, "quotes": quote_list, "checks": checks,
        "matrix": {"outlets": columns, "rows": rows},
        "timeline": _timeline(facts, articles, datings),
        "published_inferred": inferred, "unverified": unverified,
        "warnings": warnings, "dropped": dropped,
        "summary": {"facts": len(facts), **{s: counts.get(s, 0) for s in status.STATUSES},
                    "checks": Counter(f"{c['kind']}:{c['verdict']}" for c in checks),
                    "unverified": len(unverified), "version": VERSION},
    }


def crosscheck_story(store, story_id: str, *, persist: bool = True) -> dict[str, Any]:
    """The cross-checked record of one story (``crosswire show STORY --format json``); with
    ``persist`` the publication days the story implies are stored on their articles first, without
    it nothing is written (a store opened read-only can answer)."""
    sid = resolve_story(store, story_id)
    row = store.conn.execute("SELECT title FROM stories WHERE id = ?", (sid,)).fetchone()
    articles = load_articles(store, sid)
    datings = pubdates.infer(articles)
    if persist:
        pubdates.save(store, sid, articles, datings)
    articles_json = story_articles(store, sid)
    return build_record(sid, row["title"], articles_json, articles, datings)


# ---------------------------------------------------------------- the cache
def articles_hash(store, story_id: str) -> str:
    """What a story's record depends on: its members, their copies, analyses and dates, and the
    versions of the cross-check stages."""
    h = hashlib.sha256(VERSION.encode())
    for r in store.conn.execute(
            "SELECT m.article_id, m.role, a.duplicate_of, a.published, a.published_source, n.pipeline, n.analyzed_at "
            "FROM story_articles m JOIN articles a ON a.id = m.article_id LEFT JOIN analyses n "
            "ON n.article_id = a.id WHERE m.story_id = ? ORDER BY m.article_id", (story_id,)):
        h.update(json.dumps(list(r)).encode())
    row = store.conn.execute("SELECT title FROM stories WHERE id = ?", (story_id,)).fetchone()
    h.update((row["title"] if row else "").encode())
    return h.hexdigest()


@dataclass
class CrosscheckSummary:
    """What one ``crosscheck_changed`` run did."""

    stories: int = 0
    computed: int = 0
    unchanged: int = 0
    removed: int = 0
    published_inferred: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def crosscheck_changed(store, progress: Progress = SILENT) -> CrosscheckSummary:
    """Recompute and cache the record of every active story whose articles changed; drop the
    records of stories that are gone or merged. A story that fails is recorded with its error
    and the run goes on."""
    started = time.perf_counter()
    out = CrosscheckSummary()
    ids = [r[0] for r in store.conn.execute("SELECT id FROM stories WHERE status = 'active' ORDER BY id")]
    out.stories = len(ids)
    cached = {r[0]: r[1] for r in store.conn.execute("SELECT story_id, articles_hash FROM briefings")}
    with store.transaction() as c:
        gone = [sid for sid in cached if sid not in set(ids)]
        c.executemany("DELETE FROM briefings WHERE story_id = ?", [(sid,) for sid in gone])
    out.removed = len(gone)
    progress.start(f"cross-checking {len(ids)} stories", len(ids))
    for sid in ids:
        if cached.get(sid) == articles_hash(store, sid):
            out.unchanged += 1
            progress.advance()
            continue
        try:
            record = crosscheck_story(store, sid, persist=True)
        except Exception as exc:  # noqa: BLE001 - one bad story must not stop the others; recorded
            out.failed.append({"story": sid, "reason": "internal_error", "detail": f"{type(exc).__name__}: {exc}"})
            progress.advance()
            continue
        out.published_inferred += sum(1 for p in record["published_inferred"] if p["precision"] == "day")
        with store.transaction() as c:
            c.execute("INSERT OR REPLACE INTO briefings(story_id, json, computed_at, articles_hash) VALUES (?,?,?,?)",
                      (sid, json.dumps(record, ensure_ascii=False), utcnow_iso(), articles_hash(store, sid)))
        out.computed += 1
        progress.advance()
    progress.stop()
    out.seconds = round(time.perf_counter() - started, 3)
    return out


def cached_briefing(store, story_id: str) -> dict[str, Any] | None:
    """The cached record of a story, or None when it was never computed or is out of date."""
    sid = resolve_story(store, story_id)
    row = store.conn.execute("SELECT json, articles_hash FROM briefings WHERE story_id = ?", (sid,)).fetchone()
    if row is None or row["articles_hash"] != articles_hash(store, sid):
        return None
    return json.loads(row["json"])
