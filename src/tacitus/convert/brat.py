"""Read brat standoff annotation (``NAME.txt`` + ``NAME.ann``) into a Document.

The CAMEO configuration we ship (``assets/brat/annotation.conf`` and ``visual.conf``)
defines text-bound entities ``Actor``, ``Date``, ``Location`` and ``Casualty``; event types
``E010`` … ``E2042`` (CAMEO codes; a type may also be written ``195`` or by name,
``Employ_aerial_weapons``) with roles ``Actor1``, ``Actor2``, ``Location``, ``Date`` and
``Casualty``; a ``PartOf`` relation from a breakdown figure to its total; and attributes
``DatePrecision``, ``GeoPrecision``, ``CasualtyKind``, ``Category`` and ``ClaimedBy``.
Values no closed list can hold go in the span's note (``#`` line, "AnnotatorNotes"):
``PAKMIL`` or ``code=PAKMIL`` on an Actor, ``7`` or ``low=3; high=9`` on a Casualty,
``2024-01-18`` or ``2024-01-15/2024-01-21`` on a Date, ``country=IRN; adm1=...`` on a
Location. A normalization (``N`` line) to the database ``CAMEO`` also gives an actor code.

brat offsets are Python code points (brat is a Python program); a file whose offsets only
fit as UTF-16 code units (brat run on a narrow Python 2 build) is converted, with a warning.
Annotation ids are kept: the event ``E3`` becomes event id ``E3``. Discontinuous spans
(``T1 Casualty 0 5;10 15``) are read as the extent from the first to the last fragment.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from tacitus.convert.native import LoadResult, RawEvent
from tacitus.convert.offsets import OffsetMap
from tacitus.convert.readers import (
    S012,
    S013,
    S015,
    S016,
    AnnotationSet,
    EventAnn,
    LinkAnn,
    SpanAnn,
    assemble,
    normalise_key,
    not_this_format,
    parse_note,
    read_sidecar,
    sha256_of,
    slug,
    span_label,
)
from tacitus.schema.rules import S001

_TEXT_BOUND = re.compile(r"^(T\S*)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_EVENT = re.compile(r"^(E\S*)\t(\S+?):(\S+)((?: +\S+:\S+)*) *$")
_RELATION = re.compile(r"^(R\S*)\t(\S+) +(\S+):(\S+) +(\S+):(\S+) *$")
_ATTRIBUTE = re.compile(r"^([AM]\S*)\t(\S+) +(\S+)(?: +(\S+))? *$")
_NORMALIZATION = re.compile(r"^(N\S*)\t(\S+) +(\S+) +([^:\s]+):(\S+)(?:\t(.*))?$")
_NOTE = re.compile(r"^(#\S*)\t(\S+) +(\S+)\t?(.*)$")
_EQUIV = re.compile(r"^\*\t\S+( +\S+)+ *$")
_ID = re.compile(r"^[TERAMN#*]\S*\t")


def read_brat(path: str | Path, *, display_path: str | None = None) -> list[LoadResult]:
    """Read ``NAME.ann`` (or ``NAME.txt``) and its partner into one LoadResult.

    The article's metadata (id, source, published, ...) comes from ``NAME.meta.yaml``
    beside them; without it the article id is the file name and a finding asks for the
    rest.

    Example:
        >>> r, = read_brat("tests/data/readers/brat/caspian-courier.ann")
        >>> [e.id for e in r.document.events][:2], r.problems
        (['E1', 'E2'], [])
    """
    path = Path(path)
    if path.suffix not in (".ann", ".txt"):
        raise not_this_format(path, "brat", "expected NAME.ann with NAME.txt beside it")
    ann_path, txt_path = path.with_suffix(".ann"), path.with_suffix(".txt")
    name = display_path or str(ann_path)
    if display_path and path.suffix == ".txt":
        name = str(Path(display_path).with_suffix(".ann"))
    try:
        ann_bytes = ann_path.read_bytes()
    except OSError as exc:
        raise not_this_format(ann_path, "brat", exc.strerror or str(exc)) from None
    try:
        ann = ann_bytes.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise not_this_format(ann_path, "brat", f"not UTF-8 (byte {exc.start})") from None
    lines = ann.splitlines()
    if any(line.strip() for line in lines) and not any(_ID.match(line) for line in lines):
        raise not_this_format(ann_path, "brat", "no line is a brat annotation (T1<TAB>...)")
    try:
        txt_bytes = txt_path.read_bytes()
        text = txt_bytes.decode("utf-8")
    except OSError as exc:
        problem = S001.finding(source_file=name, detail=f"{txt_path.name}: {exc.strerror}")
        return [LoadResult(name, None, [problem], [], None, sha256_of(ann_bytes))]
    except UnicodeDecodeError as exc:
        problem = S001.finding(
            source_file=name, detail=f"{txt_path.name} is not UTF-8 (byte {exc.start})"
        )
        return [LoadResult(name, None, [problem], [], None, sha256_of(ann_bytes))]

    article, article_lines, meta_name, problems = read_sidecar(ann_path, name)
    article.setdefault("id", slug(ann_path.stem))
    aset = AnnotationSet(
        name=name,
        text=text,
        article=article,
        article_line=1 if meta_name else None,
        spans={},
        events=[],
        links=[],
        problems=problems,
        content_sha256=sha256_of(ann_bytes, b"\0", txt_bytes),
        article_lines=article_lines,
        article_file=meta_name or name,
    )
    if meta_name is None:
        aset.problems.append(
            S016.finding(
                source_file=name,
                table="articles",
                field="article",
                detail=f"no {ann_path.stem}.meta.yaml beside {ann_path.name}: the "
                "article's source and publication date are unknown",
            )
        )
    _parse(lines, aset)
    return [assemble(aset)]


def _parse(lines: list[str], aset: AnnotationSet) -> None:
    offsets = OffsetMap(aset.text)
    converted = False
    names = event_names()
    # Attributes and notes may come before the span they qualify: apply them afterwards.
    pending: list[tuple[int, str, str, dict[str, str], list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if match := _TEXT_BOUND.match(line):
            span, utf16 = _text_bound(match, number, offsets, aset)
            converted = converted or utf16
            if span is not None:
                aset.spans[span.id] = span
        elif match := _EVENT.match(line):
            ident, kind, trigger, rest = match.groups()
            args = [tuple(piece.split(":", 1)) for piece in rest.split()]
            code = names.get(_name_key(kind), kind)
            aset.events.append(
                EventAnn(
                    ident,
                    code,
                    trigger,
                    number,
                    [(role, target, number) for role, target in args],
                    number,
                )
            )
        elif match := _RELATION.match(line):
            ident, kind, role1, arg1, role2, arg2 = match.groups()
            if kind.lower() in ("partof", "part_of", "breakdown"):
                ends = {role1.lower(): arg1, role2.lower(): arg2}
                aset.links.append(LinkAnn(ends.get("arg1", arg1), ends.get("arg2", arg2), number))
            else:
                aset.problems.append(
                    S015.finding(
                        source_file=aset.name,
                        source_line=number,
                        field=kind,
                        detail=f"{ident}: relation type {kind!r} is not used (only PartOf)",
                    )
                )
        elif match := _ATTRIBUTE.match(line):
            ident, attr, target, value = match.groups()
            pending.append((number, target, ident, {normalise_key(attr): value or "true"}, []))
        elif match := _NORMALIZATION.match(line):
            ident, _, target, database, key, _ = match.groups()
            if database.upper() == "CAMEO":
                pending.append((number, target, ident, {"code": key}, []))
        elif match := _NOTE.match(line):
            ident, _, target, note = match.groups()
            label = _label_of(target, aset)
            fields, errors = parse_note(label, note)
            pending.append((number, target, ident, fields, errors))
        elif _EQUIV.match(line):
            continue
        else:
            _malformed(line, number, aset)
    for number, target, ident, fields, errors in pending:
        _apply(number, target, ident, fields, errors, aset)
    if converted:
        aset.problems.append(
            S012.finding(
                source_file=aset.name,
                severity="warning",
                detail="offsets are UTF-16 code units, not code points (brat on a narrow "
                "Python build?); converted to Python offsets",
            )
        )


def _malformed(line: str, number: int, aset: AnnotationSet) -> None:
    """Report a line no pattern matches; an event's line still counts as an event."""
    ident = line.split("\t", 1)[0] if "\t" in line else None
    kinds = {
        "T": "text-bound",
        "E": "event",
        "R": "relation",
        "A": "attribute",
        "M": "attribute",
        "N": "normalization",
        "#": "note",
    }
    kind = kinds.get(ident[0]) if ident else None
    if ident and kind:
        detail = f"{ident}: incomplete or malformed {kind} line (truncated?): {line[:60]!r}"
    else:
        detail = f"not a brat annotation line: {line[:60]!r}"
    if ident and ident.startswith("E"):
        aset.unread_events.append(RawEvent(ident, number))
    aset.problems.append(
        S015.finding(
            source_file=aset.name,
            source_line=number,
            field=ident,
            value=line[:60],
            detail=detail,
        )
    )


