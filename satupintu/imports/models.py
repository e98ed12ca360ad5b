"""Import batches, their staged rows and row errors, and duplicate pairs awaiting review."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.audit.models import AppendOnlyEvent
from satupintu.registry import choices as c


class State(models.TextChoices):
    UPLOADED = "uploaded", _("Diunggah")
    VALIDATING = "validating", _("Sedang diperiksa")
    VALIDATED = "validated", _("Selesai diperiksa")
    IMPORTING = "importing", _("Sedang diimpor")
    IMPORTED = "imported", _("Selesai diimpor")
    REJECTED = "rejected", _("Ditolak")
    FAILED = "failed", _("Gagal")


ACTIVE_STATES = (State.VALIDATING, State.IMPORTING)
FINAL_STATES = (State.IMPORTED, State.REJECTED, State.FAILED)


class ImportBatch(models.Model):
    """One uploaded file and what happened to it; counters say how many rows went where."""

    file = models.FileField(_("berkas"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    sha256 = models.CharField(_("sidik berkas (SHA-256)"), max_length=64, db_index=True)
    size = models.BigIntegerField(_("ukuran (bita)"), default=0)
    source = models.CharField(_("sumber data"), max_length=40, default="desa")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The uploader's area when uploaded (null: unit-wide); rows outside it are row errors.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.UPLOADED)
    reason = models.CharField(_("keterangan"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    invalid_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)
    held_rows = models.PositiveIntegerField(default=0)
    households_created = models.PositiveIntegerField(default=0)
    households_updated = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    people_updated = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    imported_groups = models.PositiveIntegerField(default=0)  # KK groups 1..n are in the registry
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Touched by the worker while it runs; a batch active but untouched for long is reclaimed.
    heartbeat = models.DateTimeField(null=True, blank=True)
    # When the file and the row copies were deleted after the retention period (`retention.py`).
    forgotten_at = models.DateTimeField(_("berkas dihapus pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("batch impor")
        verbose_name_plural = _("batch impor")
        indexes = [models.Index(fields=["state", "heartbeat"])]

    def __str__(self) -> str:
        return f"IMP-{self.pk:05d}" if self.pk else "IMP-baru"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class ImportEvent(AppendOnlyEvent):
    """Every state change of a batch, appended (never edited)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.from_state} → {self.to_state}"


# The staging table's columns that the import's statements filter and join on: ANALYZE only these
# (all 32 columns take seconds, mostly sorting text that no plan looks at).
STAGED_STATISTICS = "batch_id, status, kk_group, first_of_kk, nik, kk_number, household_id, person_id, relationship"


class RowStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Tidak valid")
    DUPLICATE = "duplicate", _("Duplikat")
    HELD = "held", _("Ditahan (baris lain pada KK yang sama bermasalah)")


class StagedRow(models.Model):
    """A validated, normalised row of a batch; the import reads these set-based."""

    # No index of its own: the composite index below starts with the batch. With one, PostgreSQL
    # read a chunk's rows through it, the whole batch each time, filtering the KK-group range.
    # No database constraint either: a million staged rows each checked against the batch at
    # commit cost 12 s of a 43 s COPY (measured). Only the pipeline writes these rows, for the
    # batch it validates; deleting a batch still deletes them (Django's cascade, one DELETE).
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    row_number = models.PositiveIntegerField()
    kk_group = models.PositiveIntegerField()
    first_of_kk = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=RowStatus.choices, default=RowStatus.VALID)
    kk_number = models.CharField(max_length=16)
    desa_id = models.CharField(max_length=13, blank=True)
    address = models.CharField(max_length=250, blank=True)
    rt = models.CharField(max_length=3, blank=True)
    rw = models.CharField(max_length=3, blank=True)
    floor_area_m2 = models.PositiveIntegerField(null=True)
    floor_type = models.CharField(max_length=20, blank=True)
    wall_type = models.CharField(max_length=25, blank=True)
    toilet = models.CharField(max_length=12, blank=True)
    electricity = models.CharField(max_length=12, blank=True)
    water_source = models.CharField(max_length=20, blank=True)
    cooking_fuel = models.CharField(max_length=12, blank=True)
    ownership = models.CharField(max_length=15, blank=True)
    desil = models.PositiveSmallIntegerField(null=True)
    nik = models.CharField(max_length=16, null=True)
    name = models.CharField(max_length=150, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    birth_place = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField(null=True)
    relationship = models.CharField(max_length=12, blank=True)
    marital_status = models.CharField(max_length=12, blank=True)
    education = models.CharField(max_length=15, blank=True)
    occupation = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=12, default=c.Disability.NONE)
    school_status = models.CharField(max_length=20, default=c.SchoolStatus.NOT_APPLICABLE)
    health_insurance = models.CharField(max_length=15, default=c.HealthInsurance.NONE)
    phone = models.CharField(max_length=15, blank=True)
    household_id = models.BigIntegerField(null=True)
    person_id = models.BigIntegerField(null=True)

    class Meta:
        # The loader reads a batch by KK-group ranges. Indexes on (batch, NIK) and (batch, KK
        # number) were next to unused (pg_stat_user_indexes after a full bench: 0 scans, and 3
        # probes finding 0 rows) and cost 18 s of random index writes per million staged rows.
        indexes = [models.Index(fields=["batch", "kk_group"])]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.row_number}"


class RowError(models.Model):
    """One problem in one cell (or row) of a batch, for the downloadable error report."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="errors")
    row_number = models.PositiveIntegerField()
    column = models.CharField(max_length=40, blank=True)
    value = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["row_number", "id"]
        indexes = [models.Index(fields=["batch", "row_number"])]

    def __str__(self) -> str:
        return f"{self.row_number} {self.column}: {self.message}"


class Level(models.TextChoices):
    CERTAIN = "certain", _("Pasti")
    POSSIBLE = "possible", _("Mungkin")


class PairStatus(models.TextChoices):
    OPEN = "open", _("Menunggu tinjauan")
    MERGED = "merged", _("Digabung")
    DISMISSED = "dismissed", _("Bukan duplikat")


class DuplicatePair(models.Model):
    """Two registry people that may be the same person; an officer merges or dismisses the pair."""

    person_a = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    # Both desa kept on the pair: an officer sees a pair only when both people are in their area.
    desa_a = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    desa_b = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=Level.choices)
    reasons = models.JSONField(default=list)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("pasangan duplikat")
        verbose_name_plural = _("pasangan duplikat")
        constraints = [models.UniqueConstraint(fields=["person_a", "person_b"], name="one_pair_per_people")]
        indexes = [models.Index(fields=["status", "-score"])]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score})"

    @property
    def people(self):
        return (self.person_a, self.person_b)


class PendingPair(models.Model):
    """A possible duplicate found while validating, turned into a DuplicatePair once imported."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+")
    row = models.BigIntegerField()  # StagedRow id
    other_row = models.BigIntegerField(null=True)  # StagedRow id, or
    other_person = models.BigIntegerField(null=True)  # registry Person id
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.row} ~ {self.other_row or self.other_person} ({self.score})"
