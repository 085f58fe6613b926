"""The only writers of the standards domain: the catalogue import, certificates held, proposals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ivcs.accounts.models import Organisation, User
from ivcs.core import audit
from ivcs.standards import dataformat as df
from ivcs.standards.models import (
    Buyer,
    Certifier,
    CertifierUpdate,
    CostEstimate,
    Course,
    Equivalence,
    HeldCertification,
    Office,
    Programme,
    Recognition,
    Requirement,
    RequirementSet,
    Scheme,
    Sector,
)


def default_folder() -> Path:
    return Path(settings.BASE_DIR) / "data" / "standards"


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)  # file -> records accepted
    refused: list[df.Refusal] = field(default_factory=list)
    written: bool = False


def _provenance(record: Any, fallback_checked: date | None = None) -> dict[str, Any]:
    return {
        "sources": [s.model_dump(exclude_none=True) for s in record.sources],
        "checked": record.checked or fallback_checked,
        "verified": record.verified,
        "unverified": list(record.unverified),
        "note": record.note or "",
    }


def _texts(texts: df.Texts | None) -> dict[str, str]:
    return texts.model_dump(exclude_none=True) if texts else {}


def import_catalogue(folder: Path | None = None, *, dry_run: bool = False) -> ImportReport:
    """Validate data/standards and, when every record is valid and not `dry_run`, write it.

    Records are matched by id and updated in place (ids never change); a scheme's recognitions, a
    certifier's offices, a buyer's requirement sets and the cost estimates of a scheme are replaced
    by what the files say. Records an operator added in the admin under other ids are left alone.
    Nothing is written when any record is refused: the report says which and why.
    """
    cat = df.read_catalogue(folder or default_folder())
    report = ImportReport(counts={name: len(rows) for name, rows in cat.records.items()}, refused=cat.refused)
    if cat.refused or dry_run:
        return report
    with transaction.atomic():
        _write(cat)
    report.written = True
    return report


def _write(cat: df.Catalogue) -> None:
    rows = {name: [r for _, r in records] for name, records in cat.records.items()}

    # Parents first, so that subsectors can point at them.
    for position, s in enumerate(sorted(rows["sectors"], key=lambda r: r.parent is not None)):
        Sector.objects.update_or_create(
            id=s.id,
            defaults={
                "parent_id": s.parent,
                "name": _texts(s.name),
                "hs": list(s.hs),
                "position": position,
                **_provenance(s),
            },
        )

    for sch in rows["schemes"]:
        scheme, _created = Scheme.objects.update_or_create(
            id=sch.id,
            defaults={
                "name": sch.name,
                "short_name": sch.short_name or "",
                "owner": sch.owner,
                "kind": sch.kind,
                "hs": list(sch.hs),
                "scope": _texts(sch.scope),
                "description": _texts(sch.description),
                "scheme_version": sch.scheme_version or "",
                "validity_months": sch.validity_months,
                "audit_cycle": _texts(sch.audit_cycle),
                "levels": [str(level) for level in sch.levels],
                "site": sch.site or "",
                **_provenance(sch),
            },
        )
        scheme.sectors.set(sch.sectors)
        scheme.recognitions.all().delete()
        Recognition.objects.bulk_create(
            Recognition(scheme=scheme, by=r.by, scope=r.scope or "", **_provenance(r, sch.checked))
            for r in sch.recognitions
        )

    Equivalence.objects.filter(scheme_id__in=[e.scheme for e in rows["equivalences"]]).delete()
    Equivalence.objects.bulk_create(
        Equivalence(scheme_id=e.scheme, other_id=e.other, relation=e.relation, **_provenance(e))
        for e in rows["equivalences"]
    )

    for c in rows["certifiers"]:
        certifier, _created = Certifier.objects.update_or_create(
            id=c.id,
            defaults={"name": c.name, "site": c.site or "", "accreditation": _texts(c.accreditation), **_provenance(c)},
        )
        certifier.schemes.set(c.schemes)
        certifier.offices.all().delete()
        Office.objects.bulk_create(
            Office(
                certifier=certifier,
                country=o.country,
                city=o.city or "",
                address=o.address or "",
                phone=o.phone or "",
                email=o.email or "",
                url=o.url or "",
                **_provenance(o, c.checked),
            )
            for o in c.offices
        )

    CostEstimate.objects.filter(scheme_id__in={c.scheme for c in rows["costs"]}).delete()
    CostEstimate.objects.bulk_create(
        CostEstimate(
            scheme_id=c.scheme,
            country=c.country,
            currency=c.currency,
            total_min=c.total.min,
            total_max=c.total.max,
            parts=[p.model_dump(mode="json", exclude_none=True) for p in c.parts],
            months_min=c.duration_months.min if c.duration_months else None,
            months_max=c.duration_months.max if c.duration_months else None,
            basis=_texts(c.basis),
            **_provenance(c),
        )
        for c in rows["costs"]
    )

    for p in rows["programmes"]:
        programme, _created = Programme.objects.update_or_create(
            id=p.id,
            defaults={
                "country": p.country,
                "name": p.name,
                "institution": p.institution,
                "instrument": p.instrument,
                "purposes": list(p.purposes),
                "eligibility": _texts(p.eligibility),
                "coverage_percent": p.coverage_percent,
                "maximum_amount": p.maximum.amount if p.maximum else None,
                "maximum_currency": p.maximum.currency if p.maximum else "",
                "url": p.url or "",
                "active": p.active,
                **_provenance(p),
            },
        )
        programme.schemes.set(p.schemes)

    for course in rows["courses"]:
        Course.objects.update_or_create(
            id=course.id,
            defaults={
                "scheme_id": course.scheme,
                "title": course.title,
                "provider": course.provider,
                "kind": course.kind,
                "languages": list(course.languages),
                "cost": course.cost,
                "url": course.url or "",
                **_provenance(course),
            },
        )

    for b in rows["buyers"]:
        buyer, _created = Buyer.objects.update_or_create(
            id=b.id, defaults={"name": b.name, "demo": b.demo, **_provenance(b)}
        )
        buyer.sectors.set(b.sectors)
        buyer.requirement_sets.exclude(id__in=[s.id for s in b.requirement_sets]).delete()
        for s in b.requirement_sets:
            req_set, _created = RequirementSet.objects.update_or_create(
                id=s.id, defaults={"buyer": buyer, "title": _texts(s.title), "hs": list(s.hs), **_provenance(s)}
            )
            _replace_requirements(req_set, s.requirements)


def _replace_requirements(req_set: RequirementSet, requirements: Iterable[df.RequirementRecord]) -> None:
    req_set.requirements.all().delete()
    for position, r in enumerate(requirements):
        requirement = Requirement.objects.create(
            requirement_set=req_set,
            level=r.level,
            recognised_by=r.recognised_by or "",
            note=_texts(r.note),
            position=position,
        )
        requirement.schemes.set(Scheme.objects.filter(id__in=r.options))


# --- Buyers edit their own requirement sets ------------------------------------------------------


class StandardsError(Exception):
    """A request the domain refuses; `field` names the input it concerns."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def save_requirement_set(
    *,
    actor: User,
    buyer: Buyer,
    set_id: str | None,
    title: str,
    language: str,
    hs: list[str],
    requirements: list[dict[str, Any]],
) -> RequirementSet:
    """Create or replace one of a buyer's requirement sets (the buyer organisation's editors only).

    `requirements`: [{"schemes": [ids], "recognised_by": "gfsi" | "", "level": "mandatory" | "preferred"}].
    """
    from ivcs.engines.standards.hsranges import HsRangeError, parse_range
    from ivcs.standards.permissions import require_edit_buyer

    require_edit_buyer(actor, buyer)
    if not title.strip():
        raise StandardsError("invalid", _("Give the requirement set a title."), "title")
    try:
        ranges = [str(parse_range(code)) for code in hs if code.strip()]
    except HsRangeError as exc:
        raise StandardsError("invalid", str(exc), "hs") from exc
    known = set(Scheme.objects.values_list("id", flat=True))
    cleaned = []
    for i, r in enumerate(requirements):
        schemes = [s for s in r.get("schemes", []) if s]
        unknown = [s for s in schemes if s not in known]
        if unknown:
            raise StandardsError(
                "unknown_scheme", _("Unknown scheme: %(id)s") % {"id": unknown[0]}, f"requirements.{i}"
            )
        if not schemes and not r.get("recognised_by"):
            continue
        if r.get("level") not in {"mandatory", "preferred"}:
            raise StandardsError("invalid", _("Choose mandatory or preferred."), f"requirements.{i}.level")
        cleaned.append({**r, "schemes": schemes})
    if not cleaned:
        raise StandardsError("invalid", _("Add at least one required scheme."), "requirements")
    with transaction.atomic():
        if set_id:
            req_set = RequirementSet.objects.select_for_update().get(id=set_id, buyer=buyer)
            titles = dict(req_set.title)
        else:
            base = f"{buyer.id}_{timezone.now():%Y%m%d%H%M%S}"
            req_set = RequirementSet(id=base[:80], buyer=buyer, checked=timezone.localdate())
            titles = {}
        titles[language[:2]] = title.strip()
        titles.setdefault("en", title.strip())
        req_set.title = titles
        req_set.hs = ranges
        req_set.checked = timezone.localdate()
        req_set.verified = "yes"
        req_set.sources = [{"url": "", "title": f"Published by {buyer.name} on IVCS"}]
        req_set.unverified = []
        req_set.save()
        req_set.requirements.all().delete()
        for position, r in enumerate(cleaned):
            requirement = Requirement.objects.create(
                requirement_set=req_set, level=r["level"], recognised_by=r.get("recognised_by") or "", position=position
            )
            requirement.schemes.set(r["schemes"])
        audit.record("standards.requirement_set_saved", actor=actor, obj=req_set, data={"buyer": buyer.id})
    return req_set


