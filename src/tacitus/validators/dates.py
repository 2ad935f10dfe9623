"""D rules: an event's date is present, plausible, ordered, precise as claimed, and agrees
with the date expression quoted for it.

Dates are days (``date_start``..``date_end``, inclusive). The publication day is the
article's ``published`` (its own local date); one day of grace allows for time zones.
"""

from __future__ import annotations

import re

import polars as pl

from tacitus.schema.rules import define_rule
from tacitus.validators.base import Check, Expectation, Inputs, days, register

PRECISION_MAX_WEEK = 6
"""A week window spans at most 7 days (end - start <= 6)."""

_PART_OF_DAY = r"(?:day|night|morning|evening|afternoon)"
ANAPHORIC_DATE = re.compile(
    rf"\b(?:(?:the\s+)?(?:previous|preceding|prior|following|next|same)\s+{_PART_OF_DAY}"
    rf"|that\s+{_PART_OF_DAY}"
    r"|(?:days?|nights?|weeks?|months?|hours?)\s+(?:before|after|later|earlier))\b",
    re.IGNORECASE,
)
"""Date phrases anchored to another event of the story, not to the publication day
("the previous day", "two days later"): D004 does not check them."""


def anchored_to_publication(quote: str) -> bool:
    """Whether a date quote counts from the publication day (and D004 can check it).

    Example:
        >>> anchored_to_publication("on Tuesday"), anchored_to_publication("the previous day")
        (True, False)
    """
    return ANAPHORIC_DATE.search(quote) is None


D001 = define_rule(
    "D001",
    "Event dated",
    "error",
    "Every event has a date (date_start): the build takes it from the annotation, or "
    "from the publication day when the article gives none; a null date means a reader "
    "could not parse one.",
    "event has no date",
    "date_start: null",
)
D002 = define_rule(
    "D002",
    "Event not after publication",
    "error",
    "An event cannot start after the article reporting it was published (one day of "
    "grace for time zones).",
    "event dated {value} but the article was published {published}",
    "published: 2024-01-18\nevents: [{date: {value: 2024-01-21}}]",
)
D003 = define_rule(
    "D003",
    "Event not before the date floor",
    "warning",
    "Events dated before the dataset's date_floor (dataset.toml; default 1946-01-01, the "
    "start of the UCDP/PRIO conflict data) are suspicious: usually a typo in the year.",
    "event dated {value}, before the date floor {floor}",
    "date: {value: 1024-01-18}",
)
D004 = define_rule(
    "D004",
    "Relative date expression agrees",
    "error",
    "A date quote ('on Tuesday', 'earlier this week') resolved against the publication "
    "day gives a day or window that overlaps the annotated one. Phrases anchored to "
    "another event of the story ('the previous day', 'two days later') are not checked.",
    "the date quote {value!r} means {resolved} (published {published}), not {annotated}",
    "published: 2024-01-18  # a Thursday\ndate: {value: 2024-01-17, quote: on Tuesday}",
)
D005 = define_rule(
    "D005",
    "Date window ordered",
    "error",
    "A window's start is not after its end.",
    "window starts {value} after it ends {end}",
    "date: {start: 2024-01-18, end: 2024-01-16, precision: week}",
)
D006 = define_rule(
    "D006",
    "Date precision agrees with the window",
    "error",
    "The precision fits the window: day ⇒ start = end; week ⇒ at most 7 days; month ⇒ "
    "within one calendar month; year ⇒ within one calendar year (a coarse precision may "
    "label a shorter window: 'earlier this month'). A window longer than a day needs a "
    "precision, and the precision is one of day, week, month, year.",
    "precision {value} does not fit the window {start}..{end} ({span} days)",
    "date: {start: 2024-01-01, end: 2024-01-31, precision: day}",
)


def _floor_fails(inputs: Inputs) -> pl.Expr:
    return pl.col("date_start") < pl.lit(inputs.context.date_floor)


def _span() -> pl.Expr:
    return (pl.col("date_end") - pl.col("date_start")).dt.total_days()


def _window(start: str, end: str) -> pl.Expr:
    """A day or a window as text: ``2024-01-16`` or ``2024-01-15..2024-01-21``."""
    a, b = pl.col(start).cast(pl.String), pl.col(end).cast(pl.String)
    return pl.when(a == b).then(a).otherwise(pl.concat_str([a, pl.lit(".."), b]))


def _precision_fails() -> pl.Expr:
    """True where the precision does not fit the window (a when-chain, which streams).

    The same test as ``tacitus.convert.dates.window_precision_ok``, vectorised; windows
    that end before they start are D005's, not this rule's.
    """
    start, end, precision = pl.col("date_start"), pl.col("date_end"), pl.col("date_precision")
    span = _span()
    same_year = start.dt.year() == end.dt.year()
    fits = (
        pl.when(precision == "day")
        .then(span == 0)
        .when(precision == "week")
        .then(span <= PRECISION_MAX_WEEK)
        .when(precision == "month")
        .then(same_year & (start.dt.month() == end.dt.month()))
        .when(precision == "year")
        .then(same_year)
        .when(precision.is_null())
        .then(span == 0)
        .otherwise(pl.lit(False))
    )
    return (span >= 0) & ~fits


register(
    Check(
        D001,
        "events",
        "events",
        ("date_start",),
        pl.col("date_start").is_null(),
        field="date_start",
        expectation=Expectation("expect_column_values_to_not_be_null", {"column": "date_start"}),
    ),
    Check(
        D002,
        "events",
        "events_published",
        ("date_start", "_published"),
        lambda inputs: (
            pl.col("date_start")
            > pl.col("_published") + days(inputs.context.publication_grace_days)
        ),
        field="date_start",
        value=pl.col("date_start"),
        message={"published": pl.col("_published")},
    ),
    Check(
        D003,
        "events",
        "events",
        ("date_start",),
        _floor_fails,
        field="date_start",
        value=pl.col("date_start"),
        message={"floor": lambda inputs: pl.lit(inputs.context.date_floor)},
    ),
    Check(
        D004,
        "events",
        "evidence_dates",
        ("_resolved_start", "_date_start"),
        (pl.col("_date_start") <= pl.col("_date_end"))
        & (
            (pl.col("_resolved_end") < pl.col("_date_start"))
            | (pl.col("_resolved_start") > pl.col("_date_end"))
        ),
        field="date",
        value=pl.col("quote"),
        message={
            "resolved": _window("_resolved_start", "_resolved_end"),
            "published": pl.col("_published"),
            "annotated": _window("_date_start", "_date_end"),
        },
    ),
    Check(
        D005,
        "events",
        "events",
        ("date_start", "date_end"),
        pl.col("date_start") > pl.col("date_end"),
        field="date_start",
        value=pl.col("date_start"),
        message={"end": pl.col("date_end")},
    ),
    Check(
        D006,
        "events",
        "events",
        ("date_start", "date_end", "date_precision"),
        _precision_fails(),
        field="date_precision",
        value=pl.col("date_precision"),
        message={"start": pl.col("date_start"), "end": pl.col("date_end"), "span": _span() + 1},
    ),
)
