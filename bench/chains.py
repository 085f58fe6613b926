"""Input-product chains: speed of ivcs.engines.chains.graph.ChainGraph (build, queries, paths).

Two graphs, when available:

1. synthetic (always): 60,000 links into ~2,400 products over 5,000 HS6 subheadings and 1,200 HS4
   headings (seeded). Each product (70 % HS6, 30 % HS4) gets about 25 inputs (normal, sd 8, at least
   3): 30 % from its own chapter, the rest drawn with a Zipf-like popularity (a few inputs - plastics,
   steel, cartons - go into many products); 70 % of the inputs are HS6. Sources: 80 % derived
   (weights skewed low, confidence 0.2-0.8), 12 % rules_of_origin, 5 % curated (roles 1.0/0.6/0.3,
   confidence 0.9), 3 % user. Every HS6 code gets an end use;
2. real: data/input_output/derived_links.csv + curated_chains.yaml (and end_use*.csv when there),
   read with ivcs.engines.chains.files, when at least one of the two link files exists.

For each graph: `build_s` (ChainGraph.build on the list of links, median of 5; reading the files is
`read_files_s`, apart), `build_peak_mb` (tracemalloc peak of one build), and per query kind -
inputs_of / used_in at depth 1 and 2 (limit 20: 20 nodes and up to 6 children each) - p50 and p95 in
ms over 500 random codes of the graph (as stored: HS6 and HS4), timed one by one after a warm-up on
50 other codes. `queries`: as shipped, each kind on a freshly built graph whose memo of merged
neighbourhoods starts empty (its hits - repeated codes, popular children - are in `cache`);
`queries_without_cache`: the same with the memo off (cache_size=0), every query merging anew.
`paths_ms`: 100 random pairs (max_depth 4, limit 5) on a fresh graph, and how many were connected.

Baseline, in the same run: ivcs.engines.chains.reference.neighbours, the same depth-1 query as one
linear scan over every link (the test oracle), on 40 codes per direction in blocks of 10,
interleaved with the engine (memo off) on the same codes; `ratio` = median over blocks of engine
time / scan time (0.01: the engine takes 1 % of the scan's time); `agreement`: the share of those
queries where both return the same top 20 (codes, in order). Targets: build <= 2 s, and the p95 of
every kind (depth 1 and 2, memo on) <= 5 ms.

Run: `python -m bench chains` or `python -m bench.chains [--links N]`. No Django.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "input_output"
DERIVED = DATA / "derived_links.csv"
CURATED = DATA / "curated_chains.yaml"
TARGETS = {"build_s": 2.0, "query_p95_ms": 5.0}
QUERIES = 500
NAIVE_CODES = 40
NAIVE_BLOCK = 10
PATH_PAIRS = 100
END_USES = ("intermediate", "capital", "consumption")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def _ms(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values) * 1000, 3), "p95": round(_percentile(values, 95) * 1000, 3)}


def synthetic(
    links: int = 60_000, hs6: int = 5_000, hs4: int = 1_200, fan_in: float = 25.0, seed: int = 11
) -> tuple[list[Any], dict[str, str]]:
    """Seeded random links and end uses shaped like the real data (see the module docstring)."""
    from ivcs.engines.chains.graph import Link

    rng = random.Random(seed)
    chapters = [f"{c:02d}" for c in range(1, 98) if c != 77]
    headings: set[str] = set()
    while len(headings) < hs4:
        headings.add(f"{rng.choice(chapters)}{rng.randint(1, 40):02d}")
    heading_list = sorted(headings)
    subheadings: set[str] = set()
    while len(subheadings) < hs6:
        subheadings.add(f"{rng.choice(heading_list)}{rng.randint(10, 99)}")
    sub_list = sorted(subheadings)
    by_chapter: dict[str, list[str]] = {}
    for code in heading_list + sub_list:
        by_chapter.setdefault(code[:2], []).append(code)
    popular6, popular4 = sub_list[:], heading_list[:]
    rng.shuffle(popular6)
    rng.shuffle(popular4)
    cum6 = _zipf_cumulative(len(popular6))
    cum4 = _zipf_cumulative(len(popular4))
    out: list[Any] = []
    seen: set[tuple[str, str]] = set()
    while len(out) < links:
        product = rng.choice(sub_list) if rng.random() < 0.7 else rng.choice(heading_list)
        for _ in range(max(3, round(rng.gauss(fan_in, 8)))):
            if rng.random() < 0.3:
                given = rng.choice(by_chapter[product[:2]])
            elif rng.random() < 0.7:
                given = rng.choices(popular6, cum_weights=cum6)[0]
            else:
                given = rng.choices(popular4, cum_weights=cum4)[0]
            if given.startswith(product) or product.startswith(given) or (given, product) in seen:
                continue
            seen.add((given, product))
            draw = rng.random()
            if draw < 0.80:
                link = Link(
                    given, product, min(1.0, max(0.02, rng.betavariate(1.2, 4))), rng.uniform(0.2, 0.8), "derived"
                )
            elif draw < 0.92:
                link = Link(given, product, rng.choice((1.0, 0.6)), rng.uniform(0.6, 0.85), "rules_of_origin")
            elif draw < 0.97:
                link = Link(given, product, rng.choice((1.0, 0.6, 0.3)), 0.9, "curated")
            else:
                link = Link(given, product, rng.uniform(0.3, 1.0), 0.5, "user")
            out.append(link)
            if len(out) == links:
                break
    end_use = {code: rng.choice(END_USES) for code in sub_list}
    return out, end_use


def _zipf_cumulative(n: int, exponent: float = 0.8) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += rank**-exponent
        out.append(total)
    return out


def measure(links: list[Any], end_use: dict[str, str], *, seed: int = 5) -> dict[str, Any]:
    """Build and query figures of one graph."""
    from ivcs.engines.chains import reference
    from ivcs.engines.chains.graph import CACHE_SIZE, ChainGraph

    builds, graphs = [], []
    for _ in range(5):
        started = time.perf_counter()
        graphs.append(ChainGraph.build(links, end_use))
        builds.append(time.perf_counter() - started)
    graph = graphs[0]
    plain = ChainGraph.build(links, end_use, cache_size=0)  # no memo: every query merges anew
    tracemalloc.start()
    ChainGraph.build(links, end_use)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rng = random.Random(seed)
    codes = sorted(graph.codes())
    if not codes:
        return {"links": len(links), "error": "no links"}
    warm = [rng.choice(codes) for _ in range(50)]
    sample = [rng.choice(codes) for _ in range(QUERIES)]
    sizes: dict[str, float] = {}

    def queries(subjects: list[Any]) -> tuple[dict[str, Any], dict[str, int]]:
        """Each kind on its own graph: a memo starts empty (hits come from codes met again)."""
        out: dict[str, Any] = {}
        cache = Counter[str]()
        kinds = [(name, depth) for name in ("inputs_of", "used_in") for depth in (1, 2)]
        for (name, depth), subject in zip(kinds, subjects, strict=True):
            method = getattr(subject, name)
            for code in warm:  # imports, allocator; other codes than the measured ones
                method(code, depth)
            times, counted = [], []
            for code in sample:
                started = time.perf_counter()
                nodes = method(code, depth)
                times.append(time.perf_counter() - started)
                counted.append(len(nodes) + sum(len(n.children) for n in nodes))
            out[f"{name}_depth{depth}_ms"] = _ms(times)
            sizes[f"{name}_depth{depth}"] = round(statistics.mean(counted), 1)
            cache.update(subject.cache_info())
        return out, dict(cache)

    uncached, _ = queries([plain] * 4)
    cached, cache = queries(graphs[1:])

    stored = graph.links
    subject_blocks, naive_blocks, naive_times, agree = [], [], [], []
    naive_codes = sample[:NAIVE_CODES]
    for inputs in (True, False):
        method = plain.inputs_of if inputs else plain.used_in
        for start in range(0, len(naive_codes), NAIVE_BLOCK):
            block = naive_codes[start : start + NAIVE_BLOCK]
            subject, naive = [], []
            for code in block:
                started = time.perf_counter()
                nodes = method(code)
                subject.append(time.perf_counter() - started)
                started = time.perf_counter()
                scanned = reference.neighbours(stored, code, inputs=inputs, limit=20)
                naive.append(time.perf_counter() - started)
                agree.append([n.code for n in nodes] == [r[0] for r in scanned])
            subject_blocks.append(statistics.median(subject))
            naive_blocks.append(statistics.median(naive))
            naive_times += naive

    pairs = [(rng.choice(codes), rng.choice(codes)) for _ in range(PATH_PAIRS)]
    path_times, connected = [], 0
    for up, down in pairs:
        started = time.perf_counter()
        found = graph.paths(up, down)
        path_times.append(time.perf_counter() - started)
        connected += bool(found)

    by_source = Counter(link.source for link in stored)
    fan_in = Counter(link.product for link in stored)
    p95s = {k: v["p95"] for k, v in cached.items()}
    return {
        "links": len(graph),
        "links_given": len(links),
        "links_by_source": dict(sorted(by_source.items())),
        "codes": len(codes),
        "hs6_codes": sum(len(c) == 6 for c in codes),
        "hs4_codes": sum(len(c) == 4 for c in codes),
        "products": len(fan_in),
        "fan_in_median": statistics.median(fan_in.values()),
        "build_s": round(statistics.median(builds), 3),
        "build_s_all": [round(b, 3) for b in builds],
        "build_peak_mb": round(peak / 2**20, 1),
        "queries": cached,
        "queries_without_cache": uncached,
        "cache": {
            "max_size": CACHE_SIZE,
            "hits": cache["hits"],
            "misses": cache["misses"],
            "hit_rate": round(cache["hits"] / max(1, cache["hits"] + cache["misses"]), 3),
        },
        "mean_nodes_returned": sizes,
        "paths_ms": _ms(path_times),
        "paths_connected": f"{connected}/{len(pairs)}",
        "baseline": {
            "what": "reference.neighbours: the depth-1 query (limit 20) as one linear scan over every link",
            "ms": _ms(naive_times),
            "queries": len(naive_times),
        },
        "ratio": round(statistics.median(s / n for s, n in zip(subject_blocks, naive_blocks, strict=True)), 4),
        "ratio_meaning": "engine depth-1 time / linear-scan time, median over blocks of 10 codes (same codes)",
        "agreement": round(sum(agree) / len(agree), 3),
        "targets": TARGETS,
        "targets_met": {
            "build": statistics.median(builds) <= TARGETS["build_s"],
            "query_p95": max(p95s.values()) <= TARGETS["query_p95_ms"],
        },
        "parameters": {"queries": QUERIES, "limit": 20, "children_limit": 6, "path_pairs": PATH_PAIRS},
    }


def real() -> dict[str, Any] | None:
    """The shipped data files through ivcs.engines.chains.files, or None when neither exists."""
    from ivcs.engines.chains.files import load_end_use, load_links

    if not DERIVED.is_file() and not CURATED.is_file():
        return None
    problems: list[str] = []
    started = time.perf_counter()
    links = load_links(DERIVED, CURATED, problems=problems)
    end_use_file = next(iter(sorted(DATA.glob("end_use*.csv"))), None)
    end_use = load_end_use(end_use_file, problems=problems)
    read_s = time.perf_counter() - started
    files = {
        "derived": DERIVED.relative_to(ROOT).as_posix() if DERIVED.is_file() else None,
        "curated": CURATED.relative_to(ROOT).as_posix() if CURATED.is_file() else None,
        "end_use": end_use_file.relative_to(ROOT).as_posix() if end_use_file else None,
    }
    if not links:
        return {"files": files, "error": "no readable links", "skipped_rows": len(problems)}
    return {
        "files": files,
        "read_files_s": round(read_s, 3),
        "skipped_rows": len(problems),
        "end_use_codes": len(end_use),
        **measure(links, end_use),
    }


def run(links: int = 60_000, seed: int = 11) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    rows, end_use = synthetic(links=links, seed=seed)
    generated_s = time.perf_counter() - started
    synthetic_figures = measure(rows, end_use)
    real_figures = real()
    return {
        "name": "chains",
        "synthetic": {"generated_s": round(generated_s, 2), "seed": seed, **synthetic_figures},
        "real": real_figures if real_figures is not None else {"error": f"{DERIVED.relative_to(ROOT)} missing"},
        "environment": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--links", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    sys.stdout.write(json.dumps(run(args.links, args.seed), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
