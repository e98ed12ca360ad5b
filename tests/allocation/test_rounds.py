"""Allocation rounds: ranking the applications at the decision step, the proposal inside the
remaining ceiling, moves only with a written reason, approval committing the budget all at once and
moving the selected applications on, the waiting list and the deviations for the equity audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from satupintu.allocation import actions, ranking, selectors
from satupintu.allocation.models import Decision, EventType, RoundState
from satupintu.audit.models import AuditLog
from satupintu.budgets import selectors as budget_selectors
from satupintu.budgets.models import Commitment
from satupintu.cases.models import EventType as CaseEvent
from satupintu.cases.status import Status
from satupintu.catalogue.rules import priority
from satupintu.lib.transitions import Refused

from .conftest import RTLH, programme_with, waiting

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 1)


def opened(actor, programme, source, **kwargs):
    return actions.open_round(actor=actor, programme=programme, source=source, on=ON, **kwargs)


def test_opening_ranks_the_eligible_applications_and_proposes_those_inside_the_ceiling(kasi, rtlh, three_waiting):
    programme, source = rtlh
    first, third, second = three_waiting
    round_ = opened(kasi, programme, source)
    assert round_.state == RoundState.PROPOSED
    entries = list(round_.entries.order_by("rank"))
    assert [e.application_id for e in entries] == [first.pk, second.pk, third.pk]
    assert [(e.in_line, e.proposed) for e in entries] == [(True, True), (True, True), (False, False)]
    assert [e.decision for e in entries] == [Decision.SELECTED, Decision.SELECTED, Decision.NOT_REACHED]
    assert all(c["explanation"] for e in entries for c in e.components)
    assert entries[0].points > entries[1].points > entries[2].points
    assert round_.remaining_amount == 2 * RTLH and round_.unit_amount == RTLH
    assert [ev.type for ev in round_.events.order_by("seq")] == [EventType.OPENED, EventType.PROPOSED]


def test_each_entry_keeps_the_components_the_rule_gives_the_applicants_facts(kasi, rtlh, three_waiting):
    programme, source = rtlh
    first = three_waiting[0]
    first.details = {**first.details, "ipk": "3.50"}
    first.save(update_fields=["details"])
    round_ = opened(kasi, programme, source)
    rule = priority.by_ref(round_.rule_ref)
    facts = {one["id"]: one["facts"] for one in ranking.gather(ranking.waiting_for_decision(programme.service))}
    assert facts[first.pk]["ipk"] == "3.50"
    for entry in round_.entries.all():
        alone = rule.score(facts[entry.application_id], rule.bind(ON))
        assert (entry.points, entry.components) == (alone.points, alone.components)


def test_only_applications_at_the_decision_step_that_the_rules_accept_are_ranked(kasi, petugas, rtlh):
    programme, source = rtlh
    at_decision = waiting(petugas)
    at_decision.rules_result = {**at_decision.rules_result, "eligible": False}
    at_decision.save(update_fields=["rules_result"])
    ranked = waiting(petugas)
    round_ = opened(kasi, programme, source)
    assert list(round_.entries.values_list("application_id", flat=True)) == [ranked.pk]


def test_opening_needs_the_capability(kasi, petugas, rtlh, three_waiting):
    programme, source = rtlh
    with pytest.raises(PermissionDenied):
        opened(petugas, programme, source)


def test_the_same_opening_sent_twice_opens_one_round(kasi, rtlh, three_waiting):
    programme, source = rtlh
    one = opened(kasi, programme, source, submission="k-1")
    assert opened(kasi, programme, source, submission="k-1") == one


def test_a_move_away_from_the_ranked_order_needs_a_reason_and_is_a_deviation(kasi, kepala, rtlh, three_waiting):
    programme, source = rtlh
    round_ = opened(kasi, programme, source)
    second, third = round_.entries.order_by("rank")[1:]
    with pytest.raises(Refused, match="alasan"):
        actions.move_entry(actor=kepala, entry=third, proposed=True)
    with pytest.raises(PermissionDenied):
        actions.move_entry(actor=kasi, entry=third, proposed=True, reason="Rumah roboh")
    actions.move_entry(actor=kepala, entry=second, proposed=False, reason="Sudah dibantu CSR tahun ini")
    moved = actions.move_entry(actor=kepala, entry=third, proposed=True, reason="Rumah roboh diterjang angin")
    assert moved.decision == Decision.SELECTED and moved.deviates
    second.refresh_from_db()
    assert second.decision == Decision.EXCLUDED and second.deviation_reason == "Sudah dibantu CSR tahun ini"
    assert round_.events.filter(type=EventType.MOVED).count() == 2
    assert AuditLog.objects.filter(object_type="allocation.roundentry").count() == 2


def test_approval_commits_the_budget_and_moves_the_selected_applications_on_with_the_round_as_reason(
    kasi, kepala, rtlh, three_waiting
):
    programme, source = rtlh
    first, third, second = three_waiting
    round_ = actions.approve_round(actor=kepala, round_=opened(kasi, programme, source), reason="Sesuai pagu")
    assert round_.state == RoundState.APPROVED
    assert set(Commitment.objects.filter(round_ref=round_.number).values_list("application_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert budget_selectors.remaining(source).amount == Decimal(0)
    for application in (first, second):
        application.refresh_from_db()
        assert application.status == Status.APPROVED
        event = application.events.get(type=CaseEvent.APPROVED)
        assert round_.number in event.reason
    third.refresh_from_db()
    assert third.status == Status.DECISION
    assert [e.application_id for e in selectors.waiting_list(programme)] == [third.pk]


def test_approval_over_the_ceiling_shows_the_message_and_leaves_nothing_done(kasi, kepala, rtlh, three_waiting):
    programme, source = rtlh
    round_ = opened(kasi, programme, source)
    third = round_.entries.get(rank=3)
    actions.move_entry(actor=kepala, entry=third, proposed=True, reason="Darurat")
    with pytest.raises(Refused, match="Melebihi"):
        actions.approve_round(actor=kepala, round_=round_)
    round_.refresh_from_db()
    assert round_.state == RoundState.PROPOSED
    assert not Commitment.objects.exists()
    assert not any(a.status == Status.APPROVED for a in [e.application for e in round_.entries.all()])


def test_only_the_kepala_approves(kasi, rtlh, three_waiting):
    programme, source = rtlh
    with pytest.raises(PermissionDenied):
        actions.approve_round(actor=kasi, round_=opened(kasi, programme, source))


def test_the_waiting_list_is_ranked_again_in_the_next_round(kasi, kepala, petugas, rtlh, three_waiting):
    programme, source = rtlh
    actions.approve_round(actor=kepala, round_=opened(kasi, programme, source))
    latecomer = waiting(petugas, desil=1)
    from satupintu.budgets import actions as budgets

    budgets.revise_ceiling(actor=kasi, source=source, amount=3 * RTLH, units=None, valid_from=ON, reason="APBD-P")
    next_round = opened(kasi, programme, source)
    ranked = list(next_round.entries.order_by("rank").values_list("application_id", "proposed"))
    assert ranked == [(latecomer.pk, True), (three_waiting[1].pk, False)]


def test_deviations_of_approved_rounds_are_listed_for_the_equity_audit(kasi, kepala, rtlh, three_waiting):
    programme, source = rtlh
    round_ = opened(kasi, programme, source)
    second = round_.entries.get(rank=2)
    actions.move_entry(actor=kepala, entry=second, proposed=False, reason="Rumah sudah diperbaiki swadaya")
    assert not selectors.deviations(2026).exists()  # not approved yet
    actions.approve_round(actor=kepala, round_=round_)
    found = list(selectors.deviations(2026))
    assert [(d.rank, d.deviation_reason) for d in found] == [(2, "Rumah sudah diperbaiki swadaya")]
    assert list(selectors.deviations((ON, dt.date(2099, 1, 1)))) == found


def test_a_cancelled_round_needs_a_reason_and_can_no_longer_be_approved(kasi, kepala, rtlh, three_waiting):
    programme, source = rtlh
    round_ = opened(kasi, programme, source)
    with pytest.raises(Refused):
        actions.cancel_round(actor=kasi, round_=round_, reason="")
    assert actions.cancel_round(actor=kasi, round_=round_, reason="Salah sumber dana").state == RoundState.CANCELLED
    with pytest.raises(Refused, match="Dibatalkan"):
        actions.approve_round(actor=kepala, round_=round_)


def test_a_source_without_a_ceiling_cannot_be_ranked_against(kasi, three_waiting):
    from satupintu.budgets import actions as budgets

    programme, _source = programme_with(kasi, amount=RTLH)
    bare = budgets.add_source(actor=kasi, programme=programme, kind="csr", name="CSR tanpa pagu")
    with pytest.raises(Refused, match="belum memiliki pagu"):
        opened(kasi, programme, bare)


def test_a_kecamatan_split_keeps_its_kecamatan_inside_its_share(kasi, petugas):
    from satupintu.budgets import actions as budgets
    from satupintu.regions.models import Region
    from tests.conftest import GEMOLONG_DESA, KALIJAMBE

    programme, source = programme_with(kasi, amount=3 * RTLH)
    budgets.revise_ceiling(
        actor=kasi,
        source=source,
        amount=RTLH,
        units=None,
        valid_from=dt.date(2026, 1, 1),
        kecamatan=Region.objects.get(code=KALIJAMBE),
        reason="Pembagian per kecamatan",
    )
    kalijambe = [waiting(petugas, desil=1), waiting(petugas, desil=1)]
    gemolong = waiting(petugas, GEMOLONG_DESA, desil=3)
    round_ = opened(kasi, programme, source)
    proposed = set(round_.entries.filter(proposed=True).values_list("application_id", flat=True))
    assert proposed == {kalijambe[0].pk, gemolong.pk}
