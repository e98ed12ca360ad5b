"""Synthetic demo history leaves the same trail as real cases: every application has its events."""

from satupintu.cases.models import Application, Event, EventType
from satupintu.cases.status import Status
from tests.justice.conftest import history


def test_every_synthetic_application_has_events_that_end_in_its_status(staff_users, regions):
    history(staff_users, households=60, applications=120)
    applications = list(Application.objects.prefetch_related("events"))
    assert len(applications) == 120
    for application in applications:
        events = list(application.events.all())
        assert events[0].type == EventType.SUBMITTED
        assert events[-1].to_status == application.status
        if application.decided_at:
            decision = next(e for e in events if e.type in (EventType.APPROVED, EventType.REJECTED))
            assert decision.actor_id == application.decided_by_id and decision.at == application.decided_at
    assert (
        Event.objects.filter(type=EventType.COMPLETED).count()
        == Application.objects.filter(status=Status.COMPLETED).count()
    )
