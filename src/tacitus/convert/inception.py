"""Read INCEpTION (UIMA CAS XMI) exports annotated with our CAMEO layers, through cassis.

The layers are defined in ``assets/inception/typesystem.xml``:

* ``webanno.custom.CameoEvent`` (span): ``code`` (CAMEO event code), optional
  ``identifier``, and the link feature ``arguments`` whose links
  (``webanno.custom.CameoEventArgumentsLink``) carry a ``role`` (Actor1, Actor2, Location,
  Date, Casualty) and a ``target``;
* ``webanno.custom.CameoArgument`` (span): the argument's values (``code``, ``name``,
  ``date``, ``precision``, ``country``, ``adm1``, ``latitude``, ``longitude``, ``kind``,
  ``count``, ``low``, ``best``, ``high``, ``who``, ``category``, ``claimedBy``); the role
  that links it says whether it is an actor, a date, a location or a casualty figure;
* ``webanno.custom.CameoPartOf`` (relation, Governor = the breakdown figure, Dependent =
  its total);
* ``webanno.custom.CameoArticle`` (document metadata): ``articleId``, ``source``,
  ``published``, ``url``, ``title``, ``language`` (or a ``NAME.meta.yaml`` sidecar).

UIMA offsets count UTF-16 code units (Java strings). Each span's raw offsets are
converted to Python character offsets here (cassis does the same when it loads); an offset
that falls inside a surrogate pair or past the text is a finding. Lines are those of the
XMI file. Dangling references (a link to a deleted span) are findings; the reference is
dropped and the rest of the file converts.
"""

from __future__ import annotations

import functools
import io
import warnings
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import cassis
from lxml import etree

from tacitus.convert.native import LoadResult
from tacitus.convert.offsets import OffsetMap
from tacitus.convert.readers import (
    S010,
    S011,
    S012,
    S015,
    AnnotationSet,
    EventAnn,
    LinkAnn,
    SpanAnn,
    assemble,
    normalise_key,
    not_this_format,
    read_sidecar,
    role_of,
    sha256_of,
    slug,
)
from tacitus.schema.rules import Finding

XMI_NS = "http://www.omg.org/XMI"
CUSTOM_NS = "http:///webanno/custom.ecore"
_XMI_ID = f"{{{XMI_NS}}}id"
EVENT_TYPE = "webanno.custom.CameoEvent"
ARGUMENT_TYPE = "webanno.custom.CameoArgument"
LINK_TYPE = "webanno.custom.CameoEventArgumentsLink"
PART_OF_TYPE = "webanno.custom.CameoPartOf"
ARTICLE_TYPE = "webanno.custom.CameoArticle"
_ROLE_LABEL = {
    "actor1": "Actor",
    "actor2": "Actor",
    "location": "Location",
    "date": "Date",
    "casualty": "Casualty",
}
_ARTICLE_FEATURES = {
    "articleId": "id",
    "source": "source",
    "published": "published",
    "url": "url",
    "title": "title",
    "language": "language",
}
ARGUMENT_FEATURES = (
    "code",
    "name",
    "date",
    "precision",
    "country",
    "adm1",
    "latitude",
    "longitude",
    "kind",
    "count",
    "low",
    "best",
    "high",
    "who",
    "category",
    "claimedBy",
)
"""The features of a CameoArgument this reader reads (each a string in the layer)."""
FEATURES_READ = {
    EVENT_TYPE: ("code", "identifier", "arguments"),
    LINK_TYPE: ("role", "target"),
    ARGUMENT_TYPE: ARGUMENT_FEATURES,
    PART_OF_TYPE: ("Governor", "Dependent"),
    ARTICLE_TYPE: tuple(_ARTICLE_FEATURES),
}
"""Layer type → the features the reader uses; the shipped type system defines exactly these."""
_TYPESYSTEM_NAMES = ("TypeSystem.xml", "typesystem.xml")


def bundled_typesystem() -> cassis.TypeSystem:
    """The UIMA type system of our CAMEO layers.

    Example:
        >>> bundled_typesystem().contains_type("webanno.custom.CameoEvent")
        True
    """
    data = resources.files("tacitus.convert").joinpath("assets/inception/typesystem.xml")
    return cassis.load_typesystem(io.BytesIO(data.read_bytes()))


