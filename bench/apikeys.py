"""API key authentication: ivcs.accounts.services.authenticate_api_key on a valid key.

Every API request with `Authorization: Bearer` pays this: split the key, fetch the key row by its
prefix (joined to its organisation, on the current tenant), compare SHA-256 digests in constant time,
and at most once per five minutes record last_used_at. The baseline is the least any lookup could
do: hashlib.sha256 of the key plus one ORM fetch of the key row by primary key. Both run inside
django_scopes.scope(tenant=...), as the tenant middleware does, in interleaved blocks.

Also reported, without a baseline: a key with a known prefix but a wrong secret, and a key whose
prefix does not exist (what an attacker guessing keys costs the server).
"""

from __future__ import annotations

import hashlib
import json
import statistics
import sys
from typing import Any

from bench import harness

ORGANISATION = "demo-andes-coffee"
BLOCKS = 8
PER_BLOCK = 500
WARMUP = 300


def run(*, blocks: int = BLOCKS, per_block: int = PER_BLOCK) -> dict[str, Any]:
    harness.setup_django()
    from django_scopes import scope, scopes_disabled

    from ivcs.accounts import services
    from ivcs.accounts.models import ApiKey, Organisation
    from ivcs.core.demo import load_demo

    load_demo()
    with scopes_disabled():
        organisation = Organisation.objects.select_related("tenant").get(slug=ORGANISATION)
        created = services.create_api_key(None, organisation, name="bench", scopes=["org:read"])
    secret, key_pk = created.secret, created.key.pk
    prefix = created.key.prefix
    wrong_secret = f"{services.KEY_PREFIX}_{prefix}_{'x' * 43}"
    unknown_prefix = f"{services.KEY_PREFIX}_00000000_{'x' * 43}"

    def authenticate() -> None:
        if services.authenticate_api_key(secret) is None:
            raise RuntimeError("the bench key did not authenticate")

    def baseline() -> None:
        hashlib.sha256(secret.encode()).hexdigest()
        ApiKey.objects.get(pk=key_pk)

    with scope(tenant=organisation.tenant):
        harness.sample(authenticate, WARMUP)  # the first call also writes last_used_at
        harness.sample(baseline, WARMUP)
        subject_times: list[float] = []
        baseline_times: list[float] = []
        subject_blocks: list[float] = []
        baseline_blocks: list[float] = []
        for _ in range(blocks):
            times = harness.sample(authenticate, per_block)
            subject_times.extend(times)
            subject_blocks.append(statistics.median(times))
            times = harness.sample(baseline, per_block)
            baseline_times.extend(times)
            baseline_blocks.append(statistics.median(times))
        refused_wrong = harness.sample(lambda: services.authenticate_api_key(wrong_secret), per_block)
        refused_unknown = harness.sample(lambda: services.authenticate_api_key(unknown_prefix), per_block)
        if services.authenticate_api_key(wrong_secret) is not None:
            raise RuntimeError("a wrong secret authenticated")

    def calls(times: list[float]) -> dict[str, Any]:
        return {
            "calls_per_second": round(len(times) / sum(times), 1),
            "latency_us": harness.summary(times, scale=1_000_000, digits=1),
        }

    return harness.result(
        "apikeys.authenticate",
        parameters={"blocks": blocks, "calls_per_block": per_block, "warmup_calls": WARMUP},
        figures={
            "valid_key": calls(subject_times),
            "wrong_secret_refused": calls(refused_wrong),
            "unknown_prefix_refused": calls(refused_unknown),
        },
        baseline={"what": "hashlib.sha256(key) + ApiKey.objects.get(pk=...)", **calls(baseline_times)},
        ratio={"authenticate_vs_sha256_plus_pk_fetch": harness.paired_ratio(subject_blocks, baseline_blocks)},
        ratio_meaning="median time of authenticate_api_key / median time of the baseline, block by block",
    )


def main() -> None:
    json.dump(run(), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
