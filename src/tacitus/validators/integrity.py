"""I rules: tables have their columns, ids are unique, references resolve, and no event
is lost between the input and the output.
"""

from __future__ import annotations

import polars as pl
from polars.datatypes import DataTypeClass

from tacitus.schema.rules import Finding, define_rule
from tacitus.validators.base import (
    Check,
    Expectation,
    Inputs,
    expected_schema,
    register,
    view,
)

I001 = define_rule(
    "I001",
    "Table has the expected columns",
    "error",
    "Each table has the columns of its schema (tacitus.schema.tables) with compatible "
    "types. A missing or mistyped column is reported once per table; the rules that need "
    "it are skipped.",
    "table {name}: {detail}",
    "events.parquet without a latitude column, or with latitude stored as text",
)
I002 = define_rule(
    "I002",
    "Ids unique",
    "error",
    "event_id, article_id and casualty_id are unique in their tables (every row sharing "
    "an id is reported).",
    "{field} {value!r} is used by {count} rows",
    "two articles with id: rt-2024-01-18",
)
I003 = define_rule(
    "I003",
    "References resolve",
    "error",
    "Every reference points at an existing row: events.article_id in articles, "
    "casualties.event_id and evidence.event_id in events, casualties.parent in casualties.",
    "{field} {value!r} does not match any {target}",
    "casualties row with event_id: a1/e9 and no event a1/e9",
)
I004 = define_rule(
    "I004",
    "No event lost",
    "error",
    "Every input event is in the output: events + rejected = events read (from the build report).",
    "{count_in} events read, but {count_out} in the output ({events} events + {rejected} rejected)",
    "a build that drops an event without recording it as rejected",
)

ID_COLUMNS = {"events": "event_id", "articles": "article_id", "casualties": "casualty_id"}
REFERENCES = (
    ("events", "article_id", "articles", "article_id"),
    ("casualties", "event_id", "events", "event_id"),
    ("casualties", "parent", "casualties", "casualty_id"),
    ("evidence", "event_id", "events", "event_id"),
)

SHARED_REFERENCE = ("events", "article_id", "articles", "article_id")
"""The reference checked on the ``events_published`` view (which joins the articles)."""

DataTypeLike = pl.DataType | DataTypeClass

_INTEGER = {pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64}
_FLOAT = {pl.Float32, pl.Float64}


def _compatible(found: DataTypeLike, wanted: DataTypeLike) -> bool:
    """Whether a column of type ``found`` can stand for ``wanted`` (cast losslessly)."""
    if found == wanted:
        return True
    base_found, base_wanted = found.base_type(), wanted.base_type()
    if base_wanted in _INTEGER:
        return base_found in _INTEGER
    if base_wanted in _FLOAT:
        return base_found in _INTEGER | _FLOAT
    if base_wanted == pl.String:
        return base_found in (pl.String, pl.Categorical, pl.Enum)
    if isinstance(wanted, pl.List) and isinstance(found, pl.List):
        return _compatible(found.inner, wanted.inner)
    if base_wanted == pl.Datetime:
        return base_found == pl.Datetime
    return False


