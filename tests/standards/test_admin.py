"""Operators curate the catalogue in the operator area: every standards screen opens, with sources."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.utils import quote
from django.test import Client

from ivcs.accounts.models import Organisation
from ivcs.accounts.services import grant_operator
from ivcs.standards import services
from ivcs.standards.models import Certifier, CertifierUpdate

pytestmark = pytest.mark.django_db


def test_every_standards_screen_opens_for_an_operator(
    client: Client, catalogue: Any, make_user: Any, make_org: Any
) -> None:
    operator = make_user()
    grant_operator(operator)
    client.force_login(operator)
    staff = make_user()
    certifier = Certifier.objects.get(id="certi_uno")
    certifier.organisation = make_org(kind=Organisation.Kind.CERTIFIER, owner=staff)
    certifier.save()
    services.propose_certifier_update(actor=staff, certifier=certifier, data={"offices": [{"country": "CL"}]})
    paths = [f"/operator/standards/{model}/" for model in (
        "sector", "scheme", "equivalence", "certifier", "costestimate", "programme", "course", "buyer",
        "requirementset", "heldcertification", "certifierupdate",
    )]  # fmt: skip
    paths += [  # the admin quotes "_" in primary keys as "_5F"
        f"/operator/standards/{model}/{quote(pk)}/change/"
        for model, pk in [
            ("scheme", "fssc_22000"), ("certifier", "certi_uno"), ("requirementset", "burger_food_safety"),
            ("buyer", "cafe_demo"),
        ]
    ]  # fmt: skip
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
    change = client.get(f"/operator/standards/scheme/{quote('fssc_22000')}/change/").content.decode()
    assert "https://example.org/fssc" in change


def test_an_operator_approves_a_proposal_with_the_admin_action(
    client: Client, catalogue: Any, make_user: Any, make_org: Any
) -> None:
    operator, staff = make_user(), make_user()
    grant_operator(operator)
    certifier = Certifier.objects.get(id="certi_dos")
    certifier.organisation = make_org(kind=Organisation.Kind.CERTIFIER, owner=staff)
    certifier.save()
    proposal = services.propose_certifier_update(
        actor=staff, certifier=certifier, data={"offices": [{"country": "MX", "city": "Monterrey"}]}
    )
    client.force_login(operator)
    response = client.post(
        "/operator/standards/certifierupdate/",
        {"action": "approve", "_selected_action": [proposal.pk]},
        follow=True,
    )
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == CertifierUpdate.Status.APPROVED and proposal.reviewed_by == operator
    assert list(certifier.offices.values_list("country", "city")) == [("MX", "Monterrey")]
