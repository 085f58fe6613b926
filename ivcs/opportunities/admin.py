"""Operators see and correct opportunities and engagements here (buyers use the pages and the API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ivcs.opportunities.models import (
    Engagement,
    Opportunity,
    OpportunityProduct,
    OpportunityRequirement,
    OpportunityRevision,
)


class ProductInline(admin.TabularInline):
    model = OpportunityProduct
    extra = 0
    fields = ("position", "hs_code", "text")
    raw_id_fields = ("hs_code",)


class RequirementInline(admin.TabularInline):
    model = OpportunityRequirement
    extra = 0
    fields = ("position", "level", "schemes", "recognised_by")


class RevisionInline(admin.TabularInline):
    model = OpportunityRevision
    extra = 0
    fields = ("changed_at", "changed_by_label", "changes")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "buyer", "status", "deadline", "published_at", "is_demo")
    list_filter = ("status", "language", "is_demo", "buyer__tenant")
    search_fields = ("title", "description", "buyer__name", "buyer__slug")
    raw_id_fields = ("buyer", "created_by")
    readonly_fields = ("published_at", "closed_at", "created_at", "updated_at")
    date_hierarchy = "created_at"
    inlines = (ProductInline, RequirementInline, RevisionInline)


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "organisation", "state", "buyer_status", "updated_at")
    list_filter = ("state", "buyer_status")
    search_fields = ("organisation__name", "organisation__slug", "opportunity__title")
    raw_id_fields = ("organisation", "opportunity")
    readonly_fields = ("interested_at", "created_at", "updated_at")
