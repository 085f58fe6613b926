"""Matching quality: nDCG@10 and recall@10 of supplier discovery on the labelled relevance set.

tests/data/matching_relevance.csv grades profile x opportunity pairs 0..3 (how it was labelled:
tests/data/README.md); for each labelled opportunity every profile of its sector is graded, and
pairs not listed count as 0. For each labelled, published opportunity the engine ranks the demo
profiles (`MatchIndex.suppliers`, top 10) and we compute

* nDCG@10 with gain 2^grade - 1 (ideal DCG from all graded profiles of that opportunity);
* recall@10: the share of the opportunity's good suppliers (grade >= 2) in the top 10.

Baseline, in the same run: keyword overlap, ranking every profile by the Jaccard overlap of the
accent- and case-folded word sets of the two texts (no filters, no codes, no semantics). Also
reported: the engine without the semantic component, the cross-lingual opportunities alone
(marked in the set's note column), and the same with the profiles' HS codes removed (SMEs that
described their products only in words), where the description's meaning has to carry the match.

Caveat: the grades were derived from the same structured facts the engine scores (HS codes,
eligibility, certificates, capacity), so with codes present the figures mostly check that the
ranking respects those rules; the uncoded condition is the informative one for the semantics.
Runs without Django (the demo data is read from data/demo and certificates resolved with
data/standards, as the app does).

Run: `python -m bench matching_eval` or `python -m bench.matching_eval`.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import csv  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import replace  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "matching_relevance.csv"
TODAY = date(2026, 11, 30)
K = 10


def _labels() -> tuple[dict[str, dict[str, int]], set[str]]:
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    cross: set[str] = set()
    with LABELS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            grades[row["opportunity"]][row["profile"]] = int(row["grade"])
            if "cross-lingual" in (row.get("note") or "").lower():
                cross.add(row["opportunity"])
    return grades, cross


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    def dcg(values: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(p, 0) for p in ranked]) / ideal if ideal > 0 else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = K) -> float | None:
    good = {p for p, g in grades.items() if g >= 2}
    if not good:
        return None
    return len(good & set(ranked[:k])) / len(good)


def _evaluate(rank: Callable[[str], list[str]], grades: dict[str, dict[str, int]], keys: list[str]) -> dict[str, Any]:
    ndcgs, recalls = [], []
    for key in keys:
        ranked = rank(key)
        ndcgs.append(ndcg(ranked, grades[key]))
        r = recall(ranked, grades[key])
        if r is not None:
            recalls.append(r)
    return {
        "ndcg@10": round(sum(ndcgs) / len(ndcgs), 4) if ndcgs else None,
        "recall@10": round(sum(recalls) / len(recalls), 4) if recalls else None,
        "opportunities": len(keys),
    }


def run() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from bench.matching_data import load
    from ivcs.engines.matching.index import MatchIndex
    from ivcs.engines.text import fold

    profiles, opportunities, profile_ids, opportunity_ids = load(TODAY)
    grades, cross = _labels()
    slug_of = {v: k for k, v in profile_ids.items()}
    open_keys = {o_key for o_key, oid in opportunity_ids.items() if opportunities[oid - 1].open}
    keys = sorted(k for k in grades if k in open_keys)

    def engine(encode: Any, rows: list[Any] = profiles) -> tuple[Callable[[str], list[str]], float]:
        started = time.perf_counter()
        index = MatchIndex(encode)
        index.upsert_profiles(rows)
        index.upsert_opportunities(opportunities)
        built = time.perf_counter() - started

        def rank(key: str) -> list[str]:
            return [slug_of[m.profile_id] for m in index.suppliers(opportunity_ids[key], limit=K, today=TODAY)]

        return rank, built

    from ivcs.engines.hs.semantic import embed

    semantic_rank, build_s = engine(embed)
    lexical_rank, _ = engine(None)
    # Harder: SMEs that described their products in words but gave no HS codes (common when a
    # profile is imported or typed quickly). Only sectors and the text connect them.
    uncoded = [replace(p, hs=()) for p in profiles]
    uncoded_semantic, _ = engine(embed, uncoded)
    uncoded_lexical, _ = engine(None, uncoded)

    words = {p.id: set(fold(p.text).split()) for p in profiles}
    opp_words = {o.id: set(fold(o.text).split()) for o in opportunities}

    def keyword_rank(key: str) -> list[str]:
        query = opp_words[opportunity_ids[key]]
        scored = sorted(
            ((len(query & w) / (len(query | w) or 1), -pid) for pid, w in words.items()),
            reverse=True,
        )
        return [slug_of[-neg] for _, neg in scored[:K]]

    cross_keys = [k for k in keys if k in cross]
    return {
        "name": "matching.relevance",
        "labelled_pairs": sum(len(v) for v in grades.values()),
        "profiles": len(profiles),
        "engine": _evaluate(semantic_rank, grades, keys),
        "engine_without_semantics": _evaluate(lexical_rank, grades, keys),
        "keyword_overlap_baseline": _evaluate(keyword_rank, grades, keys),
        "cross_lingual": {
            "engine": _evaluate(semantic_rank, grades, cross_keys),
            "engine_without_semantics": _evaluate(lexical_rank, grades, cross_keys),
            "keyword_overlap_baseline": _evaluate(keyword_rank, grades, cross_keys),
        },
        "profiles_without_hs_codes": {
            "engine": _evaluate(uncoded_semantic, grades, keys),
            "engine_without_semantics": _evaluate(uncoded_lexical, grades, keys),
            "cross_lingual_engine": _evaluate(uncoded_semantic, grades, cross_keys),
            "cross_lingual_engine_without_semantics": _evaluate(uncoded_lexical, grades, cross_keys),
        },
        "index_build_s": round(build_s, 2),
        "k": K,
    }


def main() -> None:
    json.dump(run(), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
