"""Fictional standards demo data (the "standards" part of data/demo/accounts.json), idempotent.

A demo buyer whose requirement set the demo buyer organisation edits, and certificates held by the
demo SMEs (expiry dates relative to the day the demo is loaded, so the "expiring" warning shows).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from ivcs.accounts.models import Organisation
from ivcs.standards import dataformat as df
from ivcs.standards.models import Buyer, HeldCertification, RequirementSet, Scheme
from ivcs.standards.services import _replace_requirements, default_folder, import_catalogue

DEMO_NOTE = "Fictional demo data (IVCS demo)."


def ensure_catalogue(folder: Path | None = None) -> None:
    """Load data/standards once if `ivcs import-standards` has not run."""
    if not Scheme.objects.exists():
        report = import_catalogue(folder or default_folder())
        if report.refused:
            raise ValueError("data/standards has invalid records: " + "; ".join(str(r) for r in report.refused))


def load(data: dict[str, Any], organisations: dict[str, Organisation]) -> dict[str, int]:
    created = {"demo buyers": 0, "certificates held": 0}
    ensure_catalogue()
    today = timezone.localdate()
    for row in data.get("buyers", []):
        buyer, new = Buyer.objects.get_or_create(
            id=row["id"],
            defaults={
                "name": row["name"],
                "demo": True,
                "organisation": organisations.get(row.get("organisation", "")),
                "checked": today,
                "verified": "no",
                "note": DEMO_NOTE,
            },
        )
        created["demo buyers"] += new
        if not new:
            continue
        buyer.sectors.set(row.get("sectors", []))
        for s in row.get("requirement_sets", []):
            req_set = RequirementSet.objects.create(
                id=s["id"],
                buyer=buyer,
                title=s["title"],
                hs=s.get("hs", []),
                checked=today,
                verified="no",
                note=DEMO_NOTE,
            )
            _replace_requirements(req_set, [df.RequirementRecord.model_validate(r) for r in s["requirements"]])
    for row in data.get("held", []):
        organisation = organisations.get(row["organisation"])
        if organisation is None or not Scheme.objects.filter(id=row["scheme"]).exists():
            continue
        _held, new = HeldCertification.objects.get_or_create(
            organisation=organisation,
            scheme_id=row["scheme"],
            defaults={"expires": today + timedelta(days=row["expires_in_days"]), "reference": row.get("reference", "")},
        )
        created["certificates held"] += new
    return created
