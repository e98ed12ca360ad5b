"""Notifications: queued in the transaction, delivered by the worker with retries."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from satupintu.notifications.gateways import DeliveryError
from satupintu.notifications.models import Notification
from satupintu.notifications.outbox import deliver_pending
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
    settings.SATUPINTU_NOTIFY_GATEWAY = "tests.notifications.test_outbox.FlakyGateway"
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
    settings.SATUPINTU_NOTIFY_GATEWAY = "satupintu.notifications.gateways.LogGateway"
    settings.SATUPINTU_NOTIFY_FILE = str(tmp_path / "sms.log")
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert "terkirim: 1" in out.getvalue()
    assert "081211112222" in (tmp_path / "sms.log").read_text()


def test_the_http_gateway_refuses_a_missing_url(queued, settings):
    from satupintu.notifications.gateways import HttpGateway

    settings.SATUPINTU_NOTIFY_HTTP_URL = ""
    with pytest.raises(DeliveryError):
        HttpGateway().send(queued)


class Killed(BaseException):
    """Stands for the process dying in the middle of a send."""


class DyingGateway:
    keys = []
    die = True

    def send(self, notification):
        DyingGateway.keys.append(notification.idempotency_key)
        if DyingGateway.die:
            DyingGateway.die = False
            raise Killed


def test_a_sender_killed_mid_send_leaves_its_claim_and_the_text_is_resent_with_the_same_key_after_the_lease(
    queued, settings
):
    settings.SATUPINTU_NOTIFY_GATEWAY = "tests.notifications.test_outbox.DyingGateway"
    DyingGateway.keys, DyingGateway.die = [], True
    with pytest.raises(Killed):
        deliver_pending()
    queued.refresh_from_db()
    assert queued.state == "sending" and queued.attempts == 1  # the claim was committed before the send
    assert deliver_pending() == {"sent": 0, "retry": 0, "failed": 0}  # held until the lease ends
    with time_machine.travel(queued.claimed_at + dt.timedelta(seconds=settings.SATUPINTU_NOTIFY_LEASE + 1)):
        assert deliver_pending() == {"sent": 1, "retry": 0, "failed": 0}
    queued.refresh_from_db()
    assert queued.state == "sent" and queued.attempts == 2
    assert DyingGateway.keys == [f"satupintu-notification-{queued.pk}"] * 2


def test_a_claimed_text_is_not_claimed_again_by_a_second_sender(queued):
    from satupintu.notifications.outbox import claim_next

    first = claim_next()
    assert first.pk == queued.pk and first.state == "sending"
    assert claim_next() is None


def test_only_the_holder_of_a_claim_records_the_outcome(queued, settings):
    from satupintu.notifications.outbox import claim_next, send_claimed

    stale = claim_next()
    with time_machine.travel(stale.claimed_at + dt.timedelta(seconds=settings.SATUPINTU_NOTIFY_LEASE + 1)):
        fresh = claim_next()  # the lease ran out: another sender took the row
        FlakyGateway.failures = 1
        assert send_claimed(FlakyGateway(), stale) == "retry"  # the late first sender fails ...
    queued.refresh_from_db()
    assert queued.state == "sending" and queued.claimed_at == fresh.claimed_at  # ... and changes nothing
    assert send_claimed(FlakyGateway(), fresh) == "sent"
    queued.refresh_from_db()
    assert queued.state == "sent"


def test_the_http_gateway_sends_the_rows_idempotency_key(queued, settings, monkeypatch):
    from satupintu.notifications import gateways

    settings.SATUPINTU_NOTIFY_HTTP_URL = "https://sms.example.test/send"
    seen = {}

    class Response:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def urlopen(request, timeout):
        seen.update(request.headers)
        return Response()

    monkeypatch.setattr(gateways.urllib.request, "urlopen", urlopen)
    gateways.HttpGateway().send(queued)
    assert seen["Idempotency-key"] == f"satupintu-notification-{queued.pk}"


class TerminatingGateway:
    def send(self, notification):
        import os
        import signal

        os.kill(os.getpid(), signal.SIGTERM)  # the service manager stops the sender mid-send
        SENT.append(notification.body)


def test_the_sender_finishes_the_current_text_and_stops_on_sigterm(queued, petugas, keden_household, settings):
    import signal

    settings.SATUPINTU_NOTIFY_GATEWAY = "tests.notifications.test_outbox.TerminatingGateway"
    apply_for(petugas, keden_household, "raskin")
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    out = StringIO()
    try:
        call_command("send_notifications", "--loop", "--interval", "60", stdout=out)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    assert "terkirim: 1" in out.getvalue() and "berhenti" in out.getvalue()
    assert list(Notification.objects.order_by("id").values_list("state", flat=True)) == ["sent", "pending"]
