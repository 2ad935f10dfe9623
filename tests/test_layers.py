"""Dependencies point one way: schema → convert, validators → datasets → cli (DESIGN.md §2).

Every module under src/tacitus is parsed (not imported) and each import it makes is
checked against the table below: ``import``, ``from ... import`` (relative ones too, and
those under ``if TYPE_CHECKING:``: a type-only import still ties a layer to the one it
names) and ``importlib.import_module``/``__import__`` with a literal module name. A module
name built at run time (a variable, an f-string) is not seen.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "tacitus"

LAYERS = ("schema", "convert", "validators", "datasets", "cli")

FORBIDDEN: dict[str, frozenset[str]] = {
    # The shared root modules, which every layer imports, import no layer.
    "errors": frozenset(LAYERS),
    "atomic": frozenset(LAYERS),
    "schema": frozenset({"convert", "validators", "datasets", "cli"}),
    "convert": frozenset({"validators", "datasets", "cli"}),
    # validators → convert is allowed: it was there before this test (loading reads
    # annotation files and dataset folders, the engine collects the readers' rules,
    # reference uses the date and figure parsers). convert → validators is not.
    "validators": frozenset({"datasets", "cli"}),
    "datasets": frozenset({"cli"}),
    "cli": frozenset(),
}
"""Layer (the first name under tacitus) → the layers its modules must not import."""

ENTRY_POINTS = frozenset({"__init__", "__main__"})
"""tacitus/__init__.py and __main__.py sit above every layer (``tacitus.load``, the CLI)."""


@dataclasses.dataclass(frozen=True)
class Import:
    module: str
    line: int
    target: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str | None:
    """The layer a module name belongs to (None: not a tacitus module, or tacitus itself)."""
    parts = module.split(".")
    if parts[0] != PACKAGE or len(parts) < 2:
        return None
    return parts[1]


def imports_in(source: str, module: str, *, is_package: bool = False) -> Iterator[Import]:
    """Every module ``source`` (the text of ``module``) imports, with its line."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, module, is_package)
            for alias in node.names:
                # `from tacitus import datasets` names the layer in the imported name.
                yield Import(module, node.lineno, f"{base}.{alias.name}" if base else alias.name)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield Import(module, node.lineno, first.value)


def _absolute(name: str | None, level: int, module: str, is_package: bool) -> str:
    """The absolute module of a ``from`` import (``level`` dots before ``name``)."""
    if level == 0:
        return name or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _is_dynamic_import(func: ast.expr) -> bool:
    if isinstance(func, ast.Attribute):
        return func.attr == "import_module"
    return isinstance(func, ast.Name) and func.id in ("import_module", "__import__")


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        yield module_name(path), path


def layer_violations(layer: str) -> list[str]:
    found = []
    for module, path in modules():
        if layer_of(module) != layer:
            continue
        source = path.read_text(encoding="utf-8")
        for imported in imports_in(source, module, is_package=path.name == "__init__.py"):
            if layer_of(imported.target) in FORBIDDEN[layer]:
                found.append(str(imported))
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_above_it(layer: str) -> None:
    assert layer_violations(layer) == []


def test_every_module_is_in_a_layer() -> None:
    # A new subpackage or root module must be given its place in the table.
    unplaced = {
        module
        for module, _ in modules()
        if layer_of(module) not in FORBIDDEN and module.split(".")[-1] not in ENTRY_POINTS
    }
    assert unplaced - {PACKAGE} == set()


# --- the import finder itself: each way of importing the datasets layer from validators ---


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("import tacitus.datasets.build", "tacitus.datasets.build"),
        ("from tacitus.datasets.build import build_tables", "tacitus.datasets.build.build_tables"),
        ("from tacitus import datasets", "tacitus.datasets"),
        ("from ..datasets import build", "tacitus.datasets.build"),
        ("from .. import datasets", "tacitus.datasets"),
        (
            "import importlib\nbuild = importlib.import_module('tacitus.datasets.build')",
            "tacitus.datasets.build",
        ),
        (
            "from importlib import import_module\nimport_module('tacitus.datasets')",
            "tacitus.datasets",
        ),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from tacitus.datasets.build import BuildResult",
            "tacitus.datasets.build.BuildResult",
        ),
        (
            "def load():\n    from tacitus.datasets.build import build_tables",
            "tacitus.datasets.build.build_tables",
        ),
    ],
)
def test_every_way_of_importing_is_seen(source: str, target: str) -> None:
    found = list(imports_in(source, "tacitus.validators.loading"))
    assert target in [i.target for i in found]
    assert any(layer_of(i.target) in FORBIDDEN["validators"] for i in found)


def test_relative_import_in_a_package_init() -> None:
    found = list(imports_in("from .base import Context", "tacitus.validators", is_package=True))
    assert [i.target for i in found] == ["tacitus.validators.base.Context"]


def test_module_names() -> None:
    assert (
        module_name(SRC / "tacitus" / "validators" / "loading.py") == "tacitus.validators.loading"
    )
    assert module_name(SRC / "tacitus" / "cli" / "__init__.py") == "tacitus.cli"
    assert layer_of("tacitus.cli") == "cli" and layer_of("polars") is None
