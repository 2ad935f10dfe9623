"""X rules: the same event reported by several articles, and events reported twice.

Events are *clustered* when they share actor1 and actor2 codes, root code and country,
and their days are within one day of each other (single linkage: a chain of days one
apart is one cluster). A cluster's id is its smallest event_id. Clusters reported by
two or more articles are the output of :func:`clusters`; X001 warns where their
casualty figures conflict, and gives the range across sources (min..max).
"""

from __future__ import annotations

import polars as pl

from tacitus.schema.rules import define_rule
from tacitus.schema.tables import Tables
from tacitus.validators.base import Check, Context, Frame, Inputs, register, view

CLUSTER_DAYS = 1
KINDS = ("killed", "injured")
IGNORED_FOR_DUPLICATES = ("event_id", "source_line")

X001 = define_rule(
    "X001",
    "Sources agree on casualties",
    "warning",
    "When several articles report the same event (same actors, root code and country, "
    "days within one of each other), their casualty figures overlap. Conflicting figures "
    "are reported with the range across sources (min..max); the finding's value is the "
    "cluster id.",
    "articles disagree on {field} for this event: {range} across {articles} articles "
    "(cluster {value}); this one says {mine}",
    "article A: 7 killed; article B on the same strike: 9 killed",
)
X002 = define_rule(
    "X002",
    "No duplicate event in an article",
    "error",
    "Two events of one article differ in more than their id: an exact copy is a "
    "duplicated annotation.",
    "event duplicates {value} (all fields but the id are equal)",
    "events: [{id: e1, code: '195', ...}, {id: e2, code: '195', ...same}]",
)


def _root(columns: set[str]) -> pl.Expr | None:
    parts = []
    if "root_code" in columns:
        parts.append(pl.col("root_code"))
    if "event_code" in columns:
        parts.append(pl.col("event_code").str.slice(0, 2))
    return pl.coalesce(parts) if parts else None


def _figure_bounds(kind: str, columns: set[str]) -> tuple[pl.Expr, pl.Expr] | None:
    present = [f"{kind}_{p}" for p in ("low", "best", "high") if f"{kind}_{p}" in columns]
    if not present:
        return None
    low = pl.coalesce([pl.col(c) for c in present])
    high = pl.coalesce([pl.col(c) for c in reversed(present)])
    return low, high


