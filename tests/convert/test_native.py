"""The native annotation loader: values, lines, quotes and every problem at once."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tacitus.convert.native import load_document, load_document_bytes, resolve_quotes
from tacitus.schema.document import Document, quoted_fields

TEXT = "Pakistan said it struck Iran on Thursday. Iran said seven were killed. Pakistan denied it."

GOOD = textwrap.dedent(
    """\
    article:
      id: a1
      source: Wire
      published: 2024-01-18
      text: "Pakistan said it struck Iran on Thursday. Iran said seven were killed. Pakistan denied it."
    events:
      - id: e1
        code: "195"
        quote: struck Iran
        actor1: {code: PAKMIL, name: Pakistan, quote: Pakistan, occurrence: 1}
        actor2: {code: IRN, quote: Iran, prefix: "struck "}
        date: {value: 2024-01-18, quote: Thursday}
        casualties:
          - kind: killed
            count: 7
            category: civilians
            claimed_by: IRNGOV
            quote: seven were killed
            breakdown:
              - {count: 3, who: women}
    """
)


def load(text: str, name: str = "a.yaml"):
    return load_document_bytes(text.encode("utf-8"), name)


def test_good_document_loads_with_spans_and_lines() -> None:
    result = load(GOOD)
    assert result.problems == []
    assert result.ok
    doc = result.document
    assert doc is not None
    event = doc.events[0]
    spans = {field: part.span for field, part in quoted_fields(event)}
    assert TEXT[slice(*spans["event"])] == "struck Iran"
    assert spans["actor1"] == (0, 8)
    assert spans["actor2"] == (24, 28)  # the prefix picks "Iran" after "struck "
    assert TEXT[slice(*spans["date"])] == "Thursday"
    assert event.line == 7
    assert event.actor1 is not None and event.actor1.line == 10
    assert event.casualties[0].line == 14
    assert event.casualties[0].breakdown[0].line == 20
    assert result.raw_events[0].id == "e1"


def test_json_document_loads_the_same() -> None:
    import yaml

    data = yaml.safe_load(GOOD)
    as_json = json.dumps(data, default=str, indent=2)
    result = load(as_json, "a.json")
    assert result.problems == []
    assert result.document is not None
    assert result.document.model_dump() == load(GOOD).document.model_dump()


# Each row: a replacement in GOOD, the rule expected, the line it must point at.
BROKEN = [
    ('code: "195"', "code: 195", "S003", 8),
    ("  id: a1\n", "", "S002", 1),
    ("kind: killed", "kind: dead", "S003", 14),
    ("count: 7", "count: -7", "S003", 15),
    ("quote: struck Iran", "quote: struck Iraq", "E001", 9),
    ("quote: Pakistan, occurrence: 1", "quote: Pakistan, occurrence: 5", "E004", 10),
    ("quote: Pakistan, occurrence: 1", "quote: Pakistan", "E002", 10),
    ("    quote: struck Iran\n", "    quote: struck Iran\n    acter1: {}\n", "S004", 10),
    ("value: 2024-01-18", "value: 2024-02-30", "S003", 12),
    ("value: 2024-01-18", "start: 2024-01-16", "S003", 12),
    ("code: PAKMIL", "code: pakmil", "S003", 10),
    ("published: 2024-01-18", "published: 2024-01-18\n  published: 2024-01-19", "S003", 5),
    ("  - id: e1", "  - id: e1\n    code: x", "S003", 9),  # the duplicate key
]


@pytest.mark.parametrize(("old", "new", "rule", "line"), BROKEN)
def test_each_problem_points_at_its_line(old: str, new: str, rule: str, line: int) -> None:
    assert old in GOOD
    result = load(GOOD.replace(old, new, 1))
    found = [(p.rule, p.source_line) for p in result.problems]
    assert (rule, line) in found, found
    assert all(p.source_file == "a.yaml" for p in result.problems)


def test_all_problems_come_back_at_once() -> None:
    broken = GOOD
    for old, new, _, _ in [BROKEN[0], BROKEN[2], BROKEN[3]]:
        broken = broken.replace(old, new, 1)
    result = load(broken)
    assert result.document is None
    assert [(p.rule, p.source_line) for p in result.problems] == [
        ("S003", 8),
        ("S003", 14),
        ("S003", 15),
    ]
    assert [e.id for e in result.raw_events] == ["e1"]


def test_not_utf8_is_one_problem_with_line() -> None:
    result = load_document_bytes(GOOD.encode("utf-8").replace(b"Wire", b"W\xffre"), "a.yaml")
    assert [(p.rule, p.source_line) for p in result.problems] == [("S001", 3)]


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    result = load_document(tmp_path / "nope.yaml")
    assert result.document is None and result.problems[0].rule == "S001"


def test_text_file_is_read_relative_to_the_annotation(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    doc = GOOD.replace(f'  text: "{TEXT}"', "  text_file: a.txt")
    (tmp_path / "a.yaml").write_text(doc, encoding="utf-8")
    result = load_document(tmp_path / "a.yaml")
    assert result.problems == []
    assert result.document is not None and result.document.text == TEXT


def test_missing_text_file_is_s005(tmp_path: Path) -> None:
    doc = GOOD.replace(f'  text: "{TEXT}"', "  text_file: gone.txt")
    (tmp_path / "a.yaml").write_text(doc, encoding="utf-8")
    rules = {(p.rule, p.source_line) for p in load_document(tmp_path / "a.yaml").problems}
    assert ("S005", 5) in rules


def test_duplicate_event_id_is_s006() -> None:
    doc = GOOD + "  - id: e1\n    code: '190'\n"
    result = load(doc)
    assert ("S006", 21) in [(p.rule, p.source_line) for p in result.problems]


def test_offsets_must_agree_with_quote() -> None:
    doc = GOOD.replace("quote: struck Iran", "quote: struck Iran\n    start: 17\n    end: 28")
    assert load(doc).problems == []
    bad = GOOD.replace("quote: struck Iran", "quote: struck Iran\n    start: 16\n    end: 27")
    assert [p.rule for p in load(bad).problems] == ["E003"]


def test_curly_quote_hint() -> None:
    doc = GOOD.replace("struck Iran on", "struck \u2018Iran\u2019 on").replace(
        "quote: struck Iran", "quote: struck 'Iran' on"
    )
    problems = load(doc).problems
    assert any(p.rule == "E001" and "curly" in p.message for p in problems)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80),
    data=st.data(),
)
def test_resolved_span_always_slices_to_the_quote(text: str, data: st.DataObject) -> None:
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    occurrence = text.count(quote) if quote in text else 1  # non-overlapping count is a floor
    doc = Document.model_validate(
        {
            "article": {"id": "a", "source": "s", "published": "2024-01-01", "text": text},
            "events": [{"id": "e1", "code": "010", "quote": quote, "start": start, "end": end}],
        }
    )
    assert resolve_quotes(doc, None, "x") == []
    span = doc.events[0].span
    assert span is not None and text[span[0] : span[1]] == quote
    assert occurrence >= 1
