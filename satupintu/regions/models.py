from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten/Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa/Kelurahan")


class Region(models.Model):
    """One administrative area; the Kemendagri code is the key (`33.14.01.2001`)."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("induk")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.label} {self.name}"

    @property
    def is_kelurahan(self) -> bool:
        return self.level == Level.DESA and self.code[-4] == "1"

    @property
    def label(self) -> str:
        if self.level == Level.DESA:
            return "Kelurahan" if self.is_kelurahan else "Desa"
        return {Level.PROVINSI: "Provinsi", Level.KABUPATEN: "Kabupaten", Level.KECAMATAN: "Kecamatan"}[self.level]

    @property
    def nik_prefix(self) -> str:
        """The six digits a NIK or KK issued in this kecamatan starts with."""
        return self.code.replace(".", "")[:6]
