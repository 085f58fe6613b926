"""Writes of the opportunities domain: the only code that changes opportunities and engagements.

Each service checks permission (ivcs.accounts.permissions), validates its whole input before it
writes anything (all or nothing), runs in one transaction, records an audit row and appends outbox
events ("opportunity.published", "opportunity.changed", "engagement.changed") in that transaction.

Who may do what:
- A buyer organisation's owners and editors (or its API key with org:write) create, edit, publish,
  close and award its opportunities, and answer the SMEs that expressed interest.
- An SME organisation's owners and editors save, dismiss or express interest in an open opportunity
  (published, deadline today or later).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ivcs.accounts.models import Organisation, User
from ivcs.accounts.permissions import Perm, require
from ivcs.core import audit, outbox
from ivcs.core.i18n import is_country_code
from ivcs.engines.text import detect_language, fold
from ivcs.opportunities.models import (
    DESCRIPTION_MAX,
    INCOTERMS,
    MESSAGE_MAX,
    SHORT_TEXT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Engagement,
    Frequency,
    Language,
    Opportunity,
    OpportunityProduct,
    OpportunityRequirement,
    OpportunityRevision,
    Unit,
)
from ivcs.products.models import HsCode
from ivcs.standards.models import Recognition, Scheme

OPPORTUNITY_PUBLISHED = "opportunity.published"
OPPORTUNITY_CHANGED = "opportunity.changed"
ENGAGEMENT_CHANGED = "engagement.changed"

MAX_PRODUCTS = 50
MAX_REQUIREMENTS = 20
MAX_COUNTRIES = 250
MAX_QUANTITY = Decimal("1e15")

SCALAR_FIELDS = (
    "title",
    "description",
    "language",
    "services_allowed",
    "quantity",
    "unit",
    "frequency",
    "delivery_country",
    "delivery_place",
    "incoterm",
    "eligible_countries",
    "other_requirements",
    "deadline",
    "contact_method",
)
EDITABLE_FIELDS = frozenset({*SCALAR_FIELDS, "products", "requirements"})
CREATE_ONLY_FIELDS = frozenset({"is_demo"})
TEXT_LIMITS = {
    "title": TITLE_MAX,
    "description": DESCRIPTION_MAX,
    "delivery_place": SHORT_TEXT_MAX,
    "other_requirements": TEXT_MAX,
    "contact_method": SHORT_TEXT_MAX,
}


@dataclass(frozen=True)
class FieldError:
    code: str
    message: str
    field: str | None = None
    value: Any = None


class OpportunityError(Exception):
    """A request the domain refuses: `code`, a message for the user and the `field` it concerns.

    Validation collects every bad field at once: `errors` lists them all (the first is also the
    exception's own code, message and field). An error without a field is a state conflict (an
    opportunity that is not open any more, a transition that does not apply).
    """

    def __init__(
        self,
        code: str,
        message: str,
        field: str | None = None,
        *,
        value: Any = None,
        errors: Sequence[FieldError] | None = None,
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.field, self.value = code, message, field, value
        self.errors: list[FieldError] = list(errors) if errors else [FieldError(code, message, field, value)]

    @classmethod
    def of(cls, errors: Sequence[FieldError]) -> OpportunityError:
        first = errors[0]
        return cls(first.code, first.message, first.field, value=first.value, errors=errors)


# --- Validation -----------------------------------------------------------------------------------


@dataclass
class _Cleaned:
    scalars: dict[str, Any] = field(default_factory=dict)
    products: list[tuple[str | None, str]] | None = None  # (hs code, text)
    requirements: list[tuple[list[str], str, str]] | None = None  # (scheme ids, recognised_by, level)
    is_demo: bool | None = None


def normalise_hs(value: str) -> str | None:
    """'0901.21' -> '090121'; None unless 2, 4 or 6 digits."""
    digits = str(value).replace(".", "").replace(" ", "").strip()
    return digits if digits.isdigit() and len(digits) in (2, 4, 6) else None


def _text(value: Any, name: str, errors: list[FieldError]) -> str:
    text = "" if value is None else str(value).strip()
    limit = TEXT_LIMITS.get(name, SHORT_TEXT_MAX)
    if len(text) > limit:
        errors.append(
            FieldError(
                "too_long",
                _("At most %(limit)s characters (this has %(count)s).") % {"limit": limit, "count": len(text)},
                name,
            )
        )
    return text


def _choice(value: Any, name: str, allowed: Sequence[str], errors: list[FieldError], *, blank: bool) -> str:
    text = "" if value is None else str(value).strip()
    if name == "incoterm":
        text = text.upper()
    if (text == "" and blank) or text in allowed:
        return text
    errors.append(
        FieldError(
            "invalid_choice",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)},
            name,
            value,
        )
    )
    return text


def _country(value: Any, name: str, errors: list[FieldError], *, blank: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if text == "" and blank:
        return ""
    if not is_country_code(text):
        errors.append(
            FieldError(
                "unknown_country", _("Not an ISO 3166-1 country code: %(value)s") % {"value": value}, name, value
            )
        )
        return text
    return text.upper()


def _quantity(value: Any, errors: list[FieldError]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.append(FieldError("invalid", _("Give the quantity as a number."), "quantity", value))
        return None
    if not quantity.is_finite() or quantity <= 0:
        errors.append(FieldError("not_positive", _("The quantity must be more than zero."), "quantity", value))
        return None
    if quantity >= MAX_QUANTITY or quantity != quantity.quantize(Decimal("0.001")):
        errors.append(
            FieldError("out_of_range", _("The quantity is too large or has more than 3 decimals."), "quantity", value)
        )
        return None
    return quantity


def _deadline(value: Any, today: dt.date, errors: list[FieldError]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            errors.append(FieldError("invalid", _("Give the deadline as a date (YYYY-MM-DD)."), "deadline", value))
            return None
    if value < today:
        errors.append(FieldError("deadline_past", _("The deadline has already passed."), "deadline", value.isoformat()))
    return value


def _products(value: Any, errors: list[FieldError]) -> list[tuple[str | None, str]]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        errors.append(FieldError("invalid", _("Give a list of products."), "products"))
        return []
    if len(value) > MAX_PRODUCTS:
        errors.append(FieldError("too_many", _("At most %(limit)s products.") % {"limit": MAX_PRODUCTS}, "products"))
        return []
    wanted: list[tuple[str | None, str, Any]] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            errors.append(FieldError("invalid", _("Give each product as {hs, text}."), f"products.{i}"))
            continue
        unknown = set(item) - {"hs", "text"}
        if unknown:
            errors.append(
                FieldError(
                    "unknown_field", _("Unknown field: %(name)s") % {"name": sorted(unknown)[0]}, f"products.{i}"
                )
            )
        raw_hs = item.get("hs")
        code = None
        if raw_hs not in (None, ""):
            code = normalise_hs(str(raw_hs))
            if code is None:
                errors.append(
                    FieldError(
                        "invalid_hs_code",
                        _("An HS code has 2, 4 or 6 digits, e.g. 0901 or 0901.21."),
                        f"products.{i}.hs",
                        raw_hs,
                    )
                )
                continue
        text = "" if item.get("text") is None else str(item.get("text")).strip()
        if len(text) > SHORT_TEXT_MAX:
            errors.append(
                FieldError(
                    "too_long",
                    _("At most %(limit)s characters (this has %(count)s).")
                    % {"limit": SHORT_TEXT_MAX, "count": len(text)},
                    f"products.{i}.text",
                )
            )
        if code is None and not text:
            errors.append(FieldError("required", _("Give an HS code or describe the product."), f"products.{i}"))
        wanted.append((code, text, raw_hs))
    known = set(HsCode.objects.filter(code__in=[c for c, _t, _r in wanted if c]).values_list("code", flat=True))
    for i, (code, _unused, raw) in enumerate(wanted):
        if code and code not in known:
            errors.append(
                FieldError("unknown_hs_code", _("Unknown HS code: %(value)s") % {"value": raw}, f"products.{i}.hs", raw)
            )
    return [(code, text) for code, text, _raw in wanted]


def _requirements(value: Any, errors: list[FieldError]) -> list[tuple[list[str], str, str]]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        errors.append(FieldError("invalid", _("Give a list of requirements."), "requirements"))
        return []
    if len(value) > MAX_REQUIREMENTS:
        errors.append(
            FieldError("too_many", _("At most %(limit)s requirements.") % {"limit": MAX_REQUIREMENTS}, "requirements")
        )
        return []
    known = set(Scheme.objects.values_list("id", flat=True))
    bodies = set(Recognition.objects.values_list("by", flat=True))
    out: list[tuple[list[str], str, str]] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            errors.append(
                FieldError(
                    "invalid", _("Give each requirement as {schemes, recognised_by, level}."), f"requirements.{i}"
                )
            )
            continue
        unknown_keys = set(item) - {"schemes", "recognised_by", "level"}
        if unknown_keys:
            errors.append(
                FieldError(
                    "unknown_field",
                    _("Unknown field: %(name)s") % {"name": sorted(unknown_keys)[0]},
                    f"requirements.{i}",
                )
            )
        schemes = item.get("schemes") or []
        if not isinstance(schemes, (list, tuple)):
            errors.append(FieldError("invalid", _("Give a list of scheme ids."), f"requirements.{i}.schemes"))
            schemes = []
        schemes = [str(s).strip() for s in schemes if str(s).strip()]
        for scheme_id in schemes:
            if scheme_id not in known:
                errors.append(
                    FieldError(
                        "unknown_scheme",
                        _("Unknown certification scheme: %(value)s") % {"value": scheme_id},
                        f"requirements.{i}.schemes",
                        scheme_id,
                    )
                )
        recognised_by = str(item.get("recognised_by") or "").strip().lower()
        if recognised_by and recognised_by not in bodies:
            errors.append(
                FieldError(
                    "unknown_recognition",
                    _("No scheme is recognised by %(value)s.") % {"value": recognised_by},
                    f"requirements.{i}.recognised_by",
                    recognised_by,
                )
            )
        if not schemes and not recognised_by:
            errors.append(
                FieldError(
                    "required",
                    _("Name at least one scheme, or a body whose recognised schemes you accept."),
                    f"requirements.{i}",
                )
            )
        level = str(item.get("level") or OpportunityRequirement.Level.MANDATORY)
        if level not in OpportunityRequirement.Level.values:
            errors.append(
                FieldError(
                    "invalid_choice",
                    _("Choose one of: %(choices)s.") % {"choices": ", ".join(OpportunityRequirement.Level.values)},
                    f"requirements.{i}.level",
                    level,
                )
            )
        out.append((sorted(set(schemes)), recognised_by, level))
    return out


def _clean(data: Mapping[str, Any], *, creating: bool, today: dt.date) -> _Cleaned:
    errors: list[FieldError] = []
    allowed = EDITABLE_FIELDS | (CREATE_ONLY_FIELDS if creating else frozenset())
    for name in sorted(set(data) - allowed):
        errors.append(FieldError("not_editable", _("This field cannot be set: %(name)s") % {"name": name}, name))
    cleaned = _Cleaned()
    s = cleaned.scalars
    for name in ("title", "description", "delivery_place", "other_requirements", "contact_method"):
        if name in data:
            s[name] = _text(data[name], name, errors)
    if "language" in data:
        s["language"] = _choice(data["language"], "language", Language.values, errors, blank=False)
    if "services_allowed" in data:
        if not isinstance(data["services_allowed"], bool):
            errors.append(
                FieldError("invalid", _("Answer true or false."), "services_allowed", data["services_allowed"])
            )
        s["services_allowed"] = bool(data["services_allowed"])
    if "quantity" in data:
        s["quantity"] = _quantity(data["quantity"], errors)
    if "unit" in data:
        s["unit"] = _choice(data["unit"], "unit", Unit.values, errors, blank=True)
    if "frequency" in data:
        s["frequency"] = _choice(data["frequency"], "frequency", Frequency.values, errors, blank=False)
    if "delivery_country" in data:
        s["delivery_country"] = _country(data["delivery_country"], "delivery_country", errors)
    if "incoterm" in data:
        s["incoterm"] = _choice(data["incoterm"], "incoterm", INCOTERMS, errors, blank=True)
    if "eligible_countries" in data:
        raw = data["eligible_countries"] or []
        if not isinstance(raw, (list, tuple)) or len(raw) > MAX_COUNTRIES:
            errors.append(FieldError("invalid", _("Give a list of country codes."), "eligible_countries"))
            raw = []
        countries = [_country(c, f"eligible_countries.{i}", errors, blank=False) for i, c in enumerate(raw)]
        s["eligible_countries"] = sorted(set(countries))
    if "deadline" in data:
        s["deadline"] = _deadline(data["deadline"], today, errors)
    if "products" in data:
        cleaned.products = _products(data["products"], errors)
    if "requirements" in data:
        cleaned.requirements = _requirements(data["requirements"], errors)
    if "is_demo" in data:
        cleaned.is_demo = bool(data["is_demo"])
    if errors:
        raise OpportunityError.of(errors)
    return cleaned


def _check_quantity(quantity: Decimal | None, unit: str) -> None:
    if quantity is not None and not unit:
        raise OpportunityError("required", _("Say in which unit the quantity is."), "unit")


# --- Snapshots, search text, events ---------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def snapshot(opportunity: Opportunity) -> dict[str, Any]:
    """The editable state of an opportunity as JSON-able values (what revisions compare)."""
    state = {name: _jsonable(getattr(opportunity, name)) for name in SCALAR_FIELDS}
    state["products"] = [
        {"hs": p.hs_code_id, "text": p.text} for p in OpportunityProduct.objects.filter(opportunity=opportunity)
    ]
    state["requirements"] = [
        {
            "schemes": sorted(s.pk for s in r.schemes.all()),
            "recognised_by": r.recognised_by,
            "level": r.level,
        }
        for r in OpportunityRequirement.objects.filter(opportunity=opportunity).prefetch_related("schemes")
    ]
    return state


def _reindex(opportunity: Opportunity, products: Sequence[tuple[str | None, str]]) -> None:
    texts = [opportunity.title, opportunity.description, *(text for _code, text in products)]
    opportunity.search_text = fold(" ".join(t for t in texts if t))
    countries = opportunity.eligible_countries or []
    opportunity.eligible_index = f"|{'|'.join(countries)}|" if countries else ""


def _write_products(opportunity: Opportunity, products: Sequence[tuple[str | None, str]]) -> None:
    OpportunityProduct.objects.filter(opportunity=opportunity).delete()
    OpportunityProduct.objects.bulk_create(
        OpportunityProduct(opportunity=opportunity, hs_code_id=code, text=text, position=i)
        for i, (code, text) in enumerate(products)
    )


def _write_requirements(opportunity: Opportunity, requirements: Sequence[tuple[list[str], str, str]]) -> None:
    OpportunityRequirement.objects.filter(opportunity=opportunity).delete()
    for i, (schemes, recognised_by, level) in enumerate(requirements):
        requirement = OpportunityRequirement.objects.create(
            opportunity=opportunity, recognised_by=recognised_by, level=level, position=i
        )
        if schemes:
            requirement.schemes.set(Scheme.objects.filter(pk__in=schemes))


def _event(topic: str, opportunity: Opportunity, **extra: Any) -> None:
    payload = {"opportunity_id": opportunity.pk, "status": opportunity.status, **extra}
    outbox.append(topic, payload, tenant_id=_tenant_id(opportunity))


def _tenant_id(opportunity: Opportunity) -> int:
    return int(opportunity.buyer.tenant_id)


def _user(actor: Any) -> User | None:
    if isinstance(actor, User):
        return actor
    created_by = getattr(actor, "created_by", None)  # an API key acts for the person who made it
    return created_by if isinstance(created_by, User) else None


# --- Buyers: create, edit, publish, close, award --------------------------------------------------


def _require_buyer_editor(actor: Any, buyer: Organisation) -> None:
    require(actor, Perm.EDIT_ORG, buyer)


def create_opportunity(
    actor: Any, buyer: Organisation, data: Mapping[str, Any], *, today: dt.date | None = None
) -> Opportunity:
    """A draft opportunity of `buyer` from `data` (the fields of EDITABLE_FIELDS, all optional)."""
    _require_buyer_editor(actor, buyer)
    if buyer.kind != Organisation.Kind.BUYER:
        raise OpportunityError(
            "not_a_buyer", _("Only buyer organisations publish purchasing opportunities."), "buyer", value=buyer.slug
        )
    today = today or timezone.localdate()
    cleaned = _clean(data, creating=True, today=today)
    values = cleaned.scalars
    _check_quantity(values.get("quantity"), values.get("unit", ""))
    if "language" not in values:
        values["language"] = detect_language(f"{values.get('title', '')} {values.get('description', '')}", "es")
    products = cleaned.products or []
    with transaction.atomic():
        opportunity = Opportunity(buyer=buyer, created_by=_user(actor), is_demo=bool(cleaned.is_demo), **values)
        _reindex(opportunity, products)
        opportunity.save()
        _write_products(opportunity, products)
        _write_requirements(opportunity, cleaned.requirements or [])
        audit.record(
            "opportunity.created", actor=actor, obj=opportunity, tenant_id=buyer.tenant_id, data={"buyer": buyer.slug}
        )
        _event(OPPORTUNITY_CHANGED, opportunity, change="created")
    return opportunity


def update_opportunity(
    actor: Any, opportunity: Opportunity, changes: Mapping[str, Any], *, today: dt.date | None = None
) -> Opportunity:
    """Apply `changes` to a draft or published opportunity; an edit of a published one is kept as
    an OpportunityRevision and announced as "opportunity.changed"."""
    _require_buyer_editor(actor, opportunity.buyer)
    if opportunity.status not in (Opportunity.Status.DRAFT, Opportunity.Status.PUBLISHED):
        raise OpportunityError("not_editable", _("A closed or awarded opportunity cannot be changed any more."))
    today = today or timezone.localdate()
    cleaned = _clean(changes, creating=False, today=today)
    values = cleaned.scalars
    _check_quantity(
        values.get("quantity", opportunity.quantity),
        values.get("unit", opportunity.unit),
    )
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().select_related("buyer").get(pk=opportunity.pk)
        if locked.status not in (Opportunity.Status.DRAFT, Opportunity.Status.PUBLISHED):
            raise OpportunityError("not_editable", _("A closed or awarded opportunity cannot be changed any more."))
        before = snapshot(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        if cleaned.products is not None:
            _write_products(locked, cleaned.products)
        if cleaned.requirements is not None:
            _write_requirements(locked, cleaned.requirements)
        if locked.status == Opportunity.Status.PUBLISHED:
            errors = _unpublishable(locked, None)
            if errors:  # a published opportunity keeps what publishing needed (rolls the edit back)
                raise OpportunityError.of(errors)
        products = [(p.hs_code_id, p.text) for p in OpportunityProduct.objects.filter(opportunity=locked)]
        _reindex(locked, products)
        locked.save()
        after = snapshot(locked)
        diff = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        if diff:
            if locked.status == Opportunity.Status.PUBLISHED:
                OpportunityRevision.objects.create(
                    opportunity=locked, changed_by=_user(actor), changed_by_label=str(actor)[:200], changes=diff
                )
            _event(OPPORTUNITY_CHANGED, locked, change="edited", fields=sorted(diff))
            audit.record(
                "opportunity.updated",
                actor=actor,
                obj=locked,
                tenant_id=locked.buyer.tenant_id,
                data={"changes": diff},
            )
    return locked


def _unpublishable(opportunity: Opportunity, today: dt.date | None) -> list[FieldError]:
    """What keeps an opportunity from being (or staying) published; `today` None skips the check
    that the deadline is not past (an edit that keeps an old deadline is no reason to refuse)."""
    errors: list[FieldError] = []
    if not opportunity.title.strip():
        errors.append(FieldError("required", _("Give the opportunity a title."), "title"))
    if not opportunity.services_allowed and not OpportunityProduct.objects.filter(opportunity=opportunity).exists():
        errors.append(
            FieldError("required", _("Name at least one product, or say that services are welcome."), "products")
        )
    if opportunity.deadline is None:
        errors.append(FieldError("required", _("Set a deadline."), "deadline"))
    elif today is not None and opportunity.deadline < today:
        errors.append(
            FieldError(
                "deadline_past", _("The deadline has already passed."), "deadline", opportunity.deadline.isoformat()
            )
        )
    return errors


def publish_opportunity(actor: Any, opportunity: Opportunity, *, today: dt.date | None = None) -> Opportunity:
    """draft -> published. Needs a title, at least one product (or services allowed) and a
    deadline today or later."""
    _require_buyer_editor(actor, opportunity.buyer)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().select_related("buyer").get(pk=opportunity.pk)
        if locked.status != Opportunity.Status.DRAFT:
            raise OpportunityError("invalid_transition", _("Only a draft can be published."))
        errors = _unpublishable(locked, today)
        if errors:
            raise OpportunityError.of(errors)
        locked.status = Opportunity.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        audit.record("opportunity.published", actor=actor, obj=locked, tenant_id=locked.buyer.tenant_id)
        _event(OPPORTUNITY_PUBLISHED, locked)
    return locked


def _finish(actor: Any, opportunity: Opportunity, *, to: str, allowed_from: set[str], message: str) -> Opportunity:
    _require_buyer_editor(actor, opportunity.buyer)
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().select_related("buyer").get(pk=opportunity.pk)
        if locked.status not in allowed_from:
            raise OpportunityError("invalid_transition", message)
        previous = locked.status
        locked.status = to
        locked.closed_at = locked.closed_at or timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        audit.record(
            f"opportunity.{to}", actor=actor, obj=locked, tenant_id=locked.buyer.tenant_id, data={"from": previous}
        )
        _event(OPPORTUNITY_CHANGED, locked, change=to)
    return locked


def close_opportunity(actor: Any, opportunity: Opportunity) -> Opportunity:
    """published -> closed: no more interest is taken."""
    return _finish(
        actor,
        opportunity,
        to=Opportunity.Status.CLOSED,
        allowed_from={Opportunity.Status.PUBLISHED},
        message=_("Only a published opportunity can be closed."),
    )


def award_opportunity(actor: Any, opportunity: Opportunity) -> Opportunity:
    """published or closed -> awarded."""
    return _finish(
        actor,
        opportunity,
        to=Opportunity.Status.AWARDED,
        allowed_from={Opportunity.Status.PUBLISHED, Opportunity.Status.CLOSED},
        message=_("Only a published or closed opportunity can be awarded."),
    )


# --- SMEs: save, dismiss, express interest --------------------------------------------------------


def is_open(opportunity: Opportunity, today: dt.date | None = None) -> bool:
    """Published and its deadline not past (an opportunity without a deadline cannot be published)."""
    today = today or timezone.localdate()
    return opportunity.status == Opportunity.Status.PUBLISHED and (
        opportunity.deadline is None or opportunity.deadline >= today
    )


def _engagement_event(engagement: Engagement, by: str) -> None:
    outbox.append(
        ENGAGEMENT_CHANGED,
        {
            "engagement_id": engagement.pk,
            "opportunity_id": engagement.opportunity_id,
            "organisation_id": engagement.organisation_id,
            "state": engagement.state,
            "buyer_status": engagement.buyer_status,
            "by": by,
        },
        tenant_id=engagement.organisation.tenant_id,
    )


def engage(
    actor: Any,
    organisation: Organisation,
    opportunity: Opportunity,
    *,
    state: str,
    message: str = "",
    today: dt.date | None = None,
) -> Engagement:
    """Record what an SME does with an open opportunity: saved, dismissed or interested (with a
    message to the buyer). Leaving "interested" withdraws the interest (and the buyer's answer)."""
    require(actor, Perm.EDIT_ORG, organisation)
    if organisation.kind != Organisation.Kind.SME:
        raise OpportunityError(
            "not_an_sme", _("Only SMEs save or answer opportunities."), "organisation", value=organisation.slug
        )
    if state not in Engagement.State.values:
        raise OpportunityError(
            "invalid_choice",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Engagement.State.values)},
            "state",
            value=state,
        )
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise OpportunityError(
            "too_long",
            _("At most %(limit)s characters (this has %(count)s).") % {"limit": MESSAGE_MAX, "count": len(message)},
            "message",
        )
    if organisation.tenant_id != opportunity.buyer.tenant_id:
        raise OpportunityError("not_open", _("This opportunity is not open."))
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().select_related("buyer").get(pk=opportunity.pk)
        if not is_open(locked, today):
            raise OpportunityError("not_open", _("This opportunity is not open any more."))
        engagement = (
            Engagement.objects.select_for_update().filter(organisation=organisation, opportunity=locked).first()
        )
        if engagement is not None and engagement.buyer_status == Engagement.BuyerStatus.AWARDED:
            raise OpportunityError("already_awarded", _("The buyer has already chosen you for this opportunity."))
        if engagement is None:
            engagement = Engagement(organisation=organisation, opportunity=locked, state=state)
        elif engagement.state == state and (state != Engagement.State.INTERESTED or engagement.message == message):
            return engagement  # nothing changes: no audit row, no event
        previous = engagement.state if engagement.pk else None
        engagement.state = state
        if state == Engagement.State.INTERESTED:
            engagement.message = message
            engagement.interested_at = engagement.interested_at or timezone.now()
        else:
            engagement.message = ""
            engagement.interested_at = None
            engagement.buyer_status = Engagement.BuyerStatus.NONE
        engagement.save()
        audit.record(
            f"engagement.{state}",
            actor=actor,
            obj=engagement,
            tenant_id=organisation.tenant_id,
            data={"opportunity": locked.pk, "from": previous},
        )
        _engagement_event(engagement, "sme")
    return engagement


