from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from satupintu.parameters.forms import StartsTodayOrLater

from .models import LocalHoliday, Requirement, ServiceStandard, ServiceType


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


class StandardInForceInline(admin.TabularInline):
    model = ServiceStandard
    extra = 0
    verbose_name_plural = _("standar waktu yang sudah berlaku")

    def get_queryset(self, request):
        return super().get_queryset(request).taken_effect()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UpcomingStandardInline(admin.TabularInline):
    """A new standard is a row from a later start date; it moves to the read-only list on that date."""

    model = ServiceStandard
    form = StartsTodayOrLater
    extra = 0
    verbose_name_plural = _("standar waktu mendatang")

    def get_queryset(self, request):
        return super().get_queryset(request).upcoming()


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "agency", "is_active"]
    list_filter = ["domain", "is_active"]
    search_fields = ["code", "name"]
    inlines = [RequirementInline, StandardInForceInline, UpcomingStandardInline]


@admin.register(LocalHoliday)
class LocalHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
