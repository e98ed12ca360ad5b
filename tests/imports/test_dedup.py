"""Duplicates inside one KK in an import file: a double entry goes to the review queue, twins do not."""

from satupintu.imports.models import DuplicatePair, PendingPair
from satupintu.registry.models import Person

from .helpers import HEAD, SPOUSE, imported, validated

CHILD = {**SPOUSE, "nik": "3314010203100001", "nama": "Budi Santoso", "jenis_kelamin": "L",
         "tanggal_lahir": "02-03-2010", "hubungan": "anak", "status_perkawinan": "belum_kawin"}  # fmt: skip


def test_same_household_copy_with_name_typo_is_possible_duplicate(regions):
    """The spouse entered twice in one KK, the second time without NIK and with a typo."""
    again = {**SPOUSE, "nik": "", "nama": "Sumiyat", "hubungan": "famili_lain"}
    batch = imported([HEAD, SPOUSE, again])
    assert batch.state == "imported" and batch.duplicate_rows == 0
    pair = DuplicatePair.objects.get()
    names = {Person.objects.get(pk=pk).name for pk in (pair.person_a_id, pair.person_b_id)}
    assert names == {"Sumiyati", "Sumiyat"} and pair.level == "possible" and pair.batch == batch
    assert pair.person_a.household_id == pair.person_b.household_id


def test_same_household_copy_with_swapped_day_and_month_is_possible_duplicate(regions):
    again = {**CHILD, "nik": "", "tanggal_lahir": "03-02-2010"}
    batch = validated([HEAD, SPOUSE, CHILD, again])
    assert batch.duplicate_rows == 0
    (pair,) = PendingPair.objects.filter(batch=batch)
    assert "tanggal dan bulan lahir tertukar" in pair.reasons and 65 <= pair.score < 85


def test_twins_in_one_household_are_not_flagged(regions):
    twin = {**CHILD, "nik": "3314010203100002", "nama": "Bagus Santoso"}
    batch = validated([HEAD, SPOUSE, CHILD, twin, {**twin, "nik": "", "nama": "Dimas Santoso"}])
    assert batch.valid_rows == 5 and not PendingPair.objects.filter(batch=batch).exists()
