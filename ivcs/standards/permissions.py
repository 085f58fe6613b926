"""Who may change what in the standards domain (object-level, on top of accounts.permissions).

The catalogue is curated by operators in the admin. A buyer organisation's editors edit the
requirement sets of the buyer linked to it; a certifier organisation's editors propose their own
contact data, which an operator reviews before it shows.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from ivcs.accounts.models import Organisation
from ivcs.accounts.permissions import Perm, can
from ivcs.standards.models import Buyer, Certifier


def can_edit_buyer(actor: Any, buyer: Buyer) -> bool:
    if getattr(actor, "is_superuser", False):
        return True
    if buyer.organisation_id is None:
        return False
    organisation = Organisation.objects.filter(pk=buyer.organisation_id).first()
    return organisation is not None and can(actor, Perm.EDIT_ORG, organisation)


def require_edit_buyer(actor: Any, buyer: Buyer) -> None:
    if not can_edit_buyer(actor, buyer):
        raise PermissionDenied("not allowed to edit this buyer's requirements")


def certifier_organisation(actor: Any, certifier: Certifier) -> Organisation | None:
    """The organisation through which `actor` may propose changes to `certifier`, if any."""
    if certifier.organisation_id is None:
        return None
    organisation = Organisation.objects.filter(pk=certifier.organisation_id).first()
    if organisation is not None and can(actor, Perm.EDIT_ORG, organisation):
        return organisation
    return None


def require_propose_certifier(actor: Any, certifier: Certifier) -> Organisation:
    organisation = certifier_organisation(actor, certifier)
    if organisation is None:
        raise PermissionDenied("not allowed to propose changes to this certifier")
    return organisation
