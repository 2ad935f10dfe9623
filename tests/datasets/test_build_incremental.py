"""Incremental builds (the content-hash cache) and every source format `tacitus build` reads."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tacitus.convert.dataset_sources as sources_module
import tacitus.datasets.build as build_module
from tacitus.datasets.build import INPUTS_FILE, build_dataset, build_tables
from tacitus.datasets.parquet_io import read_tables

DATA = Path(__file__).resolve().parents[1] / "data" / "build"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target


def _age(folder: Path, seconds: int = 60) -> None:
    """Make every file look old, as files are between two real builds (the stat is trusted)."""
    for path in folder.rglob("*"):
        if path.is_file():
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


@pytest.fixture
def parse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files the build parses (native and the reader formats)."""
    calls: list[str] = []
    real_native: Callable[..., Any] = build_module.load_document_bytes
    real_reader: Callable[..., Any] = sources_module.read_documents

    def native(raw: bytes, name: str, **kwargs: Any) -> Any:
        calls.append(name)
        return real_native(raw, name, **kwargs)

    def reader(format: str, path: Path, display_path: str | None = None) -> Any:
        calls.append(display_path or str(path))
        return real_reader(format, path, display_path=display_path)

    monkeypatch.setattr(build_module, "load_document_bytes", native)
    # The build reads the other formats through tacitus.convert.dataset_sources.read_source.
    monkeypatch.setattr(sources_module, "read_documents", reader)
    return calls


def test_second_build_parses_nothing_and_keeps_the_output(
    tmp_path: Path, parse_calls: list[str]
) -> None:
    dataset = _copy(tmp_path, "native")
    _age(dataset)
    out = tmp_path / "out"
    first = build_dataset(dataset, out, progress=False, workers=1)
    assert first.parsed == 3 and len(parse_calls) == 3
    parse_calls.clear()
    second = build_dataset(dataset, out, progress=False, workers=1)
    assert (second.parsed, second.cached, second.up_to_date) == (0, 3, True)
    assert parse_calls == []
    assert second.inputs_sha256 == first.inputs_sha256


def test_touched_file_is_rehashed_not_reparsed(tmp_path: Path, parse_calls: list[str]) -> None:
    dataset = _copy(tmp_path, "native")
    _age(dataset)
    build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    parse_calls.clear()
    os.utime(dataset / "articles" / "valley-post-2024-05-02.yaml")  # touch: same content
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    assert report.parsed == 0 and parse_calls == []


def test_edited_article_is_the_only_one_reparsed(tmp_path: Path, parse_calls: list[str]) -> None:
    dataset = _copy(tmp_path, "native")
    _age(dataset)
    out = tmp_path / "out"
    build_dataset(dataset, out, progress=False, workers=1)
    parse_calls.clear()
    path = dataset / "articles" / "valley-post-2024-05-02.yaml"
    path.write_text(path.read_text().replace("Talks resume", "Talks resume again"))
    report = build_dataset(dataset, out, progress=False, workers=1)
    assert parse_calls == ["articles/valley-post-2024-05-02.yaml"]
    assert (report.parsed, report.cached, report.up_to_date) == (1, 2, False)
    titles = read_tables(out).articles["title"].to_list()
    assert "Talks resume again" in titles
    # And the result equals a cold build of the same files.
    cold = build_tables(dataset, cache=False, workers=1)
    for name, frame in cold.tables.as_dict().items():
        assert frame.equals(read_tables(out).as_dict()[name]), name


def test_deleted_and_added_files(tmp_path: Path, parse_calls: list[str]) -> None:
    dataset = _copy(tmp_path, "native")
    _age(dataset)
    build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    parse_calls.clear()
    shutil.move(
        dataset / "articles" / "valley-post-2024-05-02.yaml",
        dataset / "articles" / "renamed.yaml",
    )
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    assert parse_calls == ["articles/renamed.yaml"]
    events = read_tables(tmp_path / "out").events
    assert set(events["source_file"].unique()) == {
        "articles/harbour-gazette-2024-03-14.yaml",
        "articles/renamed.yaml",
    }
    assert report.lossless


def test_changed_actors_file_empties_the_cache(tmp_path: Path, parse_calls: list[str]) -> None:
    dataset = _copy(tmp_path, "native")
    build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    parse_calls.clear()
    actors = dataset / "actors.yaml"
    actors.write_text(actors.read_text().replace("aliases: [BLA]", "aliases: [BLA, B.L.A.]"))
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    assert report.parsed == 3 and "cache key changed" in report.cache


