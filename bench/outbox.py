"""Outbox delivery: how fast ivcs.core.outbox.drain() delivers N due events to a no-op handler.

Each repetition appends N events in one transaction.atomic() block (through outbox.append, as a
service would), then times drain() until all N are delivered. The baseline, timed right after on
the same rows, is N plain ORM `.update()` calls that write the same columns drain() writes when an
event succeeds; the ratio is therefore the cost of leasing, handler dispatch and bookkeeping.

append() asks for a drain after commit, and the test settings run huey immediately, so committing
the block would deliver everything inside the append phase. The bench swaps the after-commit hook
for a counter while appending, so that the timed part is drain() alone; the counter shows how many
drain requests one block of N appends schedules.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from bench import harness

TOPIC = "bench.noop"
N = 2000
REPETITIONS = 5


def _noop(event: Any) -> None:
    return None


def run(*, n: int = N, repetitions: int = REPETITIONS) -> dict[str, Any]:
    harness.setup_django()
    from django.db import transaction
    from django.utils import timezone

    from ivcs.core import outbox
    from ivcs.core.models import OutboxEvent

    if TOPIC not in outbox.registered_topics():
        outbox.handles(TOPIC)(_noop)

    drain_requests = 0

    def count_request() -> None:
        nonlocal drain_requests
        drain_requests += 1

    def append_events(count: int) -> list[int]:
        real_hook = outbox._request_drain
        outbox._request_drain = count_request  # see the module docstring
        try:
            with transaction.atomic():
                ids = [outbox.append(TOPIC, {"i": i}).pk for i in range(count)]
        finally:
            outbox._request_drain = real_hook
        return ids

    def drain_all(expected: int) -> None:
        delivered = 0
        while delivered < expected:
            report = outbox.drain(max_batches=expected)
            if report.delivered == 0:
                raise RuntimeError(f"drain stalled at {delivered} of {expected} events")
            delivered += report.delivered

    def plain_updates(ids: list[int]) -> None:
        for pk in ids:
            OutboxEvent.objects.filter(pk=pk).update(
                attempts=1,
                status=OutboxEvent.Status.DELIVERED,
                delivered_at=timezone.now(),
                leased_until=None,
                last_error="",
            )

    # Warm-up: a small round of each, so that imports, statement caches and the page cache settle.
    ids = append_events(200)
    drain_all(200)
    plain_updates(ids)
    OutboxEvent.objects.filter(topic=TOPIC).delete()

    append_s: list[float] = []
    drain_s: list[float] = []
    update_s: list[float] = []
    drain_requests = 0
    clock = time.perf_counter
    for _ in range(repetitions):
        started = clock()
        ids = append_events(n)
        append_s.append(clock() - started)
        started = clock()
        drain_all(n)
        drain_s.append(clock() - started)
        if OutboxEvent.objects.filter(pk__in=ids, status=OutboxEvent.Status.DELIVERED).count() != n:
            raise RuntimeError("not every event was delivered")
        started = clock()
        plain_updates(ids)
        update_s.append(clock() - started)
        OutboxEvent.objects.filter(topic=TOPIC).delete()

    from django.conf import settings

    return harness.result(
        "outbox.drain",
        parameters={
            "events": n,
            "repetitions": repetitions,
            "warmup_events": 200,
            "batch": settings.IVCS_OUTBOX_BATCH,
            "handler": "no-op",
        },
        figures={
            "drain_events_per_second": harness.rate_summary(drain_s, n),
            "drain_seconds": harness.summary(drain_s),
            "append_events_per_second": harness.rate_summary(append_s, n),
            "drain_requests_per_block_of_appends": drain_requests // repetitions,
        },
        baseline={
            "what": "one ORM .update() per event row, same columns as a successful delivery",
            "updates_per_second": harness.rate_summary(update_s, n),
            "seconds": harness.summary(update_s),
        },
        ratio={"drain_vs_plain_update": harness.paired_ratio(drain_s, update_s)},
        ratio_meaning="time to deliver N events / time for N plain updates (1.0 = no overhead)",
    )


def main() -> None:
    json.dump(run(), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
