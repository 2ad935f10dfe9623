"""Documents → Tables: the pure conversion of loaded annotation files into table rows.

No I/O here: the build (``tacitus.datasets.build``) reads the files, caches and writes;
this module only turns :class:`~tacitus.convert.native.LoadResult` values into rows of
the tables of DESIGN.md §4, in two steps:

1. :func:`convert_article` turns one file into its own rows (articles, events, casualties,
   evidence, rejected, findings). It depends only on the file and on the
   :class:`ConvertContext` (codebook + actors.yaml), so the build can cache it by the
   file's content hash and run it in worker processes.
   :func:`convert_source` does it for every article of one source file (a Label Studio
   export holds many), rejecting an article whose id an earlier one in the file used.
2. :func:`assemble_tables` puts many files' rows together: it rejects a second article
   with an id already used (rule S007), builds the actors table and sorts every table by
   stable keys, so the result never depends on the order files were read in.

:func:`documents_to_tables` does both for a list of load results.

Decisions (see docs/build.md):

- An event whose file loaded is kept even when loading found error-level problems in its
  evidence (E001 quote not found, E003, E004): its values are sound, its evidence is not,
  and ``tacitus validate`` reports the finding. Only an event that cannot have a row is
  rejected: every event of a file that did not load (YAML syntax, schema), and the second
  event with an id already used in its article (S006).
- Event totals (``killed_*``, ``injured_*``) come from the casualty rows, never from a
  breakdown: see :func:`event_totals`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from tacitus.convert.dates import PRECISIONS, resolve_date_expression, window_precision_ok
from tacitus.convert.native import LoadResult, RawEvent
from tacitus.convert.numbers import parse_figure
from tacitus.errors import CodebookError
from tacitus.schema.codebook import Codebook, load_codebook
from tacitus.schema.dataset import ActorDefinition
from tacitus.schema.document import (
    Article,
    Casualty,
    Document,
    Event,
    Figure,
    quoted_fields,
)
from tacitus.schema.rules import Finding, define_rule
from tacitus.schema.tables import Tables, empty_frame, frame_from_rows

__all__ = [
    "PART_TABLES",
    "S007",
    "ArticleRows",
    "Assembled",
    "ConvertContext",
    "Parts",
    "assemble_tables",
    "convert_article",
    "convert_source",
    "documents_to_tables",
    "event_totals",
    "finding_row",
    "parts_from_rows",
]

S007 = define_rule(
    "S007",
    "Article ids unique in the dataset",
    "error",
    "Each article id is used by one annotation file of the dataset. When two files give the "
    "same id, the file that sorts first by path is kept and every event of the other is "
    "rejected.",
    "article id {value!r} is already used by {other}; this file's events are rejected",
    "articles/a.yaml: {article: {id: rt-1, ...}}\narticles/b.yaml: {article: {id: rt-1, ...}}",
)

PART_TABLES = ("files", "articles", "events", "casualties", "evidence", "rejected", "findings")
"""The tables one file converts to: ``files`` (one row per input file) plus the data tables
(``actors`` is built from the whole dataset by :func:`assemble_tables`)."""

FILES_SCHEMA = pl.Schema(
    {
        "source_file": pl.String,
        "article_id": pl.String,
        "content_sha256": pl.String,
        "events_in": pl.Int64,
    }
)
"""One row per input file: its article id, content hash and how many records it had."""

_TOTAL_KINDS = ("killed", "injured")


@dataclasses.dataclass
class ConvertContext:
    """Everything a conversion depends on besides the file: the codebook and actors.yaml.

    ``actors`` are the dataset's definitions; ``actors_file`` the name the actors table
    gives as ``defined_in`` for them (e.g. ``"actors.yaml"``).

    Example:
        >>> ctx = ConvertContext.create()
        >>> ctx.actor_columns("PAKMIL")
        ('PAK', 'MIL')
    """

    codebook: Codebook
    actors: Sequence[ActorDefinition] = ()
    actors_file: str | None = None
    _definitions: dict[str, ActorDefinition] = dataclasses.field(default_factory=dict)
    _groups: dict[str, str] = dataclasses.field(default_factory=dict)
    _parsed: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        for definition in self.actors:
            self._definitions.setdefault(definition.code, definition)
            if definition.group:
                self._groups.setdefault(definition.group, definition.name)

    @classmethod
    def create(
        cls,
        actors: Sequence[ActorDefinition] = (),
        actors_file: str | None = None,
        codebook: Codebook | None = None,
    ) -> ConvertContext:
        """A context with the packaged codebook (unless one is given).

        Example:
            >>> ConvertContext.create().codebook.version.startswith("cameo")
            True
        """
        return cls(
            codebook=codebook or load_codebook(), actors=tuple(actors), actors_file=actors_file
        )

    def is_dataset_group(self, trio: str) -> bool:
        """Whether ``trio`` is a group actors.yaml adds (one the codebook lacks)."""
        return trio in self._groups and trio not in self.codebook.groups

    def parse(self, code: str) -> Any:
        """The codebook's parse of ``code`` with the dataset's groups, or None if invalid."""
        if code not in self._parsed:
            try:
                self._parsed[code] = self.codebook.parse_actor(code, self._groups)
            except CodebookError:
                self._parsed[code] = None
        return self._parsed[code]

    def actor_columns(self, code: str | None) -> tuple[str | None, str | None]:
        """(country, role) of an actor code: actors.yaml first, then the codebook.

        Example:
            >>> ConvertContext.create().actor_columns("IRNGOV")
            ('IRN', 'GOV')
        """
        if code is None:
            return None, None
        definition = self._definitions.get(code)
        parsed = self.parse(code)
        country = definition.country if definition is not None else None
        roles = list(definition.roles) if definition is not None else []
        if country is None and parsed is not None:
            country = parsed.country
        if not roles and parsed is not None:
            roles = list(parsed.roles)
        return country, (roles[0] if roles else None)


@dataclasses.dataclass
class ArticleRows:
    """The rows one annotation file gives (table name → row dicts) and how many records.

    ``events_in`` counts the file's input records: every event it has (valid or not), or
    1 for a file rejected before any event could be read. Every one of them is a row of
    ``events`` or of ``rejected``.
    """

    source_file: str
    article_id: str | None
    content_sha256: str
    events_in: int
    rows: dict[str, list[dict[str, Any]]]


Parts = dict[str, pl.DataFrame]
"""Frames of :data:`PART_TABLES` for one or many files (what the build caches)."""


def finding_row(finding: Finding) -> dict[str, Any]:
    """A finding as a row of the ``findings`` table.

    Example:
        >>> from tacitus.schema.rules import S001
        >>> finding_row(S001.finding(source_file="a.yaml", detail="x"))["rule"]
        'S001'
    """
    return dataclasses.asdict(finding)


def convert_article(result: LoadResult, ctx: ConvertContext) -> ArticleRows:
    """Convert one loaded file into its rows of every table (the cacheable unit).

    Example:
        >>> from tacitus.convert.native import load_document_bytes
        >>> raw = (b"article: {id: a1, source: Wire, published: 2024-01-18, text: Rain.}\\n"
        ...        b"events: [{id: e1, code: '195'}]\\n")
        >>> rows = convert_article(load_document_bytes(raw, "a.yaml"), ConvertContext.create())
        >>> rows.rows["events"][0]["event_id"], rows.rows["events"][0]["date_source"]
        ('a1/e1', 'published')
    """
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in PART_TABLES if name != "files"}
    rows["findings"] = [finding_row(p) for p in result.problems]
    document = result.document
    if document is None:
        rows["rejected"] = _reject_unloaded(result)
        return ArticleRows(
            result.source_file,
            result.article_id,
            result.content_sha256,
            len(rows["rejected"]),
            rows,
        )
    article = document.article
    name = result.source_file
    seen: set[str] = set()
    for event in document.events:
        event_id = f"{article.id}/{event.id}"
        if event.id in seen:
            line = _line(event)
            rows["rejected"].append(
                {
                    "article_id": article.id,
                    "event_id": event_id,
                    "source_file": name,
                    "source_line": line,
                    "rule": "S006",
                    "reason": f"{_where(name, line)}: event id {event.id!r} is used more than "
                    "once in this article; the first is kept",
                }
            )
            continue
        seen.add(event.id)
        casualties = _casualty_rows(event, event_id, name)
        rows["casualties"].extend(casualties)
        rows["evidence"].extend(_evidence_rows(event, event_id, article.id, document, name))
        rows["events"].append(_event_row(event, event_id, article, casualties, name, ctx))
    dropped = _dropped_by_reader(result, article.id, {event.id for event in document.events})
    rows["rejected"].extend(dropped)
    rows["articles"].append(_article_row(document, len(rows["events"]), name))
    events_in = len(document.events) + len(dropped)
    return ArticleRows(name, article.id, result.content_sha256, events_in, rows)


def _dropped_by_reader(result: LoadResult, article_id: str, kept: set[str]) -> list[dict[str, Any]]:
    """Rejected rows for events a reader saw but could not convert (an unreadable .ann line).

    Readers of annotation tools keep going past a broken event; the build must still account
    for it, so every raw event without a converted event becomes a rejected row.
    """
    errors = [p for p in result.problems if p.severity == "error"]
    lines = [raw.line for raw in result.raw_events]
    rows = []
    for i, raw in enumerate(result.raw_events):
        if raw.id is None or raw.id in kept:
            continue
        event_id = f"{article_id}/{raw.id}"
        later = lines[i + 1 :]
        own = [p for p in errors if p.source_line == raw.line] or _event_problems(
            errors, raw, event_id, later
        )
        first = own[0] if own else None
        rows.append(
            {
                "article_id": article_id,
                "event_id": event_id,
                "source_file": result.source_file,
                "source_line": raw.line,
                "rule": first.rule if first else None,
                "reason": _reason(result.source_file, first, whole_file=False)
                if first
                else f"{_where(result.source_file, raw.line)}: the event could not be read",
            }
        )
    return rows


def convert_source(results: Sequence[LoadResult], ctx: ConvertContext) -> list[ArticleRows]:
    """Convert every article one source file gave (one, or many for a Label Studio export).

    An article whose id an earlier article of the same file already uses is rejected
    whole (rule S007): its events move to ``rejected``, the first article is kept.

    Example:
        >>> from tacitus.convert.native import load_document_bytes
        >>> raw = b"article: {id: a1, source: W, published: 2024-01-18, text: x}\\n"
        >>> r = load_document_bytes(raw, "export.json")
        >>> [len(a.rows["articles"]) for a in convert_source([r, r], ConvertContext.create())]
        [1, 0]
    """
    converted: list[ArticleRows] = []
    first_line: dict[str, int | None] = {}
    for result in results:
        rows = convert_article(result, ctx)
        article_id = rows.article_id
        if rows.rows["articles"] and article_id is not None:
            line = rows.rows["articles"][0]["source_line"]
            if article_id in first_line:
                other = _where(rows.source_file, first_line[article_id])
                rows = _reject_whole(rows, other)
            else:
                first_line[article_id] = line
        converted.append(rows)
    return converted


def _reject_whole(rows: ArticleRows, other: str) -> ArticleRows:
    """``rows`` with its article dropped and every event rejected (S007, id used by ``other``)."""
    article = rows.rows["articles"][0]
    name = rows.source_file
    finding = S007.finding(
        source_file=name,
        source_line=article["source_line"],
        table="articles",
        article_id=rows.article_id,
        field="article.id",
        value=rows.article_id,
        other=other,
    )
    reason = f"{finding.location()}: {S007.id} {finding.message}"
    rejected = [
        {
            "article_id": rows.article_id,
            "event_id": event["event_id"],
            "source_file": name,
            "source_line": event["source_line"],
            "rule": S007.id,
            "reason": reason,
        }
        for event in rows.rows["events"]
    ]
    events_in = rows.events_in
    if not rejected and not rows.rows["rejected"]:
        # An article without events still counts: one rejected row stands for it.
        events_in = 1
        rejected.append(
            {
                "article_id": rows.article_id,
                "event_id": None,
                "source_file": name,
                "source_line": article["source_line"],
                "rule": S007.id,
                "reason": reason,
            }
        )
    kept = {
        "articles": [],
        "events": [],
        "casualties": [],
        "evidence": [],
        "rejected": rows.rows["rejected"] + rejected,
        "findings": [*rows.rows["findings"], finding_row(finding)],
    }
    return dataclasses.replace(rows, events_in=events_in, rows=kept)


def parts_from_rows(items: Iterable[ArticleRows]) -> Parts:
    """Frames (one per part table) holding the rows of many converted files.

    Example:
        >>> parts_from_rows([])["events"].height
        0
    """
    collected: dict[str, list[dict[str, Any]]] = {name: [] for name in PART_TABLES}
    for item in items:
        collected["files"].append(
            {
                "source_file": item.source_file,
                "article_id": item.article_id,
                "content_sha256": item.content_sha256,
                "events_in": item.events_in,
            }
        )
        for name, rows in item.rows.items():
            collected[name].extend(rows)
    parts: Parts = {}
    for name, rows in collected.items():
        if name == "files":
            parts[name] = pl.DataFrame(rows, schema=FILES_SCHEMA, orient="row")
        else:
            parts[name] = frame_from_rows(name, rows)
    return parts


@dataclasses.dataclass
class Assembled:
    """The dataset's tables, the findings of loading, and the record counts."""

    tables: Tables
    findings: pl.DataFrame
    files: pl.DataFrame
    events_in: int


