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
