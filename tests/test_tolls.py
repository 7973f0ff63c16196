"""How news writes a toll, read on sentences written for these tests: people joined to a fate
"along with" others, and people counted by the list of their ages."""

from __future__ import annotations

import pytest

from crosswire.extract.quantities.find import event_figures, find_quantities
from crosswire.extract.time.timex import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def figures(nlp, text: str) -> tuple[float | None, float | None]:
    figs = event_figures(find_quantities(nlp(text)))
    return tuple(None if figs[k] is None else figs[k].value for k in ("killed", "injured"))


def test_people_along_with_others_share_their_fate_and_count_with_them(nlp) -> None:
    assert figures(nlp, "Two girls are dead along with their grandmother after a fire at a farmhouse, "
                        "deputies said.")[0] == 3
    assert figures(nlp, "Three teenagers were wounded along with a man and a woman when shots "
                        "were fired at the stop.")[1] == 5
    # no person in the phrase: nothing is added
    assert figures(nlp, "Two hikers were hurt along with their horse on the ridge trail.")[1] == 2
    assert figures(nlp, "Two hikers were hurt on the ridge trail.")[1] == 2


def test_a_list_of_ages_counts_the_people_it_follows(nlp) -> None:
    assert figures(nlp, "Deputies said the woman shot and killed her daughters, ages 7 and 9, inside "
                        "the trailer.")[0] == 2
    assert figures(nlp, "Four cousins, aged 10, 12, 13 and 15, were injured when the porch was hit.")[1] == 4
    # one age is a description of one person, not a count
    assert figures(nlp, "Her son, age 6, was wounded in the arm.")[1] == 1
