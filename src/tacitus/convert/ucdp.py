"""Read the UCDP Georeferenced Event Dataset (GED, CSV with a header) into our tables.

UCDP codes organised violence with deaths, not CAMEO events: each row becomes one event
coded as CAMEO 190 (use conventional military force) for state-based and non-state
conflict (type_of_violence 1 and 2) and 180 (use unconventional violence) for one-sided
violence against civilians (3); quad_class 4 (material conflict in every scheme);
Goldstein is left empty (UCDP has none). The Parquet metadata says so
(``tacitus.event_code_scheme = UCDP type_of_violence → CAMEO``). Mapping:

=============================  ==========================================================
id                             event_id = ``ucdp-ged/<id>`` (article_id is empty: a GED
                               event is compiled from several sources)
type_of_violence               event_code 190/190/180 (see above)
side_a / side_b                actor1_name / actor2_name
date_start / date_end          date_start / date_end; date_prec 1 → day, 2-3 → week,
                               4 → month, 5 → year, widened to the first of our
                               calendar units the window fits (see date_precision)
where_coordinates              location_name
adm_1                          adm1
country                        country (name → CAMEO code; "DR Congo (Zaire)" → COD)
latitude / longitude           latitude / longitude
where_prec                     geo_precision: 1 exact, 2 locality, 3 adm2, 4 adm1,
                               5 region, 6 country, 7 region
low / best / high              killed_low / killed_best / killed_high, and a casualties
                               row (kind killed, category unknown)
deaths_a / _b / _civilians /   breakdown casualties rows of that total (combatants of
deaths_unknown                 side A, of side B, civilians, unknown)
=============================  ==========================================================

UCDP publishes rows where low ≤ best ≤ high does not hold; such a row is kept as
published and reported as a warning (rule S030) with its file and line. Some text
fields hold quoted new lines, so ``source_line`` is the physical line where the record
starts, as the CSV reader counts it.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from tacitus.convert.dates import PRECISIONS, window_precision_ok
from tacitus.convert.readers import (
    S020,
    S030,
    CodedResult,
    load_asset_table,
    not_this_format,
    row_problems,
)
from tacitus.schema.rules import Finding
from tacitus.schema.tables import frame_from_rows

REQUIRED = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
)
EVENT_CODE = {"1": "190", "2": "190", "3": "180"}
DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}


def date_precision(code: str | None, start: dt.date | None, end: dt.date | None) -> str | None:
    """Our date precision for a GED row: UCDP's ``date_prec``, widened to fit the window.

    UCDP's levels are ranges of days (4: "8-30 days or the month"), ours calendar units
    (month: within one calendar month). The result is the finest of day, week, month and
    year that is no finer than ``date_prec`` says and that the window fits; a window
    crossing a year boundary keeps ``year`` (the validator then reports it).

    Example:
        >>> date_precision("4", dt.date(2003, 11, 24), dt.date(2003, 12, 24))
        'year'
        >>> date_precision("4", dt.date(2003, 11, 2), dt.date(2003, 11, 24))
        'month'
        >>> date_precision("1", dt.date(2003, 11, 2), dt.date(2003, 11, 2))
        'day'
    """
    claimed = DATE_PRECISION.get(code or "")
    if claimed is None or start is None or end is None:
        return claimed
    for level in PRECISIONS[PRECISIONS.index(claimed) :]:
        if window_precision_ok(start, end, level):
            return level
    return "year"


GEO_PRECISION = {
    "1": "exact",
    "2": "locality",
    "3": "adm2",
    "4": "adm1",
    "5": "region",
    "6": "country",
    "7": "region",
}
METADATA = {
    "tacitus.source_format": "ucdp",
    "tacitus.quad_class_scheme": "GDELT",
    "tacitus.goldstein_scheme": "none",
    "tacitus.event_code_scheme": "UCDP type_of_violence → CAMEO (1, 2 → 190; 3 → 180)",
    "tacitus.geography": "country: CAMEO code from the UCDP country name; adm1: name",
}
_BREAKDOWN = (
    ("deaths_a", "combatants", "side_a"),
    ("deaths_b", "combatants", "side_b"),
    ("deaths_civilians", "civilians", None),
    ("deaths_unknown", "unknown", None),
)


def read_ucdp(path: str | Path, *, display_path: str | None = None) -> CodedResult:
    """Read a UCDP GED CSV file into events and casualties tables.

    Example:
        >>> r = read_ucdp("tests/data/readers/ucdp/ged-sample.csv")
        >>> r.rows_read, sorted({p.rule for p in r.problems})
        (40, ['S030'])
    """
    path = Path(path)
    name = display_path or str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise not_this_format(path, "ucdp", exc.strerror or str(exc)) from None
    countries = load_asset_table("countries.tsv")
    problems: list[Finding] = []
    events: list[dict[str, Any]] = []
    casualties: list[dict[str, Any]] = []
    rows = 0
    with handle:
        try:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or not all(column in header for column in REQUIRED):
                raise not_this_format(
                    path,
                    "ucdp",
                    "the first line is not a UCDP GED header "
                    f"(needs {', '.join(REQUIRED)}, comma-separated)",
                )
            index = {column: i for i, column in enumerate(header)}
            while True:
                start = reader.line_num + 1  # the physical line where this record starts
                try:
                    fields = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    problems.append(
                        S020.finding(
                            source_file=name,
                            source_line=start,
                            table="events",
                            detail=f"CSV error: {exc}",
                        )
                    )
                    break
                if not any(f.strip() for f in fields):
                    continue
                rows += 1
                _row(fields, index, start, name, countries, problems, events, casualties)
        except UnicodeDecodeError as exc:
            raise not_this_format(path, "ucdp", f"not UTF-8 ({exc.reason})") from None
    return CodedResult(
        source_file=name,
        format="ucdp",
        events=frame_from_rows("events", events),
        casualties=frame_from_rows("casualties", casualties),
        articles=frame_from_rows("articles", []),
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
    problems: list[Finding],
    events: list[dict[str, Any]],
    casualties: list[dict[str, Any]],
) -> None:
    bad = row_problems(problems, name, number)

    if len(fields) != len(index):
        bad("(row)", f"{len(fields)} columns, the header has {len(index)}")
        return

    def get(column: str) -> str | None:
        i = index.get(column)
        value = fields[i].strip() if i is not None else ""
        return value or None

    ident = get("id")
    if ident is None:
        bad("id", "no id")
        return
    event_id = f"ucdp-ged/{ident}"

    def integer(column: str) -> int | None:
        value = get(column)
        if value is None:
            return None
        try:
            return int(float(value)) if "." in value else int(value)
        except (ValueError, OverflowError):  # OverflowError: "1.0e999" is infinite
            bad(column, f"{column} {value!r} is not a number", value, event_id=event_id)
            return None

    def number_of(column: str) -> float | None:
        value = get(column)
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            bad(column, f"{column} {value!r} is not a number", value, event_id=event_id)
            return None

    dates = []
    for column in ("date_start", "date_end"):
        raw = (get(column) or "")[:10]
        try:
            dates.append(dt.date.fromisoformat(raw))
        except ValueError:
            bad(
                column,
                f"{column} {get(column)!r} is not YYYY-MM-DD",
                get(column),
                event_id=event_id,
            )
            return
    violence = get("type_of_violence") or ""
    code = EVENT_CODE.get(violence)
    if code is None:
        bad(
            "type_of_violence",
            f"type_of_violence {violence!r} is not 1, 2 or 3",
            violence,
            event_id=event_id,
        )
        return
    low, best, high = integer("low"), integer("best"), integer("high")
    if None not in (low, best, high) and not (low <= best <= high):  # type: ignore[operator]
        problems.append(
            S030.finding(
                source_file=name,
                source_line=number,
                table="casualties",
                event_id=event_id,
                field="low/best/high",
                value=f"{low}/{best}/{high}",
                detail=f"UCDP GED id {ident}: low {low}, best {best}, high {high} are not "
                "ordered low <= best <= high (kept as published)",
            )
        )
    country_name = get("country")
    country = None
    if country_name is not None:
        country = countries.get(country_name) or countries.get(country_name.split(" (")[0])
        if country is None:
            bad(
                "country",
                f"country {country_name!r} is not a country tacitus knows",
                country_name,
                event_id=event_id,
            )
    events.append(
        {
            "event_id": event_id,
            "article_id": None,
            "event_code": code,
            "base_code": code,
            "root_code": code[:2],
            "quad_class": 4,
            "goldstein": None,
            "actor1_name": get("side_a"),
            "actor2_name": get("side_b"),
            "date_start": dates[0],
            "date_end": dates[1],
            "date_precision": date_precision(get("date_prec"), dates[0], dates[1]),
            "location_name": get("where_coordinates"),
            "country": country,
            "adm1": get("adm_1"),
            "latitude": number_of("latitude"),
            "longitude": number_of("longitude"),
            "geo_precision": GEO_PRECISION.get(get("where_prec") or ""),
            "killed_low": low,
            "killed_best": best,
            "killed_high": high,
            "source_file": name,
            "source_line": number,
        }
    )
    total_id = f"{event_id}/c1"
    casualties.append(
        {
            "casualty_id": total_id,
            "event_id": event_id,
            "kind": "killed",
            "category": "unknown",
            "low": low,
            "best": best,
            "high": high,
            "source_file": name,
            "source_line": number,
        }
    )
    for k, (column, category, side) in enumerate(_BREAKDOWN, start=1):
        count = integer(column)
        if count is None:
            continue
        casualties.append(
            {
                "casualty_id": f"{total_id}.{k}",
                "event_id": event_id,
                "kind": "killed",
                "category": category,
                "who": get(side) if side else None,
                "low": count,
                "best": count,
                "high": count,
                "parent": total_id,
                "source_file": name,
                "source_line": number,
            }
        )
