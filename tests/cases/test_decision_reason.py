"""Every decision records a reason: the action refuses a blank one, so the form and the API cannot skip it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from satupintu.cases import workflow
from satupintu.cases.actions import TransitionRefused, application_transition
from satupintu.cases.forms import ActionForm
from tests.conftest import apply_for, mark_poor

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting_decision(petugas, keden_household):
    mark_poor(keden_household)
    application, _pin = apply_for(petugas, keden_household)
    for name in ("accept_documents", "fast_track"):
        application = application_transition(actor=petugas, application=application, name=name)
    return application


@pytest.mark.parametrize("reason", ["", "   "])
def test_approval_without_a_reason_is_refused(kepala, awaiting_decision, reason):
    with pytest.raises(TransitionRefused, match="Alasan wajib"):
        application_transition(actor=kepala, application=awaiting_decision, name="approve", data={"reason": reason})
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == "decision" and not awaiting_decision.events.filter(type=300).exists()


@pytest.mark.parametrize("name", ["approve", "reject"])
def test_the_decision_form_requires_a_reason(awaiting_decision, name):
    form = ActionForm({}, transition=workflow.TRANSITIONS[name], application=awaiting_decision)
    assert form.fields["reason"].required and not form.is_valid() and "reason" in form.errors


def test_approving_on_the_case_page_without_a_reason_changes_nothing(client, kepala, awaiting_decision):
    client.force_login(kepala)
    page = client.get(reverse("cases:detail", args=[awaiting_decision.number])).content.decode()
    assert 'name="reason" cols="40" rows="2" required' in page
    url = reverse("cases:act", args=[awaiting_decision.number, "approve"])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Alasan: Bidang ini harus diisi." in response.content.decode()
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == "decision"


def test_api_approval_without_a_reason_is_409(kepala, awaiting_decision):
    api = APIClient()
    api.force_authenticate(kepala)
    url = f"/api/v1/applications/{awaiting_decision.number}/transitions"
    refused = api.post(url, {"transition": "approve"}, format="json")
    assert refused.status_code == 409 and "Alasan wajib" in refused.json()["detail"]
    approved = api.post(url, {"transition": "approve", "reason": "Terdaftar miskin di DTSEN"}, format="json")
    assert approved.status_code == 200 and approved.json()["decision_reason"] == "Terdaftar miskin di DTSEN"


def test_every_approval_step_needs_a_reason():
    approvals = {name for name, t in workflow.TRANSITIONS.items() if "approve" in name or name == "reject"}
    assert approvals == {"kasi_approve", "kepala_approve", "approve", "reject"}
    assert all(workflow.TRANSITIONS[name].needs_reason for name in approvals)
