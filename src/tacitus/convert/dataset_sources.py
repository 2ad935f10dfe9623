"""Read a dataset folder's sources into its tables: which files, how each is read, and
what the dataset-wide files add.

The build (``tacitus.datasets.build``, cached and incremental) and validation
(``tacitus.validators.loading``, which may not depend on the build) both read dataset
folders. What they share lives here, so the two see the same files and give the same
findings:

- :func:`source_paths`: the source files of ``[sources]`` (native YAML/JSON, or the
  brat/Label Studio/INCEpTION files ``tacitus.convert.readers.source_files`` lists);
- :func:`read_source`: one source file's articles, a refused file being one rejected record;
- :func:`with_actor_findings`: actors.yaml's problems among the loading findings;
- :func:`actors_file_sha256`: the one actors.yaml problem that stops a dataset (not UTF-8);
- :func:`read_dataset`: all of it, in memory and without a cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import polars as pl

from tacitus.convert.dataset_files import (
    ACTORS_FILE,
    DATASET_FILE,
    load_actors,
    load_dataset_config,
)
from tacitus.convert.native import NATIVE_SUFFIXES, LoadResult
from tacitus.convert.readers import read_documents, source_files
from tacitus.convert.to_tables import (
    ArticleRows,
    ConvertContext,
    assemble_tables,
    convert_source,
    finding_row,
    parts_from_rows,
)
from tacitus.errors import InputError, TacitusError
from tacitus.schema.dataset import DatasetConfig
from tacitus.schema.rules import S001, Finding
from tacitus.schema.tables import Tables, frame_from_rows


@dataclasses.dataclass
class DatasetTables:
    """A dataset folder read into tables.

    ``findings`` are those of reading (S and E rules, actors.yaml's included), as a build
    gives them; ``events_in`` counts every event read, kept or rejected (rule I004).
    """

    config: DatasetConfig
    tables: Tables
    findings: pl.DataFrame
    events_in: int


def read_dataset(dataset_dir: Path) -> DatasetTables:
    """Read every source file of a dataset folder into its tables, in memory.

    The same tables and findings as ``tacitus.datasets.build.build_tables``, without its
    cache, process pool or output checks. Raises UsageError/InputError when the dataset
    cannot be read at all (no dataset.toml, no sources folder, actors.yaml not UTF-8).

    Example:
        >>> read = read_dataset(Path("tests/data/build/brat"))
        >>> read.config.sources.format, read.tables.articles.height
        ('brat', 1)
        >>> read.events_in == read.tables.events.height + read.tables.rejected.height
        True
    """
    config = load_dataset_config(dataset_dir)
    actors_path = dataset_dir / ACTORS_FILE
    actors_file_sha256(actors_path)  # stops here, as a build does, when not UTF-8
    actors = load_actors(actors_path, display_path=ACTORS_FILE)
    ctx = ConvertContext.create(actors.actors, ACTORS_FILE)
    rows: list[ArticleRows] = []
    for path in source_paths(dataset_dir, config):
        name = path.relative_to(dataset_dir).as_posix()
        rows.extend(convert_source(read_source(config.sources.format, path, name), ctx))
    assembled = assemble_tables([parts_from_rows(rows)], ctx)
    findings = with_actor_findings(assembled.findings, actors.problems)
    return DatasetTables(config, assembled.tables, findings, assembled.events_in)


def source_paths(dataset_dir: Path, config: DatasetConfig) -> list[Path]:
    """The source files of a dataset, sorted by their path in the dataset folder.

    ``[sources] path`` may name one file or a folder; in a folder, hidden files and
    folders are skipped. A native dataset's sources are its ``.yaml``/``.yml``/``.json``
    files; the other formats' are those :func:`tacitus.convert.readers.source_files` lists
    (companions such as brat's ``.txt`` are read with their source). Raises InputError
    when the sources path does not exist.

    Example:
        >>> folder = Path("tests/data/build/brat")
        >>> [p.name for p in source_paths(folder, load_dataset_config(folder))]
        ['caspian-courier.ann']
    """
    root = dataset_dir / config.sources.path
    if not root.exists():
        raise InputError(
            f"{dataset_dir / DATASET_FILE}: sources path {config.sources.path!r} does not exist"
        )
    if root.is_file():
        paths = [root]
    elif config.sources.format == "native":
        paths = list(_native_files(root))
    else:
        paths = source_files(config.sources.format, root)
    return sorted(paths, key=lambda p: p.relative_to(dataset_dir).as_posix())


def _native_files(folder: Path) -> Iterator[Path]:
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    for entry in ordered:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _native_files(Path(entry.path))
        elif entry.is_file() and entry.name.lower().endswith(NATIVE_SUFFIXES):
            yield Path(entry.path)


def read_source(format: str, path: Path, name: str, content_sha256: str = "") -> list[LoadResult]:
    """The articles of one source file, named ``name`` in findings.

    A file the reader refuses (not UTF-8, not that format) is one record with no document
    and the reader's one-line reason as an S001 finding, so its absence is reported and
    counted rather than stopping the dataset. ``content_sha256`` is that record's content
    hash (the build's hash of the source's files).

    Example:
        >>> rs = read_source("brat", Path("tests/data/build/brat/articles/caspian-courier.ann"),
        ...                  "articles/caspian-courier.ann")
        >>> rs[0].source_file, rs[0].document is not None
        ('articles/caspian-courier.ann', True)
        >>> [p.rule for p in read_source("labelstudio", Path("README.md"), "README.md")[0].problems]
        ['S001']
    """
    try:
        return read_documents(format, path, display_path=name)
    except TacitusError as exc:
        detail = str(exc).replace(str(path), name)
        problem = S001.finding(source_file=name, detail=detail)
        return [LoadResult(name, None, [problem], [], None, content_sha256)]


def with_actor_findings(findings: pl.DataFrame, problems: Sequence[Finding]) -> pl.DataFrame:
    """Loading findings with actors.yaml's problems among them, in file and line order.

    Example:
        >>> from tacitus.schema.tables import empty_frame
        >>> problem = S001.finding(source_file="actors.yaml", detail="x")
        >>> with_actor_findings(empty_frame("findings"), [problem])["rule"].to_list()
        ['S001']
    """
    if not problems:
        return findings
    extra = frame_from_rows("findings", [finding_row(p) for p in problems])
    return pl.concat([extra, findings], how="vertical").sort(
        ["source_file", "source_line", "rule", "message"], nulls_last=False, maintain_order=True
    )


def actors_file_sha256(path: Path) -> str:
    """The sha256 of an actors.yaml ("" when there is none); InputError when not UTF-8.

    A dataset-wide file that cannot even be decoded stops the dataset (every derived actor
    column would be wrong); problems inside it are findings (:func:`load_actors`).

    Example:
        >>> actors_file_sha256(Path("tests/data/build/brat/actors.yaml"))
        ''
    """
    if not path.is_file():
        return ""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 (byte {exc.start})") from None
    return hashlib.sha256(raw).hexdigest()
