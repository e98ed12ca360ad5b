import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.models import User
from satupintu.accounts.permissions import COMPLAINT_TAKE, holders_q
from satupintu.accounts.pins import pin_matches
from satupintu.cases.models import Application
from satupintu.lib.forms import NamedEmptyChoices
from satupintu.regions.models import Level, Region
from satupintu.registry.models import phone as phone_validator

from .models import Category, Channel, FeedbackType, Track

# The fields that name the reporter: hidden in the browser while "anonim" is ticked (static/…/app.js).
IDENTITY = forms.TextInput(attrs={"data-identity": ""})


class ComplaintForm(NamedEmptyChoices, forms.Form):
    feedback_type = forms.ChoiceField(label=_("Jenis"), choices=FeedbackType.choices, initial=FeedbackType.PENGADUAN)
    # No default: a complaint filed under "Lainnya" by inattention is routed wrongly; blank means "Lainnya".
    category = forms.ChoiceField(
        label=_("Kategori"), choices=[("", _("Pilih kategori yang paling sesuai")), *Category.choices], required=False
    )
    description = forms.CharField(label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Region.objects.filter(level=Level.KECAMATAN),
        required=False,
        to_field_name="code",
    )
    anonymous = forms.BooleanField(
        label=_("Kirim tanpa nama (anonim)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-anonymous": ""}),
        help_text=_("Nama, nomor HP, desa dan permohonan terkait tidak disimpan. Simpan nomor dan PIN untuk melacak."),
    )
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=120, required=False, widget=IDENTITY)
    reporter_phone = forms.CharField(
        label=_("Nomor HP pelapor"), max_length=20, required=False, validators=[phone_validator], widget=IDENTITY
    )
    desa = forms.ModelChoiceField(
        label=_("Desa/kelurahan"),
        queryset=Region.objects.filter(level=Level.DESA),
        required=False,
        to_field_name="code",
        widget=forms.Select(attrs={"data-identity": ""}),
    )
    application_number = forms.CharField(
        label=_("Nomor permohonan terkait (jika ada)"), max_length=20, required=False, widget=IDENTITY
    )
    # One key per rendered form: sent again (a retry, a double click), it answers with the first complaint.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        cleaned = super().clean()
        cleaned["category"] = cleaned.get("category") or Category.LAINNYA
        if cleaned.get("anonymous"):
            for name in ("reporter_name", "reporter_phone", "desa", "application_number"):
                cleaned[name] = None if name == "desa" else ""
        elif not (cleaned.get("reporter_name") or "").strip():
            self.add_error("reporter_name", _("Isi nama, atau pilih kirim tanpa nama."))
        return cleaned


class PublicComplaintForm(ComplaintForm):
    application_pin = forms.CharField(label=_("PIN permohonan terkait"), max_length=10, required=False, widget=IDENTITY)

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("application_number") or "").strip()
        cleaned["application"] = None
        if number:
            found = Application.objects.filter(number=number).only("pin_hash").first()
            if not pin_matches(cleaned.get("application_pin"), found.pin_hash if found else None):
                self.add_error("application_pin", _("Nomor permohonan atau PIN tidak cocok."))
            else:
                cleaned["application"] = found
        return cleaned


class DeskComplaintForm(ComplaintForm):
    empty_labels = {"about_officer": _("— tidak ada —")}
    channel = forms.ChoiceField(
        label=_("Saluran"), choices=[c for c in Channel.choices if c[0] != Channel.WEB], initial=Channel.DESK
    )
    about_officer = forms.ModelChoiceField(
        label=_("Petugas yang diadukan (jika ada)"),
        queryset=User.objects.filter(holders_q(COMPLAINT_TAKE), is_active=True).order_by("first_name"),
        required=False,
    )

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = applications

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("application_number") or "").strip()
        cleaned["application"] = None
        if number:
            cleaned["application"] = self.applications.filter(number=number).first()
            if cleaned["application"] is None:
                self.add_error("application_number", _("Permohonan tidak ditemukan di wilayah Anda."))
        return cleaned


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Nomor pengaduan"), max_length=20)
    pin = forms.CharField(
        label=_("PIN pengaduan (8 angka)"),
        max_length=10,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric"}),
        help_text=_("PIN 8 angka yang diberikan saat pengaduan dikirim (bukan PIN tanda terima permohonan)."),
    )


class StepForm(forms.Form):
    reason = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AssignForm(NamedEmptyChoices, StepForm):
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=User.objects.none())
    track = forms.ChoiceField(label=_("Jalur penyelesaian"), choices=Track.choices)

    def __init__(self, *args, assignees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees if assignees is not None else User.objects.none()
