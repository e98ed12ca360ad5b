"""Editable templates substitute fixed placeholders and evaluate nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from satupintu.documents import actions, placeholders
from satupintu.documents.models import Counter, IssuedDocument, LetterTemplate
from tests.documents.conftest import pdf_text

HOSTILE = [
    "{{ settings.SECRET_KEY }}",
    "{% load log %}{% get_admin_log 10 as x %}",
    "{% debug %}",
    "{0.__class__}",
    "{nama.__class__.__init__.__globals__}",
    "{nama!r}",
    "{nama:>99999999}",
    "{nama[0]}",
    "{SECRET_KEY}",
    "{settings}",
    "${7*7}",
    "{{7*7}}",
    "{# comment #}",
    "#{7*7}",
    "{ nama }",
    "nama}",
    "{nama",
    "<font color=\"[[[getattr(pow, Word('__globals__'))]]]\">x</font>",
    '<img src="/etc/passwd"/>',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_it_refuses_a_hostile_template(text):
    with pytest.raises(ValidationError) as error:
        placeholders.validate_letter_body(f"Yang bersangkutan {text} adalah warga.")
    assert "Templat ditolak" in str(error.value)
    assert "{nama}" in str(error.value)  # the message lists what is allowed


def test_it_accepts_every_documented_placeholder():
    text = " ".join("{" + name + "}" for name in placeholders.LETTER_PLACEHOLDERS)
    placeholders.validate_letter_body(text)


def test_it_names_the_unknown_placeholder():
    with pytest.raises(ValidationError, match=r"placeholder tidak dikenal: \{gaji\}"):
        placeholders.validate_letter_body("Gaji {gaji}.")


def test_it_substitutes_in_one_pass_so_a_value_is_never_read_as_a_template():
    values = {"nama": "{nik} {{ settings.SECRET_KEY }}", "nik": "3314011205750001"}
    rendered = placeholders.render("Nama {nama}.", values, placeholders.LETTER_PLACEHOLDERS)
    assert rendered == "Nama {nik} {{ settings.SECRET_KEY }}."


def test_it_requires_a_sequence_in_a_number_scheme():
    with pytest.raises(ValidationError, match="urut"):
        placeholders.validate_number_scheme("{klasifikasi}/{unit}/{tahun}")
    with pytest.raises(ValidationError):
        placeholders.validate_number_scheme("{urut}/{unit}")  # without the year, numbers repeat yearly
    with pytest.raises(ValidationError):
        placeholders.validate_number_scheme("{urut} {tahun}")  # a space cannot be typed back reliably
    placeholders.validate_number_scheme("{klasifikasi}/{urut}/{unit}/{bulan_romawi}/{tahun}")


@pytest.mark.django_db
def test_the_model_refuses_a_hostile_template_on_save():
    template = LetterTemplate.objects.get(service_code="rujukan-jamkesda")
    template.body = "Kunci: {{ settings.SECRET_KEY }}"
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "body" in error.value.message_dict


def test_an_admin_editing_a_template_is_refused_with_a_clear_message(admin_client):
    template = LetterTemplate.objects.get(service_code="rujukan-jamkesda")
    url = reverse("admin:documents_lettertemplate_change", args=[template.pk])
    data = {
        "title": template.title,
        "subject": template.subject,
        "abbreviation": template.abbreviation,
        "classification": template.classification,
        "default_agency": "",
        "opening": template.opening,
        "body": "Rahasia: {0.__class__} {{ settings.SECRET_KEY }}",
        "closing": template.closing,
        "is_active": "on",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Templat ditolak" in response.content.decode()
    template.refresh_from_db()
    assert "SECRET_KEY" not in template.body


def test_an_admin_can_change_a_template(admin_client):
    template = LetterTemplate.objects.get(service_code="rujukan-jamkesda")
    url = reverse("admin:documents_lettertemplate_change", args=[template.pk])
    data = {
        "title": template.title,
        "subject": template.subject,
        "abbreviation": template.abbreviation,
        "classification": "441",
        "default_agency": "",
        "opening": template.opening,
        "body": "Mohon {nama} dilayani di {instansi_tujuan}.",
        "closing": template.closing,
        "is_active": "on",
    }
    assert admin_client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert template.body == "Mohon {nama} dilayani di {instansi_tujuan}."


def test_a_hostile_template_written_behind_the_forms_back_cannot_read_settings(
    settings, kepala, keden_household, agencies
):
    hostile = "{{ settings.SECRET_KEY }} {0.__class__}"
    LetterTemplate.objects.filter(service_code="rujukan-jamkesda").update(body=hostile)
    with pytest.raises(ValidationError):
        actions.document_issue_letter(actor=kepala, service_code="rujukan-jamkesda", subject_household=keden_household)
    assert not IssuedDocument.objects.exists()
    assert not Counter.objects.filter(last__gt=0).exists()  # the number went back with the rollback


def test_a_registry_value_with_markup_is_printed_as_text(settings, kepala, keden_household, agencies):
    head = keden_household.head
    head.name = 'Sutrisno <font color="red">{nik}</font>'
    head.save()
    keden_household.refresh_from_db()
    letter = actions.document_issue_letter(
        actor=kepala, service_code="rujukan-jamkesda", subject_household=keden_household
    )
    text = pdf_text(bytes(letter.pdf))
    assert 'Sutrisno <font color="red">{nik}</font>' in text
    assert settings.SECRET_KEY not in text
