"""Staff pages: queues per role (with query counts), intake, case page and actions; outsiders get 404."""

import pytest
from django.urls import reverse

from satupintu.accounts.models import Agency, Role
from satupintu.cases.actions import application_transition
from satupintu.cases.models import Application, Referral
from tests.conftest import KEDEN, TROBAYAN, apply_for, household_in, make_user, mark_poor

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(operator_keden, operator_trobayan, petugas, verifikator, mitra, regions):
    """Cases in every staff queue, from two desa."""
    cases = []
    for i in range(6):
        desa, operator = (KEDEN, operator_keden) if i % 2 == 0 else (TROBAYAN, operator_trobayan)
        cases.append(apply_for(operator, household_in(desa, f"Warga {i}"))[0])
    for i in range(18):
        cases.append(apply_for(petugas, household_in(KEDEN if i % 2 else TROBAYAN, f"Loket {i}"))[0])
    for application in cases[6:10]:
        application = application_transition(actor=petugas, application=application, name="accept_documents")
        application_transition(
            actor=petugas, application=application, name="start_verification", data={"verifier": verifikator}
        )
    Application.objects.filter(pk__in=[a.pk for a in cases[10:15]]).update(status="decision")
    for application in cases[15:18]:
        Application.objects.filter(pk=application.pk).update(status="referred")
        Referral.objects.create(application=application, agency=mitra.agency)
    return cases


QUEUE_PAGES = [
    ("operator_keden", "kecamatan", 3),
    ("operator_kalijambe", "kecamatan", 6),
    ("petugas", "berkas", 6),
    ("kepala", "keputusan", 5),
    ("kasi", "verifikasi", 4),
    ("verifikator", "verifikasi", 4),
    ("mitra", "rujukan", 3),
]


