"""Checking a plain CSV file by columns stages exactly what checking it row by row stages."""

import pytest
from django.test import override_settings

from satupintu.demo.sample import HEADER
from satupintu.imports import vectorised
from satupintu.imports.models import RowError, StagedRow
from tests.conftest import TROBAYAN

from .helpers import HEAD, SPOUSE, validated
from .test_validation_messages import CASES

STAGED = [f.name for f in StagedRow._meta.fields if f.name not in ("id", "batch")]


def family(k: int, head=None, spouse=None) -> list[dict]:
    """Household number k: its own KK and NIK serials, then the changes."""
    return [
        {**HEAD, "no_kk": f"331401040319{k:04d}", "nik": f"331401120575{k:04d}", **(head or {})},
        {**SPOUSE, "no_kk": f"331401040319{k:04d}", "nik": f"331401610879{k:04d}", **(spouse or {})},
    ]


def mixed_file() -> list[dict]:
    """Every message case, each in its own household, among households that are plain but written
    in the many ways the row-by-row reader accepts, and KKs that only the whole file can judge."""
    rows = []
    for k, (_column, change, _expected) in enumerate(CASES, start=1):
        if '"' not in "".join(change.values()):  # a quoted cell makes the file not plain
            rows += family(k, head=change)
    k = 100
    for head, spouse in [
        ({}, {}),  # plain
        ({}, {key: HEAD.get(key, "") for key in ("kode_desa", "alamat", "rt", "rw", "desil")}),  # repeats the head's
        ({}, {"alamat": HEAD["alamat"]}),  # repeats one household cell, leaves the others empty
        ({}, {"alamat": "Dukuh Lain"}),  # contradicts it
        ({}, {"alamat": " "}),  # a blank that is not empty
        ({"jenis_kelamin": "Laki-laki", "hubungan": "Kepala Keluarga", "status_perkawinan": "KAWIN"}, {}),
        ({"nama": "  Sutrisno  ", "tempat_lahir": "Sragen "}, {"pendidikan": "SMP/sederajat"}),
        ({"tanggal_lahir": "1975-05-12"}, {"tanggal_lahir": "21/08/1979"}),
        ({"no_hp": "0812-3456-7890"}, {"no_hp": "+6281234567890"}),
        ({"no_hp": "081234567890"}, {"no_hp": "62 812 3456 789"}),
        ({"rt": "02", "rw": "001", "luas_lantai": "0045"}, {}),
        ({"nik": "3314 0112 0575 0112"}, {"nik": "3314.0161.0879.0112"}),  # household 112's own
        ({"nik": "9914011205750001"}, {}),  # unknown province
        ({"nik": "3314011305750001"}, {}),  # date digits differ from the birth date: the day,
        ({"nik": "3314011206750001"}, {}),  # the month,
        ({"nik": "3314011205760001"}, {}),  # the year,
        ({}, {"nik": "3314012108790001"}),  # the day without the 40 of a woman
        ({"nik": "3314001205750001"}, {}),  # kecamatan 00
        ({}, {"nik": "3300016108790001"}),  # kabupaten 00
        ({"no_kk": "3314010403190000"}, {"no_kk": "3314010403190000"}),  # serial 0000
        ({"no_kk": "9914010403190130"}, {"no_kk": "9914010403190130"}),  # a KK of an unknown province,
        ({"no_kk": "3300010403190131"}, {"no_kk": "3300010403190131"}),  # kabupaten 00,
        ({"no_kk": "3314000403190132"}, {"no_kk": "3314000403190132"}),  # kecamatan 00
        ({"no_kk": "3314012902230001"}, {"no_kk": "3314012902230001"}),  # 29-02-23 does not exist
        ({"no_kk": "3314010101300001"}, {"no_kk": "3314010101300001"}),  # issued 2030: in the future → 1930
        ({"no_kk": "3314010101990001"}, {"no_kk": "3314010101990001"}),
        ({}, {"hubungan": "kepala"}),  # two heads
        ({"hubungan": "anak", "status_perkawinan": "belum_kawin"}, {}),  # no head
        ({"kode_desa": TROBAYAN}, {"kode_desa": TROBAYAN}),
        ({"desil": "10", "jenis_lantai": "tanah", "jamban": "tidak_ada"}, {"desil": "10"}),
    ]:
        k += 1
        rows += family(k, head=head, spouse=spouse)
    # A KK written with dots on one row and plain on the other is one KK.
    rows += family(150, spouse={"no_kk": "3314.0104.0319.0150"})
    # The same NIK in two households (one of them written with spaces); the same NIK twice in one.
    rows += family(151) + family(152, spouse={"nik": "3314 0112 0575 0151", "jenis_kelamin": "L"})
    rows += family(153, spouse={"nik": "3314011205750153", "jenis_kelamin": "L", "tanggal_lahir": "12-05-1975"})
    # A KK whose rows are apart in the file, with another KK between them.
    split = family(160)
    rows += [split[0], *family(161), split[1]]
    return rows


