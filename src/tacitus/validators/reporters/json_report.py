"""JSON: a summary and every finding, for scripts."""

from __future__ import annotations

import json

from tacitus.validators.engine import ValidationResult
from tacitus.validators.reporters.common import TOOL, VERSION


def document(result: ValidationResult, *, strict: bool = False) -> dict[str, object]:
    """The JSON report as a dict.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> document(ValidationResult(empty_findings()))["summary"]["exit_code"]
        0
    """
    return {
        "tool": TOOL,
        "version": VERSION,
        "source": result.source,
        "summary": {
            "errors": result.errors,
            "warnings": result.warnings,
            "exit_code": result.exit_code(strict),
            "strict": strict,
            "by_rule": result.by_rule().to_dicts(),
        },
        "checked": list(result.checked),
        "skipped": list(result.skipped),
        "findings": result.findings.to_dicts(),
    }


def render(result: ValidationResult, *, strict: bool = False, color: bool = False) -> str:
    """The JSON report as text (UTF-8, indented).

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> json.loads(render(ValidationResult(empty_findings())))["findings"]
        []
    """
    return json.dumps(document(result, strict=strict), ensure_ascii=False, indent=2)