# --- Certificates an organisation holds ----------------------------------------------------------


def set_held(
    *, actor: User, organisation: Organisation, scheme: Scheme, expires: date | None, reference: str = ""
) -> HeldCertification:
    from ivcs.accounts.permissions import Perm, require

    require(actor, Perm.EDIT_ORG, organisation)
    held, _created = HeldCertification.objects.update_or_create(
        organisation=organisation, scheme=scheme, defaults={"expires": expires, "reference": reference[:100]}
    )
    audit.record("standards.certificate_saved", actor=actor, obj=organisation, data={"scheme": scheme.id})
    return held


def remove_held(*, actor: User, organisation: Organisation, scheme_id: str) -> None:
    from ivcs.accounts.permissions import Perm, require

    require(actor, Perm.EDIT_ORG, organisation)
    HeldCertification.objects.filter(organisation=organisation, scheme_id=scheme_id).delete()
    audit.record("standards.certificate_removed", actor=actor, obj=organisation, data={"scheme": scheme_id})


# --- Certifiers propose their own contact data; operators review ---------------------------------

PROPOSABLE_OFFICE_FIELDS = ("country", "city", "address", "phone", "email", "url")


def propose_certifier_update(*, actor: User, certifier: Certifier, data: dict[str, Any]) -> CertifierUpdate:
    from ivcs.standards.permissions import require_propose_certifier

    organisation = require_propose_certifier(actor, certifier)
    offices = []
    for office in data.get("offices", []):
        clean = {k: str(office.get(k, "")).strip()[:300] for k in PROPOSABLE_OFFICE_FIELDS}
        if clean["country"]:
            offices.append(clean)
    proposal = CertifierUpdate.objects.create(
        certifier=certifier,
        organisation=organisation,
        proposed_by=actor,
        data={"site": str(data.get("site", "")).strip()[:500], "offices": offices},
    )
    audit.record("standards.certifier_update_proposed", actor=actor, obj=proposal, data={"certifier": certifier.id})
    return proposal


