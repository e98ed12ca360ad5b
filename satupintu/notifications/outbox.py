"""The sender: deliver pending outbox rows through the gateway, retrying with a growing delay.

A row is first claimed (state "sending", committed), then sent outside any transaction with its
idempotency key, then its outcome is recorded. A sender killed mid-send leaves the claim; after
`SATUPINTU_NOTIFY_LEASE` seconds another sender takes it again and resends with the same key, so a
provider that honours the key delivers the text once."""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .gateways import DeliveryError, gateway
from .models import Notification


def deliver_pending(limit: int = 100, should_stop: Callable[[], bool] = lambda: False) -> dict[str, int]:
    counts = {"sent": 0, "retry": 0, "failed": 0}
    sender = gateway()
    for _ in range(limit):
        if should_stop():
            break
        notification = claim_next()
        if notification is None:
            break
        counts[send_claimed(sender, notification)] += 1
    return counts


def claim_next() -> Notification | None:
    """Claim the oldest due row (or one whose claim outlived the lease) by compare-and-set, so two
    senders never hold the same row, on PostgreSQL and on SQLite alike."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.SATUPINTU_NOTIFY_LEASE)
    due = Q(state=Notification.State.PENDING, next_attempt_at__lte=now) | Q(
        state=Notification.State.SENDING, claimed_at__lt=stale
    )
    for candidate in (
        Notification.objects.filter(due).order_by("next_attempt_at", "id").only("pk", "state", "attempts")[:20]
    ):
        taken = Notification.objects.filter(pk=candidate.pk, state=candidate.state, attempts=candidate.attempts).update(
            state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if taken:
            return Notification.objects.get(pk=candidate.pk)
    return None


def send_claimed(sender, notification: Notification) -> str:
    now = timezone.now()
    try:
        sender.send(notification)
    except DeliveryError as exc:
        changes = {"last_error": str(exc)[:250]}
        if notification.attempts >= settings.SATUPINTU_NOTIFY_MAX_ATTEMPTS:
            changes["state"], outcome = Notification.State.FAILED, "failed"
        else:
            changes["state"], outcome = Notification.State.PENDING, "retry"
            changes["next_attempt_at"] = now + dt.timedelta(minutes=2**notification.attempts)
    else:
        changes, outcome = {"state": Notification.State.SENT, "sent_at": now}, "sent"
    # Only the holder of the claim records its outcome.
    Notification.objects.filter(
        pk=notification.pk, state=Notification.State.SENDING, claimed_at=notification.claimed_at
    ).update(**changes)
    return outcome
