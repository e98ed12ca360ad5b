from django.contrib import admin

from satupintu.lib.admin import ReadOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the outbox is written by the changes it reports and by the sender only."""

    list_display = ["id", "channel", "state", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["state", "channel"]
    search_fields = ["application__number"]
    list_select_related = False
    fields = ["application", "channel", "phone", "user", "body", "state", "attempts", "next_attempt_at",
              "claimed_at", "last_error", "created_at", "sent_at"]  # fmt: skip
    readonly_fields = fields
    raw_id_fields = ["application", "user"]
