import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.audit.models import AuditLog
from satupintu.budgets import actions
from satupintu.budgets.models import CeilingRevision, EntryKind, LedgerEntry, Programme, Unit
from tests.conftest import household_in, mark_poor

from .conftest import YEAR, programme_of, source_with

pytestmark = pytest.mark.django_db
ON = dt.date(YEAR, 3, 5)


def entry(actor, source, household, amount="100000"):
    return actions.record_entry(
        actor=actor, programme=source.programme, source=source, household=household,
        kind=EntryKind.PAYMENT, on=ON, amount=amount,
    )  # fmt: skip


def test_the_year_page_shows_each_source_against_its_ceiling(client, kasi, petugas, apbd, keden_household):
    entry(petugas, apbd, keden_household, "250000")
    client.force_login(kasi)
    page = client.get(reverse("budgets:index"), {"tahun": YEAR}).content.decode()
    assert "Rp 1.000.000" in page and "Rp 250.000" in page and "Rp 750.000" in page


def test_the_programme_page_lists_the_ledger_in_constant_queries(
    client, petugas, apbd, keden_household, django_assert_max_num_queries
):
    for _ in range(3):
        entry(petugas, apbd, keden_household, "1000")
    client.force_login(petugas)
    url = reverse("budgets:programme", args=[apbd.programme_id])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(20):
        entry(petugas, apbd, keden_household, "1000")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="num">Rp 1.000</td>') == 23


def test_an_auditor_reads_the_figures_but_no_ledger_row(client, auditor, petugas, apbd, keden_household):
    row = entry(petugas, apbd, keden_household)
    client.force_login(auditor)
    page = client.get(reverse("budgets:programme", args=[apbd.programme_id])).content.decode()
    assert "Rp 100.000" in page and keden_household.reference not in page
    assert client.get(reverse("budgets:entry", args=[row.pk])).status_code == 403


def test_a_desa_operator_has_no_budget_pages(client, operator_keden, apbd):
    client.force_login(operator_keden)
    assert client.get(reverse("budgets:index")).status_code == 403


def test_a_revision_is_recorded_once_from_the_form_with_its_reason(client, kepala, apbd):
    client.force_login(kepala)
    url = reverse("budgets:revision_new", args=[apbd.pk])
    key = "5f1e0e6c-8f3f-4b5e-9a59-1c4b7b0f0a11"
    body = {"amount": "1500000", "valid_from": "2026-09-01", "reason": "APBD-P 2026", "submission_key": key}
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302
    assert CeilingRevision.objects.filter(source=apbd, reason="APBD-P 2026").count() == 1
    no_reason = client.post(url, {**body, "reason": "", "submission_key": ""})
    assert no_reason.status_code == 200 and "reason" in no_reason.context["form"].errors


