"""`tacitus convert` end to end (in process)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from tacitus.cli import main
from tacitus.convert.native import load_document
from tacitus.convert.readers import read_documents, source_files

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"


def run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_brat_to_native(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "native"
    code = run(
        [
            "convert",
            str(DATA / "brat" / "caspian-courier.ann"),
            "--from",
            "brat",
            "--to",
            "native",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    written = out / "caspian-courier-2024-01-18.yaml"
    assert load_document(written).problems == []
    assert "2 of 2 events" in capsys.readouterr().out


def test_native_file_out_with_no_article_reports_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for suffix in (".ann", ".txt"):  # no .meta.yaml: the article does not load
        source = (DATA / "brat" / "caspian-courier").with_suffix(suffix)
        (tmp_path / source.name).write_bytes(source.read_bytes())
    out = tmp_path / "one.yaml"
    source = str(tmp_path / "caspian-courier.ann")
    code = run(["convert", source, "--from", "brat", "--to", "native", "--out", str(out)])
    assert code == 1
    assert not out.exists()
    captured = capsys.readouterr()
    assert "S016" in captured.err and "wrote nothing" in captured.out


def test_label_studio_to_parquet_reports_errors_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pq"
    code = run(
        [
            "convert",
            str(DATA / "labelstudio" / "export.json"),
            "--from",
            "labelstudio",
            "--to",
            "parquet",
            "--out",
            str(out),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "export.json:721: error S011" in err
    assert pl.read_parquet(out / "events.parquet").height == 4


def test_ucdp_to_parquet_names_the_scheme(tmp_path: Path) -> None:
    out = tmp_path / "ucdp"
    code = run(
        [
            "convert",
            str(DATA / "ucdp" / "ged-sample.csv"),
            "--from",
            "ucdp",
            "--to",
            "parquet",
            "--out",
            str(out),
            "-q",
        ]
    )
    assert code == 0  # warnings only
    meta = pq.read_metadata(out / "events.parquet").metadata[b"tacitus"].decode()
    assert '"tacitus.source_format": "ucdp"' in meta
    assert pl.read_parquet(out / "findings.parquet").height == 6


def test_gdelt_to_gdelt_and_wrong_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "g.CSV"
    source = DATA / "gdelt" / "20191024143000.export.sample.CSV"
    assert run(["convert", str(source), "--from", "gdelt", "--to", "gdelt", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("\n") == 40
    capsys.readouterr()
    assert run(["convert", str(source), "--from", "icews", "--to", "parquet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "is not an ICEWS events file" in err
    assert run(["convert", str(source), "--from", "gdelt", "--to", "native"]) == 2


def test_registry_lists_and_reads_sources() -> None:
    names = [p.name for p in source_files("brat", DATA / "brat")]
    assert names == ["broken.ann", "caspian-courier.ann"]
    assert [p.name for p in source_files("inception", DATA / "inception")] == [
        "broken.xmi",
        "meridian-wire.xmi",
    ]
    results = read_documents(
        "labelstudio", DATA / "labelstudio" / "export.json", display_path="sources/export.json"
    )
    assert {r.source_file for r in results} == {"sources/export.json"}


def test_repeated_article_id_is_not_written_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    tasks = json.loads((DATA / "labelstudio" / "export.json").read_text(encoding="utf-8"))
    twice = tmp_path / "twice.json"
    # The second copy of the first task has the same article id but another title.
    again = json.loads(json.dumps(tasks[0]))
    again["data"]["title"] = "A later copy"
    twice.write_text(json.dumps([*tasks, again], indent=1), encoding="utf-8")
    out = tmp_path / "native"
    code = run(
        ["convert", str(twice), "--from", "labelstudio", "--to", "native", "--out", str(out)]
    )
    assert code == 1
    assert "S007" in capsys.readouterr().err
    written = sorted(p.name for p in out.glob("*.yaml"))
    assert len(written) == len(
        {d.article.id for r in read_documents("labelstudio", twice) if (d := r.document)}
    )
    first = read_documents("labelstudio", DATA / "labelstudio" / "export.json")[0].document
    assert first is not None
    kept = load_document(out / f"{first.article.id}.yaml").document
    assert kept is not None and kept.article.title == first.article.title
