import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.scoping import desa_for
from satupintu.lib import versioned_cache
from satupintu.lib.forms import NamedEmptyChoices
from satupintu.regions import versions as regions_version

from . import choices as c
from .fields import HOUSEHOLD_FIELDS, PERSON_FIELDS, form_fields
from .models import Household, Person
from .selectors import area_key
from .validation import kk_errors, person_identity_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cari NIK, nomor KK atau nama"), required=False, max_length=100)
    desa = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    status = forms.ChoiceField(
        label=_("Status kesejahteraan"), required=False, choices=[("", _("Semua"))] + c.PovertyResult.choices
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is checked or drawn, not on a list page that shows its kept fields.
        self.fields["desa"].choices = lambda: [("", _("Semua wilayah saya")), *desa_choices(user)]


def desa_choices(user) -> list[tuple[str, str]]:
    """(code, "Desa (Kecamatan)") of the desa the user sees; kept in the shared cache per area for a
    day under the regions' version, which any save of a region renews (regions/versions.py)."""

    def build():
        return [(d.code, f"{d.name} ({d.parent.name})") for d in desa_for(user)]

    return versioned_cache.cached(regions_version.NAMESPACE, "desa-choices", build, area_key(user))


class PersonForm(NamedEmptyChoices, forms.ModelForm):
    class Meta:
        model = Person
        fields = form_fields(PERSON_FIELDS)
        widgets = {
            "birth_date": DateInput(),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {"nik": _("16 digit, seperti di KTP atau Kartu Keluarga; kosongkan bila belum punya.")}

    def clean_nik(self):
        return (self.cleaned_data.get("nik") or "").replace(" ", "") or None

    def clean(self):
        data = super().clean()
        errors = person_identity_errors(
            nik=data.get("nik"),
            sex=data.get("sex"),
            birth_date=data.get("birth_date"),
            exclude_pk=self.instance.pk,
        )
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field, message)
        return data

    def validate_unique(self):
        """Uniqueness of the NIK is checked in clean(), with a clearer message."""


class HouseholdForm(NamedEmptyChoices, forms.ModelForm):
    class Meta:
        model = Household
        fields = form_fields(HOUSEHOLD_FIELDS)
        widgets = {"kk_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}
        help_texts = {"kk_number": _("16 digit, seperti tertulis di Kartu Keluarga.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        desa = self.fields["desa"]
        desa.queryset = desa_for(user)
        if desa.queryset.count() == 1:  # a desa operator's own desa: nothing to choose
            desa.empty_label = None

    def clean_kk_number(self):
        number = (self.cleaned_data.get("kk_number") or "").replace(" ", "")
        for message in kk_errors(number, exclude_household_pk=self.instance.pk):
            raise forms.ValidationError(message)
        return number

    def validate_unique(self):
        """Uniqueness of the KK number is checked in clean_kk_number(), with a clearer message."""


class SubjectRequestForm(forms.Form):
    reason = forms.CharField(label=_("Dasar permintaan (mis. nomor surat permohonan)"), max_length=200)


class DeathForm(NamedEmptyChoices, forms.Form):
    died_on = forms.DateField(label=_("Tanggal meninggal"), widget=DateInput())
    source = forms.ChoiceField(label=_("Sumber keterangan"), choices=c.DeathSource.choices)
    reference = forms.CharField(
        label=_("Nomor/keterangan sumber"),
        required=False,
        max_length=100,
        help_text=_("mis. nomor akta kematian atau surat desa"),
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_head = forms.ModelChoiceField(label=_("Kepala keluarga baru"), queryset=Person.objects.none(), required=False)
    confirm = forms.BooleanField(label=_("Saya sudah memeriksa keterangan kematian ini"))
    # One key per rendered form: sent again (a retry, a double click), it finds the first record.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        others = Person.objects.filter(household_id=person.household_id).exclude(pk=person.pk)
        if person.household and person.household.head_id == person.pk and others.exists():
            self.fields["new_head"].queryset = others
            self.fields["new_head"].required = True
        else:
            del self.fields["new_head"]
