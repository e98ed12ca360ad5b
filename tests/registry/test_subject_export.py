import json

from django.urls import reverse

from satupintu.audit.models import AuditLog


def test_a_data_subject_gets_their_data_and_who_processed_it(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    person = keden_household.members.get(relationship="kepala")
    client.get(reverse("registry:household_detail", args=[keden_household.pk]))
    response = client.post(reverse("registry:person_subject_export", args=[person.pk]), {"reason": "Surat 12/2026"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    record = json.loads(response.content)
    assert record["orang"]["nik"] == person.nik
    assert {entry["tindakan"] for entry in record["catatan_pemrosesan"]} >= {"create", "view"}
    assert AuditLog.objects.filter(reason__contains="Surat 12/2026", actor=operator_keden).exists()


def test_a_subject_export_needs_a_reason(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    person = keden_household.members.first()
    response = client.post(reverse("registry:person_subject_export", args=[person.pk]), {"reason": ""})
    assert response.status_code == 302


def test_an_operator_cannot_export_a_person_of_another_desa(client, operator_keden, trobayan_household):
    client.force_login(operator_keden)
    person = trobayan_household.members.first()
    response = client.post(reverse("registry:person_subject_export", args=[person.pk]), {"reason": "x"})
    assert response.status_code == 404
