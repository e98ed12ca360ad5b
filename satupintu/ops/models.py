"""A long job a user asked for (a card batch, an equity export, a targeting run): queued, run by the
task cluster, its progress and outcome on one row, its file kept privately under MEDIA_ROOT until
the `forget-job-files` schedule deletes it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Kind(models.TextChoices):
        CARD_BATCH = "cetak_kartu", _("Cetak kartu per desa")
        EQUITY_EXPORT = "laporan_keadilan", _("Ekspor laporan keadilan")
        TARGETING = "penetapan_sasaran", _("Penetapan sasaran")

    class State(models.TextChoices):
        QUEUED = "antre", _("Dalam antrean")
        RUNNING = "berjalan", _("Berjalan")
        DONE = "selesai", _("Selesai")
        FAILED = "gagal", _("Gagal")

    kind = models.CharField(_("jenis"), max_length=24, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diminta oleh")
    )
    parameters = models.JSONField(_("parameter"), default=dict, blank=True)
    # Besides the requester, holders of `permission` whose area covers `area` (a region code; blank:
    # any holder) may open the job and its file.
    permission = models.CharField(max_length=40, blank=True)
    area = models.CharField(max_length=20, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("selesai"), default=0)
    total = models.PositiveIntegerField(_("jumlah"), default=0)
    message = models.TextField(_("pesan"), blank=True)
    result = models.FileField(_("berkas hasil"), upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(_("nama berkas"), max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    work = models.CharField(_("fungsi"), max_length=120)  # dotted path of the function doing the job
    # Touched by each progress step: a running job whose heartbeat is older than JOB_STALE_SECONDS
    # has lost its worker (`resume-jobs`).
    heartbeat = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="ops_job_kind_created")]
        verbose_name = _("tugas pengguna")
        verbose_name_plural = _("tugas pengguna")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(100, 100 * self.done // self.total) if self.total else 0

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
