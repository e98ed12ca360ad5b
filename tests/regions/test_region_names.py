"""The officer's region is named on every signed-in page without a query, and a region renamed in
the admin shows its new name at once (regions/names.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.regions.models import Region
from tests.conftest import KEDEN

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_names_the_officers_region_without_a_region_query(client, operator_keden):
    client.force_login(operator_keden)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    assert "Operator Desa · Keden" in html or "· Keden</span>" in html
    by_code = 'FROM "regions_region" WHERE "regions_region"."code" = '  # the officer's region, fetched by its key
    assert not [q for q in queries.captured_queries if by_code in q["sql"]]


def test_a_region_renamed_in_the_admin_shows_its_new_name_on_pages_and_in_the_desa_list(client, operator_keden):
    client.force_login(operator_keden)
    assert "· Keden</span>" in client.get(reverse("home")).content.decode()
    keden = Region.objects.get(code=KEDEN)
    keden.name = "Keden Baru"
    keden.save()  # as the admin saves it
    assert "· Keden Baru</span>" in client.get(reverse("home")).content.decode()
    search = client.get(reverse("registry:household_list")).content.decode()
    assert "Keden Baru (Kalijambe)" in search
