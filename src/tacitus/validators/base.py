"""The machinery every validator shares: checks, views, inputs and the finding builder.

A *check* tests one rule on the rows of a *view*: a lazy polars frame built from the
tables (a table itself, or a table joined with what the rule needs, or an aggregate).
A check is three polars expressions over the view: ``fails`` (True where the row breaks
the rule), and the ``field``/``value``/message values a finding reports. Nothing loops
over rows in Python: the engine filters each view by the OR of its checks' ``fails`` in
one pass and turns the (few) failing rows into findings. The great-expectations bridge
evaluates the same expressions as boolean columns.

Rules that need columns or tables that are absent (or entirely null) are skipped: the
same checks run on tables read from GDELT, ICEWS or UCDP, which lack source lines or
casualty rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl

from tacitus.schema.rules import RULES, Finding, Rule, Severity
from tacitus.schema.tables import ALL_SCHEMAS, FINDINGS, empty_frame, polars_schema

if TYPE_CHECKING:
    from tacitus.validators.reference import Reference

Frame = pl.DataFrame | pl.LazyFrame
T = TypeVar("T")
MessageValue = pl.Expr | str | Callable[["Inputs"], pl.Expr]

DEFAULT_DATE_FLOOR = dt.date(1946, 1, 1)
"""Events dated before this are reported (D003) unless dataset.toml sets ``date_floor``.

1946 is the first year of the UCDP/PRIO Armed Conflict Dataset, the earliest coverage of
any of the major conflict-event datasets (GDELT starts in 1979, ICEWS in 1995)."""

CODED_FORMATS = ("gdelt", "icews", "ucdp")
"""Coded-event datasets our readers import (``tacitus.source_format`` in the Parquet
metadata): their rows are a producer's coding, not our annotation."""

METADATA_PREFIX = "tacitus."

FINDINGS_SCHEMA = polars_schema(FINDINGS)


@dataclasses.dataclass
class Context:
    """What the checks need besides the tables: settings and reference data.

    Example:
        >>> Context(date_floor=dt.date(2023, 1, 1)).publication_grace_days
        1
    """

    date_floor: dt.date = DEFAULT_DATE_FLOOR
    publication_grace_days: int = 1
    input_events: int | None = None
    """How many events the input had (from the build report); enables I004."""
    source: str | None = None
    """The dataset path: the file dataset-level findings (I004) point at."""
    reference: Reference | None = None
    """Codebook, country boxes and parsers; ``None`` loads the packaged ones."""
    source_format: str | None = None
    """Where the tables came from when a reader imported them (``gdelt``, ``icews``,
    ``ucdp``: see :data:`CODED_FORMATS`); None for our own annotated data."""
    quad_class_scheme: str | None = None
    """The QuadClass scheme ``quad_class`` follows (``GDELT``, ``ICEWS``...); None: GDELT."""
    goldstein_scheme: str | None = None
    """The scale ``goldstein`` follows (``GDELT``, ``ICEWS intensity``, ``none``); None: GDELT."""

    @property
    def coded_import(self) -> bool:
        """Whether the tables are an import of a coded-event dataset (GDELT, ICEWS, UCDP).

        Example:
            >>> Context(source_format="ucdp").coded_import, Context().coded_import
            (True, False)
        """
        return (self.source_format or "").lower() in CODED_FORMATS

    def apply_metadata(self, metadata: Mapping[str, str]) -> None:
        """Take the source and schemes from a table's metadata (``tacitus.source_format``,
        ``tacitus.quad_class_scheme``, ``tacitus.goldstein_scheme``), as our readers
        write it; keys without the ``tacitus.`` prefix are accepted too.

        Example:
            >>> c = Context()
            >>> c.apply_metadata({"tacitus.source_format": "icews",
            ...                   "tacitus.quad_class_scheme": "ICEWS"})
            >>> c.source_format, c.quad_class_scheme, c.goldstein_scheme
            ('icews', 'ICEWS', None)
        """
        values = {k.removeprefix(METADATA_PREFIX): v for k, v in metadata.items()}
        for name in ("source_format", "quad_class_scheme", "goldstein_scheme"):
            value = values.get(name)
            if isinstance(value, str) and value:
                setattr(self, name, value)

    def ref(self) -> Reference:
        """The reference data, loaded on first use."""
        if self.reference is None:
            from tacitus.validators.reference import Reference

            self.reference = Reference.default()
        return self.reference


