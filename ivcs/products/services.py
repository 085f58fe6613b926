"""Writes of the products domain: loading the HS nomenclature into the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ivcs.core import audit
from ivcs.engines.hs.nomenclature import Nomenclature, coverage
from ivcs.products.models import HsCode


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    coverage: dict[int, dict[str, dict[str, int]]]


FIELDS = [
    "level",
    "parent_id",
    "section",
    "vintage",
    "description_en",
    "description_es",
    "description_pt",
    "source_en",
    "source_es",
    "source_pt",
    "search_text",
]


def import_nomenclature(nomenclature: Nomenclature, *, actor: object = None) -> ImportReport:
    """Create or update every code (idempotent: unchanged rows are not written)."""
    existing = {row.code: row for row in HsCode.objects.all()}
    to_create: list[HsCode] = []
    to_update: list[HsCode] = []
    # Parents first, so that foreign keys always point at rows that exist.
    for entry in sorted(nomenclature.entries.values(), key=lambda e: (e.level, e.code)):
        values = {
            "level": entry.level,
            "parent_id": entry.parent,
            "section": entry.section,
            "vintage": nomenclature.vintage,
            "description_en": entry.descriptions.get("en", ""),
            "description_es": entry.descriptions.get("es", ""),
            "description_pt": entry.descriptions.get("pt", ""),
            "source_en": entry.sources.get("en", ""),
            "source_es": entry.sources.get("es", ""),
            "source_pt": entry.sources.get("pt", ""),
            "search_text": dict(entry.search_text),
        }
        row = existing.get(entry.code)
        if row is None:
            to_create.append(HsCode(code=entry.code, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    with transaction.atomic():
        for level in (2, 4, 6):
            HsCode.objects.bulk_create([r for r in to_create if r.level == level], batch_size=500)
        HsCode.objects.bulk_update(to_update, FIELDS, batch_size=500)
        audit.record(
            "hs.imported",
            actor=actor,
            data={"created": len(to_create), "updated": len(to_update), "vintage": nomenclature.vintage},
        )
    unchanged = len(nomenclature.entries) - len(to_create) - len(to_update)
    return ImportReport(len(to_create), len(to_update), unchanged, coverage(nomenclature.entries.values()))
