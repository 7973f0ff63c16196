"""Incident facts (date, city, state, killed, injured) read from GVC articles and scored.

The Gun Violence Corpus (Vossen et al., LREC 2018; CC BY 4.0) pairs news articles with the Gun
Violence Archive record of the incident they report. Each article is parsed once (``nlp.pipe``:
text and title apart), run through the extractors (time expressions against the publication date,
places with the US as the outlets' country, quantities) and :func:`crosswire.extract.events.summary.
summarise`; :func:`predict_articles` returns those per-article facts (what each article stated,
for the cross-check). :func:`aggregate` then reads one value per field for each incident from its
articles, and :func:`score` compares both levels with the record.

Gold mapping:

* ``date``: the record's day; an article's date counts when its summary names one day (a week or
  month range does not) and it is that day.
* ``city``: ``city_or_county`` as written ("Gary"), or "A (B)" where either A or B counts
  ("Cartersville (Euharlee)", "Arverne (Queens)"), or "A (county)" for a county ("Polk (county)":
  "Polk County", "Polk Parish"...). The article's event place counts when its GeoNames name (a
  city, or a county) equals one of those after :func:`crosswire.extract.places.gazetteer.normalise`
  (case, accents, hyphens, "Saint"/"St." folded).
* ``state``: the record's state name; the article's is the US state its event place lies in.
* ``killed``/``injured``: the record's ``num_killed``/``num_injured``.

Aggregation (one value per incident; each rule chosen by measurement on train and dev):

* ``date``: each article's day votes with its ``when_confidence``; the earliest day within
  ``DATE_MARGIN`` of the top weight wins (the event comes before the arrest or the death in
  hospital that later reports date).
* ``state``: each article's state votes with the event place's confidence; ties go to the
  earliest-published article.
* ``city``: each article's event town or county votes with the place's confidence times
  ``CUE_WEIGHT`` of its cue (a dateline may be the station's town), plus ``SUPPORT`` for every
  other article naming the same place anywhere; a reading outside the incident's state is read
  again inside it, a neighbourhood counts for the city another article names around it, and a
  town comes before a county (an article names the county when it names no town).
* ``killed``: each article's figure votes (an implied 0 with half weight); a tie goes to the
  larger count (a later report updates a toll upward) unless it is out of scale with the next.
* ``injured``: the people hit (killed + injured, voted the same way) less the killed: an early
  "two shot" and a later "one of them died" make 1 killed, 1 injured.

An article that gives a killed figure but says nothing of injuries reads 0 injured
(``implied``), and the other way round.

Accuracy per incident is over the incidents of the split; per article over its articles.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crosswire.extract.places.gazetteer import get_gazetteer, haversine_km, normalise
from crosswire.extract.places.resolve import Place, resolve_places
from crosswire.extract.quantities.find import find_quantities
from crosswire.extract.events.summary import NEIGHBOURHOOD_KM, EventSummary, summarise
from crosswire.extract.time.timex import MODEL, find_timexes, load_nlp
from crosswire.progress import SILENT, Progress

SPLITS = ("train", "dev", "test", "all")
FIELDS = ("date", "city", "state", "killed", "injured")
OUTLET_COUNTRY = "US"  # every GVC outlet is American


@dataclass
class GvcDoc:
    """One GVC article."""

    doc_id: str
    incident_id: str
    split: str
    title: str
    published: date | None
    uri: str
    text: str


@dataclass
class GvcIncident:
    """One Gun Violence Archive record: the gold facts of an incident."""

    incident_id: str
    split: str
    date: date
    state: str
    city_or_county: str
    killed: int
    injured: int


@dataclass
class ArticleFacts:
    """What one article states of its event, as values comparable with the record."""

    doc_id: str
    incident_id: str
    published: date | None
    summary: EventSummary
    date: date | None       # the event day, when the article names one day
    city: str | None        # GeoNames name of the event place when a city or county
    state: str | None       # US state name of the event place
    killed: int | None
    injured: int | None
    implied: list[str] = field(default_factory=list)  # counts not said but implied: 0
    named: list[str] = field(default_factory=list)    # every town or county the text names

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "incident_id": self.incident_id,
                "published": self.published.isoformat() if self.published else None,
                "date": self.date.isoformat() if self.date else None, "city": self.city,
                "state": self.state, "killed": self.killed, "injured": self.injured,
                "implied": self.implied, "summary": self.summary.to_dict()}


@dataclass
class IncidentFacts:
    """One value per field for an incident, read from its articles."""

    incident_id: str
    date: date | None
    city: str | None
    state: str | None
    killed: int | None
    injured: int | None
    articles: list[ArticleFacts] = field(default_factory=list)


# ---------------------------------------------------------------- reading
def read_gvc(path: Path) -> tuple[list[GvcDoc], dict[str, GvcIncident]]:
    """The articles (file order) and the incidents by id of ``PATH/documents.jsonl`` and
    ``PATH/incidents.jsonl``."""
    path = Path(path)
    docs: list[GvcDoc] = []
    with (path / "documents.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            dct = r.get("dct")
            docs.append(GvcDoc(r["doc_id"], str(r["incident_id"]), r["split"], r.get("title") or "",
                               date.fromisoformat(dct) if dct else None, r.get("uri") or "",
                               r.get("text") or ""))
    incidents: dict[str, GvcIncident] = {}
    with (path / "incidents.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            iid = str(r["incident_uri"])
            incidents[iid] = GvcIncident(iid, r["split"],
                                         datetime.strptime(r["date"], "%B %d, %Y").date(),
                                         r["state"], r["city_or_county"], int(r["num_killed"]),
                                         int(r["num_injured"]))
    return docs, incidents


def split_docs(docs: list[GvcDoc], split: str) -> list[GvcDoc]:
    """The articles of one split (``train``, ``dev``, ``test`` or ``all``)."""
    if split not in SPLITS:
        raise ValueError(f"unknown GVC split {split!r}: use one of {', '.join(SPLITS)}")
    return [d for d in docs if split == "all" or d.split == split]


def parse_docs(docs: list[GvcDoc], nlp=None, *, cache_dir: Path | None = None,
               batch_size: int = 16) -> list[tuple[Any, Any]]:
    """(text Doc, title Doc) per article, parsed in batches; kept as a DocBin in ``cache_dir``
    (keyed by the model and the texts) when one is given."""
    from spacy.tokens import DocBin

    nlp = nlp or load_nlp()
    key = None
    if cache_dir is not None:
        h = hashlib.sha256(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
        for d in docs:
            h.update(d.doc_id.encode() + b"\0" + d.title.encode() + b"\0" + d.text.encode())
        key = Path(cache_dir) / f"gvc-{MODEL}-{h.hexdigest()[:16]}.spacy"
        if key.is_file():
            parsed = list(DocBin().from_bytes(key.read_bytes()).get_docs(nlp.vocab))
            return list(zip(parsed[0::2], parsed[1::2]))
    texts: list[str] = []
    for d in docs:
        texts += [d.text, d.title]
    parsed = list(nlp.pipe(texts, batch_size=batch_size))
    if key is not None:
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_bytes(DocBin(store_user_data=False, docs=parsed).to_bytes())
    return list(zip(parsed[0::2], parsed[1::2]))


# ---------------------------------------------------------------- per article
def article_facts(d: GvcDoc, doc, title_doc, timings: dict[str, float] | None = None) -> ArticleFacts:
    """Extractors and :func:`summarise` on one parsed article."""
    t0 = time.perf_counter()
    timexes = find_timexes(doc, d.published)
    places = resolve_places(doc, outlet_country=OUTLET_COUNTRY)
    quantities = find_quantities(doc)
    t1 = time.perf_counter()
    s = summarise(doc, title=d.title, title_doc=title_doc, published=d.published,
                  timexes=timexes, places=places, quantities=quantities)
    t2 = time.perf_counter()
    if timings is not None:
        timings["extract"] = timings.get("extract", 0.0) + t1 - t0
        timings["summarise"] = timings.get("summarise", 0.0) + t2 - t1
    facts = facts_of(d, s)
    facts.named = sorted({normalise(p.name) for p in places if p.feature in ("city", "admin2")})
    return facts


def facts_of(d: GvcDoc, s: EventSummary) -> ArticleFacts:
    """The summary's values in the record's terms (day, city or county name, state name, ints)."""
    day = date.fromisoformat(s.when_start) if s.when_start and s.when_precision == "day" else None
    city = None
    state = None
    p = s.where
    if p is not None:
        if p.feature in ("city", "admin2"):
            city = p.name
        code = s.state
        st = get_gazetteer().states.get(code) if code else None
        state = st.name if st is not None else None
    killed = int(round(s.killed.value)) if s.killed is not None and s.killed.value is not None else None
    injured = int(round(s.injured.value)) if s.injured is not None and s.injured.value is not None \
        else None
    implied = []
    if killed is None and injured is not None:
        killed, implied = 0, ["killed"]  # the article counts the wounded and no dead
    elif injured is None and killed is not None:
        injured, implied = 0, ["injured"]
    return ArticleFacts(d.doc_id, d.incident_id, d.published, s, day, city, state, killed, injured,
                        implied)


def predict_articles(path: Path, split: str = "test", nlp=None, *, cache_dir: Path | None = None,
                     limit: int | None = None, progress: Progress = SILENT,
                     timings: dict[str, float] | None = None) -> list[ArticleFacts]:
    """Per-article facts for every article of a split (of its first ``limit`` incidents, in
    file order, when given), in corpus order."""
    docs, _ = read_gvc(path)
    docs = split_docs(docs, split)
    if limit is not None:
        keep: list[str] = []
        for d in docs:
            if d.incident_id not in keep and len(keep) < limit:
                keep.append(d.incident_id)
        docs = [d for d in docs if d.incident_id in keep]
    t0 = time.perf_counter()
    progress.start(f"parsing {len(docs)} GVC articles", len(docs))
    parsed = parse_docs(docs, nlp, cache_dir=cache_dir)
    if timings is not None:
        timings["parse"] = timings.get("parse", 0.0) + time.perf_counter() - t0
    out = []
    for d, (doc, title_doc) in zip(docs, parsed):
        out.append(article_facts(d, doc, title_doc, timings))
        progress.advance()
    progress.stop()
    return out


# ---------------------------------------------------------------- per incident
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


DATE_MARGIN = 0.5  # train+dev: 0 -> 186/207 incidents right, 0.3, 0.5 and 1.0 -> 189


def _date_vote(votes: list[tuple[date, float, tuple]]) -> date | None:
    """The day with the most weight, or an earlier day within ``DATE_MARGIN`` of it (the event
    comes before what later reports date: an arrest, a death in hospital)."""
    if not votes:
        return None
    weight: dict[date, float] = defaultdict(float)
    for value, w, _ in votes:
        weight[value] += w
    top = max(weight.values())
    return min(d for d, w in weight.items() if w >= top - DATE_MARGIN)


def _count_vote(votes: list[tuple[int, float]]) -> int | None:
    """The count with the most weight; a tie goes to the larger count (a later report updates a
    toll upward) unless it is out of scale with the next (a tally of other events: 105 vs 1)."""
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


def _published_key(a: ArticleFacts) -> tuple:
    return (a.published.toordinal() if a.published else 10**7, a.doc_id)


def aggregate(articles: list[ArticleFacts]) -> IncidentFacts:
    """One value per field for the incident the articles report (see the module docstring)."""
    dates: list[tuple[date, float, tuple]] = []
    states: list[tuple[str, float, tuple]] = []
    killed: list[tuple[int, float]] = []
    injured: list[tuple[int, float]] = []
    hit: list[tuple[int, float]] = []
    places: list[tuple[Place, float, tuple]] = []
    named: list[set[str]] = []
    for a in articles:
        s = a.summary
        pk = _published_key(a)
        if a.date is not None:
            dates.append((a.date, s.when_confidence, pk))
        if s.where is not None:
            places.append((s.where, s.where.confidence, pk))
            named.append(set(a.named))
            if a.state is not None:
                states.append((a.state, s.where.confidence, pk))
        if a.killed is not None:
            killed.append((a.killed, 0.5 if "killed" in a.implied else 1.0))
        if a.injured is not None:
            injured.append((a.injured, 0.5 if "injured" in a.implied else 1.0))
        if a.killed is not None and a.injured is not None:
            hit.append((a.killed + a.injured, 1.0))
    state = _vote(states)
    k = _count_vote(killed)
    # the wounded are those hit who did not die: an early report's "two shot" and a later
    # report's "one died" make 1 killed, 1 injured
    total = _count_vote(hit)
    i = max(0, total - k) if total is not None and k is not None else _count_vote(injured)
    return IncidentFacts(articles[0].incident_id if articles else "", _date_vote(dates),
                         _city_vote(places, state, named), state, k, i, list(articles))


CUE_WEIGHT = {"event": 1.0, "locative": 0.9, "dateline": 0.5, "police": 0.8}
SUPPORT = 0.5  # per other article that names the place


def _city_vote(places: list[tuple[Place, float, tuple]], state: str | None,
               named: list[set[str]] | None = None) -> str | None:
    """The incident's city or county from the articles' event places: readings outside the
    incident's state are read again inside it ("Madison" taken for Wisconsin in one article of a
    Tennessee story); a neighbourhood counts for the city that another article names around it;
    a city comes before a county (an article names the county when it names no town). Each vote
    weighs the place's confidence, by its cue, plus ``SUPPORT`` for each other article naming
    the place (``named``: the names each article mentions)."""
    g = get_gazetteer()
    code = next((c for c, e in g.states.items() if e.name == state), None)
    votes: list[tuple[str, str, float | None, float | None, int, float, tuple]] = []
    for i, (p, w, pk) in enumerate(places):
        if p.feature not in ("city", "admin2"):
            continue
        lat, lon, pop = p.lat, p.lon, 0
        if code and p.admin1 != code and p.country == "US":
            again = [e for e, _ in g.lookup(p.name) if e.admin1 == code and e.feature == p.feature]
            again += [e for e in (g.local(p.name) if p.feature == "city" else [])
                      if e.country == "US" and e.admin1 == code]
            if not again:
                continue
            e = max(again, key=lambda e: e.population)
            lat, lon, pop = e.lat, e.lon, e.population
        elif p.geonameid is not None:
            e = g.city(p.geonameid)
            pop = e.population if e is not None else 0
        w *= CUE_WEIGHT.get(p.cue or "", 0.7)
        if named:
            key = normalise(p.name)
            w += SUPPORT * sum(key in other for j, other in enumerate(named) if j != i)
        votes.append((p.name, p.feature, lat, lon, pop, w, pk))
    if not votes:
        return None
    merged = []
    for name, feature, lat, lon, pop, w, pk in votes:
        home = name
        if feature == "city" and lat is not None:
            near = [v for v in votes if v[1] == "city" and v[2] is not None and v[0] != name
                    and v[4] >= max(100_000, 10 * pop)
                    and haversine_km(lat, lon, v[2], v[3]) <= NEIGHBOURHOOD_KM]
            if near:
                home = near[0][0]
        merged.append((home, feature, w, pk))
    cities = [m for m in merged if m[1] == "city"] or merged
    key = _vote([(normalise(name), w, pk) for name, _, w, pk in cities])
    return next(name for name, *_ in cities if normalise(name) == key)


# ---------------------------------------------------------------- scoring
_PAREN = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


def gold_city_keys(city_or_county: str) -> set[str]:
    """Normalised names a prediction may match for a record's ``city_or_county``."""
    m = _PAREN.match(city_or_county.strip())
    if not m:
        return {normalise(city_or_county)}
    a, b = m.group(1).strip(), m.group(2).strip()
    if b.lower() == "county":
        return {normalise(f"{a} {kind}") for kind in ("County", "Parish", "Borough")}
    return {normalise(a), normalise(b)}


