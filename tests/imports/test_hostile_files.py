"""Files that must be refused whole, before a single row is read, with an Indonesian reason."""

import io
import zipfile

import openpyxl

from satupintu.demo.sample import HEADER
from satupintu.imports.models import State

from .helpers import HEAD, csv_bytes, messages, validated


def xlsx(rows, *, formula=False, nik_as_number=False) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        values = [row.get(key, "") for key in HEADER]
        if nik_as_number:
            values[HEADER.index("nik")] = int(row["nik"])
        if formula:
            values[HEADER.index("nama")] = '=CONCATENATE("Su","trisno")'
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(content: bytes, name: str, expected: str):
    batch = validated([], name=name, content=content)
    assert batch.state == State.FAILED
    assert expected in batch.reason, batch.reason
    return batch


def test_a_file_over_the_size_limit_is_refused(regions, settings):
    settings.IMPORT_MAX_BYTES = 100
    refused(csv_bytes([HEAD]), "besar.csv", "Berkas terlalu besar")


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(regions):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 2**20))
    refused(buffer.getvalue(), "bom.xlsx", "bom zip")


def test_an_xlsx_inflating_past_the_limit_is_refused(regions, settings):
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED = 2**10
    refused(xlsx([HEAD]), "besar.xlsx", "terlalu besar setelah diekstrak")


def test_a_file_named_xlsx_that_is_not_one_is_refused(regions):
    refused(b"no_kk,nama\n1,2\n", "palsu.xlsx", "bukan berkas Excel")


def test_a_broken_zip_is_refused(regions):
    refused(b"PK\x03\x04" + b"\x00" * 200, "rusak.xlsx", "rusak atau bukan arsip zip")


def test_an_xlsx_with_formulas_is_refused(regions):
    refused(xlsx([HEAD], formula=True), "rumus.xlsx", "berisi rumus")


def test_binary_data_in_a_csv_is_refused(regions):
    refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "gambar.csv", "data biner")


def test_an_unsupported_file_type_is_refused(regions):
    refused(b"hello", "data.txt", "Jenis berkas tidak didukung")


def test_an_empty_file_and_a_header_only_file_are_refused(regions):
    refused(b"", "kosong.csv", "Berkas kosong.")
    refused(csv_bytes([]), "judul.csv", "tidak berisi baris data")


def test_a_file_without_the_required_columns_is_refused(regions):
    refused(b"nama;umur\nSutrisno;50\n", "salah.csv", "Kolom wajib tidak ditemukan di baris judul: Nomor KK")


def test_more_rows_than_allowed_is_refused(regions, settings):
    settings.IMPORT_MAX_ROWS = 1
    refused(csv_bytes([HEAD, HEAD]), "banyak.csv", "lebih dari 1 baris")


def test_a_nik_typed_as_a_number_in_excel_is_a_row_error(regions):
    batch = validated([], name="angka.xlsx", content=xlsx([HEAD], nik_as_number=True))
    assert any("tersimpan sebagai angka di Excel" in m for m in messages(batch, "nik"))


def test_an_excel_encoded_csv_is_read(regions):
    content = csv_bytes([{**HEAD, "tempat_lahir": "Sragén"}]).decode().encode("cp1252")
    batch = validated([], content=content)
    assert batch.state == State.VALIDATED and batch.valid_rows == 1
