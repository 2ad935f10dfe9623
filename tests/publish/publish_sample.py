"""Small hand-made tables for the publish tests (the build is not needed to make them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path
from typing import Any

from tacitus.schema.dataset import DatasetConfig
from tacitus.schema.tables import Tables, frame_from_rows

TEXT_A = (
    "ISLAMABAD - Pakistan's armed forces struck militant targets inside Iran early on "
    "Thursday. Iranian officials said the blasts killed seven people, three women and "
    "four children.\n\nOn Friday Tehran demanded an explanation from Islamabad."
)
TEXT_B = (
    "QUETTA - Iran's Revolutionary Guards fired missiles at two bases in Balochistan on "
    "Tuesday night, killing two children. <script>document.title='pwned'</script> & more."
)


def config(*, name: str = "demo", version: str = "0.1.0", text: bool = True) -> DatasetConfig:
    return DatasetConfig.model_validate(
        {
            "dataset": {
                "name": name,
                "version": version,
                "title": "Demo <strikes> & co",
                "description": "A demo dataset for the publish tests.",
                "licence": "CC-BY-4.0",
                "text_redistributable": text,
            }
        }
    )


def _span(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def _evidence(
    article_id: str, event_id: str, text: str, items: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    rows = []
    for field, quote in items:
        start, end = _span(text, quote)
        rows.append(
            {
                "event_id": event_id,
                "article_id": article_id,
                "field": field,
                "start": start,
                "end": end,
                "quote": quote,
                "source_file": f"articles/{article_id}.yaml",
                "source_line": 10,
            }
        )
    return rows


def tables(*, killed_a1: int = 7, extra_event: bool = False) -> Tables:
    """Two articles, four events (one undated, one without a location)."""
    articles = [
        {
            "article_id": "wire-a",
            "source": "Wire",
            "url": "https://example.org/a",
            "published": dt.date(2024, 1, 19),
            "language": "en",
            "title": "Pakistan strikes inside Iran",
            "text": TEXT_A,
            "text_sha256": hashlib.sha256(TEXT_A.encode()).hexdigest(),
            "n_events": 2,
            "source_file": "articles/wire-a.yaml",
            "source_line": 1,
        },
        {
            "article_id": "paper-b",
            "source": "Paper <B>",
            "url": "javascript:alert(1)",
            "published": dt.date(2024, 1, 17),
            "language": "en",
            "title": "Iran fires <missiles>",
            "text": TEXT_B,
            "text_sha256": hashlib.sha256(TEXT_B.encode()).hexdigest(),
            "n_events": 2,
            "source_file": "articles/paper-b.yaml",
            "source_line": 1,
        },
    ]

    def event(eid: str, article: str, code: str, a1: str, a2: str, **kw: Any) -> dict[str, Any]:
        row = {
            "event_id": f"{article}/{eid}",
            "article_id": article,
            "event_code": code,
            "base_code": code[:3],
            "root_code": code[:2],
            "quad_class": 4 if code.startswith(("18", "19", "20")) else 1,
            "goldstein": -10.0 if code.startswith("19") else -2.0,
            "actor1_code": a1,
            "actor2_code": a2,
            "date_precision": "day",
            "date_source": "text",
            "source_file": f"articles/{article}.yaml",
            "source_line": 20,
        }
        row.update(kw)
        return row

    events = [
        event(
            "e1",
            "wire-a",
            "195",
            "PAKMIL",
            "PAKSEP",
            date_start=dt.date(2024, 1, 18),
            date_end=dt.date(2024, 1, 18),
            location_name="Sistan-o-Balochistan",
            country="IRN",
            latitude=27.5,
            longitude=60.6,
            geo_precision="adm1",
            killed_low=killed_a1,
            killed_best=killed_a1,
            killed_high=killed_a1,
        ),
        event(
            "e2",
            "wire-a",
            "101",
            "IRNGOV",
            "PAKGOV",
            date_start=dt.date(2024, 1, 19),
            date_end=dt.date(2024, 1, 19),
        ),
        event(
            "e1",
            "paper-b",
            "195",
            "IRNMIL",
            "PAKSEP",
            date_start=dt.date(2024, 1, 16),
            date_end=dt.date(2024, 1, 16),
            location_name="Balochistan",
            country="PAK",
            latitude=28.5,
            longitude=65.0,
            geo_precision="adm1",
            killed_low=2,
            killed_best=2,
            killed_high=2,
        ),
        event(
            "e2",
            "paper-b",
            "190",
            "IRNMIL",
            "PAKSEP",
            date_start=dt.date(2024, 1, 17),
            date_end=dt.date(2024, 1, 17),
            date_source="published",
        ),
    ]
    if extra_event:
        events.append(
            event(
                "e3",
                "wire-a",
                "112",
                "PAKGOV",
                "IRNGOV",
                date_start=dt.date(2024, 1, 19),
                date_end=dt.date(2024, 1, 19),
            )
        )
    evidence = [
        *_evidence(
            "wire-a",
            "wire-a/e1",
            TEXT_A,
            [
                ("event", "struck militant targets inside Iran"),
                ("actor1", "Pakistan's armed forces"),
                ("location", "Iran"),
                ("date", "early on Thursday"),
                ("casualties[0]", "killed seven people, three women and four children"),
                ("casualties[0].breakdown[0]", "three women"),
                ("casualties[0].breakdown[1]", "four children"),
                ("actor2", "the blasts killed"),  # overlaps casualties[0] partially
            ],
        ),
        *_evidence(
            "wire-a",
            "wire-a/e2",
            TEXT_A,
            [
                ("event", "demanded an explanation"),
                ("actor1", "Tehran"),
                ("actor2", "Islamabad."),
                ("date", "On Friday"),
            ],
        ),
        *_evidence(
            "paper-b",
            "paper-b/e1",
            TEXT_B,
            [
                ("event", "fired missiles"),
                ("actor1", "Iran's Revolutionary Guards"),
                ("location", "Balochistan"),
                ("casualties[0]", "killing two children"),
                ("date", "Tuesday night"),
            ],
        ),
        *_evidence(
            "paper-b",
            "paper-b/e2",
            TEXT_B,
            [
                ("event", "<script>document.title='pwned'</script>"),
            ],
        ),
    ]
    casualties = [
        {
            "casualty_id": "wire-a/e1/c1",
            "event_id": "wire-a/e1",
            "kind": "killed",
            "category": "civilians",
            "who": "people",
            "low": 7,
            "best": 7,
            "high": 7,
            "claimed_by": "IRNGOV",
            "quote": "killed seven people",
        },
        {
            "casualty_id": "paper-b/e1/c1",
            "event_id": "paper-b/e1",
            "kind": "killed",
            "category": "civilians",
            "who": "children",
            "low": 2,
            "best": 2,
            "high": 2,
            "quote": "killing two children",
        },
    ]
    actors: list[dict[str, object]] = [
        {
            "code": "PAKMIL",
            "name": "Pakistan military",
            "country": "PAK",
            "roles": ["MIL"],
            "aliases": [],
            "defined_in": "codebook",
        },
        {
            "code": "IRNMIL",
            "name": "Iran military",
            "country": "IRN",
            "roles": ["MIL"],
            "aliases": ["IRGC"],
            "defined_in": "codebook",
        },
    ]
    return Tables(
        articles=frame_from_rows("articles", articles),
        events=frame_from_rows("events", events),
        casualties=frame_from_rows("casualties", casualties),
        evidence=frame_from_rows("evidence", evidence),
        actors=frame_from_rows("actors", actors),
        rejected=frame_from_rows("rejected", []),
    )


EXAMPLE = Path(__file__).resolve().parents[2] / "datasets" / "iran-pakistan-2024"


def copy_dataset(target: Path) -> Path:
    """A copy of the example dataset (without its build cache) that a test may edit."""
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".tacitus-cache", "build"))
    return target
