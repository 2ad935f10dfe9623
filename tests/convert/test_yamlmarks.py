"""The marked YAML reader: the same values as PyYAML's safe loader, plus the line of each."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tacitus.convert.yamlmarks import load_marked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("code: '195'", "195"),  # quoted: stays a string
        ('code: "019"', "019"),
        ("code: 195", 195),
        ("code: 0175", 125),  # YAML 1.1 octal, as PyYAML reads it
        ("code: 0195", "0195"),  # not octal (9 is no octal digit), so PyYAML keeps a string
        ("code: 1_000", 1000),
        ("code: -3", -3),
        ("code: 2.5", 2.5),
        ("code: yes", True),  # YAML 1.1 booleans, as PyYAML reads them
        ("code: no", False),
        ("code: ~", None),
        ("code: null", None),
        ("code: 2024-01-18", dt.date(2024, 1, 18)),
        ("code: Thursday", "Thursday"),
        ("code: |\n  two\n  lines\n", "two\nlines\n"),
    ],
)
def test_scalars_resolve_like_the_safe_loader(text: str, expected: Any) -> None:
    marked = load_marked(text)
    assert marked.problems == []
    assert marked.data == {"code": expected}
    assert marked.data == yaml.safe_load(text)
    # Read twice: the second read answers from the memoised tags and must agree.
    assert load_marked(text).data == marked.data


def test_lines_of_nested_values() -> None:
    text = "article:\n  id: a1\nevents:\n  - id: e1\n    actor1: {code: PAKMIL}\n  - id: e2\n"
    marked = load_marked(text)
    assert marked.lines[("article",)] == 1
    assert marked.lines[("article", "id")] == 2
    assert marked.lines[("events", 0)] == 4
    assert marked.lines[("events", 0, "actor1", "code")] == 5
    assert marked.lines[("events", 1, "id")] == 6
    assert marked.line_of(("events", 1, "missing", "deeper")) == 6


def test_merge_keys_are_resolved() -> None:
    text = "base: &b {kind: killed, who: civilians}\nrow:\n  <<: *b\n  count: 3\n"
    marked = load_marked(text)
    assert marked.data["row"] == {"kind": "killed", "who": "civilians", "count": 3}
    assert marked.data == yaml.safe_load(text)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'", 2),
        ("? [1, 2]\n: x\n", "a key must be a plain value", 1),
        ("when: 2024-13-45\n", "bad value", 1),
        ("a: [1, 2\n", "", 2),  # a syntax error: no data, one problem with its line
    ],
)
def test_problems_are_values_with_lines(text: str, message: str, line: int) -> None:
    marked = load_marked(text)
    assert len(marked.problems) == 1
    assert message in marked.problems[0].message
    assert marked.problems[0].line == line


def test_json_reads_the_same_with_lines() -> None:
    text = json.dumps({"article": {"id": "a1"}, "events": [{"id": "e1", "code": "195"}]}, indent=1)
    marked = load_marked(text)
    assert marked.data == json.loads(text)
    assert marked.lines[("events", 0, "code")] == text.splitlines().index('   "code": "195"') + 1


# Control characters are left out: PyYAML itself does not read back some it writes (NEL).
_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
_key = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=8)
_scalar = st.one_of(
    _text,
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
_values = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_key, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_key, _values, min_size=1, max_size=5))
def test_any_dumped_document_reads_back_like_the_safe_loader(data: dict[str, Any]) -> None:
    for style in (False, True, None):
        text = yaml.safe_dump(data, default_flow_style=style, allow_unicode=True)
        marked = load_marked(text)
        assert marked.problems == []
        assert marked.data == yaml.safe_load(text) == data
