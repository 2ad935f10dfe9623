"""The reader registry, and what the annotation-tool readers share.

Two kinds of reader:

* **document readers** (``native``, ``brat``, ``labelstudio``, ``inception``) turn one
  source file into a list of :class:`~tacitus.convert.native.LoadResult` (one per article:
  a Label Studio export holds many). Use :data:`READERS` or :func:`read_documents`, and
  :func:`source_files` to list a folder's source files for a format.
* **coded-dataset readers** (``gdelt``, ``icews``, ``ucdp``) turn a table of coded events
  into our events/casualties/articles tables: :data:`CODED_READERS` / :func:`read_coded`,
  giving a :class:`CodedResult`.

The brat, Label Studio and INCEpTION readers each reduce their format to the same
intermediate form (:class:`AnnotationSet`: typed spans, events with role arguments, and
"part of" links between casualty spans) and :func:`assemble` builds the Document from it,
so the three agree on what a CAMEO annotation means. Problems never raise: each is a
finding with the file and line of the annotation it is about, and the rest converts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any, Protocol

import polars as pl
from pydantic import BaseModel, ValidationError

from tacitus.convert.native import (
    NATIVE_SUFFIXES,
    LoadResult,
    RawEvent,
    duplicate_event_ids,
    resolve_quotes,
    unique_findings,
)
from tacitus.convert.offsets import occurrence_of
from tacitus.convert.yamlmarks import load_marked
from tacitus.errors import InputError, UsageError
from tacitus.schema.document import (
    Actor,
    Article,
    Breakdown,
    Casualty,
    Document,
    Event,
    EventDate,
    Location,
)
from tacitus.schema.rules import S002, S003, Finding, define_rule, sort_findings

# --- rules of the readers ---------------------------------------------------------------


S010 = define_rule(
    "S010",
    "Referenced span exists",
    "error",
    "Every span an event points at (its trigger or a role argument such as Actor1) exists "
    "in the annotation file: a span deleted after the event was drawn leaves a dangling id.",
    "{detail}",
    "E1\tE195:T1 Actor1:T9   # no T9 in the .ann file",
)
S011 = define_rule(
    "S011",
    "Relation ends exist",
    "error",
    "Both ends of a relation (PartOf between casualty spans, a Label Studio relation, an "
    "INCEpTION link) are annotations that exist in the file.",
    "{detail}",
    "R1\tPartOf Arg1:T4 Arg2:T12   # T12 was deleted",
)
S012 = define_rule(
    "S012",
    "Offsets give the annotated text",
    "error",
    "The offsets of a span, read in the unit the tool uses (code points for brat, UTF-16 "
    "code units for Label Studio and INCEpTION) and converted to Python character offsets, "
    "cover exactly the text the tool recorded for the span. A warning says when a file "
    "used the other unit and was converted.",
    "{detail}",
    "T1\tActor 0 8\tPakistan   # text[0:8] is 'Pakista' + half an emoji",
)
S013 = define_rule(
    "S013",
    "Annotation value understood",
    "error",
    "Each note, attribute, per-region field or feature value is one the CAMEO layer "
    "defines (code=, count=, low=, kind ...) and parses (a number is a number, a date is "
    "YYYY-MM-DD).",
    "{detail}",
    "#1\tAnnotatorNotes T3\tcount=seven",
)
S014 = define_rule(
    "S014",
    "Event role known and single",
    "error",
    "An event's arguments use the roles Actor1, Actor2, Location, Date (once each) and "
    "Casualty (any number).",
    "{detail}",
    "E1\tE195:T1 Actor1:T2 Actor1:T3",
)
S015 = define_rule(
    "S015",
    "Line or record well-formed",
    "error",
    "Each line of a brat .ann file, each Label Studio task and each XMI element has the "
    "shape its format defines; a bad one is reported and skipped.",
    "{detail}",
    "T1 Actor 0 8 Pakistan   # spaces instead of tabs",
)
S016 = define_rule(
    "S016",
    "Article metadata present",
    "error",
    "An annotation-tool file comes with the article's id, source and publication date: in "
    "a sidecar NAME.meta.yaml (brat, INCEpTION), the task data (Label Studio) or the "
    "CameoArticle layer (INCEpTION).",
    "{detail}",
    "article.ann and article.txt with no article.meta.yaml",
)

S020 = define_rule(
    "S020",
    "Coded-dataset row well-formed",
    "error",
    "Each row of a GDELT, ICEWS or UCDP file has the layout's number of columns and its "
    "identifying values (event id, date, event code) parse; a bad row is reported and "
    "skipped, and an unparsable optional value is reported and left empty.",
    "{detail}",
    "881990832\t2018-10-24\t...   # SQLDATE must be YYYYMMDD",
)


class RowProblems(Protocol):
    """Reports one problem of a coded-dataset row: ``bad(field, detail, value=None)``."""

    def __call__(self, field: str, detail: str, value: str | None = None, **kw: Any) -> None: ...


def row_problems(problems: list[Finding], name: str, number: int) -> RowProblems:
    """A reporter of S020 findings for row ``number`` of the coded file ``name``.

    Example:
        >>> found: list[Finding] = []
        >>> bad = row_problems(found, "x.csv", 7)
        >>> bad("(row)", "3 columns, the header has 49")
        >>> found[0].location(), found[0].message
        ('x.csv:7', '3 columns, the header has 49')
    """

    def bad(field: str, detail: str, value: str | None = None, **kw: Any) -> None:
        problems.append(
            S020.finding(
                source_file=name,
                source_line=number,
                table="events",
                field=field,
                value=value,
                detail=detail,
                **kw,
            )
        )

    return bad


S030 = define_rule(
    "S030",
    "Imported casualty range ordered",
    "warning",
    "low <= best <= high in an imported coded dataset (UCDP GED). Our own data must obey "
    "this (an error there); in someone else's published data it is reported as a warning "
    "and the figures are kept as published.",
    "{detail}",
    "UCDP GED id 236880: low 3, best 2, high 3",
)

# --- the intermediate form --------------------------------------------------------------

ROLES = ("actor1", "actor2", "location", "date", "casualty")
SPAN_LABELS = ("Actor", "Date", "Location", "Casualty")
_CODE = re.compile(r"^(?:E|CAMEO[_-]?)?([0-9]{2,4})(?:\b.*)?$", re.IGNORECASE)


@dataclasses.dataclass
class SpanAnn:
    """A text span a tool recorded: its label, Python offsets and the values attached."""

    id: str
    label: str
    start: int
    end: int
    line: int | None
    fields: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class EventAnn:
    """An event: its CAMEO code as written, its trigger span and its role arguments."""

    id: str
    code: str | None
    trigger: str | None
    line: int | None
    args: list[tuple[str, str, int | None]] = dataclasses.field(default_factory=list)
    code_line: int | None = None


@dataclasses.dataclass
class LinkAnn:
    """A ``PartOf`` link: casualty span ``part`` is a breakdown of casualty span ``whole``."""

    part: str
    whole: str
    line: int | None


@dataclasses.dataclass
class AnnotationSet:
    """One article as an annotation tool gave it, reduced to spans, events and links."""

    name: str
    text: str
    article: dict[str, Any]
    article_line: int | None
    spans: dict[str, SpanAnn]
    events: list[EventAnn]
    links: list[LinkAnn]
    problems: list[Finding]
    content_sha256: str
    article_lines: dict[str, int | None] = dataclasses.field(default_factory=dict)
    article_file: str | None = None  # where the metadata came from, if not ``name``
    bad_spans: set[str] = dataclasses.field(default_factory=set)  # reported already
    # Events seen but not readable (a truncated line): counted, so none is lost unseen.
    unread_events: list[RawEvent] = dataclasses.field(default_factory=list)


def event_code(raw: str | None) -> str | None:
    """The CAMEO code in an event label (``E195``, ``195``, ``195 Employ aerial weapons``).

    Example:
        >>> event_code("E195"), event_code("0251 Appeal for easing"), event_code("Attack")
        ('195', '0251', None)
    """
    if raw is None:
        return None
    match = _CODE.match(raw.strip())
    return match.group(1) if match else None


def span_label(label: str) -> str | None:
    """Our span label for a tool's entity label, matched regardless of case; None for others.

    Example:
        >>> span_label("location"), span_label("Casualty"), span_label("E195")
        ('Location', 'Casualty', None)
    """
    folded = label.lower()
    return next((known for known in SPAN_LABELS if known.lower() == folded), None)


def role_of(raw: str) -> str | None:
    """Our role name for a tool's role label (Actor1, actor_2, Casualty3, Target ...).

    Example:
        >>> role_of("Actor1"), role_of("Casualty2"), role_of("location"), role_of("Theme")
        ('actor1', 'casualty', 'location', None)
    """
    key = re.sub(r"[^a-z0-9]", "", raw.lower())
    if key in ("actor1", "source"):
        return "actor1"
    if key in ("actor2", "target"):
        return "actor2"
    key = key.rstrip("0123456789")
    if key in ("location", "place", "date", "time", "casualty", "casualties"):
        return {"place": "location", "time": "date", "casualties": "casualty"}.get(key, key)
    return None


# --- notes: key=value values attached to spans ------------------------------------------

FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "Actor": ("code", "name"),
    "Date": ("value", "start", "end", "date", "precision"),
    "Location": ("name", "country", "adm1", "precision", "latitude", "longitude"),
    "Casualty": ("kind", "count", "low", "best", "high", "who", "category", "claimed_by"),
    "Event": ("code",),
}
_CANONICAL = {k.replace("_", ""): k for keys in FIELD_KEYS.values() for k in keys}
_ALIASES = {
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "long": "longitude",
    "claimed": "claimed_by",
    "claimant": "claimed_by",
    "actor": "code",
    "actorcode": "code",
    "cameo": "code",
    "cameocode": "code",
    "eventcode": "code",
    "geoprecision": "precision",
    "dateprecision": "precision",
    "casualtykind": "kind",
    "casualtycategory": "category",
}
_DEFAULT_KEY = {"Actor": "code", "Date": "date", "Casualty": "count", "Event": "code"}


def normalise_key(key: str) -> str:
    """A value's name in our vocabulary (``Claimed By`` → ``claimed_by``, ``lat`` → ``latitude``).

    Example:
        >>> normalise_key("Claimed By"), normalise_key("lng"), normalise_key("DatePrecision")
        ('claimed_by', 'longitude', 'precision')
    """
    squashed = re.sub(r"[^a-z0-9]", "", key.lower())
    return (
        _ALIASES.get(squashed)
        or _CANONICAL.get(squashed)
        or re.sub(r"\W+", "_", key.strip().lower()).strip("_")
    )


def parse_note(label: str, note: str) -> tuple[dict[str, str], list[str]]:
    """Read a free-text note (``code=PAKMIL``, ``low=3; high=9``, bare ``7``) into fields.

    Pieces are separated by ``;`` or new lines; a piece without ``key=`` is the label's
    main value (Actor: code, Casualty: count or a range ``3-9``, Date: a date or
    ``start/end``, Location: a country code or else the name). Returns the fields and
    the problems (unknown keys).

    Example:
        >>> parse_note("Casualty", "low=3; high=9; who=militants")[0]
        {'low': '3', 'high': '9', 'who': 'militants'}
        >>> parse_note("Casualty", "3-9")[0], parse_note("Actor", "PAKMIL")[0]
        ({'low': '3', 'high': '9'}, {'code': 'PAKMIL'})
    """
    fields: dict[str, str] = {}
    problems: list[str] = []
    allowed = FIELD_KEYS.get(label, ())
    for piece in re.split(r"[;\n]", note):
        piece = piece.strip()
        if not piece:
            continue
        if "=" not in piece and not re.match(r"^[A-Za-z_ ]{1,20}:\s", piece):
            _bare(label, piece, fields)
            continue
        marks = list(re.finditer(r"([A-Za-z][A-Za-z0-9_]*(?: [A-Za-z]+)?)\s*[=:]\s*", piece))
        # Only key=value pairs whose key is known split a piece; others stay in values.
        starts = [m for m in marks if normalise_key(m.group(1)) in allowed] or marks[:1]
        for i, mark in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(piece)
            key = normalise_key(mark.group(1))
            value = piece[mark.end() : end].strip().rstrip(",")
            if key not in allowed:
                problems.append(
                    f"unknown key {mark.group(1)!r} for a {label} (known: {', '.join(allowed)})"
                )
                continue
            fields[key] = value
    return fields, problems


def _bare(label: str, piece: str, fields: dict[str, str]) -> None:
    if label == "Casualty":
        match = re.match(r"^(\d+)\s*(?:-|–|\.\.)\s*(\d+)$", piece)
        if match:
            fields["low"], fields["high"] = match.group(1), match.group(2)
            return
    if label == "Location":
        fields["country" if re.fullmatch(r"[A-Z]{3}", piece) else "name"] = piece
        return
    fields[_DEFAULT_KEY.get(label, "note")] = piece


# --- building the Document ----------------------------------------------------------------


def assemble(aset: AnnotationSet) -> LoadResult:
    """Build a Document from an annotation set; every problem becomes a finding.

    A bad event is left out (and reported); a bad argument is left out of its event. The
    result's ``raw_events`` lists every event seen, for the build's lossless accounting.

    Example:
        >>> aset = AnnotationSet("a.ann", "Pakistan struck Iran.",
        ...     {"id": "a1", "source": "Wire", "published": "2024-01-18"}, 1,
        ...     {"T1": SpanAnn("T1", "Event", 9, 15, 1),
        ...      "T2": SpanAnn("T2", "Actor", 0, 8, 2, {"code": "PAKMIL"})},
        ...     [EventAnn("E1", "E195", "T1", 3, [("Actor1", "T2", 3), ("Actor2", "T7", 3)])],
        ...     [], [], "")
        >>> r = assemble(aset)
        >>> r.document.events[0].actor1.code, [p.rule for p in r.problems]
        ('PAKMIL', ['S010'])
    """
    name = aset.name
    problems = list(aset.problems)
    raw_events = [RawEvent(ev.id, ev.line) for ev in aset.events]
    raw_events.extend(aset.unread_events)
    raw_events.sort(key=lambda raw: raw.line or 0)
    article_id = aset.article.get("id")
    article_id = str(article_id) if article_id is not None else None

    article = _article(aset, problems)
    builder = _Builder(aset, article_id, problems)
    events = [ev for ev in (builder.event(raw) for raw in aset.events) if ev is not None]
    builder.check_links()
    if article is None:
        return LoadResult(
            name, None, sort_findings(problems), raw_events, article_id, aset.content_sha256
        )
    document = Document(article=article, events=events)
    document._source_file = name
    document._line = aset.article_line
    article._line = aset.article_line
    problems.extend(duplicate_event_ids(document, name))
    problems.extend(resolve_quotes(document, None, name))
    return LoadResult(
        name,
        document,
        sort_findings(unique_findings(problems)),
        raw_events,
        article_id,
        aset.content_sha256,
    )


def _article(aset: AnnotationSet, problems: list[Finding]) -> Article | None:
    data = {k: v for k, v in aset.article.items() if v is not None and v != ""}
    data["text"] = aset.text
    try:
        return Article.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            field = ".".join(str(p) for p in error["loc"]) or "article"
            line = aset.article_lines.get(field, aset.article_line)
            if error["type"] == "missing":
                problems.append(
                    S016.finding(
                        source_file=aset.article_file or aset.name,
                        source_line=aset.article_line,
                        table="articles",
                        field=f"article.{field}",
                        detail=f"the article's {field} is not given "
                        "(see docs/formats.md: article metadata)",
                    )
                )
            else:
                problems.append(
                    S003.finding(
                        source_file=aset.article_file or aset.name,
                        source_line=line,
                        table="articles",
                        field=f"article.{field}",
                        value=_shown(error.get("input")),
                        detail=error["msg"].removeprefix("Value error, "),
                    )
                )
        return None


class _Builder:
    """Turns EventAnns into Events, collecting findings."""

    def __init__(self, aset: AnnotationSet, article_id: str | None, problems: list[Finding]):
        self.aset = aset
        self.text = aset.text
        self.article_id = article_id
        self.problems = problems
        self.parts_of: dict[str, list[LinkAnn]] = {}
        for link in aset.links:
            self.parts_of.setdefault(link.whole, []).append(link)

    def _finding(self, rule: Any, line: int | None, event_id: str | None, **kw: Any) -> None:
        self.problems.append(
            rule.finding(
                source_file=self.aset.name,
                source_line=line,
                table="events",
                article_id=self.article_id,
                event_id=event_id,
                **kw,
            )
        )

    def check_links(self) -> None:
        for link in self.aset.links:
            for end, role in ((link.part, "part"), (link.whole, "whole")):
                span = self.aset.spans.get(end)
                if span is None and end in self.aset.bad_spans:
                    continue
                if span is None:
                    self._finding(
                        S011,
                        link.line,
                        None,
                        field="PartOf",
                        value=end,
                        detail=f"PartOf {role} {end} does not exist (deleted?)",
                    )
                elif span.label != "Casualty":
                    self._finding(
                        S011,
                        link.line,
                        None,
                        field="PartOf",
                        value=end,
                        detail=f"PartOf {role} {end} is a {span.label}, not a Casualty",
                    )

    def event(self, raw: EventAnn) -> Event | None:
        local_id = _local_id(raw.id)
        event_id = f"{self.article_id}/{local_id}"
        code = event_code(raw.code)
        if code is None:
            detail = (
                f"event {raw.id} has no CAMEO event code"
                if not raw.code
                else f"event type {raw.code!r} is not a CAMEO event code "
                "(write E195, 195 or '195 Employ aerial weapons')"
            )
            self._finding(
                S003,
                raw.code_line or raw.line,
                event_id,
                field="code",
                value=raw.code,
                detail=detail,
            )
            return None
        data: dict[str, Any] = {"id": local_id, "code": code}
        if raw.trigger is not None:
            span = self.aset.spans.get(raw.trigger)
            if span is None and raw.trigger in self.aset.bad_spans:
                pass
            elif span is None:
                self._finding(
                    S010,
                    raw.line,
                    event_id,
                    field="event",
                    value=raw.trigger,
                    detail=f"event {raw.id} points at trigger {raw.trigger}, which does not exist",
                )
            else:
                data.update(self._quote(span))
        lines: dict[str, int | None] = {}
        casualty_spans: list[SpanAnn] = []
        for role_label, target, line in raw.args:
            role = role_of(role_label)
            if role is None:
                self._finding(
                    S014,
                    line,
                    event_id,
                    field=role_label,
                    detail=f"role {role_label!r} is not one of Actor1, Actor2, "
                    "Location, Date, Casualty",
                )
                continue
            span = self.aset.spans.get(target)
            if span is None and target in self.aset.bad_spans:
                continue
            if span is None:
                self._finding(
                    S010,
                    line,
                    event_id,
                    field=role,
                    value=target,
                    detail=f"event {raw.id} {role_label} points at {target}, which does not exist",
                )
                continue
            if role == "casualty":
                casualty_spans.append(span)
                continue
            if role in data:
                self._finding(
                    S014,
                    line,
                    event_id,
                    field=role,
                    detail=f"event {raw.id} has more than one {role_label}; the first is used",
                )
                continue
            part = self._part(role, span, event_id)
            if part is not None:
                data[role] = part
                lines[role] = span.line
        casualties = []
        for span in casualty_spans:
            casualty = self._casualty(span, event_id, data)
            if casualty is not None:
                casualties.append((casualty, span))
        if casualties:
            data["casualties"] = [c for c, _ in casualties]
        try:
            event = Event.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = ".".join(str(p) for p in error["loc"])
                self._finding(
                    S003,
                    raw.line,
                    event_id,
                    field=field,
                    value=_shown(error.get("input")),
                    detail=error["msg"].removeprefix("Value error, "),
                )
            return None
        event._line = raw.line
        for role, line in lines.items():
            part_model = getattr(event, role)
            if part_model is not None:
                part_model._line = line
        for model, (_, span) in zip(event.casualties, casualties, strict=True):
            model._line = span.line
            for item, part_span in zip(model.breakdown, self._parts(span), strict=False):
                item._line = part_span.line
        return event

    def _quote(self, span: SpanAnn, *, by_occurrence: bool = False) -> dict[str, Any]:
        if span.end <= span.start:
            return {}
        quote = self.text[span.start : span.end]
        if by_occurrence:
            index, count = occurrence_of(self.text, quote, span.start)
            return {"quote": quote, "occurrence": index} if count > 1 else {"quote": quote}
        return {"quote": quote, "start": span.start, "end": span.end}

    def _fields(self, span: SpanAnn, event_id: str) -> dict[str, str]:
        allowed = FIELD_KEYS.get(span.label, ())
        if span.label not in FIELD_KEYS:
            return dict(span.fields)
        out = {}
        for key, value in span.fields.items():
            if key in allowed:
                out[key] = value
            else:
                self._finding(
                    S013,
                    span.line,
                    event_id,
                    field=key,
                    value=value,
                    detail=f"{span.id}: {key!r} is not a value of a {span.label} "
                    f"(known: {', '.join(allowed)})",
                )
        return out

    def _typed(self, span: SpanAnn, event_id: str, key: str, value: str, kind: type) -> Any:
        try:
            if kind is int:
                return int(value.replace(",", "").strip())
            if kind is float:
                return float(value)
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            what = {int: "a whole number", float: "a number", dt.date: "a date YYYY-MM-DD"}
            self._finding(
                S013,
                span.line,
                event_id,
                field=key,
                value=value,
                detail=f"{span.id}: {key}={value!r} is not {what[kind]}",
            )
            return None

    def _part(self, role: str, span: SpanAnn, event_id: str) -> BaseModel | None:
        fields = self._fields(span, event_id)
        data: dict[str, Any]
        model: type[BaseModel]
        if role in ("actor1", "actor2"):
            model = Actor
            data = {
                "code": fields.get("code"),
                "name": fields.get("name") or self.text[span.start : span.end] or None,
                **self._quote(span),
            }
            if not data["code"]:
                self._finding(S002, span.line, event_id, field=f"{role}.code", detail=None)
                return None
        elif role == "location":
            model = Location
            data = {key: fields.get(key) for key in ("name", "country", "adm1", "precision")}
            for key in ("latitude", "longitude"):
                if fields.get(key):
                    data[key] = self._typed(span, event_id, key, fields[key], float)
            data = {k: v for k, v in data.items() if v}
            data.setdefault("name", self.text[span.start : span.end] or None)
            data.update(self._quote(span))
        else:
            model = EventDate
            data = {
                "precision": fields.get("precision") or None,
                **self._quote(span, by_occurrence=True),
            }
            raw = fields.get("date") or fields.get("value")
            if raw and "/" in raw:
                first, _, last = raw.partition("/")
                data["start"] = self._typed(span, event_id, "date", first, dt.date)
                data["end"] = self._typed(span, event_id, "date", last, dt.date)
            elif raw:
                data["value"] = self._typed(span, event_id, "date", raw, dt.date)
            for key in ("start", "end"):
                if fields.get(key):
                    data[key] = self._typed(span, event_id, key, fields[key], dt.date)
            data = {k: v for k, v in data.items() if v is not None}
        return self._validate(model, data, span, event_id, role)

    def _validate(
        self,
        model: type[BaseModel],
        data: dict[str, Any],
        span: SpanAnn,
        event_id: str,
        role: str,
    ) -> BaseModel | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = ".".join([role, *(str(p) for p in error["loc"])])
                rule = S002 if error["type"] == "missing" else S003
                self._finding(
                    rule,
                    span.line,
                    event_id,
                    field=field,
                    value=_shown(error.get("input")),
                    detail=f"{span.id}: " + error["msg"].removeprefix("Value error, "),
                )
            return None

    def _figures(self, span: SpanAnn, event_id: str, fields: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key in ("count", "low", "best", "high"):
            if fields.get(key):
                value = self._typed(span, event_id, key, fields[key], int)
                if value is not None:
                    data[key] = value
        for key in ("who", "category"):
            if fields.get(key):
                data[key] = fields[key]
        return data

    def _casualty(self, span: SpanAnn, event_id: str, event: dict[str, Any]) -> Casualty | None:
        fields = self._fields(span, event_id)
        data = {
            "kind": fields.get("kind"),
            **self._figures(span, event_id, fields),
            **self._quote(span),
        }
        claimed = fields.get("claimed_by")
        if claimed:
            role = role_of(claimed)
            if role in ("actor1", "actor2"):
                actor = event.get(role)
                if actor is None:
                    self._finding(
                        S013,
                        span.line,
                        event_id,
                        field="claimed_by",
                        value=claimed,
                        detail=f"{span.id}: claimed by {claimed}, but the event has no {claimed}",
                    )
                else:
                    data["claimed_by"] = actor.code
            else:
                data["claimed_by"] = claimed
        breakdown = []
        for part in self._parts(span):
            part_fields = self._fields(part, event_id)
            item = self._validate(
                Breakdown,
                {**self._figures(part, event_id, part_fields), **self._quote(part)},
                part,
                event_id,
                "breakdown",
            )
            if item is not None:
                breakdown.append(item)
        if breakdown:
            data["breakdown"] = breakdown
        data = {k: v for k, v in data.items() if v is not None}
        result = self._validate(Casualty, data, span, event_id, "casualties")
        return result if isinstance(result, Casualty) else None

    def _parts(self, whole: SpanAnn) -> list[SpanAnn]:
        return [
            self.aset.spans[link.part]
            for link in self.parts_of.get(whole.id, [])
            if link.part in self.aset.spans and self.aset.spans[link.part].label == "Casualty"
        ]


def _local_id(raw_id: str) -> str:
    """A tool's annotation id as an event id our format accepts (letters, digits, ._-)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", raw_id)
    return cleaned if re.match(r"^[A-Za-z0-9]", cleaned) else f"x{cleaned}"


