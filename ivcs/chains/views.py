"""Pages of the chains module: explore a product's inputs and uses, and an SME's own bills of materials.

Reads through ivcs.chains.selectors, writes through ivcs.chains.services (ChainError's field errors
come back on the forms with a 400). A bill of materials that is not the user's answers 404, as if it
did not exist; a viewer of its organisation sees it without the editor.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivcs.accounts import selectors as accounts
from ivcs.accounts.permissions import Perm, can
from ivcs.chains import forms, selectors, services
from ivcs.chains.models import EndUse, LinkSource
from ivcs.core.errors import UnknownValue
from ivcs.core.http import over_limit
from ivcs.core.i18n import country_name
from ivcs.products import selectors as products
from ivcs.tenants.middleware import module_required

chains_page = module_required("chains")

SOURCE_LABELS = dict(LinkSource.choices)
SOURCE_ORDER = {s: i for i, s in enumerate(("curated", "rules_of_origin", "derived", "user"))}
END_USE_LABELS = dict(EndUse.choices)
SUGGESTIONS_IN_NEW_BOM = 8
EXAMPLES = ["090121", "1806", "2204", "2203", "0403", "5208", "6109", "6403", "8471"]


def _lang(request: HttpRequest) -> str:
    return products.hs_language(request)


def _not_found(request: HttpRequest, message: str | None = None) -> HttpResponse:
    message = message or _("There is no such bill of materials, or it is not yours.")
    return render(request, "core/error.html", {"status": 404, "message": message}, status=404)


def _module_links(code: str, tenant: Any) -> list[dict[str, str]]:
    """Links from a product to the other modules that exist on this site."""
    candidates = [
        ("opportunities", "opportunities:search", "hs", _("Buyers looking for it")),
        ("standards", "standards:search", "hs", _("Standards and certifications for it")),
        ("origin", "origin:assess", "hs", _("Where it enters at a preferential tariff")),
        ("library", "library:search", "hs", _("Studies about it")),
    ]
    out = []
    for module, url_name, param, label in candidates:
        if module not in settings.IVCS_MODULES or (tenant is not None and not tenant.module_enabled(module)):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        out.append({"url": f"{url}?{param}={code}", "label": label})
    out.append(
        {"url": reverse("products:hs_code", kwargs={"code": code}), "label": _("The HS code and its descriptions")}
    )
    return out


# --- Explore ----------------------------------------------------------------------------------------


@chains_page
def explore(request: HttpRequest) -> HttpResponse:
    """Start page: a product by code or by words, and a few examples."""
    code = (request.GET.get("hs") or "").strip()
    if code:
        try:
            product = selectors.product_code(code, location="query")
        except UnknownValue:
            product = None
        if product is not None and product.level in (4, 6):
            return redirect("chains:product", code=product.code)
    query = (request.GET.get("q") or code).strip()[: products.MAX_QUERY_CHARS]
    result = None
    limited = False
    if query:
        limited = over_limit(request, "search", settings.IVCS_SEARCH_RATE, methods=("GET",))
        if not limited:
            result = products.search_hs(query, lang=_lang(request), limit=10)
    examples = selectors.descriptions(EXAMPLES, _lang(request))
    context = {
        "query": query,
        "result": result,
        "limited": limited,
        "examples": [(c, examples[c][0]) for c in EXAMPLES if c in examples],
        "links_loaded": selectors.links_loaded(),
    }
    return render(request, "chains/explore.html", context, status=429 if limited else 200)


def _confidence_label(value: float) -> str:
    if value >= 0.7:
        return _("high")
    if value >= 0.4:
        return _("medium")
    return _("low")


def _decorate(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for item in items:
        item["confidence_label"] = _confidence_label(item["confidence"])
        item["confidence_key"] = (
            "high" if item["confidence"] >= 0.7 else "medium" if item["confidence"] >= 0.4 else "low"
        )
        item["weight_pct"] = round(item["weight"] * 100)
        kinds = sorted({s["source"] for s in item["sources"]}, key=lambda k: SOURCE_ORDER.get(k, 9))
        item["source_labels"] = [str(SOURCE_LABELS.get(k, k)) for k in kinds]
        item["end_use_label"] = str(END_USE_LABELS.get(item.get("end_use") or "", ""))
        for s in item["sources"]:
            s["label"] = str(SOURCE_LABELS.get(s["source"], s["source"]))
        _decorate(item["children"])
    return items


@chains_page
def product(request: HttpRequest, code: str) -> HttpResponse:
    from ivcs.chains.api import ChainParams, chain_payload

    try:
        depth = min(max(int(request.GET.get("depth", "1")), 1), 2)
    except ValueError:
        depth = 1
    level = {"4": 4, "6": 6}.get(request.GET.get("level", ""))
    source = request.GET.get("source", "")
    end_use = request.GET.get("end_use", "")
    params = ChainParams.model_validate(
        {
            "depth": depth,
            "level": level,
            "limit": 15,
            "source": [source] if source in LinkSource.values else None,
            "end_use": ["intermediate"] if end_use == "intermediate" else None,
        }
    )
    try:
        data = chain_payload(code, params, _lang(request))
    except UnknownValue:
        return render(
            request,
            "core/error.html",
            {"status": 404, "message": _("%(code)s is not an HS heading or subheading.") % {"code": code[:20]}},
            status=404,
        )
    if data["product"]["code"] != code:
        return redirect("chains:product", code=data["product"]["code"])
    hs = products.hs_code(code)
    parents = products.ancestors(hs) if hs else []
    context = {
        "d": data,
        "end_use_label": str(END_USE_LABELS.get(data["product"]["end_use"] or "", "")),
        "filtered": bool(level or source or end_use or depth > 1),
        "inputs": _decorate(data["inputs"]),
        "used_in": _decorate(data["used_in"]),
        "parents": [(p, p.description(_lang(request))[0]) for p in parents],
        "depth": depth,
        "level": level,
        "source": source if source in LinkSource.values else "",
        "end_use": end_use,
        "sources": LinkSource.choices,
        "module_links": _module_links(code, getattr(request, "tenant", None)),
        "may_start_bom": request.user.is_authenticated,
    }
    return render(request, "chains/product.html", context)


# --- My bills of materials ------------------------------------------------------------------------------


def _editable(request: HttpRequest) -> list[Any]:
    return selectors.editable_smes(request.user, [m.organisation for m in accounts.memberships_of(request.user)])  # type: ignore[arg-type]


def _chosen(request: HttpRequest, organisations: list[Any]) -> Any:
    wanted = request.POST.get("organisation") or request.GET.get("org")
    chosen = next((o for o in organisations if o.slug == wanted), None)
    if chosen is None and wanted and request.method == "POST":
        raise PermissionDenied
    return chosen or (organisations[0] if organisations else None)


@chains_page
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    boms = list(selectors.boms_for(request.user))
    organisations = _editable(request)
    return render(request, "chains/mine.html", {"boms": boms, "organisations": organisations})


def _suggested_inputs(code: str, present: set[str], language: str, limit: int) -> list[dict[str, Any]]:
    found = selectors.chain(selectors.ChainQuery(code=code, depth=1, limit=limit + len(present)))
    nodes = [n for n in found["inputs"] if n.code not in present][:limit]
    texts = selectors.descriptions([n.code for n in nodes], language)
    return [
        {
            "code": n.code,
            "description": texts.get(n.code, ("", "en"))[0],
            "confidence": _confidence_label(n.confidence),
            "confidence_value": n.confidence,
            "sources": sorted({str(SOURCE_LABELS.get(lk.source, lk.source)) for lk in n.links}),
        }
        for n in nodes
    ]


def _editor_context(request: HttpRequest, header: Any, rows: Any, **extra: Any) -> dict[str, Any]:
    source = header.data if header.is_bound else header.initial
    product_code = str(source.get("product", ""))
    from ivcs.engines.hs.nomenclature import normalise_code

    digits = normalise_code(product_code) or ""
    present = set()
    row_codes = []
    for form in rows.forms:
        value = form.data.get(f"{form.prefix}-hs") if form.is_bound else form.initial.get("hs")
        row_codes.append(normalise_code(str(value)) or "" if value else "")
        if value:
            present.add(normalise_code(str(value)) or "")
    texts = selectors.descriptions([c for c in [digits, *row_codes] if c], _lang(request))
    for form, code in zip(rows.forms, row_codes, strict=True):
        form.hs_text = texts.get(code, ("", ""))[0]
    product_text = texts.get(digits, ("", ""))[0] if digits else ""
    context = {
        "header": header,
        "rows": rows,
        "product_code": digits,
        "product_text": product_text,
        "suggestions": _suggested_inputs(digits, present, _lang(request), 8) if len(digits) in (4, 6) else [],
    }
    context.update(extra)
    return context


def _adding(request: HttpRequest) -> bool:
    """The editor's "add" buttons (the picker's, or a suggestion's) re-render without saving."""
    return request.POST.get("step") == "add" or bool(request.POST.get("add"))


