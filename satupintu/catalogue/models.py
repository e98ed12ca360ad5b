"""The service catalogue: service types, their requirements and their dated completion standards."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class TakenEffect(PermissionDenied):
    """A dated value whose start date has come has been applied to cases and rules: it is never
    changed or deleted, only superseded by a new row with a later start date. A view that meets
    this answers 403 like any refused permission."""


REFUSAL = _(
    "Nilai yang sudah berlaku tidak dapat diubah atau dihapus; tambahkan baris baru dengan tanggal mulai berikutnya."
)


class DatedQuerySet(models.QuerySet):
    def taken_effect(self):
        return self.filter(valid_from__lte=timezone.localdate())

    def upcoming(self):
        return self.filter(valid_from__gt=timezone.localdate())

    def refuse_taken_effect(self) -> None:
        if self.taken_effect().exists():
            raise TakenEffect(REFUSAL)

    def update(self, **kwargs):
        self.refuse_taken_effect()
        return super().update(**kwargs)

    def delete(self):
        self.refuse_taken_effect()
        return super().delete()


class Superseded:
    """A row valid from a date on (`valid_from`), guarded by DatedQuerySet: what the database holds
    decides, so moving `valid_from` into the future in memory does not unlock a row in force."""

    def has_taken_effect(self) -> bool:
        return self.valid_from <= timezone.localdate()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            type(self).objects.filter(pk=self.pk).refuse_taken_effect()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        type(self).objects.filter(pk=self.pk).refuse_taken_effect()
        return super().delete(*args, **kwargs)


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


class ParameterValue(Superseded, models.Model):
    """A deployment's change to a rule parameter from a date on (see catalogue/rules/parameters.py)."""

    name = models.SlugField(_("parameter"), max_length=60)
    value = models.JSONField(_("nilai"))
    valid_from = models.DateField(_("berlaku sejak"))
    legal_source = models.CharField(_("dasar hukum/sumber"), max_length=250)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-valid_from"]
        verbose_name = _("parameter aturan")
        verbose_name_plural = _("parameter aturan")
        constraints = [models.UniqueConstraint(fields=["name", "valid_from"], name="one_parameter_value_per_date")]

    def __str__(self) -> str:
        return f"{self.name} = {self.value} ({self.valid_from})"
