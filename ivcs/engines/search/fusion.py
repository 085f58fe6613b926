"""Reciprocal rank fusion: merge ranked lists whose scores are not comparable (bm25 vs cosine).

score(d) = sum over lists of weight / (k + rank of d in that list), ranks from 1. k=60 is the value of
Cormack et al. (2009): it damps the difference between the top few ranks so that a document found by
both retrievers beats one that is first in only one. Ties are broken by the best single rank, then by
first appearance, so the output is deterministic.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

K = TypeVar("K", bound=Hashable)


def rrf(rankings: Sequence[Sequence[K]], k: int = 60, weights: Sequence[float] | None = None) -> list[tuple[K, float]]:
    """(key, fused score) for every key of every ranking, best first. Duplicates within a ranking count
    at their first (best) rank."""
    if weights is None:
        weights = [1.0] * len(rankings)
    scores: dict[K, float] = {}
    best_rank: dict[K, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[K] = set()
        for rank, key in enumerate(ranking, start=1):
            if key in seen:
                continue
            seen.add(key)
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
            best_rank[key] = min(best_rank.get(key, rank), rank)
    order = {key: i for i, key in enumerate(scores)}
    ranked = sorted(scores, key=lambda key: (-scores[key], best_rank[key], order[key]))
    return [(key, scores[key]) for key in ranked]


def rrf_arrays(
    rankings: Sequence[npt.ArrayLike], k: int = 60, weights: Sequence[float] | None = None
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """`rrf` for rankings of non-negative integer keys (document indexes) given as arrays: the keys and
    their scores, best first, in the same order as `rrf` -- without a Python object per key, so that
    fusing 20,000 lexical matches costs a few sorts, not 20,000 dict updates."""
    if weights is None:
        weights = [1.0] * len(rankings)
    keys_parts, score_parts, rank_parts, first_parts = [], [], [], []
    offset = 0
    for ranking, weight in zip(rankings, weights, strict=True):
        keys = np.asarray(ranking, dtype=np.intp).reshape(-1)
        _, positions = np.unique(keys, return_index=True)  # duplicates count at their first rank
        positions = np.sort(positions)
        keys_parts.append(keys[positions])
        score_parts.append(weight / (k + positions + 1.0))
        rank_parts.append(positions + 1)
        first_parts.append(positions + offset)
        offset += len(keys)
    if not keys_parts or offset == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float64)
    all_keys = np.concatenate(keys_parts)
    unique, inverse = np.unique(all_keys, return_inverse=True)
    scores = np.zeros(len(unique), dtype=np.float64)
    # add in list order so that floating-point sums match `rrf` exactly
    for i, part in enumerate(score_parts):
        start = sum(len(p) for p in score_parts[:i])
        np.add.at(scores, inverse[start : start + len(part)], part)
    best_rank = np.full(len(unique), np.iinfo(np.intp).max, dtype=np.intp)
    np.minimum.at(best_rank, inverse, np.concatenate(rank_parts))
    first = np.full(len(unique), np.iinfo(np.intp).max, dtype=np.intp)
    np.minimum.at(first, inverse, np.concatenate(first_parts))
    order = np.lexsort((first, best_rank, -scores))
    return unique[order].astype(np.intp), scores[order]
