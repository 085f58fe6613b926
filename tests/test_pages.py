"""Pages as a user meets them: security headers, navigation, organisation management, operator area."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from ivcs.accounts.models import ApiKey, Membership, Organisation

pytestmark = pytest.mark.django_db


def test_security_headers_on_every_page(client: Client) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce and f'nonce="{nonce.group(1)}"' in response.content.decode(), "inline style/script carry the nonce"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_hsts_is_sent_over_tls(client: Client, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_and_csrf_cookies_are_strict(client: Client, make_user: Any, password: str, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = True
    user = make_user()
    response = client.post("/account/login/", {"username": user.email, "password": password}, secure=True)
    cookie = response.cookies["sessionid"]
    assert cookie["samesite"] == "Strict" and cookie["httponly"] and cookie["secure"]


def test_navigation_shows_only_what_exists(client: Client, make_user: Any) -> None:
    html = client.get("/?lang=en").content.decode()
    assert "My account" not in html and "Operator area" not in html and "/account/signup/" in html
    client.force_login(make_user())
    html = client.get("/?lang=en").content.decode()
    assert "My account" in html and "Operator area" not in html and "Sign out" in html
    client.force_login(make_user(is_staff=True))
    assert "Operator area" in client.get("/?lang=en").content.decode()


def test_account_pages_require_login(client: Client) -> None:
    response = client.get("/account/")
    assert response.status_code == 302 and response.url.startswith("/account/login/?next=")


def test_registering_an_organisation_from_the_page(client: Client, make_user: Any) -> None:
    user = make_user()
    client.force_login(user)
    refused = client.post("/account/organisations/new/", {"name": "", "kind": "sme", "country": "ZZ"})
    assert refused.status_code == 400 and Organisation.objects.count() == 0
    response = client.post(
        "/account/organisations/new/", {"name": "Telar Andino", "kind": "sme", "country": "PE", "website": ""}
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302 and response.url == f"/account/organisations/{organisation.slug}/"
    assert Membership.objects.get(organisation=organisation).user == user
    page = client.get(response.url + "?lang=es").content.decode()
    assert "Telar Andino" in page and "Perú" in page


def test_operator_kind_is_not_offered_to_ordinary_users(client: Client, make_user: Any) -> None:
    client.force_login(make_user())
    assert 'value="operator"' not in client.get("/account/organisations/new/").content.decode()
    response = client.post("/account/organisations/new/", {"name": "Ops", "kind": "operator", "country": "CL"})
    assert response.status_code == 400 and not Organisation.objects.exists()


def test_owner_creates_a_key_shown_once_and_revokes_it(client: Client, make_user: Any, make_org: Any) -> None:
    owner = make_user()
    org = make_org(owner=owner)
    client.force_login(owner)
    url = f"/account/organisations/{org.slug}/"
    response = client.post(url, {"action": "create_key", "name": "ERP", "scopes": ["org:read"]})
    match = re.search(r'data-testid="new-api-key">(ivcs_[^<]+)<', response.content.decode())
    assert match and response.headers["Cache-Control"] == "no-store"
    assert match.group(1) not in client.get(url).content.decode(), "shown once"
    key = ApiKey.objects.get()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {match.group(1)}").status_code == 200
    client.post(f"{url}api-keys/{key.pk}/revoke/")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {match.group(1)}").status_code == 401


def test_viewers_see_the_organisation_but_cannot_change_it(client: Client, make_user: Any, make_org: Any) -> None:
    viewer = make_user()
    org = make_org(name="Original", owner=make_user(), members={"viewer": viewer})
    client.force_login(viewer)
    url = f"/account/organisations/{org.slug}/"
    page = client.get(url).content.decode()
    assert "Original" in page and 'value="create_key"' not in page and 'value="edit"' not in page
    assert client.post(url, {"action": "edit", "name": "Hacked", "country": "CL"}).status_code == 403
    assert client.post(url, {"action": "create_key", "name": "x", "scopes": ["org:read"]}).status_code == 403
    assert Organisation.objects.get(pk=org.pk).name == "Original" and not ApiKey.objects.exists()


def test_other_peoples_organisations_are_not_found(client: Client, make_user: Any, make_org: Any) -> None:
    org = make_org(owner=make_user())
    client.force_login(make_user())
    assert client.get(f"/account/organisations/{org.slug}/").status_code == 404


def test_organisation_pages_do_not_cross_tenants(
    client: Client, make_user: Any, make_org: Any, other_tenant: Any
) -> None:
    owner = make_user()
    org = make_org(owner=owner, tenant=other_tenant)
    client.force_login(owner)
    assert client.get(f"/t/otro/account/organisations/{org.slug}/").status_code == 200
    assert client.get(f"/account/organisations/{org.slug}/").status_code == 404


def test_demo_organisations_are_badged(client: Client, make_user: Any, make_org: Any) -> None:
    user = make_user()
    make_org(owner=user, is_demo=True, name="Fictional SpA")
    client.force_login(user)
    assert 'class="badge demo"' in client.get("/account/?lang=en").content.decode()


def test_operator_area_is_for_staff_and_sees_every_tenant(
    client: Client, make_user: Any, make_org: Any, other_tenant: Any
) -> None:
    client.force_login(make_user())
    assert client.get("/operator/").status_code == 302, "non-staff are sent to the admin login"
    make_org(name="Acá SpA")
    make_org(name="Lá Ltda", tenant=other_tenant)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    listing = client.get("/operator/accounts/organisation/").content.decode()
    assert "Acá SpA" in listing and "Lá Ltda" in listing
    for path in (
        "/operator/",
        "/operator/tenants/tenant/",
        "/operator/core/outboxevent/",
        "/operator/core/auditlog/",
        "/operator/accounts/user/",
        "/operator/accounts/apikey/",
        f"/operator/tenants/tenant/{other_tenant.pk}/change/",
    ):
        assert client.get(path).status_code == 200, path


def test_error_pages_are_friendly_and_localised(client: Client, settings: Any) -> None:
    response = client.get("/no-such-page/?lang=es")
    assert response.status_code == 404
    assert "<html" in response.content.decode()


def test_oversized_form_posts_get_a_clear_400_and_write_nothing(client: Client, settings: Any) -> None:
    from ivcs.accounts.models import User

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    response = client.post(
        "/account/signup/",
        {"full_name": "x" * 5000, "email": "big@example.com", "password1": "p" * 20, "password2": "p" * 20},
    )
    assert response.status_code == 400 and not User.objects.exists()