def _text_bound(
    match: re.Match[str], number: int, offsets: OffsetMap, aset: AnnotationSet
) -> tuple[SpanAnn | None, bool]:
    ident, kind, ranges, written = match.groups()
    fragments = [tuple(int(x) for x in piece.split()) for piece in ranges.split(";")]
    text = aset.text
    for utf16 in (False, True):
        if utf16 and not offsets.has_astral:
            break
        converted: list[tuple[int, int]] = []
        for start, end in fragments:
            s, e = (offsets.to_python(start), offsets.to_python(end)) if utf16 else (start, end)
            if s is None or e is None or not (0 <= s <= e <= len(text)):
                break
            converted.append((s, e))
        else:
            covered = " ".join(text[s:e] for s, e in converted)
            if _squash(covered) == _squash(written):
                label = span_label(kind) or "Event"  # other entity types are triggers
                start, end = converted[0][0], converted[-1][1]
                return SpanAnn(ident, label, start, end, number), utf16
    aset.bad_spans.add(ident)
    shown = " ".join(aset.text[s:e] for s, e in fragments if 0 <= s <= e <= len(aset.text))
    aset.problems.append(
        S012.finding(
            source_file=aset.name,
            source_line=number,
            field=ident,
            value=written,
            detail=f"{ident}: offsets {ranges} cover {shown!r} in the .txt, but the .ann says "
            f"{written!r}",
        )
    )
    return None, False


