"""Unit tests of the small publish modules: checksums, changelog, datapackage, page parts."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tacitus.datasets import changelog, checksums, datapackage, release_page
from tacitus.errors import IntegrityError


@pytest.mark.parametrize(
    "module",
    ["checksums", "changelog", "datapackage", "release_page", "publish", "load"],
)
def test_doctests(module: str) -> None:
    mod = importlib.import_module(f"tacitus.datasets.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize(
    "line",
    [
        "a" * 64 + "  ../etc/passwd",
        "a" * 64 + "  /abs",
        "a" * 64 + "  a//b",
        "A" * 64 + "  upper.txt",
        "a" * 63 + "  short.txt",
    ],
)
def test_bad_sums_lines(line: str) -> None:
    with pytest.raises(IntegrityError):
        checksums.parse_sums(line + "\n")


def test_sums_round_trip_and_binary_marker(tmp_path: Path) -> None:
    (tmp_path / "a b.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.bin").write_bytes(b"\0")
    sums = checksums.write_sums(tmp_path)
    assert checksums.read_sums(tmp_path) == sums
    star = (tmp_path / checksums.SUMS_FILE).read_text().replace("  ", " *")
    assert checksums.parse_sums(star) == sums  # `sha256sum -b` style is read too
    with pytest.raises(IntegrityError, match="listed twice"):
        checksums.parse_sums("a" * 64 + "  x\n" + "b" * 64 + "  x\n")


versions = st.lists(st.integers(0, 30), min_size=1, max_size=4).map(
    lambda xs: ".".join(map(str, xs))
)


@given(versions, versions)
def test_version_order_is_numeric(a: str, b: str) -> None:
    ka, kb = changelog.version_key(a), changelog.version_key(b)
    na = tuple(map(int, a.split("."))) + (0,) * 4
    nb = tuple(map(int, b.split("."))) + (0,) * 4
    assert (ka < kb) == (na[:4] < nb[:4])


def test_pre_releases_sort_first() -> None:
    order = ["0.9", "1.0.0a1", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10", "2"]
    assert sorted(reversed(order), key=changelog.version_key) == [
        "0.9",
        "1.0.0-rc.1",
        "1.0.0a1",
        "1.0.0",
        "1.0.1",
        "1.10",
        "2",
    ]
    assert changelog.previous_version(order, "1.0.0") == "1.0.0a1"
    assert changelog.previous_version(order, "0.1") is None


def test_diff_ignores_provenance_columns() -> None:
    old = pl.DataFrame({"event_id": ["a/e1"], "source_line": [3], "goldstein": [1.0]})
    new = pl.DataFrame({"event_id": ["a/e1"], "source_line": [9], "goldstein": [1.0]})
    assert changelog.diff_events(old, new).empty


def test_changelog_values_are_one_line() -> None:
    old = pl.DataFrame({"event_id": ["a/e1"], "location_name": ["x"]})
    new = pl.DataFrame({"event_id": ["a/e1"], "location_name": ["two\nlines `code`"]})
    entry = changelog.render_entry("2", "1", changelog.diff_events(old, new))
    assert '- `a/e1`: location_name "x" → "two lines \'code\'"' in entry


def test_field_types_cover_every_table_column() -> None:
    from tacitus.schema.tables import ALL_SCHEMAS

    for schema in ALL_SCHEMAS.values():
        for field in schema:
            assert datapackage.field_type(field.type)["type"] != "any", field


def test_highlight_nests_and_splits() -> None:
    text = "abcdefghij"
    spans = [
        release_page.Span(0, 6, 0, "e", "event", "abcdef"),
        release_page.Span(2, 4, 1, "e", "actor1", "cd"),
        release_page.Span(4, 9, 2, "e", "date", "efghi"),
    ]
    out = release_page.highlight(text, spans)
    # span 2 crosses span 0's end: two fragments; span 1 nests inside span 0
    assert out.count('data-ev="2"') == 2 and out.count('data-ev="1"') == 1
    assert out.count("<mark") == out.count("</mark>") == 4
    import re

    assert re.sub(r"<[^>]+>", "", out) == text


def test_empty_charts_say_so() -> None:
    from tacitus.schema.tables import empty_frame

    events = empty_frame("events")
    assert "No dated events" in release_page.events_per_week_svg(events)
    assert "No casualty figures" in release_page.casualties_svg(events)
    assert "No events" in release_page.actor_pairs_svg(events)
    assert release_page.map_svg(events).count('class="point"') == 0


def test_weekly_chart_fills_empty_weeks() -> None:
    events = pl.DataFrame(
        {
            "date_start": [dt.date(2024, 1, 1), dt.date(2024, 3, 1)],
            "root_code": ["19", "01"],
            "event_code": ["190", "010"],
        }
    )
    svg = release_page.events_per_week_svg(events)
    assert svg.count('class="bar"') == 2
    assert 'data-week="2024-02-26"' in svg


def test_world_outline_is_well_formed() -> None:
    rings = release_page.world_outline()
    assert len(rings) > 30
    for _kind, name, ring in rings:
        assert len(ring) >= 3, name
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring), name


def _tolls(
    *rows: tuple[dt.date, dt.date | None, int | None, int | None, int | None],
) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "date_start": pl.Date,
            "date_end": pl.Date,
            "killed_low": pl.Int64,
            "killed_best": pl.Int64,
            "killed_high": pl.Int64,
        },
        orient="row",
    )


def test_casualty_tolls_for_a_period_are_listed_not_plotted() -> None:
    day, later = dt.date(2024, 1, 18), dt.date(2024, 1, 30)
    events = _tolls(
        (day, day, 2, None, 9),
        (day, None, 7, 7, 7),
        (dt.date(2024, 1, 1), later, 24, None, 99),
        (dt.date(2024, 1, 1), later, 24, None, 99),
    )
    svg = release_page.casualties_svg(events)
    assert svg.count('class="range"') == 1
    assert 'data-date="2024-01-18" data-low="9" data-best="9" data-high="16"' in svg
    assert "2 event(s) with a toll for a period longer than a day" in svg
    assert "2024-01-01 – 2024-01-30: 24–99 killed, in 2 events" in svg
    # Only period tolls: nothing to plot, but the note still says what there is.
    only_periods = release_page.casualties_svg(events.tail(2))
    assert "No casualty figures for single days" in only_periods
    assert "24–99 killed" in only_periods


def test_casualties_over_a_long_span_are_weekly_and_gaps_stay_empty() -> None:
    events = _tolls(
        (dt.date(2024, 1, 3), None, 1, 1, 1),
        (dt.date(2024, 1, 4), None, 2, 3, 4),
        (dt.date(2024, 9, 2), dt.date(2024, 9, 6), 5, 5, 5),  # within one week: plotted
    )
    svg = release_page.casualties_svg(events)
    assert svg.count('class="range"') == 2  # weeks with figures only, no zero bars
    assert 'data-date="2024-01-01" data-low="3" data-best="4" data-high="5"' in svg
    assert 'data-date="2024-09-02"' in svg
    assert "per week" in svg


# --- one event, several reports: the arithmetic of the charts ---------------------------

Figure = tuple[int | None, int | None, int | None]


def _reports(*figures: Figure, same_day: bool = True) -> pl.DataFrame:
    """One report per figure (low, best, high), each from its own article, all of the same
    strike: same actors, code and country, on 18 January (or one day apart)."""
    from tacitus.schema.tables import frame_from_rows

    rows: list[dict[str, object]] = [
        {
            "event_id": f"art{i}/e1",
            "article_id": f"art{i}",
            "event_code": "195",
            "root_code": "19",
            "actor1_code": "PAKMIL",
            "actor2_code": "PAKSEP",
            "country": "IRN",
            "date_start": dt.date(2024, 1, 18 if same_day else 17 + i % 2),
            "killed_low": low,
            "killed_best": best,
            "killed_high": high,
        }
        for i, (low, best, high) in enumerate(figures)
    ]
    return frame_from_rows("events", rows)


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        pytest.param([(7, 7, 7)], (7, 7, 7, 1), id="singleton exact"),
        pytest.param([(24, None, 99)], (24, 24, 99, 1), id="singleton range, best = low"),
        pytest.param([(None, None, 9)], (0, 0, 9, 1), id="singleton 'up to 9' starts at 0"),
        pytest.param([(5, None, None)], (5, 5, 5, 1), id="singleton 'at least 5'"),
        pytest.param([(7, 7, 7), (9, 9, 9)], (7, 7, 9, 2), id="two sources disagree"),
        pytest.param([(9, 9, 9), (7, 7, 7)], (7, 7, 9, 2), id="order does not matter"),
        pytest.param([(1, 1, 1), (5, 5, 5), (100, 100, 100)], (1, 5, 100, 3), id="median best"),
        pytest.param([(None, 7, None), (2, None, 9)], (2, 7, 9, 2), id="exact and range"),
        pytest.param([(3, 7, 9), (0, None, None)], (0, 7, 9, 2), id="open 'at least 0', null high"),
        pytest.param([(2, 3, 3), (10, None, None)], (2, 3, 10, 2), id="open 'at least 10' tops"),
        pytest.param([(24, None, 99)] * 4, (24, 24, 99, 4), id="four equal reports count once"),
        pytest.param([(None, None, None), (4, 4, 4)], (4, 4, 4, 1), id="report without figure"),
        pytest.param([(None, None, None)] * 2, (None, None, None, 0), id="no figures at all"),
        pytest.param([(5, 2, 9)], (5, 5, 9, 1), id="invalid best below low is clamped"),
    ],
)
def test_distinct_event_figures(
    figures: list[Figure], expected: tuple[int | None, int | None, int | None, int]
) -> None:
    distinct = release_page.distinct_events(_reports(*figures))
    assert distinct.height == 1
    row = distinct.row(0, named=True)
    assert row["n_reports"] == row["n_articles"] == len(figures)
    got = (row["killed_low"], row["killed_best"], row["killed_high"], row["killed_reports"])
    assert got == expected


def test_the_example_strike_is_counted_once_in_the_casualty_chart() -> None:
    """Saravan, 18 Jan, as the example's four articles report it: 0..9, best 7 -- not 28."""
    reports = _reports((2, 7, 9), (3, 7, 9), (0, None, None), (3, 7, 9))
    raw = release_page.casualties_svg(reports)  # rows taken as events: summed four times
    assert 'data-low="8" data-best="21" data-high="27"' in raw
    svg = release_page.casualties_svg(release_page.distinct_events(reports))
    assert svg.count('class="range"') == 1
    assert 'data-low="0" data-best="7" data-high="9" data-events="1" data-reports="4"' in svg
    assert "Plotted: 4 reports of 1 event, dated to a single day" in svg