@transaction.atomic
def review_certifier_update(*, actor: User, proposal: CertifierUpdate, approve: bool, note: str = "") -> None:
    """Approve (the offices are replaced by the proposal, marked as given by the certifier) or reject."""
    if not (actor.is_superuser or actor.has_perm("standards.change_certifier")):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("only operators review certifier updates")
    if proposal.status != CertifierUpdate.Status.PENDING:
        raise StandardsError("already_reviewed", _("This proposal was already reviewed."))
    proposal.status = CertifierUpdate.Status.APPROVED if approve else CertifierUpdate.Status.REJECTED
    proposal.reviewed_by = actor
    proposal.reviewed_at = timezone.now()
    proposal.review_note = note
    proposal.save()
    if approve:
        certifier = proposal.certifier
        today = timezone.localdate()
        given = {"url": "", "title": f"Given by {certifier.name} on IVCS, reviewed {today.isoformat()}"}
        if proposal.data.get("site"):
            certifier.site = proposal.data["site"]
            certifier.save(update_fields=["site", "updated_at"])
        if proposal.data.get("offices"):
            certifier.offices.all().delete()
            Office.objects.bulk_create(
                Office(certifier=certifier, checked=today, verified="yes", sources=[given], **office)
                for office in proposal.data["offices"]
            )
    audit.record("standards.certifier_update_reviewed", actor=actor, obj=proposal, data={"approved": approve})
