"""Build a dataset folder into its tables: incremental, deterministic, atomic, lossless.

``build_tables(DATASET_DIR)`` reads ``dataset.toml``, ``actors.yaml`` and every annotation
file of the sources folder and returns the tables in memory (``tacitus validate`` and
``tacitus publish`` call it); ``build_dataset(DATASET_DIR, OUT)`` also writes them as
Parquet with ``build-report.json`` (``tacitus build``). See docs/build.md.

- Sources: ``dataset.toml``'s ``[sources] format`` names the reader (native YAML/JSON,
  brat, Label Studio, INCEpTION; ``tacitus.convert.readers``); which files are sources and
  how each is read is ``tacitus.convert.dataset_sources``, which validation shares (it
  reads a dataset folder without this module). A brat ``.ann`` file is one
  source with its ``.txt`` and ``.meta.yaml``; an INCEpTION ``.xmi`` with its sidecar and
  the folder's ``TypeSystem.xml``: the content hash covers every file of the source.
- Incremental: each source's rows are cached by content hash (``tacitus.datasets.cache``);
  a native file whose size and mtime are unchanged is not even read (the other formats
  are re-hashed, never re-parsed while unchanged). Parsing runs in a process pool when
  there are many files to parse.
- Deterministic: rows are sorted by stable keys and the Parquet writer is fixed, so the
  same inputs and tacitus version give byte-identical files (the report's timings aside).
- Atomic: the output folder is written beside the old one and swapped in at the end.
- Lossless: every input event is in ``events`` or ``rejected`` (with its reason); the
  build fails loudly if the count does not balance.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import gc
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from tacitus import __version__
from tacitus.convert.dataset_files import (
    ACTORS_FILE,
    DATASET_FILE,
    load_actors,
    load_dataset_config,
)
from tacitus.convert.dataset_sources import (
    actors_file_sha256,
    read_source,
    source_paths,
    with_actor_findings,
)
from tacitus.convert.native import load_document, load_document_bytes
from tacitus.convert.readers import META_SUFFIXES
from tacitus.convert.to_tables import (
    PART_TABLES,
    Assembled,
    ConvertContext,
    Parts,
    assemble_tables,
    convert_source,
    parts_from_rows,
)
from tacitus.datasets.cache import CACHE_DIR, NEW_SEGMENT, ArticleCache, FileState, cache_key
from tacitus.datasets.checksums import sha256_bytes, sha256_file
from tacitus.datasets.parquet_io import atomic_directory, check_output_dir, write_frames
from tacitus.datasets.parquet_io import read_tables as read_tables
from tacitus.datasets.report import REPORT_FILE, BuildReport, Stages
from tacitus.errors import IntegrityError, OutputError
from tacitus.schema.dataset import ActorDefinition, DatasetConfig
from tacitus.schema.models import validate_table
from tacitus.schema.tables import TABLES, Tables

__all__ = [
    "INPUTS_FILE",
    "BuildResult",
    "build_dataset",
    "build_tables",
    "read_tables",
]

DEFAULT_OUT = "build"
INPUTS_FILE = "inputs.sha256"
POOL_THRESHOLD = 400
"""Files to parse from which a process pool pays for its start-up (about a second)."""
_STAT_GRACE_NS = 2_000_000_000
"""A file modified this close to the build's start may change again within the same mtime:
its size/mtime are not trusted next time (it is re-hashed, not re-parsed)."""


@dataclasses.dataclass
class BuildResult:
    """A dataset built in memory: its config, tables, the findings of loading and the report.

    ``findings`` is a FINDINGS frame (problems met reading the files: S and E rules);
    ``inputs`` lists every input as ``{"path", "sha256", "bytes"}``.
    """

    config: DatasetConfig
    tables: Tables
    findings: pl.DataFrame
    report: BuildReport
    inputs: list[dict[str, Any]]


Member = tuple[str, str, int]
"""One file of a multi-file source: (path in the dataset folder, sha256, bytes)."""


@dataclasses.dataclass
class _Source:
    path: Path
    name: str
    size: int
    mtime_ns: int
    sha256: str | None = None
    cached: bool = False
    cacheable: bool = True
    parsed: bool = False
    members: list[Member] | None = None
    """Every file of a brat/INCEpTION source (None for a one-file source)."""


@dataclasses.dataclass
class _Seen:
    """What scanning one source found."""

    name: str
    sha256: str
    cacheable: bool
    parsed: bool
    members: list[Member] | None = None


@dataclasses.dataclass
class _Scanned:
    """What one chunk of files gave: rows of those parsed, and each file's hash."""

    parts: Parts | None
    seen: list[_Seen]


