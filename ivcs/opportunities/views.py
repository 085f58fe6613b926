"""Pages of the opportunities domain: "Opportunities for you" and the open list, one opportunity (with an
SME's match and certification gap), the buyer's opportunities, the publishing form with a preview in
the three interface languages, and the interested and suggested suppliers.

Reads go through ivcs.opportunities.selectors and .recommend, writes through .services. Unknown ids
and other buyers' drafts answer a 404 page, the wrong actor 403, bad input 400 with the message;
nothing a user sends gives a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivcs.accounts import selectors as accounts
from ivcs.accounts.models import Membership, Organisation
from ivcs.accounts.permissions import Perm, can
from ivcs.core.errors import UnknownValue
from ivcs.core.i18n import country_name
from ivcs.engines.standards.gap import Requirement
from ivcs.opportunities import forms, recommend, selectors, services
from ivcs.opportunities.models import Engagement, Opportunity
from ivcs.products.models import HsCode
from ivcs.standards import api as standards_api
from ivcs.standards import selectors as standards
from ivcs.tenants.middleware import module_required

opportunities_page = module_required("opportunities")
LANGUAGES = (("es", "Español"), ("pt", "Português"), ("en", "English"))
PAGE_SIZE = 20
RECOMMENDATIONS = 30


# --- Helpers ------------------------------------------------------------------------------------


def _lang(request: HttpRequest) -> str:
    code = getattr(request, "LANGUAGE_CODE", "en") or "en"
    return "pt" if code.startswith("pt") else code[:2]


def _django_lang(code: str) -> str:
    return "pt-br" if code == "pt" else code


def _not_found(request: HttpRequest, message: str | None = None) -> HttpResponse:
    message = message or _("There is no such opportunity.")
    return render(request, "core/error.html", {"status": 404, "message": message}, status=404)


def _get(request: HttpRequest, opportunity_id: int) -> Opportunity | None:
    try:
        return selectors.opportunity_for(request.user, opportunity_id)
    except UnknownValue:
        return None


def _orgs(request: HttpRequest, kind: str, perm: Perm = Perm.VIEW_ORG) -> list[Organisation]:
    """The user's organisations of `kind` on this tenant where they have `perm`."""
    user = request.user
    if not user.is_authenticated:
        return []
    memberships = [
        m for m in accounts.memberships_of(user) if m.organisation.kind == kind and can(user, perm, m.organisation)
    ]
    # The organisations one owns first (the usual case: one's own company), then the others by name.
    memberships.sort(key=lambda m: (m.role != Membership.Role.OWNER, m.organisation.name))
    return [m.organisation for m in memberships]


def _chosen(orgs: list[Organisation], slug: str | None) -> Organisation | None:
    if not orgs:
        return None
    return next((o for o in orgs if o.slug == slug), orgs[0])


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _revisions(opp: Opportunity, limit: int | None = None) -> list[dict[str, Any]]:
    """The edits of a published opportunity, with the changed fields' names in the active language."""
    labels: dict[str, str] = {
        f.name: str(f.verbose_name) for f in Opportunity._meta.get_fields() if hasattr(f, "verbose_name")
    }
    labels.update(products=_("products wanted"), requirements=_("certifications required"))
    rows = selectors.revisions_of(opp)
    return [
        {"changed_at": r.changed_at, "by": r.changed_by_label, "fields": [labels.get(k, k) for k in sorted(r.changes)]}
        for r in (rows[:limit] if limit else rows)
    ]


def _scheme_names() -> dict[str, str]:
    return {s.id: s.label for s in standards.list_schemes()}


def opportunity_view(opp: Opportunity, names: dict[str, str]) -> dict[str, Any]:
    """The opportunity as the detail partial shows it, in the active language (call under
    translation.override to render it in another)."""
    return _view(
        title=opp.title,
        description=opp.description,
        buyer=opp.buyer,
        is_demo=opp.is_demo,
        status=opp.status,
        status_label=opp.get_status_display(),
        products=[(p.hs_code_id, p.hs_code, p.text) for p in opp.products.all()],
        services_allowed=opp.services_allowed,
        quantity=opp.quantity,
        unit=opp.unit,
        frequency=opp.frequency,
        delivery_country=opp.delivery_country,
        delivery_place=opp.delivery_place,
        incoterm=opp.incoterm,
        eligible=list(opp.eligible_countries or []),
        requirements=[
            (sorted(s.pk for s in r.schemes.all()), r.recognised_by, r.level) for r in opp.requirements.all()
        ],
        other_requirements=opp.other_requirements,
        deadline=opp.deadline,
        names=names,
    )


