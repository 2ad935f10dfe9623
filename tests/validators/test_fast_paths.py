"""The engine's shortcuts give what the straightforward polars would: lookups without
joins, cluster numbering by a packed sort, repeated values by sorting, per-value flags."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tacitus.schema.tables import frame_from_rows
from tacitus.validators import cross_source
from tacitus.validators.base import Inputs, repeated_values
from tacitus.validators.cross_source import cluster_numbers, duplicates_view
from tacitus.validators.engine import validate_tables
from tacitus.validators.views import with_lookups


def _reference_numbers(key: pl.Series, day: pl.Series) -> pl.Series:
    frame = pl.DataFrame({"_k": key, "_d": day}).with_row_index("_pos").sort("_k", "_d")
    gap = (pl.col("_d") - pl.col("_d").shift(1)).dt.total_days()
    starts = (pl.col("_k") != pl.col("_k").shift(1)).fill_null(True) | (gap > 1)
    return frame.with_columns(_no=starts.cum_sum()).sort("_pos")["_no"]


def _same_partition(a: pl.Series, b: pl.Series) -> bool:
    pairs = pl.DataFrame({"a": a, "b": b})
    counts = pairs.select(
        pl.col("a").n_unique().alias("a"),
        pl.col("b").n_unique().alias("b"),
        pl.struct("a", "b").n_unique().alias("ab"),
    ).row(0)
    return counts[0] == counts[1] == counts[2]


@pytest.mark.parametrize(
    "keys",
    [
        [2**63 + 5, 7, 2**63 + 5, 7, 11, 11, 11, 7],  # keys apart: one packed sort
        [1, 2, 1, 2, 3, 3, 3, 2],  # keys equal but for low bits: sorted by both columns
    ],
)
@pytest.mark.parametrize("span_days", [3, 400_000])
def test_cluster_numbers_match_a_two_column_sort(keys: list[int], span_days: int) -> None:
    start = dt.date(1500, 1, 1)
    offsets = [0, 1, 2, 5, span_days, span_days - 1, 9, 6]
    key = pl.Series(keys, dtype=pl.UInt64)
    day = pl.Series([start + dt.timedelta(days=d) for d in offsets])
    assert _same_partition(cluster_numbers(key, day), _reference_numbers(key, day))


@pytest.mark.parametrize(
    "keys",
    [
        [2**63 + 5, 7, 2**63 + 5, 7, 11, 11, 11, 7],
        [1, 2, 1, 2, 3, 3, 3, 2],
    ],
)
def test_cluster_numbers_without_room_to_pack_ranks(
    keys: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # no room for (key rank, day, position) in one number: the sorts of keys and days
    monkeypatch.setattr(cross_source, "PACKED_BITS_MAX", 0)
    start = dt.date(2024, 1, 1)
    key = pl.Series(keys, dtype=pl.UInt64)
    day = pl.Series([start + dt.timedelta(days=d) for d in [0, 1, 2, 5, 3, 2, 9, 6]])
    assert _same_partition(cluster_numbers(key, day), _reference_numbers(key, day))


def test_cluster_numbers_by_rank_equal_numbers_by_key_and_day() -> None:
    key = pl.Series([9, 2**64 - 1, 9, 0, 0, 9], dtype=pl.UInt64)
    day = pl.Series([dt.date(2024, 1, d) for d in (1, 1, 3, 8, 9, 2)])
    assert cluster_numbers(key, day).to_list() == [2, 3, 2, 1, 1, 2]


def test_cluster_numbers_of_nothing_and_of_one_row() -> None:
    empty = cluster_numbers(pl.Series([], dtype=pl.UInt64), pl.Series([], dtype=pl.Date))
    assert empty.len() == 0
    one = cluster_numbers(pl.Series([3], dtype=pl.UInt64), pl.Series([dt.date(2024, 1, 1)]))
    assert one.len() == 1


def test_repeated_values_ignores_nulls_and_singles() -> None:
    assert repeated_values(pl.Series([5, None, 5, 5, 1, None], dtype=pl.UInt64)).to_list() == [5]
    assert repeated_values(pl.Series([], dtype=pl.UInt64)).len() == 0


def test_lookups_equal_a_left_join() -> None:
    table = pl.DataFrame(
        {"code": ["a", "b", "b", None], "x": [1, 2, 3, 4], "y": ["p", None, "r", "s"]}
    )
    other = pl.DataFrame(schema={"name": pl.String, "z": pl.Float64})
    frame = pl.LazyFrame({"k": ["b", None, "a", "zz", "a"], "name": ["n"] * 5})
    got = with_lookups(frame, [("k", table, "code"), ("name", other, "name")]).collect()
    expected = frame.collect().join(
        table.unique("code", keep="first", maintain_order=True).drop_nulls("code"),
        left_on="k",
        right_on="code",
        how="left",
        maintain_order="left",
    )
    assert got.select("k", "x", "y").equals(expected.select("k", "x", "y"))
    assert got["z"].null_count() == 5 and got.columns == ["k", "name", "x", "y", "z"]


def _event(event_id: str, article_id: str | None, line: int) -> dict[str, object]:
    return {
        "event_id": event_id,
        "article_id": article_id,
        "event_code": "190",
        "date_start": dt.date(2024, 1, 18),
        "source_file": "a.yaml",
        "source_line": line,
    }


def test_copies_without_an_article_are_still_copies() -> None:
    rows = [_event("e1", None, 1), _event("e2", None, 2), _event("e3", "a", 3)]
    found = validate_tables({"events": frame_from_rows("events", rows)}, select="X002")
    assert found.findings["event_id"].to_list() == ["e2"]


def test_rows_of_an_article_with_copies_are_not_all_reported() -> None:
    rows = [_event("a/e1", "a", 1), _event("a/e2", "a", 2), _event("a/e3", "a", 3)]
    rows[2]["event_code"] = "111"
    inputs = Inputs({"events": frame_from_rows("events", rows)})
    view = duplicates_view(inputs)
    assert view is not None
    assert view.collect()["event_id"].to_list() == ["a/e2"]


def test_per_value_flags_agree_with_the_row_tests() -> None:
    codes = ["PAKMIL", "PAK-MIL", None, "IRNCVL", "kur", "IRNCVL"]
    rows = [
        {
            "event_id": f"a/e{i}",
            "article_id": "a",
            "event_code": ("195" if i % 2 else "111"),
            "actor1_code": code,
            "killed_best": 2,
            "source_line": i,
        }
        for i, code in enumerate(codes)
    ]
    found = validate_tables({"events": frame_from_rows("events", rows)}, select="A001,A007,K005")
    by_rule = found.findings.group_by("rule").agg(pl.col("event_id").sort()).sort("rule")
    assert by_rule.rows() == [
        ("A001", ["a/e1"]),
        ("A007", ["a/e3", "a/e5"]),
        ("K005", ["a/e0", "a/e2", "a/e4"]),
    ]


@pytest.mark.parametrize("repeat", [False, True])
def test_published_is_the_first_row_of_each_article(repeat: bool) -> None:
    ids = ["a", "b", "a"] if repeat else ["a", "b", "c"]
    days = [dt.date(2024, 1, d) for d in (1, 2, 3)]
    articles = pl.DataFrame({"article_id": ids, "published": days})
    events = pl.DataFrame(
        {
            "event_id": ["a/e1", "b/e1", "c/e1", "x/e1", "y/e1"],
            "article_id": ["a", "b", "c", "x", None],
        }
    )
    inputs = Inputs({"articles": articles, "events": events})
    view = inputs.view("events_published")
    assert view is not None
    got = view.collect().sort("event_id")
    third = None if repeat else dt.date(2024, 1, 3)
    assert got.columns == ["event_id", "article_id", "_published", "_found"]
    assert got["_published"].to_list() == [days[0], days[1], third, None, None]
    assert got["_found"].to_list() == [True, True, None if repeat else True, None, None]
