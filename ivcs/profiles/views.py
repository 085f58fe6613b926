"""Pages of an SME's business profile: the guided builder (one sentence, then a prefilled form the
user corrects), the profile as its members and as other organisations see it, and its editor.

Reads through ivcs.profiles.selectors, writes through services.save_profile; ProfileError's field
errors come back on the form with a 400. Unknown or hidden profiles answer 404, the wrong actor 403.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ivcs.accounts import selectors as accounts
from ivcs.accounts.models import Organisation
from ivcs.accounts.permissions import Perm, can
from ivcs.core.http import over_limit
from ivcs.core.i18n import country_name
from ivcs.profiles import forms, selectors, services
from ivcs.profiles.models import BuyerType, CapacityUnit, Language, RevenueBand
from ivcs.standards import selectors as standards
from ivcs.tenants.middleware import module_required

profiles_page = module_required("opportunities")


def _lang(request: HttpRequest) -> str:
    code = getattr(request, "LANGUAGE_CODE", "en") or "en"
    return "pt" if code.startswith("pt") else code[:2]


def _not_found(request: HttpRequest) -> HttpResponse:
    message = _("There is no such company profile.")
    return render(request, "core/error.html", {"status": 404, "message": message}, status=404)


def _editable_smes(request: HttpRequest) -> list[Organisation]:
    user = request.user
    return [
        m.organisation
        for m in accounts.memberships_of(user)  # type: ignore[arg-type]
        if m.organisation.kind == Organisation.Kind.SME and can(user, Perm.EDIT_ORG, m.organisation)
    ]


def _form(data: Any = None, *, initial: dict[str, Any] | None = None, organisations: Any = ()) -> forms.ProfileForm:
    return forms.ProfileForm(
        data,
        initial=initial,
        organisations=organisations,
        sectors=standards.sectors(),
        schemes=standards.list_schemes(),
    )


def _save(request: HttpRequest, form: forms.ProfileForm, organisation: Organisation) -> bool:
    """Save the valid form's profile; False (errors on the form) when the services refuse it."""
    data, product_rows, cert_rows = form.data_for_service()
    try:
        services.save_profile(request.user, organisation, data)
    except services.ProfileError as error:
        form.add_service_errors(error.errors, product_rows, cert_rows)
        if not form.errors:
            form.add_error(None, error.message)
        return False
    messages.success(request, _("Your company profile is saved."))
    return True


# --- The guided builder ---------------------------------------------------------------------------


