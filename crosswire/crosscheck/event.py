"""The story's event record: what, when, where, and how many were killed and injured, voted across
its reports.

Stage ``event.v1``. Needs the story's :class:`~crosswire.crosscheck.pubdates.StoryArticle` list
(facts and each article's event record) and the ``date:event.start`` / ``date:event.end`` /
``place:event.where`` slots of :mod:`crosswire.crosscheck.align`; gives the ``event`` of the
``crosswire show --format json`` record. A copy (``duplicate_of``) never votes: it says nothing
its original does not.

* ``type``: the most frequent main-event label of the reports.
* ``when.start``: each report's day votes, a day the text states (the ``date:event.start``
  slot, read against the publication day, inferred or not) with :data:`TEXT_DAY_WEIGHT`, or
  :data:`BORROWED_DAY_WEIGHT` when the expression borrows its day ("at 6 p.m.": the publication
  day, weaker than a day stated outright), the publication day a report falls back on with
  :data:`PUBLICATION_DAY_WEIGHT`; the day with the most weight wins, so two reports stating a
  day outvote one stating another; of days within :data:`DATE_MARGIN` of the top weight the
  earliest (the event comes before the arrest or the death in hospital that later reports
  date). ``when.end``: the ``date:event.end`` slot's day when not before the start, else the
  start. ``when.sources``: the reports whose day won.
* ``where``: each report's event town or county votes with the place's confidence times
  :data:`CUE_WEIGHT` of the cue stored in its place fact's detail (a dateline may be the
  station's town, so it weighs less; "shot in X" more; a store without cues is read for a
  dateline from the text), plus
  :data:`SUPPORT` for every other report naming the same place anywhere. A reading in another
  state (admin1) or country than the one the reports vote for is read again inside it, by the
  name as the report writes it ("Salisbury" read as Harare's old name); when the reports' towns
  lie in several states, each report naming other places in one of them (its county, the state)
  adds :data:`REGION_SUPPORT` to that state's vote. A neighbourhood counts for the city ten times
  its size within ``NEIGHBOURHOOD_KM`` in the same state that another report names; a town
  comes before a county (a report names the county when it names no town). With no town or county
  the ``place:event.where`` slot's leading place stands. Each place adds ``feature``, ``admin1`` and
  ``sources`` (the reports that voted for it).
* ``killed``: each report's figure votes (an implied 0, when the report counts only the
  injured, with half weight); a tie goes to the larger count (a later report updates a toll upward)
  unless it is out of scale with the next (a tally of other events: 105 vs 1). ``injured``: the
  people hit (killed + injured, voted the same way) less the killed: an early "two shot" and a later
  "one of them died" make 1 killed, 1 injured. Each is ``{"value": int, "sources": [article ids
  stating it]}`` or null when no report gives a figure.

The weights were chosen on the train and dev splits of the Gun Violence Corpus, never on its test
split (``benchmarks/eval_gvc_facts.py --tune``: 108 settings of ``DATE_MARGIN`` 0-1, the
publication day's weight 0.2-0.5, the dateline's 0.5-0.85 and ``SUPPORT`` 0.25-1 re-voted on the
stories ``crosswire run`` made of train and dev; none beat these on the 207 incidents: date 0.884,
city 0.744, state 0.932, killed 0.884, injured 0.903).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from crosswire.crosscheck.align import Slot, is_dateline
from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.extract.events.summary import NEIGHBOURHOOD_KM, names_day
from crosswire.extract.places.gazetteer import get_gazetteer, haversine_km, normalise

STAGE = "event.v1"
TEXT_DAY_WEIGHT = 1.0
PUBLICATION_DAY_WEIGHT = 0.3
# "shortly before 6 p.m." in a report of the 12th against "on Dec. 13" in a later one: below
# TEXT_DAY_WEIGHT - DATE_MARGIN, so a stated day wins; above the publication day's. On the stories
# of GVC train and dev, 0.2-0.45 all gave train date 0.894 (1.0: 0.888), dev unchanged (0.946).
BORROWED_DAY_WEIGHT = 0.4
# Near-ties only: a day one report states no longer beats the day two reports state (0.5 let
# "June 1" in one report beat "Friday, June 3" and "7:15pm" in two). On the stories of GVC train
# and dev: margin 0.5 -> 0.0 train date 0.918 unchanged, dev 0.919 -> 0.946.
DATE_MARGIN = 1e-6
# By the cue the facts stage stored with the place ("shot in X" is "event"); chosen on train and dev:
# of 72 settings (dateline 0.5/0.7, event 0.85-1.2, locative 0.7-1, police and other 0.6/0.85)
# none beat city 0.800 train / 0.811 dev, reached by raising "event" alone (0.794 / 0.811 before).
CUE_WEIGHT = {"dateline": 0.5, "event": 1.0, "locative": 0.85, "police": 0.85, "title": 0.85,
              "text": 0.85}
SUPPORT = 0.5  # per other report that names the place
REGION_SUPPORT = 0.5  # per report naming other places in a state the reports' towns are read in
IMPLIED_WEIGHT = 0.5
_LOCAL = ("city", "admin2")


def _key(a: StoryArticle) -> tuple:
    day = a.day
    return (day.toordinal() if day else 10**7, a.id)


def _vote(votes: list[tuple[Any, float, tuple]]) -> Any:
    """The value with the most weight; ties to the smallest tie-break key."""
    if not votes:
        return None
    weight: dict[Any, float] = defaultdict(float)
    first: dict[Any, tuple] = {}
    for value, w, tie in votes:
        weight[value] += w
        first[value] = min(first.get(value, tie), tie)
    top = max(round(w, 6) for w in weight.values())
    return min((v for v in weight if round(weight[v], 6) == top), key=lambda v: first[v])


# ---------------------------------------------------------------- when
def _day(value: Any) -> date | None:
    if isinstance(value, tuple) and len(value) == 3 and value[2] == "day" and value[0] == value[1]:
        return value[0]
    return None


def vote_when(articles: list[StoryArticle], start: Slot | None, end: Slot | None) -> dict[str, Any]:
    """``{"start", "end", "sources"}`` of the event (see the module docstring)."""
    said = {o.article: o for o in (start.observations if start else [])}
    votes: list[tuple[date, float, str]] = []
    for a in articles:
        if a.duplicate_of:
            continue
        o = said.get(a.id)
        if o is not None:
            d = _day(o.value)
            if d is not None:
                votes.append((d, TEXT_DAY_WEIGHT if names_day(o.text) else BORROWED_DAY_WEIGHT, a.id))
            continue
        when = (a.event or {}).get("when") or {}
        if when.get("precision") == "day" and when.get("start"):
            try:
                votes.append((date.fromisoformat(when["start"][:10]), PUBLICATION_DAY_WEIGHT, a.id))
            except ValueError:
                continue
    if not votes:
        return {"start": None, "end": None, "sources": []}
    weight: dict[date, float] = defaultdict(float)
    for d, w, _ in votes:
        weight[d] += w
    top = max(weight.values())
    s = min(d for d, w in weight.items() if w >= top - DATE_MARGIN)
    ends = Counter(d for o in (end.observations if end else []) if (d := _day(o.value)) is not None and d >= s)
    e = max(ends, key=lambda d: (ends[d], d)) if ends else s
    return {"start": s.isoformat(), "end": e.isoformat(),
            "sources": list(dict.fromkeys(aid for d, _, aid in votes if d == s))}


# ---------------------------------------------------------------- where
def _event_place(a: StoryArticle) -> tuple[dict[str, Any], float, str] | None:
    """The report's event place (its most specific), the confidence the facts stage gave it and
    its cue (:func:`_cue`)."""
    where = (a.event or {}).get("where") or []
    if not where:
        return None
    p = where[0]
    fact = next((f for f in a.facts if f["kind"] == "place"
                 and f["start"] == p.get("start") and f["end"] == p.get("end")), None)
    conf = float(fact.get("confidence") or 0.0) if fact is not None else 0.5
    return p, conf, _cue(a, p, fact)


def _cue(a: StoryArticle, p: dict[str, Any], fact: dict[str, Any] | None) -> str:
    """The key of :data:`CUE_WEIGHT` for a report's event place: the cue the facts stage stored
    in the place fact's detail ("dateline", "event", "locative", "police"); a store analysed
    before cues were stored is read for a dateline from its text."""
    if p.get("in") == "title":
        return "title"
    detail = (fact or {}).get("detail") or {}
    if isinstance(detail, dict) and "via" in detail:
        cue = detail.get("cue")
        return cue if cue in CUE_WEIGHT else "text"
    return "dateline" if is_dateline(a, p) else "text"


def _written(a: StoryArticle, p: dict[str, Any]) -> str | None:
    """The place's name as the report writes it (its span of the text), when it is a name."""
    start, end = p.get("start"), p.get("end")
    if p.get("in") == "title" or not isinstance(start, int) or not isinstance(end, int) or not a.text:
        return None
    text = a.text[start:end].strip()
    return text if text and text[:1].isupper() and len(text) <= 60 else None


