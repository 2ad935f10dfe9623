"""Every rule, table-driven: the good world gives no finding of the rule; one change to it
gives exactly the expected findings (event and source line)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from validator_world import D, Rows, event, mutated, row

from tacitus.validators.base import Context
from tacitus.validators.engine import select_rules, validate_tables

Where = tuple[str | None, int | None]  # (event_id, source_line)


@dataclasses.dataclass
class Case:
    rule: str
    name: str
    change: Callable[[Rows], None]
    expected: list[Where]
    context: dict[str, Any] = dataclasses.field(default_factory=dict)


def setter(table: str, key: str, value: str, /, **fields: Any) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        row(rows, table, key, value).update(fields)

    return change


def ev(which: str, /, **fields: Any) -> Callable[[Rows], None]:
    return setter("events", "event_id", which, **fields)


def both(*changes: Callable[[Rows], None]) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        for c in changes:
            c(rows)

    return change


def add_copy(event_id: str, new_id: str, line: int) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows["events"].append({**event(rows, event_id), "event_id": new_id, "source_line": line})

    return change


def drop_offsets(quote: str) -> Callable[[Rows], None]:
    return setter("evidence", "quote", quote, quote="Saravan", start=None, end=None)


CASES = [
    Case("C001", "unknown code", ev("a1/e1", event_code="1950"), [("a1/e1", 20)]),
    Case("C002", "root code not derived", ev("a1/e1", root_code="18"), [("a1/e1", 20)]),
    Case("C002", "base code not derived", ev("a1/e2", base_code="190"), [("a1/e2", 40)]),
    Case("C003", "QuadClass", ev("a1/e1", quad_class=1), [("a1/e1", 20)]),
    Case("C004", "Goldstein", ev("a1/e1", goldstein=3.4), [("a1/e1", 20)]),
    Case("A001", "malformed code", ev("a1/e1", actor1_code="PAK-MIL"), [("a1/e1", 22)]),
    Case(
        "A001",
        "malformed claimed_by",
        setter("casualties", "casualty_id", "a1/e1/c1", claimed_by="IRN GOV"),
        [("a1/e1", 30)],
    ),
    Case("A002", "unknown actor country", ev("a1/e1", actor1_country="PAQ"), [("a1/e1", 22)]),
    Case("A003", "undefined trio", ev("a1/e2", actor2_code="PAKXYZ"), [("a1/e2", 43)]),
    Case(
        "A004",
        "name with two codes",
        ev("a1/e2", actor1_name="Pakistani forces"),
        [("a1/e2", 40)],
    ),
    Case("A005", "defined name, other code", ev("a1/e2", actor2_code="IRNINS"), [("a1/e2", 43)]),
    Case(
        "A005",
        "defined alias, other code",
        ev("a1/e2", actor2_code="IRNREB", actor2_name="Army of  Justice"),
        [("a1/e2", 43)],
    ),
    Case("A006", "actor1 = actor2", ev("a1/e1", actor2_code="PAKMIL"), [("a1/e1", 20)]),
    Case("A007", "civilian fights", ev("a1/e1", actor1_code="IRNCVL"), [("a1/e1", 22)]),
    Case("D001", "no date", ev("a1/e2", date_start=None, date_end=None), [("a1/e2", 44)]),
    Case(
        "D002",
        "after publication",
        ev("a1/e1", date_start=D(2024, 1, 21), date_end=D(2024, 1, 21)),
        [("a1/e1", 24)],
    ),
    Case(
        "D003",
        "before the floor",
        ev("a1/e1", date_start=D(1024, 1, 18), date_end=D(1024, 1, 18)),
        [("a1/e1", 24)],
    ),
    Case(
        "D003",
        "default floor 1946",
        ev("a1/e1", date_start=D(1939, 9, 1), date_end=D(1939, 9, 1)),
        [("a1/e1", 24)],
        {"date_floor": D(1946, 1, 1)},
    ),
    Case(
        "D004",
        "weekday resolves elsewhere",
        ev("a1/e1", date_start=D(2024, 1, 17), date_end=D(2024, 1, 17)),
        [("a1/e1", 24)],
    ),
    Case("D005", "window reversed", ev("a1/e1", date_end=D(2024, 1, 16)), [("a1/e1", 24)]),
    Case(
        "D006",
        "day precision on a window",
        ev("a1/e1", date_start=D(2024, 1, 15)),
        [("a1/e1", 24)],
    ),
    Case(
        "D006",
        "month precision across months",
        ev("a1/e2", date_start=D(2023, 12, 20), date_precision="month"),
        [("a1/e2", 44)],
    ),
    Case(
        "K001",
        "negative casualty",
        setter("casualties", "casualty_id", "a1/e1/c1", low=-1),
        [("a1/e1", 30)],
    ),
    Case("K001", "negative event total", ev("a2/e1", killed_low=-2), [("a2/e1", 15)]),
    Case(
        "K002",
        "range not ordered",
        setter("casualties", "casualty_id", "a2/e1/c1", low=9),
        [("a2/e1", 22)],
    ),
    Case("K002", "event range", ev("a1/e1", killed_high=5), [("a1/e1", 20)]),
    Case(
        "K003",
        "breakdown exceeds total",
        setter("casualties", "casualty_id", "a1/e1/c1.2", low=5, best=5, high=5),
        [("a1/e1", 30)],
    ),
    Case(
        "K004",
        "quote says seven, figure nine",
        setter("casualties", "casualty_id", "a1/e1/c1", low=9, best=9, high=9),
        [("a1/e1", 30)],
    ),
    Case(
        "K005",
        "killed on a criticism",
        ev(
            "a1/e1", event_code="111", base_code="111", root_code="11", quad_class=3, goldstein=-2.0
        ),
        [("a1/e1", 20)],
    ),
    Case(
        "E001",
        "quote not in text",
        setter("evidence", "quote", "Pakistani forces", quote="Pakistani troops"),
        [("a1/e1", 22)],
    ),
    Case("E002", "ambiguous quote", drop_offsets("Pakistani forces"), [("a1/e1", 22)]),
    Case(
        "E003",
        "offsets disagree",
        setter("evidence", "quote", "early on Thursday", start=10, end=27),
        [("a1/e1", 24)],
    ),
    Case("L001", "unknown country", ev("a1/e1", country="IRA"), [("a1/e1", 20)]),
    Case("L002", "latitude out of range", ev("a1/e1", latitude=95.0), [("a1/e1", 20)]),
    Case("L002", "longitude out of range", ev("a1/e2", longitude=-181.0), [("a1/e2", 40)]),
    Case("L003", "lat/lon swapped", ev("a1/e1", latitude=62.33, longitude=27.37), [("a1/e1", 20)]),
    Case("L004", "latitude alone", ev("a1/e2", longitude=None), [("a1/e2", 40)]),
    Case(
        "I002",
        "event id used twice",
        ev("a2/e1", event_id="a1/e1"),
        [("a1/e1", 15), ("a1/e1", 20)],
    ),
    Case(
        "I003",
        "casualty of no event",
        setter("casualties", "casualty_id", "a2/e1/c1", event_id="a2/e9"),
        [("a2/e9", 22)],
    ),
    Case(
        "I003",
        "breakdown of no total",
        setter("casualties", "casualty_id", "a1/e1/c1.1", parent="a1/e1/c7"),
        [("a1/e1", 33)],
    ),
    Case("I004", "event lost", lambda rows: None, [(None, None)], {"input_events": 4}),
    Case(
        "X001",
        "sources disagree",
        both(
            ev("a2/e1", killed_low=9, killed_best=9, killed_high=9),
            setter(
                "casualties",
                "casualty_id",
                "a2/e1/c1",
                low=9,
                best=9,
                high=9,
                quote="killed 9 people",
            ),
        ),
        [("a1/e1", 20), ("a2/e1", 15)],
    ),
    Case("X002", "event copied", add_copy("a1/e1", "a1/e3", 60), [("a1/e3", 60)]),
]

TABLE_RULES = sorted({c.rule for c in CASES})


def _context(**overrides: Any) -> Context:
    values: dict[str, Any] = {"input_events": 3, "source": "world", "date_floor": D(2023, 1, 1)}
    values.update(overrides)
    return Context(**values)


def test_the_good_world_breaks_no_rule() -> None:
    result = validate_tables(mutated(), _context())
    assert result.findings.to_dicts() == []
    assert set(TABLE_RULES) <= set(result.checked)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{c.name}")
def test_rule_finds_the_broken_row(case: Case) -> None:
    tables = mutated(case.change)
    extra = dict(case.context)
    result = validate_tables(tables, _context(**extra), select=case.rule)
    found = sorted((r["event_id"], r["source_line"]) for r in result.findings.iter_rows(named=True))
    assert found == sorted(case.expected), result.findings.select("rule", "message").to_dicts()
    assert set(result.findings["rule"]) == {case.rule}
    assert (result.findings["severity"] == result.findings["severity"][0]).all()
    # the message is filled in: no placeholder left
    assert not result.findings["message"].str.contains(r"\{[a-z_]+\}").any()


def test_every_table_rule_has_a_case() -> None:
    loading_only = {"E004"} | {r for r in select_rules() if r.startswith(("S", "I001"))}
    assert set(select_rules()) - loading_only - {"I001"} <= set(TABLE_RULES)


def test_i001_missing_and_mistyped_columns(world: dict[str, pl.DataFrame]) -> None:
    events = world["events"].drop("latitude").with_columns(pl.col("longitude").cast(pl.String))
    result = validate_tables({**world, "events": events}, _context())
    i001 = result.findings.filter(pl.col("rule") == "I001")
    assert i001.height == 1
    message = i001["message"][0]
    assert "missing column latitude" in message and "longitude is String" in message
    # rules needing the dropped columns are skipped, not crashed
    assert result.findings.filter(pl.col("rule").str.starts_with("L")).height == 0


def test_d002_allows_a_day_of_grace() -> None:
    tables = mutated(ev("a1/e1", date_start=D(2024, 1, 19), date_end=D(2024, 1, 19)))
    assert validate_tables(tables, _context(), select="D002").findings.height == 0


def test_d004_skips_phrases_anchored_to_another_event() -> None:
    change = both(
        ev("a1/e2", date_start=D(2024, 1, 15), date_end=D(2024, 1, 15)),
        setter("evidence", "quote", "On Tuesday", quote="the previous day", start=None, end=None),
    )
    assert validate_tables(mutated(change), _context(), select="D004").findings.height == 0


def test_k004_vague_quote_agrees_with_a_range() -> None:
    change = setter(
        "casualties", "casualty_id", "a2/e1/c1", low=3, best=None, high=9, quote="several people"
    )
    assert validate_tables(mutated(change), _context(), select="K004").findings.height == 0


def test_x001_value_is_the_cluster_and_message_gives_the_range() -> None:
    case = next(c for c in CASES if c.rule == "X001")
    result = validate_tables(mutated(case.change), _context(), select="X001")
    assert set(result.findings["value"]) == {"a1/e1"}
    assert "7..9" in result.findings["message"][0]


# --- rules applied while reading annotation files (S, E004), through `validate_path` ---

GOOD_FILE = """\
article:
  id: a1
  source: Wire
  published: 2024-01-18
  text: Pakistani forces struck near Saravan on Thursday. Saravan is quiet.
