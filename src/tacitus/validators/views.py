"""The shared views: tables joined with the reference data their checks compare against.

``events`` is the events table plus the codebook's entry for the event code (``cb_*``),
the country's boxes (``b{k}_*``), when actor checks run what the codebook says of each
actor code (``_actor1_problem``, ``_actor2_problem``), and the per-value flags of the
selected rules (:func:`tacitus.validators.base.per_value`), all looked up in small
tables by expression (:func:`with_lookups`, a left join's result without a join), so
the view has one row per event and streams. ``events_published`` adds the article's
publication day (``_published``) with a join on the articles table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from tacitus.schema.tables import TABLES
from tacitus.validators.base import ACTOR_CODE_PATTERN, VALUE_FLAGS, Inputs, view
from tacitus.validators.dates import anchored_to_publication
from tacitus.validators.reference import lookup_frame

ACTOR_COLUMNS = ("actor1_code", "actor2_code")


def _published(inputs: Inputs) -> pl.LazyFrame | None:
    articles = inputs.table("articles")
    if articles is None or not inputs.has("articles", "article_id", "published"):
        return None
    rows = articles.select("article_id", pl.col("published").alias("_published")).drop_nulls(
        "article_id"
    )
    if inputs.repeated_hashes("articles", "article_id").is_empty():
        return rows  # one row per article already: the grouping below would keep each
    return rows.group_by("article_id").agg(pl.col("_published").first())


def _extra_groups(inputs: Inputs) -> dict[str, str]:
    """Group trios the dataset's actors table adds (trios not country/role), → name."""
    actors = inputs.table("actors")
    if actors is None or not inputs.has("actors", "code"):
        return {}
    cols = [
        c for c in ("code", "name", "country", "roles", "defined_in") if inputs.has("actors", c)
    ]
    frame = actors.select(cols).collect()
    groups: dict[str, str] = {}
    for row in frame.iter_rows(named=True):
        if row.get("defined_in") == "codebook":
            continue
        code = row["code"] or ""
        if len(code) > 3:
            groups.setdefault(code, row.get("name") or code)
        skip = {row.get("country")} | set(row.get("roles") or [])
        for i in range(0, len(code) - 2, 3):
            trio = code[i : i + 3]
            if i > 0 and trio not in skip:
                groups.setdefault(trio, row.get("name") or trio)
    return groups


def actor_problems(
    inputs: Inputs, distinct: Mapping[str, pl.DataFrame] | None = None
) -> pl.DataFrame | None:
    """Code → codebook message for every distinct well-formed actor code (None if fine).

    Codes the dataset's actors table defines are fine. Runs the codebook's Python
    grammar once per distinct code, not per row. ``distinct``: column → its distinct
    non-null values, where already known (read from the table otherwise).

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> ev = frame_from_rows("events", [{"actor1_code": "PAKMIL"}, {"actor1_code": "IRNXYZ"}])
        >>> problems = actor_problems(Inputs({"events": ev}))
        >>> problems["code"].to_list(), problems["problem"][0] is None
        (['IRNXYZ', 'PAKMIL'], False)
    """
    ref = inputs.context.ref()
    events = inputs.table("events")
    present = [c for c in ACTOR_COLUMNS if inputs.has("events", c)]
    if ref.check_actor is None or events is None or not present:
        return None
    known = distinct or {}
    parts = [
        known[c].lazy().select(pl.col(c).alias("code"))
        if c in known
        else events.select(pl.col(c).alias("code"))
        for c in present
    ]
    codes = (
        pl.concat(parts)
        .drop_nulls()
        .unique()
        .filter(pl.col("code").str.contains(ACTOR_CODE_PATTERN))
        .collect(engine="streaming")
    )
    defined: set[str] = set()
    if inputs.has("actors", "code"):
        actors = inputs.table("actors")
        assert actors is not None
        defined = set(actors.select("code").collect()["code"].drop_nulls().to_list())
    groups = _extra_groups(inputs)
    check = ref.check_actor

    def problem(code: str) -> tuple[str | None]:
        if code in defined:
            return (None,)
        return (check(code, groups),)

    return lookup_frame(codes.sort("code"), problem, {"problem": pl.String})


