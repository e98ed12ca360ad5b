"""Demo of the death records, the santunan duka applications that name them, and one raskin month
handed out. Idempotent: skipped when a distribution month exists. Runs after the budgets and
allocation demos, whose raskin programme, source and approved applications it uses.

Deaths: a member (not the head) of a few poor households, one head (the spouse or eldest member
becomes head), one death older than the claim period; each household then applies for santunan duka
naming the death. Raskin: the current month of the year's raskin programme is opened and handed to
the approved recipients, except every fifth household, which stays on the list as not yet received.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from satupintu.accounts.models import User
from satupintu.budgets.models import Programme, Unit
from satupintu.cases.actions import application_create
from satupintu.catalogue.models import ServiceType
from satupintu.lib.transitions import Refused
from satupintu.raskin import actions as raskin
from satupintu.raskin import selectors
from satupintu.raskin.models import DistributionMonth, ReceivedBy
from satupintu.registry.actions import record_death
from satupintu.registry.models import Household, Person

# Days before today of each demo death; the last one lies beyond the santunan claim period.
DEATHS = (12, 35, 60, 400)


def ensure_raskin_demo(stdout=None) -> None:
    if DistributionMonth.objects.exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["petugas", "kasi", "kepala"])}
    if len(users) < 3:
        return
    today = timezone.localdate()
    deaths = _deaths(users["petugas"], today)
    if stdout:
        stdout.write(f"Kematian demo: {deaths} dicatat, dengan permohonan santunan duka.")
    month = _month(users["kasi"], today)
    if month is None:
        if stdout:
            stdout.write("Raskin demo: belum ada program raskin dalam kg dengan sumber beras.")
        return
    given, left = _hand_out(users["petugas"], users["kepala"], month, today)
    if stdout:
        stdout.write(f"Raskin demo {month.label}: {given} rumah tangga menerima, {left} belum.")


def _deaths(petugas, today) -> int:
    service = ServiceType.objects.get(code="santunan-duka")
    present = [r.pk for r in service.requirements.all()]
    households = (
        Household.objects.filter(poverty_result="miskin", member_count__gte=3, deaths__isnull=True)
        .exclude(applications__service=service)
        .order_by("id")[: len(DEATHS)]
    )
    recorded = 0
    for household, days in zip(households, DEATHS, strict=False):
        members = list(Person.objects.filter(household=household).order_by("birth_date", "id"))
        head_dies = recorded == 1
        deceased = household.head if head_dies and household.head else members[0]
        others = [m for m in members if m.pk != deceased.pk]
        died_on = max(today - dt.timedelta(days=days), deceased.birth_date)
        try:
            death = record_death(
                actor=petugas,
                person=deceased,
                died_on=died_on,
                source="laporan_desa" if recorded % 2 else "dukcapil",
                reference=f"474.3/{100 + recorded}/{died_on.year}",
                new_head=others[0] if deceased.pk == household.head_id and others else None,
            )
            applicant = Household.objects.get(pk=household.pk).head or others[0]
            application_create(
                actor=petugas, service=service, applicant=applicant, present_ids=present,
                details={"death_id": death.pk},
            )  # fmt: skip
        except (ValidationError, Refused):
            continue
        recorded += 1
    return recorded


def _month(kasi, today):
    programme = Programme.objects.filter(service__code="raskin", fiscal_year=today.year, unit=Unit.KG).first()
    source = programme.sources.order_by("id").first() if programme else None
    if source is None:
        return None
    return raskin.open_month(actor=kasi, programme=programme, source=source, year=today.year, month=today.month)


def _hand_out(petugas, kepala, month, today) -> tuple[int, int]:
    given = left = 0
    for row in selectors.progress(month, kepala):
        for i, recipient in enumerate(selectors.recipients(month, kepala, row.desa.code)):
            household = recipient.household
            if (given + left) % 5 == 4 or household.head is None:
                left += 1
                continue
            try:
                raskin.record_handover(
                    actor=petugas,
                    month=month,
                    household=household,
                    on=today,
                    received_by=household.head.name,
                    relation=ReceivedBy.HEAD,
                    thumbprint_note="" if i % 2 else "Cap jempol kanan (demo)",
                    evidence=None if i % 2 == 0 else _signature(household),
                )
            except Refused:
                left += 1
                continue
            given += 1
    return given, left


def _signature(household):
    """A tiny PNG standing in for the photographed signature."""
    from django.core.files.base import ContentFile

    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4a30000000049454e44ae426082"
    )
    return ContentFile(png, name=f"ttd-{household.pk}.png")
