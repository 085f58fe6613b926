"""Fictional bills of materials of the demo companies (data/demo/chains.json).

Idempotent: a demo company's bill for a product is created once (matched by organisation and
product) and never overwritten, so what a visitor changed stays. Written through the services, as
the company's demo user, with their validation.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django_scopes import scope

from ivcs.accounts.models import Organisation, User

log = logging.getLogger(__name__)


def load(created: dict[str, int]) -> None:
    from ivcs.chains.models import BillOfMaterials
    from ivcs.chains.services import ChainError, create_bom

    path = Path(settings.DATA_DIR) / "demo" / "chains.json"
    if not path.exists():
        return
    rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8")).get("boms", [])
    count = 0
    for row in rows:
        organisation = Organisation.objects.filter(slug=row["organisation"]).select_related("tenant").first()
        user = User.objects.filter(email=row["user"]).first()
        if organisation is None or user is None:
            log.warning("demo chains: %s or %s missing", row["organisation"], row["user"])
            continue
        with scope(tenant=organisation.tenant):
            if BillOfMaterials.objects.filter(organisation=organisation, product_id=row["product"]).exists():
                continue
            data = {k: row[k] for k in ("product", "name", "notes", "inputs")}
            try:
                create_bom(user, organisation, data)
            except ChainError as error:
                log.warning("demo chains: %s refused: %s", row["organisation"], error.as_details())
                continue
            count += 1
    created["bills of materials"] = created.get("bills of materials", 0) + count
