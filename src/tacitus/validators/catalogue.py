"""The rule catalogue as documentation: ``docs/rules.md`` is generated from the rules.

Regenerate it with either of::

    python -m tacitus.validators.catalogue > docs/rules.md
    tacitus validate --rules-doc > docs/rules.md

A test fails when the committed file differs from what this module generates.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from tacitus.schema.rules import FAMILIES, Rule
from tacitus.validators.base import CHECKS
from tacitus.validators.engine import LOADING_FAMILIES, load_catalogue, select_rules


def catalogue_rules() -> list[Rule]:
    """Every rule of the catalogue (loading rules included), in id order.

    Example:
        >>> [r.id for r in catalogue_rules()][:2]
        ['S001', 'S002']
    """
    rules = load_catalogue()
    order = {family: i for i, family in enumerate(FAMILIES)}
    return sorted((rules[r] for r in select_rules()), key=lambda r: (order[r.family], r.id))


APPLIES = {
    "I001": "every table read: its columns and their types",
    "I004": "events + rejected, against the build report's count",
}


def _applies_to(rule: Rule) -> str:
    if rule.id in APPLIES:
        return APPLIES[rule.id]
    tables = sorted({c.table for c in CHECKS if c.rule.id == rule.id})
    parts = []
    if rule.family in LOADING_FAMILIES:
        parts.append("annotation files, while reading")
    if tables:
        parts.append("tables: " + ", ".join(tables))
    return "; ".join(parts) or "-"


def severity_text(rule: Rule) -> str:
    """A rule's severity, with its severity on coded imports where that differs.

    Example:
        >>> from tacitus.schema.rules import RULES
        >>> _ = load_catalogue()
        >>> severity_text(RULES["K002"]), severity_text(RULES["K001"])
        ('error (warning on import)', 'error')
    """
    lowered = rule.on_import
    if lowered is None or lowered == rule.severity:
        return rule.severity
    return f"{rule.severity} ({lowered} on import)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown(rules: Iterable[Rule] | None = None) -> str:
    """The Markdown of docs/rules.md.

    Example:
        >>> rules_markdown().splitlines()[0]
        '# Validation rules'
    """
    chosen = list(rules) if rules is not None else catalogue_rules()
    out = [
        "# Validation rules",
        "",
        "<!-- Generated from the rule catalogue by `python -m tacitus.validators.catalogue`;",
        "     do not edit (tests fail when this file is stale). -->",
        "",
        "Every check tacitus makes is a rule with an id, a title and a severity. An **error**",
        "makes `tacitus validate` exit 1; a **warning** does only with `--strict`. Select or",
        "ignore rules by id or by family letter: `--select K,D002 --ignore K005`.",
        "A rule marked *on import* has that severity on tables imported from a coded",
        "dataset (`tacitus convert --from gdelt|icews|ucdp`: their Parquet metadata names the",
        "source), where the values are the producer's, kept as published.",
        "See [validation.md](validation.md) for the command and its output formats.",
        "",
        "| Rule | Title | Severity | Checked on |",
        "|---|---|---|---|",
    ]
    for rule in chosen:
        out.append(
            f"| [{rule.id}](#{rule.id.lower()}) | {_cell(rule.title)} | {severity_text(rule)} | "
            f"{_cell(_applies_to(rule))} |"
        )
    for family, name in FAMILIES.items():
        members = [r for r in chosen if r.family == family]
        if not members:
            continue
        out += ["", f"## {family} — {name}"]
        for rule in members:
            out += [
                "",
                f"### {rule.id}",
                "",
                f"**{rule.title}** ({severity_text(rule).replace(' (', '; ').rstrip(')')})",
                "",
                rule.description,
                "",
                f"Message: `{rule.template}`",
                "",
                "Fails on:",
                "",
                "```yaml",
                rule.example,
                "```",
            ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print docs/rules.md to stdout.

    Example:
        >>> import contextlib, io
        >>> with contextlib.redirect_stdout(io.StringIO()) as out:
        ...     code = main()
        >>> code, out.getvalue().startswith("# Validation rules")
        (0, True)
    """
    sys.stdout.write(rules_markdown())
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