@view("clusters")
def cluster_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Events in clusters reported by two or more articles, with figure ranges."""
    columns = inputs.columns("events")
    events = inputs.table("events")
    root = _root(columns)
    if events is None or root is None or not {"event_id", "article_id", "date_start"} <= columns:
        return None
    keys = [c for c in ("actor1_code", "actor2_code", "country") if c in columns]
    keep = [
        c
        for c in ("event_id", "article_id", "source_file", "source_line", "date_start", *keys)
        if c in columns
    ]
    figures = []
    for kind in KINDS:
        bounds = _figure_bounds(kind, columns)
        if bounds is not None:
            figures += [bounds[0].alias(f"_{kind}_lo"), bounds[1].alias(f"_{kind}_hi")]
    key = pl.struct([*[pl.col(k) for k in keys], root.alias("_root")]).hash()
    ordered = (
        events.select(*keep, *figures, key.alias("_k"))
        .drop_nulls(["date_start", "event_id"])
        .sort(["_k", "date_start", "event_id"])
    )
    gap = (pl.col("date_start") - pl.col("date_start").shift(1)).dt.total_days()
    starts = (pl.col("_k") != pl.col("_k").shift(1)).fill_null(True) | (gap > CLUSTER_DAYS)
    clustered = (
        ordered.with_columns(_cluster_no=starts.cum_sum())
        .with_columns(
            _articles=pl.col("article_id").n_unique().over("_cluster_no"),
            _events=pl.len().over("_cluster_no"),
            cluster_id=pl.col("event_id").min().over("_cluster_no"),
        )
        .filter(pl.col("_articles") > 1)
    )
    extra = []
    for kind in KINDS:
        if f"_{kind}_lo" not in clustered.collect_schema():
            continue
        lo, hi = pl.col(f"_{kind}_lo"), pl.col(f"_{kind}_hi")
        with_figure = pl.col("article_id").filter(lo.is_not_null())
        extra += [
            lo.min().over("_cluster_no").alias(f"{kind}_min"),
            hi.max().over("_cluster_no").alias(f"{kind}_max"),
            (lo.max().over("_cluster_no") > hi.min().over("_cluster_no")).alias(
                f"_{kind}_conflict"
            ),
            with_figure.n_unique().over("_cluster_no").alias(f"_{kind}_articles"),
        ]
    return clustered.with_columns(extra) if extra else clustered


def clusters(tables: Tables | dict[str, Frame], context: Context | None = None) -> pl.DataFrame:
    """Events reported by several articles, one row per event with its cluster id.

    Columns: cluster_id, event_id, article_id, date_start, n_events, n_articles, and
    killed_min/killed_max, injured_min/injured_max (the range of figures across the
    cluster's sources) when the events table has figures.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> import datetime as dt
        >>> row = dict(event_code="195", actor1_code="PAKMIL", actor2_code="PAKSEP",
        ...            country="IRN", date_start=dt.date(2024, 1, 18))
        >>> ev = frame_from_rows("events", [
        ...     dict(row, event_id="a/e1", article_id="a", killed_best=7),
        ...     dict(row, event_id="b/e4", article_id="b", killed_best=9)])
        >>> clusters({"events": ev}).select("cluster_id", "killed_min", "killed_max").row(0)
        ('a/e1', 7, 9)
    """
    frames = tables.as_dict() if isinstance(tables, Tables) else tables
    inputs = Inputs(frames, context)
    lf = cluster_view(inputs)
    columns = ["cluster_id", "event_id", "article_id", "date_start"]
    if lf is None:
        return pl.DataFrame(
            schema={
                "cluster_id": pl.String,
                "event_id": pl.String,
                "article_id": pl.String,
                "date_start": pl.Date,
                "n_events": pl.UInt32,
                "n_articles": pl.UInt32,
            }
        )
    have = lf.collect_schema()
    ranges = [c for kind in KINDS for c in (f"{kind}_min", f"{kind}_max") if c in have]
    return (
        lf.select(
            *columns,
            pl.col("_events").cast(pl.UInt32).alias("n_events"),
            pl.col("_articles").cast(pl.UInt32).alias("n_articles"),
            *ranges,
        )
        .sort("cluster_id", "event_id")
        .collect()
    )


@view("duplicates_in_article")
def duplicates_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Later copies of an event within one article (rows equal but for id and line)."""
    events = inputs.table("events")
    columns = [c for c in sorted(inputs.columns("events")) if c not in IGNORED_FOR_DUPLICATES]
    if events is None or "event_id" not in inputs.columns("events") or "article_id" not in columns:
        return None
    key = pl.struct(columns).hash()
    hashed = events.select(key.alias("_h"))
    repeated = hashed.group_by("_h").agg(pl.len().alias("_n")).filter(pl.col("_n") > 1)
    candidates = events.with_columns(key.alias("_h")).join(
        repeated.select("_h"), on="_h", how="semi"
    )
    order = [pl.col("source_line")] if "source_line" in inputs.columns("events") else []
    first = pl.col("event_id").sort_by([*order, pl.col("event_id")]).first().over(columns)
    return candidates.with_columns(_first=first).filter(pl.col("event_id") != pl.col("_first"))


register(
    *[
        Check(
            X001,
            "events",
            "clusters",
            (f"_{kind}_conflict",),
            pl.col(f"_{kind}_conflict")
            & (pl.col(f"_{kind}_articles") > 1)
            & pl.col(f"_{kind}_lo").is_not_null(),
            field=kind,
            value=pl.col("cluster_id"),
            message={
                "range": pl.concat_str(
                    [
                        pl.col(f"{kind}_min").cast(pl.String),
                        pl.lit(".."),
                        pl.col(f"{kind}_max").cast(pl.String),
                    ]
                ),
                "articles": pl.col(f"_{kind}_articles"),
                "mine": pl.when(pl.col(f"_{kind}_lo") == pl.col(f"_{kind}_hi"))
                .then(pl.col(f"_{kind}_lo").cast(pl.String))
                .otherwise(
                    pl.concat_str(
                        [
                            pl.col(f"_{kind}_lo").cast(pl.String),
                            pl.lit(".."),
                            pl.col(f"_{kind}_hi").cast(pl.String),
                        ]
                    )
                ),
            },
        )
        for kind in KINDS
    ],
    Check(
        X002,
        "events",
        "duplicates_in_article",
        ("_first",),
        pl.col("event_id") != pl.col("_first"),
        field="event_id",
        value=pl.col("_first"),
    ),
)
