"""Write and read the built tables as Parquet: deterministic bytes, atomic replacement.

Determinism: every table is written from one contiguous chunk with fixed writer settings
(zstd level 3, one row group per 1,048,576 rows, statistics on) and file metadata that
holds no time of day, so the same tables always give the same bytes (with the same
pyarrow). Atomicity: :func:`atomic_directory` writes a whole output folder as a temporary
sibling folder and swaps it into place (an atomic exchange on Linux, else two renames),
so a build that fails or is interrupted leaves the previous output as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from tacitus.atomic import temporary_folder
from tacitus.errors import InputError, OutputError
from tacitus.schema.tables import ALL_SCHEMAS, TABLES, Tables, empty_frame, polars_schema, to_arrow

__all__ = [
    "METADATA_KEY",
    "atomic_directory",
    "read_metadata",
    "read_table",
    "read_tables",
    "write_table",
    "write_tables",
]

METADATA_KEY = b"tacitus"
"""Parquet file-metadata key holding the build's JSON metadata."""

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3
ROW_GROUP_SIZE = 1 << 20

_TEMP_MARK = ".tmp-"
_OLD_MARK = ".old-"


def write_table(name: str, frame: pl.DataFrame, path: Path, metadata: Mapping[str, str]) -> None:
    """Write one table as Parquet with its Arrow schema and ``metadata`` (deterministic).

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "rejected.parquet"
        >>> write_table("rejected", empty_frame("rejected"), p, {"dataset": "demo"})
        >>> read_metadata(p)["dataset"]
        'demo'
    """
    table = to_arrow(name, frame).combine_chunks()
    merged = dict(table.schema.metadata or {})
    merged[METADATA_KEY] = json.dumps(dict(metadata), sort_keys=True).encode("utf-8")
    table = table.replace_schema_metadata(merged)
    pq.write_table(
        table,
        path,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        row_group_size=ROW_GROUP_SIZE,
        write_statistics=True,
        use_dictionary=True,
    )


def write_tables(
    tables: Tables,
    out_dir: str | Path,
    metadata: Mapping[str, str],
    *,
    extra: Mapping[str, pl.DataFrame] | None = None,
) -> list[Path]:
    """Write the tables (and ``extra`` frames, e.g. findings) as ``<name>.parquet``, atomically.

    The folder ``out_dir`` is replaced as a whole: either every file is the new one or
    (on any failure) the previous folder is untouched. Each file's metadata is
    ``metadata`` plus ``table``. Returns the paths written.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "build"
        >>> [p.name for p in write_tables(Tables.empty(), out, {"dataset": "demo"})][:2]
        ['articles.parquet', 'events.parquet']
    """
    out_dir = Path(out_dir)
    with atomic_directory(out_dir) as tmp:
        names = write_frames(tables, tmp, metadata, extra=extra)
    return [out_dir / name for name in names]


def write_frames(
    tables: Tables,
    folder: Path,
    metadata: Mapping[str, str],
    *,
    extra: Mapping[str, pl.DataFrame] | None = None,
) -> list[str]:
    """Write every table into an existing folder (not atomic: see :func:`write_tables`).

    Example:
        >>> import tempfile
        >>> write_frames(Tables.empty(), Path(tempfile.mkdtemp()), {})[-1]
        'rejected.parquet'
    """
    frames = {**tables.as_dict(), **dict(extra or {})}
    written = []
    for name, frame in frames.items():
        filename = f"{name}.parquet"
        write_table(name, frame, folder / filename, {**metadata, "table": name})
        written.append(filename)
    return written


def read_table(path: str | Path, name: str) -> pl.DataFrame:
    """Read one table written by :func:`write_table`, with exactly its polars schema.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "events.parquet"
        >>> write_table("events", empty_frame("events"), p, {})
        >>> read_table(p, "events").columns[0]
        'event_id'
    """
    path = Path(path)
    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    schema = ALL_SCHEMAS[name]
    missing = [c for c in schema.names if c not in table.column_names]
    if missing:
        raise InputError(f"{path}: not a tacitus {name} table (no column {missing[0]})")
    frame = pl.from_arrow(table.select(schema.names))
    assert isinstance(frame, pl.DataFrame)
    return frame.cast(polars_schema(schema))


