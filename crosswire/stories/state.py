"""What a story knows of itself to judge a new article: centroids and the facts of its articles.

A :class:`StoryState` is built by adding articles one at a time (:meth:`StoryState.add`): the
sums of their TF-IDF vectors (title, body, names) and counts of the names, surnames, places,
event places, days, years, casualty figures and CAMEO roots they report. It is stored with the
story (JSON for the counts, packed arrays for the centroids) so that placing an article reads
only the few candidate stories, never their articles.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crosswire.stories.features import ArticleFeatures, PlaceRef
from crosswire.stories.vectors import ArticleVectors, DocFreq, Sparse, weighted

KEEP = {"title": 80, "body": 400, "names": 150, "lead": 150}  # centroid terms kept
_CAP = 80  # distinct values kept per counter (the most frequent)
_CAP_HEADS = 400  # name heads kept (a focus name absent from them counts as a clash)
_FIELDS = ("names", "surnames", "heads", "focus", "people", "places", "event_places", "countries", "event_days", "days",
           "years", "latest_years", "killed", "injured", "cameo")


@dataclass
class StoryState:
    """A story's running summary (see the module docstring)."""

    id: str
    title: str = ""
    n: int = 0  # articles counted (copies are not)
    first_day: int | None = None
    last_day: int | None = None
    title_vec: Sparse = field(default_factory=Sparse.empty)
    body_vec: Sparse = field(default_factory=Sparse.empty)
    names_vec: Sparse = field(default_factory=Sparse.empty)
    lead_vec: Sparse = field(default_factory=Sparse.empty)
    names: Counter = field(default_factory=Counter)  # normalised entity -> articles naming it
    shown: dict[str, str] = field(default_factory=dict)  # normalised entity -> as written
    surnames: Counter = field(default_factory=Counter)
    heads: Counter = field(default_factory=Counter)  # name heads -> articles naming them
    focus: Counter = field(default_factory=Counter)  # the heads its articles are about
    people: Counter = field(default_factory=Counter)  # the people its articles are about (surnames)
    places: Counter = field(default_factory=Counter)  # place key -> articles
    event_places: Counter = field(default_factory=Counter)
    place_info: dict[str, PlaceRef] = field(default_factory=dict)
    countries: Counter = field(default_factory=Counter)
    event_days: Counter = field(default_factory=Counter)
    days: Counter = field(default_factory=Counter)
    years: Counter = field(default_factory=Counter)
    latest_years: Counter = field(default_factory=Counter)  # each article's latest year named
    killed: Counter = field(default_factory=Counter)
    injured: Counter = field(default_factory=Counter)
    cameo: Counter = field(default_factory=Counter)
    posted: dict[int, int] = field(default_factory=dict)  # index key -> last day posted (index.py)
    _tfidf: tuple[Sparse, Sparse, Sparse, Sparse] | None = field(default=None, repr=False, compare=False)

    def tfidf(self, df: DocFreq) -> tuple[Sparse, Sparse, Sparse, Sparse]:
        """The centroids (title, body, names, lead) as normalised TF-IDF vectors, kept until the next
        :meth:`add` (the document frequencies do not change while a run places articles)."""
        if self._tfidf is None:
            self._tfidf = (weighted(self.title_vec, df.idf_words(self.title_vec.idx)),
                           weighted(self.body_vec, df.idf_words(self.body_vec.idx)),
                           weighted(self.names_vec, df.idf_names(self.names_vec.idx)),
                           weighted(self.lead_vec, df.idf_words(self.lead_vec.idx)))
        return self._tfidf

    def add(self, f: ArticleFeatures, v: ArticleVectors, df: DocFreq) -> None:
        """Count one article in (``df`` ranks the centroid terms kept)."""
        self._tfidf = None
        if self.n == 0:
            self.title = f.title
        self.n += 1
        if f.day is not None:
            self.first_day = f.day if self.first_day is None else min(self.first_day, f.day)
            self.last_day = f.day if self.last_day is None else max(self.last_day, f.day)
        self.title_vec = self.title_vec.add(v.title, KEEP["title"], df.idf_words)
        self.body_vec = self.body_vec.add(v.body, KEEP["body"], df.idf_words)
        self.names_vec = self.names_vec.add(v.names, KEEP["names"], df.idf_names)
        self.lead_vec = self.lead_vec.add(v.lead, KEEP["lead"], df.idf_words)
        # sets are counted in sorted order: a Counter's order decides its ties when trimmed and
        # main_values, and a set of strings iterates in an order PYTHONHASHSEED picks
        for key in sorted(set(f.entities)):
            self.names[key] += 1
            self.shown.setdefault(key, f.names.get(key, key))
        self.surnames.update(sorted(f.surnames))
        self.heads.update(sorted(f.heads))
        self.focus.update(f.focus)
        self.people.update(f.people)
        if f.latest_year is not None:
            self.latest_years[f.latest_year] += 1
        self.places.update(f.places.keys())
        self.event_places.update(list(dict.fromkeys(p.key for p in f.event_places)))
        for p in list(f.places.values()) + f.event_places:
            self.place_info.setdefault(p.key, p)
        self.countries.update(sorted(f.countries))
        if f.event_day is not None:
            self.event_days[f.event_day] += 1
        self.days.update(sorted(f.days))
        self.years.update(sorted(f.years))
        for name in ("killed", "injured"):
            value = getattr(f, name)
            if value is not None:
                getattr(self, name)[value] += 1
        if f.cameo:
            self.cameo[f.cameo] += 1
        self._trim()

    def _trim(self) -> None:
        for name in _FIELDS:
            c: Counter = getattr(self, name)
            cap = _CAP_HEADS if name == "heads" else _CAP
            if len(c) > cap:
                # ties at the cap go by value, not by the order the values came in
                setattr(self, name, Counter(dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:cap])))
        if len(self.shown) > 2 * _CAP:
            self.shown = {k: v for k, v in self.shown.items() if k in self.names}
        if len(self.place_info) > 2 * _CAP:
            keep = set(self.places) | set(self.event_places)
            self.place_info = {k: v for k, v in self.place_info.items() if k in keep}

    # ------------------------------------------------------------ storage
    def to_json(self) -> str:
        d: dict[str, Any] = {"title": self.title, "n": self.n, "first_day": self.first_day,
                             "last_day": self.last_day, "shown": self.shown,
                             "place_info": {k: p.to_dict() for k, p in self.place_info.items()},
                             "posted": {str(k): v for k, v in self.posted.items()}}
        for name in _FIELDS:
            d[name] = [[k, v] for k, v in getattr(self, name).items()]
        return json.dumps(d, ensure_ascii=False, separators=(",", ":"))

    def vectors_blob(self) -> bytes:
        vecs = (self.title_vec, self.body_vec, self.names_vec, self.lead_vec)
        head = np.array([len(v.idx) for v in vecs], np.int32).tobytes()
        return head + b"".join(v.idx.astype(np.int32).tobytes() + v.val.astype(np.float32).tobytes() for v in vecs)

    @classmethod
    def load(cls, story_id: str, state_json: str, blob: bytes) -> "StoryState":
        d = json.loads(state_json)
        s = cls(story_id, d["title"], d["n"], d["first_day"], d["last_day"])
        s.shown = d["shown"]
        s.place_info = {k: PlaceRef(**p) for k, p in d["place_info"].items()}
        s.posted = {int(k): v for k, v in d["posted"].items()}
        for name in _FIELDS:  # a state stored before a field existed has none of it
            setattr(s, name, Counter({k: v for k, v in d.get(name, [])}))
        sizes = np.frombuffer(blob[:16], np.int32)
        pos, vecs = 16, []
        for n in sizes:
            idx = np.frombuffer(blob[pos : pos + 4 * n], np.int32)
            val = np.frombuffer(blob[pos + 4 * n : pos + 8 * n], np.float32)
            vecs.append(Sparse(idx, val))
            pos += 8 * int(n)
        s.title_vec, s.body_vec, s.names_vec, s.lead_vec = vecs
        return s
