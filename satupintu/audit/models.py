from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import chain


class Action(models.TextChoices):
    CREATE = "create", _("buat")
    UPDATE = "update", _("ubah")
    DELETE = "delete", _("hapus")
    VIEW = "view", _("lihat")


class ChainHead(models.Model):
    """The last position and hash of one hash-chained table (see chain.py)."""

    stream = models.CharField(max_length=63, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=chain.GENESIS)

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq}"


class Chained(models.Model):
    """A row of a hash chain: written once at the next position of its table's chain, never saved
    again nor deleted."""

    seq = models.BigIntegerField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # NULL: not chained yet
    row_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Rows of an append-only table are never saved again.")
        chain.append(self, lambda: super(Chained, self).save(*args, **kwargs))

    @staticmethod
    def save_together(*rows: "Chained") -> None:
        """Insert new rows of several chains, each at the next position of its own (in the order
        given: take the chains in the same order everywhere)."""
        chain.append_together([(row, lambda row=row: super(Chained, row).save(force_insert=True)) for row in rows])  # noqa: UP008

    def delete(self, *args, **kwargs):
        raise ValueError("Rows of an append-only table are never deleted.")

    @classmethod
    def after_bulk_insert(cls) -> None:
        chain.seal(cls)


class AuditLog(Chained):
    """Append-only record of who created, changed or read whose personal data (UU PDP)."""

    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("pelaku")
    )
    action = models.CharField(_("tindakan"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("jenis objek"), max_length=40)
    object_id = models.CharField(_("ID objek"), max_length=40)
    household_id = models.BigIntegerField(_("ID rumah tangga"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [models.UniqueConstraint(fields=["seq"], name="audit_auditlog_seq")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}#{self.object_id}"


class AppendOnlyEvent(Chained):
    """Common shape of an append-only history row (actor null = the system)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    reason = models.TextField(blank=True)
    extra = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["seq"], name="%(app_label)s_%(class)s_seq")]
