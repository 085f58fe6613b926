"""API of the profiles domain: read and replace an SME's business profile, and the guided builder's draft.

Every operation is a selector or service call with the same permission check as the pages.
"""

# No `from __future__ import annotations`: django-ninja reads parameter annotations at run time.
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import codes_4xx
from pydantic import ConfigDict

from ivcs.accounts import selectors as accounts
from ivcs.accounts.permissions import Perm, require
from ivcs.api.auth import key_or_session
from ivcs.api.errors import ErrorEnvelope
from ivcs.products.api import SearchThrottle
from ivcs.products.selectors import MAX_SENTENCE_CHARS
from ivcs.profiles import selectors, services
from ivcs.profiles.models import MAX_DESCRIPTION, MAX_PRODUCT_DESCRIPTION, BuyerType, CapacityUnit, RevenueBand
from ivcs.profiles.validation import ProfileError

router = Router(tags=["profiles"])

Lang = Literal["es", "pt", "en"]


def _lang(request: HttpRequest, asked: str | None = None) -> str:
    if asked in ("es", "pt", "en"):
        return asked
    code = getattr(request, "LANGUAGE_CODE", "en") or "en"
    return "pt" if code.startswith("pt") else code[:2]


# --- Schemas ----------------------------------------------------------------------------------------


class ProductIn(Schema):
    model_config = ConfigDict(extra="forbid")
    hs: str = Field(max_length=12, description="HS heading (4 digits) or subheading (6); dots and spaces accepted")
    description: str = Field("", max_length=MAX_PRODUCT_DESCRIPTION, description="In the company's own words")


class CertificationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    standard: str = Field(max_length=60, description="Scheme id of the standards catalogue, e.g. fssc_22000")
    expires: date | None = None


class ProfileIn(Schema):
    """The whole profile: every field is replaced (a missing one becomes empty)."""

    model_config = ConfigDict(extra="forbid")
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2")
    region: str = Field("", max_length=120)
    sectors: list[str] = Field(default_factory=list, max_length=60, description="Sector ids (GET /sectors)")
    description: str = Field("", max_length=MAX_DESCRIPTION, description="Free text, any language")
    description_language: Lang | None = Field(None, description="Default: detected from the description")
    capacity_volume: Decimal | None = Field(None, description="Production capacity per year, >= 0")
    capacity_unit: CapacityUnit | None = None
    employees: int | None = None
    revenue_band: RevenueBand | None = None
    years_exporting: int = 0
    markets_served: list[str] = Field(default_factory=list, max_length=60, description="ISO codes")
    languages: list[Lang] = Field(default_factory=list)
    interest_countries: list[str] = Field(default_factory=list, max_length=60, description="ISO codes or blocs (EU)")
    interest_buyer_types: list[BuyerType] = Field(default_factory=list)
    public: bool = Field(False, description="Visible to buyers in supplier discovery (never the contact details)")
    contact_name: str = Field("", max_length=150)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)
    products: list[ProductIn] = Field(default_factory=list, max_length=50)
    certifications: list[CertificationIn] | None = Field(
        None, max_length=60, description="Certificates held; replaces them all. Absent: left as they are"
    )


class ProductOut(Schema):
    hs: str
    description: str
    hs_description: str


class CertificationOut(Schema):
    standard: str
    name: str
    expires: date | None


class ProfileOut(Schema):
    organisation: str
    name: str
    exists: bool = Field(description="False until the SME saves its profile (members only see this)")
    full: bool = Field(description="True: every field (members); False: the public fields only")
    country: str
    country_name: str
    region: str
    sectors: list[str]
    description: str
    description_language: str
    capacity_volume: str | None
    capacity_unit: str
    employees: int | None
    years_exporting: int
    markets_served: list[str]
    languages: list[str]
    products: list[ProductOut]
    certifications: list[CertificationOut]
    updated_at: datetime | None
    revenue_band: str | None = None
    interest_countries: list[str] | None = None
    interest_buyer_types: list[str] | None = None
    public: bool | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    created_at: datetime | None = None


class DraftIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_SENTENCE_CHARS, description="One sentence about the company")
    lang: Lang | None = None


class DraftProfile(Schema):
    country: str | None
    region: str
    sectors: list[str]
    description: str
    description_language: str
    languages: list[str]
    interest_countries: list[str]
    products: list[ProductIn]


class DraftOut(Schema):
    profile: DraftProfile = Field(description="Not saved: review it, then PUT it to /profiles/{org_slug}")
    language: str
    confidence: float
    nomenclature_loaded: bool


# --- Operations -------------------------------------------------------------------------------------


def _error(request: HttpRequest, exc: ProfileError) -> HttpResponse:
    from ivcs.api.api import api

    status = 409 if exc.code == "not_sme" else 422
    code = "validation_error" if status == 422 else exc.code
    message = _("Some fields are not valid.") if status == 422 else exc.message
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": exc.as_details()}}, status=status
    )


# Before /profiles/{org_slug}: the first route whose pattern matches a path answers it.
@router.post(
    "/profiles/draft",
    response={200: DraftOut, codes_4xx: ErrorEnvelope},
    auth=None,
    throttle=[SearchThrottle()],
    summary="A draft profile from one sentence (the guided builder); nothing is saved",
)
def draft_profile(request: HttpRequest, payload: DraftIn) -> Any:
    try:
        return services.profile_from_sentence(payload.text, payload.lang)
    except ProfileError as exc:
        return _error(request, exc)


@router.get(
    "/profiles/{org_slug}",
    response={200: ProfileOut, codes_4xx: ErrorEnvelope},
    auth=key_or_session,
    summary="An SME's business profile (members: every field; others: the public fields of a public profile)",
)
def get_profile(request: HttpRequest, org_slug: str, lang: Lang | None = None) -> dict[str, Any]:
    view = selectors.profile_for(request.auth, org_slug)  # type: ignore[attr-defined]
    if view is None:
        raise Http404(_("No such profile, or not visible to you."))
    return selectors.profile_data(view, language=_lang(request, lang))


@router.put(
    "/profiles/{org_slug}",
    response={200: ProfileOut, codes_4xx: ErrorEnvelope},
    auth=key_or_session,
    summary="Create or replace an SME's business profile (owner or editor; API key with org:write)",
)
def put_profile(request: HttpRequest, org_slug: str, payload: ProfileIn) -> Any:
    actor = request.auth  # type: ignore[attr-defined]
    organisation = accounts.organisation_for(actor, org_slug)
    if organisation is None:
        view = selectors.profile_for(actor, org_slug)  # a public profile: seen, so 403 rather than 404
        if view is None:
            raise Http404(_("No such profile, or not visible to you."))
        organisation = view.organisation
    require(actor, Perm.EDIT_ORG, organisation)
    try:
        profile = services.save_profile(actor, organisation, payload.model_dump(mode="python"))
    except ProfileError as exc:
        return _error(request, exc)
    view = selectors.ProfileView(organisation, selectors.profile_of(organisation) or profile, full=True)
    return selectors.profile_data(view, language=_lang(request))
