"""HTML: one self-contained page (inline CSS, no scripts) with findings grouped by rule.

Every value from the data (messages, quotes, ids, paths) is escaped with html.escape.
"""

from __future__ import annotations

import html

from tacitus.schema.rules import RULES
from tacitus.validators.engine import ValidationResult
from tacitus.validators.reporters.common import VERSION, location, rows, summary_line

MAX_PER_RULE = 1000

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:80rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f4f4f4}code{font-size:.85rem}
.error{color:#b00020;font-weight:600}.warning{color:#a15c00;font-weight:600}
.passed{color:#1b5e20}.failed{color:#b00020}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def render(result: ValidationResult, *, strict: bool = False, color: bool = False) -> str:
    """The HTML page.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> "<!DOCTYPE html>" in render(ValidationResult(empty_findings()))
        True
    """
    outcome = "failed" if result.exit_code(strict) else "passed"
    title = "tacitus validate" + (f": {result.source}" if result.source else "")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="{outcome}">{_e(summary_line(result, strict))}</p>',
    ]
    by_rule = result.by_rule()
    if by_rule.height:
        out.append(
            "<table><thead><tr><th>Rule</th><th>Severity</th><th>Findings</th><th>Title</th></tr></thead><tbody>"
        )
        for rule, severity, rule_title, count in by_rule.iter_rows():
            out.append(
                f'<tr><td><a href="#{_e(rule)}">{_e(rule)}</a></td>'
                f'<td class="{_e(severity)}">{_e(severity)}</td>'
                f"<td>{count}</td><td>{_e(rule_title)}</td></tr>"
            )
        out.append("</tbody></table>")
    groups: dict[str, list[dict[str, object]]] = {}
    for row in rows(result.findings):
        groups.setdefault(str(row["rule"]), []).append(row)
    for rule_id in sorted(groups):
        found = groups[rule_id]
        rule = RULES.get(rule_id)
        heading = f"{rule_id} {rule.title}" if rule else rule_id
        out.append(f'<h2 id="{_e(rule_id)}">{_e(heading)} <small>({len(found)})</small></h2>')
        if rule:
            out.append(f"<p>{_e(rule.description)}</p>")
        out.append(
            "<table><thead><tr><th>Location</th><th>Severity</th><th>Event</th><th>Field</th>"
            "<th>Message</th><th>Value</th></tr></thead><tbody>"
        )
        for row in found[:MAX_PER_RULE]:
            out.append(
                f"<tr><td><code>{_e(location(row))}</code></td>"
                f'<td class="{_e(row["severity"])}">{_e(row["severity"])}</td>'
                f"<td>{_e(row.get('event_id') or row.get('article_id'))}</td>"
                f"<td>{_e(row.get('field'))}</td><td>{_e(row['message'])}</td>"
                f"<td>{_e(row.get('value'))}</td></tr>"
            )
        out.append("</tbody></table>")
        if len(found) > MAX_PER_RULE:
            out.append(f"<p>… and {len(found) - MAX_PER_RULE} more.</p>")
    out.append(f"<footer><p>tacitus {_e(VERSION)}</p></footer></body></html>")
    return "\n".join(out) + "\n"
