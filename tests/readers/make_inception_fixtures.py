"""Build the INCEpTION test fixtures with cassis itself: ``python tests/readers/make_inception_fixtures.py``.

Writes ``tests/data/readers/inception/meridian-wire.xmi`` (good, with astral characters
before the spans, so its UTF-16 offsets differ from Python's) and ``broken.xmi`` (the same
CAS edited by hand afterwards: a link to a deleted span, a PartOf to a deleted span and an
offset inside a surrogate pair). The files are committed; test_inception checks that this
script still reproduces them byte for byte.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import cassis

from tacitus.convert.inception import bundled_typesystem

OUT = Path(__file__).resolve().parents[1] / "data" / "readers" / "inception"

TEXT = (
    "KARACHI, Jan 18 (Meridian Wire) \u2014 Pakistan said on Thursday its air force had struck "
    "militant hideouts inside Iran \U0001f6e9\ufe0f, a day after Iranian missiles hit a village in "
    "Balochistan. Iranian officials said seven people were killed in the strikes near Saravan, "
    'including three women. Pakistan\'s army said "several" militants died. \U0001f1f5\U0001f1f0'
)


def _at(quote: str, n: int = 1) -> tuple[int, int]:
    at = -1
    for _ in range(n):
        at = TEXT.index(quote, at + 1)
    return at, at + len(quote)


def build_cas() -> cassis.Cas:
    """The good CAS: two events, arguments, a breakdown and the article metadata."""
    ts = bundled_typesystem()
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = TEXT
    argument = ts.get_type("webanno.custom.CameoArgument")
    event = ts.get_type("webanno.custom.CameoEvent")
    link = ts.get_type("webanno.custom.CameoEventArgumentsLink")
    part_of = ts.get_type("webanno.custom.CameoPartOf")
    article = ts.get_type("webanno.custom.CameoArticle")
    fs_array = ts.get_type("uima.cas.FSArray")

    def arg(quote: str, **features: str) -> Any:
        begin, end = _at(quote)
        fs = argument(begin=begin, end=end, **features)
        cas.add(fs)
        return fs

    cas.add(
        article(
            articleId="meridian-wire-2024-01-18",
            source="Meridian Wire",
            published="2024-01-18T15:40:00+00:00",
            language="en",
            title="Pakistan strikes inside Iran (test fixture written for tacitus)",
        )
    )
    air_force = arg("its air force", code="PAKMIL")
    hideouts = arg("militant hideouts", code="IRNREB")
    thursday = arg("on Thursday", date="2024-01-18", precision="day")
    saravan = arg(
        "near Saravan",
        name="Saravan",
        country="IRN",
        precision="locality",
        latitude="27.37",
        longitude="62.33",
    )
    seven = arg(
        "seven people were killed",
        kind="killed",
        count="7",
        category="civilians",
        claimedBy="IRNGOV",
    )
    women = arg("three women", count="3", who="women")
    several = arg(
        '"several" militants died',
        kind="killed",
        low="3",
        high="9",
        category="combatants",
        claimedBy="Actor1",
        who="militants",
    )
    missiles = arg("Iranian missiles", code="IRNMIL", name="Iran")
    village = arg("a village in Balochistan", country="PAK", adm1="Balochistan", precision="adm1")

    def ev(quote: str, code: str, identifier: str, args: list[tuple[str, Any]]) -> None:
        begin, end = _at(quote)
        links = [link(role=role, target=target) for role, target in args]
        cas.add(
            event(
                begin=begin,
                end=end,
                code=code,
                identifier=identifier,
                arguments=fs_array(elements=links),
            )
        )

    ev(
        "struck",
        "195",
        "ev1",
        [
            ("Actor1", air_force),
            ("Actor2", hideouts),
            ("Date", thursday),
            ("Location", saravan),
            ("Casualty", seven),
            ("Casualty", several),
        ],
    )
    ev("hit", "195", "ev2", [("Actor1", missiles), ("Location", village)])
    begin, end = women.begin, seven.end
    cas.add(
        part_of(
            begin=min(begin, seven.begin), end=max(end, women.end), Governor=women, Dependent=seven
        )
    )
    return cas


def build_broken(good_xmi: str) -> str:
    """The good XMI with three defects introduced by hand (as a crashed export might)."""
    xmi = good_xmi
    # 1. delete the "militant hideouts" span: the Actor2 link of ev1 now dangles.
    hideouts = re.search(r'<custom:CameoArgument xmi:id="(\d+)"[^>]*code="IRNREB"[^>]*/>\s*', xmi)
    assert hideouts is not None
    xmi = xmi.replace(hideouts.group(0), "")
    # 2. the PartOf's Dependent points at an id that does not exist.
    xmi = re.sub(r'(<custom:CameoPartOf [^>]*Dependent=")\d+(")', r"\g<1>999\2", xmi)
    # 3. the "Iranian missiles" span starts inside the surrogate pair of the plane emoji.
    missiles = re.search(
        r'(<custom:CameoArgument xmi:id="\d+" sofa="1" begin=")(\d+)(" end="\d+" '
        r'code="IRNMIL")',
        xmi,
    )
    assert missiles is not None
    plane = len(TEXT[: TEXT.index("\U0001f6e9")].encode("utf-16-le")) // 2
    xmi = xmi.replace(missiles.group(0), f"{missiles.group(1)}{plane + 1}{missiles.group(3)}")
    return xmi


def render() -> dict[str, str]:
    """File name → XMI text of every fixture."""
    good = build_cas().to_xmi(pretty_print=True)
    assert isinstance(good, str)
    return {"meridian-wire.xmi": good, "broken.xmi": build_broken(good)}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
