from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StartsTodayOrLater(forms.ModelForm):
    """A change applies from today on: a start date in the past would rewrite what was applied."""

    def clean_valid_from(self):
        day = self.cleaned_data["valid_from"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Tanggal mulai tidak boleh sebelum hari ini."))
        return day
