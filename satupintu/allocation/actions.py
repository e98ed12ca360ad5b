"""Writes of allocation rounds: one transaction each, the round (or the programme) row locked, an
event appended and an audit row written. The round's steps are a table on `lib/transitions.py`.

Opening ranks every eligible application waiting at the decision step and draws the proposal line
inside what remains of the source's ceiling. Approving commits the budget for the proposed ones in
one call of `budgets.actions.commit_budget` (which locks the source: two approvals on one source
never exceed it) and moves each selected application on through the cases' own table, the round
named as the reason, so the case timeline shows it. Any failure leaves nothing done.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts import permissions as perm
from satupintu.audit.log import Action, record
from satupintu.budgets import selectors as budget_selectors
from satupintu.budgets.actions import BudgetRefused, commit_budget
from satupintu.budgets.models import CeilingRevision, FundingSource, Programme
from satupintu.cases.actions import application_transition
from satupintu.cases.effects import TransitionRefused
from satupintu.catalogue.rules import priority
from satupintu.lib.bulk import bulk_writer
from satupintu.lib.numbers import new_number
from satupintu.lib.transitions import Machine, Refused, Texts, Transition

from . import costs, ranking
from .models import ACTIVE_STATES, AllocationRound, Decision, EventType, RoundEntry, RoundEvent, RoundState


class RoundRefused(Refused):
    """A refused step of a round; the message is the Indonesian reason."""


S = RoundState
MACHINE = Machine(
    [
        Transition("propose", gettext_lazy("Susun usulan dalam sisa pagu"), frozenset({S.OPEN}), S.PROPOSED,
                   None, EventType.PROPOSED),
        Transition("approve", gettext_lazy("Setujui putaran"), frozenset({S.PROPOSED}), S.APPROVED,
                   perm.ROUND_APPROVE, EventType.APPROVED),
        Transition("cancel", gettext_lazy("Batalkan putaran"), frozenset(ACTIVE_STATES), S.CANCELLED,
                   perm.ROUND_OPEN, EventType.CANCELLED, needs_reason=True),
    ],
    state=lambda round_: round_.state,
    may=perm.has,
    texts=Texts(
        wrong_state=lambda round_: _("Tidak dapat dilakukan pada putaran berstatus “%(state)s”.")
        % {"state": round_.get_state_display()},
        not_allowed=lambda transition: _("Peran Anda tidak berwenang untuk langkah ini."),
        reason_missing=lambda transition: _("Alasan wajib diisi."),
    ),
)  # fmt: skip


def _require(actor, capability: str) -> None:
    if not perm.has(actor, capability):
        raise PermissionDenied


def _event(round_, *, actor, type, from_state="", to_state="", reason="", extra=None) -> RoundEvent:  # noqa: A002
    return RoundEvent.objects.create(
        round=round_, actor=actor, type=type, from_state=from_state, to_state=to_state, reason=reason, extra=extra or {}
    )


def _step(round_, actor, name: str, reason: str = "", extra=None) -> None:
    """Take step `name` of the table on a locked round: state, event, audit row."""
    transition = MACHINE.transitions[name]
    MACHINE.require(transition, round_, actor, {"reason": reason})
    source = round_.state
    round_.state = transition.target
    round_.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    _event(
        round_,
        actor=actor,
        type=transition.event,
        from_state=source,
        to_state=transition.target,
        reason=reason,
        extra=extra,
    )
    record(
        actor=actor,
        action=Action.UPDATE,
        instance=round_,
        changes={"state": [source, transition.target]},
        reason=reason[:250],
    )


# --- Opening: rank and propose ---


def open_round(*, actor, programme: Programme, source: FundingSource, on: dt.date | None = None,
               submission: str = "") -> AllocationRound:  # fmt: skip
    """Open a round of `programme` on `source`: rank the eligible applications waiting for a decision
    and propose the top ones inside the source's remaining ceiling. `submission` (the form's or the
    API's one-time key) makes a retry return the round it opened."""
    _require(actor, perm.ROUND_OPEN)
    on = on or timezone.localdate()
    if source.programme_id != programme.pk:
        raise RoundRefused(_("Sumber dana bukan milik program ini."))
    rule = priority.rule_on(programme.service.code, on)
    if rule is None:
        raise RoundRefused(_("Layanan ini tidak memiliki aturan prioritas yang berlaku."))
    earlier = submission and AllocationRound.objects.filter(opened_by=actor, submission=submission).first()
    if earlier:
        return earlier
    try:
        with transaction.atomic():
            return _open(actor, programme, source, rule, on, submission)
    except IntegrityError:
        if not submission:
            raise
        return AllocationRound.objects.get(opened_by=actor, submission=submission)


