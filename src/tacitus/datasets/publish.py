"""Publish a dataset as an immutable, versioned release folder for download.

``publish(DATASET_DIR, VERSION, OUT)`` builds the tables, validates them and writes
``OUT/NAME/VERSION/``::

    articles.parquet  casualties.parquet  evidence.parquet  actors.parquet  rejected.parquet
    events/year=2024/part-0.parquet        (Hive-partitioned by the year of date_start;
    events/year=__HIVE_DEFAULT_PARTITION__/part-0.parquet   events with no date)
    datapackage.json  manifest.json  README.md (dataset card)  CHANGELOG.md
    validation/report.json  validation/report.html
    index.html  evidence/ARTICLE.html      (download page and evidence viewer)
    SHA256SUMS                             (every file above; ``sha256sum -c`` reads it)

and rewrites the cumulative ``OUT/NAME/CHANGELOG.md``. The release is written to a hidden
temporary folder beside it and renamed into place, so it appears whole or not at all. Its
bytes depend only on the inputs (no timestamps): publishing a version again is a no-op when
the bytes would be identical, and an IntegrityError when they would differ.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from tacitus import __version__
from tacitus.atomic import temporary_folder, write_bytes_atomic
from tacitus.datasets import changelog, checksums, datapackage, parquet_io, release_page
from tacitus.errors import IntegrityError, OutputError, UsageError
from tacitus.schema.dataset import DatasetConfig
from tacitus.schema.tables import ALL_SCHEMAS, Tables, empty_frame, to_arrow
from tacitus.validators import reporters
from tacitus.validators.base import empty_findings
from tacitus.validators.engine import ValidationResult

if TYPE_CHECKING:
    from tacitus.datasets.build import BuildResult

RELEASE_TABLES = ("articles", "events", "casualties", "evidence", "actors", "rejected")
"""Tables a release holds, in the order they are described."""

NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
"""The events partition of events without a date (Hive's name for a null key)."""

SORT_KEYS: dict[str, list[str]] = {
    "articles": ["article_id"],
    "events": ["event_id"],
    "casualties": ["casualty_id"],
    "evidence": ["event_id", "field", "start", "end"],
    "actors": ["code"],
    "rejected": ["article_id", "event_id", "rule", "source_line"],
}

CHANGELOG_FILE = "CHANGELOG.md"
REPORT_JSON = "validation/report.json"
REPORT_HTML = "validation/report.html"


@dataclasses.dataclass
class PublishResult:
    """What :func:`publish` did: where the release is, and what it holds.

    ``created`` is False when an identical release already existed (nothing was written
    but the cumulative changelog).
    """

    path: Path
    name: str
    version: str
    previous: str | None
    created: bool
    files: dict[str, str]
    rows: dict[str, int]
    diff: changelog.EventsDiff
    errors: int
    warnings: int


@dataclasses.dataclass
class _Codebook:
    version: str | None
    names: dict[str, str]


def publish(
    dataset_dir: str | Path,
    version: str,
    out_dir: str | Path = "releases",
    *,
    allow_errors: bool = False,
) -> PublishResult:
    """Build, validate and publish ``dataset_dir`` as release ``version`` under ``out_dir``.

    ``version`` must equal dataset.toml's ``version`` (the release records it; bump the
    file first). Validation errors stop the release unless ``allow_errors``.

    Example:
        >>> r = publish("datasets/iran-pakistan-2024", "0.1.0", "/tmp/releases")  # doctest: +SKIP
        >>> r.path                                                                 # doctest: +SKIP
        PosixPath('/tmp/releases/iran-pakistan-2024/0.1.0')
    """
    from tacitus.datasets.build import build_tables

    dataset_dir = Path(dataset_dir)
    built = build_tables(dataset_dir)
    config: DatasetConfig = built.config
    if config.dataset.version != version:
        raise UsageError(
            f"--version {version} but {dataset_dir / 'dataset.toml'} says version "
            f"{config.dataset.version!r}: set the file's version first (the release records it)"
        )
    return publish_tables(
        built.tables,
        config,
        version,
        out_dir,
        validation=_validate(built, dataset_dir, config.dataset.name),
        inputs=built.inputs,
        inputs_sha256=built.report.inputs_sha256 or None,
        allow_errors=allow_errors,
    )


def publish_tables(
    tables: Tables,
    config: DatasetConfig,
    version: str,
    out_dir: str | Path = "releases",
    *,
    validation: ValidationResult | pl.DataFrame | None = None,
    inputs: list[dict[str, Any]] | None = None,
    inputs_sha256: str | None = None,
    allow_errors: bool = False,
) -> PublishResult:
    """Publish already-built ``tables`` as release ``version`` of ``config``'s dataset.

    This is :func:`publish` without the build: tests and other front ends call it with
    tables they made. ``validation`` is the validation result (or just its findings) and
    ``inputs`` the build inputs (``[{"path", "sha256", "bytes"}]``) for the manifest;
    ``inputs_sha256`` the build's fingerprint of them for the Parquet metadata (default:
    the SHA-256 of the inputs listed as ``sha256sum`` lines).

    Example:
        >>> cfg = DatasetConfig.model_validate({"dataset": {"name": "demo", "version": "1",
        ...     "licence": "CC-BY-4.0"}})
        >>> import tempfile
        >>> out = tempfile.mkdtemp()
        >>> publish_tables(Tables.empty(), cfg, "1", out).path.relative_to(out).as_posix()
        'demo/1'
    """
    if not changelog.valid_version(version):
        raise UsageError(f"invalid version {version!r}: use letters, digits and . _ + -")
    if not isinstance(validation, ValidationResult):
        frame = empty_findings() if validation is None else validation
        validation = ValidationResult(frame, source=config.dataset.name)
    findings = validation.findings
    check_models(tables)
    errors, warnings = _count(findings, "error"), _count(findings, "warning")
    if errors and not allow_errors:
        raise UsageError(
            f"{errors} validation error(s): not publishing (see `tacitus validate`); "
            "fix them or pass --allow-errors to publish with the report"
        )
    out_dir = Path(out_dir)
    name = config.dataset.name
    series = out_dir / name
    final = series / version
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} is a file, not a folder")
    try:
        series.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {series}: {exc.strerror}") from None

    existing = [v for v in published_versions(series) if v != version]
    previous = changelog.previous_version(existing, version)
    codebook = _load_codebook()
    try:
        # Named like the build's temporary folders, so one killed outright is cleaned up
        # by the next publish of the same version.
        parquet_io.remove_stale_temporaries(series, version)
        tmp = temporary_folder(series, parquet_io.temporary_prefix(version))
        try:
            files, rows, diff = _write_release(
                tmp,
                tables,
                config,
                version,
                previous=series / previous if previous else None,
                previous_version=previous,
                validation=validation,
                inputs=inputs or [],
                inputs_sha256=inputs_sha256,
                codebook=codebook,
            )
            created = _move_into_place(tmp, final)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        write_cumulative_changelog(series)
    except OSError as exc:  # disk full, permissions: one line, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        raise OutputError(f"cannot publish {final}: {where}{exc.strerror or exc}") from None
    return PublishResult(
        final, name, version, previous, created, files, rows, diff, errors, warnings
    )


