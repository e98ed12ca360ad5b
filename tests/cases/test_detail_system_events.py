"""The case page shows events the system recorded (deadline sweep: actor null)."""

from django.urls import reverse

from satupintu.cases.models import Event, EventType
from tests.conftest import KEDEN, apply_for, household_in


def test_case_page_shows_a_system_event_as_sistem(client, petugas, regions):
    application = apply_for(petugas, household_in(KEDEN, "Warga"))[0]
    Event.objects.create(application=application, actor=None, type=EventType.OVERDUE, reason="Lewat batas waktu")
    client.force_login(petugas)
    response = client.get(reverse("cases:detail", args=[application.number]))
    assert response.status_code == 200
    assert "sistem" in response.content.decode()
