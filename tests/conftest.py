"""Fixtures and the real-parts policy of the whole suite.

Real parts (Chromium, GNU gettext, PostgreSQL, an SMTP server) are used, never mocked. Where one is
missing on a developer's machine, the tests that need it are skipped with a line saying how to
enable them; with IVCS_REQUIRE_REAL_PARTS=1 (set by .ci/run) the same situation is a failure, so CI
cannot pass by skipping. PostgreSQL-only tests run when DATABASE_URL points at PostgreSQL (the
second pass of .ci/run) and are deselected, with a summary line, on SQLite.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django_scopes import scopes_disabled

REQUIRE_REAL_PARTS = os.environ.get("IVCS_REQUIRE_REAL_PARTS") == "1"
_deselected_postgres: list[str] = []


def need_real_part(available: bool, what: str, how: str) -> None:
    """Skip (or, under IVCS_REQUIRE_REAL_PARTS=1, fail) when a real part is missing."""
    if available:
        return
    message = f"{what} is not available; {how}"
    if REQUIRE_REAL_PARTS:
        pytest.fail(f"IVCS_REQUIRE_REAL_PARTS=1 but {message}", pytrace=False)
    pytest.skip(message)


def on_postgres() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if on_postgres():
        return
    keep = []
    for item in items:
        if item.get_closest_marker("postgres"):
            _deselected_postgres.append(item.nodeid)
        else:
            keep.append(item)
    if _deselected_postgres:
        config.hook.pytest_deselected(items=[i for i in items if i.nodeid in set(_deselected_postgres)])
        items[:] = keep


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _deselected_postgres:
        terminalreporter.write_line(
            f"{len(_deselected_postgres)} PostgreSQL-only tests not run on SQLite: run "
            "`DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make test` to include them (CI does)."
        )


@pytest.fixture(autouse=True)
def _unscoped_test_body() -> Iterator[None]:
    """Test bodies see every tenant's rows; requests still run inside the middleware's scope."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache; each test starts with none."""
    yield
    from django.core.cache import cache

    # Tests without database access cannot reach the cache table, and need no clearing.
    with contextlib.suppress(Exception):
        cache.clear()


PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def default_tenant(db: None) -> Any:
    from ivcs.tenants.selectors import default_tenant

    return default_tenant()


@pytest.fixture
def other_tenant(db: None, settings: Any) -> Any:
    """A partner site on its own host name, otro.example.org."""
    from ivcs.tenants.models import Tenant, TenantDomain

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "otro.example.org", "unknown.example.org"]
    tenant = Tenant.objects.create(slug="otro", name="Otro Sitio", default_language="pt-br", primary_colour="#123456")
    TenantDomain.objects.create(tenant=tenant, host="otro.example.org")
    return tenant


@pytest.fixture
def make_user(db: None) -> Any:
    from tests.factories import UserFactory

    return UserFactory


@pytest.fixture
def make_org(db: None) -> Any:
    from tests.factories import make_organisation

    return make_organisation


@pytest.fixture
def smtp(settings: Any) -> Iterator[Any]:
    """A real SMTP server on 127.0.0.1; Django's SMTP backend is pointed at it."""
    from tests.smtp import start_server

    controller, mailbox = start_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def hs_nomenclature() -> Any:
    from ivcs.engines.hs.nomenclature import load_nomenclature

    return load_nomenclature()


@pytest.fixture
def hs_loaded(db: None, hs_nomenclature: Any) -> Any:
    """The HS nomenclature in the database (imported once per database, re-imported after a flush)."""
    from ivcs.products.models import HsCode
    from ivcs.products.services import import_nomenclature

    if not HsCode.objects.exists():
        import_nomenclature(hs_nomenclature)
    return hs_nomenclature


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any, hs_nomenclature: Any) -> None:
    """Import the HS nomenclature once into the test database (tests roll back to this state)."""
    from ivcs.products.services import import_nomenclature

    with django_db_blocker.unblock():
        import_nomenclature(hs_nomenclature)
