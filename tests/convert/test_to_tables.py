"""Documents → tables: golden files, derived values, dates, figures and totals.

Golden files: each dataset folder under ``tests/data/build/`` (native, brat, labelstudio,
inception) is built in memory and every table is compared with
``tests/data/build/golden/<dataset>/<table>.jsonl`` (one JSON object per row, in the
table's own sorted order, keys in column order, dates as ISO strings). After a deliberate
change to the conversion, regenerate them and review the diff::

    TACITUS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/convert/test_to_tables.py

The other tests are table-driven checks of each derived value (root/base code, QuadClass,
Goldstein, actor country and role, event totals, date fields, figures read from quotes)
and a hypothesis test of the totals' invariants.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tacitus.convert.native import load_document_bytes
from tacitus.convert.to_tables import (
    ConvertContext,
    convert_source,
    documents_to_tables,
    event_totals,
)
from tacitus.datasets.build import build_tables
from tacitus.schema.dataset import ActorDefinition

DATA = Path(__file__).resolve().parents[1] / "data" / "build"
GOLDEN = DATA / "golden"
UPDATE = os.environ.get("TACITUS_UPDATE_GOLDEN") == "1"
FORMATS = ["native", "brat", "labelstudio", "inception"]
GOLDEN_TABLES = ["articles", "events", "casualties", "evidence", "actors", "rejected", "findings"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _as_jsonl(frame: pl.DataFrame) -> str:
    lines = []
    for row in frame.iter_rows(named=True):
        clean = {k: _jsonable(v) for k, v in row.items()}
        lines.append(json.dumps(clean, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    return {name: build_tables(DATA / name, cache=False, workers=1) for name in FORMATS}


@pytest.mark.parametrize("dataset", FORMATS)
@pytest.mark.parametrize("table", GOLDEN_TABLES)
def test_golden_tables(built: dict[str, Any], dataset: str, table: str) -> None:
    result = built[dataset]
    frame = result.findings if table == "findings" else getattr(result.tables, table)
    text = _as_jsonl(frame)
    path = GOLDEN / dataset / f"{table}.jsonl"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with TACITUS_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs (see module docstring)"


def test_golden_files_are_not_empty_where_it_matters() -> None:
    # The fixtures exercise rows of every kind: guard against regenerating empty goldens.
    for dataset in FORMATS:
        for table in ("articles", "events", "evidence", "actors"):
            assert (GOLDEN / dataset / f"{table}.jsonl").read_text().strip(), (dataset, table)
    assert (GOLDEN / "native" / "rejected.jsonl").read_text().count("\n") == 2
    assert (GOLDEN / "native" / "casualties.jsonl").read_text().count("\n") == 7


# --- derived values, table-driven ---------------------------------------------------------

ARTICLE = """\
article:
  id: t1
  source: Test Wire
  published: {published}
  text: "{text}"
