"""Fixtures of the opportunities tests: a buyer with its people, another buyer, an SME, the test
standards catalogue and the HS nomenclature, and opportunities in each state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ivcs.accounts.models import Membership, Organisation
from tests.standards.conftest import CATALOGUE


@pytest.fixture
def catalogue(db: None) -> Any:
    from ivcs.standards.services import import_catalogue

    report = import_catalogue(CATALOGUE)
    assert report.written and not report.refused
    return report


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def soon(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=30)


@pytest.fixture
def buyer_owner(make_user: Any) -> Any:
    return make_user(email="compras@buyer.example", full_name="Ana Compras")


@pytest.fixture
def buyer_viewer(make_user: Any) -> Any:
    return make_user(email="viewer@buyer.example")


@pytest.fixture
def buyer(make_org: Any, buyer_owner: Any, buyer_viewer: Any) -> Organisation:
    return make_org(
        owner=buyer_owner,
        members={Membership.Role.VIEWER: buyer_viewer},
        slug="big-buyer",
        name="Big Buyer Inc.",
        kind=Organisation.Kind.BUYER,
        country="US",
    )


@pytest.fixture
def other_buyer_owner(make_user: Any) -> Any:
    return make_user(email="owner@other-buyer.example")


@pytest.fixture
def other_buyer(make_org: Any, other_buyer_owner: Any) -> Organisation:
    return make_org(owner=other_buyer_owner, slug="other-buyer", kind=Organisation.Kind.BUYER, country="DE")


@pytest.fixture
def sme_owner(make_user: Any) -> Any:
    return make_user(email="gerente@cafe-andino.example", full_name="Rosa Quispe")


@pytest.fixture
def sme_viewer(make_user: Any) -> Any:
    return make_user(email="practicante@cafe-andino.example")


@pytest.fixture
def sme(make_org: Any, sme_owner: Any, sme_viewer: Any) -> Organisation:
    return make_org(
        owner=sme_owner,
        members={Membership.Role.VIEWER: sme_viewer},
        slug="cafe-andino",
        name="Café Andino SAC",
        kind=Organisation.Kind.SME,
        country="PE",
        website="https://cafe-andino.example",
    )


@pytest.fixture
def coffee(soon: dt.date) -> dict[str, Any]:
    """A complete, valid opportunity: green coffee every month, FSSC or BRCGS, organic preferred."""
    return {
        "title": "Café verde arábica para tostaduría",
        "description": "Buscamos café lavado de altura, cosecha nueva, para nuestra tostaduría en Miami.",
        "language": "es",
        "quantity": "2.5",
        "unit": "t",
        "frequency": "monthly",
        "delivery_country": "US",
        "delivery_place": "Miami, FL",
        "incoterm": "FOB",
        "eligible_countries": ["PE", "CO"],
        "deadline": soon,
        "contact_method": "Via IVCS",
        "products": [{"hs": "0901.11", "text": "Green coffee, washed"}],
        "requirements": [
            {"schemes": ["fssc_22000", "brcgs_food"], "level": "mandatory"},
            {"schemes": ["organic_eu"], "level": "preferred"},
        ],
    }


@pytest.fixture
def draft(catalogue: Any, hs_loaded: Any, buyer: Organisation, buyer_owner: Any, coffee: dict[str, Any]) -> Any:
    from ivcs.opportunities import services

    return services.create_opportunity(buyer_owner, buyer, coffee)


@pytest.fixture
def published(draft: Any, buyer_owner: Any) -> Any:
    from ivcs.opportunities import services

    return services.publish_opportunity(buyer_owner, draft)
