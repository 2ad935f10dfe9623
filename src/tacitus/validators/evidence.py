"""E rules on tables: evidence quotes are in the article text, unambiguous, and their
character offsets give back the quote.

The same rules (E001-E004, defined in :mod:`tacitus.schema.rules`) are applied while
reading annotation files; here they run on the evidence table joined with the article
text, so they also check tables built elsewhere. Articles whose text is absent (a
release that may not redistribute it) are skipped.
"""

from __future__ import annotations

import polars as pl

from tacitus.schema.rules import E001, E002, E003
from tacitus.validators.base import Check, register


def _found() -> pl.Expr:
    return pl.col("_text").str.contains(pl.col("quote"), literal=True)


def _count() -> pl.Expr:
    return pl.col("_text").str.count_matches(pl.col("quote"), literal=True)


def _sliced() -> pl.Expr:
    return pl.col("_text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))


register(
    Check(
        E001,
        "evidence",
        "evidence",
        ("quote", "_text"),
        pl.col("quote").is_not_null() & pl.col("_text").is_not_null() & ~_found(),
        field=pl.col("field"),
        value=pl.col("quote"),
        message={"detail": pl.lit("")},
        variant="quote",
    ),
    Check(
        E002,
        "evidence",
        "evidence",
        ("quote", "_text"),
        lambda inputs: (
            (pl.col("start").is_null() if "start" in inputs.columns("evidence") else pl.lit(True))
            & pl.col("_text").is_not_null()
            & (_count() > 1)
        ),
        field=pl.col("field"),
        value=pl.col("quote"),
        message={"count": _count()},
        variant="quote",
    ),
    Check(
        E003,
        "evidence",
        "evidence",
        ("quote", "_text", "start", "end"),
        pl.col("start").is_not_null()
        & pl.col("end").is_not_null()
        & pl.col("_text").is_not_null()
        & pl.col("quote").is_not_null()
        & (
            (pl.col("end") > pl.col("_text").str.len_chars())
            | (pl.col("start") > pl.col("end"))
            | (_sliced() != pl.col("quote"))
        ),
        field=pl.col("field"),
        value=pl.col("quote"),
        message={"start": pl.col("start"), "end": pl.col("end"), "found": _sliced()},
        variant="offsets",
    ),
)
