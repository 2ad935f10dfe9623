"""Fixtures of the publish tests: releases of the hand-made sample tables, and Chromium."""

from __future__ import annotations

import functools
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import headless
import publish_sample

from tacitus.datasets.publish import PublishResult, publish_tables


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> PublishResult:
    """The sample tables published as demo 0.1.0 (text included). Do not modify it."""
    out = tmp_path_factory.mktemp("releases")
    return publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", out)


@pytest.fixture(scope="session")
def closed_release(tmp_path_factory: pytest.TempPathFactory) -> PublishResult:
    """The sample published with text_redistributable = false."""
    out = tmp_path_factory.mktemp("closed")
    return publish_tables(
        publish_sample.tables(), publish_sample.config(name="closed", text=False), "0.1.0", out
    )


@pytest.fixture
def release_copy(release: PublishResult, tmp_path: Path) -> Path:
    """A copy of the sample release that a test may damage."""
    target = tmp_path / "demo" / "0.1.0"
    shutil.copytree(release.path, target)
    return target


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., headless.Rendered]:
    """``chromium(page, screenshot=None)``: the page in headless Chromium (DOM and console).

    Skipped when Chromium is not installed, unless ``CI`` or ``TACITUS_REQUIRE_BROWSER``
    is set: then the tests fail, so that CI cannot pass without running them.
    """
    binary = headless.find_chromium()
    if binary is None:
        required = headless.browser_required()
        if required:
            pytest.fail(
                f"chromium is not installed and {required} is set (apt-get install chromium)"
            )
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    return functools.partial(headless.render, binary, profile)


@pytest.fixture(scope="session")
def example_release(tmp_path_factory: pytest.TempPathFactory) -> PublishResult:
    """The example dataset published as `tacitus publish` does, under TMP/releases."""
    from tacitus.datasets.publish import publish

    work = tmp_path_factory.mktemp("example")
    dataset = publish_sample.copy_dataset(work / "iran-pakistan-2024")
    return publish(dataset, "0.1.0", work / "releases")
