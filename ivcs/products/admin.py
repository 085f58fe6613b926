from django.contrib import admin

from ivcs.products.models import HsCode


@admin.register(HsCode)
class HsCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "level", "description_en", "description_es", "description_pt")
    list_filter = ("level", "section", "source_es")
    search_fields = ("code", "description_en", "description_es", "description_pt")
    readonly_fields = ("code", "level", "parent", "section", "vintage", "updated_at")
    fields = (
        "code",
        "level",
        "parent",
        "section",
        "vintage",
        "description_en",
        "source_en",
        "description_es",
        "source_es",
        "description_pt",
        "source_pt",
        "updated_at",
    )

    def has_add_permission(self, request):  # codes come from `ivcs import-hs`
        return False
