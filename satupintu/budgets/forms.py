"""Forms of the budget pages. Each create form carries a one-time submission key, so a form sent twice
(a retry, a double click) records once."""

import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.cases.forms import DateInput
from satupintu.cases.models import Application
from satupintu.catalogue.models import ServiceType
from satupintu.lib.forms import NamedEmptyChoices
from satupintu.regions.models import Level, Region
from satupintu.registry.selectors import households_for

from .actions import HANDED_OVER_BY
from .models import EntryKind, Method, SourceKind, Unit

# A receipt's photo or scan; larger files are refused with a message.
PROOF_MAX_BYTES = 5 * 1024 * 1024
# The first bytes of the accepted kinds: JPEG, PNG, WEBP (RIFF....WEBP) and PDF.
PROOF_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-")


def _key():
    return forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)


class ProgrammeForm(NamedEmptyChoices, forms.Form):
    service = forms.ModelChoiceField(label=_("Layanan"), queryset=ServiceType.objects.filter(is_active=True))
    fiscal_year = forms.IntegerField(label=_("Tahun anggaran"), min_value=2000, max_value=2100)
    unit = forms.ChoiceField(label=_("Satuan"), choices=Unit.choices)
    name = forms.CharField(label=_("Nama program"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = timezone.localdate().year


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis sumber dana"), choices=SourceKind.choices)
    name = forms.CharField(label=_("Nama sumber dana"), max_length=150, required=False)


class RevisionForm(forms.Form):
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Region.objects.filter(level=Level.KECAMATAN).order_by("name"),
        required=False,
        empty_label=_("Seluruh kabupaten"),
        help_text=_("Kosongkan untuk pagu seluruh kabupaten; pilih kecamatan untuk pembagian pagunya."),
    )
    amount = forms.DecimalField(label=_("Pagu (Rp)"), min_value=0, max_digits=16, decimal_places=2, required=False)
    units = forms.DecimalField(label=_("Pagu (satuan)"), min_value=0, max_digits=14, decimal_places=2, required=False)
    valid_from = forms.DateField(
        label=_("Berlaku mulai"), widget=DateInput(format="%Y-%m-%d"), initial=timezone.localdate
    )
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Misalnya: APBD murni, APBD-P, pergeseran anggaran (dengan nomor dokumennya)."),
    )
    submission_key = _key()

    def clean(self):
        data = super().clean()
        if data.get("amount") is None and data.get("units") is None:
            raise forms.ValidationError(_("Isi pagu rupiah atau pagu satuan."))
        return data


def validate_proof(upload) -> None:
    if upload.size > PROOF_MAX_BYTES:
        raise forms.ValidationError(
            _("Berkas bukti terlalu besar (maksimal %(mb)s MB).") % {"mb": PROOF_MAX_BYTES // (1024 * 1024)}
        )
    head = upload.read(16)
    upload.seek(0)
    webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not (webp or head.startswith(PROOF_MAGIC)):
        raise forms.ValidationError(_("Bukti harus berupa foto (JPG, PNG, WEBP) atau PDF."))


class EntryForm(forms.Form):
    """A payment, handover, stock receipt or stock issue of one programme."""

    source = forms.ModelChoiceField(label=_("Sumber dana"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Jenis"))
    household = forms.CharField(
        label=_("Rumah tangga"), max_length=20, required=False, help_text=_("Nomor rumah tangga, mis. RT-0000123.")
    )
    application = forms.CharField(label=_("Nomor permohonan"), max_length=20, required=False)
    on = forms.DateField(label=_("Tanggal"), widget=DateInput(format="%Y-%m-%d"), initial=timezone.localdate)
    amount = forms.DecimalField(label=_("Jumlah (Rp)"), min_value=0, max_digits=16, decimal_places=2, required=False)
    units = forms.DecimalField(label=_("Jumlah (satuan)"), min_value=0, max_digits=14, decimal_places=2, required=False)
    method = forms.ChoiceField(label=_("Cara"), choices=[("", "—"), *Method.choices], required=False)
    recipient_name = forms.CharField(label=_("Nama penerima"), max_length=150, required=False)
    proof = forms.FileField(
        label=_("Bukti (foto atau PDF)"),
        required=False,
        validators=[validate_proof],
        help_text=_("Kwitansi, tanda terima atau foto penyerahan; paling besar 5 MB."),
    )
    proof_note = forms.CharField(label=_("Keterangan bukti"), max_length=250, required=False)
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    submission_key = _key()

    def __init__(self, *args, programme, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme, self.user = programme, user
        self.fields["source"].queryset = programme.sources.order_by("id")
        kinds = (
            [EntryKind.STOCK_RECEIPT, EntryKind.STOCK_ISSUE]
            if programme.is_stock
            else [EntryKind.PAYMENT, EntryKind.HANDOVER]
        )
        if programme.service.code in HANDED_OVER_BY:  # recorded on the service's distribution page
            kinds = [k for k in kinds if k != EntryKind.HANDOVER]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
        if on.year != self.programme.fiscal_year:
            raise forms.ValidationError(
                _("Tanggal harus dalam tahun anggaran %(year)s.") % {"year": self.programme.fiscal_year}
            )
        return on

    def clean_household(self):
        text = self.cleaned_data["household"].strip().upper()
        if not text:
            return None
        match = re.fullmatch(r"(?:RT-)?0*(\d{1,12})", text)
        household = match and households_for(self.user).select_related("desa").filter(pk=int(match[1])).first()
        if not household:
            raise forms.ValidationError(_("Rumah tangga tidak ditemukan di wilayah Anda."))
        return household

    def clean(self):
        data = super().clean()
        number = (data.get("application") or "").strip().upper()
        data["application"] = None
        if number:
            application = Application.objects.filter(number=number, service_id=self.programme.service_id).first()
            if application is None:
                self.add_error("application", _("Permohonan layanan ini dengan nomor itu tidak ditemukan."))
            elif data.get("household") is None:
                data["household"] = households_for(self.user).filter(pk=application.household_id).first()
                data["application"] = application if data["household"] else None
                if data["household"] is None:
                    self.add_error("application", _("Permohonan tidak ditemukan di wilayah Anda."))
            else:
                data["application"] = application
        if data.get("kind") != EntryKind.STOCK_RECEIPT and data.get("household") is None and not self.errors:
            self.add_error("household", _("Isi nomor rumah tangga atau nomor permohonan."))
        if data.get("amount") is None and data.get("units") is None:
            raise forms.ValidationError(_("Isi jumlah rupiah atau jumlah satuan."))
        return data


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembalikan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    submission_key = _key()


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
