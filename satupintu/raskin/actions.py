"""Writes of the raskin distribution: open a month, record a handover (with its ledger row in the same
transaction), correct one by reversing its ledger row. Each is one transaction with an audit row."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu import parameters
from satupintu.accounts.permissions import BUDGET_MANAGE, RASKIN_DISTRIBUTE, has
from satupintu.audit import log
from satupintu.budgets import actions as budgets
from satupintu.budgets.models import EntryKind, Method, Unit
from satupintu.lib.transitions import Refused
from satupintu.registry.models import Household

from . import selectors
from .models import DistributionMonth, Handover, ReceivedBy

SERVICE = "raskin"


class RaskinRefused(Refused):
    """A refused write; the message says why, in Indonesian."""


def _require(actor, capability: str) -> None:
    if not has(actor, capability):
        raise PermissionDenied


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def open_month(*, actor, programme, source, year: int, month: int) -> DistributionMonth:
    """Open a distribution month of a raskin programme in kg; the kg per household is the dated
    parameter `raskin_kg_per_month` in force on the month's first day."""
    _require(actor, BUDGET_MANAGE)
    if programme.service.code != SERVICE or programme.unit != Unit.KG:
        raise RaskinRefused(_("Program ini bukan program raskin dalam kg."))
    if source.programme_id != programme.pk:
        raise RaskinRefused(_("Sumber beras bukan milik program ini."))
    if year != programme.fiscal_year or not 1 <= month <= 12:
        raise RaskinRefused(_("Bulan harus dalam tahun anggaran %(year)s.") % {"year": programme.fiscal_year})
    kg = parameters.at("raskin_kg_per_month", dt.date(year, month, 1))
    try:
        with transaction.atomic():
            opened = DistributionMonth.objects.create(
                programme=programme,
                source=source,
                year=year,
                month=month,
                kg_per_household=Decimal(str(kg.value)),
                kg_source=kg.source[:250],
                opened_by=_actor(actor),
            )
    except IntegrityError:
        raise RaskinRefused(_("Bulan ini sudah dibuka untuk program ini.")) from None
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=opened,
        changes={"programme": programme.pk, "year": year, "month": month, "kg_per_household": str(kg.value)},
    )
    return opened


def record_handover(
    *,
    actor,
    month: DistributionMonth,
    household: Household,
    on: dt.date,
    received_by: str,
    relation: str,
    person=None,
    evidence=None,
    thumbprint_note: str = "",
    submission_key=None,
) -> Handover:
    """The month's rice handed to a recipient household, with the HANDOVER ledger row in kg written in
    the same transaction. Refused (RaskinRefused, BudgetRefused) when the household is no recipient of
    the month, already received it, the date is in the future or outside the fiscal year, no evidence
    is given, or the source has no rice left. The same `submission_key` again returns the first one
    (the same officer's, for the same household and month; a key used for another is refused)."""
    _require(actor, RASKIN_DISTRIBUTE)
    if earlier := _earlier(actor, submission_key, month, household):
        return earlier
    received_by = (received_by or "").strip()
    thumbprint_note = (thumbprint_note or "").strip()
    if not received_by:
        raise RaskinRefused(_("Isi nama penerima."))
    if relation not in ReceivedBy.values:
        raise RaskinRefused(_("Pilih hubungan penerima dengan rumah tangga."))
    if evidence is None and not thumbprint_note:
        raise RaskinRefused(_("Unggah tanda tangan/foto penerima atau isi keterangan cap jempol."))
    if on > timezone.localdate():
        raise RaskinRefused(_("Tanggal penyerahan tidak boleh di masa depan."))
    if on < dt.date(month.year, month.month, 1):
        raise RaskinRefused(_("Tanggal penyerahan tidak boleh sebelum awal bulan %(month)s.") % {"month": month.label})
    if on.year != month.year:
        raise RaskinRefused(_("Tanggal penyerahan harus dalam tahun %(year)s.") % {"year": month.year})
    if person is not None and person.household_id != household.pk:
        raise RaskinRefused(_("Penerima bukan anggota rumah tangga ini."))
    try:
        with transaction.atomic():
            return _record(actor, month, household, on, received_by, relation, person, evidence, thumbprint_note,
                           submission_key)  # fmt: skip
    except IntegrityError:
        if not submission_key:
            raise
        return _earlier(actor, submission_key, month, household)


def _earlier(actor, submission_key, month, household) -> Handover | None:
    """The handover an earlier request with this one-time key recorded, when it was the same officer's
    for the same household and month; a key already used for anything else is refused."""
    if not submission_key:
        return None
    earlier = Handover.objects.filter(submission_key=submission_key).first()
    if earlier is None:
        return None
    officer = _actor(actor)
    if (
        earlier.officer_id != (officer.pk if officer else None)
        or earlier.household_id != household.pk
        or earlier.month_id != month.pk
    ):
        raise RaskinRefused(_("Formulir ini sudah dipakai untuk data lain; muat ulang halaman dan isi kembali."))
    return earlier


def _record(actor, month, household, on, received_by, relation, person, evidence, thumbprint_note, submission_key):
    # The household row is locked: of two officers recording the same household, the second waits and
    # then finds the first handover.
    household = Household.objects.select_for_update().select_related("desa").get(pk=household.pk)
    application = selectors.recipient_application(month, household)
    if application is None:
        raise RaskinRefused(
            _("Rumah tangga %(ref)s bukan penerima raskin tahun %(year)s (tidak ada permohonan yang disetujui).")
            % {"ref": household.reference, "year": month.year}
        )
    if Handover.objects.filter(month=month, household=household, reversal__isnull=True).exists():
        raise RaskinRefused(
            _("Rumah tangga %(ref)s sudah menerima raskin %(month)s.")
            % {"ref": household.reference, "month": month.label}
        )
    entry = budgets.record_entry(
        actor=actor,
        programme=month.programme,
        source=month.source,
        household=household,
        kind=EntryKind.HANDOVER,
        on=on,
        units=month.kg_per_household,
        method=Method.GOODS,
        recipient_name=received_by,
        proof=evidence,
        proof_note=thumbprint_note,
        application=application,
        person=person,
        note=_("Raskin %(month)s") % {"month": month.label},
        _distribution=True,
    )
    handover = Handover.objects.create(
        month=month,
        household=household,
        application=application,
        desa=household.desa,
        on=on,
        kg=month.kg_per_household,
        received_by=received_by,
        relation=relation,
        thumbprint_note=thumbprint_note,
        officer=_actor(actor),
        entry=entry,
        submission_key=submission_key,
    )
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=handover,
        household_id=household.pk,
        changes={"month": month.pk, "kg": str(handover.kg), "on": on.isoformat(), "entry": entry.pk},
    )
    return handover


@transaction.atomic
def correct_handover(*, actor, handover: Handover, reason: str) -> Handover:
    """Undo a handover recorded in error: its ledger row is reversed (with the reason) and the household
    may receive the month again."""
    _require(actor, RASKIN_DISTRIBUTE)
    handover = Handover.objects.select_for_update().select_related("entry").get(pk=handover.pk)
    if handover.reversal_id is not None:
        raise RaskinRefused(_("Penyerahan ini sudah dibatalkan."))
    reversal = budgets.reverse_entry(actor=actor, entry=handover.entry, reason=reason, _distribution=True)
    handover.reversal = reversal
    handover.save(update_fields=["reversal"])
    log.record(
        actor=actor,
        action=log.Action.UPDATE,
        instance=handover,
        household_id=handover.household_id,
        changes={"reversal": [None, reversal.pk]},
        reason=reason,
    )
    return handover
