"""Several workers draining one outbox on PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED leases."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from ivcs.core import outbox
from ivcs.core.models import OutboxEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

seen: list[int] = []
seen_lock = threading.Lock()


@outbox.handles("tests.concurrent")
def slow_handler(event: outbox.Event) -> None:
    time.sleep(0.002)  # long enough for the workers to overlap
    with seen_lock:
        seen.append(event.id)


def test_concurrent_workers_deliver_each_event_exactly_once_without_crashes() -> None:
    assert connection.vendor == "postgresql"
    seen.clear()
    OutboxEvent.objects.bulk_create(OutboxEvent(topic="tests.concurrent", payload={"n": n}) for n in range(300))
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        from django.db import connections

        try:
            start.wait()
            outbox.drain(limit=10, max_batches=100)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    duplicates = [event_id for event_id, count in Counter(seen).items() if count > 1]
    assert duplicates == [], "a leased event was delivered by two workers"
    assert len(seen) == 300
    assert OutboxEvent.objects.filter(status=OutboxEvent.Status.DELIVERED).count() == 300
