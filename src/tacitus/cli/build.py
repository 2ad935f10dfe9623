"""`tacitus build DATASET_DIR [--out DIR]`: sources → Parquet tables + build report."""

from __future__ import annotations

from pathlib import Path

import click

from tacitus.datasets.build import build_dataset


@click.command("build")
@click.argument("dataset_dir", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write the tables into (default: DATASET_DIR/build). Replaced atomically.",
)
@click.option(
    "--no-cache", is_flag=True, help="Parse every file again (ignore DATASET_DIR/.tacitus-cache)."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Parsing processes (default: one per CPU).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when stderr is a terminal).",
)
def command(
    dataset_dir: Path,
    out_dir: Path | None,
    no_cache: bool,
    workers: int | None,
    as_json: bool,
    progress: bool | None,
) -> None:
    """Build DATASET_DIR's annotated articles into Parquet tables and a build report.

    Writes articles, events, casualties, evidence, actors, rejected and findings
    (.parquet), inputs.sha256 and build-report.json. Bad articles are rejected (see
    rejected.parquet), never fatal; run `tacitus validate` for the full check.

    Example: tacitus build datasets/iran-pakistan-2024 --out /tmp/ip-build
    """
    report = build_dataset(
        dataset_dir, out_dir, progress=progress, cache=not no_cache, workers=workers
    )
    click.echo(report.to_json() if as_json else report.to_text(), nl=not as_json)
