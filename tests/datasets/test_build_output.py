"""`build_dataset`: deterministic, atomic, lossless output with the documented metadata.

Uses the small dataset folders under ``tests/data/build/`` (copied to a temporary folder,
so the cache and outputs never land in the repository).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import tacitus.datasets.build as build_module
from tacitus import __version__
from tacitus.datasets.build import INPUTS_FILE, build_dataset, build_tables
from tacitus.datasets.parquet_io import read_metadata, read_table, read_tables
from tacitus.datasets.report import REPORT_FILE
from tacitus.errors import OutputError
from tacitus.schema.models import validate_table

DATA = Path(__file__).resolve().parents[1] / "data" / "build"
TABLE_FILES = [
    "articles.parquet",
    "events.parquet",
    "casualties.parquet",
    "evidence.parquet",
    "actors.parquet",
    "rejected.parquet",
    "findings.parquet",
]


def _copy(tmp_path: Path, name: str = "native") -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_builds_give_byte_identical_parquet(tmp_path: Path) -> None:
    dataset = _copy(tmp_path)
    first = build_dataset(dataset, tmp_path / "a", progress=False, cache=False, workers=1)
    second = build_dataset(dataset, tmp_path / "b", progress=False, workers=1)
    third = build_dataset(dataset, tmp_path / "c", progress=False, workers=1)  # from the cache
    assert (first.parsed, third.parsed) == (3, 0)
    for name in [*TABLE_FILES, INPUTS_FILE]:
        a, b, c = ((tmp_path / d / name).read_bytes() for d in "abc")
        assert a == b == c, name
    assert first.outputs == second.outputs == third.outputs


def test_output_folder_is_readable_like_any_folder(tmp_path: Path) -> None:
    # Built in an owner-only temporary folder, renamed into place: the permissions must
    # be those of a plain mkdir, or other users (and web servers) cannot read the tables.
    import os

    mask = os.umask(0)
    os.umask(mask)
    build_dataset(_copy(tmp_path), tmp_path / "out", progress=False, workers=1)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o777 & ~mask


def test_process_pool_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = _copy(tmp_path)
    build_dataset(dataset, tmp_path / "one", progress=False, cache=False, workers=1)
    monkeypatch.setattr(build_module, "POOL_THRESHOLD", 1)
    report = build_dataset(dataset, tmp_path / "pool", progress=False, cache=False, workers=2)
    assert report.workers == 2
    for name in TABLE_FILES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "pool" / name).read_bytes()


def test_parquet_metadata_and_compression(tmp_path: Path) -> None:
    dataset = _copy(tmp_path)
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    inputs = (tmp_path / "out" / INPUTS_FILE).read_text()
    assert "dataset.toml" in inputs and "articles/valley-post-2024-05-02.yaml" in inputs
    for name in TABLE_FILES:
        path = tmp_path / "out" / name
        meta = read_metadata(path)
        assert meta["dataset"] == "build-fixture"
        assert meta["dataset_version"] == "1.2.3"
        assert meta["tacitus_version"] == __version__
        assert meta["codebook_version"] == report.codebook_version != ""
        assert meta["inputs_sha256"] == report.inputs_sha256
        assert len(meta["actors_sha256"]) == 64
        assert meta["table"] == name.removesuffix(".parquet")
        parquet = pq.ParquetFile(path).metadata
        for group in range(parquet.num_row_groups):
            for column in range(parquet.num_columns):
                compression = parquet.row_group(group).column(column).compression
                assert compression == "ZSTD", (name, column)


def test_pandera_models_accept_the_output(tmp_path: Path) -> None:
    dataset = _copy(tmp_path)
    build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    tables = read_tables(tmp_path / "out")
    for name, frame in tables.as_dict().items():
        validate_table(name, frame, depth="all")
    validate_table("findings", read_table(tmp_path / "out" / "findings.parquet", "findings"))


def test_lossless_broken_article_is_rejected_with_file_and_line(tmp_path: Path) -> None:
    dataset = _copy(tmp_path)
    (dataset / "articles" / "latin1.yaml").write_bytes(
        b"article:\n  id: latin1\n  source: Caf\xe9 Wire\n  published: 2024-01-01\n  text: x\n"
    )
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    tables = read_tables(tmp_path / "out")
    assert report.lossless
    assert report.events_in == report.events_out + report.rejected == 9
    assert (report.events_out, report.rejected) == (6, 3)
    assert tables.events.height == report.events_out
    rejected = {r["event_id"] or r["source_file"]: r for r in tables.rejected.iter_rows(named=True)}
    broken = rejected["river-times-2024-06-01/e2"]
    assert broken["rule"] == "S003"
    assert broken["reason"].startswith("articles/river-times-2024-06-01.yaml:13: S003")
    assert "river-times-2024-06-01/e1" in rejected  # the whole file did not load
    latin1 = rejected["articles/latin1.yaml"]
    assert latin1["rule"] == "S001"
    assert "articles/latin1.yaml:3" in latin1["reason"] and "not UTF-8" in latin1["reason"]
    saved = json.loads((tmp_path / "out" / REPORT_FILE).read_text())
    assert saved["lossless"] is True and saved["events_in"] == 9
    assert saved["tables"]["rejected"] == 3


def test_report_counts_and_text(tmp_path: Path) -> None:
    dataset = _copy(tmp_path)
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    assert (report.files, report.articles) == (3, 2)
    assert report.tables == {
        "articles": 2,
        "events": 6,
        "casualties": 7,
        "evidence": report.tables["evidence"],
        "actors": report.tables["actors"],
        "rejected": 2,
        "findings": 1,
    }
    assert {"discover", "parse", "assemble", "check", "write", "total"} <= set(report.stages)
    text = report.to_text()
    assert "events    8 in = 6 out + 2 rejected" in text
    assert "S003 1" in text


def test_interrupted_write_leaves_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = _copy(tmp_path)
    out = tmp_path / "out"
    build_dataset(dataset, out, progress=False, workers=1)
    before = _snapshot(out)
    (dataset / "articles" / "valley-post-2024-05-02.yaml").unlink()  # a different build

    real = build_module.write_frames

    def half_then_interrupt(tables, folder, metadata, *, extra=None):  # type: ignore[no-untyped-def]
        real(tables, folder, metadata, extra=extra)
        raise KeyboardInterrupt  # as if Ctrl-C arrived after the tables were written

    monkeypatch.setattr(build_module, "write_frames", half_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_dataset(dataset, out, progress=False, workers=1)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["native", "out"]  # no temp folder

    monkeypatch.setattr(build_module, "write_frames", real)
    report = build_dataset(dataset, out, progress=False, workers=1)
    assert report.articles == 1 and _snapshot(out) != before


def test_failure_while_writing_first_build_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = _copy(tmp_path)

    def fail(*args: object, **kwargs: object) -> list[str]:
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "write_frames", fail)
    with pytest.raises(OutputError, match=r"cannot write output folder .*: disk full"):
        build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["native"]


def test_build_tables_in_memory_matches_written(tmp_path: Path) -> None:
    dataset = _copy(tmp_path)
    result = build_tables(dataset, cache=False, workers=1)
    build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    written = read_tables(tmp_path / "out")
    for name, frame in result.tables.as_dict().items():
        assert frame.equals(written.as_dict()[name]), name
