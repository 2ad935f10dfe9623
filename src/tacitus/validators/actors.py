"""A rules: actor codes are well-formed, known and used consistently.

An actor code is CAMEO trios: a country (or region, IGO...) or group trio, then role
trios (GOV, MIL, REB, CVL...). A dataset's actors table (``actors.yaml``) may define
codes and group trios the codebook lacks, and the names and aliases articles use for
them. The consistency rules compare names case-insensitively, whitespace collapsed.
"""

from __future__ import annotations

import polars as pl

from tacitus.schema.rules import define_rule
from tacitus.validators.base import (
    ACTOR_CODE_PATTERN,
    Check,
    Expectation,
    Inputs,
    fingerprint,
    per_value,
    register,
    trio_has,
    view,
)

FIGHTING_ROOTS = ("19", "20")
"""Root codes where a civilian (CVL) initiator is implausible: fight, mass violence."""

A001 = define_rule(
    "A001",
    "Actor code well-formed",
    "error",
    "An actor code is one or more trios of letters (PAKMIL, IRNGOV, IGOUNO), each in "
    "capitals (lower case only for a CAMEO ethnic trio such as kur).",
    "{field} {value!r} is not CAMEO trios of letters",
    "actor1: {code: PAK-MIL}",
)
A002 = define_rule(
    "A002",
    "Actor country known",
    "error",
    "An actor's country is a country code the codebook knows (ISO 3166 alpha-3 or CAMEO), "
    "or a CAMEO region code (EUR, AFR, WST...), which CAMEO allows in the country position "
    "and GDELT uses there.",
    "{field} {value!r} is not a known country code",
    "actor1_country: PAQ",
)
A003 = define_rule(
    "A003",
    "Actor code defined",
    "error",
    "The code is built from codebook trios (country or group, then roles), or the "
    "dataset's actors table defines it or its group trio.",
    "{field} {value!r}: {detail}",
    "actor2: {code: IRNINSXYZ}   # XYZ is neither a role nor a group in actors.yaml",
)
A004 = define_rule(
    "A004",
    "Same name, same code",
    "warning",
    "Across the dataset, one actor name is coded one way: the name's less frequent codes "
    "are reported (names the actors table defines are checked by A005 instead).",
    "{field} {value!r} is coded {code} here but {usual} in {usual_count} other event(s)",
    "e1: {name: Jaish al-Adl, code: IRNINS}  e2: {name: Jaish al-Adl, code: IRNINSJAD}",
)
A005 = define_rule(
    "A005",
    "Defined names use their code",
    "error",
    "A name or alias that the actors table (actors.yaml) defines is coded with the code "
    "defined for it.",
    "{field} {value!r} is defined in {defined_in} as {defined}, but coded {code} here",
    "actor2: {name: Army of Justice, code: IRNREB}   # actors.yaml: alias of IRNINSJAD",
)
A006 = define_rule(
    "A006",
    "Actor1 differs from actor2",
    "error",
    "The source and the target of an event are different actors (a self-directed event "
    "is almost always a coding slip). Coded datasets record internal events (a government "
    "acting on itself) this way, so on a coded import it is a warning.",
    "actor1 and actor2 are both {value}",
    "actor1: {code: PAKMIL}\nactor2: {code: PAKMIL}",
    on_import="warning",
)
A007 = define_rule(
    "A007",
    "Actor role plausible for the event",
    "warning",
    "Civilians (CVL) do not initiate fighting or mass violence: a 19x or 20x event with a "
    "civilian actor1 is usually a swapped source and target.",
    "actor1 {value} is civilian but event code {code} is {root}x (fight / mass violence)",
    'code: "195"\nactor1: {code: IRNCVL}',
)


def _well_formed(code: pl.Expr) -> pl.Expr:
    return code.str.contains(ACTOR_CODE_PATTERN)


def _fighting(code: pl.Expr) -> pl.Expr:
    return pl.any_horizontal([code.str.starts_with(r) for r in FIGHTING_ROOTS])


