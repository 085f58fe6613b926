"""Reads: visibility, filters, interested suppliers, the matching engine's rows and feedback, and
tenant isolation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scope

from ivcs.accounts.models import Organisation
from ivcs.core.errors import UnknownValue
from ivcs.engines.matching.data import CertificationAsk, Feedback, OpportunityRow
from ivcs.opportunities import selectors, services
from ivcs.opportunities.models import Opportunity
from ivcs.products.models import HsCode

pytestmark = pytest.mark.django_db


def _make(buyer_owner: Any, buyer: Organisation, soon: dt.date, *, publish: bool = True, **data: Any) -> Opportunity:
    opp = services.create_opportunity(buyer_owner, buyer, {"deadline": soon, **data})
    return services.publish_opportunity(buyer_owner, opp) if publish else opp


def _ids(actor: Any, **filters: Any) -> set[int]:
    return set(selectors.list_opportunities(actor, **filters).values_list("pk", flat=True))


@pytest.fixture
def several(
    catalogue: Any, hs_loaded: Any, buyer: Organisation, buyer_owner: Any, soon: dt.date
) -> dict[str, Opportunity]:
    return {
        "coffee": _make(
            buyer_owner,
            buyer,
            soon,
            title="Café verde de altura",
            description="Arábica lavado",
            products=[{"hs": "090111"}],
            eligible_countries=["PE", "CO"],
        ),
        "wine": _make(
            buyer_owner,
            buyer,
            soon,
            title="Vino tinto",
            products=[{"hs": "2204", "text": "Malbec"}],
            requirements=[{"schemes": ["iso_22000"]}],
        ),
        "cotton": _make(
            buyer_owner, buyer, soon, title="Organic cotton yarn", products=[{"hs": "5205"}], eligible_countries=["BR"]
        ),
        "audit": _make(
            buyer_owner,
            buyer,
            soon,
            title="Servicio de auditoría",
            services_allowed=True,
            requirements=[{"schemes": ["gots"]}],
        ),
        "cocoa_chapter": _make(buyer_owner, buyer, soon, title="Cacao", products=[{"hs": "18"}]),
        "draft": _make(buyer_owner, buyer, soon, publish=False, title="Café secreto", products=[{"hs": "0901"}]),
    }


def test_drafts_are_seen_only_by_their_buyers_people(
    several: dict[str, Opportunity], buyer_owner: Any, buyer_viewer: Any, other_buyer_owner: Any, sme_owner: Any
) -> None:
    draft = several["draft"]
    public = {o.pk for name, o in several.items() if name != "draft"}
    assert _ids(None) == public
    assert _ids(sme_owner) == public and _ids(other_buyer_owner) == public
    assert _ids(buyer_owner) == public | {draft.pk} and _ids(buyer_viewer) == public | {draft.pk}
    for stranger in (None, sme_owner, other_buyer_owner):
        with pytest.raises(UnknownValue) as info:
            selectors.opportunity_for(stranger, draft.pk)
        assert info.value.location == "path"
    assert selectors.opportunity_for(buyer_viewer, draft.pk).pk == draft.pk


def test_closed_and_awarded_ones_are_listed_on_request(several: dict[str, Opportunity], buyer_owner: Any) -> None:
    services.close_opportunity(buyer_owner, several["wine"])
    assert several["wine"].pk not in _ids(None)
    assert _ids(None, status="closed") == {several["wine"].pk}
    assert _ids(None, status="draft") == set()
    assert selectors.opportunity_for(None, several["wine"].pk).status == "closed"


def test_filters(several: dict[str, Opportunity], today: dt.date) -> None:
    o = {name: opp.pk for name, opp in several.items()}
    # Sector: the products' HS codes, or a required scheme of the sector.
    assert _ids(None, sector="food_beverage.coffee_cocoa") == {o["coffee"], o["cocoa_chapter"]}
    assert _ids(None, sector="food_beverage") == {o["coffee"], o["wine"], o["cocoa_chapter"]}
    assert _ids(None, sector="textiles") == {o["cotton"], o["audit"]}
    # HS: a code that starts with it, or the chapter/heading that holds it.
    assert _ids(None, hs="09") == {o["coffee"]}
    assert _ids(None, hs="0901.11") == {o["coffee"]}
    assert _ids(None, hs="180610") == {o["cocoa_chapter"]}
    assert _ids(None, hs="22") == {o["wine"]}
    # Country: eligible for a supplier there (no list = any country).
    assert _ids(None, country="PE") == {o["coffee"], o["wine"], o["audit"], o["cocoa_chapter"]}
    assert _ids(None, country="br") == {o["wine"], o["cotton"], o["audit"], o["cocoa_chapter"]}
    # Words, accents and case ignored; product texts count.
    assert _ids(None, q="CAFE altura") == {o["coffee"]}
    assert _ids(None, q="auditoria") == {o["audit"]}
    assert _ids(None, q="malbec") == {o["wine"]}
    assert _ids(None, q="cafe nada") == set()
    assert _ids(None, hs="0901", country="CO", q="arabica") == {o["coffee"]}
    assert len(_ids(None, open_only=True, today=today)) == 5
    assert _ids(None, open_only=True, today=today + dt.timedelta(days=365)) == set()


def test_unknown_filter_values_are_named(several: dict[str, Opportunity]) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"sector": "space"}, "sector"),
        ({"hs": "9x"}, "hs"),
        ({"country": "ZZ"}, "country"),
        ({"status": "lost"}, "status"),
    ]
    for filters, field in cases:
        with pytest.raises(UnknownValue) as info:
            selectors.list_opportunities(None, **filters)
        assert info.value.field == field


def test_contact_details_reach_the_buyer_only_after_interest(
    published: Opportunity,
    sme: Organisation,
    sme_owner: Any,
    buyer_owner: Any,
    buyer_viewer: Any,
    other_buyer_owner: Any,
) -> None:
    services.save_opportunity(sme_owner, sme, published)
    assert selectors.interested_suppliers(buyer_owner, published) == []
    services.express_interest(sme_owner, sme, published, message="Podemos enviar muestras.")
    [supplier] = selectors.interested_suppliers(buyer_viewer, published)
    assert supplier.organisation.slug == "cafe-andino" and supplier.website == "https://cafe-andino.example"
    assert [c.email for c in supplier.contacts] == ["gerente@cafe-andino.example"]  # owners and editors, not viewers
    assert supplier.message == "Podemos enviar muestras." and supplier.buyer_status == "none"
    for stranger in (other_buyer_owner, sme_owner, None):
        with pytest.raises(PermissionDenied):
            selectors.interested_suppliers(stranger, published)
    services.dismiss_opportunity(sme_owner, sme, published)  # withdrawn: gone from the list
    assert selectors.interested_suppliers(buyer_owner, published) == []


def test_opportunity_rows_for_the_matching_engine(
    catalogue: Any, hs_loaded: Any, buyer: Organisation, buyer_owner: Any, soon: dt.date, today: dt.date
) -> None:
    def row(**data: Any) -> OpportunityRow:
        opp = _make(buyer_owner, buyer, soon, title="Café", language="es", **data)
        return selectors.opportunity_rows(ids=[opp.pk], today=today)[0]

    for frequency, per_year in [("once", 10.0), ("weekly", 520.0), ("monthly", 120.0), ("quarterly", 40.0),
                                ("yearly", 10.0)]:  # fmt: skip
        r = row(quantity=10, unit="kg", frequency=frequency, products=[{"hs": "0901"}])
        assert (r.quantity, r.unit) == (per_year, "kg"), frequency

    r = row(
        description="Lavado",
        products=[{"hs": "090111", "text": "grano verde"}],
        eligible_countries=["PE"],
        delivery_country="us",
        requirements=[
            {"schemes": ["fssc_22000", "brcgs_food"]},
            {"recognised_by": "gfsi", "level": "preferred"},
        ],
    )
    assert r.buyer_id == buyer.pk and r.hs == ("090111",) and r.language == "es" and r.open
    assert r.sectors == {"food_beverage", "food_beverage.coffee_cocoa"}
    assert r.eligible_countries == {"PE"} and r.delivery_country == "US" and r.deadline == soon
    assert r.quantity is None and r.unit is None and not r.services
    assert r.certifications == (
        CertificationAsk(frozenset({"fssc_22000", "brcgs_food"}), None, "mandatory"),
        CertificationAsk(frozenset(), "gfsi", "preferred"),
    )
    hs_text = HsCode.objects.get(code="090111").description("es")[0]
    assert r.text == f"Café\nLavado\ngrano verde\n{hs_text}"

    services_row = row(services_allowed=True, requirements=[{"schemes": ["gots"]}])
    assert services_row.services and services_row.hs == () and services_row.sectors == {"textiles"}
    # Past the deadline, or closed: still a row, not open.
    assert not selectors.opportunity_rows(ids=[r.id], today=soon + dt.timedelta(days=1))[0].open
    assert selectors.opportunity_rows(ids=[r.id], open_only=True, today=soon + dt.timedelta(days=1)) == []


def test_drafts_are_not_matching_rows(draft: Opportunity) -> None:
    assert selectors.opportunity_rows() == []


def test_feedback_counts_and_dismissals(
    published: Opportunity, sme: Organisation, sme_owner: Any, make_org: Any, make_user: Any
) -> None:
    owners = [make_user() for _ in range(3)]
    others = [make_org(owner=u, kind="sme") for u in owners]
    services.express_interest(sme_owner, sme, published)
    services.save_opportunity(owners[0], others[0], published)
    services.dismiss_opportunity(owners[1], others[1], published)
    services.dismiss_opportunity(owners[2], others[2], published)
    assert selectors.engagement_counts() == {published.pk: (1, 2, 1)}
    fb = selectors.feedback({others[1].pk: 501})  # the third has no profile: left out
    assert fb == Feedback(per_opportunity={published.pk: (1, 2, 1)}, dismissed=frozenset({(501, published.pk)}))


def test_tenant_isolation(
    published: Opportunity, other_tenant: Any, make_org: Any, make_user: Any, coffee: dict[str, Any]
) -> None:
    foreign_owner = make_user()
    foreign_buyer = make_org(owner=foreign_owner, kind="buyer", tenant=other_tenant, slug="comprador-otro")
    foreign_sme_owner = make_user()
    foreign_sme = make_org(owner=foreign_sme_owner, kind="sme", tenant=other_tenant, slug="pyme-otra")
    theirs = services.publish_opportunity(
        foreign_owner, services.create_opportunity(foreign_owner, foreign_buyer, coffee)
    )
    with scope(tenant=other_tenant):
        assert _ids(None) == {theirs.pk}
        with pytest.raises(UnknownValue):
            selectors.opportunity_for(None, published.pk)
        assert [r.id for r in selectors.opportunity_rows()] == [theirs.pk]
    with scope(tenant=published.buyer.tenant):
        assert _ids(None) == {published.pk}
        assert [r.id for r in selectors.opportunity_rows()] == [published.pk]
    # An SME of another tenant cannot engage with this tenant's opportunity.
    with pytest.raises(services.OpportunityError) as info:
        services.save_opportunity(foreign_sme_owner, foreign_sme, published)
    assert info.value.code == "not_open"
