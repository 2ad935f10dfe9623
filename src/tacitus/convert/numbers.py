"""Parse a quoted casualty figure ("at least 12 people", "dozens") into low/best/high.

:func:`parse_figure` finds the figure in a quote and says how sure the words are:
an exact number, a bound ("at least", "up to"), a range ("five to ten"), an approximation
("about 200") or a vague word from :data:`VAGUE_LEXICON` ("several" = 3..9).
:func:`figure_agrees` checks an annotated figure against the quote. The rules and the
lexicon are documented in ``docs/dates-and-figures.md``.

Number words are converted with ``text2num``; digits (with thousands separators, and
"1.5 million") are read directly, so a quote with only digits never reaches ``text2num``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from text_to_num import text2num

__all__ = ["VAGUE_LEXICON", "Figure", "VagueEntry", "figure_agrees", "parse_figure"]


@dataclass(frozen=True)
class Figure:
    """A figure found in a quote.

    ``low``/``best``/``high`` follow UCDP's low/best/high estimates; ``None`` means the
    words give no such bound. ``exact`` is true for a plain number ("seven", "3,000").
    ``rule`` says how the words were read (``"exact"``, ``"at-least"``, ``"vague:several"``,
    ...) and ``matched`` is the part of the quote that gave the figure.
    """

    low: int | None
    best: int | None
    high: int | None
    exact: bool
    rule: str
    matched: str


@dataclass(frozen=True)
class VagueEntry:
    """One vague quantity word: its bounds and why.

    ``fallback`` words ("some", "many") are so common outside figures that they count only
    when the quote has no other figure.
    """

    low: int
    high: int | None
    reason: str
    fallback: bool = False


# The vague-figure lexicon: the one place these bounds live. docs/dates-and-figures.md
# shows it as a table; tests check that the two agree.
VAGUE_LEXICON: Mapping[str, VagueEntry] = MappingProxyType(
    {
        "a handful": VagueEntry(2, 5, "what fits in a hand: a few people"),
        "a few": VagueEntry(2, 5, 'more than one, fewer than "several" usually means'),
        "several": VagueEntry(3, 9, 'more than a couple; ten or more is reported as "a dozen"'),
        "a number of": VagueEntry(
            2, 9, 'plural but small; ten or more would be "a dozen" or "dozens"'
        ),
        "tens": VagueEntry(20, 99, "at least two tens, fewer than a hundred"),
        "dozens": VagueEntry(24, 99, 'at least two dozen; 100 or more is "over a hundred"'),
        "a few dozen": VagueEntry(24, 60, "two to five dozen"),
        "several dozen": VagueEntry(36, 108, "three to nine dozen"),
        "scores": VagueEntry(40, 199, 'at least two score (40); 200 or more is "hundreds"'),
        "hundreds": VagueEntry(200, 999, 'at least two hundred; 1,000 or more is "thousands"'),
        "a few hundred": VagueEntry(200, 599, "two to five hundred and some"),
        "several hundred": VagueEntry(300, 999, "three to nine hundred and some"),
        "thousands": VagueEntry(2_000, 9_999, 'at least two thousand; 10,000 is "tens of ..."'),
        "a few thousand": VagueEntry(2_000, 5_999, "two to five thousand and some"),
        "several thousand": VagueEntry(3_000, 9_999, "three to nine thousand and some"),
        "tens of thousands": VagueEntry(20_000, 99_999, "at least two ten-thousands"),
        "hundreds of thousands": VagueEntry(200_000, 999_999, "at least two hundred thousand"),
        "millions": VagueEntry(2_000_000, 9_999_999, "at least two million"),
        "tens of millions": VagueEntry(20_000_000, 99_999_999, "at least twenty million"),
        "multiple": VagueEntry(2, None, "says only that there is more than one", True),
        "some": VagueEntry(2, None, "a plural with no number: more than one, no upper bound", True),
        "many": VagueEntry(3, None, "more than a couple; the word sets no upper bound", True),
        "numerous": VagueEntry(3, None, 'as "many"', True),
    }
)


def parse_figure(text: str) -> Figure | None:
    """Find the casualty figure in a quote; ``None`` when there is none.

    The leftmost figure wins ("three women and four children" gives 3).

    Example:
        >>> parse_figure("killed seven non-Iranian nationals")
        Figure(low=7, best=7, high=7, exact=True, rule='exact', matched='seven')
        >>> parse_figure("at least 12 people")
        Figure(low=12, best=12, high=None, exact=False, rule='at-least', matched='at least 12')
        >>> parse_figure("dozens of people")
        Figure(low=24, best=None, high=99, exact=False, rule='vague:dozens', matched='dozens')
        >>> parse_figure("launched a series of airstrikes") is None
        True
    """
    return _parse(text)


def figure_agrees(fig: Figure, low: int | None, best: int | None, high: int | None) -> bool:
    """Whether an annotated figure (``low``/``best``/``high``) agrees with a parsed quote.

    - An exact quote agrees only when every annotated value equals it.
    - A vague quote agrees when the annotated range overlaps the lexicon range (the
      lexicon bounds are conventions, so only a clear contradiction fails).
    - Any other quote (bounds, ranges, "about") agrees when every annotated value lies
      within the bounds the words set, and the annotated range holds the quote's central
      figure, which an annotated ``best`` must equal. "More than 100" and "fewer than 10"
      accept the stated number itself, as coders often record it as the bound.
    - Nothing annotated agrees with nothing.

    Example:
        >>> seven = parse_figure("seven")
        >>> figure_agrees(seven, 7, 7, 7), figure_agrees(seven, None, 9, None)
        (True, False)
        >>> figure_agrees(parse_figure("several militants"), 3, None, 9)
        True
    """
    given = [v for v in (low, best, high) if v is not None]
    if not given:
        return False
    if fig.exact:
        return all(v == fig.best for v in given)
    q_lo = -math.inf if fig.low is None else fig.low
    q_hi = math.inf if fig.high is None else fig.high
    if fig.rule == "more-than":
        q_lo -= 1
    elif fig.rule == "fewer-than":
        q_hi += 1
    if "vague:" in fig.rule:
        a_lo = low if low is not None else best if best is not None else -math.inf
        a_hi = high if high is not None else best if best is not None else math.inf
        return a_lo <= q_hi and q_lo <= a_hi
    if not all(q_lo <= v <= q_hi for v in given):
        return False
    if fig.best is not None:
        if best is not None:
            return best == fig.best
        return (low is None or low <= fig.best) and (high is None or fig.best <= high)
    return True


# ---------------------------------------------------------------------------------------
# Normalisation: same length as the input, so spans found in it are spans of the input.

_SAME_LENGTH = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    }
)  # fmt: skip


def _normalise(text: str) -> str:
    t = text.translate(_SAME_LENGTH)
    low = t.lower()
    if len(low) == len(t):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in t)


# ---------------------------------------------------------------------------------------
# Number words and digits → integers, with a map back to the input's characters.


def _wordlist(words: str) -> list[str]:
    return words.split()


_UNITS = _wordlist(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = _wordlist("twenty thirty forty fifty sixty seventy eighty ninety")
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORDS = frozenset(_UNITS + _TENS + list(_SCALES))
# Words after a number that make it something other than a count of people.
_NOT_A_COUNT_AFTER = frozenset(
    _wordlist(
        "percent per km kilometres kilometers kilometre kilometer miles mile metres meters metre "
        "meter m ft feet kg kilograms tons tonnes year years yr yrs month months week weeks day "
        "days hour hours minute minutes seconds am pm gmt utc o'clock times degrees dollars euros "
        "pounds rupees rials usd mm cm litres liters barrels st nd rd th x"
    )
)
_MONTH_WORDS = frozenset(
    _wordlist(
        "january february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec"
    )
)
# Words before a number that make it a name or a position, not a count.
_NOT_A_COUNT_BEFORE = frozenset(
    _wordlist(
        "aged age ages resolution article route highway road flight no number unit section "
        "chapter page line platform gate block sector building room km kilometre kilometer"
    )
)
_BEFORE_A_YEAR = frozenset(_wordlist("in since until till by during before after of from"))
_CURRENCY = frozenset("$£€¥₹")

_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?)"
    r"|(?P<word>[a-z]+(?:'[a-z]+)?(?:-[a-z]+)*)"
)
_DIGIT_OR_NUMBER_WORD = re.compile(
    r"\d|\b(?:" + "|".join(sorted(_NUMBER_WORDS | {"dozen", "couple", "pair"})) + r")\b"
)


class _Token(NamedTuple):
    kind: str  # "num" | "word"
    text: str
    start: int
    end: int


def _number_word(token: _Token) -> bool:
    return token.kind == "word" and all(p in _NUMBER_WORDS for p in token.text.split("-"))


def _words_to_int(words: list[str]) -> int | None:
    try:
        return int(text2num(" ".join(words), "en"))
    except ValueError:
        return None


class _Digitised:
    """The normalised text with every number replaced by its digits (a number that is not a
    count by ``§``), and a map from its offsets back to the input's."""

    def __init__(self, norm: str, spans: list[tuple[int, int, int | None]]) -> None:
        parts: list[str] = []
        # (start in this text, end in this text, start in the input, end in the input)
        self.pieces: list[tuple[int, int, int, int]] = []
        at = length = 0
        for start, end, value in spans:
            parts.append(norm[at:start])
            length += start - at
            text = "§" if value is None else str(value)
            parts.append(text)
            self.pieces.append((length, length + len(text), start, end))
            length += len(text)
            at = end
        parts.append(norm[at:])
        self.text = "".join(parts)

    def _map(self, k: int, end: bool) -> int:
        shift = 0
        for d_start, d_end, o_start, o_end in self.pieces:
            if k < d_start or (end and k == d_start):
                break
            if k < d_end or (end and k == d_end):
                return o_end if end else o_start
            shift = o_end - d_end
        return k + shift

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self._map(a, end=False), self._map(b, end=True)