def _view(
    *,
    products: list[tuple[str | None, Any, str]],
    requirements: list[tuple[list[str], str, str]],
    names: dict[str, str],
    unit: str,
    frequency: str,
    delivery_country: str,
    eligible: list[str],
    **rest: Any,
) -> dict[str, Any]:
    from ivcs.opportunities.models import Frequency, OpportunityRequirement, Unit

    lang = translation.get_language() or "en"
    short = "pt" if lang.startswith("pt") else lang[:2]
    product_rows = []
    for code, hs, text in products:
        description = hs.description(short)[0] if hs is not None else ""
        product_rows.append({"hs": code, "hs_description": description, "text": text})
    requirement_rows = []
    for schemes, recognised_by, level in requirements:
        requirement_rows.append(
            {
                "schemes": [(s, names.get(s, s)) for s in schemes],
                "recognised_by": standards.recognition_name(recognised_by) if recognised_by else "",
                "mandatory": level == OpportunityRequirement.Level.MANDATORY,
                "level_label": OpportunityRequirement.Level(level).label
                if level in OpportunityRequirement.Level.values
                else level,
            }
        )
    return {
        **rest,
        "products": product_rows,
        "requirements": requirement_rows,
        "unit_label": Unit(unit).label if unit in Unit.values else unit,
        "frequency_label": Frequency(frequency).label if frequency in Frequency.values else frequency,
        "delivery_country": delivery_country,
        "delivery_country_name": country_name(delivery_country) if delivery_country else "",
        "eligible": [country_name(c) for c in eligible],
    }


def _preview(request: HttpRequest, data: dict[str, Any], buyer: Organisation) -> list[tuple[str, str, SafeString]]:
    """The opportunity as SMEs will see it, rendered in each interface language."""
    names = _scheme_names()
    codes = [p["hs"] for p in data.get("products", []) if p.get("hs")]
    hs_codes = {c.code: c for c in HsCode.objects.filter(code__in=[services.normalise_hs(c) or c for c in codes])}
    products = []
    for p in data.get("products", []):
        code = services.normalise_hs(p["hs"]) if p.get("hs") else None
        products.append((code, hs_codes.get(code or ""), p.get("text") or ""))
    out = []
    for code, label in LANGUAGES:
        with translation.override(_django_lang(code)):
            view = _view(
                title=data.get("title") or "",
                description=data.get("description") or "",
                buyer=buyer,
                is_demo=False,
                status=Opportunity.Status.DRAFT,
                status_label=Opportunity.Status.DRAFT.label,
                products=products,
                services_allowed=data.get("services_allowed"),
                quantity=data.get("quantity"),
                unit=data.get("unit") or "",
                frequency=data.get("frequency") or "once",
                delivery_country=data.get("delivery_country") or "",
                delivery_place=data.get("delivery_place") or "",
                incoterm=data.get("incoterm") or "",
                eligible=data.get("eligible_countries") or [],
                requirements=[
                    (r["schemes"], r["recognised_by"], r["level"] or "mandatory") for r in data.get("requirements", [])
                ],
                other_requirements=data.get("other_requirements") or "",
                deadline=data.get("deadline"),
                names=names,
            )
            html = render_to_string("opportunities/_opportunity.html", {"d": view, "preview": True}, request=request)
        out.append((code, label, html))
    return out


# --- 1. Opportunities for you, and the open list ----------------------------------------------------


@dataclass
class Card:
    opportunity: Opportunity
    score: float | None = None
    reasons: list[str] | None = None
    gaps: list[Any] | None = None
    reachable: bool = True
    state: str | None = None

    @property
    def percent(self) -> int:
        return round((self.score or 0) * 100)


