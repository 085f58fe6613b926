"""The first journey of a new person: sign up, confirm the address by e-mail, sign in, change the
language, sign out; on a phone-sized Chromium, against the live server and a real SMTP server.

Visible texts are compared with the catalogues (gettext under the page's language), never with
hard-coded translations: a string that is not translated yet shows its English msgid on the page and
gettext returns the same, so the assertions hold while the catalogues are being completed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from ivcs.accounts.models import User
from tests.e2e.conftest import BrowserProblems
from tests.smtp import Mailbox, first_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "ana.journey@test.example"
PASSWORD = "Quinoa-terraza-2024!"  # strong: long, mixed, not common, unlike the name or address


def tr(language: str, msgid: str) -> str:
    """What the page shows for `msgid` in `language`."""
    with translation.override(language):
        return translation.gettext(msgid)


def url_path(path: str) -> re.Pattern[str]:
    """Matches a page URL on the live server with exactly this path (any query string)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def header(page: Page) -> Any:
    return page.locator("header.site-header")


def submit(page: Page) -> int:
    """Submit the page's main form; return the HTTP status of the POST's answer."""
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    return answer.value.status


def sign_in(page: Page, email: str, password: str) -> int:
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    return submit(page)


def test_sign_up_confirm_sign_in_switch_language_sign_out(
    live_server: Any,
    smtp: Mailbox,
    page: Page,
    snap: Callable[[str], None],
    browser_problems: BrowserProblems,
) -> None:
    base = live_server.url

    # a. The home page in Spanish, then "Create an account" from the header.
    page.goto(base + "/?lang=es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    signup_link = header(page).locator('a[href="/account/signup/"]')
    expect(signup_link).to_have_text(tr("es", "Create an account"))
    snap("01-home")
    signup_link.click()
    expect(page).to_have_url(url_path("/account/signup/"))
    expect(page.locator("h1")).to_have_text(tr("es", "Create an account"))
    page.fill("#id_full_name", "Ana Journey")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    snap("02-signup-filled")
    assert submit(page) == 302

    # b. "Check your e-mail", naming the address.
    expect(page).to_have_url(url_path("/account/signup/done/"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(tr("es", "Check your e-mail"))
    expect(page.locator("main")).to_contain_text(EMAIL)
    snap("03-check-your-email")

    user = User.objects.get(email=EMAIL)
    assert user.full_name == "Ana Journey"
    assert user.language == "es"
    assert not user.email_verified
    assert user.password.startswith("argon2")

    # d. An unconfirmed address cannot sign in yet, even with the right password.
    header(page).locator('a[href="/account/login/"]').click()
    expect(page).to_have_url(url_path("/account/login/"))
    expect(page.locator("h1")).to_have_text(tr("es", "Sign in"))
    assert sign_in(page, EMAIL, PASSWORD) == 400
    expect(page.locator("main ul.errorlist.nonfield")).to_have_text(
        tr("es", "Please confirm your e-mail address first: open the link we sent you.")
    )
    expect(header(page).locator('a[href="/account/login/"]')).to_be_visible()
    snap("04-login-refused-unverified")

    # c. The confirmation e-mail, in the language of the sign-up, with a link to this site.
    message = smtp.wait_for(EMAIL)
    subject = str(message["Subject"])
    assert subject.strip()
    assert subject == tr("es", "Confirm your e-mail address for IVCS")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert tr("es", "Please confirm your e-mail address by opening this link:") in body.get_content()
    link = first_link(message)
    assert link.startswith(base + "/account/verify/"), link
    assert len(smtp.for_recipient(EMAIL)) == 1

    page.goto(link)
    expect(page).to_have_url(url_path("/account/login/"))
    expect(page.locator("main ul.messages")).to_have_text(
        tr("es", "Thank you: your e-mail address is confirmed. You can sign in now.")
    )
    snap("05-confirmed")
    user.refresh_from_db()
    assert user.email_verified

    # e. A wrong password first, then the right one.
    assert sign_in(page, EMAIL, PASSWORD + "x") == 400
    expect(page.locator("main ul.errorlist.nonfield")).to_have_text(
        tr("es", "The e-mail address or the password is wrong.")
    )
    snap("06-wrong-password")
    assert sign_in(page, EMAIL, PASSWORD) == 302
    expect(page).to_have_url(url_path("/account/"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(tr("es", "My account"))
    expect(page.locator("main")).to_contain_text(EMAIL)
    expect(header(page).locator('a[href="/account/login/"]')).to_have_count(0)
    snap("07-my-account-es")

    # f. The header's language switcher: Portuguese, then English, which sticks without ?lang=.
    header(page).locator('a[hreflang="pt-br"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.locator("h1")).to_have_text(tr("pt-br", "My account"))
    expect(header(page).locator('a[hreflang="pt-br"]')).to_have_attribute("aria-current", "true")
    snap("08-my-account-pt-br")
    header(page).locator('a[hreflang="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(tr("en", "My account"))
    page.goto(base + "/account/")
    expect(page).to_have_url(url_path("/account/"))
    assert "lang=" not in page.url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(tr("en", "My account"))
    expect(header(page).locator('a[hreflang="en"]')).to_have_attribute("aria-current", "true")
    snap("09-my-account-en")

    # g. Sign out with the header's button (a POST form): the "Sign in" link is back.
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        header(page).locator('form[action="/account/logout/"] button[type=submit]').click()
    assert answer.value.status == 302
    expect(page).to_have_url(url_path("/"))
    expect(header(page).locator('a[href="/account/login/"]')).to_have_text(tr("en", "Sign in"))
    expect(header(page).locator('form[action="/account/logout/"]')).to_have_count(0)
    page.goto(base + "/account/")
    expect(page).to_have_url(url_path("/account/login/"))
    snap("10-signed-out")

    # The link works once: opened again it is spent, like a made-up one (no account probing).
    page.goto(link)
    expect(page.locator("main h1")).to_have_text(tr("en", "This link does not work"))

    user.refresh_from_db()
    assert user.email_verified
    assert user.password.startswith("argon2")
    assert User.objects.filter(email__iexact=EMAIL).count() == 1
    assert browser_problems.items == []


def test_sign_up_with_differing_passwords_is_refused_with_the_reason(
    live_server: Any, smtp: Mailbox, page: Page, browser_problems: BrowserProblems
) -> None:
    page.goto(live_server.url + "/account/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "es")  # from Accept-Language: es-ES
    page.fill("#id_full_name", "Bruno Journey")
    page.fill("#id_email", "bruno.journey@test.example")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD + "?")
    assert submit(page) == 400
    expect(page).to_have_url(url_path("/account/signup/"))
    expect(page.locator("#id_password2_error")).to_have_text(tr("es", "The two passwords differ."))
    expect(page.locator("#id_email")).to_have_value("bruno.journey@test.example")
    expect(page.locator("#id_password1")).to_have_value("")  # passwords are never sent back
    assert not User.objects.filter(email="bruno.journey@test.example").exists()
    assert smtp.messages == []
    assert browser_problems.items == []


def test_a_tampered_confirmation_link_is_refused(
    live_server: Any, page: Page, make_user: Any, browser_problems: BrowserProblems
) -> None:
    user = make_user(email="carla.journey@test.example", email_verified=False)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = page.goto(f"{live_server.url}/account/verify/{uid}/not-a-token/?lang=pt")
    assert response is not None
    assert response.status == 400
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.locator("h1")).to_have_text(tr("pt-br", "This link does not work"))
    expect(page.locator("main form")).to_be_visible()  # the form to ask for a new link
    user.refresh_from_db()
    assert not user.email_verified
    assert browser_problems.items == []