@dataclasses.dataclass(frozen=True)
class Expectation:
    """A great-expectations built-in expectation equivalent to a check's ``fails``."""

    type: str
    """Snake-case expectation name, e.g. ``expect_column_values_to_be_between``."""
    kwargs: Mapping[str, Any]
    view: str | None = None
    """The view to run it on, when not the check's own (e.g. a whole table for unique)."""
    columns: Mapping[str, pl.Expr] = dataclasses.field(default_factory=dict)
    """Columns to add to that view so its failing rows can be reported as findings."""


@dataclasses.dataclass(frozen=True, eq=False)
class Check:
    """One rule tested on one view: the rows where ``fails`` is True become findings.

    Example:
        >>> from tacitus.schema.rules import RULES
        >>> c = Check(RULES["S002"], "events", "events", ("event_code",),
        ...           pl.col("event_code").is_null(), field="event_code")
        >>> c.key
        'S002:events:event_code'
    """

    rule: Rule
    table: str
    """The table findings are about (the ``table`` column of a finding)."""
    view: str
    """The registered view the check runs on (see :func:`view`)."""
    needs: tuple[str, ...]
    """Columns of the view the check reads; missing ⇒ the check is skipped."""
    fails: pl.Expr | Callable[[Inputs], pl.Expr | None]
    """True where a row breaks the rule; a function of the inputs when it needs
    run-time values (a country list, the date floor); None from it ⇒ skipped."""
    field: str | pl.Expr | Callable[[Inputs], pl.Expr] | None = None
    value: pl.Expr | Callable[[Inputs], pl.Expr] | None = None
    message: Mapping[str, MessageValue] = dataclasses.field(default_factory=dict)
    """Values for the rule's message template (a function of the inputs for run-time
    values such as the date floor)."""
    expectation: Expectation | Callable[[Inputs], Expectation | None] | None = None
    variant: str | None = None
    """Distinguishes several checks of one rule on one view (defaults to the field)."""

    def fails_expr(self, inputs: Inputs) -> pl.Expr | None:
        """The ``fails`` expression for this run (None: the check cannot run)."""
        return self.fails(inputs) if callable(self.fails) else self.fails

    def expectation_for(self, inputs: Inputs) -> Expectation | None:
        """The built-in GX expectation for this run, if the check has one."""
        if callable(self.expectation):
            return self.expectation(inputs)
        return self.expectation

    @property
    def key(self) -> str:
        """A unique, readable name for this check (``rule:table:variant``)."""
        variant = self.variant or (self.field if isinstance(self.field, str) else None) or "-"
        return f"{self.rule.id}:{self.table}:{variant}"


def severity_for(rule_id: str, context: Context) -> Severity | None:
    """The severity a rule's findings have on these data (None: the rule's own).

    Example:
        >>> severity_for("NONE", Context(source_format="ucdp")) is None
        True
    """
    rule = RULES.get(rule_id)
    if context.coded_import and rule is not None:
        return rule.on_import
    return None


CHECKS: list[Check] = []
"""Every registered check, in registration order (the validator modules add theirs)."""

ViewBuilder = Callable[["Inputs"], pl.LazyFrame | None]
VIEWS: dict[str, ViewBuilder] = {}
"""View name → function building it from the inputs (``None`` when it cannot be built)."""


def register(*checks: Check) -> None:
    """Add checks to the catalogue the engine runs (their keys must be unique).

    Example:
        >>> len(CHECKS) >= 0
        True
    """
    known = {c.key for c in CHECKS}
    for check in checks:
        if check.key in known:
            raise ValueError(f"check {check.key} is registered twice")
        known.add(check.key)
        CHECKS.append(check)


def view(name: str) -> Callable[[ViewBuilder], ViewBuilder]:
    """Register a view builder under ``name`` (decorator).

    Example:
        >>> @view("doc-example")
        ... def _rows(inputs): return inputs.table("events")
        >>> "doc-example" in VIEWS
        True
    """

    def decorate(fn: ViewBuilder) -> ViewBuilder:
        VIEWS[name] = fn
        return fn

    return decorate


