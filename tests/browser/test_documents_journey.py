import pytest

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
