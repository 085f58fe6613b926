"""Health checks: can we reach the database and the job queue, and how long is the outbox."""

from __future__ import annotations

import time
from typing import Any

from django.db import connection
from huey.contrib.djhuey import HUEY

from ivcs.core import outbox


def database_status() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor, "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


def queue_status() -> dict[str, Any]:
    backend = type(HUEY).__name__
    try:
        pending = HUEY.pending_count()
    except Exception as exc:
        return {"ok": False, "backend": backend, "error": type(exc).__name__}
    return {"ok": True, "backend": backend, "immediate": HUEY.immediate, "pending_tasks": pending}


def outbox_status() -> dict[str, Any]:
    try:
        return {"ok": True, **outbox.backlog()}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


def overall() -> dict[str, Any]:
    checks = {"database": database_status(), "queue": queue_status(), "outbox": outbox_status()}
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "degraded", **checks}
