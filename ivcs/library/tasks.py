"""Huey tasks of the library: reading an uploaded study, and a sweep for readings that never finished."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ivcs.library import services


@db_task()
def extract_document_task(document_id: int, sha256: str | None = None) -> dict[str, Any] | None:
    report = services.extract_document(document_id, expected_sha256=sha256)
    if report is None:
        return None
    return {"document_id": report.document_id, "status": report.status, "passages": report.passages}


@db_periodic_task(crontab(minute="*/5"))
@lock_task("ivcs-library-sweep")
def sweep_library() -> int:
    return services.requeue_stale()
