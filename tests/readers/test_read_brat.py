"""brat standoff: ids kept, offsets checked, every defect a finding with its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tacitus.convert.brat import bundled_config, event_names, read_brat
from tacitus.convert.offsets import utf16_length
from tacitus.errors import InputError
from tacitus.schema.document import quoted_fields

DATA = Path(__file__).resolve().parents[1] / "data" / "readers" / "brat"


def test_good_file_converts_with_ids_values_and_lines() -> None:
    (result,) = read_brat(DATA / "caspian-courier.ann")
    assert result.problems == []
    doc = result.document
    assert doc is not None and doc.article.id == "caspian-courier-2024-01-18"
    e1, e2 = doc.events
    assert (e1.id, e1.code, e2.id, e2.code) == ("E1", "195", "E2", "195")
    assert e2.quote == "fired missiles"  # discontinuous T9 "fired" + "missiles": the extent
    assert e1.actor1 is not None and e1.actor1.code == "PAKMIL"
    assert e2.actor1 is not None and e2.actor1.code == "IRNMIL"  # from an N line (CAMEO:)
    assert e1.location is not None and e1.location.precision == "locality"
    assert e1.date is not None and str(e1.date.value) == "2024-01-18"
    killed, militants = e1.casualties
    assert (killed.count, killed.claimed_by, killed.category) == (7, "IRNGOV", "civilians")
    assert [b.count for b in killed.breakdown] == [3, 4]
    assert (militants.low, militants.high) == (3, 9)
    # every span is a slice of the text (the text has astral characters before them)
    for event in doc.events:
        for _, part in quoted_fields(event):
            assert part.span is not None and doc.text[slice(*part.span)] == part.quote
    # source lines: the E line for the event, the T line for its parts
    ann = ["", *(DATA / "caspian-courier.ann").read_text(encoding="utf-8").splitlines()]
    assert ann[e1.line or 0].startswith("E1\t")
    assert ann[e1.actor1.line or 0].startswith("T2\t")
    assert ann[killed.breakdown[0].line or 0].startswith("T6\t")
    assert [r.id for r in result.raw_events] == ["E1", "E2"]


def test_broken_file_reports_each_defect_on_its_line_and_converts_the_rest() -> None:
    (result,) = read_brat(DATA / "broken.ann")
    got = {(p.rule, p.source_line) for p in result.problems}
    assert got == {
        ("S013", 3),  # count=seven (reported at the span)
        ("S012", 5),  # T5 says Iraq, the text says Iran
        ("S010", 6),  # E1 Actor2 -> T9 missing
        ("S003", 8),  # event type "Attack" is no CAMEO code
        ("S011", 9),  # PartOf to a deleted T12
        ("S013", 12),  # unknown note key colour=
        ("S015", 13),  # spaces instead of tabs
    }
    assert result.document is not None
    assert [e.id for e in result.document.events] == ["E1", "E2", "E4"]
    assert [r.id for r in result.raw_events] == ["E1", "E2", "E3", "E4"]  # E3 accounted for
    assert result.document.events[1].actor1 is None  # its span T5 was bad: no second finding


def test_utf16_offsets_are_converted_with_a_warning(tmp_path: Path) -> None:
    text = (DATA / "caspian-courier.txt").read_text(encoding="utf-8")
    lines = []
    for line in (DATA / "caspian-courier.ann").read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            ident, rest, covered = line.split("\t")
            kind, ranges = rest.split(" ", 1)
            pieces = []
            for piece in ranges.split(";"):
                a, b = (int(x) for x in piece.split())
                pieces.append(f"{utf16_length(text[:a])} {utf16_length(text[:b])}")
            line = f"{ident}\t{kind} {';'.join(pieces)}\t{covered}"
        lines.append(line)
    for suffix in (".txt", ".meta.yaml"):
        shutil.copy(DATA / f"caspian-courier{suffix}", tmp_path / f"c{suffix}")
    (tmp_path / "c.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (result,) = read_brat(tmp_path / "c.ann")
    assert [(p.rule, p.severity) for p in result.problems] == [("S012", "warning")]
    (good,) = read_brat(DATA / "caspian-courier.ann")
    assert result.document is not None and good.document is not None
    assert result.document.model_dump() == good.document.model_dump()


def test_missing_metadata_and_text_are_findings(tmp_path: Path) -> None:
    shutil.copy(DATA / "caspian-courier.ann", tmp_path / "x.ann")
    shutil.copy(DATA / "caspian-courier.txt", tmp_path / "x.txt")
    (result,) = read_brat(tmp_path / "x.ann")
    assert result.document is None and [r.id for r in result.raw_events] == ["E1", "E2"]
    assert {p.rule for p in result.problems} == {"S016"}
    (tmp_path / "x.txt").unlink()
    (result,) = read_brat(tmp_path / "x.ann")
    assert [p.rule for p in result.problems] == ["S001"]


def test_wrong_format_is_one_line_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.ann"
    bad.write_text('{"not": "brat"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="not brat standoff"):
        read_brat(bad)
    with pytest.raises(InputError):
        read_brat(tmp_path / "x.json")


def test_shipped_configuration_covers_cameo() -> None:
    config = bundled_config()
    assert "\tE195\t" in config["annotation.conf"]
    assert "E195 | Employ aerial weapons (195) | 195" in config["visual.conf"]
    assert event_names()["employaerialweapons"] == "E195"
    assert config["annotation.conf"].count("Actor1?:Actor") >= 290