def _find_numbers(norm: str) -> list[tuple[int, int, int | None]]:
    """Spans of numbers in ``norm`` with their values (``None``: a number, but not a count)."""
    tokens = [
        _Token("num" if m["num"] else "word", m[0], m.start(), m.end())
        for m in _TOKEN.finditer(norm)
    ]
    n = len(tokens)

    def spaced(i: int) -> bool:  # token i+1 follows token i after whitespace only
        return i + 1 < n and norm[tokens[i].end : tokens[i + 1].start].isspace()

    def word_at(i: int) -> str:
        return tokens[i].text if 0 <= i < n and tokens[i].kind == "word" else ""

    def word_run(i: int, prefix: list[str]) -> tuple[int | None, int]:
        """The longest run of number words from token ``i`` that text2num reads."""
        run = [i]
        while spaced(run[-1]) and (
            _number_word(tokens[run[-1] + 1])
            or (
                word_at(run[-1] + 1) == "and"
                and spaced(run[-1] + 1)
                and _number_word(tokens[run[-1] + 2])
            )
        ):
            run.append(run[-1] + 1)
        while run:
            if word_at(run[-1]) != "and":
                value = _words_to_int(prefix + [tokens[k].text for k in run])
                if value is not None:
                    return value, run[-1]
            run.pop()
        return None, i

    spans: list[tuple[int, int, int | None]] = []
    i = 0
    while i < n:
        tok = tokens[i]
        word = word_at(i)
        value: int | float | None
        if tok.kind == "num":
            digits = tok.text.replace(",", "")
            value, j = (float(digits) if "." in digits else int(digits)), i
            if spaced(j) and word_at(j + 1) in _SCALES:
                value, j = value * _SCALES[word_at(j + 1)], j + 1
        elif (
            word == "half"
            and spaced(i)
            and word_at(i + 1) == "a"
            and spaced(i + 1)
            and (word_at(i + 2) == "dozen")
        ):
            value, j = 6, i + 2
        elif word in ("a", "an") and spaced(i) and word_at(i + 1) in ("couple", "pair"):
            value, j = 2, i + 1
            if spaced(j) and word_at(j + 1) == "of":
                j += 1
        elif word in ("a", "an") and spaced(i) and word_at(i + 1) == "dozen":
            value, j = 12, i + 1
        elif word in ("a", "an") and spaced(i) and word_at(i + 1) in _SCALES:
            value, j = word_run(i + 1, ["one"])
        elif _number_word(tok):
            if word == "one" and (word_at(i - 1) == "no" or word_at(i + 1) == "another"):
                i += 1
                continue
            value, j = word_run(i, [])
        else:
            i += 1
            continue
        if value is not None and spaced(j) and word_at(j + 1) == "dozen":
            value, j = value * 12, j + 1
        if isinstance(value, float):
            value = int(value) if value.is_integer() else None
        start, end = tok.start, tokens[j].end
        if value is not None and not _is_count(norm, tokens, i, j):
            value = None
        spans.append((start, end, value))
        i = j + 1
    return spans


