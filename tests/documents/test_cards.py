"""Kartu Saraswati and Kartu Sintawati: ID-1 pages, series per tier, reissue, sheets with crop marks."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from satupintu.documents import actions
from satupintu.documents.models import IssuedDocument, Status
from satupintu.documents.render_card import render_sheets
from tests.conftest import KEDEN, household_in
from tests.documents.conftest import pdf_qr_codes, pdf_text, qr_path

NOV_27 = dt.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def saraswati(actor, household, tier="melati", **kwargs):
    return actions.document_issue_card(actor=actor, kind="saraswati", household=household, tier=tier, **kwargs)


def page_sizes_mm(data: bytes) -> list[tuple[float, float]]:
    pages = PdfReader(io.BytesIO(data)).pages
    return [
        (round(float(p.mediabox.width) / 72 * 25.4, 1), round(float(p.mediabox.height) / 72 * 25.4, 1)) for p in pages
    ]


@time_machine.travel(NOV_27, tick=False)
def test_a_saraswati_card_lists_its_members_with_nik_on_id1_pages(kepala, keden_household, pupil):
    card = saraswati(kepala, keden_household)
    assert page_sizes_mm(bytes(card.pdf)) == [(85.6, 54.0), (85.6, 54.0)]
    text = pdf_text(bytes(card.pdf))
    assert "KARTU SARASWATI" in text and "MELATI" in text
    assert card.number == "MLT.2026.000001" and card.number in text
    assert "31 Desember 2026" in text
    for member in keden_household.members.all():
        assert member.name in text and member.nik in text


def test_each_tier_has_its_own_series(kepala, keden_household, trobayan_household):
    with time_machine.travel(NOV_27, tick=False):
        numbers = [
            saraswati(kepala, keden_household, "melati").number,
            saraswati(kepala, trobayan_household, "melati").number,
            saraswati(kepala, keden_household, "menur").number,
            saraswati(kepala, keden_household, "kenanga").number,
        ]
    assert numbers == ["MLT.2026.000001", "MLT.2026.000002", "MNR.2026.000001", "KNG.2026.000001"]


def test_a_saraswati_card_needs_a_tier(kepala, keden_household):
    with pytest.raises(actions.DocumentError):
        saraswati(kepala, keden_household, tier="mawar")


@time_machine.travel(NOV_27, tick=False)
def test_a_sintawati_card_is_for_one_pupil_and_valid_to_the_end_of_the_school_year(kepala, keden_household, pupil):
    card = actions.document_issue_card(actor=kepala, kind="sintawati", household=keden_household, person=pupil)
    text = pdf_text(bytes(card.pdf))
    assert "KARTU SINTAWATI" in text and "Dewi Lestari" in text and pupil.nik in text
    assert card.number == "STW.2026.000001"
    assert card.valid_until == dt.date(2027, 6, 30) and "30 Juni 2027" in text
    with pytest.raises(actions.DocumentError):
        actions.document_issue_card(actor=kepala, kind="sintawati", household=keden_household)


def test_the_card_qr_code_scans_to_valid(client, kepala, keden_household):
    card = saraswati(kepala, keden_household)
    [scanned] = pdf_qr_codes(bytes(card.pdf), scale=8)
    assert scanned == card.qr_text
    assert client.get(qr_path(scanned)).context["status"] == Status.VALID


def test_reissuing_a_lost_card_revokes_the_old_number(client, kepala, keden_household):
    old = saraswati(kepala, keden_household, "menur")
    new = actions.document_reissue_card(actor=kepala, document=old, reason="Kartu hilang")
    old.refresh_from_db()
    assert old.revoked_at is not None and "Kartu hilang" in old.revoke_reason
    assert new.replaces == old and new.number != old.number and new.tier == "menur"
    assert new.valid_until == old.valid_until
    assert client.get(qr_path(old.qr_text)).context["status"] == Status.REVOKED
    assert client.get(qr_path(new.qr_text)).context["status"] == Status.VALID
    with pytest.raises(actions.DocumentError):
        actions.document_reissue_card(actor=kepala, document=old, reason="lagi")


def test_a_card_past_its_validity_shows_expired(client, kepala, keden_household):
    with time_machine.travel(NOV_27, tick=False):
        card = saraswati(kepala, keden_household)
    with time_machine.travel(dt.datetime(2027, 1, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False):
        page = client.get(qr_path(card.qr_text))
    assert page.context["status"] == Status.EXPIRED
    assert "KEDALUWARSA" in page.content.decode()


def test_an_expired_card_is_not_replaced_but_applied_for_again(kepala, keden_household):
    with time_machine.travel(NOV_27, tick=False):
        card = saraswati(kepala, keden_household)
    with time_machine.travel(dt.datetime(2027, 1, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False):
        with pytest.raises(actions.DocumentError, match="kedaluwarsa"):
            actions.document_reissue_card(actor=kepala, document=card, reason="hilang")
    card.refresh_from_db()
    assert card.revoked_at is None


def test_a_letter_cannot_be_reissued_as_a_card(kepala, keden_household, agencies):
    letter = actions.document_issue_letter(
        actor=kepala, service_code="rujukan-jamkesda", subject_household=keden_household
    )
    with pytest.raises(actions.DocumentError):
        actions.document_reissue_card(actor=kepala, document=letter, reason="hilang")
    assert IssuedDocument.objects.get(pk=letter.pk).revoked_at is None


def test_a_large_family_is_listed_whole(kepala, regions):
    household = household_in(KEDEN, "Kromo Dimejo")
    from satupintu.lib.nik import make_nik
    from satupintu.registry import actions as registry

    for index in range(10):
        birth = dt.date(2000 + index, 1, 1 + index)
        registry.person_add(
            actor=None,
            household=household,
            data={
                "nik": make_nik(household.desa.nik_prefix, birth, "L", 500 + index),
                "name": f"Anak Ke{index + 1:02d}",
                "sex": "L",
                "birth_place": "Sragen",
                "birth_date": birth,
                "relationship": "anak",
                "marital_status": "belum_kawin",
                "education": "sd",
            },
        )
    text = pdf_text(bytes(saraswati(kepala, household).pdf))
    for index in range(10):
        assert f"Anak Ke{index + 1:02d}" in text


def test_sheets_hold_ten_cards_with_their_backs_and_every_qr_decodes(kepala, keden_household, pupil):
    cards = [saraswati(kepala, keden_household) for _ in range(11)]
    pdf = render_sheets([card.content for card in cards], "uji")
    assert page_sizes_mm(pdf) == [(210.0, 297.0)] * 4  # fronts, backs, fronts, backs
    first_sheet = set(pdf_qr_codes(pdf, page_index=0, scale=5))
    assert first_sheet == {card.qr_text for card in cards[:10]}
    assert set(pdf_qr_codes(pdf, page_index=2, scale=5)) == {cards[10].qr_text}
    assert pdf_text(pdf).count("ANGGOTA KELUARGA") == 11
