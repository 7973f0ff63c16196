"""A conflict only when two sources each state the slot: readings that are no statement of it (a
dateline against a place the text gives, a street or hometown, a wire dateline's day, a day from a
sentence about a death or a hearing, a tally, a 0 nobody stated) are never a side and stay visible
as other readings with their reason; an outlet stating two values is no side; a story flagged as
several events shows its disagreements as evidence of the mix. Facts are built by hand here; the
texts are written for these tests."""

from __future__ import annotations

from datetime import date

from crosswire.crosscheck import align, pubdates, status
from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.status import Observation
from crosswire.crosscheck.story import mixed_not_conflicts, mixed_warnings


def _obs(aid: str, value, **detail) -> Observation:
    return Observation(aid, value, "x", [{"article": aid, "start": 0, "end": 1, "text": "x"}], detail=dict(detail))


def _keys(*pairs: tuple[str, str]) -> dict[str, str]:
    return status.independence_keys([{"id": a, "outlet": o} for a, o in pairs])


def _fact(aid: str, text: str, kind: str, about: str, value, needle: str, **kw) -> dict:
    start = text.index(needle)
    return {"id": f"{aid}:{kind}:{start}", "article_id": aid, "kind": kind, "about": about, "value": value,
            "text": needle, "start": start, "end": start + len(needle), "role": kw.get("role"),
            "detail": kw.get("detail", {})}


def _article(aid: str, outlet: str, published: str, text: str, facts: list[dict], **kw) -> StoryArticle:
    return StoryArticle(aid, f"title {aid}", text, outlet, published, "metadata", facts=facts, **kw)


KEYS = _keys(("a", "one.example"), ("a2", "one.example"), ("b", "two.example"), ("c", "three.example"))


# ---------------------------------------------------------------- the status of a slot
def test_an_outlet_stating_both_values_is_no_side() -> None:
    got = status.assess([_obs("a", 4), _obs("a2", 3), _obs("b", 4)], align.merge_equal, KEYS)
    assert got.status == "corroborated" and got.leading.value == 4
    assert [(o.group.value, o.reason) for o in got.others] == [(3, "outlet_contradicts_itself")]
    real = status.assess([_obs("a", 4), _obs("b", 4), _obs("c", 3)], align.merge_equal, KEYS)
    assert real.status == "conflict" and [g.value for g in real.groups] == [4, 3]


def test_a_weak_reading_is_never_a_side_and_never_corroborates() -> None:
    against = status.assess([_obs("a", 4), _obs("b", 3, weak="tally_of_several_events")], align.merge_equal, KEYS)
    assert against.status == "single_source" and against.leading.value == 4
    assert [(o.reason, o.agrees) for o in against.others] == [("tally_of_several_events", False)]
    along = status.assess([_obs("a", 4), _obs("b", 4, weak="inside_a_quote")], align.merge_equal, KEYS)
    assert along.status == "single_source" and [(o.reason, o.agrees) for o in along.others] == [
        ("inside_a_quote", True)]
    alone = status.assess([_obs("a", 4, weak="x"), _obs("b", 3, weak="y")], align.merge_equal, KEYS)
    assert alone.status == "single_source"


def test_a_soft_reading_counts_with_a_value_it_fits_and_is_set_aside_otherwise() -> None:
    fits = status.assess([_obs("a", 0), _obs("b", 0, soft="zero_not_stated")], align.merge_equal, KEYS)
    assert fits.status == "corroborated" and not fits.others
    against = status.assess([_obs("a", 2), _obs("b", 0, soft="zero_not_stated")], align.merge_equal, KEYS)
    assert against.status == "single_source" and [o.reason for o in against.others] == ["zero_not_stated"]
    only_soft = status.assess([_obs("a", 2, soft="s"), _obs("b", 0, soft="s")], align.merge_equal, KEYS)
    assert only_soft.status != "conflict"


# ---------------------------------------------------------------- days and times
def _date_fact(text: str, needle: str) -> dict:
    return _fact("a", text, "date", "event.when", {"value": "2016-10-26", "precision": "day"}, needle)


