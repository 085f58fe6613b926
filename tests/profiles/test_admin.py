"""The operator area lists and opens SME profiles across tenants."""

from __future__ import annotations

import pytest
from django.test import Client

from ivcs.accounts.models import User
from ivcs.profiles import services
from tests.profiles.conftest import Sme, good_profile

pytestmark = pytest.mark.django_db


def test_an_operator_lists_and_opens_profiles(client: Client, sme: Sme) -> None:
    profile = services.save_profile(sme.owner, sme.org, good_profile())
    admin = User.objects.create_superuser("root@example.com", "x-very-long-password-1")
    client.force_login(admin)
    listing = client.get("/operator/profiles/profile/")
    assert listing.status_code == 200 and "Café Huila" in listing.content.decode()
    page = client.get(f"/operator/profiles/profile/{profile.pk}/change/")
    assert page.status_code == 200 and "090121" in page.content.decode()


def test_others_are_sent_to_the_login(client: Client, sme: Sme) -> None:
    client.force_login(sme.owner)
    assert client.get("/operator/profiles/profile/").status_code == 302
