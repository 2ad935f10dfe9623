"""K rules: casualty figures are non-negative, ordered, add up, match their quotes, and
belong to violent events.

A figure is (low, best, high); an exact count is all three. Breakdown rows (``parent``
set) split a total (3 women and 4 children of 7 killed) and are never added to it again.
"""

from __future__ import annotations

import polars as pl

from tacitus.schema.rules import define_rule
from tacitus.validators.base import Check, Expectation, Inputs, per_value, register, view

VIOLENT_ROOTS = ("18", "19", "20")
"""Assault, fight, unconventional mass violence."""
VIOLENT_BASES = ("145", "175")
"""Protest violently / riot; use tactics of violent repression."""
EVENT_FIGURES = tuple(
    f"{kind}_{part}" for kind in ("killed", "injured") for part in ("low", "best", "high")
)

K001 = define_rule(
    "K001",
    "Casualty figures non-negative",
    "error",
    "No casualty figure (low, best, high; killed and injured totals) is negative.",
    "{field} is {value}",
    "casualties: [{kind: killed, low: -1, high: 3}]",
)
K002 = define_rule(
    "K002",
    "Casualty range ordered",
    "error",
    "low ≤ best ≤ high for every figure given. A figure that is both an event's total "
    "(killed_low..killed_high) and its casualty row is reported once. On a coded import "
    "(UCDP publishes some unordered ranges, kept as published) it is a warning.",
    "{field} range is not ordered: low {low}, best {best}, high {high}",
    "casualties: [{kind: killed, low: 9, best: 5}]",
    on_import="warning",
)
K003 = define_rule(
    "K003",
    "Breakdown within its total",
    "error",
    "The rows breaking a total down (3 women, 4 children of 7 killed) add up to no more "
    "than the total: the sum of their lowest figures is at most the total's highest. "
    "On a coded import (UCDP's per-side deaths against an unordered total) it is a warning.",
    "the breakdown adds up to at least {sum}, more than the total's {total}",
    "count: 7\nbreakdown: [{count: 3, who: women}, {count: 5, who: children}]",
    on_import="warning",
)
K004 = define_rule(
    "K004",
    "Quoted figure agrees",
    "error",
    "The number stated in a casualty's quote ('killing seven people', 'dozens') agrees "
    "with the annotated figure.",
    "the quote {value!r} says {said}, but the figure is {annotated}",
    "count: 9\nquote: killing seven people",
)
K005 = define_rule(
    "K005",
    "Casualties on a violent event",
    "warning",
    "Killed or injured counts belong to violent events: root codes 18 (assault), 19 "
    "(fight), 20 (mass violence), and 145 (violent protest, riot) and 175 (violent "
    "repression). Casualties on another code usually mean a wrong code.",
    "{field} is {value} on event code {code}, which is not a violent event",
    'code: "111"   # criticize\ncasualties: [{kind: killed, count: 4}]',
)


def _figure(prefix: str = "") -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    return pl.col(f"{prefix}low"), pl.col(f"{prefix}best"), pl.col(f"{prefix}high")


def _unordered(prefix: str = "") -> pl.Expr:
    low, best, high = _figure(prefix)
    return (low > best) | (best > high) | (low > high)


def _annotated() -> pl.Expr:
    low, best, high = _figure()
    exact = best.is_not_null() & (low.is_null() | (low == best)) & (high.is_null() | (high == best))
    text = pl.concat_str(
        [low.cast(pl.String).fill_null("?"), pl.lit(".."), high.cast(pl.String).fill_null("?")]
    )
    return pl.when(exact).then(best.cast(pl.String)).otherwise(text)


@view("casualty_breakdown")
def _breakdown(inputs: Inputs) -> pl.LazyFrame | None:
    """Totals with the sum of their breakdown rows' lowest figures."""
    if not inputs.has("casualties", "casualty_id", "parent"):
        return None
    casualties = inputs.table("casualties")
    assert casualties is not None
    present = [c for c in ("low", "best", "high") if inputs.has("casualties", c)]
    if not present:
        return None
    lowest = pl.coalesce([pl.col(c) for c in present])
    highest = pl.coalesce([pl.col(c) for c in reversed(present)])
    parts = (
        casualties.filter(pl.col("parent").is_not_null())
        .group_by("parent")
        .agg(lowest.sum().alias("_sum"), pl.len().alias("_parts"))
    )
    return casualties.join(
        parts, left_on="casualty_id", right_on="parent", how="inner"
    ).with_columns(_total=highest)


