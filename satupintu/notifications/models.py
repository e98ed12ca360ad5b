"""The outbox: texts to citizens (SMS/WhatsApp) and notices to staff, written in the transaction of
the change they report and delivered later by the sender (`outbox.py`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        WHATSAPP = "whatsapp", "WhatsApp"
        INTERNAL = "internal", _("Internal (petugas)")

    # The application a text is about, if any (complaints and staff notices may have none). A string
    # reference: the outbox sits below the apps that write to it and imports none of them.
    application = models.ForeignKey(
        "cases.Application", on_delete=models.CASCADE, related_name="notifications", null=True
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.SMS)
    phone = models.CharField(max_length=20, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When a sender claimed the row (state "sending"); a claim older than the lease is taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "cases_notification"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="notification_pending", condition=Q(state="pending")),
        ]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")

    def __str__(self) -> str:
        return f"{self.channel} {self.phone or self.user_id} ({self.state})"

    @property
    def idempotency_key(self) -> str:
        """Sent to the provider with every attempt, so a resend after a crash is delivered once."""
        return f"satupintu-notification-{self.pk}"
