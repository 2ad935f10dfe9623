"""JSON Schemas of the files people write by hand, generated from the models.

Editors (VS Code's YAML extension, JetBrains IDEs) validate annotation YAML as you type
against ``schema/annotation.schema.json``; ``tacitus schema --out schema`` regenerates the
files and a test fails when the committed ones are stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tacitus.atomic import write_bytes_atomic
from tacitus.schema.dataset import ActorsFile, DatasetConfig
from tacitus.schema.document import Document

SCHEMA_BASE_URL = "https://tacitus.example.org/schema/"

SCHEMAS: dict[str, type[BaseModel]] = {
    "annotation.schema.json": Document,
    "actors.schema.json": ActorsFile,
    "dataset.schema.json": DatasetConfig,
}
"""File name → model whose JSON Schema it holds."""


def json_schema(model: type[BaseModel], file_name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a model, with an $id and $schema.

    Example:
        >>> json_schema(Document, "annotation.schema.json")["required"]
        ['article']
    """
    schema = model.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE_URL + file_name,
        **schema,
    }


def render_schemas() -> dict[str, str]:
    """File name → the exact text to write (sorted keys, 2-space indent, final newline).

    Example:
        >>> sorted(render_schemas())
        ['actors.schema.json', 'annotation.schema.json', 'dataset.schema.json']
    """
    return {
        name: json.dumps(json_schema(model, name), indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
        for name, model in SCHEMAS.items()
    }


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every schema file into ``out_dir``; returns the paths written.

    Example:
        >>> import tempfile
        >>> [p.name for p in write_schemas(Path(tempfile.mkdtemp()))][0]
        'annotation.schema.json'
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        target = write_bytes_atomic(out_dir / name, text.encode("utf-8"))
        written.append(target)
    return written
