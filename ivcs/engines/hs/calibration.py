"""Fit the confidence function of search.py on queries generated from our own data.

Never uses an evaluation set. The calibration index is built with every other trade name (rows 0, 2,
4, ... of data/hs/trade_names.csv), and the queries are:

* the other trade names (their codes are the truth), so the index has to find them from the
  nomenclature texts, the semantic model and the trade names it has (a query may contain one of them:
  "aceite de palta" with "palta" indexed), as it must for words nobody curated yet;
* HS6 descriptions in es/pt/en with words dropped, a typo inserted or the accents removed.

For each query the top 5 results become samples (features of search.confidence; label 1 when the
result's code is an accepted HS6, or its heading an accepted HS4 when only HS4 codes are known). A
logistic regression (Newton's method, small L2) gives the coefficients; `python -m
ivcs.engines.hs.calibration` prints them with the reliability table (predicted vs observed per bin)
to paste into search.CONFIDENCE. It builds its own index, so it rewrites the vector cache for that
index's texts: run it with a copy of var/cache/hs (`--cache DIR`) to keep the search's cache whole.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ivcs.engines.hs import search
from ivcs.engines.hs.nomenclature import Nomenclature, default_nomenclature
from ivcs.engines.hs.trade_names import TradeName, load_trade_names

Sample = tuple[float, float, float, int]  # score, best, coverage, correct


def generated_queries(
    nomenclature: Nomenclature, trade_names: Sequence[TradeName], *, seed: int = 7, per_language: int = 400
) -> list[tuple[str, frozenset[str]]]:
    """(query, accepted codes): `trade_names` (those the calibration index does not hold) and mangled
    HS6 descriptions."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not security
    out: list[tuple[str, frozenset[str]]] = [(t.term, frozenset(t.codes)) for t in trade_names if t.codes]
    subheadings = sorted(code for code, entry in nomenclature.entries.items() if entry.level == 6)
    for lang in ("es", "pt", "en"):
        for code in rng.sample(subheadings, per_language):
            text = nomenclature.entries[code].descriptions.get(lang)
            if not text:
                continue
            words = text.replace("\u203a", " ").replace(";", " ").split()
            if len(words) > 3:
                words = [w for w in words if rng.random() > 0.35] or words[:2]
            query = " ".join(words[:8])
            if rng.random() < 0.3 and len(query) > 6:
                i = rng.randrange(1, len(query) - 1)
                query = query[:i] + query[i + 1 :]
            out.append((query, frozenset({code})))
    return out


def samples(index: search.HsSearchIndex, queries: Sequence[tuple[str, frozenset[str]]]) -> list[Sample]:
    out: list[Sample] = []
    for query, truth in queries:
        text, _ = search.clean_query(query)
        scored = index._score(text, "es")
        if not scored.anything:
            continue
        scores = scored.scores
        top = np.argsort(-scores)[:5]
        best = float(scores[top[0]])
        for i in top:
            code = index.codes[int(i)]
            correct = code in truth or (not any(len(c) == 6 for c in truth) and code[:4] in truth)
            out.append((float(scores[i]), best, float(scored.coverage[i]), int(correct)))
    return out


def features(rows: Sequence[Sample]) -> npt.NDArray[np.float64]:
    x = np.asarray([(s, s - b, c, 1.0) for s, b, c, _ in rows], dtype=np.float64)
    return x.reshape(len(rows), 4)


def fit(rows: Sequence[Sample], *, l2: float = 1e-3, steps: int = 50) -> tuple[float, float, float, float]:
    x = features(rows)
    y = np.asarray([r[3] for r in rows], dtype=np.float64)
    w = np.zeros(4)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x.T * (p * (1 - p))) @ x + l2 * np.eye(4)
        w -= np.linalg.solve(hessian, gradient)
    a, b, c, d = (round(float(v), 3) for v in w)
    return a, b, c, d


def reliability(rows: Sequence[Sample], coefficients: tuple[float, float, float, float]) -> list[str]:
    x = features(rows)
    y = np.asarray([r[3] for r in rows], dtype=np.float64)
    p = 1 / (1 + np.exp(-(x @ np.asarray(coefficients))))
    lines = []
    for low in np.arange(0, 1, 0.1):
        mask = (p >= low) & (p < low + 0.1)
        if mask.any():
            predicted, observed = p[mask].mean(), y[mask].mean()
            lines.append(f"{low:.1f}-{low + 0.1:.1f}: n={int(mask.sum()):5d} {predicted=:.3f} {observed=:.3f}")
    return lines


def main(cache_dir: Path | None = None) -> int:
    nomenclature = default_nomenclature()
    trade_names = load_trade_names()
    indexed, asked = trade_names[::2], trade_names[1::2]
    index = search.HsSearchIndex.build(nomenclature, indexed, cache_dir=cache_dir or search.DEFAULT_CACHE_DIR)
    rows = samples(index, generated_queries(nomenclature, asked))
    coefficients = fit(rows)
    sys.stdout.write(f"samples={len(rows)} positives={sum(r[3] for r in rows)}\nCONFIDENCE = {coefficients}\n")
    sys.stdout.write("\n".join(reliability(rows, coefficients)) + "\n")
    return 0


if __name__ == "__main__":
    _cache = Path(sys.argv[sys.argv.index("--cache") + 1]) if "--cache" in sys.argv else None
    sys.exit(main(_cache))