events:
  - id: e1
    code: "195"
    quote: struck near Saravan
    actor1: {code: PAKMIL, name: Pakistani forces, quote: Pakistani forces}
    date: {value: 2024-01-18, quote: on Thursday}
"""

FILE_CASES = [
    ("S001", "bad YAML", GOOD_FILE.replace('code: "195"', 'code: "195'), None),
    ("S002", "no article id", GOOD_FILE.replace("  id: a1\n", ""), 1),
    ("S003", "code not a string", GOOD_FILE.replace('code: "195"', "code: 195"), 8),
    ("S004", "unknown field", GOOD_FILE.replace("    actor1:", "    acter1:"), 10),
    (
        "S005",
        "text file missing",
        GOOD_FILE.replace(
            "  text: Pakistani forces struck near Saravan on Thursday. Saravan is quiet.",
            "  text_file: missing.txt",
        ),
        5,
    ),
    ("S006", "event id twice", GOOD_FILE + '  - id: e1\n    code: "190"\n', 12),
    (
        "E004",
        "occurrence beyond the text",
        GOOD_FILE.replace("quote: struck near Saravan", "quote: Saravan\n    occurrence: 3"),
        9,
    ),
]


def test_the_good_file_breaks_no_rule(tmp_path) -> None:
    path = tmp_path / "a1.yaml"
    path.write_text(GOOD_FILE, encoding="utf-8")
    from tacitus.validators.engine import validate_path

    assert validate_path(path).findings.to_dicts() == []


@pytest.mark.parametrize(
    "rule, name, text, line", FILE_CASES, ids=[f"{c[0]}-{c[1]}" for c in FILE_CASES]
)
def test_file_rule_finds_the_broken_line(
    tmp_path, rule: str, name: str, text: str, line: int | None
) -> None:
    from tacitus.validators.engine import validate_path

    path = tmp_path / "a1.yaml"
    path.write_text(text, encoding="utf-8")
    result = validate_path(path, select=rule)
    assert result.findings.height == 1, result.findings.to_dicts()
    found = result.findings.row(0, named=True)
    assert found["rule"] == rule
    assert found["source_file"] == str(path)
    if line is not None:
        assert found["source_line"] == line
    assert result.exit_code() == 1


# --- near misses: a change that looks like a violation but is not one -----------------

PASSES = [
    ("C004", "Goldstein within rounding", ev("a1/e1", goldstein=-9.97)),
    ("A004", "same name in other case and spacing", ev("a2/e1", actor1_name="pakistani  FORCES")),
    ("A005", "alias with its code", ev("a1/e2", actor2_name="Army of Justice")),
    ("A006", "different actors of one country", ev("a1/e1", actor2_code="PAKGOV")),
    ("A007", "civilians as the target", ev("a1/e1", actor2_code="IRNCVL")),
    ("D003", "exactly the floor", ev("a1/e2", date_start=D(2023, 1, 1), date_end=D(2023, 1, 1))),
    (
        "D006",
        "month precision within the month",
        ev("a1/e2", date_start=D(2024, 1, 2), date_precision="month"),
    ),
    (
        "K003",
        "breakdown equal to the total",
        setter("casualties", "casualty_id", "a1/e1/c1.2", quote="four children"),
    ),
    ("L002", "latitude on the pole", ev("a1/e2", latitude=90.0, longitude=180.0, country=None)),
    ("L003", "point just outside the box", ev("a1/e1", latitude=24.8)),
    ("I003", "a total has no parent", setter("casualties", "casualty_id", "a1/e1/c1", parent=None)),
    (
        "X001",
        "overlapping ranges",
        ev("a2/e1", killed_low=5, killed_best=None, killed_high=9),
    ),
    (
        "X001",
        "an open 'at least' figure",
        ev("a2/e1", killed_low=0, killed_best=None, killed_high=None),
    ),
    ("X002", "copy with another actor", add_copy("a1/e2", "a1/e3", 60)),
]


def _other_actor(rows: Rows) -> None:
    event(rows, "a1/e3")["actor2_code"] = "PAKGOV"


PASSES[-1] = ("X002", "copy with another actor", both(add_copy("a1/e2", "a1/e3", 60), _other_actor))


@pytest.mark.parametrize("rule, name, change", PASSES, ids=[f"{p[0]}-{p[1]}" for p in PASSES])
def test_near_miss_passes(rule: str, name: str, change: Callable[[Rows], None]) -> None:
    result = validate_tables(mutated(change), _context(), select=rule)
    assert rule in result.checked
    assert result.findings.to_dicts() == []


def test_every_finding_points_at_a_file_and_line() -> None:
    for case in CASES:
        result = validate_tables(mutated(case.change), _context(**case.context), select=case.rule)
        assert result.findings.height, case.name
        assert result.findings["source_file"].null_count() == 0, case.name
        if case.rule != "I004":  # about the whole dataset: its path, no line
            assert result.findings["source_line"].null_count() == 0, case.name
