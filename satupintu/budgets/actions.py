"""Writes to the budget programmes: each one transaction with the funding source's row locked (so two
writers on one source queue instead of both spending the same headroom), a check against the ceiling,
and an audit row.

Refusals are `BudgetRefused` (its message is the Indonesian reason shown to the user);
`OverCeiling` says by how much the ceiling would be exceeded.
"""

import datetime as dt
import os
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import BUDGET_MANAGE, LEDGER_RECORD, RASKIN_DISTRIBUTE, ROUND_APPROVE, has
from satupintu.accounts.scoping import area_q
from satupintu.audit.log import Action, record
from satupintu.cases.templatetags.cases_tags import rupiah
from satupintu.lib.transitions import Refused
from satupintu.regions.models import Level

from . import selectors
from .models import (
    CeilingRevision,
    Commitment,
    EntryKind,
    Flow,
    FundingSource,
    LedgerEntry,
    Programme,
    SourceKind,
    Unit,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")
OUTGOING = {EntryKind.PAYMENT, EntryKind.HANDOVER, EntryKind.STOCK_ISSUE}


class BudgetRefused(Refused):
    """A refused write; the message says why, in Indonesian."""


class OverCeiling(BudgetRefused):
    """The write would exceed a ceiling (or the stock); the message says by how much."""


def _require(actor, capability: str) -> None:
    if not has(actor, capability):
        raise PermissionDenied


# Handovers of these services are recorded (and reversed) only through the service's own distribution
# actions, which check the recipients, the month and once-a-month; the holders of the service's
# distribution capability record them there, within their area.
HANDED_OVER_BY = {"raskin": RASKIN_DISTRIBUTE}
# The reverse one-to-one relations by which a service's own record holds a ledger row.
HELD_BY = ("raskin_handover",)


def _require_ledger(actor, programme, kind: str, household, *, distribution: bool = False) -> None:
    """LEDGER_RECORD, or (through the service's own distribution action) the service's distribution
    capability for its handovers; and the household within the actor's area (an operator records for
    its own desa only). A handover of such a service is refused outside its distribution action."""
    extra = HANDED_OVER_BY.get(programme.service.code)
    if extra is not None and kind == EntryKind.HANDOVER and not distribution:
        raise BudgetRefused(
            _("Penyerahan %(service)s dicatat melalui halaman penyalurannya, bukan langsung di buku kas.")
            % {"service": programme.service.name}
        )
    allowed = has(actor, LEDGER_RECORD) or (
        distribution and extra is not None and kind in (EntryKind.HANDOVER, EntryKind.REVERSAL) and has(actor, extra)
    )
    if not allowed:
        raise PermissionDenied
    if household is not None and not type(household).objects.filter(area_q(actor), pk=household.pk).exists():
        raise PermissionDenied


def _held_elsewhere(entry) -> bool:
    """Whether a service's own record (a raskin handover) holds this ledger row."""
    names = [rel.name for rel in LedgerEntry._meta.related_objects if rel.one_to_one and rel.name in HELD_BY]
    return any(LedgerEntry.objects.filter(pk=entry.pk, **{f"{name}__isnull": False}).exists() for name in names)


def _earlier(model, submission_key, *, actor_field: str, actor, **target):
    """The row an earlier request with this one-time key wrote, when it was the same actor's for the
    same target; a key already used for anything else is refused."""
    if not submission_key:
        return None
    earlier = model.objects.filter(submission_key=submission_key).first()
    if earlier is None:
        return None
    same_actor = getattr(earlier, f"{actor_field}_id") == getattr(_actor(actor), "pk", None)
    if not same_actor or any(getattr(earlier, f"{name}_id") != value for name, value in target.items()):
        raise BudgetRefused(_("Formulir ini sudah dipakai untuk data lain; muat ulang halaman dan isi kembali."))
    return earlier


def _check_date(programme, on: dt.date) -> None:
    if on > timezone.localdate():
        raise BudgetRefused(_("Tanggal tidak boleh di masa depan."))
    if on.year != programme.fiscal_year:
        raise BudgetRefused(_("Tanggal harus dalam tahun anggaran %(year)s.") % {"year": programme.fiscal_year})


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _units_text(value: Decimal, unit: str) -> str:
    number = f"{value.normalize():f}".replace(".", ",")
    return f"{number} {Unit(unit).label}"


def _figure(value: Decimal, dimension: str, unit: str) -> str:
    return rupiah(value) if dimension == "amount" else _units_text(value, unit)


def _lock(source) -> FundingSource:
    return FundingSource.objects.select_for_update().select_related("programme").get(pk=source.pk)


def _check_room(where: str, room, amount, units, unit: str) -> None:
    """Refuse (`OverCeiling`, saying by how much) when `amount`/`units` exceed what is left in `room`."""
    for dimension, wanted in (("amount", amount), ("units", units)):
        left = getattr(room, dimension)
        if wanted is not None and left is not None and wanted > left:
            raise OverCeiling(
                _("Melebihi %(where)s sebesar %(over)s (sisa %(left)s, diminta %(wanted)s).")
                % {
                    "where": where,
                    "over": _figure(wanted - left, dimension, unit),
                    "left": _figure(max(left, ZERO), dimension, unit),
                    "wanted": _figure(wanted, dimension, unit),
                }
            )


def _check_regency(source, amount, units) -> None:
    """The regency ceiling (and the stock). Call with the source's row locked."""
    where = _("pagu %(source)s") % {"source": source.name}
    _check_room(where, selectors.headroom(source), amount, units, source.programme.unit)


def _check_kecamatan(source, kecamatan, amount, units) -> None:
    """The kecamatan's split only. Call with the source's row locked."""
    where = _("pagu Kecamatan %(name)s") % {"name": kecamatan.name}
    _check_room(where, selectors.headroom(source, kecamatan), amount, units, source.programme.unit)


def _check_commitment(commitment, amount, units, unit) -> None:
    paid = LedgerEntry.objects.filter(commitment=commitment, flow=Flow.OUT).aggregate(
        amount=selectors.total("amount"), units=selectors.total("units")
    )
    room = selectors.Figures(
        *(None if getattr(commitment, d) is None else getattr(commitment, d) - paid[d] for d in ("amount", "units"))
    )
    _check_room(_("komitmen permohonan ini"), room, amount, units, unit)


def _decimal(value) -> Decimal | None:
    """Two places, as the database keeps it (the chained rows' hashes are taken before the insert)."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(CENT)
    except (ArithmeticError, ValueError):
        raise BudgetRefused(_("Jumlah tidak valid.")) from None


def _positive(amount, units) -> tuple[Decimal | None, Decimal | None]:
    amount, units = _decimal(amount), _decimal(units)
    if amount is None and units is None:
        raise BudgetRefused(_("Isi jumlah rupiah atau jumlah satuan."))
    if (amount is not None and amount <= 0) or (units is not None and units <= 0):
        raise BudgetRefused(_("Jumlah harus lebih dari nol."))
    return amount, units


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise BudgetRefused(_("Alasan wajib diisi."))
    return text


# --- Programmes, sources, ceilings ---


def create_programme(*, actor, service, fiscal_year: int, unit: str, name: str) -> Programme:
    _require(actor, BUDGET_MANAGE)
    if unit not in Unit.values:
        raise BudgetRefused(_("Satuan tidak dikenal."))
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                service=service, fiscal_year=fiscal_year, unit=unit, name=(name or "").strip() or service.name
            )
            record(
                actor=actor,
                action=Action.CREATE,
                instance=programme,
                changes={"service": service.code, "fiscal_year": fiscal_year, "unit": unit, "name": programme.name},
            )
    except IntegrityError:
        raise BudgetRefused(
            _("Program %(service)s tahun %(year)s sudah ada.") % {"service": service.name, "year": fiscal_year}
        ) from None
    return programme


def add_source(*, actor, programme, kind: str, name: str) -> FundingSource:
    _require(actor, BUDGET_MANAGE)
    if kind not in SourceKind.values:
        raise BudgetRefused(_("Jenis sumber dana tidak dikenal."))
    name = (name or "").strip() or SourceKind(kind).label
    try:
        with transaction.atomic():
            source = FundingSource.objects.create(programme=programme, kind=kind, name=name)
            record(
                actor=actor,
                action=Action.CREATE,
                instance=source,
                changes={"programme": programme.pk, "kind": kind, "name": name},
            )
    except IntegrityError:
        raise BudgetRefused(_("Sumber dana %(name)s sudah ada pada program ini.") % {"name": name}) from None
    return source


def revise_ceiling(
    *, actor, source, amount, units, kecamatan=None, valid_from: dt.date, reason: str, submission_key=None
) -> CeilingRevision:
    """A new ceiling row for the regency or one kecamatan's split, from `valid_from` on. The same
    one-time `submission_key` sent again returns the first row."""
    _require(actor, BUDGET_MANAGE)
    if earlier := _earlier(CeilingRevision, submission_key, actor_field="actor", actor=actor, source=source.pk):
        return earlier
    reason = _reason(reason)
    amount, units = _decimal(amount), _decimal(units)
    if amount is None and units is None:
        raise BudgetRefused(_("Isi pagu rupiah atau pagu satuan."))
    if (amount is not None and amount < 0) or (units is not None and units < 0):
        raise BudgetRefused(_("Pagu tidak boleh negatif."))
    if kecamatan is not None and kecamatan.level != Level.KECAMATAN:
        raise BudgetRefused(_("Pembagian pagu hanya per kecamatan."))
    with transaction.atomic():
        source = _lock(source)
        revision = CeilingRevision.objects.create(
            source=source,
            kecamatan=kecamatan,
            amount=amount,
            units=units,
            valid_from=valid_from,
            reason=reason,
            actor=_actor(actor),
            submission_key=submission_key or None,
        )
        record(
            actor=actor,
            action=Action.CREATE,
            instance=revision,
            reason=reason,
            changes={
                "source": source.pk,
                "kecamatan": kecamatan.pk if kecamatan else None,
                "amount": str(amount) if amount is not None else None,
                "units": str(units) if units is not None else None,
                "valid_from": valid_from.isoformat(),
            },
        )
    return revision


# --- Commitments ---


def commit_budget(*, actor, source, items, round_ref: str) -> list[Commitment]:
    """Reserve budget for approved applications: `items` are (application, amount, units, kecamatan).
    All or nothing: raises `OverCeiling` when the items together exceed what remains on the regency
    ceiling, the stock, or a kecamatan's split. An application already holding an active commitment on
    the source is refused (`BudgetRefused`)."""
    _require(actor, ROUND_APPROVE)
    items = list(items)
    if not items:
        return []
    round_ref = str(round_ref)[:40]
    with transaction.atomic():
        source = _lock(source)
        programme = source.programme
        total_amount, total_units, per_kecamatan = None, None, {}
        rows = []
        for application, amount, units, kecamatan in items:
            amount, units = _positive(amount, units)
            if application.service_id != programme.service_id:
                raise BudgetRefused(
                    _("Permohonan %(number)s bukan untuk layanan program ini.") % {"number": application.number}
                )
            total_amount = _add(total_amount, amount)
            total_units = _add(total_units, units)
            if kecamatan is not None:
                a, u = per_kecamatan.get(kecamatan, (None, None))
                per_kecamatan[kecamatan] = (_add(a, amount), _add(u, units))
            rows.append(
                Commitment(
                    programme=programme,
                    source=source,
                    application=application,
                    amount=amount,
                    units=units,
                    kecamatan=kecamatan,
                    round_ref=round_ref,
                    actor=_actor(actor),
                )
            )
        taken = set(
            Commitment.objects.filter(
                source=source, released_at__isnull=True, application__in=[r.application for r in rows]
            ).values_list("application__number", flat=True)
        )
        if taken:
            raise BudgetRefused(
                _("Permohonan berikut sudah mendapat komitmen dari sumber ini: %(numbers)s.")
                % {"numbers": ", ".join(sorted(taken))}
            )
        _check_regency(source, total_amount, total_units)
        for kecamatan, (amount, units) in per_kecamatan.items():
            _check_kecamatan(source, kecamatan, amount, units)
        created = Commitment.objects.bulk_create(rows)
        if not all(c.pk for c in created):  # SQLite before 3.35 returns no ids: read them back
            created = list(Commitment.objects.filter(source=source, round_ref=round_ref, released_at__isnull=True))
        record(
            actor=actor,
            action=Action.CREATE,
            instance=source,
            changes={
                "commitments": len(created),
                "round": round_ref,
                "amount": str(total_amount) if total_amount is not None else None,
                "units": str(total_units) if total_units is not None else None,
            },
        )
    return created


def _add(total, value):
    if value is None:
        return total
    return value if total is None else total + value


def release_commitment(*, actor, commitment, reason: str) -> Commitment:
    """End a reservation (the application was withdrawn, the round reopened); what it covered of the
    ledger then counts on the ceiling itself."""
    _require(actor, ROUND_APPROVE)
    reason = _reason(reason)
    with transaction.atomic():
        _lock(commitment.source)
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if commitment.released_at is not None:
            raise BudgetRefused(_("Komitmen ini sudah dilepas."))
        commitment.released_at = timezone.now()
        commitment.release_reason = reason
        commitment.save(update_fields=["released_at", "release_reason"])
        record(
            actor=actor,
            action=Action.UPDATE,
            instance=commitment,
            reason=reason,
            changes={"released_at": [None, commitment.released_at.isoformat()]},
        )
    return commitment


# --- The ledger ---


def record_entry(
    *,
    actor,
    programme,
    source,
    household,
    kind: str,
    on: dt.date,
    amount=None,
    units=None,
    method: str = "",
    recipient_name: str = "",
    proof=None,
    proof_note: str = "",
    application=None,
    person=None,
    note: str = "",
    submission_key: str | None = None,
    _distribution: bool = False,
) -> LedgerEntry:
    """A payment, handover, stock receipt or stock issue. Paid from the application's active
    commitment on the source when it has one (never more than committed), else within the ceiling.
    A stock issue never takes the stock on hand below zero. The same `submission_key` sent again
    returns the first row (the same actor's, for the same source and household). `_distribution` is
    set by a service's own distribution action (raskin's handover) only."""
    if kind not in OUTGOING | {EntryKind.STOCK_RECEIPT}:
        raise BudgetRefused(_("Jenis entri tidak dikenal."))
    _require_ledger(actor, programme, kind, household, distribution=_distribution)
    if source.programme_id != programme.pk:
        raise BudgetRefused(_("Sumber dana bukan milik program ini."))
    _check_date(programme, on)
    amount, units = _positive(amount, units)
    if kind in (EntryKind.STOCK_RECEIPT, EntryKind.STOCK_ISSUE) and not units:
        raise BudgetRefused(_("Penerimaan dan pengeluaran stok dicatat dalam satuan."))
    if kind in (EntryKind.STOCK_RECEIPT, EntryKind.STOCK_ISSUE) and not programme.is_stock:
        raise BudgetRefused(_("Program ini tidak berupa stok barang."))
    if kind != EntryKind.STOCK_RECEIPT and household is None:
        raise BudgetRefused(_("Pilih rumah tangga penerima."))
    if application is not None:
        if application.service_id != programme.service_id:
            raise BudgetRefused(_("Permohonan bukan untuk layanan program ini."))
        if household is not None and application.household_id != household.pk:
            raise BudgetRefused(_("Permohonan bukan milik rumah tangga ini."))
    if person is not None and household is not None and person.household_id != household.pk:
        raise BudgetRefused(_("Penerima bukan anggota rumah tangga ini."))
    target = {"source": source.pk, "household": household.pk if household is not None else None}
    if earlier := _earlier(LedgerEntry, submission_key, actor_field="officer", actor=actor, **target):
        return earlier
    try:
        with transaction.atomic():
            return _record_entry(
                actor=actor,
                programme=programme,
                source=source,
                household=household,
                kind=kind,
                on=on,
                amount=amount,
                units=units,
                method=method,
                recipient_name=recipient_name,
                proof=proof,
                proof_note=proof_note,
                application=application,
                person=person,
                note=note,
                submission_key=submission_key or None,
            )
    except IntegrityError:
        if not submission_key:
            raise
        return _earlier(LedgerEntry, submission_key, actor_field="officer", actor=actor, **target)


def _record_entry(*, actor, source, household, kind, amount, units, application, proof, **fields) -> LedgerEntry:
    source = _lock(source)
    flow = Flow.IN if kind == EntryKind.STOCK_RECEIPT else Flow.OUT
    desa = household.desa if household is not None else None
    kecamatan_id = desa.parent_id if desa is not None else None
    commitment = None
    if flow == Flow.OUT:
        if kind == EntryKind.STOCK_ISSUE or (source.programme.is_stock and units):
            on_hand = selectors.stock(source).units
            if units > on_hand:
                raise OverCeiling(
                    _("Stok tidak cukup: tersedia %(left)s, diminta %(wanted)s.")
                    % {
                        "left": _units_text(max(on_hand, ZERO), source.programme.unit),
                        "wanted": _units_text(units, source.programme.unit),
                    }
                )
        commitment = (
            Commitment.objects.filter(source=source, application=application, released_at__isnull=True).first()
            if application is not None
            else None
        )
        if commitment is not None:
            _check_commitment(commitment, amount, units, source.programme.unit)
        else:
            kecamatan = desa.parent if desa is not None else None
            _check_regency(source, amount, units)
            if kecamatan is not None:
                _check_kecamatan(source, kecamatan, amount, units)
    entry = LedgerEntry(
        source=source,
        household=household,
        application=application,
        desa=desa,
        kecamatan_id=kecamatan_id,
        commitment=commitment,
        kind=kind,
        flow=flow,
        amount=amount,
        units=units,
        officer=_actor(actor),
        **fields,
    )
    if proof:  # stored first, so the row's hash covers the file's final name
        entry.proof.save(os.path.basename(proof.name), proof, save=False)
    entry.save()
    record(
        actor=actor,
        action=Action.CREATE,
        instance=entry,
        household_id=household.pk if household is not None else None,
        changes={
            "kind": kind,
            "source": source.pk,
            "amount": str(amount) if amount is not None else None,
            "units": str(units) if units is not None else None,
            "on": entry.on.isoformat(),
            "application": application.pk if application is not None else None,
        },
    )
    return entry


def reverse_entry(
    *, actor, entry, reason: str, on: dt.date | None = None, submission_key=None, _distribution: bool = False
) -> LedgerEntry:
    """A reversing row: the same programme, source, household and commitment with the negated amount
    and units, dated `on` (today). A row is reversed at most once; a reversal is not reversed (record
    the entry again instead). Reversing a stock receipt never takes the stock on hand below zero. A row
    held by a service's own record (a raskin handover) is reversed through that service's correction
    (`_distribution`) only. The same `submission_key` sent again returns the first reversal."""
    if earlier := _earlier(LedgerEntry, submission_key, actor_field="officer", actor=actor, reverses=entry.pk):
        return earlier
    kind = EntryKind.REVERSAL if entry.kind == EntryKind.HANDOVER else entry.kind
    _require_ledger(actor, entry.programme, kind, entry.household, distribution=_distribution)
    if not _distribution and _held_elsewhere(entry):
        raise BudgetRefused(
            _("Entri ini adalah penyerahan raskin; batalkan melalui koreksi penyerahan di halaman raskin.")
        )
    reason = _reason(reason)
    try:
        with transaction.atomic():
            source = _lock(entry.source)
            entry = LedgerEntry.objects.get(pk=entry.pk)
            if entry.kind == EntryKind.REVERSAL:
                raise BudgetRefused(_("Entri pembalikan tidak dapat dibalik; catat entri baru."))
            if LedgerEntry.objects.filter(reverses=entry).exists():
                raise BudgetRefused(_("Entri ini sudah dibalik."))
            if entry.flow == Flow.IN and entry.units:
                on_hand = selectors.stock(source).units
                if entry.units > on_hand:
                    raise OverCeiling(
                        _("Stok tidak cukup untuk membalik penerimaan ini: tersedia %(left)s.")
                        % {"left": _units_text(max(on_hand, ZERO), source.programme.unit)}
                    )
            reversal = LedgerEntry.objects.create(
                programme_id=entry.programme_id,
                source=source,
                household_id=entry.household_id,
                application_id=entry.application_id,
                person_id=entry.person_id,
                desa_id=entry.desa_id,
                kecamatan_id=entry.kecamatan_id,
                commitment_id=entry.commitment_id,
                kind=EntryKind.REVERSAL,
                flow=entry.flow,
                amount=-entry.amount if entry.amount is not None else None,
                units=-entry.units if entry.units is not None else None,
                on=on or timezone.localdate(),
                method=entry.method,
                recipient_name=entry.recipient_name,
                officer=_actor(actor),
                reverses=entry,
                note=reason,
                submission_key=submission_key or None,
            )
            record(
                actor=actor,
                action=Action.CREATE,
                instance=reversal,
                household_id=entry.household_id,
                reason=reason,
                changes={"reverses": entry.pk},
            )
    except IntegrityError:  # the same row reversed twice at the same moment
        raise BudgetRefused(_("Entri ini sudah dibalik.")) from None
    return reversal
