import datetime as dt

import pytest
from django.utils import timezone

from satupintu.accounts.models import Role, User
from satupintu.allocation.models import AllocationRound, RoundState
from satupintu.budgets import actions
from satupintu.catalogue.models import ServiceType
from tests.allocation.conftest import RTLH, waiting
from tests.conftest import KEDEN, TROBAYAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kepala_opens_a_round_reads_the_components_swaps_two_applicants_with_reasons_and_approves(
    page, regions, settings
):
    settings.TWO_FACTOR_REQUIRED = False
    kepala = User.objects.create_user(username="kepala", password="Rahasia-123!", role=Role.KEPALA)
    petugas = User.objects.create_user(username="petugas", password="Rahasia-123!", role=Role.PETUGAS_LAYANAN)
    year = timezone.localdate().year
    programme = actions.create_programme(
        actor=kepala, service=ServiceType.objects.get(code="rtlh-apbd"), fiscal_year=year, unit="rupiah", name="RTLH"
    )
    source = actions.add_source(actor=kepala, programme=programme, kind="apbd", name="APBD Sragen")
    actions.revise_ceiling(actor=kepala, source=source, amount=2 * RTLH, units=None, valid_from=dt.date(year, 1, 1),
                           reason="APBD murni")  # fmt: skip
    for desa, desil in ((TROBAYAN, 1), (KEDEN, 2), (KEDEN, 3)):
        waiting(petugas, desa, desil=desil)

    page.goto("/masuk/")
    page.fill("#id_username", "kepala")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.goto("/anggaran/putaran/")
    page.select_option("#id_source", str(source.pk))
    page.get_by_role("button", name="Buka dan peringkat").click()
    page.wait_for_url("**/anggaran/putaran/*/")
    assert page.get_by_text("Garis usulan").is_visible()
    page.locator("tr.proposed details summary").first.click()
    assert page.get_by_text("DTSEN desil 1").first.is_visible()

    page.locator("tr:has-text('3') form.move").last.locator("input[name=reason]").fill("Rumah roboh diterjang angin")
    page.locator("form.move").last.get_by_role("button", name="Masukkan").click()
    assert page.get_by_text("Penyimpangan dari urutan peringkat").is_visible()
    page.locator("form.move").nth(1).locator("input[name=reason]").fill("Sudah dibantu CSR tahun ini")
    page.locator("form.move").nth(1).get_by_role("button", name="Keluarkan").click()
    assert page.get_by_text("Sudah dibantu CSR tahun ini").first.is_visible()

    page.get_by_role("link", name="Setujui putaran").click()
    page.fill("#id_reason", "Sesuai pagu dan alasan penyimpangan tercatat")
    page.get_by_role("button", name="Ya, setujui").click()
    page.wait_for_url("**/anggaran/putaran/*/")
    assert page.locator("#state").inner_text() == "Disetujui"
    round_ = AllocationRound.objects.get()
    assert round_.state == RoundState.APPROVED
    assert sorted(round_.entries.filter(proposed=True).values_list("rank", flat=True)) == [1, 3]
    page.get_by_role("link", name="Cetak daftar peringkat").click()
    assert page.get_by_text("Daftar peringkat putaran").is_visible()
