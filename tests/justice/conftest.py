"""A small regency with application history, and hand-made applications for exact counts."""

import datetime as dt

import pytest
from django.utils import timezone

from satupintu.accounts.models import User
from satupintu.cases.models import Application, Decision
from satupintu.cases.status import Status
from satupintu.catalogue.models import ServiceType
from satupintu.demo import synthetic
from satupintu.demo.registry import generate

TODAY = dt.date(2026, 11, 20)
TANGEN = "33.14.19"


def history(staff_users, *, households=300, applications=600, seed=5, slow="", slow_extra=8):
    generate(households, seed=seed)
    petugas, kasi, kepala = staff_users
    synthetic.generate(
        applications,
        start=TODAY - dt.timedelta(days=300),
        end=TODAY - dt.timedelta(days=1),
        staff=synthetic.Staff(intake=petugas.pk, deciders=(kasi.pk, kepala.pk)),
        seed=seed,
        slow_kecamatan=slow,
        slow_extra=slow_extra,
        today=TODAY,
    )


@pytest.fixture
def staff_users(petugas, kasi, kepala):
    return petugas, kasi, kepala


_serial = iter(range(1, 10**6))


def make_application(
    household,
    *,
    received: dt.date,
    decided: dt.date | None = None,
    due: dt.date | None = None,
    status=None,
    decider=None,
    reason="Memenuhi kriteria.",
    override="",
    service="kartu-saraswati",
    received_by=None,
):
    def at(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))

    service = ServiceType.objects.get(code=service)
    return Application.objects.create(
        number=f"T-{next(_serial):06d}",
        pin_hash="x",
        service=service,
        applicant=household.head,
        household=household,
        desa=household.desa,
        channel="upt",
        status=status or (Status.COMPLETED if decided else Status.VERIFICATION),
        received_at=at(received),
        received_by=received_by or decider or User.objects.order_by("pk").first(),
        due_date=due,
        fast_path=True,
        decision=Decision.APPROVED if decided else "",
        decision_reason=reason if decided else "",
        override_reason=override,
        decided_by=decider if decided else None,
        decided_at=at(decided) if decided else None,
        closed_at=at(decided) if decided and (status or Status.COMPLETED) == Status.COMPLETED else None,
    )


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """The public page caches its tables; every test with a database starts without them."""
    if not request.node.get_closest_marker("django_db"):
        yield
        return
    from django.core.cache import cache

    request.getfixturevalue("db")
    cache.clear()
    yield
    cache.clear()
