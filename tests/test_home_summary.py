"""The home page's area counts: per area, computed once per HOME_SUMMARY_SECONDS, never another area's."""

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.accounts.models import Role
from tests.conftest import KEDEN, TROBAYAN, household_in, make_user


def home_counts(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    return response.context["households"], response.context["people"]


def test_each_area_sees_its_own_counts(client, operator_keden, operator_trobayan, kepala):
    cache.clear()
    household_in(KEDEN)
    household_in(KEDEN)
    household_in(TROBAYAN)
    assert home_counts(client, operator_keden) == (2, 4)
    assert home_counts(client, operator_trobayan) == (1, 2)
    assert home_counts(client, kepala) == (3, 6)
    unbound = make_user("op.baru", Role.OPERATOR_DESA)  # an operator not yet given a desa sees nothing
    assert home_counts(client, unbound) == (0, 0)


def test_the_counts_are_reused_until_they_expire(client, operator_keden, settings):
    cache.clear()
    settings.HOME_SUMMARY_SECONDS = 300
    household_in(KEDEN)
    with time_machine.travel("2026-11-28 09:00 +0700", tick=False):
        assert home_counts(client, operator_keden) == (1, 2)
        household_in(KEDEN)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(reverse("home")).content.decode()  # kept, with its time on the page
            assert "<span>1</span>rumah tangga" in again
        assert not [q for q in queries.captured_queries if "registry_household" in q["sql"]]
        assert "Angka dihitung pukul 09:00" in client.get(reverse("home")).content.decode()
    with time_machine.travel("2026-11-28 09:06 +0700", tick=False):
        assert home_counts(client, operator_keden) == (2, 4)
