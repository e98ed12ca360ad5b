"""List statements kept per worker and key (lib/compiled.py)."""

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from satupintu.accounts.models import User
from satupintu.lib import compiled
from satupintu.regions.models import Region
from tests.conftest import KEDEN, apply_for, household_in


def test_a_kept_statement_is_built_once_per_key_and_reads_each_window_afresh(regions):
    built = []

    def build():
        built.append(1)
        return Region.objects.filter(level="desa").order_by("code").values_list("code", "name")

    expected = list(Region.objects.filter(level="desa").order_by("code").values_list("code", "name"))
    first = compiled.statement(("desa",), build)
    assert first.rows(0, 3) == expected[:3]
    assert compiled.statement(("desa",), build).rows(3, 5) == expected[3:5]
    assert len(built) == 1
    Region.objects.filter(code=expected[3][0]).update(name="Desa Baru")
    assert compiled.statement(("desa",), build).rows(3, 4) == [(expected[3][0], "Desa Baru")]
    compiled.statement(("desa", "another key"), build)
    assert len(built) == 2


def test_a_kept_statement_gives_the_values_the_orm_gives(kepala, petugas):
    def build():
        return User.objects.order_by("pk").values_list("username", "date_joined", "is_active", "last_login")

    kept = compiled.statement(("users",), build)
    assert kept.rows(0, 10) == list(build())


def test_a_query_that_can_match_nothing_reads_no_rows_and_runs_no_query(regions):
    kept = compiled.statement(("none",), lambda: Region.objects.none().values_list("code"))
    with CaptureQueriesContext(connection) as queries:
        assert kept.rows(0, 50) == []
    assert len(queries) == 0


def test_the_work_queue_statement_is_built_again_on_a_new_day(client, petugas, monkeypatch):
    compiled_sql = []
    original = compiled._compile
    monkeypatch.setattr(compiled, "_compile", lambda queryset: compiled_sql.append(1) or original(queryset))
    with time_machine.travel("2026-11-10 09:00 +0700", tick=False):
        client.force_login(petugas)
        assert client.get("/permohonan/?antrean=berkas").status_code == 200
        assert client.get("/permohonan/?antrean=berkas&page=1").status_code == 200
    assert len(compiled_sql) == 1
    with time_machine.travel("2026-11-11 09:00 +0700", tick=False):
        client.force_login(petugas)
        assert client.get("/permohonan/?antrean=berkas").status_code == 200
    assert len(compiled_sql) == 2  # an appointment in force is a matter of the day


def test_a_kept_statement_with_quotes_and_percent_signs_in_its_values_reads_the_right_rows(regions):
    Region.objects.filter(code="33.14.01.2001").update(name="Keden 50% O'Brien")

    def build():
        return Region.objects.filter(name__contains="50% O'B").values_list("code", "name")

    assert compiled.statement(("quoted",), build).rows(0, 10) == [("33.14.01.2001", "Keden 50% O'Brien")]
    assert (
        compiled.statement(("other",), lambda: Region.objects.filter(name__contains="50%x").values_list("code")).rows(
            0, 10
        )
        == []
    )


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_kept_model_instances_are_the_orms_with_their_related_rows_and_deferred_fields(petugas, keden_household):
    from satupintu.cases.models import Event, Referral
    from satupintu.cases.views import CASE_LISTS

    application, _ = apply_for(petugas, keden_household)
    built = []

    def events(key):
        built.append(key)
        return CASE_LISTS["events"](key)

    kept = compiled.instances("events", events, application.pk)
    orm = list(Event.objects.filter(application=application).select_related("actor"))
    assert [_fields(e) for e in kept] == [_fields(e) for e in orm] and kept
    assert [_fields(e.actor) for e in kept if e.actor_id] == [_fields(e.actor) for e in orm if e.actor_id]
    with CaptureQueriesContext(connection) as queries:
        again = compiled.instances("events", events, application.pk)
        [e.actor for e in again]  # joined: no query per row
    assert len(queries) == 1 and len(built) == 1 and built[0] != application.pk  # built with a stand-in
    other, _ = apply_for(petugas, household_in(KEDEN, "Warsini"))
    assert {e.application_id for e in compiled.instances("events", events, other.pk)} == {other.pk}
    assert compiled.instances("events", events, -1) == []
    referrals = compiled.instances("referrals", CASE_LISTS["referrals"], application.pk)
    assert referrals == list(Referral.objects.filter(application=application))


