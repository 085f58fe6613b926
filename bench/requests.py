"""Requests through the whole Django stack (Django's test Client, no network): pages against health.

Measured: GET / (tenant resolution, language choice, CSP nonce, template), GET /t/<slug>/ (a partner
site on a path prefix) and GET /api/v1/openapi.json, each against GET /api/v1/health, the baseline:
an API operation that passes the same middleware (tenant, session, language, CSP) and does little
work of its own (SELECT 1, a queue count, two outbox counts). The targets are interleaved in rounds,
so that a noisy neighbour slows all of them alike; every request is timed on its own. The OpenAPI
document is built anew on every request (about fifty times a health check), so it gets fewer
requests per round to keep the run short.
"""

from __future__ import annotations

import json
import statistics
import sys
from functools import partial
from typing import Any

from bench import harness

ROUNDS = 6
PER_ROUND = 120
OPENAPI_PER_ROUND = 4
WARMUP = 30
BASELINE = "/api/v1/health"


def _partner_slug() -> str:
    from django.conf import settings

    data = json.loads((settings.DATA_DIR / "demo" / "accounts.json").read_text(encoding="utf-8"))
    return str(data["tenants"][0]["slug"])


def run(*, rounds: int = ROUNDS, per_round: int = PER_ROUND) -> dict[str, Any]:
    harness.setup_django()
    from django.test import Client

    from ivcs.core.demo import load_demo

    load_demo()
    targets = {
        "health": BASELINE,
        "home": "/",
        "partner_home": f"/t/{_partner_slug()}/",
        "openapi": "/api/v1/openapi.json",
    }
    # A host the default tenant owns and ALLOWED_HOSTS admits; an ordinary browser language.
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="es-CL,es;q=0.9,en;q=0.5")

    per_path = {label: OPENAPI_PER_ROUND if label == "openapi" else per_round for label in targets}

    for label, path in targets.items():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} ({label}) answered {response.status_code}, not 200")
        for _ in range(min(WARMUP, per_path[label])):
            client.get(path)

    latencies: dict[str, list[float]] = {label: [] for label in targets}
    round_medians: dict[str, list[float]] = {label: [] for label in targets}
    for _ in range(rounds):
        for label, path in targets.items():
            times = harness.sample(partial(client.get, path), per_path[label])
            latencies[label].extend(times)
            round_medians[label].append(statistics.median(times))

    figures = {}
    for label, path in targets.items():
        if label == "health":
            continue
        figures[label] = {
            "path": path,
            "requests_per_second": round(len(latencies[label]) / sum(latencies[label]), 1),
            "latency_ms": harness.summary(latencies[label], scale=1000),
        }
    return harness.result(
        "requests.pages",
        parameters={
            "client": "django.test.Client (in process, no network, no server)",
            "rounds": rounds,
            "requests_per_round": per_path,
            "warmup_requests": {label: min(WARMUP, count) for label, count in per_path.items()},
        },
        figures=figures,
        baseline={
            "path": BASELINE,
            "requests_per_second": round(len(latencies["health"]) / sum(latencies["health"]), 1),
            "latency_ms": harness.summary(latencies["health"], scale=1000),
        },
        ratio={
            label: harness.paired_ratio(round_medians[label], round_medians["health"])
            for label in targets
            if label != "health"
        },
        ratio_meaning="median latency of the page / median latency of GET /api/v1/health, round by round",
    )


def main() -> None:
    json.dump(run(), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
