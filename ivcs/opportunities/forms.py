"""Forms of the opportunities pages: the filters (GET, linkable), the buyer's publishing form (rows of
products with the HS picker and rows of certifications) and an SME's message of interest.

The forms check types and shapes only; the rules (HS codes that exist, deadlines not past, what
publishing needs) are the services', whose field errors the views put back on these fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ivcs.core.forms import ChosenLabelsMixin
from ivcs.core.i18n import country_choices
from ivcs.opportunities.models import (
    INCOTERM_CHOICES,
    MESSAGE_MAX,
    SHORT_TEXT_MAX,
    Frequency,
    Language,
    OpportunityRequirement,
    Unit,
)
from ivcs.standards.forms import normalise_hs, recognition_choices, scheme_choices

MAX_PRODUCT_ROWS = 6
MAX_REQUIREMENT_ROWS = 6
LONG_LISTS = ("eligible_countries",)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _sector_choices(sectors: Iterable[Any], empty: Any) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", empty)]
    for s in sectors:
        choices.append((s.id, s.label))
        choices += [(c.id, f"— {c.label}") for c in s.children.all()]
    return choices


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. café, cacao, camisetas")}),
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    country = forms.ChoiceField(label=_("Suppliers from"), required=False)
    hs = forms.CharField(label=_("HS code"), required=False, max_length=12)
    reachable = forms.BooleanField(label=_("Only those I can answer now"), required=False)

    def __init__(self, *args: Any, sectors: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = _sector_choices(sectors, _("All sectors"))  # type: ignore[attr-defined]
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]  # type: ignore[attr-defined]

    def clean_hs(self) -> str:
        value: str = self.cleaned_data.get("hs") or ""
        return normalise_hs(value) if value.strip() else ""

    def filters(self) -> dict[str, Any]:
        """The filters given, as list_opportunities' keyword arguments."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {k: data[k] for k in ("q", "sector", "country", "hs") if data.get(k)}


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the buyer"),
        required=False,
        max_length=MESSAGE_MAX,
        help_text=_(
            "What you offer: volumes, certifications, when you could start. The buyer sees your contact details."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OpportunityForm(ChosenLabelsMixin, forms.Form):
    """What a buyer publishes. Rows of products and certifications; the services check the rest."""

    long_lists = LONG_LISTS

    buyer = forms.ChoiceField(label=_("Buyer organisation"), required=False)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(label=_("Written in"), choices=Language.choices)
    services_allowed = forms.BooleanField(label=_("Offers of services are welcome"), required=False)
    quantity = forms.DecimalField(label=_("Quantity per delivery"), required=False, min_value=0, max_digits=18)
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=[("", "—"), *Unit.choices])
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices, initial=Frequency.ONCE)
    delivery_country = forms.ChoiceField(label=_("Delivery country"), required=False)
    delivery_place = forms.CharField(label=_("Delivery place"), required=False, max_length=SHORT_TEXT_MAX)
    incoterm = forms.ChoiceField(label=_("Incoterm"), required=False, choices=[("", "—"), *INCOTERM_CHOICES])
    eligible_countries = forms.MultipleChoiceField(
        label=_("Supplier countries that may answer"),
        required=False,
        help_text=_(
            "None chosen: suppliers from any country. On a computer, hold Ctrl (⌘ on a Mac) to choose several."
        ),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    other_requirements = forms.CharField(
        label=_("Other requirements"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    contact_method = forms.CharField(
        label=_("How to get in touch"),
        required=False,
        max_length=SHORT_TEXT_MAX,
        help_text=_("Shown only to the SMEs that say they are interested."),
    )

    def __init__(self, *args: Any, schemes: Iterable[Any] = (), buyers: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        buyer_list = list(buyers)
        if len(buyer_list) > 1:
            self.fields["buyer"].choices = [(o.slug, o.name) for o in buyer_list]  # type: ignore[attr-defined]
            self.fields["buyer"].required = True
        else:
            del self.fields["buyer"]
        countries = country_choices()
        self.fields["delivery_country"].choices = [("", _("Choose a country")), *countries]  # type: ignore[attr-defined]
        self.fields["eligible_countries"].choices = countries  # type: ignore[attr-defined]
        for i in range(MAX_PRODUCT_ROWS):
            self.fields[f"hs_{i}"] = forms.CharField(
                label=_("HS code"), required=False, max_length=12, help_text=_("e.g. 0901 or 0901.11")
            )
            self.fields[f"hs_pick_{i}"] = forms.CharField(required=False, max_length=12)
            self.fields[f"text_{i}"] = forms.CharField(
                label=_("What you want, in words"), required=False, max_length=SHORT_TEXT_MAX
            )
        choices = scheme_choices(schemes)
        for i in range(MAX_REQUIREMENT_ROWS):
            self.fields[f"schemes_{i}"] = forms.MultipleChoiceField(
                label=_("Any of these schemes"),
                required=False,
                choices=choices,
                widget=forms.SelectMultiple(attrs={"size": 4}),
            )
            self.fields[f"recognised_{i}"] = forms.ChoiceField(
                label=_("Or any scheme recognised by"), required=False, choices=[("", "—"), *recognition_choices()]
            )
            self.fields[f"level_{i}"] = forms.ChoiceField(
                label=_("Level"),
                required=False,
                choices=OpportunityRequirement.Level.choices,
                initial=OpportunityRequirement.Level.MANDATORY,
            )

    # --- rows ---

    def product_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, str]]:
        return [(i + 1, self[f"hs_{i}"], self[f"text_{i}"], f"hs_pick_{i}") for i in range(MAX_PRODUCT_ROWS)]

    def requirement_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (i + 1, self[f"schemes_{i}"], self[f"recognised_{i}"], self[f"level_{i}"])
            for i in range(MAX_REQUIREMENT_ROWS)
        ]

    def open_products(self) -> int:
        filled = [i + 1 for i in range(MAX_PRODUCT_ROWS) if self[f"hs_{i}"].value() or self[f"text_{i}"].value()]
        return max(1, max(filled, default=0) + 1)

    def open_requirements(self) -> int:
        filled = [
            i + 1
            for i in range(MAX_REQUIREMENT_ROWS)
            if self[f"schemes_{i}"].value() or self[f"recognised_{i}"].value()
        ]
        return max(1, max(filled, default=0) + 1)

    # --- to the services ---

    def data_for_service(self) -> tuple[dict[str, Any], list[int], list[int]]:
        """The services' dict, and which form row each product and requirement came from."""
        c = self.cleaned_data
        data: dict[str, Any] = {
            name: c.get(name)
            for name in (
                "title",
                "description",
                "language",
                "services_allowed",
                "unit",
                "frequency",
                "delivery_country",
                "delivery_place",
                "incoterm",
                "other_requirements",
                "deadline",
                "contact_method",
            )
        }
        data["services_allowed"] = bool(c.get("services_allowed"))
        data["quantity"] = c.get("quantity")
        data["eligible_countries"] = list(c.get("eligible_countries") or [])
        products, product_rows = [], []
        for i in range(MAX_PRODUCT_ROWS):
            code = (c.get(f"hs_pick_{i}") or c.get(f"hs_{i}") or "").strip()
            text = (c.get(f"text_{i}") or "").strip()
            if code or text:
                products.append({"hs": code or None, "text": text})
                product_rows.append(i)
        requirements, requirement_rows = [], []
        for i in range(MAX_REQUIREMENT_ROWS):
            schemes = list(c.get(f"schemes_{i}") or [])
            recognised = c.get(f"recognised_{i}") or ""
            if schemes or recognised:
                level = c.get(f"level_{i}") or OpportunityRequirement.Level.MANDATORY
                requirements.append({"schemes": schemes, "recognised_by": recognised, "level": level})
                requirement_rows.append(i)
        data["products"] = products
        data["requirements"] = requirements
        return data, product_rows, requirement_rows

    def add_service_errors(self, errors: Iterable[Any], product_rows: list[int], requirement_rows: list[int]) -> None:
        """Put the services' field errors ("products.2.hs", "deadline", ...) on the form's fields."""
        for error in errors:
            self.add_error(self._field_for(error.field or "", product_rows, requirement_rows), error.message)

    def _field_for(self, path: str, product_rows: list[int], requirement_rows: list[int]) -> str | None:
        parts = path.split(".")
        if parts[0] == "products":
            if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(product_rows):
                row = product_rows[int(parts[1])]
                return f"text_{row}" if parts[-1] == "text" else f"hs_{row}"
            return "hs_0"
        if parts[0] == "requirements":
            if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(requirement_rows):
                row = requirement_rows[int(parts[1])]
                if parts[-1] == "recognised_by":
                    return f"recognised_{row}"
                return f"level_{row}" if parts[-1] == "level" else f"schemes_{row}"
            return "schemes_0"
        if parts[0] == "eligible_countries":
            return "eligible_countries"
        return parts[0] if parts[0] in self.fields else None

    @staticmethod
    def initial_from(snapshot: dict[str, Any]) -> dict[str, Any]:
        """Initial values from services.snapshot(opportunity)."""
        initial = {k: v for k, v in snapshot.items() if k not in ("products", "requirements")}
        for i, p in enumerate(snapshot.get("products", [])[:MAX_PRODUCT_ROWS]):
            initial[f"hs_{i}"] = p.get("hs") or ""
            initial[f"text_{i}"] = p.get("text") or ""
        for i, r in enumerate(snapshot.get("requirements", [])[:MAX_REQUIREMENT_ROWS]):
            initial[f"schemes_{i}"] = r.get("schemes") or []
            initial[f"recognised_{i}"] = r.get("recognised_by") or ""
            initial[f"level_{i}"] = r.get("level")
        return initial
