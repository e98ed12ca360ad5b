import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.budgets.forms import validate_proof
from satupintu.budgets.models import FundingSource, Programme, Unit
from satupintu.lib.forms import NamedEmptyChoices

from .models import ReceivedBy


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OpenMonthForm(NamedEmptyChoices, forms.Form):
    source = forms.ModelChoiceField(label=_("Program dan sumber beras"), queryset=FundingSource.objects.none())
    month = forms.TypedChoiceField(label=_("Bulan"), coerce=int, choices=[(m, f"{m:02d}") for m in range(1, 13)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.filter(service__code="raskin", unit=Unit.KG)
        self.fields["source"].queryset = FundingSource.objects.filter(programme__in=programmes).select_related(
            "programme"
        )
        self.fields["source"].label_from_instance = lambda s: f"{s.programme} · {s.name}"
        self.fields["month"].initial = timezone.localdate().month


class HandoverForm(forms.Form):
    on = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    relation = forms.ChoiceField(label=_("Diterima oleh"), choices=ReceivedBy.choices, initial=ReceivedBy.HEAD)
    received_by = forms.CharField(label=_("Nama penerima"), max_length=150)
    evidence = forms.FileField(
        label=_("Tanda tangan/foto (JPG, PNG, WEBP atau PDF, maks. 5 MB)"), required=False, validators=[validate_proof]
    )
    thumbprint_note = forms.CharField(label=_("Atau keterangan cap jempol"), required=False, max_length=250)
    # One key per rendered form: sent again (a retry, a double click), it finds the first handover.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        data = super().clean()
        if not data.get("evidence") and not (data.get("thumbprint_note") or "").strip():
            raise forms.ValidationError(_("Unggah tanda tangan/foto penerima atau isi keterangan cap jempol."))
        return data


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500)
