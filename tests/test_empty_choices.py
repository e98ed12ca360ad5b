"""Selects open on a choice that names what to choose ("— pilih desa/kelurahan —"), never on
Django's "---------"."""

import importlib
import pkgutil

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

import satupintu
from satupintu.lib.forms import DJANGO_EMPTY_LABEL, NamedEmptyChoices
from satupintu.regions.models import Region
from satupintu.registry.forms import HouseholdForm

from .conftest import KEDEN, apply_for, household_in


def project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(satupintu.__path__, "satupintu."):
        if not any(part in module.name for part in (".migrations", ".management", "satupintu.cli")):
            importlib.import_module(module.name)
    found, pending = [], [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("satupintu."):
                found.append(subclass)
    return found


def shows_django_empty_label(field: forms.Field) -> bool:
    if isinstance(field, forms.ModelChoiceField):
        return field.empty_label == DJANGO_EMPTY_LABEL and not isinstance(field.widget, forms.RadioSelect)
    if isinstance(field, forms.ChoiceField):
        return any(label == DJANGO_EMPTY_LABEL for _value, label in field.choices)
    return False


def test_every_form_with_an_empty_choice_names_it():
    unnamed = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in project_forms()
        if not issubclass(form, NamedEmptyChoices)
        for name, field in form.base_fields.items()
        if shows_django_empty_label(field)
    ]
    assert not unnamed, f"selects that would show {DJANGO_EMPTY_LABEL!r}: {unnamed}"


@pytest.mark.django_db
def test_a_select_names_the_field_to_choose(operator_kalijambe):
    with translation.override("id"):
        page = HouseholdForm(user=operator_kalijambe).as_div()
    assert DJANGO_EMPTY_LABEL not in page
    assert "— pilih desa/kelurahan —" in page
    assert "— pilih jenis lantai —" in page


def test_an_abbreviation_keeps_its_capitals():
    class Form(NamedEmptyChoices, forms.Form):
        kind = forms.ModelChoiceField(label="NIK ganda", queryset=Region.objects.none())
        other = forms.ModelChoiceField(label="Lainnya", queryset=Region.objects.none())
        empty_labels = {"other": "— tidak ada —"}

    with translation.override("id"):
        form = Form()
        assert form.fields["kind"].empty_label == "— pilih NIK ganda —"
        assert form.fields["other"].empty_label == "— tidak ada —"


def get_page(client, user, url) -> str:
    if user:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
def test_pages_with_forms_show_no_django_empty_choice(client, settings, language, operator_keden, petugas, kepala):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    household = household_in(KEDEN, "Sutrisno Wibowo", actor=operator_keden)
    application, _pin = apply_for(operator_keden, household)
    pages = [
        (None, reverse("complaints:public_new")),
        (operator_keden, reverse("registry:household_create")),
        (operator_keden, reverse("registry:household_edit", args=[household.pk])),
        (operator_keden, reverse("registry:person_add", args=[household.pk])),
        (operator_keden, reverse("registry:death_record", args=[household.head_id])),
        (operator_keden, reverse("cases:intake", args=[household.pk])),
        (petugas, reverse("cases:detail", args=[application.number])),
        (petugas, reverse("emergency:call_new")),
        (kepala, reverse("complaints:desk_new")),
        (kepala, reverse("cases:appointments")),
        (kepala, reverse("emergency:roster")),
        (kepala, reverse("budgets:programme_new")),
        (kepala, reverse("allocation:list")),
        (kepala, reverse("raskin:month_list")),
    ]
    shown = [url for user, url in pages if DJANGO_EMPTY_LABEL in get_page(client, user, url)]
    assert not shown, f"{DJANGO_EMPTY_LABEL!r} on {shown}"