def assemble_tables(parts: Sequence[Parts], ctx: ConvertContext) -> Assembled:
    """Put the rows of many files together into the dataset's tables, sorted.

    A file whose article id an earlier file (by path) already uses is rejected whole
    (rule S007): its events move to ``rejected`` and an S007 finding is added. The actors
    table holds every actors.yaml definition and each other code the dataset uses that
    the codebook knows.

    Example:
        >>> a = assemble_tables([], ConvertContext.create())
        >>> a.events_in, a.tables.events.height
        (0, 0)
    """
    frames = {name: _concat([p[name] for p in parts if name in p], name) for name in PART_TABLES}
    files = frames["files"].sort("source_file")
    rejected = [frames["rejected"]]
    findings = [frames["findings"]]
    dropped = _duplicate_article_files(files, frames["articles"])
    if dropped:
        events = frames["events"]
        extra_rejected, extra_findings, empty_units = _reject_duplicates(
            dropped, events, frames["rejected"]
        )
        rejected.append(extra_rejected)
        findings.append(extra_findings)
        for name in ("articles", "events", "casualties", "evidence"):
            frame = frames[name]
            if name == "casualties" or name == "evidence":
                frame = _with_article_id(frame, frames["events"])
            frames[name] = frame.filter(~_unit_in(dropped)).select(frames[name].columns)
        if empty_units:
            files = files.with_columns(
                pl.when(_unit_in(empty_units))
                .then(pl.lit(1, pl.Int64))
                .otherwise(pl.col("events_in"))
                .alias("events_in")
            )
    events = frames["events"]
    tables = Tables(
        articles=_sorted("articles", frames["articles"]),
        events=_sorted("events", events),
        casualties=_sorted("casualties", frames["casualties"]),
        evidence=_sorted("evidence", frames["evidence"]),
        actors=actors_table(events, frames["casualties"], ctx),
        rejected=_sorted("rejected", pl.concat(rejected, how="vertical")),
    )
    events_in = int(files["events_in"].sum() or 0)
    return Assembled(
        tables=tables,
        findings=_sorted("findings", pl.concat(findings, how="vertical")),
        files=files,
        events_in=events_in,
    )


