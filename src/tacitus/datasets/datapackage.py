"""The release's ``datapackage.json``: a Frictionless Data Package describing its tables.

One resource per table, with its Table Schema (field names and types), row count, bytes
and ``sha256:`` hash. The events table is Hive-partitioned by year, so its resource has a
list of paths (Frictionless "multipart" data); its ``bytes`` and ``hash`` cover the parts
concatenated in path order, and ``tacitus:parts`` gives each part's own bytes, hash and rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from tacitus.schema.dataset import DatasetConfig

PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

PRIMARY_KEYS: dict[str, list[str]] = {
    "articles": ["article_id"],
    "events": ["event_id"],
    "casualties": ["casualty_id"],
    "actors": ["code"],
}
"""Columns that identify a row, per table (evidence and rejected have none)."""

FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "events": [("article_id", "articles", "article_id")],
    "casualties": [("event_id", "events", "event_id")],
    "evidence": [("event_id", "events", "event_id"), ("article_id", "articles", "article_id")],
}
"""(column, referenced table, referenced column) per table."""

TABLE_DESCRIPTIONS: dict[str, str] = {
    "articles": "One row per source article (text only when the licence allows).",
    "events": "One row per coded CAMEO event; Hive-partitioned by year of date_start.",
    "casualties": "Casualty figures per event and claimant; breakdown rows name a parent.",
    "evidence": "The exact quote (with character offsets) behind each coded field.",
    "actors": "Actor codes used or defined by the dataset, with names and aliases.",
    "rejected": "Events and articles left out of the tables, with the rule that excluded them.",
}


def field_type(data_type: pa.DataType) -> dict[str, str]:
    """The Table Schema ``type`` (and ``format`` where useful) of an Arrow type.

    Example:
        >>> field_type(pa.date32())
        {'type': 'date'}
        >>> field_type(pa.large_list(pa.large_string()))
        {'type': 'array', 'tacitus:itemType': 'string'}
    """
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type):
        return {"type": "string"}
    if pa.types.is_integer(data_type):
        return {"type": "integer"}
    if pa.types.is_floating(data_type):
        return {"type": "number"}
    if pa.types.is_boolean(data_type):
        return {"type": "boolean"}
    if pa.types.is_date(data_type):
        return {"type": "date"}
    if pa.types.is_timestamp(data_type):
        return {"type": "datetime"}
    if pa.types.is_list(data_type) or pa.types.is_large_list(data_type):
        item = field_type(data_type.value_type)["type"]
        return {"type": "array", "tacitus:itemType": item}
    return {"type": "any"}


def table_schema(name: str, schema: pa.Schema) -> dict[str, Any]:
    """The Frictionless Table Schema of a table: fields, primary and foreign keys.

    Example:
        >>> from tacitus.schema.tables import ACTORS
        >>> s = table_schema("actors", ACTORS)
        >>> s["fields"][0], s["primaryKey"]
        ({'name': 'code', 'type': 'string', 'tacitus:arrowType': 'large_string'}, ['code'])
    """
    fields = [
        {"name": f.name, **field_type(f.type), "tacitus:arrowType": str(f.type)} for f in schema
    ]
    result: dict[str, Any] = {"fields": fields}
    if name in PRIMARY_KEYS:
        result["primaryKey"] = PRIMARY_KEYS[name]
    if name in FOREIGN_KEYS:
        result["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": table, "fields": [ref]}}
            for column, table, ref in FOREIGN_KEYS[name]
        ]
    return result


def table_resource(
    name: str,
    schema: pa.Schema,
    parts: Sequence[dict[str, Any]],
    *,
    combined_sha256: str,
) -> dict[str, Any]:
    """One Data Package resource for a table written as ``parts``.

    Each part is ``{"path", "bytes", "sha256", "rows"}``. A single part gives ``path`` as a
    string; several give a list (multipart) plus ``tacitus:parts``. ``combined_sha256`` is
    the hash of the parts' bytes concatenated in order (the part's own hash for one part).

    Example:
        >>> from tacitus.schema.tables import ACTORS
        >>> r = table_resource("actors", ACTORS,
        ...     [{"path": "actors.parquet", "bytes": 10, "sha256": "ab", "rows": 2}],
        ...     combined_sha256="ab")
        >>> r["path"], r["rows"], r["hash"]
        ('actors.parquet', 2, 'sha256:ab')
    """
    paths = [p["path"] for p in parts]
    resource: dict[str, Any] = {
        "name": name,
        "profile": "data-resource",
        "path": paths[0] if len(paths) == 1 else paths,
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "description": TABLE_DESCRIPTIONS.get(name, ""),
        "rows": sum(int(p["rows"]) for p in parts),
        "bytes": sum(int(p["bytes"]) for p in parts),
        "hash": f"sha256:{combined_sha256}",
        "schema": table_schema(name, schema),
    }
    if len(paths) != 1:
        resource["tacitus:partitioning"] = {"style": "hive", "columns": ["year"]}
        resource["tacitus:parts"] = [
            {
                "path": p["path"],
                "bytes": p["bytes"],
                "hash": f"sha256:{p['sha256']}",
                "rows": p["rows"],
            }
            for p in parts
        ]
    return resource


def license_entry(spdx: str) -> dict[str, str]:
    """A Data Package ``licenses`` entry for an SPDX id (with a path for the common ones).

    Example:
        >>> license_entry("CC-BY-4.0")["path"]
        'https://creativecommons.org/licenses/by/4.0/'
    """
    entry = {"name": spdx}
    known = {
        "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
        "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
        "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
        "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
        "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
        "PDDL-1.0": "https://opendatacommons.org/licenses/pddl/1-0/",
    }
    if spdx in known:
        entry["path"] = known[spdx]
    return entry


def build_datapackage(
    config: DatasetConfig,
    version: str,
    resources: Sequence[dict[str, Any]],
    *,
    text_included: bool,
    tacitus_version: str,
    codebook_version: str | None,
) -> dict[str, Any]:
    """The whole ``datapackage.json`` object for a release (no timestamps: deterministic).

    Example:
        >>> cfg = DatasetConfig.model_validate({"dataset": {"name": "x", "version": "1",
        ...     "licence": "CC-BY-4.0"}})
        >>> build_datapackage(cfg, "1", [], text_included=False, tacitus_version="0.1.0",
        ...     codebook_version=None)["name"]
        'x'
    """
    info = config.dataset
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": info.name,
        "version": version,
        "title": info.title or info.name,
    }
    if info.description:
        package["description"] = info.description
    if info.homepage:
        package["homepage"] = info.homepage
    package["licenses"] = [license_entry(info.licence)]
    if info.authors:
        package["contributors"] = [{"title": a, "role": "author"} for a in info.authors]
    package["keywords"] = ["conflict events", "CAMEO", "event data"]
    package["tacitus:version"] = tacitus_version
    package["tacitus:codebookVersion"] = codebook_version
    package["tacitus:textIncluded"] = text_included
    package["resources"] = list(resources)
    return package


def dumps(obj: Any) -> str:
    """Deterministic JSON text (2-space indent, UTF-8 kept, trailing newline).

    Example:
        >>> dumps({"a": 1})
        '{\\n  "a": 1\\n}\\n'
    """
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
