"""`tacitus build` on the command line: the report, and one-line errors with exit code 2.

What stops a build (one line on stderr, exit code 2): a dataset folder that does not exist,
an output path that is a file, an output folder that cannot be written, a dataset.toml or
actors.yaml that is not UTF-8. What does not: a malformed or non-UTF-8 *article*: its
records go to rejected.parquet with the file:line reason and the build goes on (one bad
file among thousands should not stop a dataset).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import tacitus.datasets.parquet_io as parquet_io
from tacitus.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "build"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "native"
    shutil.copytree(DATA / "native", target)
    return target


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = 0
    try:
        main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(code: int, err: str) -> str:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tacitus: error: ")
    return lines[0]


def test_build_prints_the_text_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _copy(tmp_path)
    code, out, _ = _run(["build", str(dataset), "--workers", "1", "--no-progress"], capsys)
    assert code == 0
    assert out.startswith(f"built build-fixture 1.2.3 → {dataset / 'build'}")
    assert "events    8 in = 6 out + 2 rejected" in out
    assert (dataset / "build" / "events.parquet").is_file()


def test_build_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _copy(tmp_path)
    out_dir = tmp_path / "elsewhere"
    code, out, _ = _run(
        ["build", str(dataset), "--out", str(out_dir), "--json", "--workers", "1"], capsys
    )
    assert code == 0
    report = json.loads(out)
    assert report["lossless"] is True
    assert report["events_in"] == report["events_out"] + report["rejected"] == 8
    assert report["tables"]["events"] == 6 and report["articles"] == 2
    assert report["out_dir"] == str(out_dir)
    assert set(report["stages"]) >= {"parse", "write", "total"}
    assert json.loads((out_dir / "build-report.json").read_text())["events_in"] == 8


def test_missing_dataset_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["build", str(tmp_path / "nope")], capsys)
    assert "does not exist" in _one_line_error(code, err)


def test_output_path_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _copy(tmp_path)
    target = tmp_path / "out.txt"
    target.write_text("keep me")
    code, _, err = _run(["build", str(dataset), "--out", str(target)], capsys)
    assert "is a file" in _one_line_error(code, err)
    assert target.read_text() == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _copy(tmp_path)
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        code, _, err = _run(["build", str(dataset), "--out", str(parent / "build")], capsys)
    finally:
        parent.chmod(0o755)
    assert "read-only" in _one_line_error(code, err)


def test_read_only_output_folder_as_any_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod does not stop root (CI runs as root): make the permission check see a
    # read-only folder instead, as it would for any other user.
    dataset = _copy(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if Path(str(path)) == out and mode & os.W_OK:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(parquet_io.os, "access", access)
    code, _, err = _run(["build", str(dataset), "--out", str(out)], capsys)
    assert "read-only" in _one_line_error(code, err)
    assert list(out.iterdir()) == []


def test_non_utf8_dataset_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _copy(tmp_path)
    (dataset / "dataset.toml").write_bytes(b'[dataset]\nname = "caf\xe9"\n')
    code, _, err = _run(["build", str(dataset)], capsys)
    assert "not UTF-8" in _one_line_error(code, err)
    assert not (dataset / "build").exists()


def test_non_utf8_actors_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _copy(tmp_path)
    (dataset / "actors.yaml").write_bytes(b"actors:\n  - code: PAKSEPBLA\n    name: Caf\xe9\n")
    code, _, err = _run(["build", str(dataset)], capsys)
    line = _one_line_error(code, err)
    assert "actors.yaml:3: not UTF-8" in line


def test_non_utf8_article_is_rejected_not_fatal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _copy(tmp_path)
    (dataset / "articles" / "latin1.yaml").write_bytes(b"article:\n  id: caf\xe9\n")
    code, out, _ = _run(["build", str(dataset), "--json", "--workers", "1"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["rejected"] == 3 and report["lossless"] is True


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["build", "--frobnicate"], capsys)
    assert code == 2 and "frobnicate" in err
