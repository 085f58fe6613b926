"""Pages of the rules-of-origin tool: the assessment wizard (product, exporter and price, inputs, processes),
its results (destination x agreement x status, with the rule, each input's verdict, the figures, what would
make it qualify, the tariff and the proofs of origin), a printable summary, the agreements loaded and a
glossary.

Every check of a request is `ivcs.origin.assessing.check`'s (the API's): its field errors come back on the
form field or input row they name, with a 400. The wizard keeps no state on the server: every step posts the
whole form, so a result can be reworked, answered or printed without a session.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ivcs.accounts import selectors as accounts
from ivcs.chains import selectors as chains
from ivcs.core.http import over_limit
from ivcs.core.i18n import place_name
from ivcs.origin import assessing, forms, plain, selectors
from ivcs.products import selectors as products
from ivcs.tenants.middleware import module_required

origin_page = module_required("origin")

STATUS_LABELS = {
    "qualifies": gettext_lazy("Qualifies"),
    "does_not_qualify": gettext_lazy("Does not qualify"),
    "needs_information": gettext_lazy("Needs information"),
}
ANSWER_PREFIX = "answer__"
DEFAULT_PRICE = Decimal(100)


def _lang(request: HttpRequest) -> str:
    return products.hs_language(request)


def _place(code: str | None) -> str:
    return place_name(code) if code else "—"


def _hs_text(code: str, language: str) -> str:
    found = chains.descriptions([code], language).get(code)
    return found[0] if found else ""


def _default_exporter(request: HttpRequest) -> str:
    for org in accounts.organisations_for(request.user)[:5]:
        country = getattr(org, "country", "") or ""
        if country:
            return str(country)
    return ""


def _prefill_from_bom(request: HttpRequest, bom_id: str) -> tuple[dict[str, Any], list[dict[str, Any]], Any]:
    """The form's initial data from one of the user's bills of materials: values are the inputs' shares of
    a price of 100 (the user may enter real figures; the percentages are what the rules look at)."""
    bom = chains.bom_for(request.user, bom_id)
    if bom is None:
        return {}, [], None
    data = chains.bom_data(bom, _lang(request))
    rows = []
    for item in data["inputs"]:
        share = item["value_share"]
        rows.append(
            {
                "hs": item["hs"],
                "name": item["description"] or item["hs_description"][:200],
                "origin": item["origin"] or "",
                "value": "" if share is None else f"{Decimal(str(share)):.2f}",
                "originating": {True: "yes", False: "no"}.get(item["originating_declared"], "unknown"),
            }
        )
    initial = {"product": data["product"]["code"], "ex_works_price": f"{DEFAULT_PRICE:.2f}"}
    return initial, rows, bom


def _answers(request: HttpRequest) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in request.POST:
        value = str(request.POST.get(name, ""))
        if not name.startswith(ANSWER_PREFIX) or value == "":
            continue
        key = name[len(ANSWER_PREFIX) :][:200]
        if key in ("product_weight", "component_weight", "net_cost") or key.endswith(".weight"):
            try:
                out[key] = Decimal(forms.number_text(value))
            except InvalidOperation:
                continue
        else:
            out[key] = value[:200]
        if len(out) >= 100:
            break
    return out


def _decorate(result: dict[str, Any], inputs: list[dict[str, Any]], language: str) -> dict[str, Any]:
    result["status_label"] = STATUS_LABELS.get(result["status"], result["status"])
    result["destination_name"] = _place(result["destination"])
    rule = result.get("rule")
    if rule and rule.get("structured"):
        rule["plain"] = plain.plain_words(rule["structured"])
    for i, row in enumerate(result["inputs"]):
        source = inputs[i] if i < len(inputs) else {}
        row["label"] = source.get("name") or _hs_text(row.get("hs", ""), language)
        row["origin_name"] = _place(source.get("origin")) if source.get("origin") else _("not known")
    return result


def _by_agreement(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per agreement (its assessment does not depend on the destination), with its destinations
    and each one's tariff: CPTPP's eleven markets are one card, not eleven."""
    out: dict[str, dict[str, Any]] = {}
    for r in results:
        entry = out.get(r["agreement"]["id"])
        if entry is None:
            entry = out[r["agreement"]["id"]] = {**r, "destinations": []}
        entry["destinations"].append({"code": r["destination"], "name": r["destination_name"], "tariff": r["tariff"]})
    for entry in out.values():
        entry["destinations"].sort(key=lambda d: (d["tariff"] is None, d["name"]))
        entry["destination_names"] = ", ".join(d["name"] for d in entry["destinations"])
    return list(out.values())


