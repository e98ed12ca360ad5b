"""Budget programmes of the bounded services: a programme per service and fiscal year, its funding
sources, their ceilings (dated revision rows, never edits), what approved allocation rounds reserve
(commitments) and the ledger of payments, handovers and stock movements.

Realisation is the ledger: every figure of a report is a sum of ledger rows. A ledger row is never
changed; a correction is a reversing row carrying the negated amount and units. Ceiling revisions and
ledger rows are hash-chained like the audit log (`audit/chain.py`).
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.audit.models import Chained


class Unit(models.TextChoices):
    RUPIAH = "rupiah", _("rupiah")
    PLACE = "tempat", _("tempat")
    HOUSE = "rumah", _("rumah")
    KG = "kg", _("kg")
    ITEM = "unit", _("unit")


class Programme(models.Model):
    """One bounded service in one fiscal year, counted in `unit` (rupiah, places, houses, kg, items)."""

    service = models.ForeignKey(
        "catalogue.ServiceType", on_delete=models.PROTECT, related_name="programmes", verbose_name=_("layanan")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    unit = models.CharField(_("satuan"), max_length=10, choices=Unit.choices)
    name = models.CharField(_("nama program"), max_length=150)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["-fiscal_year", "service__order", "service__code"]
        verbose_name = _("program anggaran")
        verbose_name_plural = _("program anggaran")
        constraints = [models.UniqueConstraint(fields=["service", "fiscal_year"], name="budgets_programme_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.fiscal_year})"

    @property
    def is_stock(self) -> bool:
        """Items (wheelchairs) are a stock: what can be given is what was received."""
        return self.unit == Unit.ITEM


class SourceKind(models.TextChoices):
    APBD = "apbd", _("APBD")
    CSR = "csr", _("CSR")
    BAZNAS = "baznas", _("Baznas/zakat")
    DANA_DESA = "dana_desa", _("Dana Desa")
    DONATION = "donasi", _("Donasi")


class FundingSource(models.Model):
    """Who pays for (part of) a programme; its ceiling is the latest `CeilingRevision`."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="sources", verbose_name=_("program")
    )
    kind = models.CharField(_("jenis sumber dana"), max_length=10, choices=SourceKind.choices)
    name = models.CharField(_("nama sumber dana"), max_length=150)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["programme", "id"]
        verbose_name = _("sumber dana")
        verbose_name_plural = _("sumber dana")
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="budgets_source_name_once")]

    def __str__(self) -> str:
        return self.name


def not_negative(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(amount__isnull=True) | Q(amount__gte=0)) & (Q(units__isnull=True) | Q(units__gte=0)), name=name
    )


MONEY = {"max_digits": 16, "decimal_places": 2}
UNITS = {"max_digits": 14, "decimal_places": 2}