@pytest.mark.parametrize(("persona", "queue", "rows"), QUEUE_PAGES)
def test_work_queue_page_lists_the_queue_in_a_fixed_number_of_queries(
    persona, queue, rows, request, client, busy, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cases:queue"), {"antrean": queue})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows


def test_queue_is_first_come_first_served(client, petugas, busy):
    client.force_login(petugas)
    numbers = [a.number for a in client.get(reverse("cases:queue"), {"antrean": "berkas"}).context["page"]]
    expected = Application.objects.filter(status="received").order_by("received_at", "id")
    assert numbers == [a.number for a in expected]


def test_overdue_cases_are_highlighted(client, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    Application.objects.filter(pk=application.pk).update(due_date="2020-01-02", deadline_state="overdue")
    client.force_login(petugas)
    html = client.get(reverse("cases:queue"), {"antrean": "berkas"}).content.decode()
    assert 'class="dom-kesehatan overdue"' in html and "lewat" in html


def test_auditor_has_no_work_queue(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("cases:queue")).status_code == 403


def test_operator_cannot_open_a_case_of_another_desa(client, operator_keden, operator_trobayan, trobayan_household):
    application, _pin = apply_for(operator_trobayan, trobayan_household)
    client.force_login(operator_keden)
    assert client.get(reverse("cases:detail", args=[application.number])).status_code == 404
    assert client.get(reverse("cases:receipt", args=[application.number])).status_code == 404
    url = reverse("cases:act", args=[application.number, "withdraw"])
    assert client.post(url, {"reason": "x"}).status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"


def test_operator_cannot_start_an_application_for_a_household_of_another_desa(
    client, operator_keden, trobayan_household
):
    client.force_login(operator_keden)
    url = reverse("cases:intake", args=[trobayan_household.pk])
    assert client.get(url, {"layanan": "raskin"}).status_code == 404


def test_mitra_sees_only_cases_referred_to_their_agency(client, mitra, petugas, keden_household, trobayan_household):
    mine, _ = apply_for(petugas, keden_household)
    other, _ = apply_for(petugas, trobayan_household)
    for application, agency in [
        (mine, mitra.agency),
        (other, Agency.objects.get_or_create(code="dinsos", defaults={"name": "Dinsos"})[0]),
    ]:
        Application.objects.filter(pk=application.pk).update(status="issued")
        application_transition(actor=petugas, application=application, name="refer", data={"agency": agency})
    client.force_login(mitra)
    assert client.get(reverse("cases:detail", args=[mine.number])).status_code == 200
    assert client.get(reverse("cases:detail", args=[other.number])).status_code == 404
    inbox = client.get(reverse("cases:referrals"))
    assert [r.application__number for r in inbox.context["page"]] == [mine.number]


def test_the_referral_inbox_escapes_names_and_pages_beyond_a_page(client, mitra, petugas, regions, monkeypatch):
    monkeypatch.setattr("satupintu.cases.views.PAGE_SIZE", 2)
    numbers = []
    for name in ("<b>Sarmi</b>", "Warsini", "Tukiyem"):
        application, _ = apply_for(petugas, household_in(KEDEN, name))
        Application.objects.filter(pk=application.pk).update(status="issued")
        application_transition(actor=petugas, application=application, name="refer", data={"agency": mitra.agency})
        numbers.append(application.number)
    client.force_login(mitra)
    first = client.get(reverse("cases:referrals")).content.decode()
    assert "<b>Sarmi</b>" not in first and "&lt;b&gt;Sarmi&lt;/b&gt;" in first
    assert numbers[0] in first and numbers[1] in first and numbers[2] not in first
    assert "Halaman 1 dari 2" in first and "?page=2" in first
    second = client.get(reverse("cases:referrals"), {"page": 2}).content.decode()
    assert numbers[2] in second and numbers[0] not in second and "Terkirim" in second


def test_the_referral_inbox_counts_its_referrals_once_a_minute_and_reads_its_rows_afresh(
    client, mitra, petugas, regions, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def refer(name):
        application, _ = apply_for(petugas, household_in(KEDEN, name))
        Application.objects.filter(pk=application.pk).update(status="issued")
        application_transition(actor=petugas, application=application, name="refer", data={"agency": mitra.agency})
        return application.number

    settings.HOME_WORK_SECONDS = 60
    first = refer("Sarmi")
    client.force_login(mitra)
    client.get(reverse("cases:referrals"))
    second = refer("Warsini")
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("cases:referrals")).content.decode()
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert first in body and second in body  # the rows are read afresh; the count numbers the pages
    past_the_end = client.get(reverse("cases:referrals"), {"page": 9})
    assert past_the_end.context["page"].number == 1 and second in past_the_end.content.decode()


def test_referral_inbox_is_for_mitra_only(client, petugas):
    client.force_login(petugas)
    assert client.get(reverse("cases:referrals")).status_code == 403


def test_intake_at_a_desa_prints_a_receipt_with_the_pin_once(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    found = client.post(reverse("cases:intake_find"), {"q": "Sutrisno"})
    assert [h.pk for h in found.context["households"]] == [keden_household.pk]
    url = reverse("cases:intake", args=[keden_household.pk]) + "?layanan=kartu-saraswati"
    form = client.get(url).context["form"]
    present = [pk for pk, _label in form.fields["present"].choices]
    response = client.post(url, {"applicant": keden_household.head_id, "present": present}, follow=True)
    application = Application.objects.get()
    assert response.redirect_chain[-1][0] == reverse("cases:receipt", args=[application.number])
    pin = response.context["pin"]
    assert pin and len(pin) == 6 and application.status == "submitted"
    again = client.get(reverse("cases:receipt", args=[application.number]))
    assert again.context["pin"] is None


def test_case_page_shows_criteria_and_timeline_and_acts(client, petugas, kepala, keden_household):
    mark_poor(keden_household)
    application, _pin = apply_for(petugas, keden_household)
    application = application_transition(actor=petugas, application=application, name="accept_documents")
    application = application_transition(actor=petugas, application=application, name="fast_track")
    client.force_login(kepala)
    page = client.get(reverse("cases:detail", args=[application.number]))
    html = page.content.decode()
    assert "terpenuhi" in html and "Tingkat Melati" in html and 'id="act-approve"' in html
    response = client.post(reverse("cases:act", args=[application.number, "approve"]), {"reason": "Layak"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"


def test_a_refused_step_shows_the_reason(client, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household, all_documents=False)
    client.force_login(petugas)
    url = reverse("cases:act", args=[application.number, "accept_documents"])
    response = client.post(url, {}, follow=True)
    assert "Berkas belum lengkap" in response.content.decode()


def test_verifier_records_findings_with_a_photo(client, petugas, verifikator, keden_household, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    application, _pin = apply_for(petugas, keden_household)
    application = application_transition(actor=petugas, application=application, name="accept_documents")
    application = application_transition(
        actor=petugas, application=application, name="start_verification", data={"verifier": verifikator}
    )
    client.force_login(verifikator)
    queue = client.get(reverse("cases:queue"), {"antrean": "verifikasi"})
    assert [a.number for a in queue.context["page"]] == [application.number]
    photo = SimpleUploadedFile("rumah.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    data = {
        "method": "lapangan",
        "visit_date": "2026-11-25",
        "bps14": ["lantai_tanah", "tanpa_jamban"],
        "findings": "Lantai tanah",
        "recommendation": "tidak_miskin",
        "photos": photo,
    }
    client.post(reverse("cases:act", args=[application.number, "record_verification"]), data)
    application.refresh_from_db()
    verification = application.verifications.get()
    assert application.status == "kasi_approval" and verification.photos.count() == 1
    assert verification.bps14_answers == {"lantai_tanah": True, "tanpa_jamban": True}
    page = client.get(reverse("cases:detail", args=[application.number])).content.decode()
    assert "<dt>Foto</dt><dd>1</dd>" in page and "Lantai tanah" in page


def test_queue_exception_page_counts_per_officer(client, kepala, petugas, regions):
    first, _ = apply_for(petugas, household_in(KEDEN))
    second, _ = apply_for(petugas, household_in(KEDEN))
    application_transition(actor=petugas, application=second, name="accept_documents", queue_reason="Lansia sakit")
    client.force_login(kepala)
    response = client.get(reverse("cases:queue_exceptions"))
    assert list(response.context["per_officer"].values_list("actor__username", "n")) == [("petugas", 1)]
    outsider = make_user("op.x", Role.OPERATOR_DESA, KEDEN)
    client.force_login(outsider)
    assert client.get(reverse("cases:queue_exceptions")).status_code == 403


def test_referral_inbox_lists_in_a_fixed_number_of_queries(client, mitra, busy, django_assert_max_num_queries):
    client.force_login(mitra)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:referrals"))
    assert len(response.context["page"].object_list) == 3


def test_queue_exception_page_in_a_fixed_number_of_queries(
    client, kepala, petugas, busy, django_assert_max_num_queries
):
    newest = Application.objects.filter(status="received").order_by("-received_at", "-id")[0]
    application_transition(actor=petugas, application=newest, name="accept_documents", queue_reason="Darurat")
    client.force_login(kepala)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:queue_exceptions"))
    assert len(response.context["recent"]) == 1


def test_intake_search_finds_only_households_in_the_operators_area(client, operator_keden, trobayan_household):
    client.force_login(operator_keden)
    response = client.post(reverse("cases:intake_find"), {"q": "Paimin"})
    assert list(response.context["households"]) == []


def test_verifier_and_mitra_cannot_take_intake(client, verifikator, mitra, keden_household):
    for user in (verifikator, mitra):
        client.force_login(user)
        assert client.get(reverse("cases:intake_find")).status_code == 403
        assert client.get(reverse("cases:intake", args=[keden_household.pk])).status_code == 403


def test_the_verifier_queue_shows_the_verification_deadline(client, verifikator, busy):
    client.force_login(verifikator)
    response = client.get(reverse("cases:queue"), {"antrean": "verifikasi"})
    dues = {a.verification_due for a in response.context["page"]}
    assert len(dues) == 1 and None not in dues
    assert 'class="verification-due"' in response.content.decode()


def test_scholarship_details_are_shown_with_labels(client, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household, "beasiswa-prestasi", details={"ipk": "3.40", "ptn": True})
    client.force_login(petugas)
    html = client.get(reverse("cases:detail", args=[application.number])).content.decode()
    assert "<dt>IPK</dt><dd>3.40</dd>" in html and "<dt>Perguruan tinggi negeri</dt><dd>ya</dd>" in html
