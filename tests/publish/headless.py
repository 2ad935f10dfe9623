"""Headless Chromium for the release page tests: load a page, get its DOM and console."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--headless",  # no display needed
    "--no-sandbox",  # Chromium's sandbox refuses to run as root (CI runs as root)
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--hide-scrollbars",
    "--enable-logging=stderr",  # page console messages (errors, CSP violations) to stderr
    "--v=0",
]
CHROMIUM_TIMEOUT = 60  # seconds per page; a hung browser fails the test instead of CI
REQUIRE_BROWSER = ("CI", "TACITUS_REQUIRE_BROWSER")
CONSOLE = re.compile(r":INFO:CONSOLE[^\]]*\] (.*)")


@dataclasses.dataclass(frozen=True)
class Rendered:
    """What headless Chromium made of a page: the DOM after load, and console messages."""

    dom: str
    console: list[str]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_required() -> str | None:
    """The environment variable that makes a missing Chromium a failure, if one is set."""
    for name in REQUIRE_BROWSER:
        if os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no"):
            return name
    return None


def render(binary: str, profile: Path, page: Path, *, screenshot: Path | None = None) -> Rendered:
    """Load ``page`` in headless Chromium; return its DOM after load (or write a PNG)."""
    args = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    if screenshot is not None:
        args += ["--window-size=1280,2400", f"--screenshot={screenshot}"]
    else:
        args += ["--dump-dom"]
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    browser = subprocess.Popen(
        [*args, page.resolve().as_uri()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=page.parent,
        start_new_session=True,  # its own process group, to end all of it on timeout
    )
    try:
        out, err = browser.communicate(timeout=CHROMIUM_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(browser.pid, signal.SIGKILL)
        browser.communicate()
        pytest.fail(f"chromium took more than {CHROMIUM_TIMEOUT}s on {page.name}")
    assert browser.returncode == 0, err[-2000:]
    return Rendered(out, CONSOLE.findall(err))