def _shown(value: Any) -> Any:
    return value if isinstance(value, str | int | float) else None


# --- article metadata sidecars ----------------------------------------------------------

ARTICLE_KEYS = ("id", "source", "url", "published", "language", "title")
META_SUFFIXES = (".meta.yaml", ".meta.yml", ".meta.json")


def read_sidecar(
    source: Path, display: str
) -> tuple[dict[str, Any], dict[str, int | None], str | None, list[Finding]]:
    """Read ``NAME.meta.yaml`` beside an annotation file: the article's metadata.

    Returns (fields, line of each field, the sidecar's display name, problems). The file
    holds the native format's ``article:`` mapping without the text (or the keys at top
    level). A missing sidecar gives empty fields, no problem.

    Example:
        >>> read_sidecar(Path("nowhere/a.ann"), "a.ann")[0]
        {}
    """
    stem = source.name[: -len(source.suffix)] if source.suffix else source.name
    for suffix in META_SUFFIXES:
        path = source.with_name(stem + suffix)
        if not path.exists():
            continue
        shown = str(Path(display).with_name(path.name))
        try:
            marked = load_marked(path.read_bytes().decode("utf-8").removeprefix("\ufeff"))
        except (OSError, UnicodeDecodeError) as exc:
            return {}, {}, shown, [S016.finding(source_file=shown, detail=f"cannot read: {exc}")]
        problems = [
            S015.finding(source_file=shown, source_line=p.line, detail=p.message)
            for p in marked.problems
        ]
        data = marked.data
        prefix: tuple[str, ...] = ()
        if isinstance(data, dict) and isinstance(data.get("article"), dict):
            data, prefix = data["article"], ("article",)
        if not isinstance(data, dict):
            problems.append(
                S016.finding(
                    source_file=shown, source_line=1, detail="expected a mapping of article fields"
                )
            )
            return {}, {}, shown, problems
        fields: dict[str, Any] = {}
        lines: dict[str, int | None] = {}
        for key, value in data.items():
            if key not in ARTICLE_KEYS:
                problems.append(
                    S013.finding(
                        source_file=shown,
                        source_line=marked.line_of((*prefix, key)),
                        field=str(key),
                        detail=f"unknown article field {key!r} (known: {', '.join(ARTICLE_KEYS)})",
                    )
                )
                continue
            fields[key] = value.isoformat() if isinstance(value, dt.date) else value
            lines[key] = marked.line_of((*prefix, key))
        return fields, lines, shown, problems
    return {}, {}, None, []