def save_opportunity(actor: Any, organisation: Organisation, opportunity: Opportunity) -> Engagement:
    return engage(actor, organisation, opportunity, state=Engagement.State.SAVED)


def dismiss_opportunity(actor: Any, organisation: Organisation, opportunity: Opportunity) -> Engagement:
    return engage(actor, organisation, opportunity, state=Engagement.State.DISMISSED)


def express_interest(
    actor: Any, organisation: Organisation, opportunity: Opportunity, *, message: str = ""
) -> Engagement:
    return engage(actor, organisation, opportunity, state=Engagement.State.INTERESTED, message=message)


# --- Buyers answer interested SMEs ----------------------------------------------------------------

BUYER_ANSWERS = (Engagement.BuyerStatus.SHORTLISTED, Engagement.BuyerStatus.AWARDED, Engagement.BuyerStatus.DECLINED)


def answer_interest(actor: Any, engagement: Engagement, *, status: str) -> Engagement:
    """The buyer shortlists, awards or declines an SME that expressed interest. An award is what the
    "SMEs that joined a value chain" indicator counts (selectors.value_chain_indicator)."""
    opportunity = engagement.opportunity
    _require_buyer_editor(actor, opportunity.buyer)
    if status not in BUYER_ANSWERS:
        raise OpportunityError(
            "invalid_choice",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(BUYER_ANSWERS)},
            "status",
            value=status,
        )
    with transaction.atomic():
        locked = Engagement.objects.select_for_update().select_related("organisation").get(pk=engagement.pk)
        if locked.state != Engagement.State.INTERESTED:
            raise OpportunityError("not_interested", _("This SME has not expressed interest."))
        if opportunity.status == Opportunity.Status.DRAFT:
            raise OpportunityError("invalid_transition", _("This opportunity is not published."))
        if locked.buyer_status == status:
            return locked
        previous = locked.buyer_status
        locked.buyer_status = status
        locked.save(update_fields=["buyer_status", "updated_at"])
        audit.record(
            f"engagement.buyer_{status}",
            actor=actor,
            obj=locked,
            tenant_id=opportunity.buyer.tenant_id,
            data={"opportunity": opportunity.pk, "organisation": locked.organisation.slug, "from": previous},
        )
        _engagement_event(locked, "buyer")
    return locked


def shortlist_supplier(actor: Any, engagement: Engagement) -> Engagement:
    return answer_interest(actor, engagement, status=Engagement.BuyerStatus.SHORTLISTED)


def award_supplier(actor: Any, engagement: Engagement) -> Engagement:
    return answer_interest(actor, engagement, status=Engagement.BuyerStatus.AWARDED)


def decline_supplier(actor: Any, engagement: Engagement) -> Engagement:
    return answer_interest(actor, engagement, status=Engagement.BuyerStatus.DECLINED)
