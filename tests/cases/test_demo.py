import pytest

from satupintu.cases.models import Application
from satupintu.cases.status import Status
from satupintu.demo.accounts import ensure_demo_users
from satupintu.demo.cases import ensure_demo_cases
from tests.conftest import KEDEN, TROBAYAN, household_in, mark_poor

pytestmark = pytest.mark.django_db


def test_demo_cases_cover_every_state_and_are_not_duplicated(regions):
    ensure_demo_users()
    for i in range(14):
        mark_poor(household_in(TROBAYAN, f"Miskin {i}"))
    for i in range(8):
        household_in(TROBAYAN, f"Belum {i}")
    for i in range(2):
        household_in(KEDEN, f"Keden {i}")
    created = ensure_demo_cases()
    assert len(created) == 21 and all(len(pin) == 6 for _number, pin, _status in created)
    assert set(Application.objects.values_list("status", flat=True)) == set(Status)
    assert Application.objects.filter(deadline_state="overdue").exists()
    assert ensure_demo_cases() == []
    assert Application.objects.count() == 21