def _right(field_name: str, value: Any, gold: GvcIncident) -> bool:
    if value is None:
        return False
    if field_name == "date":
        return value == gold.date
    if field_name == "city":
        return normalise(value) in gold_city_keys(gold.city_or_county)
    if field_name == "state":
        return value == gold.state
    if field_name == "killed":
        return value == gold.killed
    return value == gold.injured


def score(incidents: dict[str, GvcIncident], articles: list[ArticleFacts]) -> dict[str, Any]:
    """Accuracy per field per incident and per article, and the incident-level errors."""
    by_incident: dict[str, list[ArticleFacts]] = defaultdict(list)
    for a in articles:
        by_incident[a.incident_id].append(a)
    metrics: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    right = dict.fromkeys(FIELDS, 0)
    for iid, arts in by_incident.items():
        gold = incidents[iid]
        agg = aggregate(arts)
        for f in FIELDS:
            value = getattr(agg, f)
            if _right(f, value, gold):
                right[f] += 1
            else:
                errors.append({
                    "incident_id": iid, "field": f, "gold": _gold_value(f, gold),
                    "predicted": value.isoformat() if isinstance(value, date) else value,
                    "articles": [{"doc_id": a.doc_id, "value": _shown(getattr(a, f)),
                                  "evidence": _evidence(a.summary, f)} for a in arts]})
    n = len(by_incident)
    for f in FIELDS:
        metrics[f"{f}_accuracy"] = round(right[f] / n, 4) if n else 0.0
    for f in FIELDS:
        ok = sum(_right(f, getattr(a, f), incidents[a.incident_id]) for a in articles)
        metrics[f"article_{f}_accuracy"] = round(ok / len(articles), 4) if articles else 0.0
    metrics["incidents"] = n
    metrics["articles"] = len(articles)
    metrics["errors"] = errors
    return metrics


