"""SARIF 2.1.0: the rules as the tool's rules, findings as results with physical
locations (file and line), for code-scanning tools."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from tacitus.schema.rules import RULES
from tacitus.validators.engine import ValidationResult
from tacitus.validators.reporters.common import TOOL, VERSION, rows, selected_rules

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://example.org/tacitus/docs/rules.md"


def _uri(path: str) -> str:
    return quote(PurePath(path).as_posix(), safe="/:._-~")


def document(result: ValidationResult, *, strict: bool = False) -> dict[str, Any]:
    """The SARIF log as a dict.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> document(ValidationResult(empty_findings()))["version"]
        '2.1.0'
    """
    rule_ids = selected_rules(result)
    index = {r: i for i, r in enumerate(rule_ids)}
    rules = []
    for rule_id in rule_ids:
        rule = RULES[rule_id]
        rules.append(
            {
                "id": rule.id,
                "name": "".join(w.capitalize() for w in rule.title.replace(",", "").split()),
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.description},
                "defaultConfiguration": {"level": rule.severity},
                "help": {"text": f"{rule.description}\n\nFails on:\n{rule.example}"},
                "helpUri": f"{INFORMATION_URI}#{rule.id.lower()}",
                "properties": {"family": rule.family},
            }
        )
    results = []
    for row in rows(result.findings):
        item: dict[str, Any] = {
            "ruleId": row["rule"],
            "ruleIndex": index[row["rule"]],
            "level": "error" if row["severity"] == "error" else "warning",
            "message": {"text": row["message"]},
        }
        if row.get("source_file"):
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(row["source_file"])}}
            if row.get("source_line"):
                physical["region"] = {"startLine": int(row["source_line"])}
            item["locations"] = [{"physicalLocation": physical}]
        logical = [
            {"name": row[k], "kind": "object", "fullyQualifiedName": f"{row['table']}.{k}={row[k]}"}
            for k in ("event_id", "article_id")
            if row.get(k)
        ]
        if logical:
            item.setdefault("locations", [{}])[0]["logicalLocations"] = logical
        item["properties"] = {
            k: row[k]
            for k in ("table", "event_id", "article_id", "field", "value")
            if row.get(k) is not None
        }
        results.append(item)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL,
                        "version": VERSION,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {"executionSuccessful": True, "exitCode": result.exit_code(strict)}
                ],
                "results": results,
            }
        ],
    }


def render(result: ValidationResult, *, strict: bool = False, color: bool = False) -> str:
    """The SARIF log as JSON text.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> json.loads(render(ValidationResult(empty_findings())))["runs"][0]["results"]
        []
    """
    return json.dumps(document(result, strict=strict), ensure_ascii=False, indent=2)
