"""CodeSet arithmetic: membership of shorter codes and subtraction across levels (with hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ivcs.engines.origin.grammar import CodeSet

chapters = st.integers(1, 97).map(lambda n: f"{n:02d}")
subheadings = st.integers(10000, 979999).map(lambda n: f"{n:06d}")


def test_a_shorter_code_is_inside_only_when_wholly_inside() -> None:
    assert CodeSet.of("17").contains("1701") and not CodeSet.of("1701-1704").contains("17")
    assert CodeSet.of("170100-170199").contains("1701") and not CodeSet.of("170110-170199").contains("1701")


def test_minus_across_levels() -> None:
    assert CodeSet.of("17").minus(CodeSet.of("170230")).ranges == (("170000", "170229"), ("170231", "179999"))
    assert CodeSet.of("1701-1704").minus(CodeSet.of("1702")).ranges == (("1701", "1701"), ("1703", "1704"))
    assert CodeSet.of("04").minus(CodeSet.of("01-97")) == CodeSet()
    assert CodeSet.of("0401").minus(CodeSet.of("05")) == CodeSet.of("0401")


@given(chapters, st.lists(subheadings, max_size=3), subheadings)
def test_minus_removes_exactly_the_excluded_codes(chapter: str, excluded: list[str], code: str) -> None:
    base = CodeSet.of(chapter)
    rest = base.minus(CodeSet.of(*excluded)) if excluded else base
    expected = base.contains(code) and not any(code == e for e in excluded)
    assert rest.contains(code) == expected