def _side_checks(column: str) -> list[Check]:
    side = column.removesuffix("_code")
    country = f"{side}_country"
    well_formed = per_value(f"_{side}_well_formed", column, _well_formed, "A001")
    return [
        Check(
            A001,
            "events",
            "events",
            (column, f"_{side}_well_formed"),
            pl.col(column).is_not_null() & ~well_formed,
            field=column,
            value=pl.col(column),
        ),
        Check(
            A003,
            "events",
            "events",
            (column, f"_{side}_problem"),
            pl.col(f"_{side}_problem").is_not_null(),
            field=column,
            value=pl.col(column),
            message={"detail": pl.col(f"_{side}_problem")},
        ),
        Check(
            A002,
            "events",
            "events",
            (country,),
            lambda inputs: unknown_country(pl.col(country), inputs, regions=True),
            field=country,
            value=pl.col(country),
            expectation=lambda inputs: in_countries(country, inputs, regions=True),
        ),
    ]


def unknown_country(code: pl.Expr, inputs: Inputs, *, regions: bool = False) -> pl.Expr | None:
    """True where a non-null country code is not one the reference knows (with
    ``regions``, CAMEO region codes count as known: an actor's country slot).

    Example:
        >>> from tacitus.validators.reference import Reference
        >>> from tacitus.validators.base import Context
        >>> inputs = Inputs({}, Context(reference=Reference(countries=frozenset({"IRN"}))))
        >>> pl.select(unknown_country(pl.lit("IRQ"), inputs)).item()
        True
    """
    known = known_countries(inputs, regions=regions)
    if known is None:
        return None
    return code.is_not_null() & ~code.is_in(known)


def known_countries(inputs: Inputs, *, regions: bool = True) -> list[str] | None:
    """The country codes the reference knows; with ``regions`` (A002: an actor's country
    slot) the CAMEO region codes too.

    Example:
        >>> from tacitus.validators.reference import Reference
        >>> from tacitus.validators.base import Context
        >>> ref = Reference(countries=frozenset({"IRN"}), regions=frozenset({"EUR"}))
        >>> known_countries(Inputs({}, Context(reference=ref)))
        ['EUR', 'IRN']
    """
    ref = inputs.context.ref()
    if ref.countries is None:
        return None
    extra = (ref.regions or frozenset()) if regions else frozenset()
    return sorted(ref.countries | extra)


def in_countries(column: str, inputs: Inputs, *, regions: bool = False) -> Expectation | None:
    """The GX built-in equivalent of :func:`unknown_country` on a column.

    Example:
        >>> from tacitus.validators.reference import Reference
        >>> from tacitus.validators.base import Context
        >>> ref = Reference(countries=frozenset({"IRN"}), regions=frozenset({"EUR"}))
        >>> in_countries("country", Inputs({}, Context(reference=ref))).kwargs
        {'column': 'country', 'value_set': ['IRN']}
    """
    known = known_countries(inputs, regions=regions)
    if known is None:
        return None
    return Expectation("expect_column_values_to_be_in_set", {"column": column, "value_set": known})


def _normalised(name: pl.Expr) -> pl.Expr:
    return name.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


SIDES = ("actor1", "actor2")


def _sides(inputs: Inputs) -> list[str]:
    return [s for s in SIDES if inputs.has("events", f"{s}_name", f"{s}_code")]


def _name_pairs(inputs: Inputs) -> pl.LazyFrame | None:
    """Distinct (name, code) pairs of both sides with their row counts and name key.

    The consistency rules work on these pairs (few, even in a large table), and only the
    rows of the pairs that break a rule are read back (:func:`_rows_of_pairs`). Collected
    once (one streaming pass) and shared by A004 and A005.
    """
    return inputs.view("actor_name_pairs")


@view("actor_name_pairs")
def _name_pairs_view(inputs: Inputs) -> pl.LazyFrame | None:
    """The distinct (name, code) pairs of :func:`_name_pairs`, computed in memory."""
    events = inputs.table("events")
    sides = _sides(inputs)
    if events is None or not sides:
        return None
    parts = [
        events.group_by(
            pl.col(f"{side}_name").alias("_name"), pl.col(f"{side}_code").alias("_code")
        )
        .agg(pl.len().alias("_n"))
        .drop_nulls(["_name", "_code"])
        for side in sides
    ]
    return (
        pl.concat(parts)
        .group_by("_name", "_code")
        .agg(pl.col("_n").sum())
        .collect(engine="streaming")
        .lazy()
        .with_columns(_key=_normalised(pl.col("_name")))
    )