def _gold_value(f: str, gold: GvcIncident) -> Any:
    if f == "date":
        return gold.date.isoformat()
    return {"city": gold.city_or_county, "state": gold.state, "killed": gold.killed,
            "injured": gold.injured}[f]


def _shown(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def _evidence(s: EventSummary, f: str) -> str | None:
    if f == "date":
        return s.when_evidence.text if s.when_evidence is not None else s.when_source
    if f in ("city", "state"):
        return s.where.text if s.where is not None else None
    q = s.killed if f == "killed" else s.injured
    return q.text if q is not None else None


def evaluate_gvc_facts(path: Path, split: str = "test", nlp=None, *,
                       cache_dir: Path | None = None, limit: int | None = None,
                       progress: Progress = SILENT) -> dict[str, Any]:
    """Accuracy of the incident facts read from a GVC split (see the module docstring):
    ``date_accuracy``, ``city_accuracy``, ``state_accuracy``, ``killed_accuracy``,
    ``injured_accuracy`` per incident, the same prefixed ``article_`` per article, ``errors`` (one
    entry per wrong incident field, with each article's value and evidence), counts and timings.
    ``limit`` keeps the split's first incidents only; ``cache_dir`` keeps the parses."""
    _, incidents = read_gvc(path)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    articles = predict_articles(path, split, nlp, cache_dir=cache_dir, limit=limit,
                                progress=progress, timings=timings)
    metrics = score(incidents, articles)
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    n = max(1, len(articles))
    metrics["parse_seconds"] = round(timings.get("parse", 0.0), 2)
    metrics["extract_ms_per_article"] = round(1000 * timings.get("extract", 0.0) / n, 2)
    metrics["summarise_ms_per_article"] = round(1000 * timings.get("summarise", 0.0) / n, 2)
    return metrics
