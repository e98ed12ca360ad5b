from django.contrib import admin

from .models import LocalHoliday, ParameterValue, Requirement, ServiceStandard, ServiceType
from .rules import parameters


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


class StandardInline(admin.TabularInline):
    """Standards are dated: add a new row from a date on instead of editing the old one."""

    model = ServiceStandard
    extra = 0


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "agency", "is_active"]
    list_filter = ["domain", "is_active"]
    search_fields = ["code", "name"]
    inlines = [RequirementInline, StandardInline]


@admin.register(LocalHoliday)
class LocalHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]


@admin.register(ParameterValue)
class ParameterValueAdmin(admin.ModelAdmin):
    list_display = ["name", "value", "valid_from", "legal_source"]
    list_filter = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        parameters.clear_cache()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        parameters.clear_cache()
