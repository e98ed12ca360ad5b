"""Runs of the batch eligibility rules, who was found eligible, and what changed since the last run."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetingRun(models.Model):
    ruleset_version = models.CharField(_("versi aturan"), max_length=40)
    parameters = models.JSONField(_("parameter"), default=dict)
    started_at = models.DateTimeField(_("mulai"), auto_now_add=True)
    seconds = models.FloatField(_("durasi (detik)"), default=0)
    households = models.PositiveIntegerField(_("rumah tangga dinilai"), default=0)
    counts = models.JSONField(_("jumlah per layanan"), default=dict)
    result_hash = models.CharField(_("sidik hasil (SHA-256)"), max_length=64)
    # Which definition `result_hash` follows (`run.HASH_DEFINITIONS`): 1 = SHA-256 over the sorted
    # lines (runs before intervals, hash kept as recorded), 2 = SHA-256 over the header and
    # `line_sum`, the sum of the lines' own SHA-256 digests modulo 2**256 (hex; what the next run
    # adds its differences to).
    hash_version = models.PositiveSmallIntegerField(_("definisi sidik"), default=2)
    line_sum = models.CharField(max_length=64, blank=True, default="")
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    added = models.PositiveIntegerField(_("baru layak"), default=0)
    removed = models.PositiveIntegerField(_("tidak layak lagi"), default=0)
    changed = models.PositiveIntegerField(_("berubah tingkat"), default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("penetapan sasaran")
        verbose_name_plural = _("penetapan sasaran")

    def __str__(self) -> str:
        return f"TGT-{self.pk:05d}" if self.pk else "TGT-baru"

    @property
    def reference(self) -> str:
        return str(self)

    def parameter_lines(self) -> list[tuple[str, str, str, str]]:
        """(name, value, in force since, legal source) of each parameter the run used."""
        lines = []
        for name, recorded in self.parameters.items():
            p = recorded if isinstance(recorded, dict) else {"value": recorded}  # runs before 2026-11-28
            value = ", ".join(map(str, p["value"])) if isinstance(p["value"], list) else str(p["value"])
            lines.append((name, value, p.get("valid_from", ""), p.get("source", "")))
        return lines


class RunLine(models.Model):
    """A line of a run: one service for one household (or one person, for per-person services).

    A first run writes hundreds of thousands of them by INSERT … SELECT: no database-level foreign
    keys or single-column indexes (checking 600,000 deferred constraints at commit took longer than
    the whole evaluation). Deleting a run deletes its changes through Django; a run that eligibility
    intervals start or end at cannot be deleted (PROTECT): later runs' lines depend on it.
    """

    service = models.CharField(_("layanan"), max_length=40)
    household = models.ForeignKey(
        "registry.Household", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class EligibilityQuerySet(models.QuerySet):
    def valid_at(self, run):
        """The lines of run `run` (a run or its id): opened by it or an earlier run, not closed by
        it or an earlier run. Run ids grow in run order (runs are serialised)."""
        run_id = getattr(run, "pk", run)
        return self.filter(models.Q(until_run=None) | models.Q(until_run_id__gt=run_id), from_run_id__lte=run_id)

    def current(self):
        """The lines of the latest run."""
        return self.filter(until_run=None)


class Eligibility(RunLine):
    """One household (or one person, for per-person services) eligible for one service, with the
    same tier, members and reason from run `from_run` until the run `until_run` that no longer
    produced it (NULL: still valid). A run writes only what changed: unchanged lines stay open."""

    from_run = models.ForeignKey(
        TargetingRun,
        verbose_name=_("berlaku sejak penetapan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    until_run = models.ForeignKey(
        TargetingRun,
        verbose_name=_("tidak berlaku sejak penetapan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
    )
    # The stable keys as they were at the run, which the result hash covers (database ids differ
    # between databases; a KK number changes later): the stored hash stays checkable from the rows.
    kk_number = models.CharField(_("nomor KK"), max_length=16, default="")
    person_key = models.CharField(_("NIK (atau nama/tanggal lahir)"), max_length=170, blank=True, default="")
    tier = models.CharField(_("tingkat"), max_length=20, blank=True)
    members = models.PositiveSmallIntegerField(_("anggota tercakup"), default=0)
    reason = models.CharField(_("dasar"), max_length=120)

    objects = EligibilityQuerySet.as_manager()

    class Meta:
        # A household's lines across runs (pages, lookups); the diff reads the open lines whole.
        indexes = [models.Index(fields=["household", "from_run"])]

    def __str__(self) -> str:
        until = self.until_run_id or ""
        return f"{self.from_run_id}–{until} {self.service} {self.household_id}/{self.person_id or '-'}"


class Change(RunLine):
    """A difference from the previous run: newly eligible, no longer eligible, or another tier."""

    class Kind(models.TextChoices):
        ADDED = "added", _("baru layak")
        REMOVED = "removed", _("tidak layak lagi")
        TIER = "tier", _("berubah tingkat")

    run = models.ForeignKey(
        TargetingRun, on_delete=models.CASCADE, related_name="changes", db_constraint=False, db_index=False
    )
    kind = models.CharField(_("perubahan"), max_length=10, choices=Kind.choices)
    old_tier = models.CharField(max_length=20, blank=True)
    new_tier = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["service", "household_id", "id"]
        indexes = [models.Index(fields=["run", "service"])]

    def __str__(self) -> str:
        return f"{self.run_id} {self.service} {self.household_id} {self.kind}"
