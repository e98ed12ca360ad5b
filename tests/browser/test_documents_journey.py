import pytest
from pypdf import PdfReader

from satupintu.accounts.models import Role, User
from satupintu.documents import actions
from tests.conftest import KEDEN, household_in
from tests.documents.conftest import qr_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_petugas_revokes_a_card_and_the_public_page_says_so_at_once(page, regions, settings, tmp_path):
    settings.DOCUMENT_SIGNING_KEY_FILE = tmp_path / "key.pem"
    petugas = User.objects.create_user(username="petugas", password="Rahasia-123!", role=Role.PETUGAS_LAYANAN)
    household = household_in(KEDEN, "Sutrisno Wibowo")
    card = actions.document_issue_card(actor=petugas, kind="saraswati", household=household, tier="menur")

    page.goto(qr_path(card.qr_text))
    assert "SAH" in page.locator(".verify-status").inner_text()
    assert "Su****** Wi****" in page.content() and household.head.nik not in page.content()

    page.goto("/masuk/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Dokumen").first.click()
    page.get_by_role("link", name=card.number).click()
    page.fill("#revoke-reason", "Kartu dilaporkan dipalsukan")
    page.get_by_role("button", name="Cabut").click()
    assert "dicabut" in page.locator(".flash").inner_text()

    page.goto(qr_path(card.qr_text))
    assert "DICABUT" in page.locator(".verify-status").inner_text()
    assert "Kartu dilaporkan dipalsukan" in page.content()


def test_petugas_prints_a_desa_s_cards_through_the_job_page(page, regions, settings, tmp_path):
    settings.DOCUMENT_SIGNING_KEY_FILE = tmp_path / "key.pem"
    petugas = User.objects.create_user(username="petugas", password="Rahasia-123!", role=Role.PETUGAS_LAYANAN)
    for name in ("Sutrisno Wibowo", "Parmin"):
        actions.document_issue_card(actor=petugas, kind="saraswati", household=household_in(KEDEN, name), tier="menur")
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)

    page.goto("/masuk/?next=/dokumen/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Cetak kartu per desa").click()
    page.select_option("#id_desa", KEDEN)
    page.select_option("#id_kind", "saraswati")
    page.get_by_role("button", name="Buat PDF").click()
    page.wait_for_url("**/tugas/*/")
    assert "Cetak kartu masuk antrean" in page.locator(".flash").inner_text()
    # The test cluster runs the task as soon as the request commits: the page it opens shows it done.
    assert page.locator(".job-state").inner_text() == "Selesai"
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh kartu-saraswati-keden.pdf").click()
    assert len(PdfReader(download.value.path()).pages) == 2
    assert violations == []
