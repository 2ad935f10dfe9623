"""`tacitus validate`: every output format, exit codes, --strict, --select/--ignore, the
GitHub step summary, HTML escaping, and bad input given as a path."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from tacitus.cli.validate import command
from tacitus.schema.tables import frame_from_rows

# One article that breaks several rules, each on a known line. The text carries markup
# that the HTML report must escape; one quote (not in the text) is markup too.
BROKEN = """\
article:
  id: broken
  source: Wire
  published: 2024-01-18
  text: Pakistani forces struck near Saravan on Thursday, killing seven people. Aides said <b>nothing</b>.
events:
  - id: e1
    code: "1950"
    quote: struck near Saravan
    actor1: {code: PAKMIL, name: Pakistani forces, quote: Pakistani forces}
    actor2: {code: PAKMIL, name: Pakistani forces}
    date: {value: 2024-01-18, quote: on Thursday}
    location: {name: Saravan, country: IRN, latitude: 95.0, longitude: 62.33}
    casualties:
      - kind: killed
        count: 9
        quote: killing seven people
  - id: e2
    code: "111"
    quote: <script>alert(1)</script>
    actor1: {code: IRNCVL, name: Villagers}
    date: {value: 2024-01-18}
    casualties:
      - {kind: killed, count: 2}
"""
# lines of the two events (event findings point there; quote findings at the quote)
LINE_E1, LINE_E2 = 7, 18

WARNING_ONLY = """\
article:
  id: calm
  source: Wire
  published: 2024-01-18
  text: Officials criticised the strike on Thursday, which killed two people.
events:
  - id: e1
    code: "111"
    quote: criticised the strike
    actor1: {code: IRNGOV, name: Officials}
    date: {value: 2024-01-18, quote: on Thursday}
    casualties:
      - {kind: killed, count: 2, quote: killed two people}
