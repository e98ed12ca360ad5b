import pytest
from django.urls import reverse

from satupintu.emergency.actions import call_step
from satupintu.emergency.models import CallState
from tests.conftest import KEDEN, TROBAYAN, household_in

from .conftest import take_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_desk(regions):
    """A petugas bound to the desa of Keden (a desk serving one area)."""
    from satupintu.accounts.models import Role
    from tests.conftest import make_user

    return make_user("petugas.keden", Role.PETUGAS_LAYANAN, KEDEN)


def test_a_call_outside_the_users_area_is_not_found(client, petugas, operator_desk, regions, hospital):
    call = take_call(petugas, regions[TROBAYAN], hospital, patient_name="Painem")
    client.force_login(operator_desk)
    assert client.get(reverse("emergency:call", args=[call.number])).status_code == 404
    assert client.post(reverse("emergency:step", args=[call.number, "cancel"]), {"reason": "x"}).status_code == 404
    assert call.number not in client.get(reverse("emergency:board")).content.decode()
    call.refresh_from_db()
    assert call.state == CallState.CALLED


def test_the_desk_finds_only_patients_of_its_area(client, operator_desk, regions, hospital):
    household_in(TROBAYAN, "Paimin Santoso")
    keden = household_in(KEDEN, "Paimin Sutarno")
    client.force_login(operator_desk)
    page = client.post(reverse("emergency:call_new"), {"q": "Paimin", "lookup": "1"}).content.decode()
    assert "Paimin Sutarno" in page and "Paimin Santoso" not in page
    assert keden.head.nik not in page  # masked
    assert 'data-eligibility="belum_diketahui"' in page


def test_the_board_refreshes_itself_and_its_queries_do_not_grow_with_the_calls(
    client, petugas, regions, hospital, vehicle, django_assert_max_num_queries
):
    client.force_login(petugas)
    url = reverse("emergency:board")
    take_call(petugas, regions[KEDEN], hospital, patient_name="Sarni")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(12):
        call = take_call(petugas, regions[KEDEN], hospital, patient_name=f"Pasien {n}")
        if n == 0:
            call_step(actor=petugas, call=call, name="dispatch", data={"vehicle": vehicle})
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    page = response.content.decode()
    assert '<meta http-equiv="refresh"' in page and "Pasien 11" in page


def test_the_board_drives_a_call_to_the_base_with_posted_steps(client, petugas, regions, hospital, vehicle):
    call = take_call(petugas, regions[KEDEN], hospital, patient_name="Sarni")
    client.force_login(petugas)
    step = lambda name, **data: client.post(  # noqa: E731
        reverse("emergency:step", args=[call.number, name]), {"next": "board", **data}
    )
    assert step("dispatch", vehicle=vehicle.pk).status_code == 302
    for name in ("arrive", "deliver", "return"):
        step(name)
    call.refresh_from_db()
    assert call.state == CallState.BACK
    response = client.post(reverse("emergency:step", args=[call.number, "arrive"]), follow=True)
    assert "tidak berlaku" in response.content.decode()


def test_pages_need_their_capability(client, auditor, verifikator, kasi):
    client.force_login(auditor)
    assert client.get(reverse("emergency:board")).status_code == 403
    assert client.get(reverse("emergency:summary")).status_code == 200
    client.force_login(verifikator)
    assert client.get(reverse("emergency:verifications")).status_code == 200
    assert client.get(reverse("emergency:visit_new")).status_code == 403
    client.force_login(kasi)
    assert client.get(reverse("emergency:roster")).status_code == 200


def test_a_shift_is_added_and_an_overlap_refused(client, kasi, vehicle):
    from satupintu.emergency.models import Driver, Shift

    driver = Driver.objects.create(name="Paijo")
    client.force_login(kasi)
    url = reverse("emergency:roster")
    form = {"vehicle": vehicle.pk, "driver": driver.pk, "starts_at": "2030-01-01T07:00", "ends_at": "2030-01-01T19:00"}
    assert client.post(url, form).status_code == 302
    response = client.post(url, form)
    assert "sudah terjadwal" in response.content.decode()
    assert Shift.objects.filter(driver=driver).count() == 1
