"""Gap analysis: the engine on a large synthetic catalogue, and the whole API request on the real one.

1. Engine (no database): `ivcs.engines.standards.gap.analyse` for a sector-wide target — 60
   requirements from 20 buyers over a catalogue of 300 schemes with 150 equivalence/inclusion
   relations and 10 recognitions, an SME holding 6 certificates. Baseline: the least any gap check
   does, one set intersection per requirement against the held schemes (no equivalences, no plan).
2. API: POST /api/v1/gap-analysis for the sector "food_beverage" with the shipped data/standards
   catalogue (certifiers, costs, financing and courses per step, country CO), against GET
   /api/v1/health through the same middleware. Requests are interleaved in rounds; each is timed on
   its own. The number of SQL queries of one request is reported too.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bench import harness

BLOCKS = 8
PER_BLOCK = 40
ROUNDS = 6
PER_ROUND = 15
WARMUP = 5


def synthetic(seed: int = 7) -> dict[str, Any]:
    from ivcs.engines.standards.gap import Estimate, Held, Requirement, Scheme

    rng = random.Random(seed)
    ids = [f"s{i:03d}" for i in range(300)]
    schemes = {s: Scheme(s, frozenset({f"r{rng.randrange(10)}"}) if rng.random() < 0.3 else frozenset()) for s in ids}
    relations = [
        (rng.choice(ids), rng.choice(ids), rng.choice(["includes", "equivalent", "benchmarked"])) for _ in range(150)
    ]
    requirements = []
    for buyer in range(20):
        for k in range(3):
            by = f"r{rng.randrange(10)}" if rng.random() < 0.3 else None
            options = frozenset(rng.sample(ids, rng.randint(0 if by else 1, 4)))
            level = "mandatory" if rng.random() < 0.6 else "preferred"
            requirements.append(Requirement(f"b{buyer}#{k}", level, options, by, (f"b{buyer}",)))  # type: ignore[arg-type]
    on = date(2026, 11, 30)
    held = [Held(s, on + timedelta(days=rng.randint(-100, 700))) for s in rng.sample(ids, 6)]
    estimates = {
        s: Estimate("USD", Decimal(rng.randint(500, 5000)), Decimal(rng.randint(5000, 20000)), 3, 12)
        for s in ids
        if rng.random() < 0.7
    }
    return {
        "schemes": schemes, "relations": relations, "requirements": requirements, "held": held,
        "estimates": estimates, "on": on,
    }  # fmt: skip


def run_engine(*, blocks: int = BLOCKS, per_block: int = PER_BLOCK) -> dict[str, Any]:
    from ivcs.engines.standards.gap import analyse

    data = synthetic()
    held_ids = {h.scheme for h in data["held"]}

    def subject() -> None:
        analyse(
            held=data["held"],
            requirements=data["requirements"],
            schemes=data["schemes"],
            relations=data["relations"],
            estimates=data["estimates"],
            on=data["on"],
            expiring_before=data["on"] + timedelta(days=180),
        )

    def baseline() -> None:
        for r in data["requirements"]:
            _ = bool(r.options & held_ids)

    harness.sample(subject, 3)
    harness.sample(baseline, 3)
    subject_blocks, baseline_blocks, subject_times, baseline_times = [], [], [], []
    for _ in range(blocks):
        times = harness.sample(subject, per_block)
        subject_times += times
        subject_blocks.append(statistics.median(times))
        times = harness.sample(baseline, per_block * 10)
        baseline_times += times
        baseline_blocks.append(statistics.median(times))
    return {
        "figures": {"analyse_ms": harness.summary(subject_times, scale=1000, digits=3)},
        "baseline": {
            "what": "one set intersection per requirement",
            "ms": harness.summary(baseline_times, scale=1000, digits=4),
        },
        "ratio": harness.paired_ratio(subject_blocks, baseline_blocks),
        "parameters": {
            "schemes": 300,
            "relations": 150,
            "requirements": len(data["requirements"]),
            "held": 6,
            "blocks": blocks,
            "per_block": per_block,
        },
    }


def run_api(*, rounds: int = ROUNDS, per_round: int = PER_ROUND) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from ivcs.core.demo import load_demo

    load_demo()  # loads data/standards too
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="es-CL,es;q=0.9")
    body = json.dumps(
        {
            "held": [{"standard": "haccp", "expires": "2027-02-01"}, {"standard": "globalgap_ifa"}],
            "target": {"sector": "food_beverage"},
            "country": "CO",
            "on": "2026-11-30",
        }
    )

    def gap() -> None:
        response = client.post("/api/v1/gap-analysis", body, content_type="application/json")
        if response.status_code != 200:
            raise RuntimeError(f"gap-analysis answered {response.status_code}: {response.content[:300]!r}")

    def health() -> None:
        client.get("/api/v1/health")

    harness.sample(gap, WARMUP)
    harness.sample(health, WARMUP)
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        gap()
    payload = client.post("/api/v1/gap-analysis", body, content_type="application/json").json()
    subject_blocks, baseline_blocks, subject_times, baseline_times = [], [], [], []
    for _ in range(rounds):
        times = harness.sample(gap, per_round)
        subject_times += times
        subject_blocks.append(statistics.median(times))
        times = harness.sample(health, per_round)
        baseline_times += times
        baseline_blocks.append(statistics.median(times))
    return {
        "figures": {
            "gap_request_ms": harness.summary(subject_times, scale=1000, digits=2),
            "sql_queries_per_request": len(queries),
            "requirements": len(payload["met"]) + len(payload["missing"]),
            "plan_steps": len(payload["steps"]),
        },
        "baseline": {"what": "GET /api/v1/health", "ms": harness.summary(baseline_times, scale=1000, digits=2)},
        "ratio": harness.paired_ratio(subject_blocks, baseline_blocks),
        "parameters": {"rounds": rounds, "per_round": per_round, "target": "sector food_beverage", "country": "CO"},
    }


def run() -> dict[str, Any]:
    harness.setup_django()
    engine = run_engine()
    api = run_api()
    return harness.result(
        "standards.gap_analysis",
        parameters={"engine": engine["parameters"], "api": api["parameters"]},
        figures={"engine": engine["figures"], "api": api["figures"]},
        baseline={"engine": engine["baseline"], "api": api["baseline"]},
        ratio={"engine_vs_set_intersections": engine["ratio"], "api_vs_health": api["ratio"]},
        ratio_meaning="median time of the subject / median time of its baseline, block by block",
    )


def main() -> None:
    json.dump(run(), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