def _questions(results: list[dict[str, Any]], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The open questions of every result, once each (a shared fact is asked once for all agreements)."""
    seen: dict[str, dict[str, Any]] = {}
    for r in results:
        for q in r["missing"]:
            if not q.get("answerable", True):
                continue
            entry = seen.get(q["key"])
            if entry is None:
                entry = {**q, "field": ANSWER_PREFIX + q["key"], "agreements": [], "value": answers.get(q["key"], "")}
                seen[q["key"]] = entry
            if r["agreement"]["name"] not in entry["agreements"]:
                entry["agreements"].append(r["agreement"]["name"])
    return list(seen.values())


def _kept(answers: dict[str, Any], questions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Answers given earlier that no question shows any more: posted again as hidden fields."""
    asked = {q["key"] for q in questions}
    return [(key, _text(value)) for key, value in answers.items() if key not in asked]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _context_forms(
    request: HttpRequest, data: Any, initial: dict[str, Any], rows_initial: list[dict[str, Any]]
) -> tuple[forms.AssessForm, Any, str]:
    exporter = (data.get("exporter") if data is not None else initial.get("exporter")) or ""
    product = (data.get("product") if data is not None else initial.get("product")) or ""
    product = product.replace(".", "").strip()
    destinations = [(d, _place(d)) for d in selectors.all_destinations(exporter)] if exporter else []
    processes = selectors.processes_for(product) if len(product) == 6 and product.isdigit() else []
    if data is not None:
        processes = list(dict.fromkeys([*processes, *data.getlist("processes")]))
    form = forms.AssessForm(data, initial=initial, destinations=destinations, processes=processes)
    rows = forms.formset(data, initial=rows_initial or None)
    return form, rows, product


MORE_ROWS = 3


def _posted(request: HttpRequest) -> Any:
    """The posted form, with the HS picker's choice as the product and more rows when asked."""
    if request.method != "POST":
        return None
    data = request.POST.copy()
    pick = (data.get("product_pick") or "").strip()
    if pick:
        data["product"] = pick
    if data.get("step") == "more":
        try:
            total = int(data.get("inputs-TOTAL_FORMS", "0"))
        except ValueError:
            total = 0
        data["inputs-TOTAL_FORMS"] = str(min(max(total, 0) + MORE_ROWS, assessing.MAX_INPUTS))
    return data


@origin_page
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest) -> HttpResponse:
    language = _lang(request)
    initial: dict[str, Any] = {"exporter": _default_exporter(request), "currency": "USD"}
    rows_initial: list[dict[str, Any]] = []
    bom = None
    prefilled = False
    if request.method == "GET":
        hs = (request.GET.get("hs") or "").replace(".", "").strip()[:12]
        if hs:
            initial["product"] = hs
        if request.GET.get("bom"):
            bom_initial, rows_initial, bom = _prefill_from_bom(request, request.GET["bom"])
            initial.update(bom_initial)
            prefilled = bom is not None
    data = _posted(request)
    form, rows, product = _context_forms(request, data, initial, rows_initial)
    context: dict[str, Any] = {
        "form": form,
        "rows": rows,
        "bom": bom,
        "prefilled": prefilled,
        "product_text": _hs_text(product, language) if product else "",
        "boms": list(chains.boms_for(request.user)[:20]) if request.user.is_authenticated else [],
        "agreements": selectors.agreements(),
    }
    status = 200
    if data is not None and data.get("step") == "more":
        form.is_valid()  # show what is wrong so far, assess nothing
        return render(request, "origin/assess.html", context)
    if data is not None:
        if over_limit(request, "search", settings.IVCS_SEARCH_RATE):
            context["limited"] = True
            return render(request, "origin/assess.html", context, status=429)
        status = _run(request, form, rows, context)
    template = "origin/summary.html" if data is not None and data.get("step") == "print" and status == 200 else None
    return render(request, template or "origin/assess.html", context, status=status)


def _run(request: HttpRequest, form: forms.AssessForm, rows: Any, context: dict[str, Any]) -> int:
    """Assess the posted request into `context`; the status code of the page."""
    valid = form.is_valid() & rows.is_valid()
    answers = _answers(request)
    body = forms.request_data(form, rows, answers) if valid else None
    if body is None:
        return 400
    try:
        out = _assess_dropping_stale_answers(body)
    except assessing.OriginRequestError as exc:
        forms.add_request_errors(exc, form, rows)
        return 400
    answers = body["answers"]
    language = _lang(request)
    results = _by_agreement([_decorate(r, body["inputs"], language) for r in out["results"]])
    questions = _questions(results, answers)
    counts = {key: sum(1 for r in results if r["status"] == key) for key in STATUS_LABELS}
    context.update(
        {
            "assessed": True,
            "results": results,
            "counts": counts,
            "notes": out["notes"],
            "other_markets": [{**m, "market_name": _place(m["market"])} for m in out["other_markets"]],
            "questions": questions,
            "kept_answers": _kept(answers, questions),
            "body": body,
            "inputs": [{**i, "origin_name": _place(i["origin"]) if i["origin"] else ""} for i in body["inputs"]],
            "exporter_name": _place(body["exporter"]),
            "product_text": _hs_text(body["product"], language),
            "product_code": body["product"],
        }
    )
    return 200


def _assess_dropping_stale_answers(body: dict[str, Any]) -> dict[str, Any]:
    """The assessment; an answer that no longer fits (a rule set of the product before it was changed) is
    dropped instead of blocking the page: the question is simply asked again."""
    try:
        return assessing.assess_request(body)
    except assessing.OriginRequestError as exc:
        stale = [e.field[len("answers.") :] for e in exc.errors if (e.field or "").startswith("answers.")]
        if not stale or len(stale) != len(exc.errors):
            raise
        body["answers"] = {k: v for k, v in body["answers"].items() if k not in stale}
        return assessing.assess_request(body)


