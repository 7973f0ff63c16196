"""The story's event day voted across its reports (:func:`crosswire.crosscheck.event.vote_when`)
on statements written for these tests."""

from __future__ import annotations

from datetime import date

from crosswire.crosscheck.align import Slot
from crosswire.crosscheck.event import vote_when
from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.status import Observation
from crosswire.extract.events.summary import names_day


def _report(aid: str, published: str) -> StoryArticle:
    return StoryArticle(aid, "A shooting", "A girl was shot.", None, published, "metadata")


def _start(*said: tuple[str, date, str]) -> Slot:
    slot = Slot("date:event.start", "date", "event.start", lambda a, b: a)
    for aid, day, text in said:
        slot.observations.append(Observation(aid, (day, day, "day"), text, []))
    return slot


def test_a_day_stated_outright_beats_a_day_borrowed_from_the_publication_day() -> None:
    early, late = _report("a1", "2024-12-12"), _report("b1", "2024-12-21")
    # "shot shortly before 6 p.m." in a report of the 12th; "shot into the home on Dec. 13" later
    borrowed = _start(("a1", date(2024, 12, 12), "6:00 p.m."), ("b1", date(2024, 12, 13), "Dec. 13"))
    assert vote_when([early, late], borrowed, None)["start"] == "2024-12-13"
    # two days each stated outright: the earlier stands (a later report dates the death or arrest)
    stated = _start(("a1", date(2024, 12, 12), "Thursday evening"), ("b1", date(2024, 12, 13), "Dec. 13"))
    assert vote_when([early, late], stated, None)["start"] == "2024-12-12"


def test_names_day_tells_a_named_day_from_a_borrowed_one() -> None:
    assert names_day("Friday night") and names_day("Dec. 13") and names_day("last night") and names_day("tonight")
    assert not names_day("6:00 p.m.") and not names_day("that night") and not names_day("")


def test_the_day_two_reports_give_beats_the_day_one_report_states() -> None:
    a, b, c = _report("a1", "2024-05-10"), _report("b1", "2024-05-10"), _report("c1", "2024-05-14")
    # "at 9:40 p.m." (the publication day) and "on Friday, May 10" against one "May 8"
    said = _start(("a1", date(2024, 5, 10), "9:40 p.m."), ("b1", date(2024, 5, 8), "May 8"),
                  ("c1", date(2024, 5, 10), "Friday, May 10"))
    voted = vote_when([a, b, c], said, None)
    assert voted["start"] == "2024-05-10" and voted["sources"] == ["a1", "c1"]
    # one report each: the earlier day still stands
    assert vote_when([b, c], said, None)["start"] == "2024-05-08"
