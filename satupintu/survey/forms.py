from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.lib.ikm import ELEMENTS

SCALE = [(1, _("1 — Tidak baik")), (2, _("2 — Kurang baik")), (3, _("3 — Baik")), (4, _("4 — Sangat baik"))]


class SurveyForm(forms.Form):
    suggestion = forms.CharField(
        label=_("Saran (tanpa nama)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for order, (key, label) in enumerate(ELEMENTS, start=1):
            self.fields[key] = forms.TypedChoiceField(
                label=f"U{order}. {label}", choices=SCALE, coerce=int, widget=forms.RadioSelect
            )
        self.order_fields([key for key, _label in ELEMENTS] + ["suggestion"])


class EntryForm(forms.Form):
    number = forms.CharField(label=_("Nomor tanda terima"), max_length=20)
    pin = forms.CharField(label=_("PIN"), max_length=10, widget=forms.PasswordInput)
