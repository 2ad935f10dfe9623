"""The native annotation document (DESIGN.md §3): one article and the events in it.

The models are pydantic; their JSON Schema (``tacitus schema``, written to ``schema/``)
lets editors validate annotation YAML as you type. Every object that carries a value
read from the article may carry evidence: a ``quote`` (an exact substring of the text)
disambiguated like a W3C TextQuoteSelector (``occurrence``, ``prefix``/``suffix``) or by
Python character offsets (``start``/``end``).

Loading (with source lines and quote resolution) is ``tacitus.convert.native``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

CasualtyKind = Literal["killed", "injured", "missing", "abducted", "arrested", "displaced"]
CasualtyCategory = Literal["civilians", "combatants", "security_forces", "unknown"]
DatePrecision = Literal["day", "week", "month", "year"]
GeoPrecision = Literal["exact", "locality", "adm2", "adm1", "country", "region"]

NonNegative = Annotated[int, Field(ge=0)]


class _Model(BaseModel):
    # Unknown fields are errors: a typo ("acter1") must not lose a value silently.
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)

    _line: int | None = PrivateAttr(default=None)

    @property
    def line(self) -> int | None:
        """1-based line in the source file where this object starts (None if unknown)."""
        return self._line


class Quoted(_Model):
    """Evidence for a value: where in the article text it is said."""

    quote: str | None = Field(
        default=None,
        description="Exact substring of the article text that states this value.",
        min_length=1,
    )
    occurrence: int | None = Field(
        default=None, ge=1, description="Which occurrence of the quote is meant (1-based)."
    )
    prefix: str | None = Field(default=None, description="Text immediately before the quote.")
    suffix: str | None = Field(default=None, description="Text immediately after the quote.")
    start: int | None = Field(
        default=None, ge=0, description="Python character offset where the quote starts."
    )
    end: int | None = Field(
        default=None, ge=0, description="Python character offset where the quote ends."
    )

    _span: tuple[int, int] | None = PrivateAttr(default=None)

    @property
    def span(self) -> tuple[int, int] | None:
        """Resolved (start, end) character offsets of the quote, once loaded."""
        return self._span

    def offsets(self) -> tuple[int, int] | None:
        """The annotated (start, end) character offsets, when both are given."""
        if isinstance(self.start, int) and isinstance(self.end, int):
            return self.start, self.end
        return None

    @model_validator(mode="after")
    def _offsets_ordered(self) -> Quoted:
        offsets = self.offsets()
        if offsets is not None and offsets[1] < offsets[0]:
            raise ValueError(f"end ({offsets[1]}) is before start ({offsets[0]})")
        return self


def _date_or_datetime(value: object) -> object:
    """A string with a time part is a datetime, one without is a date (never midnight)."""
    if isinstance(value, str) and len(value.strip()) > 10:
        try:
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


class Article(_Model):
    """The article: who published it, when, and its text (or a file holding it)."""

    id: str = Field(
        min_length=1,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="Unique in the dataset; letters, digits, '.', '_' and '-'.",
    )
    source: str = Field(min_length=1, description="The outlet, e.g. 'RT' or 'Reuters'.")
    url: str | None = None
    published: Annotated[dt.date | dt.datetime, BeforeValidator(_date_or_datetime)] = Field(
        description="Publication date (YYYY-MM-DD) or datetime with offset."
    )
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
    title: str | None = None
    text: str | None = Field(default=None, description="The article text.")
    text_file: str | None = Field(
        default=None, description="Path of a UTF-8 file holding the text, relative to this file."
    )

    @model_validator(mode="after")
    def _one_text(self) -> Article:
        if self.text is None and self.text_file is None:
            raise ValueError("give the article's text or a text_file")
        if self.text is not None and self.text_file is not None:
            raise ValueError("give text or text_file, not both")
        return self

    @property
    def published_date(self) -> dt.date:
        """The publication day as written (a datetime's own local date)."""
        if isinstance(self.published, dt.datetime):
            return self.published.date()
        return self.published


class Actor(Quoted):
    """An actor: a CAMEO code (country or group trio + role trios) and the name used."""

    code: str = Field(
        pattern=r"^[A-Z]{3}([A-Z]{3})*$",
        description="CAMEO actor code: trios, e.g. PAKMIL, IRNGOV, IGOUNO.",
    )
    name: str | None = Field(default=None, description="The name the article uses.")


class EventDate(Quoted):
    """When: a day (`value`) or a window (`start`..`end`, inclusive) with a precision.

    Here `start`/`end` are dates, not character offsets: a date's quote is located by
    `occurrence` or `prefix`/`suffix`.
    """

    value: dt.date | None = Field(default=None, description="The day of the event.")
    start: dt.date | None = Field(  # type: ignore[assignment]
        default=None, description="First day of the window."
    )
    end: dt.date | None = Field(  # type: ignore[assignment]
        default=None, description="Last day of the window, inclusive."
    )
    precision: DatePrecision | None = Field(
        default=None, description="day|week|month|year; day when `value` is given."
    )

    @model_validator(mode="after")
    def _value_or_window(self) -> EventDate:
        if self.value is not None and (self.start or self.end):
            raise ValueError("give value, or start/end, not both")
        if (self.start is None) != (self.end is None):
            raise ValueError("a window needs both start and end")
        return self

    def offsets(self) -> tuple[int, int] | None:
        """A date's start/end are the window, never character offsets."""
        return None

    @property
    def window(self) -> tuple[dt.date, dt.date] | None:
        """(first, last) day annotated, or None when only a quote is given."""
        if self.value is not None:
            return self.value, self.value
        if self.start is not None and self.end is not None:
            return self.start, self.end
        return None


class Location(Quoted):
    """Where: a place name, its country (ISO3/CAMEO) and how precise it is."""

    name: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    adm1: str | None = Field(default=None, description="First-level division, e.g. a province.")
    precision: GeoPrecision | None = None
    latitude: float | None = None
    longitude: float | None = None


class Figure(Quoted):
    """A number of people: exact (`count`) or a range (`low`/`best`/`high`)."""

    count: NonNegative | None = Field(default=None, description="An exact figure.")
    low: int | None = None
    best: int | None = None
    high: int | None = None
    who: str | None = Field(default=None, description="Who they were, in the article's words.")
    category: CasualtyCategory | None = None

    @model_validator(mode="after")
    def _count_or_range(self) -> Figure:
        if self.count is not None and any(v is not None for v in (self.low, self.best, self.high)):
            raise ValueError("give count, or low/best/high, not both")
        return self

    @property
    def figures(self) -> tuple[int | None, int | None, int | None]:
        """(low, best, high); an exact count is all three."""
        if self.count is not None:
            return self.count, self.count, self.count
        return self.low, self.best, self.high


class Breakdown(Figure):
    """Part of a casualty total (e.g. 3 women of 7 killed); never added to the total again."""


class Casualty(Figure):
    """People killed, injured, ... in the event, and who gives the figure."""

    kind: CasualtyKind
    claimed_by: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{3}([A-Z]{3})*$",
        description="Actor code of whoever gives the figure.",
    )
    breakdown: list[Breakdown] = Field(default_factory=list)


