"""The immediate services: the free ambulance (vehicles, drivers, shifts, calls and their events)
and the Klinik Saraswati visits.

A call is served at once: eligibility is read when it is taken (a valid Kartu Saraswati, else the
household's poverty status in the registry, else unknown and verified afterwards), never approved.
Its steps are `actions.MACHINE`; every step appends a `CallEvent` (hash-chained, append-only).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.audit.models import AppendOnlyEvent
from satupintu.documents.models import Tier


class Vehicle(models.Model):
    plate = models.CharField(_("nomor polisi"), max_length=15, unique=True)
    name = models.CharField(_("nama"), max_length=80)
    base = models.CharField(_("pangkalan"), max_length=120)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kendaraan ambulans")
        verbose_name_plural = _("kendaraan ambulans")

    def __str__(self) -> str:
        return f"{self.name} ({self.plate})"


class Driver(models.Model):
    name = models.CharField(_("nama"), max_length=120)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pengemudi")
        verbose_name_plural = _("pengemudi")

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """A vehicle with its driver on duty from `starts_at` to `ends_at`."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("kendaraan"))
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("pengemudi"))
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))

    class Meta:
        ordering = ["-starts_at", "vehicle"]
        verbose_name = _("jadwal jaga")
        verbose_name_plural = _("jadwal jaga")
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.vehicle} · {self.driver} {self.starts_at:%d/%m %H:%M}–{self.ends_at:%d/%m %H:%M}"


class FacilityKind(models.TextChoices):
    HOSPITAL = "rsud", _("Rumah sakit")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    CLINIC = "klinik", _("Klinik")


class Facility(models.Model):
    """A destination of the ambulance. A hospital that is a partner agency links to it."""

    name = models.CharField(_("nama"), max_length=150, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=FacilityKind.choices)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("instansi mitra")
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("fasilitas tujuan")
        verbose_name_plural = _("fasilitas tujuan")

    def __str__(self) -> str:
        return self.name


class Urgency(models.TextChoices):
    EMERGENCY = "gawat", _("Gawat darurat")
    URGENT = "mendesak", _("Mendesak")
    ORDINARY = "biasa", _("Tidak mendesak (antar/jemput pasien)")


class Eligibility(models.TextChoices):
    CARD_VALID = "kartu", _("Kartu Saraswati berlaku")
    REGISTRY_POOR = "miskin", _("Miskin menurut basis data")
    UNKNOWN = "belum_diketahui", _("Belum diketahui — diverifikasi kemudian")


class CallState(models.TextChoices):
    CALLED = "called", _("Panggilan diterima")
    DISPATCHED = "dispatched", _("Ambulans berangkat")
    AT_PICKUP = "at_pickup", _("Tiba di lokasi pasien")
    AT_FACILITY = "at_facility", _("Tiba di fasilitas tujuan")
    BACK = "back", _("Kembali ke pangkalan")
    CANCELLED = "cancelled", _("Dibatalkan")


ACTIVE_STATES = (CallState.CALLED, CallState.DISPATCHED, CallState.AT_PICKUP, CallState.AT_FACILITY)
# A vehicle is busy from dispatch until it is back at its base.
BUSY_STATES = (CallState.DISPATCHED, CallState.AT_PICKUP, CallState.AT_FACILITY)


class VerificationOutcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Berhak (miskin / pemegang kartu)")
    NOT_ELIGIBLE = "not_eligible", _("Tidak berhak")
    NOT_FOUND = "not_found", _("Tidak dapat diverifikasi")


