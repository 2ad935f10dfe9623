"""Run the rule catalogue over tables and combine the findings into one table.

The engine groups the selected checks by view and makes one pass over each view: it
adds one boolean column per check (``fails``), keeps the rows where any is true, and
turns those few rows into findings. Each view is collected with polars' streaming
engine, one after the other, so a 10-million-event table is read in batches and memory
peaks at the largest view.

Example:
    >>> from tacitus.schema.tables import frame_from_rows
    >>> events = frame_from_rows("events", [{"event_id": "a/e1", "latitude": 95.0,
    ...     "longitude": 10.0, "source_file": "a.yaml", "source_line": 12}])
    >>> result = validate_tables({"events": events}, select="L002")
    >>> result.findings.select("rule", "source_line", "message").row(0)
    ('L002', 12, 'latitude 95.0 is out of range')
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from tacitus.errors import InputError, UsageError
from tacitus.schema.rules import FAMILIES, RULES, Finding, Rule
from tacitus.schema.tables import ALL_SCHEMAS, Tables
from tacitus.validators.base import (
    CHECKS,
    Check,
    Context,
    Frame,
    Inputs,
    all_null_columns,
    empty_findings,
    finding_exprs,
    findings_frame,
    severity_for,
    sort_findings_frame,
)
from tacitus.validators.value_lines import at_value_lines

VALIDATOR_MODULES = (
    "views",
    "codes",
    "actors",
    "dates",
    "casualties",
    "evidence",
    "locations",
    "integrity",
    "cross_source",
)
if TYPE_CHECKING:
    from tacitus.validators.loading import Loaded

LOADING_FAMILIES = ("S", "E")
"""Rules applied while reading annotation files (tacitus.schema.rules)."""


READER_RULE_MODULES = ("tacitus.convert.to_tables", "tacitus.convert.readers")
"""Modules outside the validators that define rules (readers' S rules): imported so the
catalogue is the same whatever was imported before."""


def load_catalogue() -> dict[str, Rule]:
    """Import every validator module (registering its rules and checks); return RULES.

    Example:
        >>> "K002" in load_catalogue() and "S001" in load_catalogue()
        True
    """
    for module in VALIDATOR_MODULES:
        importlib.import_module(f"tacitus.validators.{module}")
    for name in READER_RULE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - a reader's optional dependency is absent
            continue
    return RULES


def select_rules(
    select: str | Iterable[str] | None = None, ignore: str | Iterable[str] | None = None
) -> frozenset[str]:
    """The rule ids to run: ``select`` (ids or family letters; default all) minus ``ignore``.

    Raises UsageError for an id or family that does not exist.

    Example:
        >>> sorted(select_rules("L", ignore="L003"))
        ['L001', 'L002', 'L004']
    """
    catalogue = load_catalogue()
    chosen = set(catalogue) if not _tokens(select) else _expand(_tokens(select), catalogue)
    chosen -= _expand(_tokens(ignore), catalogue)
    return frozenset(r for r in chosen if r in catalogue and not _is_doc_example(r))


def _tokens(spec: str | Iterable[str] | None) -> list[str]:
    if spec is None:
        return []
    items = [spec] if isinstance(spec, str) else list(spec)
    return [t.strip().upper() for item in items for t in item.split(",") if t.strip()]


def _expand(tokens: list[str], catalogue: Mapping[str, Rule]) -> set[str]:
    out: set[str] = set()
    for token in tokens:
        if len(token) == 1 and token in FAMILIES:
            out |= {r for r in catalogue if r.startswith(token)}
        elif token in catalogue:
            out.add(token)
        else:
            raise UsageError(
                f"unknown rule {token!r} (use rule ids such as K002 or family letters "
                f"{', '.join(FAMILIES)}; `tacitus validate --rules-doc` lists them)"
            )
    return out


def _is_doc_example(rule_id: str) -> bool:
    # define_rule's doctest registers S900; it is not part of the catalogue.
    return rule_id[1:] >= "900"


@dataclasses.dataclass
class ValidationResult:
    """Findings of one validation run, and which rules could run.

    Example:
        >>> r = ValidationResult(empty_findings(), checked=("L002",))
        >>> r.exit_code(), r.errors, r.warnings
        (0, 0, 0)
    """

    findings: pl.DataFrame
    checked: tuple[str, ...] = ()
    """Selected rules that ran (their data was present); others are skipped."""
    skipped: tuple[str, ...] = ()
    source: str | None = None
    table_rows: Mapping[str, int] = dataclasses.field(default_factory=dict)
    timings: Mapping[str, float] = dataclasses.field(default_factory=dict)
    """Seconds per stage of the run (:attr:`tacitus.validators.base.Inputs.timings`)."""

    @property
    def errors(self) -> int:
        """Number of error findings."""
        return int((self.findings["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        """Number of warning findings."""
        return int((self.findings["severity"] == "warning").sum())

    def exit_code(self, strict: bool = False) -> int:
        """1 when there are errors (or warnings, with ``strict``), else 0."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def by_rule(self) -> pl.DataFrame:
        """Finding counts per rule and severity, in rule order.

        Example:
            >>> ValidationResult(empty_findings()).by_rule().columns
            ['rule', 'severity', 'title', 'count']
        """
        counts = self.findings.group_by("rule", "severity").agg(pl.len().alias("count"))
        titles = pl.DataFrame(
            {"rule": list(RULES), "title": [r.title for r in RULES.values()]},
            schema={"rule": pl.String, "title": pl.String},
        )
        return (
            counts.join(titles, on="rule", how="left")
            .select("rule", "severity", "title", pl.col("count").cast(pl.UInt32))
            .sort("rule", "severity")
        )


Runner = Callable[[Inputs, list["Planned"]], pl.DataFrame]


@dataclasses.dataclass(frozen=True)
class Planned:
    """A check that can run on this input: its view and its ``fails`` expression."""

    check: Check
    view: pl.LazyFrame
    fails: pl.Expr


def plan(inputs: Inputs, rules: frozenset[str] | None = None) -> list[Planned]:
    """The checks of the selected rules whose views and columns are available.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> inputs = Inputs({"events": frame_from_rows("events", [{"latitude": 1.0}])})
        >>> sorted({p.check.rule.id for p in plan(inputs, frozenset({"L002", "C001"}))})
        ['L002']
    """
    load_catalogue()
    planned = []
    for check in CHECKS:
        if rules is not None and check.rule.id not in rules:
            continue
        lf = inputs.view(check.view)
        if lf is None:
            continue
        schema = lf.collect_schema()
        if any(n not in schema for n in check.needs):
            continue
        fails = check.fails_expr(inputs)
        if fails is None:
            continue
        planned.append(Planned(check, lf, fails))
    return planned


def run_checks(inputs: Inputs, planned: list[Planned]) -> pl.DataFrame:
    """Evaluate planned checks: one filtered pass per view, each view in turn.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> rows = [{"latitude": -91.0, "longitude": 10.0}]
        >>> inputs = Inputs({"events": frame_from_rows("events", rows)})
        >>> run_checks(inputs, plan(inputs))["rule"].to_list()
        ['L002']
    """
    groups: dict[int, list[Planned]] = {}
    for item in planned:
        groups.setdefault(id(item.view), []).append(item)
    queries, batches = [], []
    for items in groups.values():
        lf = items[0].view
        schema = lf.collect_schema()
        flags = [p.fails.fill_null(False).alias(f"__fails{i}") for i, p in enumerate(items)]
        used: set[str] = set()
        for p in items:
            for expr in [p.fails, *finding_exprs(p.check, schema, inputs)]:
                used |= set(expr.meta.root_names())
        keep = [c for c in schema.names() if c in used]
        # Filter first (the predicate streams over the whole view), then compute the
        # flags and keep the columns of the few failing rows only.
        any_fails = pl.any_horizontal([p.fails.fill_null(False) for p in items])
        queries.append(lf.filter(any_fails).select(*keep, *flags))
        batches.append(items)
    if not queries:
        return empty_findings()
    # One view at a time: each streams its tables, and memory peaks at the largest
    # view rather than at the sum of all of them (collect_all runs them together).
    collected = [
        inputs.timed(f"pass {items[0].check.view}", partial(_streamed, query))
        for query, items in zip(queries, batches, strict=True)
    ]
    frames = []
    for items, hits in zip(batches, collected, strict=True):
        if hits.is_empty():
            continue
        for i, p in enumerate(items):
            rows = hits.filter(pl.col(f"__fails{i}"))
            if rows.height:
                frames.append(rows.select(finding_exprs(p.check, hits.schema, inputs)))
    if not frames:
        return empty_findings()
    return pl.concat(frames, how="vertical_relaxed").cast(empty_findings().schema)


def _streamed(query: pl.LazyFrame) -> pl.DataFrame:
    return query.collect(engine="streaming")


def validate_tables(
    tables: Tables | Mapping[str, Frame],
    context: Context | None = None,
    *,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    findings: Iterable[Finding] | pl.DataFrame | None = None,
    table_files: Mapping[str, str] | None = None,
    all_null: Mapping[str, set[str]] | None = None,
    loaded_rules: Iterable[str] = (),
    runner: Runner | None = None,
) -> ValidationResult:
    """Check tables (name → polars frame) against the selected rules.

    ``findings`` are problems already found (e.g. while reading files): they are
    filtered by the selection and merged. ``table_files`` names the file each table
    came from; findings without a source file point there. ``runner`` evaluates the
    planned checks (default :func:`run_checks`; the great-expectations bridge passes
    its own).

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> ev = frame_from_rows("events", [{"event_id": "a/e1"}, {"event_id": "a/e1"}])
        >>> validate_tables({"events": ev}, select="I002").findings["rule"].to_list()
        ['I002', 'I002']
    """
    rules = select_rules(select, ignore)
    frames = tables.as_dict() if isinstance(tables, Tables) else dict(tables)
    context = context or Context()
    files = dict(table_files or {})
    conformed: dict[str, pl.LazyFrame] = {}
    early: list[Finding] = []
    from tacitus.validators.integrity import conform

    for name, frame in frames.items():
        lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
        if name in ALL_SCHEMAS and name != "findings":
            lazy, problems = conform(name, lazy, source_file=files.get(name, name))
            early += problems
        conformed[name] = lazy
    usable: dict[str, Frame] = dict(conformed)
    nulls = dict(all_null or {})
    for name, frame in frames.items():
        if isinstance(frame, pl.DataFrame):
            nulls[name] = nulls.get(name, set()) | all_null_columns(frame)
    inputs = Inputs(usable, context, all_null=nulls, rules=rules)
    planned = plan(inputs, rules)
    found = (runner or run_checks)(inputs, planned)
    given = findings if isinstance(findings, pl.DataFrame) else findings_frame(list(findings or []))
    found = _counted_once(_without_repeats(found, given))
    found = at_value_lines(found, inputs.table("evidence"))
    combined = pl.concat([given, findings_frame(early), found], how="vertical_relaxed")
    combined = combined.filter(pl.col("rule").is_in(sorted(rules)))
    combined = _import_severities(combined, context)
    combined = sort_findings_frame(_point_at_files(combined, files))
    checked = {p.check.rule.id for p in planned} | {"I001"} & rules
    checked |= {r for r in loaded_rules if r in rules}
    return ValidationResult(
        findings=combined,
        checked=tuple(sorted(checked)),
        skipped=tuple(sorted(rules - checked)),
        source=context.source,
        table_rows={},
        timings=dict(inputs.timings),
    )


def _point_at_files(findings: pl.DataFrame, files: Mapping[str, str]) -> pl.DataFrame:
    if not files or findings.is_empty():
        return findings
    mapping = pl.DataFrame(
        {"table": list(files), "_file": list(files.values())},
        schema={"table": pl.String, "_file": pl.String},
    )
    return (
        findings.join(mapping, on="table", how="left", maintain_order="left")
        .with_columns(pl.coalesce("source_file", "_file").alias("source_file"))
        .drop("_file")
    )


REPEAT_KEY = ("rule", "source_file", "event_id", "field", "value")

REPORTED_ONCE = {"K002": ("casualties", "events")}
"""Rules checked on two tables that can hold the same figure (an event's killed range is
also its casualty total row): rule → (table kept, table whose repeat is dropped)."""
ONCE_KEY = ("rule", "event_id", "field", "value")


def _counted_once(found: pl.DataFrame) -> pl.DataFrame:
    """Drop a finding that repeats, on the second table, one made on the first (same
    rule, event, field and value): one unordered range is one problem."""
    if found.is_empty():
        return found
    for rule, (kept, dropped) in REPORTED_ONCE.items():
        first = found.filter((pl.col("rule") == rule) & (pl.col("table") == kept))
        if first.is_empty():
            continue
        repeat = (pl.col("rule") == rule) & (pl.col("table") == dropped)
        twice = found.filter(repeat).join(
            first.select(ONCE_KEY).unique(), on=list(ONCE_KEY), how="semi", nulls_equal=True
        )
        if twice.height:
            found = found.join(twice, on=found.columns, how="anti", nulls_equal=True)
    return found


def _import_severities(findings: pl.DataFrame, context: Context) -> pl.DataFrame:
    """Give findings of rules with an ``on_import`` severity that severity on coded imports."""
    lowered = {r: severity_for(r, context) for r in RULES}
    lowered = {r: s for r, s in lowered.items() if s is not None}
    if not lowered or findings.is_empty():
        return findings
    severity = pl.col("severity")
    for rule, value in lowered.items():
        severity = pl.when(pl.col("rule") == rule).then(pl.lit(value)).otherwise(severity)
    return findings.with_columns(severity.cast(pl.String).alias("severity"))


def _without_repeats(found: pl.DataFrame, given: pl.DataFrame) -> pl.DataFrame:
    """Drop table findings that reading the files already reported (E rules run both
    while reading and on the evidence table; the reader's finding is kept)."""
    if found.is_empty() or given.is_empty():
        return found
    keys = given.select(REPEAT_KEY).unique()
    return found.join(keys, on=list(REPEAT_KEY), how="anti", nulls_equal=True)


def validate_path(
    path: str | Path,
    *,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
) -> ValidationResult:
    """Validate a dataset folder, an annotation file, a built folder or a Parquet file.

    Raises a TacitusError (exit code 2) when the path cannot be used at all.

    Example:
        >>> validate_path("no/such/dataset")
        Traceback (most recent call last):
        ...
        tacitus.errors.UsageError: no/such/dataset does not exist
    """
    from tacitus.validators.loading import load_path

    return validate_loaded(load_path(Path(path)), select=select, ignore=ignore)


def validate_loaded(
    loaded: Loaded,
    *,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    runner: Runner | None = None,
) -> ValidationResult:
    """Validate what :func:`tacitus.validators.loading.load_path` read.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> from tacitus.validators.loading import Loaded
        >>> ev = frame_from_rows("events", [{"latitude": 95.0, "longitude": 1.0}])
        >>> validate_loaded(Loaded({"events": ev}, Context()), select="L002").errors
        1
    """
    try:
        result = validate_tables(
            loaded.tables,
            loaded.context,
            select=select,
            ignore=ignore,
            findings=loaded.findings,
            table_files=loaded.table_files,
            all_null=loaded.all_null,
            loaded_rules=loaded.loaded_rules,
            runner=runner,
        )
    except (pl.exceptions.ComputeError, OSError) as exc:
        # A Parquet file whose footer reads but whose data does not (corrupted pages)
        # fails only when the rules read it: name the file instead of a traceback.
        broken = _unreadable_file(loaded.table_files.values())
        if broken is None:
            raise
        raise InputError(f"{broken[0]}: cannot read the file ({broken[1]})") from exc
    result.source = loaded.context.source
    return result


def _unreadable_file(paths: Iterable[str]) -> tuple[str, str] | None:
    """The first of these Parquet files that cannot be read in full, and why."""
    import pyarrow.parquet as pq

    for path in paths:
        try:
            pq.read_table(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            return path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None
