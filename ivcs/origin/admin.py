"""Operators read the schemes and rule sets, and write structured forms for rules the parser left
unparsed (or read wrongly). A hand-written form is checked by the engine's grammar before it is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ivcs.engines.origin.grammar import GrammarError
from ivcs.origin import services
from ivcs.origin.models import RuleSet, Scheme


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    """Read-only: schemes change only through `ivcs import-origin`."""

    list_display = ("id", "name", "vintage", "hs_version", "rule_sets", "rules", "structured_rule_sets", "imported_at")
    readonly_fields = (
        "id",
        "name",
        "parties",
        "provisions",
        "source",
        "vintage",
        "hs_version",
        "rule_sets",
        "rules",
        "structured_rule_sets",
        "imported_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HandWrittenFilter(admin.SimpleListFilter):
    title = _("hand-written form")
    parameter_name = "hand_written"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> QuerySet[RuleSet]:
        if self.value() == "yes":
            return queryset.filter(hand_written__isnull=False)
        if self.value() == "no":
            return queryset.filter(hand_written__isnull=True)
        return queryset


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = ("hand_written",)

    def clean_hand_written(self) -> Any:
        value = self.cleaned_data.get("hand_written")
        if value is None:
            return None
        try:
            services.parse_rule(value)
        except GrammarError as exc:
            raise forms.ValidationError(
                _("This is not a rule the engine understands: %(problem)s"), params={"problem": str(exc)[:500]}
            ) from exc
        return value


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = ("scheme", "heading", "min_code", "max_code", "ex", "structured", "has_hand_written")
    list_filter = ("scheme", "structured", HandWrittenFilter)
    search_fields = ("heading", "subdivision", "texts")
    fields = (
        "scheme",
        "key",
        "heading",
        "subdivision",
        "low",
        "high",
        "ex",
        "texts",
        "structured",
        "parsed",
        "hand_written",
        "hand_written_by",
        "hand_written_at",
    )
    readonly_fields = tuple(f for f in fields if f != "hand_written")

    @admin.display(boolean=True, description=_("hand-written"))
    def has_hand_written(self, obj: RuleSet) -> bool:
        return obj.hand_written is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.set_hand_written(obj, form.cleaned_data.get("hand_written"), actor=request.user)
