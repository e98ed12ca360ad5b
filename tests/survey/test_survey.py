"""SKM: invitations after completion (once, with an SMS), one response per application through an
unguessable token, and IKM per service/kecamatan/unit as PermenPANRB 14/2017 computes it."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from satupintu.cases.models import Application
from satupintu.cases.status import Status
from satupintu.notifications.models import Notification
from satupintu.survey.actions import ikm_by, ikm_of, invite_completed, responses_in
from satupintu.survey.models import Invitation, Response
from tests.conftest import apply_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(petugas, keden_household, trobayan_household):
    cases = []
    for household in (keden_household, trobayan_household):
        household.head.phone = "081298765432"
        household.head.save()
        application, _pin = apply_for(petugas, household)
        Application.objects.filter(pk=application.pk).update(status=Status.COMPLETED, closed_at=timezone.now())
        cases.append(application)
    return cases


def answers(value):
    return {key: value for key in ("persyaratan", "prosedur", "waktu", "biaya", "produk")} | {
        key: value for key in ("kompetensi", "perilaku", "pengaduan", "sarana")
    }


def test_it_invites_each_completed_application_once_with_an_sms(completed, settings):
    settings.DOCUMENT_VERIFY_BASE_URL = "https://satupintu.example/"
    before = Notification.objects.count()
    assert invite_completed() == 2
    assert invite_completed() == 0
    sms = Notification.objects.order_by("id")[before:]
    assert len(sms) == 2
    invitation = Invitation.objects.first()
    assert len(invitation.token) >= 40
    assert any(f"https://satupintu.example/survei/{invitation.token}/" in n.body for n in sms)


def test_invite_surveys_command_sends_the_absolute_address_the_qr_codes_use(completed, settings):
    settings.DOCUMENT_VERIFY_BASE_URL = "https://satupintu.sragenkab.go.id"
    call_command("invite_surveys", stdout=io.StringIO())
    invitation = Invitation.objects.first()
    bodies = [n.body for n in Notification.objects.filter(application=invitation.application)]
    assert any(f" https://satupintu.sragenkab.go.id/survei/{invitation.token}/" in body for body in bodies)
    assert not any(f" /survei/{invitation.token}/" in body for body in bodies)


def test_one_response_per_application(client, completed):
    invite_completed()
    invitation = Invitation.objects.first()
    url = f"/survei/{invitation.token}/"
    assert client.get(url).status_code == 200
    assert client.post(url, answers(4)).context["already"] is False
    assert client.post(url, answers(1)).context["already"] is True
    assert Response.objects.count() == 1
    assert Response.objects.get().waktu == 4


def test_an_unknown_token_is_a_404(client, completed):
    invite_completed()
    assert client.get("/survei/not-a-token/").status_code == 404


def test_answers_outside_one_to_four_are_refused(client, completed):
    invite_completed()
    invitation = Invitation.objects.first()
    response = client.post(f"/survei/{invitation.token}/", answers(5))
    assert response.status_code == 200 and Response.objects.count() == 0


def test_ikm_per_service_and_unit_by_hand(client, completed):
    # Keden answers all 4, Trobayan all 3 except waktu = 1.
    # Element means: 3.5 each, waktu 2.5 -> weighted (8*3.5 + 2.5)/9 = 3.3889 -> IKM 84.72 (B, Baik).
    invite_completed()
    first, second = Invitation.objects.order_by("id")
    client.post(f"/survei/{first.token}/", answers(4))
    client.post(f"/survei/{second.token}/", {**answers(3), "waktu": 1})
    today = timezone.localdate()
    result = ikm_of(responses_in(today - dt.timedelta(days=1), today))
    assert result.ikm == Decimal("84.72") and result.grade == "B" and result.quality == "Baik"
    assert result.element_means["waktu"] == Decimal("2.500")
    per_kecamatan = ikm_by(responses_in(today, today), "kecamatan_id")
    assert per_kecamatan["33.14.01"].ikm == Decimal("84.72")
    per_service = ikm_by(responses_in(today, today), "service__code")
    assert per_service["kartu-saraswati"].respondents == 2


def test_responses_outside_the_period_are_not_counted(client, completed):
    invite_completed()
    client.post(f"/survei/{Invitation.objects.first().token}/", answers(2))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert ikm_of(responses_in(yesterday, yesterday)) is None


def test_the_receipt_number_and_pin_lead_to_the_survey_once_complete(client, petugas, keden_household):
    from django.core.cache import cache

    cache.clear()
    application, pin = apply_for(petugas, keden_household)
    not_yet = client.post("/survei/", {"number": application.number, "pin": pin})
    assert not_yet.context["state"] == "not_yet"
    wrong = client.post("/survei/", {"number": application.number, "pin": "000000" if pin != "000000" else "1"})
    unknown = client.post("/survei/", {"number": "UPK0000-000000", "pin": pin})
    assert wrong.context["state"] == unknown.context["state"] == "failed"
    Application.objects.filter(pk=application.pk).update(status=Status.COMPLETED, closed_at=timezone.now())
    invite_completed()
    done = client.post("/survei/", {"number": application.number, "pin": pin})
    assert done.status_code == 302 and done["Location"] == f"/survei/{application.survey_invitation.token}/"
    cache.clear()
