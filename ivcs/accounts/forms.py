"""Forms of the account pages. Validation messages go through gettext like every other string."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ivcs.accounts.models import Membership, Organisation, User
from ivcs.accounts.scopes import SCOPES
from ivcs.core.i18n import country_choices


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password, not only digits."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."), code="email_taken")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailLoginForm(AuthenticationForm):
    """Django's login form with an e-mail label, refusing accounts whose address is unverified."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("The e-mail address or the password is wrong."),
        "inactive": _("This account is disabled."),
        "unverified": _("Please confirm your e-mail address first: open the link we sent you."),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.email_verified:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class EmailOnlyForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=[("", "—"), *settings.LANGUAGES], required=False
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    country = forms.ChoiceField(label=_("Country"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, allow_operator: bool = False, include_kind: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(value, label) for value, label in Organisation.Kind.choices]
        if not allow_operator:
            kinds = [(value, label) for value, label in kinds if value != Organisation.Kind.OPERATOR]
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—"), *country_choices()]
        if not include_kind:
            del self.fields["kind"]


class AddMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of a registered user"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Key name"), max_length=100, help_text=_("What will use it, e.g. 'CRM sync'."))
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=list(SCOPES.items()), widget=forms.CheckboxSelectMultiple
    )
