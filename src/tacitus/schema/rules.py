"""Rules and findings: problems in the data are values, never exceptions.

Every check tacitus makes is a :class:`Rule` with an id (``K002``), a title, a severity,
a description, a message template and a failing example. Checks return
:class:`Finding` values; a list of findings becomes one polars table (DESIGN.md §5).
The rule catalogue in ``docs/rules.md`` is generated from :data:`RULES`.

Families: S syntax/structure of an input file, C codes, A actors, D dates,
K casualties, E evidence, L locations, I integrity, X cross-source.

Rules used while *reading* files (S and the E quote rules) are defined here, because
readers live beside the validators, not under them; the validators define theirs in
their own modules with :func:`define_rule`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Literal

Severity = Literal["error", "warning"]

FAMILIES = {
    "S": "Syntax and structure of input files",
    "C": "Event codes",
    "A": "Actors",
    "D": "Dates",
    "K": "Casualties",
    "E": "Evidence quotes",
    "L": "Locations",
    "I": "Integrity",
    "X": "Cross-source",
}


@dataclasses.dataclass(frozen=True)
class Rule:
    """One check: its identity, how bad a failure is, and how to explain one.

    Example:
        >>> r = Rule("K002", "Casualty range ordered", "error",
        ...          "low <= best <= high for every casualty figure.",
        ...          "low {low} > best {best}", "casualties: [{kind: killed, low: 9, best: 5}]")
        >>> r.format(low=9, best=5)
        'low 9 > best 5'
    """

    id: str
    title: str
    severity: Severity
    description: str
    template: str
    example: str
    on_import: Severity | None = None
    """Severity on data imported from a coded dataset (GDELT, ICEWS, UCDP), where the
    defect is the producer's, kept as published; None: the same as on our own data."""

    @property
    def family(self) -> str:
        """The family letter, e.g. ``"K"`` for ``K002``."""
        return self.id[0]

    def format(self, **values: Any) -> str:
        """Fill the message template; a missing value leaves its placeholder visible."""
        try:
            return self.template.format(**values)
        except (KeyError, IndexError, ValueError):
            return self.template

    def finding(
        self,
        *,
        source_file: str | None = None,
        source_line: int | None = None,
        table: str | None = None,
        event_id: str | None = None,
        article_id: str | None = None,
        field: str | None = None,
        value: Any = None,
        severity: Severity | None = None,
        **message_values: Any,
    ) -> Finding:
        """Make a finding of this rule; keyword values beyond the columns fill the template.

        Example:
            >>> RULES["S002"].finding(source_file="a.yaml", source_line=3, field="article.id").rule
            'S002'
        """
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            table=table,
            event_id=event_id,
            article_id=article_id,
            field=field,
            source_file=source_file,
            source_line=source_line,
            message=self.format(field=field, value=value, **message_values),
            value=None if value is None else str(value),
        )


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem found, pointing at the file and line (and row) it is about."""

    rule: str
    severity: Severity
    table: str | None
    event_id: str | None
    article_id: str | None
    field: str | None
    source_file: str | None
    source_line: int | None
    message: str
    value: str | None

    def location(self) -> str:
        """``file:line`` (or just the file, or ``-``) for messages.

        Example:
            >>> RULES["S001"].finding(source_file="a.yaml", source_line=7, detail="x").location()
            'a.yaml:7'
        """
        if self.source_file and self.source_line:
            return f"{self.source_file}:{self.source_line}"
        return self.source_file or "-"


RULES: dict[str, Rule] = {}


def define_rule(
    id: str,
    title: str,
    severity: Severity,
    description: str,
    template: str,
    example: str,
    *,
    on_import: Severity | None = None,
) -> Rule:
    """Register a rule in the catalogue (ids are unique) and return it.

    Example:
        >>> define_rule("S900", "Doc example", "warning", "d", "m", "e").id in RULES
        True
    """
    rule = Rule(id, title, severity, description, template, example, on_import)
    if id in RULES and RULES[id] != rule:
        raise ValueError(f"rule {id} is defined twice")
    if id[0] not in FAMILIES or len(id) != 4 or not id[1:].isdigit():
        raise ValueError(f"rule id {id!r} must be a family letter and three digits")
    RULES[id] = rule
    return rule


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Order findings by file, line, rule: the order people read them in.

    Example:
        >>> [f.source_line for f in sort_findings([
        ...     RULES["S001"].finding(source_file="a", source_line=9),
        ...     RULES["S001"].finding(source_file="a", source_line=2)])]
        [2, 9]
    """
    return sorted(
        findings,
        key=lambda f: (f.source_file or "", f.source_line or 0, f.rule, f.event_id or ""),
    )


# --- rules applied while reading annotation files ---------------------------------------

S001 = define_rule(
    "S001",
    "File parses",
    "error",
    "The annotation file is well-formed YAML or JSON, in UTF-8.",
    "cannot parse file: {detail}",
    'events:\n  - id: e1\n    code: "195\n',
)
S002 = define_rule(
    "S002",
    "Required field present",
    "error",
    "Every required field of the annotation format is given (article.id, article.published, "
    "events[].id, events[].code, ...).",
    "missing required field {field}",
    "article: {source: RT}   # no id, no published",
)
S003 = define_rule(
    "S003",
    "Field has the right type",
    "error",
    "Each field has the type and allowed values of the annotation format "
    "(a date is YYYY-MM-DD, a count is a non-negative integer, kind is one of killed|injured|...).",
    "{field}: {detail}",
    "casualties: [{kind: dead, count: seven}]",
)
S004 = define_rule(
    "S004",
    "No unknown field",
    "error",
    "Fields not in the annotation format are reported: usually a typo (`acter1`) that would "
    "otherwise lose a value silently.",
    "unknown field {field}",
    "events: [{id: e1, code: '195', acter1: {code: PAKMIL}}]",
)
S005 = define_rule(
    "S005",
    "Article text available",
    "error",
    "The article gives `text`, or a `text_file` that exists and is UTF-8.",
    "article text: {detail}",
    "article: {id: a1, text_file: missing.txt}",
)
S006 = define_rule(
    "S006",
    "Event ids unique within an article",
    "error",
    "Each event's id is unique within its article (event_id = article id + local id).",
    "event id {value!r} is used more than once in this article",
    "events: [{id: e1, ...}, {id: e1, ...}]",
)
E001 = define_rule(
    "E001",
    "Quote found in text",
    "error",
    "Every `quote` is an exact substring of the article text (after any prefix/suffix).",
    "quote {value!r} not found in the article text{detail}",
    "quote: launched airstrikes   # text says 'launched a series of airstrikes'",
)
E002 = define_rule(
    "E002",
    "Quote unambiguous",
    "warning",
    "A quote that occurs more than once in the text says which occurrence it means "
    "(`occurrence`, `prefix`/`suffix` or `start`/`end`); otherwise the first is used.",
    "quote {value!r} occurs {count} times; the first is used (add occurrence: N)",
    "quote: Pakistan   # appears 12 times",
)
E003 = define_rule(
    "E003",
    "Offsets agree with quote",
    "error",
    "When `start`/`end` are given they are Python character offsets into the text and "
    "text[start:end] equals the quote.",
    "offsets {start}:{end} give {found!r}, not the quote {value!r}",
    "quote: Thursday\nstart: 10\nend: 18   # text[10:18] is something else",
)
E004 = define_rule(
    "E004",
    "Quote occurrence exists",
    "error",
    "`occurrence: N` names an occurrence the text has.",
    "occurrence {occurrence} of {value!r} requested, the text has {count}",
    "quote: Iran\noccurrence: 40",
)