def all_null_columns(frame: pl.DataFrame) -> set[str]:
    """The columns of a frame that hold no value (every column, when it has no rows).

    Example:
        >>> sorted(all_null_columns(pl.DataFrame({"a": [1, None], "b": [None, None]})))
        ['b']
    """
    if frame.height == 0:
        return set(frame.columns)
    counts = frame.null_count().row(0)
    return {c for c, n in zip(frame.columns, counts, strict=True) if n == frame.height}


class Inputs:
    """The tables being checked (lazily), their usable columns, and the context.

    Columns that are entirely null (known from a DataFrame's null counts or a Parquet
    file's statistics) are removed: a rule that needs them is skipped, not run on nulls.
    Views are built once and cached.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> inputs = Inputs({"events": frame_from_rows("events", [{"event_id": "a/e1"}])})
        >>> inputs.has("events", "event_id"), inputs.has("events", "latitude")
        (True, False)
    """

    def __init__(
        self,
        tables: Mapping[str, Frame],
        context: Context | None = None,
        *,
        all_null: Mapping[str, set[str]] | None = None,
        rules: frozenset[str] | None = None,
    ) -> None:
        self.context = context or Context()
        self.rules = rules
        self._views: dict[str, pl.LazyFrame | None] = {}
        self._repeated: dict[tuple[str, str], pl.Series] = {}
        self.timings: dict[str, float] = {}
        """Seconds spent per stage (``view NAME``: building a view; ``pass NAME``: the
        engine's pass over it), each without the stages it called: where time goes."""
        self._nested: list[float] = []
        self._tables: dict[str, pl.LazyFrame] = {}
        self._columns: dict[str, set[str]] = {}
        for name, frame in tables.items():
            nulls = set((all_null or {}).get(name, set()))
            if isinstance(frame, pl.DataFrame):
                nulls |= all_null_columns(frame)
                lazy = frame.lazy()
            else:
                lazy = frame
            columns = [c for c in lazy.collect_schema().names() if c not in nulls]
            self._tables[name] = lazy.select(columns)
            self._columns[name] = set(columns)

    def wants(self, rule_id: str) -> bool:
        """Whether the rule is selected for this run."""
        return self.rules is None or rule_id in self.rules

    def table(self, name: str) -> pl.LazyFrame | None:
        """The named table (usable columns only), or None when it was not given."""
        return self._tables.get(name)

    def present(self, name: str) -> bool:
        """Whether the named table was given (even with no rows)."""
        return name in self._tables

    def columns(self, name: str) -> set[str]:
        """The usable (present, not all-null) columns of a table."""
        return self._columns.get(name, set())

    def has(self, name: str, *columns: str) -> bool:
        """Whether the table is present with all these columns usable."""
        return name in self._tables and all(c in self._columns[name] for c in columns)

    def view(self, name: str) -> pl.LazyFrame | None:
        """Build (once) and return the named view."""
        if name not in self._views:
            self._views[name] = self.timed(f"view {name}", lambda: VIEWS[name](self))
        return self._views[name]

    def timed(self, stage: str, work: Callable[[], T]) -> T:
        """Run ``work``, adding its time (less that of stages it runs) to ``timings``.

        Example:
            >>> inputs = Inputs({})
            >>> inputs.timed("sum", lambda: 1 + 1), "sum" in inputs.timings
            (2, True)
        """
        started = time.perf_counter()
        self._nested.append(0.0)
        try:
            return work()
        finally:
            spent = time.perf_counter() - started
            inner = self._nested.pop()
            self.timings[stage] = self.timings.get(stage, 0.0) + spent - inner
            if self._nested:
                self._nested[-1] += spent

    def repeated_hashes(self, name: str, column: str) -> pl.Series:
        """The hashes (``Expr.hash()``) of a column's values that occur on more than one
        row of the table (computed once: I002 finds repeated ids with them, and a table
        whose ids do not repeat needs no grouping by id before a join).

        An id that repeats has its hash here; a hash here may (astronomically rarely)
        be two ids that share it. Empty: no id repeats. The table must have the column.

        Example:
            >>> inputs = Inputs({"articles": pl.DataFrame({"article_id": ["a", "b", "a"]})})
            >>> inputs.repeated_hashes("articles", "article_id").len()
            1
        """
        if (name, column) not in self._repeated:
            frame = self._tables[name]
            hashes = frame.select(pl.col(column).hash().alias("_h")).collect(engine="streaming")
            self._repeated[name, column] = repeated_values(hashes["_h"])
        return self._repeated[name, column]


