"""A small, consistent world of tables (two articles on the same strike) that breaks no
rule; tests mutate a copy of it to break one rule at a time."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl

from tacitus.schema.tables import frame_from_rows

D = dt.date

TEXT_A1 = (
    "Pakistani forces struck a village near Saravan early on Thursday, killing seven "
    "people: three women and four children. On Tuesday, Iran's Revolutionary Guards hit "
    "two bases of Jaish al-Adl in Balochistan. Saravan lies near the border."
)
TEXT_A2 = "Pakistan's military said its jets killed 7 people near Saravan on Thursday."

Rows = dict[str, list[dict[str, Any]]]


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def _evidence(article: str, event: str, field: str, quote: str, line: int) -> dict[str, Any]:
    text = TEXT_A1 if article == "a1" else TEXT_A2
    start, end = _span(text, quote)
    return {
        "event_id": f"{article}/{event}",
        "article_id": article,
        "field": field,
        "start": start,
        "end": end,
        "quote": quote,
        "source_file": f"{article}.yaml",
        "source_line": line,
    }


STRIKE = {
    "event_code": "195",
    "base_code": "195",
    "root_code": "19",
    "quad_class": 4,
    "goldstein": -10.0,
    "actor1_code": "PAKMIL",
    "actor1_name": "Pakistani forces",
    "actor1_country": "PAK",
    "actor1_role": "MIL",
    "actor2_code": "PAKSEP",
    "actor2_name": "Baloch separatists",
    "actor2_country": "PAK",
    "actor2_role": "SEP",
    "date_start": D(2024, 1, 18),
    "date_end": D(2024, 1, 18),
    "date_precision": "day",
    "date_source": "text",
    "location_name": "Saravan",
    "country": "IRN",
    "adm1": "Sistan and Baluchestan",
    "latitude": 27.37,
    "longitude": 62.33,
    "geo_precision": "locality",
    "killed_low": 7,
    "killed_best": 7,
    "killed_high": 7,
}


def base_rows() -> Rows:
    """The good world, as row dicts (table name → rows)."""
    return {
        "articles": [
            {
                "article_id": "a1",
                "source": "Caspian Courier",
                "published": D(2024, 1, 18),
                "language": "en",
                "title": "Strikes near Saravan",
                "text": TEXT_A1,
                "n_events": 2,
                "source_file": "a1.yaml",
                "source_line": 3,
            },
            {
                "article_id": "a2",
                "source": "Indus Ledger",
                "published": D(2024, 1, 19),
                "language": "en",
                "text": TEXT_A2,
                "n_events": 1,
                "source_file": "a2.yaml",
                "source_line": 3,
            },
        ],
        "events": [
            {
                **STRIKE,
                "event_id": "a1/e1",
                "article_id": "a1",
                "source_file": "a1.yaml",
                "source_line": 20,
            },
            {
                **STRIKE,
                "event_id": "a1/e2",
                "article_id": "a1",
                "actor1_code": "IRNMIL",
                "actor1_name": "Iran's Revolutionary Guards",
                "actor1_country": "IRN",
                "actor2_code": "IRNINSJAD",
                "actor2_name": "Jaish al-Adl",
                "actor2_country": "IRN",
                "actor2_role": "INS",
                "date_start": D(2024, 1, 16),
                "date_end": D(2024, 1, 16),
                "location_name": "Balochistan",
                "country": "PAK",
                "adm1": "Balochistan",
                "latitude": 28.5,
                "longitude": 65.1,
                "killed_low": None,
                "killed_best": None,
                "killed_high": None,
                "source_file": "a1.yaml",
                "source_line": 40,
            },
            {
                **STRIKE,
                "event_id": "a2/e1",
                "article_id": "a2",
                "actor1_name": "Pakistani forces",
                "source_file": "a2.yaml",
                "source_line": 15,
            },
        ],
        "casualties": [
            {
                "casualty_id": "a1/e1/c1",
                "event_id": "a1/e1",
                "kind": "killed",
                "category": "civilians",
                "low": 7,
                "best": 7,
                "high": 7,
                "claimed_by": "IRNGOV",
                "quote": "killing seven people",
                "source_file": "a1.yaml",
                "source_line": 30,
            },
            {
                "casualty_id": "a1/e1/c1.1",
                "event_id": "a1/e1",
                "kind": "killed",
                "who": "women",
                "low": 3,
                "best": 3,
                "high": 3,
                "parent": "a1/e1/c1",
                "quote": "three women",
                "source_file": "a1.yaml",
                "source_line": 33,
            },
            {
                "casualty_id": "a1/e1/c1.2",
                "event_id": "a1/e1",
                "kind": "killed",
                "who": "children",
                "low": 4,
                "best": 4,
                "high": 4,
                "parent": "a1/e1/c1",
                "quote": "four children",
                "source_file": "a1.yaml",
                "source_line": 34,
            },
            {
                "casualty_id": "a2/e1/c1",
                "event_id": "a2/e1",
                "kind": "killed",
                "low": 7,
                "best": 7,
                "high": 7,
                "claimed_by": "PAKMIL",
                "quote": "killed 7 people",
                "source_file": "a2.yaml",
                "source_line": 22,
            },
        ],
        "evidence": [
            _evidence("a1", "e1", "event", "struck a village near Saravan", 21),
            _evidence("a1", "e1", "actor1", "Pakistani forces", 22),
            _evidence("a1", "e1", "date", "early on Thursday", 24),
            _evidence("a1", "e1", "casualties[0]", "killing seven people", 30),
            _evidence("a1", "e2", "actor2", "Jaish al-Adl", 43),
            _evidence("a1", "e2", "date", "On Tuesday", 44),
            _evidence("a2", "e1", "event", "its jets killed 7 people", 16),
            _evidence("a2", "e1", "date", "on Thursday", 18),
        ],
        "actors": [
            {
                "code": "IRNINSJAD",
                "name": "Jaish al-Adl",
                "country": "IRN",
                "roles": ["INS"],
                "aliases": ["Jaish ul-Adl", "Army of Justice"],
                "defined_in": "actors.yaml",
                "source_line": 5,
            },
            {
                "code": "PAKMIL",
                "name": "Pakistan",
                "country": "PAK",
                "roles": ["MIL"],
                "aliases": [],
                "defined_in": "codebook",
            },
        ],
        "rejected": [],
    }


def frames(rows: Rows) -> dict[str, pl.DataFrame]:
    """Row dicts → tables with their exact schemas."""
    return {name: frame_from_rows(name, table_rows) for name, table_rows in rows.items()}


def mutated(change: Callable[[Rows], None] | None = None) -> dict[str, pl.DataFrame]:
    rows = copy.deepcopy(base_rows())
    if change is not None:
        change(rows)
    return frames(rows)


def event(rows: Rows, event_id: str) -> dict[str, Any]:
    return next(r for r in rows["events"] if r["event_id"] == event_id)


def row(rows: Rows, table: str, key: str, value: str) -> dict[str, Any]:
    return next(r for r in rows[table] if r.get(key) == value)
