"""Every row-level message of the importer, each from one changed cell of a valid household."""

import datetime as dt

import pytest

from satupintu.imports.models import RowStatus, StagedRow
from satupintu.registry.models import KKNumber
from tests.conftest import TROBAYAN, household_in

from .helpers import HEAD, SPOUSE, messages, validated

CASES = [
    ("nama", {"nama": ""}, "Nama lengkap wajib diisi."),
    ("nama", {"nama": '=HYPERLINK("x")'}, "dianggap rumus"),
    ("nama", {"nama": "@SUM(A1)"}, "dianggap rumus"),
    ("nama", {"nama": "A" * 151}, "Terlalu panjang (paling banyak 150 karakter)."),
    ("no_kk", {"no_kk": "331401"}, "Nomor KK harus 16 digit, bukan 6 digit."),
    ("no_kk", {"no_kk": "3314013102190001"}, "bukan tanggal yang sah"),
    ("kode_desa", {"kode_desa": "33.14.99.2999"}, "Kode desa/kelurahan 33.14.99.2999 tidak dikenal"),
    ("rt", {"rt": "12a"}, "RT/RW berupa angka 1–3 digit."),
    ("tanggal_lahir", {"tanggal_lahir": "31-02-1975"}, "Tanggal tidak dikenali"),
    ("tanggal_lahir", {"tanggal_lahir": "01-01-2099", "nik": ""}, "tidak boleh di masa depan"),
    ("tanggal_lahir", {"tanggal_lahir": "01-01-1890", "nik": ""}, "sebelum tahun 1900"),
    ("hubungan", {"hubungan": "tetangga"}, "Nilai tetangga tidak dikenal untuk Hubungan dengan kepala keluarga"),
    ("jenis_kelamin", {"jenis_kelamin": "X"}, "tidak dikenal untuk Jenis kelamin"),
    ("no_hp", {"no_hp": "12345"}, "Nomor HP tidak sah"),
    ("desil", {"desil": "11"}, "Desil harus angka 1–10."),
    ("luas_lantai", {"luas_lantai": "luas"}, "Luas lantai harus angka bulat"),
    ("jenis_lantai", {"jenis_lantai": "marmer"}, "tidak dikenal untuk Jenis lantai"),
    ("nik", {"nik": "3314011205750000"}, "Nomor urut pada NIK (digit 13–16) tidak boleh 0000."),
    ("nik", {"nik": "33140112057500"}, "NIK harus 16 digit, bukan 14 digit."),
    ("jenis_kelamin", {"jenis_kelamin": "P"}, "NIK menunjukkan jenis kelamin laki-laki"),
    ("tanggal_lahir", {"tanggal_lahir": "13-05-1975"}, "Tanggal lahir pada NIK (digit 7–12) adalah 12-05-75"),
    # Values longer than their staging column: an error for the row, never a database error.
    ("rt", {"rt": "0012"}, "RT/RW berupa angka 1–3 digit."),
    ("rw", {"rw": "12345678"}, "RT/RW berupa angka 1–3 digit."),
    ("no_kk", {"no_kk": "33140104031900011234"}, "Nomor KK harus 16 digit, bukan 20 digit."),
    ("nik", {"nik": "331401120575000199"}, "NIK harus 16 digit, bukan 18 digit."),
    ("kode_desa", {"kode_desa": "33.14.01.2001.0001"}, "Kode desa/kelurahan 33.14.01.2001.0001 tidak dikenal"),
    ("no_hp", {"no_hp": "0812345678901234567"}, "Nomor HP tidak sah"),
    # Digits of other scripts are not the ASCII digits a NIK, RT or desil is written in.
    ("rt", {"rt": "\u0661\u0662"}, "RT/RW berupa angka 1–3 digit."),
    ("desil", {"desil": "\u0663"}, "Desil harus angka 1–10."),
    ("luas_lantai", {"luas_lantai": "\u0663\u0660"}, "Luas lantai harus angka bulat"),
    ("nik", {"nik": "331401120575000\u0661"}, "NIK hanya boleh berisi angka."),
    ("no_hp", {"no_hp": "08123456789\u0661"}, "Nomor HP tidak sah"),
]


