"""INCEpTION UIMA CAS XMI through cassis: UTF-16 offsets, links, dangling references."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from make_inception_fixtures import TEXT, render

from tacitus.convert.inception import read_inception
from tacitus.convert.labelstudio import read_labelstudio
from tacitus.errors import InputError
from tacitus.schema.document import quoted_fields

DATA = Path(__file__).resolve().parents[1] / "data" / "readers" / "inception"


def test_committed_fixtures_are_what_cassis_builds() -> None:
    for name, text in render().items():
        assert (DATA / name).read_text(encoding="utf-8") == text, name


def test_xmi_offsets_are_utf16_and_are_converted() -> None:
    xmi = (DATA / "meridian-wire.xmi").read_text(encoding="utf-8")
    begin = int(re.search(r'begin="(\d+)" end="\d+" code="IRNMIL"', xmi).group(1))  # type: ignore[union-attr]
    python_start = TEXT.index("Iranian missiles")
    assert begin == python_start + 1  # the plane emoji before it is two UTF-16 units
    (result,) = read_inception(DATA / "meridian-wire.xmi")
    assert result.problems == []
    doc = result.document
    assert doc is not None and doc.article.id == "meridian-wire-2024-01-18"
    for event in doc.events:
        for _, part in quoted_fields(event):
            assert part.span is not None and doc.text[slice(*part.span)] == part.quote
    ev2 = doc.events[1]
    assert ev2.actor1 is not None and ev2.actor1.start == python_start
    lines = (DATA / "meridian-wire.xmi").read_text(encoding="utf-8").splitlines()
    assert 'identifier="ev1"' in lines[(doc.events[0].line or 0) - 1]


def test_same_article_gives_the_same_events_as_label_studio() -> None:
    (xmi,) = read_inception(DATA / "meridian-wire.xmi")
    ls, _ = read_labelstudio(DATA.parent / "labelstudio" / "export.json")
    assert xmi.document is not None and ls.document is not None
    a = [e.model_dump() for e in xmi.document.events]
    b = [e.model_dump() for e in ls.document.events]
    # Same annotations; the LS text lacks the trailing flag emoji, offsets are identical.
    assert a == b


def test_broken_xmi_reports_each_defect_with_its_line() -> None:
    (result,) = read_inception(DATA / "broken.xmi")
    got = sorted((p.rule, p.source_line) for p in result.problems)
    assert [rule for rule, _ in got] == ["S010", "S011", "S012"]
    assert all(line for _, line in got)
    assert result.document is not None
    ev1, ev2 = result.document.events
    assert ev1.actor2 is None and ev2.actor1 is None
    assert ev1.casualties[0].breakdown == []


def test_typesystem_beside_the_file_is_used(tmp_path: Path) -> None:
    shutil.copy(DATA / "meridian-wire.xmi", tmp_path / "doc.xmi")
    shutil.copy(
        Path(__file__).resolve().parents[2] / "src/tacitus/convert/assets/inception/typesystem.xml",
        tmp_path / "TypeSystem.xml",
    )
    (result,) = read_inception(tmp_path / "doc.xmi")
    assert result.problems == [] and result.document is not None


def test_zip_export_and_wrong_format(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "export.zip", "w") as archive:
        archive.write(DATA / "meridian-wire.xmi", "annotation/doc/meridian.xmi")
    (result,) = read_inception(tmp_path / "export.zip")
    assert result.document is not None and result.source_file.endswith(
        "!annotation/doc/meridian.xmi"
    )
    (tmp_path / "x.xmi").write_text("<html/>", encoding="utf-8")
    with pytest.raises(InputError, match="not xmi:XMI"):
        read_inception(tmp_path / "x.xmi")
    (tmp_path / "y.xmi").write_text("T1\tActor 0 4\tIran", encoding="utf-8")
    with pytest.raises(InputError, match="not XML"):
        read_inception(tmp_path / "y.xmi")
