"""The transactional outbox: written with the change, delivered after commit, at least once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from ivcs.core import outbox
from ivcs.core.models import OutboxEvent

received: list[outbox.Event] = []
failures_left = {"count": 0}


@outbox.handles("tests.record")
def record_event(event: outbox.Event) -> None:
    if failures_left["count"] > 0:
        failures_left["count"] -= 1
        raise ConnectionError("receiver down")
    received.append(event)


@pytest.fixture(autouse=True)
def _reset() -> None:
    received.clear()
    failures_left["count"] = 0


pytestmark = pytest.mark.django_db


def test_append_outside_a_transaction_is_refused(django_db_blocker: Any) -> None:
    # pytest-django wraps the test in a transaction; leave it to prove the guard.
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        conn = transaction.get_connection()
        conn.in_atomic_block, saved = False, conn.in_atomic_block
        try:
            outbox.append("tests.record", {})
        finally:
            conn.in_atomic_block = saved


def test_unknown_topics_are_refused_at_write_time() -> None:
    with transaction.atomic(), pytest.raises(LookupError, match="no outbox handler"):
        outbox.append("tests.nobody-handles-this", {})


def test_event_is_delivered_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        event = outbox.append("tests.record", {"n": 1}, tenant_id=7)
        assert received == [], "nothing is delivered inside the transaction"
    assert len(callbacks) == 1
    assert [e.payload for e in received] == [{"n": 1}]
    assert received[0].tenant_id == 7 and received[0].id == event.pk
    event.refresh_from_db()
    assert event.status == OutboxEvent.Status.DELIVERED and event.attempts == 1


def test_rolled_back_change_leaves_no_event_and_no_delivery(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValueError), transaction.atomic():
        outbox.append("tests.record", {"n": 2})
        raise ValueError("the change failed")
    assert not OutboxEvent.objects.filter(topic="tests.record").exists()
    outbox.drain()
    assert received == []


def test_failures_are_retried_with_backoff_then_delivered() -> None:
    failures_left["count"] = 1
    event = OutboxEvent.objects.create(topic="tests.record", payload={"n": 3})
    report = outbox.drain()
    assert (report.delivered, report.failed) == (0, 1)
    event.refresh_from_db()
    assert event.status == OutboxEvent.Status.PENDING and event.attempts == 1
    assert "receiver down" in event.last_error
    assert event.available_at > timezone.now() + timedelta(seconds=20)
    assert outbox.drain().delivered == 0, "not due yet"
    OutboxEvent.objects.filter(pk=event.pk).update(available_at=timezone.now())
    assert outbox.drain().delivered == 1
    event.refresh_from_db()
    assert event.status == OutboxEvent.Status.DELIVERED and event.attempts == 2 and event.last_error == ""
    assert [e.attempt for e in received] == [2]


def test_events_are_given_up_after_the_maximum_attempts(settings: Any) -> None:
    settings.IVCS_OUTBOX_MAX_ATTEMPTS = 2
    failures_left["count"] = 10
    event = OutboxEvent.objects.create(topic="tests.record", payload={})
    outbox.drain()
    OutboxEvent.objects.filter(pk=event.pk).update(available_at=timezone.now())
    outbox.drain()
    event.refresh_from_db()
    assert event.status == OutboxEvent.Status.FAILED and event.attempts == 2
    assert outbox.backlog() == {"pending": 0, "failed": 1}


def test_a_leased_event_is_not_delivered_twice_until_its_lease_expires() -> None:
    event = OutboxEvent.objects.create(
        topic="tests.record", payload={}, leased_until=timezone.now() + timedelta(minutes=5)
    )
    assert outbox.drain().delivered == 0, "another worker holds the lease"
    OutboxEvent.objects.filter(pk=event.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert outbox.drain().delivered == 1, "a dead worker's lease expires and the event is redelivered"


def test_backoff_grows_and_is_capped() -> None:
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert outbox.backoff(30).total_seconds() == 3600


def test_drain_delivers_in_order_across_batches() -> None:
    OutboxEvent.objects.bulk_create(OutboxEvent(topic="tests.record", payload={"n": n}) for n in range(25))
    report = outbox.drain(limit=10)
    assert report.delivered == 25
    assert [e.payload["n"] for e in received] == list(range(25))


def test_periodic_sweep_task_delivers_pending_events() -> None:
    from ivcs.core.tasks import sweep_outbox

    OutboxEvent.objects.create(topic="tests.record", payload={"n": 9})
    result = sweep_outbox.call_local()
    assert result == {"delivered": 1, "failed": 0}
    assert [e.payload for e in received] == [{"n": 9}]


def test_one_transaction_asks_for_one_drain(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(5):
            outbox.append("tests.record", {"n": n})
    assert len(callbacks) == 1
    assert sorted(e.payload["n"] for e in received) == [0, 1, 2, 3, 4]


def test_a_worker_that_lost_its_lease_does_not_overwrite_the_new_owner() -> None:
    event = OutboxEvent.objects.create(topic="tests.record", payload={})
    [leased] = outbox._lease_batch(10)
    # Meanwhile the lease expired and another worker took the event.
    new_lease = timezone.now() + timedelta(minutes=5)
    OutboxEvent.objects.filter(pk=event.pk).update(leased_until=new_lease)
    outbox._deliver(leased)
    event.refresh_from_db()
    assert event.status == OutboxEvent.Status.PENDING and event.leased_until == new_lease
    assert len(received) == 1, "the handler ran (at least once), the bookkeeping stays with the new owner"


def test_a_batch_stops_before_its_lease_runs_out(settings: Any) -> None:
    settings.IVCS_OUTBOX_LEASE_SECONDS = 10  # shorter than the safety margin: nothing may start
    OutboxEvent.objects.create(topic="tests.record", payload={})
    assert outbox.drain(max_batches=1).delivered == 0
    assert received == []


def test_operators_retry_failed_events() -> None:
    failed = OutboxEvent.objects.create(
        topic="tests.record", payload={"n": 1}, status=OutboxEvent.Status.FAILED, attempts=8, last_error="boom"
    )
    delivered = OutboxEvent.objects.create(topic="tests.record", payload={}, status=OutboxEvent.Status.DELIVERED)
    assert outbox.retry(OutboxEvent.objects.all()) == 1
    failed.refresh_from_db()
    delivered.refresh_from_db()
    assert failed.status == OutboxEvent.Status.PENDING and failed.attempts == 0
    assert delivered.status == OutboxEvent.Status.DELIVERED
    assert outbox.drain().delivered == 1
