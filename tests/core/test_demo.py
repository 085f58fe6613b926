"""`ivcs demo`: fictional, flagged, idempotent, with working logins; refused on production settings."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ivcs.accounts.models import Membership, Organisation, User
from ivcs.tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_demo_loads_every_kind_flagged_and_is_idempotent(settings: Any, capsys: Any, tmp_path: Any) -> None:
    settings.DEBUG = True
    settings.IVCS_LIBRARY_DIR = tmp_path / "library"
    call_command("demo")
    first = capsys.readouterr().out
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count(), Tenant.objects.count())
    call_command("demo")
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Tenant.objects.count(),
    ) == counts
    assert set(Organisation.objects.values_list("kind", flat=True)) == {"sme", "buyer", "tpo", "certifier", "operator"}
    assert not Organisation.objects.filter(is_demo=False).exists()
    assert not User.objects.filter(is_demo=False).exists()
    assert Tenant.objects.get(slug="procomex-demo").is_demo
    assert "sme@demo.example" in first and "ivcs-demo-2026" in first and "fictional" in first
    # The library: twelve fictional studies, read from real PDF and DOCX files, published once.
    from ivcs.library import selectors
    from ivcs.library.models import Document

    studies = Document.objects.all()
    assert studies.count() == 12 and not studies.filter(is_demo=False).exists()
    assert set(studies.values_list("file_kind", flat=True)) == {"pdf", "docx"}
    assert set(studies.values_list("extraction", flat=True)) == {"done"}
    assert set(studies.values_list("status", flat=True)) == {"published"}
    sectors = ("food_beverage", "ict", "textiles", "clothing_fashion")
    assert {(d.language, s) for d in studies for s in d.sectors} >= {
        (lang, sector) for lang in ("es", "pt", "en") for sector in sectors
    }
    found = selectors.search_library("café especial para Japón", selectors.SearchFilters(), tenant_id=None)
    top = {hit.document.title: hit for hit in found.hits[:2]}
    assert "Specialty coffee for Japan" in top and top["Specialty coffee for Japan"].semantic  # English, by meaning


def test_demo_logins_work(settings: Any, client: Client) -> None:
    settings.DEBUG = True
    call_command("demo")
    response = client.post("/account/login/", {"username": "sme@demo.example", "password": "ivcs-demo-2026"})
    assert response.status_code == 302
    assert client.get("/operator/").status_code == 302, "an SME is not an operator"
    client.post("/account/logout/")
    client.post("/account/login/", {"username": "operator@demo.example", "password": "ivcs-demo-2026"})
    assert client.get("/operator/").status_code == 200


def test_demo_refuses_to_run_with_debug_off(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("demo")
    assert not User.objects.exists()


def test_demo_operator_can_curate_in_the_operator_area(settings: Any, client: Client) -> None:
    settings.DEBUG = True
    call_command("demo")
    client.post("/account/login/", {"username": "operator@demo.example", "password": "ivcs-demo-2026"})
    index = client.get("/operator/").content.decode()
    assert "/operator/tenants/tenant/" in index and "/operator/accounts/organisation/" in index
    assert client.get("/operator/accounts/organisation/").status_code == 200
    assert client.get("/operator/core/auditlog/").status_code == 200
    assert client.get("/operator/auth/group/").status_code == 403, "operators do not hand out permissions"