def _is_count(norm: str, tokens: list[_Token], i: int, j: int) -> bool:
    """Whether the number at tokens ``i..j`` counts people (not a date, unit, age, time)."""
    start, end = tokens[i].start, tokens[j].end
    after = norm[end : end + 2]
    first, second = after[:1], after[1:2]
    if first.isalpha() or first == "%":  # "12th", "7km", "40%"
        return False
    if (first == ":" and second.isdigit()) or (first == "-" and second.isalpha()):
        return False  # "10:30", "7-year-old"
    before = norm[max(start - 2, 0) : start]
    if (
        before[-1:] in _CURRENCY
        or before[-1:].isalpha()
        or (before[:1].isalpha() and before[-1:] == "-")
    ):
        return False  # "$5 million", "F16", "F-16", "MQ-9"
    if start > 1 and norm[start - 1] == ":" and norm[start - 2].isdigit():
        return False  # the minutes of "10:30"
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    if (
        nxt is not None
        and nxt.kind == "word"
        and norm[end : nxt.start].strip(" -") == ""
        and (nxt.text.split("-")[0] in _NOT_A_COUNT_AFTER or nxt.text in _MONTH_WORDS)
    ):
        return False
    prev = tokens[i - 1] if i > 0 else None
    if prev is not None and prev.kind == "word" and norm[prev.end : start].isspace():
        if prev.text in _MONTH_WORDS or prev.text in _NOT_A_COUNT_BEFORE:
            return False
        text = tokens[i].text
        if prev.text in _BEFORE_A_YEAR and len(text) == 4 and text[:2] in ("19", "20"):
            return False
    return True