def _open(actor, programme, source, rule, on, submission) -> AllocationRound:
    room = budget_selectors.remaining(source, on=on)
    if room.amount is None and room.units is None:
        raise RoundRefused(_("Sumber dana ini belum memiliki pagu."))
    amount, units = costs.per_applicant(programme.service.code, on)
    round_ = AllocationRound.objects.create(
        number=new_number(AllocationRound, "PUT", on),
        programme=programme,
        source=source,
        rule_ref=rule.ref,
        ranked_on=on,
        unit_amount=amount,
        unit_units=units,
        remaining_amount=room.amount,
        remaining_units=room.units,
        opened_by=actor,
        submission=submission,
    )
    ranked = ranking.rank(rule, ranking.waiting_for_decision(programme.service), on)
    _event(
        round_, actor=actor, type=EventType.OPENED, to_state=S.OPEN, extra={"rule": rule.ref, "applicants": len(ranked)}
    )
    line = _proposal(source, ranked, room, amount, units, on)
    # Streamed in one COPY on PostgreSQL (tens of thousands of rows; `lib/bulk.py`).
    columns = ["round_id", "application_id", "kecamatan_id", "rank", "points", "components", "in_line", "proposed",
               "decision", "deviation_reason"]  # fmt: skip
    with bulk_writer(RoundEntry, columns) as write:
        for position, (one, scored) in enumerate(ranked, start=1):
            inside = one["id"] in line
            write((round_.pk, one["id"], one["kecamatan_id"], position, scored.points, scored.encoded,
                   inside, inside, (Decision.SELECTED if inside else Decision.NOT_REACHED).value, ""))  # fmt: skip
    record(
        actor=actor,
        action=Action.CREATE,
        instance=round_,
        changes={"programme": programme.pk, "source": source.pk, "rule": rule.ref, "applicants": len(ranked)},
    )
    _step(round_, None, "propose", extra={"proposed": len(line)})
    return round_


def _proposal(source, ranked, room, amount, units, on) -> set:
    """The ids of the applications inside the line: in rank order, each one that still fits the
    regency's remaining ceiling and, where the source is split per kecamatan, its kecamatan's."""
    left = {"amount": room.amount, "units": room.units}
    split_ids = CeilingRevision.objects.filter(source=source, kecamatan__isnull=False).values_list("kecamatan_id")
    splits = {code: budget_selectors.headroom(source, code, on) for (code,) in set(split_ids)}  # kecamatan → Figures
    split_left = {code: {"amount": f.amount, "units": f.units} for code, f in splits.items()}
    cost = {"amount": amount, "units": units}
    line = set()
    for one, _scored in ranked:
        places = [left, split_left.get(one["kecamatan_id"], {})]
        if all(_fits(place, cost) for place in places):
            for place in places:
                for dimension in ("amount", "units"):
                    if place.get(dimension) is not None and cost[dimension] is not None:
                        place[dimension] -= cost[dimension]
            line.add(one["id"])
    return line


def _fits(place: dict, cost: dict) -> bool:
    return all(
        place.get(dimension) is None or cost[dimension] is None or cost[dimension] <= place[dimension]
        for dimension in ("amount", "units")
    )


# --- Moves (deviations), approval, cancellation ---


def _locked(round_) -> AllocationRound:
    return AllocationRound.objects.select_for_update().select_related("programme__service", "source").get(pk=round_.pk)


