"""Demo budgets of the current fiscal year and their ledger. Idempotent: each part is skipped when it
exists.

`ensure_budgets_demo` (before the allocation demo): a programme per budget-bounded service, funding
sources with ceilings (RTLH co-funded by APBD and CSR, the CSR part split to one kecamatan), an
APBD-P revision of the beasiswa ceiling, and the wheelchair stock received (a donation and an APBD
purchase). The ceilings are demo figures: a number of recipients times the service's dated amount.

`ensure_ledger_demo` (after the allocation demo): payments and handovers for a share of the
applications its rounds approved — beasiswa's first semester, santunan in cash, RTLH's first
construction stage, wheelchairs issued — paid from their commitments, and one payment recorded twice
and reversed.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from satupintu import parameters
from satupintu.accounts.models import User
from satupintu.budgets import actions
from satupintu.budgets.models import Commitment, EntryKind, LedgerEntry, Method, Programme, SourceKind, Unit
from satupintu.catalogue.models import ServiceType
from satupintu.regions.models import Region

KALIJAMBE = "33.14.01"
# service: (unit, [(kind, source name, recipients the ceiling reaches, in units too?)])
PROGRAMMES = {
    "beasiswa-prestasi": (Unit.RUPIAH, [(SourceKind.APBD, "APBD Kabupaten Sragen", 10, True)]),
    "santunan-duka": (Unit.RUPIAH, [(SourceKind.APBD, "APBD Kabupaten Sragen", 40, False)]),
    "rtlh-apbd": (
        Unit.RUPIAH,
        [(SourceKind.APBD, "APBD Kabupaten Sragen", 8, True), (SourceKind.CSR, "CSR Bank Jateng", 4, True)],
    ),
    "raskin": (Unit.KG, [(SourceKind.APBD, "APBD Kabupaten Sragen", 200, True)]),
    "kursi-roda": (
        Unit.ITEM,
        [(SourceKind.DONATION, "Donasi Rotary Club Sragen", 0, False), (SourceKind.APBD, "Pengadaan APBD", 0, False)],
    ),
}
AMOUNT = {"beasiswa-prestasi": "beasiswa_amount", "santunan-duka": "sangduta_amount", "rtlh-apbd": "rtlh_apbd_amount"}
STOCK = {"Donasi Rotary Club Sragen": 6, "Pengadaan APBD": 4}  # wheelchairs received
SHARE = Decimal("0.7")  # of the approved applications paid so far
DEMO = "Data demo: "


def _users() -> dict:
    return {u.username: u for u in User.objects.filter(username__in=["petugas", "kasi", "kepala"])}


def ensure_budgets_demo(stdout=None) -> None:
    today = timezone.localdate()
    if Programme.objects.filter(fiscal_year=today.year).exists():
        return
    users = _users()
    kasi, petugas = users["kasi"], users["petugas"]
    start = dt.date(today.year, 1, 2)
    for code, (unit, sources) in PROGRAMMES.items():
        service = ServiceType.objects.get(code=code)
        programme = actions.create_programme(
            actor=kasi, service=service, fiscal_year=today.year, unit=unit, name=service.name
        )
        for kind, name, places, with_units in sources:
            source = actions.add_source(actor=kasi, programme=programme, kind=kind, name=name)
            if places:
                amount, units = _ceiling(code, places, start)
                actions.revise_ceiling(
                    actor=kasi,
                    source=source,
                    amount=amount,
                    units=units if with_units or amount is None else None,
                    valid_from=start,
                    reason=DEMO + f"APBD murni {today.year}",
                )
            if kind == SourceKind.CSR:
                _csr_split(kasi, source, start)
            if code == "kursi-roda":
                actions.record_entry(
                    actor=petugas, programme=programme, source=source, household=None,
                    kind=EntryKind.STOCK_RECEIPT, on=start, units=STOCK[name],
                    method=Method.GOODS, note=DEMO + ("donasi" if kind == SourceKind.DONATION else "pembelian"),
                )  # fmt: skip
        if code == "beasiswa-prestasi":
            _apbd_p(kasi, programme, today)
    if stdout:
        stdout.write(f"Anggaran demo {today.year}: {len(PROGRAMMES)} program dengan pagu dan sumber dana.")


def _ceiling(code: str, places: int, on: dt.date) -> tuple[Decimal | None, Decimal]:
    """`places` recipients' worth: their rupiah (the service's dated amount) and their units."""
    amount = Decimal(parameters.value(AMOUNT[code], on)) * places if code in AMOUNT else None
    per = Decimal(parameters.value("raskin_kg_per_month", on)) * 12 if code == "raskin" else Decimal(1)
    return amount, per * places


def _csr_split(kasi, source, start) -> None:
    """The CSR partner funds its houses in one kecamatan: the whole CSR ceiling is that kecamatan's."""
    kecamatan = Region.objects.filter(code=KALIJAMBE).first()
    latest = source.revisions.order_by("-id").first()
    if kecamatan and latest:
        actions.revise_ceiling(
            actor=kasi, source=source, amount=latest.amount, units=latest.units, kecamatan=kecamatan,
            valid_from=start, reason=DEMO + "perjanjian kerja sama CSR untuk Kecamatan Kalijambe",
        )  # fmt: skip