def slug(text: str) -> str:
    """A file name as an article id (letters, digits, ``._-``).

    Example:
        >>> slug("RT 2024/01 strikes.ann")
        'RT-2024-01-strikes.ann'
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    return cleaned or "article"


def sha256_of(*parts: bytes) -> str:
    """SHA-256 of the concatenated bytes (the content hash of a multi-file source).

    Example:
        >>> sha256_of(b"a", b"b") == sha256_of(b"ab")
        True
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


# --- coded datasets ---------------------------------------------------------------------


@dataclasses.dataclass
class CodedResult:
    """Our tables made from a coded-event dataset file, and what reading it found.

    ``metadata`` names the source and the schemes its values follow (written into the
    Parquet files' key-value metadata): ``tacitus.source_format``,
    ``tacitus.quad_class_scheme``, ``tacitus.goldstein_scheme``.
    """

    source_file: str
    format: str
    events: pl.DataFrame
    casualties: pl.DataFrame
    articles: pl.DataFrame
    problems: list[Finding]
    rows_read: int
    metadata: dict[str, str]


def load_asset_table(name: str) -> dict[str, str]:
    """A two-column tab-separated asset under ``assets/coded/`` as a dict (``#`` = comment).

    Example:
        >>> load_asset_table("fips_countries.tsv")["SF"]
        'ZAF'
    """
    from importlib import resources

    text = (
        resources.files("tacitus.convert")
        .joinpath(f"assets/coded/{name}")
        .read_text(encoding="utf-8")
    )
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, value = line.split("\t")[:2]
        table.setdefault(key, value)
    return table


