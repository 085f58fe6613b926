"""API of the chains domain: a product's inputs and uses, and the SMEs' bills of materials.

Chains are public reference data (with the site's SMEs' own additions, counted, never named).
Bills of materials are their organisation's: members read them (operators too), owners and editors
(or an API key with org:write) write them; anyone else gets 404, as if they did not exist. A refused
bill answers 422 naming every bad field, 409 for a stale version or a cycle-free conflict of state.
"""

# No `from __future__ import annotations` here: django-ninja reads parameter annotations at run time.
import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx
from pydantic import ConfigDict, Field

from ivcs.accounts import selectors as accounts
from ivcs.accounts.permissions import Perm
from ivcs.api.auth import key_or_session
from ivcs.api.errors import ErrorEnvelope
from ivcs.api.pagination import BoundedLimitOffset, ShapedPage
from ivcs.chains import selectors, services
from ivcs.chains.models import MAX_INPUTS, LinkSource
from ivcs.core.errors import UnknownValue
from ivcs.products.selectors import hs_language

router = Router(tags=["chains"])

MAX_ID = 2**53
BomId = Path(..., ge=1, le=MAX_ID, description="The bill of materials' id")
Lang = Literal["es", "pt", "en"]
SourceName = Literal["curated", "derived", "rules_of_origin", "user"]
EndUseName = Literal["intermediate", "capital", "consumption", "not_classified"]


# --- Chains ---------------------------------------------------------------------------------------


class ChainParams(Schema):
    depth: int = Field(1, ge=1, le=selectors.MAX_DEPTH, description="1: direct inputs and uses; up to 3")
    level: Literal[4, 6] | None = Field(None, description="4: results as headings; 6: subheadings where known")
    limit: int = Field(15, ge=1, le=50, description="Results per side at depth 1")
    end_use: list[EndUseName] | None = Field(None, description="Keep inputs/uses of these end uses (UN BEC)")
    source: list[SourceName] | None = Field(None, description="Keep links of these sources")
    lang: Lang | None = None


class LinkOut(Schema):
    source: str
    detail: str
    weight: float
    confidence: float
    product: str
    input: str


class ChainNodeOut(Schema):
    code: str
    description: str
    weight: float = Field(description="0-1: how important this input is for the product (best source)")
    confidence: float = Field(description="0-1: how sure the links are, all sources combined")
    score: float
    source: str = Field(description="The best supporting link's source: curated, derived, rules_of_origin, user")
    sources: list[LinkOut]
    inherited: bool = Field(description="Only the heading (4 digits) of the asked subheading has this link")
    end_use: str | None
    children: list["ChainNodeOut"] = Field(description="Next level when depth > 1")


class ProductOut(Schema):
    code: str
    description: str
    description_language: str
    level: int
    end_use: str | None


class ChainOut(Schema):
    product: ProductOut
    inputs: list[ChainNodeOut]
    used_in: list[ChainNodeOut]
    links_loaded: bool = Field(description="False until `ivcs import-chains` has loaded the reference links")


def _link_out(link: Any) -> dict[str, Any]:
    detail = link.detail
    if link.source == LinkSource.USER:
        n = int(link.detail or 1)
        detail = ngettext(
            "Added by %(n)d company on this site to its own chain.",
            "Added by %(n)d companies on this site to their own chains.",
            n,
        ) % {"n": n}
    return {
        "source": link.source,
        "detail": detail,
        "weight": round(link.weight, 4),
        "confidence": round(link.confidence, 4),
        "product": link.product,
        "input": link.input,
    }


def node_out(node: Any, texts: dict[str, tuple[str, str]], graph: Any) -> dict[str, Any]:
    return {
        "code": node.code,
        "description": texts.get(node.code, ("", "en"))[0],
        "weight": round(node.weight, 4),
        "confidence": round(node.confidence, 4),
        "score": round(node.score, 4),
        "source": node.links[0].source if node.links else "",
        "sources": [_link_out(link) for link in node.links],
        "inherited": node.inherited,
        "end_use": graph.end_use_of(node.code),
        "children": [node_out(child, texts, graph) for child in node.children],
    }