def documents_to_tables(
    results: Iterable[LoadResult], ctx: ConvertContext | None = None
) -> Assembled:
    """Convert load results into the dataset's tables (both steps, in memory).

    Example:
        >>> from tacitus.convert.native import load_document_bytes
        >>> raw = b"article: {id: a1, source: W, published: 2024-01-18, text: x}\\n"
        >>> documents_to_tables([load_document_bytes(raw, "a.yaml")]).tables.articles.height
        1
    """
    ctx = ctx or ConvertContext.create()
    return assemble_tables([parts_from_rows(convert_article(r, ctx) for r in results)], ctx)


# --- event totals -------------------------------------------------------------------------


def event_totals(
    claims: Iterable[tuple[str | None, int | None, int | None, int | None]],
) -> tuple[int | None, int | None, int | None]:
    """The event's (low, best, high) for one kind, from its casualty rows (not breakdowns).

    ``claims`` are ``(claimed_by, low, best, high)`` of the event's top-level casualty rows
    of that kind. Rows with the same ``claimed_by`` (an unattributed row counts as one
    more claimant) are parts of one claim and are added up; a part without a value makes
    that sum unknown (null). Different claimants give alternative figures for the same
    toll, never added: ``low`` is the smallest low any claim gives, ``high`` the largest
    high, and ``best`` the best the claims agree on: the one best value given, provided it
    lies inside every claim's range; null when claims give different bests or one claim's
    range excludes it. An open-ended claim ("at least 12": no high) leaves the event's
    ``high`` unknown rather than below that claim; likewise a claim with a high but no
    low ("up to 20") leaves ``low`` unknown. So whatever is not null bounds every claim.

    Example:
        >>> event_totals([("PAKGOV", 2, None, 9), ("IRNGOV", 7, 7, 7)])
        (2, 7, 9)
        >>> event_totals([("PAKGOV", 5, 5, 5), ("IRNGOV", 7, 7, 7)])
        (5, None, 7)
        >>> event_totals([(None, 3, 3, 3), (None, 4, 4, 4)])
        (7, 7, 7)
        >>> event_totals([("PAKCOP", 7, 7, 7), ("PAKSEPBLA", 12, 12, None)])
        (7, None, None)
    """
    per_claim: dict[str | None, list[int | None]] = {}
    for claimed_by, low, best, high in claims:
        values = [low, best, high]
        if claimed_by not in per_claim:
            per_claim[claimed_by] = values
        else:
            current = per_claim[claimed_by]
            per_claim[claimed_by] = [
                None if a is None or b is None else a + b
                for a, b in zip(current, values, strict=True)
            ]
    if not per_claim:
        return None, None, None
    claims_ = list(per_claim.values())
    open_low = any(c[0] is None and (c[1] is not None or c[2] is not None) for c in claims_)
    open_high = any(c[2] is None and (c[0] is not None or c[1] is not None) for c in claims_)
    lows = [] if open_low else [c[0] for c in claims_ if c[0] is not None]
    highs = [] if open_high else [c[2] for c in claims_ if c[2] is not None]
    bests = {c[1] for c in per_claim.values() if c[1] is not None}
    agreed: int | None = None
    if len(bests) == 1:
        (candidate,) = bests
        inside = all(
            (c[0] is None or c[0] <= candidate) and (c[2] is None or candidate <= c[2])
            for c in per_claim.values()
        )
        agreed = candidate if inside else None
    return (min(lows) if lows else None, agreed, max(highs) if highs else None)


