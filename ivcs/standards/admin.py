"""Operators curate the standards catalogue here; every record keeps its sources and check date."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ivcs.standards import services
from ivcs.standards.models import (
    Buyer,
    Certifier,
    CertifierUpdate,
    CostEstimate,
    Course,
    Equivalence,
    HeldCertification,
    Office,
    Programme,
    Recognition,
    Requirement,
    RequirementSet,
    Scheme,
    Sector,
)

PROVENANCE: Any = (_("Provenance"), {"fields": ("sources", "checked", "verified", "unverified", "note")})


class ProvenanceAdmin(admin.ModelAdmin):
    """Admin of a record with provenance: filterable by how far it was verified."""

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = tuple(super().get_list_filter(request))
        return filters if "verified" in filters else (*filters, "verified")


@admin.register(Sector)
class SectorAdmin(ProvenanceAdmin):
    list_display = ("id", "label", "parent", "verified", "checked")
    fieldsets = ((None, {"fields": ("id", "parent", "name", "hs", "position")}), PROVENANCE)


class RecognitionInline(admin.TabularInline):
    model = Recognition
    extra = 0
    fields = ("by", "scope", "sources", "checked", "verified")


@admin.register(Scheme)
class SchemeAdmin(ProvenanceAdmin):
    list_display = ("id", "name", "owner", "kind", "verified", "checked")
    list_filter = ("kind", "verified", "sectors")
    search_fields = ("id", "name", "short_name", "owner")
    filter_horizontal = ("sectors",)
    inlines = (RecognitionInline,)
    fieldsets = (
        (None, {"fields": ("id", "name", "short_name", "owner", "kind", "sectors", "hs", "site")}),
        (
            _("Content"),
            {"fields": ("scope", "description", "scheme_version", "validity_months", "audit_cycle", "levels")},
        ),
        PROVENANCE,
    )


@admin.register(Equivalence)
class EquivalenceAdmin(ProvenanceAdmin):
    list_display = ("scheme", "relation", "other", "verified", "checked")
    autocomplete_fields = ("scheme", "other")


class OfficeInline(admin.StackedInline):
    model = Office
    extra = 0
    fields = ("country", "city", "address", "phone", "email", "url", "sources", "checked", "verified", "unverified")


@admin.register(Certifier)
class CertifierAdmin(ProvenanceAdmin):
    list_display = ("id", "name", "site", "verified", "checked")
    search_fields = ("id", "name")
    filter_horizontal = ("schemes",)
    inlines = (OfficeInline,)
    fieldsets = ((None, {"fields": ("id", "name", "site", "accreditation", "schemes", "organisation")}), PROVENANCE)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Certifier]:
        return super().get_queryset(request).select_related("organisation")


@admin.register(CostEstimate)
class CostEstimateAdmin(ProvenanceAdmin):
    list_display = ("scheme", "country", "currency", "total_min", "total_max", "months_min", "months_max", "verified")
    list_filter = ("country", "verified")
    autocomplete_fields = ("scheme",)


@admin.register(Programme)
class ProgrammeAdmin(ProvenanceAdmin):
    list_display = ("id", "name", "country", "institution", "instrument", "active", "verified")
    list_filter = ("country", "instrument", "active", "verified")
    search_fields = ("id", "name", "institution")
    filter_horizontal = ("schemes",)


@admin.register(Course)
class CourseAdmin(ProvenanceAdmin):
    list_display = ("title", "scheme", "provider", "kind", "cost", "verified")
    autocomplete_fields = ("scheme",)


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    filter_horizontal = ("schemes",)
    fields = ("position", "level", "schemes", "recognised_by", "note")


@admin.register(RequirementSet)
class RequirementSetAdmin(ProvenanceAdmin):
    list_display = ("id", "buyer", "verified", "checked")
    inlines = (RequirementInline,)
    fieldsets = ((None, {"fields": ("id", "buyer", "title", "hs")}), PROVENANCE)


@admin.register(Buyer)
class BuyerAdmin(ProvenanceAdmin):
    list_display = ("id", "name", "demo", "verified", "checked")
    list_filter = ("demo", "verified", "sectors")
    search_fields = ("id", "name")
    filter_horizontal = ("sectors",)
    fieldsets = ((None, {"fields": ("id", "name", "demo", "sectors", "organisation")}), PROVENANCE)


@admin.register(HeldCertification)
class HeldCertificationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "scheme", "expires", "reference")
    list_filter = ("scheme",)


@admin.register(CertifierUpdate)
class CertifierUpdateAdmin(admin.ModelAdmin):
    list_display = ("certifier", "organisation", "proposed_by", "status", "created_at", "reviewed_by")
    list_filter = ("status",)
    readonly_fields = ("certifier", "organisation", "proposed_by", "data", "status", "reviewed_by", "reviewed_at")
    fields = (*readonly_fields, "review_note")
    actions = ("approve", "reject")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def _review(self, request: HttpRequest, queryset: QuerySet[CertifierUpdate], approve: bool) -> None:
        done = 0
        for proposal in queryset.filter(status=CertifierUpdate.Status.PENDING).select_related("certifier"):
            services.review_certifier_update(actor=request.user, proposal=proposal, approve=approve)  # type: ignore[arg-type]
            done += 1
        self.message_user(request, _("%(n)d proposal(s) reviewed.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Approve: publish the proposed contact data"))
    def approve(self, request: HttpRequest, queryset: QuerySet[CertifierUpdate]) -> None:
        self._review(request, queryset, True)

    @admin.action(description=_("Reject"))
    def reject(self, request: HttpRequest, queryset: QuerySet[CertifierUpdate]) -> None:
        self._review(request, queryset, False)
