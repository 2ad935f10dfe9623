"""Resolve a date quote from an article against the article's publication date.

A news story dates events relative to the day it appeared: "on Tuesday", "earlier this
week", "last month". :func:`resolve_date_expression` turns such a quote into a day or a
window with a precision, the way an event-data coder would. Its own rules run first (they
are fast and deterministic); ``dateparser`` is only a fallback for phrasings the rules do
not know. The rules are documented, with examples, in ``docs/dates-and-figures.md``.

A window never reaches past publication when it contains the publication day ("this
month" in a paper of 18 January is 1..18 January): events are reported after they happen.
"""

from __future__ import annotations

import datetime
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from text_to_num import text2num

from tacitus.convert.numbers import VAGUE_LEXICON

__all__ = [
    "PRECISIONS",
    "Precision",
    "ResolvedDate",
    "resolve_date_expression",
    "weekday_of",
    "window_precision_ok",
]

Precision = Literal["day", "week", "month", "year"]
PRECISIONS: tuple[Precision, ...] = ("day", "week", "month", "year")

_ONE_DAY = datetime.timedelta(days=1)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS: dict[str, int] = {name: i for i, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS.update(
    {name[:3]: i for i, name in enumerate(_MONTH_NAMES, start=1) if name != "may"} | {"sept": 9}
)
# Days of grace when a day and month without a year fall just after publication
# ("January 20" in a paper of 18 January is this January, not last year's).
_YEAR_GRACE = datetime.timedelta(days=7)


@dataclass(frozen=True)
class ResolvedDate:
    """A resolved date: one day (``start == end``, precision ``day``) or a window.

    ``end`` is inclusive. ``rule`` names the rule that matched (``"weekday"``,
    ``"earlier-this-week"``, ``"dateparser"``, ...; see ``docs/dates-and-figures.md``).
    """

    start: datetime.date
    end: datetime.date
    precision: Precision
    rule: str


def weekday_of(d: datetime.date) -> str:
    """The English name of the day of the week of ``d``.

    Example:
        >>> weekday_of(datetime.date(2024, 1, 18))
        'Thursday'
    """
    return _WEEKDAYS[d.weekday()].capitalize()


def window_precision_ok(start: datetime.date, end: datetime.date, precision: str) -> bool:
    """Whether a window ``start..end`` (inclusive) can carry ``precision``.

    ``day``: one day; ``week``: at most 7 days; ``month``: inside one calendar month;
    ``year``: inside one calendar year. A window that ends before it starts, or an unknown
    precision, is never acceptable.

    Example:
        >>> window_precision_ok(datetime.date(2024, 1, 15), datetime.date(2024, 1, 17), "week")
        True
        >>> window_precision_ok(datetime.date(2024, 1, 15), datetime.date(2024, 1, 17), "day")
        False
    """
    if end < start:
        return False
    if precision == "day":
        return start == end
    if precision == "week":
        return (end - start).days <= 6
    if precision == "month":
        return (start.year, start.month) == (end.year, end.month)
    if precision == "year":
        return start.year == end.year
    return False


def resolve_date_expression(
    text: str, published: datetime.date | datetime.datetime
) -> ResolvedDate | None:
    """Resolve a date quote (``"on Tuesday"``, ``"earlier this week"``) against ``published``.

    ``published`` may be a date or a datetime; a datetime with an offset counts by its own
    local date, as written. Returns ``None`` when the text holds no date the rules or
    ``dateparser`` understand.

    Example:
        >>> thursday = datetime.date(2024, 1, 18)
        >>> resolve_date_expression("late on Tuesday", thursday)
        ResolvedDate(start=datetime.date(2024, 1, 16), end=datetime.date(2024, 1, 16), \
precision='day', rule='weekday')
        >>> r = resolve_date_expression("earlier this week", thursday)
        >>> (r.start.isoformat(), r.end.isoformat(), r.precision)
        ('2024-01-15', '2024-01-17', 'week')
    """
    base = published.date() if isinstance(published, datetime.datetime) else published
    return _resolve(_normalise(text), base)


# ---------------------------------------------------------------------------------------
# Normalisation and small date helpers

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"'s\b")
_PUNCT = re.compile(r"[^a-z0-9/:\- ]+")
_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    t = text.translate(_APOSTROPHES).lower()
    t = _POSSESSIVE.sub("", t)
    t = _PUNCT.sub(" ", t)
    return _SPACES.sub(" ", t).strip()


def _day(d: datetime.date, rule: str) -> ResolvedDate:
    return ResolvedDate(d, d, "day", rule)


def _window(
    start: datetime.date, end: datetime.date, precision: Precision, rule: str, base: datetime.date
) -> ResolvedDate:
    """A window, cut at publication when it contains the publication day."""
    if start <= base < end:
        end = base
    return ResolvedDate(start, end, precision, rule)