@functools.cache
def _reading_typesystem() -> cassis.TypeSystem:
    """Our type system, parsed once per process for reading (parsing it took about half
    the time of reading a document). Only handed to cassis to load or merge, which leave
    it unchanged; :func:`bundled_typesystem` gives callers a fresh one to change."""
    return bundled_typesystem()


def read_inception(path: str | Path, *, display_path: str | None = None) -> list[LoadResult]:
    """Read an XMI file (or an INCEpTION export .zip of XMI files) into LoadResults.

    The type system is ``TypeSystem.xml`` beside the file (or in the zip) merged with ours.

    Example:
        >>> r, = read_inception("tests/data/readers/inception/meridian-wire.xmi")
        >>> r.document.events[0].code, r.problems
        ('195', [])
    """
    path = Path(path)
    name = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise not_this_format(path, "inception", exc.strerror or str(exc)) from None
    if zipfile.is_zipfile(io.BytesIO(raw)):
        return _read_zip(path, raw, name)
    typesystem_xml = None
    for candidate in _TYPESYSTEM_NAMES:
        if (path.parent / candidate).is_file():
            typesystem_xml = (path.parent / candidate).read_bytes()
            break
    return [read_xmi_bytes(raw, name, typesystem_xml=typesystem_xml, sidecar_for=path)]


def _read_zip(path: Path, raw: bytes, name: str) -> list[LoadResult]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = archive.namelist()
        xmis = sorted(m for m in members if m.lower().endswith(".xmi"))
        if not xmis:
            raise not_this_format(path, "inception", "a zip without .xmi files")
        typesystem_xml = next(
            (archive.read(m) for m in members if Path(m).name in _TYPESYSTEM_NAMES), None
        )
        return [
            read_xmi_bytes(archive.read(m), f"{name}!{m}", typesystem_xml=typesystem_xml)
            for m in xmis
        ]


def read_xmi_bytes(
    raw: bytes,
    name: str,
    *,
    typesystem_xml: bytes | None = None,
    sidecar_for: Path | None = None,
) -> LoadResult:
    """Read one XMI document (bytes) into a LoadResult; ``name`` is used in findings.

    Example:
        >>> raw = Path("tests/data/readers/inception/meridian-wire.xmi").read_bytes()
        >>> read_xmi_bytes(raw, "m.xmi").article_id
        'meridian-wire-2024-01-18'
    """
    try:
        root = etree.fromstring(
            raw, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        )
    except etree.XMLSyntaxError as exc:
        raise not_this_format(name, "inception", f"not XML ({exc})") from None
    if root.tag != f"{{{XMI_NS}}}XMI":
        raise not_this_format(name, "inception", f"the root element is {root.tag}, not xmi:XMI")
    problems: list[Finding] = []
    index = {el.get(_XMI_ID): el for el in root.iter() if el.get(_XMI_ID) is not None}
    dropped = _drop_dangling(root, index, name, problems)
    typesystem = _typesystem(typesystem_xml, name, problems)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cassis warns on unmappable offsets: we check them
        try:
            cas = cassis.load_cas_from_xmi(
                io.BytesIO(etree.tostring(root)), typesystem=typesystem, lenient=True
            )
        except Exception as exc:
            raise not_this_format(name, "inception", f"cassis cannot read it ({exc})") from None
    text = cas.sofa_string or ""
    article, article_lines, meta_name, sidecar_problems = (
        read_sidecar(sidecar_for, name) if sidecar_for is not None else ({}, {}, None, [])
    )
    problems.extend(sidecar_problems)
    article_line = _article_from_cas(cas, index, article, article_lines)
    if "id" not in article:
        article["id"] = _document_id(cas) or slug(Path(name.split("!")[-1]).stem)
    aset = AnnotationSet(
        name=name,
        text=text,
        article=article,
        article_line=article_line,
        spans={},
        events=[],
        links=[],
        problems=problems,
        content_sha256=sha256_of(raw),
        article_lines=article_lines,
        article_file=meta_name if article_line is None and meta_name else None,
    )
    _read_layers(cas, index, aset, dropped)
    return assemble(aset)


