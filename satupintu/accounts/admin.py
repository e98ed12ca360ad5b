from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from satupintu.lib.versioned_cache import ChangesVersion

from .models import Agency, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "region", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["region", "agency"]
    autocomplete_fields = ["region"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Peran dan wilayah"), {"fields": ("role", "region", "agency", "nip", "position")}),
    )


@admin.register(Agency)
class AgencyAdmin(ChangesVersion, admin.ModelAdmin):
    version_namespace = "catalogue"  # the public charter names each service's partner agency

    list_display = ["code", "name"]
    search_fields = ["code", "name"]