def _monday(d: datetime.date) -> datetime.date:
    return d - datetime.timedelta(days=d.weekday())


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - _ONE_DAY


def _month_window(year: int, month: int, rule: str, base: datetime.date) -> ResolvedDate:
    return _window(datetime.date(year, month, 1), _month_end(year, month), "month", rule, base)


def _year_window(year: int, rule: str, base: datetime.date) -> ResolvedDate:
    return _window(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year", rule, base)


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _earlier_this(first: datetime.date, base: datetime.date) -> datetime.date:
    """The end of an "earlier this week/month/year" window: the day before publication."""
    return max(first, base - _ONE_DAY)


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, base: datetime.date) -> datetime.date | None:
    """The most recent ``month``/``day`` not after publication plus a week's grace."""
    for year in range(base.year + 1, base.year - 9, -1):
        d = _safe_date(year, month, day)
        if d is not None and d <= base + _YEAR_GRACE:
            return d
    return None


def _count(words: str) -> int | None:
    """A small count written in digits or words: "2", "two", "twenty-one", "a", "a couple of"."""
    words = words.strip()
    if words.isdigit():
        return int(words)
    tokens = words.split()
    if tokens[-1:] == ["of"]:
        tokens = tokens[:-1]
    # Try the longest tail of the words that is a number ("the attack two" -> "two").
    for i in range(len(tokens)):
        tail = " ".join(tokens[i:])
        if tail in ("a", "an", "one"):
            return 1
        if tail in ("a couple", "couple"):
            return 2
        try:
            return int(text2num(tail, "en"))
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------------------------------
# The rules, tried in order; the first that matches decides.

_WD = "|".join(_WEEKDAYS)
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_FULL_MONTH_ALT = "|".join(_MONTH_NAMES)

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MONTH_DAY = re.compile(
    rf"\b(?P<m>{_MONTH_ALT})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s+(?P<y>\d{{4}})\b)?"
)
_DAY_MONTH = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_ALT})\b(?:\s+(?P<y>\d{{4}})\b)?"
)
_WEEKDAY = re.compile(
    rf"\b(?:(?P<q>last|past|this past|previous|next|this coming|coming)\s+)?(?P<wd>{_WD})\b"
)
_LAST_WEEK = re.compile(r"\b(?:last|previous|the previous|the prior)\s+week\b")

_RELATIVE_DAYS: tuple[tuple[re.Pattern[str], int, str], ...] = (
    (re.compile(r"\bthe day before yesterday\b"), -2, "days-ago"),
    (re.compile(r"\b(?:yesterday|last night)\b"), -1, "yesterday"),
    (
        re.compile(
            r"\b(?:the )?(?:previous|preceding|prior) (?:day|night)\b"
            r"|\b(?:the|a) (?:day|night) (?:before|earlier)\b"
        ),
        -1,
        "previous-day",
    ),
    (re.compile(r"\bovernight\b"), -1, "overnight"),
    (re.compile(r"\bthe (?:same|very) day\b|\bthat (?:same )?day\b"), 0, "same-day"),
    (
        re.compile(
            r"\b(?:today|tonight|this (?:morning|afternoon|evening)|earlier today|later today)\b"
        ),
        0,
        "today",
    ),
    (re.compile(r"\btomorrow\b"), 1, "tomorrow"),
)
_AGO = re.compile(
    r"(?P<n>\d+|(?:[a-z]+(?:-[a-z]+)* ){0,3}[a-z]+(?:-[a-z]+)*) "
    r"(?P<unit>day|week|fortnight|month|year)s? "
    r"(?P<dir>ago|back|earlier|before|prior|previously)\b"
)
_WEEKEND = re.compile(r"\b(?:(?P<q>last|previous|the previous)\s+)?weekend\b")
_EARLIER_THIS = re.compile(r"\bearlier (?:this|in the) (?P<unit>week|month|year)\b")
_THIS = re.compile(r"\b(?:this|the current) (?P<unit>week|month|year)\b")
_PAST_WEEK = re.compile(r"\b(?:the )?(?:past|last) (?:week|seven days|7 days)\b")
_WEEK_BEFORE_LAST = re.compile(r"\bthe week before last\b")
_LAST = re.compile(r"\b(?:last|the previous|previous|the prior) (?P<unit>week|month|year)\b")
_MONTH_YEAR = re.compile(rf"\b(?P<m>{_MONTH_ALT})\s+(?:of\s+)?(?P<y>\d{{4}})\b")
_MONTH = re.compile(
    rf"(?:^|\b(?P<pre>in|during|since|by|until|till|through|throughout|early|late|mid|from|of"
    rf"|last|this|before|after|around|at the (?:start|beginning|end) of)[ -])"
    rf"(?P<m>{_FULL_MONTH_ALT})\b"
)
_YEAR = re.compile(r"(?<![\w/:-])(?P<y>19\d\d|20\d\d)(?![\w/:-])")
_DAY_OF_MONTH = re.compile(r"\bthe (?P<d>\d{1,2})(?:st|nd|rd|th)\b")
# Text the dateparser fallback may be shown: some digit or a word about time. Without this
# guard dateparser reads odd things into plain words ("a" parses as a month).
_DATEISH = re.compile(
    rf"\d|\b(?:{_MONTH_ALT}|{_WD}|ago|day|days|week|weeks|month|months|year|years|hour|hours"
    r"|minutes?|fortnight|yesterday|today|tomorrow|tonight|noon|midnight)\b"
)


