"""The snippets of docs/using-a-dataset.md run against a published example; the
GitHub workflow in docs/publishing.md is the one in docs/examples/ and is valid YAML."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import publish_sample
import pytest
import yaml

from tacitus.datasets.publish import PublishResult

DOCS = Path(__file__).resolve().parents[2] / "docs"
PLACEHOLDER_URL = "https://data.example.org/iran-pakistan-2024/0.1.0/"


def blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", path.read_text(), flags=re.S | re.M)


def test_using_a_dataset_shows_every_tool() -> None:
    text = (DOCS / "using-a-dataset.md").read_text()
    for heading in (
        "With tacitus",
        "With polars",
        "With pandas",
        "With pyarrow",
        "With DuckDB",
        "With R (arrow)",
    ):
        assert f"## {heading}" in text
    assert blocks(DOCS / "using-a-dataset.md", "sql") and blocks(DOCS / "using-a-dataset.md", "r")


@pytest.fixture
def served_example(example_release: PublishResult) -> Iterator[str]:
    import http.server
    import threading
    from functools import partial

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    root = example_release.path.parent.parent
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/iran-pakistan-2024/0.1.0/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.parametrize("index", range(len(blocks(DOCS / "using-a-dataset.md", "python"))))
def test_python_snippets_run(
    index: int, example_release: PublishResult, served_example: str, tmp_path: Path
) -> None:
    code = blocks(DOCS / "using-a-dataset.md", "python")[index]
    code = code.replace(PLACEHOLDER_URL, served_example)
    work = example_release.path.parent.parent.parent  # holds releases/iran-pakistan-2024/0.1.0
    assert (work / "releases" / "iran-pakistan-2024" / "0.1.0").is_dir()
    env = {**os.environ, "TACITUS_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_workflow_is_valid_and_in_the_docs() -> None:
    workflow = (DOCS / "examples" / "github-workflow.yml").read_text()
    assert workflow in (DOCS / "publishing.md").read_text()
    parsed = yaml.safe_load(workflow)
    triggers = parsed[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["tags"] == ["v*"]
    jobs = parsed["jobs"]
    assert jobs["publish"]["needs"] == "validate"
    validate_steps = " ".join(s.get("run", "") for s in jobs["validate"]["steps"])
    publish_steps = " ".join(s.get("run", "") for s in jobs["publish"]["steps"])
    assert "tacitus validate" in validate_steps
    assert 'tacitus publish "$DATASET" --version "${GITHUB_REF_NAME#v}"' in publish_steps


def test_duckdb_snippet_runs(example_release: PublishResult) -> None:
    """DuckDB is not a dependency: this runs only where it is installed (checked by hand)."""
    duckdb = pytest.importorskip("duckdb")
    work = example_release.path.parent.parent.parent
    for sql in blocks(DOCS / "using-a-dataset.md", "sql"):
        connection = duckdb.connect()
        try:
            old = Path.cwd()
            os.chdir(work)
            try:
                rows = connection.sql(sql).fetchall()
            finally:
                os.chdir(old)
        finally:
            connection.close()
        assert rows


def test_r_snippet_names_real_columns() -> None:
    """R is not available in CI, so the R snippet cannot run here; at least every column
    it names must exist in the events table (checked with R's arrow by hand)."""
    from tacitus.schema.tables import ALL_SCHEMAS, polars_schema

    columns = set(polars_schema(ALL_SCHEMAS["events"]))
    (code,) = blocks(DOCS / "using-a-dataset.md", "r")
    for call in ("group_by", "summarise"):
        assert f"{call}(" in code
    named = set(re.findall(r"group_by\((\w+)\)", code)) | set(re.findall(r"sum\((\w+)", code))
    assert named and named <= columns, named - columns
    assert 'file.path(root, "events")' in code and "hive_partition()" in code


def test_workflow_commands_run(tmp_path: Path) -> None:
    """The workflow's `tacitus` steps, run as GitHub runs them (bash, env from the file)."""
    parsed = yaml.safe_load((DOCS / "examples" / "github-workflow.yml").read_text())
    commands = [
        step["run"]
        for job in ("validate", "publish")
        for step in parsed["jobs"][job]["steps"]
        if step.get("run", "").startswith("tacitus ")
    ]
    assert len(commands) == 2
    publish_sample.copy_dataset(tmp_path / parsed["env"]["DATASET"])
    env = {
        **os.environ,
        "DATASET": parsed["env"]["DATASET"],
        "GITHUB_REF_NAME": "v0.1.0",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    outputs = []
    for command in commands:
        done = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        outputs.append(done.stdout)
    assert "::error" not in outputs[0]
    assert (tmp_path / "site/releases/iran-pakistan-2024/0.1.0/SHA256SUMS").is_file()
