"""Reading a dataset's actors.yaml: problems are findings, never tracebacks."""

from __future__ import annotations

from pathlib import Path

from tacitus.convert.dataset_files import load_actors


def test_missing_actors_file_is_an_empty_list(tmp_path: Path) -> None:
    result = load_actors(tmp_path / "actors.yaml")
    assert (result.actors, result.problems, result.source_file) == ([], [], None)


def test_unreadable_actors_file_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "actors.yaml").mkdir()  # a folder where the file should be
    result = load_actors(tmp_path / "actors.yaml", display_path="actors.yaml")
    assert result.actors == []
    assert [(p.rule, p.source_file) for p in result.problems] == [("S001", "actors.yaml")]