def _rows_of_pairs(inputs: Inputs, pairs: pl.LazyFrame) -> pl.LazyFrame | None:
    """The (event, side) rows whose (name, code) is one of ``pairs``, with its columns.

    One row per event side: event_id, article_id, source_file, source_line, ``_name``,
    ``_code``, ``_field`` (``actor1_name`` or ``actor2_name``) and the columns of pairs.
    The rows come from :func:`_flagged_rows_view`, one pass for A004 and A005 together.
    """
    rows = inputs.view("actor_name_rows")
    if rows is None:
        return None
    return rows.join(pairs, on=["_name", "_code"], how="inner")


@view("actor_name_rows")
def _flagged_rows_view(inputs: Inputs) -> pl.LazyFrame | None:
    """The event sides whose (name, code) pair breaks A004 or A005 (the selected ones),
    read in one pass over the events and held in memory (they are few)."""
    events = inputs.table("events")
    pairs = _name_pairs(inputs)
    if events is None or pairs is None:
        return None
    parts = []
    if inputs.wants("A004"):
        parts.append(_unusual_pairs(inputs, pairs))
    if inputs.wants("A005"):
        wrong = _wrong_defined_pairs(inputs, pairs)
        if wrong is not None:
            parts.append(wrong)
    if not parts:
        return None
    wanted = pl.concat([p.select("_name", "_code") for p in parts]).unique().collect()
    keep = [
        c
        for c in ("event_id", "article_id", "source_file", "source_line")
        if inputs.has("events", c)
    ]
    # The pairs' fingerprints: a row's own pair picks it (its name and its code each
    # being one of the pairs' names and codes can be true of nearly every row).
    hashes = wanted.select(fingerprint(["_name", "_code"]).alias("_h"))["_h"].implode()
    sides = [
        # filter on the table's own columns (before renaming them), which the Parquet
        # reader applies before decoding the other columns
        events.filter(fingerprint([f"{side}_name", f"{side}_code"]).is_in(hashes))
        .select(
            *keep,
            pl.col(f"{side}_name").alias("_name"),
            pl.col(f"{side}_code").alias("_code"),
            pl.lit(f"{side}_name").alias("_field"),
        )
        # a fingerprint shared by another pair (astronomically rare) is dropped here
        .join(wanted.lazy(), on=["_name", "_code"], how="semi")
        for side in _sides(inputs)
    ]
    if not sides:
        return None
    # one side at a time: collecting the concatenated scans together holds both scans'
    # buffers at once (several times the memory, and slower)
    return pl.concat([side.collect(engine="streaming") for side in sides]).lazy()


def _defined_names(inputs: Inputs) -> pl.LazyFrame | None:
    """Key → codes the actors table defines for a name or alias (not codebook rows)."""
    actors = inputs.table("actors")
    if actors is None or not inputs.has("actors", "code", "name"):
        return None
    if inputs.has("actors", "defined_in"):
        actors = actors.filter(pl.col("defined_in").fill_null("") != "codebook")
    where = (
        pl.col("defined_in") if inputs.has("actors", "defined_in") else pl.lit("the actors table")
    )
    names = actors.select(pl.col("name").alias("_alias"), "code", where.alias("_defined_in"))
    if inputs.has("actors", "aliases"):
        aliases = actors.select(
            pl.col("aliases").alias("_alias"), "code", where.alias("_defined_in")
        ).explode("_alias")
        names = pl.concat([names, aliases])
    return (
        names.drop_nulls("_alias")
        .with_columns(_key=_normalised(pl.col("_alias")))
        .group_by("_key")
        .agg(
            pl.col("code").unique().sort().alias("_defined"),
            pl.col("_defined_in").first(),
        )
    )