class AmbulanceCall(models.Model):
    number = models.CharField(_("nomor panggilan"), max_length=20, unique=True)
    # The one-time key of the form that took it: a resent form answers with this call.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    received_at = models.DateTimeField(_("panggilan diterima"), default=timezone.now, db_index=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diterima oleh")
    )
    caller_name = models.CharField(_("nama penelepon"), max_length=120)
    caller_phone = models.CharField(_("nomor telepon penelepon"), max_length=20)
    caller_relation = models.CharField(_("hubungan dengan pasien"), max_length=60, blank=True)
    patient = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pasien")
    )
    patient_name = models.CharField(_("nama pasien"), max_length=150)
    patient_nik_masked = models.CharField(_("NIK pasien (tersamar)"), max_length=16, blank=True)
    pickup_desa = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan penjemputan")
    )
    pickup_rt = models.CharField(_("RT"), max_length=3, blank=True)
    pickup_rw = models.CharField(_("RW"), max_length=3, blank=True)
    landmark = models.CharField(_("patokan lokasi"), max_length=250, blank=True)
    destination = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("tujuan"))
    urgency = models.CharField(_("tingkat kegawatan"), max_length=10, choices=Urgency.choices)
    eligibility = models.CharField(_("kelayakan"), max_length=16, choices=Eligibility.choices)
    eligibility_evidence = models.CharField(_("dasar kelayakan"), max_length=250)
    card = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kartu"),
    )
    # The standard in force on the day of the call, from the catalogue (minutes to reach the patient).
    standard_minutes = models.PositiveIntegerField(_("standar waktu tanggap (menit)"), null=True, blank=True)
    state = models.CharField(_("status"), max_length=12, choices=CallState.choices, default=CallState.CALLED)
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="calls", verbose_name=_("kendaraan")
    )
    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pengemudi")
    )
    dispatched_at = models.DateTimeField(_("berangkat"), null=True, blank=True)
    at_pickup_at = models.DateTimeField(_("tiba di lokasi"), null=True, blank=True)
    at_facility_at = models.DateTimeField(_("tiba di tujuan"), null=True, blank=True)
    back_at = models.DateTimeField(_("kembali"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=250, blank=True)
    # Unknown eligibility: the patient is carried, and a verification follows.
    verify_after = models.BooleanField(_("perlu verifikasi susulan"), default=False)
    verification_outcome = models.CharField(
        _("hasil verifikasi"), max_length=14, choices=VerificationOutcome.choices, blank=True
    )
    verification_note = models.CharField(_("catatan verifikasi"), max_length=250, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("panggilan ambulans")
        verbose_name_plural = _("panggilan ambulans")
        indexes = [
            models.Index(fields=["state", "received_at"]),
            models.Index(fields=["received_at"], name="call_pending_verification", condition=Q(verify_after=True)),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def response_minutes(self) -> float | None:
        if self.at_pickup_at is None:
            return None
        return (self.at_pickup_at - self.received_at).total_seconds() / 60

    @property
    def within_standard(self) -> bool | None:
        minutes = self.response_minutes
        if minutes is None or not self.standard_minutes:
            return None
        return minutes <= self.standard_minutes

    @property
    def verification_pending(self) -> bool:
        return self.verify_after and not self.verification_outcome


class CallEvent(AppendOnlyEvent):
    """Append-only history of a call: each step with its time and actor."""

    call = models.ForeignKey(AmbulanceCall, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, blank=True, choices=CallState.choices)
    to_state = models.CharField(max_length=12, blank=True, choices=CallState.choices)

    class Meta(AppendOnlyEvent.Meta):
        indexes = [models.Index(fields=["call", "at"])]

    def __str__(self) -> str:
        return f"{self.call_id} {self.from_state}→{self.to_state} {self.at:%Y-%m-%d %H:%M}"


class CheckResult(models.TextChoices):
    VALID = "valid", _("Berlaku")
    EXPIRED = "expired", _("Kedaluwarsa")
    REVOKED = "revoked", _("Dicabut")
    NOT_FOUND = "not_found", _("Tidak ditemukan")


class ClinicService(models.TextChoices):
    EXAMINATION = "pemeriksaan", _("Pemeriksaan umum")
    TREATMENT = "pengobatan", _("Pengobatan")
    CHRONIC = "kronis", _("Kontrol penyakit kronis")
    MOTHER_CHILD = "kia", _("Kesehatan ibu dan anak")
    DENTAL = "gigi", _("Kesehatan gigi")
    OTHER = "lainnya", _("Lainnya")


class ClinicVisit(models.Model):
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    visited_at = models.DateTimeField(_("waktu kunjungan"), default=timezone.now, db_index=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("pasien"))
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa"))
    card = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kartu"),
    )
    tier = models.CharField(_("kategori"), max_length=10, choices=Tier.choices, blank=True)
    check_result = models.CharField(_("hasil pemeriksaan kartu"), max_length=10, choices=CheckResult.choices)
    check_reason = models.CharField(_("keterangan pemeriksaan"), max_length=250)
    service = models.CharField(_("layanan diberikan"), max_length=12, choices=ClinicService.choices)
    service_note = models.CharField(_("catatan layanan"), max_length=250, blank=True)
    referred = models.BooleanField(_("dirujuk"), default=False)
    referral_letter = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("surat rujukan"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("petugas")
    )

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = _("kunjungan Klinik Saraswati")
        verbose_name_plural = _("kunjungan Klinik Saraswati")

    def __str__(self) -> str:
        return f"{self.person_id} {self.visited_at:%Y-%m-%d %H:%M}"
