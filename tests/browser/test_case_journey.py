import re

import pytest

from satupintu.accounts.models import Role, User
from satupintu.cases.actions import application_transition
from satupintu.cases.models import Application
from satupintu.regions.models import Region
from tests.conftest import KALIJAMBE, KEDEN, household_in, mark_poor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Rahasia-123!"


def login(page, username):
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_intake_at_a_desa_then_decision_then_the_citizen_tracks_it(page, chromium, live_server, regions):
    def user(username, role, region=None):
        return User.objects.create_user(
            username=username, password=PASSWORD, role=role, region=Region.objects.get(code=region) if region else None
        )

    user("op.keden", Role.OPERATOR_DESA, KEDEN)
    kecamatan, petugas = user("op.kalijambe", Role.OPERATOR_KECAMATAN, KALIJAMBE), user("petugas", Role.PETUGAS_LAYANAN)
    user("kepala", Role.KEPALA)
    household = mark_poor(household_in(KEDEN, "Sutrisno Wibowo"))

    # 1. The desa operator files the request; the receipt shows the number and the PIN once.
    login(page, "op.keden")
    page.get_by_role("link", name="Permohonan", exact=True).click()
    page.get_by_role("link", name="Permohonan baru").click()
    page.fill("#id_q", "Sutrisno")
    page.click("form.search button[type=submit]")
    page.get_by_role("link", name="Pilih").click()
    page.get_by_role("link", name=re.compile("Penerbitan Kartu Saraswati")).click()
    for box in page.locator("#intake-form input[type=checkbox]").all():
        box.check()
    page.click("#intake-form button[type=submit]")
    number = page.locator("#receipt-number").inner_text().strip()
    pin = page.locator("#receipt-pin").inner_text().strip()
    assert re.fullmatch(r"\d{6}", pin)
    application = Application.objects.get(number=number)
    assert application.status == "submitted" and application.household == household

    # 2. Kecamatan acknowledgement, document check and the fast path (the household is poor in DTSEN).
    for actor, name in [(kecamatan, "acknowledge"), (petugas, "accept_documents"), (petugas, "fast_track")]:
        application = application_transition(actor=actor, application=application, name=name)

    # 3. The kepala sees each criterion and approves.
    kepala_context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    kepala_page = kepala_context.new_page()
    login(kepala_page, "kepala")
    kepala_page.goto("/permohonan/?antrean=keputusan")
    kepala_page.get_by_role("link", name=number).click()
    assert kepala_page.locator("#rules li.met").count() >= 4
    kepala_page.fill("#act-approve textarea[name=reason]", "Terdaftar miskin di DTSEN")
    kepala_page.click("#act-approve button[type=submit]")
    assert kepala_page.locator("#status").inner_text() == "Disetujui"
    kepala_context.close()

    # 4. The citizen, without logging in, tracks the request with the number and PIN.
    citizen_context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    citizen = citizen_context.new_page()
    citizen.goto("/lacak/")
    citizen.fill("#id_number", number)
    citizen.fill("#id_pin", pin)
    citizen.click("#track-form button[type=submit]")
    assert citizen.locator("#track-status").inner_text() == "Disetujui"
    result = citizen.locator("#track-result").inner_text()
    assert "Sutrisno" in result and "Wibowo" not in result and "Permohonan disetujui" in result
    citizen_context.close()
