"""Complaints (pengaduan), questions and suggestions, their deadlines and their append-only events.

An anonymous complaint stores nothing about its reporter: no name, no phone, no desa, no linked
application and no client address. Only the number and the PIN (hashed) lead back to it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.audit.models import AppendOnlyEvent


class FeedbackType(models.TextChoices):
    PERTANYAAN = "pertanyaan", _("Pertanyaan")
    SARAN = "saran", _("Saran")
    PENGADUAN = "pengaduan", _("Pengaduan")


class Category(models.TextChoices):
    """Maladministration as Peraturan Ombudsman 26/2017 names it."""

    PENUNDAAN = "penundaan_berlarut", _("Penundaan berlarut")
    TIDAK_MEMBERIKAN = "tidak_memberikan_pelayanan", _("Tidak memberikan pelayanan")
    TIDAK_KOMPETEN = "tidak_kompeten", _("Tidak kompeten")
    PENYALAHGUNAAN = "penyalahgunaan_wewenang", _("Penyalahgunaan wewenang")
    PENYIMPANGAN = "penyimpangan_prosedur", _("Penyimpangan prosedur")
    IMBALAN = "permintaan_imbalan", _("Permintaan imbalan (uang, barang, jasa)")
    TIDAK_PATUT = "tidak_patut", _("Tidak patut")
    BERPIHAK = "berpihak", _("Berpihak")
    DISKRIMINASI = "diskriminasi", _("Diskriminasi")
    KONFLIK = "konflik_kepentingan", _("Konflik kepentingan")
    LAINNYA = "lainnya", _("Lainnya / bukan maladministrasi")


# Reports of bribe requests and discrimination form the sensitive tier (integrity group only).
SENSITIVE_CATEGORIES = frozenset({Category.IMBALAN, Category.DISKRIMINASI})


class Channel(models.TextChoices):
    WEB = "web", _("Situs publik")
    DESK = "loket", _("Loket / meja layanan")
    PHONE = "telepon", _("Telepon")
    SMS = "sms", _("SMS / WhatsApp")


class Track(models.TextChoices):
    """Resolution track: its working-day limit comes from settings.SATUPINTU_COMPLAINT_DAYS."""

    SIMPLE = "simple", _("Informasi / pengaduan sederhana")
    STANDARD = "standard", _("Tanpa pemeriksaan lapangan")
    FIELD = "field", _("Dengan pemeriksaan lapangan")


class Status(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    ASSIGNED = "assigned", _("Ditugaskan")
    RESPONDED = "responded", _("Sudah ditanggapi")
    RESOLVED = "resolved", _("Selesai ditindaklanjuti")
    CLOSED = "closed", _("Ditutup")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ASSIGNED, Status.RESPONDED})


class Complaint(models.Model):
    number = models.CharField(_("nomor pengaduan"), max_length=20, unique=True)
    pin_hash = models.CharField(max_length=200)
    # The one-time key of the form that sent it: a resent form answers with this complaint.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    feedback_type = models.CharField(_("jenis"), max_length=12, choices=FeedbackType.choices)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices, default=Category.LAINNYA)
    sensitive = models.BooleanField(_("tingkat sensitif"), default=False, db_index=True)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    anonymous = models.BooleanField(_("anonim"), default=False)
    reporter_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("nomor HP pelapor"), max_length=20, blank=True)
    description = models.TextField(_("uraian"))
    kecamatan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kecamatan")
    )
    desa = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("desa")
    )
    application = models.ForeignKey(
        "cases.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("permohonan terkait"),
    )
    about_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
        verbose_name=_("petugas yang diadukan"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    track = models.CharField(_("jalur penyelesaian"), max_length=10, choices=Track.choices, default=Track.STANDARD)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_assigned",
        verbose_name=_("petugas penanganan"),
    )
    received_at = models.DateTimeField(_("diterima"), default=timezone.now, db_index=True)
    response_due = models.DateField(_("batas tanggapan pertama"))
    resolution_due = models.DateField(_("batas penyelesaian"))
    responded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    public_response = models.TextField(_("tanggapan untuk pelapor"), blank=True)
    resolution = models.TextField(_("hasil tindak lanjut"), blank=True)
    # 0 = none; 1 = first response overdue; 2 = resolution overdue (escalated to the kepala).
    escalation = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        indexes = [
            models.Index(
                fields=["resolution_due"],
                name="complaint_open_due",
                condition=Q(status__in=sorted(OPEN_STATUSES)),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | Q(reporter_name="", reporter_phone="", desa__isnull=True, application__isnull=True),
                name="anonymous_complaint_has_no_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventType(models.IntegerChoices):
    RECEIVED = 501, _("Pengaduan diterima")
    ASSIGNED = 510, _("Ditugaskan")
    RESPONDED = 520, _("Tanggapan pertama")
    RESOLVED = 530, _("Selesai ditindaklanjuti")
    CLOSED = 540, _("Ditutup")
    RESPONSE_OVERDUE = 580, _("Tanggapan pertama lewat batas (eskalasi)")
    RESOLUTION_OVERDUE = 590, _("Penyelesaian lewat batas (eskalasi ke kepala)")


class ComplaintEvent(AppendOnlyEvent):
    """Append-only history of a complaint (actor null = the system or the public reporter)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    type = models.PositiveSmallIntegerField(choices=EventType.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)

    class Meta(AppendOnlyEvent.Meta):
        indexes = [models.Index(fields=["complaint", "at"])]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.type} {self.at:%Y-%m-%d %H:%M}"
