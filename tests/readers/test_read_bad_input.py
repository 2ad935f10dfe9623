"""Bad input: the wrong format stops in one line; damaged annotations are findings with lines.

A file in the wrong format for ``--from`` exits 2 with one line on stderr. A truncated or
inconsistent annotation (an event pointing at a missing span, a relation to a deleted
region, a cut .ann line, a cut JSON export) is a finding with its file and line, and the
rest of the file converts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tacitus.cli import main
from tacitus.convert.brat import read_brat
from tacitus.convert.labelstudio import read_labelstudio
from tacitus.convert.readers import read_documents
from tacitus.errors import InputError
from tacitus.schema.document import Quoted

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
BRAT = DATA / "brat" / "caspian-courier.ann"
LABEL_STUDIO = DATA / "labelstudio" / "export.json"
XMI = DATA / "inception" / "meridian-wire.xmi"
GDELT = DATA / "gdelt" / "20191024143000.export.sample.CSV"
ICEWS = DATA / "icews" / "events.2018.sample.tab"
UCDP = DATA / "ucdp" / "ged-sample.csv"


def run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.mark.parametrize(
    ("source", "wrong"),
    [
        (BRAT, "labelstudio"),
        (BRAT, "inception"),
        (BRAT, "gdelt"),
        (LABEL_STUDIO, "brat"),
        (LABEL_STUDIO, "inception"),
        (LABEL_STUDIO, "ucdp"),
        (XMI, "labelstudio"),
        (XMI, "brat"),
        (GDELT, "icews"),
        (GDELT, "ucdp"),
        (GDELT, "labelstudio"),
        (ICEWS, "gdelt"),
        (ICEWS, "ucdp"),
        (UCDP, "icews"),
        (UCDP, "gdelt"),
        (UCDP, "inception"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_wrong_from_is_one_line_and_exit_2(
    source: Path, wrong: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = "native" if wrong in ("brat", "labelstudio", "inception") else "parquet"
    code = run(["convert", str(source), "--from", wrong, "--to", target, "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and str(source.name) in lines[0], captured.err
    assert list(tmp_path.iterdir()) == []  # nothing written


def _brat_copy(tmp_path: Path, lines: list[str]) -> Path:
    for suffix in (".txt", ".meta.yaml"):
        shutil.copy(BRAT.with_suffix("").with_name(BRAT.stem + suffix), tmp_path / f"c{suffix}")
    (tmp_path / "c.ann").write_text("\n".join(lines), encoding="utf-8")  # no final newline
    return tmp_path / "c.ann"


def test_brat_truncated_last_lines_are_findings_and_the_rest_converts(tmp_path: Path) -> None:
    lines = BRAT.read_text(encoding="utf-8").splitlines()
    e2 = next(i for i, line in enumerate(lines) if line.startswith("E2\t"))
    cut = [*lines, "E3\tE190:T1 Actor1:T2 Loc", "T13\tLocation 357"]
    cut[e2] = "E2\tEmploy_aerial_weapons:T9 Actor1:T10 Da"  # cut mid-argument
    (result,) = read_brat(_brat_copy(tmp_path, cut))
    got = [(p.rule, p.source_line, p.field) for p in result.problems]
    assert got == [
        ("S015", e2 + 1, "E2"),
        ("S015", len(lines) + 1, "E3"),
        ("S015", len(lines) + 2, "T13"),
    ]
    assert all("truncated?" in p.message for p in result.problems)
    assert result.document is not None
    assert [e.id for e in result.document.events] == ["E1"]
    # the unreadable events are still counted, so a build accounts for them
    assert [r.id for r in result.raw_events] == ["E1", "E2", "E3"]


def test_brat_event_pointing_at_a_missing_span_keeps_the_event(tmp_path: Path) -> None:
    lines = [
        line.replace("Date:T4", "Date:T44") if line.startswith("E1\t") else line
        for line in BRAT.read_text(encoding="utf-8").splitlines()
    ]
    (result,) = read_brat(_brat_copy(tmp_path, lines))
    (problem,) = result.problems
    assert problem.rule == "S010" and "T44" in problem.message
    assert lines[(problem.source_line or 0) - 1].startswith("E1\t")
    assert result.document is not None
    e1, e2 = result.document.events
    assert e1.date is None and e1.actor1 is not None and e2.date is not None


def test_brat_span_ids_are_the_source_lines_of_every_value() -> None:
    """Each value keeps the line of its T annotation, so the T id is one lookup away."""
    (result,) = read_brat(BRAT)
    lines = ["", *BRAT.read_text(encoding="utf-8").splitlines()]
    ids = {n: line.split("\t")[0] for n, line in enumerate(lines) if line.startswith("T")}
    doc = result.document
    assert doc is not None
    seen = []
    for event in doc.events:
        assert lines[event.line or 0].split("\t")[0] == event.id  # E id and E line
        parts: list[Quoted | None] = [event.actor1, event.actor2, event.date, event.location]
        parts += [*event.casualties, *(b for c in event.casualties for b in c.breakdown)]
        for part in parts:
            if part is None:
                continue
            ident = ids[part.line or 0]
            written = lines[part.line or 0].split("\t")[2]
            assert part.quote == written, ident
            seen.append(ident)
    assert sorted(seen, key=lambda i: int(i[1:])) == [
        "T2",
        "T3",
        "T4",
        "T5",
        "T6",
        "T7",
        "T8",
        "T10",
        "T11",
        "T12",
    ]


def test_label_studio_truncated_export_converts_the_complete_tasks(tmp_path: Path) -> None:
    text = LABEL_STUDIO.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    second = next(i for i, line in enumerate(lines) if line.startswith('    "id": 102')) - 1
    cut = tmp_path / "cut.json"
    cut.write_text("".join(lines[: second + 30]), encoding="utf-8")
    first, rest = read_labelstudio(cut)
    (full_first, _) = read_labelstudio(LABEL_STUDIO)
    assert first.document is not None and full_first.document is not None
    assert first.document.model_dump() == full_first.document.model_dump()
    assert [e.line for e in first.document.events] == [e.line for e in full_first.document.events]
    assert rest.document is None
    (problem,) = rest.problems
    assert (problem.rule, problem.source_line) == ("S015", second + 1)
    assert "truncated" in problem.message and str(problem.source_file) == str(cut)


def test_label_studio_damaged_task_in_the_middle(tmp_path: Path) -> None:
    tasks = json.loads(LABEL_STUDIO.read_text(encoding="utf-8"))
    good = json.dumps(tasks[0], indent=1)
    path = tmp_path / "x.json"
    path.write_text(f'[\n{good},\n{{"data": {{"text": oops}}}},\n{good}\n]\n', encoding="utf-8")
    first, rest = read_labelstudio(path)
    assert first.document is not None and first.problems == []
    (problem,) = rest.problems
    assert problem.source_line == good.count("\n") + 3
    assert "JSON error at line" in problem.message


def test_label_studio_relation_to_a_deleted_region(tmp_path: Path) -> None:
    tasks = json.loads(LABEL_STUDIO.read_text(encoding="utf-8"))
    annotation = next(a for a in tasks[0]["annotations"] if a["result"])
    results = annotation["result"]
    actor2 = next(r for r in results if r["type"] == "relation" and r["labels"] == ["Actor2"])
    target = actor2["to_id"]
    annotation["result"] = [
        r for r in results if not (r.get("id") == target and r["type"] == "labels")
    ]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(tasks[:1], indent=2), encoding="utf-8")
    (result,) = read_labelstudio(path)
    rules = sorted(p.rule for p in result.problems)
    assert set(rules) == {"S011"} and all(p.source_line for p in result.problems)
    assert result.document is not None and len(result.document.events) == 2
    assert result.document.events[0].actor2 is None


def test_truncated_xmi_is_one_line_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.xmi"
    path.write_bytes(XMI.read_bytes()[:2500])
    with pytest.raises(InputError) as info:
        read_documents("inception", path)
    assert "\n" not in str(info.value) and "line" in str(info.value)
