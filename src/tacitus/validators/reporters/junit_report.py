"""JUnit XML: one test case per rule; a rule with findings fails, listing each finding.

Warnings fail their test case only with ``--strict``; otherwise they are listed in the
case's ``system-out``. Rules skipped for lack of data are ``skipped`` cases.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tacitus.schema.rules import FAMILIES, RULES
from tacitus.validators.engine import ValidationResult
from tacitus.validators.reporters.common import location, rows, rule_title, selected_rules


def _line(row: dict[str, object]) -> str:
    where = location(row)
    event = f" [{row['event_id']}]" if row.get("event_id") else ""
    return f"{where}: {row['rule']} {row['severity']}{event} {row['message']}"


def render(result: ValidationResult, *, strict: bool = False, color: bool = False) -> str:
    """The JUnit XML document.

    Example:
        >>> from tacitus.validators.base import empty_findings
        >>> "<testsuites" in render(ValidationResult(empty_findings(), checked=("K001",)))
        True
    """
    by_rule: dict[str, list[dict[str, object]]] = {}
    for row in rows(result.findings):
        by_rule.setdefault(row["rule"], []).append(row)
    root = ET.Element("testsuites", name="tacitus validate")
    total = failures = skipped = 0
    suites: dict[str, ET.Element] = {}
    for rule_id in selected_rules(result):
        family = rule_id[0]
        suite = suites.get(family)
        if suite is None:
            suite = ET.SubElement(
                root, "testsuite", name=f"{family} {FAMILIES.get(family, '')}".strip()
            )
            suites[family] = suite
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"tacitus.validate.{family}",
            name=f"{rule_id} {rule_title(rule_id)}",
            time="0",
        )
        found = by_rule.get(rule_id, [])
        severity = RULES[rule_id].severity if rule_id in RULES else "error"
        total += 1
        if found and (
            severity == "error" or strict or any(f["severity"] == "error" for f in found)
        ):
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{len(found)} finding{'s' * (len(found) != 1)}",
                type=severity,
            )
            failure.text = "\n".join(_line(f) for f in found)
            failures += 1
        elif found:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(_line(f) for f in found)
        elif rule_id in result.skipped:
            ET.SubElement(case, "skipped", message="the data this rule needs is absent")
            skipped += 1
    for suite in suites.values():
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("errors", "0")
        suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        suite.set("time", "0")
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body
