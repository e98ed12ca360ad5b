"""Reads of the raskin distribution. Household-level reads start from the user's area (`area_q`)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.shortcuts import get_object_or_404

from satupintu.accounts.scoping import area_q
from satupintu.cases.models import Application
from satupintu.cases.status import Status
from satupintu.regions.models import Level, Region

from .models import DistributionMonth, Handover

SERVICE = "raskin"
# An application counts from its approval on: approved, its product issued, or completed.
GRANTED = (Status.APPROVED, Status.ISSUED, Status.COMPLETED)
ZERO = Decimal(0)


def months():
    return DistributionMonth.objects.select_related("programme", "source", "opened_by")


def month_for(pk) -> DistributionMonth:
    return get_object_or_404(months(), pk=pk)


def granted(month: DistributionMonth):
    """The raskin applications approved in the month's fiscal year."""
    return Application.objects.filter(service__code=SERVICE, status__in=GRANTED, decided_at__year=month.year)


def _latest_per_household(month, user):
    return (
        granted(month)
        .filter(area_q(user, "household__desa"))
        .values("household")
        .annotate(last=Max("pk"))
        .values("last")
    )


def recipient_application(month, household) -> Application | None:
    """The household's latest approved raskin application of the year, or None: no recipient."""
    return granted(month).filter(household=household).order_by("-pk").first()


@dataclass
class Recipient:
    application: Application
    handover: Handover | None
    kg: Decimal

    @property
    def household(self):
        return self.application.household


def recipients(month, user, desa_code: str) -> list[Recipient]:
    """The recipient households of one desa with this month's handover, if any (three queries)."""
    applications = list(
        Application.objects.filter(pk__in=_latest_per_household(month, user), household__desa_id=desa_code)
        .select_related("household__head", "household__desa")
        .order_by("household__rw", "household__rt", "household_id")
    )
    handovers = {
        h.household_id: h
        for h in Handover.objects.filter(
            month=month, reversal__isnull=True, household_id__in=[a.household_id for a in applications]
        ).select_related("officer", "entry")
    }
    return [Recipient(a, handovers.get(a.household_id), month.kg_per_household) for a in applications]


@dataclass
class DesaProgress:
    desa: Region
    households: int
    handed: int
    kg_handed: Decimal
    kg_per_household: Decimal

    @property
    def kg_allocated(self) -> Decimal:
        return self.households * self.kg_per_household

    @property
    def kg_left(self) -> Decimal:
        """Leftover stock of the desa for the month: allocated − handed over."""
        return self.kg_allocated - self.kg_handed

    @property
    def percent(self) -> int:
        return round(100 * self.handed / self.households) if self.households else 0


def progress(month, user) -> list[DesaProgress]:
    """Per desa of the user's area: recipients, handovers, kg allocated, handed and left (three queries)."""
    counts = dict(
        Application.objects.filter(pk__in=_latest_per_household(month, user))
        .values_list("household__desa")
        .annotate(n=Count("household", distinct=True))
    )
    handed = {
        row["desa"]: row
        for row in Handover.objects.filter(area_q(user, "desa"), month=month, reversal__isnull=True)
        .values("desa")
        .annotate(n=Count("pk"), kg=Sum("kg"))
    }
    codes = set(counts) | set(handed)
    regions = Region.objects.filter(code__in=codes).select_related("parent").order_by("parent__name", "name")
    return [
        DesaProgress(
            desa=r,
            households=counts.get(r.code, 0),
            handed=handed.get(r.code, {}).get("n", 0),
            kg_handed=handed.get(r.code, {}).get("kg") or ZERO,
            kg_per_household=month.kg_per_household,
        )
        for r in regions
    ]


def desa_for(user, code) -> Region:
    """A desa of the user's area, else 404."""
    desa = Region.objects.filter(area_q(user, ""), level=Level.DESA).select_related("parent")
    return get_object_or_404(desa, code=code)


def handover_for(user, pk) -> Handover:
    return get_object_or_404(
        Handover.objects.filter(area_q(user, "desa")).select_related("month", "household", "entry"), pk=pk
    )
