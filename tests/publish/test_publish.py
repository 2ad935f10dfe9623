"""publish_tables: the release folder, its metadata files, immutability and changelog."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polars as pl
import publish_sample
import pyarrow.parquet as pq
import pytest
import yaml

from tacitus.datasets import publish as publish_module
from tacitus.datasets import release_page
from tacitus.datasets.checksums import read_sums, sha256_bytes, sha256_file
from tacitus.datasets.publish import (
    PublishResult,
    publish_tables,
    published_versions,
)
from tacitus.errors import IntegrityError, OutputError, UsageError
from tacitus.schema.tables import EVENTS, frame_from_rows

EXPECTED_FILES = {
    "CHANGELOG.md",
    "README.md",
    "SHA256SUMS",
    "actors.parquet",
    "articles.parquet",
    "casualties.parquet",
    "datapackage.json",
    "events/year=2024/part-0.parquet",
    "evidence.parquet",
    "evidence/paper-b.html",
    "evidence/wire-a.html",
    "index.html",
    "manifest.json",
    "rejected.parquet",
    "validation/report.html",
    "validation/report.json",
}


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_release_folder_layout(release: PublishResult) -> None:
    assert release.path.parts[-2:] == ("demo", "0.1.0")
    assert _tree(release.path) == EXPECTED_FILES
    assert release.created and release.previous is None
    assert _tree(release.path.parent) == {f"0.1.0/{p}" for p in EXPECTED_FILES} | {"CHANGELOG.md"}
    assert not [p for p in release.path.parent.iterdir() if p.name.startswith(".")]


def test_sha256sums_is_checked_by_sha256sum(release: PublishResult) -> None:
    sums = read_sums(release.path)
    assert set(sums) == EXPECTED_FILES - {"SHA256SUMS"}
    assert all(sha256_file(release.path / p) == h for p, h in sums.items())
    if shutil.which("sha256sum"):
        done = subprocess.run(
            ["sha256sum", "--check", "--strict", "SHA256SUMS"],
            cwd=release.path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_events_are_partitioned_by_year_with_dates_kept(release: PublishResult) -> None:
    table = pq.ParquetFile(release.path / "events/year=2024/part-0.parquet").read()
    assert table.schema.names == EVENTS.names  # no partition column added, dates kept
    assert table.num_rows == 4
    assert {d.year for d in table.column("date_start").to_pylist()} == {2024}
    metadata = json.loads(table.schema.metadata[b"tacitus"])
    assert metadata["dataset"] == "demo" and metadata["dataset_version"] == "0.1.0"
    assert metadata["table"] == "events" and metadata["codebook_version"]
    hive = pl.scan_parquet(release.path / "events", hive_partitioning=True).collect()
    assert hive["year"].unique().to_list() == [2024]


def test_events_without_a_date_go_to_the_default_partition(tmp_path: Path) -> None:
    events = publish_sample.tables().events.with_columns(
        pl.when(pl.col("event_id") == "paper-b/e2")
        .then(None)
        .otherwise(pl.col("date_start"))
        .alias("date_start")
    )
    parts = publish_module._write_events(tmp_path, events, {})
    assert [p["path"] for p in parts] == [
        "events/year=2024/part-0.parquet",
        "events/year=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
    ]
    assert [p["rows"] for p in parts] == [3, 1]


def test_datapackage_describes_every_table(release: PublishResult) -> None:
    package = json.loads((release.path / "datapackage.json").read_text())
    assert package["name"] == "demo" and package["version"] == "0.1.0"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == ["articles", "events", "casualties", "evidence", "actors", "rejected"]
    for name, resource in resources.items():
        paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
        data = b"".join((release.path / p).read_bytes() for p in paths)
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + sha256_bytes(data)
        assert resource["rows"] == release.rows[name]
        assert resource["format"] == "parquet"
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == pq.ParquetFile(
            release.path / paths[0]
        ).schema_arrow.names
    events = resources["events"]
    assert events["path"] == ["events/year=2024/part-0.parquet"] or isinstance(events["path"], str)
    types = {f["name"]: f["type"] for f in events["schema"]["fields"]}
    assert types["date_start"] == "date" and types["goldstein"] == "number"
    assert types["quad_class"] == "integer" and types["event_id"] == "string"
    assert events["schema"]["primaryKey"] == ["event_id"]


def test_manifest_records_versions_and_inputs(tmp_path: Path) -> None:
    inputs = [{"path": "dataset.toml", "sha256": "0" * 64, "bytes": 10}]
    result = publish_tables(
        publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path, inputs=inputs
    )
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["tacitus_version"] == "0.1.0"
    assert manifest["codebook_version"]
    assert manifest["inputs"] == inputs
    assert manifest["tables"]["events"]["files"] == ["events/year=2024/part-0.parquet"]
    assert manifest["validation"] == {"errors": 0, "warnings": 0}


def test_card_front_matter_has_a_config_per_table(release: PublishResult) -> None:
    text = (release.path / "README.md").read_text()
    assert text.startswith("---\n")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["license"] == "cc-by-4.0"
    assert front["language"] == ["en"]
    configs = {c["config_name"]: c for c in front["configs"]}
    assert set(configs) == {"articles", "events", "casualties", "evidence", "actors", "rejected"}
    assert configs["events"]["default"] is True
    for config in configs.values():
        pattern = config["data_files"][0]["path"]
        assert list(release.path.glob(pattern)), pattern
    assert "# Demo <strikes> & co" in text
    assert "2024-01-16 to 2024-01-19" in text


def test_publishing_is_deterministic(release: PublishResult, tmp_path: Path) -> None:
    again = publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path)
    assert again.files == release.files
    for path in release.files:
        assert (again.path / path).read_bytes() == (release.path / path).read_bytes(), path


def test_same_bytes_again_is_a_no_op(tmp_path: Path) -> None:
    first = publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path)
    before = {p: sha256_file(first.path / p) for p in _tree(first.path)}
    second = publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path)
    assert first.created and not second.created
    assert {p: sha256_file(first.path / p) for p in _tree(first.path)} == before


def test_a_release_is_immutable(tmp_path: Path) -> None:
    publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path)
    with pytest.raises(IntegrityError, match="already exists and differs"):
        publish_tables(
            publish_sample.tables(killed_a1=9), publish_sample.config(), "0.1.0", tmp_path
        )
    events = pl.read_parquet(tmp_path / "demo/0.1.0/events/*/*.parquet")
    assert events.filter(pl.col("event_id") == "wire-a/e1")["killed_best"].item() == 7
    assert not [p for p in (tmp_path / "demo").iterdir() if p.name.startswith(".")]


def test_a_failed_publish_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(release_page, "render_index", broken)
    with pytest.raises(RuntimeError):
        publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path)
    assert [p.name for p in (tmp_path / "demo").iterdir()] == []


def test_a_write_error_is_an_output_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(release_page, "render_index", full)
    with pytest.raises(OutputError, match=r"cannot publish .*No space left on device"):
        publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path)
    assert [p.name for p in (tmp_path / "demo").iterdir()] == []


def test_a_publish_killed_outright_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    # What a publish killed with SIGKILL leaves: its temporary folder, named with its pid.
    series = tmp_path / "demo"
    left = series / ".0.1.0.tmp-999999999-abcd"
    (left / "events").mkdir(parents=True)
    (left / "events" / "part-0.parquet").write_bytes(b"half written")
    publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path)
    assert sorted(p.name for p in series.iterdir()) == ["0.1.0", "CHANGELOG.md"]


def test_article_text_left_out_unless_redistributable(closed_release: PublishResult) -> None:
    articles = pl.read_parquet(closed_release.path / "articles.parquet")
    assert articles["text"].null_count() == articles.height
    assert articles["text_sha256"].null_count() == 0
    evidence = pl.read_parquet(closed_release.path / "evidence.parquet")
    assert evidence["quote"].null_count() == 0
    everything = b"".join((closed_release.path / p).read_bytes() for p in closed_release.files)
    assert b"at two bases in Balochistan" not in everything
    card = (closed_release.path / "README.md").read_text()
    assert "not included" in card


def test_changelog_lists_added_removed_and_changed_events(tmp_path: Path) -> None:
    publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path)
    tables = publish_sample.tables(killed_a1=9, extra_event=True)
    tables.events = tables.events.filter(pl.col("event_id") != "paper-b/e2")
    tables.evidence = tables.evidence.filter(pl.col("event_id") != "paper-b/e2")
    second = publish_tables(tables, publish_sample.config(version="0.2.0"), "0.2.0", tmp_path)
    assert second.previous == "0.1.0"
    assert [e["event_id"] for e in second.diff.added] == ["wire-a/e3"]
    assert [e["event_id"] for e in second.diff.removed] == ["paper-b/e2"]
    assert list(second.diff.changed) == ["wire-a/e1"]
    entry = (second.path / "CHANGELOG.md").read_text()
    assert "Compared with 0.1.0: events 4 → 4 (1 added, 1 removed, 1 changed)" in entry
    assert "- `wire-a/e3`: 112" in entry and "- `paper-b/e2`: 190" in entry
    assert "- `wire-a/e1`: killed_low 7 → 9; killed_best 7 → 9; killed_high 7 → 9" in entry
    assert "evidence 18 → 17" in entry
    # A version in between compares with the highest version below it.
    middle = publish_tables(
        publish_sample.tables(extra_event=True), publish_sample.config(), "0.1.1", tmp_path
    )
    assert middle.previous == "0.1.0"
    assert [e["event_id"] for e in middle.diff.added] == ["wire-a/e3"]
    cumulative = (tmp_path / "demo" / "CHANGELOG.md").read_text()
    headings = [line for line in cumulative.splitlines() if line.startswith("## ")]
    assert [h.split()[1] for h in headings] == ["0.2.0", "0.1.1", "0.1.0"]
    assert published_versions(tmp_path / "demo") == ["0.1.0", "0.1.1", "0.2.0"]


def test_validation_errors_stop_the_release_unless_allowed(tmp_path: Path) -> None:
    findings = frame_from_rows(
        "findings",
        [{"rule": "K002", "severity": "error", "table": "casualties", "message": "low > best"}],
    )
    with pytest.raises(UsageError, match="1 validation error"):
        publish_tables(
            publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path, validation=findings
        )
    assert not (tmp_path / "demo" / "0.1.0").exists()
    result = publish_tables(
        publish_sample.tables(),
        publish_sample.config(),
        "0.1.0",
        tmp_path,
        validation=findings,
        allow_errors=True,
    )
    report = json.loads((result.path / "validation/report.json").read_text())
    assert report["summary"]["errors"] == 1
    assert "low &gt; best" in (result.path / "validation/report.html").read_text()


@pytest.mark.parametrize("version", ["../x", "", "1 0", ".hidden", "a/b"])
def test_bad_versions_are_refused(tmp_path: Path, version: str) -> None:
    with pytest.raises(UsageError):
        publish_tables(publish_sample.tables(), publish_sample.config(), version, tmp_path)


def test_tables_failing_their_model_are_refused(tmp_path: Path) -> None:
    tables = publish_sample.tables()
    tables.events = tables.events.with_columns(pl.lit("19x").alias("event_code"))
    with pytest.raises(IntegrityError, match="events table fails its model"):
        publish_tables(tables, publish_sample.config(), "0.1.0", tmp_path)


def test_out_dir_that_is_a_file_is_an_output_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(OutputError):
        publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", target)


def test_no_timestamps_in_text_files(release: PublishResult) -> None:
    import datetime as dt

    today = dt.date.today().isoformat()
    for path in release.files:
        if path.endswith((".json", ".md", ".html")):
            assert today not in (release.path / path).read_text(), path


def test_release_is_readable_like_any_folder(tmp_path: Path) -> None:
    # Temporary folders are owner-only; the release renamed from one must not stay so,
    # or a web server serving the releases could not read it.
    import os

    mask = os.umask(0)
    os.umask(mask)
    result = publish_tables(publish_sample.tables(), publish_sample.config(), "0.1.0", tmp_path)
    assert result.path.stat().st_mode & 0o777 == 0o777 & ~mask
    for name in ("README.md", "SHA256SUMS", "datapackage.json", "part-0.parquet"):
        found = next(result.path.rglob(name))
        assert found.stat().st_mode & 0o777 == 0o666 & ~mask, name
