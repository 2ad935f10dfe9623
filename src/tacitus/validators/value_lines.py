"""Point a finding on an event's value at the line where that value is annotated.

The events table keeps one line per event (where the event starts), but the event's
parts (actor1, actor2, date, location) each start on a line of their own, which the
evidence table records with the part's quote. A finding on, say, ``date_start`` then
points at the ``date:`` line, not at the ``- id: e3`` line a dozen lines above it.
A part with no evidence row (no quote given, or tables read from a coded dataset)
keeps the event's line.

Example:
    >>> import polars as pl
    >>> from tacitus.schema.tables import frame_from_rows
    >>> from tacitus.validators.base import empty_findings
    >>> findings = pl.concat([empty_findings(), pl.DataFrame({
    ...     "rule": ["D001"], "table": ["events"], "event_id": ["a/e3"],
    ...     "field": ["date_start"], "source_file": ["a.yaml"], "source_line": [40]})],
    ...     how="diagonal_relaxed")
    >>> evidence = frame_from_rows("evidence", [{"event_id": "a/e3", "field": "date",
    ...     "quote": "on Tuesday", "source_file": "a.yaml", "source_line": 47}])
    >>> at_value_lines(findings, evidence.lazy())["source_line"].to_list()
    [47]
"""

from __future__ import annotations

import polars as pl

PART_FIELDS = {
    "date": ("date_start", "date_end", "date_precision", "date_source", "date"),
    "actor1": ("actor1_code", "actor1_name", "actor1_country", "actor1_role"),
    "actor2": ("actor2_code", "actor2_name", "actor2_country", "actor2_role"),
    "location": (
        "location_name", "country", "adm1", "latitude", "longitude", "geo_precision",
    ),
}  # fmt: skip
"""Evidence field of an event part (``tacitus.schema.document.quoted_fields``) → the
events columns whose value comes from that part."""

PART_OF_FIELD = {field: part for part, fields in PART_FIELDS.items() for field in fields}


def at_value_lines(findings: pl.DataFrame, evidence: pl.LazyFrame | None) -> pl.DataFrame:
    """``findings`` with those on an event's value moved to its part's line (see the
    module docs); the others, and the order of rows, unchanged.

    Only a line of the same file is taken: the part is the event's own.
    """
    if evidence is None or findings.is_empty():
        return findings
    needs = {"event_id", "field", "source_file", "source_line"}
    if not needs <= set(evidence.collect_schema().names()):
        return findings
    part = pl.col("field").replace_strict(PART_OF_FIELD, default=None, return_dtype=pl.String)
    on_parts = (pl.col("table") == "events") & part.is_not_null() & pl.col("event_id").is_not_null()
    wanted = findings.filter(on_parts)
    if wanted.is_empty():
        return findings
    lines = (
        evidence.filter(
            pl.col("event_id").is_in(wanted["event_id"].unique().implode())
            & pl.col("field").is_in(list(PART_FIELDS))
            & pl.col("source_line").is_not_null()
        )
        .select(
            "event_id",
            pl.col("field").alias("_part"),
            pl.col("source_file").alias("_part_file"),
            pl.col("source_line").alias("_part_line"),
        )
        .unique(["event_id", "_part"], keep="first", maintain_order=True)
        .collect()
    )
    if lines.is_empty():
        return findings
    same_file = pl.col("_part_file") == pl.col("source_file")
    return (
        findings.with_columns(part.alias("_part"))
        .join(lines, on=["event_id", "_part"], how="left", maintain_order="left")
        .with_columns(
            pl.when(on_parts & same_file)
            .then(pl.col("_part_line"))
            .otherwise(pl.col("source_line"))
            .cast(findings.schema["source_line"])
            .alias("source_line")
        )
        .select(findings.columns)
    )
