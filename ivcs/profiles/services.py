"""The only writers of the profiles domain: saving a profile, the guided builder's draft, the import.

Every write runs in one transaction, is permission-checked (owner or editor of the organisation,
or an API key with org:write), records an audit row and appends a "profile.changed" outbox event
that the matching index listens to. Input is checked whole first (ivcs.profiles.validation): a bad
field refuses the whole request and nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scope

from ivcs.accounts.models import Organisation
from ivcs.accounts.permissions import Perm, require
from ivcs.core import audit, outbox
from ivcs.profiles.handlers import PROFILE_CHANGED
from ivcs.profiles.models import Profile, ProfileProduct
from ivcs.profiles.validation import (
    FIELDS,
    CleanCertification,
    CleanProfile,
    ProfileError,
    clean_profile,
)
from ivcs.standards.models import Sector
from ivcs.tenants.models import Tenant

__all__ = [
    "MAX_IMPORT_BYTES",
    "ImportReport",
    "ProfileError",
    "RowReport",
    "import_profiles",
    "profile_from_sentence",
    "read_import_file",
    "save_profile",
]

MAX_IMPORT_BYTES = 5 * 1024 * 1024


# --- Saving a profile ------------------------------------------------------------------------------


def _check_sme(organisation: Organisation) -> None:
    if organisation.kind != Organisation.Kind.SME:
        raise ProfileError("not_sme", _("Only SMEs have a business profile."), None)


def save_profile(actor: Any, organisation: Organisation, data: dict[str, Any]) -> Profile:
    """Create or replace the profile of an SME from `data` (the keys of the API's ProfileIn).

    Every profile field is replaced (a missing field becomes empty); `certifications`, when given,
    replaces the certificates the organisation holds (through ivcs.standards.services), when
    absent or None leaves them as they are. All or nothing: ProfileError names every bad field.
    """
    require(actor, Perm.EDIT_ORG, organisation)
    _check_sme(organisation)
    clean = clean_profile(data, default_country=organisation.country)
    with transaction.atomic():
        return _write(actor, organisation, clean)


def _write(actor: Any, organisation: Organisation, clean: CleanProfile) -> Profile:
    """Write a checked profile; the caller holds the transaction and has checked permission."""
    profile = Profile.objects.filter(organisation=organisation).first()
    created = profile is None
    before = _snapshot(profile) if profile is not None else None
    if profile is None:
        profile = Profile(organisation=organisation)
    for name, value in clean.row_values().items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["organisation"])
    profile.save()
    profile.sectors.set(list(Sector.objects.filter(id__in=clean.sectors)))
    ProfileProduct.objects.filter(profile=profile).delete()
    ProfileProduct.objects.bulk_create(
        ProfileProduct(profile=profile, hs_code_id=p.hs, description=p.description, position=i)
        for i, p in enumerate(clean.products)
    )
    if clean.certifications is not None:
        _replace_certifications(actor, organisation, clean.certifications)
    action = "profile.created" if created else "profile.updated"
    audit.record(
        action,
        actor=actor,
        obj=profile,
        tenant_id=organisation.tenant_id,
        data={"before": before, "after": _snapshot(profile)},
    )
    outbox.append(
        PROFILE_CHANGED,
        {"profile_id": profile.pk, "organisation_id": organisation.pk, "action": action},
        tenant_id=organisation.tenant_id,
    )
    return profile


def _snapshot(profile: Profile) -> dict[str, Any]:
    """The profile's fields as JSON-able data, for the audit row (contact details left out)."""
    return {
        "country": profile.country,
        "region": profile.region,
        "sectors": sorted(profile.sectors.values_list("id", flat=True)) if profile.pk else [],
        "products": list(ProfileProduct.objects.filter(profile=profile).values_list("hs_code_id", flat=True))
        if profile.pk
        else [],
        "capacity": [
            str(profile.capacity_volume) if profile.capacity_volume is not None else None,
            profile.capacity_unit,
        ],
        "employees": profile.employees,
        "revenue_band": profile.revenue_band,
        "years_exporting": profile.years_exporting,
        "public": profile.public,
    }


def _replace_certifications(actor: Any, organisation: Organisation, wanted: Sequence[CleanCertification]) -> None:
    """Make the certificates held by `organisation` exactly `wanted` (scheme ids and expiry dates)."""
    from ivcs.standards import selectors as standards
    from ivcs.standards import services as standards_services
    from ivcs.standards.models import HeldCertification

    held = {h.scheme_id: h for h in HeldCertification.objects.filter(organisation=organisation)}
    wanted_ids = {c.standard for c in wanted}
    if actor is None:
        # The operator's command line (import): ivcs.standards.services.set_held requires a user or
        # an API key, so the system path writes the rows here, audited the same way.
        for scheme_id in sorted(set(held) - wanted_ids):
            held[scheme_id].delete()
            data = {"scheme": scheme_id}
            audit.record("standards.certificate_removed", obj=organisation, tenant_id=organisation.tenant_id, data=data)
        for cert in wanted:
            current = held.get(cert.standard)
            if current is not None and current.expires == cert.expires:
                continue
            HeldCertification.objects.update_or_create(
                organisation=organisation, scheme_id=cert.standard, defaults={"expires": cert.expires}
            )
            data = {"scheme": cert.standard}
            audit.record("standards.certificate_saved", obj=organisation, tenant_id=organisation.tenant_id, data=data)
        return
    for scheme_id in sorted(set(held) - wanted_ids):
        standards_services.remove_held(actor=actor, organisation=organisation, scheme_id=scheme_id)
    for cert in wanted:
        current = held.get(cert.standard)
        if current is not None and current.expires == cert.expires:
            continue
        standards_services.set_held(
            actor=actor,
            organisation=organisation,
            scheme=standards.scheme(cert.standard),
            expires=cert.expires,
            reference=current.reference if current is not None else "",
        )


# --- The guided builder's draft ---------------------------------------------------------------------


def profile_from_sentence(text: str, lang: str | None = None) -> dict[str, Any]:
    """A draft profile (not saved) from one sentence such as "Exportamos café tostado de Huila".

    Returns {"profile": {the keys save_profile accepts}, "language", "confidence",
    "nomenclature_loaded"}: the products found (HS codes with their descriptions), the origin
    country, the sectors (of the standards catalogue, from the products' HS codes and the
    sentence's sector), the markets named as destinations, and the sentence as the description.
    """
    from ivcs.products.selectors import MAX_SENTENCE_CHARS, hs_code, understand_sentence
    from ivcs.standards import selectors as standards
    from ivcs.standards.models import Sector

    text = (text or "").strip()[:MAX_SENTENCE_CHARS]
    if not text:
        raise ProfileError("required", _("Describe what your company makes in one sentence."), "text")
    language = lang if lang in ("es", "pt", "en") else None
    understood = understand_sentence(text, lang=language)
    u = understood.understanding
    hs_lang = u.language if u.language in ("es", "pt", "en") else "es"

    products = []
    sectors: list[str] = []
    for hit in u.products:
        code = hs_code(hit.code)
        if code is None:
            continue
        description, _used = code.description(hs_lang)
        products.append({"hs": code.code, "description": description})
        for sector in standards.sectors_for_hs(code.code):
            if sector.parent_id and sector.parent_id not in sectors:
                sectors.append(sector.parent_id)
            if sector.id not in sectors:
                sectors.append(sector.id)
    if u.sector and u.sector not in sectors and Sector.objects.filter(id=u.sector).exists():
        sectors.insert(0, u.sector)

    region = next(
        (
            p.text
            for p in u.places
            if p.kind in ("subdivision", "city") and p.country == u.origin_country and p.role != "destination"
        ),
        "",
    )
    profile: dict[str, Any] = {
        "country": u.origin_country,
        "region": region,
        "sectors": sectors,
        "description": text,
        "description_language": hs_lang,
        "languages": [hs_lang],
        "interest_countries": list(u.destination_countries),
        "products": products,
    }
    return {
        "profile": profile,
        "language": hs_lang,
        "confidence": round(float(u.confidence), 4),
        "nomenclature_loaded": understood.loaded,
    }


# --- Import ----------------------------------------------------------------------------------------

Status = Literal["created", "updated", "refused"]

# CSV columns holding lists (separated by ";") and the profile keys they feed.
LIST_COLUMNS = ("sectors", "hs", "markets_served", "languages", "interest_countries", "interest_buyer_types")
IMPORT_COLUMNS = ("slug", "name", "hs", *sorted(FIELDS - {"products"}))


@dataclass
class RowReport:
    row: int  # 1 = the first record (the first line after the CSV header, the first JSON object)
    slug: str
    status: Status
    reasons: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        reasons = f": {'; '.join(self.reasons)}" if self.reasons else ""
        return f"row {self.row} {self.slug or '-'} {self.status}{reasons}"


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    dry_run: bool = False
    atomic: bool = False
    written: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def refused(self) -> list[RowReport]:
        return [r for r in self.rows if r.status == "refused"]


def read_import_file(path: Path) -> list[dict[str, Any]]:
    """The records of a .csv or .json import file; ProfileError for too large, not UTF-8, malformed."""
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise ProfileError(
            "file_too_large",
            _("The file is %(size)s bytes; the limit is 5 MB. Split it into smaller files.") % {"size": size},
            "file",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(
            "not_utf8",
            _("The file is not UTF-8 text (byte %(position)s). Save it as UTF-8 and try again.")
            % {"position": exc.start},
            "file",
        ) from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError(
                "invalid_json", _("The file is not valid JSON: %(error)s.") % {"error": exc.msg}, "file"
            ) from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ProfileError("invalid_json", _("The JSON file must hold a list of objects."), "file")
        return records
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or "slug" not in reader.fieldnames:
            raise ProfileError("invalid_csv", _("The CSV file needs a header line with a slug column."), "file")
        unknown = sorted(set(reader.fieldnames) - set(IMPORT_COLUMNS))
        if unknown:
            raise ProfileError(
                "invalid_csv", _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}, "file"
            )
        try:
            return [dict(row) for row in reader]
        except csv.Error as exc:
            raise ProfileError(
                "invalid_csv", _("The CSV file is malformed: %(error)s.") % {"error": exc}, "file"
            ) from None
    raise ProfileError("unknown_format", _("Import a .csv or a .json file."), "file")


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _record_to_data(record: dict[str, Any]) -> dict[str, Any]:
    """An import record (CSV cells are strings, JSON values may be lists) as save_profile's dict."""
    data = {k: v for k, v in record.items() if k not in {"slug", "name", "hs"} and k is not None}
    for name in LIST_COLUMNS:
        if name in data:
            data[name] = _split(data[name])
    products = list(data.pop("products", None) or [])
    hs = _split(record.get("hs"))
    if isinstance(hs, list):
        products += [{"hs": str(code)} for code in hs]
    elif hs not in (None, ""):
        products.append({"hs": hs})
    data["products"] = products
    if "certifications" in data:
        # An empty CSV cell (or null) leaves the certificates held as they are; a JSON [] removes them.
        certs = data["certifications"]
        data["certifications"] = None if certs in ("", None) else _split(certs)
    # Empty CSV cells mean "not given".
    return {k: v for k, v in data.items() if v != ""}


@dataclass
class _Planned:
    report: RowReport
    organisation: Organisation | None
    name: str
    clean: CleanProfile


def _plan_row(number: int, record: dict[str, Any], tenant: Tenant, seen: set[str]) -> tuple[RowReport, _Planned | None]:
    raw_slug = record.get("slug")
    slug = raw_slug.strip() if isinstance(raw_slug, str) else ""
    report = RowReport(number, slug, "refused")
    if not slug or slugify(slug) != slug or len(slug) > 60:
        report.reasons.append(_("slug: a slug of lower-case letters, digits and hyphens is required."))
        return report, None
    if slug in seen:
        report.reasons.append(_("slug: this organisation appears twice in the file."))
        return report, None
    seen.add(slug)
    organisation = Organisation._base_manager.filter(slug=slug).first()  # slugs are global
    raw_name = record.get("name")
    name = raw_name.strip() if isinstance(raw_name, str) else ""
    if organisation is not None:
        if organisation.tenant_id != tenant.pk:
            report.reasons.append(_("slug: this slug belongs to an organisation of another site."))
            return report, None
        if organisation.kind != Organisation.Kind.SME:
            report.reasons.append(_("slug: this organisation is not an SME."))
            return report, None
    elif not name:
        report.reasons.append(_("name: required to create the organisation."))
    elif len(name) > 200:
        report.reasons.append(_("name: at most 200 characters."))
    try:
        clean = clean_profile(_record_to_data(record), default_country=organisation.country if organisation else None)
    except ProfileError as exc:
        report.reasons += [str(e) for e in exc.errors]
        return report, None
    if report.reasons:
        return report, None
    report.status = (
        "updated"
        if organisation is not None and Profile.objects.filter(organisation=organisation).exists()
        else "created"
    )
    return report, _Planned(report, organisation, name, clean)


def _apply(planned: _Planned, tenant: Tenant, actor: Any) -> None:
    organisation = planned.organisation
    if organisation is None:
        # The operator's import creates the SME's organisation (no member yet: an owner is added later).
        organisation = Organisation.objects.create(
            tenant=tenant,
            slug=planned.report.slug,
            name=planned.name,
            kind=Organisation.Kind.SME,
            country=planned.clean.country,
        )
        audit.record("organisation.created", actor=actor, obj=organisation, tenant_id=tenant.pk, data={"via": "import"})
    _write(actor, organisation, planned.clean)


def import_profiles(
    rows: Iterable[dict[str, Any]],
    *,
    tenant: Tenant,
    dry_run: bool = False,
    atomic: bool = False,
    actor: Any = None,
) -> ImportReport:
    """Create or update SME profiles (and their organisations when missing) on `tenant`.

    Each record is checked whole; a refused record writes nothing and its reasons are reported.
    Without `atomic` the valid records are written, each in its own transaction; with `atomic` any
    refusal writes nothing at all. `dry_run` checks and reports, writing nothing. `actor` None is
    the operator's command line; otherwise it must be allowed to edit every organisation touched.
    """
    report = ImportReport(dry_run=dry_run, atomic=atomic)
    with scope(tenant=tenant):
        seen: set[str] = set()
        plans: list[_Planned] = []
        for number, record in enumerate(rows, start=1):
            if not isinstance(record, dict):
                report.rows.append(RowReport(number, "", "refused", [_("The record is not an object.")]))
                continue
            row_report, planned = _plan_row(number, record, tenant, seen)
            report.rows.append(row_report)
            if planned is not None:
                if actor is not None and planned.organisation is None:
                    row_report.status = "refused"
                    row_report.reasons.append(_("slug: no such organisation (only operators create them)."))
                    continue
                if actor is not None and planned.organisation is not None:
                    try:
                        require(actor, Perm.EDIT_ORG, planned.organisation)
                    except PermissionDenied:
                        row_report.status = "refused"
                        row_report.reasons.append(_("You are not allowed to edit this organisation."))
                        continue
                plans.append(planned)
        if dry_run or not plans or (atomic and report.refused):
            return report
        if atomic:
            with transaction.atomic():
                for planned in plans:
                    _apply(planned, tenant, actor)
        else:
            for planned in plans:
                try:
                    with transaction.atomic():
                        _apply(planned, tenant, actor)
                except ProfileError as exc:
                    planned.report.status = "refused"
                    planned.report.reasons += [str(e) for e in exc.errors]
                except (IntegrityError, DjangoValidationError) as exc:  # checks only the database makes
                    planned.report.status = "refused"
                    planned.report.reasons.append(str(exc))
        report.written = True
    return report