def check_models(tables: Tables) -> None:
    """Refuse tables that fail their pandera model (``load`` would refuse the release).

    Example:
        >>> check_models(Tables.empty())
    """
    import pandera.errors

    from tacitus.schema.models import validate_table

    for name in RELEASE_TABLES:
        try:
            validate_table(name, getattr(tables, name))
        except (pandera.errors.SchemaError, pandera.errors.SchemaErrors) as exc:
            detail = " ".join(str(exc).split())[:300]
            raise IntegrityError(
                f"the {name} table fails its model; not publishing: {detail}"
            ) from None


def published_versions(series: Path) -> list[str]:
    """Versions already published in ``OUT/NAME`` (folders holding a SHA256SUMS), sorted.

    Example:
        >>> import tempfile
        >>> published_versions(Path(tempfile.mkdtemp()))
        []
    """
    if not series.is_dir():
        return []
    found = [
        p.name
        for p in series.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and changelog.valid_version(p.name)
        and (p / checksums.SUMS_FILE).is_file()
    ]
    return sorted(found, key=changelog.version_key)


def write_cumulative_changelog(series: Path) -> Path:
    """Rewrite ``OUT/NAME/CHANGELOG.md`` from every release's own CHANGELOG.md.

    Example:
        >>> import tempfile
        >>> write_cumulative_changelog(Path(tempfile.mkdtemp())).name
        'CHANGELOG.md'
    """
    entries = {}
    for version in published_versions(series):
        entry = series / version / CHANGELOG_FILE
        if entry.is_file():
            entries[version] = entry.read_text(encoding="utf-8")
    text = changelog.render_changelog(series.name, entries)
    target = series / CHANGELOG_FILE
    write_bytes_atomic(target, text.encode("utf-8"))
    return target


