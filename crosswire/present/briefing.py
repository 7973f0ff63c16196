"""The briefing of one story, from the view ``crosswire show --format json`` gives (INTERFACE.md),
as Markdown, one self-contained HTML page, or the JSON itself.

:func:`outline` reads the view once into what the briefing says: statements, each with the numbers
of the articles it rests on (the article list is the reference list: [1] is the view's first
article). Both renderers only lay the outline out, so every statement of either cites its sources:
the event, the headline facts with their status, the fact x outlet matrix, the timeline, the places
(an inline SVG map in HTML), the quotes, the checks, what could not be verified, and each article
with the boilerplate cleaning removed from it.

Keys read besides the contract, as :func:`crosswire.crosscheck.story.crosscheck_story` gives them:
``matrix``, ``timeline``, ``unverified`` (the same item twice is said once), ``published_inferred``,
``warnings`` (shown first, with each piece of evidence cited); a fact's value groups
(``values``, each with ``value``, ``text``, ``sources``); a quote's ``status`` and ``speakers``; a
check's ``check``, ``article``, ``span``, ``claimed``, ``computed``, ``tolerance``; an article's
``role`` or ``duplicate_of``. Article text is never trusted: HTML escapes all of it (a
``<script>`` shows as text) and links only http(s) URLs; Markdown escapes its markup characters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape
from typing import Any

from crosswire.crosscheck.values import reader_text, record_text, value_text
from crosswire.present.svgmap import svg_map

__all__ = ["story_view", "outline", "value_text", "render_markdown", "render_html", "render_json", "html_section",
           "html_page", "CSS"]

CONTRACT_KEYS = ("id", "title", "articles", "event", "facts", "quotes", "checks")
STATUS = {"corroborated": "corroborated", "single_source": "single source", "conflict": "conflict"}
CELL = {"agrees": "agrees", "conflicts": "conflicts", "silent": "—"}
DATE_SOURCE = {"metadata": "from metadata", "text": "from the text", "inferred": "inferred"}
HEADLINE = 12  # facts shown before the rest fold away (HTML)
_STATUS_ORDER = {"conflict": 0, "corroborated": 1, "single_source": 2}
ABOUT = {"event.when": "date", "event.start": "date", "event.end": "end", "event.time": "time", "event.where": "place"}
TIMELINE = {"event.start": "the event began", "event.end": "the event ended", "event.time": "time of the event",
            "published": "published"}


# ---------------------------------------------------------------- the outline
class _Refs:
    """Article ids -> citation numbers (1-based, in the view's order)."""

    def __init__(self, articles: list[dict[str, Any]]) -> None:
        self.articles = list(articles)
        self.number = {a["id"]: i + 1 for i, a in enumerate(self.articles)}

    def __call__(self, sources: Iterable[Any]) -> list[int]:
        nums = set()
        for s in sources or ():
            aid = s.get("article") if isinstance(s, dict) else s
            if aid is None:
                continue
            if aid not in self.number:  # cited but not listed: listed now, never dropped
                self.articles.append({"id": aid, "note": "not among the story's articles"})
                self.number[aid] = len(self.articles)
            nums.add(self.number[aid])
        return sorted(nums)

    def all(self) -> list[int]:
        return list(range(1, len(self.articles) + 1))


def _pairs(value: Any) -> str:
    """A check's claimed, computed or tolerance record in a reporter's words (``63.4 km``)."""
    return record_text(value)


def _label(fact: dict[str, Any]) -> str:
    """``killed: 3``, ``where: Gdańsk``, ``Tomasz Wierzbicki: commander of ...``, ``Orlexa Chemicals said``."""
    about = str(fact.get("about") or fact.get("kind") or "fact")
    about = ABOUT.get(about, about.removeprefix("event.")).split(":", 1)[-1].replace("_", " ")
    if fact.get("kind") in ("quote", "claim") and not isinstance(fact.get("value"), str):
        return f"{'an unnamed speaker' if about == 'unknown' else about} said"
    return f"{about}: {reader_text(fact.get('value'), fact.get('kind'))}"


def _row_label(fact: dict[str, Any]) -> str:
    """A matrix row's label: a quote's or claim's first words tell it from the speaker's others."""
    if fact.get("kind") not in ("quote", "claim") or isinstance(fact.get("value"), str):
        return _label(fact)
    words = _one_line(fact.get("text")).split()
    return f"{_label(fact)} “{' '.join(words[:7])}{'…' if len(words) > 7 else ''}”"


def _stmt(text: str, cite: list[int], quote: str | None = None, *, badge: tuple[str, str] | None = None,
          note: str | None = None, values: dict[str, str] | None = None,
          sub: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """One statement: its ``text``, the article ``quote`` it rests on, the sources it ``cite``s, a
    status ``badge`` (css class, words), a ``note``, computed ``values`` and ``sub``-statements."""
    return {"text": text, "quote": quote, "cite": cite, "badge": badge, "note": note, "values": values or {},
            "sub": sub or [], **extra}


def _leading(fact: dict[str, Any]) -> list[Any]:
    """The sources of the value a fact shows (of its leading group when the sources disagree)."""
    values = fact.get("values") or []
    return (values[0].get("sources") if values else None) or fact.get("sources") or []


def _sources_of(items: Iterable[dict[str, Any]]) -> list[Any]:
    return [s for item in items for s in item.get("sources") or []]


def _located(p: dict[str, Any]) -> bool:
    return all(isinstance(p.get(k), int | float) and not isinstance(p.get(k), bool) for k in ("lat", "lon"))


def _period(text: str) -> str:
    text = _one_line(text)
    return text if not text or text[-1] in ".!?" else text + "."


def _place(p: dict[str, Any], role: str, cite: list[int]) -> dict[str, Any]:
    name, country = str(p.get("name") or "?"), p.get("country")
    at = f", {p['lat']:.3f}, {p['lon']:.3f}" if _located(p) else ", no coordinates"
    return _stmt(f"{name}{f' ({country})' if country else ''}{at}.", cite,
                 badge=(role, role),
                 name=name, country=country, lat=p.get("lat"), lon=p.get("lon"), role=role)


def _places(view: dict[str, Any], refs: _Refs, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The event's places, then the other places the facts name, each cited by the facts naming it."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for f in facts:
        if f.get("kind") == "place" and isinstance(f.get("value"), dict):
            by_name.setdefault(str(f["value"].get("name")), []).append(f)
    out = [_place(p, "event", refs([s for f in by_name.get(str(p.get("name")), []) for s in _leading(f)]) or refs.all())
           for p in (view.get("event") or {}).get("where") or []]
    seen = {p["name"] for p in out}
    out += [_place(named[0]["value"], "mentioned", refs(_sources_of(named)))
            for name, named in by_name.items() if name not in seen]
    return out


def _check(c: dict[str, Any], refs: _Refs, fact_sources: dict[str, list[Any]]) -> dict[str, Any]:
    """A check cites the article it read (a reference or internal check), else its facts' sources."""
    sources = [c["article"]] if c.get("article") else [s for f in c.get("facts") or [] for s in fact_sources.get(f, [])]
    kind = str(c.get("kind") or "check").replace("_", "-")
    if c.get("check"):
        kind += f" ({c['check'].replace('_', ' ')})"
    values = {k: _pairs(c[k]) for k in ("claimed", "computed", "tolerance") if c.get(k) is not None}
    verdict = str(c.get("verdict") or "?")
    return _stmt(f"{kind}: {c.get('detail') or verdict}", refs(sources) or refs.all(),
                 quote=(c.get("span") or {}).get("text"), badge=(verdict, verdict), values=values)


WARNING = {"several_events": "This story may mix several events"}
SIGN = {"event_days_apart": "event days apart", "places_clash": "places clash", "weak_join": "weak join"}


def _warning(w: dict[str, Any], refs: _Refs) -> dict[str, Any]:
    """A warning of the record (``warnings``: ``{"kind", "detail", "evidence": [{"sign", "detail",
    "articles"}]}``) with each piece of evidence cited."""
    evidence = w.get("evidence") or []
    head = WARNING.get(str(w.get("kind")), str(w.get("kind") or "warning").replace("_", " "))
    return _stmt(f"{head}: read its facts with care.", refs([a for e in evidence for a in e.get("articles") or []])
                 or refs.all(), badge=("conflict", "warning"),
                 sub=[_stmt(_period(str(e.get("detail") or "")[:1].upper() + str(e.get("detail") or "")[1:]),
                            refs(e.get("articles") or []) or refs.all(),
                            badge=("single_source", SIGN.get(str(e.get("sign")), str(e.get("sign") or "sign"))))
                      for e in evidence])


def _once(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements said once: the same words twice are one statement citing both sources."""
    out: dict[tuple, dict[str, Any]] = {}
    for s in items:
        key = (s["text"], s.get("quote"))
        if key in out:
            out[key]["cite"] = sorted(set(out[key]["cite"]) | set(s["cite"]))
        else:
            out[key] = s
    return list(out.values())


def _inferred(view: dict[str, Any]) -> dict[str, str]:
    """Article id -> how its publication date was inferred, in words (``published_inferred``:
    ``{"article", "precision", "low", "high", "evidence": [{"detail"|"text"}]}`` each)."""
    out = {}
    for item in view.get("published_inferred") or []:
        bits = [f"between {item['low']} and {item['high']}"] if item.get("precision") == "range" else []
        bits += [_one_line(e.get("detail") or (f"from “{e['text']}”" if e.get("text") else ""))
                 for e in item.get("evidence") or [] if isinstance(e, dict)]
        out[item.get("article")] = "; ".join(b for b in bits if b)
    return out


def _is_copy(a: dict[str, Any]) -> bool:
    return a.get("role") == "copy" or bool(a.get("duplicate_of"))


def _lead(view: dict[str, Any], refs: _Refs, facts: list[dict[str, Any]],
          places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What, when and where (the event record is read from all the reports), how many reports, and
    how the facts stand."""
    event = view.get("event") or {}
    kind, when = event.get("type") or {}, event.get("when") or {}
    everyone = refs.all()
    lead = []
    if kind.get("label") or kind.get("cameo"):
        cameo = f" (CAMEO {kind['cameo']})" if kind.get("cameo") else ""
        lead.append(_stmt(f"What: {kind.get('label') or 'event'}{cameo}.", everyone))
    if when.get("start"):
        span = when["start"] + (f" to {when['end']}" if when.get("end") not in (None, when["start"]) else "")
        dated = [f for f in facts if f.get("about") in ("event.when", "event.start", "event.end")]
        lead.append(_stmt(f"When: {span}.", refs([s for f in dated for s in _leading(f)]) or everyone))
    at = [p for p in places if p["role"] == "event"]
    if at:
        names = "; ".join(p["name"] + (f" ({p['country']})" if p.get("country") else "") for p in at)
        lead.append(_stmt(f"Where: {names}.", sorted({n for p in at for n in p["cite"]})))
    n, copies = len(refs.articles), sum(1 for a in refs.articles if _is_copy(a))
    outlets = len({a.get("outlet") for a in refs.articles if a.get("outlet")})
    source = f" from {outlets} outlet{'s' * (outlets != 1)}" if outlets else ", outlet unknown"
    unknown = sum(1 for a in refs.articles if not a.get("outlet"))
    if outlets and unknown:
        source += f" and {unknown} of unknown outlet"
    lead.append(_stmt(f"{n} report{'s' * (n != 1)}{source}"
                      + (f", {copies} of them a copy of another report." if copies else "."), everyone))
    if facts:
        tally = {s: sum(1 for f in facts if f.get("status") == s) for s in STATUS}
        lead.append(_stmt(f"{tally['corroborated']} fact{'s' * (tally['corroborated'] != 1)} corroborated, "
                          f"{tally['single_source']} from a single source, {tally['conflict']} in conflict.",
                          refs(_sources_of(facts))))
    return lead


# why a reading that disagrees is not a side (``other_readings[].reason``), as a reader would say it
NOT_COUNTED = {
    "several_events": "the story may mix several events (see the warning)",
    "outlet_contradicts_itself": "an outlet that also states the value above",
    "outlet_states_both_sides": "an outlet that also states a side above",
    "dateline_against_a_place_in_the_text": "a dateline (where the outlet files from)",
    "place_not_bound_to_event": "a place not said to be where it happened (a street, a hometown, a name)",
    "gazetteer_alias": "a name read as a place by an alias",
    "wire_dateline": "a wire dateline's day",
    "not_the_event_sentence": "a day from a sentence about what came after the event",
    "relative_to_another_day": "a day named only to place another",
    "no_am_or_pm": "a clock time without a.m. or p.m.",
    "zero_not_stated": "a zero no report states",
    "figure_not_stated": "a figure worked out, not stated",
    "vague_count": "a wording that only bounds the figure",
    "toll_before_a_death": "the toll before a later death",
    "tally_of_several_events": "a tally of several events",
    "tally_over_a_period": "a tally over a period",
    "inside_a_quote": "words inside a quotation",
}


def _fact(f: dict[str, Any], refs: _Refs) -> dict[str, Any]:
    """A fact with its status; when the sources disagree, each value with its own sources; a
    reading that disagrees but is no side, with why it is not counted."""
    n = f.get("independent_sources")
    status = str(f.get("status") or "?")
    sub = [_stmt(reader_text(v.get("value"), f.get("kind")), refs(v.get("sources")), quote=v.get("text"))
           for v in f.get("values") or []] if len(f.get("values") or []) > 1 else []
    sub += [_stmt(f"Also read: {reader_text(o.get('value'), f.get('kind'))}; not counted: "
                  f"{NOT_COUNTED.get(o.get('reason'), o.get('reason'))}.", refs(o.get("sources")), quote=o.get("text"))
            for o in f.get("other_readings") or [] if not o.get("agrees")]
    label = _label(f)
    if f.get("kind") == "claim" and not isinstance(f.get("value"), str):
        label, wordings = _claim_label(f, label, refs)
        sub = wordings + sub
    return _stmt(_period(label), refs(f.get("sources")), quote=f.get("text"),
                 badge=(status, STATUS.get(status, status)),
                 note=None if n is None else f"{n} independent source{'s' * (n != 1)}" + _across(f), sub=sub,
                 id=f.get("id"))


def _across(f: dict[str, Any]) -> str:
    """", only across languages (English and Russian)" for a fact no two sources of one language
    corroborate; "; same speaker, different language" for a quote matched across languages."""
    if f.get("corroboration") == "across_languages":
        names = [language_name(x) or x for x in f.get("languages") or []]
        return f", only across languages ({_and(names)})"
    return f"; {f['note']}" if f.get("note") else ""


def _claim_label(f: dict[str, Any], label: str, refs: _Refs) -> tuple[str, list[dict[str, Any]]]:
    """A reported claim is one item: its speaker, every outlet that reports it, and each other
    wording an outlet gives it (:mod:`crosswire.crosscheck.paraphrase`), cited."""
    cite = refs(f.get("sources"))
    outlets = sorted({str(refs.articles[n - 1].get("outlet") or "unknown outlet") for n in cite})
    shown = " ".join(str(f.get("text") or "").split())
    wordings: dict[str, list[Any]] = {}
    for s in f.get("sources") or []:
        text = " ".join(str(s.get("text") or "").split())
        if text and text != shown:
            wordings.setdefault(text, []).append(s)
    return (f"{label}, reported by {_and(outlets)}",
            [_stmt("In other words:", refs(sources), quote=text) for text, sources in wordings.items()])


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _headline_order(f: dict[str, Any]) -> tuple[int, int, int]:
    """The event's own facts first, then conflicts, corroborated facts, single-source ones; the
    more independent sources the earlier."""
    return (not str(f.get("about") or "").startswith("event."), _STATUS_ORDER.get(f.get("status"), 3),
            -(f.get("independent_sources") or 0))


def _column(o: dict[str, Any]) -> str:
    """A matrix column's heading: the outlet (a column of copies only says so)."""
    copies = o.get("copies") or []
    return str(o.get("outlet")) + (" (copy)" if copies and len(copies) == len(o.get("articles") or []) else "")


def _timeline(view: dict[str, Any], refs: _Refs) -> list[dict[str, Any]]:
    """Dated entries in order; an event time alone is shown on the event's day."""
    day = ((view.get("event") or {}).get("when") or {}).get("start")
    out = []
    for t in view.get("timeline") or []:
        when = value_text(t.get("date")) or None
        if when and day and re.fullmatch(r"\d\d:\d\d(:\d\d)?", when):
            when = f"{day} {when}"
        if t.get("until") and t["until"] != when:
            when = f"{when} to {t['until']}"
        what = TIMELINE.get(t.get("what"), str(t.get("what") or "").replace("_", " "))
        if t.get("what") == "published":
            what = f"{t.get('outlet') or 'an unknown outlet'} published" + (
                f" ({DATE_SOURCE.get(t.get('source'), t.get('source'))})" if t.get("source") else "")
        status = t.get("status")
        cite = refs(t.get("sources") or ([t["article"]] if t.get("article") else [])) or refs.all()
        out.append(_stmt(f"{when or 'undated'}: {_period(what)}", cite, date=when, label=_period(what),
                         badge=(status, STATUS[status]) if status == "conflict" else None))
    return sorted(out, key=lambda t: (t["date"] is None, t["date"] or ""))


def _quote(q: dict[str, Any], refs: _Refs) -> dict[str, Any]:
    cite = refs(q.get("sources"))
    by = _speaker(q.get("speaker") or "unnamed speaker", q.get("speaker_title"))
    outlets = sorted({refs.articles[n - 1].get("outlet") or "unknown outlet" for n in cite})
    status, n = q.get("status"), q.get("independent_sources")
    others = [(g.get("speaker") or "an unnamed speaker", g.get("speaker_title"), g.get("articles"))
              for g in q.get("speakers") or [] if g.get("speaker") != q.get("speaker")]
    return _stmt(f"{by}, quoted by {', '.join(outlets)}.", cite, quote=q.get("text"),
                 badge=(status, STATUS.get(status, status)) if status else None,
                 note=None if n is None else f"{n} independent source{'s' * (n != 1)}" + _across(q),
                 sub=[_stmt(f"Attributed to {_speaker(name, title)}.", refs(arts)) for name, title, arts in others])


def _speaker(name: str, title: str | None) -> str:
    return f"{name}, {title}" if title else name


def language_name(code: str | None) -> str | None:
    """A source's language as a reader knows it ("ru" -> "Russian"), the code when unknown."""
    if not code:
        return None
    import pycountry

    found = pycountry.languages.get(alpha_2=code)
    return found.name if found is not None else code


def _source(n: int, a: dict[str, Any], inferred: dict[str, str]) -> dict[str, Any]:
    return {"n": n, "id": a["id"], "outlet": a.get("outlet"), "title": a.get("title"), "url": a.get("url"),
            "language": a.get("language"), "language_name": language_name(a.get("language")),
            "authors": a.get("authors") or [], "published": a.get("published"),
            "published_source": a.get("published_source"), "copy": _is_copy(a),
            "inferred": inferred.get(a["id"]), "note": a.get("note"),
            "removed": [_stmt("", [n], quote=r.get("text"), badge=("reason", f"removed: {r.get('reason')}"))
                        for r in a.get("removed") or []]}


def outline(view: dict[str, Any]) -> dict[str, Any]:
    """What the briefing says, as plain data: each statement with the article numbers it cites."""
    refs = _Refs(view.get("articles") or [])
    facts = view.get("facts") or []
    fact_sources = {f.get("id"): f.get("sources") or [] for f in facts}
    matrix = view.get("matrix") or {}
    places = _places(view, refs, facts)
    quoted = {q.get("id") for q in view.get("quotes") or [] if q.get("id")}
    ordered = sorted(facts, key=_headline_order)
    out_facts = [_fact(f, refs) for f in ordered if f.get("id") not in quoted]  # quotes have their section
    by_id = {f.get("id"): f for f in facts}
    rank = {f.get("id"): i for i, f in enumerate(ordered)}
    outlets = matrix.get("outlets") or []
    names = [o.get("outlet") for o in outlets]
    rows = [{"label": _row_label(by_id[r["fact"]]) if r.get("fact") in by_id else str(r.get("fact")),
             "status": r.get("status"),
             "cite": refs(fact_sources.get(r.get("fact"), [])) or refs.all(),
             "cells": [(r.get("cells") or {}).get(o, "silent") for o in names]}
            for r in sorted(matrix.get("rows") or [], key=lambda r: rank.get(r.get("fact"), len(rank)))]
    timeline = _timeline(view, refs)
    quotes = [_quote(q, refs) for q in view.get("quotes") or []]
    checks = [_check(c, refs, fact_sources) for c in view.get("checks") or []]
    unverified = _once([_check(c, refs, fact_sources) for c in view.get("unverified") or []])
    warnings = [_warning(w, refs) for w in view.get("warnings") or []]
    lead = _lead(view, refs, facts, places)
    inferred = _inferred(view)  # sources last: every statement above may have added a cited article
    return {"id": view.get("id"), "title": view.get("title") or "untitled story", "warnings": warnings, "lead": lead,
            "facts": out_facts, "matrix": {"outlets": [_column(o) for o in outlets], "rows": rows},
            "timeline": timeline, "places": places, "quotes": quotes, "checks": checks,
            "unverified": unverified,
            "sources": [_source(n, a, inferred) for n, a in enumerate(refs.articles, 1)]}


def story_view(store: Any, story_id: str) -> dict[str, Any]:
    """The view of a stored story: its cached cross-checked record, else one computed now."""
    from crosswire.crosscheck.story import cached_briefing, crosscheck_story

    return cached_briefing(store, story_id) or crosscheck_story(store, story_id, persist=False)


# ---------------------------------------------------------------- text helpers
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
SECTIONS = (("warnings", "Warning"), ("lead", "The event"), ("facts", "Headline facts"), ("matrix", "Fact × outlet"), ("timeline", "Timeline"),
            ("places", "Places"), ("quotes", "Quotes"), ("checks", "Checks"), ("unverified", "Could not be verified"),
            ("sources", "Sources"))


def _runs(nums: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5] -> [(1, 3), (5, 5)]."""
    out: list[tuple[int, int]] = []
    for n in nums:
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def _cited(text: str, cite: str, escape_text: Any) -> str:
    """A statement's own sentences (never quoted article text), escaped, each but the last followed
    by ``cite``; the caller puts the last one's after whatever follows it."""
    parts = [escape_text(x) for x in _SENTENCE_END.split(_one_line(text)) if x]
    return cite.join(parts[:-1] + [""]) + parts[-1] if parts else ""


def _shown(o: dict[str, Any]) -> list[tuple[str, str]]:
    """The sections that have something to say (the event and the sources always do)."""
    return [(k, t) for k, t in SECTIONS if k in ("lead", "sources") or (o["matrix"]["rows"] if k == "matrix" else o[k])]


def _date_line(s: dict[str, Any]) -> str:
    if not s.get("published"):
        return f"date unknown (inferred: {s['inferred']})" if s.get("inferred") else "date unknown"
    how = DATE_SOURCE.get(s.get("published_source") or "", s.get("published_source") or "")
    how += f": {s['inferred']}" if s.get("inferred") else ""
    return f"{s['published']} ({how})" if how else str(s["published"])


# ---------------------------------------------------------------- Markdown
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")


def _md(text: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _one_line(text))


def _md_cite(nums: list[int]) -> str:
    return "".join(f"[{a}]" if a == b else f"[{a}]–[{b}]" if b > a + 1 else f"[{a}][{b}]" for a, b in _runs(nums))


def _md_item(s: dict[str, Any], depth: int = 0) -> list[str]:
    cite = _md_cite(s["cite"])
    head = [f"**{_md(s['badge'][1])}**"] if s.get("badge") else []
    head += [f"({_md(s['note'])})"] if s.get("note") else []
    head += [_cited(s["text"], f" {cite} ", _md)] if s["text"] else []
    head += [f"“{_md(s['quote'])}”"] if s.get("quote") else []
    pad = "  " * depth
    lines = [f"{pad}- {' '.join(head)} {cite}"]
    lines += [f"{pad}  - {_md(k)}: {_md(v)}. {cite}" for k, v in s.get("values", {}).items()]
    for sub in s.get("sub", []):
        lines += _md_item(sub, depth + 1)
    return lines


def _md_source(s: dict[str, Any]) -> list[str]:
    parts = [s.get("outlet") or "unknown outlet", f"“{_one_line(s['title'])}”" if s.get("title") else "untitled"]
    parts += [f"in {s['language_name']}"] if s.get("language_name") else []
    parts += ["by " + ", ".join(s["authors"])] if s.get("authors") else []
    parts += [_date_line(s)]
    parts += ["a copy of another report"] if s["copy"] else []
    parts += [x for x in (s.get("note"), s.get("url")) if x]
    return [f"- [{s['n']}] {_md(', '.join(parts))}"] + [x for r in s["removed"] for x in _md_item(r, 1)]


def _md_matrix(m: dict[str, Any]) -> list[str]:
    lines = ["| fact | " + " | ".join(_md(x) for x in m["outlets"]) + " |", "|---" * (len(m["outlets"]) + 1) + "|"]
    return lines + [f"| {_md(r['label'])} {_md_cite(r['cite'])} | "
                    + " | ".join(_md(CELL.get(c, c)) for c in r["cells"]) + " |" for r in m["rows"]]


def render_markdown(view: dict[str, Any]) -> str:
    """The briefing as Markdown: every sentence ends with its citations, [n] being the n-th source."""
    o = outline(view)
    lines = [f"# {_md(o['title'])}", ""]
    for key, title in _shown(o):
        if key == "sources":
            lines += [f"## Sources (story {_md(o['id'])})", ""] + [x for s in o["sources"] for x in _md_source(s)]
        elif key == "matrix":
            lines += [f"## {title}", ""] + _md_matrix(o["matrix"])
        else:
            lines += [f"## {title}", ""] + [x for s in o[key] for x in _md_item(s)]
        lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    if view.get("reviews"):  # the reviews of its conflicts (crosswire.crosscheck.reviews.with_reviews)
        text += "\n## Reviews of its conflicts\n\n" + "".join(
            f"- {_md(r['created_at'])} {_md(r['who'])} {_md(r['action'])} fact {_md(r['fact'])} ({_md(r['slot'] or '')})"
            f"{'' if r['current'] else ' (no longer in conflict in this record)'}: {_md(r['note'])}\n"
            for r in view["reviews"])
    return text


# ---------------------------------------------------------------- HTML
CSS = """
:root{--ink:#1d1d1f;--muted:#666;--line:#e2e2e2;--ok:#1b6e3a;--okbg:#e3f3e8;--bad:#a4161a;--badbg:#fbe4e4;
--one:#7a5a00;--onebg:#fdf3d4;--link:#0b57d0}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 auto;
max-width:60rem;padding:1rem;overflow-wrap:break-word}
h1{font-size:1.55rem;line-height:1.25;margin:.5rem 0}h2{font-size:1.2rem;margin:2rem 0 .6rem;
border-bottom:1px solid var(--line);padding-bottom:.2rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
a{color:var(--link)}.muted{color:var(--muted)}.story{border-top:4px solid var(--ink);margin-top:2.5rem}
ul.plain{list-style:none;padding-left:0}ul.plain>li{margin:.45rem 0}
.badge{display:inline-block;font-size:.78rem;font-weight:600;border-radius:.8rem;padding:0 .55rem;
margin-right:.35rem;white-space:nowrap}.corroborated,.consistent,.agrees{background:var(--okbg);color:var(--ok)}
.conflict,.inconsistent,.conflicts{background:var(--badbg);color:var(--bad)}
.single_source,.unverifiable{background:var(--onebg);color:var(--one)}.silent{color:#aaa}
.event{background:var(--badbg);color:var(--bad)}.mentioned{background:#eceff1;color:#37474f}
sup.cite{font-size:.72rem;line-height:0;white-space:nowrap}sup.cite a{text-decoration:none}
q,.quote{color:#333}blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:3px solid var(--line)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;min-width:100%;font-size:.92rem}
td,th{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6;font-weight:600}td.agrees,td.conflicts,td.silent{text-align:center;white-space:nowrap}
ol.timeline{list-style:none;padding-left:0;border-left:3px solid var(--line);margin-left:.4rem}
ol.timeline li{padding:.2rem 0 .5rem .9rem;position:relative}ol.timeline time{font-weight:600;margin-right:.4rem}
figure{margin:.5rem 0}figure svg{display:block;border:1px solid var(--line);border-radius:4px}
dl.values{display:grid;grid-template-columns:max-content 1fr;gap:0 .7rem;margin:.2rem 0 0 1rem;font-size:.88rem}
dl.values dt{color:var(--muted)}dl.values dd{margin:0}
ol.sources li{margin:.5rem 0}details{margin:.2rem 0}summary{cursor:pointer;color:var(--muted)}
.reason{font-family:ui-monospace,monospace;font-size:.85rem;background:#eef;padding:0 .3rem;border-radius:3px}
nav.toc{font-size:.92rem}nav.toc a{margin-right:.8rem;white-space:nowrap}
@media (max-width:36rem){body{font-size:15px;padding:.6rem}h1{font-size:1.3rem}td,th{padding:.3rem}}
"""

_SAFE_URL = re.compile(r"^https?://", re.I)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _html_cite(nums: list[int], p: str) -> str:
    def a(n: int) -> str:
        return f'<a href="#{p}s{n}">[{n}]</a>'

    return '<sup class="cite">' + "".join(a(x) if x == y else f"{a(x)}–{a(y)}" if y > x + 1 else a(x) + a(y)
                                          for x, y in _runs(nums)) + "</sup>"


def _badge(cls: Any, text: Any) -> str:
    return f'<span class="badge {_e(cls)}">{_e(text)}</span>'


def _html_text(s: dict[str, Any], p: str) -> str:
    """A statement's words, its quote and its citations (a citation after every sentence)."""
    cite = _html_cite(s["cite"], p)
    body = _cited(s["text"], f"{cite} ", _e)
    if s.get("quote"):
        body += f' <q class="quote">{_e(_one_line(s["quote"]))}</q>'
    return body + cite


def _html_item(s: dict[str, Any], p: str) -> str:
    head = _badge(*s["badge"]) if s.get("badge") else ""
    head += f'<span class="muted">{_e(s["note"])}</span> ' if s.get("note") else ""
    values = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in s.get("values", {}).items())
    sub = "".join(_html_item(x, p) for x in s.get("sub", []))
    return (f"<li>{head}{_html_text(s, p)}" + (f'<dl class="values">{values}</dl>' if values else "")
            + (f'<ul class="plain">{sub}</ul>' if sub else "") + "</li>")


def _html_list(items: list[dict[str, Any]], p: str) -> str:
    return '<ul class="plain">' + "".join(_html_item(s, p) for s in items) + "</ul>"


def _facts_html(o: dict[str, Any], p: str) -> str:
    head, rest = o["facts"][:HEADLINE], o["facts"][HEADLINE:]
    return _html_list(head, p) + (f"<details><summary>{len(rest)} more facts</summary>{_html_list(rest, p)}</details>"
                                  if rest else "")


def _matrix_html(o: dict[str, Any], p: str) -> str:
    """The matrix; rows of single-source facts fold away under it."""
    m = o["matrix"]
    head = "<tr><th>fact</th>" + "".join(f'<th scope="col">{_e(x)}</th>' for x in m["outlets"]) + "</tr>"

    def table(rows: list[dict[str, Any]]) -> str:
        body = "".join(f'<tr><th scope="row">{_e(r["label"])}{_html_cite(r["cite"], p)}</th>'
                       + "".join(f'<td class="{_e(c)}">{_e(CELL.get(c, c))}</td>' for c in r["cells"]) + "</tr>"
                       for r in rows)
        return f'<div class="scroll"><table class="matrix">{head}{body}</table></div>'

    shown = [r for r in m["rows"] if r.get("status") != "single_source"]
    rest = [r for r in m["rows"] if r.get("status") == "single_source"]
    return ((table(shown) if shown else "")
            + (f"<details><summary>{len(rest)} fact{'s' * (len(rest) != 1)} from a single source</summary>"
               f"{table(rest)}</details>" if rest else ""))


def _timeline_html(o: dict[str, Any], p: str) -> str:
    items = "".join(
        (f'<li><time datetime="{_e(t["date"])}">{_e(t["date"])}</time>' if t["date"] else "<li><time>undated</time>")
        + _html_text({**t, "text": t["label"]}, p) + "</li>" for t in o["timeline"])
    return f'<ol class="timeline">{items}</ol>'


def _places_html(o: dict[str, Any], p: str) -> str:
    svg = svg_map([{k: x[k] for k in ("name", "lat", "lon", "role")} for x in o["places"]])
    return f"<figure>{svg}<figcaption>{_html_list(o['places'], p)}</figcaption></figure>"


def _quotes_html(o: dict[str, Any], p: str) -> str:
    return "".join(f'<blockquote><p>“{_e(_one_line(q["quote"]))}”</p><p class="muted">— '
                   f'{_html_text({**q, "quote": None}, p)}</p></blockquote>' for q in o["quotes"])


def _sources_html(o: dict[str, Any], p: str) -> str:
    items = []
    for s in o["sources"]:
        title = _e(s.get("title") or "untitled")
        if s.get("language"):
            title = f'<span lang="{_e(s["language"])}">{title}</span>'
        safe = bool(s.get("url")) and bool(_SAFE_URL.match(str(s["url"])))
        if safe:
            title = f'<a href="{_e(s["url"])}" rel="noreferrer noopener">{title}</a>'
        marks = "".join(f" {_badge('single_source', x)}" for x in ("copy" if s["copy"] else None,
                                                                    s.get("note")) if x)
        by = f" · by {_e(', '.join(s['authors']))}" if s.get("authors") else ""
        by = (f' · <span class="language">in {_e(s["language_name"])}</span>' if s.get("language_name") else "") + by
        url = f'<div class="muted">{_e(s["url"])}</div>' if s.get("url") and not safe else ""
        n = len(s["removed"])
        removed = (f"<details><summary>{n} piece{'s' * (n != 1)} of boilerplate removed</summary>"
                   f"{_html_list(s['removed'], p)}</details>" if n else "")
        items.append(f'<li id="{p}s{s["n"]}"><strong>{_e(s.get("outlet") or "unknown outlet")}</strong>: {title}{by}'
                     f' · <span class="muted">{_e(_date_line(s))}</span>{marks}{url}{removed}</li>')
    return f'<ol class="sources">{"".join(items)}</ol>'


_SECTIONS = {"warnings": lambda o, p: _html_list(o["warnings"], p), "lead": lambda o, p: _html_list(o["lead"], p), "facts": _facts_html, "matrix": _matrix_html,
             "timeline": _timeline_html, "places": _places_html, "quotes": _quotes_html,
             "checks": lambda o, p: _html_list(o["checks"], p),
             "unverified": lambda o, p: _html_list(o["unverified"], p),
             "sources": _sources_html}


def _reviews_html(view: dict[str, Any], p: str) -> str:
    """The reviews of the story's conflicts (:func:`crosswire.crosscheck.reviews.with_reviews`), as
    the Markdown briefing lists them: when, who, what, which fact, the note; every value escaped."""
    items = "".join(
        f'<li id="{p}review-{_e(r["id"])}" data-action="{_e(r["action"])}"><time>{_e(r["created_at"])}</time> '
        f'{_e(r["who"])} {_e(r["action"])} fact <code>{_e(r["fact"])}</code> ({_e(r["slot"] or "")})'
        + ("" if r["current"] else ' <span class="muted">(no longer in conflict in this record)</span>')
        + f': <q class="review-note">{_e(r["note"])}</q></li>' for r in view.get("reviews") or [])
    return f'<ul class="plain">{items}</ul>'


def html_section(view: dict[str, Any], prefix: str = "") -> str:
    """One story's briefing as an HTML ``<article>``; its anchors start with ``prefix``, so several
    briefings can share a page. The reviews of its conflicts, when the view has any, close it."""
    o = outline(view)
    p = _e(prefix)
    shown = _shown(o)
    reviews = [("reviews", "Reviews of its conflicts")] if view.get("reviews") else []
    return (f'<article class="story" id="{p}story"><h1>{_e(o["title"])}</h1>'
            f'<p class="muted">story <code>{_e(o["id"])}</code> · [n] cites the n-th of the '
            f'<a href="#{p}sources">sources</a></p><nav class="toc">'
            + "".join(f'<a href="#{p}{k}">{_e(t)}</a>' for k, t in shown + reviews) + "</nav>"
            + "".join(f'<section id="{p}{k}"><h2>{_e(t)}</h2>{_SECTIONS[k](o, p)}</section>' for k, t in shown)
            + "".join(f'<section id="{p}{k}"><h2>{_e(t)}</h2>{_reviews_html(view, p)}</section>' for k, t in reviews)
            + "</article>")


def html_page(title: str, body: str, css: str = CSS) -> str:
    """A self-contained page: inline CSS, no script, nothing fetched (the CSP forbids it too)."""
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{_e(title)}</title><style>{css}</style></head><body>{body}</body></html>\n")


def render_html(view: dict[str, Any]) -> str:
    """The briefing as one self-contained HTML page."""
    return html_page(f"{view.get('title') or 'story'}: crosswire briefing", html_section(view))


# ---------------------------------------------------------------- JSON
def render_json(view: dict[str, Any]) -> str:
    """The view itself: the contract's keys first in the contract's order, then the others sorted."""
    ordered = {k: view[k] for k in CONTRACT_KEYS if k in view}
    ordered.update({k: view[k] for k in sorted(view) if k not in ordered})
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"
