"""First load of an empty registry (PostgreSQL): same registry, same schema, all or nothing."""

import pytest
from django.db import IntegrityError, connection, transaction

from satupintu.demo.sample import sample_rows
from satupintu.imports import firstload
from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment
from tests.conftest import KEDEN, TROBAYAN

from .helpers import imported
from .test_fast_path import registry_after

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the first-load mode is PostgreSQL's")


def schema() -> dict:
    with connection.cursor() as cursor:
        return firstload.registry_schema(cursor)


def registry_counts() -> list[int]:
    return [model.objects.count() for model in (Household, Person, Membership, KKNumber, PovertyAssessment)]


def test_the_first_load_writes_the_same_registry_as_the_chunked_path(regions):
    rows = list(sample_rows(12, desa_codes=[KEDEN, TROBAYAN]))
    assert rows[0]["hubungan"] == "kepala" and rows[1]["no_kk"] == rows[0]["no_kk"]
    person = ("nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "hubungan", "status_perkawinan",
              "pendidikan", "pekerjaan", "disabilitas", "status_sekolah", "jaminan_kesehatan", "no_hp")  # fmt: skip
    # The first KK's head on its second row: the first load looks the head up.
    rows[0], rows[1] = ({**rows[0], **{k: rows[1][k] for k in person}}, {**rows[1], **{k: rows[0][k] for k in person}})
    first, chunked = registry_after([rows], fast_path=True), registry_after([rows], fast_path=True, first_load=False)
    assert first == chunked
    assert first == registry_after([rows], fast_path=False)
    assert len(first["households"]) == 12 and len(first["people"]) == len(rows)
    assert all(household[-2] for household in first["households"])  # every household has its head


@postgresql
def test_the_first_load_recreates_every_index_and_constraint_exactly(regions, monkeypatch):
    before = schema()
    assert any(name == "one_open_membership" for _table, name, _sql in before["indexes"])
    dropped, original = [], firstload.Schema.drop

    def drop(self, cursor):
        dropped.append(self)
        original(self, cursor)

    monkeypatch.setattr(firstload.Schema, "drop", drop)
    batch = imported(list(sample_rows(5, desa_codes=[KEDEN])), fuzzy=False)
    assert dropped, "the empty registry took the first-load mode"
    assert {name for name, _sql in dropped[0].indexes} >= {"registry_person_name_2a560b73"}
    assert {name for _t, name, _d in dropped[0].unique} == {
        "registry_household_kk_number_key",
        "registry_person_nik_key",
    }
    assert batch.state == "imported" and Household.objects.count() == 5
    assert schema() == before


