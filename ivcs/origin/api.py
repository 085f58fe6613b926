"""API of the origin domain: the agreements loaded, the rules covering a product, and an assessment
of whether a product made from a bill of materials qualifies as originating.

Reference data, public (auth=None). Bad input answers 422 naming the field (as in the request body).
"""

# No `from __future__ import annotations` here: django-ninja reads parameter annotations at run time.
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from ivcs.api.errors import ErrorEnvelope
from ivcs.core.errors import UnknownValue
from ivcs.origin import assessing, selectors
from ivcs.products.api import SearchThrottle

router = Router(tags=["origin"])

HS_PATTERN = r"^\d{4}(\.?\d{2})?$"
COUNTRY_PATTERN = r"^[A-Za-z]{2}$"
Money = Decimal


# --- Agreements -------------------------------------------------------------------------------------


class CoverageOut(Schema):
    rule_sets: int
    rules: int
    structured_share: float = Field(description="Share of rule sets whose every rule the parser read (0-1)")


class AgreementOut(Schema):
    id: str
    name: str
    parties: list[str]
    source: str
    vintage: str
    hs_version: str
    coverage: CoverageOut


@router.get("/origin/agreements", response=list[AgreementOut], auth=None, summary="Rules-of-origin agreements loaded")
def agreements(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": s.pk,
            "name": s.name,
            "parties": s.parties,
            "source": s.source,
            "vintage": s.vintage,
            "hs_version": s.hs_version,
            "coverage": {"rule_sets": s.rule_sets, "rules": s.rules, "structured_share": s.structured_share},
        }
        for s in selectors.agreements()
    ]


# --- Rules ------------------------------------------------------------------------------------------


class RulesParams(Schema):
    hs: str = Field(..., pattern=HS_PATTERN, description="HS heading (4 digits) or subheading (6 digits)")
    agreement: str | None = Field(None, max_length=40, description="An agreement id (see /origin/agreements)")


class RuleSetOut(Schema):
    agreement: str
    key: str
    heading: str
    subdivision: str
    ex: bool
    texts: list[str]
    structured: dict[str, Any] = Field(description="The structured form in use (hand-written if there is one)")
    hand_written: bool
    citation: str


@router.get(
    "/origin/rules",
    response={200: list[RuleSetOut], 422: ErrorEnvelope},
    auth=None,
    summary="Product-specific rules of origin covering an HS heading or subheading",
)
def rules(request: HttpRequest, params: Query[RulesParams]) -> list[dict[str, Any]]:
    hs = params.hs.replace(".", "")
    if params.agreement is not None and params.agreement not in selectors.scheme_ids():
        raise UnknownValue("agreement", params.agreement, "query")
    if not assessing.known_hs(hs):
        raise UnknownValue("hs", params.hs, "query")
    return [
        {
            "agreement": row.scheme_id,
            "key": row.key,
            "heading": row.heading,
            "subdivision": row.subdivision,
            "ex": row.ex,
            "texts": row.texts,
            "structured": selectors.form_in_use(row),
            "hand_written": row.hand_written is not None,
            "citation": selectors.citation(row.scheme, row.heading),
        }
        for row in selectors.rule_sets_covering(hs, params.agreement)
    ]


# --- Assessment -------------------------------------------------------------------------------------


class InputIn(Schema):
    model_config = ConfigDict(extra="forbid")

    hs: str = Field(..., pattern=HS_PATTERN, description="HS code of the input, 4 or 6 digits")
    origin: str | None = Field(None, pattern=COUNTRY_PATTERN, description="ISO 3166-1 alpha-2; null: not known")
    value: Money = Field(..., ge=0, max_digits=18, decimal_places=6, description="Value in `currency`")
    weight: Money | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    originating_declared: bool | None = Field(None, description="The supplier declares it originating")
    name: str = Field("", max_length=200)


AnswerValue = bool | Money | str | None


class AssessIn(Schema):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(..., pattern=r"^\d{4}\.?\d{2}$", description="HS subheading (6 digits) of the product")
    exporter: str = Field(..., pattern=COUNTRY_PATTERN, description="Where the product is made (ISO2)")
    destinations: list[str] | None = Field(None, max_length=30, description="ISO2 countries; default GB")
    ex_works_price: Money = Field(..., ge=0, max_digits=18, decimal_places=6)
    currency: str = Field("USD", pattern=r"^[A-Za-z]{3}$")
    inputs: list[InputIn] = Field(default_factory=list, max_length=assessing.MAX_INPUTS)
    processes: list[str] = Field(default_factory=list, max_length=50)
    answers: dict[str, AnswerValue] = Field(default_factory=dict, max_length=100)


class AssessOut(Schema):
    results: list[dict[str, Any]] = Field(
        description="One per agreement and destination: status, rule, inputs, figures, missing, suggestions, tariff"
    )
    notes: list[str]
    other_markets: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Preferential rates loaded for the exporter under agreements whose rules of origin are not "
        "loaded here (e.g. the US agreements): the rates, and that the tool cannot assess them",
    )


@router.post(
    "/origin/assess",
    response={200: AssessOut, 422: ErrorEnvelope},
    auth=None,
    throttle=[SearchThrottle("origin-assess")],
    summary="Does a product made from these inputs qualify as originating, agreement by agreement?",
)
def assess(request: HttpRequest, payload: AssessIn) -> Any:
    try:
        return assessing.assess_request(payload.model_dump(mode="python"))
    except assessing.OriginRequestError as exc:
        return Status(
            422,
            {
                "error": {
                    "code": "validation_error",
                    "message": _("Some fields are not valid."),
                    "details": exc.as_details(),
                }
            },
        )
