"""``tacitus validate PATH``: check a dataset, an annotation file or built tables.

Exit codes: 0 passed; 1 errors found (or warnings, with ``--strict``); 2 the command
could not run (bad path, unknown rule, unreadable input).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
import polars as pl

from tacitus.errors import TacitusError, UsageError
from tacitus.validators.reporters import FORMATS

if TYPE_CHECKING:
    from tacitus.validators.loading import Loaded


@click.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option(
    "--select",
    metavar="RULES",
    help="Only these rules: ids or family letters, comma-separated (K,D002).",
)
@click.option(
    "--ignore", metavar="RULES", help="Skip these rules: ids or family letters, comma-separated."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of stdout.",
)
@click.option(
    "--engine",
    type=click.Choice(["native", "gx"]),
    default="native",
    show_default=True,
    help="native (polars) or gx (great-expectations; needs tacitus[gx]).",
)
@click.option(
    "--data-docs",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --engine gx: write great-expectations Data Docs (HTML) to DIR.",
)
@click.option(
    "--clusters",
    "clusters_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the cross-source event clusters to FILE (.parquet or .csv).",
)
@click.option(
    "--rules-doc", is_flag=True, help="Print the rule catalogue (docs/rules.md) and exit."
)
def command(
    path: Path | None,
    fmt: str,
    strict: bool,
    select: str | None,
    ignore: str | None,
    output: Path | None,
    engine: str,
    data_docs: Path | None,
    clusters_out: Path | None,
    rules_doc: bool,
) -> None:
    """Check PATH against the rule catalogue and report the findings.

    PATH is a dataset folder (built in memory), one annotation file, a folder of built
    Parquet tables, or one Parquet table.
    """
    try:
        code = _run(
            path, fmt, strict, select, ignore, output, engine, data_docs, clusters_out, rules_doc
        )
    except TacitusError as exc:
        click.echo(f"tacitus: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    sys.exit(code)


def _run(
    path: Path | None,
    fmt: str,
    strict: bool,
    select: str | None,
    ignore: str | None,
    output: Path | None,
    engine: str,
    data_docs: Path | None,
    clusters_out: Path | None,
    rules_doc: bool,
) -> int:
    if rules_doc:
        from tacitus.validators.catalogue import rules_markdown

        _write(rules_markdown(), output)
        return 0
    if path is None:
        raise UsageError("give a PATH to validate (or --rules-doc)")
    if data_docs is not None and engine != "gx":
        raise UsageError("--data-docs needs --engine gx")
    from tacitus.datasets.validation import load_for_validation
    from tacitus.validators.engine import select_rules, validate_loaded

    select_rules(select, ignore)  # an unknown rule fails before any work
    loaded = load_for_validation(path)
    if engine == "gx":
        from tacitus.validators.gx_bridge import validate_loaded_gx

        result = validate_loaded_gx(loaded, select=select, ignore=ignore, data_docs=data_docs)
    else:
        result = validate_loaded(loaded, select=select, ignore=ignore)
    if clusters_out is not None:
        _write_clusters(loaded, clusters_out)
    from tacitus.validators.reporters import render

    color = (
        output is None and fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    _write(render(result, fmt, strict=strict, color=color), output)
    if fmt == "github":
        from tacitus.validators.reporters.github_report import append_step_summary

        append_step_summary(result, strict=strict)
    return result.exit_code(strict)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text)
        return
    try:
        output.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    except OSError as exc:
        from tacitus.errors import OutputError

        raise OutputError(f"cannot write {output}: {exc.strerror}") from None


def _write_clusters(loaded: Loaded, target: Path) -> None:
    from tacitus.errors import OutputError
    from tacitus.validators.cross_source import clusters

    frame = clusters(_conformed(loaded), loaded.context)
    try:
        if target.suffix.lower() == ".csv":
            frame.write_csv(target)
        else:
            frame.write_parquet(target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None


def _conformed(loaded: Loaded) -> dict[str, pl.DataFrame | pl.LazyFrame]:
    """The tables as the checks saw them: a mistyped column (reported as I001) is
    dropped, so the clusters are computed without it rather than failing on it."""
    from tacitus.schema.tables import ALL_SCHEMAS
    from tacitus.validators.integrity import conform

    tables: dict[str, pl.DataFrame | pl.LazyFrame] = {}
    for name, frame in loaded.tables.items():
        if name in ALL_SCHEMAS and name != "findings":
            lazy, _ = conform(name, frame.lazy())
            tables[name] = lazy.collect() if isinstance(frame, pl.DataFrame) else lazy
        else:
            tables[name] = frame
    return tables
