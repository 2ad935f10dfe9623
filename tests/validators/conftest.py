"""Fixtures of the validator tests (the world itself is in validator_world.py)."""

from __future__ import annotations

import polars as pl
import pytest
from validator_world import D, mutated

from tacitus.validators.base import Context


@pytest.fixture
def world() -> dict[str, pl.DataFrame]:
    return mutated()


@pytest.fixture
def context() -> Context:
    return Context(input_events=3, source="world", date_floor=D(2023, 1, 1))
