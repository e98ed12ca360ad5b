"""Demo data of the immediate services (idempotent): an ambulance roster covering the last month
around the clock, a month of calls whose response time grows with the kecamatan's distance from
the base, patients of unknown eligibility flagged (the older ones verified), and Klinik Saraswati
visits checked by their cards' QR codes, some referred to the hospital."""

import datetime as dt
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from satupintu.accounts.models import User
from satupintu.audit import chain
from satupintu.documents.actions import DocumentError, document_issue_card
from satupintu.documents.models import IssuedDocument, Kind, Tier
from satupintu.emergency import actions, selectors
from satupintu.emergency.eligibility import check_card
from satupintu.emergency.models import AmbulanceCall, Driver, Facility, FacilityKind, Shift, Urgency, Vehicle
from satupintu.emergency.reference import ensure_facilities
from satupintu.regions.models import Level, Region
from satupintu.registry.choices import PovertyResult
from satupintu.registry.models import Household, Person, PovertyAssessment

DAYS = 30
CALLS_PER_DAY = 5
VISITS = 120
BASE = "Pos Ambulans UPT-PK, Jl. Raya Sukowati, Sragen"
# Road distance (km) from the base in Sragen town to each kecamatan's centre: a demo estimate that
# makes the far kecamatan wait longer, not a survey.
DISTANCE_KM = {
    "Sragen": 2, "Karangmalang": 5, "Sidoharjo": 9, "Ngrampal": 9, "Kedawung": 11, "Masaran": 13,
    "Sambungmacan": 15, "Gondang": 16, "Tanon": 18, "Sukodono": 18, "Sambirejo": 19, "Mondokan": 21,
    "Gesi": 22, "Gemolong": 24, "Tangen": 27, "Plupuh": 27, "Sumberlawang": 27, "Jenar": 32,
    "Kalijambe": 33, "Miri": 34,
}  # fmt: skip
VEHICLES = [
    ("AD 9101 KB", "Ambulans Saraswati 1"),
    ("AD 9102 KB", "Ambulans Saraswati 2"),
    ("AD 9103 KB", "Ambulans Saraswati 3"),
    ("AD 9104 KB", "Ambulans Saraswati 4 (siang)"),
]
DRIVERS = [
    ("Sukiman", "081329100001"),
    ("Wagiman", "081329100002"),
    ("Supardi", "081329100003"),
    ("Slamet Riyadi", "081329100004"),
    ("Joko Susilo", "081329100005"),
    ("Bambang Haryono", "081329100006"),
    ("Tri Wahyudi", "081329100007"),
]
PUSKESMAS = ["Puskesmas Sragen", "Puskesmas Gemolong", "Puskesmas Tangen", "Puskesmas Masaran"]
NORTH_WEST = {"Gemolong", "Kalijambe", "Miri", "Sumberlawang", "Plupuh", "Tanon", "Mondokan"}
LANDMARKS = [
    "Sebelah masjid",
    "Depan SD negeri",
    "Rumah hijau dekat pos ronda",
    "Gang sebelah warung",
    "Belakang balai desa",
]


def ensure_emergency_demo(stdout=None) -> None:
    ensure_facilities()
    for name in PUSKESMAS:
        Facility.objects.get_or_create(name=name, defaults={"kind": FacilityKind.PUSKESMAS})
    if not Vehicle.objects.exists():
        _write(stdout, f"  {_roster(timezone.now())} jadwal jaga ambulans (24 jam, {DAYS + 2} hari)")
    rng = random.Random(20261203)
    petugas = User.objects.get(username="petugas")
    cards = _cards(rng, petugas)
    if not AmbulanceCall.objects.exists():
        _write(stdout, f"  {_calls(rng, petugas, timezone.now())} panggilan ambulans selama {DAYS} hari")
    if not selectors.visits_for(petugas).exists():
        _write(stdout, f"  {_visits(rng, petugas, timezone.now(), cards)} kunjungan Klinik Saraswati")
    for line in response_lines(timezone.localdate()):
        _write(stdout, line)


