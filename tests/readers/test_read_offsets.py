"""Code points versus UTF-16 code units."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tacitus.convert.offsets import OffsetMap, occurrence_of, resolve_span, utf16_length

TEXT = "a😀b🇵🇰 Iran"


def test_utf16_length_counts_astral_twice() -> None:
    assert utf16_length(TEXT) == len(TEXT.encode("utf-16-le")) // 2 == len(TEXT) + 3


def test_to_python_refuses_the_middle_of_a_surrogate_pair() -> None:
    m = OffsetMap(TEXT)
    assert m.to_python(2) is None  # inside 😀
    assert m.to_python(3) == 2  # "b"
    assert m.to_utf16(2) == 3


def test_resolve_span_prefers_the_tool_unit_and_checks_the_text() -> None:
    m = OffsetMap(TEXT)
    start16 = utf16_length(TEXT[: TEXT.index("Iran")])
    got = resolve_span(m, start16, start16 + 4, "Iran", prefer="utf16")
    assert got is not None and (got.start, got.end, got.unit) == (6, 10, "utf16")
    got = resolve_span(m, 6, 10, "Iran", prefer="utf16")
    assert got is not None and got.unit == "codepoint"
    assert resolve_span(m, 6, 10, "Iraq", prefer="utf16") is None
    assert resolve_span(m, 2, 3, None, prefer="utf16") is None  # splits 😀, no fallback text


def test_occurrence_matches_the_native_loader_counting() -> None:
    assert occurrence_of("aaa", "aa", 1) == (2, 2)  # overlapping matches count


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40))
def test_every_code_point_boundary_maps_back_and_forth(text: str) -> None:
    m = OffsetMap(text)
    for i in range(len(text) + 1):
        u = m.to_utf16(i)
        assert u == utf16_length(text[:i])
        assert m.to_python(u) == i


_astral_text = st.text(
    alphabet=st.sampled_from(["a", " ", "é", "\u0627", "😀", "🇵", "🇰", "𝐀", "\U00020000", "\n"]),
    min_size=1,
    max_size=30,
)


@given(_astral_text, st.data())
def test_utf16_spans_resolve_to_the_annotated_slice(text: str, data: st.DataObject) -> None:
    """What Label Studio and INCEpTION record (UTF-16 offsets + text) gives the same slice."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = text[start:end]
    m = OffsetMap(text)
    s16, e16 = utf16_length(text[:start]), utf16_length(text[:end])
    got = resolve_span(m, s16, e16, quote, prefer="utf16")
    assert got is not None and text[got.start : got.end] == quote
    # the same span written in code points (some exports do) is found as well
    got = resolve_span(m, start, end, quote, prefer="utf16")
    assert got is not None and text[got.start : got.end] == quote
