"""Document → native YAML → Document is lossless."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tacitus.convert.native import load_document, load_document_bytes
from tacitus.convert.readers import read_documents
from tacitus.convert.to_native import document_to_yaml, write_native
from tacitus.schema.document import Document

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    | st.sampled_from(["\n", " ", "\t", "😀", "#", ":", "'", '"', "-", "|"]),
    min_size=1,
    max_size=80,
)
_name = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=20,
)
_code = st.from_regex(r"[A-Z]{3}([A-Z]{3}){0,2}", fullmatch=True)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    text = draw(_text)

    def quoted() -> dict[str, object]:
        if not draw(st.booleans()):
            return {}
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        return {"quote": text[start:end], "start": start, "end": end}

    day = draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))
    published: dt.date = day
    if draw(st.booleans()):
        published = dt.datetime.combine(
            day,
            dt.time(draw(st.integers(0, 23)), 5),
            tzinfo=dt.timezone(dt.timedelta(hours=draw(st.integers(-11, 12)), minutes=30)),
        )
    events = []
    for i in range(draw(st.integers(0, 3))):
        event: dict[str, object] = {
            "id": f"e{i}",
            "code": draw(st.sampled_from(["010", "195", "0211", "1823", "19"])),
            **quoted(),
        }
        if draw(st.booleans()):
            event["actor1"] = {"code": draw(_code), "name": draw(_name), **quoted()}
        if draw(st.booleans()):
            day = draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)))
            event["date"] = (
                {"value": day}
                if draw(st.booleans())
                else {"start": day, "end": day + dt.timedelta(days=6), "precision": "week"}
            )
        if draw(st.booleans()):
            event["location"] = {
                "name": draw(_name),
                "country": "IRN",
                "precision": "adm1",
                "latitude": draw(st.floats(-90, 90)),
                **quoted(),
            }
        if draw(st.booleans()):
            event["casualties"] = [
                {
                    "kind": "killed",
                    "low": 3,
                    "high": 9,
                    "who": draw(_name),
                    "claimed_by": draw(_code),
                    **quoted(),
                    "breakdown": [{"count": draw(st.integers(0, 99)), **quoted()}],
                }
            ]
        events.append(event)
    return Document.model_validate(
        {
            "article": {
                "id": "a-1",
                "source": draw(_name),
                "published": published,
                "title": draw(st.none() | _name),
                "text": text,
                "language": draw(st.sampled_from(["en", "fa", "ur"])),
            },
            "events": events,
        }
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_yaml_round_trip_is_lossless(document: Document) -> None:
    text = document_to_yaml(document)
    first = load_document_bytes(text.encode("utf-8"), "a.yaml")
    assert first.document is not None, first.problems
    assert first.document.model_dump() == document.model_dump()
    second = load_document_bytes(document_to_yaml(first.document).encode("utf-8"), "a.yaml")
    assert second.document is not None
    assert second.document.model_dump() == first.document.model_dump()


def test_every_fixture_converts_to_native_and_back(tmp_path: Path) -> None:
    sources = [
        ("brat", DATA / "brat" / "caspian-courier.ann"),
        ("labelstudio", DATA / "labelstudio" / "export.json"),
        ("inception", DATA / "inception" / "meridian-wire.xmi"),
    ]
    for fmt, path in sources:
        for result in read_documents(fmt, path):
            assert result.document is not None
            out = write_native(result.document, tmp_path / f"{result.article_id}.yaml")
            back = load_document(out)
            assert back.problems == [], (fmt, back.problems)
            assert back.document is not None
            assert back.document.model_dump() == result.document.model_dump()