def chain_payload(code: str, params: ChainParams, language: str) -> dict[str, Any]:
    product = selectors.product_code(code)
    if product.level not in (4, 6):
        raise UnknownValue("hs", code, "path")
    query = selectors.ChainQuery(
        code=product.code,
        depth=params.depth,
        level=params.level,
        limit=params.limit,
        end_use=tuple(params.end_use) if params.end_use else None,
        sources=tuple(params.source) if params.source else None,
    )
    graph = selectors.graph()
    found = selectors.chain(query, graph)
    texts = selectors.descriptions(
        selectors.codes_in(found["inputs"]) | selectors.codes_in(found["used_in"]) | {product.code}, language
    )
    text, lang = texts.get(product.code, (product.description_en, "en"))
    return {
        "product": {
            "code": product.code,
            "description": text,
            "description_language": lang,
            "level": product.level,
            "end_use": found["end_use"],
        },
        "inputs": [node_out(n, texts, graph) for n in found["inputs"]],
        "used_in": [node_out(n, texts, graph) for n in found["used_in"]],
        "links_loaded": len(graph) > 0,
    }


@router.get(
    "/products/{hs}/chain",
    response={200: ChainOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=None,
    summary="What a product (HS heading or subheading) is made of and what it goes into, with sources",
)
def product_chain(request: HttpRequest, hs: str, params: Query[ChainParams]) -> dict[str, Any]:
    return chain_payload(hs, params, hs_language(request, params.lang))


class PathParams(Schema):
    to: str = Field(max_length=12, description="The downstream product (HS heading or subheading)")
    max_steps: int = Field(4, ge=1, le=4, description="At most this many links per chain")
    limit: int = Field(5, ge=1, le=20)
    lang: Lang | None = None


class PathStepOut(Schema):
    code: str
    description: str


class PathsOut(Schema):
    paths: list[list[PathStepOut]] = Field(description="Shortest first, then strongest; [] when not connected")


@router.get(
    "/products/{hs}/paths",
    response={200: PathsOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=None,
    summary="How an input reaches a product: chains of links from `hs` to `to`",
)
def product_paths(request: HttpRequest, hs: str, params: Query[PathParams]) -> dict[str, Any]:
    upstream = selectors.product_code(hs)
    try:
        downstream = selectors.product_code(params.to, location="query")
    except UnknownValue as exc:
        raise exc.at("query", "to") from None
    found = selectors.graph().paths(upstream.code, downstream.code, max_depth=params.max_steps, limit=params.limit)
    texts = selectors.descriptions({code for path in found for code in path}, hs_language(request, params.lang))
    return {"paths": [[{"code": c, "description": texts.get(c, ("", "en"))[0]} for c in path] for path in found]}


# --- Bills of materials ----------------------------------------------------------------------------


class BomInputIn(Schema):
    model_config = ConfigDict(extra="forbid")
    hs: str = Field(max_length=12, description="HS heading or subheading of the input; dots and spaces accepted")
    description: str = Field("", max_length=services.MAX_DESCRIPTION, description="In the company's own words")
    origin: str | None = Field(None, max_length=2, description="ISO 3166-1 alpha-2 country of origin; null: unknown")
    supplier: str = Field("", max_length=services.MAX_SUPPLIER)
    value_share: float | None = Field(
        None, ge=0, le=100, description="% of the product's ex-works price; all inputs together at most 100"
    )
    originating_declared: bool | None = Field(None, description="The supplier declares it originating; null: unknown")


class BomIn(Schema):
    model_config = ConfigDict(extra="forbid")
    product: str = Field(max_length=12, description="HS heading or subheading of the product")
    name: str = Field("", max_length=services.MAX_NAME, description="The product in the company's own words")
    notes: str = Field("", max_length=services.MAX_NOTES)
    inputs: list[BomInputIn] = Field(default_factory=list, max_length=MAX_INPUTS)


class BomCreate(BomIn):
    organisation: str = Field(max_length=80, description="Slug of the SME the bill belongs to")


class BomUpdate(BomIn):
    version: int | None = Field(
        None, ge=1, le=MAX_ID, description="The version you edited; a newer one on the server refuses with 409"
    )


class BomProductOut(Schema):
    code: str
    description: str
    description_language: str


class BomInputOut(Schema):
    hs: str
    hs_description: str
    description: str
    origin: str | None
    supplier: str
    value_share: float | None
    originating_declared: bool | None


class BomOut(Schema):
    id: int
    organisation: str
    product: BomProductOut
    name: str
    notes: str
    version: int
    inputs: list[BomInputOut]
    value_share_total: float
    created_at: datetime
    updated_at: datetime


class BomVersionOut(Schema):
    version: int
    saved_at: datetime
    saved_by: str | None
    content: dict[str, Any]


class BomListParams(Schema):
    organisation: str | None = Field(None, max_length=80, description="Only this SME's bills")
    product: str | None = Field(None, max_length=12, pattern=r"^[0-9][0-9. ]*$", description="HS code prefix")


def refusals(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except services.ChainError as exc:
            if exc.code in {"version_conflict", "too_many", "not_sme"} and len(exc.errors) == 1:
                return Status(409, {"error": {"code": exc.code, "message": exc.message, "details": exc.as_details()}})
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

    return wrapped


def _data(payload: BomIn) -> dict[str, Any]:
    return payload.model_dump(mode="python", exclude={"organisation", "version"})


def _bom(request: HttpRequest, bom_id: int) -> Any:
    bom = selectors.bom_for(request.auth, bom_id)  # type: ignore[attr-defined]
    if bom is None:
        raise Http404(_("No such bill of materials, or not yours."))
    return bom


@router.get(
    "/bills-of-materials",
    response={200: list[BomOut], codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Your organisations' bills of materials",
)
@paginate(BoundedLimitOffset)
def list_boms(request: HttpRequest, params: Query[BomListParams]) -> Any:
    qs = selectors.boms_for(request.auth)  # type: ignore[attr-defined]
    if params.organisation:
        qs = qs.filter(organisation__slug=params.organisation)
    if params.product:
        qs = qs.filter(product__code__startswith="".join(ch for ch in params.product if ch.isdigit()))
    language = hs_language(request)
    return ShapedPage(qs, lambda bom: selectors.bom_data(bom, language))


@router.post(
    "/bills-of-materials",
    response={201: BomOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Create a bill of materials for one of your SMEs' products (owner or editor)",
)
@refusals
def create_bom(request: HttpRequest, payload: BomCreate) -> Any:
    actor = request.auth  # type: ignore[attr-defined]
    organisation = accounts.organisation_for(actor, payload.organisation, Perm.VIEW_ORG)
    if organisation is None:
        raise UnknownValue("organisation", payload.organisation, "body")
    bom = services.create_bom(actor, organisation, _data(payload))
    return Status(201, selectors.bom_data(bom, hs_language(request)))


@router.get(
    "/bills-of-materials/{bom_id}",
    response={200: BomOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="One bill of materials",
)
def get_bom(request: HttpRequest, bom_id: int = BomId) -> dict[str, Any]:
    return selectors.bom_data(_bom(request, bom_id), hs_language(request))


@router.put(
    "/bills-of-materials/{bom_id}",
    response={200: BomOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Replace a bill of materials (every input); send `version` to refuse overwriting a newer one",
)
@refusals
def put_bom(request: HttpRequest, payload: BomUpdate, bom_id: int = BomId) -> Any:
    bom = _bom(request, bom_id)
    bom = services.update_bom(request.auth, bom, _data(payload), expected_version=payload.version)  # type: ignore[attr-defined]
    return selectors.bom_data(bom, hs_language(request))


@router.delete(
    "/bills-of-materials/{bom_id}",
    response={204: None, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Delete a bill of materials and its versions",
)
def delete_bom(request: HttpRequest, bom_id: int = BomId) -> Any:
    services.delete_bom(request.auth, _bom(request, bom_id))  # type: ignore[attr-defined]
    return Status(204, None)


@router.get(
    "/bills-of-materials/{bom_id}/versions",
    response={200: list[BomVersionOut], codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Every saved version of a bill of materials, newest first",
)
def bom_versions(request: HttpRequest, bom_id: int = BomId) -> list[dict[str, Any]]:
    bom = _bom(request, bom_id)
    return [
        {
            "version": v.version,
            "saved_at": v.saved_at,
            "saved_by": v.saved_by.email if v.saved_by else None,
            "content": v.content,
        }
        for v in selectors.versions_of(bom)
    ]
