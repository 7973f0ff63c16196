"""Alert rules evaluated against a story's cross-checked record (``crosswire show --format json``).

Every key a rule gives must match; each key that matches says why in the alert's ``reason`` and
names the facts (and through their sources the articles) that made it match. Places: the event's
places (``event.where``, and the other places its place facts give it) with their country, GeoNames id
and coordinates; distances to a border use
the Natural Earth shapes of :mod:`crosswire.crosscheck.geography` (inside the country: to its land
border; outside: to its territory). ``new_conflict`` and ``count_changed`` compare the record with
the snapshot the rule took when it last saw the story (kept in the store): a story seen for the first
time has no count that changed, and each conflict it has is new.

An alert's ``digest`` is a hash of what triggered it in stable terms (the places, keywords, actors,
event code, the conflicts that are new, the counts that changed and their new values), so the same
story and change never alerts twice -- another article repeating it changes nothing -- while a new
place, conflict or count alerts again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from crosswire.times import utcnow_iso
from crosswire.watch.config import Rule


@dataclass
class Match:
    reasons: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # articles that matched outside any fact (a keyword)
    changes: list[Any] = field(default_factory=list)  # what triggered it, in stable terms: the digest's input


def snapshot(record: dict[str, Any]) -> dict[str, Any]:
    """What the change keys compare: each count (by what it counts) and the facts in conflict."""
    counts: dict[str, dict[str, list[Any]]] = {}
    for f in record.get("facts", []):
        if f.get("kind") == "count":  # one thing counted may have several facts (figures not reconciled)
            entry = counts.setdefault(str(f.get("about")), {"values": [], "ids": []})
            entry["values"].append([f.get("value"), f.get("status")])
            entry["ids"].append(f.get("id"))
    for entry in counts.values():
        entry["values"].sort(key=lambda v: json.dumps(v, sort_keys=True, default=str))
    conflicts = sorted(f"{f.get('kind')}:{f.get('about')}" for f in record.get("facts", []) if f.get("status") == "conflict")
    return {"counts": counts, "conflicts": conflicts}


def _places(record: dict[str, Any]) -> list[tuple[dict[str, Any], str | None]]:
    """The event's places (``event.where``, then every other place a fact gives the event: a story's
    sources may name several), each with the id of its place fact (when there is one)."""
    facts = [f for f in record.get("facts", []) if f.get("kind") == "place" and isinstance(f.get("value"), dict)]
    out = []
    for place in (record.get("event") or {}).get("where") or []:
        fid = next((f["id"] for f in facts
                    if (f["value"].get("geonameid") == place.get("geonameid") and place.get("geonameid") is not None
                        or f["value"].get("name") == place.get("name"))), None)
        out.append((place, fid))
    named = {(p.get("geonameid"), p.get("name")) for p, _ in out}
    for f in facts:
        if f.get("about") == "event.where" and (f["value"].get("geonameid"), f["value"].get("name")) not in named:
            named.add((f["value"].get("geonameid"), f["value"].get("name")))
            out.append((f["value"], f["id"]))
    return out


def _where(place: dict[str, Any]) -> str:
    return f"{place.get('name')} ({place.get('country') or '?'})"


def _independent_sources(record: dict[str, Any]) -> int:
    outlets = (record.get("matrix") or {}).get("outlets") or []
    keys = {s for o in outlets for s in o.get("sources") or []}
    if keys:
        return len(keys)
    return max((int(f.get("independent_sources") or 0) for f in record.get("facts", [])), default=0)


def _texts(record: dict[str, Any]) -> Iterable[tuple[str | None, str]]:
    yield None, str(record.get("title") or "")
    yield None, str(((record.get("event") or {}).get("type") or {}).get("label") or "")
    for f in record.get("facts", []):
        yield f.get("id"), str(f.get("text") or "")
        for s in f.get("sources") or []:
            yield f.get("id"), str(s.get("text") or "")


def _keyword(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word), re.IGNORECASE)


def _near(m: Match, places: list[tuple[dict[str, Any], str | None]],
          distance: Callable[[float, float], float | None], km: float, key: str, what: str) -> bool:
    """The places within ``km`` by ``distance`` added to ``m`` (reason, facts, change ``key``); False when none."""
    hits = []
    for p, fid in places:
        if p.get("lat") is None or p.get("lon") is None:
            continue
        d = distance(float(p["lat"]), float(p["lon"]))
        if d is not None and d <= km:
            hits.append((p, fid, d))
    if not hits:
        return False
    m.reasons.append("; ".join(f"{_where(p)} is {d:.0f} km {what} (rule: within {km:g} km)" for p, _, d in hits))
    m.facts.extend(fid for _, fid, _ in hits if fid)
    m.changes.append([key, sorted(str(p.get("geonameid") or p.get("name")) for p, _, _ in hits)])
    return True


def evaluate(rule: Rule, record: dict[str, Any], before: dict[str, Any] | None,
             languages: Callable[[list[str]], set[str]],
             texts: Callable[[list[str]], list[tuple[str, str]]] = lambda ids: [],
             acled: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None) -> Match | None:
    """The match of ``rule`` on a story record (None when a key fails). ``before``: the snapshot the rule
    took of this story last time (None: never seen); ``languages``: the languages of some articles;
    ``texts``: ``(id, title and text)`` of some articles (keywords are looked for there too); ``acled``:
    the story's ACLED (type, sub-type) as ``export --format acled`` gives it (without it: its CAMEO
    code's own)."""
    m = Match()
    event = record.get("event") or {}
    if rule.cameo:
        code = str((event.get("type") or {}).get("cameo") or "")
        if not code or not any(code.startswith(p) for p in rule.cameo):
            return None
        m.reasons.append(f"event CAMEO {code} ({(event.get('type') or {}).get('label')})")
        m.changes.append(["cameo", code])
    if rule.acled:
        if acled is None:
            from crosswire.extract.events.cameo import acled_for

            kind = acled_for((event.get("type") or {}).get("cameo"))
        else:
            kind = acled(record)
        said = [n for n in (kind or ()) if n.lower() in rule.acled]
        if not said:
            return None
        m.reasons.append(f"ACLED {kind[0]} / {kind[1]}")  # type: ignore[index]
        m.changes.append(["acled", list(kind)])  # type: ignore[arg-type]
    places = _places(record)
    if rule.countries:
        hits = [(p, fid) for p, fid in places if (p.get("country") or "").upper() in rule.countries]
        if not hits:
            return None
        m.reasons.append("in " + ", ".join(_where(p) for p, _ in hits))
        m.facts.extend(fid for _, fid in hits if fid)
        m.changes.append(["countries", sorted(str(p.get("geonameid") or p.get("name")) for p, _ in hits)])
    if rule.geonameid:
        hits = [(p, fid) for p, fid in places if p.get("geonameid") in rule.geonameid]
        if not hits:
            return None
        m.reasons.append("at " + ", ".join(f"{_where(p)} [GeoNames {p.get('geonameid')}]" for p, _ in hits))
        m.facts.extend(fid for _, fid in hits if fid)
        m.changes.append(["geonameid", sorted(p.get("geonameid") for p, _ in hits)])
    if rule.near_border:
        from crosswire.crosscheck.geography import border_distance_km

        country, km = rule.near_border
        if not _near(m, places, lambda lat, lon: border_distance_km(lat, lon, country), km, "near_border",
                     f"from the border of {country}"):
            return None
    if rule.within:
        from crosswire.crosscheck.geography import distance_km

        lat0, lon0, km = rule.within
        if not _near(m, places, lambda lat, lon: distance_km((lat0, lon0), (lat, lon)), km, "within",
                     f"from ({lat0:g}, {lon0:g})"):
            return None
    if rule.keywords:
        found: dict[str, list[str]] = {}
        articles = texts([a["id"] for a in record.get("articles", [])])
        for word in rule.keywords:
            pattern = _keyword(word)
            for fid, text in _texts(record):
                if pattern.search(text):
                    found.setdefault(word, [])
                    if fid and fid not in found[word]:
                        found[word].append(fid)
            for aid, text in articles:
                if pattern.search(text):
                    found.setdefault(word, [])
                    if aid not in m.articles:
                        m.articles.append(aid)
        if not found:
            return None
        m.reasons.append("mentions " + ", ".join(repr(w) for w in found))
        m.facts.extend(fid for fids in found.values() for fid in fids[:3])
        m.changes.append(["keywords", sorted(found)])
    if rule.actors:
        hits = []
        for f in record.get("facts", []):
            if f.get("kind") not in {"actor", "name"}:
                continue
            said = f"{f.get('about')} {f.get('value') if isinstance(f.get('value'), str) else ''}".lower()
            for actor in rule.actors:
                if actor in said:
                    hits.append((actor, f["id"]))
        if not hits:
            return None
        m.reasons.append("actor " + ", ".join(sorted({a for a, _ in hits})))
        m.facts.extend(fid for _, fid in hits)
        m.changes.append(["actors", sorted({a for a, _ in hits})])
    if rule.language:
        ids = [a["id"] for a in record.get("articles", [])]
        langs = languages(ids) & set(rule.language)
        if not langs:
            return None
        m.reasons.append("in " + ", ".join(sorted(langs)))
        m.changes.append(["language", sorted(langs)])
    if rule.min_independent_sources is not None:
        n = _independent_sources(record)
        if n < rule.min_independent_sources:
            return None
        m.reasons.append(f"{n} independent sources (rule: at least {rule.min_independent_sources})")
        m.changes.append(["min_independent_sources", rule.min_independent_sources])
    now = snapshot(record)
    if rule.new_conflict:
        facts = {f"{f.get('kind')}:{f.get('about')}": f for f in record.get("facts", []) if f.get("status") == "conflict"}
        new = [k for k in now["conflicts"] if k not in set((before or {}).get("conflicts", []))]
        if not new:
            return None
        m.reasons.append("new conflict on " + ", ".join(new))
        m.facts.extend(facts[k]["id"] for k in new)
        m.changes.append(["conflicts", new])
    if rule.count_changed:
        if before is None:
            return None
        changed = []
        for about, was in sorted(before.get("counts", {}).items()):
            is_ = now["counts"].get(about)
            if is_ is not None and is_["values"] != was.get("values"):
                changed.append((about, was, is_))
        if not changed:
            return None
        m.reasons.append("; ".join(f"count of {about} changed from {_counts(was)} to {_counts(is_)}"
                                   for about, was, is_ in changed))
        m.facts.extend(fid for _, _, is_ in changed for fid in is_["ids"] if fid)
        m.changes.append([[about, is_["values"]] for about, _, is_ in changed])
    m.facts = list(dict.fromkeys(m.facts))
    return m


