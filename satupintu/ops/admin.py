from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "requested_by", "state", "done", "total", "attempts", "created_at", "finished_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["requested_by"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False