# --- writing -----------------------------------------------------------------------------


def _write_release(
    root: Path,
    tables: Tables,
    config: DatasetConfig,
    version: str,
    *,
    previous: Path | None,
    previous_version: str | None,
    validation: ValidationResult,
    inputs: list[dict[str, Any]],
    inputs_sha256: str | None,
    codebook: _Codebook,
) -> tuple[dict[str, str], dict[str, int], changelog.EventsDiff]:
    info = config.dataset
    findings = validation.findings
    text_included = bool(info.text_redistributable)
    frames = _release_frames(tables, text_included=text_included)
    metadata = {  # the keys of the build's Parquet metadata, plus the release's own
        "dataset": info.name,
        "dataset_version": version,
        "licence": info.licence,
        "tacitus_version": __version__,
        "codebook_version": codebook.version or "",
        "inputs_sha256": inputs_sha256
        or checksums.sha256_bytes(
            "".join(f"{i['sha256']}  {i['path']}\n" for i in inputs).encode("utf-8")
        ),
        "text_included": "true" if text_included else "false",
    }
    table_parts: dict[str, list[dict[str, Any]]] = {}
    for name in RELEASE_TABLES:
        if name == "events":
            table_parts[name] = _write_events(root, frames[name], metadata)
        else:
            path = f"{name}.parquet"
            _write_parquet(root / path, name, frames[name], metadata)
            table_parts[name] = [_part(root, path, frames[name].height)]

    resources = []
    for name in RELEASE_TABLES:
        parts = table_parts[name]
        combined = (
            parts[0]["sha256"]
            if len(parts) == 1
            else checksums.sha256_files(root / p["path"] for p in parts)
        )
        resources.append(
            datapackage.table_resource(name, ALL_SCHEMAS[name], parts, combined_sha256=combined)
        )
    package = datapackage.build_datapackage(
        config,
        version,
        resources,
        text_included=text_included,
        tacitus_version=__version__,
        codebook_version=codebook.version,
    )
    _write_text(root / "datapackage.json", datapackage.dumps(package))

    rows = {name: frames[name].height for name in RELEASE_TABLES}
    old_events, old_rows = _previous_tables(previous)
    diff = changelog.diff_events(old_events, frames["events"])
    newest = _newest_date(frames["articles"])
    entry = changelog.render_entry(
        version,
        previous_version,
        diff,
        table_rows={
            n: (old_rows.get(n) if previous else None, rows[n])
            for n in RELEASE_TABLES
            if n != "events"
        },
        code_names=codebook.names,
        date=newest,
    )
    _write_text(root / CHANGELOG_FILE, entry)

    manifest = {
        "dataset": info.name,
        "version": version,
        "title": info.title or info.name,
        "licence": info.licence,
        "text_included": text_included,
        "tacitus_version": __version__,
        "codebook_version": codebook.version,
        "previous_version": previous_version,
        "events_partitioning": {
            "style": "hive",
            "column": "year",
            "from": "date_start",
            "null_partition": NULL_PARTITION,
        },
        "inputs": inputs,
        "tables": {
            name: {"rows": rows[name], "files": [p["path"] for p in table_parts[name]]}
            for name in RELEASE_TABLES
        },
        "validation": {
            "errors": _count(findings, "error"),
            "warnings": _count(findings, "warning"),
        },
    }
    _write_text(root / "manifest.json", datapackage.dumps(manifest))

    _write_text(root / REPORT_JSON, reporters.render(validation, "json").rstrip("\n") + "\n")
    _write_text(root / REPORT_HTML, reporters.render(validation, "html"))

    # The cross-source clusters, computed once for the card and the index page.
    clusters = release_page.event_clusters(frames["events"])
    card = dataset_card(
        config,
        version,
        frames,
        table_parts,
        codebook=codebook,
        findings=findings,
        clusters=clusters,
    )
    _write_text(root / "README.md", card)

    evidence_pages = release_page.render_evidence_pages(
        frames["articles"],
        frames["events"],
        frames["evidence"],
        text_included=text_included,
        dataset_title=info.title or info.name,
        version=version,
        code_names=codebook.names,
    )
    for path, page in evidence_pages.items():
        _write_text(root / path, page)

    # Each file is hashed once: the tables when written, the rest here or by write_sums.
    known = {p["path"]: p["sha256"] for parts in table_parts.values() for p in parts}
    listed = []
    for path in checksums.release_files(root):
        if path.startswith("evidence/"):
            continue
        if path not in known:
            known[path] = checksums.sha256_file(root / path)
        size = (root / path).stat().st_size
        listed.append(release_page.FileInfo(path, size, known[path], _rows_of(path, table_parts)))
    page = release_page.render_index(
        release_page.ReleaseInfo(
            name=info.name,
            title=info.title or info.name,
            description=info.description or "",
            version=version,
            licence=info.licence,
            text_included=text_included,
            tacitus_version=__version__,
            codebook_version=codebook.version,
            previous_version=previous_version,
            data_date=newest,
            errors=_count(findings, "error"),
            warnings=_count(findings, "warning"),
        ),
        files=listed,
        schemas={n: ALL_SCHEMAS[n] for n in RELEASE_TABLES},
        frames=frames,
        code_names=codebook.names,
        evidence_links=release_page.evidence_links(frames["articles"]),
        country_boxes=_country_boxes(frames["events"]),
        clusters=clusters,
    )
    _write_text(root / "index.html", page)
    files = checksums.write_sums(root, known=known)
    return files, rows, diff


