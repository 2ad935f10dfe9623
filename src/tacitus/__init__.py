"""tacitus: build, validate and publish conflict-event datasets from annotated news articles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "load"]

if TYPE_CHECKING:
    from tacitus.datasets.load import load


def __getattr__(name: str) -> Any:
    # `tacitus.load` is imported on first use, so `import tacitus` stays cheap.
    if name == "load":
        from tacitus.datasets.load import load

        return load
    raise AttributeError(f"module 'tacitus' has no attribute {name!r}")