@postgresql
def test_a_failure_after_the_drop_leaves_the_registry_empty_and_its_schema_intact(regions, monkeypatch):
    before = schema()

    def fail(self, cursor):
        with connection.cursor() as check:
            check.execute("SELECT COUNT(*) FROM registry_person")
            assert check.fetchone()[0] > 0  # the rows were in, the indexes not yet
        raise RuntimeError("disk full")

    monkeypatch.setattr(firstload.Schema, "recreate_indexes", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        imported(list(sample_rows(5, desa_codes=[KEDEN])), fuzzy=False)
    assert registry_counts() == [0, 0, 0, 0, 0]
    assert schema() == before


@postgresql
def test_a_registry_that_is_not_empty_is_loaded_in_chunks(regions, monkeypatch):
    imported(list(sample_rows(3, desa_codes=[KEDEN])), fuzzy=False)
    taken = []
    monkeypatch.setattr(firstload, "Schema", lambda cursor: taken.append(1))
    batch = imported(list(sample_rows(3, seed=7, desa_codes=[TROBAYAN])), fuzzy=False)
    assert not taken and batch.households_created == 3 and Household.objects.count() == 6


@postgresql
def test_a_recreated_unique_index_fails_loudly_on_a_duplicate(regions):
    head = {"nik": "3314011205750001", "name": "A", "sex": "L", "birth_place": "Sragen", "birth_date": "1975-05-12"}
    with transaction.atomic(), connection.cursor() as cursor:
        saved = firstload.Schema(cursor)
        saved.drop(cursor)
        Person.objects.create(**head)
        Person.objects.create(**head)
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                saved.recreate_indexes(cursor)
        transaction.set_rollback(True)


def test_the_chunk_counts_stay_those_of_the_chunked_path(regions, settings):
    settings.IMPORT_CHUNK_HOUSEHOLDS = 4
    batch = imported(list(sample_rows(6, desa_codes=[KEDEN])), fuzzy=False)
    assert batch.imported_groups == 8 and batch.households_created == 6  # resumable marker as in chunks


def test_a_possible_duplicate_added_to_an_existing_household_reaches_the_queue(regions):
    """The general path links rows in a temporary table; rows with a pending pair keep their person."""
    from satupintu.imports.models import DuplicatePair
    from tests.conftest import household_in

    existing = household_in(KEDEN, "Sutrisno").members.get(relationship="kepala")
    other = household_in(TROBAYAN, "Joko")
    head = other.members.get(relationship="kepala")
    rows = [
        {"no_kk": other.kk_number, "kode_desa": TROBAYAN, "alamat": other.address, "rt": "2", "rw": "1",
         "nik": head.nik, "nama": head.name, "jenis_kelamin": head.sex, "tempat_lahir": head.birth_place,
         "tanggal_lahir": head.birth_date.strftime("%d-%m-%Y"), "hubungan": "kepala", "status_perkawinan": "kawin",
         "pendidikan": "sd"},
        {"no_kk": other.kk_number, "nik": "", "nama": "Sutrisno", "jenis_kelamin": "L", "tempat_lahir": "Klaten",
         "tanggal_lahir": existing.birth_date.strftime("%d-%m-%Y"), "hubungan": "famili_lain",
         "status_perkawinan": "kawin", "pendidikan": "sd"},
    ]  # fmt: skip
    batch = imported(rows)
    added = Person.objects.get(household=other, name="Sutrisno")
    pair = DuplicatePair.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {existing.pk, added.pk} and pair.batch == batch


@postgresql
@pytest.mark.django_db(transaction=True)
def test_progress_of_the_first_load_is_seen_by_others_while_its_transaction_runs(regions, monkeypatch):
    from django.db import DEFAULT_DB_ALIAS, connections

    from satupintu.imports.models import ImportBatch

    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    seen, original = [], firstload.OutOfBand.__call__

    def call(self, step):
        original(self, step)
        with observer.cursor() as cursor:  # what the progress page's request would read now
            cursor.execute(
                "SELECT progress_done, heartbeat IS NOT NULL FROM imports_importbatch WHERE id = %s", [self.batch.pk]
            )
            done, beating = cursor.fetchone()
            seen.append((step, done, beating))

    monkeypatch.setattr(firstload.OutOfBand, "__call__", call)
    try:
        batch = imported(list(sample_rows(4, desa_codes=[KEDEN])), fuzzy=False)
    finally:
        observer.close()
    valid = batch.valid_rows
    assert [step for step, _d, _b in seen] == ["reserve", "households", "people", "history", "indexes", "constraints"]
    assert [done for _s, done, _b in seen] == [round(valid * share) for share in firstload.STEPS.values()]
    assert all(beating for _s, _d, beating in seen)
    assert ImportBatch.objects.get(pk=batch.pk).state == "imported" and Household.objects.count() == 4


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_registry_someone_is_reading_is_loaded_in_chunks_not_waited_for(regions, monkeypatch):
    from django.db import DEFAULT_DB_ALIAS, connections

    monkeypatch.setattr(firstload, "LOCK_TIMEOUT", "200ms")
    taken = []
    monkeypatch.setattr(firstload.Schema, "drop", lambda self, cursor: taken.append(1))
    reader = connections.create_connection(DEFAULT_DB_ALIAS)
    reader.set_autocommit(False)
    try:
        with reader.cursor() as cursor:  # a long report reading the registry
            cursor.execute("LOCK TABLE registry_person IN ACCESS SHARE MODE")
        batch = imported(list(sample_rows(3, desa_codes=[KEDEN])), fuzzy=False)
    finally:
        reader.rollback()
        reader.close()
    assert not taken and batch.state == "imported" and Household.objects.count() == 3


def _pairs_after(rows, *, first_load: bool) -> list[tuple]:
    from satupintu.imports.models import DuplicatePair, PendingPair

    with transaction.atomic():
        batch = imported(rows, first_load=first_load)
        assert PendingPair.objects.filter(batch=batch, other_row__isnull=False).exists()
        pairs = [
            tuple(sorted((p.person_a.name, p.person_a.household.kk_number, p.person_b.household.kk_number)))
            for p in DuplicatePair.objects.select_related("person_a__household", "person_b__household")
        ]
        transaction.set_rollback(True)
    return pairs


def test_a_possible_duplicate_within_a_first_load_reaches_the_queue_as_in_chunks(regions):
    """The first load numbers people by formula; rows with a pending pair get those same people."""
    rows = list(sample_rows(4, desa_codes=[KEDEN]))
    first_kk, second_kk = rows[0]["no_kk"], next(r["no_kk"] for r in rows if r["no_kk"] != rows[0]["no_kk"])
    twin = next(r for r in rows if r["no_kk"] == first_kk and r["hubungan"] != "kepala" and r["nik"])
    at = max(i for i, r in enumerate(rows) if r["no_kk"] == second_kk) + 1
    person = {key: twin[key] for key in ("nama", "jenis_kelamin", "tanggal_lahir")}
    rows.insert(at, {**rows[at - 1], **person, "nik": "", "hubungan": "famili_lain", "tempat_lahir": "Klaten"})
    first = _pairs_after(rows, first_load=True)
    assert len(first) == 1 and first == _pairs_after(rows, first_load=False)
