"""A region renamed in the admin shows at once in the kept lists of desa (regions/versions.py)."""

import pytest
from django.urls import reverse

from satupintu.regions.models import Region
from tests.conftest import KEDEN

pytestmark = pytest.mark.django_db


def test_a_desa_renamed_in_the_admin_shows_at_once_in_the_search_forms_desa_list(client, kepala):
    client.force_login(kepala)
    assert "Keden (Kalijambe)" in client.get(reverse("registry:household_list")).content.decode()
    keden = Region.objects.get(code=KEDEN)
    keden.name = "Keden Baru"
    keden.save()  # as the admin saves it
    assert "Keden Baru (Kalijambe)" in client.get(reverse("registry:household_list")).content.decode()
