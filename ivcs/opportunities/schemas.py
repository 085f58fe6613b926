"""API schemas of the opportunities domain. Input schemas forbid unknown fields; the services
check the rest (known HS codes, schemes, countries, dates) and name the field of each refusal."""

# No `from __future__ import annotations`: django-ninja reads these annotations at run time.
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from ivcs.opportunities.models import DESCRIPTION_MAX, MESSAGE_MAX, SHORT_TEXT_MAX, TEXT_MAX, TITLE_MAX

LanguageCode = Literal["es", "pt", "en"]
UnitCode = Literal["kg", "t", "l", "m3", "units", "m2", "m", "hours", "services"]
FrequencyCode = Literal["once", "weekly", "monthly", "quarterly", "yearly"]
IncotermCode = Literal["EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"]
StatusCode = Literal["draft", "published", "closed", "awarded"]
LevelCode = Literal["mandatory", "preferred"]


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")


class ProductIn(StrictInput):
    hs: str | None = Field(None, max_length=12, examples=["0901.11"], description="HS code: 2, 4 or 6 digits")
    text: str = Field("", max_length=SHORT_TEXT_MAX, examples=["Café verde arábica, lavado"])


class RequirementIn(StrictInput):
    schemes: list[str] = Field([], max_length=30, examples=[["fssc_22000", "brcgs_food"]])
    recognised_by: str = Field("", max_length=40, description="Or any scheme recognised by this body, e.g. gfsi")
    level: LevelCode = "mandatory"


class OpportunityFields(StrictInput):
    title: str | None = Field(None, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=DESCRIPTION_MAX)
    language: LanguageCode | None = Field(None, description="Language it is written in (default: detected)")
    services_allowed: bool | None = None
    quantity: Decimal | None = Field(None, gt=0, max_digits=18, decimal_places=3, description="Per delivery")
    unit: UnitCode | None = None
    frequency: FrequencyCode | None = None
    delivery_country: str | None = Field(None, max_length=2, examples=["US"])
    delivery_place: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    incoterm: IncotermCode | None = None
    eligible_countries: list[str] | None = Field(None, max_length=250, description="Supplier countries; [] = any")
    other_requirements: str | None = Field(None, max_length=TEXT_MAX)
    deadline: date | None = None
    contact_method: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    products: list[ProductIn] | None = Field(None, max_length=50)
    requirements: list[RequirementIn] | None = Field(None, max_length=20)


class OpportunityIn(OpportunityFields):
    buyer: str = Field(max_length=60, description="The buyer organisation's slug")


class OpportunityPatch(OpportunityFields):
    pass


class BuyerOut(Schema):
    slug: str
    name: str
    country: str


class ProductOut(Schema):
    hs: str | None
    hs_description: str | None
    text: str


class SchemeRef(Schema):
    id: str
    name: str


class RequirementOut(Schema):
    schemes: list[SchemeRef]
    recognised_by: str | None
    level: LevelCode


class RevisionOut(Schema):
    changed_at: datetime
    changes: dict[str, list[object]] = Field(description="{field: [old, new]}")


class EngagementOut(Schema):
    organisation: str
    opportunity: int
    state: Literal["saved", "dismissed", "interested"]
    message: str
    buyer_status: Literal["none", "shortlisted", "awarded", "declined"]
    updated_at: datetime


class OpportunityOut(Schema):
    id: int
    buyer: BuyerOut
    title: str
    description: str
    language: LanguageCode
    services_allowed: bool
    quantity: str | None = Field(description="Per delivery, a decimal string")
    unit: str
    frequency: FrequencyCode
    quantity_per_year: float | None
    delivery_country: str
    delivery_place: str
    incoterm: str
    eligible_countries: list[str]
    other_requirements: str
    deadline: date | None
    contact_method: str
    status: StatusCode
    open: bool = Field(description="Published and the deadline not past: SMEs may answer")
    published_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    is_demo: bool = Field(description="True for the fictional demo data")
    products: list[ProductOut]
    requirements: list[RequirementOut]


class OpportunityDetailOut(OpportunityOut):
    revisions: list[RevisionOut] = Field(description="Edits made after publication, newest first")
    engagements: list[EngagementOut] | None = Field(
        None, description="Your organisations' engagements with it (signed-in SMEs)"
    )


class EngagementIn(StrictInput):
    organisation: str = Field(max_length=60, description="The SME organisation's slug")
    state: Literal["saved", "dismissed", "interested"]
    message: str = Field("", max_length=MESSAGE_MAX, description="To the buyer, with interest")


class ContactOut(Schema):
    name: str
    email: str


class InterestedOut(Schema):
    organisation: str
    name: str
    country: str
    website: str
    contacts: list[ContactOut]
    message: str
    interested_at: datetime | None
    buyer_status: Literal["none", "shortlisted", "awarded", "declined"]


class AnswerIn(StrictInput):
    status: Literal["shortlisted", "awarded", "declined"]
