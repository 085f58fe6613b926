"""Outbox handler of the library: a stored file waits to be read; queue the huey task that reads it.

The handler only queues (fast, inside the outbox's lease); the task does the slow work and reports
its progress on the document. Delivery is at least once and extraction is idempotent (keyed on the
document and its file's SHA-256), so a repeated event costs a second reading, never a wrong index.
"""

from __future__ import annotations

from ivcs.core.outbox import Event, handles
from ivcs.library.services import EXTRACT_TOPIC


@handles(EXTRACT_TOPIC)
def extract_requested(event: Event) -> None:
    from ivcs.library.tasks import extract_document_task

    extract_document_task(int(event.payload["document_id"]), event.payload.get("sha256") or None)
