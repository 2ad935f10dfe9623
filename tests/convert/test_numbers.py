"""Casualty figures parsed from quotes, and agreement with annotated figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tacitus.convert.numbers import VAGUE_LEXICON, Figure, figure_agrees, parse_figure

DOC = Path(__file__).resolve().parents[2] / "docs" / "dates-and-figures.md"

# (quote, low, best, high, exact, rule, matched)
# fmt: off
CASES = [
    # exact numbers, in words and digits
    ("killed seven non-Iranian nationals", 7, 7, 7, True, "exact", "seven"),
    ("three women", 3, 3, 3, True, "exact", "three"),
    ("Four Children", 4, 4, 4, True, "exact", "Four"),
    ("two children were killed", 2, 2, 2, True, "exact", "two"),
    ("twenty-one", 21, 21, 21, True, "exact", "twenty-one"),
    ("twenty one soldiers", 21, 21, 21, True, "exact", "twenty one"),
    ("two hundred and five people", 205, 205, 205, True, "exact", "two hundred and five"),
    ("thirty thousand people fled", 30_000, 30_000, 30_000, True, "exact", "thirty thousand"),
    ("a hundred people", 100, 100, 100, True, "exact", "a hundred"),
    ("a hundred thousand refugees", 100_000, 100_000, 100_000, True, "exact", "a hundred thousand"),
    ("3,000 displaced", 3_000, 3_000, 3_000, True, "exact", "3,000"),
    ("12 people", 12, 12, 12, True, "exact", "12"),
    ("1,000,000 people", 1_000_000, 1_000_000, 1_000_000, True, "exact", "1,000,000"),
    ("1.5 million", 1_500_000, 1_500_000, 1_500_000, True, "exact", "1.5 million"),
    ("2 million people", 2_000_000, 2_000_000, 2_000_000, True, "exact", "2 million"),
    ("two million people", 2_000_000, 2_000_000, 2_000_000, True, "exact", "two million"),
    ("0 people", 0, 0, 0, True, "exact", "0"),
    ("zero casualties", 0, 0, 0, True, "exact", "zero"),
    ("a dozen", 12, 12, 12, True, "exact", "a dozen"),
    ("two dozen", 24, 24, 24, True, "exact", "two dozen"),
    ("half a dozen soldiers", 6, 6, 6, True, "exact", "half a dozen"),
    ("a couple of soldiers", 2, 2, 2, True, "exact", "a couple of"),
    ("a pair of journalists", 2, 2, 2, True, "exact", "a pair of"),
    ("one soldier", 1, 1, 1, True, "exact", "one"),
    ("one of the attackers", 1, 1, 1, True, "exact", "one"),
    ("killed   seven\nwomen", 7, 7, 7, True, "exact", "seven"),
    ("killed seven\u00a0people", 7, 7, 7, True, "exact", "seven"),
    # the leftmost figure wins
    ("three women and four children", 3, 3, 3, True, "exact", "three"),
    ("killed 7, including 3 women", 7, 7, 7, True, "exact", "7"),
    # numbers that are not counts are passed over
    ("in 2023, 40 people", 40, 40, 40, True, "exact", "40"),
    ("on 16 January, 5 were killed", 5, 5, 5, True, "exact", "5"),
    ("10 km away, 5 people", 5, 5, 5, True, "exact", "5"),
    ("at 10:30 gunmen killed 4", 4, 4, 4, True, "exact", "4"),
    ("two days of fighting left 9 dead", 9, 9, 9, True, "exact", "9"),
    ("a $5 million fund for 300 families", 300, 300, 300, True, "exact", "300"),
    ("the 3rd attack killed 8", 8, 8, 8, True, "exact", "8"),
    ("F-16 jets killed 4", 4, 4, 4, True, "exact", "4"),
    ("an MQ-9 drone strike killed three", 3, 3, 3, True, "exact", "three"),
    ("in sector B12, 6 dead", 6, 6, 6, True, "exact", "6"),
    ("Resolution 2231 aside, 11 were hurt", 11, 11, 11, True, "exact", "11"),
    ("on Route 8, 2 soldiers died", 2, 2, 2, True, "exact", "2"),
    ("a boy aged 12 was killed", 1, 1, 1, True, "singular", "a boy"),
    # singular article before a person noun
    ("a soldier was killed", 1, 1, 1, True, "singular", "a soldier"),
    ("an Iranian border guard", 1, 1, 1, True, "singular", "an Iranian border guard"),
    ("a 7-year-old girl", 1, 1, 1, True, "singular", "a 7-year-old girl"),
    ("killed a senior commander", 1, 1, 1, True, "singular", "a senior commander"),
    # none
    ("no one was hurt", 0, 0, 0, True, "none", "no one"),
    ("Nobody was injured", 0, 0, 0, True, "none", "Nobody"),
    ("there were no casualties", 0, 0, 0, True, "none", "no casualties"),
    # at least
    ("at least 12 people", 12, 12, None, False, "at-least", "at least 12"),
    ("At least twelve people", 12, 12, None, False, "at-least", "At least twelve"),
    ("no fewer than 30", 30, 30, None, False, "at-least", "no fewer than 30"),
    ("at least a dozen", 12, 12, None, False, "at-least", "at least a dozen"),
    ("12 or more", 12, 12, None, False, "at-least", "12 or more"),
    ("100+ dead", 100, 100, None, False, "at-least", "100+"),
    # more than
    ("more than 100 civilians", 101, None, None, False, "more-than", "more than 100"),
    ("over 50 people", 51, None, None, False, "more-than", "over 50"),
    ("more than a dozen", 13, None, None, False, "more-than", "more than a dozen"),
    ("in excess of 2,000", 2_001, None, None, False, "more-than", "in excess of 2,000"),
    ("upwards of 300", 301, None, None, False, "more-than", "upwards of 300"),
    # up to / fewer than
    ("up to 20 people", None, None, 20, False, "up-to", "up to 20"),
    ("as many as thirty", None, None, 30, False, "up-to", "as many as thirty"),
    ("no more than 5", None, None, 5, False, "up-to", "no more than 5"),
    ("fewer than 10", None, None, 9, False, "fewer-than", "fewer than 10"),
    ("less than a hundred", None, None, 99, False, "fewer-than", "less than a hundred"),
    # about / nearly
    ("about 200", None, 200, None, False, "about", "about 200"),
    ("around 1,500 people", None, 1_500, None, False, "about", "around 1,500"),
    ("some 200 people", None, 200, None, False, "about", "some 200"),
    ("approximately forty", None, 40, None, False, "about", "approximately forty"),
    ("an estimated 3,000", None, 3_000, None, False, "about", "an estimated 3,000"),
    ("roughly a dozen", None, 12, None, False, "about", "roughly a dozen"),
    ("30 or so", None, 30, None, False, "about", "30 or so"),
    ("nearly 100", None, 100, 100, False, "nearly", "nearly 100"),
    ("almost forty", None, 40, 40, False, "nearly", "almost forty"),
    ("just under 500", None, 500, 500, False, "nearly", "just under 500"),
    # ranges
    ("between five and ten", 5, None, 10, False, "range", "between five and ten"),
    ("between 5 and 10 people", 5, None, 10, False, "range", "between 5 and 10"),
    ("5-10 people", 5, None, 10, False, "range", "5-10"),
    ("5\u201310 people", 5, None, 10, False, "range", "5\u201310"),
    ("five to ten", 5, None, 10, False, "range", "five to ten"),
    ("five or six", 5, None, 6, False, "range", "five or six"),
    ("about 5 to 10", 5, None, 10, False, "range", "about 5 to 10"),
    ("from 20 to 30", 20, None, 30, False, "range", "from 20 to 30"),
    # vague words (the lexicon)
    ("dozens of people", 24, None, 99, False, "vague:dozens", "dozens"),
    ("killed dozens of people", 24, None, 99, False, "vague:dozens", "dozens"),
    ("several militants", 3, None, 9, False, "vague:several", "several"),
    ("several terrorists were killed", 3, None, 9, False, "vague:several", "several"),
    ("a number of terrorists", 2, None, 9, False, "vague:a number of", "a number of"),
    ("A few soldiers", 2, None, 5, False, "vague:a few", "A few"),
    ("a handful of fighters", 2, None, 5, False, "vague:a handful", "a handful"),
    ("hundreds", 200, None, 999, False, "vague:hundreds", "hundreds"),
    ("scores of villagers", 40, None, 199, False, "vague:scores", "scores"),
    ("thousands displaced", 2_000, None, 9_999, False, "vague:thousands", "thousands"),
    ("tens of thousands fled", 20_000, None, 99_999, False, "vague:tens of thousands", "tens of thousands"),
    ("hundreds of thousands", 200_000, None, 999_999, False, "vague:hundreds of thousands", "hundreds of thousands"),
    ("millions displaced", 2_000_000, None, 9_999_999, False, "vague:millions", "millions"),
    ("several hundred", 300, None, 999, False, "vague:several hundred", "several hundred"),
    ("a few hundred", 200, None, 599, False, "vague:a few hundred", "a few hundred"),
    ("several dozen", 36, None, 108, False, "vague:several dozen", "several dozen"),
    ("a few dozen", 24, None, 60, False, "vague:a few dozen", "a few dozen"),
    ("several thousand", 3_000, None, 9_999, False, "vague:several thousand", "several thousand"),
    ("at least dozens", 24, None, None, False, "at-least+vague:dozens", "at least dozens"),
    ("more than several hundred", 300, None, None, False, "at-least+vague:several hundred", "more than several hundred"),
    # fallback words count only when there is nothing else
    ("some militants", 2, None, None, False, "vague:some", "some"),
    ("many people", 3, None, None, False, "vague:many", "many"),
    ("multiple casualties", 2, None, None, False, "vague:multiple", "multiple"),
    ("numerous civilians", 3, None, None, False, "vague:numerous", "numerous"),
    ("some reports said seven died", 7, 7, 7, True, "exact", "seven"),
    ("many said dozens died", 24, None, 99, False, "vague:dozens", "dozens"),
]
# fmt: on


@pytest.mark.parametrize(("text", "low", "best", "high", "exact", "rule", "matched"), CASES)
def test_parse_figure(
    text: str,
    low: int | None,
    best: int | None,
    high: int | None,
    exact: bool,
    rule: str,
    matched: str,
) -> None:
    assert parse_figure(text) == Figure(low, best, high, exact, rule, matched)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "launched a series of airstrikes",
        "the strikes had killed its people",
        "denied that any of its fighters had died",
        "a number",  # no "of": not the vague phrase
        "killed one another",
        "12%",
        "40 percent of the dead",
        "a 7-day ceasefire",
        "in 2023",
        "on January 16",
        "at 10:30",
        "1.5",  # a fraction is not a count
        "soldiers",
    ],
)
def test_no_figure(text: str) -> None:
    assert parse_figure(text) is None


def test_parse_figure_is_cached() -> None:
    assert parse_figure("at least 12 people") is parse_figure("at least 12 people")


# (quote, annotated low, best, high, agrees)
AGREEMENT = [
    ("seven", 7, 7, 7, True),
    ("seven", None, 7, None, True),
    ("seven", None, 9, None, False),  # "seven" annotated as 9
    ("seven", 5, None, 9, False),  # an exact quote is not a range
    ("seven", None, None, None, False),  # nothing annotated
    ("no one was hurt", 0, 0, 0, True),
    ("several militants", 3, None, 9, True),
    ("several militants", 5, None, 7, True),  # inside the lexicon range
    ("several militants", 8, None, 12, True),  # overlaps
    ("several militants", None, 4, None, True),
    ("several militants", 10, None, 20, False),
    ("several militants", None, 50, None, False),
    ("dozens of people", 24, None, 99, True),
    ("dozens of people", 20, None, 30, True),
    ("dozens of people", 1, None, 10, False),
    ("dozens of people", 100, None, None, False),
    ("some militants", 2, None, None, True),
    ("some militants", 500, None, None, True),  # no ceiling
    ("at least dozens", 50, None, None, True),
    ("at least 12 people", 12, 12, None, True),
    ("at least 12 people", 12, None, None, True),
    ("at least 12 people", 12, 15, 20, False),  # best must be the quoted 12
    ("at least 12 people", 10, None, None, False),
    ("more than 100 civilians", 101, None, None, True),
    ("more than 100 civilians", 100, None, None, True),  # the stated bound itself
    ("more than 100 civilians", 99, None, None, False),
    ("more than 100 civilians", None, 150, None, True),
    ("up to 20 people", None, None, 20, True),
    ("up to 20 people", 0, None, 20, True),
    ("up to 20 people", None, None, 25, False),
    ("fewer than 10", None, None, 9, True),
    ("fewer than 10", None, None, 10, True),
    ("fewer than 10", None, None, 11, False),
    ("about 200", None, 200, None, True),
    ("about 200", 150, None, 250, True),
    ("about 200", 250, None, 300, False),  # does not hold the stated 200
    ("about 200", None, 210, None, False),
    ("nearly 100", None, 100, None, True),
    ("nearly 100", 90, None, 100, True),
    ("nearly 100", None, 101, None, False),
    ("between five and ten", 5, None, 10, True),
    ("between five and ten", 6, 8, 9, True),
    ("between five and ten", 5, None, 12, False),
]


@pytest.mark.parametrize(("text", "low", "best", "high", "agrees"), AGREEMENT)
def test_figure_agrees(
    text: str, low: int | None, best: int | None, high: int | None, agrees: bool
) -> None:
    fig = parse_figure(text)
    assert fig is not None
    assert figure_agrees(fig, low, best, high) is agrees


# ------------------------------------------------------------------------------------------
# The documented lexicon is the lexicon in the code


def documented_lexicon() -> dict[str, tuple[int, int | None]]:
    rows: dict[str, tuple[int, int | None]] = {}
    in_table = False
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("<!-- lexicon -->"):
            in_table = True
            continue
        if in_table and not line.startswith("|"):
            if rows:
                break
            continue
        m = re.match(r'\|\s*"([^"]+)"\s*\|\s*([\d,]+)\s*\|\s*([\d,]+|—)\s*\|', line)
        if in_table and m:
            high = None if m[3] == "—" else int(m[3].replace(",", ""))
            rows[m[1]] = (int(m[2].replace(",", "")), high)
    return rows


def test_doc_table_matches_the_lexicon() -> None:
    assert documented_lexicon() == {k: (v.low, v.high) for k, v in VAGUE_LEXICON.items()}


@pytest.mark.parametrize("phrase", sorted(VAGUE_LEXICON))
def test_every_lexicon_entry_parses(phrase: str) -> None:
    entry = VAGUE_LEXICON[phrase]
    assert entry.high is None or entry.low <= entry.high
    fig = parse_figure(f"they killed {phrase}")
    assert fig == Figure(entry.low, None, entry.high, False, f"vague:{phrase}", phrase)


# ------------------------------------------------------------------------------------------
# Properties

# fmt: off
UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# fmt: on


def spell(n: int, hyphen: bool = True, use_and: bool = True) -> str:
    """English words for 0 <= n < 10**12 ("two hundred and five")."""
    if n < 20:
        return UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return TENS[tens] + (("-" if hyphen else " ") + UNITS[unit] if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = f"{UNITS[hundreds]} hundred"
        return head + ((" and " if use_and else " ") + spell(rest, hyphen) if rest else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n >= size:
            head, rest = divmod(n, size)
            words = f"{spell(head, hyphen, use_and)} {name}"
            return words + (" " + spell(rest, hyphen, use_and) if rest else "")
    raise AssertionError(n)


@given(st.integers(min_value=0, max_value=10**6))
def test_digits_with_separators_are_exact(n: int) -> None:
    assert parse_figure(f"{n:,} people") == Figure(n, n, n, True, "exact", f"{n:,}")


@given(st.integers(min_value=0, max_value=10**6))
def test_plain_digits_are_exact(n: int) -> None:
    fig = parse_figure(f"killed {n} civilians")
    assert fig is not None and fig.best == n and fig.exact


@given(st.integers(min_value=0, max_value=10**9 - 1), st.booleans(), st.booleans())
def test_number_words_round_trip(n: int, hyphen: bool, use_and: bool) -> None:
    words = spell(n, hyphen, use_and)
    assert parse_figure(f"killed {words} people") == Figure(n, n, n, True, "exact", words)


@given(st.integers(min_value=1, max_value=10**6))
def test_qualifiers_keep_their_bounds(n: int) -> None:
    assert parse_figure(f"at least {n:,} people") == Figure(
        n, n, None, False, "at-least", f"at least {n:,}"
    )
    assert parse_figure(f"more than {n} people") == Figure(
        n + 1, None, None, False, "more-than", f"more than {n}"
    )
    assert parse_figure(f"up to {n} people") == Figure(None, None, n, False, "up-to", f"up to {n}")


@given(st.text(max_size=60))
def test_arbitrary_text_gives_a_consistent_figure_or_none(text: str) -> None:
    fig = parse_figure(text)
    if fig is None:
        return
    assert fig.matched and fig.matched in text
    values = [v for v in (fig.low, fig.best, fig.high) if v is not None]
    assert values == sorted(values)
    assert all(v >= 0 for v in values)
    if fig.exact:
        assert fig.low == fig.best == fig.high
