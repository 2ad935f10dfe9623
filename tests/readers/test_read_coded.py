"""GDELT, ICEWS and UCDP into our tables; GDELT out again."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tacitus.convert.gdelt import COLUMNS, MODELLED, fips_to_country, read_gdelt
from tacitus.convert.gdelt_export import events_to_gdelt, events_to_gdelt_rows, write_gdelt
from tacitus.convert.icews import read_icews
from tacitus.convert.readers import read_coded
from tacitus.convert.ucdp import read_ucdp
from tacitus.errors import InputError
from tacitus.schema.tables import EVENTS, polars_schema

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
GDELT = DATA / "gdelt" / "20191024143000.export.sample.CSV"
ICEWS = DATA / "icews" / "events.2018.sample.tab"
UCDP = DATA / "ucdp" / "ged-sample.csv"


def _modelled(rows: list[list[str]]) -> list[list[str]]:
    return [[row[COLUMNS.index(c)] for c in MODELLED] for row in rows]


def test_gdelt_rows_map_to_events() -> None:
    result = read_gdelt(GDELT)
    assert result.problems == [] and result.rows_read == 40
    assert result.events.schema == polars_schema(EVENTS)
    assert result.metadata["tacitus.quad_class_scheme"] == "GDELT"
    first = result.events.row(0, named=True)
    raw = GDELT.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert first["event_id"].endswith("/" + raw[0]) and first["event_code"] == raw[26]
    assert first["source_line"] == 1 and first["date_start"] == dt.date(2018, 10, 24)
    assert set(result.events["event_code"].str.len_chars().unique()) <= {3, 4}  # zeros kept


def test_gdelt_round_trip_keeps_every_modelled_column_byte_for_byte() -> None:
    result = read_gdelt(GDELT)
    original = [line.split("\t") for line in GDELT.read_text(encoding="utf-8").splitlines()]
    exported = events_to_gdelt_rows(result.events, result.articles)
    assert all(len(row) == 61 for row in exported)
    assert _modelled(exported) == _modelled(original)


_word = (
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghij,'-", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
_code3 = st.sampled_from(["PAK", "IRN", "USA", "GBR", "FRA", ""])
_fips = sorted(set(fips_to_country()) - {"OS", "JE", "MF", "TB", "GZ", "YI"})


@st.composite
def gdelt_rows(draw: st.DrawFn) -> list[str]:
    row = [""] * 61
    day = draw(st.dates(min_value=dt.date(1979, 1, 1), max_value=dt.date(2030, 12, 31)))
    code = draw(
        st.sampled_from(["010", "0211", "040", "111", "138", "1823", "190", "195", "202", "036"])
    )
    values = {
        "GLOBALEVENTID": str(draw(st.integers(1, 10**12))),
        "SQLDATE": day.strftime("%Y%m%d"),
        "MonthYear": day.strftime("%Y%m"),
        "Year": str(day.year),
        "FractionDate": f"{day.year + ((day.month - 1) * 30 + day.day) / 365:.4f}",
        "EventCode": code,
        "EventBaseCode": code[:3],
        "EventRootCode": code[:2],
        "QuadClass": str(draw(st.integers(1, 4))),
        "GoldsteinScale": repr(draw(st.sampled_from([-10.0, -7.0, 0.0, 1.0, 3.4, 8.0]))),
    }
    # DATEADDED belongs to the article in our tables: one per URL (as in a GDELT file).
    page = draw(st.integers(0, 5))
    values["SOURCEURL"] = f"https://example.org/{page}"
    values["DATEADDED"] = f"2019102{page}143000"
    for n in ("1", "2"):
        country = draw(_code3)
        values[f"Actor{n}CountryCode"] = country
        values[f"Actor{n}Code"] = country + draw(st.sampled_from(["", "GOV", "MIL"]))
        values[f"Actor{n}Name"] = draw(_word) if values[f"Actor{n}Code"] else ""
        values[f"Actor{n}Type1Code"] = values[f"Actor{n}Code"][3:6]
    geo = draw(st.sampled_from(["0", "1", "2", "3", "4", "5"]))
    values["ActionGeo_Type"] = geo
    if geo != "0":
        fips = "US" if geo in ("2", "3") else draw(st.sampled_from([f for f in _fips if f != "US"]))
        adm1 = fips if geo == "1" else fips + draw(st.sampled_from(["00", "01", "TX", "A4"]))
        lat = draw(st.decimals(-90, 90, places=draw(st.integers(0, 4))))
        lon = draw(st.decimals(-180, 180, places=draw(st.integers(0, 4))))
        values.update(
            {
                "ActionGeo_FullName": draw(_word),
                "ActionGeo_CountryCode": fips,
                "ActionGeo_ADM1Code": adm1,
                "ActionGeo_Lat": _gdelt_float(float(lat)),
                "ActionGeo_Long": _gdelt_float(float(lon)),
            }
        )
    for column, value in values.items():
        row[COLUMNS.index(column)] = value
    return row


def _gdelt_float(value: float) -> str:
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


@settings(max_examples=60, deadline=None)
@given(st.lists(gdelt_rows(), min_size=1, max_size=6))
def test_gdelt_round_trip_on_generated_rows(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    path = tmp_path_factory.mktemp("gdelt") / "x.export.CSV"
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    result = read_gdelt(path)
    assert result.problems == []
    assert _modelled(events_to_gdelt_rows(result.events, result.articles)) == _modelled(rows)


def test_gdelt_export_writes_a_file_tools_read(tmp_path: Path) -> None:
    result = read_gdelt(GDELT)
    out = write_gdelt(result.events, tmp_path / "ours.export.CSV", result.articles)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == 40 and {len(r) for r in rows} == {61}
    assert events_to_gdelt(result.events[:0]) == ""


def test_icews_rows_map_with_the_icews_scheme() -> None:
    result = read_icews(ICEWS)
    assert result.problems == [] and result.rows_read == 40
    assert result.metadata["tacitus.quad_class_scheme"] == "ICEWS"
    events = result.events
    # root 14 (protest) is material conflict (4) for ICEWS, verbal conflict (3) for GDELT
    assert set(events.filter(events["root_code"] == "14")["quad_class"]) <= {4}
    assert set(events.filter(events["root_code"] == "09")["quad_class"]) <= {3}
    lines = ICEWS.read_text(encoding="utf-8").splitlines()
    for row in events.iter_rows(named=True):
        assert lines[row["source_line"] - 1].split("\t")[0] == row["event_id"].split("/")[-1]
    first = events.row(0, named=True)
    assert (first["actor1_country"], first["actor1_role"], first["actor1_code"]) == (
        "BGD",
        "GOV",
        "BGDGOV",
    )


def test_ucdp_keeps_rows_reports_unordered_ranges_as_warnings_at_their_line() -> None:
    result = read_ucdp(UCDP)
    assert result.rows_read == 40 and result.events.height == 40
    warnings = [p for p in result.problems if p.rule == "S030"]
    assert len(warnings) == 6 and all(p.severity == "warning" for p in warnings)
    assert len(result.problems) == 6
    lines = UCDP.read_text(encoding="utf-8").split("\n")
    for p in result.problems:
        ident = str(p.event_id).split("/")[-1]
        assert lines[(p.source_line or 0) - 1].startswith(ident + ",")  # the record's start
    for row in result.events.iter_rows(named=True):  # quoted new lines: physical lines
        assert lines[row["source_line"] - 1].startswith(row["event_id"].split("/")[-1] + ",")
    assert int(result.events["source_line"].max()) > result.rows_read  # type: ignore[arg-type]
    total = result.casualties.filter(result.casualties["parent"].is_null())
    parts = result.casualties.filter(result.casualties["parent"].is_not_null())
    assert total.height == 40 and parts.height == 160


@pytest.mark.parametrize(
    ("fmt", "content", "why"),
    [
        ("gdelt", "a,b,c\n1,2,3\n", "61"),
        ("gdelt", "\t".join(["1"] * 57) + "\n", "GDELT 1.0"),
        ("icews", "a\tb\n", "ICEWS header"),
        ("ucdp", "Event ID\tEvent Date\n", "UCDP GED header"),
    ],
)
def test_wrong_format(tmp_path: Path, fmt: str, content: str, why: str) -> None:
    path = tmp_path / "x.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=why):
        read_coded(fmt, path)


def test_bad_rows_are_findings_and_skipped(tmp_path: Path) -> None:
    lines = GDELT.read_text(encoding="utf-8").splitlines()[:3]
    fields = lines[1].split("\t")
    fields[1] = "2018-10-24"
    lines[1] = "\t".join(fields)
    lines.append("\t".join(fields[:20]))
    path = tmp_path / "x.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_gdelt(path)
    assert [(p.rule, p.source_line) for p in result.problems] == [("S020", 2), ("S020", 4)]
    assert result.events.height == 2 and result.rows_read == 4


def test_ucdp_infinite_figure_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(
        "id,type_of_violence,side_a,side_b,date_start,date_end,best,low,high\n"
        "1,1,A,B,2020-01-01,2020-01-01,1.0e999,1,2\n",
        encoding="utf-8",
    )
    result = read_coded("ucdp", path)
    assert [(p.rule, p.field, p.source_line) for p in result.problems] == [("S020", "best", 2)]
    assert result.events["killed_best"].to_list() == [None]


@pytest.mark.parametrize(
    ("prec", "start", "end", "ours"),
    [
        ("1", "2003-11-02", "2003-11-02", "day"),
        ("2", "2003-11-02", "2003-11-06", "week"),
        ("3", "2003-11-02", "2003-11-12", "month"),  # UCDP "week" longer than 7 days
        ("4", "2003-11-02", "2003-11-24", "month"),
        ("4", "2003-11-24", "2003-12-24", "year"),  # 8-30 days across two months
        ("5", "2003-01-01", "2003-12-31", "year"),
        ("5", "2003-11-24", "2004-02-01", "year"),  # crosses a year: D006 reports it
    ],
)
def test_ucdp_date_precision_fits_the_window(prec: str, start: str, end: str, ours: str) -> None:
    from tacitus.convert.dates import window_precision_ok
    from tacitus.convert.ucdp import date_precision

    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    assert date_precision(prec, a, b) == ours
    if a.year == b.year:
        assert window_precision_ok(a, b, ours)


def test_ucdp_precisions_on_the_fixture_all_fit_their_windows() -> None:
    from tacitus.convert.dates import window_precision_ok

    events = read_ucdp(UCDP).events
    for row in events.iter_rows(named=True):
        assert window_precision_ok(row["date_start"], row["date_end"], row["date_precision"])
