"""The build cache: each annotation file's converted rows, reused while the file is unchanged.

Lives in ``DATASET_DIR/.tacitus-cache/``. Two levels, so that a no-change rebuild only
stats files:

- ``files.arrow``: for every source file, its size and modification time (ns) when last
  seen, the SHA-256 of its bytes and the segment holding its rows. A file whose size and
  mtime are unchanged is taken to have the same content without being read; one that
  changed (or was new when seen: its stat is not trusted, so a write within the same
  clock tick is never missed) is re-hashed, and re-parsed only if its hash changed.
- ``seg-*/<table>.arrow``: rows of converted files (Arrow IPC, lz4), one folder per build
  that parsed something; live rows are those of files whose entry names that segment.
  Segments are compacted into one when there are many or most of their rows are stale.

The whole cache is keyed (:func:`cache_key`) by the tacitus version, a digest of the
conversion code, the codebook version and the actors.yaml hash, since derived columns
depend on them: any change empties it. A cache that cannot be read is ignored, one that
cannot be written is skipped: neither ever fails a build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import polars as pl
import pyarrow as pa

from tacitus import __version__
from tacitus.convert.to_tables import PART_TABLES, Parts

__all__ = ["CACHE_DIR", "NEW_SEGMENT", "ArticleCache", "FileState", "cache_key"]

CACHE_DIR = ".tacitus-cache"
FORMAT = "1"
STATE_FILE = "files.arrow"
NEW_SEGMENT = "+new"
"""``FileState.segment`` of a file parsed in this build: its rows are the new segment."""
MAX_SEGMENTS = 8
STALE_FRACTION = 0.5

_CODE_MODULES = (
    "tacitus.convert.to_tables",
    "tacitus.convert.native",
    "tacitus.convert.yamlmarks",
    "tacitus.convert.dates",
    "tacitus.convert.numbers",
    "tacitus.convert.readers",
    "tacitus.convert.brat",
    "tacitus.convert.labelstudio",
    "tacitus.convert.inception",
    "tacitus.convert.offsets",
    "tacitus.schema.document",
    "tacitus.schema.tables",
    "tacitus.schema.rules",
)

_STATE_SCHEMA = pl.Schema(
    {
        "source_file": pl.String,
        "size": pl.Int64,
        "mtime_ns": pl.Int64,
        "sha256": pl.String,
        "segment": pl.String,
    }
)


@dataclasses.dataclass(frozen=True)
class FileState:
    """What the cache knows of one source file (``mtime_ns`` -1: stat not trusted)."""

    source_file: str
    size: int
    mtime_ns: int
    sha256: str
    segment: str | None


def cache_key(codebook_version: str, actors_sha256: str) -> dict[str, str]:
    """The key every cached row depends on; a different key empties the cache.

    Example:
        >>> sorted(cache_key("cb-1", "abc"))
        ['actors_sha256', 'code_sha256', 'codebook', 'format', 'tacitus']
    """
    return {
        "format": FORMAT,
        "tacitus": __version__,
        "code_sha256": _code_digest(),
        "codebook": codebook_version,
        "actors_sha256": actors_sha256,
    }


def _code_digest() -> str:
    """SHA-256 of the conversion code, so an edited (unreleased) converter empties the cache."""
    digest = hashlib.sha256()
    for name in _CODE_MODULES:
        module = importlib.import_module(name)
        path = getattr(module, "__file__", None)
        digest.update(name.encode())
        if path:
            with contextlib.suppress(OSError):
                digest.update(Path(path).read_bytes())
    return digest.hexdigest()


class ArticleCache:
    """Converted rows of source files, by (path, content hash).

    Example:
        >>> import tempfile
        >>> cache = ArticleCache.open(Path(tempfile.mkdtemp()), cache_key("cb", ""))
        >>> cache.known_sha("articles/a.yaml", 10, 123) is None
        True
    """

    def __init__(self, folder: Path | None, key: Mapping[str, str]) -> None:
        self.folder = folder
        self.key = dict(key)
        self.files: dict[str, FileState] = {}
        self.segments: dict[str, int] = {}
        self.note: str | None = None

    @classmethod
    def open(cls, folder: Path | None, key: Mapping[str, str]) -> ArticleCache:
        """The cache in ``folder`` if its key is ``key``, else an empty one there.

        ``folder`` None gives a cache that neither reads nor writes (``--no-cache``).
        """
        cache = cls(folder, key)
        if folder is None:
            cache.note = "cache off"
            return cache
        state = folder / STATE_FILE
        if not state.exists():
            return cache
        try:
            frame, meta = _read_state(state)
        except (OSError, ValueError, pa.ArrowException, pl.exceptions.PolarsError) as exc:
            cache.note = f"cache unreadable ({exc.__class__.__name__}); rebuilt"
            return cache
        if meta.get("key") != cache.key:
            cache.note = (
                "cache key changed (tacitus, conversion code, codebook or actors.yaml); rebuilt"
            )
            return cache
        segments = meta.get("segments", {})
        assert isinstance(segments, dict)
        cache.segments = {str(k): int(v) for k, v in segments.items()}
        for row in frame.iter_rows(named=True):
            cache.files[row["source_file"]] = FileState(**row)
        return cache

    # -- lookups -----------------------------------------------------------------------

    def known_sha(self, source_file: str, size: int, mtime_ns: int) -> str | None:
        """The content hash of a file whose size and mtime are as last seen, else None."""
        state = self.files.get(source_file)
        if state is None or state.mtime_ns < 0:
            return None
        if state.size == size and state.mtime_ns == mtime_ns:
            return state.sha256
        return None

    def cached_sha(self, source_file: str) -> str | None:
        """The content hash whose rows are cached for ``source_file`` (None if none)."""
        state = self.files.get(source_file)
        if state is None or state.segment is None or state.segment not in self.segments:
            return None
        return state.sha256

    def load(self, source_files: Iterable[str]) -> list[Parts]:
        """The cached rows of ``source_files`` (each must have :meth:`cached_sha`)."""
        by_segment: dict[str, set[str]] = {}
        for source_file in source_files:
            segment = self.files[source_file].segment
            assert segment is not None
            by_segment.setdefault(segment, set()).add(source_file)
        assert self.folder is not None or not by_segment
        loaded = []
        for segment in sorted(by_segment):
            wanted = by_segment[segment]
            parts = self._read_segment(segment)
            if _n_sources(parts) != len(wanted):
                keep = pl.col("source_file").is_in(sorted(wanted))
                parts = {name: frame.filter(keep) for name, frame in parts.items()}
            loaded.append(parts)
        return loaded

    def _read_segment(self, segment: str) -> Parts:
        assert self.folder is not None
        folder = self.folder / segment
        return {name: pl.read_ipc(folder / f"{name}.arrow") for name in PART_TABLES}

    # -- saving ------------------------------------------------------------------------

    def save(
        self,
        states: Iterable[FileState],
        new_parts: Parts | None,
        all_parts: list[Parts] | None,
    ) -> None:
        """Record the files seen in this build and the rows of those parsed in it.

        ``states`` are all current source files; those parsed in this build have
        ``segment`` :data:`NEW_SEGMENT` (their rows are in ``new_parts``), or None when they
        may not be cached (an article whose text is in a separate file). ``all_parts``
        (every live cacheable row, cached and new) is written as one segment when
        compaction is due (None: no compaction this time). Never raises.
        """
        if self.folder is None:
            return
        try:
            self._save(list(states), new_parts, all_parts)
        except (OSError, pa.ArrowException, pl.exceptions.PolarsError) as exc:
            self.note = f"cache not written ({exc.__class__.__name__}: {exc})"

    def _save(
        self, states: list[FileState], new_parts: Parts | None, all_parts: list[Parts] | None
    ) -> None:
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        new_segment = None
        if new_parts is not None and _n_sources(new_parts):
            new_segment = self._write_segment(new_parts)
        final: list[FileState] = []
        for state in states:
            segment = new_segment if state.segment == NEW_SEGMENT else state.segment
            final.append(dataclasses.replace(state, segment=segment))
        live: dict[str, int] = {}
        for state in final:
            if state.segment is not None:
                live[state.segment] = live.get(state.segment, 0) + 1
        segments = {**self.segments, **self._new(new_segment, new_parts)}
        stored = sum(n for s, n in segments.items() if s in live)
        stale = stored - sum(live.values())
        due = len(live) > MAX_SEGMENTS or (stored and stale / stored > STALE_FRACTION)
        if due and all_parts is not None:
            merged = _merge(all_parts)
            compact = self._write_segment(merged)
            cacheable = set(merged["files"]["source_file"].to_list())
            final = [
                dataclasses.replace(s, segment=compact if s.source_file in cacheable else None)
                for s in final
            ]
            live = {compact: len(cacheable)}
            segments = {compact: _n_sources(merged)}
        self._write_state(final, {s: segments[s] for s in live})
        for segment in set(self.segments) | set(segments):
            if segment not in live:
                shutil.rmtree(self.folder / segment, ignore_errors=True)
        self.segments = {s: segments[s] for s in live}
        self.files = {s.source_file: s for s in final}

    @staticmethod
    def _new(segment: str | None, parts: Parts | None) -> dict[str, int]:
        if segment is None or parts is None:
            return {}
        return {segment: _n_sources(parts)}

    def _write_segment(self, parts: Parts) -> str:
        assert self.folder is not None
        segment = f"seg-{secrets.token_hex(6)}"
        tmp = self.folder / f".{segment}.tmp"
        tmp.mkdir()
        for name in PART_TABLES:
            parts[name].write_ipc(tmp / f"{name}.arrow", compression="lz4")
        os.rename(tmp, self.folder / segment)
        return segment

    def _write_state(self, states: list[FileState], segments: Mapping[str, int]) -> None:
        assert self.folder is not None
        frame = pl.DataFrame(
            [dataclasses.astuple(s) for s in states], schema=_STATE_SCHEMA, orient="row"
        )
        meta = json.dumps({"key": self.key, "segments": dict(segments)}, sort_keys=True)
        table = frame.to_arrow().replace_schema_metadata({_META_KEY: meta.encode("utf-8")})
        tmp = self.folder / f".{STATE_FILE}.{secrets.token_hex(4)}.tmp"
        options = pa.ipc.IpcWriteOptions(compression="lz4")
        with (
            pa.OSFile(str(tmp), "wb") as sink,
            pa.ipc.new_file(sink, table.schema, options=options) as writer,
        ):
            writer.write_table(table)
        os.replace(tmp, self.folder / STATE_FILE)


_META_KEY = b"tacitus-cache"


def _read_state(path: Path) -> tuple[pl.DataFrame, dict[str, object]]:
    """The file-state table and its metadata (key, segments)."""
    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    raw = (table.schema.metadata or {}).get(_META_KEY, b"{}")
    meta = json.loads(raw.decode("utf-8"))
    if not isinstance(meta, dict):
        raise ValueError("cache metadata is not a mapping")
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.cast(_STATE_SCHEMA), meta


def _n_sources(parts: Parts) -> int:
    """Source files in ``parts`` (a Label Studio export is one file of many articles)."""
    return int(parts["files"]["source_file"].n_unique())


def _merge(parts: list[Parts]) -> Parts:
    merged: Parts = {}
    for name in PART_TABLES:
        frames = [p[name] for p in parts if name in p]
        merged[name] = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
    return merged
