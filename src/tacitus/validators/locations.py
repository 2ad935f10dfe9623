"""L rules: an event's country is known, its coordinates are in range, given together,
and inside the country's bounding box.

The boxes are the packaged ``data/country_bbox.csv`` (approximate, several per country
where it spans the antimeridian or has distant islands), widened by
:data:`BOX_MARGIN_DEGREES`. A country without a box gets no L003 finding.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from tacitus.schema.rules import define_rule
from tacitus.validators.actors import in_countries, unknown_country
from tacitus.validators.base import Check, Expectation, Inputs, register
from tacitus.validators.reference import MAX_BOX_PARTS

BOX_MARGIN_DEGREES = 0.5
"""How far outside its box a point may be (boxes are approximate; borders are coasts)."""

L001 = define_rule(
    "L001",
    "Country valid",
    "error",
    "The event's country is a country code the codebook knows (ISO 3166 alpha-3 or CAMEO).",
    "country {value!r} is not a known country code",
    "location: {name: Saravan, country: IRA}",
)
L002 = define_rule(
    "L002",
    "Coordinates in range",
    "error",
    "Latitude is within -90..90 and longitude within -180..180.",
    "{field} {value} is out of range",
    "location: {latitude: 62.33, longitude: 227.37}",
)
L003 = define_rule(
    "L003",
    "Point inside the country",
    "warning",
    f"The point lies within the country's bounding box (±{BOX_MARGIN_DEGREES}°). A point "
    "outside usually has latitude and longitude swapped, a sign lost, or the wrong country.",
    "point ({lat}, {lon}) is outside {country}'s bounding box",
    "location: {country: IRN, latitude: 62.33, longitude: 27.37}   # swapped",
)
L004 = define_rule(
    "L004",
    "Coordinates given together",
    "error",
    "Latitude and longitude are both given or both absent.",
    "{field} is given without the other coordinate",
    "location: {latitude: 27.37}",
)


def _inside_any() -> pl.Expr:
    lat, lon, m = pl.col("latitude"), pl.col("longitude"), BOX_MARGIN_DEGREES
    inside = [
        lat.is_between(pl.col(f"b{k}_min_lat") - m, pl.col(f"b{k}_max_lat") + m)
        & lon.is_between(pl.col(f"b{k}_min_lon") - m, pl.col(f"b{k}_max_lon") + m)
        for k in range(1, MAX_BOX_PARTS + 1)
    ]
    return pl.any_horizontal([i.fill_null(False) for i in inside])


def _alone(column: str, other: str) -> Callable[[Inputs], pl.Expr]:
    """L004's test: ``column`` given while ``other`` is null (or absent from the table)."""

    def fails(inputs: Inputs) -> pl.Expr:
        missing = pl.col(other).is_null() if other in inputs.columns("events") else pl.lit(True)
        return pl.col(column).is_not_null() & missing

    return fails


def _in_range() -> pl.Expr:
    return pl.col("latitude").is_between(-90, 90) & pl.col("longitude").is_between(-180, 180)


register(
    Check(
        L001,
        "events",
        "events",
        ("country",),
        lambda inputs: unknown_country(pl.col("country"), inputs),
        field="country",
        value=pl.col("country"),
        expectation=lambda inputs: in_countries("country", inputs),
    ),
    *[
        Check(
            L002,
            "events",
            "events",
            (column,),
            ~pl.col(column).is_between(-limit, limit) & ~pl.col(column).is_nan(),
            field=column,
            value=pl.col(column),
            expectation=Expectation(
                "expect_column_values_to_be_between",
                {"column": column, "min_value": -limit, "max_value": limit},
            ),
        )
        for column, limit in (("latitude", 90), ("longitude", 180))
    ],
    Check(
        L003,
        "events",
        "events",
        ("latitude", "longitude", "country", "b1_min_lat"),
        pl.col("b1_min_lat").is_not_null() & _in_range() & ~_inside_any(),
        field="latitude",
        value=pl.concat_str(
            [pl.col("latitude").cast(pl.String), pl.lit(","), pl.col("longitude").cast(pl.String)]
        ),
        message={
            "lat": pl.col("latitude"),
            "lon": pl.col("longitude"),
            "country": pl.col("country"),
        },
        variant="point",
    ),
    *[
        Check(
            L004,
            "events",
            "events",
            (column,),
            _alone(column, other),
            field=column,
            value=pl.col(column),
        )
        for column, other in (("latitude", "longitude"), ("longitude", "latitude"))
    ],
)