# --- rows of one file ---------------------------------------------------------------------


def _where(name: str, line: int | None) -> str:
    return f"{name}:{line}" if line else name


def _reject_unloaded(result: LoadResult) -> list[dict[str, Any]]:
    """Every event of a file that did not load, each with the reason that applies to it."""
    errors = [p for p in result.problems if p.severity == "error"] or list(result.problems)
    article_id = result.article_id
    name = result.source_file
    if not result.raw_events:
        first = errors[0] if errors else None
        return [
            {
                "article_id": article_id,
                "event_id": None,
                "source_file": name,
                "source_line": first.source_line if first else None,
                "rule": first.rule if first else None,
                "reason": _reason(name, first, whole_file=True),
            }
        ]
    rows = []
    lines = [e.line for e in result.raw_events]
    for i, raw in enumerate(result.raw_events):
        event_id = f"{article_id}/{raw.id}" if article_id and raw.id else None
        own = _event_problems(errors, raw, event_id, lines[i + 1 :])
        first = own[0] if own else (errors[0] if errors else None)
        rows.append(
            {
                "article_id": article_id,
                "event_id": event_id,
                "source_file": name,
                "source_line": raw.line,
                "rule": first.rule if first else None,
                "reason": _reason(name, first, whole_file=not own),
            }
        )
    return rows


