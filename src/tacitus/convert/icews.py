"""Read ICEWS coded events (tab-separated, with a header row) into our tables.

ICEWS gives a CAMEO code and an ``Intensity`` (its own Goldstein-like scale) but no
QuadClass; the quad class is derived from the root code with the ICEWS mapping used by
the ICEWS R package (01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal
conflict, 14-20 material conflict), which differs from GDELT's for roots 09 and 14. The
Parquet metadata names both schemes (``tacitus.quad_class_scheme = ICEWS``,
``tacitus.goldstein_scheme = ICEWS intensity``). Mapping (ICEWS column → ours):

==================================  ====================================================
Event ID, Story ID                  event_id = ``icews-story-<Story ID>/<Event ID>``;
                                    article_id = ``icews-story-<Story ID>``
Event Date                          date_start = date_end; date_precision = day
CAMEO Code                          event_code; base_code/root_code = its first 3/2 digits
Intensity                           goldstein (ICEWS intensity)
Source/Target Name                  actor1_name / actor2_name
Source/Target Country               actor{1,2}_country (country name → CAMEO code)
Source/Target Sectors               actor{1,2}_role: the first sector with a CAMEO agent
                                    code (Government → GOV, Military → MIL ...)
(derived)                           actor{1,2}_code = country code + role code
City, District, Province, Country   location_name (the most precise given); adm1 =
                                    Province; geo_precision locality/adm2/adm1/country
Country, Latitude, Longitude        country (name → CAMEO code), latitude, longitude
Publisher                           articles.source (one article per Story ID)
==================================  ====================================================

``NA`` is ICEWS's empty value. ``source_line`` is the row's line in the file (the header
is line 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

from tacitus.convert.readers import (
    CodedResult,
    load_asset_table,
    not_this_format,
    row_problems,
)
from tacitus.schema.rules import Finding
from tacitus.schema.tables import frame_from_rows

REQUIRED = ("Event ID", "Event Date", "CAMEO Code", "Source Name", "Target Name")
QUAD_BY_ROOT_ICEWS = {
    **{f"{r:02d}": 1 for r in range(1, 6)},
    **{f"{r:02d}": 2 for r in range(6, 9)},
    **{f"{r:02d}": 3 for r in range(9, 14)},
    **{f"{r:02d}": 4 for r in range(14, 21)},
}
"""ICEWS quad class (1 verbal coop., 2 material coop., 3 verbal conflict, 4 material
conflict) by CAMEO root code, as the ICEWS R package assigns it."""

METADATA = {
    "tacitus.source_format": "icews",
    "tacitus.quad_class_scheme": "ICEWS",
    "tacitus.goldstein_scheme": "ICEWS intensity",
    "tacitus.geography": "country: CAMEO code from the ICEWS country name; adm1: province name",
}
_CODE = re.compile(r"^[0-9]{2,4}$")


def _value(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return None if text in ("", "NA") else text


def read_icews(path: str | Path, *, display_path: str | None = None) -> CodedResult:
    """Read an ICEWS events file (the Dataverse .tab layout) into events and articles.

    Example:
        >>> r = read_icews("tests/data/readers/icews/events.2018.sample.tab")
        >>> r.rows_read, r.metadata["tacitus.quad_class_scheme"]
        (40, 'ICEWS')
    """
    path = Path(path)
    name = display_path or str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise not_this_format(path, "icews", exc.strerror or str(exc)) from None
    countries = load_asset_table("countries.tsv")
    sectors = load_asset_table("icews_sectors.tsv")
    problems: list[Finding] = []
    events: list[dict[str, Any]] = []
    articles: dict[str, dict[str, Any]] = {}
    rows = 0
    with handle:
        try:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
        except UnicodeDecodeError as exc:
            raise not_this_format(path, "icews", f"not UTF-8 ({exc.reason})") from None
        if header is None or not all(column in header for column in REQUIRED):
            raise not_this_format(
                path,
                "icews",
                "the first line is not an ICEWS header "
                f"(needs {', '.join(REQUIRED)}, tab-separated)",
            )
        index = {column: i for i, column in enumerate(header)}
        try:
            for fields in reader:
                number = reader.line_num
                if not any(f.strip() for f in fields):
                    continue
                rows += 1
                row = _row(fields, index, number, name, countries, sectors, problems)
                if row is None:
                    continue
                event, article = row
                events.append(event)
                known = articles.get(article["article_id"])
                if known is None:
                    articles[article["article_id"]] = article
                else:
                    known["n_events"] += 1
        except UnicodeDecodeError as exc:
            raise not_this_format(path, "icews", f"not UTF-8 ({exc.reason})") from None
    return CodedResult(
        source_file=name,
        format="icews",
        events=frame_from_rows("events", events),
        casualties=frame_from_rows("casualties", []),
        articles=frame_from_rows("articles", list(articles.values())),
        problems=problems,
        rows_read=rows,
        metadata=dict(METADATA),
    )


def _row(
    fields: list[str],
    index: dict[str, int],
    number: int,
    name: str,
    countries: dict[str, str],
    sectors: dict[str, str],
    problems: list[Finding],
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    bad = row_problems(problems, name, number)

    if len(fields) != len(index):
        bad("(row)", f"{len(fields)} columns, the header has {len(index)}")
        return None

    def get(column: str) -> str | None:
        i = index.get(column)
        return _value(fields[i]) if i is not None else None

    ident = get("Event ID")
    if ident is None:
        bad("Event ID", "no Event ID")
        return None
    try:
        day = dt.date.fromisoformat(get("Event Date") or "")
    except ValueError:
        bad("Event Date", f"Event Date {get('Event Date')!r} is not YYYY-MM-DD", get("Event Date"))
        return None
    code = get("CAMEO Code")
    if code is None or not _CODE.match(code):
        bad("CAMEO Code", f"CAMEO Code {code!r} is not a CAMEO event code", code)
        return None
    story = get("Story ID") or f"row{number}"
    article_id = f"icews-story-{story}"

    def number_of(column: str) -> float | None:
        value = get(column)
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            bad(column, f"{column} {value!r} is not a number", value)
            return None

    def country_of(column: str) -> str | None:
        value = get(column)
        if value is None:
            return None
        code = countries.get(value) or countries.get(value.split(" (")[0])
        if code is None:
            bad(column, f"{column} {value!r} is not a country tacitus knows", value)
        return code

    event: dict[str, Any] = {
        "event_id": f"{article_id}/{ident}",
        "article_id": article_id,
        "event_code": code,
        "base_code": code[:3],
        "root_code": code[:2],
        "quad_class": QUAD_BY_ROOT_ICEWS.get(code[:2]),
        "goldstein": number_of("Intensity"),
        "date_start": day,
        "date_end": day,
        "date_precision": "day",
        "source_file": name,
        "source_line": number,
    }
    for n, side in (("1", "Source"), ("2", "Target")):
        country = country_of(f"{side} Country")
        role = None
        for sector in (get(f"{side} Sectors") or "").split(","):
            agent = sectors.get(sector.strip())
            if agent:
                role = agent[:3]
                break
        event[f"actor{n}_name"] = get(f"{side} Name")
        event[f"actor{n}_country"] = country
        event[f"actor{n}_role"] = role
        event[f"actor{n}_code"] = ((country or "") + (role or "")) or None
    city, district, province = get("City"), get("District"), get("Province")
    place = city or district or province or get("Country")
    country = country_of("Country")
    event.update(
        {
            "location_name": place,
            "country": country,
            "adm1": province,
            "latitude": number_of("Latitude"),
            "longitude": number_of("Longitude"),
            "geo_precision": (
                "locality"
                if city
                else "adm2"
                if district
                else "adm1"
                if province
                else "country"
                if country
                else None
            ),
        }
    )
    article = {
        "article_id": article_id,
        "source": get("Publisher"),
        "n_events": 1,
        "source_file": name,
        "source_line": number,
    }
    return event, article
