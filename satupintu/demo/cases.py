"""Demo applications in every state, some overdue. Idempotent: skipped when demo cases exist.

Cases are pushed through the real actions, oldest (furthest along) first so the fair-queue rule
holds; afterwards their receipt times are moved into the past (demo only) so that some are late.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from satupintu.accounts.models import Agency, User
from satupintu.audit import chain
from satupintu.cases.actions import application_create, application_transition
from satupintu.cases.deadlines import due_date_for
from satupintu.cases.models import Application, Event
from satupintu.cases.sweep import check_deadlines
from satupintu.catalogue import data as catalogue_data
from satupintu.catalogue.calendar import working_calendar
from satupintu.catalogue.models import ServiceType
from satupintu.registry.models import Household

KALIJAMBE, KEDEN = "33.14.01", "33.14.01.2001"
POOR_ANSWERS = dict.fromkeys(
    ["luas_lantai", "lantai_tanah", "dinding_buruk", "tanpa_jamban", "kayu_bakar", "jarang_daging", "satu_pakaian",
     "tak_mampu_berobat", "penghasilan_rendah", "pendidikan_rendah"], True,
)  # fmt: skip

# (service, fast path?, steps to take, received working days ago). Ordered furthest-first.
SCENARIOS = [
    ("rujukan-jamkesda", True, "record_outcome", 9),
    ("rekomendasi-ppa-pkh", False, "reject", 10),
    ("raskin", True, "withdraw", 6),
    ("rtlh-csr", True, "cancel", 5),
    ("rujukan-jamkesda", True, "acknowledge_referral", 6),
    ("rujukan-jamkesda", True, "refer", 4),
    ("rekomendasi-ppa-pkh", True, "issue", 3),
    ("rtlh-csr", True, "approve", 8),
    ("raskin", True, "approve", 2),
    ("rekomendasi-ppa-pkh", True, "fast_track", 5),
    ("kartu-saraswati", False, "kepala_approve", 6),
    ("kartu-saraswati", False, "kasi_approve", 9),
    ("kartu-sintawati", False, "record_verification", 5),
    ("rekomendasi-ppa-pkh", False, "start_verification", 4),
    ("kartu-saraswati", False, "start_verification", 2),
    ("rtlh-csr", True, "accept_documents", 6),
    ("kartu-saraswati", True, "return_documents", 3),
    ("biaya-pendidikan-siswa", True, "intake", 4),
    ("kartu-saraswati", True, "intake", 1),
    ("kartu-saraswati", True, "desa", 2),
    ("raskin", True, "desa", 0),
]
FAST = ["accept_documents", "fast_track", "approve", "issue", "refer", "acknowledge_referral", "record_outcome"]
SLOW = ["accept_documents", "start_verification", "record_verification", "kasi_approve", "kepala_approve", "approve"]


def _steps(fast: bool, stop: str) -> list[str]:
    if stop in ("intake", "desa"):
        return []
    if stop in ("withdraw", "cancel"):
        return ["accept_documents", stop]
    if stop == "return_documents":
        return [stop]
    if stop == "reject":
        return [*SLOW[:-1], "reject"]
    path = FAST if fast else SLOW
    return path[: path.index(stop) + 1]


def _data(name, users, service, poor):
    return {
        "start_verification": {"verifier": users["verifikator"]},
        "record_verification": {
            "recommendation": "miskin" if poor else "tidak_miskin",
            "findings": "Rumah berdinding bambu, lantai tanah, penghasilan buruh harian." if poor else "Rumah layak.",
            "bps14_answers": POOR_ANSWERS if poor else {"kayu_bakar": True},
            "method": "lapangan",
        },
        "kasi_approve": {"reason": "Hasil verifikasi lapangan sesuai kriteria."},
        "kepala_approve": {"reason": "Disetujui sesuai rekomendasi kasi."},
        "approve": {"reason": "Memenuhi syarat."},
        "reject": {"reason": "Hasil verifikasi: tidak miskin."},
        "refer": {"agency": service.agency or Agency.objects.get(code="rsud-soehadi"), "note": "Mohon dilayani."},
        "record_outcome": {"outcome": "Pasien dirawat di kelas III tanpa biaya."},
        "return_documents": {"reason": "Surat pengantar desa belum diketahui camat."},
        "withdraw": {"reason": "Pemohon sudah mendapat bantuan dari program lain."},
        "cancel": {"reason": "Permohonan ganda."},
    }.get(name, {})


ACTORS = {
    "acknowledge": "op.kalijambe",
    "start_verification": "petugas",
    "record_verification": "verifikator",
    "kasi_approve": "kasi",
    "kepala_approve": "kepala",
    "approve": "kepala",
    "reject": "kepala",
    "acknowledge_referral": "mitra.rsud",
    "record_outcome": "mitra.rsud",
}


def _households(poor: bool | None, desa: str | None):
    qs = Household.objects.filter(head__isnull=False, desa__parent_id=KALIJAMBE)
    qs = qs.filter(desa_id=desa) if desa else qs.exclude(desa_id=KEDEN)
    if poor is not None:
        not_poor = Q(poverty_result__isnull=True) | ~Q(poverty_result="miskin")
        qs = qs.filter(poverty_result="miskin") if poor else qs.filter(not_poor)
    return iter(qs.select_related("head").order_by("id"))


@transaction.atomic
def ensure_demo_cases() -> list[tuple[str, str, str]]:
    """Create the demo cases; returns (number, PIN, status) of each so a demo user can track one."""
    catalogue_data.load_current()
    if Application.objects.filter(details__demo=True).exists():
        return []
    users = {u.username: u for u in User.objects.all()}
    pools = {True: _households(True, None), False: _households(False, None), "desa": _households(None, KEDEN)}
    services = {s.code: s for s in ServiceType.objects.select_related("agency")}
    with chain.deferred():  # the events join the chain once moved into the past
        created = _scenarios(users, pools, services)
        _backdate(created)
    check_deadlines()
    return [(a.number, pin, a.status) for a, _days, pin in created]


def _scenarios(users, pools, services) -> list:
    created = []
    for code, fast, stop, days_ago in SCENARIOS:
        service = services[code]
        poor_result = fast or stop != "reject"
        household = next(pools["desa" if stop == "desa" else fast], None)
        if household is None:  # a very small demo registry: fewer scenarios
            continue
        actor = users["op.keden"] if stop == "desa" else users["petugas"]
        present = [
            r.pk for r in service.requirements.all() if stop != "return_documents" or r.code != "surat-pengantar"
        ]
        application, pin = application_create(
            actor=actor, service=service, applicant=household.head, present_ids=present, details={"demo": True}
        )
        for name in _steps(fast, stop):
            application = application_transition(
                actor=users[ACTORS.get(name, "petugas")],
                application=application,
                name=name,
                data=_data(name, users, service, poor_result),
            )
        created.append((application, days_ago, pin))
    return created


def _backdate(created) -> None:
    """Demo only: move each case's receipt (and its events) into the past, and its due date with it."""
    calendar, now = working_calendar(), timezone.now()
    for application, days_ago, _pin in created:
        received_on = _working_days_before(calendar, timezone.localdate(now), days_ago)
        delta = dt.timedelta(days=(timezone.localdate(now) - received_on).days)
        Event.objects.filter(application=application).update(at=F("at") - delta)
        Application.objects.filter(pk=application.pk).update(
            received_at=F("received_at") - delta,
            due_date=due_date_for(application.standard, received_on, calendar),
        )


def _working_days_before(calendar, day: dt.date, n: int) -> dt.date:
    while n:
        day -= dt.timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day