class _NoDate(Exception):
    """A rule recognised the text, and it names no real day ("30 February 2024")."""


@lru_cache(maxsize=65536)
def _resolve(t: str, base: datetime.date) -> ResolvedDate | None:
    try:
        for rule in _RULES:
            found = rule(t, base)
            if found is not None:
                return found
    except (_NoDate, OverflowError, ValueError):  # no such day, or beyond year 1..9999
        return None
    return _dateparser_fallback(t, base)


def _rule_iso(t: str, base: datetime.date) -> ResolvedDate | None:
    m = _ISO.search(t)
    if m is None:
        return None
    d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if d is None:
        raise _NoDate(m[0])
    return _day(d, "iso")


def _rule_month_day(t: str, base: datetime.date) -> ResolvedDate | None:
    m = _MONTH_DAY.search(t) or _DAY_MONTH.search(t)
    if m is None:
        return None
    month, day = _MONTHS[m["m"]], int(m["d"])
    if m["y"]:
        d, rule = _safe_date(int(m["y"]), month, day), "date"
    else:
        d, rule = _infer_year(month, day, base), "month-day"
    if d is None:
        raise _NoDate(m[0])
    return _day(d, rule)


def _rule_weekday(t: str, base: datetime.date) -> ResolvedDate | None:
    m = _WEEKDAY.search(t)
    if m is None:
        return None
    target = _WEEKDAYS.index(m["wd"])
    if _LAST_WEEK.search(t):
        return _day(_monday(base) - datetime.timedelta(days=7 - target), "weekday-last-week")
    back = (base.weekday() - target) % 7
    q = m["q"]
    if q in ("next", "this coming", "coming"):
        return _day(
            base + datetime.timedelta(days=(target - base.weekday()) % 7 or 7), "next-weekday"
        )
    if q is not None and back == 0:  # "last Thursday" in Thursday's paper: a week before
        back = 7
    return _day(base - datetime.timedelta(days=back), "last-weekday" if q else "weekday")


def _rule_relative_day(t: str, base: datetime.date) -> ResolvedDate | None:
    for pattern, offset, rule in _RELATIVE_DAYS:
        if pattern.search(t):
            return _day(base + datetime.timedelta(days=offset), rule)
    return None


def _rule_ago(t: str, base: datetime.date) -> ResolvedDate | None:
    m = _AGO.search(t)
    if m is None:
        return None
    unit = m["unit"]
    n = _count(m["n"])
    if n is None:
        return _vague_ago(m["n"], unit, base)
    if unit == "day":
        rule = "days-ago" if m["dir"] in ("ago", "back") else "days-earlier"
        return _day(base - datetime.timedelta(days=n), rule)
    if unit in ("week", "fortnight"):
        d = base - datetime.timedelta(days=n * (14 if unit == "fortnight" else 7))
        monday = _monday(d)
        return _window(monday, monday + datetime.timedelta(days=6), "week", "weeks-ago", base)
    if unit == "month":
        year, month = _add_months(base.year, base.month, -n)
        return _month_window(year, month, "months-ago", base)
    return _year_window(base.year - n, "years-ago", base)


# "a few days ago", "several days earlier": the bounds of the figures lexicon
# (tacitus.convert.numbers): a few = 2..5, several = 3..9.
def _lexicon_bounds(word: str) -> tuple[int, int]:
    entry = VAGUE_LEXICON[word]
    assert entry.high is not None, word  # a word with no upper bound sets no window
    return entry.low, entry.high


_VAGUE_DAYS = {
    "a few": _lexicon_bounds("a few"),
    "few": _lexicon_bounds("a few"),
    "several": _lexicon_bounds("several"),
}


def _vague_ago(words: str, unit: str, base: datetime.date) -> ResolvedDate | None:
    if unit != "day":
        return None
    for phrase, (low, high) in _VAGUE_DAYS.items():
        if words == phrase or words.endswith(" " + phrase):
            start = base - datetime.timedelta(days=high)
            return ResolvedDate(
                start, base - datetime.timedelta(days=low), "week", "days-ago-vague"
            )
    return None


