"""Evaluation of the sentence understanding engine (ivcs.engines.nlq) on the labelled set.

Reads tests/data/nlq_sentences.csv (columns text,lang,intent,origin_country,destination_countries,
input_countries,hs4) and prints one JSON object: intent accuracy, country accuracy (origin,
destinations and input countries all right), each part alone, product heading accuracy where a
heading is labelled, per language, and latency. Aggregates only: rules are never tuned to
individual sentences (the set stands for sentences nobody has seen).
"""

from __future__ import annotations

import csv
import os
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "nlq_sentences.csv"


def _codes(cell: str) -> set[str]:
    return {code.strip().upper() for code in (cell or "").split() if code.strip()}


def evaluate(rows: list[dict[str, str]], *, with_products: bool = True) -> dict[str, Any]:
    from ivcs.engines.nlq import ProductHit, load_gazetteer, understand

    finder = None
    if with_products:
        from ivcs.engines.hs.search import default_index

        index = default_index()

        def finder(phrase: str, language: str) -> list[ProductHit]:
            return [
                ProductHit(m.code, m.description, m.score) for m in index.search(phrase, lang=language, limit=3).results
            ]

    gazetteer = load_gazetteer()
    understand("warm up", find_products=finder, gazetteer=gazetteer)
    tallies: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    timings: list[float] = []
    for row in rows:
        started = time.perf_counter()
        result = understand(row["text"], find_products=finder, gazetteer=gazetteer)
        timings.append((time.perf_counter() - started) * 1000)
        origin_ok = (result.origin_country or "") == (row["origin_country"] or "").strip().upper()
        destinations_ok = set(result.destination_countries) == _codes(row["destination_countries"])
        inputs_ok = set(result.input_countries) == _codes(row["input_countries"])
        marks = {
            "intent": int(result.intent == row["intent"].strip()),
            "countries": int(origin_ok and destinations_ok and inputs_ok),
            "origin": int(origin_ok),
            "destinations": int(destinations_ok),
            "inputs": int(inputs_ok),
        }
        accepted = _codes(row.get("hs4", ""))
        if accepted and with_products:
            marks["product_hs4_top1"] = int(bool(result.products) and result.products[0].code[:4] in accepted)
        for scope in ("all", row["lang"].strip()):
            for name, value in marks.items():
                tallies[scope][name].append(value)

    def summary(scope: str) -> dict[str, Any]:
        return {name: round(sum(values) / len(values), 4) for name, values in tallies[scope].items()} | {
            "n": len(tallies[scope]["intent"])
        }

    ordered = sorted(timings)
    return {
        "name": "nlq_eval",
        "n": len(rows),
        **{k: v for k, v in summary("all").items() if k != "n"},
        "by_language": {lang: summary(lang) for lang in sorted(tallies) if lang != "all"},
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "with_products": with_products,
        "targets": {"intent": 0.85, "countries": 0.90},
    }


def run() -> dict[str, Any]:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if not DATA.exists():
        return {"name": "nlq_eval", "error": f"{DATA.relative_to(ROOT)} is missing"}
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return evaluate(rows)


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
