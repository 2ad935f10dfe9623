"""Read a Label Studio JSON export (the full "JSON" export, a list of tasks).

Each task is one article: ``data.text`` is the text and ``data`` also carries the article's
metadata (``article_id``, ``source``, ``published``, ``url``, ``title``, ``language``).
With the labelling config we ship (``assets/labelstudio/config.xml``), an annotation's
``result`` holds:

* ``labels`` regions (``value``: ``start``, ``end``, ``text``, ``labels``) labelled
  ``Event``, ``Actor``, ``Date``, ``Location`` or ``Casualty`` (a region labelled with a
  CAMEO code, ``195``, is an event too);
* per-region ``textarea``/``choices`` results with the region's ``id``: ``code`` (the CAMEO
  code of an Event), ``kind``, ``category``, ``claimed_by``, ``date_precision``,
  ``geo_precision`` and ``values`` (a note: ``code=PAKMIL``, ``low=3; high=9`` ...);
* ``relation`` results (``from_id``, ``to_id``, ``labels``) from an Event region to its
  arguments, labelled with the role (Actor1, Actor2, Location, Date, Casualty), and
  ``PartOf`` from a breakdown Casualty to its total.

Offsets are JavaScript string indices (UTF-16 code units) in most Label Studio versions and
code points in some; each region is read in whichever unit makes ``text[start:end]`` equal
the region's ``value.text``, and a region neither fits is a finding. Event ids are the
region ids. Source lines are those of the JSON file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tacitus.convert.native import LoadResult
from tacitus.convert.offsets import OffsetMap, resolve_span
from tacitus.convert.readers import (
    ARTICLE_KEYS,
    S011,
    S012,
    S013,
    S014,
    S015,
    AnnotationSet,
    EventAnn,
    LinkAnn,
    SpanAnn,
    assemble,
    normalise_key,
    not_this_format,
    parse_note,
    sha256_of,
    slug,
    span_label,
)
from tacitus.convert.yamlmarks import Marked, load_marked

_NOTE_FIELDS = ("values", "value", "notes", "note", "details")


def read_labelstudio(path: str | Path, *, display_path: str | None = None) -> list[LoadResult]:
    """Read a Label Studio JSON export: one LoadResult per task.

    Example:
        >>> rs = read_labelstudio("tests/data/readers/labelstudio/export.json")
        >>> [r.article_id for r in rs][:1], rs[0].problems
        (['meridian-wire-2024-01-18'], [])
    """
    path = Path(path)
    name = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise not_this_format(path, "labelstudio", exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise not_this_format(path, "labelstudio", f"not UTF-8 (byte {exc.start})") from None
    digest = sha256_of(raw)
    cut: LoadResult | None = None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        recovered = _complete_tasks(text, exc, name, digest)
        if recovered is None:
            raise not_this_format(path, "labelstudio", f"not JSON ({exc})") from None
        text, data, cut = recovered
    if isinstance(data, dict) and "data" in data:
        data = [data]
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise not_this_format(path, "labelstudio", "expected the JSON export: a list of tasks")
    if data and not any("data" in t or "annotations" in t for t in data):
        why = "a list without tasks"
        if all("text" in t for t in data):
            why = "this looks like the JSON-MIN export; export as JSON"
        raise not_this_format(path, "labelstudio", why)
    marked = _marked(text)
    results = [_task(i, task, marked, name, digest) for i, task in enumerate(data)]
    return [*results, cut] if cut is not None else results


_TASK_KEY = re.compile(r'"(?:data|annotations|completions)"\s*:')


def _complete_tasks(
    text: str, error: json.JSONDecodeError, name: str, digest: str
) -> tuple[str, list[Any], LoadResult] | None:
    """The tasks before a JSON error in an export (a truncated or damaged file).

    Returns (the text of the complete tasks as a JSON list, with the lines where they
    were, those tasks, a LoadResult holding the finding for the rest), or None when the
    text is not a list of tasks at all (then it is the wrong format).
    """
    start = len(text) - len(text.lstrip())
    if not text.startswith("[", start) or not _TASK_KEY.search(text):
        return None
    decoder = json.JSONDecoder()
    tasks: list[Any] = []
    pos = start + 1
    end_of_last = pos
    failure: json.JSONDecodeError | None = None
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if tasks and text.startswith(",", pos):
            pos += 1
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
        try:
            task, after = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            failure = exc
            break
        if not isinstance(task, dict):
            return None
        tasks.append(task)
        pos = end_of_last = after
    if tasks and not any("data" in t or "annotations" in t for t in tasks):
        return None
    failure = failure or error
    broken_line = text.count("\n", 0, pos) + 1
    at_end = not text[failure.pos :].strip()
    what = (
        "the file ends inside this task (truncated?)"
        if at_end
        else f"JSON error at line {failure.lineno} column {failure.colno}: {failure.msg}"
    )
    problem = S015.finding(
        source_file=name,
        source_line=broken_line,
        field=f"task {len(tasks) + 1}",
        detail=f"task {len(tasks) + 1} cannot be read: {what}; the {len(tasks)} task(s) "
        "before it are converted, this one and any after it are not",
    )
    rest = LoadResult(name, None, [problem], [], None, digest)
    return text[:end_of_last] + "\n]", tasks, rest


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _marked(text: str) -> Marked | None:
    """Line numbers of the JSON values (YAML reads JSON); None if the YAML reader balks.

    JSON written with ``ensure_ascii`` escapes an emoji as a surrogate pair
    (``\\ud83d\\ude00``), which YAML refuses; only the lines are wanted here (the values
    come from the JSON parser), so such escapes are blanked first.
    """
    marked = load_marked(_SURROGATE_ESCAPE.sub(r"\\ufffd", text))
    return None if marked.problems or marked.data is None else marked


def _line(marked: Marked | None, *path: str | int) -> int | None:
    return marked.line_of(path) if marked is not None else None


def _task(
    index: int, task: dict[str, Any], marked: Marked | None, name: str, digest: str
) -> LoadResult:
    task_line = _line(marked, index)
    task_data = task.get("data")
    if not isinstance(task_data, dict) or not isinstance(task_data.get("text"), str):
        problem = S015.finding(
            source_file=name,
            source_line=task_line,
            field="data.text",
            detail=f"task {task.get('id', index)} has no data.text",
        )
        return LoadResult(name, None, [problem], [], None, digest)
    text: str = task_data["text"]
    article, article_lines = _article(task, index, marked)
    aset = AnnotationSet(
        name=name,
        text=text,
        article=article,
        article_line=task_line,
        spans={},
        events=[],
        links=[],
        problems=[],
        content_sha256=sha256_of(json.dumps(task, sort_keys=True).encode("utf-8")),
        article_lines=article_lines,
    )
    chosen = _choose(task, index, marked, aset)
    if chosen is not None:
        number, annotation = chosen
        _results(annotation.get("result") or [], (index, "annotations", number), marked, aset)
    return assemble(aset)


def _article(
    task: dict[str, Any], index: int, marked: Marked | None
) -> tuple[dict[str, Any], dict[str, int | None]]:
    data = task["data"]
    source = data.get("article") if isinstance(data.get("article"), dict) else data
    prefix: tuple[str, ...] = ("data", "article") if source is not data else ("data",)
    article: dict[str, Any] = {}
    lines: dict[str, int | None] = {}
    for key in ARTICLE_KEYS:
        wanted = "article_id" if key == "id" else key
        for candidate in (wanted, key) if key == "id" else (key,):
            if candidate in source and source[candidate] is not None:
                article[key] = source[candidate]
                lines[key] = _line(marked, index, *prefix, candidate)
                break
    if "id" not in article:
        article["id"] = slug(f"task-{task.get('id', index + 1)}")
    elif not isinstance(article["id"], str):
        article["id"] = str(article["id"])
    return article, lines


def _choose(
    task: dict[str, Any], index: int, marked: Marked | None, aset: AnnotationSet
) -> tuple[int, dict[str, Any]] | None:
    annotations = task.get("annotations")
    if annotations is None:
        annotations = task.get("completions") or []  # exports before Label Studio 1.0
    usable = [
        (i, a)
        for i, a in enumerate(annotations)
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if not usable:
        return None
    truth = [(i, a) for i, a in usable if a.get("ground_truth")]
    number, chosen = (truth or usable)[-1]
    if len(usable) > 1:
        aset.problems.append(
            S015.finding(
                source_file=aset.name,
                source_line=_line(marked, index, "annotations", number),
                severity="warning",
                article_id=str(aset.article.get("id")),
                detail=f"task {task.get('id', index)} has {len(usable)} annotations; annotation "
                f"{chosen.get('id', number)} is used ({'ground truth' if truth else 'the last'})",
            )
        )
    return number, chosen


def _results(
    results: list[Any], base: tuple[str | int, ...], marked: Marked | None, aset: AnnotationSet
) -> None:
    offsets = OffsetMap(aset.text)
    extras: list[tuple[int | None, dict[str, Any]]] = []
    relations: list[tuple[int | None, dict[str, Any]]] = []
    for k, item in enumerate(results):
        line = _line(marked, *base, "result", k)
        if not isinstance(item, dict):
            aset.problems.append(
                S015.finding(
                    source_file=aset.name, source_line=line, detail="a result that is not an object"
                )
            )
            continue
        kind = item.get("type")
        if kind == "relation":
            relations.append((line, item))
        elif kind == "labels":
            _region(item, line, offsets, aset)
        elif kind in ("textarea", "choices", "number", "rating", "taxonomy"):
            extras.append((line, item))
        else:
            aset.problems.append(
                S015.finding(
                    source_file=aset.name,
                    source_line=line,
                    field=str(item.get("from_name")),
                    severity="warning",
                    detail=f"result type {kind!r} is not used by the CAMEO config",
                )
            )
    for line, item in extras:
        _extra(item, line, aset)
    events = {ev.id: ev for ev in aset.events}
    for line, item in relations:
        _relation(item, line, aset, events)


def _region(
    item: dict[str, Any], line: int | None, offsets: OffsetMap, aset: AnnotationSet
) -> None:
    value = _value(item)
    ident = str(item.get("id"))
    start, end = value.get("start"), value.get("end")
    labels = value.get("labels") or []
    if not isinstance(start, int) or not isinstance(end, int) or not labels:
        aset.bad_spans.add(ident)
        aset.problems.append(
            S015.finding(
                source_file=aset.name,
                source_line=line,
                field=ident,
                detail=f"region {ident} has no character offsets or no label (Text regions only)",
            )
        )
        return
    written = value.get("text") if isinstance(value.get("text"), str) else None
    resolved = resolve_span(offsets, start, end, written, prefer="utf16")
    if resolved is None:
        aset.bad_spans.add(ident)
        shown = aset.text[start:end] if 0 <= start <= end <= len(aset.text) else "(outside)"
        aset.problems.append(
            S012.finding(
                source_file=aset.name,
                source_line=line,
                field=ident,
                value=written,
                detail=f"region {ident}: offsets {start}:{end} give {shown!r}, not the region's "
                f"text {written!r}, as UTF-16 units or as code points",
            )
        )
        return
    label = str(labels[0])
    if len(labels) > 1:
        aset.problems.append(
            S013.finding(
                source_file=aset.name,
                source_line=line,
                field=ident,
                detail=f"region {ident} has {len(labels)} labels; {label!r} is used",
            )
        )
    canonical = span_label(label)
    if canonical is not None:
        aset.spans[ident] = SpanAnn(ident, canonical, resolved.start, resolved.end, line)
        return
    aset.spans[ident] = SpanAnn(ident, "Event", resolved.start, resolved.end, line)
    code = None if label.lower() == "event" else label
    aset.events.append(EventAnn(ident, code, ident, line, [], line))


def _value(item: dict[str, Any]) -> dict[str, Any]:
    """A result's ``value`` object (empty when missing or not an object)."""
    value = item.get("value")
    return value if isinstance(value, dict) else {}


