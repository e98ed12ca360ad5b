from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class ResetTwoFactorForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=250, widget=forms.Textarea(attrs={"rows": 3}))


class TemporaryPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi sementara"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Sampaikan kepada pengguna secara langsung; ia wajib menggantinya saat masuk."),
    )
    reason = forms.CharField(label=_("Alasan"), max_length=250, widget=forms.Textarea(attrs={"rows": 3}))