def _wrong_defined_pairs(inputs: Inputs, pairs: pl.LazyFrame) -> pl.LazyFrame | None:
    """The (name, code) pairs whose name the actors table defines with other codes."""
    defined = _defined_names(inputs)
    if defined is None:
        return None
    return (
        pairs.join(defined, on="_key", how="inner")
        .filter(~pl.col("_defined").list.contains(pl.col("_code")))
        .select(
            "_name",
            "_code",
            "_key",
            "_defined",
            "_defined_in",
            _defined_text=pl.col("_defined").list.join(" or "),
        )
    )


def _unusual_pairs(inputs: Inputs, pairs: pl.LazyFrame) -> pl.LazyFrame:
    """The (name, code) pairs coded otherwise than their name's usual code."""
    defined = _defined_names(inputs)
    if defined is not None:
        pairs = pairs.join(defined.select("_key"), on="_key", how="anti")
    counts = pairs.group_by("_key", "_code").agg(pl.col("_n").sum())
    usual = (
        counts.sort(["_key", "_n", "_code"], descending=[False, True, False])
        .group_by("_key", maintain_order=True)
        .agg(
            pl.col("_code").first().alias("_usual"),
            pl.col("_n").first().alias("_usual_n"),
            pl.len().alias("_codes"),
        )
        .filter(pl.col("_codes") > 1)
    )
    return (
        pairs.join(usual, on="_key", how="inner")
        .filter(pl.col("_code") != pl.col("_usual"))
        .select("_name", "_code", "_key", "_usual", "_usual_n")
    )


@view("actor_names_defined")
def _names_defined_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Event sides whose name the actors table defines, coded otherwise (A005)."""
    pairs = _name_pairs(inputs)
    if pairs is None:
        return None
    wrong = _wrong_defined_pairs(inputs, pairs)
    if wrong is None:
        return None
    return _rows_of_pairs(inputs, wrong)


@view("actor_names_usage")
def _names_usage_view(inputs: Inputs) -> pl.LazyFrame | None:
    """Event sides coded otherwise than their name's usual code (A004)."""
    pairs = _name_pairs(inputs)
    if pairs is None:
        return None
    return _rows_of_pairs(inputs, _unusual_pairs(inputs, pairs))


register(
    *_side_checks("actor1_code"),
    *_side_checks("actor2_code"),
    Check(
        A001,
        "casualties",
        "casualties",
        ("claimed_by",),
        pl.col("claimed_by").is_not_null() & ~pl.col("claimed_by").str.contains(ACTOR_CODE_PATTERN),
        field="claimed_by",
        value=pl.col("claimed_by"),
    ),
    Check(
        A004,
        "events",
        "actor_names_usage",
        ("_code", "_usual"),
        pl.col("_code") != pl.col("_usual"),
        field=pl.col("_field"),
        value=pl.col("_name"),
        message={
            "code": pl.col("_code"),
            "usual": pl.col("_usual"),
            "usual_count": pl.col("_usual_n"),
        },
        variant="name",
    ),
    Check(
        A005,
        "events",
        "actor_names_defined",
        ("_code", "_defined"),
        ~pl.col("_defined").list.contains(pl.col("_code")),
        field=pl.col("_field"),
        value=pl.col("_name"),
        message={
            "code": pl.col("_code"),
            "defined": pl.col("_defined_text"),
            "defined_in": pl.col("_defined_in"),
        },
        variant="name",
    ),
    Check(
        A006,
        "events",
        "events",
        ("actor1_code", "actor2_code"),
        pl.col("actor1_code") == pl.col("actor2_code"),
        field="actor2_code",
        value=pl.col("actor1_code"),
    ),
    Check(
        A007,
        "events",
        "events",
        ("event_code", "actor1_code", "_event_fighting", "_actor1_civilian"),
        per_value("_event_fighting", "event_code", _fighting, "A007")
        & per_value("_actor1_civilian", "actor1_code", lambda c: trio_has(c, "CVL"), "A007"),
        field="actor1_code",
        value=pl.col("actor1_code"),
        message={"code": pl.col("event_code"), "root": pl.col("event_code").str.slice(0, 2)},
    ),
)
