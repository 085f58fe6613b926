"""Rules-of-origin assessor: speed of ivcs.engines.origin.assess on the real UK rule sets, no Django.

* ``assess_50_inputs_all_schemes_ms``: one *sample* = a 50-input bill of materials for a laptop (HS 847130;
  seeded mix of chapters 39/40/48/73/76/84/85/90, origins in the exporter, GB, CN, US, unknown) assessed
  against every loaded scheme (6), exporter = the scheme's first non-UK party, a rule-set choice answered
  when asked. p50/p95 over 300 samples after 20 warm-up samples. Each scheme's bill is validated once
  (``prepare_inputs``), as a client assessing one bill against several schemes would.
* ``batch_per_s``: single-threaded assessments per second over every rule set of every scheme (its first
  valid subheading, its own rule set chosen by key), each with the same 50-input bill.
* ``baseline``: the same sample done naively -- scanning the raw JSON rule sets for the range and parsing
  the candidate rule texts on every assessment (what an assessor without a parsed, indexed scheme does);
  ``ratio`` = engine p50 / baseline p50 over 30 interleaved pairs.
* ``rules_loaded``, ``rule_sets``, ``structured_share`` (rule sets whose every rule is structured), ``load_s``.

Targets: p50 <= 5 ms for the all-schemes sample, >= 2,000 assessments per second on one core.

Run: ``python -m bench origin`` or ``python -m bench.origin``. No Django.
"""

from __future__ import annotations

import bisect
import json
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"assess_50_inputs_all_schemes_ms_p50": 5.0, "batch_per_s": 2000.0}
SAMPLES = 300
WARMUP = 20
BASELINE_PAIRS = 30
PRODUCT = "847130"
BILL_CODES = [
    "3907", "390810", "4016", "401693", "4819", "481910", "7318", "731815", "7616", "761699", "8471", "847330",
    "8473", "850440", "8504", "850760", "8507", "851829", "8518", "852352", "8523", "852589", "8528", "852852",
    "8532", "853224", "8533", "853321", "8534", "853400", "8536", "853669", "8541", "854110", "8542", "854231",
    "854232", "854233", "854239", "8544", "854442", "9001", "900120", "9013", "901380", "8473", "847330", "8443",
    "844399", "3926",
]  # fmt: skip


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def _bill(exporter: str, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    origins = [exporter, "GB", "CN", "CN", "US", None]
    return [
        {"hs": code, "origin": rng.choice(origins), "value": Decimal(rng.randint(1, 20)) / Decimal(10)}
        for code in BILL_CODES
    ]  # 50 inputs worth 5-100, price 100


DECLARED = {"insufficient_processing": False}  # the exporter's answer: the work goes beyond simple operations


def run() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from ivcs.engines.origin.assess import assess, assess_rule, hs_codes, prepare_inputs, rule_set_key
    from ivcs.engines.origin.parser import parse_rule_set
    from ivcs.engines.origin.schemes import load_all_provisions, load_origin_schemes

    started = time.perf_counter()
    schemes = load_origin_schemes()
    load_s = time.perf_counter() - started
    known = hs_codes()
    price = Decimal(100)

    jobs = []
    for scheme in schemes.values():
        exporter = next(p for p in scheme.provisions.parties if p != "GB")
        bill = prepare_inputs(_bill(exporter))
        first = assess(PRODUCT, exporter, bill, price, scheme)
        answers: dict[str, Any] = (
            {"rule_set": first.questions[0].choices[0][0]}
            if first.questions and first.questions[0].key == "rule_set"
            else {}
        )
        answers["insufficient_processing"] = False  # the work goes beyond simple operations
        jobs.append((scheme, exporter, bill, answers))

    def sample() -> float:
        t = time.perf_counter()
        for scheme, exporter, bill, answers in jobs:
            assess(PRODUCT, exporter, bill, price, scheme, answers=answers)
        return time.perf_counter() - t

    files = load_all_provisions()
    raw = {sid: json.loads(files[sid][1].read_text(encoding="utf-8")) for sid in schemes}

    def naive_sample() -> float:
        t = time.perf_counter()
        for scheme, exporter, bill, answers in jobs:
            candidates = [
                parse_rule_set(r)
                for r in raw[scheme.id]["rule_sets"]
                if str(r.get("min", ""))[:6] <= PRODUCT <= str(r.get("max", ""))[:6]
            ]
            chosen = next((rs for rs in candidates if rule_set_key(rs) == answers.get("rule_set")), candidates[0])
            assess_rule(
                chosen.rule, PRODUCT, exporter, bill, price, scheme.provisions, answers=answers, known_codes=known
            )
        return time.perf_counter() - t

    for _ in range(WARMUP):
        sample()
    times = [sample() for _ in range(SAMPLES)]
    pairs = [(sample(), naive_sample()) for _ in range(BASELINE_PAIRS)]

    subheadings = sorted(c for c in known if len(c) == 6)
    batch = []
    for scheme in schemes.values():
        exporter = next(p for p in scheme.provisions.parties if p != "GB")
        bill = prepare_inputs(_bill(exporter))
        for rs in scheme.rules.rule_sets:
            at = bisect.bisect_left(subheadings, rs.low[:6])  # the first real subheading in the range
            if at < len(subheadings) and subheadings[at] <= rs.high[:6]:
                batch.append((scheme, exporter, bill, subheadings[at], {"rule_set": rule_set_key(rs), **DECLARED}))
    statuses: dict[str, int] = {}
    t = time.perf_counter()
    for scheme, exporter, bill, hs6, answers in batch:
        result = assess(hs6, exporter, bill, price, scheme, answers=answers)
        statuses[result.status] = statuses.get(result.status, 0) + 1
    batch_s = time.perf_counter() - t

    rule_sets = [rs for s in schemes.values() for rs in s.rules.rule_sets]
    p50 = statistics.median(times) * 1000
    per_s = len(batch) / batch_s if batch_s else 0.0
    engine = statistics.median(p[0] for p in pairs)
    naive = statistics.median(p[1] for p in pairs)
    return {
        "name": "origin",
        "schemes": sorted(schemes),
        "load_s": round(load_s, 2),
        "rules_loaded": sum(len(rs.rules) for rs in rule_sets),
        "rule_sets": len(rule_sets),
        "structured_share": round(sum(1 for rs in rule_sets if rs.structured) / len(rule_sets), 4),
        "assess_50_inputs_all_schemes_ms_p50": round(p50, 3),
        "assess_50_inputs_all_schemes_ms_p95": round(_percentile(times, 95) * 1000, 3),
        "batch_assessments": len(batch),
        "batch_per_s": round(per_s, 1),
        "batch_statuses": statuses,
        "baseline": {
            "what": "scan the raw JSON and parse the candidate rule texts on every assessment",
            "naive_all_schemes_ms_p50": round(naive * 1000, 3),
            "engine_all_schemes_ms_p50": round(engine * 1000, 3),
            "ratio": round(engine / naive, 4) if naive else None,
        },
        "targets": TARGETS,
        "targets_met": {
            "assess_50_inputs_all_schemes_ms_p50": p50 <= TARGETS["assess_50_inputs_all_schemes_ms_p50"],
            "batch_per_s": per_s >= TARGETS["batch_per_s"],
        },
        "environment": {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()},
    }


def main() -> int:
    sys.stdout.write(json.dumps(run(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
