"""Forms of the standards pages. Filters and the gap analysis are GET forms (results are linkable);
requirement sets, certificates held and certifier proposals are POST forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ivcs.core.i18n import country_name, is_country_code
from ivcs.engines.nlq.gazetteer import SME_COUNTRIES
from ivcs.standards.models import Requirement, Scheme
from ivcs.standards.selectors import RECOGNITION_NAMES, recognition_name

MAX_HELD_ROWS = 10
MAX_REQUIREMENT_ROWS = 8
MAX_OFFICE_ROWS = 6

PURPOSES = {
    "certification": _("Certification"),
    "export": _("Export"),
    "innovation": _("Innovation"),
    "working_capital": _("Working capital"),
    "training": _("Training"),
    "investment": _("Investment"),
    "promotion": _("Promotion"),
}


def normalise_hs(value: str) -> str:
    """An HS code as 2, 4 or 6 digits ('0901.21' -> '090121'); ValidationError otherwise."""
    digits = value.replace(".", "").replace(" ", "").strip()
    if not (digits.isdigit() and len(digits) in (2, 4, 6)):
        raise forms.ValidationError(_("An HS code has 2, 4 or 6 digits, e.g. 0901 or 0901.21."), code="hs")
    return digits


class CountryField(forms.CharField):
    """An ISO 3166-1 alpha-2 code; the select offers the six SME countries (any valid code is accepted)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Country"))
        super().__init__(max_length=2, widget=forms.Select, **kwargs)

    def set_choices(self, current: str | None, empty_label: str) -> None:
        codes = list(SME_COUNTRIES)
        if current and is_country_code(current) and current.upper() not in codes:
            codes.append(current.upper())
        choices = [("", empty_label), *sorted(((c, country_name(c)) for c in codes), key=lambda c: c[1])]
        self.widget.choices = choices

    def clean(self, value: Any) -> str:
        code = (super().clean(value) or "").strip().upper()
        if code and not is_country_code(code):
            raise forms.ValidationError(_("Choose a country from the list."), code="country")
        return code


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _with_countries(form: forms.Form, empty_label: str) -> None:
    for name, field in form.fields.items():
        if isinstance(field, CountryField):
            current = form.data.get(name) if form.is_bound else form.initial.get(name)
            field.set_choices(str(current or ""), empty_label)


def recognition_choices() -> list[tuple[str, str]]:
    return [(code, recognition_name(code)) for code in RECOGNITION_NAMES]


def scheme_choices(schemes: Iterable[Scheme]) -> list[tuple[str, str]]:
    return [(s.id, s.label) for s in schemes]


