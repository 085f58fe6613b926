"""Quality of the suggested inputs (ivcs.engines.chains) on the hand-labelled input -> product pairs.

tests/data/chains_pairs.csv (columns `input,product,label,sector,note`; how it was made:
tests/data/CHAINS_PAIRS.md) labels pairs 1 (a main direct input of the product) or 0 (plausible but
not a direct input: the reverse direction, a sibling, a raw material two steps up, a by-product, a
machine). The graph is built from the shipped data (data/input_output/derived_links.csv and
curated_chains.yaml, read with ivcs.engines.chains.files). For each product with at least one
positive, the top 10 of `inputs_of(product, level=None, limit=10)` are compared with its labels; a
result matches a labelled input when one code is a prefix of the other (a heading and its
subheadings), and a result matching a positive counts as positive. Per sector and overall
(averages over products):

* `judged_precision@10`: positives / (positives + negatives) among the top 10, over the products
  with at least one judged result (unlabelled results are neither right nor wrong); `pooled`: the
  same summed over all products;
* `strict_precision@10`: positives / results returned (unlabelled results count as wrong), over the
  products with results; `coverage`: the share of products with any result;
* `recall@10`: labelled positives found / labelled positives;
* `negatives_in_top10`: results matching a labelled negative (and no positive): errors.

Conditions: the full graph; `without_curated` (derived + rules_of_origin: what the data alone
gives); `curated_only`. Target: judged precision@10 >= 0.7 overall and in each of the four
sectors. The bench prints aggregates only: links are never tuned to individual pairs of the set.
Missing files: an object with `error`.

Run: `python -m bench chains_eval` or `python -m bench.chains_eval`. No Django.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Collection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "data" / "chains_pairs.csv"
DATA = ROOT / "data" / "input_output"
DERIVED = DATA / "derived_links.csv"
CURATED = DATA / "curated_chains.yaml"
K = 10
TARGET = 0.7
CONDITIONS: dict[str, frozenset[str] | None] = {
    "full": None,
    "without_curated": frozenset({"derived", "rules_of_origin"}),
    "curated_only": frozenset({"curated"}),
}


def _matches(code: str, labelled: Collection[str]) -> bool:
    return any(code.startswith(x) or x.startswith(code) for x in labelled)


def load_pairs(path: Path = PAIRS) -> dict[str, dict[str, Any]]:
    """product -> {"sector", "positives", "negatives"} (codes normalised)."""
    from ivcs.engines.chains.graph import ChainGraph

    products: dict[str, dict[str, Any]] = defaultdict(lambda: {"sector": "", "positives": set(), "negatives": set()})
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            product = ChainGraph.normalise(row["product"])
            entry = products[product]
            entry["sector"] = entry["sector"] or row["sector"].strip()
            label = "positives" if row["label"].strip() == "1" else "negatives"
            entry[label].add(ChainGraph.normalise(row["input"]))
    return dict(products)


def evaluate(graph: Any, products: dict[str, dict[str, Any]], sources: frozenset[str] | None) -> dict[str, Any]:
    """Per-sector and overall figures of one condition (see the module docstring)."""
    tallies: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for product in sorted(products):
        labels = products[product]
        positives, negatives = labels["positives"], labels["negatives"]
        if not positives:
            continue
        results = [n.code for n in graph.inputs_of(product, level=None, limit=K, sources=sources)]
        right = [r for r in results if _matches(r, positives)]
        wrong = [r for r in results if r not in right and _matches(r, negatives)]
        found = [p for p in positives if any(r.startswith(p) or p.startswith(r) for r in results)]
        for scope in ("overall", labels["sector"]):
            tally, count = tallies[scope], counts[scope]
            count["products"] += 1
            count["with_results"] += bool(results)
            count["results"] += len(results)
            count["positives_in_top10"] += len(right)
            count["negatives_in_top10"] += len(wrong)
            count["positives_labelled"] += len(positives)
            count["positives_found"] += len(found)
            if right or wrong:
                tally["judged"].append(len(right) / (len(right) + len(wrong)))
            if results:
                tally["strict"].append(len(right) / len(results))
            tally["recall"].append(len(found) / len(positives))

    def mean(values: list[float]) -> float | None:
        return round(statistics.mean(values), 4) if values else None

    out: dict[str, Any] = {}
    for scope in ["overall", *sorted(s for s in tallies if s != "overall")]:
        tally, count = tallies[scope], counts[scope]
        judged_total = count["positives_in_top10"] + count["negatives_in_top10"]
        pooled = round(count["positives_in_top10"] / judged_total, 4) if judged_total else None
        out[scope] = {
            "judged_precision@10": mean(tally["judged"]),
            "judged_precision@10_pooled": pooled,
            "strict_precision@10": mean(tally["strict"]),
            "recall@10": mean(tally["recall"]),
            "coverage": round(count["with_results"] / count["products"], 4),
            "products": count["products"],
            "products_judged": len(tally["judged"]),
            "results": count["results"],
            "positives_in_top10": count["positives_in_top10"],
            "negatives_in_top10": count["negatives_in_top10"],
            "positives_found": f"{count['positives_found']}/{count['positives_labelled']}",
        }
    return out


def run() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from ivcs.engines.chains.files import load_end_use, load_links
    from ivcs.engines.chains.graph import ChainGraph

    if not PAIRS.is_file():
        return {"name": "chains_eval", "error": f"{PAIRS.relative_to(ROOT)} is missing"}
    if not DERIVED.is_file() and not CURATED.is_file():
        return {"name": "chains_eval", "error": f"no chain data: {DERIVED.relative_to(ROOT)} and curated file missing"}
    started = time.perf_counter()
    problems: list[str] = []
    links = load_links(DERIVED, CURATED, problems=problems)
    end_use_file = next(iter(sorted(DATA.glob("end_use*.csv"))), None)
    graph = ChainGraph.build(links, load_end_use(end_use_file))
    built_s = time.perf_counter() - started
    products = load_pairs()
    conditions = {name: evaluate(graph, products, sources) for name, sources in CONDITIONS.items()}
    full = conditions["full"]
    sectors = [s for s in full if s != "overall"]
    return {
        "name": "chains_eval",
        "pairs": sum(len(p["positives"]) + len(p["negatives"]) for p in products.values()),
        "products_with_positives": sum(bool(p["positives"]) for p in products.values()),
        "links": len(graph),
        "links_by_source": dict(sorted(Counter(link.source for link in graph.links).items())),
        "skipped_rows": len(problems),
        "load_and_build_s": round(built_s, 2),
        **conditions,
        "negatives_in_top10": {name: figures["overall"]["negatives_in_top10"] for name, figures in conditions.items()},
        "target": {"judged_precision@10": TARGET, "scope": "overall and each sector, full graph"},
        "target_met": {scope: (full[scope]["judged_precision@10"] or 0.0) >= TARGET for scope in ["overall", *sectors]},
        "matching": "a result matches a labelled input when one code is a prefix of the other",
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