def conform(
    name: str, frame: pl.LazyFrame, *, source_file: str | None = None
) -> tuple[pl.LazyFrame, list[Finding]]:
    """Cast a table to its schema where compatible; report missing and mistyped columns.

    Mistyped columns are dropped (the rules using them are skipped); all problems of a
    table make one I001 finding.

    Example:
        >>> lf = pl.LazyFrame({"event_id": ["a/e1"], "latitude": ["north"]})
        >>> _, found = conform("events", lf, source_file="events.parquet")
        >>> found[0].rule, "latitude" in found[0].message
        ('I001', True)
    """
    wanted = expected_schema(name)
    have = frame.collect_schema()
    missing = [c for c in wanted.names() if c not in have]
    mistyped = [
        f"{c} is {have[c]}, expected {wanted[c]}"
        for c in wanted.names()
        if c in have and not _compatible(have[c], wanted[c])
    ]
    casts = {
        c: wanted[c]
        for c in wanted.names()
        if c in have and have[c] != wanted[c] and _compatible(have[c], wanted[c])
    }
    drop = [c for c in wanted.names() if c in have and not _compatible(have[c], wanted[c])]
    if casts:
        frame = frame.with_columns([pl.col(c).cast(t) for c, t in casts.items()])
    if drop:
        frame = frame.drop(drop)
    problems = []
    if missing:
        problems.append("missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing))
    if mistyped:
        problems.append("mistyped: " + "; ".join(mistyped))
    if not problems:
        return frame, []
    finding = I001.finding(
        source_file=source_file, table=name, name=name, detail="; ".join(problems)
    )
    return frame, [finding]


def _unique_view(table: str, column: str) -> None:
    @view(f"duplicates:{table}")
    def duplicates(inputs: Inputs) -> pl.LazyFrame | None:
        frame = inputs.table(table)
        if frame is None or not inputs.has(table, column):
            return None
        # A hash of the id (one numeric column, held in memory) sorted finds the hashes
        # that repeat (few); only the rows with those are read whole (the Parquet reader
        # applies the predicate before decoding the other columns), and the count per id
        # itself then drops any (astronomically rare) hash collision.
        repeated = inputs.repeated_hashes(table, column)
        candidates = frame.filter(pl.col(column).hash().is_in(repeated.implode())).collect(
            engine="streaming"
        )
        counts = candidates.group_by(column).agg(pl.len().alias("_count"))
        return (
            candidates.join(counts, on=column, how="inner", maintain_order="left")
            .filter(pl.col("_count") > 1)
            .lazy()
        )


def _reference_view(table: str, column: str, target: str, target_column: str) -> str:
    name = f"references:{table}.{column}"

    @view(name)
    def references(inputs: Inputs) -> pl.LazyFrame | None:
        frame, other = inputs.table(table), inputs.table(target)
        if frame is None or other is None or not inputs.has(table, column):
            return None
        if (table, column, target, target_column) == SHARED_REFERENCE:
            # The events' article join that D002 makes anyway flags the events whose
            # article exists (``_found``): one join with the articles, one pass.
            shared = inputs.view("events_published")
            if shared is not None and "_found" in shared.collect_schema():
                return shared
        if not inputs.has(target, target_column):
            keys = pl.LazyFrame(schema={"_key": pl.String, "_found": pl.Boolean})
        else:
            keys = (
                other.select(pl.col(target_column).alias("_key"))
                .drop_nulls()
                .unique()
                .with_columns(_found=pl.lit(True))
            )
        return (
            frame.filter(pl.col(column).is_not_null())
            .join(keys, left_on=column, right_on="_key", how="left")
            .with_columns(pl.col("_found").fill_null(False))
        )

    return name


@view("event_count")
def _event_count(inputs: Inputs) -> pl.LazyFrame | None:
    expected = inputs.context.input_events
    events = inputs.table("events")
    if expected is None or events is None:
        return None
    rejected = inputs.table("rejected")
    n_rejected = (
        rejected.select(pl.len().alias("_rejected"))
        if rejected is not None
        else pl.LazyFrame({"_rejected": [0]}, schema={"_rejected": pl.UInt32})
    )
    return (
        events.select(pl.len().alias("_events"))
        .join(n_rejected, how="cross")
        .with_columns(
            _read=pl.lit(expected, dtype=pl.Int64),
            _out=pl.col("_events").cast(pl.Int64) + pl.col("_rejected").cast(pl.Int64),
            source_file=pl.lit(inputs.context.source, dtype=pl.String),
        )
    )


for _table, _column in ID_COLUMNS.items():
    _unique_view(_table, _column)
    register(
        Check(
            I002,
            _table,
            f"duplicates:{_table}",
            (_column, "_count"),
            pl.col("_count") > 1,
            field=_column,
            value=pl.col(_column),
            message={"count": pl.col("_count")},
            expectation=Expectation(
                "expect_column_values_to_be_unique",
                {"column": _column},
                view=f"table:{_table}",
                columns={"_count": pl.len().over(_column)},
            ),
        )
    )

for _table, _column, _target, _target_column in REFERENCES:
    register(
        Check(
            I003,
            _table,
            _reference_view(_table, _column, _target, _target_column),
            (_column, "_found"),
            pl.col(_column).is_not_null() & ~pl.col("_found").fill_null(False),
            field=_column,
            value=pl.col(_column),
            message={"target": pl.lit(f"{_target}.{_target_column}")},
        )
    )

register(
    Check(
        I004,
        "events",
        "event_count",
        ("_read", "_out"),
        pl.col("_read") != pl.col("_out"),
        field="events",
        value=pl.col("_out"),
        message={
            "count_in": pl.col("_read"),
            "count_out": pl.col("_out"),
            "events": pl.col("_events"),
            "rejected": pl.col("_rejected"),
        },
    )
)