def test_a_payment_with_a_pdf_proof_is_recorded_and_the_proof_read_back(client, petugas, apbd, keden_household):
    client.force_login(petugas)
    proof = SimpleUploadedFile("kwitansi.pdf", b"%PDF-1.4 kwitansi", content_type="application/pdf")
    body = {"source": apbd.pk, "kind": "payment", "household": keden_household.reference, "on": "2026-03-05",
            "amount": "125000", "method": "tunai", "recipient_name": "Sutrisno", "proof": proof}  # fmt: skip
    response = client.post(reverse("budgets:entry_new", args=[apbd.programme_id]), body)
    row = LedgerEntry.objects.get()
    assert response.status_code == 302 and row.amount == Decimal("125000")
    download = client.get(reverse("budgets:entry_proof", args=[row.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 kwitansi"


def test_a_proof_that_is_not_an_image_or_pdf_is_refused_with_a_message(client, petugas, apbd, keden_household):
    client.force_login(petugas)
    proof = SimpleUploadedFile("kwitansi.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    body = {"source": apbd.pk, "kind": "payment", "household": keden_household.reference, "on": "2026-03-05",
            "amount": "125000", "proof": proof}  # fmt: skip
    response = client.post(reverse("budgets:entry_new", args=[apbd.programme_id]), body)
    assert response.status_code == 200 and "foto (JPG, PNG, WEBP) atau PDF" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_the_entry_form_refuses_a_date_outside_the_fiscal_year_and_offers_no_raskin_handover(
    client, petugas, apbd, keden_household
):
    client.force_login(petugas)
    url = reverse("budgets:entry_new", args=[apbd.programme_id])
    assert 'value="handover"' not in client.get(url).content.decode()
    body = {"source": apbd.pk, "kind": "payment", "household": keden_household.reference, "on": "2025-12-31",
            "amount": "1000"}  # fmt: skip
    response = client.post(url, body)
    assert response.status_code == 200 and "tahun anggaran 2026" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_payment_over_the_ceiling_is_refused_with_a_message(client, petugas, apbd, keden_household):
    client.force_login(petugas)
    body = {"source": apbd.pk, "kind": "payment", "household": keden_household.reference, "on": "2026-03-05",
            "amount": "1200000"}  # fmt: skip
    response = client.post(reverse("budgets:entry_new", args=[apbd.programme_id]), body)
    assert "sebesar Rp 200.000" in response.content.decode() and not LedgerEntry.objects.exists()


def test_a_household_outside_the_area_is_not_found(client, petugas, operator_keden, apbd, trobayan_household):
    client.force_login(petugas)
    body = {"source": apbd.pk, "kind": "payment", "household": "RT-9999999", "on": "2026-03-05", "amount": "1"}
    response = client.post(reverse("budgets:entry_new", args=[apbd.programme_id]), body)
    assert "tidak ditemukan" in response.content.decode()


def test_a_reversal_asks_for_confirmation_and_a_reason(client, petugas, apbd, keden_household):
    row = entry(petugas, apbd, keden_household)
    client.force_login(petugas)
    url = reverse("budgets:entry_reverse", args=[row.pk])
    assert "Ya, balik entri ini" in client.get(url).content.decode()
    assert LedgerEntry.objects.count() == 1
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Salah penerima"})
    reversal = LedgerEntry.objects.get(reverses=row)
    assert response.url == reverse("budgets:entry", args=[reversal.pk]) and reversal.note == "Salah penerima"


def test_reading_an_entry_is_audited(client, petugas, apbd, keden_household):
    row = entry(petugas, apbd, keden_household)
    client.force_login(petugas)
    client.get(reverse("budgets:entry", args=[row.pk]))
    assert AuditLog.objects.filter(action="view", object_type="budgets.ledgerentry", object_id=str(row.pk)).exists()


def test_the_report_in_html_xlsx_and_pdf(client, kasi, kepala, petugas, keden_household):
    beasiswa = source_with(kepala, programme_of(kepala, "beasiswa-prestasi", Unit.RUPIAH), amount=Decimal(1000000))
    entry(petugas, beasiswa, keden_household, "250000")
    client.force_login(kasi)
    html = client.get(reverse("budgets:report"), {"tahun": YEAR}).content.decode()
    assert "250.000" in html and 'value="25.0"' in html
    from openpyxl import load_workbook

    xlsx = client.get(reverse("budgets:report_xlsx"), {"tahun": YEAR})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Per program dan sumber dana", "Per kecamatan", "Per bulan"]
    assert Decimal(str(book["Per bulan"]["E2"].value)) == Decimal("250000")  # March
    pdf = client.get(reverse("budgets:report_pdf"), {"tahun": YEAR})
    assert pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    assert "Realisasi anggaran tahun 2026" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_a_name_cannot_become_a_formula_in_the_xlsx(client, kepala, apbd):
    Programme.objects.filter(pk=apbd.programme_id).update(name='=HYPERLINK("x")')
    client.force_login(kepala)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(reverse("budgets:report_xlsx"), {"tahun": YEAR}).content))
    assert book["Per program dan sumber dana"]["A2"].value.startswith("'=")


def test_the_dprd_page_compares_shares_with_the_poor(client, kepala, petugas, apbd, keden_household):
    mark_poor(keden_household)
    mark_poor(household_in("33.14.13.2001", "Karyo"))
    actions.record_entry(
        actor=petugas, programme=apbd.programme, source=apbd, household=keden_household,
        kind=EntryKind.PAYMENT, on=ON, units=30,
    )  # fmt: skip
    client.force_login(kepala)
    page = client.get(reverse("budgets:dprd"), {"tahun": YEAR}).content.decode()
    assert "30 kg" in page and "100 %" in page and "50 %" in page and "APBD murni" in page


def test_the_admin_never_changes_a_ledger_row(admin_client, petugas, apbd, keden_household):
    row = entry(petugas, apbd, keden_household)
    page = admin_client.get(reverse("admin:budgets_ledgerentry_change", args=[row.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client.get(reverse("admin:budgets_ledgerentry_add")).status_code == 403