def test_reports_a_day_apart_are_one_event_on_the_day_most_give() -> None:
    reports = _reports((7, 7, 7), (9, 9, 9), (8, 8, 8), same_day=False)  # 17, 18, 17
    distinct = release_page.distinct_events(reports)
    assert distinct.select("date_start", "date_end", "n_reports").rows() == [
        (dt.date(2024, 1, 17), dt.date(2024, 1, 17), 3)
    ]
    week = release_page.events_per_week_svg(distinct)
    assert 'data-count="1" data-reports="3"' in week
    assert "3 reports of 1 event" in week


@pytest.mark.parametrize(
    ("change", "events"),
    [
        pytest.param({}, 1, id="two articles, same strike"),
        pytest.param({"article_id": "art0"}, 2, id="two events of one article stay two"),
        pytest.param({"date_start": dt.date(2024, 1, 21)}, 2, id="three days apart"),
        pytest.param({"date_start": None}, 2, id="an undated report is its own event"),
        pytest.param({"actor2_code": "PAKREB"}, 2, id="other target"),
        pytest.param({"country": "PAK"}, 2, id="other country"),
        pytest.param({"event_code": "190", "root_code": "19"}, 1, id="same root code"),
    ],
)
def test_which_reports_are_one_event(change: dict[str, object], events: int) -> None:
    two = _reports((7, 7, 7), (9, 9, 9))
    second = two.slice(1).with_columns(
        **{k: pl.lit(v, dtype=two.schema[k]) for k, v in change.items()}
    )
    frame = pl.concat([two.head(1), second])
    clusters = release_page.event_clusters(frame)
    assert clusters.get_column("event_id").to_list() == ["art0/e1", "art1/e1"]
    assert clusters.get_column("cluster_id").n_unique() == events
    distinct = release_page.distinct_events(frame)
    assert distinct.height == events
    assert distinct.get_column("n_reports").sum() == 2


def test_an_event_is_mapped_at_its_most_precise_place() -> None:
    reports = _reports((7, 7, 7), (9, 9, 9), (8, 8, 8)).with_columns(
        latitude=pl.Series([27.5, 27.37, 27.5]),
        longitude=pl.Series([60.6, 62.33, 60.6]),
        location_name=pl.Series(["Sistan-o-Balochistan", "Saravan", "Sistan-o-Balochistan"]),
        geo_precision=pl.Series(["adm1", "locality", "adm1"]),
    )
    distinct = release_page.distinct_events(reports)
    assert distinct.select("location_name", "latitude", "n_places").row(0) == ("Saravan", 27.37, 2)
    svg = release_page.map_svg(distinct)
    assert svg.count('class="point"') == 1
    assert 'data-event="art0/e1" data-reports="3"' in svg
    assert "3 reports at 2 places, the most precise shown" in svg


def test_distinct_events_of_no_events() -> None:
    from tacitus.schema.tables import empty_frame

    distinct = release_page.distinct_events(empty_frame("events"))
    assert distinct.is_empty() and "killed_best" in distinct.columns
    assert release_page.reports_of(distinct) == "0 reports of 0 events"
