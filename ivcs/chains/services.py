"""The only writers of the chains domain: an SME's bills of materials, and the reference links import.

A bill of materials is checked whole before anything is written (every bad field is named in one
ChainError); a save runs in one transaction that writes the rows, raises the version, keeps the new
content as a BomVersion, records an audit row and appends a "bom.changed" outbox event. A save that
names a stale version is refused (409) instead of overwriting someone else's change.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pycountry
import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ivcs.accounts.models import Organisation
from ivcs.accounts.permissions import Perm, require
from ivcs.chains import selectors
from ivcs.chains.handlers import BOM_CHANGED
from ivcs.chains.models import (
    MAX_BOMS_PER_ORGANISATION,
    MAX_INPUTS,
    BillOfMaterials,
    BomInput,
    BomVersion,
    ChainEndUse,
    ChainLink,
    EndUse,
    LinkSource,
    Originating,
)
from ivcs.core import audit, outbox
from ivcs.core.errors import FieldErrors
from ivcs.engines.hs.nomenclature import normalise_code
from ivcs.products.models import HsCode

MAX_NAME = 200
MAX_NOTES = 2000
MAX_SUPPLIER = 200
MAX_DESCRIPTION = 200
SHARE_TOLERANCE = Decimal("0.01")

# Curated roles -> link weight; curated links are reviewed, hence their confidence.
ROLE_WEIGHTS = {"main": 1.0, "secondary": 0.6, "minor": 0.3, "packaging": 0.3}
CURATED_CONFIDENCE = 0.9


class ChainError(FieldErrors):
    """Input the chains domain refuses (see FieldErrors); `errors` lists every bad field found."""


# --- Checking a bill of materials -----------------------------------------------------------------


@dataclass
class CleanInput:
    hs: str
    description: str = ""
    origin: str = ""
    supplier: str = ""
    value_share: Decimal | None = None
    originating: str = Originating.UNKNOWN

    def as_data(self) -> dict[str, Any]:
        return {
            "hs": self.hs,
            "description": self.description,
            "origin": self.origin,
            "supplier": self.supplier,
            "value_share": None if self.value_share is None else str(self.value_share),
            "originating_declared": {"yes": True, "no": False}.get(self.originating),
        }


@dataclass
class CleanBom:
    product: str
    name: str = ""
    notes: str = ""
    inputs: list[CleanInput] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        return {
            "product": self.product,
            "name": self.name,
            "notes": self.notes,
            "inputs": [row.as_data() for row in self.inputs],
        }


def _text(value: Any, limit: int, name: str, errors: list[ChainError]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(ChainError("invalid", _("Expected text."), name))
        return ""
    value = value.strip()
    if "\x00" in value:
        errors.append(ChainError("invalid", _("Text may not contain NUL characters."), name))
        return ""
    if len(value) > limit:
        errors.append(ChainError("too_long", _("At most %(n)d characters.") % {"n": limit}, name))
        return value[:limit]
    return value


def _hs(value: Any, name: str, errors: list[ChainError], known: set[str]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        errors.append(ChainError("required", _("Give an HS code of 4 or 6 digits."), name))
        return None
    digits = normalise_code(value.strip())
    if digits is None or len(digits) not in (4, 6):
        errors.append(
            ChainError(
                "malformed_hs", _("“%(value)s” is not an HS code of 4 or 6 digits.") % {"value": value[:20]}, name
            )
        )
        return None
    if digits not in known:
        errors.append(
            ChainError("unknown_hs", _("HS code %(code)s does not exist in HS 2022.") % {"code": digits}, name)
        )
        return None
    return digits


def _share(value: Any, name: str, errors: list[ChainError]) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.append(ChainError("invalid", _("Give a percentage between 0 and 100."), name))
        return None
    try:
        share = Decimal(str(value).strip().replace(",", ".").rstrip("%").strip())
    except (InvalidOperation, ValueError):
        errors.append(ChainError("invalid", _("Give a percentage between 0 and 100."), name))
        return None
    if not share.is_finite() or share < 0 or share > 100:
        errors.append(ChainError("out_of_range", _("Give a percentage between 0 and 100."), name))
        return None
    return share.quantize(Decimal("0.01"))


def _origin(value: Any, name: str, errors: list[ChainError]) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or pycountry.countries.get(alpha_2=value.strip().upper()) is None:
        errors.append(ChainError("unknown_country", _("Give a country as its two-letter ISO code, e.g. CL."), name))
        return ""
    return value.strip().upper()


def _originating(value: Any, name: str, errors: list[ChainError]) -> str:
    if value is None or value == "" or value == Originating.UNKNOWN:
        return Originating.UNKNOWN
    if value is True or value == Originating.YES:
        return Originating.YES
    if value is False or value == Originating.NO:
        return Originating.NO
    errors.append(ChainError("invalid", _("Say yes, no or not known."), name))
    return Originating.UNKNOWN


def known_codes(codes: Iterable[str]) -> set[str]:
    wanted = {normalise_code(c) for c in codes if isinstance(c, str)}
    wanted.discard(None)
    return set(HsCode.objects.filter(code__in=wanted, level__in=(4, 6)).values_list("code", flat=True))


def clean_bom(data: Mapping[str, Any]) -> CleanBom:
    """Check a whole bill of materials (the API's shape); ChainError names every bad field."""
    errors: list[ChainError] = []
    raw_inputs = data.get("inputs") or []
    if not isinstance(raw_inputs, list):
        raise ChainError("invalid", _("Inputs must be a list."), "inputs")
    if len(raw_inputs) > MAX_INPUTS:
        raise ChainError("too_many", _("At most %(n)d inputs per product.") % {"n": MAX_INPUTS}, "inputs")
    codes = [data.get("product")] + [row.get("hs") for row in raw_inputs if isinstance(row, Mapping)]
    known = known_codes(c for c in codes if isinstance(c, str))
    product = _hs(data.get("product"), "product", errors, known)
    bom = CleanBom(
        product=product or "",
        name=_text(data.get("name"), MAX_NAME, "name", errors),
        notes=_text(data.get("notes"), MAX_NOTES, "notes", errors),
    )
    seen: dict[tuple[str, str, str], int] = {}
    for i, row in enumerate(raw_inputs):
        where = f"inputs[{i}]"
        if not isinstance(row, Mapping):
            errors.append(ChainError("invalid", _("Each input must be an object."), where))
            continue
        hs = _hs(row.get("hs"), f"{where}.hs", errors, known)
        clean = CleanInput(
            hs=hs or "",
            description=_text(row.get("description"), MAX_DESCRIPTION, f"{where}.description", errors),
            origin=_origin(row.get("origin"), f"{where}.origin", errors),
            supplier=_text(row.get("supplier"), MAX_SUPPLIER, f"{where}.supplier", errors),
            value_share=_share(row.get("value_share"), f"{where}.value_share", errors),
            originating=_originating(row.get("originating_declared"), f"{where}.originating_declared", errors),
        )
        if hs is None:
            continue
        if product and hs == product:
            errors.append(ChainError("cycle", _("A product cannot be an input of itself."), f"{where}.hs"))
            continue
        key = (hs, clean.origin, clean.supplier.casefold())
        if key in seen:
            errors.append(
                ChainError(
                    "duplicate",
                    _("This input is listed twice with the same origin and supplier (rows %(a)d and %(b)d).")
                    % {"a": seen[key] + 1, "b": i + 1},
                    f"{where}.hs",
                )
            )
            continue
        seen[key] = i
        bom.inputs.append(clean)
    total = sum((row.value_share or Decimal(0) for row in bom.inputs), Decimal(0))
    if total > 100 + SHARE_TOLERANCE:
        errors.append(
            ChainError(
                "shares_over_100",
                _(
                    "The inputs' shares add up to %(total)s%%, more than the whole product's value. "
                    "Each share is the input's part of the product's price, so together they stay at or below 100%%."
                )
                % {"total": f"{total.normalize():f}"},
                "inputs",
            )
        )
    if errors:
        raise ChainError.many(errors)
    return bom


def find_cycle(product: str, inputs: Iterable[str], edges: Mapping[str, set[str]]) -> list[str] | None:
    """A path input -> ... -> product through the SME's other bills (`edges`: product -> its inputs),
    which saving these inputs would close into a cycle; None when there is none. Codes match exactly."""
    for start in inputs:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        seen = {start}
        while stack:
            code, path = stack.pop()
            for below in sorted(edges.get(code, ())):
                if below == product:
                    return [product, *path, below]
                if below not in seen:
                    seen.add(below)
                    stack.append((below, [*path, below]))
    return None


def _check_cycles(organisation: Organisation, clean: CleanBom, exclude: int | None) -> None:
    edges: dict[str, set[str]] = {}
    rows = BomInput.objects.filter(bom__organisation=organisation).exclude(bom_id=exclude)
    for product, hs in rows.values_list("bom__product_id", "hs_code_id"):
        edges.setdefault(product, set()).add(hs)
    cycle = find_cycle(clean.product, [row.hs for row in clean.inputs], edges)
    if cycle:
        raise ChainError(
            "cycle",
            _("These inputs would make a cycle with your other products: %(path)s.")
            % {"path": " → ".join(reversed(cycle))},
            "inputs",
        )


# --- Writing ---------------------------------------------------------------------------------------


def _check_sme(organisation: Organisation) -> None:
    if organisation.kind != Organisation.Kind.SME:
        raise ChainError("not_sme", _("Only SMEs keep bills of materials."))


def create_bom(actor: Any, organisation: Organisation, data: Mapping[str, Any]) -> BillOfMaterials:
    require(actor, Perm.EDIT_ORG, organisation)
    _check_sme(organisation)
    clean = clean_bom(data)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if BillOfMaterials.objects.filter(organisation=organisation).count() >= MAX_BOMS_PER_ORGANISATION:
            raise ChainError(
                "too_many", _("At most %(n)d bills of materials per company.") % {"n": MAX_BOMS_PER_ORGANISATION}
            )
        _check_cycles(organisation, clean, exclude=None)
        bom = BillOfMaterials(organisation=organisation, version=0)
        if getattr(actor, "pk", None) and actor.__class__.__name__ == "User":
            bom.created_by = actor
        return _write(actor, bom, clean, action="bom.created")


def update_bom(
    actor: Any, bom: BillOfMaterials, data: Mapping[str, Any], *, expected_version: int | None = None
) -> BillOfMaterials:
    """Replace the whole content of `bom`. With `expected_version`, refuse (409) if it changed since."""
    require(actor, Perm.EDIT_ORG, bom.organisation)
    clean = clean_bom(data)
    with transaction.atomic():
        current = BillOfMaterials.objects.select_for_update().get(pk=bom.pk)
        if expected_version is not None and expected_version != current.version:
            raise ChainError(
                "version_conflict",
                _("This bill of materials was changed (now version %(now)d) since you loaded version %(was)d.")
                % {"now": current.version, "was": expected_version},
                "version",
            )
        _check_cycles(bom.organisation, clean, exclude=bom.pk)
        return _write(actor, current, clean, action="bom.updated")


def delete_bom(actor: Any, bom: BillOfMaterials) -> None:
    require(actor, Perm.EDIT_ORG, bom.organisation)
    with transaction.atomic():
        data = {"product": bom.product_id, "version": bom.version}
        audit.record("bom.deleted", actor=actor, obj=bom, tenant_id=bom.organisation.tenant_id, data=data)
        outbox.append(
            BOM_CHANGED,
            {"bom_id": bom.pk, "organisation_id": bom.organisation_id, "action": "bom.deleted"},
            tenant_id=bom.organisation.tenant_id,
        )
        bom.delete()


def _write(actor: Any, bom: BillOfMaterials, clean: CleanBom, *, action: str) -> BillOfMaterials:
    bom.product_id = clean.product
    bom.name = clean.name
    bom.notes = clean.notes
    bom.version += 1
    bom.save()
    BomInput.objects.filter(bom=bom).delete()
    BomInput.objects.bulk_create(
        BomInput(
            bom=bom,
            hs_code_id=row.hs,
            description=row.description,
            origin=row.origin,
            supplier=row.supplier,
            value_share=row.value_share,
            originating=row.originating,
            position=i,
        )
        for i, row in enumerate(clean.inputs)
    )
    saved_by = actor if actor.__class__.__name__ == "User" else None
    BomVersion.objects.create(bom=bom, version=bom.version, content=clean.as_data(), saved_by=saved_by)
    tenant_id = bom.organisation.tenant_id
    audit.record(action, actor=actor, obj=bom, tenant_id=tenant_id, data={"version": bom.version, **clean.as_data()})
    outbox.append(
        BOM_CHANGED,
        {"bom_id": bom.pk, "organisation_id": bom.organisation_id, "action": action, "version": bom.version},
        tenant_id=tenant_id,
    )
    return bom


# --- Reference links: `ivcs import-chains` ------------------------------------------------------------


def default_folder() -> Path:
    return Path(settings.DATA_DIR) / "input_output"


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    unchanged: bool = False


def _digest(paths: Iterable[Path]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _last_digest() -> str | None:
    from ivcs.core.models import AuditLog

    last = AuditLog.objects.filter(action="chains.imported").order_by("-created_at", "-pk").first()
    return (last.data or {}).get("digest") if last is not None else None


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if 0.0 <= number <= 1.0 else None


def _read_curated(path: Path, codes: set[str], report: ImportReport) -> list[ChainLink]:
    try:
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        report.refused.append(f"{path.name}: cannot read: {exc}")
        return []
    if not isinstance(records, list):
        report.refused.append(f"{path.name}: expected a list of products")
        return []
    links: list[ChainLink] = []
    for i, record in enumerate(records, start=1):
        where = f"{path.name} #{i}"
        if not isinstance(record, dict):
            report.refused.append(f"{where}: not a mapping")
            continue
        product = normalise_code(str(record.get("product", "")))
        where = f"{where} ({product or record.get('product')})"
        if product not in codes:
            report.refused.append(f"{where}: product: not an HS 2022 code of 4 or 6 digits")
            continue
        try:
            checked = dt.date.fromisoformat(str(record.get("checked", "")))
        except ValueError:
            report.refused.append(f"{where}: checked: not an ISO date")
            continue
        how = str(record.get("how_checked") or "").strip()
        if not how:
            report.refused.append(f"{where}: how_checked: missing")
            continue
        for j, item in enumerate(record.get("inputs") or [], start=1):
            code = normalise_code(str((item or {}).get("hs", "")))
            role = str((item or {}).get("role", ""))
            if code not in codes:
                report.refused.append(f"{where} input {j}: hs: not an HS 2022 code of 4 or 6 digits")
                continue
            if code == product:
                report.refused.append(f"{where} input {j}: hs: a product cannot be its own input")
                continue
            if role not in ROLE_WEIGHTS:
                report.refused.append(f"{where} input {j}: role: one of {', '.join(ROLE_WEIGHTS)}")
                continue
            note = str(item.get("note") or "").strip()
            links.append(
                ChainLink(
                    input=code,
                    product=product,
                    source=LinkSource.CURATED,
                    weight=ROLE_WEIGHTS[role],
                    confidence=CURATED_CONFIDENCE,
                    role=role,
                    detail=f"{note} — {how}" if note else how,
                    dataset=path.name,
                    checked=checked,
                )
            )
    return links


def _read_derived(path: Path, codes: set[str], checked: dt.date, report: ImportReport) -> list[ChainLink]:
    links: list[ChainLink] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        expected = {"input", "product", "weight", "confidence", "source", "detail"}
        if not expected <= set(reader.fieldnames or []):
            report.refused.append(f"{path.name}: header must include {', '.join(sorted(expected))}")
            return []
        for line, row in enumerate(reader, start=2):
            where = f"{path.name} line {line}"
            source = row.get("source", "")
            problems = []
            if row["input"] not in codes:
                problems.append("input: not an HS 2022 code of 4 or 6 digits")
            if row["product"] not in codes:
                problems.append("product: not an HS 2022 code of 4 or 6 digits")
            if row["input"] == row["product"]:
                problems.append("input: a product cannot be its own input")
            if source not in (LinkSource.DERIVED, LinkSource.RULES_OF_ORIGIN):
                problems.append("source: derived or rules_of_origin")
            weight, confidence = _float(row.get("weight")), _float(row.get("confidence"))
            if weight is None or weight == 0:
                problems.append("weight: a number in (0, 1]")
            if confidence is None:
                problems.append("confidence: a number in [0, 1]")
            if problems:
                report.refused.extend(f"{where}: {p}" for p in problems)
                continue
            links.append(
                ChainLink(
                    input=row["input"],
                    product=row["product"],
                    source=source,
                    weight=weight or 0.0,
                    confidence=confidence or 0.0,
                    detail=(row.get("detail") or "")[:1000],
                    dataset=path.name,
                    checked=checked,
                )
            )
    return links


def _read_end_use(path: Path, report: ImportReport) -> list[ChainEndUse]:
    rows: list[ChainEndUse] = []
    allowed = set(EndUse.values)
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code, end_use = row.get("hs6", ""), row.get("end_use", "")
            if len(code) != 6 or not code.isdigit() or end_use not in allowed:
                report.refused.append(f"{path.name} line {line}: hs6/end_use not valid")
                continue
            rows.append(ChainEndUse(code=code, end_use=end_use))
    return rows


def _derived_on(folder: Path) -> dt.date | None:
    """The derivation date written by `ivcs build-chains` (derived_on.txt), if any."""
    try:
        return dt.date.fromisoformat((folder / "derived_on.txt").read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def import_chains(
    folder: Path, *, dry_run: bool = False, checked: dt.date | None = None, if_changed: bool = False
) -> ImportReport:
    """Validate data/input_output (curated_chains.yaml, derived_links.csv, end_use.csv) and replace the
    reference links with it. Every refused row is reported; with any refusal nothing is written.
    With `if_changed`, files identical to the last successful import are not read again."""
    report = ImportReport()
    codes = set(HsCode.objects.filter(level__in=(4, 6)).values_list("code", flat=True))
    if not codes:
        report.refused.append("the HS nomenclature is not loaded: run `ivcs import-hs` first")
        return report
    curated_path, derived_path, end_use_path = (
        folder / "curated_chains.yaml",
        folder / "derived_links.csv",
        folder / "end_use.csv",
    )
    missing = [p.name for p in (curated_path, derived_path, end_use_path) if not p.is_file()]
    if missing:
        report.refused.append(f"missing in {folder}: {', '.join(missing)}")
        return report
    digest = _digest((curated_path, derived_path, end_use_path))
    if if_changed and not dry_run and digest == _last_digest() and ChainLink.objects.exists():
        report.unchanged = True
        return report
    stamp = checked or _derived_on(folder) or dt.date.fromtimestamp(derived_path.stat().st_mtime)
    links = _read_curated(curated_path, codes, report) + _read_derived(derived_path, codes, stamp, report)
    end_uses = _read_end_use(end_use_path, report)
    seen: set[tuple[str, str, str]] = set()
    unique: list[ChainLink] = []
    for link in links:
        key = (link.input, link.product, link.source)
        if key in seen:
            report.refused.append(f"{link.dataset}: {link.input} → {link.product} ({link.source}) listed twice")
            continue
        seen.add(key)
        unique.append(link)
    for source in LinkSource.values:
        report.counts[source] = sum(1 for link in unique if link.source == source)
    report.counts["end_use"] = len(end_uses)
    if report.refused or dry_run:
        return report
    with transaction.atomic():
        ChainLink.objects.exclude(source=LinkSource.USER).delete()
        ChainLink.objects.bulk_create(unique, batch_size=2000)
        ChainEndUse.objects.all().delete()
        ChainEndUse.objects.bulk_create(end_uses, batch_size=2000)
        audit.record("chains.imported", data={**report.counts, "digest": digest})
        transaction.on_commit(selectors.links_changed)
    return report
