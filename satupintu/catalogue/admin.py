from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LocalHoliday, ParameterValue, Requirement, ServiceStandard, ServiceType
from .rules import parameters


class StartsTodayOrLater(forms.ModelForm):
    """A change applies from today on: a start date in the past would rewrite what was applied."""

    def clean_valid_from(self):
        day = self.cleaned_data["valid_from"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Tanggal mulai tidak boleh sebelum hari ini."))
        return day


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
