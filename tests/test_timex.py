"""Time expressions normalised against the publication date, on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from crosswire.extract.time.timex import STAGE, Timex, find_timexes, find_timexes_text, load_nlp

MONDAY = date(2024, 7, 8)  # a Monday


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def timexes(nlp, text: str, dct: date | None = MONDAY) -> list[Timex]:
    found = find_timexes_text(text, dct, nlp=nlp)
    for t in found:
        assert text[t.start : t.end] == t.text
    return found


def one(nlp, text: str, dct: date | None = MONDAY) -> Timex:
    found = timexes(nlp, text, dct)
    assert len(found) == 1, found
    return found[0]


def test_range_with_future_tense_resolves_both_ends(nlp):
    found = timexes(nlp, "The harbour festival is set to run Monday through July 19 in the old town.")
    assert [(t.text, t.type, t.value, t.precision) for t in found] == [
        ("Monday", "DATE", "2024-07-08", "day"),
        ("July 19", "DATE", "2024-07-19", "day"),
    ]
    assert all(t.anchor_used for t in found)


def test_weekday_in_past_tense_is_the_previous_one(nlp):
    t = one(nlp, "The delegation arrived in the country on Saturday after a long flight.")
    assert (t.text, t.value, t.precision) == ("Saturday", "2024-07-06", "day")


def test_weekday_follows_the_tense_of_its_verb(nlp):
    assert one(nlp, "The committee met on Friday to review the plans.").value == "2024-07-05"
    assert one(nlp, "The committee will meet on Friday to review the plans.").value == "2024-07-12"
    assert one(nlp, "The committee is expected to meet on Friday.").value == "2024-07-12"


def test_last_night_is_the_day_before_with_a_night_part(nlp):
    t = one(nlp, "Two warehouses burned down last night in the port district.")
    assert t.text == "last night"
    assert t.value == "2024-07-07TNI"
    assert t.precision == "day"


def test_earlier_this_week_is_the_iso_week(nlp):
    t = one(nlp, "The minister said earlier this week that the bridge would reopen.")
    assert (t.text, t.value, t.precision) == ("earlier this week", "2024-W28", "week")


def test_years_ago_is_a_duration_and_the_date_it_points_to(nlp):
    # MEANTIME (ISO-TimeML) marks "two years" as a DURATION with "ago" its signal, and the date it points
    # to as a timex of its own; here that date spans the whole phrase
    found = timexes(nlp, "The mill closed two years ago and has stood empty since.")
    assert [(t.text, t.type, t.value, t.precision) for t in found] == [
        ("two years", "DURATION", "P2Y", None), ("two years ago", "DATE", "2022", "year")]
    assert [t.text for t in timexes(nlp, "The mill closed nearly two years ago.")] == [
        "nearly two years", "nearly two years ago"]
    assert [t.value for t in timexes(nlp, "The mill closed a few months ago.")] == ["PXM", "PAST_REF"]
    later = timexes(nlp, "The mill closed on May 3, 2022 and reopened three days later.")[-1]
    assert (later.text, later.type, later.value) == ("three days later", "DATE", "2022-05-06")


def test_month_and_year_without_the_preposition(nlp):
    t = one(nlp, "Ticket prices rose sharply in February 2022.")
    assert (t.text, t.value, t.precision, t.anchor_used) == ("February 2022", "2022-02", "month", False)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The road will be closed for two weeks.", "P2W"),
        ("The bridge is 14 months behind schedule.", "P14M"),
        ("She lived abroad for three years.", "P3Y"),
        ("The outage lasted 30 minutes.", "PT30M"),
        ("Sales have doubled over the past three years.", "P3Y"),
    ],
)
def test_durations(nlp, text, value):
    t = one(nlp, text)
    assert (t.type, t.value, t.precision) == ("DURATION", value, None)


def test_sets(nlp):
    t = one(nlp, "The farmers' market is held every Monday on the square.")
    assert (t.text, t.type, t.value) == ("every Monday", "SET", "XXXX-WXX-1")
    assert one(nlp, "Inspectors visit the site every week.").value == "P1W"
    rate = one(nlp, "The new line will carry 40,000 passengers a day.")
    assert (rate.type, rate.value) == ("SET", "P1D")


def test_day_month_takes_the_year_nearest_the_publication(nlp):
    t = one(nlp, "The council will vote on the budget on March 14.", date(2025, 3, 11))
    assert t.value == "2025-03-14"
    past = one(nlp, "The council voted on the budget on December 20.", date(2025, 1, 6))
    assert past.value == "2024-12-20"


def test_month_alone_follows_tense(nlp):
    assert one(nlp, "The plant was opened in October.", date(2024, 3, 1)).value == "2023-10"
    assert one(nlp, "The plant will open in October.", date(2024, 3, 1)).value == "2024-10"


def test_relative_days(nlp):
    assert one(nlp, "The mayor resigned yesterday.").value == "2024-07-07"
    assert one(nlp, "The mayor resigned today.").value == "2024-07-08"
    assert one(nlp, "The ferry leaves next Tuesday.").value == "2024-07-09"
    assert one(nlp, "The ferry left last Tuesday.").value == "2024-07-02"


def test_relative_units_and_refs(nlp):
    assert one(nlp, "Exports have grown this year.").value == "2024"
    assert one(nlp, "Exports fell last month.").value == "2024-06"
    assert one(nlp, "Exports grew in the third quarter.", date(2024, 11, 2)).value == "2024-Q3"
    assert one(nlp, "Exports grew in the fourth quarter.", date(2025, 1, 20)).value == "2024-Q4"
    assert one(nlp, "The factory is currently idle.").value == "PRESENT_REF"
    assert one(nlp, "The factory was recently sold.").value == "PAST_REF"
    assert one(nlp, "I saw the factory manager the other day.").value == "PAST_REF"


def test_absolute_forms(nlp):
    iso = one(nlp, "The notice was dated 2023-11-30 and signed by the clerk.")
    assert (iso.value, iso.anchor_used) == ("2023-11-30", False)
    assert one(nlp, "Rents soared in the 1990s.").value == "199"
    clock, day = timexes(nlp, "The first train left at 7:25 p.m. on Sunday.")  # "on" ends a TIMEX3
    assert (clock.text, clock.type, clock.value, clock.precision) == ("7:25 p.m.", "TIME", "2024-07-07T19:25", "time")
    assert (day.text, day.value) == ("Sunday", "2024-07-07")
    clock = one(nlp, "The first train left at 7:25 p.m. Sunday.")
    assert (clock.text, clock.value) == ("7:25 p.m. Sunday", "2024-07-07T19:25")


def test_ages_and_counts_are_not_time_expressions(nlp):
    assert timexes(nlp, "A 14-year-old boy was hurt and 2000 workers went on strike.") == []


def test_without_a_reference_date_relative_values_stay_open(nlp):
    assert one(nlp, "The ship docked on July 8.", None).value == "XXXX-07-08"
    weekday = one(nlp, "The ship docked on Monday.", None)
    assert (weekday.value, weekday.anchor_used) == ("XXXX-WXX-1", False)
    assert one(nlp, "The ship docked in May 2020.", None).value == "2020-05"


def test_odd_input_does_not_crash(nlp):
    assert timexes(nlp, "") == []
    assert timexes(nlp, "   \n ") == []
    t = one(nlp, "He served 1,5 years in prison.")
    assert t.type == "DURATION"


def test_find_timexes_takes_a_doc_and_results_carry_the_stage(nlp):
    doc = nlp("Voting ends on Sunday.")
    found = find_timexes(doc, MONDAY)
    assert [t.value for t in found] == ["2024-07-14"]
    assert found[0].to_dict()["stage"] == STAGE == "timex.v1"


# ---------------------------------------------------------------- periods (timex_periods)
JUNE_1 = date(2009, 6, 1)  # a Monday in the second quarter


def values(nlp, text: str, dct: date | None = JUNE_1) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in timexes(nlp, text, dct)]


def test_the_same_period_last_year_is_the_period_in_focus_a_year_before(nlp):
    text = "The brewer earned $40 million in the first quarter, against $31 million in the same quarter last year."
    assert values(nlp, text) == [("the first quarter", "2009-Q1"), ("the same quarter last year", "2008-Q1")]
    assert values(nlp, "Ticket sales rose 12 percent in May from the same month a year ago.") == [
        ("May", "2009-05"), ("the same month a year ago", "2008-05")]
    text = "Rainfall in the first half of the year doubled from the same period last year."
    assert values(nlp, text) == [("the first half of the year", "2009-H1"), ("the same period last year", "2008-H1")]


def test_year_ago_quarter_and_anaphoric_quarters(nlp):
    text = "The bakery earned $2 million in the first quarter, up from $1 million in the year-ago quarter."
    assert values(nlp, text)[1] == ("the year-ago quarter", "2008-Q1")
    text = "The bakery earned $2 million in the first quarter, up from $1.5 million in the previous quarter."
    assert values(nlp, text)[1] == ("the previous quarter", "2008-Q4")
    text = "The bakery earned $2 million in the third quarter, and revenue in the quarter rose 4 percent."
    assert values(nlp, text, date(2009, 10, 20)) == [("the third quarter", "2009-Q3"), ("the quarter", "2009-Q3")]
    assert values(nlp, "Revenue for the quarter rose 4 percent.", date(2009, 10, 20)) == [("the quarter", "2009-Q3")]


def test_a_unit_ended_on_a_date_is_the_unit_containing_it(nlp):
    assert values(nlp, "Sales rose 10 percent in the quarter ended March 31.") == [
        ("the quarter", "2009-Q1"), ("March 31", "2009-03-31")]
    assert values(nlp, "Sales in the week ended May 30 rose 3 percent.")[0] == ("the week", "2009-W22")


def test_month_ranges_that_are_quarters_or_halves(nlp):
    assert one(nlp, "The brewer posted a loss for the January-March quarter.", JUNE_1).value == "2009-Q1"
    assert one(nlp, "The brewer posted a loss for the July-December period of 2008.", JUNE_1).value == "2008-H2"


def test_quarters_written_in_other_ways(nlp):
    assert one(nlp, "The brewer reported a first-quarter loss of $12 million.", JUNE_1).value == "2009-Q1"
    assert one(nlp, "The company lost money in last year's fourth quarter.", JUNE_1).value == "2008-Q4"
    assert one(nlp, "The company expects to break even in the second half of next year.", JUNE_1).value == "2010-H2"
    assert one(nlp, "The brewer earned $2 million in the fourth quarter of 2007.", JUNE_1).value == "2007-Q4"


def test_a_quarter_of_something_is_a_fraction(nlp):
    assert [t.text for t in timexes(nlp, "The lake has lost nearly a quarter of its water.")] == []
    assert one(nlp, "The firm has been public for a quarter of a century.", JUNE_1).value == "P25Y"


def test_seasons_follow_tense(nlp):
    assert one(nlp, "Production will resume in the fall.", JUNE_1).value == "2009-FA"
    assert one(nlp, "Production stopped last summer.", JUNE_1).value == "2008-SU"
    assert one(nlp, "Production stopped last summer.", date(2009, 10, 2)).value == "2009-SU"
    assert one(nlp, "The plant was idled this winter.", date(2009, 2, 10)).value == "2008-WI"
    assert timexes(nlp, "The fall of the dollar hurt exporters.") == []


def test_year_ends_and_centuries(nlp):
    assert one(nlp, "The plant will close by year-end.", JUNE_1).value == "2009"
    assert one(nlp, "The auto industry shaped the 20th century.", JUNE_1).value == "19"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The shares have lost 8 percent in the last five trading days.", "P5D"),
        ("River levels have fallen for seven straight days.", "P7D"),
        ("The brewer has lost money for four consecutive quarters.", "P12M"),
        ("The plan will take a year and a half to complete.", "P1.5Y"),
        ("More plant closures are expected in the days ahead.", "PXD"),
    ],
)
def test_more_durations(nlp, text, value):
    t = one(nlp, text)
    assert (t.type, t.value) == ("DURATION", value)


def test_day_and_month_of_last_year(nlp):
    assert one(nlp, "The river peaked at a record 9 metres on Oct. 9 last year.", JUNE_1).value == "2008-10-09"


def test_this_past_weekend_and_weekdays_in_the_plural(nlp):
    assert one(nlp, "Cinemas reported strong sales this past weekend.", JUNE_1).value == "2009-W22-WE"
    t = one(nlp, "The showroom is closed on Sundays.", JUNE_1)
    assert (t.type, t.value) == ("SET", "XXXX-WXX-7")


def test_a_headline_in_the_infinitive_looks_ahead(nlp):
    found = values(nlp, "Rail workers to strike Monday\nFuel prices rose sharply on Friday .", date(2008, 10, 10))
    assert found == [("Monday", "2008-10-13"), ("Friday", "2008-10-10")]


def test_a_ranked_day_or_week_takes_the_day_or_week_in_focus(nlp):
    text = "The river rose 7 centimetres on Thursday, the fifth straight day of rain."
    assert values(nlp, text, date(2008, 10, 10)) == [("Thursday", "2008-10-09"),
                                                     ("the fifth straight day", "2008-10-09")]


# ---------------------------------------------------------------- named days (timex_days)
MAY_7 = date(2010, 5, 7)  # a Friday


def test_floating_holidays_take_the_nearest_occurrence(nlp):
    assert values(nlp, "The markets will be closed for Memorial Day.", MAY_7) == [("Memorial Day", "2010-05-31")]
    assert values(nlp, "Stores opened early on Thanksgiving 2008.", MAY_7) == [("Thanksgiving 2008", "2008-11-27")]
    assert values(nlp, "Trading was thin before Good Friday.", MAY_7) == [("Good Friday", "2010-04-02")]


def test_parents_days_and_black_friday_are_floating_holidays(nlp):
    june_22 = date(2015, 6, 22)  # the Monday after the third Sunday of June
    text = "A couple and their two sons were found dead in their house on Father's Day."
    assert values(nlp, text, june_22) == [("Father's Day", "2015-06-21")]
    assert values(nlp, "She was shot on Mother\u2019s Day outside her house.", date(2016, 5, 10)) == [
        ("Mother\u2019s Day", "2016-05-08")]
    assert values(nlp, "A guard was shot on Black Friday outside a mall.", date(2016, 11, 28)) == [
        ("Black Friday", "2016-11-25")]


def test_a_day_after_compound_is_the_day_after_the_holiday(nlp):
    nov_28 = date(2016, 11, 28)
    text = "The boy was shot during a day-after-Thanksgiving deer hunt, deputies said."
    assert values(nlp, text, nov_28) == [("day-after-Thanksgiving", "2016-11-25")]
    text = "Relatives gathered for a day-before-Christmas dinner when the shots were fired."
    assert values(nlp, text, date(2016, 12, 27)) == [("day-before-Christmas", "2016-12-24")]


def test_nine_eleven_is_the_day_of_the_attacks(nlp):
    assert values(nlp, "Markets have not been this volatile since 9/11.", MAY_7) == [("9/11", "2001-09-11")]
    text = "It was the longest one-day closure since the September 11 attacks."
    assert values(nlp, text, MAY_7) == [("one-day", "P1D"), ("September 11", "2001-09-11")]


def test_a_part_of_the_day_in_focus(nlp):
    text = "The Dow fell 600 points on Thursday and recovered in the afternoon."
    assert values(nlp, text, MAY_7) == [("Thursday", "2010-05-06"), ("the afternoon", "2010-05-06TAF")]
    assert values(nlp, "Stocks rallied in late morning trading.", MAY_7) == [("late morning", "2010-05-07TMO")]


def test_will_under_a_passive_auxiliary_is_future(nlp):
    assert one(nlp, "The exchange will be closed Monday.", MAY_7).value == "2010-05-10"


def test_until_a_weekday_and_scheduled_for_a_weekday_look_ahead(nlp):
    sunday = date(2009, 5, 31)
    assert one(nlp, "Tenants have until Saturday to accept the offer.", sunday).value == "2009-06-06"
    assert one(nlp, "A vote has been scheduled for Tuesday.", sunday).value == "2009-06-02"


def test_a_year_earlier_than_a_quarter_is_that_quarter_a_year_before(nlp):
    text = "The brewer earned $40 million in the first quarter, against $31 million a year earlier."
    assert values(nlp, text) == [("the first quarter", "2009-Q1"), ("a year earlier", "2008-Q1")]
    assert values(nlp, "The brewer earned $40 million against $31 million a year earlier.") == [
        ("a year earlier", "2008")]


def test_the_prior_day_and_the_past_few_sessions(nlp):
    text = "The stock closed at $5 on June 3, up from $4 the prior day."
    assert values(nlp, text) == [("June 3", "2009-06-03"), ("the prior day", "2009-06-02")]
    assert timexes(nlp, "Stocks have fallen in 12 of the past 15 sessions.") == []


def test_a_range_of_years_is_also_a_duration_over_both(nlp):
    found = timexes(nlp, "The city will open six schools from 2012 to 2014 and four between 2017 and 2019.")
    assert [(t.text, t.type, t.value) for t in found] == [
        ("from 2012 to 2014", "DURATION", "P2Y"), ("2012", "DATE", "2012"), ("2014", "DATE", "2014"),
        ("between 2017 and 2019", "DURATION", "P2Y"), ("2017", "DATE", "2017"), ("2019", "DATE", "2019"),
    ]


def test_clock_times_in_a_named_zone_are_given_in_utc(nlp):
    found = values(nlp, "The crash began at 2:42 p.m. EDT and ended by 3:07 p.m.", MAY_7)
    assert found == [("2:42 p.m. EDT", "2010-05-07T18:42Z"), ("3:07 p.m.", "2010-05-07T19:07Z")]
    assert one(nlp, "The polls closed at 4 p.m. ET.", date(2010, 1, 7)).value == "2010-01-07T21:00Z"
    assert one(nlp, "The train left at 18:00 UTC.", MAY_7).value == "2010-05-07T18:00Z"


def test_a_fiscal_year_named_by_its_number(nlp):
    assert one(nlp, "The carmaker reported a loss for the 2007 fiscal year.", JUNE_1).value == "FY2007"


def test_a_day_in_apposition_to_a_date_is_that_date(nlp):
    text = "The previous record drop came on September 17, 2001, the first day of trading after the attacks."
    assert values(nlp, text, MAY_7)[:2] == [("September 17, 2001", "2001-09-17"), ("the first day", "2001-09-17")]


def test_ranked_and_fiscal_periods(nlp):
    oct_10 = date(2008, 10, 10)
    assert one(nlp, "The club is heading for its worst year since the war.", oct_10).value == "2008"
    assert one(nlp, "Profit was $2 billion in the most recent quarter.", oct_10).value == "2008-Q3"
    assert one(nlp, "Revenue fell in the fiscal fourth quarter.", oct_10).text == "the fiscal fourth quarter"
    t = one(nlp, "The shares fell 5 percent in the first half hour of trading.", oct_10)
    assert (t.type, t.value) == ("DURATION", "PT30M")


def test_the_year_after_last_years_results_is_that_year(nlp):
    text = "The brewer lost $15 million in the fourth quarter of 2007. For the year, it lost $60 million."
    assert values(nlp, text, date(2008, 2, 12)) == [("the fourth quarter of 2007", "2007-Q4"), ("the year", "2007")]


def test_four_digit_clock_times_before_a_zone(nlp):
    oct_10 = date(2008, 10, 10)
    assert values(nlp, "By 1100 GMT , the shares were down 4 % .", oct_10) == [("1100 GMT", "2008-10-10T11:00Z")]
    assert values(nlp, "At 0930 BST the index had fallen 10 % .", oct_10) == [("0930 BST", "2008-10-10T08:30Z")]
    assert timexes(nlp, "The index fell to 4,366 points.", oct_10) == []


def test_a_week_of_a_month_is_the_iso_week_of_its_thursday(nlp):
    assert one(nlp, "In the first week of October , the river rose two metres .", date(2008, 10, 10)).value == "2008-W40"
    assert one(nlp, "The club expects to sign him in the last week of June.", JUNE_1).value == "2009-W26"


def test_a_ranked_unit_without_article(nlp):
    found = values(nlp, "Cinemas posted their worst week in more than 75 years .", date(2008, 10, 10))
    assert found == [("worst week", "2008-W41"), ("more than 75 years", "P75Y")]


def test_more_zones_and_dotted_clock_times(nlp):
    oct_10 = date(2008, 10, 10)
    assert one(nlp, "Tokyo 's exchange closed at 3 p.m. JST , down 2 % .", oct_10).value == "2008-10-10T06:00Z"
    assert one(nlp, "At 11.30 GMT , the shares were trading 3 % lower .", oct_10).value == "2008-10-10T11:30Z"


def test_the_previous_session_skips_the_weekend(nlp):
    text = "The Dow closed at 8,451 on Monday , down from 8,579 the previous session ."
    assert values(nlp, text, date(2008, 10, 14)) == [("Monday", "2008-10-13"), ("the previous session", "2008-10-10")]
    assert one(nlp, "Trading was halted at noon EDT .", date(2008, 10, 13)).value == "2008-10-13T16:00Z"


def test_focus_adverbs_stay_out_of_the_span(nlp):
    assert one(nlp, "The line opened just one year after the plan was approved.").text == "one year"
    assert one(nlp, "The strike lasted almost three and a half years.").text == "almost three and a half years"


def test_parts_of_the_day_in_focus_and_whole_units(nlp):
    text = "The shop was robbed on June 3 and the suspect was arrested later that night."
    assert values(nlp, text) == [("June 3", "2009-06-03"), ("later that night", "2009-06-03TNI")]
    text = "The council met on June 3 and voted that day."
    assert values(nlp, text) == [("June 3", "2009-06-03"), ("that day", "2009-06-03")]
    t = one(nlp, "Protesters stayed on the square all week.")
    assert (t.type, t.value) == ("DURATION", "P1W")
    assert one(nlp, "The bakery opens early every morning.").value == "XXXX-XX-XXTMO"


def test_fractions_half_hours_and_ages_in_the_plural(nlp):
    assert one(nlp, "He was sentenced to 33\u00bd years in prison.").value == "P33.5Y"
    assert one(nlp, "The fire burned for at least a half hour.").text == "at least a half hour"
    assert one(nlp, "The fire burned for at least a half hour.").value == "PT30M"
    assert timexes(nlp, "Two 17-year-olds were arrested.") == []


def test_a_comparison_period_does_not_take_the_focus(nlp):
    text = ("The brewer lost $11 million in the third quarter of 2006, against $17 million in the same quarter "
            "a year ago. Revenue for the quarter rose 6 percent.")
    assert [v for _, v in values(nlp, text, date(2006, 11, 21))] == ["2006-Q3", "2005-Q3", "2006-Q3"]
    assert values(nlp, "The polls closed at 1630 GMT on Friday .", date(2008, 10, 13)) == [
        ("1630 GMT", "2008-10-10T16:30Z"), ("Friday", "2008-10-10")]


def test_a_second_day_after_a_date(nlp):
    jan_22 = date(2008, 1, 22)
    assert values(nlp, "The Fed is due to meet on January 29 and 30 .", jan_22) == [
        ("January 29", "2008-01-29"), ("30", "2008-01-30")]
    assert values(nlp, "On January 29 and 30 people died .", jan_22) == [("January 29", "2008-01-29")]


def test_four_digit_clock_times_in_local_time_or_hours(nlp):
    oct_10 = date(2008, 10, 10)
    assert values(nlp, "Trading resumed at 1100 local time .", oct_10) == [("1100 local time", "2008-10-10T11:00")]
    assert values(nlp, "The ship sailed at 0600 hours .", oct_10) == [("0600 hours", "2008-10-10T06:00")]


def test_short_fiscal_years_seasons_of_last_year_and_year_on_year(nlp):
    oct_10 = date(2008, 10, 10)
    assert one(nlp, "Revenue rose 5 % in FY08 .", oct_10).value == "FY2008"
    assert one(nlp, "The crisis began in the summer of last year .", oct_10).value == "2007-SU"
    assert values(nlp, "Exports rose 5 % year on year in September .", oct_10) == [("September", "2008-09")]


def test_the_previous_or_following_weekday_counts_from_the_day_in_focus(nlp):
    text = "The plan was announced on March 2 and approved the following Monday."
    assert values(nlp, text, date(2009, 3, 31)) == [("March 2", "2009-03-02"), ("the following Monday", "2009-03-09")]


def test_a_clock_time_before_a_full_date(nlp):
    t = one(nlp, "A child was shot about 6:15 p.m. Tuesday, July 26, 2016, at a home.", date(2016, 7, 27))
    assert (t.text, t.type, t.value) == ("about 6:15 p.m. Tuesday, July 26, 2016", "TIME", "2016-07-26T18:15")


def test_a_day_before_an_abbreviated_month(nlp):
    assert one(nlp, "The FTSE fell 8.9 % on 10 Oct .", date(2008, 10, 13)).value == "2008-10-10"


def test_zones_named_in_full(nlp):
    oct_10 = date(2008, 10, 10)
    assert one(nlp, "The FTSE opened at 8:00 a.m. Greenwich Mean Time .", oct_10).value == "2008-10-10T08:00Z"
    assert one(nlp, "Trading began at 9:00 Central European Time .", oct_10).value == "2008-10-10T08:00Z"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Futures were lower ahead of Tuesday 's meeting .", "2008-09-09"),
        ("Traders are waiting for Tuesday 's decision .", "2008-09-09"),
        ("Investors await Thursday 's jobs report .", "2008-09-11"),
        ("Wall Street braces for Monday\nStocks fell on Friday .", "2008-09-08"),
        ("Fed expected to cut rates Wednesday\nThe central bank cut rates in April .", "2008-09-10"),
    ],
)
def test_an_awaited_weekday_lies_ahead(nlp, text, value):
    assert timexes(nlp, text, date(2008, 9, 5))[0].value == value


def test_the_day_after_a_named_day_and_a_misparsed_present(nlp):
    nov_29 = date(2016, 11, 29)
    assert values(nlp, "A girl was shot and killed the day after Thanksgiving .", nov_29) == [
        ("the day after", "2016-11-25"), ("Thanksgiving", "2016-11-24")]
    text = "Police said a sensor found the body on the street near Laurel and Linden avenues early Monday morning."
    assert one(nlp, text, date(2016, 9, 13)).value == "2016-09-12TMO"


def test_halves_written_with_hyphens_or_a_fraction(nlp):
    assert one(nlp, "The repairs took three-and-a-half years .").value == "P3.5Y"
    assert one(nlp, "He served 1 1/2 years in prison .").value == "P1.5Y"


def test_this_weekend_in_the_past_tense_early_in_the_week_is_the_one_just_gone(nlp):
    t = one(nlp, "The letter only became known this weekend .", date(2010, 1, 25))
    assert t.value == "2010-W03-WE"  # ISO 8601 week of Saturday 23 January


def test_a_holiday_naming_a_sales_season_is_a_stretch_of_days(nlp):
    t = one(nlp, "The toy shop benefited from strong Christmas sales .", date(2007, 1, 18))
    assert (t.text, t.type, t.value) == ("Christmas", "DURATION", "PXD")
    assert one(nlp, "The store closed on Christmas .", date(2007, 1, 18)).value == "2006-12-25"


def test_more_sets(nlp):
    t = one(nlp, "The board meets every few months .")
    assert (t.text, t.type, t.value) == ("every few months", "SET", "PXM")
    assert one(nlp, "The fund pays 5 % per annum .").value == "P1Y"
    assert one(nlp, "The market is open on weekdays .").value == "XXXX-WXX-WD"


def test_years_ago_without_a_count_is_a_past_reference(nlp):
    assert [(t.text, t.value) for t in timexes(nlp, "The company was founded decades ago .")] == [
        ("decades", "PXY"), ("decades ago", "PAST_REF")]
    assert one(nlp, "He left a long time ago .").value == "PAST_REF"


def test_the_week_or_month_before_the_one_in_focus(nlp):
    oct_13 = date(2008, 10, 13)
    assert values(nlp, "The Dow fell 18 % last week , after losing 9 % the previous week .", oct_13) == [
        ("last week", "2008-W41"), ("the previous week", "2008-W40")]
    assert values(nlp, "The index rose in September , after falling the month before .", oct_13) == [
        ("September", "2008-09"), ("the month before", "2008-08")]


def test_earlier_and_later_today_keep_their_modifier(nlp):
    assert one(nlp, "Earlier today , the council approved the budget .", JUNE_1).text == "Earlier today"
    assert one(nlp, "The deal was signed late yesterday .", JUNE_1).value == "2009-05-31"


def test_earlier_and_late_in_the_day_week_or_year(nlp):
    oct_10 = date(2008, 10, 10)
    assert values(nlp, "Earlier Monday , the mayor said she would act .", oct_10) == [("Earlier Monday", "2008-10-06")]
    assert values(nlp, "Prices rallied earlier in the week .", oct_10) == [("earlier in the week", "2008-W41")]
    assert values(nlp, "The wind dropped late in the day .", oct_10) == [("late in the day", "2008-10-10")]
