from django.contrib import admin

from ivcs.core.models import AuditLog, OutboxEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "topic", "status", "attempts", "created_at", "delivered_at", "available_at")
    list_filter = ("status", "topic")
    search_fields = ("topic", "last_error")


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "actor_label", "object_type", "object_id", "tenant_id")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_id", "action")
