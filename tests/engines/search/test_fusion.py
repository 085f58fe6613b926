"""Reciprocal rank fusion properties."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ivcs.engines.search.fusion import rrf, rrf_arrays

RANKING = st.lists(st.integers(0, 30), max_size=20, unique=True)


@given(RANKING, RANKING)
def test_first_in_both_is_first(a: list[int], b: list[int]) -> None:
    if a and b and a[0] == b[0]:
        assert rrf([a, b])[0][0] == a[0]


@given(st.lists(RANKING, max_size=4), RANKING)
def test_adding_a_list_never_removes_documents(rankings: list[list[int]], extra: list[int]) -> None:
    before = {key for key, _ in rrf(rankings)}
    after = {key for key, _ in rrf([*rankings, extra])}
    assert before <= after and after == before | set(extra)


@given(st.lists(RANKING, max_size=4), st.integers(1, 100))
def test_scores_decrease(rankings: list[list[int]], k: int) -> None:
    scores = [score for _, score in rrf(rankings, k=k)]
    assert scores == sorted(scores, reverse=True)


@given(RANKING)
def test_single_list_keeps_its_order(a: list[int]) -> None:
    assert [key for key, _ in rrf([a])] == a


def test_found_by_both_beats_first_in_one() -> None:
    assert rrf([["a", "b"], ["c", "b"]])[0][0] == "b"


@given(st.lists(RANKING, max_size=4), st.integers(1, 100))
def test_array_version_agrees(rankings: list[list[int]], k: int) -> None:
    keys, scores = rrf_arrays([np.array(r, dtype=np.intp) for r in rankings], k=k)
    expected = rrf(rankings, k=k)
    assert keys.tolist() == [key for key, _ in expected]
    assert np.allclose(scores, [score for _, score in expected])


def test_array_version_counts_duplicates_once() -> None:
    keys, scores = rrf_arrays([np.array([3, 1, 3]), np.array([], dtype=np.intp)], k=1)
    assert keys.tolist() == [3, 1] and scores.tolist() == [0.5, 1 / 3]
