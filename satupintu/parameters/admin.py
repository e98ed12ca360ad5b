from django.contrib import admin

from satupintu import parameters

from .forms import StartsTodayOrLater
from .models import ParameterValue


@admin.register(ParameterValue)
class ParameterValueAdmin(admin.ModelAdmin):
    """A value that has taken effect is shown read-only and cannot be deleted (models.TakenEffect);
    a value still in the future may be edited or deleted until its start date."""

    form = StartsTodayOrLater
    list_display = ["name", "value", "valid_from", "legal_source"]
    list_filter = ["name"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.has_taken_effect())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.has_taken_effect())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        parameters.clear_cache()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        parameters.clear_cache()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        parameters.clear_cache()