def _event_problems(
    errors: list[Finding], raw: RawEvent, event_id: str | None, later: list[int | None]
) -> list[Finding]:
    if event_id is not None:
        own = [p for p in errors if p.event_id == event_id]
        if own:
            return own
    start = raw.line
    if start is None:
        return []
    end = next((line for line in later if line is not None and line > start), None)
    return [
        p
        for p in errors
        if p.source_line is not None
        and p.source_line >= start
        and (end is None or p.source_line < end)
        and (p.field or "").startswith("events")
    ]


def _reason(name: str, finding: Finding | None, *, whole_file: bool) -> str:
    if finding is None:
        return f"{name}: the file did not load"
    prefix = "the article did not load: " if whole_file else ""
    return f"{prefix}{finding.location()}: {finding.rule} {finding.message}"


def _article_row(document: Document, n_events: int, name: str) -> dict[str, Any]:
    article = document.article
    published_at = None
    if isinstance(article.published, dt.datetime) and article.published.tzinfo is not None:
        published_at = article.published.astimezone(dt.UTC)
    text = document.text
    return {
        "article_id": article.id,
        "source": article.source,
        "url": article.url,
        "published": article.published_date,
        "published_at": published_at,
        "language": article.language,
        "title": article.title,
        "text": text,
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "n_events": n_events,
        "source_file": name,
        "source_line": _line(article),
    }