# --- findings --------------------------------------------------------------------------


def lit_str(value: str | None) -> pl.Expr:
    """A string literal expression (null for None).

    Example:
        >>> pl.select(lit_str("IRN"), lit_str(None).alias("none")).row(0)
        ('IRN', None)
    """
    return pl.lit(value, dtype=pl.String)


def shown(expr: pl.Expr) -> pl.Expr:
    """An expression as display text: null becomes ``null``, dates ISO, floats short.

    Example:
        >>> frame = pl.DataFrame({"d": [dt.date(2024, 1, 18), None]})
        >>> frame.select(shown(pl.col("d")))["d"].to_list()
        ['2024-01-18', 'null']
    """
    return expr.cast(pl.String).fill_null("null")


def render(template: str, values: Mapping[str, pl.Expr | str | None]) -> pl.Expr:
    """A rule's message template as a polars expression (vectorised ``str.format``).

    ``{name}`` takes the expression given for ``name``; ``{name!r}`` quotes it; a name
    with no value keeps its placeholder, as :meth:`Rule.format` does.

    Example:
        >>> pl.select(render("low {low} > best {best}", {"low": pl.lit(9), "best": "5"})).item()
        'low 9 > best 5'
    """
    parts: list[pl.Expr] = []
    for literal, name, _spec, conversion in string.Formatter().parse(template):
        if literal:
            parts.append(pl.lit(literal))
        if name is None:
            continue
        if name not in values or values[name] is None:
            parts.append(pl.lit("{" + name + "}"))
            continue
        raw = values[name]
        expr = shown(pl.lit(raw) if isinstance(raw, str) else raw)  # type: ignore[arg-type]
        if conversion == "r":
            expr = pl.concat_str([pl.lit("'"), expr, pl.lit("'")])
        parts.append(expr)
    if not parts:
        return pl.lit("")
    return pl.concat_str(parts)


def finding_exprs(
    check: Check, columns: set[str] | pl.Schema, inputs: Inputs | None = None
) -> list[pl.Expr]:
    """The expressions that turn a failing view row into a finding row.

    Example:
        >>> from tacitus.schema.rules import RULES
        >>> c = Check(RULES["S002"], "events", "events", (), pl.lit(True), field="code")
        >>> [e.meta.output_name() for e in finding_exprs(c, {"event_id"})][:3]
        ['rule', 'severity', 'table']
    """
    inputs = inputs or Inputs({})
    names = set(columns)

    def column(name: str, dtype: pl.DataType) -> pl.Expr:
        return (pl.col(name) if name in names else pl.lit(None)).cast(dtype)

    given_field = check.field(inputs) if callable(check.field) else check.field
    given_value = check.value(inputs) if callable(check.value) else check.value
    field = (
        lit_str(given_field) if isinstance(given_field, str) or given_field is None else given_field
    )
    value = given_value.cast(pl.String) if given_value is not None else lit_str(None)
    values: dict[str, pl.Expr | str | None] = {"field": field, "value": value}
    for name, given in check.message.items():
        values[name] = given(inputs) if callable(given) else given
    return [
        pl.lit(check.rule.id, dtype=pl.String).alias("rule"),
        pl.lit(check.rule.severity, dtype=pl.String).alias("severity"),
        pl.lit(check.table, dtype=pl.String).alias("table"),
        column("event_id", pl.String()).alias("event_id"),
        column("article_id", pl.String()).alias("article_id"),
        field.cast(pl.String).alias("field"),
        column("source_file", pl.String()).alias("source_file"),
        column("source_line", pl.Int32()).alias("source_line"),
        render(check.rule.template, values).alias("message"),
        value.alias("value"),
    ]


def empty_findings() -> pl.DataFrame:
    """A findings table with no rows.

    Example:
        >>> empty_findings().columns[:2]
        ['rule', 'severity']
    """
    return empty_frame("findings")


def findings_frame(findings: list[Finding]) -> pl.DataFrame:
    """Findings (from loading files) as a findings table.

    Example:
        >>> from tacitus.schema.rules import RULES
        >>> findings_frame([RULES["S001"].finding(source_file="a.yaml", detail="x")]).height
        1
    """
    if not findings:
        return empty_findings()
    rows = [dataclasses.asdict(f) for f in findings]
    return pl.DataFrame(rows, schema=FINDINGS_SCHEMA, orient="row")


