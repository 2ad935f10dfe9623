"""The great-expectations engine: the rule catalogue as an expectation suite, run by a
real GX checkpoint (``tacitus validate PATH --engine gx [--data-docs DIR]``).

Needs the ``gx`` extra (``pip install tacitus[gx]``); this module is imported only when
that engine is asked for.

Each check of the catalogue becomes one expectation on its view (the same views the
native engine uses, as pandas frames):

- where GX has a built-in expectation that means the same thing, that one
  (``expect_column_values_to_be_between`` for coordinates and casualty figures,
  ``expect_column_values_to_be_in_set`` for event codes and countries,
  ``expect_column_values_to_be_unique`` for ids, ``expect_column_values_to_not_be_null``
  for dates);
- otherwise a boolean column computed with polars from the check's ``fails`` expression
  (``ok__<check>``), checked with ``expect_column_values_to_be_in_set([True])``.

One ephemeral data context, one pandas data source, one checkpoint per view (a GX
checkpoint feeds one dataframe to all its validations), each with an
``UpdateDataDocsAction`` when ``--data-docs DIR`` is given. The rows GX reports as
unexpected (result format COMPLETE) become findings exactly as in the native engine, so
the per-rule counts of the two engines agree (a test checks this).

GX's own warnings (deprecations, ...) are silenced inside this module only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from tacitus.errors import UsageError
from tacitus.schema.tables import Tables
from tacitus.validators.base import (
    Check,
    Context,
    Expectation,
    Frame,
    Inputs,
    empty_findings,
    finding_exprs,
)
from tacitus.validators.engine import Planned, ValidationResult, validate_tables
from tacitus.validators.loading import Loaded

DATASOURCE = "tacitus"
ROW = "__row"


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence great-expectations' warnings and analytics for the enclosed block.

    Example:
        >>> with quiet():
        ...     warnings.warn("not shown")
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def available() -> bool:
    """Whether great_expectations can be imported.

    Example:
        >>> isinstance(available(), bool)
        True
    """
    try:
        with quiet():
            import great_expectations  # noqa: F401
    except ImportError:
        return False
    return True


def _gx() -> Any:
    try:
        with quiet():
            import great_expectations as gx
    except ImportError as exc:
        raise UsageError("--engine gx needs great-expectations: pip install 'tacitus[gx]'") from exc
    return gx


@dataclasses.dataclass
class GxRun:
    """What the GX engine found: the per-rule unexpected-row counts and the docs index."""

    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    expectations: int = 0
    checkpoints: int = 0
    data_docs: Path | None = None


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_")


@dataclasses.dataclass
class _Item:
    planned: Planned
    builtin: Expectation | None
    column: str | None = None


def _context(gx: Any, data_docs: Path | None) -> Any:
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites: dict[str, Any] = {}
    if data_docs is not None:
        sites["tacitus"] = {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(data_docs),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites=sites,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _expectation(gx: Any, item: _Item, meta: dict[str, str]) -> Any:
    if item.builtin is not None:
        name = "".join(part.capitalize() for part in item.builtin.type.split("_"))
        cls = getattr(gx.expectations, name)
        return cls(**dict(item.builtin.kwargs), meta=meta)
    return gx.expectations.ExpectColumnValuesToBeInSet(
        column=item.column, value_set=[True], meta=meta
    )


def run_gx(
    inputs: Inputs,
    planned: list[Planned],
    *,
    data_docs: Path | None = None,
    run: GxRun | None = None,
) -> pl.DataFrame:
    """Evaluate planned checks with great-expectations; return the findings.

    ``run`` (if given) receives the per-rule counts, the number of expectations and
    checkpoints, and the Data Docs index.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> from tacitus.validators.engine import plan
        >>> inputs = Inputs({"events": frame_from_rows("events", [{"latitude": 95.0}])})
        >>> run = GxRun()
        >>> found = run_gx(inputs, plan(inputs, frozenset({"L002"})), run=run)  # doctest: +SKIP
        >>> found["rule"].to_list()  # doctest: +SKIP
        ['L002']
        >>> run.counts  # doctest: +SKIP
        {'L002': 1}
    """
    gx = _gx()
    run = run if run is not None else GxRun()
    groups: dict[str, list[_Item]] = {}
    for p in planned:
        builtin = p.check.expectation_for(inputs)
        target = (builtin.view if builtin is not None else None) or p.check.view
        groups.setdefault(target, []).append(_Item(p, builtin))
    if not groups:
        return empty_findings()
    findings: list[pl.DataFrame] = []
    with quiet():
        context = _context(gx, data_docs)
        source = context.data_sources.add_pandas(DATASOURCE)
        for view_name, items in groups.items():
            lazy = _view(inputs, view_name, items)
            frame = _frame(lazy, items, inputs)
            results = _run_checkpoint(gx, context, source, view_name, items, frame)
            run.checkpoints += 1
            run.expectations += len(items)
            for item, (count, rows) in zip(items, results, strict=True):
                rule = item.planned.check.rule.id
                run.counts[rule] = run.counts.get(rule, 0) + count
                if rows:
                    hits = frame.filter(pl.col(ROW).is_in(rows))
                    findings.append(
                        hits.select(finding_exprs(item.planned.check, hits.schema, inputs))
                    )
        if data_docs is not None:
            run.data_docs = data_docs / "index.html"
    if not findings:
        return empty_findings()
    return pl.concat(findings, how="vertical_relaxed").cast(empty_findings().schema)


def _view(inputs: Inputs, name: str, items: list[_Item]) -> pl.LazyFrame:
    if all(item.builtin is None or item.builtin.view is None for item in items):
        return items[0].planned.view
    lazy = inputs.view(name)
    assert lazy is not None  # the check's expectation names a view that exists
    return lazy


def _frame(lazy: pl.LazyFrame, items: list[_Item], inputs: Inputs) -> pl.DataFrame:
    """The view, collected, with a row number, extra columns and one ok-column per check."""
    extra: dict[str, pl.Expr] = {}
    for i, item in enumerate(items):
        if item.builtin is not None:
            extra.update(item.builtin.columns)
        else:
            item.column = f"ok__{i}_{_safe(item.planned.check.key)}"
            extra[item.column] = ~item.planned.fails.fill_null(False)
    return lazy.with_row_index(ROW).with_columns(**extra).collect()


def _pandas(frame: pl.DataFrame, items: list[_Item]) -> Any:
    columns = [ROW]
    for item in items:
        if item.builtin is not None:
            columns.append(str(item.builtin.kwargs["column"]))
        elif item.column is not None:
            columns.append(item.column)
    selected = frame.select(list(dict.fromkeys(columns)))
    table = selected.to_pandas()
    return table.set_index(ROW, drop=False)


def _run_checkpoint(
    gx: Any, context: Any, source: Any, view_name: str, items: list[_Item], frame: pl.DataFrame
) -> list[tuple[int, list[int]]]:
    name = _safe(view_name)
    asset = source.add_dataframe_asset(name=name)
    batch = asset.add_batch_definition_whole_dataframe(f"{name}-all")
    suite = context.suites.add(gx.ExpectationSuite(name=f"tacitus-{name}"))
    for i, item in enumerate(items):
        check: Check = item.planned.check
        meta = {
            "rule": check.rule.id,
            "check": check.key,
            "title": check.rule.title,
            "index": str(i),
        }
        suite.add_expectation(_expectation(gx, item, meta))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"tacitus-{name}", data=batch, suite=suite)
    )
    actions = []
    if context.list_data_docs_sites():
        actions.append(gx.checkpoint.UpdateDataDocsAction(name="update-data-docs"))
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"tacitus-{name}",
            validation_definitions=[definition],
            actions=actions,
            result_format={"result_format": "COMPLETE"},
        )
    )
    outcome = checkpoint.run(batch_parameters={"dataframe": _pandas(frame, items)})
    by_index: dict[int, tuple[int, list[int]]] = {}
    for validation in outcome.run_results.values():
        for result in validation.results:
            index = int(result.expectation_config.meta["index"])
            details = result.result or {}
            count = int(details.get("unexpected_count") or 0)
            rows = [_row_number(r) for r in details.get("unexpected_index_list") or []]
            by_index[index] = (count, rows)
    return [by_index.get(i, (0, [])) for i in range(len(items))]


def _row_number(entry: Any) -> int:
    """A row of GX's unexpected_index_list: an index value, or {column: value}."""
    if isinstance(entry, Mapping):
        return int(entry.get(ROW, next(iter(entry.values()))))
    return int(entry)