def test_days_that_are_not_the_events_are_named_with_a_reason() -> None:
    wire = "NEW HAVEN, Conn., Oct. 27 (UPI) -- One person was killed in a shooting at a nightclub."
    assert align.date_weakness(wire, _date_fact(wire, "Oct. 27")) == "wire_dateline"
    died = "Police said the girl died Saturday of a gunshot wound suffered on Friday."
    assert align.date_weakness(died, _date_fact(died, "Saturday")) == "not_the_event_sentence"
    became = "Just after 11 p.m. on Monday, the boy became the county's eighth gunshot fatality."
    assert align.date_weakness(became, _date_fact(became, "Monday")) == "not_the_event_sentence"
    stable = "On Sunday, all four victims were reported to be in stable condition."
    assert align.date_weakness(stable, _date_fact(stable, "Sunday")) == "not_the_event_sentence"
    holiday = "Police named a suspect in the day-after-Thanksgiving shooting of a girl."
    assert align.date_weakness(holiday, _date_fact(holiday, "Thanksgiving")) == "relative_to_another_day"
    event = "A man was shot Sunday night on the 6100 block of Kimbark Avenue."
    assert align.date_weakness(event, _date_fact(event, "Sunday night")) is None


def _time_article(aid: str, text: str, needle: str, clock: str) -> StoryArticle:
    return _article(aid, f"{aid}.example", "2016-10-26", text, [
        _fact(aid, text, "date", "time", {"value": f"2016-10-25T{clock}", "precision": "time"}, needle)])


def test_a_clock_time_of_another_clause_or_a_posting_is_no_time_of_the_event() -> None:
    other_clause = _time_article("a", "The shooting took place in the after-hours area, where patrons may drink "
                                      "after 2 a.m., when the bar stops serving.", "2 a.m.", "02:00")
    posting = _time_article("b", "Posted 5:29 PM EDT. The shooting happened on Main Street.", "5:29 PM", "17:29")
    event = _time_article("c", "The shooting happened about 10:30 p.m. Monday at a home.", "10:30 p.m.", "22:30")
    guess = _time_article("d", "That shooting happened last night around 10:30 at a home.", "10:30", "10:30")
    closed = _time_article("e", "The blast hit a hall, which sits near the port, at about 6:40 a.m. local time.",
                           "6:40 a.m.", "06:40")
    slot = align.time_slot([other_clause, posting, event, guess, closed], {})
    got = {o.article: o.detail.get("soft") for o in slot.observations}
    assert got == {"c": None, "d": "no_am_or_pm", "e": None}
    slot.observations = [o for o in slot.observations if o.article != "e"]
    assessed = status.assess(slot.observations, slot.merge, _keys(("c", "c.example"), ("d", "d.example")))
    assert assessed.status == "single_source" and [o.reason for o in assessed.others] == ["no_am_or_pm"]


# ---------------------------------------------------------------- places
def _place(aid: str, text: str, needle: str, name: str, lat: float, lon: float, **detail) -> dict:
    value = {"name": name, "geonameid": abs(hash(name)) % 10**6, "country": "US", "admin1": "OH", "lat": lat,
             "lon": lon, "feature": "city"}
    return _fact(aid, text, "place", "event.where", value, needle, detail=detail)


def test_a_dateline_reads_the_stored_cue_and_takes_its_state() -> None:
    t = "SHELBY, N.Y. (WIVB) — A 15-year-old boy from the town has died.\nHe was found at home."
    a = _article("a", "one.example", "2016-10-26", t, [])
    state = _fact("a", t, "place", "event.where", {"name": "New York"}, "N.Y.", detail={"via": "abbreviation"})
    assert align.is_dateline(a, state)
    cued = _fact("a", t, "place", "event.where", {"name": "Shelby"}, "SHELBY", detail={"via": "name", "cue": "event"})
    assert not align.is_dateline(a, cued)  # the stored cue is read, not guessed from the capitals
    assert align.is_dateline(a, dict(cued, detail={"via": "name", "cue": "dateline"}))


