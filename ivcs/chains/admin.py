"""Operators review the reference chain links and see (read-only) the SMEs' bills of materials."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from ivcs.chains.models import BillOfMaterials, BomInput, BomVersion, ChainLink
from ivcs.chains.selectors import links_changed


@admin.register(ChainLink)
class ChainLinkAdmin(admin.ModelAdmin):
    """Correct or add single links; every change is seen by the next chain query (the stamp drops)."""

    list_display = ("product", "input", "source", "weight", "confidence", "role", "checked")
    list_filter = ("source", "role", "dataset")
    search_fields = ("product", "input", "detail")
    ordering = ("product", "-weight")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(links_changed)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(links_changed)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(links_changed)


class BomInputInline(admin.TabularInline):
    model = BomInput
    extra = 0
    fields = ("hs_code", "description", "origin", "supplier", "value_share", "originating")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BillOfMaterials)
class BillOfMaterialsAdmin(admin.ModelAdmin):
    """Read-only: a bill of materials is its company's; it changes through the pages or the API."""

    list_display = ("product", "name", "organisation", "version", "updated_at")
    search_fields = ("name", "product__code", "organisation__name")
    readonly_fields = ("organisation", "product", "name", "notes", "version", "created_by", "created_at", "updated_at")
    inlines = [BomInputInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(BomVersion, admin.ModelAdmin)
