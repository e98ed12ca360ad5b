"""Forms of the appointment page (appointed verifiers)."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.models import User
from satupintu.accounts.permissions import REGISTRY_READ, holders_q
from satupintu.lib.forms import NamedEmptyChoices
from satupintu.regions.models import Level, Region

from .forms import DateInput


class AppointmentForm(NamedEmptyChoices, forms.Form):
    appointee = forms.ModelChoiceField(label=_("Petugas yang ditunjuk"), queryset=User.objects.none())
    number = forms.CharField(
        label=_("Nomor permohonan"),
        required=False,
        max_length=20,
        help_text=_("Satu permohonan; kosongkan bila menunjuk untuk sejumlah desa."),
    )
    desa = forms.ModelMultipleChoiceField(
        label=_("Desa/kelurahan"), queryset=Region.objects.none(), required=False, widget=forms.SelectMultiple
    )
    valid_from = forms.DateField(label=_("Berlaku sejak"), widget=DateInput(), initial=timezone.localdate)
    valid_until = forms.DateField(label=_("Berlaku sampai"), widget=DateInput())
    reason = forms.CharField(label=_("Alasan penunjukan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appointee"].queryset = User.objects.filter(holders_q(REGISTRY_READ), is_active=True).order_by(
            "username"
        )
        self.fields["appointee"].label_from_instance = lambda u: " · ".join(
            x for x in (u.get_full_name() or u.username, u.position, u.get_role_display()) if x
        )
        self.fields["desa"].queryset = Region.objects.filter(level=Level.DESA).select_related("parent").order_by("name")

    def clean(self):
        data = super().clean()
        if bool((data.get("number") or "").strip()) == bool(data.get("desa")):
            raise forms.ValidationError(_("Isi nomor permohonan atau pilih desa (salah satu)."))
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("Tanggal akhir sebelum tanggal mulai."))
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), max_length=1000)
