"""Pages of the standards domain: the explorer, sectors, schemes, comparison, certifiers, buyers and
their requirement sets, the gap analysis, certificates held and financing.

Reads go through ivcs.standards.selectors (the same data the API serialises, via its `*_out`
helpers); writes through ivcs.standards.services. Unknown ids answer a 404 page, bad filters a 400
page with the form's message; nothing the user types can give a 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivcs.accounts import selectors as accounts
from ivcs.accounts.permissions import Perm, can
from ivcs.core.errors import UnknownValue
from ivcs.core.http import over_limit
from ivcs.core.i18n import country_name
from ivcs.engines.nlq.gazetteer import SME_COUNTRIES
from ivcs.standards import api, forms, permissions, selectors, services
from ivcs.standards.models import Equivalence, Programme, Scheme, translated
from ivcs.tenants.middleware import module_required

standards_page = module_required("standards")

COURSE_KINDS = {
    "course": gettext_lazy("Course"),
    "guide": gettext_lazy("Guide"),
    "toolkit": gettext_lazy("Toolkit"),
    "webinar": gettext_lazy("Webinar"),
}
COURSE_COSTS = {"free": gettext_lazy("free"), "paid": gettext_lazy("paid"), "unknown": gettext_lazy("cost unknown")}
ACTIVE = {"yes": gettext_lazy("active"), "no": gettext_lazy("not active"), "unknown": gettext_lazy("status unknown")}
COST_ITEMS = {
    "audit_fee": gettext_lazy("Audit fee"),
    "audit_days": gettext_lazy("Audit days"),
    "licence_fee": gettext_lazy("Licence fee"),
    "consultancy": gettext_lazy("Consultancy"),
    "training": gettext_lazy("Training"),
    "laboratory": gettext_lazy("Laboratory"),
    "infrastructure": gettext_lazy("Infrastructure"),
    "registration": gettext_lazy("Registration"),
    "other": gettext_lazy("Other"),
}
VIA = {
    "held": gettext_lazy("the certificate itself"),
    "equivalence": gettext_lazy("equivalence or inclusion"),
    "recognition": gettext_lazy("recognition"),
}


# --- Helpers ------------------------------------------------------------------------------------


def _lang(request: HttpRequest) -> str:
    code = getattr(request, "LANGUAGE_CODE", "en") or "en"
    return "pt" if code.startswith("pt") else code[:2]


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"status": 404, "message": message}, status=404)


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


def _user_country(request: HttpRequest) -> str | None:
    """The country of the signed-in user's first organisation, if any."""
    user = request.user
    if not user.is_authenticated:
        return None
    membership = accounts.memberships_of(user).first()
    return membership.organisation.country if membership and membership.organisation.country else None


def _describe(options: list[str], recognised_by: str | None, names: dict[str, str]) -> str:
    """'any of FSSC 22000 / BRCGS Food', 'any GFSI-recognised scheme *', or both."""
    parts = []
    labels = sorted((names.get(s, s) for s in options), key=str.casefold)
    if len(labels) == 1:
        parts.append(labels[0])
    elif labels:
        parts.append(_("any of %(schemes)s") % {"schemes": " / ".join(labels)})
    if recognised_by:
        body = recognised_by.upper()
        parts.append(_("any %(body)s-recognised scheme *") % {"body": body})
    return _(" or ").join(parts)


def _describe_html(options: list[str], recognised_by: str | None, names: dict[str, str]) -> SafeString:
    """Like `_describe`, with each scheme linked to its page."""
    ordered = sorted(options, key=lambda s: str(names.get(s, s)).casefold())
    links = format_html_join(
        " / ", '<a href="{}">{}</a>', ((reverse("standards:scheme", args=[s]), names.get(s, s)) for s in ordered)
    )
    parts = []
    if len(ordered) == 1:
        parts.append(links)
    elif ordered:
        parts.append(mark_safe(conditional_escape(_("any of %(schemes)s")) % {"schemes": links}))  # noqa: S308
    if recognised_by:
        parts.append(conditional_escape(_("any %(body)s-recognised scheme *") % {"body": recognised_by.upper()}))
    return mark_safe(conditional_escape(_(" or ")).join(parts))  # noqa: S308


def _kind_label(kind: str) -> str:
    try:
        return str(Scheme.Kind(kind).label)
    except ValueError:
        return kind


