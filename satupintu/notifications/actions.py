"""Queue texts and notices: an outbox row in the transaction of the change it reports."""

from collections.abc import Iterable

from .models import Notification


def text_to(phone: str, body: str, *, application=None) -> Notification | None:
    """A text (SMS) to a citizen's phone; nothing when no phone is known."""
    if not phone:
        return None
    return Notification.objects.create(application=application, phone=phone, body=body)


def notice_to(users: Iterable, body: str, *, application=None) -> list[Notification]:
    """An internal notice to each staff user (shown to them, delivered through the gateway's log)."""
    return Notification.objects.bulk_create(
        Notification(application=application, channel=Notification.Channel.INTERNAL, user=user, body=body)
        for user in users
    )