def content(rows: list[dict], *, extra: str = "") -> bytes:
    """A plain CSV (no quoting: no value has a comma or a quote), with a blank and a white-space row
    and a short row (its last cells missing) among the data."""
    lines = [",".join([*HEADER, *([extra] if extra else [])])]
    for row in rows:
        lines.append(",".join([*(row.get(key, "") for key in HEADER), *([""] if extra else [])]))
    lines.insert(5, "," * (len(HEADER) - 1 + bool(extra)))
    lines.insert(9, " ," * (len(HEADER) - 1) + "\u3000" + ("," if extra else ""))
    short = family(170)
    lines.append(",".join(short[0].get(key, "") for key in HEADER[:20]))
    lines.append(",".join(short[1].get(key, "") for key in HEADER[:20]))
    return ("\n".join(lines) + "\n").encode()


def staged(batch) -> tuple[list, list]:
    rows = list(StagedRow.objects.filter(batch=batch).order_by("row_number").values_list(*STAGED))
    errors = sorted(RowError.objects.filter(batch=batch).values_list("row_number", "column", "value", "message"))
    return rows, errors


def both_ways(file: bytes, monkeypatch, **kwargs):
    """(staged by columns, staged row by row, how many rows the columns staged themselves)."""
    plain = []
    original = vectorised.staged_columns
    monkeypatch.setattr(vectorised, "staged_columns", lambda *a: plain.append(original(*a)) or plain[-1])
    with override_settings(IMPORT_VECTORISED=True):
        by_columns = staged(validated([], content=file, fuzzy=False, **kwargs))
    with override_settings(IMPORT_VECTORISED=False):
        by_rows = staged(validated([], content=file, fuzzy=False, **kwargs))
    return by_columns, by_rows, sum(frame.height for frame in plain)


def test_every_message_and_every_accepted_spelling_come_out_the_same_both_ways(regions, monkeypatch):
    rows = mixed_file()
    by_columns, by_rows, plain = both_ways(content(rows), monkeypatch)
    assert by_columns == by_rows
    valid = sum(row[3] == "valid" for row in by_rows[0])
    assert plain == valid - 2  # all valid KKs but the first of the two sharing a NIK (both went row by row)
    assert len(by_rows[1]) > 60  # and the file has plenty of errors


def test_unknown_and_missing_columns_and_an_operator_area_come_out_the_same(regions, operator_keden, monkeypatch):
    rows = family(1) + family(2, head={"kode_desa": TROBAYAN}, spouse={"kode_desa": TROBAYAN})
    by_columns, by_rows, plain = both_ways(content(rows, extra="catatan"), monkeypatch, actor=operator_keden)
    assert by_columns == by_rows and plain == 4  # families 1 and 170 (its missing cells are optional)
    header = [key for key in HEADER if key not in ("no_hp", "desil", "jenis_lantai")]
    file = ("\n".join([",".join(header), *(",".join(r.get(k, "") for k in header) for r in family(3)), ""])).encode()
    by_columns, by_rows, plain = both_ways(file, monkeypatch)
    assert by_columns == by_rows and plain == 2


@pytest.mark.parametrize(
    ("file", "why"),
    [
        (b'no_kk,nama\n"1",x\n', "a quote"),
        (b"no_kk,nama\r1,x\r", "a lone carriage return"),
        (b"no_kk,nama\n1,x,y\n", "a longer line"),
        ("no_kk,nama\n1,\u00e9\n".encode("cp1252"), "not UTF-8"),
    ],
)
def test_files_that_are_not_plain_are_left_to_the_row_by_row_reader(tmp_path, file, why):
    from satupintu.imports.reader import open_sheet

    path = tmp_path / "data.csv"
    path.write_bytes(
        file.replace(b"no_kk,nama", ",".join(HEADER).encode()).replace(b"1,", b"1," + b"," * (len(HEADER) - 2))
    )
    sheet = open_sheet(path, "data.csv")
    assert vectorised.read_plain(path, sheet) is None, why
    sheet.close()


@pytest.mark.django_db(transaction=True)
def test_staged_rows_written_side_by_side_on_two_connections_are_the_same(regions, monkeypatch):
    """Outside a transaction, PostgreSQL gets the plain rows over two connections at once."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("two writers only on PostgreSQL")
    from satupintu.imports import pipeline

    monkeypatch.setattr(pipeline, "CHUNK", 7)  # several chunks for two connections
    threads = []
    original = vectorised._write_part_on_own_connection
    monkeypatch.setattr(
        vectorised, "_write_part_on_own_connection", lambda part: threads.append(part.height) or original(part)
    )
    by_columns, by_rows, plain = both_ways(content(mixed_file()), monkeypatch)
    assert by_columns == by_rows
    assert len(threads) > 3 and sum(threads) == plain


def test_a_plain_file_of_blank_rows_is_refused_as_having_no_data(regions):
    blank = ",".join(HEADER) + "\n" + ("," * (len(HEADER) - 1) + "\n") * 3
    batch = validated([], content=blank.encode())
    assert batch.state == "failed"
    assert batch.reason == "Berkas tidak berisi baris data di bawah baris judul."