def _add_row(request: HttpRequest) -> tuple[Any, Any]:
    """The bound forms plus one row for the code being added (from the picker or a suggestion)."""
    data = request.POST.copy()
    code = (request.POST.get("add") or request.POST.get("add_hs") or "").strip()
    total = int(data.get("inputs-TOTAL_FORMS", "0") or 0)
    if code:
        # Fill the first blank row, else append one.
        target = None
        for i in range(total):
            if not any(
                data.get(f"inputs-{i}-{f}", "").strip() for f in ("hs", "description", "supplier", "value_share")
            ):
                target = i
                break
        if target is None:
            target = total
            data["inputs-TOTAL_FORMS"] = str(total + 1)
        data[f"inputs-{target}-hs"] = code
        data[f"inputs-{target}-originating"] = "unknown"
    return forms.BomHeaderForm(data), forms.formset(data)


def _post_editor(
    request: HttpRequest, context: dict[str, Any], save: Callable[[dict[str, Any], int | None], Any]
) -> HttpResponse:
    """The editor's POST: "add" re-renders with one more row; "save" checks the forms, calls `save`
    (the service) and puts its refusals back on the fields (400), or goes to the saved bill."""
    if _adding(request):
        header, rows = _add_row(request)
        return render(request, "chains/edit.html", _editor_context(request, header, rows, **context))
    header, rows = forms.BomHeaderForm(request.POST), forms.formset(request.POST)
    if header.is_valid() and rows.is_valid():
        data, origin_rows = forms.data_for_service(header, rows)
        try:
            saved = save(data, header.cleaned_data.get("version") or None)
        except services.ChainError as error:
            forms.add_service_errors(error, header, rows, origin_rows)
        else:
            messages.success(request, _("Your bill of materials is saved (version %(v)d).") % {"v": saved.version})
            return redirect("chains:bom", bom_id=saved.pk)
    return render(request, "chains/edit.html", _editor_context(request, header, rows, **context), status=400)