def test_unreadable_cache_is_ignored(tmp_path: Path) -> None:
    dataset = _copy(tmp_path, "native")
    build_dataset(dataset, tmp_path / "out", progress=False, workers=1)


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_unreadable_cache_segment_is_parsed_again(
    tmp_path: Path, parse_calls: list[str], damage: str
) -> None:
    dataset = _copy(tmp_path, "native")
    _age(dataset)
    first = build_tables(dataset, workers=1)
    (segment,) = (dataset / ".tacitus-cache").glob("seg-*")
    if damage == "missing":
        shutil.rmtree(segment)
    else:
        (segment / "events.arrow").write_bytes(b"not arrow")
    parse_calls.clear()
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    assert report.parsed == 3 and "unreadable" in report.cache
    assert sorted(parse_calls) == sorted(set(parse_calls)) and len(parse_calls) == 3
    for name, frame in first.tables.as_dict().items():
        assert frame.equals(read_tables(tmp_path / "out").as_dict()[name]), name
    # The cache was written again: the next build parses nothing.
    parse_calls.clear()
    again = build_tables(dataset, workers=1)
    assert again.report.parsed == 0 and parse_calls == []
    (dataset / ".tacitus-cache" / "files.arrow").write_bytes(b"not arrow")
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    assert report.parsed == 3 and "unreadable" in report.cache


# --- the other source formats ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "articles", "events", "rejected"),
    # The Label Studio export has an event region with no CAMEO code: the reader skips it
    # and the build lists it as rejected, so it is not lost.
    [("brat", 1, 2, 0), ("labelstudio", 2, 4, 1), ("inception", 1, 2, 0)],
)
def test_reader_formats_build_and_cache(
    tmp_path: Path, parse_calls: list[str], fmt: str, articles: int, events: int, rejected: int
) -> None:
    dataset = _copy(tmp_path, fmt)
    out = tmp_path / "out"
    first = build_dataset(dataset, out, progress=False, workers=1)
    assert (first.articles, first.events_out, first.rejected) == (articles, events, rejected)
    assert first.events_in == events + rejected
    assert first.lossless and first.parsed == 1
    parse_calls.clear()
    second = build_dataset(dataset, out, progress=False, workers=1)
    assert (second.parsed, second.up_to_date) == (0, True)
    assert parse_calls == []


def test_brat_companion_files_are_part_of_the_source(
    tmp_path: Path, parse_calls: list[str]
) -> None:
    dataset = _copy(tmp_path, "brat")
    out = tmp_path / "out"
    build_dataset(dataset, out, progress=False, workers=1)
    listed = (out / INPUTS_FILE).read_text()
    for name in ("caspian-courier.ann", "caspian-courier.txt", "caspian-courier.meta.yaml"):
        assert f"  articles/{name}\n" in listed
    parse_calls.clear()
    meta = dataset / "articles" / "caspian-courier.meta.yaml"
    meta.write_text(meta.read_text().replace("Caspian Courier\n", "Caspian Courier Online\n"))
    report = build_dataset(dataset, out, progress=False, workers=1)
    assert parse_calls == ["articles/caspian-courier.ann"] and report.parsed == 1
    assert read_tables(out).articles["source"].to_list() == ["Caspian Courier Online"]


def test_brat_file_the_reader_refuses_is_rejected(tmp_path: Path) -> None:
    dataset = _copy(tmp_path, "brat")
    (dataset / "articles" / "bad.ann").write_bytes(b"T1\tActor 0 4\tCaf\xe9\n")
    (dataset / "articles" / "bad.txt").write_text("Cafe")
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    rejected = read_tables(tmp_path / "out").rejected
    (row,) = rejected.to_dicts()
    assert row["source_file"] == "articles/bad.ann" and row["rule"] == "S001"
    assert "not UTF-8" in row["reason"] and str(tmp_path) not in row["reason"]
    assert report.lossless and report.events_out == 2


def test_labelstudio_duplicate_article_ids(tmp_path: Path) -> None:
    dataset = _copy(tmp_path, "labelstudio")
    export = dataset / "articles" / "export.json"
    tasks = json.loads(export.read_text())
    # The same task twice in one export, and the whole export again in a second file.
    export.write_text(json.dumps([*tasks, tasks[0]], indent=1))
    (dataset / "articles" / "zz-again.json").write_text(json.dumps(tasks, indent=1))
    report = build_dataset(dataset, tmp_path / "out", progress=False, workers=1)
    tables = read_tables(tmp_path / "out")
    assert report.lossless
    assert tables.articles.height == 2
    assert tables.articles["source_file"].unique().to_list() == ["articles/export.json"]
    assert set(tables.rejected["rule"]) == {"S007", "S003"}  # S003: the region with no code
    # 4 kept; rejected: the code-less region (1), the repeated task (2) and the second
    # file's two tasks (2 + 2, plus its own copy of the code-less region).
    assert report.events_in == report.events_out + report.rejected == 4 + 8
    assert tables.events["event_id"].is_unique().all()