def validate_tables_gx(
    tables: Tables | Mapping[str, Frame],
    context: Context | None = None,
    *,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    data_docs: Path | None = None,
    run: GxRun | None = None,
    **kwargs: Any,
) -> ValidationResult:
    """:func:`tacitus.validators.engine.validate_tables` with the GX engine.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> ev = frame_from_rows("events", [{"event_id": "a/e1", "latitude": 95.0,
        ...                                  "longitude": 1.0}])
        >>> result = validate_tables_gx({"events": ev}, select="L002")  # doctest: +SKIP
        >>> result.findings["rule"].to_list()  # doctest: +SKIP
        ['L002']
    """

    def runner(inputs: Inputs, planned: list[Planned]) -> pl.DataFrame:
        return run_gx(inputs, planned, data_docs=data_docs, run=run)

    return validate_tables(tables, context, select=select, ignore=ignore, runner=runner, **kwargs)


def validate_loaded_gx(
    loaded: Loaded,
    *,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    data_docs: Path | None = None,
    run: GxRun | None = None,
) -> ValidationResult:
    """Validate what ``load_path`` read, with the GX engine (see the module docs).

    Example:
        >>> from tacitus.validators.loading import load_path
        >>> loaded = load_path(Path("datasets/iran-pakistan-2024"))  # doctest: +SKIP
        >>> validate_loaded_gx(loaded, select="L").errors  # doctest: +SKIP
        0
    """
    from tacitus.validators.engine import validate_loaded

    def runner(inputs: Inputs, planned: list[Planned]) -> pl.DataFrame:
        return run_gx(inputs, planned, data_docs=data_docs, run=run)

    return validate_loaded(loaded, select=select, ignore=ignore, runner=runner)
