"""Bribe-request and discrimination reports are for the integrity group only; an anonymous
complaint keeps nothing that could lead to the reporter."""

import pytest
from django.db import IntegrityError

from satupintu.complaints.access import complaints_for
from satupintu.complaints.actions import StepRefused, complaint_step
from satupintu.complaints.models import Category, Complaint
from satupintu.regions.models import Region
from tests.conftest import KEDEN, apply_for

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def bribe(regions):
    complaint, _pin = submit(category=Category.IMBALAN, anonymous=True, description="Diminta Rp200.000.")
    return complaint


def test_a_bribe_report_is_sensitive_and_hidden_from_the_kepala(client, bribe, kepala, kasi, petugas):
    assert bribe.sensitive
    for user in (kepala, kasi, petugas):
        assert not complaints_for(user).filter(pk=bribe.pk).exists()
        client.force_login(user)
        assert client.get(f"/pengaduan/kelola/{bribe.number}/").status_code == 404


def test_the_integrity_group_sees_and_handles_it(client, bribe, integrity, kasi):
    assert complaints_for(integrity).filter(pk=bribe.pk).exists()
    client.force_login(integrity)
    page = client.get(f"/pengaduan/kelola/{bribe.number}/").content.decode()
    assert "Diminta Rp200.000." in page
    with pytest.raises(StepRefused):
        complaint_step(actor=integrity, complaint=bribe, name="assign", data={"assignee": kasi, "reason": "x"})
    complaint_step(actor=integrity, complaint=bribe, name="assign", data={"assignee": integrity, "reason": "Saya."})


def test_discrimination_is_sensitive_too(regions):
    complaint, _pin = submit(category=Category.DISKRIMINASI)
    assert complaint.sensitive


def test_anonymous_complaints_drop_every_identifying_field(regions, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    complaint, _pin = submit(
        petugas,
        anonymous=True,
        reporter_name="Sutini",
        reporter_phone="081234567890",
        desa=Region.objects.get(code=KEDEN),
        application=application,
    )
    complaint.refresh_from_db()
    assert (complaint.reporter_name, complaint.reporter_phone, complaint.desa, complaint.application) == (
        "",
        "",
        None,
        None,
    )
    assert complaint.kecamatan_id == "33.14.01"


def test_the_database_refuses_an_anonymous_row_with_a_name(regions):
    complaint, _pin = submit(anonymous=True)
    with pytest.raises(IntegrityError):
        Complaint.objects.filter(pk=complaint.pk).update(reporter_name="Sutini")


def test_the_public_form_keeps_no_name_when_anonymous(client, regions):
    response = client.post(
        "/pengaduan/",
        {
            "feedback_type": "pengaduan",
            "category": "permintaan_imbalan",
            "description": "Diminta uang di loket.",
            "kecamatan": "33.14.01",
            "anonymous": "on",
            "reporter_name": "Sutini",
            "reporter_phone": "081234567890",
        },
        follow=True,
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.reporter_name == "" and complaint.reporter_phone == ""
    assert complaint.number in response.content.decode()


def test_the_staff_list_offers_no_search_by_person(client, regions, kasi):
    submit(reporter_name="Sutini Rahayu")
    client.force_login(kasi)
    page = client.get("/pengaduan/kelola/").content.decode()
    assert 'name="q"' not in page and "Sutini" not in page
    filtered = client.get("/pengaduan/kelola/", {"reporter_name": "Nobody"})
    assert filtered.context["page"].paginator.count == 1  # a person filter is not a thing
