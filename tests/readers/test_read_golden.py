"""Golden files: every converter's output on the fixtures, compared text for text.

Regenerate after an intended change with
``TACITUS_REGEN_GOLDEN=1 pytest tests/readers/test_read_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from tacitus.convert.gdelt_export import events_to_gdelt
from tacitus.convert.readers import read_coded, read_documents
from tacitus.convert.to_native import document_to_yaml
from tacitus.schema.rules import Finding

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
GOLDEN = DATA / "golden"

DOCUMENT_SOURCES = [
    ("brat", "brat/caspian-courier.ann"),
    ("brat", "brat/broken.ann"),
    ("labelstudio", "labelstudio/export.json"),
    ("inception", "inception/meridian-wire.xmi"),
    ("inception", "inception/broken.xmi"),
]
CODED_SOURCES = [
    ("gdelt", "gdelt/20191024143000.export.sample.CSV"),
    ("icews", "icews/events.2018.sample.tab"),
    ("ucdp", "ucdp/ged-sample.csv"),
]


def _findings(findings: list[Finding]) -> str:
    return "".join(
        f"{f.location()}\t{f.severity}\t{f.rule}\t{f.event_id or '-'}\t{f.message}\n"
        for f in findings
    )


def _csv(frame: pl.DataFrame) -> str:
    return frame.write_csv(float_precision=None)


def render() -> dict[str, str]:
    """Golden file name → expected text."""
    out: dict[str, str] = {}
    for fmt, rel in DOCUMENT_SOURCES:
        stem = f"{fmt}-{Path(rel).stem}"
        results = read_documents(fmt, DATA / rel, display_path=rel)
        out[f"{stem}.findings.tsv"] = _findings([p for r in results for p in r.problems])
        for result in results:
            if result.document is not None:
                out[f"{stem}.{result.article_id}.yaml"] = document_to_yaml(
                    result.document, source=rel
                )
    for fmt, rel in CODED_SOURCES:
        coded = read_coded(fmt, DATA / rel, display_path=rel)
        out[f"{fmt}.events.csv"] = _csv(coded.events)
        if coded.casualties.height:
            out[f"{fmt}.casualties.csv"] = _csv(coded.casualties)
        if coded.articles.height:
            out[f"{fmt}.articles.csv"] = _csv(coded.articles)
        out[f"{fmt}.findings.tsv"] = _findings(coded.problems)
        out[f"{fmt}.as-gdelt.CSV"] = events_to_gdelt(coded.events, coded.articles)
    return out


def test_outputs_match_the_golden_files() -> None:
    rendered = render()
    if os.environ.get("TACITUS_REGEN_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.iterdir():
            old.unlink()
        for name, text in rendered.items():
            (GOLDEN / name).write_text(text, encoding="utf-8", newline="")
        pytest.skip("golden files regenerated")
    expected = {p.name for p in GOLDEN.iterdir()}
    assert expected == set(rendered), "golden files differ in name: regenerate and review"
    for name, text in rendered.items():
        assert (GOLDEN / name).read_text(encoding="utf-8") == text, name