def _requirement_rows(requirements: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            **r,
            "html": _describe_html(r["standards"], r["recognised_by"], names),
            "mandatory": r["level"] == "mandatory",
        }
        for r in requirements
    ]


def _buyer_context(buyer: Any, lang: str, names: dict[str, str]) -> dict[str, Any]:
    data = api.buyer_out(buyer, lang)
    for rs in data["requirement_sets"]:
        rs["rows"] = _requirement_rows(rs["requirements"], names)
    return data


def _all_names() -> dict[str, str]:
    return {s.id: s.label for s in selectors.list_schemes()}


def _programme(p: Programme, lang: str) -> dict[str, Any]:
    data = api.financing_out(p, lang)
    data["instrument_label"] = p.get_instrument_display()
    if p.maximum_amount is not None:
        data["maximum_label"] = number_format(p.maximum_amount, decimal_pos=0, force_grouping=True)
    data["purpose_labels"] = [str(forms.PURPOSES.get(x, x)) for x in p.purposes]
    data["active_label"] = ACTIVE.get(p.active, p.active)
    data["country_label"] = _("Latin America (regional)") if p.country == "LATAM" else country_name(p.country)
    return data


def _course(c: Any) -> dict[str, Any]:
    data = api.course_out(c)
    data["kind_label"] = COURSE_KINDS.get(c.kind, c.kind)
    data["cost_label"] = COURSE_COSTS.get(c.cost, c.cost)
    return data


def _cost(c: Any, lang: str) -> dict[str, Any]:
    data = api.cost_out(c, lang)
    data["country_label"] = _("any country") if c.country == "*" else country_name(c.country)
    data["part_rows"] = [{**p, "label": COST_ITEMS.get(p.get("item", ""), p.get("item", ""))} for p in c.parts]
    return data


# --- 1. Explorer ----------------------------------------------------------------------------------


