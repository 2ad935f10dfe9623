"""Relative date expressions resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tacitus.convert.dates import (
    PRECISIONS,
    ResolvedDate,
    resolve_date_expression,
    weekday_of,
    window_precision_ok,
)

D = dt.date
THU = D(2024, 1, 18)  # Thursday, the example dataset's main publication day
FRI = D(2024, 1, 19)
SAT = D(2024, 1, 20)
MON = D(2024, 1, 15)
SUN = D(2024, 1, 21)
NEW_YEAR = D(2024, 1, 2)  # Tuesday, just after a year boundary

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# (published, quote, start, end, precision, rule)
# fmt: off
CASES = [
    # weekday names: the most recent such day on or before publication
    (THU, "Tuesday", D(2024, 1, 16), D(2024, 1, 16), "day", "weekday"),
    (THU, "Thursday", THU, THU, "day", "weekday"),
    (THU, "Friday", D(2024, 1, 12), D(2024, 1, 12), "day", "weekday"),
    (THU, "Wednesday", D(2024, 1, 17), D(2024, 1, 17), "day", "weekday"),
    (THU, "Monday", MON, MON, "day", "weekday"),
    (THU, "Sunday", D(2024, 1, 14), D(2024, 1, 14), "day", "weekday"),
    (THU, "Saturday", D(2024, 1, 13), D(2024, 1, 13), "day", "weekday"),
    (THU, "on Tuesday", D(2024, 1, 16), D(2024, 1, 16), "day", "weekday"),
    (THU, "On Tuesday", D(2024, 1, 16), D(2024, 1, 16), "day", "weekday"),
    (THU, "Tuesday's attack", D(2024, 1, 16), D(2024, 1, 16), "day", "weekday"),
    (THU, "Tuesday\u2019s strikes", D(2024, 1, 16), D(2024, 1, 16), "day", "weekday"),
    (THU, "Tuesday night", D(2024, 1, 16), D(2024, 1, 16), "day", "weekday"),
    (THU, "on Tuesday night", D(2024, 1, 16), D(2024, 1, 16), "day", "weekday"),
    (THU, "Thursday morning", THU, THU, "day", "weekday"),
    (THU, "early on Thursday", THU, THU, "day", "weekday"),
    (THU, "late on Monday", MON, MON, "day", "weekday"),
    (THU, "LATE ON MONDAY", MON, MON, "day", "weekday"),
    (THU, "on Monday night", MON, MON, "day", "weekday"),
    (THU, "since Tuesday", D(2024, 1, 16), D(2024, 1, 16), "day", "weekday"),
    (THU, "conveyed on Thursday", THU, THU, "day", "weekday"),
    (FRI, "before dawn on Thursday", THU, THU, "day", "weekday"),
    (SAT, "On Tuesday", D(2024, 1, 16), D(2024, 1, 16), "day", "weekday"),
    (MON, "Monday", MON, MON, "day", "weekday"),
    (MON, "Sunday", D(2024, 1, 14), D(2024, 1, 14), "day", "weekday"),
    (MON, "Tuesday", D(2024, 1, 9), D(2024, 1, 9), "day", "weekday"),
    (SUN, "Sunday", SUN, SUN, "day", "weekday"),
    (SUN, "Monday", MON, MON, "day", "weekday"),
    (NEW_YEAR, "Friday", D(2023, 12, 29), D(2023, 12, 29), "day", "weekday"),
    # "last <weekday>": strictly before publication
    (THU, "last Tuesday", D(2024, 1, 16), D(2024, 1, 16), "day", "last-weekday"),
    (THU, "last Thursday", D(2024, 1, 11), D(2024, 1, 11), "day", "last-weekday"),
    (THU, "this past Thursday", D(2024, 1, 11), D(2024, 1, 11), "day", "last-weekday"),
    (MON, "last Monday", D(2024, 1, 8), D(2024, 1, 8), "day", "last-weekday"),
    (THU, "Tuesday of last week", D(2024, 1, 9), D(2024, 1, 9), "day", "weekday-last-week"),
    (THU, "last week on Friday", D(2024, 1, 12), D(2024, 1, 12), "day", "weekday-last-week"),
    (THU, "next Friday", FRI, FRI, "day", "next-weekday"),
    (THU, "next Thursday", D(2024, 1, 25), D(2024, 1, 25), "day", "next-weekday"),
    # days relative to publication
    (THU, "today", THU, THU, "day", "today"),
    (THU, "this morning", THU, THU, "day", "today"),
    (THU, "This afternoon", THU, THU, "day", "today"),
    (THU, "tonight", THU, THU, "day", "today"),
    (THU, "earlier today", THU, THU, "day", "today"),
    (THU, "yesterday", D(2024, 1, 17), D(2024, 1, 17), "day", "yesterday"),
    (THU, "Yesterday morning", D(2024, 1, 17), D(2024, 1, 17), "day", "yesterday"),
    (THU, "last night", D(2024, 1, 17), D(2024, 1, 17), "day", "yesterday"),
    (THU, "the previous day", D(2024, 1, 17), D(2024, 1, 17), "day", "previous-day"),
    (THU, "the day before", D(2024, 1, 17), D(2024, 1, 17), "day", "previous-day"),
    (THU, "a day earlier", D(2024, 1, 17), D(2024, 1, 17), "day", "previous-day"),
    (THU, "overnight", D(2024, 1, 17), D(2024, 1, 17), "day", "overnight"),
    (THU, "in an overnight raid", D(2024, 1, 17), D(2024, 1, 17), "day", "overnight"),
    (THU, "the same day", THU, THU, "day", "same-day"),
    (THU, "the day before yesterday", D(2024, 1, 16), D(2024, 1, 16), "day", "days-ago"),
    (THU, "tomorrow", FRI, FRI, "day", "tomorrow"),
    (NEW_YEAR, "yesterday", D(2024, 1, 1), D(2024, 1, 1), "day", "yesterday"),
    (D(2024, 1, 1), "last night", D(2023, 12, 31), D(2023, 12, 31), "day", "yesterday"),
    (D(2024, 3, 1), "yesterday", D(2024, 2, 29), D(2024, 2, 29), "day", "yesterday"),
    # N days ago / earlier (number words through text2num)
    (THU, "two days ago", D(2024, 1, 16), D(2024, 1, 16), "day", "days-ago"),
    (THU, "2 days ago", D(2024, 1, 16), D(2024, 1, 16), "day", "days-ago"),
    (THU, "three days earlier", MON, MON, "day", "days-earlier"),
    (THU, "the attack came three days earlier", MON, MON, "day", "days-earlier"),
    (THU, "twenty-one days ago", D(2023, 12, 28), D(2023, 12, 28), "day", "days-ago"),
    (THU, "a couple of days ago", D(2024, 1, 16), D(2024, 1, 16), "day", "days-ago"),
    (THU, "one day before", D(2024, 1, 17), D(2024, 1, 17), "day", "days-earlier"),
    (THU, "a few days ago", D(2024, 1, 13), D(2024, 1, 16), "week", "days-ago-vague"),
    (THU, "several days earlier", D(2024, 1, 9), D(2024, 1, 15), "week", "days-ago-vague"),
    (THU, "a week ago", D(2024, 1, 8), D(2024, 1, 14), "week", "weeks-ago"),
    (THU, "two weeks ago", D(2024, 1, 1), D(2024, 1, 7), "week", "weeks-ago"),
    (THU, "a fortnight ago", D(2024, 1, 1), D(2024, 1, 7), "week", "weeks-ago"),
    (THU, "two months ago", D(2023, 11, 1), D(2023, 11, 30), "month", "months-ago"),
    (THU, "a year ago", D(2023, 1, 1), D(2023, 12, 31), "year", "years-ago"),
    # weekends: Saturday..Sunday, precision week
    (THU, "last weekend", D(2024, 1, 13), D(2024, 1, 14), "week", "weekend"),
    (THU, "over the weekend", D(2024, 1, 13), D(2024, 1, 14), "week", "weekend"),
    (MON, "at the weekend", D(2024, 1, 13), D(2024, 1, 14), "week", "weekend"),
    (SUN, "this weekend", SAT, SUN, "week", "weekend"),
    (SUN, "last weekend", D(2024, 1, 13), D(2024, 1, 14), "week", "weekend"),
    (SAT, "over the weekend", SAT, SAT, "week", "weekend"),
    (NEW_YEAR, "last weekend", D(2023, 12, 30), D(2023, 12, 31), "week", "weekend"),
    # weeks: Monday-based (ISO) weeks
    (THU, "earlier this week", MON, D(2024, 1, 17), "week", "earlier-this-week"),
    (THU, "Earlier in the week", MON, D(2024, 1, 17), "week", "earlier-this-week"),
    (MON, "earlier this week", MON, MON, "week", "earlier-this-week"),
    (SUN, "earlier this week", MON, SAT, "week", "earlier-this-week"),
    (NEW_YEAR, "earlier this week", D(2024, 1, 1), D(2024, 1, 1), "week", "earlier-this-week"),
    (THU, "this week", MON, THU, "week", "this-week"),
    (MON, "this week", MON, MON, "week", "this-week"),
    (SUN, "this week", MON, SUN, "week", "this-week"),
    (THU, "last week", D(2024, 1, 8), D(2024, 1, 14), "week", "last-week"),
    (MON, "last week", D(2024, 1, 8), D(2024, 1, 14), "week", "last-week"),
    (SUN, "last week", D(2024, 1, 8), D(2024, 1, 14), "week", "last-week"),
    (NEW_YEAR, "last week", D(2023, 12, 25), D(2023, 12, 31), "week", "last-week"),
    (D(2021, 1, 3), "last week", D(2020, 12, 21), D(2020, 12, 27), "week", "last-week"),
    (THU, "the previous week", D(2024, 1, 8), D(2024, 1, 14), "week", "last-week"),
    (THU, "the week before last", D(2024, 1, 1), D(2024, 1, 7), "week", "week-before-last"),
    (THU, "over the past week", D(2024, 1, 12), THU, "week", "past-week"),
    # months
    (THU, "earlier this month", D(2024, 1, 1), D(2024, 1, 17), "month", "earlier-this-month"),
    (FRI, "earlier this month", D(2024, 1, 1), THU, "month", "earlier-this-month"),
    (D(2024, 1, 1), "earlier this month", D(2024, 1, 1), D(2024, 1, 1), "month", "earlier-this-month"),
    (THU, "this month", D(2024, 1, 1), THU, "month", "this-month"),
    (THU, "last month", D(2023, 12, 1), D(2023, 12, 31), "month", "last-month"),
    (D(2024, 3, 10), "last month", D(2024, 2, 1), D(2024, 2, 29), "month", "last-month"),
    (D(2023, 3, 10), "last month", D(2023, 2, 1), D(2023, 2, 28), "month", "last-month"),
    (THU, "in March", D(2023, 3, 1), D(2023, 3, 31), "month", "month"),
    (THU, "March", D(2023, 3, 1), D(2023, 3, 31), "month", "month"),
    (THU, "in January", D(2024, 1, 1), THU, "month", "month"),
    (THU, "mid-January", D(2024, 1, 1), THU, "month", "month"),
    (THU, "late December", D(2023, 12, 1), D(2023, 12, 31), "month", "month"),
    (NEW_YEAR, "in December", D(2023, 12, 1), D(2023, 12, 31), "month", "month"),
    (D(2024, 5, 20), "in May", D(2024, 5, 1), D(2024, 5, 20), "month", "month"),
    (D(2024, 4, 2), "last March", D(2024, 3, 1), D(2024, 3, 31), "month", "month"),
    (D(2024, 3, 2), "last March", D(2023, 3, 1), D(2023, 3, 31), "month", "month"),
    (THU, "March 2023", D(2023, 3, 1), D(2023, 3, 31), "month", "month-year"),
    (THU, "in February of 2020", D(2020, 2, 1), D(2020, 2, 29), "month", "month-year"),
    # years
    (THU, "in 2023", D(2023, 1, 1), D(2023, 12, 31), "year", "year"),
    (THU, "2023", D(2023, 1, 1), D(2023, 12, 31), "year", "year"),
    (THU, "in 2024", D(2024, 1, 1), THU, "year", "year"),
    (THU, "last year", D(2023, 1, 1), D(2023, 12, 31), "year", "last-year"),
    (THU, "this year", D(2024, 1, 1), THU, "year", "this-year"),
    (THU, "earlier this year", D(2024, 1, 1), D(2024, 1, 17), "year", "earlier-this-year"),
    (D(2024, 1, 1), "earlier this year", D(2024, 1, 1), D(2024, 1, 1), "year", "earlier-this-year"),
    # explicit days; the year inferred as the most recent not after publication + 7 days
    (THU, "January 16", D(2024, 1, 16), D(2024, 1, 16), "day", "month-day"),
    (THU, "on January 16th", D(2024, 1, 16), D(2024, 1, 16), "day", "month-day"),
    (THU, "Jan. 16", D(2024, 1, 16), D(2024, 1, 16), "day", "month-day"),
    (THU, "16 January", D(2024, 1, 16), D(2024, 1, 16), "day", "month-day"),
    (THU, "the 16th of January", D(2024, 1, 16), D(2024, 1, 16), "day", "month-day"),
    (THU, "16 January 2024", D(2024, 1, 16), D(2024, 1, 16), "day", "date"),
    (THU, "January 16, 2024", D(2024, 1, 16), D(2024, 1, 16), "day", "date"),
    (THU, "Tuesday, January 16", D(2024, 1, 16), D(2024, 1, 16), "day", "month-day"),
    (THU, "2024-01-16", D(2024, 1, 16), D(2024, 1, 16), "day", "iso"),
    (THU, "January 20", D(2024, 1, 20), D(2024, 1, 20), "day", "month-day"),
    (THU, "January 30", D(2023, 1, 30), D(2023, 1, 30), "day", "month-day"),
    (NEW_YEAR, "December 30", D(2023, 12, 30), D(2023, 12, 30), "day", "month-day"),
    (D(2023, 12, 28), "Jan 3", D(2024, 1, 3), D(2024, 1, 3), "day", "month-day"),
    (D(2024, 3, 1), "February 29", D(2024, 2, 29), D(2024, 2, 29), "day", "month-day"),
    (D(2025, 3, 1), "February 29", D(2024, 2, 29), D(2024, 2, 29), "day", "month-day"),
    (D(2024, 2, 29), "29 February 2024", D(2024, 2, 29), D(2024, 2, 29), "day", "date"),
    (THU, "on the 12th", D(2024, 1, 12), D(2024, 1, 12), "day", "day-of-month"),
    (THU, "on the 20th", D(2023, 12, 20), D(2023, 12, 20), "day", "day-of-month"),
    # the dateparser fallback
    (THU, "16/01/2024", D(2024, 1, 16), D(2024, 1, 16), "day", "dateparser"),
]
# fmt: on


@pytest.mark.parametrize(("published", "text", "start", "end", "precision", "rule"), CASES)
def test_resolve(
    published: dt.date, text: str, start: dt.date, end: dt.date, precision: str, rule: str
) -> None:
    assert resolve_date_expression(text, published) == ResolvedDate(start, end, precision, rule)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "launched a series of airstrikes",
        "the attack may have been planned",  # "may" the verb
        "a march on the capital",  # "march" the noun
        "in the early hours",
        "a",
        "29 February 2023",  # no such day
        "2024-02-30",
        "January 32",
        "Tues-day",
    ],
)
def test_no_date(text: str) -> None:
    assert resolve_date_expression(text, THU) is None


def test_datetime_with_offset_uses_its_local_date() -> None:
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    evening = dt.datetime(2024, 1, 18, 21, 10, tzinfo=tehran)  # 17:40 UTC, still the 18th
    assert resolve_date_expression("Thursday", evening) == ResolvedDate(THU, THU, "day", "weekday")
    # 00:30 in Tehran on the 19th is the 18th in UTC: the local (written) date counts
    after_midnight = dt.datetime(2024, 1, 19, 0, 30, tzinfo=tehran)
    assert resolve_date_expression("today", after_midnight) == ResolvedDate(
        FRI, FRI, "day", "today"
    )
    naive = dt.datetime(2024, 1, 18, 23, 59)
    assert resolve_date_expression("yesterday", naive).start == D(2024, 1, 17)


def test_weekday_of() -> None:
    assert [weekday_of(MON + dt.timedelta(days=i)) for i in range(7)] == WEEKDAYS


@pytest.mark.parametrize(
    ("start", "end", "precision", "ok"),
    [
        (THU, THU, "day", True),
        (MON, THU, "day", False),
        (MON, SUN, "week", True),
        (MON, D(2024, 1, 22), "week", False),
        (D(2023, 12, 30), D(2024, 1, 5), "week", True),  # a week may cross a year
        (D(2024, 1, 1), D(2024, 1, 31), "month", True),
        (D(2024, 1, 31), D(2024, 2, 1), "month", False),
        (D(2023, 1, 1), D(2023, 12, 31), "year", True),
        (D(2023, 12, 31), D(2024, 1, 1), "year", False),
        (THU, MON, "year", False),  # ends before it starts
        (THU, THU, "decade", False),
    ],
)
def test_window_precision_ok(start: dt.date, end: dt.date, precision: str, ok: bool) -> None:
    assert window_precision_ok(start, end, precision) is ok


def test_precisions() -> None:
    assert PRECISIONS == ("day", "week", "month", "year")


def test_dateparser_fallback_is_silent_and_cached(recwarn: pytest.WarningsRecorder) -> None:
    published = D(2019, 6, 5)
    first = resolve_date_expression("05/06/2019 ", published)
    assert first is not None and first.rule == "dateparser"
    assert resolve_date_expression("05/06/2019", published) is first  # same normalised key
    assert not recwarn.list


# ------------------------------------------------------------------------------------------
# Properties

dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31))
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m))
)
published_values = st.one_of(
    dates,
    st.builds(
        lambda d, t, tz: dt.datetime.combine(d, t, tzinfo=tz),
        dates,
        st.times(),
        offsets,
    ),
)
WEEKDAY_FORMS = ["{}", "on {}", "{}'s", "{}\u2019s attack", "{} night", "late on {}", "{} morning"]


def local_date(published: dt.date) -> dt.date:
    return published.date() if isinstance(published, dt.datetime) else published


@given(
    published=published_values,
    index=st.integers(0, 6),
    form=st.sampled_from(WEEKDAY_FORMS),
    upper=st.booleans(),
)
def test_weekday_is_within_the_week_up_to_publication(
    published: dt.date, index: int, form: str, upper: bool
) -> None:
    name = WEEKDAYS[index].upper() if upper else WEEKDAYS[index]
    found = resolve_date_expression(form.format(name), published)
    assert found is not None
    base = local_date(published)
    assert found.start == found.end and found.precision == "day"
    assert 0 <= (base - found.start).days <= 6
    assert found.start.weekday() == index


@given(published=dates, index=st.integers(0, 6))
def test_last_weekday_is_strictly_before_publication(published: dt.date, index: int) -> None:
    found = resolve_date_expression(f"last {WEEKDAYS[index]}", published)
    assert found is not None
    assert 1 <= (published - found.start).days <= 7
    assert found.start.weekday() == index


PHRASES = [
    "today",
    "yesterday",
    "overnight",
    "the previous day",
    "three days ago",
    "a few days ago",
    "two weeks ago",
    "five months ago",
    "a year ago",
    "last weekend",
    "over the weekend",
    "earlier this week",
    "this week",
    "last week",
    "the week before last",
    "the past week",
    "earlier this month",
    "this month",
    "last month",
    "earlier this year",
    "this year",
    "last year",
    "in March",
    "in December",
    "in January",
    "February 29",
    "January 16",
    "31 December",
    "on the 31st",
    "in 2023",
    "Tuesday of last week",
    "last Sunday",
    "next Monday",
    "tomorrow",
]


@settings(deadline=None)
@given(published=published_values, text=st.sampled_from(PHRASES + WEEKDAYS))
def test_every_result_is_a_well_formed_window(published: dt.date, text: str) -> None:
    found = resolve_date_expression(text, published)
    assert found is not None
    assert found.start <= found.end
    assert found.precision in PRECISIONS
    assert window_precision_ok(found.start, found.end, found.precision)
    base = local_date(published)
    if found.rule not in ("tomorrow", "next-weekday", "month-day"):
        # a window that contains the publication day is cut there
        assert found.start > base or found.end <= base


@settings(deadline=None, max_examples=60)
@given(published=dates, text=st.text(max_size=30))
def test_arbitrary_text_never_raises_or_warns(published: dt.date, text: str) -> None:
    found = resolve_date_expression(text, published)
    if found is not None:
        assert window_precision_ok(found.start, found.end, found.precision)
