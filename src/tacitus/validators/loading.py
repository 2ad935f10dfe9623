"""Turn a path into tables to validate: a dataset folder, an annotation file, a folder of
built Parquet tables, or one Parquet file.

- dataset folder (has ``dataset.toml``): every source file read and converted in memory
  through the convert layer (``tacitus.convert.dataset_sources.read_dataset``: native,
  brat, Label Studio or INCEpTION), with the findings, input event count (I004) and
  date floor a build gives. Validation sits below the datasets layer, so it cannot use
  the build (or its cache) here; ``tacitus validate`` does, through
  ``tacitus.datasets.validation.load_for_validation``, and gets the same tables.
- annotation file (``.yaml``/``.yml``/``.json``): ``load_document`` then
  ``tacitus.convert.to_tables`` for that one document.
- built folder (``*.parquet``) or a single ``.parquet`` file: scanned lazily; a file that
  cannot be read, or lacks columns, is an I001 finding rather than a crash.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from tacitus.errors import TacitusError, UsageError
from tacitus.schema.rules import RULES
from tacitus.schema.tables import ALL_SCHEMAS, TABLES, Tables
from tacitus.validators.base import Context, Frame, empty_findings, findings_frame
from tacitus.validators.integrity import I001

TABLE_NAMES = (*TABLES, "rejected")
ANNOTATION_SUFFIXES = (".yaml", ".yml", ".json")
METADATA_KEY = b"tacitus"
"""Parquet key-value metadata key of tacitus tables (tacitus.datasets.parquet_io)."""


@dataclasses.dataclass
class Loaded:
    """What a path gave: tables, the context for the checks, and loading findings."""

    tables: dict[str, Frame]
    context: Context
    findings: pl.DataFrame = dataclasses.field(default_factory=empty_findings)
    """Problems found while reading (S and E rules, unreadable Parquet files)."""
    table_files: dict[str, str] = dataclasses.field(default_factory=dict)
    all_null: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    loaded_rules: tuple[str, ...] = ()
    """Rules applied while reading (S, E) — they count as checked."""


def load_path(path: Path) -> Loaded:
    """Read what ``tacitus validate PATH`` was given.

    Example:
        >>> load_path(Path("no/such/place"))
        Traceback (most recent call last):
        ...
        tacitus.errors.UsageError: no/such/place does not exist
    """
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    if path.is_dir():
        if (path / "dataset.toml").exists():
            return load_dataset(path)
        if any(path.glob("*.parquet")):
            return load_parquet_folder(path)
        raise UsageError(
            f"{path} is neither a dataset folder (no dataset.toml) nor a folder of built "
            "Parquet tables (no *.parquet)"
        )
    suffix = path.suffix.lower()
    if suffix in ANNOTATION_SUFFIXES:
        return load_annotation_file(path)
    if suffix == ".parquet":
        return load_parquet_file(path)
    raise UsageError(
        f"{path} is not a dataset folder, an annotation file (.yaml, .yml, .json) or a Parquet file"
    )


def _loading_rules() -> tuple[str, ...]:
    return tuple(r for r in RULES if r[0] in ("S", "E") and r[1:] < "900")


def load_dataset(dataset_dir: Path) -> Loaded:
    """Read a dataset folder's sources into tables, with the loading findings a build gives.

    Any source format (native, brat, Label Studio, INCEpTION); no build cache is used or
    written.

    Example:
        >>> loaded = load_dataset(Path("datasets/iran-pakistan-2024"))
        >>> loaded.context.input_events == loaded.tables["events"].height
        True
        >>> load_dataset(Path("tests/data/build/brat")).tables["articles"].height
        1
    """
    # Imported here, like the other readers of this module: the readers and converters
    # add about 0.1 s to every `tacitus validate` of built Parquet tables otherwise.
    from tacitus.convert.dataset_sources import read_dataset

    read = read_dataset(dataset_dir)
    return dataset_loaded(
        dataset_dir,
        read.tables,
        read.findings,
        input_events=read.events_in,
        date_floor=read.config.dataset.date_floor,
    )


def dataset_loaded(
    dataset_dir: Path,
    tables: Tables,
    findings: pl.DataFrame,
    *,
    input_events: int | None,
    date_floor: dt.date | None,
) -> Loaded:
    """What validation needs from a dataset folder's tables, however they were read.

    ``findings`` are those of reading (a findings table); ``input_events`` the events
    read (rule I004); ``date_floor`` dataset.toml's (None: the default floor).

    Example:
        >>> loaded = dataset_loaded(Path("ds"), Tables.empty(), empty_findings(), input_events=0,
        ...                         date_floor=dt.date(2020, 1, 1))
        >>> loaded.context.date_floor, loaded.findings.height
        (datetime.date(2020, 1, 1), 0)
    """
    context = Context(source=str(dataset_dir), input_events=input_events)
    if date_floor is not None:
        context.date_floor = date_floor
    frames: dict[str, Frame] = {**tables.as_dict()}
    return Loaded(
        tables=frames,
        context=context,
        findings=_as_frame(findings),
        loaded_rules=_loading_rules(),
    )


def _as_frame(findings: pl.DataFrame) -> pl.DataFrame:
    """Loading findings with exactly the columns and types of the findings table."""
    return findings.select(empty_findings().columns).cast(empty_findings().schema)


def find_dataset_dir(path: Path) -> Path | None:
    """The dataset folder an annotation file belongs to (nearest dataset.toml above it).

    Example:
        >>> find_dataset_dir(Path("datasets/iran-pakistan-2024/articles/x.yaml")).name
        'iran-pakistan-2024'
    """
    for parent in list(path.resolve().parents)[:4]:
        if (parent / "dataset.toml").is_file():
            return parent
    return None


def load_annotation_file(path: Path) -> Loaded:
    """Read one annotation file and convert it to tables.

    When the file lies in a dataset folder, that dataset's actors.yaml and date floor
    apply, as in a build.

    Example:
        >>> loaded = load_annotation_file(
        ...     Path("datasets/iran-pakistan-2024/articles/caspian-courier-2024-01-18.yaml"))
        >>> loaded.tables["articles"].height, loaded.findings.height
        (1, 0)
    """
    from tacitus.convert.native import load_document
    from tacitus.convert.to_tables import ConvertContext, documents_to_tables

    loaded = load_document(path)
    context = Context(source=str(path))
    convert = ConvertContext.create()
    dataset_dir = find_dataset_dir(path)
    if dataset_dir is not None:
        from tacitus.convert.dataset_files import load_actors, load_dataset_config

        try:
            config = load_dataset_config(dataset_dir)
        except TacitusError:
            config = None
        if config is not None and config.dataset.date_floor is not None:
            context.date_floor = config.dataset.date_floor
        actors = load_actors(dataset_dir / "actors.yaml", display_path="actors.yaml")
        convert = ConvertContext.create(actors.actors, actors_file=actors.source_file)
    assembled = documents_to_tables([loaded], convert)
    context.input_events = assembled.events_in
    frames: dict[str, Frame] = {**assembled.tables.as_dict()}
    return Loaded(
        frames,
        context,
        _as_frame(assembled.findings),
        loaded_rules=_loading_rules(),
    )


def load_parquet_folder(folder: Path) -> Loaded:
    """Scan a folder of built tables (articles.parquet, events.parquet, ...).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> pl.DataFrame({"event_id": ["a/e1"]}).write_parquet(folder / "events.parquet")
        >>> sorted(load_parquet_folder(folder).tables)
        ['events']
    """
    loaded = Loaded(tables={}, context=Context(source=str(folder)))
    for name in TABLE_NAMES:
        path = folder / f"{name}.parquet"
        if path.exists():
            _scan_into(loaded, name, path, display=str(path))
    loaded.context.input_events = _events_read(folder / BUILD_REPORT)
    return loaded


BUILD_REPORT = "build-report.json"
"""What `tacitus build` writes beside its tables; its events_in lets I004 run on them."""


def _events_read(report: Path) -> int | None:
    """``events_in`` of a build report (None when there is none or it is unreadable)."""
    try:
        value = json.loads(report.read_text(encoding="utf-8")).get("events_in")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def load_parquet_file(path: Path) -> Loaded:
    """Scan one Parquet file as the table its name (or failing that, its columns) says.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "export.parquet"
        >>> pl.DataFrame({"casualty_id": ["c1"], "kind": ["killed"]}).write_parquet(path)
        >>> sorted(load_parquet_file(path).tables)
        ['casualties']
    """
    loaded = Loaded(tables={}, context=Context(source=str(path)))
    name = table_of(path)
    _scan_into(loaded, name, path, display=str(path))
    return loaded


def table_of(path: Path) -> str:
    """Which table a Parquet file holds: its stem if that is a table name, else the
    table whose columns it shares most of.

    Example:
        >>> table_of(Path("out/events.parquet"))
        'events'
    """
    stem = path.stem.lower()
    if stem in TABLE_NAMES:
        return stem
    for name in TABLE_NAMES:
        if stem.endswith(name) or stem.startswith(name):
            return name
    try:
        columns = set(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise UsageError(f"{path}: not a readable Parquet file ({exc})") from None
    scores = {n: len(columns & set(ALL_SCHEMAS[n].names)) for n in TABLE_NAMES}
    best = max(scores, key=lambda n: scores[n])
    if scores[best] == 0:
        raise UsageError(f"{path}: its columns match none of the tables ({', '.join(TABLE_NAMES)})")
    return best


def _scan_into(loaded: Loaded, name: str, path: Path, *, display: str) -> None:
    loaded.table_files[name] = display
    try:
        metadata = pq.read_metadata(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        problem = I001.finding(
            source_file=display, table=name, name=name, detail=f"cannot read the file ({exc})"
        )
        loaded.findings = pl.concat([loaded.findings, findings_frame([problem])])
        return
    loaded.tables[name] = pl.scan_parquet(path)
    loaded.all_null[name] = _all_null_from_metadata(metadata)
    loaded.context.apply_metadata(table_metadata(metadata))


def table_metadata(metadata: Any) -> dict[str, str]:
    """The ``tacitus`` key-value metadata of a Parquet file (source format, schemes), as
    ``tacitus convert`` and builds write it; empty when absent or unreadable.

    Example:
        >>> import pyarrow as pa, tempfile
        >>> path = Path(tempfile.mkdtemp()) / "events.parquet"
        >>> table = pa.table({"a": [1]}).replace_schema_metadata(
        ...     {b"tacitus": b'{"tacitus.source_format": "ucdp"}'})
        >>> pq.write_table(table, path)
        >>> table_metadata(pq.read_metadata(path))
        {'tacitus.source_format': 'ucdp'}
    """
    raw = (getattr(metadata, "metadata", None) or {}).get(METADATA_KEY)
    if raw is None:
        return {}
    try:
        values = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(values, dict):
        return {}
    return {str(k): v for k, v in values.items() if isinstance(v, str)}


def _all_null_from_metadata(metadata: Any) -> set[str]:
    """Columns every row group's statistics say are entirely null (or no rows at all)."""
    paths = [metadata.schema.column(i).path for i in range(metadata.num_columns)]
    if metadata.num_rows == 0:
        return {p.split(".")[0] for p in paths}
    result = set()
    for i, name in enumerate(paths):
        if "." in name:  # a nested (list) column: leaf statistics say nothing of the rows
            continue
        all_null = True
        for g in range(metadata.num_row_groups):
            group = metadata.row_group(g)
            stats = group.column(i).statistics
            if stats is None or not stats.has_null_count or stats.null_count != group.num_rows:
                all_null = False
                break
        if all_null:
            result.add(name)
    return result