def _typesystem(xml: bytes | None, name: str, problems: list[Finding]) -> cassis.TypeSystem:
    ours = _reading_typesystem()
    if xml is None:
        return ours
    try:
        theirs = cassis.load_typesystem(io.BytesIO(xml))
    except Exception as exc:
        problems.append(
            S015.finding(
                source_file=name,
                severity="warning",
                detail=f"the TypeSystem.xml beside it cannot be read ({exc}); using ours",
            )
        )
        return ours
    if theirs.contains_type(EVENT_TYPE):
        return theirs
    return cassis.merge_typesystems(theirs, ours)


def _line(index: dict[str, Any], xmi_id: Any) -> int | None:
    element = index.get(str(xmi_id))
    return element.sourceline if element is not None else None


_REFERENCES = {
    "CameoEvent": ("arguments",),
    "CameoEventArgumentsLink": ("target",),
    "CameoPartOf": ("Governor", "Dependent"),
}
"""Layer element → its features that hold XMI ids of other elements."""


def _drop_dangling(
    root: Any, index: dict[str, Any], name: str, problems: list[Finding]
) -> set[str]:
    """Report references to elements that do not exist, and remove them so cassis loads.

    Returns the XMI ids of the elements that lost a reference (reported already).
    """
    dropped: set[str] = set()
    for view in root.iter("{http:///uima/cas.ecore}View"):
        members = view.get("members", "").split()
        view.set("members", " ".join(m for m in members if m in index))
    for element in root.iter(f"{{{CUSTOM_NS}}}*"):
        local = etree.QName(element).localname
        for feature in _REFERENCES.get(local, ()):
            value = element.get(feature)
            if value is None:
                continue
            kept = []
            for ref in value.split():
                target = index.get(ref)
                if target is not None:
                    _prune_array(target, index)
                    kept.append(ref)
                    continue
                dropped.add(str(element.get(_XMI_ID)))
                rule = S011 if local == "CameoPartOf" else S010
                problems.append(
                    rule.finding(
                        source_file=name,
                        source_line=element.sourceline,
                        field=feature,
                        value=ref,
                        detail=f"{local} {element.get(_XMI_ID)}: {feature} points at XMI id {ref}, "
                        "which does not exist (deleted annotation?)",
                    )
                )
            if kept:
                element.set(feature, " ".join(kept))
            else:
                del element.attrib[feature]
    return dropped


def _prune_array(target: Any, index: dict[str, Any]) -> None:
    """Drop the missing elements of an FSArray (any other element is left as it is)."""
    if etree.QName(target).localname != "FSArray":
        return
    elements = target.get("elements", "").split()
    kept = [ref for ref in elements if ref in index]
    if len(kept) != len(elements):
        target.set("elements", " ".join(kept))


def _article_from_cas(
    cas: cassis.Cas, index: dict[str, Any], article: dict[str, Any], lines: dict[str, int | None]
) -> int | None:
    if not cas.typesystem.contains_type(ARTICLE_TYPE):
        return None
    found = list(cas.select(ARTICLE_TYPE))
    if not found:
        return None
    fs = found[0]
    line = _line(index, fs.xmiID)
    for feature, key in _ARTICLE_FEATURES.items():
        value = fs.get(feature)
        if value not in (None, ""):
            article[key] = value
            lines[key] = line
    return line


def _document_id(cas: cassis.Cas) -> str | None:
    meta = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
    if not cas.typesystem.contains_type(meta):
        return None
    for fs in cas.select(meta):
        for feature in ("documentId", "documentTitle"):
            value = fs.get(feature)
            if value:
                return slug(Path(str(value)).stem)
    return None