@chains_page
def new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = _editable(request)
    if not organisations:
        return render(request, "chains/no_sme.html")
    chosen = _chosen(request, organisations)
    context: dict[str, Any] = {"organisations": organisations, "chosen": chosen, "bom": None}
    if request.method == "POST":
        return _post_editor(request, context, lambda data, version: services.create_bom(request.user, chosen, data))
    # GET: the product from ?hs= (or the picker), prefilled with the strongest suggested inputs.
    code = (request.GET.get("hs") or request.GET.get("product") or "").strip()
    try:
        product = selectors.product_code(code, location="query") if code else None
    except UnknownValue:
        product = None
        messages.error(request, _("%(code)s is not an HS heading or subheading.") % {"code": code[:20]})
    if product is None or product.level not in (4, 6):
        return render(request, "chains/new.html", context)
    suggested = _suggested_inputs(product.code, set(), _lang(request), SUGGESTIONS_IN_NEW_BOM)
    header = forms.BomHeaderForm(initial={"product": product.code, "version": 0})
    rows = forms.formset(
        initial=forms.initial_rows([{"hs": s["code"]} for s in suggested if s["confidence_value"] >= 0.4])
    )
    context["prefilled"] = True
    return render(request, "chains/edit.html", _editor_context(request, header, rows, **context))


def _bom_or_404(request: HttpRequest, bom_id: int) -> Any:
    return selectors.bom_for(request.user, bom_id)


@chains_page
def bom(request: HttpRequest, bom_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = _bom_or_404(request, bom_id)
    if found is None:
        return _not_found(request)
    may_edit = can(request.user, Perm.EDIT_ORG, found.organisation)
    language = _lang(request)
    context: dict[str, Any] = {"bom": found, "may_edit": may_edit, "versions": list(selectors.versions_of(found)[:20])}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        return _post_editor(
            request,
            context,
            lambda data, version: services.update_bom(request.user, found, data, expected_version=version),
        )
    data = selectors.bom_data(found, language)
    for row in data["inputs"]:
        row["origin_name"] = country_name(row["origin"]) if row["origin"] else ""
    context["d"] = data
    if may_edit and request.GET.get("edit"):
        header = forms.BomHeaderForm(
            initial={"product": found.product_id, "name": found.name, "notes": found.notes, "version": found.version}
        )
        rows = forms.formset(initial=forms.initial_rows(data["inputs"]))
        return render(request, "chains/edit.html", _editor_context(request, header, rows, **context))
    return render(request, "chains/bom.html", context)


@chains_page
@require_POST
def bom_delete(request: HttpRequest, bom_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("chains:mine"))
    found = _bom_or_404(request, bom_id)
    if found is None:
        return _not_found(request)
    services.delete_bom(request.user, found)
    messages.success(request, _("The bill of materials is deleted."))
    return redirect("chains:mine")


EXPORT_COLUMNS = ["hs", "hs_description", "description", "origin", "supplier", "value_share", "originating_declared"]


@chains_page
def bom_export(request: HttpRequest, bom_id: int, fmt: str) -> HttpResponse:
    """The bill (or one saved version with ?version=N) as CSV or JSON, as an attachment."""
    if fmt not in ("csv", "json"):
        return _not_found(request, _("Export as .csv or .json."))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = _bom_or_404(request, bom_id)
    if found is None:
        return _not_found(request)
    data = selectors.bom_data(found, _lang(request))
    asked = request.GET.get("version")
    if asked and asked != str(found.version):
        version = selectors.versions_of(found).filter(version=asked if asked.isdigit() else -1).first()
        if version is None:
            return _not_found(request, _("There is no such version."))
        content = version.content
        data = {**data, "version": version.version, "name": content.get("name", ""), "notes": content.get("notes", "")}
        data["product"] = {**data["product"], "code": content.get("product")}
        data["inputs"] = content.get("inputs", [])
    filename = f"ivcs-bom-{slugify(found.organisation.slug)}-{data['product']['code']}-v{data['version']}.{fmt}"
    if fmt == "json":
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["product", "version", *EXPORT_COLUMNS])
        for row in data["inputs"]:
            writer.writerow([data["product"]["code"], data["version"], *(_cell(row.get(c)) for c in EXPORT_COLUMNS)])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    text = str(value)
    # Spreadsheet formula injection: a cell must not start like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