_Todo = tuple[str, str, str | None, str]
"""A source to scan: (path, name in the dataset, cached sha256 or None, format)."""


def build_tables(
    dataset_dir: str | Path,
    *,
    cache: bool = True,
    workers: int | None = None,
    progress: bool | None = None,
) -> BuildResult:
    """Build a dataset's tables in memory (no output written; the cache is used and updated).

    ``workers`` is the number of parsing processes (default: the CPU count; 1 parses in
    this process); ``progress`` shows a progress bar (default: when stderr is a terminal).
    Raises UsageError/InputError when the dataset cannot be read at all; problems in
    annotation files are findings and rejected rows, never exceptions.

    Example:
        >>> r = build_tables("datasets/iran-pakistan-2024")  # doctest: +SKIP
        >>> t = r.tables  # doctest: +SKIP
        >>> r.report.events_in == t.events.height + t.rejected.height  # doctest: +SKIP
        True
    """
    build = _Build(Path(dataset_dir), cache=cache, workers=workers, progress=progress)
    with build.progress:
        build.scan()
        return build.result()


def build_dataset(
    dataset_dir: str | Path,
    out_dir: str | Path | None = None,
    progress: bool | None = None,
    *,
    cache: bool = True,
    workers: int | None = None,
) -> BuildReport:
    """Build a dataset and write its tables as Parquet into ``out_dir`` (default DATASET_DIR/build).

    Writes ``articles``, ``events``, ``casualties``, ``evidence``, ``actors``,
    ``rejected`` and ``findings`` ``.parquet``, ``inputs.sha256`` and ``build-report.json``,
    replacing the folder atomically. When the folder already holds the build of exactly
    these inputs (same tacitus, codebook, files; outputs intact) it is kept as it is and the
    report says ``up_to_date``. Raises OutputError when ``out_dir`` cannot be written.

    Example:
        >>> report = build_dataset("datasets/iran-pakistan-2024", "/tmp/ip-build")  # doctest: +SKIP
        >>> report.lossless, report.tables["events"] > 0  # doctest: +SKIP
        (True, True)
    """
    dataset_dir = Path(dataset_dir)
    out = Path(out_dir) if out_dir is not None else dataset_dir / DEFAULT_OUT
    build = _Build(dataset_dir, cache=cache, workers=workers, progress=progress)
    check_output_dir(out)
    with build.progress:
        build.scan()
        # Files parsed means content changed, or an article whose text is in another file
        # (not covered by the input hashes): then the output is always rebuilt.
        kept = None if build.n_parsed else _up_to_date(out, build)
        if kept is not None:
            build.save_cache(None)
            kept.stages = {**build.stages.seconds, "total": build.elapsed()}
            kept.up_to_date = True
            kept.parsed, kept.cached, kept.cache = build.n_parsed, build.n_cached, build.cache_note
            return kept
        with atomic_directory(out) as tmp:
            result = build.result()
            result.report.out_dir = str(out)
            try:
                _write_outputs(tmp, result, build)
            except OSError as exc:  # disk full, quota: one line, not a traceback
                where = f"{exc.filename}: " if exc.filename else ""
                raise OutputError(
                    f"cannot write output folder {out}: {where}{exc.strerror or exc}"
                ) from None
    return result.report


