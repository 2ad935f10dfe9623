"""Text: ``file:line: RULE severity message`` lines, then a summary by rule and severity.

Colours (rich) only when asked, i.e. when writing to a terminal.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from tacitus.validators.engine import ValidationResult
from tacitus.validators.reporters.common import location, rows, summary_line

STYLES = {"error": "bold red", "warning": "yellow"}


def render(result: ValidationResult, *, strict: bool = False, color: bool = False) -> str:
    """The findings as lines for people, with a summary.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> print(render(ValidationResult(empty_findings(), checked=("K001",))))
        tacitus: no findings; 1 rule checked; passed
    """
    lines: list[Text] = []
    for row in rows(result.findings):
        line = Text(f"{location(row)}: ")
        line.append(row["rule"], style="bold")
        line.append(" ")
        line.append(row["severity"], style=STYLES.get(row["severity"], ""))
        line.append(f" {row['message']}")
        lines.append(line)
    by_rule = result.by_rule()
    if by_rule.height:
        lines.append(Text(""))
        lines.append(Text("Findings by rule:"))
        for rule, severity, title, count in by_rule.iter_rows():
            line = Text(f"  {rule}  ")
            line.append(f"{severity:<7}", style=STYLES.get(severity, ""))
            line.append(f" {count:>6}  {title}")
            lines.append(line)
    outcome = summary_line(result, strict)
    lines.append(
        Text(f"tacitus: {outcome}", style="bold red" if result.exit_code(strict) else "green")
    )
    if not color:
        return "\n".join(t.plain for t in lines)
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=True, color_system="standard", width=10_000, soft_wrap=True
    )
    for t in lines:
        console.print(t, highlight=False)
    return buffer.getvalue().rstrip("\n")
