"""Fixtures of the profiles tests: an SME with an owner, an editor and a viewer, on the test catalogue."""

from __future__ import annotations

from typing import Any

import pytest

from ivcs.accounts.models import Organisation
from tests.standards.conftest import catalogue  # noqa: F401 - the standards test catalogue fixture


class Sme:
    def __init__(self, org: Organisation, owner: Any, editor: Any, viewer: Any) -> None:
        self.org, self.owner, self.editor, self.viewer = org, owner, editor, viewer


@pytest.fixture
def sme(make_org: Any, make_user: Any, catalogue: Any) -> Sme:  # noqa: F811
    owner, editor, viewer = make_user(), make_user(), make_user()
    org = make_org(
        owner=owner, members={"editor": editor, "viewer": viewer}, slug="cafe-huila", name="Café Huila", country="CO"
    )
    return Sme(org, owner, editor, viewer)


@pytest.fixture
def other_sme(make_org: Any, make_user: Any) -> Sme:
    owner = make_user()
    org = make_org(owner=owner, slug="textil-lima", name="Textil Lima", country="PE")
    return Sme(org, owner, owner, owner)


def good_profile(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "country": "CO",
        "region": "Huila",
        "sectors": ["food_beverage.coffee_cocoa"],
        "description": "Tostamos café especial de altura en el Huila.",
        "description_language": "es",
        "capacity_volume": "120.5",
        "capacity_unit": "t",
        "employees": 25,
        "revenue_band": "small",
        "years_exporting": 4,
        "markets_served": ["US", "cl"],
        "languages": ["es", "en"],
        "interest_countries": ["EU", "JP"],
        "interest_buyer_types": ["retail", "food_service"],
        "public": True,
        "contact_name": "Ana Pérez",
        "contact_email": "ana@cafehuila.example",
        "contact_phone": "+57 300 000 0000",
        "products": [{"hs": "0901.21", "description": "Café tostado en grano"}, {"hs": "0901"}],
        "certifications": [{"standard": "fssc_22000", "expires": "2030-01-31"}],
    }
    data.update(changes)
    return data