def test_a_kept_model_query_by_text_reads_the_record_the_text_names(petugas, keden_household, kepala):
    from satupintu.cases import selectors

    application, _ = apply_for(petugas, keden_household)
    with CaptureQueriesContext(connection) as queries:
        found = selectors.application_for_user(kepala, application.number)
        assert found.service.name and found.desa.parent.name and found.standard and found.applicant.name
    assert found.pk == application.pk and len(queries) == 1
    for unknown in ("UPK-TIDAK-ADA", "' OR 1=1 --", compiled.STAND_IN_TEXT):
        with pytest.raises(Http404):
            selectors.application_for_user(kepala, unknown)


def test_a_model_query_with_its_value_twice_or_a_prefetch_is_refused(regions):
    with pytest.raises(ValueError):
        compiled.instances("twice", lambda key: Region.objects.filter(code=key, parent_id=key), "33.14")
    with pytest.raises(ValueError):
        compiled.instances("prefetch", lambda key: Region.objects.filter(code=key).prefetch_related("children"), "33")


def test_model_queries_read_together_give_what_each_gives_alone(petugas, keden_household):
    from satupintu.cases.views import CASE_LISTS

    application, _ = apply_for(petugas, keden_household)
    requests = {name: (f"together-{name}", build, application.pk) for name, build in CASE_LISTS.items()}
    requests["nothing"] = ("together-nothing", lambda key: Region.objects.filter(code=key).none(), "33")
    alone = {name: compiled.instances(*request) for name, request in requests.items()}
    with CaptureQueriesContext(connection) as queries:
        together = compiled.instances_together(requests)
    assert together == alone and together["events"] and together["documents"] and together["nothing"] == []
    assert [[_fields(e.actor) for e in together["events"] if e.actor_id]] == [
        [_fields(e.actor) for e in alone["events"] if e.actor_id]
    ]
    assert len(queries) == len(CASE_LISTS)  # each statement once; on PostgreSQL all in one round trip


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pipeline")
def test_model_queries_read_together_on_postgresql_are_sent_in_one_pipeline(petugas, keden_household, monkeypatch):
    from psycopg import Connection

    from satupintu.cases.views import CASE_LISTS

    application, _ = apply_for(petugas, keden_household)
    opened = []
    pipeline = Connection.pipeline
    monkeypatch.setattr(Connection, "pipeline", lambda self: opened.append(1) or pipeline(self))
    found = compiled.instances_together({name: (name, build, application.pk) for name, build in CASE_LISTS.items()})
    assert opened == [1] and found["events"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pipeline")
def test_an_error_in_a_pipeline_is_django_s_database_error_and_the_connection_still_works(regions):
    from django.db import DataError, transaction

    failing = ("together-failing", lambda key: Region.objects.filter(code=key), "33")
    statement = compiled._instance_statement(*failing)
    compiled._kept[("instances", "together-failing")] = type(statement)(
        **{**statement.__dict__, "sql": "SELECT 1 / (SELECT 0) WHERE %s::text IS NOT NULL", "slot": 0, "params": ("x",)}
    )
    with pytest.raises(DataError), transaction.atomic():
        compiled.instances_together(
            {"regions": ("together-regions", lambda key: Region.objects.filter(code=key), "33"), "failing": failing}
        )
    assert compiled.instances("together-regions", lambda key: Region.objects.filter(code=key), "33")
