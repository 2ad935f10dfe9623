"""Validating tables our readers import from GDELT, ICEWS and UCDP: the schemes the
data name, severities lowered on import, CAMEO regions as countries, no X002."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tacitus.convert.readers import CodedResult, read_coded
from tacitus.datasets.parquet_io import write_tables
from tacitus.schema.tables import Tables
from tacitus.validators.base import Context
from tacitus.validators.engine import ValidationResult, validate_path, validate_tables

READERS = Path(__file__).resolve().parents[1] / "data" / "readers"
FIXTURES = {
    "gdelt": READERS / "gdelt" / "20191024143000.export.sample.CSV",
    "icews": READERS / "icews" / "events.2018.sample.tab",
    "ucdp": READERS / "ucdp" / "ged-sample.csv",
}


def coded(fmt: str) -> CodedResult:
    return read_coded(fmt, FIXTURES[fmt])


def write(result: CodedResult, out: Path) -> Path:
    """Write a reader's tables as `tacitus convert --to parquet` does (with metadata)."""
    tables = Tables.empty()
    tables.events, tables.casualties, tables.articles = (
        result.events,
        result.casualties,
        result.articles,
    )
    write_tables(tables, out, result.metadata)
    return out


def imported(fmt: str, tmp_path: Path) -> ValidationResult:
    return validate_path(write(coded(fmt), tmp_path / fmt))


def counts(result: ValidationResult) -> dict[tuple[str, str], int]:
    rows = result.by_rule().select("rule", "severity", "count").rows()
    return {(rule, severity): n for rule, severity, n in rows}


def test_gdelt_import_accepts_regions_and_checks_the_gdelt_scheme(tmp_path: Path) -> None:
    result = imported("gdelt", tmp_path)
    events = coded("gdelt").events
    assert "EUR" in events["actor2_country"].to_list()  # a CAMEO region in the country slot
    found = counts(result)
    assert not {r for r, _ in found} & {"A002", "C003", "C004", "X002"}
    assert result.errors == 0
    assert {"C003", "C004", "A002"} <= set(result.checked)
    assert "X002" in result.skipped


def test_icews_import_checks_quad_class_under_the_icews_scheme(tmp_path: Path) -> None:
    result = imported("icews", tmp_path)
    events = coded("icews").events
    # ICEWS puts root 14 (protest) in material conflict; GDELT in verbal conflict.
    assert events.filter(pl.col("root_code") == "14")["quad_class"].unique().to_list() == [4]
    found = counts(result)
    assert ("C003", "error") not in found
    assert "C003" in result.checked
    assert "C004" in result.skipped  # ICEWS intensity is not the codebook's Goldstein scale
    # Same actor on both sides is an internal event in ICEWS: a warning on import.
    assert found == {("A006", "warning"): 4, ("A007", "warning"): 1, ("L003", "warning"): 1}


def test_icews_quad_class_message_names_the_scheme(tmp_path: Path) -> None:
    result = coded("icews")
    result.events = result.events.with_columns(
        pl.when(pl.col("root_code") == "14")
        .then(3)
        .otherwise(pl.col("quad_class"))
        .alias("quad_class")
    )
    found = validate_path(write(result, tmp_path / "icews"), select="C003").findings
    assert found.height == result.events.filter(pl.col("root_code") == "14").height > 0
    assert found["message"].str.ends_with("is QuadClass 4 (ICEWS scheme)").all()


def test_gdelt_scheme_is_the_default() -> None:
    events = coded("icews").events  # ICEWS values, but nothing says so
    found = validate_tables({"events": events}, select="C003").findings
    assert found.height > 0
    assert found["message"].str.ends_with("(GDELT scheme)").all()
    off = events.head(1).with_columns(pl.col("goldstein") + 2)
    goldstein = validate_tables({"events": off}, select="C004").findings
    assert goldstein["message"].str.ends_with("(GDELT scale)").to_list() == [True]


def test_ucdp_import_reports_ranges_once_as_warnings(tmp_path: Path) -> None:
    result = imported("ucdp", tmp_path)
    found = counts(result)
    assert found == {("K002", "warning"): 6, ("K003", "warning"): 2}
    k002 = result.findings.filter(pl.col("rule") == "K002")
    assert k002["event_id"].n_unique() == k002.height  # one finding per unordered range
    assert result.exit_code() == 0 and result.exit_code(strict=True) == 1


def test_ucdp_ranges_are_errors_in_our_own_data() -> None:
    result = coded("ucdp")
    tables = {"events": result.events, "casualties": result.casualties}
    ours = validate_tables(tables, select="K002,K003")
    assert counts(ours) == {("K002", "error"): 6, ("K003", "error"): 2}
    context = Context()
    context.apply_metadata(result.metadata)
    theirs = validate_tables(tables, context, select="K002,K003")
    assert counts(theirs) == {("K002", "warning"): 6, ("K003", "warning"): 2}


@pytest.mark.parametrize("source_format", [None, "gdelt"])
def test_x002_does_not_run_on_coded_imports(source_format: str | None) -> None:
    events = coded("gdelt").events
    copy = events.head(1).with_columns(pl.col("event_id") + "-copy")
    context = Context(source_format=source_format)
    result = validate_tables({"events": pl.concat([events, copy])}, context, select="X002")
    if source_format is None:
        assert result.findings["event_id"].to_list() == [copy["event_id"].item()]
    else:
        assert result.findings.is_empty() and result.skipped == ("X002",)