@view("events")
def events_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Events with codebook entry, country boxes, actor lookups and per-value flags.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> ev = frame_from_rows("events", [{"event_code": "195", "country": "IRN"}])
        >>> lf = events_view(Inputs({"events": ev}))
        >>> lf.select("cb_root_code", "b1_min_lat").collect().row(0)
        ('19', 25.0)
    """
    events = inputs.table("events")
    if events is None:
        return None
    ref = inputs.context.ref()
    columns = inputs.columns("events")
    event_codes = ref.event_codes_for(inputs.context.quad_class_scheme)
    tables: dict[str, list[pl.DataFrame]] = {}
    if event_codes is not None and "event_code" in columns:
        tables["event_code"] = [event_codes]
    flags: dict[str, dict[str, pl.Expr]] = {}
    for name, flag in VALUE_FLAGS.items():
        if flag.column in columns and inputs.wants(flag.rule):
            flags.setdefault(flag.column, {})[name] = flag.test(pl.col(flag.column))
    # each flagged column's distinct values (one read of the column), shared with the
    # actor codes' lookup below
    distinct = {
        column: events.select(column).drop_nulls().unique().collect(engine="streaming").sort(column)
        for column in flags
    }
    if inputs.wants("A003"):
        problems = actor_problems(inputs, distinct)
        if problems is not None:
            for column in ACTOR_COLUMNS:
                if column in columns:
                    side = column.removesuffix("_code")
                    named = problems.rename({"code": column, "problem": f"_{side}_problem"})
                    tables.setdefault(column, []).append(named)
    for column, tests in flags.items():
        tables.setdefault(column, []).insert(0, distinct[column].with_columns(**tests))
    lookups: list[tuple[str, pl.DataFrame, str]] = []
    for column, parts in tables.items():
        table = parts[0]
        for part in parts[1:]:  # a left join keeps every key of the first table
            table = table.join(part, on=column, how="left", maintain_order="left")
        lookups.append((column, table, column))
    if ref.boxes is not None and "country" in columns:
        lookups.append(("country", ref.boxes, "iso3"))
    return with_lookups(events, lookups)


def with_lookups(frame: pl.LazyFrame, lookups: list[tuple[str, pl.DataFrame, str]]) -> pl.LazyFrame:
    """``frame`` with the columns of small tables looked up by key: for each (key,
    table, table_key), what a left join on ``key`` = ``table_key`` adds (nulls where the
    table has no such key; the first row of a repeated key is used).

    Each key is cast once to an enum of the table's keys (an unknown key becomes null),
    whose physical value is the row to take from each of the table's columns. This
    streams at the speed of a cast, where a join of the wide event rows with even a
    small table is several times slower in polars' streaming engine.

    Example:
        >>> table = pl.DataFrame({"code": ["a", "b"], "n": [1, 2]})
        >>> frame = pl.LazyFrame({"k": ["b", "x", None, "a"]})
        >>> with_lookups(frame, [("k", table, "code")]).collect()["n"].to_list()
        [2, None, None, 1]
    """
    rows: list[pl.Expr] = []
    values: list[pl.Expr] = []
    for i, (key, table, table_key) in enumerate(lookups):
        unique = table.filter(pl.col(table_key).is_not_null()).unique(
            table_key, keep="first", maintain_order=True
        )
        columns = [c for c in unique.columns if c != table_key]
        if unique.height == 0:
            values += [pl.lit(None, dtype=unique.schema[c]).alias(c) for c in columns]
            continue
        # the row number as a column of its own: computed once, not once per value
        index = f"__lookup{i}"
        keys = pl.Enum(unique[table_key].cast(pl.String))
        rows.append(pl.col(key).cast(pl.String).cast(keys, strict=False).to_physical().alias(index))
        values += [pl.lit(unique[c]).gather(pl.col(index)).alias(c) for c in columns]
    if not values:
        return frame
    if not rows:
        return frame.with_columns(values)
    return frame.with_columns(rows).with_columns(values).drop([r.meta.output_name() for r in rows])


@view("events_published")
def events_published_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Events with their article's publication day (``_published``) and whether the
    article exists (``_found``: true, or null when no article has the event's id).

    A view of its own: the join with the articles table (a third as many rows as events)
    is the one large join of the event checks; kept apart, it streams only the few
    columns D002 and I003 (events.article_id) read instead of every column the other
    event checks need.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> ev = frame_from_rows("events", [{"article_id": "a"}, {"article_id": "b"}])
        >>> day = dt.date(2024, 1, 18)
        >>> ar = frame_from_rows("articles", [{"article_id": "a", "published": day}])
        >>> events_published_view(Inputs({"events": ev, "articles": ar})).select(
        ...     "_published", "_found").collect().rows()
        [(datetime.date(2024, 1, 18), True), (None, None)]
    """
    events = inputs.table("events")
    published = _published(inputs)
    if events is None or published is None or "article_id" not in inputs.columns("events"):
        return None
    published = published.with_columns(_found=pl.lit(True))
    if not inputs.repeated_hashes("articles", "article_id").is_empty():
        return events.join(published, on="article_id", how="left", build_side="force_right")
    # No two articles' ids share a hash: join on the 64-bit hash (cheaper
    # to match than the text), then keep a match only where the ids are equal (an event
    # whose article is missing can share a hash with another article's id).
    names = events.collect_schema().names()
    same = pl.col("_article_key") == pl.col("article_id")
    return (
        events.with_columns(_article_hash=pl.col("article_id").hash())
        .join(
            published.select(
                pl.col("article_id").hash().alias("_article_hash"),
                pl.col("article_id").alias("_article_key"),
                "_published",
                "_found",
            ),
            on="_article_hash",
            how="left",
            build_side="force_right",
        )
        .select(
            *names,
            pl.when(same).then(pl.col("_published")).alias("_published"),
            pl.when(same).then(pl.col("_found")).alias("_found"),
        )
    )


