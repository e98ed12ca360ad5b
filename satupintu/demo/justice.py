"""Demo data for complaints, the SKM survey and the equity audit (idempotent).

Ten months of application history with one planted unfairness — Kecamatan Tangen is served
markedly slower — complaints in every state (sensitive and anonymous ones included, one about an
officer; the overdue ones left for the escalation schedule to escalate once the task cluster runs)
and survey responses.
"""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from satupintu.accounts.models import Role, User
from satupintu.audit import chain
from satupintu.cases.models import Application
from satupintu.complaints import actions as complaint_actions
from satupintu.complaints.models import Category, Channel, Complaint, FeedbackType, Track
from satupintu.lib.ikm import ELEMENT_KEYS
from satupintu.regions.models import Region
from satupintu.registry.models import Household
from satupintu.survey.actions import invite_completed
from satupintu.survey.models import Invitation, Response

from . import synthetic
from .accounts import DEMO_PASSWORD

SLOW_KECAMATAN = "33.14.19"  # Tangen: the planted unfairness
HISTORY_DAYS = 300


def ensure_integrity_user() -> User:
    group, _created = Group.objects.get_or_create(name=settings.SATUPINTU_INTEGRITY_GROUP)
    user, created = User.objects.get_or_create(
        username="integritas",
        defaults={
            "first_name": "Wulan",
            "last_name": "Pratiwi",
            "role": Role.KASI,
            "position": "Tim integritas (pengaduan imbalan dan diskriminasi)",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(group)
    return user


def ensure_justice_demo(stdout=None) -> None:
    integrity = ensure_integrity_user()
    _write(stdout, "  akun integritas: kasi di grup Tim Integritas (aduan imbalan dan diskriminasi)")
    today = timezone.localdate()
    if not Application.objects.filter(number__startswith=synthetic.PREFIX + "-").exists():
        households = Household.objects.count()
        staff = synthetic.Staff(
            intake=User.objects.get(username="petugas").pk,
            deciders=(User.objects.get(username="kasi").pk, User.objects.get(username="kepala").pk),
        )
        count = synthetic.generate(
            max(200, households // 2),
            start=today - dt.timedelta(days=HISTORY_DAYS),
            end=today - dt.timedelta(days=1),
            staff=staff,
            slow_kecamatan=SLOW_KECAMATAN,
            today=today,
        )
        _write(stdout, f"  {count} permohonan riwayat (Kecamatan Tangen sengaja dilayani lebih lambat)")
    if not Response.objects.exists():
        invite_completed()
        _write(stdout, f"  {_answer_surveys(today)} jawaban survei kepuasan")
    if not Complaint.objects.exists():
        _write(stdout, f"  {_complaints(today, integrity)} pengaduan di setiap status")


def _write(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _answer_surveys(today) -> int:
    rng = random.Random(14)
    rows = []
    invitations = Invitation.objects.select_related("application__desa").order_by("id")
    for invitation in invitations:
        if rng.random() > 0.6:
            continue
        application = invitation.application
        slow = application.desa.parent_id == SLOW_KECAMATAN
        answers = {key: rng.choices([2, 3, 4], weights=[1, 6, 4])[0] for key in ELEMENT_KEYS}
        if slow:
            answers["waktu"] = rng.choices([1, 2, 3], weights=[3, 5, 2])[0]
        submitted = min(
            timezone.localtime(application.closed_at) + dt.timedelta(days=rng.randint(1, 5)), timezone.now()
        )
        rows.append(
            Response(
                invitation=invitation,
                service_id=application.service_id,
                kecamatan_id=application.desa.parent_id,
                submitted_at=submitted,
                **answers,
            )
        )
    Response.objects.bulk_create(rows, batch_size=500)
    return len(rows)


COMPLAINTS = [
    # (feedback type, category, anonymous, kecamatan, target state, days ago, text)
    (
        FeedbackType.PENGADUAN,
        Category.IMBALAN,
        True,
        "33.14.19",
        "closed",
        120,
        "Petugas di kecamatan meminta uang agar berkas cepat diproses.",
    ),
    (
        FeedbackType.PENGADUAN,
        Category.DISKRIMINASI,
        True,
        "33.14.19",
        "resolved",
        40,
        "Warga dukuh kami selalu didahulukan belakangan dibanding warga lain.",
    ),
    (
        FeedbackType.PENGADUAN,
        Category.IMBALAN,
        True,
        "33.14.07",
        "assigned",
        2,
        "Ada yang menawarkan jasa mengurus kartu dengan bayaran.",
    ),
    (
        FeedbackType.PENGADUAN,
        Category.PENUNDAAN,
        False,
        "33.14.19",
        "responded",
        12,
        "Permohonan Kartu Saraswati belum selesai lebih dari dua minggu.",
    ),
    (
        FeedbackType.PENGADUAN,
        Category.PENUNDAAN,
        False,
        "33.14.19",
        "received",
        9,
        "Sudah tiga kali datang, berkas masih di meja verifikasi.",
    ),
    (
        FeedbackType.PENGADUAN,
        Category.TIDAK_PATUT,
        False,
        "33.14.01",
        "closed",
        90,
        "Petugas loket berbicara kasar kepada ibu saya.",
    ),
    (
        FeedbackType.PENGADUAN,
        Category.PENYIMPANGAN,
        False,
        "33.14.10",
        "resolved",
        30,
        "Diminta fotokopi dokumen yang tidak ada dalam persyaratan.",
    ),
    (
        FeedbackType.PERTANYAAN,
        Category.LAINNYA,
        False,
        "33.14.13",
        "closed",
        60,
        "Apakah Kartu Saraswati berlaku untuk anak yang bersekolah di luar kabupaten?",
    ),
    (
        FeedbackType.SARAN,
        Category.LAINNYA,
        False,
        "33.14.03",
        "responded",
        3,
        "Mohon disediakan kursi roda di kantor kecamatan.",
    ),
    (
        FeedbackType.PENGADUAN,
        Category.TIDAK_MEMBERIKAN,
        False,
        "33.14.05",
        "assigned",
        1,
        "Permohonan saya ditolak tanpa penjelasan di loket desa.",
    ),
    (FeedbackType.PENGADUAN, Category.PENUNDAAN, False, "33.14.19", "received", 0, "Rujukan ke RSUD belum ada kabar."),
]


@transaction.atomic
def _complaints(today, integrity) -> int:
    with chain.deferred():  # the events join the chain once moved into the past
        kasi = User.objects.get(username="kasi")
        kepala = User.objects.get(username="kepala")
        petugas = User.objects.get(username="petugas")
        regions = Region.objects.in_bulk([row[3] for row in COMPLAINTS])
        for index, (kind, category, anonymous, kecamatan, target, days_ago, text) in enumerate(COMPLAINTS):
            about = petugas if category == Category.TIDAK_PATUT else None
            complaint, _pin = complaint_actions.complaint_submit(
                actor=None if anonymous else petugas,
                channel=Channel.WEB if anonymous else [Channel.DESK, Channel.PHONE, Channel.SMS][index % 3],
                feedback_type=kind,
                category=category,
                description=text,
                anonymous=anonymous,
                reporter_name="" if anonymous else "Warga pelapor",
                kecamatan=regions[kecamatan],
                about_officer=about,
            )
            received = today - dt.timedelta(days=days_ago)
            response_due, resolution_due = complaint_actions.due_dates(received, complaint.track)
            Complaint.objects.filter(pk=complaint.pk).update(
                received_at=timezone.make_aware(dt.datetime.combine(received, dt.time(9))),
                response_due=response_due,
                resolution_due=resolution_due,
            )
            complaint.refresh_from_db()
            complaint.events.update(at=complaint.received_at)
            if complaint.sensitive:
                supervisor, handler = integrity, integrity
            elif about is not None:  # recusal: the officer complained about never handles it
                supervisor, handler = kepala, kasi
            else:
                supervisor, handler = kasi, petugas
            _advance(complaint, target, supervisor, handler)
    return len(COMPLAINTS)


def _advance(complaint, target, supervisor, handler):
    order = ["received", "assigned", "responded", "resolved", "closed"]
    steps = {
        "assigned": (
            supervisor,
            "assign",
            {"assignee": handler, "track": Track.STANDARD, "reason": "Mohon ditindaklanjuti."},
        ),
        "responded": (handler, "respond", {"reason": "Terima kasih, pengaduan Anda sedang kami periksa."}),
        "resolved": (handler, "resolve", {"reason": "Sudah diperiksa dan petugas terkait sudah ditegur/ditindak."}),
        "closed": (supervisor, "close", {"reason": "Tindak lanjut selesai dan dikonfirmasi."}),
    }
    for state in order[1 : order.index(target) + 1]:
        actor, name, data = steps[state]
        complaint = complaint_actions.complaint_step(actor=actor, complaint=complaint, name=name, data=data)
