"""Huey tasks of the core: draining the outbox now (after a commit) and every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ivcs.core import outbox


@db_task()
def drain_outbox_now() -> dict[str, int]:
    report = outbox.drain()
    return {"delivered": report.delivered, "failed": report.failed}


@db_periodic_task(crontab(minute="*"))
@lock_task("ivcs-outbox-sweep")
def sweep_outbox() -> dict[str, int]:
    report = outbox.drain()
    return {"delivered": report.delivered, "failed": report.failed}
