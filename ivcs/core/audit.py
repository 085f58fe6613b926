"""Writing audit rows: called by services inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from ivcs.core.models import AuditLog


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    tenant_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditLog:
    """Record that `actor` (a user, an API key or None for the system) did `action` to `obj`."""
    user = actor if getattr(actor, "is_authenticated", False) and hasattr(actor, "email") else None
    label = str(actor) if actor is not None else "system"
    return AuditLog.objects.create(
        actor=user,
        actor_label=label[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        tenant_id=tenant_id,
        data=data or {},
    )
