"""Notifications: queued in the transaction, delivered by the worker with retries."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from satupintu.cases.gateways import DeliveryError
from satupintu.cases.models import Notification
from satupintu.cases.outbox import deliver_pending
from tests.conftest import apply_for

pytestmark = pytest.mark.django_db

SENT = []


class FlakyGateway:
    failures = 0

    def send(self, notification):
        if FlakyGateway.failures:
            FlakyGateway.failures -= 1
            raise DeliveryError("gateway down")
        SENT.append(notification.body)


@pytest.fixture
def queued(petugas, keden_household, settings):
    settings.SATUPINTU_NOTIFY_GATEWAY = "tests.cases.test_outbox.FlakyGateway"
    keden_household.head.phone = "081211112222"
    keden_household.head.save()
    SENT.clear()
    application, _pin = apply_for(petugas, keden_household)
    return Notification.objects.get(application=application)


def test_the_receipt_text_is_queued_in_bahasa_indonesia(queued):
    assert queued.state == "pending" and "diterima dengan nomor" in queued.body
    assert queued.phone == "081211112222"


def test_a_failed_delivery_is_retried_later_then_sent(queued):
    FlakyGateway.failures = 1
    assert deliver_pending() == {"sent": 0, "retry": 1, "failed": 0}
    queued.refresh_from_db()
    assert queued.state == "pending" and queued.attempts == 1 and queued.last_error == "gateway down"
    assert deliver_pending() == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    with time_machine.travel(queued.next_attempt_at + dt.timedelta(seconds=1)):
        assert deliver_pending() == {"sent": 1, "retry": 0, "failed": 0}
    queued.refresh_from_db()
    assert queued.state == "sent" and SENT == [queued.body]


def test_it_gives_up_after_the_maximum_attempts(queued, settings):
    settings.SATUPINTU_NOTIFY_MAX_ATTEMPTS = 1
    FlakyGateway.failures = 5
    assert deliver_pending() == {"sent": 0, "retry": 0, "failed": 1}


def test_the_default_log_gateway_writes_to_a_file(queued, settings, tmp_path):
    settings.SATUPINTU_NOTIFY_GATEWAY = "satupintu.cases.gateways.LogGateway"
    settings.SATUPINTU_NOTIFY_FILE = str(tmp_path / "sms.log")
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert "terkirim: 1" in out.getvalue()
    assert "081211112222" in (tmp_path / "sms.log").read_text()


def test_the_http_gateway_refuses_a_missing_url(queued, settings):
    from satupintu.cases.gateways import HttpGateway

    settings.SATUPINTU_NOTIFY_HTTP_URL = ""
    with pytest.raises(DeliveryError):
        HttpGateway().send(queued)