@pytest.mark.parametrize(("column", "change", "expected"), CASES, ids=[c[2][:40] for c in CASES])
def test_each_bad_cell_gets_its_message_and_holds_the_household(regions, column, change, expected):
    batch = validated([{**HEAD, **change}, SPOUSE])
    assert any(expected in m for m in messages(batch, column)), messages(batch)
    statuses = set(StagedRow.objects.filter(batch=batch).values_list("status", flat=True))
    assert RowStatus.INVALID in statuses
    assert RowStatus.VALID not in statuses  # the whole family waits, never half of it


def test_aliases_and_labels_are_accepted(regions):
    header = ["Nomor KK", "Kode Wilayah", "Alamat", "RT", "RW", "NIK", "Nama Lengkap", "JK", "Tmp Lahir",
              "Tgl. Lahir", "SHDK", "Status Kawin", "Pendidikan Terakhir"]  # fmt: skip
    keys = ["no_kk", "kode_desa", "alamat", "rt", "rw", "nik", "nama", "jenis_kelamin", "tempat_lahir",
            "tanggal_lahir", "hubungan", "status_perkawinan", "pendidikan"]  # fmt: skip
    row = {**HEAD, "jenis_kelamin": "Laki-laki", "hubungan": "Kepala Keluarga", "pendidikan": "SD/sederajat"}
    content = ";".join(header).encode() + b"\n" + ";".join(row[k] for k in keys).encode() + b"\n"
    batch = validated([], content=content)
    assert batch.state == "validated", messages(batch)
    assert batch.valid_rows == 1


def test_the_rest_of_a_family_with_a_bad_row_is_held(regions):
    batch = validated([{**HEAD, "nama": ""}, SPOUSE])
    assert "Ditahan: baris lain pada KK yang sama bermasalah; perbaiki lalu unggah ulang seluruh KK." in messages(
        batch, ""
    )
    assert (batch.invalid_rows, batch.held_rows, batch.valid_rows) == (1, 1, 0)


def test_a_member_row_contradicting_its_household_is_refused(regions):
    batch = validated([HEAD, {**SPOUSE, "alamat": "Dukuh Lain", "kode_desa": HEAD["kode_desa"]}])
    assert any("Berbeda dengan baris 2 untuk KK yang sama (Dukuh Krajan)." in m for m in messages(batch, "alamat"))


def test_a_kk_without_head_and_a_kk_with_two_heads(regions):
    batch = validated([{**HEAD, "hubungan": "anak", "status_perkawinan": "belum_kawin"}])
    assert "KK ini tidak memiliki kepala keluarga (hubungan: kepala)." in messages(batch, "hubungan")
    batch = validated([HEAD, {**SPOUSE, "hubungan": "kepala"}])
    assert "KK ini memiliki lebih dari satu kepala keluarga." in messages(batch, "hubungan")


def test_the_same_nik_twice_in_a_file_is_a_duplicate(regions):
    other_kk = {**HEAD, "no_kk": "3314010403190002", "nama": "Sutrisno B"}
    batch = validated([HEAD, SPOUSE, other_kk])
    assert "NIK sama dengan baris 2 pada berkas ini." in messages(batch, "nik")
    assert batch.duplicate_rows == 1


def test_a_nik_registered_in_another_household_is_a_duplicate(regions, keden_household):
    person = keden_household.members.first()
    row = {**HEAD, "no_kk": "3314010403190009", "nik": person.nik, "nama": person.name,
           "tanggal_lahir": person.birth_date.strftime("%d-%m-%Y")}  # fmt: skip
    batch = validated([row])
    assert "NIK ini sudah terdaftar pada rumah tangga lain di registri." in messages(batch, "nik")


