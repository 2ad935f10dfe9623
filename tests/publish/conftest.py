"""Fixtures of the publish tests: releases of the hand-made sample tables, and Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

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


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--hide-scrollbars",
]


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., str]:
    """A function: run headless Chromium on a file and return ``--dump-dom`` (or screenshot).

    Skipped when Chromium is not installed, except in CI (``CI=true``), where it fails.
    """
    binary = _find_chromium()
    if binary is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is not installed (CI must run the browser tests)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")

    def run(page: Path, *, screenshot: Path | None = None) -> str:
        args = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        if screenshot is not None:
            args += ["--window-size=1200,2400", f"--screenshot={screenshot}"]
        else:
            args += ["--dump-dom"]
        done = subprocess.run(
            [*args, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    return run


@pytest.fixture(scope="session")
def example_release(tmp_path_factory: pytest.TempPathFactory) -> PublishResult:
    """The example dataset published as `tacitus publish` does, under TMP/releases."""
    from tacitus.datasets.publish import publish

    work = tmp_path_factory.mktemp("example")
    dataset = publish_sample.copy_dataset(work / "iran-pakistan-2024")
    return publish(dataset, "0.1.0", work / "releases")