def _extra(item: dict[str, Any], line: int | None, aset: AnnotationSet) -> None:
    ident = str(item.get("id"))
    value = _value(item)
    key = normalise_key(str(item.get("from_name", "")))
    kind = item.get("type")
    pieces = value.get(kind) if kind in ("choices", "number", "rating", "taxonomy") else None
    if kind == "textarea":
        pieces = value.get("text")
    if isinstance(pieces, list):
        written = "; ".join(str(p) for p in pieces)
    else:
        written = "" if pieces is None else str(pieces)
    span = aset.spans.get(ident)
    if span is None:
        if ident not in aset.bad_spans:
            aset.problems.append(
                S011.finding(
                    source_file=aset.name,
                    source_line=line,
                    field=key,
                    value=written,
                    detail=f"{item.get('from_name')} result belongs to region {ident}, which "
                    "does not exist (deleted region?)",
                )
            )
        return
    if span.label == "Event":
        event = next(ev for ev in aset.events if ev.id == ident)
        if key == "code" or key in _NOTE_FIELDS:
            fields, _ = parse_note("Event", written)
            if fields.get("code"):
                event.code, event.code_line = fields["code"], line
                return
    if key in _NOTE_FIELDS:
        fields, errors = parse_note(span.label, written)
        for error in errors:
            aset.problems.append(
                S013.finding(
                    source_file=aset.name,
                    source_line=line,
                    field=ident,
                    detail=f"region {ident}: {error}",
                )
            )
        span.fields.update(fields)
    else:
        span.fields[key] = written.strip()


