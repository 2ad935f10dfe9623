"""`tacitus schema`: write the JSON Schemas editors use to validate annotation files."""

from __future__ import annotations

from pathlib import Path

import click

from tacitus.schema.jsonschema import write_schemas


@click.command("schema")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
    help="Folder to write the *.schema.json files into.",
)
def command(out_dir: Path) -> None:
    """Write JSON Schemas for annotation files, actors.yaml and dataset.toml."""
    for path in write_schemas(out_dir):
        click.echo(f"wrote {path}")