def _apbd_p(kasi, programme, today) -> None:
    """The APBD-P adds two places to the beasiswa ceiling from September (or today, earlier in the year)."""
    source = programme.sources.order_by("id").first()
    latest = source.revisions.filter(kecamatan__isnull=True).order_by("-id").first()
    on = min(dt.date(today.year, 9, 1), today)
    per = Decimal(parameters.value("beasiswa_amount", on))
    actions.revise_ceiling(
        actor=kasi, source=source, amount=latest.amount + 2 * per, units=(latest.units or 0) + 2, valid_from=on,
        reason=DEMO + f"APBD Perubahan {today.year}: tambahan dua penerima",
    )  # fmt: skip


def ensure_ledger_demo(stdout=None) -> None:
    today = timezone.localdate()
    rows = LedgerEntry.objects.filter(programme__fiscal_year=today.year, application__isnull=False)
    if rows.exclude(programme__service__code="raskin").exists():
        return
    petugas = _users()["petugas"]
    commitments = (
        Commitment.objects.filter(programme__fiscal_year=today.year, released_at__isnull=True)
        .exclude(programme__service__code="raskin")  # the raskin demo hands the rice over month by month
        .select_related("programme__service", "source__programme", "application__household__desa")
        .order_by("programme_id", "id")
    )
    by_programme: dict = {}
    for commitment in commitments:
        by_programme.setdefault(commitment.programme_id, []).append(commitment)
    written = 0
    for group in by_programme.values():
        paid = group[: max(1, int(len(group) * SHARE))]
        for commitment in paid:
            written += _pay(petugas, commitment, today)
    _reversal(petugas, today)
    if stdout:
        stdout.write(f"Buku kas demo: {written} pembayaran/penyerahan dari komitmen putaran, satu pembalikan.")


def _pay(petugas, commitment, today) -> int:
    code = commitment.programme.service.code
    application = commitment.application
    household = application.household
    on = min(today, dt.date(today.year, 3, 15))
    fields = {
        "actor": petugas, "programme": commitment.programme, "source": commitment.source, "household": household,
        "application": application, "recipient_name": application.applicant.name if application.applicant_id else "",
    }  # fmt: skip
    if code == "beasiswa-prestasi":  # the first of two semesters
        half = (commitment.amount or Decimal(0)) / 2
        actions.record_entry(**fields, kind=EntryKind.PAYMENT, on=on, amount=half, method=Method.TRANSFER,
                             note=DEMO + "semester gasal")  # fmt: skip
    elif code == "santunan-duka":
        actions.record_entry(**fields, kind=EntryKind.PAYMENT, on=on, amount=commitment.amount, method=Method.CASH,
                             proof_note=DEMO + "kwitansi ditandatangani ahli waris")  # fmt: skip
    elif code == "rtlh-apbd":  # the first construction stage: half the money, the house not yet done
        actions.record_entry(**fields, kind=EntryKind.PAYMENT, on=on, amount=(commitment.amount or 0) / 2,
                             method=Method.TRANSFER, proof_note=DEMO + "foto tahap 1: pondasi dan dinding")  # fmt: skip
    elif code == "kursi-roda":
        actions.record_entry(**fields, kind=EntryKind.STOCK_ISSUE, on=on, units=commitment.units or 1,
                             method=Method.GOODS, proof_note=DEMO + "foto penyerahan")  # fmt: skip
    else:
        return 0
    return 1


def _reversal(petugas, today) -> None:
    """A santunan payment typed twice by mistake: the double is recorded (outside the commitment, which
    the first one used up) and reversed with the reason."""
    first = (
        LedgerEntry.objects.filter(programme__fiscal_year=today.year, programme__service__code="santunan-duka")
        .filter(kind=EntryKind.PAYMENT)
        .select_related("programme", "source", "household")
        .first()
    )
    if first is None:
        return
    double = actions.record_entry(
        actor=petugas, programme=first.programme, source=first.source, household=first.household,
        kind=EntryKind.PAYMENT, on=first.on, amount=first.amount, method=first.method,
        note=DEMO + "tercatat dua kali",
    )  # fmt: skip
    actions.reverse_entry(actor=petugas, entry=double, reason=DEMO + "pembayaran yang sama tercatat dua kali")
