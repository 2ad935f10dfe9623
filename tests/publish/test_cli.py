"""`tacitus publish` on the example dataset."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from publish_sample import copy_dataset

from tacitus.cli import main
from tacitus.datasets.publish import PublishResult


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(["publish", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_publish_then_again_then_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = copy_dataset(tmp_path / "iran-pakistan-2024")
    out = tmp_path / "releases"
    code, stdout, stderr = run(capsys, str(dataset), "--version", "0.1.0", "--out", str(out))
    assert code == 0, stderr
    assert f"published iran-pakistan-2024 0.1.0 → {out}/iran-pakistan-2024/0.1.0" in stdout
    assert "validation: 0 error(s)" in stdout
    assert (out / "iran-pakistan-2024/0.1.0/index.html").exists()

    code, stdout, _ = run(capsys, str(dataset), "--version", "0.1.0", "--out", str(out))
    assert code == 0 and "identical bytes; nothing to do" in stdout

    article = dataset / "articles" / "meridian-wire-2024-01-18.yaml"
    text = article.read_text()
    assert "latitude: 27.5" in text
    article.write_text(text.replace("latitude: 27.5", "latitude: 27.6", 1))
    code, _, stderr = run(capsys, str(dataset), "--version", "0.1.0", "--out", str(out))
    assert code == 2
    assert "already exists and differs" in stderr and "immutable" in stderr

    toml = dataset / "dataset.toml"
    toml.write_text(re.sub(r'version = "0.1.0"', 'version = "0.2.0"', toml.read_text()))
    code, stdout, stderr = run(capsys, str(dataset), "--version", "0.2.0", "--out", str(out))
    assert code == 0, stderr
    assert "since 0.1.0: 0 added, 0 removed, 1 changed" in stdout
    entry = (out / "iran-pakistan-2024/0.2.0/CHANGELOG.md").read_text()
    assert "- `meridian-wire-2024-01-18-pakistan-strikes/e1`: latitude 27.5 → 27.6" in entry
    cumulative = (out / "iran-pakistan-2024/CHANGELOG.md").read_text()
    assert cumulative.index("## 0.2.0") < cumulative.index("## 0.1.0")


def test_version_must_match_dataset_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = copy_dataset(tmp_path / "iran-pakistan-2024")
    code, _, stderr = run(capsys, str(dataset), "--version", "9.9.9", "--out", str(tmp_path))
    assert code == 2
    assert "dataset.toml says version '0.1.0'" in stderr
    assert not (tmp_path / "iran-pakistan-2024" / "9.9.9").exists()


def test_missing_dataset_and_missing_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, stderr = run(capsys, str(tmp_path / "nope"), "--version", "1", "--out", str(tmp_path))
    assert code == 2 and "does not exist" in stderr
    code, _, stderr = run(capsys, str(tmp_path))
    assert code == 2 and "--version" in stderr


def test_example_release_is_complete(example_release: PublishResult) -> None:
    root = example_release.path
    assert example_release.rows["events"] > 0
    assert example_release.errors == 0
    pages = sorted(p.name for p in (root / "evidence").iterdir())
    assert len(pages) == example_release.rows["articles"]
    manifest = (root / "manifest.json").read_text()
    assert '"path": "dataset.toml"' in manifest
    assert '"codebook_version": "cameo' in manifest
