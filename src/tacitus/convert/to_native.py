"""Write a Document as a native annotation file (YAML, DESIGN.md §3).

Used by ``tacitus convert --to native``: an article annotated in brat, Label Studio or
INCEpTION becomes a YAML file the native loader reads back to an equal Document. Keys come
in a reading order (ids and codes first, evidence last), empty values are left out and the
article text is a literal block.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from tacitus.atomic import write_bytes_atomic
from tacitus.schema.document import Document, Event, EventDate
from tacitus.schema.jsonschema import SCHEMA_BASE_URL

# The schema's own $id, so editors that map that id to schema/annotation.schema.json find it.
SCHEMA_COMMENT = f"# yaml-language-server: $schema={SCHEMA_BASE_URL}annotation.schema.json"
_FIRST = ("id", "code", "kind", "source", "url", "published", "language", "title")
_EVIDENCE = ("quote", "occurrence", "prefix", "suffix", "start", "end")


class _Dumper(yaml.SafeDumper):
    """SafeDumper with block text, ISO datetimes and no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value.strip("\n") or (value.endswith("\n") and "\n" in value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _str)
_Dumper.add_representer(dt.datetime, _datetime)


def _plain(model: BaseModel) -> dict[str, Any]:
    """A model as a dict in reading order, without empty or default values."""
    fields = type(model).model_fields
    data: dict[str, Any] = {}
    for name, info in fields.items():
        value = getattr(model, name)
        if value is None or (isinstance(value, list) and not value):
            continue
        if not info.is_required() and value == info.default and name != "language":
            continue
        if isinstance(value, BaseModel):
            value = _plain(value)
        elif isinstance(value, list):
            value = [_plain(v) if isinstance(v, BaseModel) else v for v in value]
        data[name] = value
    # A date's start/end are its window (dates), not the offsets of its quote.
    evidence = _EVIDENCE[:4] if isinstance(model, EventDate) else _EVIDENCE
    evidence_keys = [k for k in evidence if k in data]
    first = [k for k in _FIRST if k in data and k not in evidence_keys]
    rest = [k for k in data if k not in first and k not in evidence_keys]
    if isinstance(model, Event):  # an event's own evidence right after its code
        return {k: data[k] for k in (*first, *evidence_keys, *rest)}
    return {k: data[k] for k in (*first, *rest, *evidence_keys)}


def document_to_yaml(document: Document, *, source: str | None = None) -> str:
    """The native YAML text of a Document (reads back to an equal Document).

    Example:
        >>> doc = Document.model_validate({"article": {"id": "a1", "source": "RT",
        ...     "published": "2024-01-18", "text": "Pakistan struck Iran."},
        ...     "events": [{"id": "E1", "code": "195", "quote": "struck"}]})
        >>> print(document_to_yaml(doc).split("events:")[1].strip())
        - id: E1
          code: '195'
          quote: struck
    """
    header = [SCHEMA_COMMENT]
    if source:
        header.append(f"# Converted by tacitus from {source}; edit this file, not the source.")
    data: dict[str, Any] = {"article": _plain(document.article)}
    if document.events:
        data["events"] = [_plain(event) for event in document.events]
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return "\n".join(header) + "\n" + body


def write_native(document: Document, path: str | Path, *, source: str | None = None) -> Path:
    """Write a Document as native YAML, atomically (temp file + rename).

    Example:
        >>> import tempfile
        >>> doc = Document.model_validate({"article": {"id": "a1", "source": "RT",
        ...     "published": "2024-01-18", "text": "x"}})
        >>> write_native(doc, Path(tempfile.mkdtemp()) / "a1.yaml").name
        'a1.yaml'
    """
    return write_bytes_atomic(path, document_to_yaml(document, source=source).encode("utf-8"))
