"""Reading a dataset folder for validation through the convert layer alone."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tacitus.validators.engine import validate_path
from tacitus.validators.loading import load_path

DATA = Path(__file__).resolve().parents[1] / "data" / "build"


@pytest.fixture
def no_datasets_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every `tacitus.datasets` import fail, as if the layer were not there."""
    for name in [m for m in sys.modules if m.startswith("tacitus.datasets")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "tacitus.datasets", None)


@pytest.mark.parametrize(
    ("fmt", "events_in", "rules"),
    # The native fixture has an event with a malformed code; the Label Studio export a
    # region with no CAMEO code and offsets that miss their text.
    [("native", 8, {"S003"}), ("brat", 2, set()), ("labelstudio", 5, {"S003", "S012"})],
)
def test_dataset_folder_of_any_format_validates_without_the_datasets_layer(
    tmp_path: Path, no_datasets_layer: None, fmt: str, events_in: int, rules: set[str]
) -> None:
    dataset = tmp_path / fmt
    shutil.copytree(DATA / fmt, dataset)
    loaded = load_path(dataset)
    assert loaded.context.input_events == events_in
    assert rules <= set(loaded.findings["rule"])
    result = validate_path(dataset)
    assert "I004" in result.checked
    assert not (dataset / ".tacitus-cache").exists()


def test_dataset_date_floor_and_actors_apply(tmp_path: Path) -> None:
    dataset = tmp_path / "brat"
    shutil.copytree(DATA / "brat", dataset)
    toml = dataset / "dataset.toml"
    toml.write_text(toml.read_text().replace("[sources]", 'date_floor = "2025-01-01"\n\n[sources]'))
    (dataset / "actors.yaml").write_text("actors:\n  - code: PAKREB\n")
    loaded = load_path(dataset)
    assert str(loaded.context.date_floor) == "2025-01-01"
    assert ("S002", "actors.yaml") in set(loaded.findings.select("rule", "source_file").rows())
    assert "D003" in set(validate_path(dataset).findings["rule"])
