"""Staff pages: scoped by area_q (outside the area is a 404), managed by unit staff only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.audit.models import AuditLog
from satupintu.documents import actions
from satupintu.documents.models import IssuedDocument
from tests.conftest import KEDEN, TROBAYAN, household_in


def card(actor, household):
    return actions.document_issue_card(actor=actor, kind="saraswati", household=household, tier="melati")


@pytest.fixture
def keden_card(kepala, keden_household):
    return card(kepala, keden_household)


@pytest.fixture
def trobayan_card(kepala, trobayan_household):
    return card(kepala, trobayan_household)


def test_an_operator_lists_only_documents_of_own_desa(client, operator_keden, keden_card, trobayan_card):
    client.force_login(operator_keden)
    response = client.get(reverse("documents:list"))
    assert list(response.context["page"].object_list) == [keden_card]


def test_the_list_costs_the_same_queries_for_5_or_25_documents(client, kepala, regions):
    households = [household_in(KEDEN if i % 2 else TROBAYAN, f"Warga {i}") for i in range(25)]
    for household in households[:5]:
        card(kepala, household)
    client.force_login(kepala)
    client.get(reverse("documents:list"))  # the first page after signing in also saves the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("documents:list"))
    for household in households[5:]:
        card(kepala, household)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("documents:list"))
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few) <= 10


def test_the_list_filters_by_kind_status_and_number(client, kepala, keden_card, trobayan_card):
    actions.document_revoke(actor=kepala, document=trobayan_card, reason="Data ganda")
    client.force_login(kepala)
    page = client.get(reverse("documents:list"), {"state": "revoked"}).context["page"]
    assert list(page.object_list) == [trobayan_card]
    page = client.get(reverse("documents:list"), {"number": keden_card.number}).context["page"]
    assert list(page.object_list) == [keden_card]
    page = client.get(reverse("documents:list"), {"kind": "surat"}).context["page"]
    assert list(page.object_list) == []


def test_download_gives_the_stored_bytes_and_is_audited(client, operator_keden, keden_card):
    client.force_login(operator_keden)
    response = client.get(reverse("documents:download", args=[keden_card.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(IssuedDocument.objects.get(pk=keden_card.pk).pdf)
    assert AuditLog.objects.filter(object_id=str(keden_card.pk), action="view", actor=operator_keden).exists()


def test_a_stored_pdf_that_no_longer_matches_its_hash_is_never_served(client, kepala, keden_card):
    IssuedDocument.objects.filter(pk=keden_card.pk).update(pdf=b"%PDF-1.4 forged")
    client.force_login(kepala)
    with pytest.raises(RuntimeError, match="SHA-256"):
        client.get(reverse("documents:download", args=[keden_card.pk]))


@pytest.mark.parametrize("name", ["documents:detail", "documents:download"])
def test_an_operator_cannot_open_a_document_of_another_desa(client, operator_keden, trobayan_card, name):
    client.force_login(operator_keden)
    assert client.get(reverse(name, args=[trobayan_card.pk])).status_code == 404


@pytest.mark.parametrize("name", ["documents:revoke", "documents:reissue"])
def test_unit_staff_bound_to_a_kecamatan_cannot_touch_a_document_outside_it(client, regions, name, kepala):
    from satupintu.accounts.models import Role
    from tests.conftest import make_user

    outside = card(kepala, household_in("33.14.13.2001", "Giyanto"))
    petugas_kalijambe = make_user("petugas.kalijambe", Role.PETUGAS_LAYANAN, "33.14.01")
    client.force_login(petugas_kalijambe)
    assert client.post(reverse(name, args=[outside.pk]), {"reason": "x"}).status_code == 404
    assert IssuedDocument.objects.get(pk=outside.pk).revoked_at is None


@pytest.mark.parametrize("name", ["documents:revoke", "documents:reissue"])
def test_a_desa_operator_cannot_revoke_reissue_or_batch_print(client, operator_keden, keden_card, name):
    client.force_login(operator_keden)
    assert client.post(reverse(name, args=[keden_card.pk]), {"reason": "hilang"}).status_code == 403
    assert IssuedDocument.objects.get(pk=keden_card.pk).revoked_at is None
    assert client.get(reverse("documents:card_batch")).status_code == 403


@pytest.mark.parametrize("persona", ["auditor", "mitra"])
def test_auditor_and_mitra_cannot_read_issued_documents(client, request, persona, keden_card):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("documents:list")).status_code == 403
    assert client.get(reverse("documents:detail", args=[keden_card.pk])).status_code == 403
    assert client.get(reverse("documents:download", args=[keden_card.pk])).status_code == 403
    assert client.get(reverse("documents:card_batch")).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, keden_card):
    for url in [
        reverse("documents:list"),
        reverse("documents:detail", args=[keden_card.pk]),
        reverse("documents:download", args=[keden_card.pk]),
        reverse("documents:card_batch"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.post(reverse("documents:revoke", args=[keden_card.pk]), {"reason": "x"}).status_code == 302
    assert IssuedDocument.objects.get(pk=keden_card.pk).revoked_at is None


def test_petugas_revokes_with_a_reason(client, petugas, keden_card):
    client.force_login(petugas)
    url = reverse("documents:revoke", args=[keden_card.pk])
    client.post(url, {"reason": ""})
    assert IssuedDocument.objects.get(pk=keden_card.pk).revoked_at is None
    response = client.post(url, {"reason": "Penerima meninggal dunia"}, follow=True)
    keden_card.refresh_from_db()
    assert keden_card.revoke_reason == "Penerima meninggal dunia" and keden_card.revoked_by == petugas
    assert "dicabut" in response.content.decode()
    assert AuditLog.objects.filter(object_id=str(keden_card.pk), action="update", reason="Penerima meninggal dunia")


def test_petugas_reissues_a_damaged_card(client, petugas, keden_card):
    client.force_login(petugas)
    response = client.post(reverse("documents:reissue", args=[keden_card.pk]), {"reason": "Kartu rusak"})
    new = IssuedDocument.objects.get(replaces=keden_card)
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[new.pk])


def test_batch_print_refuses_a_desa_outside_the_area(client, regions, kepala, trobayan_card):
    from satupintu.accounts.models import Role
    from tests.conftest import make_user

    petugas_gemolong = make_user("petugas.gemolong", Role.PETUGAS_LAYANAN, "33.14.13")
    client.force_login(petugas_gemolong)
    response = client.post(reverse("documents:card_batch"), {"desa": TROBAYAN, "kind": "saraswati"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "desa" in response.context["form"].errors


def test_the_household_page_lists_its_documents(client, operator_keden, keden_card):
    client.force_login(operator_keden)
    html = client.get(reverse("registry:household_detail", args=[keden_card.household_id])).content.decode()
    assert keden_card.number in html
    assert reverse("documents:detail", args=[keden_card.pk]) in html
