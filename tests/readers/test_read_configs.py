"""The configurations we ship for each tool agree with the codebook and with the readers."""

from __future__ import annotations

import os
import re
import typing
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest

from tacitus.convert.brat import bundled_config, event_names, render_config
from tacitus.convert.icews import QUAD_BY_ROOT_ICEWS
from tacitus.convert.inception import FEATURES_READ, bundled_typesystem
from tacitus.convert.readers import FIELD_KEYS, SPAN_LABELS, normalise_key, role_of
from tacitus.schema import document
from tacitus.schema.codebook import load_codebook

ASSETS = resources.files("tacitus.convert").joinpath("assets")


def _choices(literal: object) -> set[str]:
    return set(typing.get_args(literal))


ATTRIBUTE_VALUES = {
    "DatePrecision": _choices(document.DatePrecision),
    "GeoPrecision": _choices(document.GeoPrecision),
    "CasualtyKind": _choices(document.CasualtyKind),
    "Category": _choices(document.CasualtyCategory),
    "ClaimedBy": {"Actor1", "Actor2"},
}


# --- brat ------------------------------------------------------------------------------


def test_brat_files_are_what_the_codebook_renders() -> None:
    """After a codebook change, ``TACITUS_REGEN_GOLDEN=1`` rewrites the shipped files."""
    rendered = render_config()
    if os.environ.get("TACITUS_REGEN_GOLDEN"):
        folder = Path(__file__).resolve().parents[2] / "src/tacitus/convert/assets/brat"
        for name, text in rendered.items():
            (folder / name).write_text(text, encoding="utf-8", newline="")
    assert bundled_config() == rendered


def test_brat_event_types_are_the_cameo_codes_of_the_codebook() -> None:
    codebook = load_codebook()
    conf = bundled_config()["annotation.conf"]
    types = re.findall(r"^\t+E(\d+)\t(.*)$", conf, re.MULTILINE)
    codes = {code for code, _ in types}
    expected = {c for c, e in codebook.events.items() if len(c) > 2 and not e.icews_only}
    assert codes == expected and len(codes) == 291
    assert "1213" not in codes  # ICEWS-only, not CAMEO 1.1b3
    roots = set(re.findall(r"^!E(\d\d)$", conf, re.MULTILINE))
    assert roots == {c for c in codebook.events if len(c) == 2}
    # every type takes the five roles, and only those
    for _, args in types:
        roles = {role_of(a.split(":")[0].rstrip("?*")) for a in args.split(", ")}
        assert roles == {"actor1", "actor2", "location", "date", "casualty"}
    visual = bundled_config()["visual.conf"]
    for code in expected:
        name = codebook.events[code].name
        assert f"E{code} | {name} ({code}) | {code}" in visual
    assert event_names()["meetatathirdlocation"] == "E044"  # the codebook's clean name


def test_brat_entities_and_attributes_are_the_ones_the_reader_knows() -> None:
    conf = bundled_config()["annotation.conf"]
    section = conf.split("[entities]")[1].split("[relations]")[0]
    assert {line for line in section.splitlines() if line and not line.startswith("#")} == set(
        SPAN_LABELS
    )
    attributes = dict(
        re.findall(r"^(\w+)\tArg:\w+, Value:(\S+)$", conf.split("[attributes]")[1], re.M)
    )
    assert {k: set(v.split("|")) for k, v in attributes.items()} == ATTRIBUTE_VALUES
    assert {normalise_key(name) for name in attributes} == {
        "precision",
        "kind",
        "category",
        "claimed_by",
    }
    assert "PartOf\tArg1:Casualty, Arg2:Casualty" in conf


# --- Label Studio ------------------------------------------------------------------------


def _label_studio_config() -> ET.Element:
    return ET.fromstring(ASSETS.joinpath("labelstudio/config.xml").read_text(encoding="utf-8"))


def test_label_studio_config_is_well_formed_and_names_what_the_reader_reads() -> None:
    root = _label_studio_config()
    assert root.tag == "View"
    (text,) = root.iter("Text")
    assert text.get("name") == "text" and text.get("value") == "$text"
    assert {el.get("toName") for el in root.iter() if el.get("toName")} == {"text"}
    labels = {el.get("value") for el in root.iter("Label")}
    assert labels == {"Event", *SPAN_LABELS}
    relations = {el.get("value") for el in root.iter("Relation")}
    assert relations == {"Actor1", "Actor2", "Location", "Date", "Casualty", "PartOf"}
    assert all(role_of(str(r)) for r in relations - {"PartOf"})


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("kind", ATTRIBUTE_VALUES["CasualtyKind"]),
        ("category", ATTRIBUTE_VALUES["Category"]),
        ("claimed_by", ATTRIBUTE_VALUES["ClaimedBy"]),
        ("date_precision", ATTRIBUTE_VALUES["DatePrecision"]),
        ("geo_precision", ATTRIBUTE_VALUES["GeoPrecision"]),
    ],
)
def test_label_studio_choices_are_the_values_of_the_document_model(
    name: str, values: set[str]
) -> None:
    root = _label_studio_config()
    (choices,) = [el for el in root.iter("Choices") if el.get("name") == name]
    assert choices.get("perRegion") == "true"
    assert {c.get("value") for c in choices.iter("Choice")} == values


def test_label_studio_per_region_fields_are_keys_the_reader_understands() -> None:
    root = _label_studio_config()
    for view in root.iter("View"):
        label = view.get("whenLabelValue")
        for el in view:
            if el.tag not in ("TextArea", "Choices"):
                continue
            key = normalise_key(str(el.get("name")))
            if label is None:  # the note box every region has
                assert el.get("name") == "values"
            else:
                assert key in FIELD_KEYS[label], (label, key)


# --- INCEpTION ---------------------------------------------------------------------------


def test_inception_layers_define_exactly_the_features_the_reader_uses() -> None:
    typesystem = bundled_typesystem()
    for type_name, features in FEATURES_READ.items():
        assert typesystem.contains_type(type_name), type_name
        declared = {f.name for f in typesystem.get_type(type_name).features}
        assert declared == set(features), type_name


def test_inception_layer_descriptions_list_the_model_values() -> None:
    xml = ASSETS.joinpath("inception/typesystem.xml").read_text(encoding="utf-8")
    for values in (
        ATTRIBUTE_VALUES["CasualtyKind"],
        ATTRIBUTE_VALUES["Category"],
        ATTRIBUTE_VALUES["GeoPrecision"],
    ):
        assert any(
            set(m.split("|")) == values for m in re.findall(r"[a-z_0-9|]+\|[a-z_0-9|]+", xml)
        )


# --- coded datasets ----------------------------------------------------------------------


def test_icews_quad_classes_are_the_codebook_icews_scheme() -> None:
    codebook = load_codebook()
    for root, quad in QUAD_BY_ROOT_ICEWS.items():
        assert codebook.quad_class(root, "ICEWS") == quad, root
    assert len(QUAD_BY_ROOT_ICEWS) == 20
