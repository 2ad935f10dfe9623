"""Read a native annotation file (YAML or JSON, DESIGN.md §3) into a Document.

Problems never raise: a file with bad YAML, missing fields, wrong types or quotes not in
the text comes back with *all* of them as findings, each with file and line. Quotes are
resolved to Python character offsets (``Quoted.span``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tacitus.convert.yamlmarks import Marked, load_marked
from tacitus.schema.document import Document, Quoted, quoted_fields
from tacitus.schema.rules import (
    E001,
    E002,
    E003,
    E004,
    S001,
    S002,
    S003,
    S004,
    S005,
    S006,
    Finding,
    sort_findings,
)

NATIVE_SUFFIXES = (".yaml", ".yml", ".json")
_STRAIGHTEN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclasses.dataclass(frozen=True)
class RawEvent:
    """An event as written, before validation: enough to account for it if rejected."""

    id: str | None
    line: int | None


@dataclasses.dataclass
class LoadResult:
    """What reading one annotation file gave: the document (if valid) and every problem."""

    source_file: str
    document: Document | None
    problems: list[Finding]
    raw_events: list[RawEvent]
    article_id: str | None
    content_sha256: str

    @property
    def ok(self) -> bool:
        """True when the document loaded and no problem is an error."""
        return self.document is not None and not any(p.severity == "error" for p in self.problems)


def load_document(path: str | Path, *, display_path: str | None = None) -> LoadResult:
    """Read one annotation file; never raises for problems in the file.

    ``display_path`` is the name findings use (e.g. relative to the dataset folder).

    Example:
        >>> r = load_document("datasets/iran-pakistan-2024/articles/missing.yaml")
        >>> r.document is None, r.problems[0].rule
        (True, 'S001')
    """
    path = Path(path)
    name = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problem = S001.finding(source_file=name, detail=exc.strerror or str(exc))
        return LoadResult(name, None, [problem], [], None, "")
    return load_document_bytes(raw, name, base_dir=path.parent)


def load_document_bytes(raw: bytes, name: str, *, base_dir: Path | None = None) -> LoadResult:
    """Read an annotation file's bytes (see :func:`load_document`).

    Example:
        >>> r = load_document_bytes(b"article: {id: a1}\\n", "a.yaml")
        >>> sorted({p.rule for p in r.problems})
        ['S002']
    """
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = S001.finding(
            source_file=name, source_line=line, detail=f"not UTF-8 (byte {exc.start})"
        )
        return LoadResult(name, None, [problem], [], None, digest)
    text = text.removeprefix("\ufeff")
    marked = load_marked(text)
    problems = [
        (S003 if p.path else S001).finding(
            source_file=name, source_line=p.line, field=_dotted(p.path), detail=p.message
        )
        for p in marked.problems
    ]
    if marked.data is None and not problems:
        problems.append(S001.finding(source_file=name, source_line=1, detail="the file is empty"))
    if problems and marked.data is None:
        return LoadResult(name, None, problems, [], None, digest)
    data = marked.data
    raw_events = _raw_events(data, marked)
    article_id = _article_id(data)
    if not isinstance(data, dict):
        problems.append(
            S003.finding(
                source_file=name, source_line=1, field="(file)", detail="expected a mapping"
            )
        )
        return LoadResult(name, None, problems, raw_events, article_id, digest)

    _read_text_file(data, marked, name, base_dir, problems)
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        problems.extend(_validation_findings(exc, marked, name, data))
        # The model failed, but a quote missing from the text is still worth reporting now,
        # so the annotator sees every problem of the file in one pass.
        problems.extend(_raw_missing_quotes(data, marked, name))
        problems = sort_findings(unique_findings(problems))
        return LoadResult(name, None, problems, raw_events, article_id, digest)

    document._source_file = name
    _attach_lines(document, (), marked)
    problems.extend(duplicate_event_ids(document, name))
    problems.extend(resolve_quotes(document, marked, name))
    return LoadResult(name, document, unique_findings(problems), raw_events, article_id, digest)


def resolve_quotes(document: Document, marked: Marked | None, name: str) -> list[Finding]:
    """Resolve every quote in the document to character offsets; problems as findings.

    Example:
        >>> doc = Document.model_validate({"article": {"id": "a", "source": "s",
        ...     "published": "2024-01-18", "text": "Iran and Iran"},
        ...     "events": [{"id": "e1", "code": "195", "quote": "Iran", "occurrence": 2}]})
        >>> resolve_quotes(doc, None, "a.yaml"), doc.events[0].span
        ([], (9, 13))
    """
    text = document.text
    article_id = document.article.id
    findings: list[Finding] = []
    for i, event in enumerate(document.events):
        event_id = f"{article_id}/{event.id}"
        for field, part in quoted_fields(event):
            path = _field_path(i, field)
            line = marked.line_of((*path, "quote")) if marked else part.line
            problem = _resolve_one(text, part)
            if problem is not None:
                rule, values = problem
                findings.append(
                    rule.finding(
                        source_file=name,
                        source_line=line,
                        table="evidence",
                        event_id=event_id,
                        article_id=article_id,
                        field=field,
                        value=part.quote,
                        **values,
                    )
                )
    return findings


def _raw_missing_quotes(data: dict[str, Any], marked: Marked, name: str) -> list[Finding]:
    """E001 for quotes of a document that failed its model (checked on the raw values)."""
    article = data.get("article")
    text = article.get("text") if isinstance(article, dict) else None
    events = data.get("events")
    if not isinstance(text, str) or not isinstance(events, list):
        return []
    findings: list[Finding] = []

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, (*path, i))
            return
        if not isinstance(node, dict):
            return
        quote, prefix, suffix = node.get("quote"), node.get("prefix"), node.get("suffix")
        if (
            isinstance(quote, str)
            and quote
            and "start" not in node
            and (prefix is None or isinstance(prefix, str))
            and (suffix is None or isinstance(suffix, str))
            and not _find_all(text, quote, prefix, suffix)
        ):
            part = Quoted.model_construct(quote=quote, prefix=prefix, suffix=suffix)
            findings.append(
                E001.finding(
                    source_file=name,
                    source_line=marked.line_of((*path, "quote")),
                    table="evidence",
                    field=_dotted(path),
                    value=quote,
                    detail=_near_miss(text, quote, part),
                )
            )
        for key, value in node.items():
            walk(value, (*path, key))

    walk(events, ("events",))
    return findings


def _resolve_one(text: str, part: Quoted) -> tuple[Any, dict[str, Any]] | None:
    quote = part.quote
    offsets = part.offsets()
    if quote is None:
        if offsets is not None:
            start, end = offsets
            if end > len(text):
                return E003, {"start": start, "end": end, "found": text[start:end]}
            part._span = offsets
        return None
    if offsets is not None:
        start, end = offsets
        found = text[start:end]
        if found != quote:
            return E003, {"start": start, "end": end, "found": found}
        part._span = offsets
        return None
    positions = _find_all(text, quote, part.prefix, part.suffix)
    if not positions:
        return E001, {"detail": _near_miss(text, quote, part)}
    if part.occurrence is not None:
        if part.occurrence > len(positions):
            return E004, {"occurrence": part.occurrence, "count": len(positions)}
        start = positions[part.occurrence - 1]
    else:
        start = positions[0]
        if len(positions) > 1:
            part._span = (start, start + len(quote))
            return E002, {"count": len(positions)}
    part._span = (start, start + len(quote))
    return None


def _find_all(text: str, quote: str, prefix: str | None, suffix: str | None) -> list[int]:
    positions = []
    at = text.find(quote)
    while at != -1:
        end = at + len(quote)
        if (prefix is None or text.endswith(prefix, 0, at)) and (
            suffix is None or text.startswith(suffix, end)
        ):
            positions.append(at)
        at = text.find(quote, at + 1)
    return positions


def _near_miss(text: str, quote: str, part: Quoted) -> str:
    """A hint for a quote that is not found: a case or whitespace difference."""
    if (part.prefix is not None or part.suffix is not None) and quote in text:
        return " with the given prefix/suffix"
    lowered = text.lower().find(quote.lower())
    if lowered != -1:
        return f" (differs in case from {text[lowered : lowered + len(quote)]!r})"
    squashed = " ".join(quote.split())
    if squashed != quote and squashed in text:
        return " (differs only in whitespace)"
    straightened = text.translate(_STRAIGHTEN)
    if quote.translate(_STRAIGHTEN) in straightened and quote not in text:
        return " (the text and the quote differ in curly/straight quotes)"
    return ""


def _attach_lines(model: BaseModel, path: tuple[str | int, ...], marked: Marked) -> None:
    """Set each model's source line (private attribute) from the line map."""
    model_type = type(model)
    if "_line" in model_type.__private_attributes__:
        line = marked.lines.get(path)
        model._line = line if line is not None else marked.line_of(path)  # type: ignore[attr-defined]
    values = model.__dict__
    for name in _nested_fields(model_type):
        value = values.get(name)
        if isinstance(value, BaseModel):
            _attach_lines(value, (*path, name), marked)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _attach_lines(item, (*path, name, i), marked)