class ExplorerForm(forms.Form):
    product = forms.CharField(
        label=_("Your product, in words"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. café verde, camisetas de algodón")}),
    )
    hs = forms.CharField(label=_("HS code"), required=False, max_length=12)
    words = forms.CharField(label=_("Words"), required=False, max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    recognised_by = forms.ChoiceField(label=_("Recognised by"), required=False)
    country = CountryField(label=_("Certifiable in"))

    def __init__(self, *args: Any, sectors: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sector_choices: list[tuple[str, Any]] = [("", _("All sectors"))]
        for s in sectors:
            sector_choices.append((s.id, s.label))
            sector_choices += [(c.id, f"— {c.label}") for c in s.children.all()]
        _choices(self, "sector").choices = sector_choices
        _choices(self, "kind").choices = [("", _("All kinds")), *Scheme.Kind.choices]
        _choices(self, "recognised_by").choices = [("", _("Any or none")), *recognition_choices()]
        _with_countries(self, str(_("Any country")))

    def clean_hs(self) -> str:
        value: str = self.cleaned_data.get("hs") or ""
        return normalise_hs(value) if value.strip() else ""


class CountryForm(forms.Form):
    country = CountryField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _with_countries(self, str(_("Choose a country")))


class CompareForm(forms.Form):
    country = CountryField(label=_("Costs for"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _with_countries(self, str(_("Choose a country")))


class FinancingForm(forms.Form):
    country = CountryField()
    purpose = forms.ChoiceField(label=_("Purpose"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "purpose").choices = [("", _("Any purpose")), *PURPOSES.items()]
        _with_countries(self, str(_("All countries")))


class GapForm(forms.Form):
    """The gap analysis: a target (buyer or sector), the certificates held (rows or an organisation's)."""

    buyer = forms.ChoiceField(label=_("A buyer"), required=False)
    sector = forms.ChoiceField(label=_("Or every buyer of a sector"), required=False)
    country = CountryField(label=_("Where your company is"))
    hs = forms.CharField(label=_("HS code of your product (optional)"), required=False, max_length=12)
    organisation = forms.ChoiceField(label=_("Use my organisation's certificates"), required=False)
    expiring_before = forms.DateField(
        label=_("Warn about certificates expiring before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def __init__(
        self,
        *args: Any,
        buyers: Iterable[Any] = (),
        sectors: Iterable[Any] = (),
        schemes: Iterable[Scheme] = (),
        organisations: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "buyer").choices = [("", _("Choose a buyer"))] + [
            (b.id, f"{b.name} ({_('Demo')})" if b.demo and "demo" not in b.name.lower() else b.name) for b in buyers
        ]
        sector_choices: list[tuple[str, Any]] = [("", _("Choose a sector"))]
        for s in sectors:
            sector_choices.append((s.id, s.label))
            sector_choices += [(c.id, f"— {c.label}") for c in s.children.all()]
        _choices(self, "sector").choices = sector_choices
        orgs = list(organisations)
        _choices(self, "organisation").choices = [("", _("No: I list my certificates below"))] + [
            (o.slug, o.name) for o in orgs
        ]
        if not orgs:
            del self.fields["organisation"]
        choices = [("", _("Choose a scheme")), *scheme_choices(schemes)]
        for i in range(MAX_HELD_ROWS):
            self.fields[f"held_{i}"] = forms.ChoiceField(label=_("Certificate"), required=False, choices=choices)
            self.fields[f"expires_{i}"] = forms.DateField(
                label=_("Expires on"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d"],
            )
        _with_countries(self, str(_("Choose a country")))

    def clean_hs(self) -> str:
        value: str = self.cleaned_data.get("hs") or ""
        return normalise_hs(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("buyer") and cleaned.get("sector"):
            raise forms.ValidationError(_("Choose a buyer or a sector, not both."), code="target")
        if not cleaned.get("buyer") and not cleaned.get("sector") and not self.errors:
            raise forms.ValidationError(_("Choose a buyer or a sector."), code="target")
        for i in range(MAX_HELD_ROWS):
            if cleaned.get(f"expires_{i}") and not cleaned.get(f"held_{i}"):
                self.add_error(f"held_{i}", _("Choose the scheme of this certificate."))
        return cleaned

    def held_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"held_{i}"], self[f"expires_{i}"]) for i in range(MAX_HELD_ROWS)]


class RequirementSetForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    hs = forms.CharField(
        label=_("HS codes"),
        required=False,
        max_length=500,
        help_text=_("Codes or ranges separated by commas, e.g. 0901, 1801-1806. Empty: every product."),
    )
    hs_pick = forms.CharField(required=False, max_length=12)

    def __init__(self, *args: Any, schemes: Iterable[Scheme] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = scheme_choices(schemes)
        for i in range(MAX_REQUIREMENT_ROWS):
            self.fields[f"schemes_{i}"] = forms.MultipleChoiceField(
                label=_("Any of these schemes"),
                required=False,
                choices=choices,
                widget=forms.SelectMultiple(attrs={"size": 4}),
            )
            self.fields[f"recognised_{i}"] = forms.ChoiceField(
                label=_("Or any scheme recognised by"),
                required=False,
                choices=[("", "—"), *recognition_choices()],
            )
            self.fields[f"level_{i}"] = forms.ChoiceField(
                label=_("Level"), choices=Requirement.Level.choices, initial=Requirement.Level.MANDATORY
            )

    def codes(self) -> list[str]:
        text = self.cleaned_data.get("hs") or ""
        codes = [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]
        picked = (self.cleaned_data.get("hs_pick") or "").strip()
        if picked and picked not in codes:
            codes.append(picked)
        return codes

    def requirement_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (i + 1, self[f"schemes_{i}"], self[f"recognised_{i}"], self[f"level_{i}"])
            for i in range(MAX_REQUIREMENT_ROWS)
        ]

    def open_rows(self) -> int:
        """Rows shown open: those filled in and one more (at least two); the rest wait in a disclosure."""
        filled = [
            i + 1
            for i in range(MAX_REQUIREMENT_ROWS)
            if self[f"schemes_{i}"].value() or self[f"recognised_{i}"].value()
        ]
        return max(2, max(filled, default=0) + 1)

    def requirements(self) -> list[dict[str, Any]]:
        return [
            {
                "schemes": list(self.cleaned_data.get(f"schemes_{i}") or []),
                "recognised_by": self.cleaned_data.get(f"recognised_{i}") or "",
                "level": self.cleaned_data.get(f"level_{i}"),
            }
            for i in range(MAX_REQUIREMENT_ROWS)
        ]


class HeldForm(forms.Form):
    organisation = forms.CharField(max_length=60, widget=forms.HiddenInput)
    scheme = forms.ChoiceField(label=_("Scheme"))
    expires = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    reference = forms.CharField(label=_("Certificate number"), required=False, max_length=100)

    def __init__(self, *args: Any, schemes: Iterable[Scheme] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "scheme").choices = [("", _("Choose a scheme")), *scheme_choices(schemes)]


class CertifierProposalForm(forms.Form):
    site = forms.URLField(label=_("Website"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(MAX_OFFICE_ROWS):
            self.fields[f"country_{i}"] = CountryField()
            self.fields[f"city_{i}"] = forms.CharField(label=_("City"), required=False, max_length=120)
            self.fields[f"address_{i}"] = forms.CharField(label=_("Address"), required=False, max_length=300)
            self.fields[f"phone_{i}"] = forms.CharField(label=_("Phone"), required=False, max_length=60)
            self.fields[f"email_{i}"] = forms.EmailField(label=_("E-mail"), required=False)
            self.fields[f"url_{i}"] = forms.URLField(
                label=_("Web page"), required=False, max_length=500, assume_scheme="https"
            )
        _with_countries(self, str(_("Choose a country")))

    def open_rows(self) -> int:
        """Office rows shown open: those filled in and one more; the rest wait in a disclosure."""
        filled = [i + 1 for i in range(MAX_OFFICE_ROWS) if self[f"country_{i}"].value() or self[f"city_{i}"].value()]
        return max(filled, default=0) + 1

    def office_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        names = ("country", "city", "address", "phone", "email", "url")
        return [(i + 1, [self[f"{n}_{i}"] for n in names]) for i in range(MAX_OFFICE_ROWS)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for i in range(MAX_OFFICE_ROWS):
            filled = any(
                str(self.data.get(f"{n}_{i}", "")).strip() for n in ("city", "address", "phone", "email", "url")
            )
            if filled and not cleaned.get(f"country_{i}") and f"country_{i}" not in self.errors:
                self.add_error(f"country_{i}", _("Choose the country of this office."))
        return cleaned

    def data_for_service(self) -> dict[str, Any]:
        offices = []
        for i in range(MAX_OFFICE_ROWS):
            office = {
                n: self.cleaned_data.get(f"{n}_{i}") or ""
                for n in ("country", "city", "address", "phone", "email", "url")
            }
            if office["country"]:
                offices.append(office)
        return {"site": self.cleaned_data.get("site") or "", "offices": offices}
