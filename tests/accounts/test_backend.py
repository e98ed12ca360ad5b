"""The sign-in backend reads a request's user and region in one statement (accounts/backends.py)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from satupintu.accounts.backends import Backend, load_user
from satupintu.accounts.models import User


def _fields(user) -> dict:
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_the_loaded_user_is_the_one_the_orm_reads_with_its_region_in_place(operator_keden):
    User.objects.filter(pk=operator_keden.pk).update(last_login=timezone.now() - dt.timedelta(hours=3))
    expected = User.objects.select_related("region").get(pk=operator_keden.pk)
    with CaptureQueriesContext(connection) as queries:
        user = load_user(str(operator_keden.pk))
        region = user.region
    assert len(queries) == 1
    assert _fields(user) == _fields(expected)
    assert isinstance(user.last_login, dt.datetime) and timezone.is_aware(user.last_login)
    assert user.is_active is True and user.is_superuser is False
    assert (region.code, region.name, region.level, region.parent_id) == (
        expected.region.code,
        expected.region.name,
        expected.region.level,
        expected.region.parent_id,
    )
    user.full_clean()  # a usable model instance


def test_a_user_without_region_is_loaded_without_a_region_query(kepala):
    user = load_user(kepala.pk)
    with CaptureQueriesContext(connection) as queries:
        assert user.region is None
    assert len(queries) == 0


def test_a_deactivated_or_unknown_user_or_a_forged_id_is_no_user(operator_keden):
    backend = Backend()
    assert backend.get_user(operator_keden.pk).pk == operator_keden.pk
    User.objects.filter(pk=operator_keden.pk).update(is_active=False)
    assert backend.get_user(operator_keden.pk) is None
    assert backend.get_user(999_999) is None
    assert backend.get_user("1 OR 1=1") is None


def test_a_signed_in_desa_operator_page_reads_no_region_on_its_own(client, operator_keden):
    client.force_login(operator_keden)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert "Keden" in page  # the header names the operator's desa
    region_only = [q["sql"] for q in queries if 'FROM "regions_region"' in q["sql"]]
    assert region_only == []


def test_a_deactivated_officer_is_signed_out_at_the_next_request(client, operator_keden):
    client.force_login(operator_keden)
    assert client.get("/").status_code == 200
    User.objects.filter(pk=operator_keden.pk).update(is_active=False)
    response = client.get("/rumah-tangga/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_a_partner_agency_officer_is_loaded_with_the_agency(mitra):
    with CaptureQueriesContext(connection) as queries:
        user = load_user(mitra.pk)
        assert user.agency.name == mitra.agency.name and user.agency.pk == mitra.agency_id
        assert user.region is None
    assert len(queries) == 1
