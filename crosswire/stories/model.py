"""Does this article report that story's event? Comparison features and the learned decision.

:func:`compare` sets an article against a story's state and returns the feature values the model
weighs plus the evidence shown as the article's "why":

* how alike the texts are: TF-IDF cosines of the title, body, lead and names with the story's
  centroids;
* what they agree on: surnames, the names and the people the article is about, places, the
  event's place and day, days named, death and injury tolls, the kind of event. Each agreement is
  scaled by how alike the texts are (the same day or city says little about reports that share
  nothing else);
* what clashes: another event place (beyond :data:`NEAR_KM`) or country/state, another event day,
  another death toll, no year in common or another latest year named (a report names its own
  year), a name the article is about that the story never names, a person the article is about
  who is not the story's while the article never names the story's (another coach fired, another
  player arrested); and whether two or three kinds of fact clash at once (one clash is often an
  extraction slip; several rarely are);
* the publication gap (for an undated article, from the latest day its own text names) and the
  story's size.

The story's side of a fact is what at least :data:`MAIN_SHARE` of its articles say, so one stray
report cannot make a story match everything. :class:`StoryModel` scores each candidate story with
a logistic regression over those features, then decides with a second one whether the article
joins the best story or starts a new one; both are learned on ECB+ and GVC training data by
``benchmarks/train_story_model.py`` and shipped as a versioned JSON file (``model-v1.json``) with
the join threshold (tuned on the train and dev splits), the related threshold and the
candidate-search settings. Whatever the words say, an article whose event day is days from the
story's while another kind of hard fact clashes too (:func:`another_event`) joins at most as
related: a follow-up, not the same event.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from crosswire.errors import CrosswireError
from crosswire.extract.places.gazetteer import haversine_km
from crosswire.stories.features import ArticleFeatures, PlaceRef, iso_day
from crosswire.stories.state import StoryState
from crosswire.stories.vectors import ArticleVectors, DocFreq, dot, log_scaled

MODEL_FILE = "model-v1.json"
WINDOW_DAYS = 120  # covers 97% of the gaps between consecutive reports of a GVC train incident
CANDIDATES = 24
MAIN_SHARE = 0.25
NEAR_KM = 40.0  # two event places closer than this may be one place written two ways
DAY_CLASH_DAYS = 2  # event days further apart than this clash (closer: one day told two ways)
FEATURES = (
    "body", "title", "names", "lead", "surnames", "focus_same", "focus_clash", "person_same", "person_clash",
    "places_shared", "place_same", "place_near", "place_clash", "region_clash", "day_same", "day_clash", "days_shared",
    "year_clash", "latest_year_clash", "pub_gap", "pub_unknown", "killed_same", "killed_clash", "injured_same",
    "injured_clash", "type_same", "type_clash", "clashes2", "clashes3", "size",
)
# Agreements of facts, weighed by how alike the two texts are: on a news day many events share a
# date, a type or a city's name with another one.
AGREEMENTS = ("surnames", "focus_same", "person_same", "places_shared", "place_same", "place_near", "day_same",
              "days_shared", "killed_same", "injured_same", "type_same")
# Kinds of hard fact that can clash; one clash is often an extraction slip, two or three rarely are.
# (A changed injured count is not one: follow-ups report the injured who died.)
CLASH_KINDS = (("place_clash", "region_clash"), ("day_clash",), ("killed_clash",), ("year_clash", "latest_year_clash"),
               ("focus_clash", "person_clash"))


def main_values(counts: Counter, n: int) -> list:  # type: ignore[type-arg]
    """The values a story stands for: those at least :data:`MAIN_SHARE` of its articles give (all of
    them while the story is small), so one stray report cannot make it match everything."""
    floor = max(1.0, MAIN_SHARE * n)
    return [v for v, c in counts.items() if c >= floor] or [v for v, _ in counts.most_common(1)]


def _fine(places: list[PlaceRef]) -> list[PlaceRef]:
    return [p for p in places if p.fine]


def _distance(a: PlaceRef, b: PlaceRef) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]


def _places(f: ArticleFeatures, s: StoryState, x: dict[str, float], why: dict[str, Any]) -> None:
    mine = _fine(f.event_places)
    main = set(main_values(s.event_places, s.n))
    # the story's places most reported first, then by key: the clash a `why` names must not hang on
    # the order of a set (it changed with the process's hash seed)
    theirs = [s.place_info[k] for k in sorted(main, key=lambda k: (-s.event_places[k], str(k)))
              if k in s.place_info and s.place_info[k].fine]
    shared = [f.places[k].name for k in f.places if k in s.places]
    x["places_shared"] = min(len(shared), 3) / 3
    why["places"] = sorted(set(shared) | {p.name for p in mine if p.key in s.event_places})[:8]
    if mine and theirs:
        if mine[0].key in main:
            x["place_same"] = 1.0
        else:
            ds = [d for a in mine[:1] for b in theirs if (d := _distance(a, b)) is not None]
            if ds and min(ds) <= NEAR_KM:
                x["place_near"] = 1.0
            elif ds:
                x["place_clash"] = 1.0
                why["clashes"].append(f"event place {mine[0].name} vs {theirs[0].name}")
    regions = {(p.country, p.admin1) for p in f.event_places if p.country}
    story_regions = {(s.place_info[k].country, s.place_info[k].admin1) for k in main
                     if k in s.place_info and s.place_info[k].country}
    if regions and story_regions:
        countries = {c for c, _ in regions} & {c for c, _ in story_regions}
        states = {a for c, a in regions if a and c in countries} & {a for c, a in story_regions if a}
        known = any(a for c, a in regions if c in countries) and any(a for c, a in story_regions if c in countries)
        if not countries or (known and not states):
            x["region_clash"] = 1.0
            why["clashes"].append("another country or state")


def _dates(f: ArticleFeatures, s: StoryState, x: dict[str, float], why: dict[str, Any]) -> None:
    if f.event_day is not None and s.event_days:
        gap = min(abs(f.event_day - d) for d in main_values(s.event_days, s.n))
        if gap <= 1:
            x["day_same"] = 1.0
        elif gap > DAY_CLASH_DAYS:
            x["day_clash"] = 1.0
            why["clashes"].append(f"event day {iso_day(f.event_day)} is {gap} days from the story's")
    shared = sorted(d for d in f.days if d in s.days)
    x["days_shared"] = min(len(shared), 2) / 2
    why["dates"] = [iso_day(d) for d in shared[:5]]
    if f.years and s.years and not (f.years & set(s.years)):
        x["year_clash"] = 1.0
        why["clashes"].append(f"years {sorted(f.years)} vs {sorted(s.years)[:4]}")
    elif f.latest_year is not None and s.latest_years:
        latest = main_values(s.latest_years, s.n)
        if f.latest_year not in latest:  # a report names its own year; a look-alike of another year names that
            x["latest_year_clash"] = 1.0
            why["clashes"].append(f"latest year named {f.latest_year} vs {', '.join(map(str, sorted(latest)))}")
    day = f.day
    if day is None and f.days:  # an undated article: the latest day its own text names
        day = max(f.days)
        why["day_inferred"] = iso_day(day)
    if day is not None and s.first_day is not None and s.last_day is not None:
        gap = max(0, day - s.last_day, s.first_day - day)
        x["pub_gap"] = log_scaled(gap, 365)
        why["time_gap_days"] = gap
    else:
        x["pub_unknown"] = 1.0
        why["time_gap_days"] = None


def _facts(f: ArticleFeatures, s: StoryState, x: dict[str, float], why: dict[str, Any]) -> None:
    for name in ("killed", "injured"):
        value, counts = getattr(f, name), getattr(s, name)
        if value is None or not counts:
            continue
        seen = main_values(counts, s.n)
        if value in seen:
            x[f"{name}_same"] = 1.0
        else:
            x[f"{name}_clash"] = 1.0
            why["clashes"].append(f"{name} {value:g} vs {', '.join(f'{v:g}' for v in sorted(seen))}")
    if f.cameo and s.cameo:
        if f.cameo in s.cameo:
            x["type_same"] = 1.0
        else:
            x["type_clash"] = 1.0


def compare(f: ArticleFeatures, v: ArticleVectors, s: StoryState, df: DocFreq,
            bridge: Callable[..., None] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """The feature vector (in :data:`FEATURES` order) of article vs story, and the evidence
    (``bridge``: :class:`crosswire.stories.crosslingual.Bridge`, for reports in other languages)."""
    x = dict.fromkeys(FEATURES, 0.0)
    why: dict[str, Any] = {"clashes": []}
    for name, a, c in zip(("title", "body", "names", "lead"), v.tfidf(df), s.tfidf(df)):
        x[name] = dot(a, c)
    surnames = sorted(f.surnames & set(s.surnames))
    x["surnames"] = min(len(surnames), 3) / 3
    if f.people and s.people:  # whom the reports are about: another person is another event
        main = main_values(s.people, s.n)
        if any(p in main for p in f.people):
            x["person_same"] = 1.0
        elif not any(p in f.surnames for p in main):
            x["person_clash"] = 1.0
            why["clashes"].append(f"about {', '.join(f.people)}, the story about {', '.join(sorted(main)[:3])}")
    if f.focus and s.focus:
        if any(h in s.focus for h in f.focus):
            x["focus_same"] = 1.0
        elif not any(h in s.heads for h in f.focus):
            x["focus_clash"] = 1.0
            why["clashes"].append(f"about {', '.join(f.focus)}, which the story never names")
    _places(f, s, x, why)
    _dates(f, s, x, why)
    _facts(f, s, x, why)
    if bridge is not None:  # another language: what needs no words stands in for the words
        bridge(f, s, x, why)
    alike = max(x["body"], x["title"], x["names"], x["lead"])
    for k in AGREEMENTS:  # the same day or city says little about reports that share nothing else
        x[k] *= alike
    kinds = sum(any(x[k] for k in kind) for kind in CLASH_KINDS)
    x["clashes2"], x["clashes3"] = float(kinds >= 2), float(kinds >= 3)
    x["size"] = log_scaled(s.n, 50)
    shared_names = [n for n in dict.fromkeys(f.entities) if n in s.names]
    why["entities"] = [f.names.get(n, n) for n in shared_names[:8]]
    why["similarity"] = {k: round(x[k], 3) for k in ("body", "title", "names")}
    return np.array([x[k] for k in FEATURES], np.float64), why


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass
class StoryModel:
    """The learned decision, in two stages (as Miranda et al. 2018): a logistic regression over
    :data:`FEATURES` scores each candidate story (``coef``, ``intercept``); a second one decides
    whether the article joins the best of them, from that story's score and its margin over the
    runner-up (``join_coef``, ``join_intercept``: :data:`JOIN_FEATURES`)."""

    version: str
    coef: np.ndarray
    intercept: float
    join_coef: np.ndarray
    join_intercept: float
    threshold: float  # join the best story at or above this join probability
    related: float  # below the threshold but at or above this: a new story linked as related
    window_days: int = WINDOW_DAYS  # candidate search: stories with an article this close in time
    candidates: int = CANDIDATES  # stories looked up per article
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, x: np.ndarray) -> float:
        """The log-odds that the article reports the story's event."""
        return float(np.dot(self.coef, x)) + self.intercept

    def probability(self, x: np.ndarray) -> float:
        return _sigmoid(self.score(x))

    def join_probability(self, best: float, runner_up: float | None, x: np.ndarray) -> float:
        """The probability that the article belongs to the best-scored story (score ``best``, its
        features ``x``) rather than to a new one, given the runner-up's score."""
        p = _sigmoid(float(np.dot(self.join_coef, join_features(best, runner_up, x))) + self.join_intercept)
        if another_event(x):  # at most related: a later event at the same place or with the same people
            p = min(p, self.related)
        return p

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "features": list(FEATURES),
                "coef": [round(float(c), 6) for c in self.coef], "intercept": round(self.intercept, 6),
                "join_features": list(JOIN_FEATURES), "join_coef": [round(float(c), 6) for c in self.join_coef],
                "join_intercept": round(self.join_intercept, 6),
                "threshold": self.threshold, "related": self.related, "window_days": self.window_days,
                "candidates": self.candidates, **self.meta}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "StoryModel":
        if list(d.get("features", [])) != list(FEATURES) or list(d.get("join_features", [])) != list(JOIN_FEATURES):
            raise CrosswireError(
                f"story model {d.get('version')!r} was trained on other features than this crosswire "
                "computes; rebuild it with benchmarks/train_story_model.py")
        meta = {k: v for k, v in d.items() if k not in _KEYS}
        return cls(d["version"], np.array(d["coef"], np.float64), float(d["intercept"]),
                   np.array(d["join_coef"], np.float64), float(d["join_intercept"]), float(d["threshold"]),
                   float(d["related"]), int(d["window_days"]), int(d["candidates"]), meta)

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