def _event_row(
    event: Event,
    event_id: str,
    article: Article,
    casualties: list[dict[str, Any]],
    name: str,
    ctx: ConvertContext,
) -> dict[str, Any]:
    code = ctx.codebook.event(event.code)
    row: dict[str, Any] = {
        "event_id": event_id,
        "article_id": article.id,
        "event_code": event.code,
        "base_code": code.base_code if code is not None else None,
        "root_code": code.root_code if code is not None else None,
        "quad_class": code.quad_class if code is not None else None,
        "goldstein": code.goldstein if code is not None else None,
    }
    for slot in ("actor1", "actor2"):
        actor = getattr(event, slot)
        actor_code = actor.code if actor is not None else None
        country, role = ctx.actor_columns(actor_code)
        row[f"{slot}_code"] = actor_code
        row[f"{slot}_name"] = actor.name if actor is not None else None
        row[f"{slot}_country"] = country
        row[f"{slot}_role"] = role
    start, end, precision, source = event_dates(event, article)
    row.update(date_start=start, date_end=end, date_precision=precision, date_source=source)
    location = event.location
    row.update(
        location_name=location.name if location else None,
        country=location.country if location else None,
        adm1=location.adm1 if location else None,
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        geo_precision=location.precision if location else None,
    )
    for kind in _TOTAL_KINDS:
        low, best, high = event_totals(
            (c["claimed_by"], c["low"], c["best"], c["high"])
            for c in casualties
            if c["kind"] == kind and c["parent"] is None
        )
        row.update({f"{kind}_low": low, f"{kind}_best": best, f"{kind}_high": high})
    row["source_file"] = name
    row["source_line"] = _line(event)
    return row


def event_dates(event: Event, article: Article) -> tuple[dt.date, dt.date, str | None, str]:
    """(date_start, date_end, date_precision, date_source) of an event.

    An annotated day or window is used as given: ``date_source`` is ``text`` when it has a
    quote, ``inferred`` when it has none (the annotator worked it out). A quote alone is
    resolved against publication (``text``). No date, or a quote no rule understands,
    gives the publication day (``published``). A window without a precision gets the
    narrowest one it fits (never a day: "in March" stays a month).

    Example:
        >>> art = Article(id="a", source="s", published="2024-01-18", text="x")
        >>> ev = Event.model_validate({"id": "e1", "code": "195",
        ...                           "date": {"quote": "on Tuesday"}})
        >>> event_dates(ev, art)
        (datetime.date(2024, 1, 16), datetime.date(2024, 1, 16), 'day', 'text')
    """
    published = article.published_date
    date = event.date
    if date is None:
        return published, published, "day", "published"
    window = date.window
    if window is not None:
        precision: str | None = date.precision
        if precision is None:
            precision = "day" if date.value is not None else _narrowest(*window)
        return window[0], window[1], precision, "text" if date.quote else "inferred"
    if date.quote:
        resolved = resolve_date_expression(date.quote, article.published)
        if resolved is not None:
            return resolved.start, resolved.end, resolved.precision, "text"
    return published, published, "day", "published"


def _narrowest(start: dt.date, end: dt.date) -> str | None:
    for precision in PRECISIONS:
        if window_precision_ok(start, end, precision):
            return precision
    return None


