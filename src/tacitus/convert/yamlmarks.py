"""Read YAML (or JSON, which YAML reads too) into plain values plus the line of every value.

PyYAML's composer gives nodes with start marks; we build plain Python values from them
and record, for each path (``("events", 0, "actor1", "code")``), the 1-based line where
it is written. The libyaml C loader is used when PyYAML was built with it.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import yaml

try:  # the C loader is ~10x faster; pure Python is the fallback on odd platforms
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]

# Tags of plain scalars by value. The composer asks the (pure Python) resolver for the tag of
# every scalar; annotation files repeat the same keys and values ("code", "quote", "killed")
# thousands of times, so remembering the answer halves the cost of reading a file.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 50_000
_SCALAR = yaml.ScalarNode
_DEFAULT_SCALAR_TAG = "tag:yaml.org,2002:str"


class _CachingLoader(_Loader):  # type: ignore[misc, valid-type]
    """The fastest available safe loader, with the scalar tag lookup memoised."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is _SCALAR:
            if not implicit[0]:  # quoted or block scalars are strings unless tagged
                return _DEFAULT_SCALAR_TAG
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 64:
                    if len(_PLAIN_TAGS) >= _PLAIN_TAGS_MAX:
                        _PLAIN_TAGS.clear()
                    _PLAIN_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None  # no path resolvers are registered on the safe loader

    def ascend_resolver(self) -> None:
        return None


@dataclasses.dataclass
class MarkedProblem:
    """A problem met while reading: message, line and path (for findings)."""

    message: str
    line: int | None
    path: Path = ()


@dataclasses.dataclass
class Marked:
    """Plain data read from a file, with the line of every path in it."""

    data: Any
    lines: dict[Path, int]
    problems: list[MarkedProblem]

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one.

        Example:
            >>> m = load_marked("a:\\n  b: 1\\n")
            >>> m.line_of(("a", "b", "c"))
            2
        """
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                return line
        return None


def load_marked(text: str) -> Marked:
    """Parse YAML/JSON text into values and a path → line map; syntax errors are values.

    Example:
        >>> m = load_marked("events:\\n  - id: e1\\n    code: '195'\\n")
        >>> m.data["events"][0]["code"], m.lines[("events", 0, "code")]
        ('195', 3)
    """
    loader = _CachingLoader(text)
    problems: list[MarkedProblem] = []
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = " ".join(p for p in (exc.context, exc.problem) if p)
        return Marked(None, {}, [MarkedProblem(detail or str(exc), line)])
    except yaml.YAMLError as exc:
        return Marked(None, {}, [MarkedProblem(str(exc), None)])
    finally:
        loader.dispose()
    if node is None:
        return Marked(None, {}, [])
    lines: dict[Path, int] = {(): node.start_mark.line + 1}
    data = _build(loader, node, (), lines, problems)
    return Marked(data, lines, problems)


_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAPPING = yaml.MappingNode
_SEQUENCE = yaml.SequenceNode


def _build(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: Path,
    lines: dict[Path, int],
    problems: list[MarkedProblem],
) -> Any:
    # The hot loop of reading a file: plain strings, the commonest value by far, are taken
    # straight from the node instead of through _scalar.
    kind = type(node)
    if kind is _MAPPING:
        pairs = node.value
        if any(key_node.tag == _MERGE_TAG for key_node, _ in pairs):
            # resolve YAML merge keys (<<) like the safe loader
            loader.flatten_mapping(typing.cast(yaml.MappingNode, node))
            pairs = node.value
        out: dict[Any, Any] = {}
        for key_node, value_node in pairs:
            if type(key_node) is _SCALAR and key_node.tag == _STR_TAG:
                key = key_node.value
            else:
                key = _scalar(loader, key_node, problems)
                if isinstance(key, list | dict) or key is None:
                    problems.append(
                        MarkedProblem(
                            "a key must be a plain value", key_node.start_mark.line + 1, path
                        )
                    )
                    continue
                key = str(key) if not isinstance(key, str | int) else key
            child = (*path, key)
            line = key_node.start_mark.line + 1
            if key in out:
                problems.append(MarkedProblem(f"duplicate key {key!r}", line, child))
            lines[child] = line
            if type(value_node) is _SCALAR and value_node.tag == _STR_TAG:
                out[key] = value_node.value
            else:
                out[key] = _build(loader, value_node, child, lines, problems)
        return out
    if kind is _SEQUENCE:
        items = []
        for i, item in enumerate(node.value):
            child = (*path, i)
            lines[child] = item.start_mark.line + 1
            items.append(_build(loader, item, child, lines, problems))
        return items
    return _scalar(loader, node, problems)


_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"


def _scalar(loader: yaml.SafeLoader, node: yaml.Node, problems: list[MarkedProblem]) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return [] if isinstance(node, yaml.SequenceNode) else {}
    # Fast paths for the two commonest tags; everything else goes through the constructor.
    if node.tag == _STR_TAG:
        return node.value
    if node.tag == _INT_TAG and node.value.isdigit() and node.value[:1] != "0":
        return int(node.value)
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.constructor.ConstructorError, ValueError) as exc:
        problems.append(MarkedProblem(f"bad value {node.value!r}: {exc}", node.start_mark.line + 1))
        return node.value
