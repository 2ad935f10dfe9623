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
from tacitus.validators.base import (
    Check,
    Context,
    Frame,
    Inputs,
    fingerprint,
    register,
    repeated_values,
    view,
)

CLUSTER_DAYS = 1
KINDS = ("killed", "injured")
IGNORED_FOR_DUPLICATES = ("event_id", "source_line")
DUPLICATE_KEY = (
    "article_id", "event_code", "actor1_code", "actor2_code", "date_start", "date_end",
    "country", "location_name", "latitude", "longitude", "killed_best", "injured_best",
)  # fmt: skip
"""Columns whose fingerprint picks the candidate copies X002 then compares exactly: two
rows can only be equal if these are (reading a few columns instead of every one)."""

X001 = define_rule(
    "X001",
    "Sources agree on casualties",
    "warning",
    "When several articles report the same event (same actors, root code and country, "
    "days within one of each other), their casualty figures overlap. A figure is a range: "
    "an exact count, low..high, 'at least' low (open above) or 'up to' high (from 0). "
    "Conflicting figures are reported with the range across sources (min..max); the "
    "finding's value is the cluster id.",
    "articles disagree on {field} for this event: {range} across {articles} articles "
    "(cluster {value}); this one says {mine}",
    "article A: 7 killed; article B on the same strike: 9 killed",
)
X002 = define_rule(
    "X002",
    "No duplicate event in an article",
    "error",
    "Two events of one article differ in more than their id: an exact copy is a "
    "duplicated annotation. Not run on coded imports (GDELT, ICEWS, UCDP): there each "
    "source row is its own record, named by its id (GlobalEventID, Event ID, UCDP id, "
    "kept in event_id), and rows that differ only in columns we do not model are "
    "distinct records, not copies.",
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


def figure_bounds(kind: str, columns: set[str]) -> tuple[pl.Expr, pl.Expr] | None:
    """The lowest and highest number of ``kind`` a row's figures allow.

    An exact figure (best alone, or low = best = high) is itself; low..high is a range;
    a low with no high ("at least") is open above (the high bound is null); a high with
    no low ("up to") starts at 0. Rows without any figure have null bounds.

    Example:
        >>> df = pl.DataFrame({"killed_low": [7, 0, None, 2], "killed_best": [7, None, 5, None],
        ...                    "killed_high": [7, None, None, 9]})
        >>> lo, hi = figure_bounds("killed", set(df.columns))
        >>> df.select(lo.alias("lo"), hi.alias("hi")).rows()
        [(7, 7), (0, None), (5, 5), (2, 9)]
    """
    names = {p: f"{kind}_{p}" for p in ("low", "best", "high")}
    if not any(c in columns for c in names.values()):
        return None

    def col(part: str) -> pl.Expr:
        return pl.col(names[part]) if names[part] in columns else pl.lit(None, dtype=pl.Int64)

    low, best, high = col("low"), col("best"), col("high")
    given = low.is_not_null() | best.is_not_null() | high.is_not_null()
    lo = pl.when(given).then(pl.coalesce(low, best, pl.lit(0, dtype=pl.Int64)))
    hi = pl.when(high.is_not_null()).then(high).when(low.is_null()).then(best)
    return lo, hi


def _narrow(inputs: Inputs) -> pl.LazyFrame | None:
    """Events as cluster keys: one small row per dated event (row number, key hash, day,
    article hash, figure bounds); :func:`_numbered` sorts them and numbers the clusters."""
    columns = inputs.columns("events")
    events = inputs.table("events")
    root = _root(columns)
    if events is None or root is None or not {"event_id", "article_id", "date_start"} <= columns:
        return None
    keys = [c for c in ("actor1_code", "actor2_code", "country") if c in columns]
    figures = []
    for kind in KINDS:
        bounds = figure_bounds(kind, columns)
        if bounds is not None:
            figures += [bounds[0].alias(f"_{kind}_lo"), bounds[1].alias(f"_{kind}_hi")]
    key = fingerprint([*keys, "_root"]) if keys else pl.col("_root").hash()
    ordered = (
        events.with_row_index("_row")
        .filter(pl.col("date_start").is_not_null() & pl.col("event_id").is_not_null())
        .with_columns(root.alias("_root"))
        .select(
            "_row",
            key.alias("_k"),
            "date_start",
            pl.col("article_id").hash().alias("_article"),
            *figures,
        )
    )
    return ordered


def _numbered(narrow: pl.LazyFrame) -> pl.DataFrame:
    """The narrow rows collected (in table order) with their cluster number, without
    the key and day (grouping by cluster needs neither, nor any particular order)."""
    rows = narrow.collect(engine="streaming")
    numbers = cluster_numbers(rows["_k"], rows["date_start"])
    rows = rows.drop("_k", "date_start").with_columns(numbers.alias("_cluster_no"))
    del numbers
    return _downcast_figures(rows)


def _downcast_figures(rows: pl.DataFrame) -> pl.DataFrame:
    """The figure bounds as 32-bit numbers when every value fits (they always do in
    practice): half the memory for the grouping that follows, the same values."""
    figures = [c for c in rows.columns if c.endswith(("_lo", "_hi"))]
    if not figures or rows.height == 0:
        return rows
    low, high = -(2**31), 2**31 - 1
    bounds = rows.select(
        pl.min_horizontal(pl.col(figures).min()).alias("lo"),
        pl.max_horizontal(pl.col(figures).max()).alias("hi"),
    ).row(0)
    if bounds[0] is not None and (bounds[0] < low or bounds[1] > high):
        return rows
    return rows.with_columns(pl.col(figures).cast(pl.Int32))


DAY_BITS_MAX = 32
"""Widest span of days (as bits) packed with the key into one sort column."""


def cluster_numbers(key: pl.Series, day: pl.Series) -> pl.Series:
    """Each row's cluster number: rows of one key whose days are at most
    :data:`CLUSTER_DAYS` apart, chained, share a number (numbered in key, day order).

    polars sorts one 64-bit column several times faster than a frame by one or two
    columns with the rows' positions alongside. So when they fit in 64 bits, each row's
    key rank (its place among the distinct keys, sorted: few, even in a large table), its
    day (days since the earliest) and its position are packed into one number, which is
    sorted alone; the numbers are put back at the positions its low bits hold. Otherwise
    the key's high bits and the day are packed into one sort column when no two keys
    share those high bits (counted on the sorted keys), or both columns are sorted.
    Either way the order is exactly by key, then day.

    Example:
        >>> import datetime as dt
        >>> key = pl.Series([7, 5, 7, 7], dtype=pl.UInt64)
        >>> day = pl.Series([dt.date(2024, 1, d) for d in (3, 1, 2, 9)])
        >>> cluster_numbers(key, day).to_list()
        [2, 1, 2, 3]
    """
    n = key.len()
    frame = pl.DataFrame({"_k": key, "_day": day.cast(pl.Int32).cast(pl.Int64)})
    first, last = frame.select(
        pl.col("_day").min().alias("a"), pl.col("_day").max().alias("b")
    ).row(0)
    bits = int(last - first).bit_length() if n else 0
    packed_rank = _numbers_by_rank(frame, first, bits) if n else None
    if packed_rank is not None:
        return packed_rank
    step = pl.lit(2**bits, dtype=pl.UInt64)
    gap = pl.col("_day") - pl.col("_day").shift(1)
    if bits <= DAY_BITS_MAX and _keys_apart(key, 2**bits):
        packed = (pl.col("_k") // step) * step + (pl.col("_day") - first).cast(pl.UInt64)
        ordered = frame.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_pos"), packed.alias("_p")
        ).sort("_p", multithreaded=True)
        high = pl.col("_p") // step
        starts = (high != high.shift(1)).fill_null(True) | (
            (pl.col("_p") - pl.col("_p").shift(1)) > CLUSTER_DAYS
        )
    else:
        ordered = frame.with_row_index("_pos").sort("_k", "_day", multithreaded=True)
        starts = (pl.col("_k") != pl.col("_k").shift(1)).fill_null(True) | (gap > CLUSTER_DAYS)
    del frame
    numbered = ordered.select("_pos", starts.cum_sum().cast(pl.UInt32).alias("_no"))
    del ordered
    out = pl.zeros(n, dtype=pl.UInt32, eager=True)
    if n:
        out.scatter(numbered["_pos"], numbered["_no"])
    return out


PACKED_BITS_MAX = 63
"""Bits of key rank, day and position that :func:`_numbers_by_rank` packs (one to spare:
the multipliers stay within an unsigned 64-bit literal)."""


def _numbers_by_rank(frame: pl.DataFrame, first: int, day_bits: int) -> pl.Series | None:
    """:func:`cluster_numbers` by one sort of (key rank, day, position) packed in a
    number; None when they do not fit in :data:`PACKED_BITS_MAX` bits (or a key or day
    is null)."""
    n = frame.height
    if frame.null_count().row(0) != (0, 0):
        return None
    distinct = frame["_k"].unique().sort()
    pos_bits = (n - 1).bit_length()
    key_bits = (distinct.len() - 1).bit_length()
    if key_bits + day_bits + pos_bits > PACKED_BITS_MAX:
        return None
    ranks = pl.int_range(distinct.len(), dtype=pl.UInt64, eager=True)
    rank = pl.col("_k").replace_strict(distinct, ranks, return_dtype=pl.UInt64)
    day_step = pl.lit(2**pos_bits, dtype=pl.UInt64)
    key_step = pl.lit(2 ** (pos_bits + day_bits), dtype=pl.UInt64)
    packed = (
        rank * key_step
        + (pl.col("_day") - first).cast(pl.UInt64) * day_step
        + pl.int_range(pl.len(), dtype=pl.UInt64)
    )
    ordered = frame.select(packed.alias("_p"))["_p"].sort(multithreaded=True).to_frame()
    del frame
    keyed = pl.col("_p") // key_step
    dayed = pl.col("_p") // day_step  # key rank and day: within a key, a day's difference
    starts = (keyed != keyed.shift(1)).fill_null(True) | ((dayed - dayed.shift(1)) > CLUSTER_DAYS)
    numbered = ordered.select(
        (pl.col("_p") % day_step).alias("_pos"), starts.cum_sum().cast(pl.UInt32).alias("_no")
    )
    del ordered
    out = pl.zeros(n, dtype=pl.UInt32, eager=True)
    out.scatter(numbered["_pos"], numbered["_no"])
    return out


def _keys_apart(key: pl.Series, step: int) -> bool:
    """Whether distinct keys stay distinct when their low bits (below ``step``) are
    dropped: then the high bits identify the key."""
    ordered = key.sort()
    high = ordered // step
    return bool(
        (ordered != ordered.shift(1)).fill_null(True).sum()
        == (high != high.shift(1)).fill_null(True).sum()
    )


def _cluster_stats(narrow: pl.LazyFrame) -> pl.LazyFrame:
    """Per cluster: events, articles and, per kind, the range of figures across sources."""
    have = narrow.collect_schema()
    aggs = [pl.len().alias("_events"), pl.col("_article").n_unique().alias("_articles")]
    for kind in KINDS:
        if f"_{kind}_lo" not in have:
            continue
        lo, hi = pl.col(f"_{kind}_lo"), pl.col(f"_{kind}_hi")
        aggs += [
            lo.min().alias(f"{kind}_min"),
            pl.max_horizontal(hi.max(), lo.max()).alias(f"{kind}_max"),
            (lo.max() > hi.min()).fill_null(False).alias(f"_{kind}_conflict"),
            pl.col("_article").filter(lo.is_not_null()).n_unique().alias(f"_{kind}_articles"),
        ]
    return narrow.group_by("_cluster_no").agg(aggs).filter(pl.col("_articles") > 1)


def _conflicting_clusters(numbered: pl.DataFrame) -> pl.DataFrame:
    """The numbers of the clusters whose figures of some kind conflict (the
    ``_{kind}_conflict`` test of :func:`_cluster_stats`)."""
    kinds = [kind for kind in KINDS if f"_{kind}_lo" in numbered.columns]
    conflicts = [
        (pl.col(f"_{kind}_lo").max() > pl.col(f"_{kind}_hi").min()).fill_null(False)
        for kind in kinds
    ]
    if not conflicts:
        return numbered.select("_cluster_no").clear()
    # A row without figures (every low bound null: its high bounds are null too) adds
    # nothing to a max of lows or a min of highs: only rows with a figure are grouped
    # (in most data a minority: events without casualties).
    figured = pl.any_horizontal([pl.col(f"_{kind}_lo").is_not_null() for kind in kinds])
    return (
        numbered.filter(figured)
        .group_by("_cluster_no")
        .agg(pl.any_horizontal(conflicts).alias("_any"))
        .filter(pl.col("_any"))
        .select("_cluster_no")
    )


CLUSTER_ROW_COLUMNS = ("event_id", "article_id", "date_start", "source_file", "source_line")
"""The events' own columns a cluster row carries (findings and :func:`clusters` read no
others): reading the picked rows of just these is far cheaper than of every column."""


def _clustered_rows(
    inputs: Inputs, narrow: pl.LazyFrame, *, conflicting: bool = False
) -> pl.LazyFrame | None:
    """The events of clusters reported by two or more articles (with ``conflicting``,
    only those whose figures conflict), with the cluster's columns and id."""
    events = inputs.table("events")
    if events is None:
        return None
    # The narrow frame, numbered, held in memory: the clusters' figures and the rows of
    # the clusters kept are both taken from it (collecting it twice would sort twice).
    ordered = _numbered(narrow)
    if conflicting:
        # First the clusters whose figures conflict (a cheap min/max per cluster; few
        # are), then the full statistics (distinct articles) of just their rows.
        ordered = ordered.join(
            _conflicting_clusters(ordered), on="_cluster_no", how="semi", maintain_order="left"
        )
    stats = _cluster_stats(ordered.lazy())
    if conflicting:
        flags = [c for c in stats.collect_schema() if c.endswith("_conflict")]
        stats = stats.filter(pl.any_horizontal(flags))
    kept = stats.collect()
    rows = ordered.join(kept, on="_cluster_no", how="inner").drop("_article")
    del ordered
    # The clusters' rows are few: read just those rows (and columns) of the table, and
    # number the clusters in memory (a window over the whole table would not stream).
    wanted = rows["_row"].implode()
    columns = [c for c in CLUSTER_ROW_COLUMNS if c in inputs.columns("events")]
    picked = (
        events.select(columns)
        .with_row_index("_row")
        .filter(pl.col("_row").is_in(wanted))
        .collect(engine="streaming")
    )
    return (
        picked.join(rows, on="_row", how="inner")
        .sort("_row")
        .with_columns(cluster_id=pl.col("event_id").min().over("_cluster_no"))
        .drop("_row")
        .lazy()
    )


@view("clusters")
def cluster_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Events of clusters reported by two or more articles whose figures conflict.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> import datetime as dt
        >>> row = dict(event_code="195", country="IRN", date_start=dt.date(2024, 1, 18))
        >>> ev = frame_from_rows("events", [
        ...     dict(row, event_id="a/e1", article_id="a", killed_best=7),
        ...     dict(row, event_id="b/e1", article_id="b", killed_best=9)])
        >>> cluster_view(Inputs({"events": ev})).select("cluster_id", "killed_max").collect().rows()
        [('a/e1', 9), ('a/e1', 9)]
    """
    narrow = _narrow(inputs)
    if narrow is None:
        return None
    numbered = narrow.with_columns(_cluster_no=pl.lit(0, dtype=pl.UInt32))
    flags = [c for c in _cluster_stats(numbered).collect_schema() if c.endswith("_conflict")]
    if not flags:
        return None
    return _clustered_rows(inputs, narrow, conflicting=True)


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
    narrow = _narrow(inputs)
    lf = _clustered_rows(inputs, narrow) if narrow is not None else None
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
            *[pl.col(c).cast(pl.Int64) for c in ranges],
        )
        .sort("cluster_id", "event_id")
        .collect()
    )


@view("duplicates_in_article")
def duplicates_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Later copies of an event within one article (rows equal but for id and line).

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> ev = frame_from_rows("events", [{"event_id": f"a/e{i}", "article_id": "a",
        ...                                  "event_code": "195"} for i in (1, 2)])
        >>> duplicates_view(Inputs({"events": ev})).select("event_id", "_first").collect().rows()
        [('a/e2', 'a/e1')]
    """
    if inputs.context.coded_import:
        return None
    events = inputs.table("events")
    columns = [c for c in sorted(inputs.columns("events")) if c not in IGNORED_FOR_DUPLICATES]
    if events is None or "event_id" not in inputs.columns("events") or "article_id" not in columns:
        return None
    # One 64-bit fingerprint per row of a few telling columns (a narrow column, held in
    # memory), the fingerprints that repeat (few: found by sorting the column), the
    # articles of their rows, then only those articles' rows of the table (a predicate
    # on article_id, which the Parquet reader applies before decoding the other
    # columns), compared exactly on every column. Copies share their article, so rows
    # of other articles cannot be copies; the rows of those articles that are not
    # copies form groups of their own below and are not reported.
    narrow = [c for c in DUPLICATE_KEY if c in columns] or columns
    # with each row's article as a hash too (the article_id column is read and hashed
    # for the fingerprint anyway): the candidates' articles without a second read
    article = pl.col("article_id").hash()
    keys = events.select(fingerprint(narrow).alias("_h"), article.alias("_a"))
    hashes = keys.collect(engine="streaming")
    repeated = repeated_values(hashes["_h"])
    articles = hashes.filter(pl.col("_h").is_in(repeated.implode()))["_a"].unique()
    del hashes
    # a null article_id has a hash too: rows without an article are picked as one
    # article; an article sharing a hash with a picked one only adds candidates
    candidates = events.filter(article.is_in(articles.implode())).collect(engine="streaming")
    order = [pl.col("source_line")] if "source_line" in inputs.columns("events") else []
    first = pl.col("event_id").sort_by([*order, pl.col("event_id")]).first().over(columns)
    return (
        candidates.lazy().with_columns(_first=first).filter(pl.col("event_id") != pl.col("_first"))
    )


def _figure_text(lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
    """``7``, ``3..9`` or ``at least 2`` (an open range)."""
    low = lo.cast(pl.String)
    return (
        pl.when(hi.is_null())
        .then(pl.concat_str([pl.lit("at least "), low]))
        .when(lo == hi)
        .then(low)
        .otherwise(pl.concat_str([low, pl.lit(".."), hi.cast(pl.String)]))
    )


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
                "mine": _figure_text(pl.col(f"_{kind}_lo"), pl.col(f"_{kind}_hi")),
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
