from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.regions.models import Level


class Role(models.TextChoices):
    OPERATOR_DESA = "operator_desa", _("Operator desa/kelurahan")
    OPERATOR_KECAMATAN = "operator_kecamatan", _("Operator kecamatan")
    PETUGAS_LAYANAN = "petugas_layanan", _("Petugas layanan")
    VERIFIKATOR = "verifikator", _("Verifikator")
    KASI = "kasi", _("Kepala seksi (kasi)")
    KEPALA = "kepala", _("Kepala UPT-PK")
    MITRA = "mitra", _("Mitra (instansi rujukan)")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Admin")


# Roles bound to one area; the area's level must match.
AREA_ROLES = {Role.OPERATOR_DESA: Level.DESA, Role.OPERATOR_KECAMATAN: Level.KECAMATAN}


class Agency(models.Model):
    """A partner agency (mitra) receiving referrals: RSUD, Dinas Pendidikan, Dinsos…"""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    address = models.CharField(_("alamat"), max_length=250, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi mitra")
        verbose_name_plural = _("instansi mitra")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices, default=Role.PETUGAS_LAYANAN)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("wilayah tugas"),
        help_text=_("Wajib untuk operator desa (desa) dan operator kecamatan (kecamatan)."),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("instansi mitra")
    )
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    position = models.CharField(_("jabatan"), max_length=120, blank=True)
    must_change_password = models.BooleanField(
        _("wajib ganti kata sandi"),
        default=False,
        help_text=_("Diatur saat admin memberi kata sandi sementara; pengguna harus menggantinya saat masuk."),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def clean(self):
        super().clean()
        level = AREA_ROLES.get(self.role)
        if level and (self.region is None or self.region.level != level):
            raise ValidationError({"region": _("Peran ini harus ditugaskan ke satu %(level)s.") % {"level": level}})
        if self.role == Role.MITRA and self.agency is None:
            raise ValidationError({"agency": _("Pengguna mitra harus terikat pada satu instansi.")})

    # Templates and the API's permission class read these two most asked questions as attributes.
    @property
    def can_read_registry(self) -> bool:
        from .permissions import REGISTRY_READ, has

        return has(self, REGISTRY_READ)

    @property
    def can_write_registry(self) -> bool:
        from .permissions import REGISTRY_WRITE, has

        return has(self, REGISTRY_WRITE)
