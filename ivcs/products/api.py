"""API of the products domain: HS search, HS code details, and understanding a sentence."""

# No `from __future__ import annotations`: django-ninja reads parameter annotations at run time.
from typing import Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import codes_4xx
from ninja.throttling import SimpleRateThrottle
from pydantic import ConfigDict, field_validator

from ivcs.api.errors import ErrorEnvelope
from ivcs.core.http import client_address
from ivcs.core.i18n import is_country_code
from ivcs.products import selectors
from ivcs.products.next_steps import next_step

router = Router(tags=["hs"])

Lang = Literal["es", "pt", "en"]
HINTS = {
    "empty_query": gettext_noop("Type what your company makes, e.g. 'café tostado' or 'camisetas de algodón'."),
    "no_match": gettext_noop("No HS code matches these words; try the product's common name."),
    "too_long_truncated": gettext_noop("The text was long; only its beginning was used."),
    "nomenclature_not_loaded": gettext_noop("The HS nomenclature is not loaded yet (ivcs import-hs)."),
}


class SearchThrottle(SimpleRateThrottle):
    """IVCS_SEARCH_RATE per client address (the same address the login limits use)."""

    def __init__(self, scope: str = "search") -> None:
        self.scope = scope  # a separate count per scope (HS search, origin assessment, ...)
        super().__init__(rate=settings.IVCS_SEARCH_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.IVCS_SEARCH_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


def _hint(code: str | None) -> dict[str, str] | None:
    if not code:
        return None
    return {"code": code, "message": _(HINTS.get(code, code))}


class Ref(Schema):
    code: str
    description: str


class HsResult(Schema):
    code: str
    level: int
    description: str
    description_language: str = Field(description="The language of `description`: the one asked for, else en")
    score: float = Field(description="Calibrated confidence, 0..1")
    heading: Ref | None
    chapter: Ref | None
    matched: list[str] = Field(description="The words of the query that matched")


class HsSearchOut(Schema):
    query: str
    language: str
    vintage: str
    results: list[HsResult]
    hint: dict[str, str] | None = Field(None, description="{code, message} when there is nothing (good) to show")


class SearchParams(Schema):
    model_config = ConfigDict(extra="forbid")
    q: str = Field(max_length=selectors.MAX_QUERY_CHARS, description="What the company makes, in es/pt/en")
    lang: Lang | None = Field(None, description="Language of the descriptions; default: the request's")
    limit: int = Field(10, ge=1, le=50)


def match_out(match: Any) -> dict[str, Any]:
    return {
        "code": match.code,
        "level": match.level,
        "description": match.description,
        "description_language": match.description_language,
        "score": round(float(match.score), 4),
        "heading": {"code": match.heading[0], "description": match.heading[1]} if match.heading else None,
        "chapter": {"code": match.chapter[0], "description": match.chapter[1]} if match.chapter else None,
        "matched": list(match.matched),
    }


@router.get(
    "/hs/search",
    response={200: HsSearchOut, codes_4xx: ErrorEnvelope},
    auth=None,
    throttle=[SearchThrottle()],
    summary="HS codes for a free-text product description (es/pt/en)",
)
def hs_search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    language = selectors.hs_language(request, params.lang)
    result = selectors.search_hs(params.q, lang=language, limit=params.limit)
    if result is None:
        return {
            "query": params.q,
            "language": language,
            "vintage": "HS 2022",
            "results": [],
            "hint": _hint("nomenclature_not_loaded"),
        }
    return {
        "query": params.q,
        "language": result.language,
        "vintage": "HS 2022",
        "results": [match_out(m) for m in result.results],
        "hint": _hint(result.hint),
    }


class Described(Schema):
    text: str
    source: str


class HsCodeOut(Schema):
    code: str
    level: int
    vintage: str
    description: str
    description_language: str
    descriptions: dict[str, Described] = Field(description="By language (es, pt, en), with the source of each text")
    parents: list[Ref]
    children: list[Ref]


def _code_out(code: Any, language: str) -> dict[str, Any]:
    text, used = code.description(language)
    descriptions = {
        lang: {"text": getattr(code, f"description_{lang}"), "source": getattr(code, f"source_{lang}")}
        for lang in ("es", "pt", "en")
        if getattr(code, f"description_{lang}")
    }
    return {
        "code": code.code,
        "level": code.level,
        "vintage": code.vintage,
        "description": text,
        "description_language": used,
        "descriptions": descriptions,
        "parents": [{"code": p.code, "description": p.description(language)[0]} for p in selectors.ancestors(code)],
        "children": [{"code": c.code, "description": c.description(language)[0]} for c in selectors.children(code)],
    }


@router.get("/hs/{code}", response={200: HsCodeOut, codes_4xx: ErrorEnvelope}, auth=None, summary="One HS code")
def hs_code(request: HttpRequest, code: str, lang: Lang | None = None) -> dict[str, Any]:
    from ivcs.engines.hs.nomenclature import normalise_code

    if normalise_code(code) is None:
        raise ValidationError(
            [{"loc": ("path", "code"), "msg": "an HS code has 2, 4 or 6 digits", "type": "value_error"}]
        )
    found = selectors.hs_code(code)
    if found is None:
        raise Http404(_("No such HS code."))
    return _code_out(found, selectors.hs_language(request, lang))


class NlqIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=selectors.MAX_SENTENCE_CHARS)
    lang: Lang | None = None
    profile_country: str | None = Field(None, min_length=2, max_length=2, description="Fallback origin (ISO alpha-2)")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the text is empty")
        return value

    @field_validator("profile_country")
    @classmethod
    def _iso_country(cls, value: str | None) -> str | None:
        if value is not None and not is_country_code(value):
            raise ValueError("an ISO 3166-1 alpha-2 code, e.g. CO")
        return value.upper() if value else None