_NESTED: dict[type[BaseModel], tuple[str, ...]] = {}


def _nested_fields(model_type: type[BaseModel]) -> tuple[str, ...]:
    """Names of the fields of a model class that can hold models (or lists of them)."""
    names = _NESTED.get(model_type)
    if names is None:
        names = tuple(
            name
            for name, field in model_type.model_fields.items()
            if _may_hold_model(field.annotation)
        )
        _NESTED[model_type] = names
    return names


def _may_hold_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold_model(arg) for arg in typing.get_args(annotation))


def _read_text_file(
    data: dict[str, Any], marked: Marked, name: str, base_dir: Path | None, problems: list[Finding]
) -> None:
    article = data.get("article")
    if not isinstance(article, dict) or not isinstance(article.get("text_file"), str):
        return
    line = marked.line_of(("article", "text_file"))
    if article.get("text") is not None:
        return  # the model reports "text or text_file, not both"
    target = (base_dir or Path(".")) / article.pop("text_file")
    try:
        article["text"] = target.read_bytes().decode("utf-8")
    except OSError as exc:
        problems.append(
            S005.finding(source_file=name, source_line=line, detail=f"{target}: {exc.strerror}")
        )
        article["text"] = ""
    except UnicodeDecodeError:
        problems.append(
            S005.finding(source_file=name, source_line=line, detail=f"{target} is not UTF-8")
        )
        article["text"] = ""


