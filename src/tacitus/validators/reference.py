"""Reference data the checks compare against: codebook, countries, boxes, parsers.

The codebook (``tacitus.schema.codebook``), the relative-date resolver
(``tacitus.convert.dates``) and the figure parser (``tacitus.convert.numbers``) are used
when installed; a rule whose reference is missing produces no findings. Tests build a
:class:`Reference` by hand.

Python lookups (actor codes, date expressions, quoted figures) run once per *distinct*
value and are joined back as tables, so no check loops over rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import importlib
import io
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import Any

import polars as pl

ActorChecker = Callable[[str, Mapping[str, str] | None], str | None]
DateResolver = Callable[[str, dt.date], tuple[dt.date, dt.date] | None]
FigureChecker = Callable[[str, int | None, int | None, int | None], tuple[bool, str] | None]

EVENT_CODE_SCHEMA = {
    "event_code": pl.String,
    "cb_base_code": pl.String,
    "cb_root_code": pl.String,
    "cb_quad_class": pl.Int8,
    "cb_goldstein": pl.Float64,
}

DEFAULT_SCHEME = "GDELT"
"""The QuadClass scheme (and Goldstein scale) of the packaged codebook's event codes."""
GOLDSTEIN_SCHEMES = frozenset({"GDELT", "CAMEO", "GOLDSTEIN"})
"""Names of the one Goldstein scale the codebook has (CAMEO's, as GDELT publishes it).
ICEWS's ``Intensity`` differs for some codes (016, 022, 164...) and UCDP has none."""

MAX_BOX_PARTS = 4
"""Boxes per country in the packaged table (a country split at the antimeridian, ...)."""


@dataclasses.dataclass
class Reference:
    """Lookups for the checks; any of them may be None (its rules are skipped).

    Example:
        >>> ref = Reference(countries=frozenset({"IRN"}))
        >>> ref.event_codes is None, "IRN" in ref.countries
        (True, True)
    """

    event_codes: pl.DataFrame | None = None
    """event_code, cb_base_code, cb_root_code, cb_quad_class, cb_goldstein."""
    countries: frozenset[str] | None = None
    check_actor: ActorChecker | None = None
    """Message for an actor code the codebook (plus extra group trios) does not define."""
    boxes: pl.DataFrame | None = dataclasses.field(default_factory=lambda: _packaged_boxes())
    resolve_date: DateResolver | None = None
    """(start, end) a date expression resolves to against a publication day."""
    check_figure: FigureChecker | None = None
    """For a casualty quote and its (low, best, high): (agrees, what the quote says)."""
    codebook_version: str | None = None
    regions: frozenset[str] | None = None
    """CAMEO region codes (EUR, AFR, WST...): valid in an actor's country position."""
    quad_classes: Mapping[str, Mapping[str, int]] | None = None
    """QuadClass scheme (upper case: GDELT, ICEWS, PHOENIX) → root code → QuadClass.
    ``event_codes`` carries the GDELT scheme's."""
    goldstein_schemes: frozenset[str] = GOLDSTEIN_SCHEMES
    """Goldstein scales (upper case) whose scores ``cb_goldstein`` holds."""

    def event_codes_for(self, quad_class_scheme: str | None) -> pl.DataFrame | None:
        """``event_codes`` with ``cb_quad_class`` under the given QuadClass scheme (None:
        GDELT's, as packaged); ``cb_quad_class`` is null for a scheme the codebook lacks.

        Example:
            >>> ref = Reference.default()
            >>> icews = ref.event_codes_for("ICEWS")
            >>> icews.filter(pl.col("event_code") == "141")["cb_quad_class"].item()
            4
        """
        codes = self.event_codes
        if codes is None or quad_class_scheme is None:
            return codes
        scheme = quad_class_scheme.upper()
        if scheme == DEFAULT_SCHEME:
            return codes
        by_root = (self.quad_classes or {}).get(scheme)
        mapping = pl.DataFrame(
            list((by_root or {}).items()),
            schema={"cb_root_code": pl.String, "_quad": pl.Int8},
            orient="row",
        )
        return (
            codes.join(mapping, on="cb_root_code", how="left", maintain_order="left")
            .with_columns(pl.col("_quad").alias("cb_quad_class"))
            .drop("_quad")
        )

    def knows_quad_class_scheme(self, scheme: str | None) -> bool:
        """Whether QuadClass can be checked under ``scheme`` (None means GDELT).

        Example:
            >>> Reference.default().knows_quad_class_scheme("ICEWS")
            True
        """
        if scheme is None or scheme.upper() == DEFAULT_SCHEME:
            return True
        return scheme.upper() in (self.quad_classes or {})

    def knows_goldstein_scheme(self, scheme: str | None) -> bool:
        """Whether ``cb_goldstein`` holds the scores of the Goldstein scale ``scheme``.

        Example:
            >>> ref = Reference.default()
            >>> ref.knows_goldstein_scheme("GDELT"), ref.knows_goldstein_scheme("ICEWS intensity")
            (True, False)
        """
        return scheme is None or scheme.upper() in self.goldstein_schemes

    @classmethod
    def default(cls) -> Reference:
        """The packaged codebook and the project's parsers, where installed.

        Example:
            >>> Reference.default().boxes is not None
            True
        """
        return _default_reference()

    @classmethod
    def from_codebook(cls, codebook: Any, **overrides: Any) -> Reference:
        """A reference built from a ``tacitus.schema.codebook`` codebook object."""
        values: dict[str, Any] = {
            "event_codes": event_codes_frame(codebook.events.values()),
            "countries": _countries_of(codebook),
            "regions": _regions_of(codebook),
            "quad_classes": _quad_classes_of(codebook),
            "check_actor": _actor_checker(codebook),
            "codebook_version": getattr(codebook, "version", None),
        }
        values.update(overrides)
        return cls(**values)


