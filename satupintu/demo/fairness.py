"""Demo: fast-path cases issued over the last month (some beyond the standard), referral response
standards with referrals answered on time, late and still open past their due date, appointed
verifiers, and recusals (one declared and overridden, one shared-surname flag reviewed).
Idempotent: skipped when its cases exist. Cases go through the real actions; afterwards their times
are moved into the past (demo only), like the other demo cases."""

import datetime as dt
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from satupintu.accounts.models import User
from satupintu.audit import chain
from satupintu.cases import actions
from satupintu.cases.actions import application_create, application_transition
from satupintu.cases.models import Application, CaseRecusal, Event, Referral, ReferralStandard
from satupintu.cases.status import OPEN_STATUSES
from satupintu.cases.sweep import check_deadlines
from satupintu.catalogue.calendar import working_calendar
from satupintu.catalogue.models import ServiceType
from satupintu.justice.extract import Period
from satupintu.justice.fairness import fast_path_shares
from satupintu.parameters import assumed
from satupintu.regions.models import Region
from satupintu.registry.models import Household

KALIJAMBE, KEDEN, TROBAYAN = "33.14.01", "33.14.01.2001", "33.14.01.2002"
SOURCE = assumed("standar tanggapan rujukan instansi mitra (hari kerja)")
# Response standards per service of the catalogue, in working days (assumed).
REFERRAL_DAYS = {"rujukan-jamkesda": 3, "kartu-saraswati": 5, "rekomendasi-ppa-pkh": 5}
CASES = 30
SERVICES = ["kartu-saraswati", "rekomendasi-ppa-pkh", "rujukan-jamkesda"]
DESKS = ["petugas", "op.kalijambe", "op.keden"]


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def ensure_fairness_demo(stdout=None) -> None:
    _referral_standards()
    if not Application.objects.filter(details__demo_fast_path=True).exists():
        _write(stdout, f"  {_fast_path_cases()} permohonan jalur cepat selama sebulan (jam diterima → terbit)")
        _write(stdout, f"  {_appointments()} penunjukan verifikator, {_recusals()} pengunduran diri petugas")
    today = timezone.localdate()
    for row in fast_path_shares(User.objects.get(username="kepala"), Period(today - dt.timedelta(days=30), today)):
        share = "–" if row["share"] is None else f"{row['share']:.0%}"
        _write(
            stdout,
            f"    jalur cepat {row['service']} · {row['desk']}: {row['within']}/{row['n']} dalam standar ({share}),"
            f" rata-rata {row['mean']:.0f} menit",
        )


def _referral_standards() -> None:
    start = dt.date(timezone.localdate().year - 1, 1, 1)
    for code, days in REFERRAL_DAYS.items():
        service = ServiceType.objects.select_related("agency").get(code=code)
        if service.agency_id:
            ReferralStandard.objects.get_or_create(
                agency=service.agency,
                service=service,
                valid_from=start,
                defaults={"days": days, "legal_source": SOURCE},
            )