def _write(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _roster(now) -> int:
    """Vehicles 1–3 around the clock in two 12-hour shifts (07–19, 19–07), vehicle 4 in the day."""
    vehicles = [Vehicle.objects.create(plate=plate, name=name, base=BASE) for plate, name in VEHICLES]
    drivers = [Driver.objects.create(name=name, phone=phone) for name, phone in DRIVERS]
    first = timezone.localdate(now) - dt.timedelta(days=DAYS + 1)
    shifts = []
    for offset in range(DAYS + 3):
        day = first + dt.timedelta(days=offset)
        seven = timezone.make_aware(dt.datetime.combine(day, dt.time(7)))
        for index, vehicle in enumerate(vehicles):
            halves = [(seven, seven + dt.timedelta(hours=12))]
            if index < 3:
                halves.append((seven + dt.timedelta(hours=12), seven + dt.timedelta(hours=24)))
            for half, (start, end) in enumerate(halves):
                # Two teams of three swap day and night weekly; the day vehicle has its own driver.
                team = (half + offset // 7) % 2
                driver = drivers[index * 2 + team] if index < 3 else drivers[6]
                shifts.append(Shift(vehicle=vehicle, driver=driver, starts_at=start, ends_at=end))
    Shift.objects.bulk_create(shifts)
    return len(shifts)


def _response_minutes(rng, kecamatan: str, at) -> float:
    """Call to arrival: 2–4 minutes to leave, the road at about 45 km/h (slower in the day's traffic)."""
    km = DISTANCE_KM.get(kecamatan, 20)
    speed = 38 if 7 <= timezone.localtime(at).hour < 18 else 48
    return rng.uniform(2, 4) + km / speed * 60 * rng.lognormvariate(0, 0.18)


@transaction.atomic
def _calls(rng, actor, now) -> int:
    desa = list(Region.objects.filter(level=Level.DESA).select_related("parent"))
    # Four patients in five come from households the registry knows as poor or that hold a card.
    served = PovertyAssessment.objects.filter(is_valid=True, result=PovertyResult.POOR).values("household_id")
    carded = IssuedDocument.objects.filter(kind=Kind.SARASWATI).values("household_id")
    people = Person.objects.filter(household__isnull=False).values_list("pk", "household__desa_id")
    likely = people.filter(Q(household__in=served) | Q(household__in=carded))
    by_desa: dict[str, list[int]] = {}
    likely = list(likely[:4000])
    for pk, desa_id in [*likely, *people.order_by("?")[: len(likely) // 4 + 1]]:
        by_desa.setdefault(desa_id, []).append(pk)
    facilities = {f.name: f for f in Facility.objects.all()}
    soehadi = Facility.objects.get(agency__code="rsud-soehadi")
    soeratno = Facility.objects.filter(agency__code="rsud-soeratno").first() or soehadi
    vehicles = list(Vehicle.objects.order_by("name"))
    start = now - dt.timedelta(days=DAYS)
    times = sorted(
        start + dt.timedelta(seconds=rng.uniform(0, DAYS * 86400 - 7200)) for _ in range(DAYS * CALLS_PER_DAY)
    )
    inhabited = [d for d in desa if d.code in by_desa] or desa
    count = 0
    with chain.deferred():  # the events join the chain after the whole month is written
        for at in times:
            known = rng.random() > 0.15
            place = rng.choice(inhabited if known else desa)
            known = known and place.code in by_desa
            patient = Person.objects.get(pk=rng.choice(by_desa[place.code])) if known else None
            destination = soeratno if place.parent.name in NORTH_WEST else soehadi
            if rng.random() < 0.2:
                destination = facilities.get(f"Puskesmas {place.parent.name}", destination)
            call, _new = actions.call_take(
                actor=actor,
                received_at=at,
                caller_name=rng.choice(["Warsini", "Sutarno", "Parmi", "Suyanto", "Lestari", "Mulyono"]),
                caller_phone=f"0813{rng.randrange(10**7, 10**8)}",
                caller_relation=rng.choice(["anak", "suami", "istri", "tetangga", "ketua RT"]),
                patient=patient,
                patient_name="" if patient else rng.choice(["Mbah Karto", "Bu Sarni", "Pak Wiryo", "Mbok Painem"]),
                pickup_desa=place,
                pickup_rt=f"{rng.randint(1, 12):03d}",
                pickup_rw=f"{rng.randint(1, 6):03d}",
                landmark=rng.choice(LANDMARKS),
                destination=destination,
                urgency=rng.choice([Urgency.EMERGENCY, Urgency.EMERGENCY, Urgency.URGENT, Urgency.ORDINARY]),
            )
            _drive(rng, actor, call, place.parent.name, at, vehicles)
            count += 1
    _verify_older(actor, now)
    _active_now(rng, actor, now, desa, soehadi)
    return count


def _drive(rng, actor, call, kecamatan, at, vehicles):
    if rng.random() < 0.03:
        reason = rng.choice(["Pasien dibawa keluarga dengan kendaraan sendiri", "Panggilan ganda"])
        actions.call_step(
            actor=actor, call=call, name="cancel", data={"reason": reason, "at": at + dt.timedelta(minutes=3)}
        )
        return
    dispatched = at + dt.timedelta(minutes=rng.uniform(1, 3))
    vehicle = next(v for v in vehicles if actions._on_shift(v, dispatched))
    pickup = at + dt.timedelta(minutes=_response_minutes(rng, kecamatan, at))
    facility = pickup + dt.timedelta(minutes=rng.uniform(10, 45))
    back = facility + dt.timedelta(minutes=rng.uniform(20, 50))
    steps = [("dispatch", dispatched), ("arrive", max(pickup, dispatched)), ("deliver", facility), ("return", back)]
    for name, when in steps:
        call = actions.call_step(actor=actor, call=call, name=name, data={"vehicle": vehicle, "at": when})


def _verify_older(actor, now):
    """Patients of unknown eligibility carried more than a week ago have been verified."""
    older = AmbulanceCall.objects.filter(verify_after=True, received_at__lt=now - dt.timedelta(days=7))
    for index, call in enumerate(older.order_by("received_at")):
        outcome = ["eligible", "eligible", "not_eligible", "not_found"][index % 4]
        note = {
            "eligible": "Kunjungan rumah oleh TKSK: keluarga miskin, diusulkan masuk DTSEN",
            "not_eligible": "Keluarga mampu; layanan tetap diberikan karena gawat darurat",
            "not_found": "Alamat tidak ditemukan; penelepon tidak dapat dihubungi",
        }[outcome]
        actions.verification_resolve(actor=actor, call=call, outcome=outcome, note=note)


def _active_now(rng, actor, now, desa, destination):
    """Three calls of the last half hour, still on the board."""
    vehicles = list(actions.free_vehicles(now))
    for index, minutes in enumerate((25, 12, 4)):
        place = rng.choice(desa)
        call, _new = actions.call_take(
            actor=actor,
            received_at=now - dt.timedelta(minutes=minutes),
            caller_name="Suyanto",
            caller_phone="081329555000",
            caller_relation="tetangga",
            patient_name=["Mbah Sastro", "Bu Tukiyem", "Pak Darmo"][index],
            pickup_desa=place,
            landmark=rng.choice(LANDMARKS),
            destination=destination,
            urgency=Urgency.EMERGENCY,
        )
        if index < 2 and len(vehicles) > index:
            data = {"vehicle": vehicles[index], "at": call.received_at + dt.timedelta(minutes=2)}
            call = actions.call_step(actor=actor, call=call, name="dispatch", data=data)
        if index == 0:
            actions.call_step(actor=actor, call=call, name="arrive", data={"at": now - dt.timedelta(minutes=3)})


def _cards(rng, actor, wanted: int = 30) -> list:
    """The demo's Kartu Saraswati; a few are issued to households of the registry when none exist."""
    cards = IssuedDocument.objects.defer("pdf", "content").filter(kind=Kind.SARASWATI).order_by("id")
    if cards.count() < wanted:
        households = Household.objects.filter(head__isnull=False).exclude(documents__kind=Kind.SARASWATI)
        for household in households.order_by("id")[:wanted]:
            tier = rng.choice([Tier.MELATI, Tier.MELATI, Tier.MENUR, Tier.KENANGA])
            try:
                document_issue_card(actor=actor, kind=Kind.SARASWATI, household=household, tier=tier)
            except DocumentError:  # no member the card may cover
                continue
    return list(cards[:400])


def _visits(rng, actor, now, cards) -> int:
    if not cards:
        return 0
    people = selectors.people_for(actor)
    count = 0
    for index in range(VISITS):
        card = rng.choice(cards)
        check = check_card(card.qr_text if index % 10 else _nik_of(card), people)
        if not check.found:
            continue
        members = list(people.filter(household=check.household))
        at = (now - dt.timedelta(days=rng.uniform(1, DAYS))).replace(hour=rng.randint(1, 8))  # 08–15 in Sragen
        referred = rng.random() < 0.08
        actions.visit_register(
            actor=actor,
            check=check,
            person=rng.choice(members),
            service=rng.choice(["pemeriksaan", "pemeriksaan", "pengobatan", "kronis", "kia", "gigi"]),
            service_note="Rujukan untuk pemeriksaan lanjutan" if referred else "",
            referred=referred,
            visited_at=at,
        )
        count += 1
    return count


def _nik_of(card) -> str:
    return (
        Person.objects.filter(household_id=card.household_id).exclude(nik=None).values_list("nik", flat=True).first()
        or ""
    )


def response_lines(today: dt.date) -> list[str]:
    """The month's response times per kecamatan, as demo-setup prints them."""
    stats = selectors.response_times(today - dt.timedelta(days=DAYS), today)
    standard = actions.standard_minutes(today)
    lines = [f"  Waktu tanggap ambulans {DAYS} hari terakhir (standar {standard} menit): median / p90 / dalam standar"]
    for row in [*stats["rows"], stats["total"]]:
        if not row.reached:
            continue
        share = f"{row.share_within:.0%}" if row.share_within is not None else "—"
        name, times = row.name or "Kabupaten", f"{row.median:5.1f} / {row.p90:5.1f} menit"
        lines.append(f"    {name:<14} {row.reached:>3} panggilan  {times}  {share}")
    return lines