def _figure_lookup(inputs: Inputs) -> pl.DataFrame | None:
    ref = inputs.context.ref()
    casualties = inputs.table("casualties")
    if ref.check_figure is None or casualties is None or not inputs.has("casualties", "quote"):
        return None
    keys = [c for c in ("quote", "low", "best", "high") if inputs.has("casualties", c)]
    distinct = (
        casualties.select(keys).drop_nulls("quote").unique().collect(engine="streaming").sort(keys)
    )
    for missing in {"low", "best", "high"} - set(keys):
        distinct = distinct.with_columns(pl.lit(None, dtype=pl.Int64).alias(missing))
    distinct = distinct.select("quote", "low", "best", "high")
    check = ref.check_figure
    return lookup_frame(distinct, check, {"_figure_agrees": pl.Boolean, "_figure_said": pl.String})


@view("casualties")
def casualties_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Casualty rows, with what each row's quote says when the figure parser is there.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> rows = [{"quote": "killing seven people", "low": 9, "best": 9, "high": 9}]
        >>> cas = frame_from_rows("casualties", rows)
        >>> casualties_view(Inputs({"casualties": cas})).select(
        ...     "_figure_agrees", "_figure_said").collect().row(0)
        (False, '7')
    """
    casualties = inputs.table("casualties")
    if casualties is None:
        return None
    if inputs.wants("K004"):
        lookup = _figure_lookup(inputs)
        if lookup is not None:
            keys = [c for c in ("quote", "low", "best", "high") if inputs.has("casualties", c)]
            casualties = casualties.join(
                lookup.lazy().select(*keys, "_figure_agrees", "_figure_said"),
                on=keys,
                how="left",
                nulls_equal=True,
            )
    return casualties


@view("evidence")
def evidence_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Evidence rows with their article's text (``_text``) when the text is there.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> evd = frame_from_rows("evidence", [{"article_id": "a", "quote": "struck"}])
        >>> ar = frame_from_rows("articles", [{"article_id": "a", "text": "Forces struck"}])
        >>> evidence_view(Inputs({"evidence": evd, "articles": ar})).collect()["_text"].to_list()
        ['Forces struck']
    """
    evidence = inputs.table("evidence")
    if evidence is None:
        return None
    if inputs.has("evidence", "article_id") and inputs.has("articles", "article_id", "text"):
        articles = inputs.table("articles")
        assert articles is not None
        text = (
            articles.select("article_id", pl.col("text").alias("_text"))
            .drop_nulls("article_id")
            .unique("article_id", keep="first")
        )
        evidence = evidence.join(text, on="article_id", how="left")
    return evidence


@view("evidence_dates")
def evidence_dates_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Date quotes with the event's annotated window and what the quote resolves to.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> thursday = dt.date(2024, 1, 18)
        >>> tables = {
        ...     "events": frame_from_rows("events", [
        ...         {"event_id": "a/e1", "article_id": "a", "date_start": thursday}]),
        ...     "articles": frame_from_rows("articles", [
        ...         {"article_id": "a", "published": thursday}]),
        ...     "evidence": frame_from_rows("evidence", [
        ...         {"event_id": "a/e1", "field": "date", "quote": "on Tuesday"}]),
        ... }
        >>> evidence_dates_view(Inputs(tables)).select("_resolved_start").collect().item()
        datetime.date(2024, 1, 16)
    """
    ref = inputs.context.ref()
    if ref.resolve_date is None or not inputs.has("evidence", "event_id", "field", "quote"):
        return None
    if not inputs.has("events", "event_id", "article_id", "date_start"):
        return None
    published = _published(inputs)
    evidence, events = inputs.table("evidence"), inputs.table("events")
    if published is None or evidence is None or events is None:
        return None
    has_end = inputs.has("events", "date_end")
    event_dates = events.select(
        "event_id",
        pl.col("article_id").alias("_event_article"),
        pl.col("date_start").alias("_date_start"),
        (pl.col("date_end") if has_end else pl.col("date_start")).alias("_date_end"),
    ).unique("event_id", keep="first")
    drop = [c for c in ("date_start", "date_end") if c in inputs.columns("evidence")]
    dated = (
        evidence.filter(pl.col("field") == "date")
        .drop(drop)
        .join(event_dates, on="event_id", how="inner")
        .join(published, left_on="_event_article", right_on="article_id", how="inner")
        .drop_nulls(["quote", "_published"])
    )
    if "article_id" not in inputs.columns("evidence"):
        dated = dated.with_columns(pl.col("_event_article").alias("article_id"))
    pairs = (
        dated.select("quote", "_published")
        .unique()
        .collect(engine="streaming")
        .sort("quote", "_published")
    )
    resolve = ref.resolve_date

    def resolved(quote: str, published: dt.date) -> tuple[dt.date, dt.date] | None:
        if not anchored_to_publication(quote):
            return None
        return resolve(quote, published)

    lookup = lookup_frame(pairs, resolved, {"_resolved_start": pl.Date, "_resolved_end": pl.Date})
    return dated.join(lookup.lazy(), on=["quote", "_published"], how="left")


def _table_view(name: str) -> None:
    @view(f"table:{name}")
    def whole(inputs: Inputs) -> pl.LazyFrame | None:
        return inputs.table(name)


for _name in (*TABLES, "rejected"):
    _table_view(_name)