JOIN_SIMILARITY = ("body", "title", "names", "lead", "pub_unknown", "size")
JOIN_FEATURES = ("score", "margin", *JOIN_SIMILARITY)
_JOIN_AT = [FEATURES.index(k) for k in JOIN_SIMILARITY]
_DAY_CLASH, _CLASHES2 = FEATURES.index("day_clash"), FEATURES.index("clashes2")


def another_event(x: np.ndarray) -> bool:
    """Whether the article reports another event than the story's, whatever the words say: its
    event day is days away from the story's and another kind of hard fact clashes too (the toll,
    the place, the year, whom it is about). One clash alone is often an extraction slip; a follow-up
    at the same place, days or weeks later, reported in the same words, is not the same event."""
    return bool(x[_DAY_CLASH] and x[_CLASHES2])
_KEYS = ("version", "features", "coef", "intercept", "join_features", "join_coef", "join_intercept", "threshold",
         "related", "window_days", "candidates")


def join_features(best: float, runner_up: float | None, x: np.ndarray) -> np.ndarray:
    """The second stage's inputs: the best story's score (log-odds), how much more probable it is
    than the runner-up, and how alike the texts are (whether dates are known, the story's size).
    (Not the agreements and clashes of facts: refitting them on the best candidates undid what the
    counterfactual look-alikes taught the first stage.)"""
    second = 0.0 if runner_up is None else _sigmoid(runner_up)
    return np.concatenate([[best, _sigmoid(best) - second], x[_JOIN_AT]])


_LOADED: dict[str, StoryModel] = {}


def load_model(path: Path | None = None) -> StoryModel:
    """The story model shipped in the package (or the one at ``path``), read once."""
    key = str(path or MODEL_FILE)
    if key not in _LOADED:
        if path is None:
            text = resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        _LOADED[key] = StoryModel.from_dict(json.loads(text))
    return _LOADED[key]
