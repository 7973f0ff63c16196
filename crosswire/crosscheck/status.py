"""Status of each cross-checked fact: corroborated, single source or in conflict, counting
independent sources; and the fact x outlet matrix (agrees / conflicts / silent).

Stage ``status.v2``. Needs what :mod:`crosswire.crosscheck.align` gives: per slot, a list of
:class:`Observation` (one article's value with its source spans) and a ``merge`` function that
tells whether two values agree (returning what both allow) or not (None).

Independence: a syndicated copy (``duplicate_of`` set, or story role ``copy``) counts as its
original, and every article of one outlet counts once, so a source key is the outlet of the
original (or the original's id when its outlet is unknown). An observation may name its own
source (``Observation.source``): a quote an article says was given to another outlet ("told the
Baltic Herald") counts for that outlet.

Strength: an observation whose ``detail`` carries ``weak`` (a reason: a dateline against a place
the text binds to the event, a day from a sentence about a later hearing, a 0 nobody stated) is
a reading, not a statement of the slot: it never is a side of a conflict and never counts
towards corroboration; it stays visible in :attr:`Assessment.others` with its reason. One whose
``detail`` carries ``soft`` only implies its value (a 0 injured from "shot and killed", a day
in a sentence about the funeral, a dateline): it counts with the values it agrees with, and is
set aside as another reading, never a side, when it agrees with none.

A fact is ``conflict`` only when two groups of strong values that do not agree are each stated
by a source of its own (a *side*: a group with a source key no other group has; an outlet
that states both values is no side, it contradicts itself); ``corroborated`` when its leading
group of strong values comes from two or more source keys; ``single_source`` otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from crosswire.outlets import outlet_key

STAGE = "status.v2"  # v2: sides need a source of their own; weak and soft readings
STATUSES = ("corroborated", "single_source", "conflict")
Merge = Callable[[Any, Any], Any]


@dataclass
class Observation:
    """One article's statement of a slot: a normalised value and the spans that say it."""

    article: str
    value: Any
    text: str
    sources: list[dict[str, Any]]  # {"article", "start", "end", "text"[, "in": "title"]}
    facts: list[str] = field(default_factory=list)  # ids of the stored facts it came from
    shown: Any = None  # the value as the output shows it (default: ``value``)
    context: str = ""  # the words around it, for slots that need them (counts)
    detail: dict[str, Any] = field(default_factory=dict)
    source: str | None = None  # its source key when not its article's (a quote given to another outlet)

    @property
    def display(self) -> Any:
        return self.value if self.shown is None else self.shown


@dataclass
class ValueGroup:
    """Observations whose values all agree, with what they jointly allow (``value``)."""

    value: Any
    observations: list[Observation] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(o.article for o in self.observations))

    def sources_keys(self, keys: dict[str, str]) -> list[str]:
        return list(dict.fromkeys(source_key(o, keys) for o in self.observations))


@dataclass
class Other:
    """A reading that is not a side of the fact: its observations and why (``reason``)."""

    group: ValueGroup
    reason: str
    agrees: bool


@dataclass
class Assessment:
    """A slot's groups of agreeing values (the sides of a conflict, or the leading group, first)
    with its status, and the readings that are no side (``others``)."""

    status: str
    groups: list[ValueGroup]
    independent_sources: int
    keys: dict[str, str]
    others: list[Other] = field(default_factory=list)

    @property
    def leading(self) -> ValueGroup:
        return self.groups[0]


def source_key(o: Observation, keys: dict[str, str]) -> str:
    """The independent source an observation counts for."""
    return o.source or keys.get(o.article, o.article)


def _root(aid: str, articles: dict[str, dict[str, Any]]) -> str:
    seen = set()
    while aid not in seen:
        seen.add(aid)
        dup = (articles.get(aid) or {}).get("duplicate_of")
        if not dup:
            break
        aid = dup
    return aid


