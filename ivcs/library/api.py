"""API of the library of studies: search with facets and snippets, a study's record, and uploads by the
publisher's editors (multipart: a file or a link, and the metadata).

Search and records are public (published studies visible on this site). Writes need the session of an
owner or editor of the publishing organisation, or that organisation's API key with `org:write`; anyone
else gets 403 (or 404 for a draft they cannot see). Bad input answers 422 naming the field; a file that
is not a PDF, DOCX, HTML or text document (judged by its content), empty or over the size limit, 422 on
`file`; the same file twice, 409.
"""

# No `from __future__ import annotations` here: django-ninja reads parameter annotations at run time.
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status, codes_4xx
from pydantic import ConfigDict, Field

from ivcs.accounts.models import Organisation
from ivcs.api.auth import key_or_session
from ivcs.api.errors import ErrorEnvelope
from ivcs.core.errors import UnknownValue
from ivcs.library import selectors, services
from ivcs.library.models import Document
from ivcs.products.api import SearchThrottle

router = Router(tags=["library"])

MAX_ID = 2**53
DocId = Path(..., ge=1, le=MAX_ID, description="The study's id")


def _tenant_id(request: HttpRequest) -> int | None:
    tenant = getattr(request, "tenant", None)
    return tenant.pk if tenant is not None else None


# --- search --------------------------------------------------------------------------------------


class SearchParams(Schema):
    q: str = Field("", max_length=selectors.MAX_QUERY_CHARS, description="Words, in Spanish, Portuguese or English")
    lang: list[str] | None = Field(None, description="Studies written in these languages (es, pt, en, other)")
    sector: list[str] | None = Field(None, description="food_beverage, ict, textiles, clothing_fashion, other")
    market: list[str] | None = Field(None, description="ISO 3166-1 alpha-2 countries or EU")
    hs: list[str] | None = Field(None, description="HS chapter, heading or subheading (2, 4 or 6 digits)")
    type: list[str] | None = Field(
        None, description="market_study, sector_study, product_profile, guide, report, other"
    )
    publisher: list[str] | None = Field(None, description="Publisher slugs")
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    page: int = Field(1, ge=1, le=selectors.MAX_PAGE)


class FacetOut(Schema):
    value: str
    count: int


class PublisherRef(Schema):
    slug: str
    name: str


class ResultOut(Schema):
    id: int
    title: str
    publisher: str = Field(description="The publisher's name")
    publisher_slug: str
    year: int | None
    language: str
    type: str
    snippet: str = Field(description="HTML-safe: the text is escaped and the matched words wrapped in <mark>")
    page: int | None = Field(description="Page of the snippet's passage in the file")
    score: float
    matched: list[str] = Field(description="Words of the query found in the snippet")
    match: Literal["words", "meaning", "both", "none"] = Field(description="How the study was found")
    is_demo: bool
    url: str


class SearchOut(Schema):
    total: int = Field(description="Studies found; a floor when `total_exact` is false")
    total_exact: bool = Field(
        description="False for a very broad query: only the newest 2,000 matching passages were ranked by words "
        "(the meaning ranking still covers every study)"
    )
    page: int
    pages: int
    mode: str = Field(description="browse (no words), all (every word found), any (some words), meaning (semantic)")
    semantic: bool = Field(description="False when the multilingual encoder is switched off on this server")
    facets: dict[str, list[FacetOut]]
    results: list[ResultOut]


def _snippet_html(hit: Any) -> tuple[str, list[str]]:
    if hit.snippet is not None:
        return hit.snippet.html(), list(hit.snippet.matched)
    from django.utils.html import escape

    return escape(hit.document.summary[:300]), []


def result_out(hit: Any) -> dict[str, Any]:
    html, matched = _snippet_html(hit)
    match = (
        "both" if hit.lexical and hit.semantic else "words" if hit.lexical else "meaning" if hit.semantic else "none"
    )
    d = hit.document
    return {
        "id": d.pk,
        "title": d.title,
        "publisher": d.publisher.name,
        "publisher_slug": d.publisher.slug,
        "year": d.year,
        "language": d.language,
        "type": d.doc_type,
        "snippet": html,
        "page": hit.page,
        "score": round(hit.score, 6),
        "matched": matched,
        "match": match,
        "is_demo": d.is_demo,
        "url": reverse("library:document", args=[d.pk]),
    }


