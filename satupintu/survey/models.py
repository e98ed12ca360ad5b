"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017): one invitation and at most one response per
completed application. The response keeps the service, kecamatan and period it is reported under,
never who answered."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.lib.ikm import ELEMENTS


class Invitation(models.Model):
    application = models.OneToOneField("cases.Application", on_delete=models.CASCADE, related_name="survey_invitation")
    token = models.CharField(max_length=43, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("undangan survei")
        verbose_name_plural = _("undangan survei")

    def __str__(self) -> str:
        return f"{self.application_id}"


def _element_field(label):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(4)])


class Response(models.Model):
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    service = models.ForeignKey("catalogue.ServiceType", on_delete=models.PROTECT, related_name="+")
    kecamatan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    persyaratan = _element_field(ELEMENTS[0][1])
    prosedur = _element_field(ELEMENTS[1][1])
    waktu = _element_field(ELEMENTS[2][1])
    biaya = _element_field(ELEMENTS[3][1])
    produk = _element_field(ELEMENTS[4][1])
    kompetensi = _element_field(ELEMENTS[5][1])
    perilaku = _element_field(ELEMENTS[6][1])
    pengaduan = _element_field(ELEMENTS[7][1])
    sarana = _element_field(ELEMENTS[8][1])
    suggestion = models.TextField(_("saran"), blank=True)

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.submitted_at:%Y-%m-%d}"
