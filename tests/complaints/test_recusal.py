"""A complaint about an officer is never assigned to, seen by, or handled by that officer."""

import pytest

from satupintu.complaints.access import eligible_assignees
from satupintu.complaints.actions import StepRefused, complaint_step
from satupintu.complaints.models import Category, Status

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def about_petugas(petugas, kasi, kepala):
    complaint, _pin = submit(kasi, category=Category.TIDAK_PATUT, about_officer=petugas)
    return complaint


def test_it_refuses_to_assign_the_complaint_to_the_officer_it_is_about(about_petugas, kasi, petugas):
    with pytest.raises(StepRefused, match="pengaduan tentang dirinya"):
        complaint_step(actor=kasi, complaint=about_petugas, name="assign", data={"assignee": petugas, "reason": "x"})
    about_petugas.refresh_from_db()
    assert about_petugas.assignee is None and about_petugas.status == Status.RECEIVED
    assert not about_petugas.events.filter(type=510).exists()


def test_the_officer_is_not_offered_as_assignee(about_petugas, petugas, kepala):
    assert petugas not in eligible_assignees(about_petugas)
    assert kepala in eligible_assignees(about_petugas)


def test_a_crafted_post_assigning_the_officer_is_refused(client, about_petugas, kasi, petugas):
    client.force_login(kasi)
    response = client.post(
        f"/pengaduan/kelola/{about_petugas.number}/assign/",
        {"assignee": petugas.pk, "track": "standard", "reason": "Tolong ditangani."},
        follow=True,
    )
    assert "tidak dapat ditugaskan" in response.content.decode()
    about_petugas.refresh_from_db()
    assert about_petugas.assignee is None


def test_the_officer_cannot_open_or_act_on_the_complaint_about_them(client, about_petugas, petugas):
    client.force_login(petugas)
    assert client.get(f"/pengaduan/kelola/{about_petugas.number}/").status_code == 404
    response = client.post(f"/pengaduan/kelola/{about_petugas.number}/respond/", {"reason": "Tidak benar."})
    assert response.status_code == 404
    assert about_petugas.number not in client.get("/pengaduan/kelola/").content.decode()


def test_the_officer_cannot_respond_even_when_calling_the_action(about_petugas, petugas):
    with pytest.raises(StepRefused, match="diri Anda sendiri"):
        complaint_step(actor=petugas, complaint=about_petugas, name="respond", data={"reason": "Tidak benar."})


def test_another_officer_can_be_assigned_and_then_respond(about_petugas, kasi, kepala):
    complaint = complaint_step(
        actor=kepala, complaint=about_petugas, name="assign", data={"assignee": kasi, "reason": "Tangani."}
    )
    complaint = complaint_step(actor=kasi, complaint=complaint, name="respond", data={"reason": "Kami periksa."})
    assert complaint.status == Status.RESPONDED
    assert list(complaint.events.values_list("actor__username", flat=True)) == ["kasi", "kepala", "kasi"]
