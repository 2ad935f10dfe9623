"""What changed between two releases of a dataset, written as a CHANGELOG entry.

The previous release of version X is the highest published version below X (see
:func:`version_key`). Events are matched by ``event_id``: an entry lists the events
added, removed and changed, and for a changed event each column's old and new value.
Provenance columns (``source_file``, ``source_line``) are not changes of the data and
are left out of the comparison.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

IGNORED_COLUMNS = ("source_file", "source_line")
"""Columns whose changes are not reported (moving an annotation is not a data change)."""

_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]*$")
_RELEASE = re.compile(r"^v?(\d+(?:\.\d+)*)(.*)$")


def valid_version(version: str) -> bool:
    """Whether ``version`` can name a release folder (letters, digits, ``. _ + -``).

    Example:
        >>> valid_version("1.0.0"), valid_version("../x")
        (True, False)
    """
    return bool(_VERSION.match(version)) and ".." not in version


def version_key(version: str) -> tuple[Any, ...]:
    """A sort key ordering versions as people expect: numerically, pre-releases first.

    ``1.10`` sorts after ``1.9``; ``1.0.0rc1`` and ``1.0.0-beta`` before ``1.0.0``;
    a version that does not start with a number sorts before all that do.

    Example:
        >>> sorted(["1.10.0", "1.9.0", "1.0.0", "1.0.0rc1"], key=version_key)
        ['1.0.0rc1', '1.0.0', '1.9.0', '1.10.0']
    """
    match = _RELEASE.match(version)
    if match is None:
        return (0, (), 0, version)
    numbers = tuple(int(n) for n in match.group(1).split("."))
    while numbers and numbers[-1] == 0 and len(numbers) > 1:
        numbers = numbers[:-1]
    suffix = match.group(2)
    if suffix.startswith("+"):  # build metadata: same precedence, ordered by text
        return (1, numbers, 1, suffix)
    return (1, numbers, 0 if suffix else 1, suffix)


def previous_version(existing: Sequence[str], version: str) -> str | None:
    """The highest of ``existing`` below ``version``, or None.

    Example:
        >>> previous_version(["0.1.0", "0.3.0", "0.2.0"], "0.2.5")
        '0.2.0'
    """
    below = [v for v in existing if version_key(v) < version_key(version)]
    return max(below, key=version_key) if below else None


@dataclasses.dataclass(frozen=True)
class ColumnChange:
    """One column of one event that differs between two releases."""

    column: str
    old: Any
    new: Any


@dataclasses.dataclass
class EventsDiff:
    """Events added, removed and changed (by event_id) between two releases."""

    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: dict[str, list[ColumnChange]]
    old_rows: int
    new_rows: int

    @property
    def empty(self) -> bool:
        """True when no event was added, removed or changed."""
        return not (self.added or self.removed or self.changed)


def diff_events(old: pl.DataFrame, new: pl.DataFrame) -> EventsDiff:
    """Compare two events tables by ``event_id``.

    Example:
        >>> old = pl.DataFrame({"event_id": ["a/e1", "a/e2"], "killed_best": [1, 2]})
        >>> new = pl.DataFrame({"event_id": ["a/e1", "a/e3"], "killed_best": [5, 2]})
        >>> d = diff_events(old, new)
        >>> [e["event_id"] for e in d.added], [e["event_id"] for e in d.removed]
        (['a/e3'], ['a/e2'])
        >>> d.changed["a/e1"]
        [ColumnChange(column='killed_best', old=1, new=5)]
    """
    old_rows = {r["event_id"]: r for r in old.iter_rows(named=True)}
    new_rows = {r["event_id"]: r for r in new.iter_rows(named=True)}
    columns = [c for c in new.columns if c != "event_id" and c not in IGNORED_COLUMNS]
    added = [new_rows[k] for k in sorted(new_rows.keys() - old_rows.keys())]
    removed = [old_rows[k] for k in sorted(old_rows.keys() - new_rows.keys())]
    changed: dict[str, list[ColumnChange]] = {}
    for key in sorted(new_rows.keys() & old_rows.keys()):
        before, after = old_rows[key], new_rows[key]
        changes = [
            ColumnChange(c, before.get(c), after.get(c))
            for c in columns
            if before.get(c) != after.get(c)
        ]
        if changes:
            changed[key] = changes
    return EventsDiff(added, removed, changed, old.height, new.height)


def _value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        text = value.replace("\n", " ").replace("`", "'")
        return f'"{text}"'
    return str(value)


def _describe(event: Mapping[str, Any], code_names: Mapping[str, str]) -> str:
    parts = []
    code = event.get("event_code")
    if code:
        name = code_names.get(str(code))
        parts.append(f"{code} {name}" if name else str(code))
    actors = [event.get("actor1_code"), event.get("actor2_code")]
    if any(actors):
        parts.append(" → ".join(a or "?" for a in actors))
    if event.get("date_start"):
        parts.append(str(event["date_start"]))
    if event.get("location_name"):
        parts.append(str(event["location_name"]).replace("\n", " "))
    return ", ".join(parts)


def render_entry(
    version: str,
    previous: str | None,
    diff: EventsDiff,
    *,
    table_rows: Mapping[str, tuple[int | None, int]] | None = None,
    code_names: Mapping[str, str] | None = None,
    date: str | None = None,
) -> str:
    """The Markdown CHANGELOG entry of ``version`` (a ``## version`` section).

    ``table_rows`` maps other tables to (rows before, rows now); ``code_names`` maps event
    codes to names; ``date`` (e.g. the newest article's date) goes in the heading.

    Example:
        >>> d = diff_events(pl.DataFrame({"event_id": ["a/e1"]}),
        ...                 pl.DataFrame({"event_id": ["a/e1", "a/e2"]}))
        >>> print(render_entry("0.2.0", "0.1.0", d).splitlines()[0])
        ## 0.2.0
    """
    names = code_names or {}
    lines = [f"## {version}" + (f" — data up to {date}" if date else ""), ""]
    if previous is None:
        lines.append(f"First release: {diff.new_rows} events.")
    else:
        lines.append(
            f"Compared with {previous}: events {diff.old_rows} → {diff.new_rows} "
            f"({len(diff.added)} added, {len(diff.removed)} removed, "
            f"{len(diff.changed)} changed)."
        )
    if table_rows:
        counts = []
        for table, (before, after) in table_rows.items():
            counts.append(f"{table} {after}" if before is None else f"{table} {before} → {after}")
        lines += ["", "Rows: " + "; ".join(counts) + "."]
    if previous is not None and diff.added:
        lines += ["", "### Added", ""]
        lines += [f"- `{e['event_id']}`: {_describe(e, names)}" for e in diff.added]
    if previous is not None and diff.removed:
        lines += ["", "### Removed", ""]
        lines += [f"- `{e['event_id']}`: {_describe(e, names)}" for e in diff.removed]
    if diff.changed:
        lines += ["", "### Changed", ""]
        for event_id, changes in diff.changed.items():
            what = "; ".join(f"{c.column} {_value(c.old)} → {_value(c.new)}" for c in changes)
            lines.append(f"- `{event_id}`: {what}")
    return "\n".join(lines) + "\n"


def render_changelog(name: str, entries: Mapping[str, str]) -> str:
    """The cumulative CHANGELOG.md: every release's entry, newest version first.

    Example:
        >>> text = render_changelog("x", {"0.1.0": "## 0.1.0\\n", "0.2.0": "## 0.2.0\\n"})
        >>> [line for line in text.splitlines() if line.startswith("## ")]
        ['## 0.2.0', '## 0.1.0']
    """
    parts = [f"# Changelog of {name}\n"]
    for version in sorted(entries, key=version_key, reverse=True):
        parts.append(entries[version].strip("\n") + "\n")
    return "\n".join(parts)