class Event(Quoted):
    """One event: who did what to whom, when, where, and with what toll."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    code: str = Field(pattern=r"^[0-9]{2,4}$", description="CAMEO event code, as a string.")
    actor1: Actor | None = None
    actor2: Actor | None = None
    date: EventDate | None = None
    location: Location | None = None
    casualties: list[Casualty] = Field(default_factory=list)


class Document(_Model):
    """One annotation file: an article and its events.

    Example:
        >>> doc = Document.model_validate({
        ...     "article": {"id": "a1", "source": "RT", "published": "2024-01-18", "text": "x"},
        ...     "events": [{"id": "e1", "code": "195"}]})
        >>> doc.events[0].code
        '195'
    """

    model_config = ConfigDict(
        extra="forbid",
        title="tacitus annotation file",
        json_schema_extra={
            "$comment": "Generated by `tacitus schema`; do not edit. See docs/annotation-guide.md."
        },
    )

    article: Article
    events: list[Event] = Field(default_factory=list)

    _source_file: str | None = PrivateAttr(default=None)

    @property
    def source_file(self) -> str | None:
        """The file this document was read from."""
        return self._source_file

    @property
    def text(self) -> str:
        """The article text (read from text_file by the loader when given that way)."""
        return self.article.text or ""


def quoted_fields(event: Event) -> list[tuple[str, Quoted]]:
    """Every evidence-bearing part of an event, with its field name for the evidence table.

    Example:
        >>> ev = Event(id="e1", code="195", quote="x")
        >>> [name for name, _ in quoted_fields(ev)]
        ['event']
    """
    parts: list[tuple[str, Quoted]] = [("event", event)]
    for name in ("actor1", "actor2", "date", "location"):
        part = getattr(event, name)
        if part is not None:
            parts.append((name, part))
    for i, casualty in enumerate(event.casualties):
        parts.append((f"casualties[{i}]", casualty))
        for j, item in enumerate(casualty.breakdown):
            parts.append((f"casualties[{i}].breakdown[{j}]", item))
    return parts
