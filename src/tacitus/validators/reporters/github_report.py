"""GitHub Actions: workflow-command annotations and a Markdown step summary.

GitHub shows at most 10 annotations of a kind per step, so the first 10 findings (errors
first) become ``::error``/``::warning`` commands; the rest are counted in a summary
line, and every finding is listed in a collapsed log group. When
``$GITHUB_STEP_SUMMARY`` is set, a Markdown summary is appended to that file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from tacitus.errors import OutputError
from tacitus.validators.engine import ValidationResult
from tacitus.validators.reporters.common import (
    errors_first,
    location,
    rows,
    summary_line,
)

MAX_ANNOTATIONS = 10
MAX_SUMMARY_FINDINGS = 100


def escape_data(text: str) -> str:
    """Escape a workflow command's message.

    Example:
        >>> escape_data("50% done\\nnext")
        '50%25 done%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (file, title).

    Example:
        >>> escape_property("a,b:c")
        'a%2Cb%3Ac'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(row: Mapping[str, object]) -> str:
    """One ``::error file=…,line=…,title=RULE::message`` command.

    Example:
        >>> annotation({"severity": "error", "rule": "K002", "source_file": "a.yaml",
        ...             "source_line": 9, "message": "low 9 > best 5"})
        '::error file=a.yaml,line=9,title=K002::low 9 > best 5'
    """
    kind = "error" if row["severity"] == "error" else "warning"
    props = []
    if row.get("source_file"):
        props.append(f"file={escape_property(str(row['source_file']))}")
        if row.get("source_line"):
            props.append(f"line={row['source_line']}")
    props.append(f"title={escape_property(str(row['rule']))}")
    return f"::{kind} {','.join(props)}::{escape_data(str(row['message']))}"


def render(result: ValidationResult, *, strict: bool = False, color: bool = False) -> str:
    """Annotations for the first findings, a summary line, and all findings in a group.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> render(ValidationResult(empty_findings(), checked=("K001",)))
        'tacitus: no findings; 1 rule checked; passed'
    """
    ordered = errors_first(result.findings)
    lines = [annotation(r) for r in rows(ordered.head(MAX_ANNOTATIONS))]
    rest = ordered.height - len(lines)
    head = f"tacitus: {summary_line(result, strict)}"
    if rest > 0:
        plural = "s" * (rest != 1)
        head += f"; {rest} more finding{plural} not annotated (GitHub shows {MAX_ANNOTATIONS})"
    lines.append(head)
    if ordered.height:
        lines.append("::group::All findings")
        lines += [
            f"{location(r)}: {r['rule']} {r['severity']} {r['message']}"
            for r in rows(result.findings)
        ]
        lines.append("::endgroup::")
    return "\n".join(lines)


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def step_summary(result: ValidationResult, *, strict: bool = False) -> str:
    """The Markdown appended to the job's step summary.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> step_summary(ValidationResult(empty_findings())).splitlines()[0]
        '## tacitus validate'
    """
    out = [
        "## tacitus validate" + (f": `{result.source}`" if result.source else ""),
        "",
        f"**{summary_line(result, strict)}**",
        "",
    ]
    by_rule = result.by_rule()
    if by_rule.height:
        out += ["| Rule | Severity | Findings | Title |", "|---|---|---:|---|"]
        out += [f"| {r} | {s} | {c} | {_md(t)} |" for r, s, t, c in by_rule.iter_rows()]
        out += ["", "| Location | Rule | Message |", "|---|---|---|"]
        for row in rows(errors_first(result.findings).head(MAX_SUMMARY_FINDINGS)):
            out.append(f"| `{_md(location(row))}` | {row['rule']} | {_md(row['message'])} |")
        more = result.findings.height - MAX_SUMMARY_FINDINGS
        if more > 0:
            out += ["", f"… and {more} more (run `tacitus validate` locally for all)."]
    return "\n".join(out) + "\n"


def append_step_summary(
    result: ValidationResult, *, strict: bool = False, environ: Mapping[str, str] | None = None
) -> Path | None:
    """Append the step summary to ``$GITHUB_STEP_SUMMARY`` if set; return the path.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> append_step_summary(ValidationResult(empty_findings()), environ={}) is None
        True
    """
    target = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(step_summary(result, strict=strict))
    except OSError as exc:
        raise OutputError(f"cannot write the step summary {path}: {exc.strerror or exc}") from None
    return path
