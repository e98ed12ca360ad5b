"""Demo: one completed allocation round per budget-bounded service, with its waiting list and a
recorded deviation. Idempotent: skipped when a round exists.

For each service it takes the year's programme and a source with a ceiling (those of the budgets
demo when it made them; otherwise a programme, an APBD source and a ceiling for about five
recipients, marked as demo figures), brings a few more applications than the ceiling reaches to the
decision step through the real actions, opens a round, and approves it. In the RTLH round the
kepala swaps the last proposed applicant for the first one below the line, each with a reason.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from satupintu.accounts.models import User
from satupintu.allocation import actions as rounds
from satupintu.allocation import costs
from satupintu.allocation.models import AllocationRound
from satupintu.budgets import actions as budgets
from satupintu.budgets import selectors as budget_selectors
from satupintu.budgets.models import FundingSource, Programme, Unit
from satupintu.cases.actions import application_create, application_transition
from satupintu.cases.models import Application
from satupintu.catalogue.models import ServiceType
from satupintu.catalogue.rules import priority
from satupintu.lib.transitions import Refused
from satupintu.registry.models import Person

UNITS = {
    "beasiswa-prestasi": Unit.RUPIAH,
    "santunan-duka": Unit.RUPIAH,
    "rtlh-apbd": Unit.RUPIAH,
    "raskin": Unit.KG,
    "kursi-roda": Unit.ITEM,
}
FITS, EXTRA = 5, 3  # recipients a demo ceiling reaches; applicants left on the waiting list
QUEUE_REASON = "Data demo putaran alokasi."


def ensure_allocation_demo(stdout=None) -> None:
    if AllocationRound.objects.exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["petugas", "kasi", "kepala"])}
    today = timezone.localdate()
    for code in priority.BOUNDED:
        service = ServiceType.objects.get(code=code)
        programme, source = _programme(service, today, users["kasi"])
        if source is None:
            continue
        fit = _fit(code, source, today)
        _waiting(service, users["petugas"], min(fit, 25) + EXTRA, today)
        try:
            round_ = rounds.open_round(actor=users["kasi"], programme=programme, source=source)
            if code == "rtlh-apbd":
                _deviate(round_, users["kepala"])
            rounds.approve_round(
                actor=users["kepala"], round_=round_, reason="Sesuai pagu dan urutan prioritas (data demo)."
            )
        except Refused as refused:
            if stdout:
                stdout.write(f"Putaran demo {code}: {refused}")
            round_ = AllocationRound.objects.filter(programme=programme, state__in=["open", "proposed"]).first()
            if round_ is not None:
                rounds.cancel_round(actor=users["kasi"], round_=round_, reason=f"Data demo: {refused}")
            continue
        if stdout:
            stdout.write(f"Putaran demo {round_.number}: {service.name} ({round_.entries.count()} pemohon).")


def _programme(service, today, kasi) -> tuple[Programme, FundingSource | None]:
    """The year's programme and its first source with room, made when the budgets demo has none."""
    programme = Programme.objects.filter(service=service, fiscal_year=today.year).first()
    if programme is None:
        programme = budgets.create_programme(
            actor=kasi, service=service, fiscal_year=today.year, unit=UNITS[service.code], name=service.name
        )
    for source in programme.sources.order_by("id"):
        room = budget_selectors.remaining(source)
        if (room.amount or 0) > 0 or (room.units or 0) > 0:
            return programme, source
    kind, name = (
        ("donasi", f"Donasi kursi roda {today.year} (demo)")
        if programme.is_stock
        else ("apbd", f"APBD {today.year} (demo)")
    )
    source = budgets.add_source(actor=kasi, programme=programme, kind=kind, name=name)
    amount, units = costs.per_applicant(service.code, today)
    if programme.is_stock:  # what can be given is what was received
        budgets.record_entry(
            actor=kasi, programme=programme, source=source, household=None, kind="receipt", on=today,
            units=units * FITS, note="Kursi roda diterima dari donatur (data demo).",
        )  # fmt: skip
    budgets.revise_ceiling(
        actor=kasi,
        source=source,
        amount=amount * FITS if amount is not None else None,
        units=None if amount is not None else units * FITS,
        valid_from=dt.date(today.year, 1, 1),
        reason="Pagu demo (bukan angka APBD sebenarnya).",
    )
    return programme, source


def _fit(code, source, today) -> int:
    """How many recipients the source's remaining ceiling reaches."""
    amount, units = costs.per_applicant(code, today)
    room = budget_selectors.remaining(source)
    reach = [int(room.amount // amount)] if room.amount is not None and amount is not None else []
    reach += [int(room.units // units)] if room.units is not None else []
    return max(min(reach, default=FITS), 0)


def _applicants(code: str):
    """People of poor households who may apply for the service (the rules check them again)."""
    people = Person.objects.filter(household__poverty_result="miskin").select_related("household")
    people = people.exclude(household__applications__service__code=code)
    if code == "kursi-roda":
        return people.exclude(disability__in=["", "tidak_ada"]).order_by("id")
    if code == "beasiswa-prestasi":
        # The small demo registry has few students: its young adults of poor households study at a PTN.
        born = timezone.localdate().replace(month=1, day=1)
        young = people.filter(
            birth_date__gt=born.replace(year=born.year - 24), birth_date__lte=born.replace(year=born.year - 18)
        )
        Person.objects.filter(pk__in=young.values("pk")[:30]).update(school_status="kuliah")
        return people.filter(school_status="kuliah").order_by("id")
    return people.filter(Q(relationship="kepala")).order_by("id")


def _waiting(service, petugas, count: int, today) -> None:
    """`count` applications of the service brought to the decision step."""
    details = {
        "beasiswa-prestasi": lambda i: {"ptn": True, "ipk": f"{3.0 + (i % 10) / 10:.2f}"},
        "santunan-duka": lambda i: {"date_of_death": (today - dt.timedelta(days=10 + i)).isoformat()},
    }.get(service.code, lambda i: {})
    present = [r.pk for r in service.requirements.all()]
    for i, person in enumerate(_applicants(service.code)[:count]):
        try:
            application, _pin = application_create(
                actor=petugas, service=service, applicant=person, present_ids=present, details=details(i)
            )
            if service.code == "beasiswa-prestasi":  # the scholarship's registration window: March–August
                received = application.received_at.replace(year=today.year, month=7, day=1 + i % 28)
                Application.objects.filter(pk=application.pk).update(received_at=received)
            for name in ("accept_documents", "fast_track"):
                application = application_transition(
                    actor=petugas, application=application, name=name, queue_reason=QUEUE_REASON
                )
        except Refused:
            continue


def _deviate(round_, kepala) -> None:
    """Swap the last one inside the line for the first one below it, each with a written reason."""
    inside = round_.entries.filter(in_line=True).order_by("-rank").first()
    below = round_.entries.filter(in_line=False).order_by("rank").first()
    if inside is None or below is None:
        return
    rounds.move_entry(
        actor=kepala, entry=inside, proposed=False, reason="Rumah sudah diperbaiki lewat CSR desa tahun ini."
    )
    rounds.move_entry(
        actor=kepala,
        entry=below,
        proposed=True,
        reason="Rumah rusak berat setelah angin puting beliung.",
    )
