import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.regions.models import Level, Region

from .extract import Period


def _year_start() -> dt.date:
    return timezone.localdate().replace(month=1, day=1)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Dari tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Region.objects.filter(level=Level.KECAMATAN),
        required=False,
        empty_label=_("Seluruh kabupaten"),
        to_field_name="code",
    )

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data else {}
        data.setdefault("start", _year_start().isoformat())
        data.setdefault("end", timezone.localdate().isoformat())
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        if start and end and (end - start).days > 3 * 366:
            raise forms.ValidationError(_("Periode paling lama tiga tahun."))
        return cleaned

    def period(self) -> Period:
        kecamatan = self.cleaned_data.get("kecamatan")
        return Period(self.cleaned_data["start"], self.cleaned_data["end"], kecamatan.code if kecamatan else "")


class MonthForm(forms.Form):
    month = forms.DateField(label=_("Bulan"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}))

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data else {}
        data.setdefault("month", f"{timezone.localdate():%Y-%m}")
        super().__init__(data, **kwargs)