# --- the registry -----------------------------------------------------------------------


class DocumentReader(Protocol):
    """Reads one source file into one LoadResult per article."""

    def __call__(self, path: Path, display_path: str | None = None) -> list[LoadResult]: ...


class CodedReader(Protocol):
    """Reads one coded-dataset file into our tables."""

    def __call__(self, path: Path, display_path: str | None = None) -> CodedResult: ...


def _native(path: Path, display_path: str | None = None) -> list[LoadResult]:
    from tacitus.convert.native import load_document

    return [load_document(path, display_path=display_path)]


def _brat(path: Path, display_path: str | None = None) -> list[LoadResult]:
    from tacitus.convert.brat import read_brat

    return read_brat(path, display_path=display_path)


def _labelstudio(path: Path, display_path: str | None = None) -> list[LoadResult]:
    from tacitus.convert.labelstudio import read_labelstudio

    return read_labelstudio(path, display_path=display_path)


def _inception(path: Path, display_path: str | None = None) -> list[LoadResult]:
    from tacitus.convert.inception import read_inception

    return read_inception(path, display_path=display_path)


def _gdelt(path: Path, display_path: str | None = None) -> CodedResult:
    from tacitus.convert.gdelt import read_gdelt

    return read_gdelt(path, display_path=display_path)