@opportunities_page
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    sme_orgs = _orgs(request, Organisation.Kind.SME)
    org = _chosen(sme_orgs, request.GET.get("org"))
    profile = None
    if org is not None:
        from ivcs.profiles.selectors import profile_of

        profile = profile_of(org)
    form = forms.FilterForm(request.GET or None, sectors=standards.sectors())
    tab = request.GET.get("tab") or ("for_you" if profile is not None else "all")
    if tab not in ("for_you", "saved", "interested", "all") or (tab != "all" and org is None):
        tab = "all"
    if tab == "for_you" and profile is None:
        tab = "all"
    context: dict[str, Any] = {
        "form": form,
        "org": org,
        "sme_orgs": sme_orgs,
        "profile": profile,
        "tab": tab,
        "may_engage": org is not None and can(user, Perm.EDIT_ORG, org),
        "buyer_orgs": _orgs(request, Organisation.Kind.BUYER),
        "filtered": bool(form.is_bound and any(request.GET.get(k) for k in ("q", "sector", "country", "hs"))),
        "indicator": selectors.value_chain_indicator(request.tenant) if user.is_staff else None,  # type: ignore[attr-defined]
    }
    if form.is_bound and not form.is_valid():
        context["cards"] = []
        return render(request, "opportunities/search.html", context, status=400)
    filters = form.filters()
    try:
        listed = selectors.list_opportunities(user, open_only=True, **filters)
    except UnknownValue:
        context["cards"] = []
        context["error"] = _("One of the filters is not known.")
        return render(request, "opportunities/search.html", context, status=400)
    cards: list[Card]
    if tab == "for_you" and org is not None:
        reachable_only = bool(form.is_bound and form.cleaned_data.get("reachable"))
        recs = recommend.recommendations_for(org, limit=RECOMMENDATIONS, include_unreachable=not reachable_only)
        allowed = set(listed.values_list("pk", flat=True)) if filters else None
        cards = [
            Card(r.opportunity, r.score, r.reasons, r.gaps, r.reachable, r.state)
            for r in recs
            if (allowed is None or r.opportunity.pk in allowed) and r.state != Engagement.State.DISMISSED
        ]
    elif tab in ("saved", "interested") and org is not None:
        engagements = selectors.engagements_of(org, tab)
        ids = [e.opportunity_id for e in engagements]
        by_id = selectors.with_details(Opportunity.objects.filter(pk__in=ids)).in_bulk()
        cards = [Card(by_id[i], state=tab) for i in ids if i in by_id]
    else:
        paginator = Paginator(selectors.with_details(listed), PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        context["page_obj"] = page_obj
        states = (
            dict(
                Engagement.objects.filter(
                    organisation=org, opportunity_id__in=[o.pk for o in page_obj.object_list]
                ).values_list("opportunity_id", "state")
            )
            if org is not None
            else {}
        )
        cards = [Card(o, state=states.get(o.pk)) for o in page_obj.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tab", None)
    context.update(cards=cards, tab=tab, query=query.urlencode())
    return render(request, "opportunities/search.html", context)


# --- 2. One opportunity --------------------------------------------------------------------------


def _certification_gap(opp: Opportunity, org: Organisation, names: dict[str, str], lang: str) -> dict[str, Any]:
    """The gap analysis of `org`'s certificates against this opportunity's requirements."""
    requirements = []
    texts = {}
    for r in opp.requirements.all():
        rid = f"{opp.pk}#{r.position + 1}"
        options = frozenset(s.pk for s in r.schemes.all())
        req = Requirement(
            id=rid,
            level=r.level,  # type: ignore[arg-type]
            options=options,
            recognised_by=r.recognised_by or None,
            asked_by=(opp.buyer.slug,),
        )
        requirements.append(req)
        texts[rid] = standards.describe_requirement(req, names)
    target = standards.Target(kind="opportunity", id=str(opp.pk), label=opp.title, requirements=requirements)
    today = timezone.localdate()
    before = today + standards.DEFAULT_EXPIRY_HORIZON
    country = org.country or None
    held = standards.held_by(org)
    result = standards.analyse_gap(held=held, target=target, country=country, on=today, expiring_before=before)
    payload = standards_api.gap_payload(result, target, country, today, before, lang)
    for m in payload["met"]:
        m["text"] = texts.get(m["requirement"], m["requirement"])
        m["by_name"] = names.get(m["by"], m["by"])
    for m in payload["missing"]:
        m["text"] = texts.get(m["requirement"], m["requirement"])
        m["candidate_links"] = [(c, names.get(c, c)) for c in m["candidates"]]
    for e in payload["expiring"]:
        e["name"] = names.get(e["standard"], e["standard"])
    for step in payload["steps"]:
        step["meets_text"] = [texts.get(r, r) for r in step["meets"]]
    payload["unmeetable_text"] = [texts.get(r, r) for r in payload["unmeetable"]]
    payload["held_names"] = [(names.get(h.scheme, h.scheme), h.expires) for h in held]
    payload["country_label"] = country_name(country) if country else ""
    return payload


def _detail_context(request: HttpRequest, opp: Opportunity) -> dict[str, Any]:
    user = request.user
    names = _scheme_names()
    sme_orgs = _orgs(request, Organisation.Kind.SME)
    org = _chosen(sme_orgs, request.GET.get("org") or request.POST.get("organisation"))
    engagement = selectors.engagement_of(org, opp) if org is not None else None
    buyer_side = selectors.can_view_buyer_side(user, opp)
    match = None
    gap = None
    if org is not None:
        match = next(
            (r for r in recommend.recommendations_for(org, limit=200) if r.opportunity.pk == opp.pk),
            None,
        )
        if opp.requirements.all():
            gap = _certification_gap(opp, org, names, _lang(request))
    interested = engagement is not None and engagement.state == Engagement.State.INTERESTED
    return {
        "opp": opp,
        "d": opportunity_view(opp, names),
        "org": org,
        "sme_orgs": sme_orgs,
        "engagement": engagement,
        "interested": interested,
        "may_engage": org is not None and can(user, Perm.EDIT_ORG, org) and services.is_open(opp),
        "show_contact": buyer_side or interested,
        "buyer_side": buyer_side,
        "may_edit": selectors.can_edit(user, opp),
        "match": match,
        "gap": gap,
        "revisions": _revisions(opp, 10),
        "interest_form": forms.InterestForm(
            initial={"message": engagement.message if engagement and interested else ""}
        ),
        "is_open": services.is_open(opp),
    }


@opportunities_page
def detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opp = _get(request, opportunity_id)
    if opp is None:
        return _not_found(request)
    return render(request, "opportunities/detail.html", _detail_context(request, opp))


def _detail_error(request: HttpRequest, opp: Opportunity, message: str, **extra: Any) -> HttpResponse:
    context = _detail_context(request, opp)
    context.update(action_error=message, **extra)
    return render(request, "opportunities/detail.html", context, status=400)


@opportunities_page
@require_POST
def engage(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """An SME saves, dismisses, withdraws or says it is interested (with a message)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("opportunities:detail", args=[opportunity_id]))
    opp = _get(request, opportunity_id)
    if opp is None:
        return _not_found(request)
    org = accounts.organisation_for(request.user, request.POST.get("organisation", ""), Perm.VIEW_ORG)
    if org is None or org.kind != Organisation.Kind.SME:
        raise PermissionDenied
    action = request.POST.get("action", "")
    states = {"save": "saved", "dismiss": "dismissed", "interest": "interested", "unsave": None}
    if action not in states:
        return _detail_error(request, opp, _("Choose what to do with this opportunity."))
    form = forms.InterestForm(request.POST)
    if action == "interest" and not form.is_valid():
        return _detail_error(request, opp, _("Please correct the marked fields."), interest_form=form)
    try:
        if action == "save":
            services.save_opportunity(request.user, org, opp)
            messages.success(request, _("Saved. You find it under “Saved”."))
        elif action == "dismiss":
            services.dismiss_opportunity(request.user, org, opp)
            messages.success(request, _("Dismissed: it will not be recommended to you again."))
        elif action == "unsave":
            services.save_opportunity(request.user, org, opp)  # withdrawing interest keeps it saved
            messages.success(request, _("Your interest was withdrawn; the opportunity stays saved."))
        else:
            services.express_interest(request.user, org, opp, message=form.cleaned_data["message"])
            messages.success(request, _("The buyer now sees your interest, your message and your contact details."))
    except services.OpportunityError as error:
        if error.field == "message":
            form.add_error("message", error.message)
            return _detail_error(request, opp, error.message, interest_form=form)
        return _detail_error(request, opp, error.message)
    detail_url = reverse("opportunities:detail", args=[opp.pk]) + f"?org={org.slug}"
    return redirect(_next_url(request, detail_url))


# --- 3. Buyers: their opportunities, the publishing form, the suppliers -----------------------------


@opportunities_page
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    buyer_orgs = _orgs(request, Organisation.Kind.BUYER)
    org = _chosen(buyer_orgs, request.GET.get("org"))
    groups = []
    if org is not None:
        opportunities = list(selectors.with_details(selectors.list_opportunities(request.user, buyer=org)))
        counts = selectors.engagement_counts([o.pk for o in opportunities])
        for status, label in Opportunity.Status.choices:
            rows = [(o, counts.get(o.pk, (0, 0, 0))[2]) for o in opportunities if o.status == status]
            groups.append((status, label, rows))
    context = {
        "org": org,
        "buyer_orgs": buyer_orgs,
        "groups": groups,
        "may_edit": org is not None and can(request.user, Perm.EDIT_ORG, org),
        "indicator": selectors.value_chain_indicator(request.tenant),  # type: ignore[attr-defined]
    }
    return render(request, "opportunities/mine.html", context)


def _form_page(request: HttpRequest, opp: Opportunity | None) -> HttpResponse:
    """The publishing form: new (opp None) or edit; save as draft, publish, preview."""
    editable = _orgs(request, Organisation.Kind.BUYER, Perm.EDIT_ORG)
    schemes = standards.list_schemes()
    buyers = [] if opp is not None else editable
    context: dict[str, Any] = {"opp": opp}
    if request.method != "POST":
        if opp is not None:
            initial = forms.OpportunityForm.initial_from(services.snapshot(opp))
        else:
            initial = {"language": _lang(request), "frequency": "once", "buyer": request.GET.get("org", "")}
        form = forms.OpportunityForm(initial=initial, schemes=schemes, buyers=buyers)
        context["form"] = form
        return render(request, "opportunities/form.html", context)
    form = forms.OpportunityForm(request.POST, schemes=schemes, buyers=buyers)
    context["form"] = form
    action = request.POST.get("action", "draft")
    if not form.is_valid():
        return render(request, "opportunities/form.html", context, status=400)
    data, product_rows, requirement_rows = form.data_for_service()
    if opp is not None:
        # Rows beyond what the form shows (written through the API) are kept as they are.
        before = services.snapshot(opp)
        data["products"] += before["products"][forms.MAX_PRODUCT_ROWS :]
        data["requirements"] += before["requirements"][forms.MAX_REQUIREMENT_ROWS :]
        buyer = opp.buyer
    else:
        slug = form.cleaned_data.get("buyer") or (editable[0].slug if editable else "")
        found = next((o for o in editable if o.slug == slug), None)
        if found is None:
            raise PermissionDenied
        buyer = found
    if action == "preview":
        context.update(preview=_preview(request, data, buyer), current_lang=_lang(request))
        return render(request, "opportunities/form.html", context)
    try:
        with transaction.atomic():
            if opp is None:
                saved = services.create_opportunity(request.user, buyer, data)
            else:
                saved = services.update_opportunity(request.user, opp, data)
            if action == "publish" and saved.status == Opportunity.Status.DRAFT:
                saved = services.publish_opportunity(request.user, saved)
    except services.OpportunityError as error:
        form.add_service_errors(error.errors, product_rows, requirement_rows)
        if not form.errors:
            form.add_error(None, error.message)
        return render(request, "opportunities/form.html", context, status=400)
    if saved.status == Opportunity.Status.PUBLISHED and action == "publish":
        messages.success(request, _("Published: SMEs can see it now."))
    elif saved.status == Opportunity.Status.PUBLISHED:
        messages.success(request, _("Saved. SMEs see what changed."))
    else:
        messages.success(request, _("Saved as a draft: only your organisation sees it."))
    return redirect("opportunities:detail", opportunity_id=saved.pk)


@opportunities_page
def new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _orgs(request, Organisation.Kind.BUYER, Perm.EDIT_ORG):
        return render(request, "opportunities/no_buyer.html", status=403)
    return _form_page(request, None)


@opportunities_page
def edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    opp = _get(request, opportunity_id)
    if opp is None:
        return _not_found(request)
    if not selectors.can_edit(request.user, opp):
        raise PermissionDenied
    if opp.status not in (Opportunity.Status.DRAFT, Opportunity.Status.PUBLISHED):
        return _detail_error(request, opp, _("A closed or awarded opportunity cannot be changed any more."))
    return _form_page(request, opp)


@opportunities_page
@require_POST
def change_status(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The buyer publishes, closes or awards an opportunity."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("opportunities:detail", args=[opportunity_id]))
    opp = _get(request, opportunity_id)
    if opp is None:
        return _not_found(request)
    if not selectors.can_edit(request.user, opp):
        raise PermissionDenied
    action = request.POST.get("action", "")
    done: dict[str, tuple[Callable[..., Opportunity], str]] = {
        "publish": (services.publish_opportunity, _("Published: SMEs can see it now.")),
        "close": (services.close_opportunity, _("Closed: SMEs cannot answer it any more.")),
        "award": (services.award_opportunity, _("Marked as awarded.")),
    }
    if action not in done:
        return _detail_error(request, opp, _("Choose what to do with this opportunity."))
    write, message = done[action]
    try:
        write(request.user, opp)
    except services.OpportunityError as error:
        text = "; ".join(e.message for e in error.errors)
        return _detail_error(request, opp, text)
    messages.success(request, message)
    return redirect(_next_url(request, reverse("opportunities:detail", args=[opp.pk])))


@opportunities_page
def suppliers(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    opp = _get(request, opportunity_id)
    if opp is None:
        return _not_found(request)
    if not selectors.can_view_buyer_side(request.user, opp):
        raise PermissionDenied
    suggested = recommend.suggested_suppliers(opp, limit=12) if opp.status != Opportunity.Status.DRAFT else []
    by_org = {s.organisation.pk: s for s in suggested}
    interested = [(i, by_org.get(i.organisation.pk)) for i in selectors.interested_suppliers(request.user, opp)]
    interested.sort(key=lambda row: -(row[1].score if row[1] else 0))
    context = {
        "opp": opp,
        "interested": interested,
        "suggested": [s for s in suggested if not s.interested],
        "revisions": _revisions(opp),
        "may_edit": selectors.can_edit(request.user, opp),
        "answers": dict(Engagement.BuyerStatus.choices),
    }
    return render(request, "opportunities/suppliers.html", context)


@opportunities_page
@require_POST
def answer(request: HttpRequest, opportunity_id: int, org_slug: str) -> HttpResponse:
    """The buyer shortlists, awards or declines an interested SME."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("opportunities:suppliers", args=[opportunity_id]))
    opp = _get(request, opportunity_id)
    if opp is None:
        return _not_found(request)
    if not selectors.can_edit(request.user, opp):
        raise PermissionDenied
    try:
        engagement = selectors.engagement_for_supplier(request.user, opp, org_slug)
    except UnknownValue:
        return _not_found(request, _("This SME has not answered this opportunity."))
    status = request.POST.get("status", "")
    try:
        services.answer_interest(request.user, engagement, status=status)
    except services.OpportunityError as error:
        return _detail_error(request, opp, error.message)
    messages.success(
        request,
        _("%(name)s: %(answer)s.")
        % {"name": engagement.organisation.name, "answer": Engagement.BuyerStatus(status).label},
    )
    return redirect("opportunities:suppliers", opportunity_id=opp.pk)
