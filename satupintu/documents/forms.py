from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.scoping import desa_for

from .models import Kind


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=[("", _("Semua jenis")), *Kind.choices], required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Semua status")), ("valid", _("Belum dicabut")), ("revoked", _("Dicabut"))],
        required=False,
    )
    number = forms.CharField(label=_("Nomor"), max_length=80, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=250, widget=forms.TextInput)


class BatchPrintForm(forms.Form):
    desa = forms.ChoiceField(label=_("Desa/kelurahan"))
    kind = forms.ChoiceField(
        label=_("Jenis kartu"), choices=[(Kind.SARASWATI, Kind.SARASWATI.label), (Kind.SINTAWATI, Kind.SINTAWATI.label)]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].choices = [(r.code, f"{r.name} — {r.parent.name}") for r in desa_for(user)]
