"""Fictional demo SME profiles and buyers' opportunities (data/demo/profiles.json, opportunities.json).

Idempotent: organisations are matched by slug and opportunities by their demo key (kept in the
opportunity's contact-free `demo_key` audit trail: a title + buyer match), so `ivcs demo` can run at
every start. Everything goes through the services, with their validation: profiles through the
profiles import (as an operator's import would), opportunities as the demo buyer user
(buyer@demo.example), who is made an editor of every fictional demo buyer. Dates are relative to
the day the demo is loaded (deadlines in N days, certificates expiring in N days).
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from ivcs.accounts.models import Membership, Organisation, User
from ivcs.tenants.models import Tenant

log = logging.getLogger(__name__)

DEMO_BUYER_EMAIL = "buyer@demo.example"


def _read(name: str) -> Any:
    path = Path(settings.DATA_DIR) / "demo" / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _profile_record(row: dict[str, Any], today: Any) -> dict[str, Any]:
    record = {
        k: v
        for k, v in row.items()
        if k not in {"products", "certifications", "name", "slug"}  # handled below
    }
    record["slug"] = row["slug"]
    record["name"] = row["name"]
    record["products"] = [{"hs": p["hs"], "description": p.get("text", "")} for p in row.get("products", [])]
    record["certifications"] = [
        {"standard": c["scheme"], "expires": (today + timedelta(days=int(c["expires_in_days"]))).isoformat()}
        for c in row.get("certifications", [])
    ]
    return record


def load_profiles(today: Any) -> dict[str, int]:
    from ivcs.profiles.models import Profile
    from ivcs.profiles.services import import_profiles

    rows = list((_read("accounts.json") or {}).get("profiles", [])) + list(
        (_read("profiles.json") or {}).get("profiles", [])
    )
    if not rows:
        return {}
    by_tenant: dict[int, list[dict[str, Any]]] = {}
    tenants = {t.slug: t for t in Tenant.objects.all()}
    default = tenants.get("ivcs")
    for row in rows:
        existing = Organisation._base_manager.filter(slug=row["slug"]).first()
        if existing is not None and Profile.objects.filter(organisation=existing).exists():
            continue  # loaded before: the demo never overwrites what a user changed
        tenant = tenants.get(row.get("tenant", "")) or (existing.tenant if existing else default)
        if tenant is None:
            continue
        by_tenant.setdefault(tenant.pk, []).append(_profile_record(row, today))
    created = 0
    for tenant_id, records in by_tenant.items():
        report = import_profiles(records, tenant=Tenant.objects.get(pk=tenant_id))
        for row in report.rows:
            if row.status == "refused":
                log.warning("demo profile %s refused: %s", row.slug, "; ".join(row.reasons))
            else:
                created += 1
        Organisation._base_manager.filter(slug__in=[r["slug"] for r in records]).update(is_demo=True)
    return {"demo profiles": created}


def load_opportunities(today: Any) -> dict[str, int]:
    from ivcs.opportunities import services
    from ivcs.opportunities.models import Opportunity

    data = _read("opportunities.json")
    user = User.objects.filter(email__iexact=DEMO_BUYER_EMAIL).first()
    if not data or user is None:
        return {}
    tenants = {t.slug: t for t in Tenant.objects.all()}
    buyers: dict[str, Organisation] = {}
    for row in data["buyers"]:
        tenant = tenants.get(row.get("tenant", "ivcs"))
        if tenant is None:
            continue
        org, _created = Organisation._base_manager.get_or_create(
            slug=row["slug"],
            defaults={
                "tenant": tenant,
                "name": row["name"],
                "kind": Organisation.Kind.BUYER,
                "country": row["country"],
                "description": row.get("description", "")[:4000],
                "is_demo": True,
            },
        )
        Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": Membership.Role.EDITOR})
        buyers[org.slug] = org
    created = 0
    for row in data["opportunities"]:
        buyer = buyers.get(row["buyer"]) or Organisation._base_manager.filter(slug=row["buyer"]).first()
        if buyer is None:
            continue
        if Opportunity._base_manager.filter(buyer=buyer, title=row["title"]).exists():
            continue
        payload = {
            "title": row["title"],
            "description": row.get("description", ""),
            "language": row["language"],
            "services_allowed": bool(row.get("services_allowed")),
            "products": [{"hs": p.get("hs") or None, "text": p.get("text", "")} for p in row.get("products", [])],
            "quantity": row.get("quantity"),
            "unit": row.get("unit") or "",
            "frequency": row.get("frequency") or "",
            "delivery_country": row.get("delivery_country") or "",
            "delivery_place": row.get("delivery_place", ""),
            "incoterm": row.get("incoterm") or "",
            "eligible_countries": row.get("eligible_countries", []),
            "requirements": [
                {
                    "schemes": c.get("any_of", []),
                    "recognised_by": c.get("recognised_by") or "",
                    "level": c["level"],
                }
                for c in row.get("certifications", [])
            ],
            "other_requirements": row.get("other_requirements", ""),
            "deadline": (today + timedelta(days=int(row.get("deadline_in_days", 60)))).isoformat(),
            "contact_method": row.get("contact_method", ""),
            "is_demo": True,
        }
        try:
            opportunity = services.create_opportunity(user, buyer, payload, today=today)
            if row.get("status") in {"published", "closed"}:
                opportunity = services.publish_opportunity(user, opportunity, today=today)
            if row.get("status") == "closed":
                services.close_opportunity(user, opportunity)
        except services.OpportunityError as exc:
            log.warning("demo opportunity %s refused: %s", row.get("key"), "; ".join(str(e) for e in exc.errors))
            continue
        created += 1
    return {"demo opportunities": created}


def load(report_created: dict[str, int]) -> None:
    """Called by ivcs.core.demo.load_demo inside its transaction, with scopes disabled."""
    today = timezone.localdate()
    report_created.update(load_profiles(today))
    report_created.update(load_opportunities(today))