def _rule_weekend(t: str, base: datetime.date) -> ResolvedDate | None:
    m = _WEEKEND.search(t)
    if m is None:
        return None
    saturday = base - datetime.timedelta(days=(base.weekday() - 5) % 7)
    if m["q"] and base.weekday() >= 5:  # "last weekend" in a weekend paper: the one before
        saturday -= datetime.timedelta(days=7)
    return _window(saturday, saturday + _ONE_DAY, "week", "weekend", base)


def _rule_periods(t: str, base: datetime.date) -> ResolvedDate | None:
    m = _EARLIER_THIS.search(t)
    if m is not None:
        unit = m["unit"]
        if unit == "week":
            first = _monday(base)
            return ResolvedDate(first, _earlier_this(first, base), "week", "earlier-this-week")
        if unit == "month":
            first = base.replace(day=1)
            return ResolvedDate(first, _earlier_this(first, base), "month", "earlier-this-month")
        first = base.replace(month=1, day=1)
        return ResolvedDate(first, _earlier_this(first, base), "year", "earlier-this-year")
    if _WEEK_BEFORE_LAST.search(t):
        monday = _monday(base) - datetime.timedelta(days=14)
        return ResolvedDate(monday, monday + datetime.timedelta(days=6), "week", "week-before-last")
    if (m := _THIS.search(t)) is not None:
        unit = m["unit"]
        if unit == "week":
            return ResolvedDate(_monday(base), base, "week", "this-week")
        if unit == "month":
            return ResolvedDate(base.replace(day=1), base, "month", "this-month")
        return ResolvedDate(base.replace(month=1, day=1), base, "year", "this-year")
    if _PAST_WEEK.search(t) and not _LAST.search(t):
        return ResolvedDate(base - datetime.timedelta(days=6), base, "week", "past-week")
    if (m := _LAST.search(t)) is not None:
        unit = m["unit"]
        if unit == "week":
            monday = _monday(base) - datetime.timedelta(days=7)
            return ResolvedDate(monday, monday + datetime.timedelta(days=6), "week", "last-week")
        if unit == "month":
            year, month = _add_months(base.year, base.month, -1)
            return _month_window(year, month, "last-month", base)
        return _year_window(base.year - 1, "last-year", base)
    return None


def _rule_month(t: str, base: datetime.date) -> ResolvedDate | None:
    m = _MONTH_YEAR.search(t)
    if m is not None:
        return _month_window(int(m["y"]), _MONTHS[m["m"]], "month-year", base)
    m = _MONTH.search(t)
    if m is None or (m["pre"] is None and t != m["m"]):
        return None
    month = _MONTHS[m["m"]]
    year = base.year if month <= base.month else base.year - 1
    if m["pre"] == "last" and month == base.month:  # "last January" in a January paper
        year -= 1
    return _month_window(year, month, "month", base)


def _rule_year(t: str, base: datetime.date) -> ResolvedDate | None:
    m = _YEAR.search(t)
    return _year_window(int(m["y"]), "year", base) if m else None


def _rule_day_of_month(t: str, base: datetime.date) -> ResolvedDate | None:
    m = _DAY_OF_MONTH.search(t)
    if m is None:
        return None
    day = int(m["d"])
    year, month = base.year, base.month
    for _ in range(12):
        d = _safe_date(year, month, day)
        if d is not None and d <= base:
            return _day(d, "day-of-month")
        year, month = _add_months(year, month, -1)
    return None


_RULES = (
    _rule_iso,
    _rule_month_day,
    _rule_weekday,
    _rule_relative_day,
    _rule_ago,
    _rule_weekend,
    _rule_periods,
    _rule_month,
    _rule_year,
    _rule_day_of_month,
)


def _dateparser_fallback(t: str, base: datetime.date) -> ResolvedDate | None:
    """Ask dateparser, silently; its period (day/week/month/year) sets the window.

    Not cached itself: its only caller, :func:`_resolve`, caches every answer.
    """
    if not t or _DATEISH.search(t) is None:
        return None
    from dateparser.date import DateDataParser  # slow to import: only when needed

    settings: dict[str, Any] = {
        "RELATIVE_BASE": datetime.datetime.combine(base, datetime.time(12)),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            data = DateDataParser(languages=["en"], settings=settings).get_date_data(t)
        except Exception:  # dateparser raises assorted errors on odd input
            return None
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    try:
        if data.period == "year":
            return _year_window(d.year, "dateparser", base)
        if data.period == "month":
            return _month_window(d.year, d.month, "dateparser", base)
        if data.period == "week":
            monday = _monday(d)
            return _window(monday, monday + datetime.timedelta(days=6), "week", "dateparser", base)
    except (OverflowError, ValueError):
        return None
    return _day(d, "dateparser")
