"""Outbox handlers of the profiles domain.

"profile.changed" is appended by every profile write (payload: profile_id, organisation_id, action).
The outbox allows one handler per topic: this one is a no-op until the matching index listens; the
index then replaces its body (re-index the profile, idempotently, keyed on the profile id).
"""

from __future__ import annotations

from ivcs.core.outbox import Event, handles

PROFILE_CHANGED = "profile.changed"


@handles(PROFILE_CHANGED)
def profile_changed(event: Event) -> None:
    """Nothing to do yet: the matching index will refresh the profile's row here."""
    return None