"""


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run `tacitus validate ARGS` in-process: (exit code, stdout)."""
    runner = CliRunner()
    result = runner.invoke(command, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


@pytest.fixture
def warning_only(tmp_path: Path) -> Path:
    path = tmp_path / "calm.yaml"
    path.write_text(WARNING_ONLY, encoding="utf-8")
    return path


def _json(*args: str) -> dict:
    code, out = invoke(*args, "--format", "json")
    report = json.loads(out)
    assert report["summary"]["exit_code"] == code
    return report


def test_text_lists_findings_with_file_and_line(broken: Path) -> None:
    code, out = invoke(str(broken))
    assert code == 1
    assert f"{broken}:{LINE_E1}: C001 error event code '1950'" in out
    assert "A006" in out and "L002" in out and "K004" in out
    assert out.rstrip().splitlines()[-1].startswith("tacitus: ")
    assert "\x1b[" not in out  # no colour when not a terminal


def test_json_has_every_finding_with_its_location(broken: Path) -> None:
    report = _json(str(broken))
    rules = {f["rule"] for f in report["findings"]}
    assert {"C001", "A006", "L002", "K004", "E001", "K005"} <= rules
    assert all(f["source_file"] == str(broken) for f in report["findings"])
    assert all(isinstance(f["source_line"], int) for f in report["findings"])
    assert report["summary"]["errors"] == sum(f["severity"] == "error" for f in report["findings"])
    by_rule = {r["rule"]: r["count"] for r in report["summary"]["by_rule"]}
    assert sum(by_rule.values()) == len(report["findings"])


def test_exit_codes_and_strict(broken: Path, warning_only: Path) -> None:
    assert invoke(str(broken))[0] == 1
    report = _json(str(warning_only))
    assert {f["severity"] for f in report["findings"]} == {"warning"}  # K005 only
    assert invoke(str(warning_only))[0] == 0
    assert invoke(str(warning_only), "--strict")[0] == 1
    assert invoke(str(warning_only), "--ignore", "K005", "--strict")[0] == 0


def test_select_and_ignore(broken: Path) -> None:
    only_l = _json(str(broken), "--select", "L")
    assert {f["rule"] for f in only_l["findings"]} == {"L002"}
    assert set(only_l["checked"]) <= {"L001", "L002", "L003", "L004"}
    some = _json(str(broken), "--select", "C001,A", "--ignore", "A007")
    assert {f["rule"] for f in some["findings"]} == {"C001", "A006"}
    assert invoke(str(broken), "--select", "L,C", "--ignore", "L002,C001")[0] == 0


def test_unknown_rule_or_path_is_exit_2(broken: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    bad_rule = runner.invoke(command, [str(broken), "--select", "Q123"])
    assert bad_rule.exit_code == 2 and "unknown rule" in bad_rule.stderr
    missing = runner.invoke(command, [str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_junit_parses_with_the_right_failure_counts(broken: Path) -> None:
    report = _json(str(broken))
    code, out = invoke(str(broken), "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    failed = {
        case.get("name", "").split()[0]
        for case in root.iter("testcase")
        if case.find("failure") is not None
    }
    errors = {f["rule"] for f in report["findings"] if f["severity"] == "error"}
    warnings = {f["rule"] for f in report["findings"]} - errors
    assert failed == errors  # warnings do not fail a case without --strict
    assert int(root.get("failures", "-1")) == len(errors)
    assert sum(int(s.get("failures", "0")) for s in root.iter("testsuite")) == len(errors)
    c001 = next(c for c in root.iter("testcase") if c.get("name", "").startswith("C001"))
    failure = c001.find("failure")
    assert failure is not None and f"{broken}:{LINE_E1}" in (failure.text or "")
    strict = ET.fromstring(invoke(str(broken), "--format", "junit", "--strict")[1])
    assert int(strict.get("failures", "-1")) == len(errors | warnings)


def test_sarif_results_carry_file_and_line(broken: Path) -> None:
    report = _json(str(broken))
    code, out = invoke(str(broken), "--format", "sarif")
    assert code == 1
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    results = run["results"]
    assert len(results) == len(report["findings"])
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"error", "warning"}
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"].endswith("broken.yaml")
        assert physical["region"]["startLine"] >= 1
    lines = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
    }
    assert ("C001", LINE_E1) in lines


def test_github_annotations_are_capped_at_ten(tmp_path: Path) -> None:
    # 14 events with an unknown code: 14 errors, of which GitHub gets 10 annotations
    events = "".join(f'  - id: e{i}\n    code: "99{i:02d}"\n' for i in range(14))
    path = tmp_path / "many.yaml"
    path.write_text(
        "article: {id: many, source: W, published: 2024-01-18, text: Nothing happened.}\n"
        "events:\n" + events,
        encoding="utf-8",
    )
    code, out = invoke(str(path), "--format", "github", "--select", "C001")
    assert code == 1
    lines = out.splitlines()
    annotations = [line for line in lines if line.startswith(("::error", "::warning"))]
    assert len(annotations) == 10
    assert annotations[0] == (
        f"::error file={path},line=3,title=C001::event code '9900' is not in the CAMEO codebook"
    )
    summary = next(line for line in lines if line.startswith("tacitus: "))
    assert "14 errors" in summary and "4 more findings not annotated" in summary
    # every finding is still in the log, in a collapsed group
    assert lines.count("::group::All findings") == 1
    assert sum(1 for line in lines if ": C001 error " in line) == 14


def test_github_writes_the_step_summary(broken: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    code, _out = invoke(
        str(broken), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## tacitus validate")  # appended, not replaced
    assert "| C001 | error | 1 |" in text
    assert "<script>" not in text


def test_github_without_step_summary_writes_nothing(broken: Path, tmp_path: Path) -> None:
    code, _ = invoke(str(broken), "--format", "github", env={"GITHUB_STEP_SUMMARY": ""})
    assert code == 1
    assert list(tmp_path.iterdir()) == [broken]


def test_html_escapes_article_text_and_quotes(broken: Path) -> None:
    code, out = invoke(str(broken), "--format", "html")
    assert code == 1
    assert out.startswith("<!DOCTYPE html>")
    assert "<script>" not in out and "alert(1)</script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<b>nothing</b>" not in out
    assert f"{broken}:{LINE_E2 + 2}" in out  # the E001 quote's line


def test_output_file(broken: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out = invoke(str(broken), "--format", "json", "--output", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["errors"] > 0


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github", "sarif", "html"])
def test_every_format_on_a_clean_file_passes(warning_only: Path, fmt: str) -> None:
    code, out = invoke(str(warning_only), "--format", fmt, "--ignore", "K005")
    assert code == 0
    assert out.strip()


def test_bad_parquet_column_is_one_finding(tmp_path: Path) -> None:
    events = frame_from_rows(
        "events", [{"event_id": "a/e1", "event_code": "195", "latitude": 10.0}]
    ).with_columns(pl.col("latitude").cast(pl.String))
    path = tmp_path / "events.parquet"
    events.drop("country").write_parquet(path)
    report = _json(str(path))
    i001 = [f for f in report["findings"] if f["rule"] == "I001"]
    assert len(i001) == 1 and i001[0]["source_file"] == str(path)
    assert "country" in i001[0]["message"] and "latitude" in i001[0]["message"]


def test_empty_dataset_validates_as_empty(tmp_path: Path) -> None:
    for name in ("articles", "events", "casualties", "evidence"):
        frame_from_rows(name, []).write_parquet(tmp_path / f"{name}.parquet")
    code, out = invoke(str(tmp_path))
    assert code == 0
    assert "no findings" in out


def test_rules_doc_and_clusters(example_dataset: Path, tmp_path: Path) -> None:
    code, out = invoke("--rules-doc")
    assert code == 0 and out.startswith("# Validation rules")
    clusters = tmp_path / "clusters.csv"
    code, _ = invoke(str(example_dataset), "--select", "X", "--clusters", str(clusters))
    frame = pl.read_csv(clusters)
    # the Pakistani strikes of 18 January are reported by all four articles
    strike = frame.filter(pl.col("event_id").str.ends_with("pakistan-strikes/e1"))
    assert strike["n_articles"].to_list() == [4]
    assert frame.filter(pl.col("cluster_id") == strike["cluster_id"][0]).height == 4


def test_ucdp_import_ranges_are_warnings_unless_strict(tmp_path: Path) -> None:
    from tacitus.cli.convert import command as convert

    source = Path(__file__).resolve().parents[1] / "data" / "readers" / "ucdp" / "ged-sample.csv"
    out = tmp_path / "ucdp"
    converted = CliRunner().invoke(
        convert, [str(source), "--from", "ucdp", "--to", "parquet", "--out", str(out), "-q"]
    )
    assert converted.exit_code == 0, converted.output
    report = _json(str(out))
    assert {(f["rule"], f["severity"]) for f in report["findings"]} == {
        ("K002", "warning"),
        ("K003", "warning"),
    }
    assert invoke(str(out))[0] == 0
    assert invoke(str(out), "--strict")[0] == 1


def test_clusters_file_that_cannot_be_written_is_exit_2(broken: Path, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "clusters.csv"
    result = CliRunner().invoke(command, [str(broken), "--clusters", str(target)])
    assert result.exit_code == 2 and result.exception is not None
    assert isinstance(result.exception, SystemExit)
    assert f"cannot write {target}" in result.stderr


def test_clusters_of_a_mistyped_table_skip_the_column(tmp_path: Path) -> None:
    events = frame_from_rows(
        "events",
        [
            {"event_id": "a/e1", "article_id": "a", "event_code": "195", "killed_best": 1},
            {"event_id": "b/e1", "article_id": "b", "event_code": "195", "killed_best": 5},
        ],
    ).with_columns(pl.col("date_start").cast(pl.String).fill_null("2024-01-18"))
    events.write_parquet(tmp_path / "events.parquet")
    target = tmp_path / "clusters.csv"
    code, out = invoke(str(tmp_path), "--format", "json", "--clusters", str(target))
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["I001"]
    # without a usable date_start no event can be clustered: an empty file, no traceback
    assert pl.read_csv(target).height == 0


def test_step_summary_that_cannot_be_written_is_exit_2(broken: Path, tmp_path: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path)}  # a folder: cannot be appended to
    result = CliRunner().invoke(command, [str(broken), "--format", "github"], env=env)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "cannot write the step summary" in result.stderr
