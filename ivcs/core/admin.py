from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ivcs.core import outbox
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
    actions = ["retry_events"]

    def has_change_permission(self, request: HttpRequest, obj: OutboxEvent | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not request.user.has_perm("core.change_outboxevent"):
            actions.pop("retry_events", None)
        return actions

    @admin.action(description=_("Retry the selected failed events"))
    def retry_events(self, request: HttpRequest, queryset: QuerySet[OutboxEvent]) -> None:
        count = outbox.retry(queryset)
        self.message_user(
            request,
            ngettext("%(count)d event will be retried.", "%(count)d events will be retried.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "actor_label", "object_type", "object_id", "tenant_id")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_id", "action")
