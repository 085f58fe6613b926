"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Chromium is a real part: where /usr/bin/chromium is missing the journeys are skipped with a line
saying how to install it, and with IVCS_REQUIRE_REAL_PARTS=1 (CI) that is a failure instead. The
browser is never downloaded by Playwright (`playwright install` is not used).

Every test gets a fresh browser context sized like a phone (390x844) whose Accept-Language is
Spanish, and leaves a screenshot of its last page in test-artifacts/<test name>.png; `snap` saves
extra ones along the way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    Request,
    Response,
    ViewportSize,
    sync_playwright,
)

from tests.conftest import need_real_part

# Playwright's sync API keeps an asyncio loop running in the test's thread; Django's ORM refuses to
# run under a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 10_000


def _artifact_name(nodename: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodename).strip("_")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    need_real_part(
        os.path.exists(CHROMIUM),
        "Debian's Chromium (/usr/bin/chromium)",
        "install it with `apt-get install chromium` (make test does this when run as root)",
    )
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        yield browser
    finally:
        browser.close()


class BrowserProblems:
    """What went wrong in the browser during a test, other than the pages' own HTTP statuses.

    Console errors (a CSP violation is one), uncaught exceptions, and sub-resources (style sheets,
    scripts, images) answered with an error. Chromium also logs "Failed to load resource" for a
    page answered with 4xx, which the forms do on purpose (400 on invalid input): tests assert
    those statuses themselves, so such lines are left out here. Requests aborted by a navigation
    are left out too; a resource that is missing still shows up as its 4xx response.
    """

    def __init__(self) -> None:
        self.items: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.items.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Error) -> None:
        self.items.append(f"page error: {error}")

    def on_response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.items.append(f"{response.request.resource_type} {response.url} answered {response.status}")

    def on_request_failed(self, request: Request) -> None:
        # A request cancelled because the test navigated on (net::ERR_ABORTED, typically the
        # favicon of the page being left) is the browser working as intended, not a fault.
        if request.failure == "net::ERR_ABORTED":
            return
        self.items.append(f"{request.resource_type} {request.url} failed: {request.failure}")


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest, browser_problems: BrowserProblems) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE,
        screen={"width": PHONE["width"], "height": PHONE["height"]},
        is_mobile=True,
        has_touch=True,
        locale="es-ES",
        extra_http_headers={"Accept-Language": "es-ES,es;q=0.9"},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", browser_problems.on_console)
    page.on("pageerror", browser_problems.on_page_error)
    page.on("response", browser_problems.on_response)
    page.on("requestfailed", browser_problems.on_request_failed)
    try:
        yield page
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{_artifact_name(request.node.name)}.png"), full_page=True)
        finally:
            context.close()


@pytest.fixture
def snap(page: Page, request: pytest.FixtureRequest, browser_problems: BrowserProblems) -> Callable[[str], None]:
    """`snap("step")` saves test-artifacts/<test name>-<step>.png (the full page) and notes in
    `browser_problems` if the page is wider than the phone, i.e. scrolls sideways."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = _artifact_name(request.node.name)

    def save(step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{base}-{_artifact_name(step)}.png"), full_page=True)
        width = int(page.evaluate("document.documentElement.scrollWidth"))
        if width > PHONE["width"]:
            browser_problems.items.append(f"{step}: {page.url} is {width}px wide on a {PHONE['width']}px phone")

    return save


@pytest.fixture(autouse=True)
def _cookies_over_plain_http(settings: Any) -> None:
    """The live server speaks plain http: Secure cookies would never come back to it."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_COOKIES = False
