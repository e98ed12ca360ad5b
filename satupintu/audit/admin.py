import json
import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from satupintu.lib.admin import ReadOnlyAdmin
from satupintu.lib.nik import mask_nik

from .models import AuditLog

# A NIK or KK number inside the recorded values: 16 digits not part of a longer number.
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only. The recorded changes are shown with every NIK and KK number masked: the admin page
    is for following who did what, and a full number read there would itself be an unrecorded read."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "reason"]
    list_filter = ["action", "object_type"]
    list_select_related = ["actor"]
    exclude = ["changes"]
    readonly_fields = ["masked_changes"]

    @admin.display(description=_("perubahan"))
    def masked_changes(self, entry: AuditLog) -> str:
        text = json.dumps(entry.changes, ensure_ascii=False, indent=1, sort_keys=True)
        return SIXTEEN_DIGITS.sub(lambda match: mask_nik(match.group()), text)
