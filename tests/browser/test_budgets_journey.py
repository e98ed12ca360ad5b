import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from satupintu.accounts.models import Role, User
from satupintu.budgets import actions
from satupintu.budgets.models import LedgerEntry, SourceKind, Unit
from satupintu.catalogue.models import ServiceType
from tests.conftest import KEDEN, household_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_records_a_payment_with_proof_reverses_it_and_reads_the_dprd_summary(page, regions, settings, tmp_path):
    settings.TWO_FACTOR_REQUIRED = False
    kepala = User.objects.create_user(username="kepala", password="Rahasia-123!", role=Role.KEPALA)
    User.objects.create_user(username="petugas", password="Rahasia-123!", role=Role.PETUGAS_LAYANAN)
    household = household_in(KEDEN, "Sutrisno Wibowo")
    year = timezone.localdate().year
    programme = actions.create_programme(
        actor=kepala, service=ServiceType.objects.get(code="santunan-duka"), fiscal_year=year, unit=Unit.RUPIAH,
        name="Santunan duka",
    )  # fmt: skip
    source = actions.add_source(actor=kepala, programme=programme, kind=SourceKind.APBD, name="APBD Sragen")
    actions.revise_ceiling(
        actor=kepala, source=source, amount=Decimal(2_000_000), units=None, valid_from=dt.date(year, 1, 1),
        reason="APBD murni",
    )  # fmt: skip
    proof = tmp_path / "kwitansi.pdf"
    proof.write_bytes(b"%PDF-1.4 kwitansi santunan")

    page.goto("/masuk/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Anggaran", exact=True).first.click()
    assert page.get_by_text("Rp 2.000.000").first.is_visible()
    page.get_by_role("link", name="Santunan duka").click()
    page.get_by_role("link", name="Catat pembayaran/penyerahan").click()
    page.fill("#id_household", household.reference)
    page.fill("#id_amount", "500000")
    page.select_option("#id_method", "tunai")
    page.fill("#id_recipient_name", "Sutrisno Wibowo")
    page.set_input_files("#id_proof", str(proof))
    page.click("button[type=submit]")
    page.wait_for_url("**/anggaran/entri/*/")
    entry = LedgerEntry.objects.get()
    assert page.get_by_role("link", name="Unduh bukti").is_visible()

    page.get_by_role("link", name="Balik entri ini").click()
    assert page.get_by_text("Pembalikan tidak dapat dibatalkan").is_visible()
    page.fill("#id_reason", "Ahli waris salah dicatat")
    page.get_by_role("button", name="Ya, balik entri ini").click()
    page.wait_for_url(f"**/anggaran/entri/{entry.pk + 1}/")
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert reversal.amount == Decimal(-500000)

    page.goto(f"/anggaran/dprd/?tahun={year}")
    summary = page.locator("section.dprd-programme", has_text="Santunan duka")
    assert summary.get_by_text("Rp 2.000.000").first.is_visible()
    assert summary.get_by_text("APBD murni").is_visible()
