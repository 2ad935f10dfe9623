"""Arrow schemas of every output table (DESIGN.md §4) and their polars equivalents.

These are the contract between the build, the validators, the readers of coded datasets
and the published releases: column names, order and types. The pandera models in
``tacitus.schema.models`` add the value checks.
"""

from __future__ import annotations

import dataclasses

import polars as pl
import pyarrow as pa

_str = pa.large_string()

ARTICLES = pa.schema(
    [
        ("article_id", _str),
        ("source", _str),
        ("url", _str),
        ("published", pa.date32()),  # the publication day as written (local to the outlet)
        ("published_at", pa.timestamp("us", tz="UTC")),  # when a time and offset were given
        ("language", _str),
        ("title", _str),
        ("text", _str),  # dropped from releases whose licence forbids redistribution
        ("text_sha256", _str),
        ("n_events", pa.int32()),
        ("source_file", _str),
        ("source_line", pa.int32()),
    ]
)

_ACTOR_COLUMNS = ["code", "name", "country", "role"]

EVENTS = pa.schema(
    [
        ("event_id", _str),  # stable: article_id + "/" + local event id
        ("article_id", _str),
        ("event_code", _str),
        ("base_code", _str),
        ("root_code", _str),
        ("quad_class", pa.int8()),
        ("goldstein", pa.float64()),
        *[(f"actor1_{c}", _str) for c in _ACTOR_COLUMNS],
        *[(f"actor2_{c}", _str) for c in _ACTOR_COLUMNS],
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", _str),  # day|week|month|year
        ("date_source", _str),  # text|published|inferred
        ("location_name", _str),
        ("country", _str),
        ("adm1", _str),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("geo_precision", _str),
        ("killed_low", pa.int64()),
        ("killed_best", pa.int64()),
        ("killed_high", pa.int64()),
        ("injured_low", pa.int64()),
        ("injured_best", pa.int64()),
        ("injured_high", pa.int64()),
        ("source_file", _str),
        ("source_line", pa.int32()),
    ]
)

CASUALTIES = pa.schema(
    [
        ("casualty_id", _str),  # event_id + "/c1", breakdown rows "/c1.2"
        ("event_id", _str),
        ("kind", _str),  # killed|injured|missing|abducted|arrested|displaced
        ("category", _str),  # civilians|combatants|security_forces|unknown
        ("who", _str),
        ("low", pa.int64()),
        ("best", pa.int64()),
        ("high", pa.int64()),
        ("claimed_by", _str),
        ("parent", _str),  # casualty_id of the total this row breaks down, else null
        ("quote", _str),
        ("source_file", _str),
        ("source_line", pa.int32()),
    ]
)

EVIDENCE = pa.schema(
    [
        ("event_id", _str),
        ("article_id", _str),
        (
            "field",
            _str,
        ),  # e.g. event, actor1, date, location, casualties[0], casualties[0].breakdown[1]
        ("start", pa.int32()),  # Python character offsets into the article text
        ("end", pa.int32()),
        ("quote", _str),
        ("source_file", _str),
        ("source_line", pa.int32()),
    ]
)

ACTORS = pa.schema(
    [
        ("code", _str),
        ("name", _str),
        ("country", _str),
        ("roles", pa.large_list(_str)),
        ("aliases", pa.large_list(_str)),
        ("defined_in", _str),  # "codebook" or the actors.yaml path
        ("source_line", pa.int32()),
    ]
)

REJECTED = pa.schema(
    [
        ("article_id", _str),
        ("event_id", _str),  # null when the whole article was rejected before events were read
        ("source_file", _str),
        ("source_line", pa.int32()),
        ("rule", _str),
        ("reason", _str),
    ]
)

FINDINGS = pa.schema(
    [
        ("rule", _str),
        ("severity", _str),
        ("table", _str),
        ("event_id", _str),
        ("article_id", _str),
        ("field", _str),
        ("source_file", _str),
        ("source_line", pa.int32()),
        ("message", _str),
        ("value", _str),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "events": EVENTS,
    "casualties": CASUALTIES,
    "evidence": EVIDENCE,
    "actors": ACTORS,
}
"""The five tables of a built dataset, in the order they are written."""

ALL_SCHEMAS: dict[str, pa.Schema] = {**TABLES, "rejected": REJECTED, "findings": FINDINGS}


def polars_schema(schema: pa.Schema) -> pl.Schema:
    """The polars schema of an Arrow schema (strings become pl.String).

    Example:
        >>> polars_schema(EVENTS)["quad_class"]
        Int8
    """
    empty = pl.from_arrow(schema.empty_table())
    assert isinstance(empty, pl.DataFrame)
    return empty.schema


def empty_frame(name: str) -> pl.DataFrame:
    """An empty polars frame with the named table's columns and types.

    Example:
        >>> empty_frame("rejected").columns[:2]
        ['article_id', 'event_id']
    """
    frame = pl.from_arrow(ALL_SCHEMAS[name].empty_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def frame_from_rows(name: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    """Build the named table from row dicts, with exactly its schema (missing keys are null).

    Example:
        >>> frame_from_rows("rejected", [{"article_id": "a", "rule": "S001"}]).height
        1
    """
    schema = polars_schema(ALL_SCHEMAS[name])
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else empty_frame(name)


def to_arrow(name: str, frame: pl.DataFrame) -> pa.Table:
    """Convert a polars frame to Arrow with exactly the named table's schema.

    Example:
        >>> to_arrow("rejected", empty_frame("rejected")).schema == REJECTED
        True
    """
    return frame.select(ALL_SCHEMAS[name].names).to_arrow().cast(ALL_SCHEMAS[name])


@dataclasses.dataclass
class Tables:
    """The tables of a built dataset (plus the rejected events), as polars frames.

    Example:
        >>> Tables.empty().events.columns[0]
        'event_id'
    """

    articles: pl.DataFrame
    events: pl.DataFrame
    casualties: pl.DataFrame
    evidence: pl.DataFrame
    actors: pl.DataFrame
    rejected: pl.DataFrame

    @classmethod
    def empty(cls) -> Tables:
        """Every table with its schema and no rows."""
        return cls(**{name: empty_frame(name) for name in (*TABLES, "rejected")})

    def as_dict(self) -> dict[str, pl.DataFrame]:
        """Table name → frame, in writing order (rejected last)."""
        return {name: getattr(self, name) for name in (*TABLES, "rejected")}