def test_a_superseded_kk_number_is_refused(regions, keden_household):
    KKNumber.objects.create(household=keden_household, number="3314010403190001", valid_from=dt.date(2019, 3, 4),
                            valid_to=dt.date(2024, 1, 1), reason="Pindah")  # fmt: skip
    batch = validated([HEAD, SPOUSE])
    assert any("sudah diganti" in m for m in messages(batch, "no_kk"))


def test_an_operator_cannot_import_rows_of_another_desa(regions, operator_keden):
    batch = validated([{**HEAD, "kode_desa": TROBAYAN}], actor=operator_keden)
    assert f"Desa/kelurahan {TROBAYAN} di luar wilayah tugas Anda." in messages(batch, "kode_desa")


def test_an_operator_cannot_update_a_kk_registered_in_another_desa(regions, operator_keden):
    other = household_in(TROBAYAN, "Paimin")
    batch = validated([{**HEAD, "no_kk": other.kk_number}], actor=operator_keden)
    assert "Nomor KK ini terdaftar untuk rumah tangga di luar wilayah tugas Anda." in messages(batch, "no_kk")


def test_a_likely_duplicate_of_a_registry_person_without_nik_is_held(regions, keden_household):
    person = keden_household.members.get(relationship="kepala")
    row = {**HEAD, "no_kk": "3314010403190009", "nik": "", "nama": person.name, "tempat_lahir": person.birth_place,
           "tanggal_lahir": person.birth_date.strftime("%d-%m-%Y")}  # fmt: skip
    batch = validated([row])
    found = messages(batch, "nama")
    assert any("Kemungkinan besar orang yang sama dengan anggota registri" in m for m in found), messages(batch)


def test_unknown_columns_are_reported_and_ignored(regions):
    from satupintu.demo.sample import HEADER

    from .helpers import csv_bytes

    batch = validated([], content=csv_bytes([HEAD], header=[*HEADER, "catatan_rahasia"]))
    assert "Kolom tidak dikenal dan diabaikan: catatan_rahasia." in messages(batch)
    assert batch.valid_rows == 1


def test_the_template_date_format_is_read_as_strptime_reads_it():
    from satupintu.imports.validate import _common_date

    for text in ["21-08-1979", "29-02-2000", "29-02-1900", "31-04-1980", "00-01-1980", "01-00-1980", "01-01-0000",
                 "\u0661\u0665-06-1980"]:  # fmt: skip
        try:
            expected = dt.datetime.strptime(text, "%d-%m-%Y").date()
        except ValueError:
            expected = None
        assert _common_date(text) == expected, text


def test_a_name_common_in_the_registry_counts_as_common_even_in_a_small_batch(regions, keden_household):
    """Name rarity is counted over the whole registry, not over the few people a batch is compared with."""
    import datetime as dt

    from satupintu.imports.models import PendingPair
    from satupintu.registry.models import Person

    person = keden_household.members.get(relationship="kepala")
    row = {**HEAD, "no_kk": "3314010403190009", "nik": "", "nama": person.name, "tempat_lahir": person.birth_place,
           "tanggal_lahir": person.birth_date.strftime("%d-%m-%Y")}  # fmt: skip

    def reasons_found():
        batch = validated([row])
        texts = messages(batch, "nama") + [r for p in PendingPair.objects.filter(batch=batch) for r in p.reasons]
        return " | ".join(texts)

    assert "nama sama (nama langka)" in reasons_found()
    # 600 namesakes born on other days: none is a candidate pair, but the name is now very common.
    Person.objects.bulk_create(
        Person(name=person.name, sex="L", birth_place="Sragen", birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=k),
               household=keden_household, relationship="famili", marital_status="kawin", education="sd")
        for k in range(600)
    )  # fmt: skip
    assert "nama sama (nama sangat umum)" in reasons_found()
