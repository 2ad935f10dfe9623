"""The engine: rule selection, missing data, paths (files, folders, Parquet), merging."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from validator_world import D, event, mutated

from tacitus.errors import UsageError
from tacitus.schema.tables import Tables, frame_from_rows
from tacitus.validators.base import Context, Inputs
from tacitus.validators.engine import select_rules, validate_path, validate_tables
from tacitus.validators.loading import table_of


def test_select_families_ids_and_ignore() -> None:
    assert select_rules("L") == {"L001", "L002", "L003", "L004"}
    assert select_rules("k002, D") >= {"K002", "D001", "D006"}
    assert "K002" not in select_rules(None, "K002")
    assert select_rules("L,K", "L003,K") == {"L001", "L002", "L004"}
    assert "S900" not in select_rules()  # define_rule's doctest rule


@pytest.mark.parametrize("bad", ["Q", "K999", "K02"])
def test_unknown_rule_is_a_usage_error(bad: str) -> None:
    with pytest.raises(UsageError, match="unknown rule"):
        select_rules(bad)


def test_an_empty_dataset_validates_as_empty() -> None:
    result = validate_tables(Tables.empty(), Context(input_events=0))
    assert result.findings.is_empty()
    assert result.exit_code(strict=True) == 0


def test_missing_tables_and_columns_skip_rules_quietly() -> None:
    # Only an events table, as a GDELT reader might give: no articles, casualties, lines.
    events = pl.DataFrame(
        {
            "event_id": ["g1", "g2"],
            "event_code": ["190", "042"],
            "actor1_code": ["USAGOV", "USAGOV"],
            "actor2_code": ["USAGOV", "CHN"],
            "country": ["USA", "CHN"],
            "latitude": [38.9, 95.0],
            "longitude": [-77.0, 116.4],
        }
    )
    result = validate_tables({"events": events}, table_files={"events": "gdelt.parquet"})
    rules = result.findings["rule"].to_list()
    assert sorted(rules) == ["A006", "I001", "L002"]
    # findings without a source file point at the table's file
    assert set(result.findings["source_file"]) == {"gdelt.parquet"}
    assert "D002" in result.skipped and "K004" in result.skipped


def test_all_null_columns_count_as_absent(world: dict[str, pl.DataFrame]) -> None:
    events = world["events"].with_columns(
        pl.lit(None, dtype=pl.Date).alias("date_start"),
        pl.lit(None, dtype=pl.Date).alias("date_end"),
    )
    result = validate_tables({**world, "events": events}, select="D")
    assert result.findings.is_empty()
    assert "D001" in result.skipped


def test_loading_and_table_findings_are_not_repeated(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "article: {id: a1, source: W, published: 2024-01-18, text: Rain fell on Tuesday.}\n"
        "events:\n"
        "  - id: e1\n"
        "    code: '195'\n"
        "    quote: snow fell\n",
        encoding="utf-8",
    )
    result = validate_path(path)
    e001 = result.findings.filter(pl.col("rule") == "E001")
    assert e001.height == 1
    assert e001.row(0, named=True)["source_line"] == 5


def _write(tables: dict[str, pl.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.write_parquet(folder / f"{name}.parquet")
    return folder


def test_built_folder_gives_the_same_findings(tmp_path: Path) -> None:
    def change(rows: dict) -> None:
        event(rows, "a1/e1")["latitude"] = 95.0
        event(rows, "a1/e2")["date_end"] = D(2024, 1, 10)

    tables = mutated(change)
    folder = _write(tables, tmp_path / "build")
    from_disk = validate_path(folder, ignore="D003")
    in_memory = validate_tables(tables, ignore="D003")
    columns = ["rule", "event_id", "source_file", "source_line", "message"]
    assert (
        from_disk.findings.select(columns).to_dicts()
        == in_memory.findings.select(columns).to_dicts()
    )
    assert sorted(from_disk.findings["rule"]) == ["D005", "L002"]


def test_parquet_file_with_a_missing_and_a_mistyped_column(
    tmp_path: Path, world: dict[str, pl.DataFrame]
) -> None:
    events = world["events"].drop("country").with_columns(pl.col("latitude").cast(pl.String))
    path = tmp_path / "events.parquet"
    events.write_parquet(path)
    result = validate_path(path)
    i001 = result.findings.filter(pl.col("rule") == "I001").to_dicts()
    assert len(i001) == 1
    assert i001[0]["source_file"] == str(path)
    assert "missing column country" in i001[0]["message"]
    assert "latitude is String" in i001[0]["message"]


def test_parquet_with_corrupted_pages_names_the_file(tmp_path: Path, example_dataset: Path) -> None:
    import shutil

    from tacitus.datasets.build import build_dataset
    from tacitus.errors import InputError

    dataset = tmp_path / "ds"
    shutil.copytree(example_dataset, dataset, ignore=shutil.ignore_patterns("build", ".tacitus-*"))
    out = tmp_path / "build"
    build_dataset(dataset, out, progress=False, workers=1)
    events = out / "events.parquet"
    data = bytearray(events.read_bytes())
    data[200:2000] = b"A" * 1800  # the data pages; the header and the footer still read
    events.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"events\.parquet: cannot read the file"):
        validate_path(out)


def test_unreadable_parquet_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "build"
    folder.mkdir()
    (folder / "events.parquet").write_bytes(b"not parquet at all")
    result = validate_path(folder)
    assert result.findings["rule"].to_list() == ["I001"]
    assert "cannot read" in result.findings["message"][0]
    assert result.exit_code() == 1


def test_parquet_all_null_columns_from_statistics(
    tmp_path: Path, world: dict[str, pl.DataFrame]
) -> None:
    events = world["events"].with_columns(
        pl.lit(None, dtype=pl.Float64).alias("latitude"),
        pl.lit(None, dtype=pl.Float64).alias("longitude"),
        pl.lit(None, dtype=pl.String).alias("country"),
    )
    folder = _write({**world, "events": events}, tmp_path / "build")
    result = validate_path(folder, select="L")
    assert result.findings.is_empty()
    assert set(result.skipped) == {"L001", "L002", "L003", "L004"}


def test_empty_built_folder(tmp_path: Path) -> None:
    folder = _write(Tables.empty().as_dict(), tmp_path / "empty")
    result = validate_path(folder)
    assert result.findings.is_empty() and result.exit_code(strict=True) == 0


def test_table_of_a_parquet_file(tmp_path: Path) -> None:
    path = tmp_path / "export-2024.parquet"
    frame_from_rows("casualties", [{"casualty_id": "x"}]).write_parquet(path)
    assert table_of(path) == "casualties"
    assert table_of(Path("x/my-events.parquet")) == "events"


def test_bad_paths_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        validate_path(tmp_path / "missing")
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(UsageError, match="not a dataset folder"):
        validate_path(tmp_path / "notes.txt")
    with pytest.raises(UsageError, match="neither a dataset folder"):
        validate_path(tmp_path)


def test_example_annotation_files_pass(example_dataset: Path) -> None:
    for path in sorted((example_dataset / "articles").iterdir()):
        result = validate_path(path)
        assert result.findings.to_dicts() == [], path
        assert {"S001", "E001", "C001", "K004", "D004"} <= set(result.checked)


def test_example_dataset_passes(example_dataset: Path) -> None:
    result = validate_path(example_dataset)
    assert result.findings.to_dicts() == []
    assert {"X001", "X002", "A004", "A005", "I004"} <= set(result.checked)


@pytest.mark.parametrize(
    ("report", "i004"),
    [
        (None, "skipped"),  # no build report: nothing to count against
        ('{"events_in": 35}', "passes"),
        ('{"events_in": 36}', "fails"),  # one event read but neither built nor rejected
        ("not json", "skipped"),
    ],
)
def test_built_folder_counts_events_against_its_build_report(
    tmp_path: Path, example_dataset: Path, report: str | None, i004: str
) -> None:
    import shutil

    from tacitus.datasets.build import build_dataset

    dataset = tmp_path / "ds"
    shutil.copytree(example_dataset, dataset, ignore=shutil.ignore_patterns("build", ".tacitus-*"))
    out = tmp_path / "build"
    build_dataset(dataset, out, progress=False, workers=1)
    if report is None:
        (out / "build-report.json").unlink()
    else:
        (out / "build-report.json").write_text(report, encoding="utf-8")
    result = validate_path(out, select="I004")
    state = "skipped" if "I004" in result.skipped else ("fails" if result.errors else "passes")
    assert state == i004


def test_timings_name_each_view_and_pass(world: dict[str, pl.DataFrame]) -> None:
    result = validate_tables(world)
    stages = result.timings
    # the events view is built once and passed over once; the article join view is
    # built inside the reference check's view, and counted once, under its own name
    assert {"view events", "pass events", "view events_published"} <= set(stages)
    assert all(seconds >= 0 for seconds in stages.values())


def test_timed_stages_exclude_the_stages_they_run() -> None:
    inputs = Inputs({})
    clock = iter([0.0, 1.0, 3.0, 10.0])  # outer starts, inner starts, ends, outer ends

    def inner() -> int:
        return inputs.timed("inner", lambda: 1)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("tacitus.validators.base.time.perf_counter", lambda: next(clock))
        assert inputs.timed("outer", inner) == 1
    assert inputs.timings == {"inner": 2.0, "outer": 8.0}
