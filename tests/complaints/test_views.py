"""Every complaint page: who gets in, who gets 403/404, and bounded queries on the list."""

import pytest

from satupintu.complaints.models import Category, Complaint, Status

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_the_public_form_and_tracking_need_no_login(client, regions):
    assert client.get("/pengaduan/").status_code == 200
    assert client.get("/pengaduan/lacak/").status_code == 200


def test_staff_pages_send_anonymous_visitors_to_login(client, regions):
    complaint, _pin = submit()
    for url in ("/pengaduan/kelola/", "/pengaduan/kelola/baru/", f"/pengaduan/kelola/{complaint.number}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


@pytest.mark.parametrize("persona", ["mitra", "auditor", "operator_keden"])
def test_non_handlers_cannot_open_the_complaint_list(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/pengaduan/kelola/").status_code == 403


def test_mitra_and_auditor_cannot_take_complaints_at_a_desk(client, mitra, auditor):
    for user in (mitra, auditor):
        client.force_login(user)
        assert client.get("/pengaduan/kelola/baru/").status_code == 403


def test_an_operator_records_a_phone_complaint_at_the_desk(client, operator_keden):
    client.force_login(operator_keden)
    response = client.post(
        "/pengaduan/kelola/baru/",
        {
            "channel": "telepon",
            "feedback_type": "pengaduan",
            "category": "penundaan_berlarut",
            "description": "Lewat telepon: berkas belum diproses.",
            "kecamatan": "33.14.01",
            "reporter_name": "Sutini",
        },
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.channel == "telepon" and complaint.events.get().actor == operator_keden
    assert 'id="complaint-pin"' in response.content.decode()


def test_a_kecamatan_bound_handler_sees_only_its_kecamatan(client, regions, kepala):
    from satupintu.accounts.models import Role
    from tests.conftest import make_user

    bound = make_user("petugas.gemolong", Role.PETUGAS_LAYANAN, "33.14.13")
    here, _pin = submit()  # Kalijambe
    client.force_login(bound)
    assert client.get(f"/pengaduan/kelola/{here.number}/").status_code == 404


def test_the_list_runs_a_bounded_number_of_queries(client, regions, kasi, petugas, django_assert_max_num_queries):
    from satupintu.complaints.actions import complaint_step

    for index in range(30):
        complaint, _pin = submit(category=[Category.PENUNDAAN, Category.TIDAK_PATUT][index % 2])
        if index % 3 == 0:
            complaint_step(actor=kasi, complaint=complaint, name="assign", data={"assignee": petugas, "reason": "x"})
    client.force_login(kasi)
    with django_assert_max_num_queries(8):
        response = client.get("/pengaduan/kelola/")
    assert response.context["page"].paginator.count == 30
    with django_assert_max_num_queries(8):
        assert client.get("/pengaduan/kelola/", {"status": Status.ASSIGNED}).context["page"].paginator.count == 10


def test_the_detail_page_shows_the_history_with_actors(client, regions, kasi, petugas):
    from satupintu.complaints.actions import complaint_step

    complaint, _pin = submit(petugas)
    complaint_step(actor=kasi, complaint=complaint, name="assign", data={"assignee": petugas, "reason": "Tangani."})
    client.force_login(kasi)
    page = client.get(f"/pengaduan/kelola/{complaint.number}/").content.decode()
    assert "Ditugaskan" in page and "Tangani." in page


def test_a_logged_in_partner_can_still_complain_as_a_citizen(client, mitra):
    client.force_login(mitra)
    response = client.post(
        "/pengaduan/",
        {
            "feedback_type": "saran",
            "category": "lainnya",
            "description": "Antrean terlalu panjang.",
            "reporter_name": "X",
        },
    )
    assert response.status_code == 302
    assert Complaint.objects.get().events.get().actor is None
