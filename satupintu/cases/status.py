"""Application statuses (codes are stable keys; labels Indonesian)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan desa, menunggu kecamatan")
    RECEIVED = "received", _("Diterima, pemeriksaan berkas")
    RETURNED = "returned", _("Berkas dikembalikan ke pemohon")
    DATA_CHECK = "data_check", _("Pemeriksaan basis data kemiskinan")
    VERIFICATION = "verification", _("Verifikasi telepon/lapangan")
    KASI_APPROVAL = "kasi_approval", _("Menunggu persetujuan kasi")
    KEPALA_APPROVAL = "kepala_approval", _("Menunggu persetujuan kepala")
    DECISION = "decision", _("Menunggu keputusan")
    APPROVED = "approved", _("Disetujui")
    ISSUED = "issued", _("Diterbitkan")
    REFERRED = "referred", _("Dirujuk ke instansi mitra")
    COMPLETED = "completed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dicabut pemohon")
    CANCELLED = "cancelled", _("Dibatalkan")


CLOSED_STATUSES = frozenset({Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN, Status.CANCELLED})
OPEN_STATUSES = frozenset(Status) - CLOSED_STATUSES
# The service standard's clock runs from receipt until the product is issued (or the case closes);
# while the documents are back with the applicant it is paused.
CLOCK_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.DATA_CHECK,
        Status.VERIFICATION,
        Status.KASI_APPROVAL,
        Status.KEPALA_APPROVAL,
        Status.DECISION,
        Status.APPROVED,
    }
)
