"""``tacitus publish DATASET_DIR --version X [--out DIR]``: a versioned release for download.

Exit codes: 0 published (or the identical release already existed); 2 the release could
not be made (validation errors without ``--allow-errors``, a version that exists with
different bytes, a version that is not dataset.toml's, an unwritable output folder).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("publish")
@click.argument("dataset_dir", type=click.Path(path_type=Path))
@click.option(
    "--version",
    "version",
    required=True,
    metavar="X",
    help="The version to publish; must equal dataset.toml's version.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("releases"),
    show_default=True,
    help="Releases folder: the release goes to OUT/NAME/X/.",
)
@click.option(
    "--allow-errors",
    is_flag=True,
    help="Publish even when validation finds errors (the report is part of the release).",
)
def command(dataset_dir: Path, version: str, out_dir: Path, allow_errors: bool) -> None:
    """Build, validate and publish DATASET_DIR as an immutable release OUT/NAME/X/.

    The release holds the Parquet tables (events partitioned by year), datapackage.json,
    SHA256SUMS, manifest.json, a dataset card (README.md), the validation report, a
    CHANGELOG entry and a static download page (index.html) with an evidence viewer.

    Example: tacitus publish datasets/iran-pakistan-2024 --version 0.1.0
    """
    from tacitus.datasets.publish import publish

    result = publish(dataset_dir, version, out_dir, allow_errors=allow_errors)
    if not result.created:
        click.echo(f"{result.path}: already published with identical bytes; nothing to do")
        return
    rows = ", ".join(f"{name} {n}" for name, n in result.rows.items())
    click.echo(f"published {result.name} {result.version} → {result.path}")
    click.echo(f"  {len(result.files) + 1} files; rows: {rows}")
    diff = result.diff
    if result.previous:
        click.echo(
            f"  since {result.previous}: {len(diff.added)} added, {len(diff.removed)} removed, "
            f"{len(diff.changed)} changed"
        )
    else:
        click.echo("  first release of this dataset")
    click.echo(f"  validation: {result.errors} error(s), {result.warnings} warning(s)")
    click.echo(f"  download page: {result.path / 'index.html'}")
