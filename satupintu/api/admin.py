import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.models import User
from satupintu.accounts.permissions import ACCOUNT_MANAGE, has
from satupintu.lib.forms import NamedEmptyChoices

from . import tokens
from .models import ApiToken


class IssueForm(NamedEmptyChoices, forms.Form):
    user = forms.ModelChoiceField(User.objects.filter(is_active=True).order_by("username"), label=_("Pengguna"))
    name = forms.CharField(
        label=_("Nama"), max_length=100, required=False, help_text=_("Misalnya sistem yang memakainya.")
    )
    days = forms.IntegerField(label=_("Berlaku (hari)"), min_value=1, max_value=3650)
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=250, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Lists tokens by prefix only: the key is shown once, on the page that makes it."""

    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "user__username", "name"]
    fields = [
        "prefix", "user", "name", "created_at", "created_by", "expires_at", "last_used_at",
        "revoked_at", "revoked_by", "revoke_reason", "revoke_link",
    ]  # fmt: skip
    readonly_fields = fields

    def has_module_permission(self, request):
        return has(request.user, ACCOUNT_MANAGE)

    def has_view_permission(self, request, obj=None):
        return has(request.user, ACCOUNT_MANAGE)

    def has_add_permission(self, request):
        return has(request.user, ACCOUNT_MANAGE)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: the audit log keeps pointing at it

    @admin.display(description=_("Cabut"))
    def revoke_link(self, obj):
        if obj.revoked_at is not None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:api_apitoken_revoke", args=[obj.pk]), _("Cabut token"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/cabut/", view(self.revoke_view), name="api_apitoken_revoke"),
            *super().get_urls(),
        ]

    def _page(self, request, template, **context):
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, f"admin/api/apitoken/{template}", context)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IssueForm(request.POST or None, initial={"days": settings.API_TOKEN_DAYS})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            token, key = tokens.issue(
                data["user"],
                actor=request.user,
                name=data["name"],
                days=data["days"],
                submission_key=data["submission_key"],
            )
            if not key:  # the same form sent again: the key was shown on the first answer only
                self.message_user(
                    request, _("Token ini sudah dibuat; kuncinya hanya ditampilkan sekali."), messages.WARNING
                )
                return redirect("admin:api_apitoken_change", token.pk)
            return self._page(request, "issued.html", title=_("Token API dibuat"), token=token, key=key)
        return self._page(request, "issue.html", title=_("Buat token API"), form=form)

    def revoke_view(self, request, pk):
        if not has(request.user, ACCOUNT_MANAGE):
            raise PermissionDenied
        token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            tokens.revoke(token, actor=request.user, reason=form.cleaned_data["reason"])
            self.message_user(request, _("Token dicabut dan tercatat di log audit."), messages.SUCCESS)
            return redirect("admin:api_apitoken_change", token.pk)
        return self._page(request, "revoke.html", title=_("Cabut token API"), token=token, form=form)