class CeilingRevision(Chained):
    """A ceiling (pagu) of a source, for the whole regency (kecamatan NULL) or one kecamatan's split,
    in rupiah and/or units, from `valid_from` on. Never edited: a revision (APBD-P) is a new row, and
    the ceiling is the latest row per (source, kecamatan) in force on a day."""

    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("sumber dana")
    )
    kecamatan = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan"),
    )
    amount = models.DecimalField(_("pagu (Rp)"), null=True, blank=True, **MONEY)
    units = models.DecimalField(_("pagu (satuan)"), null=True, blank=True, **UNITS)
    valid_from = models.DateField(_("berlaku mulai"))
    reason = models.TextField(_("alasan"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("pelaku")
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["source", "kecamatan", "-valid_from", "-id"]
        verbose_name = _("revisi pagu")
        verbose_name_plural = _("revisi pagu")
        constraints = [
            models.UniqueConstraint(fields=["seq"], name="budgets_ceilingrevision_seq"),
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(units__isnull=False), name="budgets_ceiling_has_a_figure"
            ),
            not_negative("budgets_ceiling_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.valid_from}"


class Commitment(models.Model):
    """What an approved allocation round reserves for one application on one source. Released (never
    deleted) when the reservation ends; released commitments no longer count."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="commitments")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="commitments")
    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="commitments")
    amount = models.DecimalField(_("jumlah (Rp)"), null=True, blank=True, **MONEY)
    units = models.DecimalField(_("jumlah (satuan)"), null=True, blank=True, **UNITS)
    kecamatan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    round_ref = models.CharField(_("putaran"), max_length=40, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    released_at = models.DateTimeField(_("dilepas"), null=True, blank=True)
    release_reason = models.TextField(_("alasan dilepas"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("komitmen anggaran")
        verbose_name_plural = _("komitmen anggaran")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "application"],
                condition=Q(released_at__isnull=True),
                name="budgets_commitment_active_once",
            ),
            not_negative("budgets_commitment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.application_id}"


class EntryKind(models.TextChoices):
    PAYMENT = "payment", _("pembayaran")
    HANDOVER = "handover", _("penyerahan")
    STOCK_RECEIPT = "receipt", _("penerimaan stok")
    STOCK_ISSUE = "issue", _("pengeluaran stok")
    REVERSAL = "reversal", _("pembalikan")


class Flow(models.TextChoices):
    OUT = "out", _("keluar")  # realisation: payments, handovers, stock issued
    IN = "in", _("masuk")  # stock received


class Method(models.TextChoices):
    TRANSFER = "transfer", _("transfer bank")
    CASH = "tunai", _("tunai")
    GOODS = "barang", _("barang")


def proof_path(instance, filename: str) -> str:
    return f"buku-kas/{instance.programme_id}/{filename}"


class LedgerEntry(Chained):
    """One payment, handover or stock movement. Never changed: a correction is a REVERSAL row with the
    negated amount and units of the row it reverses (`reverses`, at most one reversal each).

    `flow` says what the row moves: OUT counts as realisation, IN as stock received; a reversal takes
    the flow of the row it reverses. `desa` and `kecamatan` are the household's at the time of entry.
    `commitment` is the reservation the row is paid from (then it does not use the ceiling again)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("program"))
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("sumber dana")
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("rumah tangga"),
    )
    application = models.ForeignKey(
        "cases.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("permohonan"),
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("penerima")
    )
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kecamatan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger")
    kind = models.CharField(_("jenis"), max_length=10, choices=EntryKind.choices)
    flow = models.CharField(_("arah"), max_length=3, choices=Flow.choices)
    amount = models.DecimalField(_("jumlah (Rp)"), null=True, blank=True, **MONEY)
    units = models.DecimalField(_("jumlah (satuan)"), null=True, blank=True, **UNITS)
    on = models.DateField(_("tanggal"))
    method = models.CharField(_("cara"), max_length=10, choices=Method.choices, blank=True)
    recipient_name = models.CharField(_("nama penerima"), max_length=150, blank=True)
    proof = models.FileField(
        _("bukti"),
        upload_to=proof_path,
        null=True,
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp", "pdf"])],
    )
    proof_note = models.CharField(_("keterangan bukti"), max_length=250, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("petugas")
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("membalik"),
    )
    note = models.TextField(_("catatan"), blank=True)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("entri buku kas")
        verbose_name_plural = _("buku kas")
        indexes = [
            models.Index(fields=["programme", "on"]),
            models.Index(fields=["source", "flow"]),
            models.Index(fields=["desa", "on"]),
            # The rows that may reach a household (outgoing, not a reversal), for the realisation
            # report's count of households reached: read from the index alone, the id beside it to
            # leave out the rows that were reversed.
            models.Index(
                fields=["programme", "kecamatan", "household"],
                include=["id"],
                condition=Q(flow="out", household__isnull=False) & ~Q(kind="reversal"),
                name="budgets_ledger_reaching",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["seq"], name="budgets_ledgerentry_seq"),
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(units__isnull=False), name="budgets_entry_has_a_figure"
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="budgets_entry_reversal_points_back",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on} #{self.pk}"