def _release_frames(tables: Tables, *, text_included: bool) -> dict[str, pl.DataFrame]:
    frames = {}
    for name in RELEASE_TABLES:
        frame: pl.DataFrame = getattr(tables, name)
        frame = _polars(to_arrow(name, frame))
        if name == "articles" and not text_included:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("text"))
        keys = [k for k in SORT_KEYS[name] if k in frame.columns]
        frames[name] = frame.sort(keys, nulls_last=True, maintain_order=True)
    return frames


def _polars(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _write_parquet(path: Path, name: str, frame: pl.DataFrame, metadata: Mapping[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    parquet_io.write_table(name, frame, path, {**metadata, "table": name})


def _write_events(
    root: Path, events: pl.DataFrame, metadata: Mapping[str, str]
) -> list[dict[str, Any]]:
    years = events.get_column("date_start").dt.year()
    keyed = events.with_columns(years.alias("__year"))
    partitions = sorted(
        keyed.get_column("__year").unique().to_list(), key=lambda y: (y is None, y or 0)
    )
    if not partitions:
        partitions = [None]
    parts = []
    for year in partitions:
        label = NULL_PARTITION if year is None else str(year)
        chunk = keyed.filter(
            pl.col("__year").is_null() if year is None else pl.col("__year") == year
        ).drop("__year")
        path = f"events/year={label}/part-0.parquet"
        _write_parquet(root / path, "events", chunk, metadata)
        parts.append(_part(root, path, chunk.height))
    return parts


def _part(root: Path, path: str, rows: int) -> dict[str, Any]:
    full = root / path
    return {
        "path": path,
        "bytes": full.stat().st_size,
        "sha256": checksums.sha256_file(full),
        "rows": rows,
    }


def _rows_of(path: str, table_parts: Mapping[str, list[dict[str, Any]]]) -> int | None:
    for parts in table_parts.values():
        for part in parts:
            if part["path"] == path:
                return int(part["rows"])
    return None


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def _move_into_place(tmp: Path, final: Path) -> bool:
    """Rename ``tmp`` to ``final``; True when created, False when identical bytes existed."""
    if not final.exists():
        try:
            os.rename(tmp, final)
            return True
        except OSError:
            if not final.exists():
                raise OutputError(f"cannot create {final}") from None
            # Another publisher won the race: compare with what it wrote.
    difference = _first_difference(tmp, final)
    if difference is None:
        return False
    raise IntegrityError(
        f"release {final} already exists and differs ({difference}); "
        "a release is immutable: publish a new version instead"
    )


def _first_difference(a: Path, b: Path) -> str | None:
    files_a = [*checksums.release_files(a), checksums.SUMS_FILE]
    files_b = [*checksums.release_files(b), checksums.SUMS_FILE]
    if set(files_a) != set(files_b):
        extra = sorted(set(files_a) ^ set(files_b))
        return f"files differ: {', '.join(extra[:3])}"
    for path in sorted(files_a):
        if (a / path).read_bytes() != (b / path).read_bytes():
            return f"{path} differs"
    return None


def _previous_tables(previous: Path | None) -> tuple[pl.DataFrame, dict[str, int]]:
    if previous is None:
        return empty_frame("events"), {}
    sums = checksums.read_sums(previous)
    checksums.verify_sums(previous, sums, ["datapackage.json"])
    package = json.loads((previous / "datapackage.json").read_text(encoding="utf-8"))
    rows: dict[str, int] = {}
    paths: list[str] = []
    for resource in package.get("resources", []):
        rows[resource["name"]] = int(resource.get("rows", 0))
        if resource["name"] == "events":
            paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
    checksums.verify_sums(previous, sums, paths)
    if not paths:
        return empty_frame("events"), rows
    old = pl.concat([_polars(pq.read_table(previous / p)) for p in paths], how="diagonal_relaxed")
    return old, rows


def _newest_date(articles: pl.DataFrame) -> str | None:
    if articles.is_empty():
        return None
    newest = articles.get_column("published").max()
    return newest.isoformat() if isinstance(newest, dt.date) else None


def _count(findings: pl.DataFrame, severity: str) -> int:
    return int(findings.filter(pl.col("severity") == severity).height)


# --- codebook, validation ----------------------------------------------------------------


def _load_codebook() -> _Codebook:
    from tacitus.schema.codebook import load_codebook

    cb = load_codebook()
    return _Codebook(cb.version, {code: entry.name for code, entry in cb.events.items()})


def _country_boxes(events: pl.DataFrame) -> pl.DataFrame:
    from tacitus.validators.reference import country_box_rows

    countries = sorted({c for c in events.get_column("country").to_list() if c})
    return country_box_rows().filter(pl.col("iso3").is_in(countries)).sort("iso3", "part")


def _validate(built: BuildResult, dataset_dir: Path, name: str) -> ValidationResult:
    """What ``tacitus validate DATASET_DIR`` finds in the tables just built, with paths
    relative to the dataset (validating the very tables published, not a second build)."""
    from tacitus.datasets.validation import loaded_from_build
    from tacitus.validators.engine import validate_loaded

    result = validate_loaded(loaded_from_build(built, dataset_dir))
    prefix = dataset_dir.as_posix().rstrip("/") + "/"
    result.findings = result.findings.with_columns(pl.col("source_file").str.strip_prefix(prefix))
    result.source = name  # not the path it was given: the same bytes from any folder
    return result


# --- the dataset card --------------------------------------------------------------------

_HF_LICENSES = {
    "CC-BY-4.0": "cc-by-4.0",
    "CC-BY-SA-4.0": "cc-by-sa-4.0",
    "CC-BY-NC-4.0": "cc-by-nc-4.0",
    "CC0-1.0": "cc0-1.0",
    "ODbL-1.0": "odbl",
    "MIT": "mit",
    "Apache-2.0": "apache-2.0",
}


def _size_category(n: int) -> str:
    for limit, label in [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
    ]:
        if n < limit:
            return label
    return "10M<n<100M"


def dataset_card(
    config: DatasetConfig,
    version: str,
    frames: Mapping[str, pl.DataFrame],
    table_parts: Mapping[str, list[dict[str, Any]]],
    *,
    codebook: _Codebook | None = None,
    findings: pl.DataFrame | None = None,
    clusters: pl.DataFrame | None = None,
) -> str:
    """The release's README.md: Hugging Face-style YAML front matter and a short card.

    The front matter has one ``configs:`` entry per table (``data_files`` pointing at its
    Parquet files; events is the default config). No dates but the data's own.
    ``clusters`` is :func:`~tacitus.datasets.release_page.event_clusters` of the events
    when the caller already has it.

    Example:
        >>> cfg = DatasetConfig.model_validate({"dataset": {"name": "demo", "version": "1",
        ...     "licence": "CC-BY-4.0"}})
        >>> frames = Tables.empty().as_dict()
        >>> parts = {"events": [{"path": "events/year=2024/part-0.parquet"}]}
        >>> dataset_card(cfg, "1", frames, parts).splitlines()[0]
        '---'
    """
    info = config.dataset
    q = json.dumps
    events = frames.get("events", empty_frame("events"))
    articles = frames.get("articles", empty_frame("articles"))
    languages = sorted({x for x in articles.get_column("language").to_list() if x})
    lines = ["---", f"pretty_name: {q(info.title or info.name)}"]
    lines.append(f"license: {q(_HF_LICENSES.get(info.licence, 'other'))}")
    if info.licence not in _HF_LICENSES:
        lines.append(f"license_name: {q(info.licence)}")
    if languages:
        lines.append("language:")
        lines += [f"- {q(lang)}" for lang in languages]
    lines += ["tags:", '- "conflict-events"', '- "cameo"', '- "event-data"', '- "tacitus"']
    lines += ["size_categories:", f"- {q(_size_category(events.height))}"]
    lines.append("configs:")
    for name in RELEASE_TABLES:
        parts = table_parts.get(name)
        if not parts:
            continue
        pattern = "events/*/*.parquet" if name == "events" else parts[0]["path"]
        lines += [
            f"- config_name: {name}",
            "  data_files:",
            "  - split: train",
            f"    path: {q(pattern)}",
        ]
        if name == "events":
            lines.append("  default: true")
    lines.append("---")
    lines.append("")
    lines.append(f"# {info.title or info.name}")
    lines.append("")
    if info.description:
        lines += [info.description.strip(), ""]
    dates = events.get_column("date_start").drop_nulls()
    day_list = sorted(dates.to_list())
    coverage = f"{day_list[0]} to {day_list[-1]}" if day_list else "no dated events"
    countries = sorted({c for c in events.get_column("country").to_list() if c})
    lines += [
        f"- **Dataset**: `{info.name}`, version **{version}**",
        f"- **Licence**: {info.licence}",
        f"- **Events**: {events.height} from {articles.height} articles; dates {coverage}",
        "- **Distinct events**: "
        f"{release_page.reports_of(release_page.distinct_events(events, clusters))}"
        " (reports by several articles of the same actors, root code and country within a "
        "day are one event; the charts of `index.html` count each once)",
    ]
    if countries:
        lines.append(f"- **Countries**: {', '.join(countries)}")
    lines.append(
        "- **Article text**: "
        + (
            "included (`articles.text`)"
            if info.text_redistributable
            else "not included (the licence does not allow it): quotes and `text_sha256` only"
        )
    )
    lines.append(f"- **Built with**: tacitus {__version__}")
    if codebook and codebook.version:
        lines.append(f"- **Codebook**: CAMEO codebook version {codebook.version}")
    if findings is not None:
        lines.append(
            f"- **Validation**: {_count(findings, 'error')} error(s), "
            f"{_count(findings, 'warning')} warning(s) — see `{REPORT_HTML}`"
        )
    lines += ["", "## Tables", "", "| table | rows | files | contents |", "|---|---:|---|---|"]
    for name in RELEASE_TABLES:
        parts = table_parts.get(name, [])
        files = ", ".join(f"`{p['path']}`" for p in parts)
        frame = frames.get(name)
        rows = frame.height if frame is not None else 0
        lines.append(f"| {name} | {rows} | {files} | {datapackage.TABLE_DESCRIPTIONS[name]} |")
    lines += [
        "",
        "Events are Hive-partitioned by the year of `date_start` (`events/year=2024/...`); "
        f"events without a date are in `events/year={NULL_PARTITION}/`. The date columns are "
        "kept inside the files. Schemas, row counts and checksums are in `datapackage.json`; "
        "`SHA256SUMS` checks a download (`sha256sum -c SHA256SUMS`).",
        "",
        "## Loading",
        "",
        "```python",
        "import tacitus",
        "",
        'tables = tacitus.load("path/or/url/of/this/folder")  # checks SHA256SUMS first',
        'events = tables["events"].collect()',
        "```",
        "",
        "```python",
        "import polars as pl",
        "",
        'events = pl.read_parquet("events/*/*.parquet", hive_partitioning=False)',
        "```",
        "",
        "## Changes",
        "",
        f"See `{CHANGELOG_FILE}`.",
        "",
    ]
    return "\n".join(lines)