def sort_findings_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Order findings as people read them: file, line, rule, event.

    Example:
        >>> sort_findings_frame(empty_findings()).height
        0
    """
    return frame.sort(
        ["source_file", "source_line", "rule", "event_id", "field", "message"],
        nulls_last=True,
        maintain_order=True,
    )


def expected_schema(table: str) -> pl.Schema:
    """The polars schema a table must have (from tacitus.schema.tables).

    Example:
        >>> expected_schema("events")["latitude"]
        Float64
    """
    return polars_schema(ALL_SCHEMAS[table])


def fingerprint(columns: list[str]) -> pl.Expr:
    """A 64-bit hash of several columns (per-column hashes, combined).

    Rows with equal values have equal fingerprints; rows that share one are compared
    exactly afterwards, so a collision costs time, never a wrong finding.

    Example:
        >>> df = pl.DataFrame({"a": ["x", "x", "y"], "b": [1, 1, 1]})
        >>> df.select(fingerprint(["a", "b"]).n_unique()).item()
        2
    """
    hashed = [pl.col(c).hash(seed=i + 1) for i, c in enumerate(columns)]
    out = hashed[0]
    for h in hashed[1:]:
        out = (out * 1_000_003) ^ h  # wraps: order matters, so (a, b) != (b, a)
    return out


def repeated_values(values: pl.Series) -> pl.Series:
    """The distinct non-null values that occur more than once (found by sorting: on a
    large numeric column much faster than ``is_duplicated``).

    Example:
        >>> repeated_values(pl.Series([3, 1, 3, None, None, 2, 1])).sort().to_list()
        [1, 3]
    """
    ordered = values.drop_nulls().sort()
    return ordered.filter(ordered == ordered.shift(1)).unique()


@dataclasses.dataclass(frozen=True)
class ValueFlag:
    """A test of one events column that the events view evaluates once per distinct
    value (see :func:`per_value`)."""

    column: str
    test: Callable[[pl.Expr], pl.Expr]
    rule: str
    """The rule using it: the flag is computed only when the rule is selected."""


VALUE_FLAGS: dict[str, ValueFlag] = {}
"""Flag column of the ``events`` view → the per-value test it holds."""


def per_value(name: str, column: str, test: Callable[[pl.Expr], pl.Expr], rule: str) -> pl.Expr:
    """``test(pl.col(column))`` as a column of the ``events`` view named ``name``, which
    the view computes on the column's distinct values and looks up for each row.

    For string tests (regular expressions, prefixes) on columns with few distinct values
    (codes), this is many times cheaper than testing every row of a large table; the
    result is the same, null for a null value. Registered at import (names are unique).

    Example:
        >>> flag = per_value("_doc_example_flag", "event_code", lambda c: c == "195", "C001")
        >>> flag.meta.output_name(), VALUE_FLAGS["_doc_example_flag"].column
        ('_doc_example_flag', 'event_code')
        >>> del VALUE_FLAGS["_doc_example_flag"]
    """
    VALUE_FLAGS[name] = ValueFlag(column, test, rule)
    return pl.col(name)


ACTOR_CODE_PATTERN = r"^(?:[A-Z]{3}|[a-z]{3})+$"
"""A well-formed actor code: trios of capital letters (lower case only for a CAMEO ethnic
trio)."""


def trio_has(code: pl.Expr, trio: str) -> pl.Expr:
    """True where an actor code has ``trio`` as one of its role trios (not the first).

    Example:
        >>> codes = pl.DataFrame({"code": ["IRNCVL", "CVLABC"]})
        >>> codes.select(trio_has(pl.col("code"), "CVL"))["code"].to_list()
        [True, False]
    """
    return code.str.contains(f"^(?:[A-Z]{{3}})+{trio}(?:[A-Z]{{3}})*$")


def days(n: int) -> pl.Expr:
    """A duration of ``n`` days as an expression.

    Example:
        >>> pl.select(pl.lit(dt.date(2024, 1, 18)) + days(1)).item()
        datetime.date(2024, 1, 19)
    """
    return pl.duration(days=n)
