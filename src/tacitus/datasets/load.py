"""Load a published release: a local folder or an http(s) URL of one.

:func:`load` checks every file it reads against the release's ``SHA256SUMS`` before
reading it, then checks each table against its pandera model, and returns polars
LazyFrames (or pandas DataFrames). A corrupted, truncated or missing file is refused
with an :class:`~tacitus.errors.IntegrityError` that names it; nothing is returned.

From a URL, the files are downloaded into a cache folder (``TACITUS_CACHE``, else
``$XDG_CACHE_HOME/tacitus``, else ``~/.cache/tacitus``): ``SHA256SUMS`` every time, then
``datapackage.json`` and the requested tables' files unless the cached copy already has
the listed checksum. The other files (pages, reports) are not downloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from tacitus.atomic import write_bytes_atomic
from tacitus.datasets import checksums
from tacitus.errors import InputError, IntegrityError, UsageError
from tacitus.schema.tables import ALL_SCHEMAS

if TYPE_CHECKING:
    import pandas as pd

PACKAGE_FILE = "datapackage.json"
_TIMEOUT = 60.0
_CHUNK = 1 << 20


@overload
def load(
    source: str | os.PathLike[str],
    *,
    tables: Iterable[str] | None = None,
    pandas: Literal[False] = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> dict[str, pl.LazyFrame]: ...


@overload
def load(
    source: str | os.PathLike[str],
    *,
    tables: Iterable[str] | None = None,
    pandas: Literal[True],
    cache_dir: str | os.PathLike[str] | None = None,
) -> dict[str, pd.DataFrame]: ...


def load(
    source: str | os.PathLike[str],
    *,
    tables: Iterable[str] | None = None,
    pandas: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> dict[str, pl.LazyFrame] | dict[str, pd.DataFrame]:
    """Read a release's tables, verified: ``{"events": LazyFrame, ...}``.

    ``source`` is a release folder (``releases/NAME/VERSION``) or an http(s) URL of one.
    ``tables`` picks tables by name (default: all); ``pandas=True`` returns pandas
    DataFrames instead of polars LazyFrames. Raises IntegrityError when a file does not
    match SHA256SUMS or a table does not match its model; UsageError for an unknown table.

    Example:
        >>> import tacitus
        >>> tables = tacitus.load("releases/iran-pakistan-2024/0.1.0")   # doctest: +SKIP
        >>> tables["events"].select("event_id", "event_code").collect()   # doctest: +SKIP
    """
    text = os.fspath(source)
    wanted = None if tables is None else list(dict.fromkeys(tables))
    if text.startswith(("http://", "https://")):
        root, checked = _download(text, wanted, _cache_root(cache_dir))
        sums = checksums.read_sums(root)
    else:
        root = Path(text)
        if not root.is_dir():
            raise UsageError(f"{root} is not a release folder")
        sums = checksums.read_sums(root)
        checksums.verify_sums(root, sums)  # every listed file, before reading any
        checked = set(sums)
    package = _package(root, sums)
    resources = _resources(package)
    names = list(resources) if wanted is None else wanted
    unknown = [n for n in names if n not in resources]
    if unknown:
        raise UsageError(
            f"no table {', '.join(unknown)} in this release (it has {', '.join(resources)})"
        )
    frames: dict[str, pl.DataFrame] = {}
    for name in names:
        paths = resources[name]
        for path in paths:
            if path not in sums:
                raise IntegrityError(f"{path}: not listed in SHA256SUMS; refusing to load it")
            if path not in checked:
                checksums.verify_file(root, path, sums[path])
        frames[name] = _read_table(root, name, paths)
    if pandas:
        try:
            import pandas as _  # noqa: F401  (to_pandas needs it; say so in one line)
        except ImportError:
            raise UsageError("load(..., pandas=True) needs pandas: pip install pandas") from None
        return {name: frame.to_pandas() for name, frame in frames.items()}
    return {name: frame.lazy() for name, frame in frames.items()}


def _package(root: Path, sums: Mapping[str, str]) -> dict[str, Any]:
    if PACKAGE_FILE not in sums:
        raise IntegrityError(f"{PACKAGE_FILE}: not listed in SHA256SUMS (not a tacitus release?)")
    checksums.verify_file(root, PACKAGE_FILE, sums[PACKAGE_FILE])
    try:
        package = json.loads((root / PACKAGE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IntegrityError(f"{PACKAGE_FILE}: unreadable ({exc})") from None
    if not isinstance(package, dict):
        raise IntegrityError(f"{PACKAGE_FILE}: not a Data Package object")
    return package


def _resources(package: Mapping[str, Any]) -> dict[str, list[str]]:
    """Table name → its file paths, from datapackage.json."""
    result: dict[str, list[str]] = {}
    resources = package.get("resources", [])
    if not isinstance(resources, list):
        raise IntegrityError(f"{PACKAGE_FILE}: resources is not a list")
    for resource in resources:
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            raise IntegrityError(f"{PACKAGE_FILE}: a resource without a name")
        path = resource.get("path")
        paths = [path] if isinstance(path, str) else path
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise IntegrityError(f"{PACKAGE_FILE}: resource {resource['name']} has no path")
        result[resource["name"]] = paths
    return result


def _read_table(root: Path, name: str, paths: list[str]) -> pl.DataFrame:
    schema = ALL_SCHEMAS.get(name)
    parts = []
    for path in paths:
        try:
            table = pq.ParquetFile(root / path).read()  # no partition inference: exact columns
        except (OSError, pa.ArrowException) as exc:
            raise IntegrityError(f"{path}: not a readable Parquet file ({exc})") from None
        if schema is not None:
            try:
                table = table.select(schema.names).cast(schema)
            except (KeyError, pa.ArrowException) as exc:
                raise IntegrityError(
                    f"{path}: columns do not match the {name} table ({exc})"
                ) from None
        parts.append(table)
    combined = pa.concat_tables(parts) if len(parts) != 1 else parts[0]
    frame = pl.from_arrow(combined)
    assert isinstance(frame, pl.DataFrame)
    if schema is not None:
        _validate(name, frame, paths)
    return frame


def _validate(name: str, frame: pl.DataFrame, paths: list[str]) -> None:
    import pandera.errors

    from tacitus.schema.models import validate_table

    try:
        validate_table(name, frame)
    except (pandera.errors.SchemaError, pandera.errors.SchemaErrors) as exc:
        first = str(exc).strip().splitlines()
        detail = " ".join(first[:6])[:400]
        raise IntegrityError(
            f"{', '.join(paths)}: the {name} table fails its model: {detail}"
        ) from None


# --- downloading ---------------------------------------------------------------------------


def _cache_root(cache_dir: str | os.PathLike[str] | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir)
    if os.environ.get("TACITUS_CACHE"):
        return Path(os.environ["TACITUS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tacitus"


def cache_folder(url: str, cache_root: Path) -> Path:
    """The cache folder of a release URL (one per URL, named after it).

    Example:
        >>> cache_folder("https://example.org/r/demo/1/", Path("/c")).parent
        PosixPath('/c/releases')
    """
    base = url.rstrip("/")
    slug = "-".join(base.split("/")[-2:])
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in slug)[:60]
    digest = hashlib.sha256(base.encode("utf-8")).hexdigest()[:12]
    return cache_root / "releases" / f"{safe}-{digest}"


def _download(url: str, wanted: list[str] | None, cache_root: Path) -> tuple[Path, set[str]]:
    """Fetch SHA256SUMS, datapackage.json and the wanted tables' files; verify each."""
    base = url if url.endswith("/") else url + "/"
    folder = cache_folder(base, cache_root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the cache folder {folder}: {exc.strerror}") from None
    sums_text = _fetch_bytes(base, checksums.SUMS_FILE)
    try:
        sums = checksums.parse_sums(sums_text.decode("utf-8"), name=f"{base}SHA256SUMS")
    except UnicodeDecodeError:
        raise IntegrityError(f"{base}SHA256SUMS: not UTF-8") from None
    if PACKAGE_FILE not in sums:
        raise IntegrityError(f"{PACKAGE_FILE}: not listed in SHA256SUMS (not a tacitus release?)")
    checked = {PACKAGE_FILE}
    _fetch_verified(base, PACKAGE_FILE, sums[PACKAGE_FILE], folder)
    resources = _resources(_package(folder, sums))
    names = list(resources) if wanted is None else [n for n in wanted if n in resources]
    for name in names:
        for path in resources[name]:
            if path not in sums:
                raise IntegrityError(f"{path}: not listed in SHA256SUMS; refusing to load it")
            _fetch_verified(base, path, sums[path], folder)
            checked.add(path)
    # Written last: a cache folder with SHA256SUMS has verified copies of what it lists.
    write_bytes_atomic(folder / checksums.SUMS_FILE, sums_text)
    return folder, checked


def _fetch_verified(base: str, path: str, expected: str, folder: Path) -> None:
    target = folder / path
    if target.is_file() and checksums.sha256_file(target) == expected:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as sink, _open(base, path) as response:
            while chunk := response.read(_CHUNK):
                digest.update(chunk)
                sink.write(chunk)
        actual = digest.hexdigest()
        if actual != expected:
            raise IntegrityError(
                f"{path}: checksum mismatch after download (expected {expected[:11]}…, got "
                f"{actual[:11]}…): corrupted or truncated; not loaded"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _fetch_bytes(base: str, path: str) -> bytes:
    with _open(base, path) as response:
        data: bytes = response.read()
    return data


def _open(base: str, path: str) -> Any:
    url = urllib.parse.urljoin(base, urllib.parse.quote(path, safe="/=._-"))
    request = urllib.request.Request(url, headers={"User-Agent": "tacitus-load"})
    try:
        return urllib.request.urlopen(request, timeout=_TIMEOUT)
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and path != checksums.SUMS_FILE:
            raise IntegrityError(f"{path}: listed in SHA256SUMS but missing ({url}: 404)") from None
        raise InputError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"{url}: {reason}") from None
