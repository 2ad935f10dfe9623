"""`tacitus convert`: one source file in another format → native YAML, Parquet or GDELT TSV.

Annotation tools (brat, Label Studio, INCEpTION) give Documents: ``--to native`` writes
one YAML file per article, ``--to parquet`` the tables of a build. Coded datasets (GDELT,
ICEWS, UCDP) have no article text, so they go ``--to parquet`` (events, casualties,
articles; the schemes their values follow are in the Parquet metadata) or ``--to gdelt``.
Problems in the file are printed as ``file:line: severity RULE message`` and the rest
converts; the exit code is 1 when any is an error. A file in the wrong format for
``--from`` stops with one line and exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import polars as pl

from tacitus.errors import InputError, UsageError
from tacitus.schema.rules import Finding, sort_findings

ANNOTATION_FORMATS = ("brat", "labelstudio", "inception")
CODED_FORMATS = ("gdelt", "icews", "ucdp")
TARGETS = ("native", "parquet", "gdelt")


@click.command("convert")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "source_format",
    required=True,
    type=click.Choice((*ANNOTATION_FORMATS, *CODED_FORMATS)),
    help="Format of FILE.",
)
@click.option(
    "--to",
    "target",
    required=True,
    type=click.Choice(TARGETS),
    help="native: YAML per article; parquet: tables; gdelt: a GDELT 2.0 events file.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (native, parquet) or file (gdelt; or native with one article). "
    "Default: beside FILE, named after it.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
def command(file: Path, source_format: str, target: str, out: Path | None, quiet: bool) -> None:
    """Convert FILE from brat, Label Studio, INCEpTION, GDELT, ICEWS or UCDP.

    Example: tacitus convert export.json --from labelstudio --to native --out articles/
    """
    if not file.exists():
        raise InputError(f"{file} does not exist")
    if source_format in CODED_FORMATS:
        findings = _convert_coded(file, source_format, target, out)
    else:
        findings = _convert_documents(file, source_format, target, out)
    _report(findings, quiet)
    if any(f.severity == "error" for f in findings):
        sys.exit(1)


def _default_out(file: Path, target: str) -> Path:
    stem = file.name.split(".")[0] or file.stem
    if target == "gdelt":
        return file.with_name(f"{stem}.export.CSV")
    return file.with_name(f"{stem}.{target}")


def _convert_coded(file: Path, source_format: str, target: str, out: Path | None) -> list[Finding]:
    from tacitus.convert.readers import read_coded

    if target == "native":
        raise UsageError(
            f"{source_format} rows have no article text to annotate; use --to parquet or --to gdelt"
        )
    result = read_coded(source_format, file)
    out = out or _default_out(file, target)
    if target == "gdelt":
        from tacitus.convert.gdelt_export import write_gdelt

        write_gdelt(result.events, out, result.articles)
        written = [out]
    else:
        from tacitus.datasets.parquet_io import write_tables
        from tacitus.schema.tables import Tables

        tables = Tables.empty()
        tables.events, tables.casualties, tables.articles = (
            result.events,
            result.casualties,
            result.articles,
        )
        written = write_tables(
            tables, out, result.metadata, extra={"findings": _findings_frame(result.problems)}
        )
    click.echo(
        f"{source_format}: {result.rows_read} rows read, {result.events.height} events, "
        f"{result.casualties.height} casualty rows; {_counts(result.problems)}; "
        f"wrote {_shown(written, out)}"
    )
    return result.problems


def _convert_documents(
    file: Path, source_format: str, target: str, out: Path | None
) -> list[Finding]:
    from tacitus.convert.readers import read_documents

    results = read_documents(source_format, file)
    findings = [p for r in results for p in r.problems]
    documents = [r.document for r in results if r.document is not None]
    events_in = sum(len(r.raw_events) for r in results)
    out = out or _default_out(file, target)
    if target == "native":
        from tacitus.convert.to_native import write_native
        from tacitus.convert.to_tables import S007
        from tacitus.schema.document import Document

        if out.suffix in (".yaml", ".yml"):
            if len(documents) > 1:
                raise UsageError(f"{file} holds {len(documents)} articles: give --out a folder")
            # No document (its article did not load): the findings below say why.
            written = [write_native(doc, out, source=file.name) for doc in documents]
        else:
            if out.exists() and not out.is_dir():
                raise UsageError(f"--out {out} is a file; give a folder")
            # One file per article id: a repeated id is not written over the first (S007),
            # as in `tacitus build`.
            first: dict[str, Document] = {}
            for doc in documents:
                if doc.article.id in first:
                    findings.append(
                        S007.finding(
                            source_file=str(file),
                            source_line=doc.article.line,
                            article_id=doc.article.id,
                            value=doc.article.id,
                            other=f"an earlier article of {file.name}",
                        )
                    )
                else:
                    first[doc.article.id] = doc
            written = [
                write_native(doc, out / f"{article_id}.yaml", source=file.name)
                for article_id, doc in first.items()
            ]
    else:
        from tacitus.convert.to_tables import documents_to_tables

        assembled = documents_to_tables(results)
        findings = _findings_from_frame(assembled.findings) or findings
        if target == "gdelt":
            from tacitus.convert.gdelt_export import write_gdelt

            written = [write_gdelt(assembled.tables.events, out, assembled.tables.articles)]
        else:
            from tacitus.datasets.parquet_io import write_tables

            written = write_tables(
                assembled.tables,
                out,
                {"tacitus.source_format": source_format, "source": file.name},
                extra={"findings": assembled.findings},
            )
    n_events = sum(len(doc.events) for doc in documents)
    click.echo(
        f"{source_format}: {len(results)} article(s), {n_events} of {events_in} events "
        f"converted; {_counts(findings)}; wrote {_shown(written, out)}"
    )
    return findings


def _findings_frame(findings: list[Finding]) -> pl.DataFrame:
    import dataclasses

    from tacitus.schema.tables import frame_from_rows

    return frame_from_rows("findings", [dataclasses.asdict(f) for f in findings])


def _findings_from_frame(frame: pl.DataFrame) -> list[Finding]:
    return [Finding(**row) for row in frame.iter_rows(named=True)]


def _counts(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    return f"{errors} error(s), {warnings} warning(s)"


def _shown(written: list[Path], out: Path) -> str:
    if not written:
        return "nothing"
    if len(written) == 1:
        return str(written[0])
    return f"{len(written)} files in {out}"


def _report(findings: list[Finding], quiet: bool) -> None:
    for finding in sort_findings(findings):
        if quiet and finding.severity != "error":
            continue
        click.echo(
            f"{finding.location()}: {finding.severity} {finding.rule} {finding.message}", err=True
        )
