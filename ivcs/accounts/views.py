"""Account pages: sign-up, e-mail verification, login, password reset, the account dashboard and
organisation management. Every write goes through ivcs.accounts.services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from ivcs.accounts import selectors, services
from ivcs.accounts.forms import (
    AddMemberForm,
    ApiKeyForm,
    EmailLoginForm,
    EmailOnlyForm,
    OrganisationForm,
    ProfileForm,
    SignupForm,
)
from ivcs.accounts.models import ApiKey, Membership, User
from ivcs.accounts.permissions import Perm, can
from ivcs.accounts.tokens import email_verification_token
from ivcs.core.http import client_address_key, over_limit, remember_language, site_base_url


def _limited(request: HttpRequest, group: str, rate: str, key: Any = client_address_key) -> bool:
    return over_limit(request, group, rate, key=key)


def _used_up(request: HttpRequest, group: str, rate: str, key: Any = client_address_key) -> bool:
    """True when earlier requests have already used up the limit (this one is not counted)."""
    usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def _email_key(_group: str, request: HttpRequest) -> str:
    return (request.POST.get("username") or request.POST.get("email") or "").strip().lower()


# --- Sign-up and verification -----------------------------------------------------------------


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _limited(request, "signup-ip", settings.IVCS_SIGNUP_RATE_PER_IP):
            form.add_error(None, _("Too many sign-ups from your network. Please try again later."))
            status = 429
        elif form.is_valid():
            try:
                services.register_user(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    full_name=form.cleaned_data["full_name"],
                    language=request.LANGUAGE_CODE,
                    tenant=request.tenant,  # type: ignore[attr-defined]
                    base_url=site_base_url(request),
                )
            except services.AccountError as error:
                form.add_error(error.field, error.message)
            except ValidationError as error:
                form.add_error("password1", error)
            else:
                request.session["signup_email"] = form.cleaned_data["email"]
                return redirect("accounts:signup_done")
        if form.errors:
            status = status if status == 429 else 400
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html", {"email": request.session.get("signup_email", "")})


def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    # The token is checked first: a made-up link must not reveal whether an account exists.
    # (A used link no longer checks out, since the token covers the verified flag.)
    if user is None or not email_verification_token.check_token(user, token):
        return render(request, "accounts/verify_failed.html", {"form": EmailOnlyForm()}, status=400)
    services.mark_email_verified(user)
    messages.success(request, _("Thank you: your e-mail address is confirmed. You can sign in now."))
    return redirect("accounts:login")


def resend_verification(request: HttpRequest) -> HttpResponse:
    form = EmailOnlyForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "resend-ip", settings.IVCS_SIGNUP_RATE_PER_IP):
            form.add_error(None, _("Too many requests. Please try again later."))
            return render(request, "accounts/resend.html", {"form": form}, status=429)
        if form.is_valid():
            user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if user is not None:
                services.resend_verification(user, base_url=site_base_url(request))
            # Same answer whether or not the address has an account: no account probing.
            messages.info(request, _("If an unconfirmed account uses this address, we sent it a new link."))
            return redirect("accounts:login")
    return render(request, "accounts/resend.html", {"form": form}, status=400 if form.errors else 200)


# --- Login, logout, password reset ----------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Failed attempts count against the limits (see form_invalid); a blocked client is refused
        # before its password is even checked, so the right password does not get through either.
        by_ip = _used_up(request, "login-ip", settings.IVCS_LOGIN_RATE_PER_IP)
        by_email = _used_up(request, "login-email", settings.IVCS_LOGIN_RATE_PER_EMAIL, key=_email_key)
        if by_ip or by_email:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many sign-in attempts. Please wait ten minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        _limited(self.request, "login-ip", settings.IVCS_LOGIN_RATE_PER_IP)
        _limited(self.request, "login-email", settings.IVCS_LOGIN_RATE_PER_EMAIL, key=_email_key)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        # The user's saved language applies unless they already chose one on this browser.
        if user.language and settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            remember_language(response, user.language)
        return response


def password_reset(request: HttpRequest) -> HttpResponse:
    form = EmailOnlyForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "reset-ip", settings.IVCS_SIGNUP_RATE_PER_IP):
            form.add_error(None, _("Too many requests. Please try again later."))
            return render(request, "accounts/password_reset.html", {"form": form}, status=429)
        if form.is_valid():
            services.request_password_reset(email=form.cleaned_data["email"], base_url=site_base_url(request))
            return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form}, status=400 if form.errors else 200)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


# --- Account dashboard and organisations ---------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        services.update_profile(user, full_name=form.cleaned_data["full_name"], language=form.cleaned_data["language"])
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:dashboard")
        if user.language:
            remember_language(response, user.language)
        return response
    context = {
        "form": form,
        "memberships": selectors.memberships_of(user),
        "can_create": can(user, Perm.CREATE_ORG),
    }
    return render(request, "accounts/dashboard.html", context, status=400 if form.errors else 200)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not can(user, Perm.CREATE_ORG):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, allow_operator=user.is_superuser)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(user, tenant=request.tenant, **form.cleaned_data)  # type: ignore[attr-defined]
        except services.AccountError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The organisation is created. You are its owner."))
            return redirect("accounts:organisation", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form}, status=400 if form.errors else 200)


def _organisation_or_404(request: HttpRequest, slug: str) -> Any:
    organisation = selectors.organisation_for(request.user, slug)
    if organisation is None:
        raise Http404
    return organisation


@login_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_or_404(request, slug)
    user = request.user
    may_edit = can(user, Perm.EDIT_ORG, organisation)
    may_manage = can(user, Perm.MANAGE_MEMBERS, organisation)
    may_keys = can(user, Perm.MANAGE_KEYS, organisation)
    edit_form = OrganisationForm(
        initial={f: getattr(organisation, f) for f in ("name", "country", "website", "description")},
        include_kind=False,
    )
    member_form, key_form = AddMemberForm(), ApiKeyForm()
    new_secret = None
    status = 200
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "edit" and may_edit:
            edit_form = OrganisationForm(request.POST, include_kind=False)
            if edit_form.is_valid():
                services.update_organisation(user, organisation, dict(edit_form.cleaned_data))
                messages.success(request, _("Saved."))
                return redirect("accounts:organisation", slug=organisation.slug)
        elif action == "add_member" and may_manage:
            member_form = AddMemberForm(request.POST)
            if member_form.is_valid():
                services.add_member(user, organisation, **member_form.cleaned_data)
                messages.success(request, _("Member added."))
                return redirect("accounts:organisation", slug=organisation.slug)
        elif action == "create_key" and may_keys:
            key_form = ApiKeyForm(request.POST)
            if key_form.is_valid():
                new_secret = services.create_api_key(user, organisation, **key_form.cleaned_data).secret
                key_form = ApiKeyForm()
        elif action is not None:
            raise PermissionDenied
    except services.AccountError as error:
        form = {"edit": edit_form, "add_member": member_form, "create_key": key_form}[action or "edit"]
        form.add_error(error.field if error.field in form.fields else None, error.message)
    if any(f.errors for f in (edit_form, member_form, key_form)):
        status = 400
    context = {
        "organisation": organisation,
        "members": selectors.members_of(organisation),
        "api_keys": selectors.api_keys_of(organisation) if may_keys else [],
        "may_edit": may_edit,
        "may_manage": may_manage,
        "may_keys": may_keys,
        "edit_form": edit_form,
        "member_form": member_form,
        "key_form": key_form,
        "new_secret": new_secret,
        "roles": Membership.Role.choices,
    }
    response = render(request, "accounts/organisation_detail.html", context, status=status)
    if new_secret:
        response.headers["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def membership_update(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organisation = _organisation_or_404(request, slug)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation)
    try:
        if request.POST.get("action") == "remove":
            services.remove_member(request.user, membership)
            messages.success(request, _("Member removed."))
        else:
            services.change_role(request.user, membership, role=request.POST.get("role", ""))
            messages.success(request, _("Role changed."))
    except services.AccountError as error:
        messages.error(request, error.message)
    return redirect("accounts:organisation", slug=organisation.slug)


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, slug: str, key_id: int) -> HttpResponse:
    organisation = _organisation_or_404(request, slug)
    key = get_object_or_404(ApiKey, pk=key_id, organisation=organisation)
    services.revoke_api_key(request.user, key)
    messages.success(request, _("The key is revoked; clients using it are refused from now on."))
    return redirect(reverse("accounts:organisation", kwargs={"slug": organisation.slug}) + "#api-keys")