def _range_text(prefix: str = "") -> pl.Expr:
    """A figure as ``low/best/high`` (``?`` where one is missing)."""
    return pl.concat_str(
        [pl.col(f"{prefix}{p}").cast(pl.String).fill_null("?") for p in ("low", "best", "high")],
        separator="/",
    )


def _figures_checks() -> list[Check]:
    checks = [
        Check(
            K001,
            table,
            table,
            (column,),
            pl.col(column) < 0,
            field=column,
            value=pl.col(column),
            expectation=Expectation(
                "expect_column_values_to_be_between", {"column": column, "min_value": 0}
            ),
        )
        for table, columns in (("casualties", ("low", "best", "high")), ("events", EVENT_FIGURES))
        for column in columns
    ]
    checks.append(
        Check(
            K002,
            "casualties",
            "casualties",
            ("low", "best", "high"),
            _unordered(),
            field=pl.col("kind").fill_null("casualty"),
            value=_range_text(),
            message={p: pl.col(p) for p in ("low", "best", "high")},
        )
    )
    for kind in ("killed", "injured"):
        checks.append(
            Check(
                K002,
                "events",
                "events",
                tuple(f"{kind}_{p}" for p in ("low", "best", "high")),
                _unordered(f"{kind}_"),
                field=kind,
                value=_range_text(f"{kind}_"),
                message={p: pl.col(f"{kind}_{p}") for p in ("low", "best", "high")},
            )
        )
    return checks


def _violent(code: pl.Expr) -> pl.Expr:
    # prefix tests (no new strings per row): the same as slicing the first two (three)
    # characters and looking them up, several times faster on a large table
    prefixes = [*VIOLENT_ROOTS, *VIOLENT_BASES]
    return pl.any_horizontal([code.str.starts_with(p) for p in prefixes])


VIOLENT = per_value("_event_violent", "event_code", _violent, "K005")
"""Whether the event code is violent (:func:`_violent`), per distinct code."""


def _k005_fails(inputs: Inputs) -> pl.Expr | None:
    present = [c for c in EVENT_FIGURES if inputs.has("events", c)]
    if not present:
        return None
    reported = pl.any_horizontal([pl.col(c) > 0 for c in present])
    return pl.col("event_code").is_not_null() & ~VIOLENT & reported


def _k005_field(inputs: Inputs) -> pl.Expr:
    present = [c for c in EVENT_FIGURES if inputs.has("events", c)]
    chain = pl.lit(None, dtype=pl.String)
    for column in reversed(present):
        chain = pl.when(pl.col(column) > 0).then(pl.lit(column)).otherwise(chain)
    return chain


def _k005_value(inputs: Inputs) -> pl.Expr:
    present = [c for c in EVENT_FIGURES if inputs.has("events", c)]
    picked: list[pl.Expr] = [pl.when(pl.col(c) > 0).then(pl.col(c)) for c in present]
    return pl.coalesce(picked or [pl.lit(None)])


register(
    *_figures_checks(),
    Check(
        K003,
        "casualties",
        "casualty_breakdown",
        ("_sum", "_total"),
        pl.col("_sum") > pl.col("_total"),
        field="breakdown",
        value=pl.col("_sum"),
        message={"sum": pl.col("_sum"), "total": pl.col("_total")},
    ),
    Check(
        K004,
        "casualties",
        "casualties",
        ("_figure_agrees",),
        pl.col("_figure_agrees") == False,  # noqa: E712 - null (no figure in the quote) passes
        field="quote",
        value=pl.col("quote"),
        message={"said": pl.col("_figure_said"), "annotated": _annotated()},
    ),
    Check(
        K005,
        "events",
        "events",
        ("event_code", "_event_violent"),
        _k005_fails,
        field=_k005_field,
        value=_k005_value,
        message={"code": pl.col("event_code")},
    ),
)
