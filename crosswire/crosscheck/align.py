"""A story's facts put into slots, one per thing the articles state, with values that compare.

Stage ``align.v3``. Needs the story's :class:`~crosswire.crosscheck.pubdates.StoryArticle` list
(facts and event records) and each article's :class:`~crosswire.crosscheck.pubdates.Dating`;
gives :class:`Slot` objects, each holding one :class:`~crosswire.crosscheck.status.Observation`
per statement and the ``merge`` that says whether two values agree.

| slot | from | agree when |
|---|---|---|
| ``date`` ``event.start`` | the ``event.when`` fact (else a date in the main event's sentence), relative wording read again when the publication day was inferred | the days overlap at their precision (a day inside a month agrees with it) |
| ``date`` ``event.end`` | a date after "until", "through", "till" in a sentence about the event | as above |
| ``time`` ``event.time`` | a clock time in a sentence where the event happens ("happened at about 6:40 a.m.") | within 15 minutes ("about") or 5 |
| ``place`` ``event.where`` | the article's most specific event place | same GeoNames id, one inside the other's country, or within 30 km |
| ``actor`` ``event.actor`` | the main event's actors ("China and Belarus": two) as countries or names | present (no conflict) |
| ``count`` ``killed``/``injured`` | casualty figures of the main event | intervals overlap ("more than 100" and "about 120": yes; "50": no) |
| ``count`` a counted noun | every count; values that differ split into separate things unless their sentences share words; in a story written in several languages, the slots of one noun in two languages ("buildings", "Gebäude", "зданий": multilingual embeddings of the nouns) are one slot when their values agree | as above |
| ``distance`` from a place | distances with what they are measured from (place words folded: "Polish border" = "border of Poland") | within 10 % or 2 km |
| ``name`` ``operation``/``unit``/person | "codenamed ...", "Operation ..."; military units named as organisations; each person's titles | names by rapidfuzz; titles unless two different offices ("Prime Minister" and "President") |
| ``date`` ``arrival`` | a date after "arrived", "landed", "reached", "arrival" in the same clause, in a sentence about the event; read again like the event date when the publication day was inferred (the days every inferred publication day allows, when they differ) | the days overlap |
| ``name`` ``activity`` | what the drill or training practises: the items of a list after "practise", "rehearse", "work on (issues of)", "train in" ("night landings and overcoming water barriers"), one slot per item keyed by its first two content words | present (no conflict) |
| ``claim`` ``event.first`` | "the first time", "first since ...", "have ... before" about the event | "first" (ever) conflicts with "first since" and "done before" |

A statement that is no statement of its slot carries ``detail["weak"]`` (never a side, never
corroborates) or ``detail["soft"]`` (counts with a value it fits, set aside otherwise), with its
reason (:mod:`crosswire.crosscheck.status`):

* days (:func:`date_weakness`): ``wire_dateline`` ("Oct. 27 (UPI) --"), ``relative_to_another_day``
  ("the day-after-Thanksgiving shooting"), soft ``not_the_event_sentence`` (a sentence or clause
  telling what came after: "died Saturday", "an investigation was underway Monday", "On Sunday the
  victims were reported stable");
* times: a time of another clause or a posting time ("5:29 PM EDT") is not read; soft
  ``no_am_or_pm`` ("around 10:30");
* places (:func:`place_weakness`): ``place_not_bound_to_event`` (no parse cue: a street, a hometown,
  a person's name), ``gazetteer_alias``, soft ``dateline_against_a_place_in_the_text``;
* counts (:func:`count_weakness`): ``tally_of_several_events`` ("the first of two teens killed this
  weekend"), ``tally_over_a_period`` ("14 cases since 2005"), ``inside_a_quote``,
  ``toll_before_a_death`` (a lower toll from a report written before someone died, the people hit
  being the same), soft ``vague_count`` ("a murder-suicide"), ``zero_not_stated`` (a 0 the event
  record worked out, no mention states it) and ``figure_not_stated`` (a summed figure);
  "two counts of murder" and "one count of tampering" are two slots.

The slots are read by :mod:`~crosswire.crosscheck.read_dates`, :mod:`~crosswire.crosscheck.read_places`,
:mod:`~crosswire.crosscheck.read_actors`, :mod:`~crosswire.crosscheck.read_counts`, :mod:`~crosswire.crosscheck.read_names`
and :mod:`~crosswire.crosscheck.read_novelty`; their values compared by :mod:`~crosswire.crosscheck.reconcile` and
:mod:`~crosswire.crosscheck.titles`. Quotes and reported claims are matched in :mod:`crosswire.crosscheck.quotes`.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from crosswire.crosscheck.pubdates import Dating, StoryArticle
from crosswire.crosscheck.read_actors import actor_slots, not_actor
from crosswire.crosscheck.read_counts import (
    COUNT_CONTEXT_MIN, casualty_slots, count_slots, count_weakness, narrow_first, split_by_context,
)
from crosswire.crosscheck.read_dates import arrival_slot, date_slots, date_weakness, time_slot
from crosswire.crosscheck.read_names import activity_slots, name_slots, people_slots, person_titles
from crosswire.crosscheck.read_novelty import merge_novelty, novelty_slot
from crosswire.crosscheck.read_places import (
    distance_key, distance_slots, is_dateline, place_slot, place_weakness, show_place,
)
from crosswire.crosscheck.reconcile import (
    merge_clock, merge_dates, merge_equal, merge_interval, merge_names, merge_place, merge_present,
)
from crosswire.crosscheck.relevance import event_words
from crosswire.crosscheck.slot import Slot, keywords, span
from crosswire.crosscheck.titles import compare_titles, merge_titles

__all__ = [  # the names callers import from here; each lives in the module that reads or compares it
    "COUNT_CONTEXT_MIN", "STAGE", "Slot", "build_slots", "compare_titles", "count_weakness", "date_weakness",
    "day_of", "distance_key", "is_dateline", "keywords", "merge_clock", "merge_dates", "merge_equal",
    "merge_interval", "merge_names", "merge_novelty", "merge_place", "merge_present", "merge_titles",
    "narrow_first", "not_actor", "person_titles", "place_slot", "place_weakness", "show_place", "span",
    "split_by_context", "time_slot",
]

STAGE = "align.v4"  # v4: counts of one noun in two languages are one slot
COUNTED_NOUN_MIN = 0.7  # embedding cosine of two counted nouns that are one noun in two languages
_show_place = show_place  # story.py's name for it


def build_slots(articles: list[StoryArticle], datings: dict[str, Dating],
                voted_place: list[dict[str, Any]] | None = None) -> list[Slot]:
    """Every slot of a story (see the module docstring), slots without statements left out
    (``voted_place``: the story's event place voted once by the caller, see
    :func:`crosswire.crosscheck.read_places.place_slot`)."""
    words = event_words(articles)
    quote_spans = {a.id: [(f["start"], f["end"]) for f in a.facts if f["kind"] == "quote"] for a in articles}
    slots: list[Slot] = []
    slots += date_slots(articles, datings, words)
    slots.append(arrival_slot(articles, datings, words))
    slots.append(time_slot(articles, quote_spans))
    slots.append(place_slot(articles, voted_place))
    slots += actor_slots(articles)
    slots += casualty_slots(articles)
    slots += join_translated_counts(count_slots(articles), articles)
    slots += distance_slots(articles)
    slots += name_slots(articles)
    slots += activity_slots(articles)
    slots += people_slots(articles)
    slots.append(novelty_slot(articles, words))
    return [s for s in slots if s.observations]


def join_translated_counts(slots: list[Slot], articles: list[StoryArticle]) -> list[Slot]:
    """Count slots of one counted noun written in two languages, joined into the first (see the
    module docstring): only in a story whose articles are in two or more languages, only when the
    two slots' articles are in different languages and all their values agree. Nouns are compared
    by the multilingual sentence embedding the story stage uses (translations score 0.8-0.96,
    other nouns below 0.65 on the words measured)."""
    if len(slots) < 2:
        return slots
    # Only the languages of articles with a count can join two slots: the others are not detected.
    counted = {o.article for s in slots for o in s.observations}
    language = {a.id: _language_of(a.text) for a in articles if a.id in counted}
    if len({x for x in language.values() if x}) < 2:
        return slots
    from crosswire.stories.embeddings import embed

    nouns = list(dict.fromkeys(s.about for s in slots))
    vec = dict(zip(nouns, embed(nouns)))
    out: list[Slot] = []
    for slot in slots:
        langs = {language.get(o.article) for o in slot.observations} - {None}
        for home in out:
            home_langs = {language.get(o.article) for o in home.observations} - {None}
            if (not langs or not home_langs or langs & home_langs
                    or float(vec[home.about] @ vec[slot.about]) < COUNTED_NOUN_MIN
                    or any(merge_interval(a.value, b.value) is None
                           for a in home.observations for b in slot.observations)):
                continue
            for o in slot.observations:
                o.detail.setdefault("counted_as", slot.about)
            home.observations += slot.observations
            break
        else:
            out.append(slot)
    return out


@lru_cache(maxsize=4096)
def _language_of(text: str) -> str | None:
    """The language of an article's text as ingest detects it, once per text in a process: a story is
    cross-checked again each time it changes, and its articles' texts do not."""
    from crosswire.ingest.hygiene import detect_language

    return detect_language(text)


def day_of(value: Any) -> date | None:
    return value[0] if isinstance(value, tuple) and len(value) == 3 and value[0] == value[1] else None
