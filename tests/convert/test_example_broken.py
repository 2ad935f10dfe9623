"""A deliberately broken copy of an example article yields every error, each at its line.

Two copies: one broken in its structure (caught while reading the file) and one broken in
its meaning (caught by the validators). Expected lines are looked up in the broken text
itself, so the test keeps working when the example article is reworded.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tacitus.convert.native import load_document, load_document_bytes
from tacitus.validators.engine import validate_path

ARTICLE = Path("articles") / "meridian-wire-2024-01-18.yaml"


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"edit target not unique in the example: {old!r}"
    return text.replace(old, new)


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= nth, needle
    return hits[nth - 1]


def test_the_example_article_itself_is_clean(example_dataset: Path) -> None:
    result = load_document(example_dataset / ARTICLE)
    assert result.problems == []
    assert result.document is not None and len(result.document.events) >= 8


def test_structural_errors_all_come_back_with_their_lines(example_dataset: Path) -> None:
    clean = load_document(example_dataset / ARTICLE)
    text = (example_dataset / ARTICLE).read_text(encoding="utf-8")
    broken = _edit(text, "  source: Meridian Wire\n", "")  # a required field removed
    broken = _edit(broken, "        count: 7\n", "        count: seven\n")  # wrong type
    broken = _edit(
        broken, "quote: fired missiles and drones\n", "quote: fired rockets and drones\n"
    )
    broken = _edit(broken, "Foreign Office, occurrence: 2}", "Foreign Office, occurence: 2}")

    result = load_document_bytes(broken.encode("utf-8"), "meridian.yaml")

    found = sorted((p.rule, p.source_line) for p in result.problems)
    expected = sorted(
        [
            ("S002", _line_of(broken, "article:")),  # the mapping that lacks `source`
            ("S003", _line_of(broken, "count: seven")),
            ("E001", _line_of(broken, "fired rockets and drones")),
            ("S004", _line_of(broken, "occurence: 2")),
        ]
    )
    assert found == expected
    assert all(p.source_file == "meridian.yaml" for p in result.problems)
    messages = " | ".join(p.message for p in result.problems)
    for words in ("article.source", "occurence", "fired rockets and drones", "integer"):
        assert words in messages
    # A file with errors gives no document: its events are rejected, never half-loaded.
    assert result.document is None
    # ... but every one of its events is still known, so the build can list them as rejected.
    assert [e.id for e in result.raw_events] == [e.id for e in clean.raw_events]


def test_meaning_errors_all_come_back_with_their_lines(
    example_dataset: Path, tmp_path: Path
) -> None:
    text = (example_dataset / ARTICLE).read_text(encoding="utf-8")
    broken = _edit(  # "on Wednesday" before a Thursday publication is the 17th
        text,
        "date: {value: 2024-01-17, quote: on Wednesday}",
        "date: {value: 2024-01-19, quote: on Wednesday}",
    )
    broken = _edit(broken, 'code: "161"', 'code: "169"')  # no such CAMEO code
    broken = _edit(  # "four children" annotated as five
        broken,
        "{count: 5, who: children, quote: four children}".replace("5", "4"),
        "{count: 5, who: children, quote: four children}",
    )
    dataset = tmp_path / "broken-dataset"
    (dataset / "articles").mkdir(parents=True)
    for name in ("dataset.toml", "actors.yaml"):
        shutil.copy(example_dataset / name, dataset / name)
    (dataset / ARTICLE).write_text(broken, encoding="utf-8")

    result = validate_path(dataset)

    found = sorted(
        (row["rule"], row["source_file"], row["source_line"]) for row in result.findings.to_dicts()
    )
    file = ARTICLE.as_posix()
    expected = sorted(
        [
            ("D004", file, _line_of(broken, "value: 2024-01-19, quote: on Wednesday")),
            ("C001", file, _line_of(broken, "- id: e5")),  # the event whose code is wrong
            ("K004", file, _line_of(broken, "quote: four children")),
            # The breakdown (3 + 5) now exceeds the total of 7 it belongs to.
            ("K003", file, _line_of(broken, "- kind: killed", nth=2)),
        ]
    )
    assert found == expected
    assert result.exit_code() == 1
