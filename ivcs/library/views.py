"""Pages of the library of studies: search with facets and snippets, a study's page (metadata, the passages
that answer the query, download, more like this), a publisher's page, and the editors' pages (their
studies, upload, review with extraction progress and suggestions, publish/withdraw/delete).

Visibility and permissions are the selectors' and services' (the API's): an editor is an owner or editor
of the publishing organisation on this site; anyone else gets 404 for drafts and 403 for changes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_scopes import scopes_disabled

from ivcs.core.errors import FieldErrors
from ivcs.core.http import over_limit
from ivcs.core.i18n import place_name
from ivcs.library import selectors, services
from ivcs.library.forms import MetadataForm, UploadForm
from ivcs.library.models import DocLanguage, DocType, Document, Sector
from ivcs.tenants.middleware import module_required

library_page = module_required("library")

FACET_TITLES = {
    "sector": gettext_lazy("Sector"),
    "market": gettext_lazy("Market"),
    "hs": gettext_lazy("Product (HS chapter)"),
    "year": gettext_lazy("Year"),
    "language": gettext_lazy("Language"),
    "publisher": gettext_lazy("Publisher"),
    "type": gettext_lazy("Type"),
}
# Facet name -> the query parameter that filters by it.
FACET_PARAMS = {
    "sector": "sector",
    "market": "market",
    "hs": "hs",
    "language": "language",
    "publisher": "publisher",
    "type": "type",
}
FILTER_PARAMS = ("language", "sector", "market", "hs", "type", "publisher", "year_from", "year_to")


def _tenant_id(request: HttpRequest) -> int | None:
    tenant = getattr(request, "tenant", None)
    return tenant.pk if tenant is not None else None


def facet_label(name: str, value: str, publishers: dict[str, str]) -> str:
    if name == "sector":
        return str(dict(Sector.choices).get(value, value))
    if name == "language":
        return str(dict(DocLanguage.choices).get(value, value))
    if name == "type":
        return str(dict(DocType.choices).get(value, value))
    if name == "market":
        return place_name(value)
    if name == "publisher":
        return publishers.get(value, value)
    if name == "hs":
        return _("Chapter %(code)s") % {"code": value}
    return value


def _toggle_url(request: HttpRequest, param: str, value: str) -> str:
    """The current search with `value` of `param` added or removed (page reset)."""
    query = request.GET.copy()
    query.pop("page", None)
    values = [v for v in query.getlist(param) if v]
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    query.setlist(param, values)
    return "?" + query.urlencode()


def _year_url(request: HttpRequest, year: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    if query.get("year_from") == year and query.get("year_to") == year:
        query.pop("year_from", None)
        query.pop("year_to", None)
    else:
        query["year_from"] = year
        query["year_to"] = year
    return "?" + query.urlencode()


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


def _filters_from(request: HttpRequest) -> tuple[selectors.SearchFilters, list[str]]:
    """The filters of the query string; unknown values are dropped with a message each (a page shows the
    rest of the search rather than failing; the API answers 422)."""
    try:
        return selectors.parse_filters(request.GET), []
    except FieldErrors as exc:
        problems = [e.message for e in exc.errors]
        cleaned = request.GET.copy()
        for error in exc.errors:
            param = {"lang": "language"}.get(error.field or "", error.field or "")
            cleaned.pop(param, None)
        try:
            return selectors.parse_filters(cleaned), problems
        except FieldErrors:
            return selectors.SearchFilters(), problems


@library_page
def search(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()
    context: dict[str, Any] = {"q": q, "max_chars": selectors.MAX_QUERY_CHARS}
    status = 200
    if len(q) > selectors.MAX_QUERY_CHARS:
        context["error"] = _("Write at most %(n)d characters.") % {"n": selectors.MAX_QUERY_CHARS}
        return render(request, "library/search.html", context, status=400)
    if q and over_limit(request, "library", _rate(), methods=("GET",)):
        context["error"] = _("Too many searches from your network. Please wait a minute and try again.")
        return render(request, "library/search.html", context, status=429)
    filters, problems = _filters_from(request)
    if problems:
        context["filter_errors"] = problems
        status = 400
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        page = 1
    found = selectors.search_library(q, filters, tenant_id=_tenant_id(request), page=page)
    with scopes_disabled():
        publishers = dict(
            selectors.Organisation.objects.filter(
                slug__in=[v.value for v in found.facets.get("publisher", [])]
            ).values_list("slug", "name")
        )
    facets = []
    for name, values in found.facets.items():
        if not values:
            continue
        items = []
        for value in values:
            if name == "year":
                selected = filters.year_from == filters.year_to == int(value.value)
                url = _year_url(request, value.value)
            else:
                selected = value.selected
                url = _toggle_url(request, FACET_PARAMS[name], value.value)
            items.append(
                {
                    "label": facet_label(name, value.value, publishers),
                    "count": value.count,
                    "selected": selected,
                    "url": url,
                }
            )
        facets.append(
            {
                "name": name,
                "title": FACET_TITLES.get(name, name),
                "items": items,
                "open": any(i["selected"] for i in items),
            }
        )
    context.update(
        {
            "found": found,
            "facets": facets,
            "filtered": filters.active(),
            "clear_url": "?" + urlencode({"q": q}) if q else "?",
            "previous_url": _page_url(request, found.page - 1) if found.page > 1 else None,
            "next_url": _page_url(request, found.page + 1) if found.page < found.pages else None,
            "hits": [_hit_context(hit, q) for hit in found.hits],
        }
    )
    return render(request, "library/search.html", context, status=status)


def _rate() -> str:
    from django.conf import settings

    return str(settings.IVCS_SEARCH_RATE)


def _hit_context(hit: selectors.Hit, q: str) -> dict[str, Any]:
    d = hit.document
    url = reverse("library:document", args=[d.pk])
    if q:
        url += "?" + urlencode({"q": q})
    return {
        "d": d,
        "url": url,
        "snippet": hit.snippet.fragments if hit.snippet is not None else None,
        "page": hit.page,
        "words": hit.lexical,
        "meaning": hit.semantic,
        "other_language": hit.semantic and not hit.lexical,
        "markets": [place_name(m) for m in d.markets[:4]],
        "type": d.get_doc_type_display(),
        "language": d.get_language_display(),
    }


def _document_or_404(request: HttpRequest, document_id: int) -> Document:
    document = selectors.document_for(document_id, tenant_id=_tenant_id(request), actor=request.user)
    if document is None:
        raise Http404(_("There is no such study here."))
    return document


@library_page
def document(request: HttpRequest, document_id: int) -> HttpResponse:
    d = _document_or_404(request, document_id)
    q = (request.GET.get("q") or "").strip()[: selectors.MAX_QUERY_CHARS]
    passages = selectors.matched_passages(d, q) if q else []
    context = {
        "d": d,
        "q": q,
        "passages": [{"p": p, "snippet": s.fragments} for p, s in passages],
        "related": selectors.more_like_this(d, tenant_id=_tenant_id(request)),
        "markets": [(m, place_name(m)) for m in d.markets],
        "origin": place_name(d.origin_country) if d.origin_country else "",
        "sectors": [dict(Sector.choices).get(s, s) for s in d.sectors],
        "editor": services.can_edit(request.user, d),
        "extraction_message": services.extraction_message(d),
        "first_pages": [] if q else list(d.passages.exclude(page=0).order_by("ordinal")[:2]),
    }
    return render(request, "library/document.html", context)


@library_page
def download(request: HttpRequest, document_id: int) -> HttpResponse:
    """The stored file, always as an attachment with a safe name and its sniffed type (never rendered
    inline: an uploaded HTML file cannot run in our origin)."""
    d = _document_or_404(request, document_id)
    path = services.file_path(d)
    if path is None or not path.exists():
        raise Http404(_("The file of this study is not available."))
    response: Any = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=d.file_name or "study",
        content_type=services.KIND_CONTENT_TYPES.get(d.file_kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@library_page
def publisher(request: HttpRequest, slug: str) -> HttpResponse:
    with scopes_disabled():
        org = selectors.publisher(slug)
    if org is None:
        raise Http404(_("This organisation publishes no studies here."))
    studies = selectors.visible(_tenant_id(request)).filter(publisher=org)
    paginator = Paginator(studies, 20)
    page = paginator.get_page(request.GET.get("page"))
    by_sector: dict[str, int] = {}
    for sectors in studies.values_list("sectors", flat=True):
        for s in sectors or []:
            by_sector[s] = by_sector.get(s, 0) + 1
    return render(
        request,
        "library/publisher.html",
        {
            "org": org,
            "page": page,
            "total": paginator.count,
            "country": place_name(org.country) if org.country else "",
            "sectors": sorted(
                ((str(dict(Sector.choices).get(k, k)), n, k) for k, n in by_sector.items()), key=lambda t: -t[1]
            ),
            "editor": services.can_edit(request.user, Document(publisher=org)),
        },
    )


# --- editors ---------------------------------------------------------------------------------------


def _publishers(request: HttpRequest) -> list[Any]:
    return services.publishers_for(request.user)


@library_page
def manage(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    publishers = _publishers(request)
    documents = selectors.editable_by(request.user).order_by("-updated_at")
    status = request.GET.get("status", "")
    if status in Document.Status.values:
        documents = documents.filter(status=status)
    page = Paginator(documents, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "library/manage.html",
        {"publishers": publishers, "page": page, "status": status, "statuses": Document.Status.choices},
    )


@library_page
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    publishers = _publishers(request)
    if not publishers:
        return render(request, "library/no_publisher.html", status=403)
    if request.method != "POST":
        form = UploadForm(
            publishers=publishers,
            initial={"language": _default_language(request), "visibility": "all", "publish": True},
        )
        return render(request, "library/upload.html", {"form": form})
    form = UploadForm(request.POST, request.FILES, publishers=publishers)
    if not form.is_valid():
        return render(request, "library/upload.html", {"form": form}, status=400)
    chosen = next(p for p in publishers if p.slug == form.cleaned_data["publisher"])
    upload_file = form.cleaned_data.get("file")
    metadata = form.metadata()
    if not metadata.get("title") and upload_file is not None:
        metadata["title"] = services.title_from_name(upload_file.name)
    try:
        d = services.create_document(
            actor=request.user,
            publisher=chosen,
            metadata=metadata,
            upload=upload_file,
            upload_name=getattr(upload_file, "name", ""),
            publish=bool(form.cleaned_data.get("publish")) and upload_file is None,
        )
    except FieldErrors as exc:
        for error in exc.errors:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        return render(request, "library/upload.html", {"form": form}, status=400)
    if form.cleaned_data.get("publish") and upload_file is not None:
        services.publish_when_read(d)
    messages.success(request, _("The study was added. Check what the system found in it, then publish it."))
    return redirect("library:review", document_id=d.pk)


def _default_language(request: HttpRequest) -> str:
    lang = (getattr(request, "LANGUAGE_CODE", "") or "es")[:2]
    return lang if lang in DocLanguage.values else "es"


def _editable_or_404(request: HttpRequest, document_id: int) -> Document:
    if not request.user.is_authenticated:
        raise Http404
    d = Document.objects.select_related("publisher").filter(pk=document_id).first()
    if d is None:
        raise Http404(_("There is no such study here."))
    if not services.can_edit(request.user, d):
        if selectors.document_for(document_id, tenant_id=_tenant_id(request)) is None:
            raise Http404(_("There is no such study here."))
        raise PermissionDenied
    return d


@library_page
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, document_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    d = _editable_or_404(request, document_id)
    form = MetadataForm(initial=MetadataForm.initial_for(d))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "save":
                form = MetadataForm(request.POST)
                if form.is_valid():
                    services.update_document(request.user, d, form.metadata())
                    messages.success(request, _("Saved."))
                    return redirect("library:review", document_id=d.pk)
                status = 400
            elif action == "accept":
                services.accept_suggestions(request.user, d, request.POST.getlist("suggestion"))
                messages.success(request, _("The suggestions were added to the study."))
                return redirect("library:review", document_id=d.pk)
            elif action in ("publish", "withdraw", "draft"):
                target = {"publish": "published", "withdraw": "withdrawn", "draft": "draft"}[action]
                services.set_status(request.user, d, target)
                messages.success(
                    request,
                    {
                        "published": _("Published: the study can now be found."),
                        "withdrawn": _("Withdrawn: the study no longer shows in search."),
                        "draft": _("Back to draft."),
                    }[target],
                )
                return redirect("library:review", document_id=d.pk)
            elif action == "delete":
                services.delete_document(request.user, d)
                messages.success(request, _("The study and its file were deleted."))
                return redirect("library:manage")
            elif action == "retry":
                services.retry_extraction(request.user, d)
                messages.success(request, _("The file will be read again."))
                return redirect("library:review", document_id=d.pk)
        except FieldErrors as exc:
            for error in exc.errors:
                if error.field in form.fields:
                    form.add_error(error.field, error.message)
                else:
                    messages.error(request, error.message)
            status = 400
    d.refresh_from_db()
    return render(request, "library/review.html", _review_context(d, form), status=status)


def _hs_in_language(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Suggested HS codes with their descriptions in the page's language (stored in the study's)."""
    from ivcs.products import selectors as products

    language = get_language() or "es"
    out = []
    for item in items:
        found = products.hs_code(str(item.get("code", "")))
        out.append({**item, "description": found.description(language)[0] if found else item.get("description", "")})
    return out


