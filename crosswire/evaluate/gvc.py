"""Incident facts (date, city, state, killed, injured) scored on what ``crosswire run`` gives.

The Gun Violence Corpus (Vossen et al., LREC 2018; CC BY 4.0) pairs news articles with the Gun
Violence Archive record of the incident they report. One path: the split's articles go through
the product itself (:func:`crosswire.evaluate.gvc_stories.run_gvc`: ``crosswire run`` on them as
news-please JSON Lines, then every story's record as ``crosswire export --what stories`` gives it),
and only those records are scored. For each incident, its story is the one holding most of the
incident's articles; a tie goes to the story holding the incident's earliest article (publication
order, then document id). An incident none of whose articles is in a story has no values: every
field is wrong.

What is read from the story's record (``event``, see :mod:`crosswire.crosscheck.event`):

* ``date``: ``event.when.start`` (a day);
* ``city``: the name of ``event.where[0]`` when it is a town or a county;
* ``state``: the US state (admin1) ``event.where[0]`` lies in;
* ``killed``/``injured``: ``event.killed.value`` / ``event.injured.value``.

Gold mapping:

* ``date``: the record's day.
* ``city``: ``city_or_county`` as written ("Gary"), or "A (B)" where either A or B counts
  ("Cartersville (Euharlee)", "Arverne (Queens)"), or "A (county)" for a county ("Polk (county)":
  "Polk County", "Polk Parish"...), compared after
  :func:`crosswire.extract.places.gazetteer.normalise` (case, accents, hyphens, "Saint"/"St.").
* ``state``: the record's state name.
* ``killed``/``injured``: the record's ``num_killed``/``num_injured``.

Accuracy is over the incidents of the split. Tune on train and dev; score test once per release.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crosswire.evaluate.ecbplus import GoldDoc, ProductRun
from crosswire.evaluate.gvc_stories import run_gvc
from crosswire.extract.places.gazetteer import get_gazetteer, normalise
from crosswire.progress import SILENT, Progress

SPLITS = ("train", "dev", "test", "all")
FIELDS = ("date", "city", "state", "killed", "injured")


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


# ---------------------------------------------------------------- the incident's story
def incident_stories(product: ProductRun, docs: list[GoldDoc]) -> dict[str, dict[str, Any] | None]:
    """Incident id -> the record of its story (see the module docstring), or None."""
    story_of = product.story_of(d.doc_id for d in docs)
    by_id = {r["id"]: r for r in product.records}
    members: dict[str, list[str]] = defaultdict(list)
    for d in docs:  # publication order
        members[d.gold].append(story_of[d.doc_id])
    out: dict[str, dict[str, Any] | None] = {}
    for iid, stories in members.items():
        placed = [s for s in stories if s in by_id]
        if not placed:
            out[iid] = None
            continue
        top = max(placed.count(s) for s in placed)
        out[iid] = by_id[next(s for s in placed if placed.count(s) == top)]
    return out


def record_values(record: dict[str, Any] | None) -> dict[str, Any]:
    """The five fields as a story's record gives them (None where it gives nothing)."""
    values: dict[str, Any] = dict.fromkeys(FIELDS)
    if record is None:
        return values
    event = record.get("event") or {}
    start = (event.get("when") or {}).get("start")
    if start and len(start) >= 10:
        values["date"] = date.fromisoformat(start[:10])
    where = (event.get("where") or [None])[0]
    if where:
        if where.get("feature") in ("city", "admin2"):
            values["city"] = where.get("name")
        code = where.get("admin1")
        st = get_gazetteer().states.get(code) if code and where.get("country") == "US" else None
        values["state"] = st.name if st is not None else None
    for f in ("killed", "injured"):
        v = event.get(f)
        values[f] = v.get("value") if isinstance(v, dict) else None
    return values


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


_CIVIL = re.compile(r"^(?:(?:charter\s+)?(?:town|township|village)\s+of\s+)?(.+?)(?:\s+(?:charter\s+)?(?:township|twp))?$")


def city_key(name: str) -> str:
    """The normalised key of a predicted town, a civil township named as the archive names it
    ("Franklin Township" -> "franklin")."""
    m = _CIVIL.match(normalise(name))
    return m.group(1) if m else normalise(name)


def right(field_name: str, value: Any, gold: GvcIncident) -> bool:
    """Whether a value of ``field_name`` is the record's."""
    if value is None:
        return False
    if field_name == "date":
        return value == gold.date
    if field_name == "city":
        keys = gold_city_keys(gold.city_or_county)
        return normalise(value) in keys or city_key(value) in keys
    if field_name == "state":
        return value == gold.state
    if field_name == "killed":
        return value == gold.killed
    return value == gold.injured


def gold_value(f: str, gold: GvcIncident) -> Any:
    """The record's value of a field, as JSON."""
    if f == "date":
        return gold.date.isoformat()
    return {"city": gold.city_or_county, "state": gold.state, "killed": gold.killed,
            "injured": gold.injured}[f]


def score_incidents(product: ProductRun, docs: list[GoldDoc], incidents: dict[str, GvcIncident]
                    ) -> dict[str, Any]:
    """Accuracy per field over the incidents of ``docs``, and each wrong field with its story."""
    stories = incident_stories(product, docs)
    right_n = dict.fromkeys(FIELDS, 0)
    errors: list[dict[str, Any]] = []
    for iid, record in stories.items():
        gold = incidents[iid]
        values = record_values(record)
        for f in FIELDS:
            if right(f, values[f], gold):
                right_n[f] += 1
            else:
                v = values[f]
                errors.append({"incident_id": iid, "field": f, "gold": gold_value(f, gold),
                               "predicted": v.isoformat() if isinstance(v, date) else v,
                               "story": record["id"] if record else None})
    n = len(stories)
    metrics: dict[str, Any] = {f"{f}_accuracy": round(right_n[f] / n, 4) if n else 0.0 for f in FIELDS}
    metrics["incidents"] = n
    metrics["articles"] = len(docs)
    metrics["errors"] = errors
    return metrics


def evaluate_gvc_facts(path: Path, split: str = "test", *, cache_dir: Path | None = None,
                       progress: Progress = SILENT,
                       run: tuple[ProductRun, list[GoldDoc]] | None = None) -> dict[str, Any]:
    """Accuracy of the incident facts of the story records ``crosswire run`` makes of a GVC split:
    ``date_accuracy``, ``city_accuracy``, ``state_accuracy``, ``killed_accuracy``,
    ``injured_accuracy``, ``incidents``, ``articles``, ``errors`` (``run``: a run of
    :func:`crosswire.evaluate.gvc_stories.run_gvc` already made)."""
    if split not in SPLITS:
        raise ValueError(f"unknown GVC split {split!r}: use one of {', '.join(SPLITS)}")
    _, incidents = read_gvc(path)
    product, docs = run or run_gvc(path, split, cache_dir=cache_dir, progress=progress)
    return score_incidents(product, docs, incidents)
