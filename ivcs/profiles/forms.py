"""Forms of the profile pages: the guided builder's one sentence, and the profile itself (rows of
products with the HS picker, rows of certificates held). Types and shapes only: the rules are
ivcs.profiles.validation's, whose field errors the views put back on these fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ivcs.core.forms import ChosenLabelsMixin
from ivcs.core.i18n import country_choices
from ivcs.engines.nlq import BLOCS
from ivcs.profiles.models import MAX_DESCRIPTION, BuyerType, CapacityUnit, Language, RevenueBand

MAX_PRODUCT_ROWS = 8
MAX_CERT_ROWS = 8
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLOC_NAMES = {
    "EU": _("European Union"),
    "MERCOSUR": "Mercosur",
    "PACIFIC_ALLIANCE": _("Pacific Alliance"),
    "CAN": _("Andean Community"),
    "CPTPP": "CPTPP",
    "USMCA": "USMCA / T-MEC",
    "EFTA": "EFTA",
    "ASEAN": "ASEAN",
    "CAFTA_DR": "CAFTA-DR",
}
LONG_LISTS = ("sectors", "markets_served", "interest_countries")
SIMPLE: tuple[str, ...] = ("country", "region", "description", "description_language", "capacity_unit")
SIMPLE += ("revenue_band", "contact_name", "contact_email", "contact_phone")


class SentenceForm(forms.Form):
    text = forms.CharField(
        label=_("What does your company make?"),
        max_length=1000,
        help_text=_("One sentence is enough, e.g. “We grow and roast specialty coffee in Huila and export to the US”."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    organisation = forms.ChoiceField(label=_("Which company"), required=False)

    def __init__(self, *args: Any, organisations: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = list(organisations)
        if len(orgs) > 1:
            self.fields["organisation"].choices = [(o.slug, o.name) for o in orgs]  # type: ignore[attr-defined]
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]


class ProfileForm(ChosenLabelsMixin, forms.Form):
    long_lists = LONG_LISTS

    organisation = forms.ChoiceField(label=_("Which company"), required=False)
    country = forms.ChoiceField(label=_("Country"))
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        help_text=_("On a computer, hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    description = forms.CharField(
        label=_("Describe your company"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_language = forms.ChoiceField(label=_("Written in"), required=False, choices=Language.choices)
    capacity_volume = forms.DecimalField(label=_("Production capacity per year"), required=False, min_value=0)
    capacity_unit = forms.ChoiceField(label=_("Unit"), required=False, choices=[("", "—"), *CapacityUnit.choices])
    employees = forms.IntegerField(label=_("Employees"), required=False, min_value=0)
    revenue_band = forms.ChoiceField(
        label=_("Annual revenue"), required=False, choices=[("", _("Prefer not to say")), *RevenueBand.choices]
    )
    years_exporting = forms.IntegerField(
        label=_("Years exporting"), required=False, min_value=0, max_value=100, initial=0
    )
    markets_served = forms.MultipleChoiceField(
        label=_("Countries you already sell to"),
        required=False,
        help_text=_("On a computer, hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    interest_countries = forms.MultipleChoiceField(
        label=_("Markets you want to reach"),
        required=False,
        help_text=_("On a computer, hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    interest_buyer_types = forms.MultipleChoiceField(
        label=_("Buyers you want to reach"),
        required=False,
        choices=BuyerType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    public = forms.BooleanField(
        label=_("Show my profile to buyers"),
        required=False,
        help_text=_("Buyers of this site find it among suggested suppliers. Your contact details are never shown."),
    )
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=40)

    def __init__(
        self,
        *args: Any,
        organisations: Iterable[Any] = (),
        sectors: Iterable[Any] = (),
        schemes: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        orgs = list(organisations)
        if len(orgs) > 1:
            self.fields["organisation"].choices = [(o.slug, o.name) for o in orgs]  # type: ignore[attr-defined]
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]
        countries = country_choices()
        self.fields["country"].choices = [("", _("Choose a country")), *countries]  # type: ignore[attr-defined]
        self.fields["markets_served"].choices = countries  # type: ignore[attr-defined]
        blocs = [(code, BLOC_NAMES.get(code, code)) for code in sorted(BLOCS)]
        self.fields["interest_countries"].choices = [  # type: ignore[attr-defined]
            (_("Trade blocs"), blocs),
            (_("Countries"), countries),
        ]
        sector_choices: list[tuple[str, Any]] = []
        for s in sectors:
            sector_choices.append((s.id, s.label))
            sector_choices += [(c.id, f"— {c.label}") for c in s.children.all()]
        self.fields["sectors"].choices = sector_choices  # type: ignore[attr-defined]
        for i in range(MAX_PRODUCT_ROWS):
            self.fields[f"hs_{i}"] = forms.CharField(
                label=_("HS code"), required=False, max_length=12, help_text=_("4 or 6 digits, e.g. 0901 or 0901.21")
            )
            self.fields[f"hs_pick_{i}"] = forms.CharField(required=False, max_length=12)
            self.fields[f"product_{i}"] = forms.CharField(label=_("In your words"), required=False, max_length=1000)
        scheme_list = [("", _("Choose a scheme")), *((s.id, s.label) for s in schemes)]
        for i in range(MAX_CERT_ROWS):
            self.fields[f"cert_{i}"] = forms.ChoiceField(label=_("Certificate"), required=False, choices=scheme_list)
            self.fields[f"expires_{i}"] = forms.DateField(
                label=_("Expires on"), required=False, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"]
            )

    def product_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, str]]:
        return [(i + 1, self[f"product_{i}"], self[f"hs_{i}"], f"hs_pick_{i}") for i in range(MAX_PRODUCT_ROWS)]

    def cert_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"cert_{i}"], self[f"expires_{i}"]) for i in range(MAX_CERT_ROWS)]

    def open_products(self) -> int:
        filled = [i + 1 for i in range(MAX_PRODUCT_ROWS) if self[f"hs_{i}"].value() or self[f"product_{i}"].value()]
        return max(2, max(filled, default=0) + 1)

    def open_certs(self) -> int:
        filled = [i + 1 for i in range(MAX_CERT_ROWS) if self[f"cert_{i}"].value()]
        return max(1, max(filled, default=0) + 1)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for i in range(MAX_PRODUCT_ROWS):
            code = cleaned.get(f"hs_pick_{i}") or cleaned.get(f"hs_{i}")
            if cleaned.get(f"product_{i}") and not code and f"hs_{i}" not in self.errors:
                self.add_error(f"hs_{i}", _("Give the HS code of this product, or find it with the search below."))
        for i in range(MAX_CERT_ROWS):
            if cleaned.get(f"expires_{i}") and not cleaned.get(f"cert_{i}"):
                self.add_error(f"cert_{i}", _("Choose the scheme of this certificate."))
        return cleaned

    def data_for_service(self) -> tuple[dict[str, Any], list[int], list[int]]:
        """save_profile's dict, and which form row each product and certificate came from."""
        c = self.cleaned_data
        data: dict[str, Any] = {name: c.get(name) or "" for name in SIMPLE}
        volume = c.get("capacity_volume")
        data["capacity_volume"] = str(volume) if volume is not None else None
        data["employees"] = c.get("employees")
        data["years_exporting"] = c.get("years_exporting") or 0
        for name in ("sectors", "markets_served", "languages", "interest_countries", "interest_buyer_types"):
            data[name] = list(c.get(name) or [])
        data["public"] = bool(c.get("public"))
        products, product_rows = [], []
        for i in range(MAX_PRODUCT_ROWS):
            code = (c.get(f"hs_pick_{i}") or c.get(f"hs_{i}") or "").strip()
            if code:
                products.append({"hs": code, "description": (c.get(f"product_{i}") or "").strip()})
                product_rows.append(i)
        certs, cert_rows = [], []
        for i in range(MAX_CERT_ROWS):
            if c.get(f"cert_{i}"):
                expires = c.get(f"expires_{i}")
                certs.append({"standard": c[f"cert_{i}"], "expires": expires.isoformat() if expires else None})
                cert_rows.append(i)
        data["products"] = products
        data["certifications"] = certs
        return data, product_rows, cert_rows

    def add_service_errors(self, errors: Iterable[Any], product_rows: list[int], cert_rows: list[int]) -> None:
        """Put ProfileError's field errors ("products.1.hs", "capacity_unit", ...) on the fields."""
        for error in errors:
            self.add_error(self._field_for(error.field or "", product_rows, cert_rows), error.message)

    def _field_for(self, path: str, product_rows: list[int], cert_rows: list[int]) -> str | None:
        parts = path.split(".")
        rows = {"products": product_rows, "certifications": cert_rows}.get(parts[0])
        if rows is not None:
            if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
                row = rows[int(parts[1])]
                if parts[0] == "products":
                    return f"product_{row}" if parts[-1] == "description" else f"hs_{row}"
                return f"expires_{row}" if parts[-1] == "expires" else f"cert_{row}"
            return "hs_0" if parts[0] == "products" else "cert_0"
        return parts[0] if parts[0] in self.fields else None

    @staticmethod
    def initial_from(data: dict[str, Any]) -> dict[str, Any]:
        """Initial values from profile_data (or a draft from profile_from_sentence)."""
        initial = {k: v for k, v in data.items() if k not in ("products", "certifications")}
        if initial.get("capacity_volume") is None:
            initial.pop("capacity_volume", None)
        for i, p in enumerate((data.get("products") or [])[:MAX_PRODUCT_ROWS]):
            initial[f"hs_{i}"] = p.get("hs") or ""
            initial[f"product_{i}"] = p.get("description") or ""
        for i, cert in enumerate((data.get("certifications") or [])[:MAX_CERT_ROWS]):
            initial[f"cert_{i}"] = cert.get("standard") or ""
            initial[f"expires_{i}"] = cert.get("expires")
        return initial