def _squash(text: str) -> str:
    return " ".join(text.split())


def _label_of(target: str, aset: AnnotationSet) -> str:
    span = aset.spans.get(target)
    return span.label if span is not None else "Event"


def _apply(
    number: int,
    target: str,
    ident: str,
    fields: dict[str, str],
    errors: list[str],
    aset: AnnotationSet,
) -> None:
    for error in errors:
        aset.problems.append(
            S013.finding(source_file=aset.name, source_line=number, detail=f"{ident}: {error}")
        )
    span = aset.spans.get(target)
    if span is None:
        if target in aset.bad_spans:
            return
        if target.startswith("E") and any(ev.id == target for ev in aset.events):
            aset.problems.append(
                S013.finding(
                    source_file=aset.name,
                    source_line=number,
                    field=", ".join(fields),
                    detail=f"{ident}: values on an event ({target}) are not used; put them on "
                    "its spans",
                )
            )
            return
        aset.problems.append(
            S013.finding(
                source_file=aset.name,
                source_line=number,
                value=target,
                detail=f"{ident} qualifies {target}, which does not exist",
            )
        )
        return
    span.fields.update(fields)


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_NAMES: dict[str, str] | None = None


def event_names() -> dict[str, str]:
    """Normalised CAMEO event name → ``E``-code, from the visual.conf we ship.

    Example:
        >>> event_names()["employaerialweapons"]
        'E195'
    """
    global _NAMES
    if _NAMES is None:
        conf = resources.files("tacitus.convert").joinpath("assets/brat/visual.conf")
        names: dict[str, str] = {}
        section = ""
        for line in conf.read_text(encoding="utf-8").splitlines():
            if line.startswith("["):
                section = line.strip()
            elif section == "[labels]" and line.startswith("E") and "|" in line:
                code, long_label, *_ = (p.strip() for p in line.split("|"))
                names[_name_key(re.sub(r"\s*\(\d+\)$", "", long_label))] = code
        _NAMES = names
    return _NAMES