def _icews(path: Path, display_path: str | None = None) -> CodedResult:
    from tacitus.convert.icews import read_icews

    return read_icews(path, display_path=display_path)


def _ucdp(path: Path, display_path: str | None = None) -> CodedResult:
    from tacitus.convert.ucdp import read_ucdp

    return read_ucdp(path, display_path=display_path)


READERS: dict[str, DocumentReader] = {
    "native": _native,
    "brat": _brat,
    "labelstudio": _labelstudio,
    "inception": _inception,
}
"""Source format → reader of one file into LoadResults (imports the reader on first use)."""

CODED_READERS: dict[str, CodedReader] = {"gdelt": _gdelt, "icews": _icews, "ucdp": _ucdp}
"""Coded-dataset format → reader of one file into our tables."""

SOURCE_PATTERNS: dict[str, tuple[str, ...]] = {
    "native": tuple(f"*{s}" for s in NATIVE_SUFFIXES),
    "brat": ("*.ann",),
    "labelstudio": ("*.json",),
    "inception": ("*.xmi",),
}


def source_files(format: str, folder: Path) -> list[Path]:
    """The source files of ``format`` under ``folder`` (recursive, sorted, no sidecars).

    brat: the ``.ann`` files (each with its ``.txt``); Label Studio: ``.json`` exports;
    INCEpTION: ``.xmi`` files; native: ``.yaml``/``.yml``/``.json``. Sidecars
    (``*.meta.yaml``), hidden files and typesystem files are left out.

    Example:
        >>> [p.name for p in source_files("brat", Path("tests/data/readers/brat"))]
        ['broken.ann', 'caspian-courier.ann']
    """
    if format not in SOURCE_PATTERNS:
        raise UsageError(f"unknown source format {format!r} (known: {', '.join(SOURCE_PATTERNS)})")
    found: set[Path] = set()
    for pattern in SOURCE_PATTERNS[format]:
        for path in folder.rglob(pattern):
            name = path.name
            if (
                name.startswith(".")
                or any(name.endswith(s) for s in META_SUFFIXES)
                or any(part.startswith(".") for part in path.relative_to(folder).parts)
                or name.lower() in ("typesystem.xml",)
            ):
                continue
            if path.is_file():
                found.add(path)
    return sorted(found)


