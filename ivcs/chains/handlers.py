"""Outbox handlers of the chains domain.

"bom.changed" is appended by every write of a bill of materials (payload: bom_id, organisation_id,
action, version). Nothing needs it yet: the links SMEs add to their bills are read per query, not
cached. The rules-of-origin tool, when it lands, re-assesses a saved bill here (idempotently, keyed
on bom_id and version).
"""

from __future__ import annotations

import logging

from ivcs.core.outbox import Event, handles

log = logging.getLogger(__name__)

BOM_CHANGED = "bom.changed"


@handles(BOM_CHANGED)
def bom_changed(event: Event) -> None:
    log.debug("bill of materials changed: %s", event.payload)
