"""Two rounds on the same source approved at the same moment never commit more than its ceiling:
`budgets.actions.commit_budget` locks the source's row, so the second approval sees what the first
committed and is refused whole."""

import threading

import pytest

from satupintu.allocation import actions
from satupintu.allocation.models import RoundState
from satupintu.budgets import selectors as budget_selectors
from satupintu.budgets.models import Commitment
from satupintu.catalogue.data import load_current
from satupintu.lib.transitions import Refused
from tests.threads import at_once, postgresql

from .conftest import RTLH, programme_with, waiting


@postgresql
@pytest.mark.django_db(transaction=True)
def test_two_rounds_on_one_source_approved_at_once_stay_inside_the_ceiling(kasi, kepala, petugas):
    load_current()  # an earlier transactional test may have flushed the migration's services
    programme, source = programme_with(kasi, amount=2 * RTLH)
    for desil in (1, 2, 3):
        waiting(petugas, desil=desil)
    first = actions.open_round(actor=kasi, programme=programme, source=source)
    second = actions.open_round(actor=kasi, programme=programme, source=source)
    # The second round proposes only the third-ranked applicant, by the kepala's recorded moves.
    for entry in second.entries.order_by("rank"):
        actions.move_entry(actor=kepala, entry=entry, proposed=entry.rank == 3, reason="Uji persetujuan bersamaan")
    rounds, outcomes, lock = [first, second], [], threading.Lock()

    def approve():
        with lock:
            round_ = rounds.pop()
        try:
            actions.approve_round(actor=kepala, round_=round_)
            outcomes.append("approved")
        except Refused as error:
            outcomes.append(str(error))

    at_once(approve, times=2)
    assert outcomes.count("approved") == 1
    assert any("Melebihi" in outcome for outcome in outcomes)
    committed = sum(c.amount for c in Commitment.objects.filter(source=source))
    assert committed <= 2 * RTLH
    assert budget_selectors.remaining(source).amount >= 0
    states = sorted(r.state for r in type(first).objects.filter(pk__in=[first.pk, second.pk]))
    assert states == sorted([RoundState.APPROVED, RoundState.PROPOSED])