def read_tables(folder: str | Path) -> Tables:
    """Read a built dataset folder (``articles.parquet`` ... ``rejected.parquet``).

    A folder without ``rejected.parquet`` (e.g. a published release) has no rejected rows.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "build"
        >>> _ = write_tables(Tables.empty(), out, {})
        >>> read_tables(out).events.height
        0
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of built tables")
    frames: dict[str, pl.DataFrame] = {}
    for name in (*TABLES, "rejected"):
        path = folder / f"{name}.parquet"
        if not path.exists():
            if name == "rejected":
                frames[name] = empty_frame(name)
                continue
            raise InputError(f"{folder} has no {name}.parquet: not a built dataset")
        frames[name] = read_table(path, name)
    return Tables(**frames)


def read_metadata(path: str | Path) -> dict[str, str]:
    """The tacitus metadata of a Parquet file written by :func:`write_table` ({} if none).

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "actors.parquet"
        >>> write_table("actors", empty_frame("actors"), p, {"version": "1"})
        >>> read_metadata(p)
        {'version': '1'}
    """
    schema = pq.read_schema(path)
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        return {}
    value = json.loads(raw.decode("utf-8"))
    return {str(k): str(v) for k, v in value.items()}


# --- atomic output folders -----------------------------------------------------------------


def check_output_dir(target: Path) -> None:
    """Raise OutputError when ``target`` cannot be a (replaceable) output folder.

    Example:
        >>> import tempfile
        >>> check_output_dir(Path(tempfile.mkdtemp()) / "build")
    """
    if target.exists() and not target.is_dir():
        raise OutputError(f"output path {target} is a file, not a folder")
    if target.is_dir() and not os.access(target, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {target} is read-only")
    parent = _existing_ancestor(target.parent)
    if not parent.is_dir():
        raise OutputError(f"cannot create output folder {target}: {parent} is a file")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write output folder {target}: {parent} is read-only")


@contextlib.contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a temporary folder next to ``target``; on success it replaces ``target``.

    On any exception (or interruption) the temporary folder is removed and ``target`` is
    left exactly as it was. Raises OutputError when the output cannot be written.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "build"
        >>> with atomic_directory(out) as tmp:
        ...     _ = (tmp / "x.txt").write_text("new")
        >>> (out / "x.txt").read_text()
        'new'
    """
    target = Path(target)
    check_output_dir(target)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(parent, target.name)
        tmp = temporary_folder(parent, temporary_prefix(target.name))
    except OSError as exc:
        raise OutputError(f"cannot write output folder {target}: {_strerror(exc)}") from None
    try:
        yield tmp
        _swap(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap(tmp: Path, target: Path) -> None:
    """Put ``tmp`` in place of ``target`` (atomically where the OS allows)."""
    try:
        os.rename(tmp, target)  # target absent (or an empty folder: POSIX replaces it)
        return
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise OutputError(f"cannot replace {target}: {_strerror(exc)}") from None
    if _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous output
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}{_OLD_MARK}", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except OSError as exc:
        os.rename(old, target)
        raise OutputError(f"cannot replace {target}: {_strerror(exc)}") from None
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.restype = ctypes.c_int
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def temporary_prefix(name: str) -> str:
    """The name prefix of this process's temporary folders for the output ``name``.

    Example:
        >>> temporary_prefix("build") == f".build.tmp-{os.getpid()}-"
        True
    """
    return f".{name}{_TEMP_MARK}{os.getpid()}-"


def remove_stale_temporaries(parent: Path, name: str) -> None:
    """Remove temporary folders that commands killed outright (their process is gone) left.

    Example:
        >>> import tempfile
        >>> parent = Path(tempfile.mkdtemp())
        >>> (parent / ".build.tmp-999999999-x").mkdir()
        >>> remove_stale_temporaries(parent, "build"); list(parent.iterdir())
        []
    """
    for path in parent.glob(f".{name}{_TEMP_MARK}*"):
        pid_text = path.name[len(f".{name}{_TEMP_MARK}") :].split("-", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(path, ignore_errors=True)
    for path in parent.glob(f".{name}{_OLD_MARK}*"):
        if (parent / name).is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _strerror(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
