"""Applications for a service, their document checklist, verification, referral and events."""

import datetime as dt

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.audit.models import AppendOnlyEvent
from satupintu.parameters.models import DatedQuerySet, Superseded

from .status import CLOCK_STATUSES, OPEN_STATUSES, Status


class Channel(models.TextChoices):
    DESA = "desa", _("Kantor desa/kelurahan")
    KECAMATAN = "kecamatan", _("UPT-PK kecamatan")
    DESK = "upt", _("Meja layanan UPT-PK")


class DeadlineState(models.TextChoices):
    ON_TIME = "on_time", _("Sesuai jadwal")
    DUE_SOON = "due_soon", _("Segera jatuh tempo")
    OVERDUE = "overdue", _("Lewat batas waktu")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


def working_days_left(status: str, due_date: dt.date | None, calendar=None, today: dt.date | None = None) -> int | None:
    """Working days from `today` to the due date of an open application (negative: overdue); None
    for a closed one or one without a due date."""
    from satupintu.catalogue.calendar import working_calendar

    if due_date is None or status not in OPEN_STATUSES:
        return None
    return (calendar or working_calendar()).working_days_between(today or timezone.localdate(), due_date)


class Application(models.Model):
    number = models.CharField(_("nomor tanda terima"), max_length=20, unique=True)
    pin_hash = models.CharField(max_length=200)
    service = models.ForeignKey("catalogue.ServiceType", on_delete=models.PROTECT, verbose_name=_("layanan"))
    standard = models.ForeignKey(
        "catalogue.ServiceStandard", on_delete=models.PROTECT, null=True, verbose_name=_("standar waktu")
    )
    applicant = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="applications", verbose_name=_("pemohon")
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="applications", verbose_name=_("rumah tangga")
    )
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa"))
    channel = models.CharField(_("tempat pengajuan"), max_length=12, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    details = models.JSONField(_("keterangan layanan"), default=dict, blank=True)
    received_at = models.DateTimeField(_("diterima"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("petugas penerima")
    )
    # The deadline: computed at receipt from the standard in force, moved on when the clock resumes.
    due_date = models.DateField(_("batas waktu"), null=True, blank=True)
    deadline_state = models.CharField(max_length=10, choices=DeadlineState.choices, default=DeadlineState.ON_TIME)
    paused_since = models.DateField(_("jam dihentikan sejak"), null=True, blank=True)
    fast_path = models.BooleanField(_("jalur cepat"), default=False)
    # The rules' result at decision time, kept as it was cited.
    rules_result = models.JSONField(default=dict, blank=True)
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    override_reason = models.TextField(_("alasan menyimpang dari hasil aturan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # The clock from intake to issue in minutes, set by the step that issues the product (fast path).
    issue_minutes = models.PositiveIntegerField(_("menit sampai terbit"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        indexes = [
            models.Index(
                fields=["due_date"], name="application_open_due", condition=Q(status__in=sorted(OPEN_STATUSES))
            ),
            models.Index(fields=["status", "received_at", "id"], name="application_queue"),
            models.Index(fields=["desa", "status"], name="application_desa_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def clock_running(self) -> bool:
        return self.status in CLOCK_STATUSES and self.paused_since is None

    def working_days_left(self, calendar=None, today: dt.date | None = None) -> int | None:
        return working_days_left(self.status, self.due_date, calendar, today)

    @property
    def is_overdue(self) -> bool:
        return self.deadline_state == DeadlineState.OVERDUE and self.clock_running


class DocumentCheck(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey("catalogue.Requirement", on_delete=models.PROTECT)
    present = models.BooleanField(_("ada"), default=False)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        ordering = ["requirement__order", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "requirement"], name="one_check_per_document")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.requirement_id}"


class ClockPause(models.Model):
    """A period in which the application waited on the applicant; its working days do not count."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=250)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.started_on} – {self.ended_on or '…'}"


class Verification(models.Model):
    class Method(models.TextChoices):
        PHONE = "telepon", _("Telepon")
        FIELD = "lapangan", _("Kunjungan lapangan")

    class Recommendation(models.TextChoices):
        POOR = "miskin", _("Miskin: layak dibantu")
        NOT_POOR = "tidak_miskin", _("Tidak miskin")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="verifications")
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verifications", verbose_name=_("verifikator")
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("batas waktu verifikasi"))
    method = models.CharField(_("cara"), max_length=10, choices=Method.choices, blank=True)
    visit_date = models.DateField(_("tanggal kunjungan"), null=True, blank=True)
    bps14_answers = models.JSONField(_("daftar periksa BPS"), default=dict, blank=True)
    findings = models.TextField(_("temuan"), blank=True)
    recommendation = models.CharField(_("rekomendasi"), max_length=15, choices=Recommendation.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    overdue_marked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-assigned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.verifier_id}"


def photo_path(instance, filename: str) -> str:
    return f"verifikasi/{instance.verification.application_id}/{filename}"


class VerificationPhoto(models.Model):
    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("foto"), upload_to=photo_path, validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])]
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.image.name


class Referral(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("Terkirim")
        ACKNOWLEDGED = "acknowledged", _("Diterima instansi")
        DONE = "done", _("Ditindaklanjuti")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="referrals")
    # The letter addressed to `agency` that the referral carries (none for a service without a letter).
    document = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("surat rujukan"),
    )
    state = models.CharField(max_length=15, choices=State.choices, default=State.SENT)
    note = models.TextField(_("catatan rujukan"), blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("hasil tindak lanjut"), blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    # The response standard in force when referred, and the day the outcome is due (working days).
    standard = models.ForeignKey("ReferralStandard", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_date = models.DateField(_("batas tanggapan"), null=True, blank=True)
    deadline_state = models.CharField(max_length=10, choices=DeadlineState.choices, default=DeadlineState.ON_TIME)

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["agency", "state", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.agency_id}"


class EventType(models.IntegerChoices):
    SUBMITTED = 100, _("Diajukan")
    ACKNOWLEDGED = 110, _("Diterima UPT-PK")
    WITHDRAWN = 190, _("Dicabut pemohon")
    CANCELLED = 191, _("Dibatalkan petugas")
    FAST_PATH = 200, _("Jalur cepat: sudah miskin di basis data")
    VERIFICATION_ASSIGNED = 210, _("Verifikasi ditugaskan")
    VERIFICATION_DONE = 220, _("Hasil verifikasi dicatat")
    KASI_APPROVED = 230, _("Disetujui kasi")
    KEPALA_APPROVED = 240, _("Disetujui kepala")
    SENT_BACK = 250, _("Dikembalikan ke verifikator")
    APPROVED = 300, _("Permohonan disetujui")
    REJECTED = 310, _("Permohonan ditolak")
    ISSUED = 320, _("Produk diterbitkan")
    REFERRED = 330, _("Dirujuk ke instansi mitra")
    REFERRAL_ACKNOWLEDGED = 340, _("Rujukan diterima instansi")
    REFERRAL_DONE = 350, _("Rujukan ditindaklanjuti")
    COMPLETED = 360, _("Selesai")
    DOCUMENTS_COMPLETE = 400, _("Berkas lengkap")
    DOCUMENTS_RETURNED = 410, _("Berkas dikembalikan (jam berhenti)")
    DOCUMENTS_RESUBMITTED = 420, _("Berkas dilengkapi (jam berjalan lagi)")
    QUEUE_EXCEPTION = 500, _("Didahulukan dari antrean")
    DUE_SOON = 901, _("Segera jatuh tempo")
    OVERDUE = 902, _("Lewat batas waktu")
    VERIFICATION_OVERDUE = 903, _("Verifikasi lewat batas waktu")
    REFERRAL_DUE_SOON = 904, _("Rujukan segera jatuh tempo")
    REFERRAL_OVERDUE = 905, _("Rujukan lewat batas tanggapan")


class Event(AppendOnlyEvent):
    """Append-only history of an application (actor null = the system)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    type = models.PositiveSmallIntegerField(choices=EventType.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)

    class Meta(AppendOnlyEvent.Meta):
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.type} {self.at:%Y-%m-%d %H:%M}"


class QueueException(models.Model):
    """A case handled ahead of older waiting ones in the same queue, with the officer's reason."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="queue_exceptions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="queue_exceptions")
    queue = models.CharField(max_length=30)
    skipped = models.PositiveIntegerField()
    reason = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id} ({self.queue}, {self.skipped})"


class IdempotencyKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=100)
    application = models.ForeignKey(Application, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_application_per_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class ReferralStandard(Superseded, models.Model):
    """How many working days a partner agency has to report back on a referral of a service, from a
    date on; a referral keeps the standard in force on the day it was sent."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="referral_standards")
    service = models.ForeignKey("catalogue.ServiceType", on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(_("hari kerja"))
    valid_from = models.DateField(_("berlaku sejak"))
    legal_source = models.CharField(_("dasar hukum/sumber"), max_length=250)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "service", "-valid_from"]
        verbose_name = _("standar tanggapan rujukan")
        verbose_name_plural = _("standar tanggapan rujukan")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "service", "valid_from"], name="one_referral_standard_per_agency_service_date"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="referral_standard_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.service_id} {self.valid_from}: {self.days}"


class VerifierAppointment(models.Model):
    """An officer appointed by the kasi or kepala to verify one case or the cases of a set of desa
    for a period (“petugas lain yang ditunjuk”)."""

    appointee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="verifier_appointments",
        verbose_name=_("petugas yang ditunjuk"),
    )
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("permohonan"),
    )
    desa = models.ManyToManyField("regions.Region", blank=True, related_name="+", verbose_name=_("desa"))
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"))
    reason = models.TextField(_("alasan penunjukan"))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("penunjukan verifikator")
        verbose_name_plural = _("penunjukan verifikator")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="appointment_period"),
        ]

    def __str__(self) -> str:
        return f"{self.appointee_id} ({self.valid_from} – {self.valid_until})"

    def in_force(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.revoked_at is None and self.valid_from <= on <= self.valid_until


class OfficerPerson(models.Model):
    """An officer's own record in the registry (found by NIK), for the recusal checks: same KK, same
    address. Set by the admin; the NIK itself stays in the registry."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registry_link")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("NIK"))
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("data kependudukan petugas")
        verbose_name_plural = _("data kependudukan petugas")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person.masked_nik}"


class CaseRecusal(models.Model):
    """An officer stepping aside from a case: declared by the officer, or detected by the system."""

    class Kind(models.TextChoices):
        DECLARED = "declared", _("Dinyatakan petugas")
        SAME_KK = "same_kk", _("Terdeteksi: satu KK")
        SAME_ADDRESS = "same_address", _("Terdeteksi: alamat sama")
        SURNAME = "surname", _("Ditandai: nama keluarga sama")

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Dikonfirmasi: ada hubungan")
        CLEARED = "cleared", _("Tidak ada hubungan")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recusals")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_recusals")
    kind = models.CharField(_("jenis"), max_length=15, choices=Kind.choices)
    relation = models.CharField(_("hubungan"), max_length=250)
    declared_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(_("hasil telaah"), max_length=10, choices=Outcome.choices, blank=True)
    review_reason = models.TextField(_("alasan telaah"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(_("alasan pengecualian"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["declared_at", "id"]
        verbose_name = _("pengunduran diri petugas")
        verbose_name_plural = _("pengunduran diri petugas")
        constraints = [
            models.UniqueConstraint(fields=["application", "officer", "kind"], name="one_recusal_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.officer_id} ({self.kind})"

    @property
    def blocks(self) -> bool:
        """A declared or detected relation keeps the officer off the case; a shared surname only once
        confirmed; a kepala's override lifts either."""
        if self.overridden_at is not None:
            return False
        return self.kind != self.Kind.SURNAME or self.outcome == self.Outcome.CONFIRMED

    @property
    def awaiting_review(self) -> bool:
        return self.kind == self.Kind.SURNAME and not self.outcome and self.overridden_at is None