def _named(a: StoryArticle) -> set[str]:
    return {normalise((f["value"] or {}).get("name") or "") for f in a.facts if f["kind"] == "place"
            and (f["value"] or {}).get("feature") in _LOCAL}


def _fallback_place(fallback: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The ``place:event.where`` fact's leading place as an event place (none without the fact)."""
    if not fallback:
        return []
    v = fallback["value"] or {}
    return [{**{k: v.get(k) for k in ("name", "geonameid", "country", "lat", "lon", "feature", "admin1")},
             "sources": fallback["values"][0]["articles"]}]


def vote_where(articles: list[StoryArticle], fallback: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The event's place (a list of at most one, see the module docstring)."""
    g = get_gazetteer()
    own = [(a, *ep) for a in articles if not a.duplicate_of and (ep := _event_place(a)) is not None]
    region_votes = [((p.get("country"), p.get("admin1")), w, _key(a)) for a, p, w, _ in own
                    if p.get("country") and p.get("admin1")]
    if len({r for r, _, _ in region_votes}) > 1:
        # the reports' towns lie in different states: each report naming other places in one of
        # those states (its county, the state itself) backs it ("White Plains" read in New York
        # by one report, in Kentucky by another that names Hopkins County, Ky.)
        candidates = {r for r, _, _ in region_votes}
        for a, p, _, _ in own:
            backed = {((f["value"] or {}).get("country"), (f["value"] or {}).get("admin1")) for f in a.facts
                      if f["kind"] == "place" and (f["value"] or {}).get("feature") in ("city", "admin2", "admin1")
                      and normalise((f["value"] or {}).get("name") or "") != normalise(p.get("name") or "")}
            region_votes += [(r, REGION_SUPPORT, _key(a)) for r in backed & candidates]
    regions = _vote(region_votes)
    named = {a.id: _named(a) for a in articles if not a.duplicate_of}
    votes: list[dict[str, Any]] = []
    for a, p, w, cue in own:
        if p.get("feature") not in _LOCAL:
            continue
        entry = {k: p.get(k) for k in ("name", "geonameid", "country", "lat", "lon", "feature", "admin1")}
        pop = 0
        if regions and (p.get("country"), p.get("admin1")) != regions:
            # read again inside the story's region, by the name as written ("Salisbury" read as
            # Harare's old name in one report, Salisbury, N.C. in the others)
            names = list(dict.fromkeys(n for n in (_written(a, p), p["name"]) if n))
            again = [e for n in names for e, _ in g.lookup(n) if e.admin1 == regions[1]
                     and e.country == regions[0] and e.feature == p["feature"]]
            again += [e for n in names for e in (g.local(n) if p["feature"] == "city" else [])
                      if e.country == regions[0] and e.admin1 == regions[1]]
            if again:
                e = max(again, key=lambda e: e.population)
                entry.update(name=e.name, geonameid=e.geonameid, country=e.country, lat=e.lat, lon=e.lon,
                             admin1=e.admin1)
                pop = e.population
            elif p.get("country") == regions[0]:
                continue  # a reading in another state than the story's: not this event's town
        if not pop and entry["geonameid"] is not None:
            e = g.city(entry["geonameid"])
            pop = e.population if e is not None else 0
        w *= CUE_WEIGHT[cue]
        key = normalise(entry["name"] or "")
        w += SUPPORT * sum(key in names for aid, names in named.items() if aid != a.id)
        votes.append({"place": entry, "pop": pop, "weight": w, "tie": _key(a), "article": a.id})
    if not votes:
        return _fallback_place(fallback)
    for v in votes:
        p = v["place"]
        v["home"] = p["name"]
        if p["feature"] == "city" and p["lat"] is not None:
            near = [x for x in votes if x["place"]["feature"] == "city" and x["place"]["lat"] is not None
                    and x["place"]["name"] != p["name"] and x["pop"] >= max(100_000, 10 * v["pop"])
                    and (x["place"]["country"], x["place"]["admin1"]) == (p["country"], p["admin1"])
                    and haversine_km(p["lat"], p["lon"], x["place"]["lat"], x["place"]["lon"]) <= NEIGHBOURHOOD_KM]
            if near:
                v["home"] = near[0]["place"]["name"]
                v["place"] = near[0]["place"]
    towns = [v for v in votes if v["place"]["feature"] == "city"] or votes
    won = _vote([(normalise(v["home"]), v["weight"], v["tie"]) for v in towns])
    chosen = [v for v in towns if normalise(v["home"]) == won]
    best = max(chosen, key=lambda v: v["weight"])
    return [{**best["place"], "sources": list(dict.fromkeys(v["article"] for v in chosen))}]


# ---------------------------------------------------------------- killed, injured
def _count_vote(votes: list[tuple[int, float]]) -> int | None:
    """The count with the most weight; a tie goes to the larger count unless it is out of scale
    with the next (a tally of other events: 105 vs 1)."""
    if not votes:
        return None
    weight: dict[int, float] = defaultdict(float)
    for value, w in votes:
        weight[value] += w
    top = max(round(w, 6) for w in weight.values())
    tied = sorted((v for v in weight if round(weight[v], 6) == top), reverse=True)
    while len(tied) > 1 and tied[0] > 2 * tied[1] + 2:
        tied.pop(0)
    return tied[0]


def _figure(v: Any) -> int | None:
    return int(round(v)) if isinstance(v, int | float) and not isinstance(v, bool) else None


def vote_casualties(articles: list[StoryArticle]) -> dict[str, dict[str, Any] | None]:
    """``{"killed": {"value", "sources"} | None, "injured": ...}`` (see the module docstring)."""
    stated: dict[str, dict[str, int]] = {"killed": {}, "injured": {}}
    killed, injured, hit = [], [], []
    for a in articles:
        if a.duplicate_of:
            continue
        ev = a.event or {}
        k, i = _figure(ev.get("killed")), _figure(ev.get("injured"))
        if k is not None:
            stated["killed"][a.id] = k
        if i is not None:
            stated["injured"][a.id] = i
        if k is None and i is not None:
            killed.append((0, IMPLIED_WEIGHT))
            k = 0
        elif k is not None:
            killed.append((k, 1.0))
        if i is None and k is not None and a.id in stated["killed"]:
            injured.append((0, IMPLIED_WEIGHT))
            i = 0
        elif i is not None:
            injured.append((i, 1.0))
        if k is not None and i is not None:
            hit.append((k + i, 1.0))
    kv = _count_vote(killed)
    total = _count_vote(hit)
    iv = max(0, total - kv) if total is not None and kv is not None else _count_vote(injured)

    def rec(name: str, value: int | None) -> dict[str, Any] | None:
        if value is None:
            return None
        return {"value": value, "sources": [aid for aid, v in stated[name].items() if v == value]}

    return {"killed": rec("killed", kv), "injured": rec("injured", iv)}


# ---------------------------------------------------------------- the record
def story_event(articles: list[StoryArticle], slots: dict[str, Slot], facts: list[dict[str, Any]],
                voted_place: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The ``event`` of a story's record: ``type``, ``when``, ``where``, ``killed``, ``injured``
    (``slots`` by key, ``facts`` the record's facts; ``voted_place``: :func:`vote_where` of the
    articles without a fallback, when the caller already voted it)."""
    place = next((f for f in facts if f.get("slot") == "place:event.where"), None)
    types: Counter = Counter()
    for a in articles:
        t = (a.event or {}).get("type") or {}
        if t.get("label") and not a.duplicate_of:
            types[(t.get("cameo"), t["label"])] += 1
    cameo, label = types.most_common(1)[0][0] if types else (None, "unknown")
    return {"type": {"cameo": cameo, "label": label},
            "when": vote_when(articles, slots.get("date:event.start"), slots.get("date:event.end")),
            "where": (voted_place or _fallback_place(place)) if voted_place is not None
            else vote_where(articles, place),
            **vote_casualties(articles)}
