from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas XLSX atau CSV"))
    source = forms.ChoiceField(
        label=_("Sumber data"),
        choices=[("desa", _("Pendataan desa")), ("DTSEN", _("DTSEN (data nasional)")), ("UPT-PK", _("Data UPT-PK"))],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Unggah berkas .xlsx atau .csv."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (batas %(limit)d MB).") % {"limit": settings.IMPORT_MAX_BYTES // 2**20}
            )
        return upload


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), required=False, max_length=250)