def _validation_findings(
    exc: ValidationError, marked: Marked, name: str, data: dict[str, Any]
) -> list[Finding]:
    article_id = _article_id(data)
    findings = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        field = _dotted(loc)
        event_id = _event_id_at(data, loc, article_id)
        common: dict[str, Any] = {
            "source_file": name,
            "table": "events" if loc[:1] == ("events",) else "articles",
            "event_id": event_id,
            "article_id": article_id,
            "field": field,
        }
        if kind == "missing":
            findings.append(S002.finding(source_line=marked.line_of(loc[:-1]), **common))
        elif kind == "extra_forbidden":
            findings.append(S004.finding(source_line=marked.line_of(loc), **common))
        else:
            message = error["msg"].removeprefix("Value error, ")
            value = error.get("input")
            shown = value if isinstance(value, str | int | float) else None
            findings.append(
                S003.finding(
                    source_line=marked.line_of(loc),
                    value=shown,
                    detail=_explain(message, value),
                    **common,
                )
            )
    return findings


def _explain(message: str, value: Any) -> str:
    if isinstance(value, int) and "valid string" in message:
        return f'{message} (write it in quotes, e.g. "{value:03d}")'
    return message


def duplicate_event_ids(document: Document, name: str) -> list[Finding]:
    """S006 for each event whose id an earlier event of the document already uses.

    Example:
        >>> doc = Document.model_validate({"article": {"id": "a", "source": "s",
        ...     "published": "2024-01-18", "text": "x"},
        ...     "events": [{"id": "e1", "code": "195"}, {"id": "e1", "code": "190"}]})
        >>> [(f.rule, f.event_id) for f in duplicate_event_ids(doc, "a.yaml")]
        [('S006', 'a/e1')]
    """
    seen: set[str] = set()
    findings = []
    for event in document.events:
        if event.id in seen:
            findings.append(
                S006.finding(
                    source_file=name,
                    source_line=event.line,
                    table="events",
                    article_id=document.article.id,
                    event_id=f"{document.article.id}/{event.id}",
                    field="id",
                    value=event.id,
                )
            )
        seen.add(event.id)
    return findings


def _field_path(event_index: int, field: str) -> tuple[str | int, ...]:
    """Map an evidence field name (``casualties[0].breakdown[1]``) to a line-map path."""
    path: list[str | int] = ["events", event_index]
    if field == "event":
        return tuple(path)
    for piece in field.split("."):
        if "[" in piece:
            key, index = piece.rstrip("]").split("[")
            path.extend([key, int(index)])
        else:
            path.append(piece)
    return tuple(path)


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for piece in loc:
        if isinstance(piece, int):
            out += f"[{piece}]"
        else:
            out += f".{piece}" if out else str(piece)
    return out or "(file)"


def _article_id(data: Any) -> str | None:
    if isinstance(data, dict) and isinstance(data.get("article"), dict):
        value = data["article"].get("id")
        return str(value) if value is not None else None
    return None


def _event_id_at(
    data: dict[str, Any], loc: tuple[str | int, ...], article_id: str | None
) -> str | None:
    if len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
        events = data.get("events")
        if isinstance(events, list) and loc[1] < len(events) and isinstance(events[loc[1]], dict):
            local = events[loc[1]].get("id")
            if local is not None:
                return f"{article_id}/{local}"
    return None


def _raw_events(data: Any, marked: Marked) -> list[RawEvent]:
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        return []
    out = []
    for i, item in enumerate(data["events"]):
        local = item.get("id") if isinstance(item, dict) else None
        out.append(RawEvent(None if local is None else str(local), marked.line_of(("events", i))))
    return out


def unique_findings(findings: list[Finding]) -> list[Finding]:
    """The findings without repeats, in their first order.

    Example:
        >>> f = S001.finding(source_file="a.yaml", detail="x")
        >>> len(unique_findings([f, f]))
        1
    """
    seen = set()
    out = []
    for finding in findings:
        if finding not in seen:
            seen.add(finding)
            out.append(finding)
    return out
