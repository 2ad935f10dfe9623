"""Label Studio JSON export: UTF-16 or code-point offsets, relations, deleted regions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tacitus.convert.labelstudio import read_labelstudio
from tacitus.errors import InputError
from tacitus.schema.document import quoted_fields

DATA = Path(__file__).resolve().parents[1] / "data" / "readers" / "labelstudio"


def test_export_converts_each_task() -> None:
    good, _ = read_labelstudio(DATA / "export.json")
    assert good.problems == []
    doc = good.document
    assert doc is not None and doc.article.source == "Meridian Wire"
    ev1, ev2 = doc.events
    assert (ev1.id, ev1.code, ev2.code) == ("ev1", "195", "195")
    assert ev1.actor1 is not None and ev1.actor1.code == "PAKMIL"
    assert ev1.actor2 is not None and ev1.actor2.code == "IRNREB"
    assert ev1.date is not None and ev1.date.precision == "day"
    seven, several = ev1.casualties
    assert seven.count == 7 and [b.count for b in seven.breakdown] == [3]
    assert several.claimed_by == "PAKMIL"  # ClaimedBy Actor1 → the event's actor1 code
    assert ev2.location is not None and ev2.location.adm1 == "Balochistan"  # a left relation
    for event in doc.events:
        for _, part in quoted_fields(event):
            assert part.span is not None and doc.text[slice(*part.span)] == part.quote
    # the region's offsets in the file are UTF-16 (the text has an emoji before "struck"...)
    raw = json.loads((DATA / "export.json").read_text(encoding="utf-8"))
    region = next(
        r
        for r in raw[0]["annotations"][1]["result"]
        if r.get("id") == "ev2" and r["type"] == "labels"
    )
    assert region["value"]["start"] != ev2.start
    lines = (DATA / "export.json").read_text(encoding="utf-8").splitlines()
    assert "{" in lines[(ev1.line or 0) - 1]


def test_broken_task_reports_and_converts_the_rest() -> None:
    _, broken = read_labelstudio(DATA / "export.json")
    assert sorted(p.rule for p in broken.problems) == [
        "S003",
        "S011",
        "S011",
        "S012",
        "S014",
        "S015",
    ]
    assert all(p.source_line for p in broken.problems)
    warning = next(p for p in broken.problems if p.rule == "S015")
    assert warning.severity == "warning"
    assert broken.document is not None
    assert [e.id for e in broken.document.events] == ["e1", "e2"]  # code-point offsets
    assert [r.id for r in broken.raw_events] == ["e1", "e2", "e3"]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("not json", "not JSON"),
        ('[{"text": "a", "label": []}]', "JSON-MIN"),
        ('{"a": 1}', "list of tasks"),
    ],
)
def test_wrong_format(tmp_path: Path, content: str, why: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=why):
        read_labelstudio(path)


def test_a_task_without_text_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps([{"id": 1, "data": {"image": "x.png"}, "annotations": []}]))
    (result,) = read_labelstudio(path)
    assert result.document is None and [p.rule for p in result.problems] == ["S015"]


def test_a_result_whose_value_is_not_an_object_is_a_finding(tmp_path: Path) -> None:
    task = {
        "id": 1,
        "data": {"text": "Pakistan struck.", "article_id": "a1", "source": "W",
                 "published": "2024-01-18"},
        "annotations": [{"result": [
            {"id": "r1", "type": "labels", "value": ["Actor"]},
            {"id": "r1", "type": "textarea", "from_name": "values", "value": "code=PAKMIL"},
        ]}],
    }  # fmt: skip
    path = tmp_path / "x.json"
    path.write_text(json.dumps([task]))
    (result,) = read_labelstudio(path)
    assert result.document is not None
    assert [p.rule for p in result.problems] == ["S015"]
    assert "no character offsets" in result.problems[0].message


def test_ascii_escaped_export_keeps_lines_and_offsets(tmp_path: Path) -> None:
    """json.dump's default escapes emoji as surrogate pairs: still read, lines kept."""
    tasks = json.loads((DATA / "export.json").read_text(encoding="utf-8"))
    path = tmp_path / "ascii.json"
    text = json.dumps(tasks, indent=2)  # ensure_ascii: "\ud83d\udee9" in the file
    assert "\\ud83d" in text
    path.write_text(text, encoding="ascii")
    ours = read_labelstudio(path)
    original = read_labelstudio(DATA / "export.json")
    for a, b in zip(ours, original, strict=True):
        assert a.document is not None and b.document is not None
        assert [e.model_dump(exclude={"line"}) for e in a.document.events] == [
            e.model_dump(exclude={"line"}) for e in b.document.events
        ]
        assert [p.rule for p in a.problems] == [p.rule for p in b.problems]
        assert all(p.source_line for p in a.problems)