@origin_page
def agreements(request: HttpRequest) -> HttpResponse:
    rows = []
    for scheme in selectors.agreements():
        p = scheme.provisions or {}
        rows.append(
            {
                "scheme": scheme,
                "parties": [_place(c) for c in scheme.parties],
                "notes": p.get("notes") or [],
                "proofs": p.get("proofs") or [],
                "links": p.get("links") or [],
                "share": round(scheme.structured_share * 100, 1),
                "studies": _studies_on(request, scheme),
            }
        )
    return render(request, "origin/agreements.html", {"rows": rows})


def _studies_on(request: HttpRequest, scheme: Any) -> list[tuple[str, str, int]]:
    """(market, name, how many studies) for the markets of an agreement that have studies in the library."""
    tenant = getattr(request, "tenant", None)
    if "library" not in settings.IVCS_MODULES or (tenant is not None and not tenant.module_enabled("library")):
        return []
    from ivcs.library.selectors import studies_for

    markets = list(dict.fromkeys([*(["EU"] if scheme.id.startswith("eu-") else []), *scheme.parties]))
    out = []
    for code in markets:
        _found, total = studies_for(market=code, tenant_id=tenant.pk if tenant is not None else None, limit=0)
        if total:
            out.append((code, _place(code), total))
    return out


@origin_page
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "origin/glossary.html", {"terms": glossary_terms()})


def glossary_terms() -> list[dict[str, str]]:
    """The terms of the results, explained (the anchors are linked from the results)."""
    return [
        {
            "id": "originating",
            "term": _("Originating product"),
            "text": _(
                "A product that meets the agreement's rules of origin. Only originating products pay the "
                "preferential tariff; the importer claims it with a proof of origin."
            ),
        },
        {
            "id": "psr",
            "term": _("Product-specific rule (PSR)"),
            "text": _(
                "The rule the agreement sets for a heading or subheading: what must happen to the "
                "non-originating materials for the product to be originating."
            ),
        },
        {
            "id": "wo",
            "term": _("Wholly obtained"),
            "text": _(
                "Grown, born, harvested, fished or mined in the exporting country, with no foreign material "
                "at all (e.g. fresh fruit picked there)."
            ),
        },
        {
            "id": "cc",
            "term": _("Change of chapter (CC)"),
            "text": _(
                "Every non-originating material must come from a different HS chapter (first two digits) than "
                "the product."
            ),
        },
        {
            "id": "cth",
            "term": _("Change of tariff heading (CTH)"),
            "text": _(
                "Every non-originating material must be classified in a different heading (first four digits) "
                "than the product: e.g. roasting coffee beans of heading 0901 does not change the heading."
            ),
        },
        {
            "id": "ctsh",
            "term": _("Change of tariff subheading (CTSH)"),
            "text": _("Every non-originating material must be classified in a different subheading (six digits)."),
        },
        {
            "id": "maxnom",
            "term": _("Maximum value of non-originating materials (MaxNOM)"),
            "text": _(
                "Non-originating materials may be worth at most the given share of the product's ex-works price."
            ),
        },
        {
            "id": "rvc",
            "term": _("Regional value content (RVC)"),
            "text": _(
                "The share of the product's value that comes from the agreement's parties. Build-down: (price "
                "minus non-originating materials) / price; build-up: originating materials / price."
            ),
        },
        {
            "id": "exw",
            "term": _("Ex-works price"),
            "text": _(
                "The price paid to the manufacturer at the factory gate, including all materials used and "
                "excluding the taxes refunded on export."
            ),
        },
        {
            "id": "cumulation",
            "term": _("Cumulation"),
            "text": _(
                "Materials from the other party (bilateral) or from listed countries (diagonal, extended) count "
                "as originating. This tool applies bilateral cumulation; the others have conditions it does not "
                "check and are named as possibilities."
            ),
        },
        {
            "id": "tolerance",
            "term": _("Tolerance"),
            "text": _(
                "Non-originating materials that fail the rule may still be used up to a small share of the price "
                "(general value tolerance) or of the weight (textiles), where the agreement says so."
            ),
        },
        {
            "id": "insufficient",
            "term": _("Insufficient processing"),
            "text": _(
                "Simple operations (packing, mixing, sorting, labelling...) never confer origin, whatever the "
                "product-specific rule says."
            ),
        },
        {
            "id": "proof",
            "term": _("Proof of origin"),
            "text": _(
                "The document the importer needs to claim the preferential tariff: a movement certificate "
                "EUR.1, an origin or invoice declaration by the exporter, or a certification of origin."
            ),
        },
        {
            "id": "mfn",
            "term": _("MFN tariff"),
            "text": _(
                "The normal ('most favoured nation') duty a market charges on imports from countries without a "
                "preference. The saving is the MFN rate minus the preferential rate."
            ),
        },
    ]
