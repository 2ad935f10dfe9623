"""Which files of a dataset folder are its sources, and how each is read (shared by the
build and validation)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tacitus.convert.dataset_files import load_dataset_config
from tacitus.convert.dataset_sources import read_dataset, read_source, source_paths
from tacitus.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "build"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target


def _names(dataset: Path) -> list[str]:
    paths = source_paths(dataset, load_dataset_config(dataset))
    return [p.relative_to(dataset).as_posix() for p in paths]


def test_native_sources_skip_hidden_files_and_folders(tmp_path: Path) -> None:
    dataset = _copy(tmp_path, "native")
    articles = dataset / "articles"
    (articles / ".draft.yaml").write_text("article: {}\n")
    (articles / ".git").mkdir()
    (articles / ".git" / "config.yaml").write_text("x: 1\n")
    (articles / "notes.txt").write_text("not a source")
    (articles / "2024").mkdir()
    (articles / "2024" / "a.YAML").write_text("article: {}\n")
    assert _names(dataset) == [
        "articles/2024/a.YAML",
        "articles/harbour-gazette-2024-03-14.yaml",
        "articles/river-times-2024-06-01.yaml",
        "articles/valley-post-2024-05-02.yaml",
    ]


def test_brat_sources_are_the_ann_files(tmp_path: Path) -> None:
    assert _names(_copy(tmp_path, "brat")) == ["articles/caspian-courier.ann"]


def test_sources_path_may_name_one_file(tmp_path: Path) -> None:
    dataset = _copy(tmp_path, "labelstudio")
    toml = dataset / "dataset.toml"
    toml.write_text(toml.read_text().replace('path = "articles"', 'path = "articles/export.json"'))
    assert _names(dataset) == ["articles/export.json"]


def test_missing_sources_path_stops_the_dataset(tmp_path: Path) -> None:
    dataset = _copy(tmp_path, "brat")
    shutil.rmtree(dataset / "articles")
    with pytest.raises(InputError, match="sources path 'articles' does not exist"):
        source_paths(dataset, load_dataset_config(dataset))


def test_a_file_the_reader_refuses_is_one_record_named_in_the_dataset(tmp_path: Path) -> None:
    path = tmp_path / "bad.ann"
    path.write_bytes(b"T1\tActor 0 4\tCaf\xe9\n")
    (result,) = read_source("brat", path, "articles/bad.ann", "abc")
    assert (result.document, result.source_file, result.content_sha256) == (
        None,
        "articles/bad.ann",
        "abc",
    )
    (problem,) = result.problems
    assert problem.rule == "S001" and str(tmp_path) not in problem.message


def test_read_dataset_counts_every_event_read(tmp_path: Path) -> None:
    read = read_dataset(_copy(tmp_path, "labelstudio"))
    tables = read.tables
    assert (tables.articles.height, tables.events.height, tables.rejected.height) == (2, 4, 1)
    assert read.events_in == 5
    assert not (tmp_path / "labelstudio" / ".tacitus-cache").exists()  # no cache written
