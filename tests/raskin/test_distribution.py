"""Raskin months: recipients are the approved applications of the year, a handover writes a ledger
HANDOVER row in kg, a correction reverses it, the desa list shows progress and leftover, operators
see and record only their desa, and the per-desa list downloads as PDF and XLSX."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.budgets import selectors as budget_selectors
from satupintu.budgets.models import EntryKind, LedgerEntry
from satupintu.lib.transitions import Refused
from satupintu.raskin import actions, selectors
from satupintu.raskin.models import Handover
from tests.conftest import KEDEN, TROBAYAN, household_in
from tests.raskin.conftest import YEAR, approve_raskin, on

pytestmark = pytest.mark.django_db


def _give(actor, month, household, **extra):
    fields = {"on": dt.date(YEAR, 3, 10), "received_by": household.head.name, "relation": "kepala",
              "thumbprint_note": "cap jempol kanan"}  # fmt: skip
    with on(YEAR, 3, 10):
        return actions.record_handover(actor=actor, month=month, household=household, **{**fields, **extra})


def test_opening_a_month_takes_the_kg_from_the_dated_parameter(march):
    assert march.kg_per_household == Decimal(15) and march.kg_source.startswith("asumsi")
    assert march.label == "Maret 2026"


def test_a_month_is_opened_once_and_only_by_budget_managers(kepala, petugas, rice, march):
    with pytest.raises(Refused, match="sudah dibuka"):
        actions.open_month(actor=kepala, programme=rice.programme, source=rice, year=YEAR, month=3)
    with pytest.raises(PermissionDenied):
        actions.open_month(actor=petugas, programme=rice.programme, source=rice, year=YEAR, month=4)


def test_a_handover_writes_a_ledger_row_in_kg_in_the_same_transaction(operator_keden, kepala, march, keden_household):
    application = approve_raskin(keden_household)
    given = _give(operator_keden, march, keden_household)
    entry = given.entry
    assert entry.kind == EntryKind.HANDOVER and entry.units == Decimal(15) and entry.application == application
    assert entry.household == keden_household and entry.officer == operator_keden
    assert budget_selectors.used(march.source).units == Decimal(15)


def test_a_household_without_an_approved_application_is_no_recipient(operator_keden, march, keden_household):
    with pytest.raises(Refused, match="bukan penerima raskin"):
        _give(operator_keden, march, keden_household)
    assert not LedgerEntry.objects.exists()


def test_a_household_receives_once_a_month_and_a_resent_form_finds_the_first(
    operator_keden, kepala, march, keden_household
):
    approve_raskin(keden_household)
    key = "6f1c1f62-3f43-4a55-9a4c-6d1c7e1f0a01"
    first = _give(operator_keden, march, keden_household, submission_key=key)
    assert _give(operator_keden, march, keden_household, submission_key=key) == first
    with pytest.raises(Refused, match="sudah menerima"):
        _give(operator_keden, march, keden_household)
    assert LedgerEntry.objects.count() == 1


def test_a_handover_needs_evidence_and_a_date_not_in_the_future(operator_keden, kepala, march, keden_household):
    approve_raskin(keden_household)
    with pytest.raises(Refused, match="cap jempol"):
        _give(operator_keden, march, keden_household, thumbprint_note="")
    with pytest.raises(Refused, match="masa depan"):
        _give(operator_keden, march, keden_household, on=dt.date(YEAR, 3, 11))


def test_a_correction_reverses_the_ledger_row_and_the_household_may_receive_again(
    operator_keden, kepala, march, keden_household
):
    approve_raskin(keden_household)
    given = _give(operator_keden, march, keden_household)
    with on(YEAR, 3, 10):
        actions.correct_handover(actor=operator_keden, handover=given, reason="Salah rumah tangga")
    given.refresh_from_db()
    assert given.reversal.kind == EntryKind.REVERSAL and given.reversal.units == Decimal(-15)
    assert budget_selectors.used(march.source).units == Decimal(0)
    again = _give(operator_keden, march, keden_household)
    assert again.pk != given.pk


def test_progress_per_desa_counts_allocated_handed_and_leftover(operator_kalijambe, kepala, march, regions):
    households = [household_in(KEDEN, f"Warga {i}") for i in range(3)] + [household_in(TROBAYAN, "Warga T")]
    for household in households:
        approve_raskin(household)
    _give(operator_kalijambe, march, households[0])
    _give(operator_kalijambe, march, households[1])
    rows = {r.desa.code: r for r in selectors.progress(march, operator_kalijambe)}
    keden, trobayan = rows[KEDEN], rows[TROBAYAN]
    assert (keden.households, keden.handed, keden.kg_allocated, keden.kg_handed, keden.kg_left) == (
        3, 2, Decimal(45), Decimal(30), Decimal(15),
    )  # fmt: skip
    assert (trobayan.households, trobayan.handed, trobayan.kg_left) == (1, 0, Decimal(15))


def test_the_operator_of_a_desa_sees_and_records_only_their_desa(
    client, operator_keden, kepala, march, keden_household, trobayan_household
):
    approve_raskin(keden_household)
    approve_raskin(trobayan_household)
    client.force_login(operator_keden)
    page = client.get(reverse("raskin:month_detail", args=[march.pk]))
    assert [r.desa.code for r in page.context["rows"]] == [KEDEN]
    assert client.get(reverse("raskin:desa_detail", args=[march.pk, TROBAYAN])).status_code == 404
    assert client.get(reverse("raskin:desa_pdf", args=[march.pk, TROBAYAN])).status_code == 404
    url = reverse("raskin:handover", args=[march.pk, trobayan_household.pk])
    form = {"on": "2026-03-10", "relation": "kepala", "received_by": "Paimin", "thumbprint_note": "cap jempol"}
    with on(YEAR, 3, 10):
        assert client.post(url, form).status_code == 404
    assert not Handover.objects.exists()


def test_the_desa_page_records_a_handover_and_lists_without_n_plus_one(
    client, operator_keden, kepala, march, regions, django_assert_max_num_queries
):
    households = [household_in(KEDEN, f"Warga {i}") for i in range(4)]
    for household in households:
        approve_raskin(household)
    client.force_login(operator_keden)
    url = reverse("raskin:handover", args=[march.pk, households[0].pk])
    form = {"on": "2026-03-10", "relation": "anggota", "received_by": "Sumiyati", "thumbprint_note": "cap jempol"}
    page_url = reverse("raskin:desa_detail", args=[march.pk, KEDEN])
    with on(YEAR, 3, 10):
        response = client.post(url, form)
        assert response.status_code == 302
        assert Handover.objects.get().received_by == "Sumiyati"
        client.get(page_url)
        with django_assert_max_num_queries(12):
            page = client.get(page_url)
        assert page.context["handed"] == 1 and len(page.context["recipients"]) == 4
        approve_raskin(household_in(KEDEN, "Warga baru"))
        with django_assert_max_num_queries(12):
            page = client.get(page_url)
        assert len(page.context["recipients"]) == 5


def test_the_month_page_counts_per_desa_in_constant_queries(
    client, operator_kalijambe, march, regions, django_assert_max_num_queries
):
    for code in (KEDEN, TROBAYAN):
        approve_raskin(household_in(code, "Warga"))
    client.force_login(operator_kalijambe)
    url = reverse("raskin:month_detail", args=[march.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert len(page.context["rows"]) == 2
    for code in (KEDEN, TROBAYAN):
        approve_raskin(household_in(code, "Warga lain"))
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert page.context["totals"]["households"] == 4 and page.context["totals"]["kg_left"] == Decimal(60)


def test_the_per_desa_list_downloads_as_pdf_and_formula_safe_xlsx(client, operator_keden, kepala, march, regions):
    from openpyxl import load_workbook

    household = household_in(KEDEN, "=HYPERLINK(1)")
    approve_raskin(household)
    client.force_login(operator_keden)
    pdf = client.get(reverse("raskin:desa_pdf", args=[march.pk, KEDEN]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("raskin:desa_xlsx", args=[march.pk, KEDEN]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[2] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert names == ["'=HYPERLINK(1)"]
    assert "Keden" in sheet["A1"].value and "Maret 2026" in sheet["A1"].value


def test_an_auditor_sees_the_months_but_no_household(client, auditor, kepala, march, keden_household):
    approve_raskin(keden_household)
    client.force_login(auditor)
    assert client.get(reverse("raskin:month_list")).status_code == 200
    assert client.get(reverse("raskin:month_detail", args=[march.pk])).context["rows"] == []
    assert client.get(reverse("raskin:desa_detail", args=[march.pk, KEDEN])).status_code == 404


def test_a_handover_dated_before_the_month_is_refused(operator_keden, kepala, march, keden_household):
    approve_raskin(keden_household)
    with pytest.raises(Refused, match="sebelum awal bulan Maret 2026"):
        _give(operator_keden, march, keden_household, on=dt.date(YEAR, 2, 28))
    assert not LedgerEntry.objects.exists()


def test_a_resent_key_for_another_household_or_officer_is_refused(
    operator_keden, operator_kalijambe, kepala, march, keden_household
):
    other = household_in(KEDEN, "Warga Lain")
    approve_raskin(keden_household)
    approve_raskin(other)
    key = "6f1c1f62-3f43-4a55-9a4c-6d1c7e1f0a02"
    first = _give(operator_keden, march, keden_household, submission_key=key)
    for actor, household in ((operator_keden, other), (operator_kalijambe, keden_household)):
        with pytest.raises(Refused, match="sudah dipakai"):
            _give(actor, march, household, submission_key=key)
    assert list(Handover.objects.all()) == [first]


def test_the_handover_ledger_row_is_reversed_only_through_the_raskin_correction(
    operator_keden, petugas, kepala, march, keden_household
):
    from satupintu.budgets import actions as budget_actions

    approve_raskin(keden_household)
    given = _give(operator_keden, march, keden_household)
    with pytest.raises(Refused, match="koreksi penyerahan"):
        budget_actions.reverse_entry(actor=petugas, entry=given.entry, reason="Salah")
    with on(YEAR, 3, 10):
        actions.correct_handover(actor=operator_keden, handover=given, reason="Salah rumah tangga")
    given.refresh_from_db()
    assert given.reversal is not None


def test_evidence_is_checked_by_its_content_not_its_name(client, operator_keden, kepala, march, keden_household):
    approve_raskin(keden_household)
    client.force_login(operator_keden)
    url = reverse("raskin:handover", args=[march.pk, keden_household.pk])
    fake = SimpleUploadedFile("tanda-tangan.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    form = {"on": "2026-03-10", "relation": "kepala", "received_by": "Sumiyati", "evidence": fake}
    with on(YEAR, 3, 10):
        response = client.post(url, form, follow=True)
    assert "JPG, PNG, WEBP" in response.content.decode()
    assert not Handover.objects.exists()