# ---------------------------------------------------------------------------------------
# Patterns over the digitised text, where every count is plain digits.


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile with " ?" meaning optional whitespace and " " meaning some whitespace."""
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"))


# Words before a number, by rule.
_PREFIXES = {
    "at-least": "at least|no fewer than|no less than|not fewer than|not less than"
    "|a minimum of|at a minimum",
    "more-than": "more than|well over|over|upwards of|in excess of|above|greater than",
    "up-to": "up to|as many as|as much as|at most|no more than|not more than|a maximum of",
    "nearly": "nearly|almost|close to|just under|just below|just short of|short of",
    "fewer-than": "fewer than|less than|under|below",
    "about": "about|around|approximately|approx|roughly|some|an estimated|estimated"
    "|an approximate|circa|c\\.|anywhere from|anywhere between|from",
}
_PREFIX_RULE = {
    " ".join(words.split()): rule
    for rule, alternatives in _PREFIXES.items()
    for words in alternatives.replace("\\", "").split("|")
}
_PREFIX_RULE["from"] = _PREFIX_RULE["anywhere from"] = _PREFIX_RULE["anywhere between"] = "exact"
_BOUNDS: dict[str, Callable[[int], tuple[int | None, int | None, int | None]]] = {
    "exact": lambda a: (a, a, a),
    "at-least": lambda a: (a, a, None),
    "more-than": lambda a: (a + 1, None, None),
    "up-to": lambda a: (None, None, a),
    "nearly": lambda a: (None, a, a),
    "fewer-than": lambda a: (None, None, max(a - 1, 0)),
    "about": lambda a: (None, a, None),
}
_ALL_PREFIXES = "|".join(
    sorted((p for v in _PREFIXES.values() for p in v.split("|")), key=len, reverse=True)
)
# One pass finds the leftmost figure with its qualifier: "[prefix] [between] N
# [(-|to|or|and) M | or more | + | or so]".
_NUMERIC = _rx(
    rf"(?:\b(?P<pre>{_ALL_PREFIXES}) )?(?:(?P<between>\bbetween) )?\b(?P<a>\d+)\b"
    r"(?:(?: ?(?(between)and|(?:-|to|or)) ?(?P<b>\d+)\b)"
    r"|(?P<post> or more\b| or above\b|\+|-plus\b| plus\b| or so\b))?"
)
_NONE = _rx(r"\b(?:no one|nobody|no (?:casualties|deaths|fatalities|injuries|victims|lives))\b")
_SINGULAR_NOUNS = _wordlist(
    "person man woman child boy girl baby infant toddler teenager civilian resident villager "
    "soldier officer policeman policewoman guard trooper serviceman servicewoman marine "
    "sailor airman conscript recruit cadet militant fighter insurgent rebel terrorist "
    "attacker gunman assailant bomber militiaman commander member leader official diplomat "
    "journalist reporter photographer cameraman worker employee contractor student teacher "
    "doctor nurse paramedic farmer shepherd fisherman driver passenger pilot pedestrian "
    "bystander worshipper citizen national refugee migrant protester protestor "
    "demonstrator prisoner detainee hostage suspect"
)
_SINGULAR = _rx(r"\b(?:a|an) (?:(?!of\b)[^\s\d]+ ){0,2}(?:" + "|".join(_SINGULAR_NOUNS) + r")\b")


def _vague_pattern(fallback: bool) -> re.Pattern[str]:
    phrases = sorted(
        (k for k, v in VAGUE_LEXICON.items() if v.fallback == fallback), key=len, reverse=True
    )
    return _rx(
        r"\b(?:(?P<q>at least|more than|well over|over|upwards of) )?"
        rf"(?P<v>{'|'.join(phrases)})\b(?!-)"
    )


_VAGUE = _vague_pattern(fallback=False)
_VAGUE_FALLBACK = _vague_pattern(fallback=True)
_WHITESPACE = re.compile(r"\s+")

# (start, end, low, best, high, exact, rule); start/end are offsets in the input
_Candidate = tuple[int, int, int | None, int | None, int | None, bool, str]


@lru_cache(maxsize=262144)
def _parse(text: str) -> Figure | None:
    norm = _normalise(text)
    candidates: list[_Candidate] = []
    if _DIGIT_OR_NUMBER_WORD.search(norm):
        dig = _Digitised(norm, _find_numbers(norm))
        numeric = _numeric_candidate(dig)
        if numeric is not None:
            candidates.append(numeric)
    else:
        dig = _Digitised(norm, [])
    if (m := _NONE.search(dig.text)) is not None:
        candidates.append((*dig.span(m.start(), m.end()), 0, 0, 0, True, "none"))
    if (m := _SINGULAR.search(dig.text)) is not None:
        candidates.append((*dig.span(m.start(), m.end()), 1, 1, 1, True, "singular"))
    if (vague := _vague_candidate(_VAGUE, norm)) is not None:
        candidates.append(vague)
    if not candidates and (vague := _vague_candidate(_VAGUE_FALLBACK, norm)) is not None:
        candidates.append(vague)
    if not candidates:
        return None
    start, end, low, best, high, exact, rule = min(candidates, key=lambda c: (c[0], c[0] - c[1]))
    return Figure(low, best, high, exact, rule, text[start:end])


def _numeric_candidate(dig: _Digitised) -> _Candidate | None:
    m = _NUMERIC.search(dig.text)
    if m is None:
        return None
    a = int(m["a"])
    start, end = m.start(), m.end()
    if m["b"] is not None:
        b = int(m["b"])
        if b > a:
            return (*dig.span(start, end), a, None, b, False, "range")
        end = m.end("a")  # "10 or 5": not a range
    pre = " ".join(m["pre"].split()) if m["pre"] else None
    rule = _PREFIX_RULE[pre] if pre else "exact"
    if pre is not None and rule == "exact":  # "from 20", "between 20": the number alone
        start = m.start("a")
    if m["post"] and rule == "exact":
        rule = "about" if m["post"].strip() == "or so" else "at-least"
    elif m["post"]:
        end = m.end("a")
    if m["between"] and m["b"] is None:
        start = m.start("a")
    low, best, high = _BOUNDS[rule](a)
    return (*dig.span(start, end), low, best, high, rule == "exact", rule)


def _vague_candidate(pattern: re.Pattern[str], norm: str) -> _Candidate | None:
    m = pattern.search(norm)
    if m is None:
        return None
    key = _WHITESPACE.sub(" ", m["v"])
    entry = VAGUE_LEXICON[key]
    if m["q"]:  # "at least dozens": the lexicon's floor, no ceiling
        return (m.start(), m.end(), entry.low, None, None, False, "at-least+vague:" + key)
    return (m.start(), m.end(), entry.low, None, entry.high, False, "vague:" + key)
