"""Kartu Saraswati prints exactly the members the rule covers, and the case page says who they are."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from satupintu.cases import actions as cases
from satupintu.documents import actions
from satupintu.documents.hooks import documents_of_application
from satupintu.lib.nik import MALE, make_nik
from satupintu.registry import actions as registry
from tests.conftest import apply_for, mark_poor
from tests.documents.conftest import pdf_text

pytestmark = pytest.mark.django_db
NOV_27 = dt.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def mixed_household(keden_household, pupil):
    """Head (uninsured), spouse with BPJS mandiri, a pupil, and a son in the army."""
    spouse = keden_household.members.get(relationship="pasangan")
    spouse.health_insurance = "bpjs_mandiri"
    spouse.save()
    birth = dt.date(2001, 4, 3)
    registry.person_add(
        actor=None,
        household=keden_household,
        data={
            "nik": make_nik(keden_household.desa.nik_prefix, birth, MALE, 902),
            "name": "Agus Prasetyo",
            "sex": MALE,
            "birth_place": "Sragen",
            "birth_date": birth,
            "relationship": "anak",
            "marital_status": "belum_kawin",
            "education": "sma",
            "occupation": "TNI AD",
        },
    )
    return keden_household


@time_machine.travel(NOV_27, tick=False)
def test_the_saraswati_card_prints_only_the_covered_members(kepala, mixed_household):
    card = actions.document_issue_card(actor=kepala, kind="saraswati", household=mixed_household, tier="menur")
    text = pdf_text(bytes(card.pdf))
    assert "Sutrisno Wibowo" in text and "Dewi Lestari" in text
    assert "Sumiyati" not in text and "Agus Prasetyo" not in text
    assert [row[1] for row in card.content["back_rows"]] == ["Sutrisno Wibowo", "Dewi Lestari"]


def test_a_household_nobody_of_whom_is_covered_gets_no_card(kepala, keden_household):
    keden_household.members.update(health_insurance="askes")
    with pytest.raises(actions.DocumentError, match="ditanggung"):
        actions.document_issue_card(actor=kepala, kind="saraswati", household=keden_household, tier="menur")
    assert not keden_household.documents.exists()


@time_machine.travel(NOV_27, tick=False)
def test_the_case_page_lists_the_members_the_issued_card_prints(client, petugas, kepala, mixed_household):
    mark_poor(mixed_household)
    application, _pin = apply_for(petugas, mixed_household)
    for actor, name, data in [
        (petugas, "accept_documents", {}),
        (petugas, "fast_track", {}),
        (kepala, "approve", {"reason": "Terdaftar miskin di DTSEN"}),
    ]:
        application = cases.application_transition(actor=actor, application=application, name=name, data=data)
    cases.application_issue(actor=petugas, application=application)
    [card] = documents_of_application(application)
    client.force_login(petugas)
    page = client.get(reverse("cases:detail", args=[application.number]))
    covered = [member.name for member, criterion in page.context["coverage"] if criterion.met]
    assert covered == ["Sutrisno Wibowo", "Dewi Lestari"] == [row[1] for row in card.content["back_rows"]]
    html = page.content.decode()
    assert "Anggota yang ditanggung Kartu Saraswati" in html
    assert "Sumiyati: Sudah memiliki jaminan kesehatan lain" in html and "Agus Prasetyo: Pekerjaan TNI AD" in html
