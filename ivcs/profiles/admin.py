"""Operators view and correct SME profiles in the operator area."""

from __future__ import annotations

from django.contrib import admin

from ivcs.profiles.models import Profile, ProfileProduct


class ProfileProductInline(admin.TabularInline):
    model = ProfileProduct
    extra = 0
    fields = ("position", "hs_code", "description")
    raw_id_fields = ("hs_code",)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("organisation", "country", "region", "public", "years_exporting", "updated_at")
    list_filter = ("public", "country", "revenue_band", "sectors")
    search_fields = ("organisation__name", "organisation__slug", "region", "description")
    raw_id_fields = ("organisation",)
    filter_horizontal = ("sectors",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (ProfileProductInline,)
