"""The great-expectations engine reports what the native engine reports, rule by rule,
on a fixture that breaks every table rule at once; and it writes Data Docs."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from test_rules import CASES
from validator_world import D, mutated

from tacitus.validators.base import Context
from tacitus.validators.engine import ValidationResult, validate_tables

pytest.importorskip("great_expectations")

from tacitus.validators.gx_bridge import GxRun, validate_tables_gx

ID_COLUMNS = ("article_id", "event_id", "casualty_id", "parent", "source_file")


def _prefixed(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    return frame.with_columns(
        (pl.lit(prefix) + pl.col(c)).alias(c) for c in ID_COLUMNS if c in frame.columns
    )


def broken_tables() -> dict[str, pl.DataFrame]:
    """One copy of the world per rule case (ids prefixed), stacked into one dataset."""
    worlds = [mutated(case.change) for case in CASES]
    tables: dict[str, pl.DataFrame] = {}
    for name in worlds[0]:
        if name == "actors":
            tables[name] = worlds[0][name]
            continue
        parts = [_prefixed(world[name], f"w{i}-") for i, world in enumerate(worlds)]
        tables[name] = pl.concat(parts, how="vertical")
    return tables


def _context(tables: dict[str, pl.DataFrame]) -> Context:
    # one more event read than written: I004
    return Context(input_events=tables["events"].height + 1, date_floor=D(2023, 1, 1))


Runs = tuple[ValidationResult, ValidationResult, Path]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    tables = broken_tables()
    native = validate_tables(tables, _context(tables))
    docs = tmp_path_factory.mktemp("data-docs")
    run = GxRun()
    gx = validate_tables_gx(tables, _context(tables), data_docs=docs, run=run)
    assert run.data_docs == docs / "index.html"
    assert run.checkpoints > 0 and run.expectations >= run.checkpoints
    return native, gx, docs


def test_same_counts_per_rule(both: Runs) -> None:
    native, gx, _docs = both
    assert gx.by_rule().to_dicts() == native.by_rule().to_dicts()
    found = set(native.findings["rule"])
    assert {c.rule for c in CASES} <= found  # every table rule is exercised
    assert (native.errors, native.warnings) == (gx.errors, gx.warnings)


def test_same_findings(both: Runs) -> None:
    native, gx, _docs = both
    assert gx.findings.to_dicts() == native.findings.to_dicts()


def test_data_docs_written(both: Runs) -> None:
    _native, _gx, docs = both
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "tacitus-" in index  # the suites, one per view
    assert any(docs.rglob("validations/**/*.html"))