events:
{events}
"""


def _convert(
    events: str,
    text: str = "x",
    published: str = "2024-01-18",
    actors: tuple[ActorDefinition, ...] = (),
) -> dict[str, list[dict[str, Any]]]:
    raw = ARTICLE.format(published=published, text=text, events=events).encode()
    result = load_document_bytes(raw, "t1.yaml")
    assert result.document is not None, result.problems
    (rows,) = convert_source([result], ConvertContext.create(actors, "actors.yaml"))
    return rows.rows


@pytest.mark.parametrize(
    ("code", "base", "root", "quad", "goldstein"),
    [
        ("195", "195", "19", 4, -10.0),
        ("1823", "182", "18", 4, -10.0),
        ("036", "036", "03", 1, 4.0),
        ("111", "111", "11", 3, -2.0),
        ("0874", "087", "08", 2, 10.0),
        ("20", "20", "20", 4, -10.0),
        ("173", "173", "17", 4, -5.0),
    ],
)
def test_codes_derive_root_base_quad_goldstein(
    code: str, base: str, root: str, quad: int, goldstein: float
) -> None:
    (event,) = _convert(f'  - {{id: e1, code: "{code}"}}')["events"]
    assert (event["event_code"], event["base_code"], event["root_code"]) == (code, base, root)
    assert (event["quad_class"], event["goldstein"]) == (quad, goldstein)


def test_unknown_code_keeps_the_code_and_derives_nothing() -> None:
    (event,) = _convert('  - {id: e1, code: "999"}')["events"]
    assert event["event_code"] == "999"
    assert [event[k] for k in ("base_code", "root_code", "quad_class", "goldstein")] == [None] * 4


BLA = ActorDefinition(
    code="PAKSEPBLA", name="Balochistan Liberation Army", country="PAK", roles=["SEP"], group="BLA"
)
PERSON = ActorDefinition(code="AFGGOVXYZ", name="A named official", country="AFG", roles=["GOV"])


@pytest.mark.parametrize(
    ("code", "country", "role"),
    [
        ("PAKMIL", "PAK", "MIL"),
        ("IRNGOV", "IRN", "GOV"),
        ("PAKCOP", "PAK", "COP"),
        ("IRNCVL", "IRN", "CVL"),
        ("PAK", "PAK", None),
        ("PAKSEPBLA", "PAK", "SEP"),  # a group trio from actors.yaml
        ("AFGGOVXYZ", "AFG", "GOV"),  # defined whole in actors.yaml
        ("ZZZQQQ", None, None),  # not a code: nothing derived (the validators report it)
    ],
)
def test_actor_country_and_role(code: str, country: str | None, role: str | None) -> None:
    events = f"  - {{id: e1, code: '190', actor1: {{code: {code}}}, actor2: {{code: IRNMIL}}}}"
    (event,) = _convert(events, actors=(BLA, PERSON))["events"]
    assert (event["actor1_code"], event["actor1_country"], event["actor1_role"]) == (
        code,
        country,
        role,
    )
    assert (event["actor2_country"], event["actor2_role"]) == ("IRN", "MIL")


def test_actors_table_lists_definitions_and_used_codebook_codes() -> None:
    events = "  - {id: e1, code: '190', actor1: {code: PAKSEPBLA}, actor2: {code: IRNMIL}}"
    raw = ARTICLE.format(published="2024-01-18", text="x", events=events).encode()
    ctx = ConvertContext.create((BLA,), "actors.yaml")
    actors = documents_to_tables([load_document_bytes(raw, "t1.yaml")], ctx).tables.actors
    rows = {r["code"]: r for r in actors.iter_rows(named=True)}
    assert rows["PAKSEPBLA"]["defined_in"] == "actors.yaml"
    assert rows["PAKSEPBLA"]["roles"] == ["SEP"]
    assert rows["IRNMIL"]["defined_in"] == "codebook"
    assert rows["IRNMIL"]["country"] == "IRN"


# Dates: published Thursday 2024-01-18.
@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (None, ("2024-01-18", "2024-01-18", "day", "published")),
        ("{quote: on Tuesday}", ("2024-01-16", "2024-01-16", "day", "text")),
        ("{quote: on Thursday}", ("2024-01-18", "2024-01-18", "day", "text")),
        ("{quote: the previous day}", ("2024-01-17", "2024-01-17", "day", "text")),
        ("{quote: overnight}", ("2024-01-17", "2024-01-17", "day", "text")),
        ("{quote: earlier this week}", ("2024-01-15", "2024-01-17", "week", "text")),
        ("{quote: last month}", ("2023-12-01", "2023-12-31", "month", "text")),
        ("{quote: in March}", ("2023-03-01", "2023-03-31", "month", "text")),
        ("{quote: 'the other day, perhaps'}", ("2024-01-18", "2024-01-18", "day", "published")),
        ("{value: 2024-01-16, quote: on Tuesday}", ("2024-01-16", "2024-01-16", "day", "text")),
        ("{value: 2024-01-16}", ("2024-01-16", "2024-01-16", "day", "inferred")),
        ("{start: 2024-01-01, end: 2024-01-31}", ("2024-01-01", "2024-01-31", "month", "inferred")),
        ("{start: 2024-01-15, end: 2024-01-21}", ("2024-01-15", "2024-01-21", "week", "inferred")),
        (
            "{start: 2024-01-03, end: 2024-01-09, precision: week, quote: early January}",
            ("2024-01-03", "2024-01-09", "week", "text"),
        ),
    ],
)
def test_date_fields(date: str | None, expected: tuple[str, str, str, str]) -> None:
    slot = f", date: {date}" if date else ""
    (event,) = _convert(f"  - {{id: e1, code: '190'{slot}}}")["events"]
    got = (event["date_start"], event["date_end"], event["date_precision"], event["date_source"])
    assert got == (
        dt.date.fromisoformat(expected[0]),
        dt.date.fromisoformat(expected[1]),
        expected[2],
        expected[3],
    )


def test_month_quote_is_never_a_day() -> None:
    (event,) = _convert("  - {id: e1, code: '190', date: {quote: in March}}")["events"]
    assert event["date_precision"] == "month"
    assert event["date_start"] != event["date_end"]


def test_datetime_publication_uses_its_own_local_day() -> None:
    (event,) = _convert(
        "  - {id: e1, code: '190', date: {quote: on Tuesday}}",
        published="2024-01-18T23:30:00-05:00",
    )["events"]
    assert event["date_start"] == dt.date(2024, 1, 16)


# Figures read from the quote when no number is annotated (parse_figure end to end).
@pytest.mark.parametrize(
    ("quote", "figures"),
    [
        ("seven people", (7, 7, 7)),
        ("3,000 people", (3000, 3000, 3000)),
        ("Three thousand people", (3000, 3000, 3000)),
        ("twenty-one people", (21, 21, 21)),
        ("at least 12 people", (12, 12, None)),
        ("more than 100 people", (101, None, None)),
        ("dozens of people", (24, None, 99)),
        ("several people", (3, None, 9)),
        ("people", (None, None, None)),
    ],
)
def test_figures_from_quotes(quote: str, figures: tuple[int | None, ...]) -> None:
    events = f"  - {{id: e1, code: '190', casualties: [{{kind: killed, quote: '{quote}'}}]}}"
    (row,) = _convert(events, text=quote)["casualties"]
    assert (row["low"], row["best"], row["high"]) == figures


def test_annotated_figures_win_over_the_quote() -> None:
    events = "  - {id: e1, code: '190', casualties: [{kind: killed, count: 4, quote: seven}]}"
    (row,) = _convert(events, text="seven")["casualties"]
    assert (row["low"], row["best"], row["high"]) == (4, 4, 4)


def _totals(casualties: str) -> tuple[Any, ...]:
    rows = _convert(f"  - {{id: e1, code: '190', casualties: {casualties}}}")
    (event,) = rows["events"]
    return tuple(event[f"{k}_{v}"] for k in ("killed", "injured") for v in ("low", "best", "high"))


@pytest.mark.parametrize(
    ("casualties", "totals"),
    [
        # A breakdown is never added to its total.
        (
            "[{kind: killed, count: 7, breakdown: [{count: 3}, {count: 4}]}]",
            (7, 7, 7, None, None, None),
        ),
        # Two unattributed rows of the same kind are parts: added.
        ("[{kind: killed, count: 2}, {kind: killed, count: 3}]", (5, 5, 5, None, None, None)),
        # Two claimants: alternatives, never added; bests differ → no best.
        (
            "[{kind: killed, count: 7, claimed_by: IRNGOV}, {kind: killed, count: 9, claimed_by: PAKGOV}]",
            (7, None, 9, None, None, None),
        ),
        # A range claim and an exact one that fits it: the exact one is the best.
        (
            "[{kind: killed, low: 3, high: 9, claimed_by: PAKGOV}, {kind: killed, count: 7, claimed_by: IRNGOV}]",
            (3, 7, 9, None, None, None),
        ),
        # Open-ended claim ("at least 12"): no high.
        (
            "[{kind: killed, count: 7, claimed_by: PAKCOP}, {kind: killed, low: 12, best: 12, claimed_by: PAKGOV}]",
            (7, None, None, None, None, None),
        ),
        # Injured separately; other kinds not in the totals.
        (
            "[{kind: injured, low: 24, high: 99}, {kind: arrested, count: 5}]",
            (None, None, None, 24, None, 99),
        ),
        # A part without a value makes its claim's sum unknown.
        ("[{kind: killed, count: 2}, {kind: killed}]", (None, None, None, None, None, None)),
        ("[]", (None, None, None, None, None, None)),
    ],
)
def test_event_totals(casualties: str, totals: tuple[Any, ...]) -> None:
    assert _totals(casualties) == totals


# --- hypothesis: totals never double-count, order is kept ----------------------------------

_claimants = st.sampled_from([None, "IRNGOV", "PAKGOV", "PAKMIL"])


@st.composite
def _figure(draw: st.DrawFn) -> tuple[int | None, int | None, int | None]:
    values = sorted(draw(st.lists(st.integers(0, 500), min_size=3, max_size=3)))
    keep = draw(st.lists(st.booleans(), min_size=3, max_size=3))
    low, best, high = (v if k else None for v, k in zip(values, keep, strict=True))
    return low, best, high


@st.composite
def _casualty(draw: st.DrawFn) -> dict[str, Any]:
    low, best, high = draw(_figure())
    parts = draw(st.lists(st.integers(0, 50), max_size=3))
    return {"claimed_by": draw(_claimants), "low": low, "best": best, "high": high, "parts": parts}


def _yaml_casualty(c: dict[str, Any]) -> str:
    fields = ["kind: killed"]
    for key in ("low", "best", "high", "claimed_by"):
        if c[key] is not None:
            fields.append(f"{key}: {c[key]}")
    breakdown = ", ".join(f"{{count: {n}}}" for n in c["parts"])
    fields.append(f"breakdown: [{breakdown}]")
    return "{" + ", ".join(fields) + "}"


@settings(max_examples=60, deadline=None)
@given(st.lists(_casualty(), max_size=5))
def test_totals_invariants(casualties: list[dict[str, Any]]) -> None:
    listing = "[" + ", ".join(_yaml_casualty(c) for c in casualties) + "]"
    low, best, high, *_ = _totals(listing)
    # Breakdowns never count: the totals are those of the top-level rows alone.
    expected = event_totals((c["claimed_by"], c["low"], c["best"], c["high"]) for c in casualties)
    assert (low, best, high) == expected
    # Order is kept.
    known = [v for v in (low, best, high) if v is not None]
    assert known == sorted(known)
    # Each claimant's sum of parts: the totals bound every claim where they are given, and
    # never exceed what the claims say (no double count across claimants).
    sums: dict[str | None, list[int | None]] = {}
    for c in casualties:
        figures = [c["low"], c["best"], c["high"]]
        if c["claimed_by"] in sums:
            sums[c["claimed_by"]] = [
                None if a is None or b is None else a + b
                for a, b in zip(sums[c["claimed_by"]], figures, strict=True)
            ]
        else:
            sums[c["claimed_by"]] = figures
    for c_low, c_best, c_high in sums.values():
        for value in (c_low, c_best, c_high):
            if value is None:
                continue
            if low is not None:
                assert low <= value
            if high is not None:
                assert value <= high
    if high is not None:
        assert high <= max(v for s in sums.values() for v in s if v is not None)
