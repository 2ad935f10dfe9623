"""Shared test fixtures: paths of the repository and its example dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_DATASET = REPO / "datasets" / "iran-pakistan-2024"


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def example_dataset() -> Path:
    return EXAMPLE_DATASET