def _review_context(d: Document, form: MetadataForm) -> dict[str, Any]:
    suggestions = d.suggestions or {}
    return {
        "d": d,
        "form": form,
        "busy": d.extraction in (Document.Extraction.PENDING, Document.Extraction.RUNNING),
        "extraction_message": services.extraction_message(d),
        "unreadable_draft": d.status == Document.Status.DRAFT
        and d.extraction in (Document.Extraction.NO_TEXT, Document.Extraction.ENCRYPTED, Document.Extraction.CORRUPT),
        "suggested_language": dict(DocLanguage.choices).get(suggestions.get("language") or "", "")
        if suggestions.get("language") != d.language
        else "",
        "suggested_hs": _hs_in_language([s for s in suggestions.get("hs", []) if s.get("code") not in d.hs_codes]),
        "suggested_markets": [
            (s["code"], place_name(s["code"]), s.get("mentions", 0))
            for s in suggestions.get("markets", [])
            if s.get("code") not in d.markets
        ],
        "suggested_sectors": [
            (s, dict(Sector.choices).get(s, s))
            for s in suggestions.get("sectors", [])
            if s not in d.sectors and s != Sector.OTHER
        ],
        "suggested_origin": place_name(suggestions["origin_country"])
        if suggestions.get("origin_country") and suggestions.get("origin_country") != d.origin_country
        else "",
        "suggested_title": suggestions.get("title")
        if suggestions.get("title") and suggestions.get("title") != d.title
        else "",
        "passages": list(d.passages.exclude(page=0).order_by("ordinal")[:3]),
        "passage_count": d.passages.exclude(page=0).count(),
    }


@library_page
def progress(request: HttpRequest, document_id: int) -> HttpResponse:
    """The extraction state fragment the review page polls (htmx) while the file is read."""
    d = _editable_or_404(request, document_id)
    return render(
        request,
        "library/_progress.html",
        {
            "d": d,
            "busy": d.extraction in (Document.Extraction.PENDING, Document.Extraction.RUNNING),
            "extraction_message": services.extraction_message(d),
        },
    )
