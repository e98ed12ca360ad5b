"""Admin of the referral response standards (dated, never edited once in force) and of the link
between an officer and their own registry record (for the recusal checks)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from satupintu.audit import log
from satupintu.lib.forms import NamedEmptyChoices
from satupintu.parameters.forms import StartsTodayOrLater
from satupintu.registry.models import Person

from .models import OfficerPerson, ReferralStandard


@admin.register(ReferralStandard)
class ReferralStandardAdmin(admin.ModelAdmin):
    """A standard that has taken effect is read-only and cannot be deleted; a new one starts later."""

    form = StartsTodayOrLater
    list_display = ["agency", "service", "days", "valid_from", "legal_source"]
    list_filter = ["agency", "service"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.has_taken_effect())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.has_taken_effect())


class OfficerPersonForm(NamedEmptyChoices, forms.ModelForm):
    nik = forms.RegexField(label=_("NIK petugas"), regex=r"^\d{16}$", max_length=16)

    class Meta:
        model = OfficerPerson
        fields = ["user"]

    def clean_nik(self):
        person = Person.objects.filter(nik=self.cleaned_data["nik"]).first()
        if person is None:
            raise forms.ValidationError(_("NIK ini tidak ada di basis data."))
        self.instance.person = person
        return self.cleaned_data["nik"]


@admin.register(OfficerPerson)
class OfficerPersonAdmin(admin.ModelAdmin):
    """The NIK is typed once and kept only in the registry; lists show it masked. Every link is audited."""

    form = OfficerPersonForm
    list_display = ["user", "masked_nik", "linked_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj):
        return obj.person.masked_nik

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log.record(
            actor=request.user,
            action=log.Action.UPDATE if change else log.Action.CREATE,
            instance=obj,
            changes={"user": [None, obj.user.username], "nik": [None, obj.person.masked_nik]},
        )

    def delete_model(self, request, obj):
        log.record(
            actor=request.user, action=log.Action.DELETE, instance=obj, changes={"user": [obj.user.username, None]}
        )
        super().delete_model(request, obj)