def independence_keys(articles: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Article id -> source key: copies count as their original, articles of one outlet once.

    Each article is a dict with ``id``, ``outlet`` and optionally ``duplicate_of`` and ``role``
    (a ``copy`` without ``duplicate_of`` is taken at its own word: it counts with no other).
    """
    by_id = {a["id"]: dict(a) for a in articles}
    keys: dict[str, str] = {}
    for aid in by_id:
        root = _root(aid, by_id)
        outlet = (by_id.get(root) or {}).get("outlet")
        if outlet is None and root == aid:
            outlet = by_id[aid].get("outlet")
        keys[aid] = f"outlet:{outlet_key(outlet)}" if outlet and outlet.strip() else f"article:{root}"
    return keys


def is_empty(value: Any) -> bool:
    """A value that says nothing (None, "", an empty container, a record or pair of Nones): never
    a side of a conflict."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict):
        return all(is_empty(v) for v in value.values())
    if isinstance(value, tuple | list):
        return all(is_empty(v) for v in value)
    return False


def normal_form(value: Any) -> str:
    """A shown value folded for equality: case, spacing, curly quotes and apostrophes."""
    import json
    import unicodedata

    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    text = unicodedata.normalize("NFKC", text).lower()
    for a, b in (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("`", "'"), ("“", '\\"'), ("”", '\\"')):
        text = text.replace(a, b)
    return " ".join(text.split())


def group_values(observations: list[Observation], merge: Merge) -> list[ValueGroup]:
    """Observations clustered greedily: each joins the first group whose joint value it agrees
    with (the group's value narrows to what both allow), or that already holds an observation
    showing the same value after :func:`normal_form` (equal values never conflict), else starts a
    group."""
    groups: list[ValueGroup] = []
    for o in observations:
        shown = normal_form(o.display)
        for g in groups:
            joint = merge(g.value, o.value)
            if joint is None and any(normal_form(x.display) == shown for x in g.observations):
                joint = g.value
            if joint is not None:
                g.value = joint
                g.observations.append(o)
                break
        else:
            groups.append(ValueGroup(o.value, [o]))
    return groups


def weak_reason(o: Observation) -> str | None:
    """Why an observation is a reading rather than a statement of its slot (None: strong)."""
    return o.detail.get("weak") or None


def soft_reason(o: Observation) -> str | None:
    """Why an observation only *implies* its value (a 0 injured from "shot and killed", a day in a
    sentence about the funeral, a dateline): it agrees and counts with a group it fits, but is
    never a side against a stated value."""
    return o.detail.get("soft") or None


def _sides(groups: list[ValueGroup], keys: dict[str, str]) -> list[ValueGroup]:
    """Groups stated by a source of their own: a source key found in no other group."""
    held = [set(g.sources_keys(keys)) for g in groups]
    return [g for i, g in enumerate(groups)
            if held[i] - set().union(*(h for j, h in enumerate(held) if j != i))]


def assess(observations: list[Observation], merge: Merge, keys: dict[str, str],
           order: Callable[[Observation], Any] | None = None) -> Assessment:
    """Group a slot's observations and name its status (see the module docstring).

    ``order`` sorts the observations before grouping (most specific first gives tighter groups);
    the leading group is the one with the most independent sources, then the most articles,
    then the earliest observation. Firm observations are grouped first; a soft one joins the
    first group it agrees with (else it is another reading); weak ones never join. Only when no
    firm observation exists do soft ones make the groups (never a conflict), and only when no
    other exists do weak ones (then the fact is ``single_source``).
    """
    first = {id(o): i for i, o in enumerate(observations)}
    weak = [o for o in observations if weak_reason(o)]
    soft = [o for o in observations if not weak_reason(o) and soft_reason(o)]
    firm = [o for o in observations if not weak_reason(o) and not soft_reason(o)]
    tier = firm or soft or weak
    obs = sorted(tier, key=order) if order is not None else list(tier)
    groups = group_values(obs, merge)

    def rank(g: ValueGroup) -> tuple:
        return (-len(g.sources_keys(keys)), -len(g.articles), min(first[id(o)] for o in g.observations))
    groups.sort(key=rank)
    others: list[Other] = []
    if firm:
        for o in sorted(soft, key=order) if order is not None else soft:
            for g in groups:
                joint = merge(g.value, o.value)
                if joint is not None:
                    g.value = joint
                    g.observations.append(o)
                    break
            else:
                others.append(Other(ValueGroup(o.value, [o]), str(soft_reason(o)), False))
        groups.sort(key=rank)
    sides = _sides(groups, keys) if firm else []
    if len(sides) >= 2:
        status = "conflict"
        for g in groups:
            if g not in sides:
                others.append(Other(g, "outlet_states_both_sides", False))
        groups = sides
    else:
        lead = groups[0]
        for g in groups[1:]:
            why = "outlet_contradicts_itself" if firm else str(soft_reason(g.observations[0]) if soft
                                                               else weak_reason(g.observations[0]))
            others.append(Other(g, why, False))
        groups = [lead]
        status = "corroborated" if (firm or soft) and len(lead.sources_keys(keys)) >= 2 else "single_source"
    if firm or soft:
        for o in weak:
            others.append(Other(ValueGroup(o.value, [o]), str(weak_reason(o)),
                                merge(groups[0].value, o.value) is not None))
    all_keys = {source_key(o, keys) for g in groups for o in g.observations}
    return Assessment(status, groups, len(all_keys), keys, others)


# ---------------------------------------------------------------- languages
ACROSS_LANGUAGES = "across_languages"


def mark_languages(facts: list[dict[str, Any]], languages: dict[str, str | None], keys: dict[str, str]) -> None:
    """Give each corroborated fact the languages of the sources of its leading value and, when no
    language holds two of its independent sources (each language has one, so the agreement rests
    on facts aligned across languages: GeoNames ids, ISO days, numbers, transliterated names),
    ``corroboration = "across_languages"``. ``languages``: article id -> ISO 639-1 code (or None)."""
    for f in facts:
        if f.get("status") != "corroborated" or not f.get("values"):
            continue
        by_key: dict[str, set[str]] = {}
        for aid in f["values"][0].get("articles") or []:
            by_key.setdefault(keys.get(aid, aid), set()).add(languages.get(aid) or "")
        langs = sorted({lang for ls in by_key.values() for lang in ls if lang})
        if len(langs) < 2:
            continue
        f["languages"] = langs
        per_language = {lang: sum(lang in ls for ls in by_key.values()) for lang in langs}
        if len(by_key) >= 2 and all(ls - {""} for ls in by_key.values()) and max(per_language.values()) < 2:
            f["corroboration"] = ACROSS_LANGUAGES


# ---------------------------------------------------------------- the fact x outlet matrix
def outlet_columns(articles: list[dict[str, Any]], keys: dict[str, str]) -> list[dict[str, Any]]:
    """One column per outlet (an article without an outlet is a column of its own), in the
    order the story placed them, each with its articles and independent-source key."""
    cols: dict[str, dict[str, Any]] = {}
    for a in articles:
        name = a.get("outlet") or f"unknown outlet ({a['id'][:8]})"
        col = cols.setdefault(name, {"outlet": name, "articles": [], "copies": [], "sources": []})
        col["articles"].append(a["id"])
        if a.get("duplicate_of") or a.get("role") == "copy":
            col["copies"].append(a["id"])
        key = keys.get(a["id"], a["id"])
        if key not in col["sources"]:
            col["sources"].append(key)
    return list(cols.values())


def matrix_row(assessment: Assessment, columns: list[dict[str, Any]]) -> dict[str, str]:
    """Outlet -> ``agrees`` (it states the leading value), ``conflicts`` (it states another value;
    also when it states both), or ``silent``."""
    lead = set(assessment.leading.articles)
    other = {a for g in assessment.groups[1:] for a in g.articles}
    cells = {}
    for col in columns:
        arts = set(col["articles"])
        if arts & other:
            cells[col["outlet"]] = "conflicts"
        elif arts & lead:
            cells[col["outlet"]] = "agrees"
        else:
            cells[col["outlet"]] = "silent"
    return cells
