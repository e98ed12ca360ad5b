import datetime as dt

import pytest
from django.utils import timezone

from satupintu.accounts.models import Role, User
from satupintu.emergency.models import AmbulanceCall, CallState, Driver, Shift, Vehicle
from satupintu.emergency.reference import ensure_facilities
from tests.browser.test_case_journey import PASSWORD, login
from tests.conftest import KEDEN, household_in, mark_poor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_call_is_taken_and_driven_from_the_board_to_back_at_base(page, live_server, regions):
    User.objects.create_user(username="petugas", password=PASSWORD, role=Role.PETUGAS_LAYANAN)
    mark_poor(household_in(KEDEN, "Sutrisno Wibowo"))
    ensure_facilities()
    ambulance = Vehicle.objects.create(plate="AD 9101 KB", name="Ambulans Saraswati 1", base="Pos UPT-PK Sragen")
    now = timezone.now()
    Shift.objects.create(
        vehicle=ambulance, driver=Driver.objects.create(name="Sukiman"), starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=11),
    )  # fmt: skip
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    login(page, "petugas")
    page.get_by_role("link", name="Layanan segera").click()
    page.get_by_role("link", name="Catat panggilan").first.click()
    # The patient is looked up by name; eligibility shows before anything is saved.
    page.fill("#id_q", "Sutrisno")
    page.click("button[name=lookup]")
    assert "Miskin menurut basis data" in page.locator("#lookup-results").inner_text()
    page.fill("#id_caller_name", "Warsini")
    page.fill("#id_caller_phone", "081298765432")
    page.fill("#id_caller_relation", "anak")
    page.select_option("#id_pickup_desa", KEDEN)
    page.fill("#id_pickup_rt", "002")
    page.fill("#id_pickup_rw", "001")
    page.fill("#id_landmark", "Sebelah masjid")
    page.select_option("#id_destination", label="RSUD dr. Soehadi Prijonegoro Sragen")
    page.click("#save-call")
    number = page.locator("h1").inner_text().split(" · ")[0]
    assert "Miskin menurut basis data" in page.locator("#eligibility").inner_text()

    # On the board, the call moves column by column to "back at base".
    page.get_by_role("link", name="Papan ambulans").click()
    card = f"#call-{number}"
    page.locator(card).get_by_role("button", name="Berangkatkan ambulans").click()
    assert page.locator(f"#col-dispatched {card}").count() == 1
    page.locator(card).get_by_role("button", name="Tiba di lokasi pasien").click()
    page.locator(card).get_by_role("button", name="Tiba di fasilitas tujuan").click()
    page.locator(card).get_by_role("button", name="Kembali di pangkalan").click()
    assert page.locator(card).count() == 0 and number in page.locator("#closed").inner_text()

    page.locator("#closed").get_by_role("link", name=number).click()
    assert page.locator("#call-state").inner_text() == "Kembali ke pangkalan"
    assert page.locator("#timeline li").count() == 5
    call = AmbulanceCall.objects.get(number=number)
    assert call.state == CallState.BACK and call.vehicle == ambulance and call.response_minutes is not None
    assert errors == []
