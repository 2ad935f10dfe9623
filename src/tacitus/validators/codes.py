"""C rules: the event code exists and the values derived from it agree with the codebook.

The ``events`` view carries the codebook's entry for each event code (``cb_base_code``,
``cb_root_code``, ``cb_quad_class``, ``cb_goldstein``); an unknown code has nulls there.
Without a codebook these rules produce no findings.

QuadClass and Goldstein are compared under the scheme the data names (the tables'
``tacitus.quad_class_scheme`` / ``tacitus.goldstein_scheme`` metadata, as the GDELT,
ICEWS and UCDP readers write it; GDELT's when none is named). A scheme the codebook
does not have (ICEWS's intensity scale, UCDP's none) skips the rule.
"""

from __future__ import annotations

import polars as pl

from tacitus.schema.rules import define_rule
from tacitus.validators.base import Check, Expectation, Inputs, register
from tacitus.validators.reference import DEFAULT_SCHEME

GOLDSTEIN_TOLERANCE = 0.05
"""Goldstein scores are published to one decimal; differences below this are rounding."""

C001 = define_rule(
    "C001",
    "Event code exists",
    "error",
    "The event code is a CAMEO code in the packaged codebook (e.g. 195, not 1950 or 19).",
    "event code {value!r} is not in the CAMEO codebook",
    'events: [{id: e1, code: "1950"}]',
)
C002 = define_rule(
    "C002",
    "Base and root code derived from the event code",
    "error",
    "base_code and root_code are the codebook's for the event code (195 → base 195, "
    "root 19); a table that was edited by hand often gets them out of step.",
    "{field} is {value!r} but event code {code} has {expected!r}",
    "event_code: '195', root_code: '18'",
)
C003 = define_rule(
    "C003",
    "QuadClass agrees with the event code",
    "error",
    "quad_class is the codebook's QuadClass for the event code (1 verbal cooperation, "
    "2 material cooperation, 3 verbal conflict, 4 material conflict) under the scheme "
    "the data names: GDELT's by default; an ICEWS import's metadata names ICEWS's, which "
    "puts root 09 in verbal and 14 in material conflict.",
    "quad_class is {value} but event code {code} is QuadClass {expected} ({scheme} scheme)",
    "event_code: '195', quad_class: 1",
)
C004 = define_rule(
    "C004",
    "Goldstein score agrees with the event code",
    "error",
    f"goldstein is the codebook's Goldstein score for the event code (±{GOLDSTEIN_TOLERANCE}). "
    "The codebook has the CAMEO Goldstein scale as GDELT publishes it; data whose metadata "
    "names another scale (ICEWS intensity, which differs for codes such as 016 and 022) "
    "are not checked.",
    "goldstein is {value} but event code {code} scores {expected} ({scheme} scale)",
    "event_code: '195', goldstein: 3.4",
)


def _has_entry() -> pl.Expr:
    return pl.col("cb_root_code").is_not_null()


register(
    Check(
        C001,
        "events",
        "events",
        ("event_code", "cb_root_code"),
        pl.col("event_code").is_not_null() & pl.col("cb_root_code").is_null(),
        field="event_code",
        value=pl.col("event_code"),
        expectation=lambda inputs: _c001_expectation(inputs),
    ),
    *[
        Check(
            C002,
            "events",
            "events",
            (column, f"cb_{column}", "event_code"),
            _has_entry() & (pl.col(column) != pl.col(f"cb_{column}")),
            field=column,
            value=pl.col(column),
            message={"code": pl.col("event_code"), "expected": pl.col(f"cb_{column}")},
        )
        for column in ("base_code", "root_code")
    ],
    Check(
        C003,
        "events",
        "events",
        ("quad_class", "cb_quad_class", "event_code"),
        lambda inputs: _c003_fails(inputs),
        field="quad_class",
        value=pl.col("quad_class"),
        message={
            "code": pl.col("event_code"),
            "expected": pl.col("cb_quad_class"),
            "scheme": lambda inputs: pl.lit(quad_class_scheme(inputs)),
        },
    ),
    Check(
        C004,
        "events",
        "events",
        ("goldstein", "cb_goldstein", "event_code"),
        lambda inputs: _c004_fails(inputs),
        field="goldstein",
        value=pl.col("goldstein"),
        message={
            "code": pl.col("event_code"),
            "expected": pl.col("cb_goldstein"),
            "scheme": lambda inputs: pl.lit(goldstein_scheme(inputs)),
        },
    ),
)


def quad_class_scheme(inputs: Inputs) -> str:
    """The QuadClass scheme the events follow, as the data name it (default GDELT).

    Example:
        >>> from tacitus.validators.base import Context
        >>> quad_class_scheme(Inputs({}, Context(quad_class_scheme="ICEWS")))
        'ICEWS'
    """
    return inputs.context.quad_class_scheme or DEFAULT_SCHEME


def goldstein_scheme(inputs: Inputs) -> str:
    """The Goldstein scale the events follow, as the data name it (default GDELT).

    Example:
        >>> goldstein_scheme(Inputs({}))
        'GDELT'
    """
    return inputs.context.goldstein_scheme or DEFAULT_SCHEME


def _c003_fails(inputs: Inputs) -> pl.Expr | None:
    if not inputs.context.ref().knows_quad_class_scheme(inputs.context.quad_class_scheme):
        return None
    return _has_entry() & (pl.col("quad_class") != pl.col("cb_quad_class"))


def _c004_fails(inputs: Inputs) -> pl.Expr | None:
    if not inputs.context.ref().knows_goldstein_scheme(inputs.context.goldstein_scheme):
        return None
    return _has_entry() & (
        (pl.col("goldstein") - pl.col("cb_goldstein")).abs() > GOLDSTEIN_TOLERANCE
    )


def _c001_expectation(inputs: Inputs) -> Expectation | None:
    codes = inputs.context.ref().event_codes
    if codes is None:
        return None
    return Expectation(
        "expect_column_values_to_be_in_set",
        {"column": "event_code", "value_set": sorted(codes["event_code"].to_list())},
    )
