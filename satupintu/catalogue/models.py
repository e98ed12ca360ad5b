"""The service catalogue: service types, their requirements and their dated completion standards."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.parameters.models import DatedQuerySet, Superseded


class Domain(models.TextChoices):
    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    SOSIAL_EKONOMI = "sosial_ekonomi", _("Sosial ekonomi")
    PENGADUAN = "pengaduan", _("Pengaduan")


class SlaKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("Hari kerja")
    FISCAL_YEAR = "fiscal_year", _("Satu tahun anggaran")
    NONE = "none", _("Tentatif (tanpa batas waktu)")
    IMMEDIATE = "immediate", _("Segera")


class ServiceType(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama layanan"), max_length=150)
    domain = models.CharField(_("bidang"), max_length=20, choices=Domain.choices)
    product = models.CharField(_("produk"), max_length=200, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("instansi rujukan")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")

    def __str__(self) -> str:
        return self.name

    def standard_on(self, day: dt.date) -> "ServiceStandard | None":
        """The completion standard in force on `day` (the latest one that started on or before it)."""
        standards = [s for s in self.standards.all() if s.valid_from <= day]
        return max(standards, key=lambda s: s.valid_from, default=None)


class Requirement(models.Model):
    service = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="requirements")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("dokumen"), max_length=200)
    is_required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["service", "order", "id"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="unique_requirement_per_service")]

    def __str__(self) -> str:
        return self.name


class ServiceStandard(Superseded, models.Model):
    """A completion standard from a date on; applications received earlier keep the old one."""

    # PROTECT: deleting a service must not take its standards in force with it.
    service = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="standards")
    kind = models.CharField(_("jenis batas waktu"), max_length=20, choices=SlaKind.choices)
    days = models.PositiveSmallIntegerField(_("hari kerja"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("waktu tanggap (menit)"), null=True, blank=True)
    valid_from = models.DateField(_("berlaku sejak"))
    legal_source = models.CharField(_("dasar hukum/sumber"), max_length=250)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["service", "-valid_from"]
        verbose_name = _("standar waktu")
        verbose_name_plural = _("standar waktu")
        constraints = [
            models.UniqueConstraint(fields=["service", "valid_from"], name="one_standard_per_service_and_date"),
            models.CheckConstraint(
                condition=~models.Q(kind="working_days") | models.Q(days__gte=1), name="working_days_need_days"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} {self.valid_from}: {self.label}"

    @property
    def label(self) -> str:
        if self.kind == SlaKind.WORKING_DAYS:
            return _("%(n)s hari kerja") % {"n": self.days}
        if self.kind == SlaKind.IMMEDIATE and self.minutes:
            return _("segera (%(n)s menit)") % {"n": self.minutes}
        return str(self.get_kind_display())


class LocalHoliday(models.Model):
    """A local non-working day (e.g. the regency's anniversary leave) on top of national holidays."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=150)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur daerah")
        verbose_name_plural = _("hari libur daerah")

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"
