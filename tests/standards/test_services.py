"""Writers of the standards domain: buyers' requirement sets, certificates held, certifier proposals."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scope

from ivcs.accounts.models import Membership, Organisation
from ivcs.accounts.services import grant_operator
from ivcs.core.models import AuditLog
from ivcs.standards import services
from ivcs.standards.models import Buyer, Certifier, CertifierUpdate, HeldCertification, Scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_org(catalogue: Any, make_org: Any, make_user: Any) -> tuple[Buyer, Any, Any]:
    editor, viewer = make_user(), make_user()
    org = make_org(kind=Organisation.Kind.BUYER, slug="burger", members={"editor": editor, "viewer": viewer})
    buyer = Buyer.objects.get(id="burger_co")
    buyer.organisation = org
    buyer.save()
    return buyer, editor, viewer


def test_a_buyer_editor_saves_requirement_sets_others_cannot(buyer_org: Any, make_user: Any) -> None:
    buyer, editor, viewer = buyer_org
    rows = [
        {"schemes": ["organic_eu"], "level": "mandatory"},
        {"schemes": [], "recognised_by": "gfsi", "level": "preferred"},
    ]
    saved = services.save_requirement_set(
        actor=editor, buyer=buyer, set_id=None, title="Café verde", language="es", hs=["0901"], requirements=rows
    )
    assert saved.title == {"es": "Café verde", "en": "Café verde"} and saved.hs == ["0901"]
    assert [(r.level, r.recognised_by) for r in saved.requirements.all()] == [("mandatory", ""), ("preferred", "gfsi")]
    assert saved.verified == "yes" and "Burger Company" in saved.sources[0]["title"]
    assert AuditLog.objects.filter(action="standards.requirement_set_saved").exists()

    # Editing keeps the id and replaces the rows.
    again = services.save_requirement_set(
        actor=editor,
        buyer=buyer,
        set_id=saved.id,
        title="Green coffee",
        language="en",
        hs=[],
        requirements=[{"schemes": ["fssc_22000"], "level": "preferred"}],
    )
    assert again.id == saved.id and again.title["es"] == "Café verde" and again.title["en"] == "Green coffee"
    assert again.requirements.count() == 1

    for stranger in (viewer, make_user()):
        with pytest.raises(PermissionDenied):
            services.save_requirement_set(
                actor=stranger, buyer=buyer, set_id=None, title="x", language="es", hs=[], requirements=rows
            )
    # A buyer no organisation is linked to is curated by operators only.
    with pytest.raises(PermissionDenied):
        services.save_requirement_set(
            actor=editor,
            buyer=Buyer.objects.get(id="cafe_demo"),
            set_id=None,
            title="x",
            language="es",
            hs=[],
            requirements=rows,
        )


@pytest.mark.parametrize(
    ("hs", "rows", "field"),
    [
        (["09x"], [{"schemes": ["gots"], "level": "mandatory"}], "hs"),
        ([], [{"schemes": ["nope"], "level": "mandatory"}], "requirements.0"),
        ([], [{"schemes": ["gots"], "level": "sometimes"}], "requirements.0.level"),
        ([], [{"schemes": [], "level": "mandatory"}], "requirements"),
    ],
)
def test_requirement_set_input_errors_name_the_field(buyer_org: Any, hs: list[str], rows: Any, field: str) -> None:
    buyer, editor, _viewer = buyer_org
    with pytest.raises(services.StandardsError) as caught:
        services.save_requirement_set(
            actor=editor, buyer=buyer, set_id=None, title="T", language="es", hs=hs, requirements=rows
        )
    assert caught.value.field == field


def test_certificates_held_need_edit_rights(catalogue: Any, make_org: Any, make_user: Any) -> None:
    owner, viewer = make_user(), make_user()
    org = make_org(owner=owner, members={Membership.Role.VIEWER: viewer})
    fssc = Scheme.objects.get(id="fssc_22000")
    held = services.set_held(actor=owner, organisation=org, scheme=fssc, expires=date(2027, 3, 1), reference="A-1")
    assert held.expires == date(2027, 3, 1)
    services.set_held(actor=owner, organisation=org, scheme=fssc, expires=date(2028, 3, 1))
    assert HeldCertification.objects.get(organisation=org).expires == date(2028, 3, 1)  # one per scheme
    with pytest.raises(PermissionDenied):
        services.set_held(actor=viewer, organisation=org, scheme=fssc, expires=None)
    with pytest.raises(PermissionDenied):
        services.remove_held(actor=viewer, organisation=org, scheme_id="fssc_22000")
    services.remove_held(actor=owner, organisation=org, scheme_id="fssc_22000")
    assert not HeldCertification.objects.filter(organisation=org).exists()


def test_certificates_held_are_tenant_scoped(catalogue: Any, make_org: Any, other_tenant: Any) -> None:
    here = make_org()
    there = make_org(tenant=other_tenant)
    for org in (here, there):
        HeldCertification.objects.create(organisation=org, scheme_id="gots")
    with scope(tenant=other_tenant.pk):
        assert [h.organisation_id for h in HeldCertification.objects.all()] == [there.pk]


def test_certifier_proposals_wait_for_an_operator(catalogue: Any, make_org: Any, make_user: Any) -> None:
    staff, outsider, operator = make_user(), make_user(), make_user()
    org = make_org(kind=Organisation.Kind.CERTIFIER, owner=staff)
    certifier = Certifier.objects.get(id="certi_uno")
    with pytest.raises(PermissionDenied):  # not linked yet
        services.propose_certifier_update(actor=staff, certifier=certifier, data={})
    certifier.organisation = org
    certifier.save()
    with pytest.raises(PermissionDenied):
        services.propose_certifier_update(actor=outsider, certifier=certifier, data={})

    proposal = services.propose_certifier_update(
        actor=staff,
        certifier=certifier,
        data={
            "site": "https://uno.example.org",
            "offices": [{"country": "CL", "city": "Santiago", "phone": "+56 2"}, {"country": "", "city": "nowhere"}],
        },
    )
    assert proposal.status == CertifierUpdate.Status.PENDING
    assert certifier.offices.filter(country="CL").count() == 0  # nothing shows before review

    with pytest.raises(PermissionDenied):
        services.review_certifier_update(actor=staff, proposal=proposal, approve=True)
    grant_operator(operator)
    operator.refresh_from_db()
    services.review_certifier_update(actor=operator, proposal=proposal, approve=True)
    certifier.refresh_from_db()
    assert certifier.site == "https://uno.example.org"
    office = certifier.offices.get()
    assert (office.country, office.city, office.verified) == ("CL", "Santiago", "yes")
    assert "Given by Certificadora Uno" in office.sources[0]["title"]
    with pytest.raises(services.StandardsError):
        services.review_certifier_update(actor=operator, proposal=proposal, approve=False)
