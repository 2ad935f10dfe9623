"""`tacitus codebook`: event codes, search, actor codes, country codes; text, rich and JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tacitus.cli import codebook as codebook_cli
from tacitus.cli import main
from tacitus.cli.codebook import command


def run(*args: str) -> str:
    """Invoke the command in-process; return stdout (stdout is not a TTY: plain text)."""
    result = CliRunner().invoke(command, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run through ``tacitus.cli.main`` as the console script does: (exit code, out, err)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_event_code() -> None:
    out = run("195")
    assert out.splitlines()[0] == "195  Employ aerial weapons"
    assert "base code:     195" in out
    assert "root code:     19 FIGHT" in out
    assert "Goldstein:     -10.0" in out
    assert "QuadClass:     4 material conflict (GDELT scheme)" in out
    assert "ICEWS 4" in out and "PLOVER ASSAULT" in out
    assert "description:   Attack, bomb from air" in out
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal


def test_event_code_json() -> None:
    record = json.loads(run("195", "--json"))
    assert record["code"] == "195" and record["name"] == "Employ aerial weapons"
    assert (record["base_code"], record["root_code"], record["goldstein"]) == ("195", "19", -10.0)
    assert (record["quad_class"], record["quad_class_scheme"]) == (4, "GDELT")
    assert record["quad_class_name"] == "material conflict"
    assert record["other_schemes"] == {"ICEWS": 4, "PHOENIX": 4, "PLOVER": "ASSAULT"}
    assert record["icews_only"] is False
    assert record["codebook_version"] == "cameo-1.1b3+gdelt-2013/tacitus-1"


def test_several_codes_and_icews_only() -> None:
    records = json.loads(run("--json", "195", "1213"))
    assert [r["code"] for r in records] == ["195", "1213"]
    assert records[1]["icews_only"] is True
    assert "ICEWS-only code" in run("1213")


def test_root_code_without_description() -> None:
    out = run("19")
    assert out.startswith("19  FIGHT") and "description" not in out


def test_search() -> None:
    out = run("search", "air", "strike")
    assert out.splitlines()[0].split()[0] == "195"
    assert "Employ aerial weapons" in out.splitlines()[0]
    assert run("search", "airstrike").splitlines()[0].startswith("195 ")


def test_search_json_and_limit() -> None:
    records = json.loads(run("search", "air strike", "--json", "--limit", "3"))
    assert len(records) == 3 and records[0]["code"] == "195"
    assert records[0]["quad_class_scheme"] == "GDELT"


def test_search_no_match() -> None:
    assert "no CAMEO event code matches 'zzzqqq'" in run("search", "zzzqqq")
    assert json.loads(run("search", "zzzqqq", "--json")) == []


def test_actor() -> None:
    out = run("actor", "PAKMIL")
    assert out.splitlines() == [
        "PAKMIL",
        "  PAK  country  Pakistan",
        "  MIL  role     Military (primary role)",
    ]


def test_actor_groups_and_json() -> None:
    out = run("actor", "AFGREBTAL")
    assert "TAL  group    Taliban" in out
    record = json.loads(run("actor", "IGOUNO", "--json"))
    assert record["country"] is None and record["roles"] == ["IGO"] and record["groups"] == ["UNO"]
    assert record["trios"] == [
        {
            "trio": "IGO",
            "kind": "international",
            "meaning": "Inter-governmental organisation",
            "level": "international",
        },
        {"trio": "UNO", "kind": "group", "meaning": "United Nations"},
    ]


def test_country() -> None:
    out = run("country", "MMR")
    assert out.splitlines()[0] == "MMR  Myanmar"
    assert "iso3: MMR" in out and "fips: BM" in out
    record = json.loads(run("country", "ROU", "--json"))
    assert record["kind"] == "alias" and record["alias_of"] == "ROM"


def test_summary() -> None:
    out = run()
    assert "cameo-1.1b3+gdelt-2013/tacitus-1" in out and "GDELT" in out
    assert "events" in out and "312" in out
    record = json.loads(run("--json"))
    assert record["counts"]["events"] == 312 and record["quad_class_scheme"] == "GDELT"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["actor", "PAKXYZ"], "unknown trio 2 'XYZ'"),
        (["actor", "pakmil"], "did you mean 'PAKMIL'?"),
        (["actor", "PA"], "has 2 letters"),
        (["actor", ""], "empty actor code"),
        (["999"], "no CAMEO event code '999'"),
        (["PAKMIL"], "tacitus codebook actor PAKMIL"),
        (["bombing"], "tacitus codebook search bombing"),
        (["country", "AFR"], "region Africa"),
        (["search"], "needs words"),
        (["actor"], "needs an actor code"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run_main(capsys, "codebook", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("tacitus: error: ")
    assert message in err


def test_success_through_main(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "codebook", "195")
    assert (code, err) == (0, "")
    assert out.startswith("195  Employ aerial weapons")


def test_rich_output_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codebook_cli, "_stdout_is_tty", lambda: True)
    for args, expected in (
        (["195"], "Employ aerial weapons"),
        (["search", "air strike"], "Employ aerial weapons"),
        (["actor", "PAKMIL"], "Pakistan"),
    ):
        out = run(*args)
        assert expected in out
    assert "┃" in run("actor", "PAKMIL")  # a rich table, not the plain layout
    # --json stays JSON on a terminal
    assert json.loads(run("195", "--json"))["code"] == "195"


def test_console_script_exit_code() -> None:
    """The real process: one line on stderr and exit code 2 for an invalid actor code."""
    result = subprocess.run(
        [sys.executable, "-m", "tacitus", "codebook", "actor", "PAKXYZ"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("tacitus: error: actor code 'PAKXYZ'")
    assert result.stderr.count("\n") == 1
