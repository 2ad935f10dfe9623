"""Read a GDELT 2.0 events export (61 tab-separated columns, no header) into our tables.

GDELT's values follow GDELT's schemes: QuadClass 1-4 from the root code (GDELT's mapping,
which puts root 09 "Investigate" in material cooperation and 14 "Protest" in verbal
conflict) and GDELT's Goldstein table. The tables' Parquet metadata names them
(``tacitus.quad_class_scheme = GDELT``). Mapping (GDELT column → ours):

=========================  ===========================================================
GLOBALEVENTID              event_id = ``gdelt-<sha256(SOURCEURL)[:16]>/<GLOBALEVENTID>``
SOURCEURL                  article_id (the hash above); articles.url; articles.source =
                           the URL's host
SQLDATE                    date_start = date_end; date_precision = day
Actor{1,2}Code / Name      actor{1,2}_code / actor{1,2}_name
Actor{1,2}CountryCode      actor{1,2}_country (a CAMEO country code)
Actor{1,2}Type1Code        actor{1,2}_role
EventCode / Base / Root    event_code / base_code / root_code (strings, zeros kept)
QuadClass, GoldsteinScale  quad_class, goldstein (GDELT scheme)
ActionGeo_Type             geo_precision: 1 country, 2/5 adm1, 3/4 locality, 0 none
ActionGeo_FullName         location_name
ActionGeo_CountryCode      country (FIPS 10-4 converted to the CAMEO/ISO3 code)
ActionGeo_ADM1Code         adm1 (GDELT's FIPS ADM1 code, e.g. ``IR04``)
ActionGeo_Lat / _Long      latitude / longitude
DATEADDED                  articles.published_at (UTC; GDELT gives no publication time)
=========================  ===========================================================

MonthYear, Year and FractionDate are derived from SQLDATE; the other columns (the
actors' group/ethnic/religion/secondary type codes, mention counts, tone, the actors'
own geography, ADM2 and feature ids) have no column in our tables.
``source_line`` is the row's line in the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tacitus.convert.readers import (
    CodedResult,
    load_asset_table,
    not_this_format,
    row_problems,
)
from tacitus.schema.rules import Finding
from tacitus.schema.tables import frame_from_rows

COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]
"""The 61 columns of a GDELT 2.0 events file, in order."""

COL = {name: i for i, name in enumerate(COLUMNS)}

MODELLED = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1Type1Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2Type1Code",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "DATEADDED",
    "SOURCEURL",
]
"""The GDELT columns our tables keep (a GDELT → ours → GDELT round trip preserves them)."""

METADATA = {
    "tacitus.source_format": "gdelt",
    "tacitus.quad_class_scheme": "GDELT",
    "tacitus.goldstein_scheme": "GDELT",
    "tacitus.geography": "country: CAMEO code from FIPS 10-4; adm1: GDELT FIPS ADM1 code",
}

GEO_PRECISION = {"1": "country", "2": "adm1", "3": "locality", "4": "locality", "5": "adm1"}
_DIGITS = re.compile(r"^[0-9]+$")
_CODE = re.compile(r"^[0-9]{2,4}$")


def fips_to_country() -> dict[str, str]:
    """FIPS 10-4 country code → CAMEO/ISO3 country code (GDELT's geography).

    Example:
        >>> fips_to_country()["IR"], fips_to_country()["PK"]
        ('IRN', 'PAK')
    """
    return load_asset_table("fips_countries.tsv")


def article_id_for(url: str) -> str:
    """The article id of a GDELT source URL: ``gdelt-`` + 16 hex digits of its SHA-256.

    Example:
        >>> article_id_for("https://example.org/a")
        'gdelt-b5b10dd0429e69ac'
    """
    return "gdelt-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def read_gdelt(path: str | Path, *, display_path: str | None = None) -> CodedResult:
    """Read a GDELT 2.0 events file into events and articles tables.

    Example:
        >>> r = read_gdelt("tests/data/readers/gdelt/20191024143000.export.sample.CSV")
        >>> r.rows_read, r.events["quad_class"].drop_nulls().is_between(1, 4).all()
        (40, True)
    """
    path = Path(path)
    name = display_path or str(path)
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        raise not_this_format(path, "gdelt", exc.strerror or str(exc)) from None
    except UnicodeDecodeError as exc:
        raise not_this_format(path, "gdelt", f"not UTF-8 (byte {exc.start})") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    first = next((line for line in lines if line.strip()), None)
    if first is not None:
        width = len(first.rstrip("\r").split("\t"))
        if width in (57, 58):
            raise not_this_format(
                path,
                "gdelt",
                f"{width} columns: a GDELT 1.0 file; tacitus reads the 61-column GDELT 2.0 layout",
            )
        if width != len(COLUMNS) or not _DIGITS.match(first.split("\t", 1)[0]):
            raise not_this_format(
                path,
                "gdelt",
                f"the first row has {width} tab-separated "
                "columns; a GDELT 2.0 events row has 61, no header",
            )
    fips = fips_to_country()
    problems: list[Finding] = []
    events: list[dict[str, Any]] = []
    articles: dict[str, dict[str, Any]] = {}
    rows = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        rows += 1
        fields = line.rstrip("\r").split("\t")
        row = _row(fields, number, name, fips, problems)
        if row is None:
            continue
        event, article = row
        events.append(event)
        known = articles.get(article["article_id"])
        if known is None:
            articles[article["article_id"]] = article
        else:
            known["n_events"] += 1
    return CodedResult(
        source_file=name,
        format="gdelt",
        events=frame_from_rows("events", events),
        casualties=frame_from_rows("casualties", []),
        articles=frame_from_rows("articles", list(articles.values())),
        problems=problems,
        rows_read=rows,
        metadata=dict(METADATA),
    )


def _row(
    fields: list[str], number: int, name: str, fips: dict[str, str], problems: list[Finding]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    bad = row_problems(problems, name, number)

    if len(fields) != len(COLUMNS):
        bad("(row)", f"{len(fields)} columns, not {len(COLUMNS)}")
        return None
    get = dict(zip(COLUMNS, fields, strict=True))
    ident = get["GLOBALEVENTID"]
    if not _DIGITS.match(ident):
        bad("GLOBALEVENTID", f"GLOBALEVENTID {ident!r} is not a number", ident)
        return None
    try:
        day = dt.datetime.strptime(get["SQLDATE"], "%Y%m%d").date()
    except ValueError:
        bad("SQLDATE", f"SQLDATE {get['SQLDATE']!r} is not YYYYMMDD", get["SQLDATE"])
        return None
    code = get["EventCode"]
    if not _CODE.match(code):
        bad("EventCode", f"EventCode {code!r} is not a CAMEO code", code)
        return None
    url = get["SOURCEURL"]
    article_id = article_id_for(url)

    def number_of(column: str, kind: type) -> Any:
        value = get[column]
        if value == "":
            return None
        try:
            return kind(value)
        except ValueError:
            bad(column, f"{column} {value!r} is not a number", value)
            return None

    geo_type = get["ActionGeo_Type"]
    country_fips = get["ActionGeo_CountryCode"]
    event = {
        "event_id": f"{article_id}/{ident}",
        "article_id": article_id,
        "event_code": code,
        "base_code": get["EventBaseCode"] or None,
        "root_code": get["EventRootCode"] or None,
        "quad_class": number_of("QuadClass", int),
        "goldstein": number_of("GoldsteinScale", float),
        "date_start": day,
        "date_end": day,
        "date_precision": "day",
        "location_name": get["ActionGeo_FullName"] or None,
        "country": fips.get(country_fips) if country_fips else None,
        "adm1": get["ActionGeo_ADM1Code"] or None,
        "latitude": number_of("ActionGeo_Lat", float),
        "longitude": number_of("ActionGeo_Long", float),
        "geo_precision": GEO_PRECISION.get(geo_type),
        "source_file": name,
        "source_line": number,
    }
    for n in ("1", "2"):
        event[f"actor{n}_code"] = get[f"Actor{n}Code"] or None
        event[f"actor{n}_name"] = get[f"Actor{n}Name"] or None
        event[f"actor{n}_country"] = get[f"Actor{n}CountryCode"] or None
        event[f"actor{n}_role"] = get[f"Actor{n}Type1Code"] or None
    added = None
    if get["DATEADDED"]:
        try:
            added = dt.datetime.strptime(get["DATEADDED"], "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
        except ValueError:
            bad(
                "DATEADDED",
                f"DATEADDED {get['DATEADDED']!r} is not YYYYMMDDHHMMSS",
                get["DATEADDED"],
            )
    article = {
        "article_id": article_id,
        "source": urlsplit(url).hostname or None,
        "url": url or None,
        "published": added.date() if added else None,
        "published_at": added,
        "n_events": 1,
        "source_file": name,
        "source_line": number,
    }
    return event, article
