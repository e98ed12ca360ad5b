from django.contrib import admin

from satupintu.lib.admin import ReadOnlyAdmin

from .models import AmbulanceCall, ClinicVisit, Driver, Facility, Shift, Vehicle


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["name", "plate", "base", "active"]
    list_filter = ["active"]


@admin.register(Driver)
class DriverAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "active"]
    list_filter = ["active"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["vehicle", "driver", "starts_at", "ends_at"]
    list_select_related = ["vehicle", "driver"]
    date_hierarchy = "starts_at"


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agency", "active"]
    list_filter = ["kind", "active"]


@admin.register(AmbulanceCall)
class AmbulanceCallAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["number", "received_at", "state", "eligibility", "vehicle"]
    list_filter = ["state", "eligibility", "urgency"]


@admin.register(ClinicVisit)
class ClinicVisitAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["visited_at", "check_result", "tier", "service", "referred"]
    list_filter = ["check_result", "tier", "service"]