@standards_page
def search(request: HttpRequest) -> HttpResponse:
    from ivcs.products import selectors as products

    top = selectors.sectors()
    form = forms.ExplorerForm(request.GET or None, sectors=top)
    filtered = any(request.GET.get(name) for name in form.fields)
    open_filters = form.is_bound and (
        bool(form.errors) or any(request.GET.get(k) for k in ("words", "sector", "kind", "recognised_by", "country"))
    )
    context: dict[str, Any] = {"form": form, "sectors": top, "filtered": filtered, "open_filters": open_filters}
    if form.is_bound and not form.is_valid():
        context["schemes"] = []
        return render(request, "standards/search.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    hs = data.get("hs") or ""
    product = (data.get("product") or "").strip()
    if product and not hs:
        if over_limit(request, "search", settings.IVCS_SEARCH_RATE, methods=("GET", "POST")):
            context["error"] = _("Too many searches from your network. Please wait a minute and try again.")
            context["schemes"] = []
            return render(request, "standards/search.html", context, status=429)
        result = products.search_hs(product, lang=products.hs_language(request))
        matches = list(result.results) if result is not None else []
        context["product_matches"] = matches[:6]
        if matches:
            hs = matches[0].code
        else:
            context["product_not_found"] = True
    if hs:
        code = products.hs_code(hs)
        context["hs"] = hs
        context["hs_description"] = code.description(products.hs_language(request))[0] if code else ""
    try:
        rows = selectors.list_schemes(
            sector=data.get("sector") or None,
            hs=hs or None,
            country=data.get("country") or None,
            q=data.get("words") or None,
            kind=data.get("kind") or None,
            recognised_by=data.get("recognised_by") or None,
        )
    except UnknownValue:
        form.add_error("hs", _("An HS code has 2, 4 or 6 digits, e.g. 0901 or 0901.21."))
        context["schemes"] = []
        return render(request, "standards/search.html", context, status=400)
    context["schemes"] = [
        {
            **api.standard_out(s, _lang(request)),
            "label": s.label,
            "kind_label": s.get_kind_display(),
            "unverified": s.verified == "no",
        }
        for s in rows
    ]
    return render(request, "standards/search.html", context)


# --- 2. Sector --------------------------------------------------------------------------------


@standards_page
def sector(request: HttpRequest, sector_id: str) -> HttpResponse:
    try:
        found = selectors.sector(sector_id)
    except UnknownValue:
        return _not_found(request, _("There is no sector “%(id)s”.") % {"id": sector_id})
    lang = _lang(request)
    names = _all_names()
    context = {
        "sector": found,
        "subsectors": list(found.children.all()),
        "buyers": [_buyer_context(b, lang, names) for b in selectors.buyers(sector=found.id)],
        "schemes": [
            {"id": s.id, "label": s.label, "owner": s.owner, "kind_label": s.get_kind_display()}
            for s in selectors.list_schemes(sector=found.id)
        ],
    }
    return render(request, "standards/sector.html", context)


# --- 3. Scheme ------------------------------------------------------------------------------------


def _studies_mentioning(request: HttpRequest, name: str) -> list[Any]:
    """Studies of the library that name the scheme (when the library module is on here)."""
    tenant = getattr(request, "tenant", None)
    if "library" not in settings.IVCS_MODULES or (tenant is not None and not tenant.module_enabled("library")):
        return []
    from ivcs.library.selectors import studies_mentioning

    return studies_mentioning(name, tenant_id=tenant.pk if tenant is not None else None)


@standards_page
def scheme(request: HttpRequest, scheme_id: str) -> HttpResponse:
    try:
        found = selectors.scheme(scheme_id)
    except UnknownValue:
        return _not_found(request, _("There is no scheme “%(id)s”.") % {"id": scheme_id})
    status = 200
    form = forms.CountryForm(request.GET if "country" in request.GET else None)
    country: str | None = None
    if form.is_bound:
        if form.is_valid():
            country = form.cleaned_data["country"] or None
        else:
            status = 400
    else:
        country = _user_country(request)
        form = forms.CountryForm(initial={"country": country or ""})
    lang = _lang(request)
    detail = api.standard_detail(found.id, country, lang)
    names = _all_names()
    relations = []
    for r in selectors.relations_of(found.id):
        other = r.other if r.scheme_id == found.id else r.scheme
        if r.relation == Equivalence.Relation.EQUIVALENT:
            text = _("equivalent to")
        elif r.relation == Equivalence.Relation.INCLUDES:
            text = _("includes (holding it meets a requirement for)") if r.scheme_id == found.id else _("included in")
        else:
            text = _("benchmarked against") if r.scheme_id == found.id else _("benchmark for")
        relations.append({"text": text, "other": other, "source": api.provenance(r), "note": r.note})
    context = {
        "scheme": found,
        "studies": _studies_mentioning(request, found.short_name or found.name),
        "d": detail,
        "kind_label": found.get_kind_display(),
        "form": form,
        "country": country,
        "country_label": country_name(country) if country else "",
        "sector_list": list(found.sectors.all()),
        "recognitions": [
            {"name": selectors.recognition_name(r.by), "scope": r.scope, "source": api.provenance(r)}
            for r in found.recognitions.all()
        ],
        "relations": relations,
        "costs": [_cost(c, lang) for c in selectors.costs(found.id, country)] if country else [],
        "financing": [
            _programme(p, lang)
            for p in selectors.financing(country=country, purpose="certification", scheme_id=found.id)
        ]
        if country
        else [],
        "courses": [_course(c) for c in selectors.courses(found.id)],
        "names": names,
    }
    return render(request, "standards/scheme.html", context, status=status)


# --- 4. Compare ------------------------------------------------------------------------------------


@standards_page
def compare(request: HttpRequest) -> HttpResponse:
    ids = list(dict.fromkeys(x.strip() for x in request.GET.getlist("s") if x.strip()))
    form = forms.CompareForm(request.GET if "country" in request.GET else None)
    context: dict[str, Any] = {"form": form, "ids": ids, "countries": SME_COUNTRIES}
    errors = []
    if len(ids) < 2:
        errors.append(_("Choose two or three schemes to compare."))
    elif len(ids) > 3:
        errors.append(_("Compare at most three schemes at a time."))
    found: list[Scheme] = []
    for scheme_id in ids[:3] if len(ids) <= 3 else []:
        try:
            found.append(selectors.scheme(scheme_id))
        except UnknownValue:
            errors.append(_("There is no scheme “%(id)s”.") % {"id": scheme_id})
    country: str | None = None
    if form.is_bound:
        if form.is_valid():
            country = form.cleaned_data["country"] or None
        else:
            errors.append(_("Choose a country from the list."))
    if errors:
        context["errors"] = errors
        context["all_schemes"] = selectors.list_schemes()
        return render(request, "standards/compare.html", context, status=400)
    lang = _lang(request)
    columns: list[dict[str, Any]] = []
    for s in found:
        per_country = [(c, len(selectors.certifiers(standard=s.id, country=c))) for c in SME_COUNTRIES]
        cost = next(iter(selectors.costs(s.id, country)), None) if country else None
        columns.append(
            {
                "scheme": s,
                "kind_label": s.get_kind_display(),
                "scope": translated(s.scope, lang),
                "audit_cycle": translated(s.audit_cycle, lang),
                "recognitions": [selectors.recognition_name(r.by) for r in s.recognitions.all()],
                "sectors": [x.label for x in s.sectors.all()],
                "per_country": per_country,
                "cost": _cost(cost, lang) if cost else None,
            }
        )
    context.update(
        columns=columns,
        country=country,
        country_label=country_name(country) if country else "",
        country_rows=[
            (c, country_name(c), [(col["scheme"].id, dict(col["per_country"])[c]) for col in columns])
            for c in SME_COUNTRIES
        ],
    )
    return render(request, "standards/compare.html", context)


# --- 5. Certifier ---------------------------------------------------------------------------------


@standards_page
def certifier(request: HttpRequest, certifier_id: str) -> HttpResponse:
    try:
        found = selectors.certifier(certifier_id)
    except UnknownValue:
        return _not_found(request, _("There is no certification body “%(id)s”.") % {"id": certifier_id})
    may_propose = permissions.certifier_organisation(request.user, found) is not None
    status = 200
    proposal_form = None
    if request.method == "POST":
        if not may_propose:
            raise PermissionDenied
        proposal_form = forms.CertifierProposalForm(request.POST)
        if proposal_form.is_valid():
            services.propose_certifier_update(
                actor=request.user,  # type: ignore[arg-type]
                certifier=found,
                data=proposal_form.data_for_service(),
            )
            messages.success(request, _("Thank you: your changes were sent for review."))
            return redirect("standards:certifier", certifier_id=found.id)
        status = 400
    elif may_propose:
        initial: dict[str, Any] = {"site": found.site}
        for i, office in enumerate(list(found.offices.all())[: forms.MAX_OFFICE_ROWS]):
            for name in ("country", "city", "address", "phone", "email", "url"):
                initial[f"{name}_{i}"] = getattr(office, name)
        proposal_form = forms.CertifierProposalForm(initial=initial)
    data = api.certifier_out(found, _lang(request))
    by_country: dict[str, list[dict[str, Any]]] = {}
    for office in data["offices"]:
        by_country.setdefault(office["country"], []).append(office)
    names = _all_names()
    context = {
        "certifier": found,
        "d": data,
        "offices": [
            (country_name(c), rows) for c, rows in sorted(by_country.items(), key=lambda r: country_name(r[0]))
        ],
        "schemes": [(s, names.get(s, s)) for s in data["standards"]],
        "proposal_form": proposal_form,
    }
    return render(request, "standards/certifier.html", context, status=status)


# --- 6. Buyer and its requirement sets ------------------------------------------------------------


@standards_page
def buyer(request: HttpRequest, buyer_id: str) -> HttpResponse:
    try:
        found = selectors.buyer(buyer_id)
    except UnknownValue:
        return _not_found(request, _("There is no buyer “%(id)s”.") % {"id": buyer_id})
    context = {
        "buyer": found,
        "d": _buyer_context(found, _lang(request), _all_names()),
        "sector_list": list(found.sectors.all()),
        "may_edit": permissions.can_edit_buyer(request.user, found),
    }
    return render(request, "standards/buyer.html", context)


@standards_page
def requirements_edit(request: HttpRequest, buyer_id: str, set_id: str | None = None) -> HttpResponse:
    try:
        found = selectors.buyer(buyer_id)
    except UnknownValue:
        return _not_found(request, _("There is no buyer “%(id)s”.") % {"id": buyer_id})
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_edit_buyer(request.user, found):
        raise PermissionDenied
    req_set = None
    if set_id is not None:
        req_set = next((s for s in found.requirement_sets.all() if s.id == set_id), None)
        if req_set is None:
            return _not_found(request, _("This buyer has no requirement set “%(id)s”.") % {"id": set_id})
    schemes = selectors.list_schemes()
    if request.method == "POST":
        form = forms.RequirementSetForm(request.POST, schemes=schemes)
        if form.is_valid():
            try:
                services.save_requirement_set(
                    actor=request.user,
                    buyer=found,
                    set_id=req_set.id if req_set else None,
                    title=form.cleaned_data["title"],
                    language=_lang(request),
                    hs=form.codes(),
                    requirements=form.requirements(),
                )
            except services.StandardsError as error:
                field = error.field or ""
                if field in ("title", "hs"):
                    form.add_error(field, error.message)
                elif field.startswith("requirements."):
                    row = field.split(".")[1]
                    target = f"level_{row}" if field.endswith(".level") else f"schemes_{row}"
                    form.add_error(target if target in form.fields else None, error.message)
                else:
                    form.add_error(None, error.message)
            else:
                messages.success(request, _("The requirement set is saved."))
                return redirect("standards:buyer", buyer_id=found.id)
    else:
        initial: dict[str, Any] = {}
        if req_set is not None:
            initial["title"] = translated(req_set.title)
            initial["hs"] = ", ".join(req_set.hs)
            for i, r in enumerate(list(req_set.requirements.all())[: forms.MAX_REQUIREMENT_ROWS]):
                initial[f"schemes_{i}"] = [s.id for s in r.schemes.all()]
                initial[f"recognised_{i}"] = r.recognised_by
                initial[f"level_{i}"] = r.level
        form = forms.RequirementSetForm(initial=initial, schemes=schemes)
    context = {"buyer": found, "req_set": req_set, "form": form}
    return render(request, "standards/requirements_form.html", context, status=400 if form.errors else 200)


# --- 7. Gap analysis ------------------------------------------------------------------------------


@standards_page
def gap(request: HttpRequest) -> HttpResponse:
    all_buyers = selectors.buyers()
    top = selectors.sectors()
    schemes = selectors.list_schemes()
    organisations = list(accounts.organisations_for(request.user)) if request.user.is_authenticated else []
    kwargs: dict[str, Any] = {"buyers": all_buyers, "sectors": top, "schemes": schemes, "organisations": organisations}
    submitted = "go" in request.GET
    if not submitted:
        initial = {k: request.GET.get(k, "") for k in ("buyer", "sector", "country", "hs")}
        initial["country"] = initial["country"] or _user_country(request) or ""
        form = forms.GapForm(initial=initial, **kwargs)
        return render(request, "standards/gap.html", {"form": form, "extra_rows": _extra_rows(form)})
    form = forms.GapForm(request.GET, **kwargs)
    context: dict[str, Any] = {"form": form, "extra_rows": _extra_rows(form)}
    if not form.is_valid():
        return render(request, "standards/gap.html", context, status=400)
    data = form.cleaned_data
    today = timezone.localdate()
    country = data.get("country") or None
    organisation = None
    if data.get("organisation"):
        organisation = next((o for o in organisations if o.slug == data["organisation"]), None)
        if organisation is None or not can(request.user, Perm.VIEW_ORG, organisation):
            raise PermissionDenied
        held = selectors.held_by(organisation)
        country = country or organisation.country or None
    else:
        held = [
            selectors.HeldInput(data[f"held_{i}"], data.get(f"expires_{i}"))
            for i in range(forms.MAX_HELD_ROWS)
            if data.get(f"held_{i}")
        ]
    hs = data.get("hs") or None
    if data.get("buyer"):
        target = selectors.target_for_buyer(data["buyer"], hs)
    else:
        target = selectors.target_for_sector(data["sector"], hs)
    before: date = data.get("expiring_before") or today + selectors.DEFAULT_EXPIRY_HORIZON
    result = selectors.analyse_gap(held=held, target=target, country=country, on=today, expiring_before=before)
    lang = _lang(request)
    payload = api.gap_payload(result, target, country, today, before, lang)
    context.update(_gap_context(payload, target, held, all_buyers, lang))
    context.update(country=country, country_label=country_name(country) if country else "", organisation=organisation)
    context["plan_without_product"] = not hs and target.kind == "buyer" and bool(payload["steps"])
    return render(request, "standards/gap.html", context)


def _extra_rows(form: forms.GapForm) -> int:
    """How many held-certificate rows to show open (the rest wait in a 'more' disclosure)."""
    filled = max((i + 1 for i in range(forms.MAX_HELD_ROWS) if form[f"held_{i}"].value()), default=0)
    return max(3, filled + 1)


def _gap_context(
    payload: dict[str, Any], target: Any, held: list[Any], all_buyers: list[Any], lang: str
) -> dict[str, Any]:
    names = _all_names()
    buyer_names = {b.id: b.name for b in all_buyers}
    req_text = {r.id: _describe(sorted(r.options), r.recognised_by, names) for r in target.requirements}

    def asked(ids: list[str]) -> str:
        """Who asks for a requirement: said only when the target is a whole sector."""
        return ", ".join(buyer_names.get(b, b) for b in ids) if target.kind == "sector" else ""

    for m in payload["met"]:
        m.update(text=req_text.get(m["requirement"], m["requirement"]), by_name=names.get(m["by"], m["by"]))
        m.update(via_label=VIA.get(m["via"], m["via"]), asked=asked(m["asked_by"]))
        m["satisfies_name"] = names.get(m["satisfies"], m["satisfies"].upper())
    missing = sorted(payload["missing"], key=lambda m: m["level"] != "mandatory")
    for m in missing:
        m.update(text=req_text.get(m["requirement"], m["requirement"]), asked=asked(m["asked_by"]))
        m["candidate_links"] = [(c, names.get(c, c)) for c in m["candidates"]]
        m["expired_names"] = [names.get(c, c) for c in m["expired"]]
    for e in payload["expiring"]:
        e.update(name=names.get(e["standard"], e["standard"]), needed=[req_text.get(r, r) for r in e["needed_for"]])
    for step in payload["steps"]:
        step["meets_text"] = [req_text.get(r, r) for r in step["meets"]]
        step["financing"] = [
            {
                **p,
                "instrument_label": dict(Programme.Instrument.choices).get(p["instrument"], p["instrument"]),
                "active_label": ACTIVE.get(p["active"], p["active"]),
            }
            for p in step["financing"]
        ]
        for c in step["courses"]:
            c["kind_label"] = COURSE_KINDS.get(c["kind"], c["kind"])
            c["cost_label"] = COURSE_COSTS.get(c["cost"], c["cost"])
    payload["missing"] = missing
    return {
        "gap": payload,
        "without_estimate": [(s, names.get(s, s)) for s in payload["total_cost_range"]["without_estimate"]],
        "unmeetable": [req_text.get(r, r) for r in payload["unmeetable"]],
        "held_names": [(names.get(h.scheme, h.scheme), h.expires) for h in held],
        "target": target,
    }


# --- 8. Certificates held ---------------------------------------------------------------------------


@standards_page
def held(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    schemes = selectors.list_schemes()
    names = {s.id: s.label for s in schemes}
    editable = [m.organisation for m in accounts.memberships_of(user) if can(user, Perm.EDIT_ORG, m.organisation)]
    status = 200
    failed: tuple[str, forms.HeldForm] | None = None
    if request.method == "POST":
        slug = request.POST.get("organisation", "")
        organisation = accounts.organisation_for(user, slug, Perm.EDIT_ORG)
        if organisation is None:
            raise PermissionDenied
        if request.POST.get("action") == "remove":
            scheme_id = request.POST.get("scheme", "")
            services.remove_held(actor=user, organisation=organisation, scheme_id=scheme_id)
            messages.success(request, _("The certificate was removed."))
            return redirect("standards:held")
        form = forms.HeldForm(request.POST, schemes=schemes, auto_id=f"id_{organisation.slug}_%s")
        if form.is_valid():
            services.set_held(
                actor=user,
                organisation=organisation,
                scheme=next(s for s in schemes if s.id == form.cleaned_data["scheme"]),
                expires=form.cleaned_data["expires"],
                reference=form.cleaned_data["reference"],
            )
            messages.success(request, _("The certificate is saved."))
            return redirect("standards:held")
        failed = (organisation.slug, form)
        status = 400
    rows = []
    for organisation in editable:
        form = (
            failed[1]
            if failed and failed[0] == organisation.slug
            else forms.HeldForm(
                initial={"organisation": organisation.slug}, schemes=schemes, auto_id=f"id_{organisation.slug}_%s"
            )
        )
        certificates = [(h.scheme, names.get(h.scheme, h.scheme), h.expires) for h in selectors.held_by(organisation)]
        rows.append({"organisation": organisation, "certificates": certificates, "form": form})
    return render(request, "standards/held.html", {"rows": rows, "today": timezone.localdate()}, status=status)


# --- 9. Financing -----------------------------------------------------------------------------------


@standards_page
def financing(request: HttpRequest) -> HttpResponse:
    form = forms.FinancingForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "standards/financing.html", {"form": form, "programmes": []}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    lang = _lang(request)
    rows = selectors.financing(country=data.get("country") or None, purpose=data.get("purpose") or None)
    return render(
        request, "standards/financing.html", {"form": form, "programmes": [_programme(p, lang) for p in rows]}
    )
