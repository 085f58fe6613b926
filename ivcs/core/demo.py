"""Loading the fictional demo data (data/demo/accounts.json): idempotent, flagged is_demo.

Later issues add their own demo loaders here (opportunities, standards, studies, ...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django_scopes import scopes_disabled

from ivcs.accounts.models import Membership, Organisation, User
from ivcs.accounts.services import grant_operator
from ivcs.tenants.models import Tenant, TenantDomain


@dataclass
class DemoReport:
    created: dict[str, int] = field(
        default_factory=lambda: {"tenants": 0, "organisations": 0, "users": 0, "memberships": 0}
    )
    logins: list[dict[str, str]] = field(default_factory=list)


def demo_file() -> Path:
    return Path(settings.DATA_DIR) / "demo" / "accounts.json"


def _ensure_hs_nomenclature() -> None:
    """The demo needs HS codes to search; load them once if `ivcs import-hs` has not run."""
    from ivcs.engines.hs.nomenclature import load_nomenclature
    from ivcs.products.models import HsCode
    from ivcs.products.services import import_nomenclature

    if not HsCode.objects.exists():
        import_nomenclature(load_nomenclature())


def load_demo(path: Path | None = None) -> DemoReport:
    data: dict[str, Any] = json.loads((path or demo_file()).read_text(encoding="utf-8"))
    report = DemoReport()
    password = data["password"]
    _ensure_hs_nomenclature()
    with scopes_disabled(), transaction.atomic():
        tenants = {t.slug: t for t in Tenant.objects.all()}
        for row in data["tenants"]:
            tenant, created = Tenant.objects.get_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "primary_colour": row["primary_colour"],
                    "accent_colour": row["accent_colour"],
                    "default_language": row["default_language"],
                    "is_demo": True,
                },
            )
            report.created["tenants"] += created
            for host in row.get("hosts", []):
                TenantDomain.objects.get_or_create(host=host, defaults={"tenant": tenant})
            tenants[tenant.slug] = tenant
        organisations = {}
        for row in data["organisations"]:
            org, created = Organisation.objects.get_or_create(
                slug=row["slug"],
                defaults={
                    "tenant": tenants[row["tenant"]],
                    "name": row["name"],
                    "kind": row["kind"],
                    "country": row["country"],
                    "website": row["website"],
                    "description": row["description"],
                    "is_demo": True,
                },
            )
            report.created["organisations"] += created
            organisations[org.slug] = org
        for row in data["users"]:
            user = User.objects.filter(email__iexact=row["email"]).first()
            if user is None:
                user = User.objects.create_user(
                    email=row["email"],
                    password=password,
                    full_name=row["full_name"],
                    language=row["language"],
                    email_verified=True,
                    is_demo=True,
                )
                report.created["users"] += 1
            if row.get("staff") and not user.is_staff:
                grant_operator(user)
            for slug, role in row["memberships"]:
                _, created = Membership.objects.get_or_create(
                    user=user, organisation=organisations[slug], defaults={"role": role}
                )
                report.created["memberships"] += created
            report.logins.append(
                {
                    "email": row["email"],
                    "password": password,
                    "what": ", ".join(
                        f"{role} of {organisations[slug].name} ({organisations[slug].kind})"
                        for slug, role in row["memberships"]
                    )
                    + (" — operator area" if row.get("staff") else ""),
                }
            )
        if "standards" in data:
            from ivcs.standards import demo as standards_demo

            report.created.update(standards_demo.load(data["standards"], organisations))
        from ivcs.opportunities import demo as opportunities_demo

        opportunities_demo.load(report.created)
        from ivcs.chains import demo as chains_demo

        chains_demo.load(report.created)
        from ivcs.library import demo as library_demo

        library_demo.load(report.created)
    return report
