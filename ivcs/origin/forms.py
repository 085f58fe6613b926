"""Forms of the rules-of-origin tool: the product, the exporter and price, the inputs (a formset) and the
processes. They only carry text: `ivcs.origin.assessing.check` is the one place that checks a request, and
its field errors ("inputs[2].value", "ex_works_price") are put back on the row and field they name.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ivcs.core.i18n import country_choices
from ivcs.origin.assessing import MAX_INPUTS, OriginRequestError

CURRENCIES = ["USD", "EUR", "GBP", "JPY", "BRL", "CLP", "COP", "CRC", "MXN", "PEN"]
ORIGINATING_CHOICES = [("unknown", _("Not known")), ("yes", _("Yes, declared by the supplier")), ("no", _("No"))]


class AssessForm(forms.Form):
    product = forms.CharField(
        label=_("Product (HS code)"), max_length=12, help_text=_("6 digits, e.g. 0901.21 or 610910")
    )
    exporter = forms.ChoiceField(label=_("Exporting country (where the product is made)"))
    destinations = forms.MultipleChoiceField(
        label=_("Destination markets"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every market with rules loaded here."),
    )
    ex_works_price = forms.CharField(
        label=_("Ex-works price of the product"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Per unit or per batch; the inputs' values are for the same quantity."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES], initial="USD")
    processes = forms.MultipleChoiceField(
        label=_("Processes carried out in the exporting country"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, destinations: list[tuple[str, str]], processes: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["exporter"].choices = [("", "—"), *country_choices()]  # type: ignore[attr-defined]
        self.fields["destinations"].choices = destinations  # type: ignore[attr-defined]
        self.fields["processes"].choices = [(p, p) for p in processes]  # type: ignore[attr-defined]

    def clean_ex_works_price(self) -> str:
        value = number_text(self.cleaned_data["ex_works_price"])
        try:
            Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter a number, e.g. 12.50.")) from None
        return value


class InputRowForm(forms.Form):
    hs = forms.CharField(label=_("HS code"), max_length=12, required=False)
    name = forms.CharField(label=_("What it is"), max_length=200, required=False)
    origin = forms.ChoiceField(label=_("Origin"), required=False)
    value = forms.CharField(
        label=_("Value"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    weight = forms.CharField(
        label=_("Weight (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    originating = forms.ChoiceField(label=_("Originating?"), choices=ORIGINATING_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin"].choices = [("", _("Not known")), *country_choices()]  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any((data.get(name) or "").strip() for name in ("hs", "name", "value", "weight"))


InputFormSet = formset_factory(InputRowForm, extra=2, can_delete=True, max_num=MAX_INPUTS, absolute_max=MAX_INPUTS + 50)


def formset(data: Any = None, initial: list[dict[str, Any]] | None = None) -> Any:
    return InputFormSet(data, initial=initial, prefix="inputs")


def number_text(text: str) -> str:
    """ "1.234,50" / "1,234.50" / "1234,5" -> "1234.50"-style text; anything else unchanged (checked later)."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    return text


def _decimal_or_error(text: str, form: forms.Form, field: str) -> str | None:
    value = number_text(text)
    try:
        Decimal(value)
    except InvalidOperation:
        form.add_error(field, _("Enter a number, e.g. 12.50."))
        return None
    return value


def request_data(form: AssessForm, rows: Any, answers: dict[str, Any]) -> dict[str, Any] | None:
    """The API body (see ivcs.origin.api.AssessIn) of valid forms, or None after putting errors on them."""
    data = form.cleaned_data
    price = data["ex_works_price"]
    inputs = []
    row_index: list[int] = []
    for i, row in enumerate(rows.forms):
        if not row.is_valid() or row.is_blank() or row.cleaned_data.get("DELETE"):
            continue
        d = row.cleaned_data
        hs = re.sub(r"[\s.]", "", d.get("hs") or "")
        if not hs:
            row.add_error("hs", _("Enter the input's HS code (4 or 6 digits)."))
            continue
        value = _decimal_or_error(d.get("value") or "", row, "value") if (d.get("value") or "").strip() else None
        if value is None:
            if not row.errors:
                row.add_error("value", _("Enter the input's value (0 if it is free)."))
            continue
        weight = _decimal_or_error(d["weight"], row, "weight") if (d.get("weight") or "").strip() else None
        item: dict[str, Any] = {
            "hs": hs,
            "name": d.get("name") or "",
            "origin": d.get("origin") or None,
            "value": value,
            "originating_declared": {"yes": True, "no": False}.get(d.get("originating") or "unknown"),
        }
        if weight is not None:
            item["weight"] = weight
        inputs.append(item)
        row_index.append(i)
    if form.errors or any(row.errors for row in rows.forms):
        return None
    out = {
        "product": re.sub(r"[\s.]", "", data["product"]),
        "exporter": data["exporter"],
        "destinations": list(data.get("destinations") or []),
        "ex_works_price": price,
        "currency": data["currency"],
        "inputs": inputs,
        "processes": list(data.get("processes") or []),
        "answers": answers,
    }
    form.row_index = row_index  # type: ignore[attr-defined]
    return out


_ROW_FIELD = re.compile(r"^inputs\[(\d+)\]\.(\w+)$")


def add_request_errors(error: OriginRequestError, form: AssessForm, rows: Any) -> None:
    """Put the assessor's field errors on the form field or input row they name."""
    row_index: list[int] = getattr(form, "row_index", [])
    for item in error.errors or [error]:
        field, message = item.field or "", item.message
        m = _ROW_FIELD.match(field)
        if m and int(m.group(1)) < len(row_index):
            row = rows.forms[row_index[int(m.group(1))]]
            name = m.group(2) if m.group(2) in row.fields else None
            name = {"originating_declared": "originating"}.get(m.group(2), name)
            row.add_error(name, message)
        elif field in form.fields:
            form.add_error(field, message)
        elif field.startswith("destinations"):
            form.add_error("destinations", message)
        else:
            form.add_error(None, message)