@router.get(
    "/library/search",
    response={200: SearchOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=None,
    throttle=[SearchThrottle("library")],
    summary="Search the studies (any language finds all), with facets and snippets; no q: browse",
)
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    raw = {
        "language": params.lang or [],
        "sector": params.sector or [],
        "market": params.market or [],
        "hs": params.hs or [],
        "type": params.type or [],
        "publisher": params.publisher or [],
        "year_from": [str(params.year_from)] if params.year_from else [],
        "year_to": [str(params.year_to)] if params.year_to else [],
    }
    filters = selectors.parse_filters(raw)
    found = selectors.search_library(params.q, filters, tenant_id=_tenant_id(request), page=params.page)
    return {
        "total": found.total,
        "total_exact": found.exact,
        "page": found.page,
        "pages": found.pages,
        "mode": found.mode,
        "semantic": found.semantic,
        "facets": {
            name: [{"value": v.value, "count": v.count} for v in values] for name, values in found.facets.items()
        },
        "results": [result_out(hit) for hit in found.hits],
    }


# --- records -------------------------------------------------------------------------------------


class ExtractionOut(Schema):
    status: str
    label: str
    progress: int = Field(description="0-100 while the file is read")
    message: str = Field(description="Why the text could not be read, when it could not")
    pages: int
    characters: int


class DocumentOut(Schema):
    id: int
    title: str
    summary: str
    publisher: PublisherRef
    year: int | None
    language: str
    type: str
    sectors: list[str]
    hs_codes: list[str]
    markets: list[str]
    origin_country: str
    licence: str
    source_url: str
    status: str
    visibility: str
    is_demo: bool
    file_name: str
    file_type: str
    file_size: int
    download_url: str | None
    url: str
    extraction: ExtractionOut
    suggestions: dict[str, Any] = Field(description="Shown to the publisher's editors only: language, hs, markets")
    published_at: datetime | None
    updated_at: datetime
    related: list[PublisherRef] = Field(description="More like this: slug is the study id, name its title")


def document_out(document: Document, *, editor: bool, tenant_id: int | None) -> dict[str, Any]:
    related = selectors.more_like_this(document, tenant_id=tenant_id) if document.status == "published" else []
    return {
        "id": document.pk,
        "title": document.title,
        "summary": document.summary,
        "publisher": {"slug": document.publisher.slug, "name": document.publisher.name},
        "year": document.year,
        "language": document.language,
        "type": document.doc_type,
        "sectors": document.sectors,
        "hs_codes": document.hs_codes,
        "markets": document.markets,
        "origin_country": document.origin_country,
        "licence": document.licence,
        "source_url": document.source_url,
        "status": document.status,
        "visibility": document.visibility,
        "is_demo": document.is_demo,
        "file_name": document.file_name,
        "file_type": document.file_kind,
        "file_size": document.file_size,
        "download_url": reverse("library:download", args=[document.pk]) if document.has_file else None,
        "url": reverse("library:document", args=[document.pk]),
        "extraction": {
            "status": document.extraction,
            "label": str(document.get_extraction_display()),
            "progress": document.extraction_progress,
            "message": services.extraction_message(document),
            "pages": document.page_count,
            "characters": document.char_count,
        },
        "suggestions": document.suggestions if editor else {},
        "published_at": document.published_at,
        "updated_at": document.updated_at,
        "related": [{"slug": str(d.pk), "name": d.title} for d in related],
    }


def _visible_document(request: HttpRequest, document_id: int) -> Document:
    actor = getattr(request, "auth", None) or getattr(request, "user", None)
    document = selectors.document_for(document_id, tenant_id=_tenant_id(request), actor=actor)
    if document is None:
        raise UnknownValue("study", document_id, "path")
    return document


@router.get(
    "/library/{document_id}",
    response={200: DocumentOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=None,
    summary="A study's record: metadata, file, extraction state, related studies",
)
def get_document(request: HttpRequest, document_id: int = DocId) -> dict[str, Any]:
    document = _visible_document(request, document_id)
    actor = getattr(request, "user", None)
    return document_out(document, editor=services.can_edit(actor, document), tenant_id=_tenant_id(request))


class DocumentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    publisher: str = Field(max_length=60, description="Slug of the publishing organisation (a TPO you edit for)")
    title: str = Field(max_length=300)
    summary: str = Field("", max_length=4000)
    year: int | None = Field(None, ge=1950, le=2100)
    language: Literal["es", "pt", "en", "other"] = "es"
    type: Literal["market_study", "sector_study", "product_profile", "guide", "report", "other"] = "market_study"
    sectors: str = Field("", max_length=400, description="Comma-separated sector codes")
    hs_codes: str = Field("", max_length=400, description="Comma-separated HS codes")
    markets: str = Field("", max_length=400, description="Comma-separated ISO alpha-2 codes or EU")
    origin_country: str = Field("", max_length=2)
    licence: str = Field("", max_length=200)
    source_url: str = Field("", max_length=500, description="Where the study is published (required without a file)")
    visibility: Literal["all", "site"] = "all"
    publish: bool = Field(False, description="Publish at once (a file is published once it has been read)")


def _publisher_for(request: HttpRequest, slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise UnknownValue("publisher", slug, "body")
    return org


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.post(
    "/library",
    response={201: DocumentOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Add a study (multipart: the metadata fields and a file, or a link); its text is read in the background",
)
def create_document(
    request: HttpRequest,
    payload: Form[DocumentIn],
    file: UploadedFile | None = File(None),  # noqa: B008 (how django-ninja declares an optional file)
) -> Status:
    publisher = _publisher_for(request, payload.publisher)
    metadata = payload.dict()
    metadata["doc_type"] = metadata.pop("type")
    publish = metadata.pop("publish")
    metadata.pop("publisher")
    document = services.create_document(
        actor=_actor(request),
        publisher=publisher,
        metadata=metadata,
        upload=file,
        upload_name=(file.name or "") if file is not None else "",
        publish=publish and file is None,
    )
    if publish and file is not None:
        services.publish_when_read(document)  # at once if the text has already been read
    document.refresh_from_db()
    return Status(201, document_out(document, editor=True, tenant_id=_tenant_id(request)))


class DocumentPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, max_length=300)
    summary: str | None = Field(None, max_length=4000)
    year: int | None = Field(None, ge=1950, le=2100)
    language: Literal["es", "pt", "en", "other"] | None = None
    type: Literal["market_study", "sector_study", "product_profile", "guide", "report", "other"] | None = None
    sectors: list[str] | None = Field(None, max_length=10)
    hs_codes: list[str] | None = Field(None, max_length=40)
    markets: list[str] | None = Field(None, max_length=40)
    origin_country: str | None = Field(None, max_length=2)
    licence: str | None = Field(None, max_length=200)
    source_url: str | None = Field(None, max_length=500)
    visibility: Literal["all", "site"] | None = None
    status: Literal["draft", "published", "withdrawn"] | None = None


@router.patch(
    "/library/{document_id}",
    response={200: DocumentOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Change a study's metadata or status (the publisher's editors)",
)
def update_document(request: HttpRequest, payload: DocumentPatch, document_id: int = DocId) -> dict[str, Any]:
    document = _visible_document(request, document_id)
    actor = _actor(request)
    if not services.can_edit(actor, document):
        raise PermissionDenied
    values = payload.dict(exclude_unset=True)
    status = values.pop("status", None)
    if "type" in values:
        values["doc_type"] = values.pop("type")
    if values:
        services.update_document(actor, document, values)
    if status:
        services.set_status(actor, document, status)
    document.refresh_from_db()
    return document_out(document, editor=True, tenant_id=_tenant_id(request))


@router.delete(
    "/library/{document_id}",
    response={204: None, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Delete a study and its file (the publisher's editors)",
)
def delete_document(request: HttpRequest, document_id: int = DocId) -> Status:
    document = _visible_document(request, document_id)
    if not services.can_edit(_actor(request), document):
        raise PermissionDenied
    services.delete_document(_actor(request), document)
    return Status(204, None)
