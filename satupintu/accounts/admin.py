from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actions
from .forms import ResetTwoFactorForm, TemporaryPasswordForm
from .models import Agency, User
from .permissions import ACCOUNT_MANAGE, has


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "region", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["region", "agency"]
    autocomplete_fields = ["region"]
    readonly_fields = ["must_change_password", "account_security"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Peran dan wilayah"), {"fields": ("role", "region", "agency", "nip", "position")}),
        (_("Keamanan akun"), {"fields": ("must_change_password", "account_security")}),
    )

    @admin.display(description=_("Verifikasi dua langkah"))
    def account_security(self, obj):
        if obj.pk is None:
            return "—"
        enrolled = TOTPDevice.objects.filter(user=obj, confirmed=True).exists()
        return format_html(
            '{} · <a href="{}">{}</a> · <a href="{}">{}</a>',
            _("terdaftar") if enrolled else _("belum terdaftar"),
            reverse("admin:accounts_user_reset_two_factor", args=[obj.pk]),
            _("Setel ulang verifikasi dua langkah"),
            reverse("admin:accounts_user_temporary_password", args=[obj.pk]),
            _("Beri kata sandi sementara"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/dua-langkah/", view(self.reset_two_factor_view), name="accounts_user_reset_two_factor"),
            path(
                "<int:pk>/kata-sandi-sementara/",
                view(self.temporary_password_view),
                name="accounts_user_temporary_password",
            ),
            *super().get_urls(),
        ]

    def _account_page(self, request, pk, form_class, title, intro, act):
        if not has(request.user, ACCOUNT_MANAGE):
            raise PermissionDenied
        user = get_object_or_404(User, pk=pk)
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                act(user, form.cleaned_data)
            except ValidationError as refusal:
                form.add_error("password", refusal)
            else:
                self.message_user(request, _("Tersimpan dan tercatat di log audit."), messages.SUCCESS)
                return redirect("admin:accounts_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "title": title,
            "intro": intro,
            "form": form,
        }
        return TemplateResponse(request, "admin/accounts/user/account_action.html", context)

    def reset_two_factor_view(self, request, pk):
        return self._account_page(
            request,
            pk,
            ResetTwoFactorForm,
            _("Setel ulang verifikasi dua langkah"),
            _(
                "Aplikasi autentikator dan kode pemulihan pengguna ini dihapus. Saat masuk berikutnya ia harus "
                "mendaftar ulang. Pastikan identitas pengguna sudah diperiksa."
            ),
            lambda user, data: actions.reset_two_factor(actor=request.user, user=user, reason=data["reason"]),
        )

    def temporary_password_view(self, request, pk):
        return self._account_page(
            request,
            pk,
            TemporaryPasswordForm,
            _("Beri kata sandi sementara"),
            _(
                "Sesi pengguna ini berakhir. Saat masuk berikutnya ia wajib mengganti kata sandi sebelum "
                "membuka halaman lain."
            ),
            lambda user, data: actions.set_temporary_password(
                actor=request.user, user=user, password=data["password"], reason=data["reason"]
            ),
        )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
