"""The downloadable error report (CSV) and the template (XLSX)."""

import csv

from django.utils.translation import gettext as _

from .columns import COLUMNS
from .models import ImportBatch, RowError

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    return "'" + value if value and value.startswith(DANGEROUS_START) else value


def write_error_report(batch: ImportBatch, handle) -> None:
    writer = csv.writer(handle)
    writer.writerow([_("baris"), _("kolom"), _("nilai"), _("pesan")])
    labels = {column.key: str(column.label) for column in COLUMNS}
    for row, column, value, message in (
        RowError.objects.filter(batch=batch).order_by("row_number", "id").values_list(
            "row_number", "column", "value", "message"
        ).iterator(chunk_size=5000)
    ):  # fmt: skip
        writer.writerow([row, labels.get(column, column), neutralise(value), neutralise(message)])


def write_template(handle) -> None:
    """An XLSX with the header row, one example household, and a sheet explaining every column."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = "Data"
    data.append([column.key for column in COLUMNS])
    for cell in data[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    example = [
        ["3314010403190001", "33.14.01.2001", "Dukuh Krajan", "2", "1", "3314011205750001", "Sutrisno", "L", "Sragen",
         "12-05-1975", "kepala", "kawin", "sd", "Petani", "tidak_ada", "tidak_sekolah_lagi", "pbi_jk", "081234567890",
         "3", "36", "semen", "tembok", "sendiri", "pln_450", "sumur_terlindung", "lpg", "milik_sendiri"],
        ["3314010403190001", "33.14.01.2001", "", "", "", "3314016108790001", "Sumiyati", "P", "Sragen",
         "21-08-1979", "pasangan", "kawin", "smp", "Mengurus rumah tangga", "", "", "pbi_jk", "", "", "", "", "", "",
         "", "", "", ""],
    ]  # fmt: skip
    for row in example:
        data.append(row)
    for column_cells in data.iter_cols(min_row=1, max_row=3):
        for cell in column_cells:
            cell.number_format = "@"  # text: Excel must not turn a NIK into 3.31401E+15
    guide = workbook.create_sheet(_("Petunjuk"))
    guide.append([_("kolom"), _("keterangan"), _("wajib"), _("tingkat"), _("nama lain yang diterima"), _("pilihan")])
    for column in COLUMNS:
        guide.append(
            [
                column.key,
                str(column.label),
                _("ya") if column.required else "",
                _("rumah tangga") if column.household else _("anggota"),
                ", ".join(column.aliases),
                ", ".join(f"{code} ({label})" for code, label in column.choices) if column.choices else "",
            ]
        )
    workbook.save(handle)
