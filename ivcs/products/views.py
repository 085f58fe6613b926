"""Pages of the products domain: the answer to "what does your company make?", HS code pages and
the HS picker's suggestions (an htmx fragment)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivcs.core.http import over_limit
from ivcs.products import selectors
from ivcs.products.api import HINTS, understanding_out
from ivcs.products.models import HsCode

INTENT_LABELS = {
    "find_buyers": gettext_lazy("find buyers"),
    "certifications": gettext_lazy("standards and certifications"),
    "rules_of_origin": gettext_lazy("preferential tariffs and rules of origin"),
    "inputs": gettext_lazy("inputs and supply chain"),
    "studies": gettext_lazy("market studies"),
    "financing": gettext_lazy("financing"),
    "explore": gettext_lazy("explore"),
}


def _limited(request: HttpRequest) -> bool:
    from django.conf import settings

    return over_limit(request, "search", settings.IVCS_SEARCH_RATE, methods=("GET", "POST"))


def answer(request: HttpRequest) -> HttpResponse:
    """What we understood from the sentence, the products with codes, and where to go next."""
    text = (request.GET.get("q") or "").strip()
    context: dict[str, Any] = {"q": text, "max_chars": selectors.MAX_SENTENCE_CHARS}
    if not text:
        return render(request, "products/answer.html", context)
    if len(text) > selectors.MAX_SENTENCE_CHARS:
        context["error"] = _("Please describe your product in at most %(n)d characters.") % {
            "n": selectors.MAX_SENTENCE_CHARS
        }
        return render(request, "products/answer.html", context, status=400)
    if _limited(request):
        context["error"] = _("Too many searches from your network. Please wait a minute and try again.")
        return render(request, "products/answer.html", context, status=429)
    language = selectors.hs_language(request)
    understood = selectors.understand_sentence(text, lang=None)
    data = understanding_out(request, understood)
    chosen = selectors.hs_code(request.GET.get("code", "")) if request.GET.get("code") else None
    products = list(data["products"])
    if chosen is not None:  # the user corrected the product with the picker
        description, _used = chosen.description(language)
        products = [{"code": chosen.code, "description": description, "score": 1.0, "chosen": True}]
    codes = {p["code"]: p for p in products}
    rows = HsCode.objects.filter(code__in=list(codes)).select_related("parent__parent")
    for row in rows:
        description, used = row.description(language)
        codes[row.code].update(
            description=description,
            description_language=used,
            heading=row.parent,
            chapter=row.parent.parent if row.parent else None,
        )
    context.update(
        data=data,
        products=products,
        intent_label=INTENT_LABELS.get(data["intent"], data["intent"]),
        hint=data["hint"],
        alternatives=[] if chosen else selectors.search_hs(text, lang=language, limit=8),
    )
    return render(request, "products/answer.html", context)


def hs_code(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.hs_code(code)
    if found is None:
        raise Http404
    language = selectors.hs_language(request)
    description, used = found.description(language)
    context = {
        "code": found,
        "description": description,
        "description_language": used,
        "parents": [(p, p.description(language)[0]) for p in selectors.ancestors(found)],
        "children": [(c, c.description(language)[0]) for c in selectors.children(found)],
        "descriptions": [
            (lang, getattr(found, f"description_{lang}"), _source_label(getattr(found, f"source_{lang}")))
            for lang in ("es", "pt", "en")
            if getattr(found, f"description_{lang}")
        ],
    }
    tenant = getattr(request, "tenant", None)
    if "library" in settings.IVCS_MODULES and (tenant is None or tenant.module_enabled("library")):
        from ivcs.library.selectors import studies_for

        context["studies"], context["studies_total"] = studies_for(
            hs=found.code, tenant_id=tenant.pk if tenant is not None else None
        )
    return render(request, "products/hs_code.html", context)


def _source_label(key: str) -> str:
    from ivcs.engines.hs.nomenclature import SOURCES

    source = SOURCES.get(key)
    if source is None:
        return key
    label = f"{source.name}, {source.vintage}"
    return label if source.verified else "{} ({})".format(label, _("not an official text"))


def hs_suggest(request: HttpRequest) -> HttpResponse:
    """The HS picker's options for what has been typed so far (htmx fragment)."""
    query = (request.GET.get("hs_query") or request.GET.get("q") or "").strip()[: selectors.MAX_QUERY_CHARS]
    target = request.GET.get("target", "id_hs_code")
    result = None
    if query and not _limited(request):
        result = selectors.search_hs(query, lang=selectors.hs_language(request), limit=8)
    hint = None
    if result is not None and result.hint:
        hint = _(HINTS.get(result.hint, result.hint))
    return render(
        request,
        "products/_hs_suggestions.html",
        {"result": result, "query": query, "target": target, "hint": hint},
    )
