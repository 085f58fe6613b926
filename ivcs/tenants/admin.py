from django.contrib import admin

from ivcs.tenants.models import Tenant, TenantDomain


class TenantDomainInline(admin.TabularInline):
    model = TenantDomain
    extra = 1


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "default_language", "is_active", "is_demo")
    list_filter = ("is_active", "is_demo", "default_language")
    search_fields = ("name", "slug", "domains__host")
    inlines = [TenantDomainInline]

    def get_readonly_fields(self, request, obj=None):
        # The default tenant's slug anchors resolution; it is not renamed from here.
        return ("slug",) if obj is not None and obj.is_default else ()
