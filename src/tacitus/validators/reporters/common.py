"""Helpers the reporters share: locations, ordering, counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl

from tacitus import __version__
from tacitus.schema.rules import RULES
from tacitus.validators.engine import LOADING_FAMILIES, ValidationResult

TOOL = "tacitus"
VERSION = __version__


def rows(findings: pl.DataFrame) -> Iterator[dict[str, Any]]:
    """Findings as dicts, in reading order.

    Example:
        >>> from tacitus.schema.rules import RULES
        >>> from tacitus.validators.base import findings_frame
        >>> found = findings_frame([RULES["S001"].finding(source_file="a.yaml", detail="x")])
        >>> [row["source_file"] for row in rows(found)]
        ['a.yaml']
    """
    yield from findings.iter_rows(named=True)


def location(row: dict[str, Any]) -> str:
    """``file:line`` (or the file, or ``-``).

    Example:
        >>> location({"source_file": "a.yaml", "source_line": 7})
        'a.yaml:7'
    """
    if row.get("source_file") and row.get("source_line"):
        return f"{row['source_file']}:{row['source_line']}"
    return row.get("source_file") or "-"


def errors_first(findings: pl.DataFrame) -> pl.DataFrame:
    """Errors before warnings, each in reading order.

    Example:
        >>> found = pl.DataFrame({"severity": ["warning", "error", "warning", "error"],
        ...                       "rule": ["A", "B", "C", "D"]})
        >>> errors_first(found)["rule"].to_list()
        ['B', 'D', 'A', 'C']
    """
    return (
        findings.with_columns(_w=pl.col("severity") != "error")
        .sort("_w", maintain_order=True)
        .drop("_w")
    )


def summary_line(result: ValidationResult, strict: bool = False) -> str:
    """One line: counts, rules checked, outcome.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> summary_line(ValidationResult(empty_findings(), checked=("K001",)))
        'no findings; 1 rule checked; passed'
    """
    e, w = result.errors, result.warnings
    counts = []
    if e:
        counts.append(f"{e} error{'s' * (e != 1)}")
    if w:
        counts.append(f"{w} warning{'s' * (w != 1)}")
    head = ", ".join(counts) if counts else "no findings"
    n = len(result.checked)
    parts = [head, f"{n} rule{'s' * (n != 1)} checked"]
    # Reading rules (S, E) only run on annotation files; on built tables they are not
    # "missing data", so they are counted apart.
    reading = [r for r in result.skipped if r[0] in LOADING_FAMILIES]
    absent = len(result.skipped) - len(reading)
    if reading:
        parts.append(f"{len(reading)} apply only while reading annotation files")
    if absent:
        parts.append(f"{absent} skipped (their data is absent)")
    parts.append("failed" if result.exit_code(strict) else "passed")
    return "; ".join(parts)


def rule_title(rule_id: str) -> str:
    """The title of a rule (or the id when unknown).

    Example:
        >>> from tacitus.validators.engine import load_catalogue
        >>> _ = load_catalogue()
        >>> rule_title("L002"), rule_title("Z999")
        ('Coordinates in range', 'Z999')
    """
    rule = RULES.get(rule_id)
    return rule.title if rule else rule_id


def selected_rules(result: ValidationResult) -> list[str]:
    """Rules that ran or were skipped, plus any rule with findings, in id order.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> selected_rules(ValidationResult(empty_findings(), ("L002",), ("K001",)))
        ['K001', 'L002']
    """
    found = set(result.findings["rule"].unique().to_list())
    return sorted(set(result.checked) | set(result.skipped) | found)