def _figures(part: Figure) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) as annotated, or read from the quote when no figure is given."""
    figures = part.figures
    if all(v is None for v in figures) and part.quote:
        parsed = parse_figure(part.quote)
        if parsed is not None:
            return parsed.low, parsed.best, parsed.high
    return figures


def _casualty_rows(event: Event, event_id: str, name: str) -> list[dict[str, Any]]:
    rows = []
    for i, casualty in enumerate(event.casualties, start=1):
        casualty_id = f"{event_id}/c{i}"
        rows.append(_casualty_row(casualty, casualty, casualty_id, event_id, None, name))
        for j, item in enumerate(casualty.breakdown, start=1):
            rows.append(
                _casualty_row(item, casualty, f"{casualty_id}.{j}", event_id, casualty_id, name)
            )
    return rows


def _casualty_row(
    part: Figure,
    total: Casualty,
    casualty_id: str,
    event_id: str,
    parent: str | None,
    name: str,
) -> dict[str, Any]:
    low, best, high = _figures(part)
    return {
        "casualty_id": casualty_id,
        "event_id": event_id,
        "kind": total.kind,
        "category": part.category or total.category,
        "who": part.who,
        "low": low,
        "best": best,
        "high": high,
        "claimed_by": total.claimed_by,
        "parent": parent,
        "quote": part.quote,
        "source_file": name,
        "source_line": _line(part),
    }


def _evidence_rows(
    event: Event, event_id: str, article_id: str, document: Document, name: str
) -> list[dict[str, Any]]:
    rows = []
    text = document.text
    for field, part in quoted_fields(event):
        span: tuple[int, int] | None = _private(part, "_span")
        quote = part.quote
        if quote is None and span is None:
            continue
        if quote is None and span is not None:
            quote = text[span[0] : span[1]]
        rows.append(
            {
                "event_id": event_id,
                "article_id": article_id,
                "field": field,
                "start": span[0] if span else None,
                "end": span[1] if span else None,
                "quote": quote,
                "source_file": name,
                "source_line": _line(part),
            }
        )
    return rows


def _private(model: Any, name: str) -> Any:
    """A pydantic private attribute (``_line``, ``_span``) read straight from its dict.

    Same value as the ``line``/``span`` properties, ~30x faster: a property goes through
    pydantic's ``__getattr__`` (~2 µs), and an article has some 40 of them to read.
    """
    private = getattr(model, "__pydantic_private__", None)
    if private is None:
        return None
    return private.get(name)


def _line(part: Any) -> int | None:
    line: int | None = _private(part, "_line")
    return line


# --- assembling ---------------------------------------------------------------------------


def _concat(frames: list[pl.DataFrame], name: str) -> pl.DataFrame:
    if not frames:
        if name == "files":
            return pl.DataFrame(schema=FILES_SCHEMA)
        return empty_frame(name)
    if len(frames) == 1:
        return frames[0]
    return pl.concat(frames, how="vertical", rechunk=False)


_SORT_KEYS: dict[str, list[str]] = {
    "articles": ["article_id", "source_file"],
    "events": ["article_id", "source_line", "event_id"],
    "casualties": ["event_id", "source_line", "casualty_id"],
    "evidence": ["event_id", "source_line", "field", "start"],
    "actors": ["code", "defined_in", "source_line"],
    "rejected": ["source_file", "source_line", "event_id", "rule", "reason"],
    "findings": [
        "source_file",
        "source_line",
        "rule",
        "event_id",
        "field",
        "message",
        "severity",
        "table",
        "article_id",
        "value",
    ],
}
"""Stable sort keys of every table: the order never depends on the order files were read."""


def _sorted(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    if frame.height <= 1:
        return frame.rechunk()
    return frame.sort(_SORT_KEYS[name], nulls_last=False, maintain_order=True).rechunk()


Unit = tuple[str, str]
"""(source_file, article_id): one article of one source file (a file may hold many)."""


def _unit_in(units: Iterable[Unit]) -> pl.Expr:
    """Rows whose (source_file, article_id) is one of ``units``."""
    keys = sorted(f"{f}\0{a}" for f, a in units)
    return pl.concat_str([pl.col("source_file"), pl.col("article_id")], separator="\0").is_in(keys)


def _with_article_id(frame: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (keyed by event_id) with its event's article_id (if it has none)."""
    if "article_id" in frame.columns:
        return frame
    ids = events.select("event_id", "article_id").unique("event_id", keep="first")
    return frame.join(ids, on="event_id", how="left")


def _duplicate_article_files(files: pl.DataFrame, articles: pl.DataFrame) -> dict[Unit, str]:
    """(source_file, article id) → first file, for every article whose id a file before it uses.

    Files are taken in path order; only articles that loaded count (a file that did not
    load is rejected anyway, and does not take the id from a good one). An id repeated
    within one file was already rejected by :func:`convert_source`.
    """
    dropped: dict[Unit, str] = {}
    if files.height == 0 or articles.height == 0:
        return dropped
    loaded = files.join(
        articles.select("source_file", "article_id"), on=["source_file", "article_id"], how="semi"
    )
    counts = loaded.group_by("article_id").agg(pl.col("source_file").n_unique().alias("n"))
    counts = counts.filter(pl.col("n") > 1)
    if counts.height == 0:
        return dropped
    dup = loaded.filter(pl.col("article_id").is_in(counts["article_id"].to_list()))
    first: dict[str, str] = {}
    for source_file, article_id in (
        dup.select("source_file", "article_id").unique(maintain_order=True).iter_rows()
    ):
        if article_id in first:
            if first[article_id] != source_file:
                dropped[(source_file, article_id)] = first[article_id]
        else:
            first[article_id] = source_file
    return dropped


