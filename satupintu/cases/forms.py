"""Forms validate input only; the transition table decides what is allowed."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.models import Agency, User
from satupintu.catalogue.models import ServiceType
from satupintu.lib.forms import NamedEmptyChoices
from satupintu.registry.choices import BPS14_CRITERIA

from .appointments import verifier_choices
from .models import Verification
from .santunan import death_details

DETAIL_FIELDS = {
    "beasiswa-prestasi": ["ipk", "ptn"],
    "santunan-duka": ["death"],
}


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")
PHOTO_MAX_BYTES = 5 * 1024 * 1024


class FindHouseholdForm(forms.Form):
    q = forms.CharField(label=_("NIK, nomor KK atau nama"), max_length=100)


class IntakeForm(NamedEmptyChoices, forms.Form):
    applicant = forms.ModelChoiceField(label=_("Pemohon"), queryset=None)
    present = forms.MultipleChoiceField(
        label=_("Berkas yang dibawa"), required=False, widget=forms.CheckboxSelectMultiple
    )
    ipk = forms.DecimalField(label=_("IPK terakhir"), required=False, max_digits=3, decimal_places=2, min_value=0)
    ptn = forms.BooleanField(label=_("Diterima/kuliah di perguruan tinggi negeri"), required=False)
    death = forms.ModelChoiceField(
        label=_("Kematian yang tercatat"),
        queryset=None,
        required=False,
        help_text=_("Catat kematian lebih dulu pada halaman rumah tangga (Catat kematian)."),
    )
    duplicate_reason = forms.CharField(
        label=_("Alasan permohonan kedua"),
        help_text=_("Rumah tangga ini masih memiliki permohonan layanan yang sama yang belum selesai."),
        required=False,
        max_length=250,  # a sentence or two
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # One key per rendered form: sent again (a retry, a double click), it answers with the first application.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, household, service: ServiceType, open_same_service: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["applicant"].queryset = household.members.all()
        self.fields["applicant"].initial = household.head_id
        self.fields["present"].choices = [(r.pk, r.name) for r in service.requirements.all()]
        for name in ("ipk", "ptn", "death"):
            if name not in DETAIL_FIELDS.get(service.code, []):
                del self.fields[name]
        if "death" in self.fields:
            self.fields["death"].queryset = household.deaths.select_related("person")
            self.fields["death"].required = True
        if not open_same_service:
            del self.fields["duplicate_reason"]

    def details(self) -> dict:
        data = {}
        for name in DETAIL_FIELDS.get(self.service.code, []):
            value = self.cleaned_data.get(name)
            if name == "death" and value is not None:
                data.update(death_details(value))
            elif value not in (None, ""):
                data[name] = value if isinstance(value, bool) else str(value)
        return data

    def present_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["present"]]


class ActionForm(NamedEmptyChoices, forms.Form):
    """The inputs of one transition; which fields appear depends on the transition."""

    FIELDS = {
        "accept_documents": ["present"],
        "return_documents": ["reason"],
        "start_verification": ["verifier"],
        "record_verification": ["method", "visit_date", "bps14", "findings", "recommendation", "photos"],
        "send_back": ["reason"],
        "approve": ["reason", "override_reason"],
        "reject": ["reason", "override_reason"],
        "refer": ["agency", "note"],
        "record_outcome": ["outcome"],
        "withdraw": ["reason"],
        "cancel": ["reason"],
    }

    reason = forms.CharField(label=_("Alasan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        label=_("Alasan menyimpang dari hasil aturan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    present = forms.MultipleChoiceField(label=_("Berkas ada"), required=False, widget=forms.CheckboxSelectMultiple)
    verifier = forms.ModelChoiceField(label=_("Verifikator"), queryset=User.objects.none(), required=False)
    method = forms.ChoiceField(label=_("Cara verifikasi"), choices=Verification.Method.choices, required=False)
    visit_date = forms.DateField(label=_("Tanggal kunjungan/telepon"), required=False, widget=DateInput())
    bps14 = forms.MultipleChoiceField(
        label=_("Kriteria BPS yang terpenuhi"),
        required=False,
        choices=list(BPS14_CRITERIA.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(label=_("Temuan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recommendation = forms.ChoiceField(
        label=_("Rekomendasi"), choices=[("", "—"), *Verification.Recommendation.choices], required=False
    )
    photos = MultipleFileField(label=_("Foto (jpg/png, maks. 5 MB)"), required=False)
    agency = forms.ModelChoiceField(label=_("Instansi mitra"), queryset=Agency.objects.all(), required=False)
    note = forms.CharField(label=_("Catatan rujukan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label=_("Hasil tindak lanjut"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    queue_reason = forms.CharField(label=_("Alasan didahulukan dari antrean"), required=False, max_length=500)

    def __init__(self, *args, transition, application, show_queue_reason=False, **kwargs):
        keep = set(self.FIELDS.get(transition.name, [])) | ({"queue_reason"} if show_queue_reason else set())
        # Only the transition's fields are copied for this form (Django copies every declared field).
        self.base_fields = {name: field for name, field in type(self).base_fields.items() if name in keep}
        super().__init__(*args, **kwargs)
        if "reason" in self.fields:
            self.fields["reason"].required = transition.needs_reason
        if "present" in self.fields:
            checks = application.documents.all()
            self.fields["present"].choices = [(c.pk, c.requirement.name) for c in checks]
            self.fields["present"].initial = [c.pk for c in checks if c.present]
        if "verifier" in self.fields:
            self.fields["verifier"].queryset = verifier_choices(application)
        if "agency" in self.fields:
            self.fields["agency"].initial = application.service.agency_id

    def clean(self):
        data = super().clean()
        if "photos" in self.fields:
            for photo in data.get("photos") or []:
                if not photo.name.lower().endswith(PHOTO_TYPES) or photo.size > PHOTO_MAX_BYTES:
                    self.add_error("photos", _("Foto harus jpg/png/webp dan paling besar 5 MB."))
        return data

    def data_for_action(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("present", "bps14", "photos", "queue_reason")}
        if "present" in self.fields:
            data["present"] = {int(pk) for pk in self.cleaned_data["present"]}
        if "bps14" in self.fields:
            data["bps14_answers"] = dict.fromkeys(self.cleaned_data["bps14"], True)
        if "photos" in self.fields:
            data["photos"] = self.cleaned_data["photos"]
        return data
