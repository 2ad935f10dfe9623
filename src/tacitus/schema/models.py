"""pandera models (polars backend) of every output table: the type contract of DESIGN.md §4.

Each model says, column by column, what the Arrow schemas in ``tacitus.schema.tables``
say (names, order, types) plus what one value alone may be: nullability, ranges
(QuadClass 1-4, Goldstein -10..10, latitude/longitude, figures >= 0), enumerations
(kinds, categories, precisions) and code patterns. Rules that relate several fields or
rows (low <= best <= high, a breakdown within its total, dates before publication, ids
unique) are not here: they are validator rules with ids (``tacitus.validators``), which
say where in the source a problem is.

:func:`validate_table` checks a frame against its model, either fully or (``depth=
"schema"``) only its columns and types: the build does the latter, because values that
came from annotations (a latitude of 100) are reported by the validators as findings,
never by stopping the build.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

import pandera.polars as pa
import polars as pl
from pandera.config import ValidationDepth, config_context

from tacitus.schema.document import CasualtyCategory, CasualtyKind, DatePrecision, GeoPrecision
from tacitus.schema.tables import ALL_SCHEMAS, polars_schema

__all__ = [
    "MODELS",
    "ActorsModel",
    "ArticlesModel",
    "CasualtiesModel",
    "EventsModel",
    "EvidenceModel",
    "FindingsModel",
    "RejectedModel",
    "validate_table",
]

ACTOR_CODE = r"^([A-Z]{3}|[a-z]{3})+$"
"""CAMEO actor code: trios (lower case only for an ethnic trio)."""
EVENT_CODE = r"^[0-9]{2,4}$"
COUNTRY_CODE = r"^[A-Z]{3}$"
SHA256 = r"^[0-9a-f]{64}$"
RULE_ID = r"^[A-Z][0-9]{3}$"

# The enumerations the annotation models allow (tacitus.schema.document), as lists.
CASUALTY_KINDS = list(get_args(CasualtyKind))
CASUALTY_CATEGORIES = list(get_args(CasualtyCategory))
DATE_PRECISIONS = list(get_args(DatePrecision))
DATE_SOURCES = ["text", "published", "inferred"]
GEO_PRECISIONS = list(get_args(GeoPrecision))
SEVERITIES = ["error", "warning"]

Timestamp = Annotated[pl.Datetime, "us", "UTC"]
StringList = Annotated[pl.List, pl.String()]


class _Table(pa.DataFrameModel):
    class Config:
        strict = True  # no column beyond the model's
        ordered = True  # in the Arrow schema's order


class ArticlesModel(_Table):
    """One row per article."""

    article_id: pl.String = pa.Field(nullable=False)
    source: pl.String = pa.Field(nullable=False)
    url: pl.String = pa.Field(nullable=True)
    published: pl.Date = pa.Field(nullable=False)
    published_at: Timestamp = pa.Field(nullable=True)
    language: pl.String = pa.Field(nullable=True, str_matches=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
    title: pl.String = pa.Field(nullable=True)
    text: pl.String = pa.Field(nullable=True)
    text_sha256: pl.String = pa.Field(nullable=True, str_matches=SHA256)
    n_events: pl.Int32 = pa.Field(nullable=False, ge=0)
    source_file: pl.String = pa.Field(nullable=True)
    source_line: pl.Int32 = pa.Field(nullable=True, ge=1)


class EventsModel(_Table):
    """One row per event (event_id = article_id + "/" + local id)."""

    event_id: pl.String = pa.Field(nullable=False)
    article_id: pl.String = pa.Field(nullable=False)
    event_code: pl.String = pa.Field(nullable=False, str_matches=EVENT_CODE)
    base_code: pl.String = pa.Field(nullable=True, str_matches=EVENT_CODE)
    root_code: pl.String = pa.Field(nullable=True, str_matches=r"^[0-9]{2}$")
    quad_class: pl.Int8 = pa.Field(nullable=True, ge=1, le=4)
    goldstein: pl.Float64 = pa.Field(nullable=True, ge=-10.0, le=10.0)
    actor1_code: pl.String = pa.Field(nullable=True, str_matches=ACTOR_CODE)
    actor1_name: pl.String = pa.Field(nullable=True)
    actor1_country: pl.String = pa.Field(nullable=True, str_matches=COUNTRY_CODE)
    actor1_role: pl.String = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$")
    actor2_code: pl.String = pa.Field(nullable=True, str_matches=ACTOR_CODE)
    actor2_name: pl.String = pa.Field(nullable=True)
    actor2_country: pl.String = pa.Field(nullable=True, str_matches=COUNTRY_CODE)
    actor2_role: pl.String = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$")
    date_start: pl.Date = pa.Field(nullable=False)
    date_end: pl.Date = pa.Field(nullable=False)
    date_precision: pl.String = pa.Field(nullable=True, isin=DATE_PRECISIONS)
    date_source: pl.String = pa.Field(nullable=True, isin=DATE_SOURCES)
    location_name: pl.String = pa.Field(nullable=True)
    country: pl.String = pa.Field(nullable=True, str_matches=COUNTRY_CODE)
    adm1: pl.String = pa.Field(nullable=True)
    latitude: pl.Float64 = pa.Field(nullable=True, ge=-90.0, le=90.0)
    longitude: pl.Float64 = pa.Field(nullable=True, ge=-180.0, le=180.0)
    geo_precision: pl.String = pa.Field(nullable=True, isin=GEO_PRECISIONS)
    killed_low: pl.Int64 = pa.Field(nullable=True, ge=0)
    killed_best: pl.Int64 = pa.Field(nullable=True, ge=0)
    killed_high: pl.Int64 = pa.Field(nullable=True, ge=0)
    injured_low: pl.Int64 = pa.Field(nullable=True, ge=0)
    injured_best: pl.Int64 = pa.Field(nullable=True, ge=0)
    injured_high: pl.Int64 = pa.Field(nullable=True, ge=0)
    source_file: pl.String = pa.Field(nullable=True)
    source_line: pl.Int32 = pa.Field(nullable=True, ge=1)


class CasualtiesModel(_Table):
    """One row per casualty figure; a breakdown row names its total in ``parent``."""

    casualty_id: pl.String = pa.Field(nullable=False)
    event_id: pl.String = pa.Field(nullable=False)
    kind: pl.String = pa.Field(nullable=False, isin=CASUALTY_KINDS)
    category: pl.String = pa.Field(nullable=True, isin=CASUALTY_CATEGORIES)
    who: pl.String = pa.Field(nullable=True)
    low: pl.Int64 = pa.Field(nullable=True, ge=0)
    best: pl.Int64 = pa.Field(nullable=True, ge=0)
    high: pl.Int64 = pa.Field(nullable=True, ge=0)
    claimed_by: pl.String = pa.Field(nullable=True, str_matches=ACTOR_CODE)
    parent: pl.String = pa.Field(nullable=True)
    quote: pl.String = pa.Field(nullable=True)
    source_file: pl.String = pa.Field(nullable=True)
    source_line: pl.Int32 = pa.Field(nullable=True, ge=1)


class EvidenceModel(_Table):
    """One row per quote: where in the article text a value is said."""

    event_id: pl.String = pa.Field(nullable=False)
    article_id: pl.String = pa.Field(nullable=True)
    field: pl.String = pa.Field(nullable=False)
    start: pl.Int32 = pa.Field(nullable=True, ge=0)
    end: pl.Int32 = pa.Field(nullable=True, ge=0)
    quote: pl.String = pa.Field(nullable=True)
    source_file: pl.String = pa.Field(nullable=True)
    source_line: pl.Int32 = pa.Field(nullable=True, ge=1)


class ActorsModel(_Table):
    """One row per actor code: the codebook's, or a dataset's actors.yaml definition."""

    code: pl.String = pa.Field(nullable=False, str_matches=ACTOR_CODE)
    name: pl.String = pa.Field(nullable=True)
    country: pl.String = pa.Field(nullable=True, str_matches=COUNTRY_CODE)
    roles: StringList = pa.Field(nullable=True)
    aliases: StringList = pa.Field(nullable=True)
    defined_in: pl.String = pa.Field(nullable=False)
    source_line: pl.Int32 = pa.Field(nullable=True, ge=1)


class RejectedModel(_Table):
    """One row per input event (or unreadable file) left out of the tables, and why."""

    article_id: pl.String = pa.Field(nullable=True)
    event_id: pl.String = pa.Field(nullable=True)
    source_file: pl.String = pa.Field(nullable=True)
    source_line: pl.Int32 = pa.Field(nullable=True, ge=1)
    rule: pl.String = pa.Field(nullable=True, str_matches=RULE_ID)
    reason: pl.String = pa.Field(nullable=False)


class FindingsModel(_Table):
    """One row per finding (DESIGN.md §5)."""

    rule: pl.String = pa.Field(nullable=False, str_matches=RULE_ID)
    severity: pl.String = pa.Field(nullable=False, isin=SEVERITIES)
    table: pl.String = pa.Field(nullable=True)
    event_id: pl.String = pa.Field(nullable=True)
    article_id: pl.String = pa.Field(nullable=True)
    field: pl.String = pa.Field(nullable=True)
    source_file: pl.String = pa.Field(nullable=True)
    source_line: pl.Int32 = pa.Field(nullable=True, ge=1)
    message: pl.String = pa.Field(nullable=False)
    value: pl.String = pa.Field(nullable=True)


MODELS: dict[str, type[pa.DataFrameModel]] = {
    "articles": ArticlesModel,
    "events": EventsModel,
    "casualties": CasualtiesModel,
    "evidence": EvidenceModel,
    "actors": ActorsModel,
    "rejected": RejectedModel,
    "findings": FindingsModel,
}
"""Table name → pandera model, for every table in ``tacitus.schema.tables.ALL_SCHEMAS``."""


def validate_table(
    name: str, frame: pl.DataFrame, *, depth: Literal["all", "schema"] = "all"
) -> pl.DataFrame:
    """Check ``frame`` against the model of table ``name``; returns it, or raises.

    ``depth="schema"`` checks only columns, order and types; ``"all"`` also every value
    (nullability, ranges, enumerations, patterns), collecting all failures at once.
    Raises ``pandera.errors.SchemaError``/``SchemaErrors``.

    Example:
        >>> from tacitus.schema.tables import empty_frame
        >>> validate_table("events", empty_frame("events")).height
        0
    """
    model = MODELS[name]
    if depth == "schema":
        with config_context(validation_depth=ValidationDepth.SCHEMA_ONLY):
            return model.validate(frame)
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        return model.validate(frame, lazy=True)


def _check_models_match_tables() -> None:
    """The models and the Arrow schemas name the same columns with the same types."""
    for name, model in MODELS.items():
        schema = model.to_schema()
        expected = polars_schema(ALL_SCHEMAS[name])
        columns = list(schema.columns)
        if columns != list(expected):
            raise AssertionError(f"model of {name} has columns {columns}, not {list(expected)}")
        for column, spec in schema.columns.items():
            dtype = spec.dtype.type  # the polars dtype pandera checks
            if dtype != expected[column]:
                raise AssertionError(f"{name}.{column}: model {dtype}, schema {expected[column]}")


_check_models_match_tables()