def _reject_duplicates(
    dropped: Mapping[Unit, str], events: pl.DataFrame, rejected: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, list[Unit]]:
    """Rejected rows and S007 findings for articles whose id an earlier file already used.

    Also returns the units that had no event rows (each gets one rejected row, counted
    as one input record).
    """
    rows: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    empty_units: list[Unit] = []
    theirs = events.filter(_unit_in(dropped)).select(
        "source_file", "source_line", "event_id", "article_id"
    )
    by_unit: dict[Unit, list[tuple[int | None, str]]] = {}
    for source_file, line, event_id, article_id in theirs.iter_rows():
        by_unit.setdefault((source_file, article_id), []).append((line, event_id))
    already = {
        (f, a)
        for f, a in rejected.filter(_unit_in(dropped)).select("source_file", "article_id").rows()
    }
    for unit in sorted(dropped):
        source_file, article_id = unit
        other = dropped[unit]
        finding = S007.finding(
            source_file=source_file,
            table="articles",
            article_id=article_id,
            field="article.id",
            value=article_id,
            other=other,
        )
        findings.append(finding_row(finding))
        reason = f"{source_file}: {S007.id} {finding.message}"
        own = by_unit.get(unit, [])
        for line, event_id in own:
            rows.append(
                {
                    "article_id": article_id,
                    "event_id": event_id,
                    "source_file": source_file,
                    "source_line": line,
                    "rule": S007.id,
                    "reason": reason,
                }
            )
        if not own and unit not in already:
            empty_units.append(unit)
            rows.append(
                {
                    "article_id": article_id,
                    "event_id": None,
                    "source_file": source_file,
                    "source_line": None,
                    "rule": S007.id,
                    "reason": reason,
                }
            )
    return frame_from_rows("rejected", rows), frame_from_rows("findings", findings), empty_units


def actors_table(
    events: pl.DataFrame, casualties: pl.DataFrame, ctx: ConvertContext
) -> pl.DataFrame:
    """The actors table: actors.yaml definitions, then codebook codes the dataset uses.

    A code actors.yaml defines is listed as defined there (``defined_in`` = the file),
    with its name, aliases and line; any other code used as actor1, actor2 or
    ``claimed_by`` that the codebook knows is listed with ``defined_in`` = ``codebook``
    and a name from the codebook (its known-code name, else the meanings of its trios).
    Codes the codebook does not know are left out (the validators report them).

    Example:
        >>> ev = pl.DataFrame({"actor1_code": ["PAKMIL"], "actor2_code": [None]})
        >>> cas = pl.DataFrame({"claimed_by": ["IRNGOV"]})
        >>> actors_table(ev, cas, ConvertContext.create())["code"].to_list()
        ['IRNGOV', 'PAKMIL']
    """
    rows: list[dict[str, Any]] = []
    defined: set[str] = set()
    for definition in ctx.actors:
        parsed = ctx.parse(definition.code)
        roles = list(definition.roles) or (list(parsed.roles) if parsed is not None else [])
        country = definition.country or (parsed.country if parsed is not None else None)
        rows.append(
            {
                "code": definition.code,
                "name": definition.name,
                "country": country,
                "roles": roles,
                "aliases": list(definition.aliases),
                "defined_in": ctx.actors_file or "actors.yaml",
                "source_line": definition.line,
            }
        )
        defined.add(definition.code)
    used: set[str] = set()
    for frame, columns in ((events, ("actor1_code", "actor2_code")), (casualties, ("claimed_by",))):
        for column in columns:
            if column in frame.columns:
                used.update(v for v in frame[column].unique().to_list() if v is not None)
    for code in sorted(used - defined):
        parsed = ctx.parse(code)
        if parsed is None:
            continue
        name = ctx.codebook.known_codes.get(code) or " ".join(t.meaning for t in parsed.trios)
        dataset_groups = [g for g in parsed.groups if ctx.is_dataset_group(g)]
        rows.append(
            {
                "code": code,
                "name": name,
                "country": parsed.country,
                "roles": list(parsed.roles),
                "aliases": [],
                "defined_in": (ctx.actors_file or "actors.yaml") if dataset_groups else "codebook",
                "source_line": None,
            }
        )
    return _sorted("actors", frame_from_rows("actors", rows))