def _read_layers(
    cas: cassis.Cas, index: dict[str, Any], aset: AnnotationSet, dropped: set[str]
) -> None:
    offsets = OffsetMap(aset.text)
    labels: dict[str, str] = {}
    events: list[Any] = (
        list(cas.select(EVENT_TYPE)) if cas.typesystem.contains_type(EVENT_TYPE) else []
    )
    for fs in events:
        for link in _links(fs):
            target = link.get("target")
            role = role_of(str(link.get("role") or ""))
            if target is not None and role is not None:
                labels.setdefault(_span_id(target), _ROLE_LABEL[role])
    part_ofs = list(cas.select(PART_OF_TYPE)) if cas.typesystem.contains_type(PART_OF_TYPE) else []
    for fs in part_ofs:
        for end in (fs.get("Governor"), fs.get("Dependent")):
            if end is not None:
                labels[_span_id(end)] = "Casualty"
    arguments = (
        list(cas.select(ARGUMENT_TYPE)) if cas.typesystem.contains_type(ARGUMENT_TYPE) else []
    )
    for fs in arguments:
        span = _span(fs, labels.get(_span_id(fs), "Actor"), index, offsets, aset)
        if span is None:
            continue
        for feature in ARGUMENT_FEATURES:
            value = fs.get(feature)
            if value not in (None, ""):
                span.fields[normalise_key(feature)] = str(value)
        aset.spans[span.id] = span
    for fs in events:
        ident = str(fs.get("identifier") or f"e{fs.xmiID}")
        trigger = _span(fs, "Event", index, offsets, aset)
        if trigger is not None:
            aset.spans[trigger.id] = trigger
        line = _line(index, fs.xmiID)
        event = EventAnn(ident, fs.get("code"), _span_id(fs), line, [], line)
        for link in _links(fs):
            target = link.get("target")
            link_line = _line(index, link.xmiID) or line
            if target is None and str(link.xmiID) in dropped:
                continue
            if target is None:
                aset.problems.append(
                    S010.finding(
                        source_file=aset.name,
                        source_line=link_line,
                        field=str(link.get("role")),
                        detail=f"event {ident}: the {link.get('role')} link has no target",
                    )
                )
                continue
            event.args.append((str(link.get("role") or ""), _span_id(target), link_line))
        aset.events.append(event)
    for fs in part_ofs:
        part, whole = fs.get("Governor"), fs.get("Dependent")
        if (part is None or whole is None) and str(fs.xmiID) in dropped:
            continue
        if part is None or whole is None:
            aset.problems.append(
                S011.finding(
                    source_file=aset.name,
                    source_line=_line(index, fs.xmiID),
                    field="PartOf",
                    detail=f"CameoPartOf {fs.xmiID} lacks its Governor or Dependent",
                )
            )
            continue
        aset.links.append(LinkAnn(_span_id(part), _span_id(whole), _line(index, fs.xmiID)))


def _links(fs: Any) -> list[Any]:
    value = fs.get("arguments")
    if value is None:
        return []
    elements = value.elements if hasattr(value, "elements") else value
    return [link for link in elements or [] if link is not None]


def _span_id(fs: Any) -> str:
    return f"x{fs.xmiID}"


def _span(
    fs: Any, label: str, index: dict[str, Any], offsets: OffsetMap, aset: AnnotationSet
) -> SpanAnn | None:
    ident = _span_id(fs)
    element = index.get(str(fs.xmiID))
    line = element.sourceline if element is not None else None
    try:
        raw = (
            (int(element.get("begin")), int(element.get("end")))
            if element is not None
            else (fs.begin, fs.end)
        )
    except (TypeError, ValueError):
        raw = (-1, -1)
    start, end = offsets.to_python(raw[0]), offsets.to_python(raw[1])
    if start is None or end is None or not (0 <= start <= end <= len(aset.text)):
        aset.bad_spans.add(ident)
        why = (
            "splits a character outside the BMP (an emoji?) in two"
            if (start is None or end is None) and raw[0] >= 0
            else "is outside the text"
        )
        aset.problems.append(
            S012.finding(
                source_file=aset.name,
                source_line=line,
                field=ident,
                detail=f"{etree.QName(element).localname if element is not None else 'span'} "
                f"{fs.xmiID}: UTF-16 offsets {raw[0]}:{raw[1]} {why}",
            )
        )
        return None
    return SpanAnn(ident, label, start, end, line)
