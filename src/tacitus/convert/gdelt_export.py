"""Write our events table in the GDELT 2.0 events layout (61 tab-separated columns).

Tools written for GDELT (gdeltPyR, BigQuery loaders, R's GDELTtools ...) then read our
datasets. Every column we model is filled (see ``tacitus.convert.gdelt.MODELLED``); the
columns we do not model (the actors' group/ethnic/religion codes and secondary types,
mention counts, tone, the actors' own geography, ADM2, feature ids) are left empty, as
GDELT leaves a value it does not know. A GDELT file read with ``read_gdelt`` and written
back here gives the modelled columns byte for byte.

How our columns become GDELT's:

* GLOBALEVENTID: the event's local id when it is a number (events read from GDELT), else
  a stable 48-bit number from the SHA-256 of event_id.
* SQLDATE/MonthYear/Year/FractionDate: from date_start (FractionDate as GDELT computes it,
  year + ((month - 1) * 30 + day) / 365, four decimals).
* ActionGeo_Type: country → 1, adm1 → 2 in the USA else 5, locality/exact → 3 in the USA
  else 4, adm2 → 5, region → 1, none → 0.
* ActionGeo_CountryCode: the FIPS prefix of adm1 when adm1 is a GDELT ADM1 code, else the
  FIPS code of our country; ActionGeo_ADM1Code: adm1 when it is a GDELT ADM1 code, the
  FIPS country for a country-level place, else empty.
* DATEADDED/SOURCEURL: the article's published_at (UTC, or its published day at 00:00:00)
  and url, when the articles table is given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import polars as pl

from tacitus.atomic import write_bytes_atomic
from tacitus.convert.gdelt import COLUMNS, fips_to_country

_PREFERRED_FIPS = {"FRA": "FR", "GBR": "UK", "PSE": "WE", "SRB": "RI"}
_FIPS_ADM1 = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


def country_to_fips() -> dict[str, str]:
    """CAMEO/ISO3 country code → FIPS 10-4 (the inverse of GDELT's table, one code each).

    Example:
        >>> country_to_fips()["IRN"], country_to_fips()["GBR"]
        ('IR', 'UK')
    """
    inverse: dict[str, str] = {}
    for fips, country in sorted(fips_to_country().items()):
        inverse.setdefault(country, fips)
    inverse.update(_PREFERRED_FIPS)
    return inverse


def gdelt_event_id(event_id: str) -> str:
    """The GLOBALEVENTID for one of our event ids.

    Example:
        >>> gdelt_event_id("gdelt-0123/881990832")
        '881990832'
        >>> gdelt_event_id("rt-2024-01-18/e1").isdigit()
        True
    """
    local = event_id.rsplit("/", 1)[-1]
    if local.isdigit():
        return local
    return str(int.from_bytes(hashlib.sha256(event_id.encode("utf-8")).digest()[:6], "big"))


def fraction_date(day: dt.date) -> str:
    """GDELT's FractionDate of a day: year + ((month - 1) * 30 + day) / 365, 4 decimals.

    Example:
        >>> fraction_date(dt.date(2018, 10, 24))
        '2018.8055'
    """
    return f"{day.year + ((day.month - 1) * 30 + day.day) / 365:.4f}"


def _float(value: float | None, *, keep_point: bool) -> str:
    """GDELT writes Goldstein as ``-7.0`` but coordinates as ``38`` or ``27.5667``."""
    if value is None:
        return ""
    text = repr(float(value))
    if not keep_point and text.endswith(".0"):
        text = text[:-2]
    return text


def _geo_type(precision: str | None, country: str | None, has_place: bool) -> str:
    usa = country == "USA"
    if precision is None:
        return "0" if not has_place else "4"
    return {
        "country": "1",
        "region": "1",
        "adm1": "2" if usa else "5",
        "adm2": "5",
        "locality": "3" if usa else "4",
        "exact": "3" if usa else "4",
    }.get(precision, "4")


def _clean(value: Any) -> str:
    """A value as a GDELT field: tabs and newlines would break the row."""
    if value is None:
        return ""
    return re.sub(r"[\t\r\n]+", " ", str(value))


def events_to_gdelt_rows(
    events: pl.DataFrame, articles: pl.DataFrame | None = None
) -> list[list[str]]:
    """Our events table (and optionally articles) as GDELT 2.0 rows of 61 strings.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> ev = frame_from_rows("events", [{"event_id": "a/e1", "event_code": "195",
        ...     "date_start": dt.date(2024, 1, 18), "quad_class": 4, "goldstein": -10.0}])
        >>> row = events_to_gdelt_rows(ev)[0]
        >>> len(row), row[1], row[26], row[30]
        (61, '20240118', '195', '-10.0')
    """
    fips = country_to_fips()
    by_article: dict[str, dict[str, Any]] = {}
    if articles is not None:
        for record in articles.iter_rows(named=True):
            by_article[record["article_id"]] = record
    out = []
    positions = {column: i for i, column in enumerate(COLUMNS)}
    for ev in events.iter_rows(named=True):
        row = [""] * len(COLUMNS)

        def put(column: str, value: Any, row: list[str] = row) -> None:
            row[positions[column]] = _clean(value)

        put("GLOBALEVENTID", gdelt_event_id(str(ev["event_id"])))
        day = ev.get("date_start")
        if day is not None:
            put("SQLDATE", day.strftime("%Y%m%d"))
            put("MonthYear", day.strftime("%Y%m"))
            put("Year", day.year)
            put("FractionDate", fraction_date(day))
        for n in ("1", "2"):
            put(f"Actor{n}Code", ev.get(f"actor{n}_code"))
            put(f"Actor{n}Name", ev.get(f"actor{n}_name"))
            put(f"Actor{n}CountryCode", ev.get(f"actor{n}_country"))
            put(f"Actor{n}Type1Code", ev.get(f"actor{n}_role"))
        code = ev.get("event_code")
        put("EventCode", code)
        put("EventBaseCode", ev.get("base_code") or (code[:3] if code else None))
        put("EventRootCode", ev.get("root_code") or (code[:2] if code else None))
        put("QuadClass", ev.get("quad_class"))
        put("GoldsteinScale", _float(ev.get("goldstein"), keep_point=True))
        country, adm1 = ev.get("country"), ev.get("adm1")
        has_place = any(
            ev.get(k) is not None
            for k in ("location_name", "country", "adm1", "latitude", "longitude")
        )
        geo_type = _geo_type(ev.get("geo_precision"), country, has_place)
        gdelt_adm1 = adm1 if adm1 and _FIPS_ADM1.match(adm1) else None
        country_fips = gdelt_adm1[:2] if gdelt_adm1 else fips.get(country or "", "")
        if gdelt_adm1 is None and geo_type == "1":
            gdelt_adm1 = country_fips or None
        put("ActionGeo_Type", geo_type)
        put("ActionGeo_FullName", ev.get("location_name"))
        put("ActionGeo_CountryCode", country_fips)
        put("ActionGeo_ADM1Code", gdelt_adm1)
        put("ActionGeo_Lat", _float(ev.get("latitude"), keep_point=False))
        put("ActionGeo_Long", _float(ev.get("longitude"), keep_point=False))
        article: dict[str, Any] | None = by_article.get(ev.get("article_id") or "")
        if article is not None:
            added = article.get("published_at")
            if added is not None:
                put("DATEADDED", added.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S"))
            elif article.get("published") is not None:
                put("DATEADDED", article["published"].strftime("%Y%m%d") + "000000")
            put("SOURCEURL", article.get("url"))
        out.append(row)
    return out


def events_to_gdelt(events: pl.DataFrame, articles: pl.DataFrame | None = None) -> str:
    """Our events as the text of a GDELT 2.0 events file (LF line ends, no header).

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> ev = frame_from_rows("events", [{"event_id": "a/e1", "event_code": "195"}])
        >>> events_to_gdelt(ev).count("\\t")
        60
    """
    return "".join("\t".join(row) + "\n" for row in events_to_gdelt_rows(events, articles))


def write_gdelt(
    events: pl.DataFrame, path: str | Path, articles: pl.DataFrame | None = None
) -> Path:
    """Write our events as a GDELT 2.0 events file, atomically (temp file + rename).

    Example:
        >>> import tempfile
        >>> from tacitus.schema.tables import frame_from_rows
        >>> ev = frame_from_rows("events", [{"event_id": "a/e1", "event_code": "195"}])
        >>> out = write_gdelt(ev, Path(tempfile.mkdtemp()) / "x.export.CSV")
        >>> out.read_text().count("\\t")
        60
    """
    return write_bytes_atomic(path, events_to_gdelt(events, articles).encode("utf-8"))
