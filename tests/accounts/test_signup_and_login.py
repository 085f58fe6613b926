"""Sign-up with e-mail verification (over a real SMTP server), login, rate limits, password reset."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from ivcs.accounts.models import User
from ivcs.core.models import AuditLog, OutboxEvent
from tests.smtp import first_link

pytestmark = pytest.mark.django_db(transaction=True)  # the outbox delivers on a real commit

STRONG = "un-cafe-de-especialidad-2026"


def _signup(client: Client, email: str = "Ana@Example.COM", password: str = STRONG, **extra: Any) -> Any:
    data = {"full_name": "Ana Rojas", "email": email, "password1": password, "password2": password, **extra}
    return client.post("/account/signup/?lang=es", data)


def test_signup_sends_a_verification_email_that_verifies_the_address(client: Client, smtp: Any) -> None:
    response = _signup(client)
    assert response.status_code == 302 and response.url == "/account/signup/done/"
    user = User.objects.get()
    assert user.email == "ana@example.com", "addresses are stored lower-case"
    assert not user.email_verified and user.language == "es"
    assert user.password.startswith("argon2")
    message = smtp.wait_for("ana@example.com")
    with translation.override("es"):
        assert message["Subject"] == translation.gettext("Confirm your e-mail address for IVCS")
    link = first_link(message)
    assert link.startswith("http://testserver/account/verify/")
    assert OutboxEvent.objects.get().status == OutboxEvent.Status.DELIVERED
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 302 and response.url == "/account/login/"
    user.refresh_from_db()
    assert user.email_verified
    assert list(
        AuditLog.objects.filter(action__startswith="user.").values_list("action", flat=True).order_by("id")
    ) == [
        "user.registered",
        "user.email_verified",
    ]
    again = client.get(link.removeprefix("http://testserver"))
    assert again.status_code == 400, "a used link is spent"


def test_verification_links_from_a_partner_site_keep_its_prefix(client: Client, smtp: Any, other_tenant: Any) -> None:
    client.post(
        "/t/otro/account/signup/",
        {"full_name": "Bia", "email": "bia@example.com", "password1": STRONG, "password2": STRONG},
    )
    assert first_link(smtp.wait_for("bia@example.com")).startswith("http://testserver/t/otro/account/verify/")
    assert User.objects.get(email="bia@example.com").signup_tenant == other_tenant


def test_tampered_verification_link_is_refused(client: Client, smtp: Any) -> None:
    _signup(client)
    link = first_link(smtp.wait_for("ana@example.com")).removeprefix("http://testserver")
    response = client.get(link[:-3] + "xyz/")
    assert response.status_code == 400
    assert not User.objects.get().email_verified


def test_duplicate_email_is_refused_whatever_its_case(client: Client, make_user: Any) -> None:
    make_user(email="ana@example.com")
    response = _signup(client, email="ANA@example.com")
    assert response.status_code == 400
    with translation.override("es"):
        assert translation.gettext("An account with this e-mail address already exists.") in response.content.decode()
    assert User.objects.count() == 1 and OutboxEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("password", "second"), [("short", "short"), ("12345678901234", "12345678901234"), (STRONG, STRONG + "x")]
)
def test_weak_or_mismatched_passwords_are_refused_with_a_message(client: Client, password: str, second: str) -> None:
    response = _signup(client, password=password, password2=second)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert User.objects.count() == 0 and OutboxEvent.objects.count() == 0


def test_login_is_refused_until_the_address_is_verified(client: Client, make_user: Any, password: str) -> None:
    make_user(email="new@example.com", email_verified=False)
    response = client.post("/account/login/?lang=en", {"username": "new@example.com", "password": password})
    assert response.status_code == 400
    assert "Please confirm your e-mail address first" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_by_email_any_case_and_logout(client: Client, make_user: Any, password: str) -> None:
    make_user(email="sme@example.com", language="pt-br")
    response = client.post("/account/login/", {"username": "SME@example.com", "password": password})
    assert response.status_code == 302 and response.url == "/account/"
    assert response.cookies["ivcs_lang"].value == "pt-br", "the user's language follows them"
    assert client.get("/account/").status_code == 200
    assert client.post("/account/logout/").status_code == 302
    assert client.get("/account/").status_code == 302, "signed out"


def test_wrong_password_gives_a_message_not_an_error_page(client: Client, make_user: Any) -> None:
    make_user(email="sme@example.com")
    response = client.post("/account/login/?lang=en", {"username": "sme@example.com", "password": "nope"})
    assert response.status_code == 400
    assert "The e-mail address or the password is wrong." in response.content.decode()


def test_login_is_rate_limited_per_email(client: Client, make_user: Any, password: str, settings: Any) -> None:
    settings.IVCS_LOGIN_RATE_PER_EMAIL = "3/10m"
    make_user(email="target@example.com")
    for _ in range(3):
        assert client.post("/account/login/", {"username": "target@example.com", "password": "x"}).status_code == 400
    blocked = client.post("/account/login/?lang=en", {"username": "target@example.com", "password": password})
    assert blocked.status_code == 429, "even the right password waits once the limit is hit"
    assert "Too many sign-in attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    other = client.post("/account/login/", {"username": "someone-else@example.com", "password": "x"})
    assert other.status_code == 400, "the limit is per address"


def test_login_is_rate_limited_per_client_address(client: Client, settings: Any) -> None:
    settings.IVCS_LOGIN_RATE_PER_IP = "4/10m"
    codes = [
        client.post("/account/login/", {"username": f"u{n}@example.com", "password": "x"}).status_code for n in range(6)
    ]
    assert codes == [400, 400, 400, 400, 429, 429]


def test_successful_logins_do_not_use_up_the_limit(
    client: Client, make_user: Any, password: str, settings: Any
) -> None:
    settings.IVCS_LOGIN_RATE_PER_EMAIL = "2/10m"
    user = make_user(email="often@example.com")
    for _ in range(4):
        assert client.post("/account/login/", {"username": user.email, "password": password}).status_code == 302
        client.post("/account/logout/")


def test_password_reset_by_email(client: Client, smtp: Any, make_user: Any) -> None:
    user = make_user(email="reset@example.com", language="en")
    response = client.post("/account/password/reset/", {"email": "RESET@example.com"})
    assert response.status_code == 302
    message = smtp.wait_for("reset@example.com")
    assert message["Subject"] == "Reset your IVCS password"
    link = first_link(message).removeprefix("http://testserver")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new = "otra-clave-muy-segura-99"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done.url == "/account/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password(new) and user.password.startswith("argon2")
    assert client.get(link, follow=True).context["validlink"] is False, "reset links work once"


def test_password_reset_does_not_reveal_whether_an_account_exists(client: Client, smtp: Any) -> None:
    response = client.post("/account/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response.url == "/account/password/reset/sent/"
    assert OutboxEvent.objects.count() == 0 and smtp.messages == []


def test_resend_verification_answers_the_same_for_unknown_addresses(client: Client, smtp: Any, make_user: Any) -> None:
    make_user(email="waiting@example.com", email_verified=False)
    known = client.post("/account/verify/resend/", {"email": "waiting@example.com"})
    unknown = client.post("/account/verify/resend/", {"email": "ghost@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert smtp.wait_for("waiting@example.com")
    assert smtp.for_recipient("ghost@example.com") == []


def test_signup_form_without_csrf_token_is_refused(make_user: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/account/signup/", {"full_name": "X", "email": "x@example.com", "password1": STRONG, "password2": STRONG}
    )
    assert response.status_code == 403 and User.objects.count() == 0


def test_login_works_without_a_client_address(client: Client, make_user: Any, password: str) -> None:
    """gunicorn on a Unix socket gives no REMOTE_ADDR: limits still apply, nothing crashes."""
    user = make_user()
    response = client.post("/account/login/", {"username": user.email, "password": password}, REMOTE_ADDR="")
    assert response.status_code == 302


def test_behind_a_proxy_the_configured_header_names_the_client(client: Client, settings: Any) -> None:
    settings.IVCS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.IVCS_LOGIN_RATE_PER_IP = "2/10m"

    def attempt(ip: str) -> int:
        return client.post(
            "/account/login/",
            {"username": f"{ip}@example.com", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.9, {ip}",
        ).status_code

    assert [attempt("203.0.113.1") for _ in range(3)] == [400, 400, 429]
    assert attempt("203.0.113.2") == 400, "another client behind the same proxy is not blocked"