@profiles_page
def start(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = _editable_smes(request)
    if not organisations:
        return render(request, "profiles/no_sme.html")
    wanted = request.POST.get("organisation") or request.GET.get("org")
    chosen = next((o for o in organisations if o.slug == wanted), None)
    if chosen is None:
        if request.method == "POST" and wanted:
            raise PermissionDenied  # not an SME this user may edit
        chosen = organisations[0]
    context: dict[str, Any] = {"organisations": organisations, "chosen": chosen}
    step = request.POST.get("step") if request.method == "POST" else None

    if step == "save":
        # The company was chosen with the sentence: the form is for that one only.
        form = _form(request.POST, organisations=[chosen])
        context.update(form=form, step="form")
        if form.is_valid() and _save(request, form, chosen):
            return redirect("profiles:detail", org_slug=chosen.slug)
        return render(request, "profiles/start.html", context, status=400)

    if step == "sentence":
        sentence = forms.SentenceForm(request.POST, organisations=organisations)
        context["sentence"] = sentence
        if not sentence.is_valid():
            return render(request, "profiles/start.html", context, status=400)
        if over_limit(request, "search", settings.IVCS_SEARCH_RATE, methods=("POST",)):
            context["error"] = _("Too many requests from your network. Wait a minute and try again.")
            return render(request, "profiles/start.html", context, status=429)
        slug = sentence.cleaned_data.get("organisation") or chosen.slug
        chosen = next((o for o in organisations if o.slug == slug), chosen)
        try:
            draft = services.profile_from_sentence(sentence.cleaned_data["text"], lang=_lang(request))
        except services.ProfileError as error:
            sentence.add_error("text", error.message)
            return render(request, "profiles/start.html", context, status=400)
        # The sentence says nothing of certificates: keep those the company holds.
        draft["profile"]["certifications"] = selectors.certifications_of(chosen)
        initial = forms.ProfileForm.initial_from(draft["profile"])
        initial["country"] = initial.get("country") or chosen.country
        context.update(
            form=_form(initial=initial, organisations=[chosen]),
            step="form",
            chosen=chosen,
            drafted=True,
            understood=bool(draft["profile"].get("products")),
        )
        return render(request, "profiles/start.html", context)

    if request.GET.get("blank"):
        initial = {
            "country": chosen.country,
            "languages": [_lang(request)],
            "certifications": selectors.certifications_of(chosen),
        }
        initial = forms.ProfileForm.initial_from(initial)
        context.update(form=_form(initial=initial, organisations=[chosen]), step="form")
        return render(request, "profiles/start.html", context)
    context["sentence"] = forms.SentenceForm(initial={"organisation": chosen.slug}, organisations=organisations)
    context["existing"] = [o for o in organisations if selectors.profile_of(o) is not None]
    return render(request, "profiles/start.html", context)


# --- The profile, and its editor -------------------------------------------------------------------


def _display(data: dict[str, Any], names: dict[str, str], sector_names: dict[str, str]) -> dict[str, Any]:
    """Labels in the active language for the codes of profile_data."""
    units = dict(CapacityUnit.choices)
    return {
        "sectors": [sector_names.get(s, s) for s in data.get("sectors", [])],
        "markets_served": [country_name(c) for c in data.get("markets_served", [])],
        "interest_countries": [
            str(forms.BLOC_NAMES.get(c, "")) or country_name(c) for c in data.get("interest_countries", [])
        ],
        "languages": [str(dict(Language.choices).get(code, code)) for code in data.get("languages", [])],
        "buyer_types": [str(dict(BuyerType.choices).get(t, t)) for t in data.get("interest_buyer_types", [])],
        "revenue": str(dict(RevenueBand.choices).get(data.get("revenue_band", ""), "")),
        "unit": str(units.get(data.get("capacity_unit") or "", "")),
        "certifications": [
            {**c, "name": names.get(c["standard"], c.get("name") or c["standard"])}
            for c in data.get("certifications", [])
        ],
    }


@profiles_page
def detail(request: HttpRequest, org_slug: str) -> HttpResponse:
    view = selectors.profile_for(request.user, org_slug)
    if view is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _not_found(request)
    data = selectors.profile_data(view, language=_lang(request))
    sector_names = {}
    for s in standards.sectors():
        sector_names[s.id] = s.label
        sector_names.update({c.id: c.label for c in s.children.all()})
    names = {s.id: s.label for s in standards.list_schemes()}
    context = {
        "organisation": view.organisation,
        "p": data,
        "labels": _display(data, names, sector_names),
        "full": view.full,
        "may_edit": can(request.user, Perm.EDIT_ORG, view.organisation),
    }
    return render(request, "profiles/detail.html", context)


@profiles_page
def edit(request: HttpRequest, org_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = accounts.organisation_for(request.user, org_slug, Perm.VIEW_ORG)
    if organisation is None or organisation.kind != Organisation.Kind.SME:
        return _not_found(request)
    if not can(request.user, Perm.EDIT_ORG, organisation):
        raise PermissionDenied
    context: dict[str, Any] = {"organisation": organisation}
    if request.method == "POST":
        form = _form(request.POST)
        context["form"] = form
        if form.is_valid() and _save(request, form, organisation):
            return redirect("profiles:detail", org_slug=organisation.slug)
        return render(request, "profiles/edit.html", context, status=400)
    view = selectors.profile_for(request.user, org_slug)
    assert view is not None  # a member sees its own profile
    data = selectors.profile_data(view, language=_lang(request))
    if not data["exists"]:
        data["languages"] = [_lang(request)]
    context["form"] = _form(initial=forms.ProfileForm.initial_from(data))
    context["exists"] = data["exists"]
    return render(request, "profiles/edit.html", context)
