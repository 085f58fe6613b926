"""The transactional outbox: side effects recorded with the change, delivered after commit.

A service appends an event inside its `transaction.atomic()` block; the row commits or rolls back
with the change. After commit a huey task is asked to drain the outbox at once, and a periodic task
sweeps it every minute, so an event is delivered even if the worker was down when it was written.

Delivery is at least once: a worker leases a batch (SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL; SQLite's IMMEDIATE transactions serialise the lease), runs the handler, then marks the
event delivered. A worker that dies between the two leaves the lease to expire and another worker
runs the handler again, so handlers must be idempotent: they receive the event id to key on.
Failures are retried with exponential backoff up to IVCS_OUTBOX_MAX_ATTEMPTS, then marked failed
and shown to operators in the admin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ivcs.core.models import OutboxEvent

log = logging.getLogger(__name__)
LEASE_MARGIN = timedelta(seconds=30)  # leave this much of a lease unused, for one slow handler


@dataclass(frozen=True)
class Event:
    """What a handler receives: plain data, not the model row."""

    id: int
    topic: str
    payload: dict[str, Any]
    tenant_id: int | None
    attempt: int


Handler = Callable[[Event], None]
_handlers: dict[str, Handler] = {}


def handles(topic: str) -> Callable[[Handler], Handler]:
    """Register the handler for an outbox topic (one handler per topic)."""

    def register(func: Handler) -> Handler:
        if topic in _handlers and _handlers[topic] is not func:
            raise RuntimeError(f"outbox topic {topic!r} already has a handler")
        _handlers[topic] = func
        return func

    return register


def registered_topics() -> set[str]:
    return set(_handlers)


def append(topic: str, payload: dict[str, Any], *, tenant_id: int | None = None) -> OutboxEvent:
    """Record a side effect in the current transaction; it is delivered after commit.

    Must be called inside `transaction.atomic()`, so that the event and the change that causes it
    are one unit: both or neither.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.append must be called inside transaction.atomic()")
    if topic not in _handlers:
        raise LookupError(f"no outbox handler registered for topic {topic!r}")
    event = OutboxEvent.objects.create(topic=topic, payload=payload, tenant_id=tenant_id)
    connection = transaction.get_connection()
    # One drain request per transaction, however many events it appends.
    if not any(func is _request_drain for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_request_drain)
    return event


def _request_drain() -> None:
    from ivcs.core.tasks import drain_outbox_now

    try:
        drain_outbox_now()
    except Exception:  # the periodic sweep delivers it later; never fail the request over it
        log.exception("could not enqueue the outbox drain; the periodic sweep will deliver")


def _lease_batch(limit: int) -> list[OutboxEvent]:
    now = timezone.now()
    lease = now + timedelta(seconds=settings.IVCS_OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        due = (
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxEvent.Status.PENDING, available_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .order_by("id")[:limit]
        )
        events = list(due)
        if events:
            OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(leased_until=lease)
            for event in events:
                event.leased_until = lease
    return events


def backoff(attempt: int) -> timedelta:
    """Delay before retry number `attempt` (1-based): 30 s, 1 min, 2 min, ... capped at 1 h."""
    return timedelta(seconds=min(30 * 2 ** (attempt - 1), 3600))


def _ours(row: OutboxEvent) -> Any:
    """The row, as long as this worker's lease on it still holds (another worker may have re-leased it)."""
    return OutboxEvent.objects.filter(pk=row.pk, status=OutboxEvent.Status.PENDING, leased_until=row.leased_until)


def _deliver(row: OutboxEvent) -> bool:
    handler = _handlers.get(row.topic)
    attempt = row.attempts + 1
    try:
        if handler is None:
            raise LookupError(f"no handler for topic {row.topic!r}")
        handler(Event(row.pk, row.topic, dict(row.payload), row.tenant_id, attempt))
    except Exception as exc:
        log.warning("outbox event %s (%s) failed on attempt %s: %s", row.pk, row.topic, attempt, exc)
        failed = attempt >= settings.IVCS_OUTBOX_MAX_ATTEMPTS
        _ours(row).update(
            attempts=attempt,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            status=OutboxEvent.Status.FAILED if failed else OutboxEvent.Status.PENDING,
            available_at=timezone.now() + backoff(attempt),
            leased_until=None,
        )
        return False
    _ours(row).update(
        attempts=attempt,
        status=OutboxEvent.Status.DELIVERED,
        delivered_at=timezone.now(),
        leased_until=None,
        last_error="",
    )
    return True


@dataclass(frozen=True)
class DrainReport:
    delivered: int
    failed: int


def drain(*, limit: int | None = None, max_batches: int = 20) -> DrainReport:
    """Deliver due events, batch by batch, until none is due or max_batches is reached."""
    batch = limit or settings.IVCS_OUTBOX_BATCH
    delivered = failed = 0
    for _ in range(max_batches):
        events = _lease_batch(batch)
        if not events:
            break
        for row in events:
            # Stop before the lease runs out: the rest go back to the pool for a fresh lease.
            if row.leased_until is not None and timezone.now() >= row.leased_until - LEASE_MARGIN:
                break
            if _deliver(row):
                delivered += 1
            else:
                failed += 1
    return DrainReport(delivered, failed)


def retry(events: QuerySet[OutboxEvent]) -> int:
    """Put failed events back in the queue (an operator's decision after fixing the cause)."""
    with transaction.atomic():
        count = events.filter(status=OutboxEvent.Status.FAILED).update(
            status=OutboxEvent.Status.PENDING, available_at=timezone.now(), leased_until=None, attempts=0
        )
        if count:
            transaction.on_commit(_request_drain)
    return count


def backlog() -> dict[str, int]:
    """Counts shown by the health check: events waiting and events given up on."""
    return {
        "pending": OutboxEvent.objects.filter(status=OutboxEvent.Status.PENDING).count(),
        "failed": OutboxEvent.objects.filter(status=OutboxEvent.Status.FAILED).count(),
    }
