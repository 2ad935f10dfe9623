"""Shared test fixtures: paths of the repository and its example dataset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_DATASET = REPO / "datasets" / "iran-pakistan-2024"


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def example_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example dataset: building or validating it writes a build cache
    into the folder, and tests must not change the repository."""
    copy = tmp_path_factory.mktemp("example") / EXAMPLE_DATASET.name
    shutil.copytree(EXAMPLE_DATASET, copy, ignore=shutil.ignore_patterns(".tacitus-cache", "build"))
    return copy
