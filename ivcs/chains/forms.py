"""Forms of the chains pages: the bill-of-materials editor (a header and a formset of input rows).

The forms only carry text; ivcs.chains.services.clean_bom is the one place that checks a bill, and
its errors ("inputs[2].value_share") are put back on the row and field they name.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ivcs.chains import services
from ivcs.chains.models import Originating
from ivcs.core.i18n import country_choices


class BomHeaderForm(forms.Form):
    product = forms.CharField(
        label=_("Product (HS code)"), max_length=12, help_text=_("4 or 6 digits, e.g. 0901.21 or 1806")
    )
    name = forms.CharField(label=_("Your name for this product"), max_length=services.MAX_NAME, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=services.MAX_NOTES, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)


class InputRowForm(forms.Form):
    hs = forms.CharField(label=_("HS code"), max_length=12, required=False)
    description = forms.CharField(label=_("What it is"), max_length=services.MAX_DESCRIPTION, required=False)
    origin = forms.ChoiceField(label=_("Origin"), required=False)
    supplier = forms.CharField(label=_("Supplier"), max_length=services.MAX_SUPPLIER, required=False)
    value_share = forms.CharField(
        label=_("Share of value (%)"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    originating = forms.ChoiceField(
        label=_("Originating?"), choices=Originating.choices, required=False, initial=Originating.UNKNOWN
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin"].choices = [("", _("Not known")), *country_choices()]  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any((data.get(name) or "").strip() for name in ("hs", "description", "supplier", "value_share"))


InputFormSet = formset_factory(InputRowForm, extra=1, can_delete=True, max_num=200, absolute_max=250)


def formset(data: Any = None, initial: list[dict[str, Any]] | None = None) -> Any:
    return InputFormSet(data, initial=initial, prefix="inputs")


def initial_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Formset initial data from the API shape of inputs."""
    out = []
    for row in rows:
        declared = row.get("originating_declared")
        out.append(
            {
                "hs": row.get("hs", ""),
                "description": row.get("description", ""),
                "origin": row.get("origin") or "",
                "supplier": row.get("supplier", ""),
                "value_share": "" if row.get("value_share") is None else f"{row['value_share']:g}",
                "originating": "yes" if declared is True else "no" if declared is False else "unknown",
            }
        )
    return out


def data_for_service(header: BomHeaderForm, rows: Any) -> tuple[dict[str, Any], list[int]]:
    """The service's input from valid forms, and for each input it receives the formset row it came from."""
    data: dict[str, Any] = {
        "product": header.cleaned_data.get("product", ""),
        "name": header.cleaned_data.get("name", ""),
        "notes": header.cleaned_data.get("notes", ""),
        "inputs": [],
    }
    origin_rows: list[int] = []
    for i, form in enumerate(rows.forms):
        if not form.is_valid() or form.cleaned_data.get("DELETE") or form.is_blank():
            continue
        c = form.cleaned_data
        data["inputs"].append(
            {
                "hs": c.get("hs", ""),
                "description": c.get("description", ""),
                "origin": c.get("origin") or None,
                "supplier": c.get("supplier", ""),
                "value_share": c.get("value_share") or None,
                "originating_declared": c.get("originating") or "unknown",
            }
        )
        origin_rows.append(i)
    return data, origin_rows


_ROW_FIELD = re.compile(r"^inputs\[(\d+)\]\.(\w+)$")
_FIELD_NAMES = {"originating_declared": "originating"}


def add_service_errors(error: services.ChainError, header: BomHeaderForm, rows: Any, origin_rows: list[int]) -> None:
    """Put each of the service's errors on the field it names (or on the header form)."""
    for e in error.errors:
        match = _ROW_FIELD.match(e.field or "")
        if match and int(match.group(1)) < len(origin_rows):
            form = rows.forms[origin_rows[int(match.group(1))]]
            name = _FIELD_NAMES.get(match.group(2), match.group(2))
            form.add_error(name if name in form.fields else None, e.message)
        elif e.field in header.fields:
            header.add_error(e.field, e.message)
        else:
            header.add_error(None, e.message)
