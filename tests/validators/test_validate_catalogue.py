"""The rule catalogue: docs/rules.md is current, the issue's rules exist, and the example
dataset's silence is earned (breaking it makes the rules speak, at the right line)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import polars as pl

from tacitus.schema.rules import RULES
from tacitus.validators.catalogue import catalogue_rules, rules_markdown
from tacitus.validators.engine import ValidationResult, select_rules, validate_path

REQUIRED = {
    # codes: exists; root/base, QuadClass and Goldstein agree with the code
    "C001", "C002", "C003", "C004",
    # actors: grammar, country, defined, same name same code (+ defined names),
    # actor1 != actor2, role plausible
    "A001", "A002", "A003", "A004", "A005", "A006", "A007",
    # dates: dated, not after publication, floor, relative quote, window, precision
    "D001", "D002", "D003", "D004", "D005", "D006",
    # casualties: non-negative, ordered, breakdown, quoted figure, violent code
    "K001", "K002", "K003", "K004", "K005",
    # evidence: found, unambiguous, offsets (E004: occurrence exists)
    "E001", "E002", "E003", "E004",
    # locations: country, range, inside the country, given together
    "L001", "L002", "L003", "L004",
    # integrity: columns, ids unique, references resolve, nothing lost
    "I001", "I002", "I003", "I004",
    # cross-source: sources agree, no duplicate in an article
    "X001", "X002",
}  # fmt: skip


def test_rules_md_is_current(repo: Path) -> None:
    committed = (repo / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "docs/rules.md is stale: python -m tacitus.validators.catalogue > docs/rules.md"
    )


def test_the_issue_rules_exist_with_everything_documented() -> None:
    assert set(select_rules()) >= REQUIRED
    for rule in catalogue_rules():
        assert rule.title and rule.description and rule.template and rule.example, rule.id
        assert rule.severity in ("error", "warning")
    warnings = {r for r in REQUIRED if RULES[r].severity == "warning"}
    assert warnings == {"A004", "A007", "D003", "E002", "K005", "L003", "X001"}


def _copy(example_dataset: Path, tmp_path: Path) -> Path:
    target = tmp_path / example_dataset.name
    shutil.copytree(example_dataset, target, ignore=shutil.ignore_patterns("build", ".tacitus*"))
    return target


def _edit(path: Path, old: str, new: str) -> int:
    """Replace one line's text; return that line's number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if old in line]
    assert len(hits) == 1, hits
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")
    return hits[0] + 1


def _found_in(result: ValidationResult, source_file: str, *columns: str) -> set[tuple[Any, ...]]:
    """The findings of one file, as tuples of these columns."""
    mine = result.findings.filter(pl.col("source_file") == source_file)
    return set(mine.select(columns).iter_rows())


def test_breaking_the_example_dataset_is_found_at_the_line(
    example_dataset: Path, tmp_path: Path
) -> None:
    dataset = _copy(example_dataset, tmp_path)
    article = dataset / "articles" / "meridian-wire-2024-01-18.yaml"
    date_line = _edit(
        article,
        "date: {value: 2024-01-18, quote: early on Thursday}",
        "date: {value: 2024-01-17, quote: early on Thursday}",
    )
    code_line = _edit(article, 'code: "101"', 'code: "1010"')
    result = validate_path(dataset)
    found = _found_in(result, "articles/meridian-wire-2024-01-18.yaml", "rule", "source_line")
    assert ("D004", date_line) in found
    assert ("C001", code_line - 1) in found  # the event's line, one above its code
    assert result.exit_code() == 1


def test_findings_on_an_events_part_point_at_the_parts_line(
    example_dataset: Path, tmp_path: Path
) -> None:
    # The events table keeps the event's first line; a finding on a value of its
    # actor1, date or location part points at that part's own line instead.
    dataset = _copy(example_dataset, tmp_path)
    article = dataset / "articles" / "meridian-wire-2024-01-18.yaml"
    actor_line = _edit(
        article,
        "actor1: {code: PAKMIL, name: Pakistan's armed",
        "actor1: {code: PAKXYZ, name: Pakistan's armed",
    )
    date_line = _edit(
        article,
        "date: {value: 2024-01-18, quote: early on Thursday}",
        "date: {value: 2024-01-21, quote: early on Thursday}",
    )
    _edit(article, "latitude: 27.5", "latitude: 127.5")
    location_line = date_line + 1  # "location:", the block holding the latitude
    result = validate_path(dataset, select="A003,D002,L002")
    found = _found_in(
        result, "articles/meridian-wire-2024-01-18.yaml", "rule", "field", "source_line"
    )
    assert found == {
        ("A003", "actor1_code", actor_line),
        ("D002", "date_start", date_line),
        ("L002", "latitude", location_line),
    }


def test_conflicting_sources_are_clustered_and_warned(
    example_dataset: Path, tmp_path: Path
) -> None:
    dataset = _copy(example_dataset, tmp_path)
    article = dataset / "articles" / "meridian-wire-2024-01-18.yaml"
    # the Foreign Office's "a number of militants" (2..9) becomes 40, and the seven
    # civilians 70: this article's figure (40..70) leaves the others' (3..9) range
    text = article.read_text(encoding="utf-8")
    old = '        low: 2                                   # lexicon: "a number of" = 2..9\n        high: 9\n'
    assert old in text
    article.write_text(text.replace(old, "        count: 40\n"), encoding="utf-8")
    _edit(article, "count: 7", "count: 70")
    result = validate_path(dataset, select="X001")
    x001 = result.findings.filter(pl.col("rule") == "X001")
    assert x001.height >= 2  # every source of the strike with a figure
    assert x001["value"].n_unique() == 1  # one cluster
    assert (
        x001.filter(pl.col("source_file").str.contains("meridian"))["message"]
        .str.contains("this one says 40")
        .all()
    )
