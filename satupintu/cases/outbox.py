"""The notification worker: deliver pending outbox rows, retrying with a growing delay."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .gateways import DeliveryError, gateway
from .models import Notification


def deliver_pending(limit: int = 100) -> dict[str, int]:
    counts = {"sent": 0, "retry": 0, "failed": 0}
    sender = gateway()
    for _ in range(limit):
        outcome = _deliver_one(sender)
        if outcome is None:
            break
        counts[outcome] += 1
    return counts


@transaction.atomic
def _deliver_one(sender) -> str | None:
    now = timezone.now()
    notification = (
        Notification.objects.select_for_update(skip_locked=True)
        .filter(state=Notification.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .first()
    )
    if notification is None:
        return None
    notification.attempts += 1
    try:
        sender.send(notification)
    except DeliveryError as exc:
        notification.last_error = str(exc)[:250]
        if notification.attempts >= settings.SATUPINTU_NOTIFY_MAX_ATTEMPTS:
            notification.state = Notification.State.FAILED
            outcome = "failed"
        else:
            notification.next_attempt_at = now + dt.timedelta(minutes=2**notification.attempts)
            outcome = "retry"
    else:
        notification.state, notification.sent_at, outcome = Notification.State.SENT, now, "sent"
    notification.save()
    return outcome