def _packaged_boxes() -> pl.DataFrame:
    return country_boxes()


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


@functools.cache
def _default_reference() -> Reference:
    ref = Reference()
    codebook_module = _optional("tacitus.schema.codebook")
    if codebook_module is not None:
        ref = Reference.from_codebook(codebook_module.load_codebook())
    dates = _optional("tacitus.convert.dates")
    if dates is not None:
        ref.resolve_date = _date_resolver(dates.resolve_date_expression)
    numbers = _optional("tacitus.convert.numbers")
    if numbers is not None:
        ref.check_figure = _figure_checker(numbers.parse_figure, numbers.figure_agrees)
    if ref.countries is None:
        boxes = ref.boxes if ref.boxes is not None else country_boxes()
        ref.countries = frozenset(boxes["iso3"].to_list())
    return ref


def event_codes_frame(codes: Iterable[Any]) -> pl.DataFrame:
    """The event-code table of codebook entries (objects with code, base_code, ...).

    Example:
        >>> from types import SimpleNamespace as E
        >>> event_codes_frame([E(code="195", base_code="195", root_code="19",
        ...     quad_class=4, goldstein=-10.0)]).row(0)
        ('195', '195', '19', 4, -10.0)
    """
    rows = [(c.code, c.base_code, c.root_code, c.quad_class, c.goldstein) for c in codes]
    return pl.DataFrame(rows, schema=EVENT_CODE_SCHEMA, orient="row")


def _countries_of(codebook: Any) -> frozenset[str] | None:
    for name in ("countries", "country_codes"):
        value = getattr(codebook, name, None)
        if value is not None:
            return frozenset(value() if callable(value) else value)
    return None


def _regions_of(codebook: Any) -> frozenset[str] | None:
    regions = getattr(codebook, "regions", None)
    return frozenset(regions) if regions is not None else None


def _quad_classes_of(codebook: Any) -> dict[str, dict[str, int]] | None:
    """Scheme → root code → QuadClass, from the codebook's ``quad_class(root, scheme)``."""
    quad_class = getattr(codebook, "quad_class", None)
    schemes = getattr(importlib.import_module(type(codebook).__module__), "QUAD_CLASS_SCHEMES", ())
    if quad_class is None or not schemes:
        return None
    roots = sorted({e.root_code for e in codebook.events.values()})
    out: dict[str, dict[str, int]] = {}
    for scheme in schemes:
        classes = {root: quad_class(root, scheme) for root in roots}
        out[str(scheme).upper()] = {r: int(q) for r, q in classes.items() if q is not None}
    return out