def _counts(c: dict[str, Any]) -> str:
    shown = []
    for v, status in c.get("values", []):
        if isinstance(v, dict) and v.get("value") is not None:
            shown.append(f"{v['value']:g} ({status})")
        elif isinstance(v, dict):
            shown.append(f"{v.get('low') or 0:g}-{v.get('high') or 0:g} ({status})")
        else:
            shown.append(f"{v} ({status})")
    return " and ".join(shown) or "nothing"


def alert_line(rule: Rule, record: dict[str, Any], match: Match) -> tuple[str, dict[str, Any]]:
    """``(digest, line)``: the alert of a match, in the contract's shape plus ``title`` and ``digest``."""
    facts = {f["id"]: f for f in record.get("facts", [])}
    articles = [s["article"] for fid in match.facts for s in facts.get(fid, {}).get("sources", [])]
    articles += match.articles
    if not articles:
        articles = [a["id"] for a in record.get("articles", [])]
    trigger = json.dumps([rule.name, record["id"], match.changes], sort_keys=True, default=str)
    digest = hashlib.sha256(trigger.encode()).hexdigest()[:16]
    line = {
        "rule": rule.name, "story": record["id"],
        "reason": "; ".join(match.reasons) or "the rule matches every story",
        "articles": list(dict.fromkeys(articles)), "facts": match.facts, "at": utcnow_iso(),
        "title": record.get("title"), "digest": digest,
    }
    return digest, line