def test_a_dateline_or_an_unbound_name_is_no_side_against_the_place_the_text_gives() -> None:
    ta = "CINCINNATI (AP) — An Ohio prosecutor says he will take the case of a boy shot at home."
    tb = "A 3-year-old child was shot and killed in Hamilton on Friday."
    tc = "Deputies found the victim, 20, of Tennille, dead from a gunshot wound."
    story = [
        _article("a", "wire.example", "2016-10-26", ta, [
            _place("a", ta, "CINCINNATI", "Cincinnati", 39.10, -84.51, via="name", cue="dateline")]),
        _article("b", "local.example", "2016-10-26", tb, [
            _place("b", tb, "Hamilton", "Hamilton", 39.40, -84.56, via="name", cue="event")]),
        _article("c", "paper.example", "2016-10-26", tc, [
            _place("c", tc, "Tennille", "Tennille", 32.94, -82.81, via="name")])]
    slot = align.place_slot(story)
    keys = _keys(("a", "wire.example"), ("b", "local.example"), ("c", "paper.example"))
    got = status.assess(slot.observations, slot.merge, keys, order=slot.order)
    assert got.status == "single_source" and got.leading.value["name"] == "Hamilton"
    assert {o.reason for o in got.others} == {"dateline_against_a_place_in_the_text", "place_not_bound_to_event"}


# ---------------------------------------------------------------- counts
def test_tallies_quotes_and_periods_are_not_the_events_count() -> None:
    tally = "Thorne was the first of two teenagers killed over the weekend in York County."
    f = _fact("a", tally, "casualties", "killed", {"value": 2, "low": 2, "high": 2}, "two teenagers killed")
    assert align.count_weakness(tally, f) == "tally_of_several_events"
    period = "Since 2005, 14 cases involving children who found guns have been prosecuted."
    f = _fact("a", period, "count", "case", {"value": 14, "low": 14, "high": 14}, "14 cases")
    assert align.count_weakness(period, f) == "tally_over_a_period"
    quoted = "\"Somebody's child got shot last night,\" said Taylor."
    f = _fact("a", quoted, "casualties", "injured", {"value": 1, "low": 1, "high": 1}, "Somebody's child got shot")
    assert align.count_weakness(quoted, f, [(0, quoted.index(",") + 2)]) == "inside_a_quote"
    plain = "Four people were shot and hospitalized after a party."
    f = _fact("a", plain, "casualties", "injured", {"value": 4, "low": 4, "high": 4}, "Four people were shot")
    assert align.count_weakness(plain, f) is None


def test_a_child_injured_in_one_report_and_dead_in_a_later_one_is_one_person() -> None:
    ta = "A 3-year-old child was critically injured Monday in an accidental shooting."
    tb = "The sheriff said the three-year-old who was injured Monday night has died."
    story = [
        _article("a", "one.example", "2016-10-25", ta, [
            _fact("a", ta, "casualties", "injured", {"value": 1, "low": 1, "high": 1},
                  "A 3-year-old child was critically injured", role="event")], event={"killed": 0, "injured": 1}),
        _article("b", "two.example", "2016-10-26", tb, [
            _fact("b", tb, "casualties", "injured", {"value": 1, "low": 1, "high": 1},
                  "the three-year-old who was injured", role="event"),
            _fact("b", tb, "casualties", "killed", {"value": 1, "low": 1, "high": 1}, "has died", role="event")],
            event={"killed": 1, "injured": 0})]
    slots = {s.key: s for s in align.build_slots(story, pubdates.infer(story))}
    keys = _keys(("a", "one.example"), ("b", "two.example"))
    injured = status.assess(slots["count:injured"].observations, align.merge_interval, keys)
    assert injured.status != "conflict" and injured.leading.value == (0, 0)
    killed = status.assess(slots["count:killed"].observations, align.merge_interval, keys)
    assert killed.status != "conflict" and killed.leading.value == (1, 1)
    assert {o.reason for o in killed.others} <= {"toll_before_a_death"}