def _actor_checker(codebook: Any) -> ActorChecker | None:
    check = getattr(codebook, "check_actor", None)
    if check is None:
        return None

    def checker(code: str, extra_groups: Mapping[str, str] | None) -> str | None:
        message: str | None = check(code, extra_groups=dict(extra_groups or {}))
        return message

    return checker


def _date_resolver(resolve: Callable[..., Any]) -> DateResolver:
    def resolver(text: str, published: dt.date) -> tuple[dt.date, dt.date] | None:
        resolved = resolve(text, published)
        if resolved is None:
            return None
        return resolved.start, resolved.end

    return resolver


def _figure_checker(parse: Callable[[str], Any], agrees: Callable[..., bool]) -> FigureChecker:
    def checker(
        quote: str, low: int | None, best: int | None, high: int | None
    ) -> tuple[bool, str] | None:
        figure = parse(quote)
        if figure is None:
            return None
        said = _describe_figure(figure.low, figure.best, figure.high)
        return bool(agrees(figure, low, best, high)), said

    return checker


def _describe_figure(low: int | None, best: int | None, high: int | None) -> str:
    if best is not None and low in (None, best) and high in (None, best):
        return str(best)
    return f"{'?' if low is None else low}..{'?' if high is None else high}"


@functools.cache
def country_boxes() -> pl.DataFrame:
    """The packaged country bounding boxes, one row per country (parts as columns).

    Columns: iso3, then ``b{k}_min_lat``, ``b{k}_max_lat``, ``b{k}_min_lon``,
    ``b{k}_max_lon`` for k = 1..4 (null when the country has fewer boxes).

    Example:
        >>> boxes = country_boxes()
        >>> boxes.filter(pl.col("iso3") == "IRN").select("b1_min_lat", "b1_max_lat").row(0)
        (25.0, 39.8)
    """
    long = country_box_rows()
    wide = long.select("iso3").unique(maintain_order=True)
    for part in range(1, MAX_BOX_PARTS + 1):
        piece = long.filter(pl.col("part") == part).select(
            "iso3",
            *[
                pl.col(c).alias(f"b{part}_{c}")
                for c in ("min_lat", "max_lat", "min_lon", "max_lon")
            ],
        )
        wide = wide.join(piece, on="iso3", how="left", maintain_order="left")
    return wide


@functools.cache
def country_box_rows() -> pl.DataFrame:
    """The packaged box table as written: iso3, part, name, min/max lat/lon.

    Example:
        >>> country_box_rows().filter(pl.col("iso3") == "USA").height
        4
    """
    raw = resources.files("tacitus.validators").joinpath("data/country_bbox.csv").read_text("utf-8")
    body = "".join(line + "\n" for line in raw.splitlines() if not line.startswith("#"))
    frame = pl.read_csv(
        io.StringIO(body),
        schema={
            "iso3": pl.String,
            "part": pl.Int8,
            "name": pl.String,
            "min_lat": pl.Float64,
            "max_lat": pl.Float64,
            "min_lon": pl.Float64,
            "max_lon": pl.Float64,
        },
    )
    most = frame["part"].max()
    if isinstance(most, int) and most > MAX_BOX_PARTS:  # pragma: no cover - data guard
        raise ValueError("country_bbox.csv has more parts than MAX_BOX_PARTS")
    return frame


def lookup_frame(
    keys: pl.DataFrame, fn: Callable[..., Any], out: Mapping[str, pl.DataType | type]
) -> pl.DataFrame:
    """Apply a Python function once per distinct key row; return keys + result columns.

    ``fn`` gets a key row's values and returns a tuple of result values (or None for all
    null). Used for lookups that only exist as Python (codebook grammar, date phrases).

    Example:
        >>> keys = pl.DataFrame({"q": ["a", "bb"]})
        >>> lookup_frame(keys, lambda q: (len(q),), {"n": pl.Int64})["n"].to_list()
        [1, 2]
    """
    rows = []
    width = len(out)
    for key in keys.iter_rows():
        result = fn(*key)
        rows.append(tuple(key) + (tuple(result) if result is not None else (None,) * width))
    schema = dict(keys.schema) | dict(out)
    return pl.DataFrame(rows, schema=schema, orient="row")
