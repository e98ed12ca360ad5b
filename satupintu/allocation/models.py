"""Ranked allocation rounds of the budget-bounded services.

A round takes the applications of a programme's service waiting at the decision step, ranks them by
the service's priority rule (`catalogue/rules/priority.py`) and proposes the top ones inside what
remains of one funding source's ceiling. The kepala may move an applicant in or out of the proposal
with a written reason (a deviation); approving commits the budget for the selected ones and moves
their applications on; the rest stay waiting and are ranked again in the next round.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.audit.models import AppendOnlyEvent


class RoundState(models.TextChoices):
    OPEN = "open", _("Dibuka")
    PROPOSED = "proposed", _("Diusulkan")
    APPROVED = "approved", _("Disetujui")
    CANCELLED = "cancelled", _("Dibatalkan")


ACTIVE_STATES = (RoundState.OPEN, RoundState.PROPOSED)


class AllocationRound(models.Model):
    number = models.CharField(_("nomor putaran"), max_length=20, unique=True)
    programme = models.ForeignKey(
        "budgets.Programme", on_delete=models.PROTECT, related_name="rounds", verbose_name=_("program")
    )
    source = models.ForeignKey(
        "budgets.FundingSource", on_delete=models.PROTECT, related_name="rounds", verbose_name=_("sumber dana")
    )
    state = models.CharField(_("status"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    rule_ref = models.CharField(_("aturan prioritas"), max_length=60)
    ranked_on = models.DateField(_("dinilai pada"))
    # What one selected applicant costs (the programme's unit price) and what remained of the
    # source's ceiling when the proposal was drawn (None: no bound in that dimension).
    unit_amount = models.DecimalField(_("biaya per penerima (Rp)"), max_digits=16, decimal_places=2, null=True)
    unit_units = models.DecimalField(_("satuan per penerima"), max_digits=14, decimal_places=2, null=True)
    remaining_amount = models.DecimalField(_("sisa pagu (Rp)"), max_digits=16, decimal_places=2, null=True)
    remaining_units = models.DecimalField(_("sisa pagu (satuan)"), max_digits=14, decimal_places=2, null=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuka oleh")
    )
    opened_at = models.DateTimeField(_("dibuka"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    submission = models.CharField(max_length=64, blank=True)  # the opening form's one-time key

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("putaran alokasi")
        verbose_name_plural = _("putaran alokasi")
        constraints = [
            models.UniqueConstraint(
                fields=["opened_by", "submission"], condition=~Q(submission=""), name="allocation_round_submitted_once"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("allocation:detail", args=[self.pk])


class Decision(models.TextChoices):
    SELECTED = "selected", _("Terpilih")
    NOT_REACHED = "not_reached", _("Belum terjangkau (daftar tunggu)")
    EXCLUDED = "excluded", _("Dikeluarkan dari usulan")


class RoundEntry(models.Model):
    """One applicant of a round: rank, points with each component explained, whether the ranked order
    put them inside the proposal line (`in_line`) and whether they are proposed now (`proposed`).
    The two differ only by a kepala's move, which carries its `deviation_reason`."""

    # A round writes tens of thousands of entries at once, so the table keeps only the indexes its
    # reads use: the round's are the unique (round, rank) and (round, application), the
    # application's its own; the kecamatan and the deciding user are never looked up from here.
    round = models.ForeignKey(AllocationRound, on_delete=models.CASCADE, related_name="entries", db_index=False)
    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="round_entries")
    kecamatan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False)
    rank = models.PositiveIntegerField(_("peringkat"))
    points = models.DecimalField(_("nilai"), max_digits=7, decimal_places=2)
    components = models.JSONField(_("komponen"), default=list)
    in_line = models.BooleanField(_("dalam garis usulan menurut peringkat"), default=False)
    proposed = models.BooleanField(_("diusulkan"), default=False)
    decision = models.CharField(_("keputusan"), max_length=12, choices=Decision.choices)
    deviation_reason = models.TextField(_("alasan penyimpangan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "rank"]
        verbose_name = _("peserta putaran")
        verbose_name_plural = _("peserta putaran")
        constraints = [
            models.UniqueConstraint(fields=["round", "rank"], name="allocation_entry_rank_once"),
            models.UniqueConstraint(fields=["round", "application"], name="allocation_entry_application_once"),
            models.CheckConstraint(
                condition=Q(proposed=F("in_line")) | ~Q(deviation_reason=""), name="allocation_deviation_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} #{self.rank}"

    @property
    def deviates(self) -> bool:
        return self.proposed != self.in_line


class EventType(models.IntegerChoices):
    OPENED = 801, _("Putaran dibuka dan diperingkat")
    PROPOSED = 810, _("Usulan disusun dalam sisa pagu")
    MOVED = 820, _("Peserta dipindahkan (penyimpangan)")
    APPROVED = 830, _("Putaran disetujui, anggaran dikomitmenkan")
    CANCELLED = 840, _("Putaran dibatalkan")


class RoundEvent(AppendOnlyEvent):
    """Append-only history of a round (actor null = the system)."""

    round = models.ForeignKey(AllocationRound, on_delete=models.CASCADE, related_name="events")
    type = models.PositiveSmallIntegerField(choices=EventType.choices)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)

    class Meta(AppendOnlyEvent.Meta):
        indexes = [models.Index(fields=["round", "at"])]

    def __str__(self) -> str:
        return f"{self.round_id} {self.type} {self.at:%Y-%m-%d %H:%M}"