def _relation(
    item: dict[str, Any], line: int | None, aset: AnnotationSet, events: dict[str, EventAnn]
) -> None:
    source, target = str(item.get("from_id")), str(item.get("to_id"))
    if item.get("direction") == "left":
        source, target = target, source
    labels = [str(label) for label in item.get("labels") or []]
    for end in (source, target):
        if end not in aset.spans and end not in aset.bad_spans:
            aset.problems.append(
                S011.finding(
                    source_file=aset.name,
                    source_line=line,
                    value=end,
                    field="/".join(labels) or "relation",
                    detail=f"relation {source} -> {target} points at region {end}, which does "
                    "not exist (deleted region?)",
                )
            )
            return
        if end in aset.bad_spans:
            return
    if not labels:
        aset.problems.append(
            S014.finding(
                source_file=aset.name,
                source_line=line,
                detail=f"relation {source} -> {target} has no role label",
            )
        )
        return
    label = labels[0]
    if label.replace("_", "").lower() in ("partof", "breakdown"):
        aset.links.append(LinkAnn(source, target, line))
        return
    if source not in events and target in events:
        source, target = target, source  # drawn from the argument to the event
    event = events.get(source)
    if event is None:
        aset.problems.append(
            S014.finding(
                source_file=aset.name,
                source_line=line,
                field=label,
                detail=f"relation {label} {source} -> {target} does not start at an Event region",
            )
        )
        return
    event.args.append((label, target, line))
