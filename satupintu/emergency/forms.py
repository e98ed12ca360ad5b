import datetime as dt
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.models import Agency
from satupintu.accounts.scoping import desa_for
from satupintu.lib.forms import NamedEmptyChoices
from satupintu.registry.models import phone as phone_validator
from satupintu.registry.models import rt_rw

from . import selectors
from .models import ClinicService, Driver, Facility, Urgency, Vehicle, VerificationOutcome


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CallForm(NamedEmptyChoices, forms.Form):
    q = forms.CharField(label=_("Cari pasien (NIK atau nama)"), max_length=150, required=False)
    patient = forms.ModelChoiceField(label=_("Pasien terdaftar"), queryset=None, required=False)
    patient_name = forms.CharField(
        label=_("Nama pasien"), max_length=150, required=False, help_text=_("Diisi bila pasien tidak ditemukan.")
    )
    caller_name = forms.CharField(label=_("Nama penelepon"), max_length=120)
    caller_phone = forms.CharField(label=_("Nomor telepon penelepon"), max_length=20, validators=[phone_validator])
    caller_relation = forms.CharField(label=_("Hubungan dengan pasien"), max_length=60, required=False)
    pickup_desa = forms.ModelChoiceField(label=_("Desa/kelurahan penjemputan"), queryset=None, to_field_name="code")
    pickup_rt = forms.CharField(label=_("RT"), max_length=3, required=False, validators=[rt_rw])
    pickup_rw = forms.CharField(label=_("RW"), max_length=3, required=False, validators=[rt_rw])
    landmark = forms.CharField(label=_("Patokan lokasi"), max_length=250, required=False)
    destination = forms.ModelChoiceField(label=_("Tujuan"), queryset=Facility.objects.filter(active=True))
    urgency = forms.ChoiceField(label=_("Tingkat kegawatan"), choices=Urgency.choices, initial=Urgency.EMERGENCY)
    # One key per rendered form: sent again (a retry, a double click), it answers with the first call.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].queryset = selectors.people_for(user).select_related("household")
        desa = desa_for(user).order_by("parent__name", "name")
        self.fields["pickup_desa"].queryset = desa
        self.fields["pickup_desa"].label_from_instance = lambda r: f"{r.name} · {r.parent.name}"
        self.fields["q"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("patient") and not (cleaned.get("patient_name") or "").strip():
            self.add_error("patient_name", _("Pilih pasien terdaftar atau isi nama pasien."))
        return cleaned


class DispatchForm(NamedEmptyChoices, forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Kendaraan"), queryset=Vehicle.objects.none())

    def __init__(self, *args, vehicles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicles


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=250)


class VerificationForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Hasil verifikasi"), choices=VerificationOutcome.choices)
    note = forms.CharField(label=_("Catatan"), max_length=250)


class ShiftForm(NamedEmptyChoices, forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Kendaraan"), queryset=Vehicle.objects.filter(active=True))
    driver = forms.ModelChoiceField(label=_("Pengemudi"), queryset=Driver.objects.filter(active=True))
    starts_at = forms.DateTimeField(label=_("Mulai"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Selesai"), widget=DateTimeInput())

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends - starts > dt.timedelta(hours=24):
            self.add_error("ends_at", _("Satu jadwal jaga paling lama 24 jam."))
        return cleaned


class CardCheckForm(forms.Form):
    scanned = forms.CharField(
        label=_("Pindai QR kartu atau ketik NIK"),
        max_length=400,
        help_text=_("Arahkan pemindai QR ke kartu; teksnya masuk ke kolom ini."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scanned"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})


class VisitForm(NamedEmptyChoices, forms.Form):
    scanned = forms.CharField(widget=forms.HiddenInput, max_length=400)
    person = forms.ModelChoiceField(label=_("Pasien"), queryset=None, widget=forms.RadioSelect, empty_label=None)
    service = forms.ChoiceField(label=_("Layanan diberikan"), choices=ClinicService.choices)
    service_note = forms.CharField(label=_("Catatan layanan / diagnosis singkat"), max_length=250, required=False)
    referred = forms.BooleanField(label=_("Dirujuk ke rumah sakit (terbitkan surat rujukan)"), required=False)
    referral_agency = forms.ModelChoiceField(
        label=_("Rumah sakit rujukan"), queryset=Agency.objects.filter(code__startswith="rsud"), required=False
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members
        self.fields["person"].label_from_instance = lambda p: f"{p.name} ({p.get_relationship_display()})"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("referred") and not cleaned.get("referral_agency"):
            self.add_error("referral_agency", _("Pilih rumah sakit rujukan."))
        return cleaned


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Dari tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai tanggal"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        if not data or not (data.get("start") or data.get("end")):
            data = {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat()}
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        if start and end and (end - start).days > 366:
            raise forms.ValidationError(_("Periode paling lama satu tahun."))
        return cleaned
