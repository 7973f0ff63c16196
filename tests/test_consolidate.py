"""Consolidation's split: which cut of a story's similarity graph is tried, and on what evidence
two sides are two events (unit tests on similarity matrices and features of our own)."""

from __future__ import annotations

import numpy as np

from crosswire.stories.consolidate import _bisect, _cut, _halves
from crosswire.stories.features import ArticleFeatures


def _two_events_and_an_odd_report() -> np.ndarray:
    """Reports 0-4 of one event, 5-9 of a look-alike (alike within 0.5, 0.2 across), and report 10
    barely like anything (0.05): average link's first cut takes the odd report alone."""
    sim = np.full((11, 11), 0.2)
    sim[:5, :5] = sim[5:10, 5:10] = 0.5
    sim[10, :] = sim[:, 10] = 0.05
    np.fill_diagonal(sim, 1.0)
    return sim


def test_the_spectral_bisection_cuts_two_look_alike_events_where_average_link_takes_one_odd_report() -> None:
    sim = _two_events_and_an_odd_report()
    first, second = _halves(sim)
    assert min(len(first), len(second)) == 1
    a, b = _bisect(sim)
    assert 0 in a and set(range(5)) <= set(a) and set(range(5, 10)) <= set(b)


class _Arts:
    def __init__(self, feats: dict[str, ArticleFeatures]):
        self.feats = feats


def _f(aid: str, people: tuple[str, ...], year: int) -> ArticleFeatures:
    return ArticleFeatures(id=aid, title="", body="", people=people, latest_year=year)


def test_a_cut_on_two_kinds_of_clashing_fact_needs_both_kinds_and_big_enough_sides() -> None:
    sim = _two_events_and_an_odd_report()[:10, :10]
    a, b = list(range(5)), list(range(5, 10))
    ids = [f"r{i}" for i in range(10)]
    both = _Arts({f"r{i}": _f(f"r{i}", ("bush",) if i < 5 else ("thomas",), 2008 if i < 5 else 2011) for i in range(10)})
    between, clash = _cut(both, ids, sim, a, b, 0.235, -1.0, 2, 3)  # type: ignore[arg-type, misc]
    assert round(between, 6) == 0.2 and clash == ["the people they are about", "the latest year they name"]
    people_only = _Arts({f"r{i}": _f(f"r{i}", ("bush",) if i < 5 else ("thomas",), 2008) for i in range(10)})
    assert _cut(people_only, ids, sim, a, b, 0.235, -1.0, 2, 3) is None  # type: ignore[arg-type]
    assert _cut(both, ids, sim, a, b, 0.19, -1.0, 2, 3) is None  # type: ignore[arg-type]
    assert _cut(both, ids, sim, a[:2], b, 0.235, -1.0, 2, 3) is None  # type: ignore[arg-type]