def test_different_charges_are_different_counts() -> None:
    t = "She was charged with two counts of first-degree murder and one count of tampering with evidence."
    facts = [_fact("a", t, "count", "count", {"value": 2, "low": 2, "high": 2}, "two counts"),
             _fact("a", t, "count", "count", {"value": 1, "low": 1, "high": 1}, "one count")]
    story = [_article("a", "one.example", "2016-10-26", t, facts)]
    keys = [s.key for s in align.build_slots(story, pubdates.infer(story)) if s.key.startswith("count:count")]
    assert len(keys) == 2 and len(set(keys)) == 2


# ---------------------------------------------------------------- several events
def _conflict(slot: str) -> dict:
    side = lambda v, aid: {"value": v, "text": v, "independent_sources": 1, "articles": [aid],  # noqa: E731
                           "outlets": [f"{aid}.example"], "sources": [{"article": aid, "start": 0, "end": 1}]}
    return {"id": slot, "slot": slot, "status": "conflict", "independent_sources": 2,
            "values": [side("x", "a"), side("y", "b")], "other_readings": [], "sources": []}


def test_a_story_of_several_events_shows_its_disagreements_as_evidence_not_conflicts() -> None:
    warning = [{"kind": "several_events", "detail": "...", "evidence": []}]
    day, troops = _conflict("date:event.start"), _conflict("count:troops")
    mixed_not_conflicts([day, troops], warning)
    assert day["status"] == "single_source" and day["mixed"] and len(day["values"]) == 1
    assert [(o["value"], o["reason"]) for o in day["other_readings"]] == [("y", "several_events")]
    assert troops["status"] == "conflict"  # not a slot of the event
    alone = _conflict("date:event.start")
    mixed_not_conflicts([alone], [])
    assert alone["status"] == "conflict"
    split = [dict(_conflict("place:event.where"), status="corroborated"),  # one outlet's two values
             dict(_conflict("place:event.where"), status="single_source")]
    mixed_not_conflicts(split, warning)
    assert [(f["status"], f.get("mixed")) for f in split] == [("single_source", True)] * 2


def test_days_apart_count_only_when_both_state_the_events_day() -> None:
    d = lambda x: (x, x, "day")  # noqa: E731
    start = align.Slot("date:event.start", "date", "event.start", align.merge_dates, observations=[
        _obs("a", d(date(2016, 6, 19))), _obs("b", d(date(2016, 6, 28)))])
    (w,) = mixed_warnings([], [], [start], None)
    assert w["evidence"][0]["sign"] == "event_days_apart" and "9 days apart" in w["detail"]
    start.observations[1].detail["soft"] = "not_the_event_sentence"  # "indicted Tuesday"
    assert mixed_warnings([], [], [start], None) == []


def test_a_claim_one_outlet_gives_two_speakers_keeps_the_other_as_a_reading() -> None:
    from crosswire.crosscheck import quotes
    from crosswire.crosscheck.story import _quote_records

    said = "she killed her father in self-defense during their argument"
    members = [quotes.Utterance("a", "claim", "Grady Judd", "Sheriff", "person", said, 0, len(said), "f1"),
               quotes.Utterance("a2", "claim", "Cheyenne Jessie", None, "person", said, 0, len(said), "f2"),
               quotes.Utterance("b", "claim", "Grady Judd", "Sheriff", "person", said, 0, len(said), "f3")]
    arts = {x: _article(x, "one.example" if x != "b" else "two.example", "2016-07-20", said, [])
            for x in ("a", "a2", "b")}
    keys = _keys(("a", "one.example"), ("a2", "one.example"), ("b", "two.example"))
    _, (fact,) = _quote_records("s", quotes.match(members), keys, arts)
    assert fact["status"] != "conflict" and len(fact["values"]) == 1
    assert [(o["value"]["speaker"], o["reason"]) for o in fact["other_readings"]] == [
        ("Cheyenne Jessie", "outlet_contradicts_itself")]
    assert fact["values"][0]["value"]["speaker"] == "Grady Judd"
