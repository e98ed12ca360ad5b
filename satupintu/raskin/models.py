"""Monthly raskin (subsidised rice) distribution: a month of a raskin programme, and the handover to
each recipient household, which is a HANDOVER row of the budgets ledger in kg.

The recipients of a month are the households whose raskin application is approved (or issued) in the
programme's fiscal year (`selectors.recipients`); they are read, not stored, so an application approved
later joins the next handovers. A handover is never edited: a correction reverses its ledger row
(`budgets.actions.reverse_entry`), after which the household may receive again.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

KG = {"max_digits": 8, "decimal_places": 2}

MONTHS = [
    _("Januari"), _("Februari"), _("Maret"), _("April"), _("Mei"), _("Juni"),
    _("Juli"), _("Agustus"), _("September"), _("Oktober"), _("November"), _("Desember"),
]  # fmt: skip


class DistributionMonth(models.Model):
    programme = models.ForeignKey(
        "budgets.Programme", on_delete=models.PROTECT, related_name="raskin_months", verbose_name=_("program")
    )
    source = models.ForeignKey(
        "budgets.FundingSource", on_delete=models.PROTECT, related_name="+", verbose_name=_("sumber beras")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    kg_per_household = models.DecimalField(_("kg per rumah tangga"), **KG)
    kg_source = models.CharField(_("dasar besaran"), max_length=250)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("dibuka oleh")
    )
    opened_at = models.DateTimeField(_("dibuka"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("bulan penyaluran raskin")
        verbose_name_plural = _("bulan penyaluran raskin")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "month"], name="raskin_month_once"),
            models.CheckConstraint(condition=Q(kg_per_household__gt=0), name="raskin_month_kg_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.kg_per_household.normalize():f} kg)"

    @property
    def label(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"


class ReceivedBy(models.TextChoices):
    HEAD = "kepala", _("Kepala keluarga")
    MEMBER = "anggota", _("Anggota rumah tangga")
    PROXY = "wakil", _("Wakil dengan surat kuasa")


class Handover(models.Model):
    """The month's rice handed to one household: who received it, the evidence and the ledger row."""

    month = models.ForeignKey(DistributionMonth, on_delete=models.PROTECT, related_name="handovers")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="raskin_handovers")
    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("tanggal penyerahan"))
    kg = models.DecimalField(_("kg"), **KG)
    received_by = models.CharField(_("diterima oleh"), max_length=150)
    relation = models.CharField(_("hubungan penerima"), max_length=10, choices=ReceivedBy.choices)
    # The signature or photo is the ledger row's proof (`entry.proof`); a thumbprint is noted here.
    thumbprint_note = models.CharField(_("keterangan cap jempol"), max_length=250, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("petugas")
    )
    entry = models.OneToOneField("budgets.LedgerEntry", on_delete=models.PROTECT, related_name="raskin_handover")
    # Set when the ledger row is reversed (a correction); the household may then receive again.
    reversal = models.OneToOneField(
        "budgets.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="raskin_reversal"
    )
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        ordering = ["desa_id", "household_id", "-id"]
        verbose_name = _("penyerahan raskin")
        verbose_name_plural = _("penyerahan raskin")
        indexes = [models.Index(fields=["month", "desa"])]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "household"], condition=Q(reversal__isnull=True), name="raskin_handover_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month.label} · {self.household}"

    @property
    def evidence(self):
        return self.entry.proof