_ROLES = "Actor1?:Actor, Actor2?:Actor, Location?:Location, Date?:Date, Casualty*:Casualty"
_ANNOTATION_HEAD = """\
# tacitus: CAMEO events for brat (https://brat.nlplab.org/configuration.html).
# Copy this file and visual.conf into the brat data folder of the collection.
# Event types are CAMEO event codes with an E in front (E195 = 195, Employ aerial
# weapons); the two-digit root codes only group them. Roles: Actor1, Actor2, Location,
# Date (once each) and Casualty (any number). Values a closed list cannot hold (an actor
# code, a date, a count) go in the span's note: see docs/formats.md.
# Generated from the tacitus codebook ({version}) by tacitus.convert.brat.render_config.

[entities]

Actor
Date
Location
Casualty

[relations]

# A casualty figure that breaks down another (3 women of 7 killed): Arg1 is the part.
PartOf\tArg1:Casualty, Arg2:Casualty

[events]

"""
_ANNOTATION_TAIL = """
[attributes]

DatePrecision\tArg:Date, Value:day|week|month|year
GeoPrecision\tArg:Location, Value:exact|locality|adm2|adm1|country|region
CasualtyKind\tArg:Casualty, Value:killed|injured|missing|abducted|arrested|displaced
Category\tArg:Casualty, Value:civilians|combatants|security_forces|unknown
ClaimedBy\tArg:Casualty, Value:Actor1|Actor2
"""
_VISUAL_HEAD = """\
# tacitus: how brat shows the CAMEO types (long label | short label).
# Generated from the tacitus codebook ({version}) by tacitus.convert.brat.render_config.

[labels]

Actor | Actor | Act
Date | Date
Location | Location | Loc
Casualty | Casualty | Cas
PartOf | Part of
DatePrecision | Date precision
GeoPrecision | Geo precision
CasualtyKind | Casualty kind
ClaimedBy | Claimed by

"""
_VISUAL_TAIL = """
[drawing]

SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken
ARC_DEFAULT\tcolor:black, arrowHead:triangle-5
ATTRIBUTE_DEFAULT\tglyph:*
EVENT_DEFAULT\tbgColor:#ffccaa
Actor\tbgColor:#8fb2ff
Date\tbgColor:#e3d4ff
Location\tbgColor:#7fe2ff
Casualty\tbgColor:#ff8c8c
PartOf\tcolor:#a00000, dashArray:3-3
CasualtyKind\tposition:left, glyph:\u2020|+|?|\u2192|#|\u21e2
DatePrecision\tglyph:d|w|m|y
GeoPrecision\tglyph:\u2022|\u25cb|2|1|C|R
Category\tglyph:civ|com|sec|?
ClaimedBy\tglyph:\u00b91|\u00b92
"""


def render_config() -> dict[str, str]:
    """annotation.conf and visual.conf made from the codebook (what we ship, regenerated).

    Event types are the codebook's three- and four-digit CAMEO codes (the ICEWS-only
    ``1213`` is left out: it is not CAMEO 1.1b3), grouped under their root code.

    Example:
        >>> conf = render_config()
        >>> "\\tE195\\t" in conf["annotation.conf"]
        True
        >>> "E195 | Employ aerial weapons (195) | 195" in conf["visual.conf"]
        True
    """
    from tacitus.schema.codebook import load_codebook

    codebook = load_codebook()
    codes = sorted(c for c, e in codebook.events.items() if not e.icews_only)
    events: list[str] = []
    labels: list[str] = []
    for code in codes:
        event = codebook.events[code]
        name = event.name.capitalize() if event.name.isupper() else event.name
        labels.append(f"E{code} | {name} ({code}) | {code}")
        indent = {2: "!", 3: "\t", 4: "\t\t"}[len(code)]
        events.append(f"!E{code}" if len(code) == 2 else f"{indent}E{code}\t{_ROLES}")
    head = {"version": codebook.version}
    return {
        "annotation.conf": _ANNOTATION_HEAD.format(**head)
        + "\n".join(events)
        + "\n"
        + _ANNOTATION_TAIL,
        "visual.conf": _VISUAL_HEAD.format(**head) + "\n".join(labels) + "\n" + _VISUAL_TAIL,
    }


def bundled_config() -> dict[str, str]:
    """The brat configuration files we ship, by name (to copy into a brat collection).

    Example:
        >>> sorted(bundled_config())
        ['annotation.conf', 'visual.conf']
    """
    folder = resources.files("tacitus.convert").joinpath("assets/brat")
    return {
        name: folder.joinpath(name).read_text(encoding="utf-8")
        for name in ("annotation.conf", "visual.conf")
    }