def _write_outputs(folder: Path, result: BuildResult, build: _Build) -> None:
    """Write the tables, inputs.sha256 and build-report.json into ``folder``."""
    report = result.report
    with build.stages("write"):
        task = build.progress.task("writing", len(PART_TABLES) + 1)
        metadata = _parquet_metadata(result, build)
        names = write_frames(result.tables, folder, metadata, extra={"findings": result.findings})
        (folder / INPUTS_FILE).write_text(_inputs_listing(result.inputs), encoding="utf-8")
        names.append(INPUTS_FILE)
        report.outputs = {name: _file_digest(folder / name) for name in sorted(names)}
        build.progress.advance(task, len(PART_TABLES) + 1)
    report.stages = {**build.stages.seconds, "total": build.elapsed()}
    (folder / REPORT_FILE).write_text(report.to_json(), encoding="utf-8")


# --- the build --------------------------------------------------------------------------------


class _Build:
    """One build: plan (config, actors, files), scan (hash, parse), then assemble."""

    def __init__(
        self, dataset_dir: Path, *, cache: bool, workers: int | None, progress: bool | None
    ) -> None:
        self.started = time.perf_counter()
        self.started_ns = time.time_ns()
        self.stages = Stages()
        self.progress = _Progress(sys.stderr.isatty() if progress is None else progress)
        self.dataset_dir = dataset_dir
        with self.stages("discover"):
            self.config = load_dataset_config(dataset_dir)
            self.format = self.config.sources.format
            self.dataset_toml_sha = sha256_file(dataset_dir / DATASET_FILE)
            actors_path = dataset_dir / ACTORS_FILE
            self.actors_sha = actors_file_sha256(actors_path)
            self.actors = load_actors(actors_path, display_path=ACTORS_FILE)
            self.ctx = ConvertContext.create(self.actors.actors, ACTORS_FILE)
            self.key = cache_key(self.ctx.codebook.version, self.actors_sha)
            folder = dataset_dir / CACHE_DIR if cache else None
            self.cache = ArticleCache.open(folder, self.key)
            self.sources = _discover(dataset_dir, self.config)
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.new_parts: list[Parts] = []
        self.n_parsed = 0
        self.n_cached = 0
        self.workers_used = 1

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @property
    def cache_note(self) -> str:
        if self.cache.note:
            return self.cache.note
        return f"{self.n_cached} file(s) from {self.cache.folder}"

    def scan(self) -> None:
        """Find each file's content hash; parse those whose rows are not cached."""
        todo: list[_Todo] = []
        for source in self.sources:
            # Only a one-file (native) source is trusted by its stat: the others have
            # companion files (.txt, sidecar, TypeSystem.xml) and are always re-hashed.
            known = None
            if self.format == "native":
                known = self.cache.known_sha(source.name, source.size, source.mtime_ns)
            cached = self.cache.cached_sha(source.name)
            if known is not None and known == cached:
                source.sha256, source.cached = known, True
            else:
                todo.append((str(source.path), source.name, cached, self.format))
        self._parse(todo)

    def _parse(self, todo: list[_Todo]) -> None:
        """Hash and (unless their rows are cached) parse ``todo``; record what was found."""
        by_name = {s.name: s for s in self.sources}
        with self.stages("parse"):
            task = self.progress.task("reading articles", len(todo))
            for scanned in self._run(todo, task):
                if scanned.parts is not None:
                    self.new_parts.append(scanned.parts)
                for seen in scanned.seen:
                    source = by_name[seen.name]
                    source.sha256, source.cacheable = seen.sha256, seen.cacheable
                    source.parsed, source.members = seen.parsed, seen.members
                    source.cached = not seen.parsed
        self.n_parsed = sum(1 for s in self.sources if s.parsed)
        self.n_cached = len(self.sources) - self.n_parsed

    def _run(self, todo: list[_Todo], task: int) -> Iterator[_Scanned]:
        if not todo:
            return
        if self.workers <= 1 or len(todo) < POOL_THRESHOLD:
            _init_worker(self.ctx)
            size = 64
            for i in range(0, len(todo), size):
                chunk = todo[i : i + size]
                yield _scan_chunk(chunk)
                self.progress.advance(task, len(chunk))
            return
        self.workers_used = self.workers
        size = max(50, min(1000, len(todo) // (self.workers * 8) or 1))
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        method = (
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker_from,
            initargs=(list(self.actors.actors), ACTORS_FILE),
        ) as pool:
            futures = [pool.submit(_scan_chunk, chunk) for chunk in chunks]
            for chunk, future in zip(chunks, futures, strict=True):
                yield future.result()
                self.progress.advance(task, len(chunk))

    def inputs(self) -> list[dict[str, Any]]:
        """Every input as {"path", "sha256", "bytes"}, sorted by path."""
        own = [(DATASET_FILE, self.dataset_toml_sha)]
        if self.actors_sha:
            own.append((ACTORS_FILE, self.actors_sha))
        items: list[dict[str, Any]] = [
            {"path": path, "sha256": sha, "bytes": (self.dataset_dir / path).stat().st_size}
            for path, sha in own
        ]
        for s in self.sources:
            if s.members is None:
                items.append({"path": s.name, "sha256": s.sha256, "bytes": s.size})
            else:
                items += [{"path": p, "sha256": sha, "bytes": n} for p, sha, n in s.members]
        unique = {str(item["path"]): item for item in items}  # a shared TypeSystem.xml once
        return [unique[path] for path in sorted(unique)]

    def fingerprint(self) -> str:
        """Digest of the build's inputs and the versions its output depends on."""
        payload = {
            "tacitus": __version__,
            "codebook": self.ctx.codebook.version,
            "inputs": [[i["path"], i["sha256"]] for i in self.inputs()],
        }
        return sha256_bytes(json.dumps(payload, sort_keys=True).encode("utf-8"))

    def result(self) -> BuildResult:
        """Assemble the tables from cached and new rows; update the cache; make the report."""
        with self.stages("load cache"):
            old_parts = self._load_cached()
        with self.stages("assemble"):
            parts = old_parts + self.new_parts
            assembled = assemble_tables(parts, self.ctx)
            findings = with_actor_findings(assembled.findings, self.actors.problems)
        with self.stages("check"):
            for name, frame in assembled.tables.as_dict().items():
                validate_table(name, frame, depth="schema")
            validate_table("findings", findings, depth="schema")
            self._check_lossless(assembled)
        self.save_cache(old_parts)
        report = self._report(assembled, findings)
        return BuildResult(self.config, assembled.tables, findings, report, self.inputs())

    def _load_cached(self) -> list[Parts]:
        """The cached rows of the unchanged sources. A cache segment that cannot be read
        is ignored: those sources are parsed again (the cache never fails a build)."""
        cached = [s for s in self.sources if s.cached]
        try:
            return self.cache.load(s.name for s in cached)
        except (OSError, pl.exceptions.PolarsError) as exc:
            self.cache.note = f"cache unreadable ({exc.__class__.__name__}); rebuilt"
        self._parse([(str(s.path), s.name, None, self.format) for s in cached])
        return []

    def _check_lossless(self, assembled: Assembled) -> None:
        out = assembled.tables.events.height + assembled.tables.rejected.height
        if assembled.events_in != out:
            raise IntegrityError(
                f"internal error: {assembled.events_in} input events but {out} events and "
                "rejected rows; please report this"
            )

    def save_cache(self, old_parts: list[Parts] | None) -> None:
        """Record file states and new rows in the cache (``old_parts`` None: no compaction)."""
        with self.stages("cache"):
            self._save_cache(old_parts)

    def _save_cache(self, old_parts: list[Parts] | None) -> None:
        if self.cache.folder is None:
            return
        cacheable = [s.name for s in self.sources if s.parsed and s.cacheable]
        new = _merge_parts(self.new_parts)
        if new is not None and len(cacheable) != new["files"]["source_file"].n_unique():
            keep = pl.col("source_file").is_in(cacheable)
            new = {name: frame.filter(keep) for name, frame in new.items()}
        if not cacheable and all(s.cached for s in self.sources) and not self._stat_changes():
            return  # nothing new to record
        states = []
        for s in self.sources:
            trusted = s.mtime_ns < self.started_ns - _STAT_GRACE_NS
            if s.parsed:
                segment = NEW_SEGMENT if s.cacheable else None
            else:
                segment = self.cache.files[s.name].segment if s.name in self.cache.files else None
            states.append(
                FileState(s.name, s.size, s.mtime_ns if trusted else -1, s.sha256 or "", segment)
            )
        everything = None
        if old_parts is not None:
            everything = [*old_parts, *([new] if new is not None else [])]
        self.cache.save(states, new, everything)

    def _stat_changes(self) -> bool:
        """Whether any file's recorded size/mtime (or the file list) differs from the cache's."""
        if len(self.cache.files) != len(self.sources):
            return True
        for s in self.sources:
            state = self.cache.files.get(s.name)
            if state is None or state.size != s.size or state.mtime_ns != s.mtime_ns:
                return True
        return False

    def _report(self, assembled: Assembled, findings: pl.DataFrame) -> BuildReport:
        tables = assembled.tables
        severities = findings.group_by("severity").len().sort("severity").iter_rows()
        rules = findings.group_by("rule").len().sort("rule").iter_rows()
        rows = {name: frame.height for name, frame in tables.as_dict().items()}
        rows["findings"] = findings.height
        return BuildReport(
            dataset=self.config.dataset.name,
            version=self.config.dataset.version,
            tacitus_version=__version__,
            codebook_version=self.ctx.codebook.version,
            inputs_sha256=self.fingerprint(),
            code_sha256=self.key["code_sha256"],
            files=len(self.sources),
            parsed=self.n_parsed,
            cached=self.n_cached,
            articles=tables.articles.height,
            events_in=assembled.events_in,
            events_out=tables.events.height,
            rejected=tables.rejected.height,
            tables=rows,
            findings={"error": 0, "warning": 0, **{str(k): int(n) for k, n in severities}},
            findings_by_rule={str(k): int(n) for k, n in rules},
            stages={**self.stages.seconds, "total": self.elapsed()},
            workers=self.workers_used,
            cache=self.cache_note,
        )


# --- workers ------------------------------------------------------------------------------------

_CTX: ConvertContext | None = None


def _init_worker(ctx: ConvertContext) -> None:
    global _CTX
    _CTX = ctx


def _init_worker_from(actors: Sequence[ActorDefinition], actors_file: str) -> None:
    _init_worker(ConvertContext.create(actors, actors_file))


def _scan_chunk(items: list[_Todo]) -> _Scanned:
    """Read, hash and (unless the cached rows are for the same hash) parse some sources."""
    # Parsing allocates many small objects that live until the chunk's rows are assembled;
    # the cyclic collector would rescan them over and over (~20% of the time) for cycles that
    # parsed documents do not have. Reference counting still frees everything.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _scan_chunk_unguarded(items)
    finally:
        if enabled:
            gc.enable()


def _scan_chunk_unguarded(items: list[_Todo]) -> _Scanned:
    assert _CTX is not None, "worker not initialised"
    converted = []
    seen: list[_Seen] = []
    for path_text, name, cached_sha, format in items:
        path = Path(path_text)
        if format != "native":
            sha, members = _hash_members(path, name, format)
            if sha == cached_sha:
                seen.append(_Seen(name, sha, True, False, members))
                continue
            converted.extend(convert_source(read_source(format, path, name, sha), _CTX))
            seen.append(_Seen(name, sha, True, True, members))
            continue
        try:
            raw = path.read_bytes()
        except OSError:
            result = load_document(path, display_path=name)  # an S001 finding, a rejected row
            converted.extend(convert_source([result], _CTX))
            seen.append(_Seen(name, "", False, True))
            continue
        sha = sha256_bytes(raw)
        if sha == cached_sha:
            seen.append(_Seen(name, sha, True, False))
            continue
        result = load_document_bytes(raw, name, base_dir=path.parent)
        converted.extend(convert_source([result], _CTX))
        # An article whose text is in another file depends on that file too: never cached.
        seen.append(_Seen(name, sha, b"text_file" not in raw, True))
    parts = parts_from_rows(converted) if converted else None
    return _Scanned(parts, seen)


def _members(path: Path, format: str) -> list[Path]:
    """Every file a source is read from: the file itself and its companions."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    members = [path]
    if format == "brat":
        members.append(path.with_suffix(".txt"))
    if format in ("brat", "inception"):
        members += [path.with_name(stem + suffix) for suffix in META_SUFFIXES]
    if format == "inception":
        members += [path.parent / n for n in ("TypeSystem.xml", "typesystem.xml")]
    return members


def _hash_members(path: Path, name: str, format: str) -> tuple[str, list[Member]]:
    """The content hash of a source (all its files, by name) and each existing file's hash.

    A companion that is absent counts too (its absence is part of the content), so adding a
    sidecar later changes the hash.
    """
    digest = hashlib.sha256()
    members: list[Member] = []
    base = Path(name).parent
    for member in _members(path, format):
        shown = (base / member.name).as_posix()
        try:
            raw = member.read_bytes()
        except OSError:
            digest.update(f"{member.name}\0absent\0".encode())
            continue
        sha = sha256_bytes(raw)
        digest.update(f"{member.name}\0{sha}\0".encode())
        members.append((shown, sha, len(raw)))
    return digest.hexdigest(), members


# --- helpers ------------------------------------------------------------------------------------


def _discover(dataset_dir: Path, config: DatasetConfig) -> list[_Source]:
    """The annotation files of the sources folder (hidden files and folders skipped)."""
    sources = []
    for path in source_paths(dataset_dir, config):
        st = path.stat()
        name = path.relative_to(dataset_dir).as_posix()
        sources.append(_Source(path, name, st.st_size, st.st_mtime_ns))
    sources.sort(key=lambda s: s.name)
    return sources


def _merge_parts(parts: list[Parts]) -> Parts | None:
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return {name: pl.concat([p[name] for p in parts], how="vertical") for name in PART_TABLES}


def _parquet_metadata(result: BuildResult, build: _Build) -> dict[str, str]:
    info = result.config.dataset
    return {
        "dataset": info.name,
        "dataset_version": info.version,
        "licence": info.licence,
        "tacitus_version": __version__,
        "codebook_version": build.ctx.codebook.version,
        "inputs_sha256": result.report.inputs_sha256,
        "dataset_toml_sha256": build.dataset_toml_sha,
        "actors_sha256": build.actors_sha,
        "input_files": str(len(build.sources)),
    }


def _inputs_listing(inputs: list[dict[str, Any]]) -> str:
    return "".join(f"{item['sha256']}  {item['path']}\n" for item in inputs)


def _up_to_date(out: Path, build: _Build) -> BuildReport | None:
    """The existing report when ``out`` already holds this very build, intact; else None."""
    report_path = out / REPORT_FILE
    if not report_path.is_file() or any(s.sha256 is None for s in build.sources):
        return None
    try:
        old = BuildReport.from_dict(json.loads(report_path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if old.inputs_sha256 != build.fingerprint() or old.code_sha256 != build.key["code_sha256"]:
        return None
    expected = {f"{name}.parquet" for name in (*TABLES, "rejected", "findings")} | {INPUTS_FILE}
    if set(old.outputs) != expected:
        return None
    for name, recorded in old.outputs.items():
        path = out / name
        try:
            if path.stat().st_size != recorded.get("bytes"):
                return None
            if _file_digest(path)["sha256"] != recorded.get("sha256"):
                return None
        except OSError:
            return None
    old.out_dir = str(out)
    return old


def _file_digest(path: Path) -> dict[str, Any]:
    return {"sha256": sha256_file(path), "bytes": path.stat().st_size}


class _Progress:
    """A rich progress bar on stderr, or nothing (when off or not a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def task(self, description: str, total: int) -> int:
        if self._bar is None:
            return 0
        return int(self._bar.add_task(description, total=total))

    def advance(self, task: int, amount: int) -> None:
        if self._bar is not None:
            self._bar.advance(task, amount)
