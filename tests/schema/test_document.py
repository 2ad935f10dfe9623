"""The annotation models: the values they accept and what they derive."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from tacitus.schema.document import Article, Casualty, EventDate, Figure

BASE = {"id": "a1", "source": "Wire", "text": "t"}


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2024-01-18", dt.date(2024, 1, 18)),
        (dt.date(2024, 1, 18), dt.date(2024, 1, 18)),
        (
            "2024-01-18T09:30:00+05:00",
            dt.datetime(2024, 1, 18, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        ),
        ("2024-01-18T00:00:00Z", dt.datetime(2024, 1, 18, tzinfo=dt.UTC)),
    ],
)
def test_published_is_a_date_or_a_datetime(published: object, expected: object) -> None:
    article = Article.model_validate({**BASE, "published": published})
    assert article.published == expected
    assert type(article.published) is type(expected)
    assert article.published_date == dt.date(2024, 1, 18)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"published": "2024-01-18", "text": None}, "text"),
        ({"published": "2024-01-18", "text_file": "a.txt"}, "not both"),
        ({"published": "yesterday"}, "published"),
        ({"published": "2024-01-18", "id": "has space"}, "id"),
    ],
)
def test_article_rejects(fields: dict[str, object], error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        Article.model_validate({**BASE, **fields})


@pytest.mark.parametrize(
    ("fields", "window"),
    [
        ({"value": "2024-01-16"}, (dt.date(2024, 1, 16), dt.date(2024, 1, 16))),
        (
            {"start": "2024-01-15", "end": "2024-01-17", "precision": "week"},
            (dt.date(2024, 1, 15), dt.date(2024, 1, 17)),
        ),
        ({"quote": "Tuesday"}, None),
    ],
)
def test_event_date_window(fields: dict[str, object], window: object) -> None:
    assert EventDate.model_validate(fields).window == window


@pytest.mark.parametrize(
    "fields",
    [
        {"value": "2024-01-16", "start": "2024-01-15", "end": "2024-01-17"},
        {"start": "2024-01-15"},
        {"precision": "fortnight"},
    ],
)
def test_event_date_rejects(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        EventDate.model_validate(fields)


@pytest.mark.parametrize(
    ("fields", "figures"),
    [
        ({"count": 7}, (7, 7, 7)),
        ({"low": 2, "high": 9}, (2, None, 9)),
        ({"low": 3, "best": 5, "high": 8}, (3, 5, 8)),
        ({}, (None, None, None)),
    ],
)
def test_figures(fields: dict[str, object], figures: tuple[int | None, ...]) -> None:
    assert Figure.model_validate(fields).figures == figures


def test_count_and_range_together_are_rejected() -> None:
    with pytest.raises(ValidationError, match="not both"):
        Casualty.model_validate({"kind": "killed", "count": 7, "low": 5})
