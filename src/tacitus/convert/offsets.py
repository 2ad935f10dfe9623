"""Character offsets: Python code points versus UTF-16 code units.

Python indexes strings by code point. Java (UIMA, INCEpTION) and JavaScript (Label Studio)
index by UTF-16 code unit, where a character outside the Basic Multilingual Plane (most
emoji, some CJK, mathematical letters) counts as two. Offsets read from those tools are
converted here, and a converted span is checked against the text the tool says it covers.
"""

from __future__ import annotations

import bisect
import dataclasses
from typing import Literal

Unit = Literal["codepoint", "utf16"]


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units.

    Example:
        >>> utf16_length("a😀b")
        4
    """
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class OffsetMap:
    """Converts offsets between code points and UTF-16 code units for one text.

    Built once per text; conversions are O(log n) in the number of astral characters.

    Example:
        >>> m = OffsetMap("😀 Iran")
        >>> m.to_python(3), m.to_utf16(2)
        (2, 3)
        >>> m.to_python(1) is None   # inside the surrogate pair of 😀
        True
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # Code-point positions of astral characters, in order.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # UTF-16 position of each astral character's first unit.
        self._astral16 = [i + k for k, i in enumerate(self._astral)]

    @property
    def has_astral(self) -> bool:
        """True when code points and UTF-16 units differ somewhere in the text."""
        return bool(self._astral)

    def to_utf16(self, offset: int) -> int:
        """A code-point offset as a UTF-16 offset (offsets past the end pass through)."""
        return offset + bisect.bisect_left(self._astral, offset)

    def to_python(self, offset16: int) -> int | None:
        """A UTF-16 offset as a code-point offset; None if it splits a surrogate pair.

        Offsets beyond the text are returned shifted by the astral count, so a caller's
        range check still sees them as out of range.
        """
        k = bisect.bisect_left(self._astral16, offset16)
        if k > 0 and self._astral16[k - 1] + 1 == offset16:
            return None  # between the two units of an astral character
        return offset16 - k


@dataclasses.dataclass(frozen=True)
class Resolved:
    """A span in Python offsets, and the unit the tool turned out to use."""

    start: int
    end: int
    unit: Unit


def resolve_span(
    offsets: OffsetMap,
    start: int,
    end: int,
    expected: str | None,
    *,
    prefer: Unit,
) -> Resolved | None:
    """Interpret (start, end) as ``prefer`` units, else the other; check the covered text.

    With ``expected`` (the text the tool says it annotated), a unit is accepted only if
    the slice equals it; without, only the preferred unit is tried (valid span or None).
    Returns None when no reading fits.

    Example:
        >>> m = OffsetMap("🙂 Pakistan")
        >>> resolve_span(m, 3, 11, "Pakistan", prefer="utf16")
        Resolved(start=2, end=10, unit='utf16')
        >>> resolve_span(m, 2, 10, "Pakistan", prefer="utf16")   # code points after all
        Resolved(start=2, end=10, unit='codepoint')
    """
    order: tuple[Unit, ...] = (
        ("utf16", "codepoint") if prefer == "utf16" else ("codepoint", "utf16")
    )
    if expected is None:
        order = order[:1]  # nothing to tell the units apart by: trust the tool's unit
    text = offsets.text
    for unit in order:
        if unit == "codepoint":
            s: int | None = start
            e: int | None = end
        else:
            s, e = offsets.to_python(start), offsets.to_python(end)
        if s is None or e is None or not (0 <= s <= e <= len(text)):
            continue
        if expected is None or text[s:e] == expected:
            return Resolved(s, e, unit)
        if not offsets.has_astral:
            break  # both readings are the same span: no point trying the other
    return None


def occurrence_of(text: str, quote: str, start: int) -> tuple[int, int]:
    """(1-based occurrence of ``quote`` at ``start``, number of occurrences) in ``text``.

    Occurrences are counted the way the native loader finds them (overlapping matches).

    Example:
        >>> occurrence_of("Iran and Iran", "Iran", 9)
        (2, 2)
    """
    positions = []
    at = text.find(quote)
    while at != -1:
        positions.append(at)
        at = text.find(quote, at + 1)
    index = positions.index(start) + 1 if start in positions else 0
    return index, len(positions)
