from django.contrib import admin

from satupintu.lib.admin import ReadOnlyAdmin

from .models import DocumentSettings, IssuedDocument, LetterTemplate
from .placeholders import LETTER_PLACEHOLDERS, NUMBER_PLACEHOLDERS


def _listing(placeholders: dict) -> str:
    return "; ".join(f"{{{name}}} = {label}" for name, label in placeholders.items())


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit_short", "place", "signer", "updated_at"]
    raw_id_fields = ["signer"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name in ("letter_number_scheme", "card_number_scheme"):
            form.base_fields[name].help_text = _listing(NUMBER_PLACEHOLDERS)
        return form

    def has_add_permission(self, request):
        return not DocumentSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["service_code", "title", "classification", "default_agency", "is_active", "updated_at"]
    readonly_fields = ["service_code"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name in ("subject", "opening", "body", "closing"):
            form.base_fields[name].help_text = _listing(LETTER_PLACEHOLDERS)
        return form

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read only: documents change only through issue, revoke and reissue."""

    list_display = ["number", "kind", "subject_name", "issued_on", "revoked_at"]
    list_filter = ["kind", "issued_on"]
    search_fields = ["number"]
    exclude = ["pdf", "content"]
