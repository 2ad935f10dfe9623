"""`load_for_validation`: a dataset folder read through the build (and its cache) gives
what `tacitus.validators.loading` reads through the convert layer alone.

Each dataset is copied to a temporary folder, so the build cache never lands in the
repository, and both paths read the same copy (findings name the folder they were given).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tacitus.datasets.build import build_tables
from tacitus.datasets.validation import load_for_validation, loaded_from_build
from tacitus.errors import InputError
from tacitus.validators.engine import validate_loaded, validate_path
from tacitus.validators.loading import Loaded, load_path

REPO = Path(__file__).resolve().parents[2]
BUILD_DATA = REPO / "tests" / "data" / "build"
READERS_DATA = REPO / "tests" / "data" / "readers"


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", ".tacitus-*"))
    return target


def _broken_brat(dataset: Path) -> None:
    """A brat dataset with problems of every kind a reading finds."""
    articles = dataset / "articles"
    for name in ("broken.ann", "broken.txt", "broken.meta.yaml"):
        shutil.copy(READERS_DATA / "brat" / name, articles / name)
    (articles / "refused.ann").write_bytes(b"T1\tActor 0 4\tCaf\xe9\n")  # the reader refuses it
    (articles / "refused.txt").write_text("Cafe")
    (dataset / "actors.yaml").write_text("actors:\n  - code: PAKREB\n    colour: red\n")


def _duplicated_labelstudio(dataset: Path) -> None:
    """A Label Studio dataset with a task twice in one export and again in a second file."""
    export = dataset / "articles" / "export.json"
    tasks = json.loads(export.read_text())
    export.write_text(json.dumps([*tasks, tasks[0]], indent=1))
    (dataset / "articles" / "zz-again.json").write_text(json.dumps(tasks, indent=1))


DATASETS = {
    "iran-pakistan-2024": (REPO / "datasets" / "iran-pakistan-2024", None),
    "native": (BUILD_DATA / "native", None),
    "brat": (BUILD_DATA / "brat", None),
    "brat-broken": (BUILD_DATA / "brat", _broken_brat),
    "labelstudio": (BUILD_DATA / "labelstudio", None),
    "labelstudio-duplicated": (BUILD_DATA / "labelstudio", _duplicated_labelstudio),
    "inception": (BUILD_DATA / "inception", None),
}


@pytest.fixture(params=sorted(DATASETS))
def dataset(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    source, spoil = DATASETS[request.param]
    folder = _copy(source, tmp_path)
    if spoil is not None:
        spoil(folder)
    return folder


def _assert_same(built: Loaded, converted: Loaded) -> None:
    assert built.findings.equals(converted.findings)
    assert built.tables.keys() == converted.tables.keys()
    for name, frame in built.tables.items():
        other = converted.tables[name]
        assert frame.lazy().collect().equals(other.lazy().collect()), name
    assert built.context == converted.context  # input events (I004), date floor, source
    assert built.loaded_rules == converted.loaded_rules


def test_build_and_convert_layer_read_a_dataset_alike(dataset: Path) -> None:
    converted = load_path(dataset)
    first = load_for_validation(dataset)
    cached = load_for_validation(dataset)  # unchanged files now come from the build cache
    _assert_same(first, converted)
    _assert_same(cached, converted)
    for built in (first, cached):
        by_build = validate_loaded(built).findings
        assert by_build.equals(validate_loaded(converted).findings)


def test_broken_datasets_have_findings_to_compare(tmp_path: Path) -> None:
    # The comparison above means something only if the spoiled datasets give findings
    # (reading rules, actors.yaml's problems) and rejected events.
    brat = _copy(BUILD_DATA / "brat", tmp_path / "b")
    _broken_brat(brat)
    loaded = load_path(brat)
    files = set(loaded.findings["source_file"])
    assert {"actors.yaml", "articles/broken.ann", "articles/refused.ann"} <= files
    assert loaded.tables["rejected"].lazy().collect().height > 0
    labelstudio = _copy(BUILD_DATA / "labelstudio", tmp_path / "l")
    _duplicated_labelstudio(labelstudio)
    assert "S007" in set(load_path(labelstudio).findings["rule"])


def test_loaded_from_build_uses_the_report_and_config(tmp_path: Path) -> None:
    dataset = _copy(REPO / "datasets" / "iran-pakistan-2024", tmp_path)
    result = build_tables(dataset, cache=False, progress=False, workers=1)
    loaded = loaded_from_build(result, dataset)
    assert loaded.context.input_events == result.report.events_in == 35
    assert loaded.context.date_floor == result.config.dataset.date_floor
    assert loaded.context.source == str(dataset)
    assert {"S001", "E001"} <= set(loaded.loaded_rules)


def test_other_paths_are_read_as_the_validators_read_them() -> None:
    article = REPO / "datasets" / "iran-pakistan-2024" / "articles" / "indus-ledger-2024-01-19.yaml"
    _assert_same(load_for_validation(article), load_path(article))


def test_non_utf8_actors_file_stops_both_paths(tmp_path: Path) -> None:
    dataset = _copy(BUILD_DATA / "brat", tmp_path)
    (dataset / "actors.yaml").write_bytes(b"actors:\n  - code: PAK\n    name: Caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_for_validation(dataset)
    with pytest.raises(InputError, match="not UTF-8"):
        validate_path(dataset)