def read_documents(format: str, path: Path, display_path: str | None = None) -> list[LoadResult]:
    """Read one source file of an annotation format into LoadResults.

    Raises InputError when the file is not in that format at all (one line).

    Example:
        >>> rs = read_documents("brat", Path("tests/data/readers/brat/caspian-courier.ann"))
        >>> rs[0].document.article.id
        'caspian-courier-2024-01-18'
    """
    reader = READERS.get(format)
    if reader is None:
        raise UsageError(f"unknown annotation format {format!r} (known: {', '.join(READERS)})")
    return reader(path, display_path)


def read_coded(format: str, path: Path, display_path: str | None = None) -> CodedResult:
    """Read one coded-dataset file (gdelt, icews, ucdp) into our tables.

    Example:
        >>> r = read_coded("ucdp", Path("tests/data/readers/ucdp/ged-sample.csv"))
        >>> r.metadata["tacitus.source_format"], r.events.height > 0
        ('ucdp', True)
    """
    reader = CODED_READERS.get(format)
    if reader is None:
        raise UsageError(f"unknown coded format {format!r} (known: {', '.join(CODED_READERS)})")
    return reader(path, display_path)


FORMAT_NAMES = {
    "native": "a native annotation file",
    "brat": "brat standoff (.ann + .txt)",
    "labelstudio": "a Label Studio JSON export",
    "inception": "INCEpTION UIMA CAS XMI",
    "gdelt": "a GDELT 2.0 events file",
    "icews": "an ICEWS events file",
    "ucdp": "a UCDP GED CSV file",
}


def not_this_format(path: Path | str, format: str, why: str) -> InputError:
    """The one-line error for a file that is not in the format --from named.

    Example:
        >>> str(not_this_format("x.json", "brat", "no .ann"))
        'x.json is not brat standoff (.ann + .txt): no .ann'
    """
    return InputError(f"{path} is not {FORMAT_NAMES.get(format, format)}: {why}")
