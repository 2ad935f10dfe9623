"""The build report: what went in, what came out, what was rejected, and where time went.

Written as ``build-report.json`` beside the tables and printed by ``tacitus build``. The
record count always balances: ``events_in = events_out + rejected`` (``lossless``), where
``events_in`` counts every event of every source file plus one for each file rejected
before any event could be read (a file that is not YAML).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
from collections.abc import Iterator
from typing import Any

__all__ = ["REPORT_FILE", "BuildReport", "Stages"]

REPORT_FILE = "build-report.json"


class Stages:
    """Wall-clock seconds per build stage, in the order the stages ran.

    Example:
        >>> stages = Stages()
        >>> with stages("parse"):
        ...     pass
        >>> list(stages.seconds)
        ['parse']
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed


@dataclasses.dataclass
class BuildReport:
    """The outcome of one build (see the module docstring for the counts).

    Example:
        >>> r = BuildReport(dataset="demo", version="1", events_in=3, events_out=2, rejected=1)
        >>> r.lossless, json.loads(r.to_json())["events_in"]
        (True, 3)
    """

    dataset: str
    version: str
    tacitus_version: str = ""
    codebook_version: str = ""
    out_dir: str | None = None
    inputs_sha256: str = ""
    """Digest of every input (dataset.toml, actors.yaml, each source file and its hash)."""
    code_sha256: str = ""
    """Digest of the conversion code (an edited converter is a different build)."""
    files: int = 0
    """Source files read (annotation files)."""
    parsed: int = 0
    """Source files parsed in this build (the others came from the cache)."""
    cached: int = 0
    articles: int = 0
    events_in: int = 0
    events_out: int = 0
    rejected: int = 0
    tables: dict[str, int] = dataclasses.field(default_factory=dict)
    """Rows per table: articles, events, casualties, evidence, actors, rejected, findings."""
    findings: dict[str, int] = dataclasses.field(default_factory=dict)
    """Findings from loading, by severity."""
    findings_by_rule: dict[str, int] = dataclasses.field(default_factory=dict)
    stages: dict[str, float] = dataclasses.field(default_factory=dict)
    """Seconds per stage: discover, parse, load cache, assemble, check, cache, write, total."""
    workers: int = 1
    cache: str = ""
    """How the cache was used (or why not)."""
    up_to_date: bool = False
    """True when the output already held exactly these inputs' tables and was kept."""
    outputs: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    """Output file name → {"sha256", "bytes"}."""

    @property
    def lossless(self) -> bool:
        """Every input record is an event row or a rejected row."""
        return self.events_in == self.events_out + self.rejected

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON values (with ``lossless``).

        Example:
            >>> BuildReport("demo", "1").to_dict()["lossless"]
            True
        """
        data = dataclasses.asdict(self)
        data["lossless"] = self.lossless
        return data

    def to_json(self) -> str:
        """The report as indented JSON with sorted keys (what build-report.json holds).

        Example:
            >>> BuildReport("demo", "1").to_json().startswith("{")
            True
        """
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BuildReport:
        """Read a report back (unknown keys are ignored).

        Example:
            >>> BuildReport.from_dict({"dataset": "d", "version": "1", "x": 0}).dataset
            'd'
        """
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def to_text(self) -> str:
        """A short human summary (what ``tacitus build`` prints).

        Example:
            >>> print(BuildReport("demo", "1", events_in=2, events_out=2).to_text().splitlines()[0])
            built demo 1
        """
        where = f" → {self.out_dir}" if self.out_dir else ""
        head = f"built {self.dataset} {self.version}{where}"
        if self.up_to_date:
            head += " (up to date: inputs unchanged, output kept)"
        lines = [head]
        lines.append(
            f"  articles  {self.articles} from {self.files} file(s): "
            f"{self.parsed} parsed, {self.cached} from the cache"
        )
        balance = "" if self.lossless else "  ** DOES NOT BALANCE **"
        lines.append(
            f"  events    {self.events_in} in = {self.events_out} out + "
            f"{self.rejected} rejected{balance}"
        )
        if self.tables:
            order = ["articles", "events", "casualties", "evidence", "actors", "rejected"]
            names = sorted(self.tables, key=lambda n: (order.index(n) if n in order else 99, n))
            rows = " · ".join(f"{name} {self.tables[name]}" for name in names)
            lines.append(f"  rows      {rows}")
        errors = self.findings.get("error", 0)
        warnings = self.findings.get("warning", 0)
        by_rule = ", ".join(f"{rule} {n}" for rule, n in sorted(self.findings_by_rule.items()))
        lines.append(
            f"  findings  {errors} error(s), {warnings} warning(s) from loading"
            + (f" ({by_rule})" if by_rule else "")
        )
        if self.stages:
            timing = " · ".join(f"{name} {seconds:.2f}s" for name, seconds in self.stages.items())
            lines.append(f"  time      {timing}")
        if self.cache:
            lines.append(f"  cache     {self.cache}")
        return "\n".join(lines)