class Product(Schema):
    code: str
    description: str
    score: float


class PlaceOut(Schema):
    text: str
    country: str
    kind: str
    role: str


class NextStep(Schema):
    module: str
    available: bool
    url: str | None


class NlqOut(Schema):
    intent: str
    confidence: float
    intent_confidence: float
    language: str
    products: list[Product]
    origin_country: str | None
    origin_source: str | None
    destination_countries: list[str]
    input_countries: list[str]
    places: list[PlaceOut]
    sector: str | None
    next: NextStep
    hint: dict[str, str] | None = None


def understanding_out(request: HttpRequest, understood: Any) -> dict[str, Any]:
    u = understood.understanding
    top = u.products[0].code if u.products else None
    return {
        "intent": u.intent,
        "confidence": round(float(u.confidence), 4),
        "intent_confidence": round(float(u.intent_confidence), 4),
        "language": u.language,
        "products": [
            {"code": p.code, "description": p.description, "score": round(float(p.score), 4)} for p in u.products
        ],
        "origin_country": u.origin_country,
        "origin_source": u.origin_source,
        "destination_countries": list(u.destination_countries),
        "input_countries": list(u.input_countries),
        "places": [{"text": p.text, "country": p.country, "kind": p.kind, "role": p.role} for p in u.places],
        "sector": u.sector,
        "next": next_step(u.intent, getattr(request, "tenant", None), product_code=top),
        "hint": None if understood.loaded else _hint("nomenclature_not_loaded"),
    }


@router.post(
    "/nlq",
    response={200: NlqOut, codes_4xx: ErrorEnvelope},
    auth=None,
    throttle=[SearchThrottle()],
    summary="Understand one sentence: intent, products (HS), origin, destinations, sector",
)
def nlq(request: HttpRequest, payload: NlqIn) -> dict[str, Any]:
    understood = selectors.understand_sentence(
        payload.text,
        lang=payload.lang,
        profile_country=payload.profile_country,
    )
    return understanding_out(request, understood)
