"""Reporters: a validation result as text, JSON, JUnit XML, GitHub annotations, SARIF
or an HTML page.

Each module has ``render(result, *, strict=False, color=False) -> str``.

Example:
    >>> from tacitus.validators.engine import ValidationResult
    >>> from tacitus.validators.base import empty_findings
    >>> render(ValidationResult(empty_findings()), "json").startswith("{")
    True
"""

from __future__ import annotations

import importlib

from tacitus.errors import UsageError
from tacitus.validators.engine import ValidationResult

FORMATS = ("text", "json", "junit", "github", "sarif", "html")


def render(result: ValidationResult, fmt: str, *, strict: bool = False, color: bool = False) -> str:
    """The result in the named format (see FORMATS).

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> render(ValidationResult(empty_findings()), "text").splitlines()[-1]
        'tacitus: no findings; 0 rules checked; passed'
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    module = importlib.import_module(f"tacitus.validators.reporters.{fmt}_report")
    text: str = module.render(result, strict=strict, color=color)
    return text