@transaction.atomic
def _fast_path_cases() -> int:
    rng = random.Random(20261203)
    users = {u.username: u for u in User.objects.all()}
    poor = Household.objects.filter(poverty_result="miskin", head__isnull=False).exclude(
        applications__status__in=OPEN_STATUSES
    )
    poor = poor.select_related("head").order_by("-id")
    pools = {
        "op.keden": iter(poor.filter(desa_id=KEDEN)),
        "op.kalijambe": iter(poor.filter(desa__parent_id=KALIJAMBE).exclude(desa_id=KEDEN)),
        "petugas": iter(poor.exclude(desa__parent_id=KALIJAMBE)),
    }
    services = {s.code: s for s in ServiceType.objects.filter(code__in=SERVICES).select_related("agency")}
    created = []
    with chain.deferred():
        for i in range(CASES):
            desk = DESKS[i % len(DESKS)]
            household = next(pools[desk], None)
            if household is None:
                continue
            service = services[SERVICES[(i // len(DESKS)) % len(SERVICES)]]
            application = _through_fast_path(users, desk, service, household)
            created.append(application)
        now = timezone.now()
        for n, application in enumerate(created):
            _backdate(application, now, days_ago=1 + (n * 29) // max(1, len(created)), minutes=rng.choice(MINUTES))
    _refer_some(users, [a for a in created if a.service.agency_id])
    check_deadlines()
    # The other demo cases were moved into the past after their issue: their clock follows them.
    for application in Application.objects.filter(details__demo=True, issued_at__isnull=False).exclude(
        details__has_key="demo_fast_path"
    ):
        minutes = int((application.issued_at - application.received_at).total_seconds() // 60)
        Application.objects.filter(pk=application.pk).update(issue_minutes=max(0, minutes))
    return len(created)


# Minutes from intake to issue: most within the 30-minute standard, some not (a queue at the desk,
# a document to fetch from the desa).
MINUTES = [8, 11, 14, 15, 17, 18, 19, 21, 22, 23, 24, 26, 27, 28, 29, 33, 38, 45, 52, 75]


def _through_fast_path(users, desk, service, household):
    present = [r.pk for r in service.requirements.all()]
    application, _pin = application_create(
        actor=users[desk],
        service=service,
        applicant=household.head,
        present_ids=present,
        details={"demo": True, "demo_fast_path": True},
    )
    # Received before every demo case still waiting, so that the fair queue lets these through; the
    # real times are set afterwards (_backdate).
    Application.objects.filter(pk=application.pk).update(received_at=F("received_at") - dt.timedelta(days=400))
    application.refresh_from_db()
    steps = (["acknowledge"] if application.status == "submitted" else []) + ["accept_documents", "fast_track"]
    for name in steps:
        actor = users["op.kalijambe" if name == "acknowledge" else "petugas"]
        application = application_transition(actor=actor, application=application, name=name)
    application = application_transition(
        actor=users["kepala"], application=application, name="approve", data={"reason": "Memenuhi syarat."}
    )
    return actions.application_issue(actor=users["petugas"], application=application)


def _backdate(application, now, *, days_ago: int, minutes: int) -> None:
    received = now - dt.timedelta(days=days_ago, minutes=minutes)
    issued = received + dt.timedelta(minutes=minutes)
    Event.objects.filter(application=application).update(at=F("at") - (now - issued))
    Application.objects.filter(pk=application.pk).update(received_at=received, issued_at=issued, issue_minutes=minutes)
    application.received_at, application.issued_at = received, issued


URGENT_REFERRAL = "Pasien dalam kondisi gawat; rujukan didahulukan."


def _refer_some(users, issued) -> None:
    """Refer every other issued case; of those, answer some on time and some late, leave the rest open.
    The agency answers in the order the cases were received, as its fair queue asks."""
    calendar = working_calendar()
    answered = []
    for n, application in enumerate(issued[::2]):
        application = application_transition(
            actor=users["petugas"],
            application=application,
            name="refer",
            data={"agency": application.service.agency, "note": "Mohon ditindaklanjuti."},
        )
        referral = Referral.objects.get(application=application)
        sent = timezone.localtime(application.issued_at)
        due = calendar.add_working_days(sent.date(), referral.standard.days) if referral.standard else None
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent, due_date=due)
        if due is None or n % 3 == 2 or referral.agency.code != "rsud-soehadi":
            continue  # still open: overdue or due soon once swept
        answered.append((application, referral, due, sent, n % 3 == 1))
    mitra = users["mitra.rsud"]
    for application, referral, due, sent, late in sorted(answered, key=lambda item: item[0].received_at):
        # A case referred earlier by another part of the demo may still wait: skipping it needs a reason.
        application_transition(
            actor=mitra, application=application, name="acknowledge_referral", queue_reason=URGENT_REFERRAL
        )
        application_transition(
            actor=mitra, application=application, name="record_outcome", data={"outcome": "Pasien dilayani."}
        )
        at = dt.datetime.combine(due + dt.timedelta(days=4 if late else -1), dt.time(10), sent.tzinfo)
        Referral.objects.filter(pk=referral.pk).update(outcome_at=min(at, timezone.now()))


@transaction.atomic
def _appointments() -> int:
    kasi, today = User.objects.get(username="kasi"), timezone.localdate()
    tksk = User.objects.get(username="op.kalijambe")
    actions.appointment_create(
        actor=kasi,
        appointee=tksk,
        desa=list(Region.objects.filter(code__in=[KEDEN, TROBAYAN])),
        valid_from=today - dt.timedelta(days=14),
        valid_until=today + dt.timedelta(days=60),
        reason="TKSK Kalijambe membantu verifikasi lapangan Keden dan Trobayan selama verifikator cuti.",
    )
    waiting = Application.objects.filter(status="verification", desa__parent_id=KALIJAMBE).order_by("id").first()
    if waiting is None:
        return 1
    actions.appointment_create(
        actor=User.objects.get(username="kepala"),
        appointee=User.objects.get(username="op.trobayan"),
        application=waiting,
        valid_from=today,
        valid_until=today + dt.timedelta(days=14),
        reason="Pemohon tinggal di perbatasan; operator desa mengenal lokasinya.",
    )
    return 2


@transaction.atomic
def _recusals() -> int:
    petugas, kepala, kasi = (User.objects.get(username=u) for u in ("petugas", "kepala", "kasi"))
    open_cases = Application.objects.filter(status__in=["received", "data_check", "decision"]).order_by("id")
    case = open_cases.first()
    if case is None:
        return 0
    recusal = actions.recusal_declare(actor=petugas, application=case, relation="tetangga satu RT")
    actions.recusal_override(
        actor=kepala, recusal=recusal, reason="Satu-satunya petugas di meja layanan hari itu; diawasi kasi."
    )
    actions.recusal_declare(actor=kasi, application=case, relation="sepupu pemohon")
    for flag in CaseRecusal.objects.filter(kind=CaseRecusal.Kind.SURNAME, outcome="")[:3]:
        reviewer = kepala if flag.officer_id == kasi.pk else kasi
        actions.recusal_review(
            actor=reviewer, recusal=flag, outcome="cleared", reason="Nama keluarga umum; tidak ada hubungan keluarga."
        )
    return CaseRecusal.objects.count()