@transaction.atomic
def move_entry(*, actor, entry: RoundEntry, proposed: bool, reason: str = "") -> RoundEntry:
    """The kepala moves an applicant into (`proposed`) or out of the proposal. A move away from the
    ranked order needs a written reason, kept as the entry's deviation; a move back clears it."""
    _require(actor, perm.ROUND_APPROVE)
    round_ = _locked(entry.round)
    if round_.state != S.PROPOSED:
        raise RoundRefused(_("Peserta hanya dapat dipindahkan selama putaran berstatus diusulkan."))
    entry = RoundEntry.objects.select_for_update().select_related("application").get(pk=entry.pk)
    reason = (reason or "").strip()
    deviates = proposed != entry.in_line
    if deviates and not reason:
        raise RoundRefused(_("Menyimpang dari urutan peringkat memerlukan alasan tertulis."))
    if proposed == entry.proposed:
        raise RoundRefused(_("Peserta sudah berada di posisi itu."))
    entry.proposed = proposed
    entry.decision = Decision.SELECTED if proposed else Decision.EXCLUDED if entry.in_line else Decision.NOT_REACHED
    entry.deviation_reason = reason if deviates else ""
    entry.decided_by, entry.decided_at = actor, timezone.now()
    entry.save(update_fields=["proposed", "decision", "deviation_reason", "decided_by", "decided_at"])
    _event(
        round_,
        actor=actor,
        type=EventType.MOVED,
        reason=reason,
        extra={
            "application": entry.application.number,
            "rank": entry.rank,
            "proposed": proposed,
            "deviation": deviates,
        },
    )
    record(
        actor=actor,
        action=Action.UPDATE,
        instance=entry,
        household_id=entry.application.household_id,
        changes={"proposed": [not proposed, proposed]},
        reason=reason[:250],
    )
    return entry


def approve_round(*, actor, round_: AllocationRound, reason: str = "") -> AllocationRound:
    """Commit the budget for the proposed applicants and move their applications on (approved, the
    round as the reason); the others stay waiting for the next round. All or nothing."""
    _require(actor, perm.ROUND_APPROVE)
    with transaction.atomic():
        round_ = _locked(round_)
        MACHINE.require(MACHINE.transitions["approve"], round_, actor)
        selected = list(round_.entries.filter(proposed=True).select_related("application", "kecamatan"))
        if not selected:
            raise RoundRefused(_("Tidak ada peserta yang diusulkan."))
        try:
            commit_budget(
                actor=actor,
                source=round_.source,
                items=[(e.application, round_.unit_amount, round_.unit_units, e.kecamatan) for e in selected],
                round_ref=round_.number,
            )
        except BudgetRefused as error:
            raise RoundRefused(str(error)) from error
        for entry in selected:
            text = _("Terpilih dalam putaran alokasi %(number)s, peringkat %(rank)s.") % {
                "number": round_.number,
                "rank": entry.rank,
            }
            try:
                application_transition(
                    actor=actor, application=entry.application, name="approve", data={"reason": text}, queue_reason=text
                )
            except TransitionRefused as error:
                raise RoundRefused(
                    _("Permohonan %(number)s: %(reason)s Batalkan putaran ini dan buka yang baru.")
                    % {"number": entry.application.number, "reason": error}
                ) from error
        now = timezone.now()
        round_.entries.filter(decided_by__isnull=True).update(decided_by=actor, decided_at=now)
        round_.decided_by, round_.decided_at, round_.decision_reason = actor, now, (reason or "").strip()
        _step(round_, actor, "approve", reason=round_.decision_reason, extra={"selected": len(selected)})
    return round_


def cancel_round(*, actor, round_: AllocationRound, reason: str) -> AllocationRound:
    _require(actor, perm.ROUND_OPEN)
    with transaction.atomic():
        round_ = _locked(round_)
        round_.decided_by, round_.decided_at = actor, timezone.now()
        round_.decision_reason = (reason or "").strip()
        _step(round_, actor, "cancel", reason=round_.decision_reason)
    return round_
