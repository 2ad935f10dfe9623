"""The committed JSON Schemas are current, and accept/reject files as an editor would."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tacitus.schema.jsonschema import render_schemas

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(render_schemas()))
def test_committed_schema_is_current(name: str) -> None:
    committed = (REPO / "schema" / name).read_text(encoding="utf-8")
    assert committed == render_schemas()[name], f"schema/{name} is stale: run `tacitus schema`"


def _as_json_values(path: Path) -> object:
    # YAML dates become strings, as an editor's YAML language server sees them.
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(render_schemas()[name])
    return jsonschema.Draft202012Validator(schema)


def test_example_articles_satisfy_the_annotation_schema() -> None:
    validator = _validator("annotation.schema.json")
    files = sorted((REPO / "datasets").glob("*/articles/*.*"))
    assert files, "the example dataset has articles"
    for path in files:
        errors = list(validator.iter_errors(_as_json_values(path)))
        assert errors == [], f"{path}: {[e.message for e in errors]}"


def test_actors_files_satisfy_the_actors_schema() -> None:
    validator = _validator("actors.schema.json")
    for path in sorted((REPO / "datasets").glob("*/actors.yaml")):
        assert list(validator.iter_errors(_as_json_values(path))) == []


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({"events": []}, "'article' is a required property"),
        (
            {
                "article": {"id": "a", "source": "s", "published": "2024-01-01", "text": "t"},
                "events": [{"id": "e1", "code": 195}],
            },
            "195 is not of type 'string'",
        ),
        (
            {
                "article": {"id": "a", "source": "s", "published": "2024-01-01", "text": "t"},
                "events": [{"id": "e1", "code": "195", "acter1": {}}],
            },
            "Additional properties are not allowed",
        ),
        (
            {
                "article": {"id": "a", "source": "s", "published": "2024-01-01", "text": "t"},
                "events": [
                    {"id": "e1", "code": "195", "casualties": [{"kind": "dead", "count": 1}]}
                ],
            },
            "'dead' is not one of",
        ),
    ],
)
def test_schema_rejects_what_the_loader_rejects(
    document: dict[str, object], complaint: str
) -> None:
    messages = [e.message for e in _validator("annotation.schema.json").iter_errors(document)]
    assert any(complaint in m for m in messages), messages
