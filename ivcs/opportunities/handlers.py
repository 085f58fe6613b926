"""Outbox handlers of the opportunities domain.

The alerts module (a later issue) turns these events into notifications: it replaces the bodies
below, keeping them idempotent (an event may be delivered more than once; key on `event.id`).
Until then they check that the opportunity still exists and log; they send nothing.
"""

from __future__ import annotations

import logging

from django_scopes import scopes_disabled

from ivcs.core.outbox import Event, handles
from ivcs.opportunities.models import Engagement, Opportunity
from ivcs.opportunities.services import ENGAGEMENT_CHANGED, OPPORTUNITY_CHANGED, OPPORTUNITY_PUBLISHED

log = logging.getLogger(__name__)


@handles(OPPORTUNITY_PUBLISHED)
def opportunity_published(event: Event) -> None:
    """An opportunity was published: SMEs it suits will be alerted (alerts module). Idempotent."""
    with scopes_disabled():
        opportunity = Opportunity.objects.filter(pk=int(event.payload.get("opportunity_id") or 0)).first()
    if opportunity is None or opportunity.status != Opportunity.Status.PUBLISHED:
        return  # deleted, or closed since: nothing to announce
    log.info("opportunity %s published (event %s)", opportunity.pk, event.id)


@handles(OPPORTUNITY_CHANGED)
def opportunity_changed(event: Event) -> None:
    """An opportunity was created or edited (drafts too: see payload["status"]; alerts must ignore
    drafts), closed or awarded. Idempotent no-op for now."""
    log.info(
        "opportunity %s changed: %s (event %s)",
        event.payload.get("opportunity_id"),
        event.payload.get("change"),
        event.id,
    )


@handles(ENGAGEMENT_CHANGED)
def engagement_changed(event: Event) -> None:
    """An SME saved, dismissed or expressed interest, or a buyer answered. Idempotent no-op for now."""
    with scopes_disabled():
        exists = Engagement.objects.filter(pk=int(event.payload.get("engagement_id") or 0)).exists()
    if exists:
        log.info("engagement %s changed (event %s)", event.payload.get("engagement_id"), event.id)
